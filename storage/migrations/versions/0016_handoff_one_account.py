"""hand-offs: one account across triggers, CRM owners and deliveries, questions, nudge pacing

- account: name_key (unique among hand-offs not closed), crm, crm_owner, declared_by, missing
- handoff: nudged_at (one nudge per hand-off per scheduler pass)
- crm_owner: the owner map; crm_delivery: CRM delivery keys already handled
- handoff_question: DMs asking for an account manager (daily) or a CRM owner (once)
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

from storage.migrations.ddl import day, drop, number, table, varchar, when

revision = "0016_handoff"
down_revision = "0003"

# a frozen copy of bot.handoff.rules.normalise_name as of this revision (migrations must not
# change meaning when the code moves on)
_SUFFIXES = {
    "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company",
    "gmbh", "plc", "sa", "ag", "bv", "pty", "srl", "sarl",
}  # fmt: skip


# the columns this revision adds to `account`, in order
ACCOUNT_COLUMNS = (
    ("name_key", 200), ("crm", 16), ("crm_owner", 300), ("declared_by", 32), ("missing", 200),
)  # fmt: skip


def _normalise(name: str) -> str:
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", name).casefold())
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(words)[:190]


def upgrade() -> None:
    for name, length in ACCOUNT_COLUMNS:
        op.add_column("account", varchar(name, length, null=True))
    op.add_column("handoff", when("nudged_at", null=True))
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
    table(
        "crm_owner",
        number("workspace_id"),
        varchar("crm", 16),
        varchar("owner_key", 300),
        varchar("slack_user", 32),
        varchar("mapped_by", 32, null=True),
        when("created_at"),
        parents=[("workspace_id", "workspace")],
        unique=[("workspace_id", "crm", "owner_key")],
    )
    table(
        "crm_delivery",
        number("workspace_id"),
        varchar("crm", 16),
        varchar("delivery_key", 200),
        number("account_id", null=True),
        varchar("status", 24),
        when("received_at"),
        parents=[("account_id", "account", "SET NULL"), ("workspace_id", "workspace")],
        unique=[("workspace_id", "crm", "delivery_key")],
    )
    table(
        "handoff_question",
        number("workspace_id"),
        varchar("key", 200),
        varchar("kind", 16),
        number("account_id", null=True),
        varchar("subject", 300, null=True),
        day("asked_on"),
        when("claimed_at"),
        sa.Column("messages", sa.JSON(), nullable=False),
        when("answered_at", null=True),
        parents=[("account_id", "account"), ("workspace_id", "workspace")],
        unique=[("workspace_id", "key")],
    )
    op.create_index(
        op.f("ix_handoff_question_account_id"), "handoff_question", ["account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_handoff_question_account_id"), table_name="handoff_question")
    drop("handoff_question", "crm_delivery", "crm_owner")
    op.drop_index("ix_account_workspace_crm_id", table_name="account")
    op.drop_index("uq_account_open_name", table_name="account")
    # plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): recreating `account` would cascade
    op.drop_column("handoff", "nudged_at")
    for name, _ in reversed(ACCOUNT_COLUMNS):
        op.drop_column("account", name)
