"""Tests of bot/handoff: the pure hand-off rules, the won-account hand-off end to end."""
