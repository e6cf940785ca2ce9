"""Core query/write functions for workspaces, members and categories (session first, no commit)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import DateTime, and_, bindparam, column, delete, select, table
from sqlalchemy.orm import Session

from storage.db import insert_ignore
from storage.models import ROLES, Category, Member, Workspace, utcnow

# (key, label, kind, aliases): SPEC.md's default categories, seeded into every new workspace;
# the aliases feed the plain-words parser. The list is data, kept beside this module.
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = tuple(
    (c["key"], c["label"], c["kind"], tuple(c["aliases"]))
    for c in json.loads(resources.files("storage").joinpath("default_categories.json").read_text())
)


# Hot statements are built once: building a select and its cache key costs more than the
# SQLite query itself. Bound values come in as parameters.
_WORKSPACE_BY_TEAM = select(Workspace).where(Workspace.team_id == bindparam("team_id"))
_MEMBER_BY_USER = select(Member).where(
    Member.workspace_id == bindparam("workspace_id"), Member.user_id == bindparam("user_id")
)
_ACTIVE_CATEGORY_LINES = (
    select(Category.id, Category.key, Category.label, Category.aliases)
    .where(Category.workspace_id == bindparam("workspace_id"), Category.active.is_(True))
    .order_by(Category.position, Category.id)
)


def get_workspace(session: Session, team_id: str) -> Workspace | None:
    """The workspace row for a Slack team id, if any."""
    return session.scalar(_WORKSPACE_BY_TEAM, {"team_id": team_id})


def ensure_workspace(session: Session, team_id: str, name: str | None = None) -> Workspace:
    """Get or create the workspace (race-safe) with SPEC's default categories seeded."""
    ws = get_workspace(session, team_id)
    if ws is not None:
        return ws
    insert_ignore(
        session,
        Workspace,
        {
            "team_id": team_id,
            "name": name,
            "settings": {},
            "installed": True,
            "created_at": utcnow(),
        },
        ["team_id"],
    )
    ws = get_workspace(session, team_id)
    assert ws is not None
    for pos, (key, label, kind, aliases) in enumerate(DEFAULT_CATEGORIES):
        insert_ignore(
            session,
            Category,
            {
                "workspace_id": ws.id,
                "key": key,
                "label": label,
                "kind": kind,
                "aliases": list(aliases),
                "active": True,
                "position": pos,
            },
            ["workspace_id", "key"],
        )
    session.expire(ws, ["categories"])
    return ws


def categories(session: Session, workspace_id: int, *, active_only: bool = True) -> list[Category]:
    """The workspace's categories in display order."""
    return _listed(session, Category, workspace_id, active_only, Category.position, Category.id)


_Listed = TypeVar("_Listed", Category, Member)


def _listed(
    session: Session, model: type[_Listed], workspace_id: int, active_only: bool, *order: Any
) -> list[_Listed]:
    """A workspace's rows of `model` (only the active ones if asked) in the given order."""
    stmt = select(model).where(model.workspace_id == workspace_id)
    if active_only:
        stmt = stmt.where(model.active.is_(True))
    return list(session.scalars(stmt.order_by(*order)))


class CategoryLine(NamedTuple):
    """A category as a plain row (what reading and validating a log needs)."""

    id: int
    key: str
    label: str
    aliases: list[str] | None


def category_lines(session: Session, workspace_id: int) -> list[CategoryLine]:
    """The workspace's active categories as `CategoryLine`s, in display order."""
    rows = session.execute(_ACTIVE_CATEGORY_LINES, {"workspace_id": workspace_id})
    return [CategoryLine(*row) for row in rows]


class WorkspaceLine(NamedTuple):
    """A workspace as a plain row (what resolving a request needs)."""

    id: int
    team_id: str
    name: str | None
    installed: bool
    settings: dict[str, Any] | None


_WORKSPACE_AND_MEMBER = (
    select(
        Workspace.id,
        Workspace.team_id,
        Workspace.name,
        Workspace.installed,
        Workspace.settings,
        Member,
    )
    .select_from(Workspace)
    .outerjoin(
        Member,
        and_(Member.workspace_id == Workspace.id, Member.user_id == bindparam("user_id")),
    )
    .where(Workspace.team_id == bindparam("team_id"))
)


def workspace_and_member(
    session: Session, team_id: str, user_id: str
) -> tuple[WorkspaceLine | None, Member | None]:
    """A workspace by Slack team id and one person's roster entry in it, in one statement."""
    row = session.execute(
        _WORKSPACE_AND_MEMBER, {"team_id": team_id, "user_id": user_id}
    ).one_or_none()
    if row is None:
        return None, None
    return WorkspaceLine(*row[:5]), row[5]


def get_member(session: Session, workspace_id: int, user_id: str) -> Member | None:
    """One roster entry by Slack user id."""
    return session.scalar(_MEMBER_BY_USER, {"workspace_id": workspace_id, "user_id": user_id})


def upsert_member(
    session: Session,
    workspace_id: int,
    user_id: str,
    role: str,
    *,
    tz: str | None = None,
    display_name: str | None = None,
    now: datetime | None = None,
) -> tuple[Member, bool]:
    """Add a member or change their role (reactivating them); True when newly added."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    inserted = insert_ignore(
        session,
        Member,
        {
            "workspace_id": workspace_id,
            "user_id": user_id,
            "role": role,
            "tz": tz or "UTC",
            "tz_checked_at": now if tz else None,
            "display_name": display_name,
            "active": True,
            "handoff_optin": False,
            "created_at": now or utcnow(),
        },
        ["workspace_id", "user_id"],
    )
    member = get_member(session, workspace_id, user_id)
    assert member is not None
    if not inserted:
        member.role = role
        member.active = True
        member.inactive_reason = None
        if tz:
            member.tz = tz
            member.tz_checked_at = now or utcnow()
        if display_name:
            member.display_name = display_name
    return member, inserted


def roster(session: Session, workspace_id: int, *, include_inactive: bool = False) -> list[Member]:
    """Members of a workspace ordered by role then user id."""
    return _listed(session, Member, workspace_id, not include_inactive, Member.role, Member.user_id)


class RosterLine(NamedTuple):
    """What the roster listing shows of a member (plain columns: no ORM objects to build)."""

    user_id: str
    role: str
    tz: str
    prompt_time: str | None
    work_days: str | None
    paused_until: date | None


def roster_lines(session: Session, workspace_id: int) -> list[RosterLine]:
    """Active members as `RosterLine`s, ordered like `roster` (role, then user id)."""
    rows = session.execute(
        select(
            Member.user_id,
            Member.role,
            Member.tz,
            Member.prompt_time,
            Member.work_days,
            Member.paused_until,
        )
        .where(Member.workspace_id == workspace_id, Member.active.is_(True))
        .order_by(Member.role, Member.user_id)
    )
    return [RosterLine(*row) for row in rows]


def members_by_user_ids(
    session: Session, workspace_id: int, user_ids: Iterable[str]
) -> dict[str, Member]:
    """Members keyed by Slack user id, for the ids that are on the roster."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows: Sequence[Member] = session.scalars(
        select(Member).where(Member.workspace_id == workspace_id, Member.user_id.in_(ids))
    ).all()
    return {m.user_id: m for m in rows}


def deactivate_member(session: Session, member: Member, reason: str) -> None:
    """Take a member off the roster (prompts stop); their history stays."""
    member.active = False
    member.inactive_reason = reason[:200]


def claim_key(session: Session, key: str, now: datetime | None = None) -> bool:
    """Record an idempotency key in the caller's transaction; False if it was already there."""
    from storage.models import ProcessedRequest

    return insert_ignore(
        session, ProcessedRequest, {"key": key[:200], "created_at": now or utcnow()}, ["key"]
    )


PRUNE_BATCH = 5000
# slack_sdk's OAuth state store (migration 0003): one row per install attempt, deleted when used
_OAUTH_STATES = table("slack_oauth_states", column("id"), column("expire_at", DateTime()))


def prune_processed_requests(session: Session, before: datetime) -> int:
    """Delete idempotency keys recorded before `before` (a batch at a time); how many went."""
    from storage.models import ProcessedRequest

    old = (
        select(ProcessedRequest.key)
        .where(ProcessedRequest.created_at < before)
        .limit(PRUNE_BATCH)
        .scalar_subquery()
    )
    result = session.execute(delete(ProcessedRequest).where(ProcessedRequest.key.in_(old)))
    return int(getattr(result, "rowcount", 0) or 0)


def prune_oauth_states(session: Session, now: datetime) -> int:
    """Delete OAuth states that expired unused (install pages opened and left); how many."""
    cutoff = now.astimezone(UTC).replace(tzinfo=None)  # the store keeps naive UTC
    old = (
        select(_OAUTH_STATES.c.id)
        .where(_OAUTH_STATES.c.expire_at < cutoff)
        .limit(PRUNE_BATCH)
        .scalar_subquery()
    )
    result = session.execute(delete(_OAUTH_STATES).where(_OAUTH_STATES.c.id.in_(old)))
    return int(getattr(result, "rowcount", 0) or 0)
