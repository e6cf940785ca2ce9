"""SQLAlchemy 2.0 typed models: the database is the product's memory and its schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING)


class Workspace(Base):
    """One Slack workspace (team) the app is installed in."""

    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    installed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # single-workspace mode: when the managers' first-start message was claimed (sent once)
    greeted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[Member]] = relationship(back_populates="workspace")
    categories: Mapped[list[Category]] = relationship(
        back_populates="workspace", order_by="Category.position"
    )


class Member(Base):
    """A person on the roster: a rep (hunter/farmer/hybrid) or a manager."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))  # hunter | farmer | hybrid | manager
    display_name: Mapped[str | None] = mapped_column(String(200))
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    tz_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    prompt_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM" override
    work_days: Mapped[str | None] = mapped_column(String(32))  # "mon,tue" override
    paused_until: Mapped[date | None] = mapped_column(Date)  # inclusive last paused day
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    inactive_reason: Mapped[str | None] = mapped_column(String(200))
    handoff_optin: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )
    last_assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the welcome DM: `first` or `again` while one is owed (set by /rolesplit add), claimed
    # before it is sent and cleared once it went out — one per addition, however often added
    welcome_due: Mapped[str | None] = mapped_column(String(8))
    welcome_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    welcomed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="members")

    @property
    def is_rep(self) -> bool:
        """Reps answer the evening prompt; managers do not."""
        return self.role in ("hunter", "farmer", "hybrid")


class AwayPeriod(Base):
    """Days a rep is away, inclusive: paused, marked away by a manager, or a Slack status.

    The history stays (a pause ended early is shortened, not deleted) so reports can tell away
    days from missed ones.
    """

    __tablename__ = "away_period"
    __table_args__ = (
        UniqueConstraint("member_id", "kind", "first_day"),
        Index("ix_away_period_last_day", "last_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # paused | away | status
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))
    set_by: Mapped[str | None] = mapped_column(String(32))  # who marked it (a manager, the rep)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Category(Base):
    """A kind of work a rep logs hours against; each has a kind: hunting, farming, other."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(150))
    kind: Mapped[str] = mapped_column(String(10))  # hunting | farming | other
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    workspace: Mapped[Workspace] = relationship(back_populates="categories")


class DayLog(Base):
    """One member's answer for one local date: logged hours or a day off."""

    __tablename__ = "day_log"
    __table_args__ = (UniqueConstraint("member_id", "work_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    work_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # logged | day_off
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))  # modal | text | same | day_off | import
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    entries: Mapped[list[TimeEntry]] = relationship(
        back_populates="day", cascade="all, delete-orphan", passive_deletes=True
    )


class TimeEntry(Base):
    """Hours one member spent on one category on one local date (exact decimals)."""

    __tablename__ = "time_entry"
    __table_args__ = (
        UniqueConstraint("member_id", "work_date", "category_id"),
        Index("ix_time_entry_date_member", "work_date", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("day_log.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    work_date: Mapped[date] = mapped_column(Date)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="RESTRICT"))
    hours: Mapped[Decimal] = mapped_column(HOURS)

    day: Mapped[DayLog] = relationship(back_populates="entries")
    category: Mapped[Category] = relationship()


class Prompt(Base):
    """The evening DM for one member and local date; the unique key makes it at-most-once."""

    __tablename__ = "prompt"
    __table_args__ = (
        UniqueConstraint("member_id", "local_date"),
        Index("ix_prompt_reminder_due", "reminder_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="claimed")
    # claimed | sent | failed | retry | skipped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    reminder_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))


class Account(Base):
    """A won account; `key` (CRM id or normalised name) makes one hand-off per account."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    crm_id: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[Decimal | None] = mapped_column(MONEY)
    won_at: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    sales_rep_id: Mapped[str | None] = mapped_column(String(32))
    account_manager_id: Mapped[str | None] = mapped_column(String(32))
    owner_id: Mapped[str | None] = mapped_column(String(32))
    transfer_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24))
    # needs_account_manager | open | transferred | closed
    source: Mapped[str] = mapped_column(String(16))  # command | modal | webhook
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    handoff: Mapped[Handoff | None] = relationship(back_populates="account", uselist=False)


class Handoff(Base):
    """The shared space of one account's hand-off: a channel or a thread."""

    __tablename__ = "handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), unique=True
    )
    mode: Mapped[str] = mapped_column(String(10))  # channel | thread
    channel_id: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    intro_ts: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # pending | setting_up | open | failed | closed
    setup_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    account: Mapped[Account] = relationship(back_populates="handoff")
    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="handoff", order_by="ChecklistItem.position", cascade="all, delete-orphan"
    )
    nudges: Mapped[list[Nudge]] = relationship(
        back_populates="handoff", order_by="Nudge.due_at", cascade="all, delete-orphan"
    )


class ChecklistItem(Base):
    """One step of a hand-off checklist; who ticked it and when."""

    __tablename__ = "checklist_item"
    __table_args__ = (UniqueConstraint("handoff_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoff.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    done_by: Mapped[str | None] = mapped_column(String(32))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    handoff: Mapped[Handoff] = relationship(back_populates="items")


class Nudge(Base):
    """A scheduled hand-off message; claimed once, sent once."""

    __tablename__ = "nudge"
    __table_args__ = (
        UniqueConstraint("handoff_id", "kind"),
        Index("ix_nudge_due_unclaimed", "due_at", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoff.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(
        String(24)
    )  # day1 | day7 | day30 | day90 | transfer | checkin1…
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))

    handoff: Mapped[Handoff] = relationship(back_populates="nudges")


class Rollup(Base):
    """The weekly rollup of one workspace for one week: claimed once per week."""

    __tablename__ = "rollup"
    __table_args__ = (UniqueConstraint("workspace_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="claimed")  # claimed | sent | failed
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(200))


class Study(Base):
    """A time study with a start and an end; one open study per workspace."""

    __tablename__ = "study"
    __table_args__ = (
        Index(
            "uq_study_one_open",
            "workspace_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    started_by: Mapped[str] = mapped_column(String(32))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # last day of the study, inclusive
    weeks: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | ended | stopped
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StudyMessage(Base):
    """A study DM to one member (intro, fit survey, its one reminder): sent at most once."""

    __tablename__ = "study_message"
    __table_args__ = (UniqueConstraint("study_id", "member_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # intro | fit | fit_reminder
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))


class FitAnswer(Base):
    """A rep's stated preference: 1 = hunting new business … 5 = nurturing accounts."""

    __tablename__ = "fit_answer"
    __table_args__ = (UniqueConstraint("study_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProcessedRequest(Base):
    """Idempotency keys of Slack deliveries and clicks already handled (pruned after a day)."""

    __tablename__ = "processed_request"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class SendPace(Base):
    """A shared pace for one Web API method in one workspace: the next free sending slot.

    Every process that fans out messages reserves its slots here, so N processes together keep
    to one workspace-wide rate (microseconds since the epoch, wall clock).
    """

    __tablename__ = "send_pace"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)  # "chat.postMessage:T…"
    next_at_us: Mapped[int] = mapped_column(BigInteger, default=0)
