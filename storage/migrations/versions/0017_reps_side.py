"""reps' side: the welcome DM's claim, the managers' first-start message, away periods

Members already on the roster count as welcomed (nobody gets a surprise welcome after the
upgrade); a pause running at upgrade time becomes an away period from the upgrade's day, so
its days are not counted as missed.

Revision ID: 0017
Revises: 0003
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016_handoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("workspace", sa.Column("greeted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("member", sa.Column("welcome_due", sa.String(length=8), nullable=True))
    op.add_column(
        "member", sa.Column("welcome_claimed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("member", sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "away_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("set_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_away_period_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_away_period")),
        sa.UniqueConstraint(
            "member_id", "kind", "first_day", name=op.f("uq_away_period_member_id_kind_first_day")
        ),
    )
    op.create_index("ix_away_period_last_day", "away_period", ["last_day"], unique=False)
    op.execute(
        "INSERT INTO away_period (member_id, kind, first_day, last_day, reason, created_at) "
        "SELECT id, 'paused', CURRENT_DATE, paused_until, NULL, CURRENT_TIMESTAMP FROM member "
        "WHERE paused_until IS NOT NULL AND paused_until >= CURRENT_DATE"
    )


def downgrade() -> None:
    op.drop_index("ix_away_period_last_day", table_name="away_period")
    op.drop_table("away_period")
    op.drop_column("member", "welcomed_at")
    op.drop_column("member", "welcome_claimed_at")
    op.drop_column("member", "welcome_due")
    op.drop_column("workspace", "greeted_at")
