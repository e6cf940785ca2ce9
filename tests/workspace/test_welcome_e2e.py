"""First contact end to end: one welcome per rep a manager adds (welcome back after a removal),
before the first evening; and the managers' first-start message, once."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select

from bot import jobs
from bot.services import Services
from bot.workspace.welcome import greet_first_start
from storage import repo
from storage.models import Member, Workspace
from tests.support.app import Running, make_settings
from tests.support.constants import TEAM_ID
from tests.support.daylog import add_reps, dms


def welcomes(run: Running, user_id: str) -> list[str]:
    """Welcome DMs Slack accepted (a call answered with an error delivered nothing)."""
    return [
        m["text"]
        for (channel, _), m in sorted(run.fake.messages.items(), key=lambda kv: kv[0][1])
        if channel == "D" + user_id and ("Hi <@" in m["text"] or "Welcome back" in m["text"])
    ]


def settled(run: Running, user_id: str) -> Member:
    """The member once their welcome is no longer claimed (bounded wait)."""
    deadline = time.monotonic() + 5
    while True:
        with run.session() as s:
            m = s.scalars(select(Member).where(Member.user_id == user_id)).one()
        if m.welcome_claimed_at is None or time.monotonic() > deadline:
            return m
        time.sleep(0.02)


def add(run: Running, text: str) -> str:
    run.slack.command(f"add {text}", user_id="UBOSS")
    return str(run.fake.wait_for_response()[-1]["text"])


def test_a_rep_added_gets_one_welcome_before_the_first_evening(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    running.fake.add_user("U1", tz="UTC")
    running.clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    answer = add(running, "<@U1|u1> as hunter")
    assert "Added <@U1> as *hunter*" in answer and "a short welcome now" in answer
    (welcome,) = running.fake.wait_for("chat.postMessage", predicate=lambda c: "Hi <@U1>" in c.text)
    assert welcome.args["channel"] == "U1"
    assert "<@UBOSS> added you to *rolesplit* as a hunter" in welcome.text
    assert "*17:30* your time (UTC) on *Mon–Fri*" in welcome.text
    assert "nobody is judged" in welcome.text and "/rolesplit me" in welcome.text
    assert "prospecting 2, meetings 1.5, accounts 4" in welcome.text
    # a double add (or Slack's retry of the command) welcomes nobody twice
    add(running, "<@U1|u1> as hunter")
    add(running, "<@U1|u1> as farmer")
    assert jobs.tick(running.services, datetime(2026, 11, 24, 17, 30, tzinfo=UTC))["prompts"] == 1
    posts = dms(running, "U1")
    assert len(welcomes(running, "U1")) == 1
    assert "Hi <@U1>" in posts[0].text and "How did" in posts[-1].text  # welcome, then prompt
    with running.session() as s:
        m = s.scalars(select(Member).where(Member.user_id == "U1")).one()
        assert m.welcome_due is None and m.welcomed_at is not None


def test_added_again_after_removal_is_a_short_welcome_back(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    running.fake.add_user("U1", tz="UTC")
    add(running, "<@U1|u1> as farmer")
    running.fake.wait_for("chat.postMessage", predicate=lambda c: "Hi <@U1>" in c.text)
    running.slack.command("remove <@U1|u1>", user_id="UBOSS")
    add(running, "<@U1|u1> as farmer")
    (back,) = running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: "Welcome back" in c.text
    )
    assert "<@UBOSS> added you again as a farmer" in back.text
    assert len(welcomes(running, "U1")) == 2


def test_managers_get_no_welcome_and_a_failed_one_goes_out_on_the_next_pass(
    running: Running,
) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    for uid in ("UMGR", "U1"):
        running.fake.add_user(uid, tz="UTC")
    add(running, "<@UMGR|mgr> as manager")
    running.fake.server_error_next("chat.postMessage", 503)  # Slack is down for the welcome
    add(running, "<@U1|u1> as hybrid")
    running.fake.wait_for("chat.postMessage")
    m = settled(running, "U1")
    assert m.welcome_due == "first" and m.welcome_claimed_at is None  # given back
    assert welcomes(running, "U1") == [] and dms(running, "UMGR") == []
    done = jobs.tick(running.services, datetime(2026, 11, 24, 12, 5, tzinfo=UTC))
    assert done["welcomes"] == 1 and len(welcomes(running, "U1")) == 1
    assert jobs.tick(running.services, datetime(2026, 11, 24, 12, 6, tzinfo=UTC))["welcomes"] == 0
    assert dms(running, "UMGR") == []


def test_reps_put_on_the_roster_other_ways_are_not_welcomed(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))  # e.g. already there before the upgrade
    assert jobs.tick(running.services, datetime(2026, 11, 24, 12, 0, tzinfo=UTC))["welcomes"] == 0


def test_first_start_tells_the_managers_once(running: Running) -> None:
    services = Services.from_settings(
        make_settings(
            running.services.settings.database_url,
            running.fake.url,
            ROLESPLIT_MANAGERS="UBOSS,UANN",
        ),
        clock=running.clock,
    )
    try:
        assert greet_first_start(services, TEAM_ID) == 2
        assert greet_first_start(services, TEAM_ID) == 0  # once, recorded
    finally:
        services.dispose()
    posts = running.fake.calls("chat.postMessage")
    assert sorted(c.args["channel"] for c in posts) == ["UANN", "UBOSS"]
    assert "rolesplit is ready" in posts[0].text and "/rolesplit study start" in posts[0].text
    with running.session() as s:
        ws = repo.get_workspace(s, TEAM_ID)
        assert ws is not None and ws.greeted_at is not None


def test_first_start_without_managers_tells_the_owner_and_admins(running: Running) -> None:
    running.fake.add_user("UOWN", is_owner=True)
    running.fake.add_user("UADM", is_admin=True)
    running.fake.add_user("UANY")
    running.fake.add_user("UBOT", is_bot=True, is_admin=True)
    assert greet_first_start(running.services, TEAM_ID) == 2
    assert [c.args["channel"] for c in running.fake.calls("chat.postMessage")] == ["UOWN", "UADM"]


def test_first_start_with_a_roster_says_nothing_ever(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.fake.add_user("UOWN", is_owner=True)
    assert greet_first_start(running.services, TEAM_ID) == 0
    with running.session() as s:
        ws = s.scalars(select(Workspace)).one()
        for m in s.scalars(select(Member)):
            m.active = False
        assert ws.greeted_at is not None
    assert greet_first_start(running.services, TEAM_ID) == 0
    assert running.fake.calls("chat.postMessage") == []


def test_first_start_that_reaches_nobody_tries_again_next_time(running: Running) -> None:
    running.fake.add_user("UOWN", is_owner=True)
    running.fake.server_error_next("chat.postMessage", 500)
    assert greet_first_start(running.services, TEAM_ID) == 0
    assert greet_first_start(running.services, TEAM_ID) == 1
