"""Slack plumbing that knows no feature: the HTTP server, the request context, the /rolesplit
router, the listener pool, the one Slack client factory, outbound sending, request kinds, and
Block Kit helpers. It imports no feature (tests/test_layout.py holds that)."""
