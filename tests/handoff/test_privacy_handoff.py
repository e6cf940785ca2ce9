"""Forgetting a person also forgets them in the owner map, as declarer, and in questions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.workspace.privacy import forget, person_data
from storage import crm_repo as cr
from storage import questions_repo as qr
from storage import repo
from storage.models import Account, HandoffQuestion

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_forget_reaches_the_handoff_tables(session: Session) -> None:
    ws = repo.ensure_workspace(session, "T0001")
    session.add(
        Account(
            workspace_id=ws.id,
            key="win:1",
            name="Acme",
            name_key="acme",
            won_at=date(2026, 11, 24),
            transfer_on=date(2027, 5, 25),
            status="open",
            source="command",
            declared_by="UDANA",
            created_at=NOW,
        )
    )
    cr.map_owner(session, ws.id, "hubspot", "id:1", "UDANA", "UMGR", NOW)
    cr.map_owner(session, ws.id, "hubspot", "id:2", "USAM", "UMGR", NOW)
    qid = qr.claim_question(
        session, ws.id, "am:1:2026-11-24", "account_manager", NOW.date(), NOW, account_id=None
    )
    assert qid is not None
    qr.add_messages(
        session,
        qid,
        [
            {"user": "UDANA", "channel": "DUDANA", "ts": "1"},
            {"user": "UMGR", "channel": "D2", "ts": "2"},
        ],
    )
    session.flush()
    data = person_data(session, ws.id, "UDANA")
    assert [a["name"] for a in data["accounts"]] == ["Acme"]
    assert [o["owner_key"] for o in data["crm_owner_map"]] == ["id:1"]
    forget(session, ws.id, "UDANA")
    session.flush()
    assert session.scalars(select(Account.declared_by)).one() is None
    assert {o.owner_key for o in cr.owner_map(session, ws.id)} == {"id:2"}
    assert [m["user"] for m in session.scalars(select(HandoffQuestion)).one().messages] == ["UMGR"]
