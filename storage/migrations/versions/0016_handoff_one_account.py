"""hand-offs: one account across triggers, CRM owners and deliveries, questions, nudge pacing

- account: name_key (unique among hand-offs not closed), crm, crm_owner, declared_by, missing
- handoff: nudged_at (one nudge per hand-off per scheduler pass)
- crm_owner: the owner map; crm_delivery: CRM delivery keys already handled
- handoff_question: DMs asking for an account manager (daily) or a CRM owner (once)

Revision ID: 0016_handoff
Revises: 0003
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0016_handoff"
down_revision = "0003"
branch_labels = None
depends_on = None

# a frozen copy of bot.handoff.rules.normalise_name as of this revision (migrations must not
# change meaning when the code moves on)
_SUFFIXES = {
    "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company",
    "gmbh", "plc", "sa", "ag", "bv", "pty", "srl", "sarl",
}  # fmt: skip


def _normalise(name: str) -> str:
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", name).casefold())
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(words)[:190]


def upgrade() -> None:
    for column in (
        sa.Column("name_key", sa.String(length=200), nullable=True),
        sa.Column("crm", sa.String(length=16), nullable=True),
        sa.Column("crm_owner", sa.String(length=300), nullable=True),
        sa.Column("declared_by", sa.String(length=32), nullable=True),
        sa.Column("missing", sa.String(length=200), nullable=True),
    ):
        op.add_column("account", column)
    op.add_column("handoff", sa.Column("nudged_at", sa.DateTime(timezone=True), nullable=True))
    # existing accounts: the name key of every hand-off not closed; where two open hand-offs
    # already share a name (the bug this revision fixes), the newer one keeps no name key
    bind = op.get_bind()
    seen: set[tuple[int, str]] = set()
    rows = bind.execute(
        sa.text("SELECT id, workspace_id, name FROM account WHERE status <> 'closed' ORDER BY id")
    )
    for account_id, workspace_id, name in list(rows):
        key = _normalise(name or "")
        if not key or (workspace_id, key) in seen:
            continue
        seen.add((workspace_id, key))
        bind.execute(
            sa.text("UPDATE account SET name_key = :k WHERE id = :i"), {"k": key, "i": account_id}
        )
    op.create_index(
        "uq_account_open_name",
        "account",
        ["workspace_id", "name_key"],
        unique=True,
        sqlite_where=sa.text("status <> 'closed'"),
        postgresql_where=sa.text("status <> 'closed'"),
    )
    op.create_index("ix_account_workspace_crm_id", "account", ["workspace_id", "crm_id"])
    op.create_table(
        "crm_owner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("crm", sa.String(length=16), nullable=False),
        sa.Column("owner_key", sa.String(length=300), nullable=False),
        sa.Column("slack_user", sa.String(length=32), nullable=False),
        sa.Column("mapped_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_crm_owner_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_owner")),
        sa.UniqueConstraint(
            "workspace_id", "crm", "owner_key", name=op.f("uq_crm_owner_workspace_id_crm_owner_key")
        ),
    )
    op.create_table(
        "crm_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("crm", sa.String(length=16), nullable=False),
        sa.Column("delivery_key", sa.String(length=200), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_crm_delivery_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_crm_delivery_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_delivery")),
        sa.UniqueConstraint(
            "workspace_id",
            "crm",
            "delivery_key",
            name=op.f("uq_crm_delivery_workspace_id_crm_delivery_key"),
        ),
    )
    op.create_table(
        "handoff_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_handoff_question_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_handoff_question_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_question")),
        sa.UniqueConstraint(
            "workspace_id", "key", name=op.f("uq_handoff_question_workspace_id_key")
        ),
    )
    op.create_index(
        op.f("ix_handoff_question_account_id"), "handoff_question", ["account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_handoff_question_account_id"), table_name="handoff_question")
    op.drop_table("handoff_question")
    op.drop_table("crm_delivery")
    op.drop_table("crm_owner")
    op.drop_index("ix_account_workspace_crm_id", table_name="account")
    op.drop_index("uq_account_open_name", table_name="account")
    # plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): recreating `account` would cascade
    op.drop_column("handoff", "nudged_at")
    for name in ("missing", "declared_by", "crm_owner", "crm", "name_key"):
        op.drop_column("account", name)
