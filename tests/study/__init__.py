"""Tests of bot/study: the split plan's pure rules, the time study end to end."""
