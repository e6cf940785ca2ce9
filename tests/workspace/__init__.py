"""Tests of bot/workspace: settings and configuration, install, OAuth, lifecycle, privacy."""
