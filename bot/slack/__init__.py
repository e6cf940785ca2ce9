"""Slack plumbing that knows no feature: the HTTP server, the /rolesplit router, the listener
pool, and Block Kit helpers."""
