"""What the migrations build tables with: an integer id, foreign keys and unique keys named
by the metadata's naming convention, written once.

Migrations are applied history: what these helpers emit is what existing databases were built
with, so they never change meaning; a new need gets a new helper.
`tests/storage/test_schema_history.py` holds every revision's schema and fails on any drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

CASCADE = "CASCADE"


def table(
    name: str,
    *columns: sa.Column[Any],
    parents: Sequence[tuple[str, str] | tuple[str, str, str]] = (),
    unique: Sequence[Sequence[str]] = (),
) -> None:
    """`op.create_table` with an integer `id` first and its primary key.

    `parents` are (column, parent table[, on delete]) pairs, each referencing the parent's id
    (on delete CASCADE unless given); `unique` lists the unique keys' columns.
    """
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        *columns,
        *(_reference(name, *parent) for parent in parents),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        *(sa.UniqueConstraint(*key, name=op.f(f"uq_{name}_{'_'.join(key)}")) for key in unique),
    )


def _reference(name: str, column: str, parent: str, ondelete: str = CASCADE) -> sa.Constraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{parent}.id"], name=op.f(f"fk_{name}_{column}_{parent}"), ondelete=ondelete
    )


def when(name: str, *, null: bool = False) -> sa.Column[Any]:
    """A timezone-aware timestamp column."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=null)


def varchar(name: str, length: int, *, null: bool = False) -> sa.Column[Any]:
    """A VARCHAR(length) column."""
    return sa.Column(name, sa.String(length=length), nullable=null)


def number(name: str, *, null: bool = False) -> sa.Column[Any]:
    """An integer column."""
    return sa.Column(name, sa.Integer(), nullable=null)


def day(name: str, *, null: bool = False) -> sa.Column[Any]:
    """A date column."""
    return sa.Column(name, sa.Date(), nullable=null)


def flag(name: str, default: bool) -> sa.Column[Any]:
    """A not-null boolean with a server default."""
    value = "(true)" if default else "(false)"
    return sa.Column(name, sa.Boolean(), server_default=sa.text(value), nullable=False)


def drop(*tables: str) -> None:
    """Drop the tables in the order given (children before parents)."""
    for name in tables:
        op.drop_table(name)
