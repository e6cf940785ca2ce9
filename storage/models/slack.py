"""What the Slack plumbing keeps: request keys already handled and the shared sending pace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, utcnow


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
