"""Tests of bot/slack: the HTTP server, the listener pool, the manifest."""
