"""send_pace: the shared per-workspace sending pace of the evening fan-out"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "send_pace",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("next_at_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_send_pace")),
    )


def downgrade() -> None:
    op.drop_table("send_pace")
