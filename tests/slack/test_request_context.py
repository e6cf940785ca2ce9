"""Each request is resolved once: the request context's one read, and /rolesplit report in one
read transaction without writes (it was three, one of them a write only to learn "today")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, event

from bot.services import Services
from bot.slack.context import Request
from tests.support.app import Running
from tests.support.constants import TEAM_ID
from tests.support.daylog import add_reps, write_days

MON = date(2026, 11, 16)  # last week, seen from Tue 2026-11-24
EARLY = datetime(2026, 11, 1, tzinfo=UTC)
WRITES = ("insert", "update", "delete")


@dataclass
class Transactions:
    """Transactions begun and write statements run on the app's engines."""

    begun: int = 0
    writes: list[str] = field(default_factory=list)


def _engines(services: Services) -> list[Engine]:
    read = services.Read.kw["bind"] if services.Read is not None else None
    return [services.engine] + ([read] if read is not None else [])


@contextmanager
def counting(services: Services) -> Iterator[Transactions]:
    """Count what the app does on its database meanwhile."""
    seen = Transactions()

    def on_begin(_conn: Any) -> None:
        seen.begun += 1

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().lower().startswith(WRITES):
            seen.writes.append(statement.split("\n")[0])

    engines = _engines(services)
    for engine in engines:
        event.listen(engine, "begin", on_begin)
        event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "begin", on_begin)
            event.remove(engine, "before_cursor_execute", on_execute)


def test_a_report_is_one_read_transaction_with_no_write(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"), created_at=EARLY)
    days = [MON + timedelta(days=i) for i in range(5)]
    write_days(running, TEAM_ID, "U1", days, prospecting="6", account_service="2")
    with counting(running.services) as seen:
        ack = running.slack.command("report last-week", user_id="UBOSS").json()
        assert "Working on the report" in ack["text"]
        (answer,) = running.fake.wait_for_response(1)
    assert "*Team:* 40 h" in answer["text"] + str(answer.get("blocks"))
    assert seen.writes == []
    assert seen.begun == 1


def test_a_command_that_needs_nobody_reads_nothing(running: Running) -> None:
    with counting(running.services) as seen:
        answer = running.slack.command("help", user_id="U1").json()
    assert "what you can do" in answer["text"]
    assert seen.begun == 0


def test_the_context_is_resolved_once_in_one_read(running: Running) -> None:
    add_reps(running, ("U1", "Europe/London"), created_at=EARLY)
    req = Request(running.services, TEAM_ID, "U1")
    with counting(running.services) as seen:
        assert req.member is not None and req.member.user_id == "U1"
        assert req.workspace is not None and req.workspace.team_id == TEAM_ID
        assert req.settings.timezone == "UTC" and req.today == date(2026, 11, 24)
        assert req.member_today == date(2026, 11, 24)
        assert req.resolve() is req.resolve()
    assert (seen.begun, seen.writes) == (1, [])


def test_an_unknown_workspace_is_not_created_by_reading_it(running: Running) -> None:
    req = Request(running.services, "TNEW", "U9")
    with counting(running.services) as seen:
        assert req.workspace is None and req.member is None
        assert req.settings.work_days == (0, 1, 2, 3, 4)
    assert (seen.begun, seen.writes) == (1, [])
    with counting(running.services) as seen:
        ws_id = req.workspace_id()  # an effect needs the row: created once, with its categories
        assert req.workspace_id() == ws_id
    assert seen.begun == 1 and any("workspace" in w for w in seen.writes)
