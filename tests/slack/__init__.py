"""Tests of bot/slack: the HTTP server and its edge (bad input, self-protection, start-up),
the listener pool, the manifest."""
