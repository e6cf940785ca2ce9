"""Secrets, ids and dates every test agrees on."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

PG_URL = os.environ.get("ROLESPLIT_TEST_POSTGRES_URL")
DB_PARAMS = ["sqlite"] + (["postgres"] if PG_URL else [])

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-token-1234567890"
WEBHOOK_SECRET = "test-webhook-secret-abcdef123456"
TEAM_ID = "T0001"
TEAM_B = "T0002"

# OAuth mode (many workspaces)
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret-0123456789"
STATE_COOKIE = "slack-app-oauth-state"

# the pinned clock is Tuesday 2026-11-24 12:00 UTC
TUE = date(2026, 11, 24)
MON = date(2026, 11, 16)  # last week, seen from Tue 2026-11-24
EARLY = datetime(2026, 11, 1, tzinfo=UTC)  # when seeded reps joined

# the demo's fixed start: Wednesday 4 March 2026, 16:45 in the office (New York)
DEMO_START = datetime(2026, 3, 4, 21, 45, tzinfo=UTC)
