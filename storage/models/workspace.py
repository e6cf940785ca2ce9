"""The workspace and its people: the installed workspace, its roster and its categories."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime, WorkspaceRow, utcnow

REP_ROLES = ("hunter", "farmer", "hybrid")  # who answers the evening prompt
ROLES = (*REP_ROLES, "manager")


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


class Member(WorkspaceRow, Base):
    """A person on the roster: a rep (hunter/farmer/hybrid) or a manager."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

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
        return self.role in REP_ROLES


class Category(WorkspaceRow, Base):
    """A kind of work a rep logs hours against; each has a kind: hunting, farming, other."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(150))
    kind: Mapped[str] = mapped_column(String(10))  # hunting | farming | other
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    workspace: Mapped[Workspace] = relationship(back_populates="categories")
