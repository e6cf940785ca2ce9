"""Away end to end: public holidays, a Slack status that says away, a manager's `away`, and a
pause — no prompt or reminder, the day recorded, and the report not counting it as missed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import jobs
from bot.reports import Period, report_for
from bot.slack.context import Request
from storage import away_repo
from storage.models import AwayPeriod, Prompt
from tests.support.app import Running, start_app
from tests.support.clock import Clock
from tests.support.constants import TEAM_ID
from tests.support.daylog import add_reps, dms, member, prompts

EARLY_JOIN = datetime(2026, 11, 1, tzinfo=UTC)  # when the reps joined


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@pytest.fixture
def us_app(db_url: str, fake_slack: Any, clock: Clock) -> Iterator[Running]:
    """The app with ROLESPLIT_HOLIDAYS=US."""
    run = start_app(db_url, fake_slack, clock, ROLESPLIT_HOLIDAYS="US")
    yield run
    run.stop()


def week_report(run: Running, first: date, last: date) -> Any:
    req = Request(run.services, TEAM_ID, "UBOSS")
    with req.reading() as s:
        return report_for(req, s, Period(first, last, "test"))


def test_nobody_is_prompted_on_christmas_day_with_us_holidays(us_app: Running) -> None:
    christmas = date(2026, 12, 25)  # a Friday
    add_reps(us_app, ("U1", "UTC"), ("U2", "America/New_York"), created_at=EARLY_JOIN)
    us_app.clock.set(at(christmas, 17, 0))
    assert jobs.tick(us_app.services, at(christmas, 17, 30))["prompts"] == 0
    assert jobs.tick(us_app.services, at(christmas, 22, 30))["prompts"] == 0  # New York's 17:30
    assert prompts(us_app) == [] and not us_app.fake.calls("chat.postMessage")
    # the Thursday before is an ordinary day: asked as usual
    assert jobs.tick(us_app.services, at(date(2026, 12, 24), 17, 30))["prompts"] == 1
    # in the report, Christmas is neither a work day nor missed
    us_app.clock.set(at(date(2026, 12, 26), 12))
    report = week_report(us_app, date(2026, 12, 21), date(2026, 12, 27))
    line = {r.user_id: r for r in report.reps}["U1"]
    assert line.days.work == 4  # Mon–Thu; Friday the 25th is a holiday
    with us_app.session() as s:
        away = away_repo.away_days(
            s,
            [member(us_app, "U1").id],
            date(2026, 12, 21),
            date(2026, 12, 27),
            holiday=lambda d: "Christmas Day" if d == christmas else None,
        )
    assert away[member(us_app, "U1").id] == {christmas: "public holiday: Christmas Day"}


def test_without_holidays_christmas_is_a_work_day(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    assert jobs.tick(running.services, at(date(2026, 12, 25), 17, 30))["prompts"] == 1


def test_a_palm_tree_status_gets_nothing_and_is_not_missing(running: Running) -> None:
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"), created_at=EARLY_JOIN)
    running.fake.set_status("U1", ":palm_tree:", "")
    tuesday = date(2026, 11, 24)
    assert jobs.tick(running.services, at(tuesday, 17, 30))["prompts"] == 1  # U2 only
    assert not dms(running, "U1") and len(dms(running, "U2")) == 1
    reads = [c.args["user"] for c in running.fake.calls("users.info")]
    assert sorted(reads) == ["U1", "U2"]  # read just before the prompt, once each
    (skipped,) = [p for p in prompts(running) if p.member_id == member(running, "U1").id]
    assert skipped.status == "skipped" and "Slack status: 🌴 Vacation" in (skipped.error or "")
    # later passes neither read again nor send: the day is settled
    assert jobs.tick(running.services, at(tuesday, 17, 45))["prompts"] == 0
    assert jobs.tick(running.services, at(tuesday, 19, 45))["reminders"] == 1  # U2's reminder
    assert not dms(running, "U1")
    with running.session() as s:
        (row,) = s.scalars(select(AwayPeriod)).all()
        assert (row.kind, row.first_day, row.last_day) == ("status", tuesday, tuesday)
    # the next morning (today counts once answered): Tuesday is over for both
    running.clock.set(at(tuesday + timedelta(days=1), 9))
    report = week_report(running, date(2026, 11, 23), date(2026, 11, 29))
    lines = {r.user_id: r for r in report.reps}
    assert lines["U1"].days.work == lines["U2"].days.work - 1  # the away Tuesday is left out
    assert (lines["U1"].days.away, lines["U2"].days.away) == (1, 0)
    with running.session() as s:
        away = away_repo.away_days(
            s, [member(running, "U1").id], date(2026, 11, 23), date(2026, 11, 29)
        )
    assert away[member(running, "U1").id] == {tuesday: "Slack status: 🌴 Vacation"}


def test_an_away_status_before_the_reminder_stops_it_and_an_expired_one_does_not(
    running: Running,
) -> None:
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"))
    tuesday = date(2026, 11, 24)
    expired = int(at(tuesday, 12).timestamp())
    running.fake.set_status("U2", ":airplane:", "Flying to Lisbon", expiration=expired)
    assert jobs.tick(running.services, at(tuesday, 17, 30))["prompts"] == 2  # expired: asked
    running.fake.set_status("U1", ":house:", "Out of office until Monday")
    assert jobs.tick(running.services, at(tuesday, 19, 45))["reminders"] == 1
    reminders = [c for c in running.fake.calls("chat.postMessage") if "reminder" in c.text]
    assert [c.args["channel"] for c in reminders] == ["U2"]
    with running.session() as s:
        prompt = s.scalars(select(Prompt).where(Prompt.member_id == member(running, "U1").id)).one()
        assert prompt.reminded_at is None and "away" in (prompt.error or "")


def test_a_status_that_cannot_be_read_does_not_stop_the_prompt(running: Running) -> None:
    add_reps(running, ("U1", "UTC"))
    running.fake.fail_next("users.info", "user_not_visible")
    assert jobs.tick(running.services, at(date(2026, 11, 24), 17, 30))["prompts"] == 1


def test_a_manager_marks_a_rep_away_and_back(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"))
    said = running.slack.command(
        "away <@U1|u1> until 2026-11-26 team offsite", user_id="UBOSS"
    ).json()["text"]
    assert "<@U1> is away through *Thu 26 Nov* (team offsite)" in said
    running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args["channel"] == "U1" and "marked you" in c.text
    )
    assert jobs.tick(running.services, at(date(2026, 11, 24), 17, 30))["prompts"] == 1  # U2
    assert len([c for c in dms(running, "U1") if "How did" in c.text]) == 0
    listing = running.slack.command("away", user_id="UBOSS").json()["text"]
    assert "<@U1> away through Thu 26 Nov — team offsite" in listing
    assert "for managers" in running.slack.command("away <@U2> off", user_id="U1").json()["text"]
    running.clock.set(at(date(2026, 11, 25), 9))  # back on Wednesday, a day early
    running.slack.command("away <@U1|u1> off", user_id="UBOSS")
    running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args["channel"] == "U1" and "back" in c.text
    )
    assert jobs.tick(running.services, at(date(2026, 11, 25), 17, 30))["prompts"] == 2
    with running.session() as s:
        (row,) = s.scalars(select(AwayPeriod)).all()
        assert (row.kind, row.first_day, row.last_day) == (
            "away",
            date(2026, 11, 24),
            date(2026, 11, 24),
        )
        assert row.set_by == "UBOSS" and row.reason == "team offsite"


def test_away_refuses_what_it_cannot_do_with_the_reason(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    add_reps(running, ("U1", "UTC"))
    add_reps(running, ("UMGR", "UTC"), role="manager")
    for args, needle in (
        ("<@U1> until 2026-11-01", "already passed"),
        ("<@U1> soon", "Say until when"),
        ("until 2026-12-01", "Mention who is away"),
        ("<@UMGR> until 2026-12-01", "is a manager"),
        ("<@UNOBODY> until 2026-12-01", "isn't on the roster"),
    ):
        assert needle in running.slack.command(f"away {args}", user_id="UBOSS").json()["text"], args


def test_paused_days_are_recorded_and_not_missed(running: Running) -> None:
    add_reps(running, ("U1", "UTC"), created_at=EARLY_JOIN)
    running.clock.set(at(date(2026, 11, 24), 9))
    assert "Paused" in running.slack.command("pause 2 days", user_id="U1").json()["text"]
    assert jobs.tick(running.services, at(date(2026, 11, 24), 17, 30))["prompts"] == 0
    running.clock.set(at(date(2026, 11, 25), 9))
    running.slack.command("resume", user_id="U1")  # back a day early: Wednesday is a work day
    with running.session() as s:
        (row,) = s.scalars(select(AwayPeriod)).all()
        assert (row.kind, row.first_day, row.last_day) == (
            "paused",
            date(2026, 11, 24),
            date(2026, 11, 24),
        )
    running.clock.set(at(date(2026, 11, 26), 9))  # Thursday morning: Wednesday is over
    line = week_report(running, date(2026, 11, 23), date(2026, 11, 29)).reps[0]
    assert line.days.work == 2  # Monday and Wednesday; the paused Tuesday is away
    assert line.days.away == 1
