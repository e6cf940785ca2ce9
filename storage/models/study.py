"""The time study: studies, the DMs each member was sent, and the fit answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, WorkspaceRow, utcnow


class Study(WorkspaceRow, Base):
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
