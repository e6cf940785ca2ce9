"""The declarative base, its naming convention, the column types every model uses, and the
first columns of the tables whose rows belong to a workspace or to a member."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, MetaData, Numeric, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC instants on every backend (SQLite drops tzinfo otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware UTC instant")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


HOURS = Numeric(5, 2, asdecimal=True)
MONEY = Numeric(14, 2, asdecimal=True)
# the first amount MONEY cannot hold: 10^(14 − 2), so at most 999,999,999,999.99
MONEY_LIMIT = Decimal(10) ** ((MONEY.precision or 14) - (MONEY.scale or 2))


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING)


class WorkspaceRow:
    """A row of one workspace: its `id`, then `workspace_id` (deleted with the workspace)."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), sort_order=-1
    )


class MemberRow:
    """A row of one member: its `id`, then `member_id` (deleted with the member)."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), sort_order=-1
    )
