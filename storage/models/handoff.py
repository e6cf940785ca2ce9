"""The hand-off: won accounts, their hand-off space, checklist items and nudges."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import MONEY, Base, UTCDateTime, utcnow


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
