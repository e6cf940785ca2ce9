"""Tests of the Slack edge: input, self-protection, start-up."""
