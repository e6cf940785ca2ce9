"""Tests of bot/reports: the pure rules, the chart, `/rolesplit report` end to end."""
