"""the outbox: what the app decided to say, stored with the effect and delivered after it"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.migrations.ddl import number, table, varchar, when

revision = "0018"
down_revision = "0017"


def upgrade() -> None:
    table(
        "outbox",
        varchar("team_id", 32),
        varchar("channel", 32),
        varchar("method", 32),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        varchar("tell", 32, null=True),
        varchar("status", 12),
        number("attempts"),
        when("next_at"),
        when("created_at"),
        when("sent_at", null=True),
        varchar("error", 200, null=True),
    )
    op.create_index("ix_outbox_status_next_at", "outbox", ["status", "next_at"])
    op.create_index(op.f("ix_outbox_channel"), "outbox", ["channel"])


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_channel"), table_name="outbox")
    op.drop_index("ix_outbox_status_next_at", table_name="outbox")
    op.drop_table("outbox")
