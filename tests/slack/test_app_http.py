"""The real app over HTTP: health, signatures, help, roster and permissions."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from storage import repo
from storage.models import Member
from tests.support.app import Running
from tests.support.constants import TEAM_ID


def _members(run: Running) -> list[tuple[str, str, str]]:
    with run.session() as s:
        ws = repo.get_workspace(s, TEAM_ID)
        if ws is None:
            return []
        return [(m.user_id, m.role, m.tz) for m in repo.roster(s, ws.id)]


def _http_get(url: str) -> tuple[int, Any]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def test_healthz_answers_ok(running: Running) -> None:
    assert _http_get(running.url + "/healthz") == (200, {"status": "ok"})


def test_healthz_is_503_when_the_database_does_not_answer(running: Running) -> None:
    from bot.slack.server import AppServer, WsgiApp
    from storage.db import make_engine

    broken = running.services.__class__(
        settings=running.services.settings,
        engine=make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", pool_pre_ping=False),
        Session=running.services.Session,
    )
    server = AppServer(WsgiApp(running.app, broken), host="127.0.0.1", port=0).start()
    try:
        status, body = _http_get(server.url + "/healthz")
    finally:
        server.shutdown(timeout=5)
    assert status == 503 and body["status"] != "ok"


def test_unsigned_stale_and_wrong_signatures_get_401_and_change_nothing(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    running.fake.add_user("U1", tz="Europe/London")
    text = "add <@U1> as hunter"
    for variant in ("unsigned", "stale", "wrong"):
        resp = running.slack.command(text, user_id="UBOSS", **{variant: True})
        assert resp.status == 401, variant
    assert _members(running) == []
    assert [c.method for c in running.fake.calls()] == ["auth.test"]  # at start-up only


def test_help_and_unknown_subcommands_answer_with_usage(running: Running) -> None:
    for text in ("help", "", "fly me to the moon"):
        resp = running.slack.command(text, user_id="U1")
        assert resp.status == 200
        answer = resp.json()
        assert answer["response_type"] == "ephemeral"
        assert "/rolesplit add" in answer["text"] and "/rolesplit help" in answer["text"]
    assert "I don't know `fly`" in running.slack.command("fly", user_id="U1").json()["text"]


def test_manager_adds_members_and_roster_shows_their_zones(running: Running) -> None:
    fake = running.fake
    fake.add_user("UBOSS", is_admin=True, tz="America/New_York")
    fake.add_user("UDANA", name="dana", tz="Asia/Kolkata")
    fake.add_user("USAM", name="sam", tz="Pacific/Auckland")
    resp = running.slack.command("add <@UDANA|dana> <@USAM> as Hunter", user_id="UBOSS")
    assert resp.status == 200
    reply = fake.wait_for_response(1)[-1]
    assert "Added <@UDANA> and <@USAM> as *hunter*" in json.dumps(reply)
    assert sorted(_members(running)) == [
        ("UDANA", "hunter", "Asia/Kolkata"),
        ("USAM", "hunter", "Pacific/Auckland"),
    ]
    roster = running.slack.command("roster", user_id="UBOSS").json()["text"]
    assert "<@UDANA> — Asia/Kolkata · prompt 17:30" in roster
    assert "<@USAM> — Pacific/Auckland · prompt 17:30" in roster
    assert "Hunters (new business)* (2)" in roster
    assert fake.contract_violations == []


def test_bad_role_or_no_mention_answers_with_usage_and_changes_nothing(running: Running) -> None:
    running.fake.add_user("UBOSS", is_owner=True)
    for text, needle in (
        ("add <@U1> as boss", "`boss` is not a role"),
        ("add as hunter", "Mention at least one person"),
        ("add <@U1>", "Say which role"),
    ):
        answer = running.slack.command(text, user_id="UBOSS").json()["text"]
        assert needle in answer and "Usage: `/rolesplit add" in answer
    assert _members(running) == []


def test_non_manager_is_refused_and_nothing_changes(running: Running) -> None:
    running.fake.add_user("UREP", tz="Europe/London")
    running.fake.add_user("U2")
    answer = running.slack.command("add <@U2> as manager", user_id="UREP").json()
    assert "for managers" in answer["text"]
    assert _members(running) == []
    assert [c.method for c in running.fake.calls()] == ["auth.test", "users.info"]


def test_roster_manager_and_environment_manager_have_rights(running: Running) -> None:
    fake = running.fake
    fake.add_user("UBOSS", is_admin=True)
    fake.add_user("UMGR")
    fake.add_user("UREP")
    running.slack.command("add <@UMGR> as manager", user_id="UBOSS")
    fake.wait_for_response(1)
    running.slack.command("add <@UREP> as farmer", user_id="UMGR")
    fake.wait_for_response(2)
    assert ("UREP", "farmer", "America/New_York") in _members(running)


def test_remove_keeps_history_and_reports_unknown_people(running: Running) -> None:
    fake = running.fake
    fake.add_user("UBOSS", is_admin=True)
    fake.add_user("U1")
    running.slack.command("add <@U1> as hybrid", user_id="UBOSS")
    fake.wait_for_response(1)
    answer = running.slack.command("remove <@U1> <@U9>", user_id="UBOSS").json()["text"]
    assert "Removed <@U1>" in answer and "<@U9> was not on the roster" in answer
    assert _members(running) == []
    with running.session() as s:
        assert s.scalar(select(func.count()).select_from(Member)) == 1


def test_deleted_and_bot_users_are_not_added(running: Running) -> None:
    fake = running.fake
    fake.add_user("UBOSS", is_admin=True)
    fake.add_user("UGONE", deleted=True)
    fake.add_user("UBOT2", is_bot=True)
    running.slack.command("add <@UGONE> <@UBOT2> <@UNOPE> as hunter", user_id="UBOSS")
    reply = json.dumps(fake.wait_for_response(1)[-1])
    assert "<@UGONE> is not an active member" in reply
    assert "<@UBOT2> is a bot" in reply
    assert "<@UNOPE> is not an active member" in reply
    assert _members(running) == []


def test_user_change_event_moves_a_members_zone(running: Running) -> None:
    fake = running.fake
    fake.add_user("UBOSS", is_admin=True)
    fake.add_user("U1", tz="Europe/London")
    running.slack.command("add <@U1> as hunter", user_id="UBOSS")
    fake.wait_for_response(1)
    resp = running.slack.event(
        {"type": "user_change", "user": {"id": "U1", "team_id": TEAM_ID, "tz": "America/Chicago"}}
    )
    assert resp.status == 200
    import time

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _members(running)[0][2] != "America/Chicago":
        time.sleep(0.05)
    assert _members(running) == [("U1", "hunter", "America/Chicago")]
