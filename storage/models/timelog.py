"""The evening log: each member's answered days, their hours per category, the prompts, and
their days away."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import HOURS, Base, MemberRow, UTCDateTime, utcnow
from storage.models.workspace import Category

ANSWERED = ("logged", "day_off")  # the statuses of an answered day (hours, or a day off)


class DayLog(MemberRow, Base):
    """One member's answer for one local date: logged hours or a day off."""

    __tablename__ = "day_log"
    __table_args__ = (UniqueConstraint("member_id", "work_date"),)

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


class Prompt(MemberRow, Base):
    """The evening DM for one member and local date; the unique key makes it at-most-once."""

    __tablename__ = "prompt"
    __table_args__ = (
        UniqueConstraint("member_id", "local_date"),
        Index("ix_prompt_reminder_due", "reminder_due_at"),
    )

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


class AwayPeriod(MemberRow, Base):
    """Days a rep is away, inclusive: paused, marked away by a manager, or a Slack status.

    The history stays (a pause ended early is shortened, not deleted) so reports can tell away
    days from missed ones.
    """

    __tablename__ = "away_period"
    __table_args__ = (
        UniqueConstraint("member_id", "kind", "first_day"),
        Index("ix_away_period_last_day", "last_day"),
    )

    kind: Mapped[str] = mapped_column(String(10))  # paused | away | status
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))
    set_by: Mapped[str | None] = mapped_column(String(32))  # who marked it (a manager, the rep)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
