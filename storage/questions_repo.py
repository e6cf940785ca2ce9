"""Questions put to people by DM about a hand-off, claimed once (session first, never commit)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import insert_ignore
from storage.models import HandoffQuestion


def claim_question(
    session: Session,
    workspace_id: int,
    key: str,
    kind: str,
    asked_on: date,
    now: datetime,
    *,
    account_id: int | None,
    subject: str | None = None,
) -> int | None:
    """Claim a question by its key (e.g. `am:7:2026-11-24`); its id, or None if already asked."""
    fresh = insert_ignore(
        session,
        HandoffQuestion,
        {
            "workspace_id": workspace_id,
            "key": key[:200],
            "kind": kind,
            "account_id": account_id,
            "subject": subject[:300] if subject else None,
            "asked_on": asked_on,
            "claimed_at": now,
            "messages": [],
        },
        ["workspace_id", "key"],
    )
    if not fresh:
        return None
    return session.scalar(
        select(HandoffQuestion.id).where(
            HandoffQuestion.workspace_id == workspace_id, HandoffQuestion.key == key[:200]
        )
    )


def add_messages(session: Session, question_id: int, messages: list[dict[str, str]]) -> None:
    """Remember the DMs that asked (user, channel, ts), so an answer can replace them."""
    question = session.get(HandoffQuestion, question_id, with_for_update=True)
    if question is not None:
        question.messages = [*(question.messages or []), *messages]


def open_questions(
    session: Session,
    workspace_id: int,
    kind: str,
    *,
    account_id: int | None = None,
    subject: str | None = None,
) -> list[HandoffQuestion]:
    """Unanswered questions of one kind about one account (or one CRM owner)."""
    stmt = select(HandoffQuestion).where(
        HandoffQuestion.workspace_id == workspace_id,
        HandoffQuestion.kind == kind,
        HandoffQuestion.answered_at.is_(None),
    )
    if account_id is not None:
        stmt = stmt.where(HandoffQuestion.account_id == account_id)
    if subject is not None:
        stmt = stmt.where(HandoffQuestion.subject == subject[:300])
    return list(session.scalars(stmt.order_by(HandoffQuestion.id)))


def asked_people(session: Session, workspace_id: int, kind: str, account_id: int) -> set[str]:
    """Everyone a question of this kind about this account went to."""
    rows = session.scalars(
        select(HandoffQuestion.messages).where(
            HandoffQuestion.workspace_id == workspace_id,
            HandoffQuestion.kind == kind,
            HandoffQuestion.account_id == account_id,
        )
    )
    return {m.get("user", "") for messages in rows for m in messages or []} - {""}


def asked_keys(session: Session, workspace_id: int, keys: list[str]) -> set[str]:
    """Which of these question keys were already claimed (a cheap read before a claim)."""
    if not keys:
        return set()
    return set(
        session.scalars(
            select(HandoffQuestion.key).where(
                HandoffQuestion.workspace_id == workspace_id, HandoffQuestion.key.in_(keys)
            )
        )
    )


def times_asked(session: Session, account_id: int, kind: str) -> tuple[int, date | None]:
    """How many days a question was asked about an account, and the first day."""
    days = sorted(
        session.scalars(
            select(HandoffQuestion.asked_on).where(
                HandoffQuestion.account_id == account_id, HandoffQuestion.kind == kind
            )
        )
    )
    return len(days), (days[0] if days else None)
