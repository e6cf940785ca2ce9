"""reps' side: the welcome DM's claim, the managers' first-start message, away periods

Members already on the roster count as welcomed (nobody gets a surprise welcome after the
upgrade); a pause running at upgrade time becomes an away period from the upgrade's day, so
its days are not counted as missed.
"""

from __future__ import annotations

from alembic import op

from storage.migrations.ddl import day, number, table, varchar, when

revision = "0017"
down_revision = "0016_handoff"


def upgrade() -> None:
    op.add_column("workspace", when("greeted_at", null=True))
    for column in (
        varchar("welcome_due", 8, null=True),
        when("welcome_claimed_at", null=True),
        when("welcomed_at", null=True),
    ):
        op.add_column("member", column)
    table(
        "away_period",
        number("member_id"),
        varchar("kind", 10),
        day("first_day"),
        day("last_day"),
        varchar("reason", 200, null=True),
        varchar("set_by", 32, null=True),
        when("created_at"),
        parents=[("member_id", "member")],
        unique=[("member_id", "kind", "first_day")],
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
    for name in ("welcomed_at", "welcome_claimed_at", "welcome_due"):
        op.drop_column("member", name)
    op.drop_column("workspace", "greeted_at")
