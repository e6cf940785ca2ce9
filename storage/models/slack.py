"""What the Slack plumbing keeps: request keys already handled, the shared sending pace and the
outbox of what the app has decided to say."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, LargeBinary, String
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


class OutboxMessage(Base):
    """Something the app decided to say as part of an effect, stored in the effect's transaction.

    A row is `pending` (due at `next_at`; safe to send, nothing went out), `sending` (claimed
    and on the wire: it may have been sent), then `sent`, `failed` (Slack refused for good;
    `tell` names who was told) or `interrupted` (the sender vanished while it was on the wire:
    never resent, so never doubled).
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_at", "status", "next_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32), index=True)  # a user id posts into their DM
    method: Mapped[str] = mapped_column(String(32))  # chat.postMessage | chat.update | files.upload
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # the call's arguments (text, blocks, …)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # a file's bytes
    tell: Mapped[str | None] = mapped_column(String(32))  # who hears of a permanent refusal
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))
