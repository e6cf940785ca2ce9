"""Tests of bot/timelog: reading hours, prompt times, the evening prompt and log end to end."""
