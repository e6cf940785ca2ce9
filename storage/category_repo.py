"""A workspace's categories, edited one at a time (session first, never commit).

Nothing is deleted: a retired category keeps its hours in every report and can come back.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Category


def _get(session: Session, workspace_id: int, key: str) -> Category | None:
    return session.scalar(
        select(Category).where(Category.workspace_id == workspace_id, Category.key == key)
    )


def all_categories(session: Session, workspace_id: int) -> list[Category]:
    """Active ones in display order, then the retired ones."""
    return list(
        session.scalars(
            select(Category)
            .where(Category.workspace_id == workspace_id)
            .order_by(Category.active.desc(), Category.position, Category.id)
        )
    )


def _next_position(session: Session, workspace_id: int) -> int:
    top = session.scalar(
        select(func.max(Category.position)).where(
            Category.workspace_id == workspace_id, Category.active.is_(True)
        )
    )
    return int(top if top is not None else -1) + 1


def add(
    session: Session, workspace_id: int, key: str, label: str, kind: str, aliases: Sequence[str]
) -> Category:
    """A new active category at the end of the list."""
    cat = Category(
        workspace_id=workspace_id,
        key=key,
        label=label,
        kind=kind,
        aliases=list(aliases),
        active=True,
        position=_next_position(session, workspace_id),
    )
    session.add(cat)
    session.flush()
    return cat


def update(
    session: Session, workspace_id: int, key: str, label: str, kind: str, aliases: Sequence[str]
) -> Category | None:
    """Rename, re-kind or re-alias one category (its hours keep their category)."""
    cat = _get(session, workspace_id, key)
    if cat is not None:
        cat.label, cat.kind, cat.aliases = label, kind, list(aliases)
        session.flush()
    return cat


def set_active(session: Session, workspace_id: int, key: str, active: bool) -> Category | None:
    """Retire a category, or bring it back at the end of the list."""
    cat = _get(session, workspace_id, key)
    if cat is not None and cat.active != active:
        if active:
            cat.position = _next_position(session, workspace_id)
        cat.active = active
        session.flush()
    return cat


def reorder(session: Session, workspace_id: int, keys: Sequence[str]) -> None:
    """Active categories in this order (positions 0, 1, 2 …)."""
    by_key = {c.key: c for c in all_categories(session, workspace_id) if c.active}
    for position, key in enumerate(k for k in keys if k in by_key):
        by_key[key].position = position
    session.flush()
