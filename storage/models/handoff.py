"""The hand-off: won accounts, their hand-off space, checklist items and nudges."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import MONEY, Base, UTCDateTime, WorkspaceRow, utcnow


class Account(WorkspaceRow, Base):
    """A won account: one hand-off per account.

    `key` is unique for ever: `crm:<id>` (or `crm:<crm>:<deal>`) when a CRM names the deal,
    else a surrogate. `name_key`, the normalised name, is unique among the hand-offs that are
    not closed, so a CRM win and a win typed in Slack for the same account meet.
    """

    __tablename__ = "account"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index(
            "uq_account_open_name",
            "workspace_id",
            "name_key",
            unique=True,
            sqlite_where=text("status <> 'closed'"),
            postgresql_where=text("status <> 'closed'"),
        ),
        Index("ix_account_workspace_crm_id", "workspace_id", "crm_id"),
    )

    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str | None] = mapped_column(String(200))  # None: the name is not known yet
    crm: Mapped[str | None] = mapped_column(String(16))  # hubspot | pipedrive | salesforce
    crm_id: Mapped[str | None] = mapped_column(String(200))
    crm_owner: Mapped[str | None] = mapped_column(String(300))  # "id:…" / "email:…" unmapped
    declared_by: Mapped[str | None] = mapped_column(String(32))  # Slack user, None for webhooks
    missing: Mapped[str | None] = mapped_column(String(200))  # what an incomplete win lacks
    value: Mapped[Decimal | None] = mapped_column(MONEY)
    won_at: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    sales_rep_id: Mapped[str | None] = mapped_column(String(32))
    account_manager_id: Mapped[str | None] = mapped_column(String(32))
    owner_id: Mapped[str | None] = mapped_column(String(32))
    transfer_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24))
    # incomplete | needs_sales_rep | needs_account_manager | open | transferred | closed
    source: Mapped[str] = mapped_column(String(16))  # command | modal | webhook | <crm>
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
    # the last nudge's claim: a hand-off gets at most one nudge per scheduler pass
    nudged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
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


class CrmOwner(WorkspaceRow, Base):
    """The owner map: a CRM's owner (by id or e-mail) is this Slack user."""

    __tablename__ = "crm_owner"
    __table_args__ = (UniqueConstraint("workspace_id", "crm", "owner_key"),)

    crm: Mapped[str] = mapped_column(String(16))
    owner_key: Mapped[str] = mapped_column(String(300))  # "id:12345" or "email:dana@acme.com"
    slack_user: Mapped[str] = mapped_column(String(32))
    mapped_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CrmDelivery(WorkspaceRow, Base):
    """A CRM delivery already handled (its own delivery key): a repeat changes nothing."""

    __tablename__ = "crm_delivery"
    __table_args__ = (UniqueConstraint("workspace_id", "crm", "delivery_key"),)

    crm: Mapped[str] = mapped_column(String(16))
    delivery_key: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(24))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HandoffQuestion(WorkspaceRow, Base):
    """A question put to people by DM (pick an account manager, who is this CRM owner).

    `key` is the claim: `am:<account>:<local date>` asks once per day, `owner:<crm>:<owner>`
    once for ever. `messages` holds each DM (user, channel, ts) so an answer replaces them all.
    """

    __tablename__ = "handoff_question"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # account_manager | owner | rep | incomplete
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str | None] = mapped_column(String(300))  # the CRM owner asked about
    asked_on: Mapped[date] = mapped_column(Date)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    messages: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
