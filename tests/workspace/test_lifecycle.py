"""Uninstall stops every scheduled effect at once; the data stays; reinstall resumes."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import text

from bot import jobs
from bot.workspace.lifecycle import set_installed
from storage import repo
from tests.support.app import Running, oauth_install
from tests.support.constants import TEAM_B, TEAM_ID
from tests.support.daylog import add_reps


def test_uninstall_stops_prompts_rollups_and_nudges_and_reinstall_resumes(running: Running) -> None:
    running.services.settings.rollup_channel = "C0ROLL"
    add_reps(running, ("U1", "UTC"))
    add_reps(running, ("UBOSS", "UTC"), role="manager")
    running.fake.add_user("USAM")
    running.slack.command("won Acme am:<@U1> rep:<@USAM>", user_id="UBOSS")
    running.fake.wait_for("chat.postMessage", predicate=lambda c: "Hand-off" in c.text)
    running.fake.wait_for_response(1)  # the command has finished its work
    assert running.slack.app_uninstalled().status == 200
    import time

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with running.session() as s:
            if not repo.get_workspace(s, TEAM_ID).installed:  # type: ignore[union-attr]
                break
        time.sleep(0.05)
    running.fake.reset()
    done = jobs.tick(running.services, datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    assert set(done.values()) == {0}  # every job, whatever features exist, did nothing
    assert running.fake.calls() == []
    with running.session() as s:
        assert repo.get_member(s, repo.get_workspace(s, TEAM_ID).id, "U1")  # type: ignore[union-attr]
    set_installed(running.services, TEAM_ID, True)
    done = jobs.tick(running.services, datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    assert done["prompts"] == 1 and done["nudges"] == 1 and done["rollups"] == 1


def test_revoking_the_bot_token_uninstalls(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.slack.tokens_revoked()
    import time

    deadline = time.monotonic() + 5
    installed = True
    while installed and time.monotonic() < deadline:
        with running.session() as s:
            installed = repo.get_workspace(s, TEAM_ID).installed  # type: ignore[union-attr]
        time.sleep(0.05)
    assert not installed


# ---------------------------------------------------------------- OAuth mode

TEAM_A = TEAM_ID
MON_EVENING = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)  # prompts, last week's rollup, day-1 nudge


def _rep(run: Running, team_id: str, user_id: str, role: str = "hybrid") -> None:
    run.fake.add_user(user_id, tz="UTC", team_id=team_id)
    with run.session() as s:
        ws = repo.ensure_workspace(s, team_id)
        repo.upsert_member(s, ws.id, user_id, role, tz="UTC", now=run.clock())


def _stored_teams(run: Running) -> dict[str, set[str]]:
    with run.services.engine.connect() as conn:
        return {
            table: {r[0] for r in conn.execute(text(f"SELECT team_id FROM {table}"))}
            for table in ("slack_bots", "slack_installations")
        }


def _installed(run: Running, team_id: str) -> bool:
    with run.session() as s:
        return bool(repo.get_workspace(s, team_id).installed)  # type: ignore[union-attr]


def _wait_installed(run: Running, team_id: str, value: bool) -> None:
    deadline = time.monotonic() + 5
    while _installed(run, team_id) != value and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _installed(run, team_id) == value


def _wait_stored(run: Running, bots: set[str]) -> dict[str, set[str]]:
    """The stored installations once the bots are `bots` (the listener deletes after the ack)."""
    deadline = time.monotonic() + 5
    while _stored_teams(run)["slack_bots"] != bots and time.monotonic() < deadline:
        time.sleep(0.02)
    return _stored_teams(run)


def _core(done: dict[str, int]) -> dict[str, int]:
    return {k: done[k] for k in ("prompts", "reminders", "rollups", "nudges")}


def _tokens(run: Running, team_id: str) -> set[str]:
    return {t for t, team in run.fake.tokens.items() if team == team_id}


def test_oauth_uninstall_deletes_the_installation_and_stops_only_that_workspace(
    two_workspaces: Running,
) -> None:
    run = two_workspaces
    run.services.settings.rollup_channel = "C0ROLL"
    for team, rep, farmer in ((TEAM_A, "UA1", "UAF"), (TEAM_B, "UB1", "UBF")):
        _rep(run, team, rep)
        _rep(run, team, farmer, role="farmer")
    run.slack.command("won Northwind am:<@UAF> rep:<@UA1>", user_id="UAMGR", team_id=TEAM_A)
    run.slack.command("won Globex am:<@UBF> rep:<@UB1>", user_id="UBMGR", team_id=TEAM_B)
    run.fake.wait_for("chat.postMessage", 2, predicate=lambda c: "Hand-off" in c.text)
    run.fake.wait_for_response(2)
    a_tokens = _tokens(run, TEAM_A)

    assert run.slack.app_uninstalled(team_id=TEAM_A).status == 200
    _wait_installed(run, TEAM_A, False)
    assert _wait_stored(run, {TEAM_B}) == {
        "slack_bots": {TEAM_B},
        "slack_installations": {TEAM_B},
    }
    run.fake.reset()
    done = jobs.tick(run.services, MON_EVENING)
    # Beta goes on (its prompts, rollup and nudge); nothing at all for Acme
    assert _core(done) == {"prompts": 2, "reminders": 0, "rollups": 1, "nudges": 1}
    assert not [c for c in run.fake.calls() if c.token in a_tokens]
    assert {c.args["channel"] for c in run.fake.calls("chat.postMessage")} >= {"UB1", "UBF"}
    # Acme's data stays; its people are told to reinstall, and nothing changes
    with run.session() as s:
        ws = repo.get_workspace(s, TEAM_A)
        assert ws is not None and repo.get_member(s, ws.id, "UA1") is not None
    run.fake.reset()
    run.slack.command("remove <@UA1>", user_id="UAMGR", team_id=TEAM_A)
    (told,) = run.fake.wait_for_response(1)
    assert "reinstall" in told["text"].lower()
    with run.session() as s:
        ws = repo.get_workspace(s, TEAM_A)
        assert repo.get_member(s, ws.id, "UA1").active  # type: ignore[union-attr]

    # installing again resumes Acme, with the roles as they were
    run.fake.reset()
    assert oauth_install(run, TEAM_A, "Acme Staffing", "UA1", bot_token="xoxb-acme-2").status == 200
    assert _installed(run, TEAM_A)
    with run.session() as s:
        ws = repo.get_workspace(s, TEAM_A)
        roles = {m.user_id: m.role for m in repo.roster(s, ws.id)}  # type: ignore[union-attr]
    assert roles == {"UAMGR": "manager", "UA1": "hybrid", "UAF": "farmer"}
    (back,) = run.fake.calls("chat.postMessage")
    assert back.args["channel"] == "UA1" and "back" in back.text
    run.fake.reset()
    done = jobs.tick(run.services, MON_EVENING)
    assert _core(done) == {"prompts": 2, "reminders": 0, "rollups": 1, "nudges": 1}
    assert {c.token for c in run.fake.calls()} == {"xoxb-acme-2"}


def test_oauth_revoked_bot_token_stops_the_workspace_and_user_tokens_do_not(
    two_workspaces: Running,
) -> None:
    run = two_workspaces
    # a user's token revoked (we never hold one): the workspace goes on
    run.slack.event(
        {"type": "tokens_revoked", "tokens": {"oauth": ["UBMGR"], "bot": []}, "event_ts": "1.0"},
        team_id=TEAM_B,
    )
    assert run.slack.command("roster", user_id="UBMGR", team_id=TEAM_B).status == 200
    assert _installed(run, TEAM_B) and TEAM_B in _stored_teams(run)["slack_bots"]
    # the bot token revoked: the stored bot goes, and so does every scheduled effect
    run.slack.tokens_revoked(team_id=TEAM_B)
    _wait_installed(run, TEAM_B, False)
    assert _wait_stored(run, {TEAM_A})["slack_bots"] == {TEAM_A}
    _rep(run, TEAM_B, "UB1")
    run.fake.reset()
    done = jobs.tick(run.services, MON_EVENING)
    assert done["prompts"] == 0 and run.fake.calls("chat.postMessage") == []
    assert _installed(run, TEAM_A)
