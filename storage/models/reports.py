"""Reports: the weekly rollup of each workspace, claimed once per week."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, WorkspaceRow, utcnow


class Rollup(WorkspaceRow, Base):
    """The weekly rollup of one workspace for one week: claimed once per week."""

    __tablename__ = "rollup"
    __table_args__ = (UniqueConstraint("workspace_id", "week_start"),)

    week_start: Mapped[date] = mapped_column(Date)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="claimed")  # claimed | sent | failed
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(200))
