"""initial schema: workspaces, the roster, categories, the time log, studies, rollups and
hand-offs"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.migrations.ddl import day, drop, flag, number, table, varchar, when

revision = "0001"
down_revision = None

OPEN_STUDY = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_table(
        "processed_request",
        varchar("key", 200),
        when("created_at"),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_processed_request")),
    )
    op.create_index(
        op.f("ix_processed_request_created_at"), "processed_request", ["created_at"], unique=False
    )
    # columns are laid out a few to a line, in their order in the table
    table(
        "workspace",
        varchar("team_id", 32), varchar("name", 200, null=True),
        sa.Column("settings", sa.JSON(), nullable=False), flag("installed", True),
        when("uninstalled_at", null=True), when("created_at"),
        unique=[("team_id",)],
    )  # fmt: skip
    table(
        "account",
        number("workspace_id"), varchar("key", 200), varchar("name", 200),
        varchar("crm_id", 200, null=True),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=True), day("won_at"),
        sa.Column("notes", sa.Text(), nullable=True),
        varchar("sales_rep_id", 32, null=True), varchar("account_manager_id", 32, null=True),
        varchar("owner_id", 32, null=True), day("transfer_on"),
        varchar("status", 24), varchar("source", 16),
        when("created_at"), when("closed_at", null=True),
        parents=[("workspace_id", "workspace")],
        unique=[("workspace_id", "key")],
    )  # fmt: skip
    table(
        "category",
        number("workspace_id"), varchar("key", 40), varchar("label", 150), varchar("kind", 10),
        sa.Column("aliases", sa.JSON(), nullable=False), flag("active", True), number("position"),
        parents=[("workspace_id", "workspace")],
        unique=[("workspace_id", "key")],
    )  # fmt: skip
    table(
        "member",
        number("workspace_id"), varchar("user_id", 32), varchar("role", 16),
        varchar("display_name", 200, null=True),
        varchar("tz", 64), when("tz_checked_at", null=True),
        varchar("prompt_time", 5, null=True), varchar("work_days", 32, null=True),
        day("paused_until", null=True),
        flag("active", True), varchar("inactive_reason", 200, null=True),
        flag("handoff_optin", False), when("last_assigned_at", null=True), when("created_at"),
        parents=[("workspace_id", "workspace")],
        unique=[("workspace_id", "user_id")],
    )  # fmt: skip
    table(
        "rollup",
        number("workspace_id"), day("week_start"), when("claimed_at"), varchar("status", 10),
        when("sent_at", null=True), varchar("message_ts", 32, null=True),
        varchar("error", 200, null=True),
        parents=[("workspace_id", "workspace")],
        unique=[("workspace_id", "week_start")],
    )  # fmt: skip
    table(
        "study",
        number("workspace_id"), varchar("started_by", 32),
        day("starts_on"), day("ends_on"), number("weeks"), varchar("status", 10),
        when("created_at"), when("ended_at", null=True),
        when("result_claimed_at", null=True), when("result_sent_at", null=True),
        parents=[("workspace_id", "workspace")],
    )  # fmt: skip
    op.create_index(
        "uq_study_one_open",
        "study",
        ["workspace_id"],
        unique=True,
        sqlite_where=OPEN_STUDY,
        postgresql_where=OPEN_STUDY,
    )
    table(
        "day_log",
        number("member_id"), day("work_date"), varchar("status", 10),
        sa.Column("note", sa.Text(), nullable=True),
        varchar("source", 16), when("logged_at"), number("revision"),
        parents=[("member_id", "member")],
        unique=[("member_id", "work_date")],
    )  # fmt: skip
    table(
        "fit_answer",
        number("study_id"), number("member_id"), number("score"),
        sa.Column("comment", sa.Text(), nullable=True), when("answered_at"),
        parents=[("member_id", "member"), ("study_id", "study")],
        unique=[("study_id", "member_id")],
    )  # fmt: skip
    table(
        "handoff",
        number("account_id"), varchar("mode", 10),
        varchar("channel_id", 32, null=True), varchar("thread_ts", 32, null=True),
        varchar("intro_ts", 32, null=True),
        varchar("status", 16), when("setup_claimed_at", null=True),
        varchar("error", 300, null=True), when("created_at"),
        parents=[("account_id", "account")],
        unique=[("account_id",)],
    )  # fmt: skip
    table(
        "prompt",
        number("member_id"), day("local_date"),
        when("due_at"), when("claimed_at"), varchar("status", 10), number("attempts"),
        when("sent_at", null=True), varchar("channel_id", 32, null=True),
        varchar("message_ts", 32, null=True),
        when("reminder_due_at", null=True), when("reminder_claimed_at", null=True),
        when("reminded_at", null=True), varchar("error", 200, null=True),
        parents=[("member_id", "member")],
        unique=[("member_id", "local_date")],
    )  # fmt: skip
    op.create_index("ix_prompt_reminder_due", "prompt", ["reminder_due_at"], unique=False)
    table(
        "study_message",
        number("study_id"), number("member_id"), varchar("kind", 16),
        when("claimed_at"), when("sent_at", null=True), varchar("error", 200, null=True),
        parents=[("member_id", "member"), ("study_id", "study")],
        unique=[("study_id", "member_id", "kind")],
    )  # fmt: skip
    table(
        "checklist_item",
        number("handoff_id"), varchar("key", 40), varchar("label", 200), number("position"),
        varchar("done_by", 32, null=True), when("done_at", null=True),
        parents=[("handoff_id", "handoff")],
        unique=[("handoff_id", "key")],
    )  # fmt: skip
    table(
        "nudge",
        number("handoff_id"), varchar("kind", 24), when("due_at"),
        when("claimed_at", null=True), when("sent_at", null=True), number("attempts"),
        varchar("error", 200, null=True),
        parents=[("handoff_id", "handoff")],
        unique=[("handoff_id", "kind")],
    )  # fmt: skip
    op.create_index("ix_nudge_due_unclaimed", "nudge", ["due_at", "claimed_at"], unique=False)
    table(
        "time_entry",
        number("day_id"),
        number("member_id"),
        day("work_date"),
        number("category_id"),
        sa.Column("hours", sa.Numeric(precision=5, scale=2), nullable=False),
        parents=[
            ("category_id", "category", "RESTRICT"),
            ("day_id", "day_log"),
            ("member_id", "member"),
        ],
        unique=[("member_id", "work_date", "category_id")],
    )
    op.create_index("ix_time_entry_date_member", "time_entry", ["work_date", "member_id"])
    op.create_index(op.f("ix_time_entry_day_id"), "time_entry", ["day_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_time_entry_day_id"), table_name="time_entry")
    op.drop_index("ix_time_entry_date_member", table_name="time_entry")
    drop("time_entry")
    op.drop_index("ix_nudge_due_unclaimed", table_name="nudge")
    drop("nudge", "checklist_item", "study_message")
    op.drop_index("ix_prompt_reminder_due", table_name="prompt")
    drop("prompt", "handoff", "fit_answer", "day_log")
    op.drop_index(
        "uq_study_one_open", "study", sqlite_where=OPEN_STUDY, postgresql_where=OPEN_STUDY
    )
    drop("study", "rollup", "member", "category", "account", "workspace")
    op.drop_index(op.f("ix_processed_request_created_at"), table_name="processed_request")
    drop("processed_request")
