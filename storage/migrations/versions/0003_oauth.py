"""oauth: slack_sdk's installation store (slack_installations, slack_bots) and state store

The tables, columns and indexes are exactly those of slack_sdk's SQLAlchemyInstallationStore
and SQLAlchemyOAuthStateStore (slack_sdk.oauth.*.sqlalchemy), so the stores read and write
them as they were built for; tests/workspace/test_oauth.py compares the two.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from storage.migrations.ddl import table, varchar

revision = "0003"
down_revision = "0002"

WEBHOOK = ("url", "channel", "channel_id", "configuration_url")


def _team(*, url: bool) -> list[sa.Column[Any]]:
    """Who installed: the app, the enterprise (its URL for installations) and the team."""
    return [
        varchar("client_id", 32),
        varchar("app_id", 32),
        varchar("enterprise_id", 32, null=True),
        varchar("enterprise_name", 200, null=True),
        *([varchar("enterprise_url", 200, null=True)] if url else []),
        varchar("team_id", 32, null=True),
        varchar("team_name", 200, null=True),
    ]


def _token(who: str) -> list[sa.Column[Any]]:
    """A bot's or a user's token (a bot's ids after it), its scopes, refresh token and expiry."""
    ids = [varchar("bot_id", 32, null=True), varchar("bot_user_id", 32, null=True)]
    return [
        varchar(f"{who}_token", 200, null=True),
        *(ids if who == "bot" else []),
        varchar(f"{who}_scopes", 1000, null=True),
        varchar(f"{who}_refresh_token", 200, null=True),
        sa.Column(f"{who}_token_expires_at", sa.DateTime(), nullable=True),
    ]


def upgrade() -> None:
    table(
        "slack_installations",
        *_team(url=True),
        *_token("bot"),
        varchar("user_id", 32),
        *_token("user"),
        *(varchar(f"incoming_webhook_{part}", 200, null=True) for part in WEBHOOK),
        _enterprise_install(),
        varchar("token_type", 32, null=True),
        _installed_at(),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
        unique=False,
    )
    table("slack_bots", *_team(url=False), *_token("bot"), _enterprise_install(), _installed_at())
    op.create_index(
        "slack_bots_idx",
        "slack_bots",
        ["client_id", "enterprise_id", "team_id", "installed_at"],
        unique=False,
    )
    table(
        "slack_oauth_states",
        varchar("state", 200),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
    )


def _enterprise_install() -> sa.Column[Any]:
    return sa.Column("is_enterprise_install", sa.Boolean(), nullable=False)


def _installed_at() -> sa.Column[Any]:
    return sa.Column("installed_at", sa.DateTime(), nullable=False)


def downgrade() -> None:
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
