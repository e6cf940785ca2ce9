"""Fault tests: kill -9, Slack failing, the database going away — against the app's outside."""
