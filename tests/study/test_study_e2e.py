"""The time study end to end over real HTTP: start, intros, progress, the fit question, its one
reminder, stop, the result (once, even with several processes), App Home and the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot import jobs
from bot.services import Services
from bot.study import dm_views, result_views
from storage import repo
from storage.models import Account, FitAnswer, Member, Study, StudyMessage
from tests.support.app import Running, make_settings
from tests.support.constants import EARLY, TEAM_ID
from tests.support.daylog import add_reps, dms, write_days
from tests.support.slack import all_text, command

D = Decimal
START = date(2026, 11, 24)  # the pinned clock's Tuesday
LAST = date(2026, 12, 21)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def boss(run: Running, user: str = "UBOSS") -> None:
    run.fake.add_user(user, is_admin=True)


def log_weekdays(run: Running, user_id: str, first: date, last: date, **hours: str) -> None:
    """Logged days on every weekday in a range, the same hours per category key each day."""
    span = (first + timedelta(days=i) for i in range((last - first).days + 1))
    write_days(run, TEAM_ID, user_id, (d for d in span if d.weekday() < 5), **hours)


def study_row(run: Running) -> Study:
    with run.session() as s:
        return s.scalars(select(Study).order_by(Study.id.desc())).first()  # type: ignore[return-value]


def eventually(check: Any, timeout: float = 5.0) -> Any:
    """Poll until `check()` is truthy (work that runs after the ack); return its value."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)
    return value


def study_count(run: Running) -> int:
    with run.session() as s:
        return len(s.scalars(select(Study)).all())


def kinds(run: Running, kind: str) -> list[str]:
    """User ids that got a study DM of one kind (claimed rows)."""
    with run.session() as s:
        rows = s.execute(
            select(Member.user_id)
            .join(StudyMessage, StudyMessage.member_id == Member.id)
            .where(StudyMessage.kind == kind)
            .order_by(Member.user_id)
        )
        return [uid for (uid,) in rows]


def study_posts(run: Running, channel: str) -> list[Any]:
    return [
        c
        for c in run.fake.calls("chat.postMessage")
        if c.args.get("channel") == channel and "Time study" in c.text
    ]


def fit_message(run: Running, user_id: str, reminder: bool = False) -> dict[str, Any]:
    """The fit question's message (or its reminder) as the fake Slack holds it now."""
    found = sorted(
        ts
        for (channel, ts), m in run.fake.messages.items()
        if channel == "D" + user_id
        and any(b.get("block_id") == dm_views.FIT_BLOCK for b in m.get("blocks") or [])
    )
    return {"type": "message", "ts": found[-1 if reminder else 0], "text": "", "user": "UBOT"}


def click_fit(run: Running, user_id: str, score: int, study_id: int, **kw: Any) -> None:
    msg = kw.pop("message", None) or fit_message(run, user_id)
    resp = run.slack.block_action(
        dm_views.FIT_ACTION.format(score),
        value=str(study_id),
        user_id=user_id,
        message=msg,
        channel_id="D" + user_id,
        **kw,
    )
    assert resp.status == 200


def fit_values(score: str | None, comment: str | None) -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": score}, "value": score} if score else None
    return {
        dm_views.SCORE_BLOCK: {
            dm_views.SCORE_ACTION: {"type": "radio_buttons", "selected_option": option}
        },
        dm_views.COMMENT_BLOCK: {
            dm_views.COMMENT_ACTION: {"type": "plain_text_input", "value": comment}
        },
    }


def answers(run: Running) -> dict[str, tuple[int, str | None]]:
    with run.session() as s:
        rows = s.execute(
            select(Member.user_id, FitAnswer.score, FitAnswer.comment).join(
                Member, Member.id == FitAnswer.member_id
            )
        )
        return {u: (sc, c) for u, sc, c in rows}


def team_of_four(run: Running) -> None:
    boss(run)
    add_reps(run, ("UDANA", "UTC"), ("USAM", "UTC"), ("UKIM", "UTC"), created_at=EARLY)
    add_reps(run, ("ULEE", "America/New_York"), created_at=EARLY)


# ---------------------------------------------------------------- the whole study


def test_a_four_week_study_ends_with_a_reasoned_split_plan(running: Running) -> None:
    running.services.settings.rollup_channel = "C0ROLL"
    team_of_four(running)

    # a manager starts it; every rep hears why, once
    answer = command(running, "study start")
    assert "*Time study started:* 4 weeks, Tue 24 Nov – Mon 21 Dec 2026, 4 reps" in answer["text"]
    assert "Tue 8 Dec:* the fit question" in answer["text"]
    assert "Tue 22 Dec at 09:00:* the result with the split plan, in <#C0ROLL>" in answer["text"]
    running.fake.wait_for("chat.postMessage", 4)
    for uid in ("UDANA", "USAM", "UKIM", "ULEE"):
        (intro,) = dms(running, uid)
        assert f"Hi <@{uid}>! Your team is running a *4-week time study*" in intro.text
        assert "the numbers are about the roles, not about judging you" in intro.text
    assert "17:30 on your work days" in dms(running, "UDANA")[0].text
    study = study_row(running)
    assert (study.starts_on, study.ends_on, study.weeks, study.status) == (START, LAST, 4, "open")
    assert jobs.tick(running.services, at(START, 13))["study_dms"] == 0  # nothing doubled

    # two weeks of logging; Kim goes quiet after two days
    log_weekdays(
        running, "UDANA", START, date(2026, 12, 1), prospecting="2", account_service="5", admin="1"
    )
    log_weekdays(
        running,
        "USAM",
        START,
        date(2026, 12, 1),
        prospecting="5",
        sales_meetings="2",
        account_service="1",
    )
    log_weekdays(running, "ULEE", START, date(2026, 12, 1), prospecting="4.5", account_growth="3")
    log_weekdays(running, "UKIM", START, date(2026, 11, 25), prospecting="3", account_service="3")
    running.clock.set(at(date(2026, 12, 2), 12))
    progress = command(running, "study")
    text = all_text(progress)
    assert "Time study — week 2 of 4" in text and "1 week done · day 9 of 28" in text
    assert "the team has answered *20 of 24* work days so far (83%)" in text
    assert (
        "*Gone quiet* (no answer on their last 3 work days): <@UKIM> (nothing since Wed 25 Nov)"
        in text
    )
    assert "💤 <@UKIM> 2/6 days (33%)" in text and "<@UDANA> 6/6 days (100%)" in text
    assert "*Fit question:* goes out on Tue 8 Dec." in text
    assert "UKIM" not in text.replace("<@UKIM>", "")  # people by mention only

    # the rest of the study: Lee shifts towards accounts in the second half
    log_weekdays(
        running, "UDANA", date(2026, 12, 2), LAST, prospecting="2", account_service="5", admin="1"
    )
    log_weekdays(
        running,
        "USAM",
        date(2026, 12, 2),
        LAST,
        prospecting="5",
        sales_meetings="2",
        account_service="1",
    )
    log_weekdays(
        running, "ULEE", date(2026, 12, 2), date(2026, 12, 7), prospecting="4.5", account_growth="3"
    )
    log_weekdays(
        running,
        "ULEE",
        date(2026, 12, 8),
        LAST,
        prospecting="2.5",
        account_growth="5",
    )
    with running.session() as s:
        ws = repo.ensure_workspace(s, TEAM_ID)
        for name in ("Acme", "Globex"):
            s.add(
                Account(
                    workspace_id=ws.id,
                    key=name.lower(),
                    name=name,
                    won_at=date(2026, 12, 3),
                    sales_rep_id="USAM",
                    account_manager_id="UDANA",
                    owner_id="USAM",
                    transfer_on=date(2027, 6, 3),
                    status="open",
                    source="command",
                )
            )

    # the fit question: second half, 10:00 local, once per rep
    assert jobs.tick(running.services, at(date(2026, 12, 8), 9, 59))["study_dms"] == 0
    assert jobs.tick(running.services, at(date(2026, 12, 8), 10))["study_dms"] == 3
    assert jobs.tick(running.services, at(date(2026, 12, 8), 15))["study_dms"] == 1  # New York
    assert jobs.tick(running.services, at(date(2026, 12, 8), 16))["study_dms"] == 0
    assert kinds(running, "fit") == ["UDANA", "UKIM", "ULEE", "USAM"]
    fit = next(c for c in dms(running, "UDANA") if "One question" in c.text)
    buttons = [
        e["text"]["text"]
        for b in fit.json("blocks")
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert buttons == [
        "1 · Hunting new business",
        "2 · Mostly new business",
        "3 · A mix of both",
        "4 · Mostly existing accounts",
        "5 · Nurturing existing accounts",
    ]
    assert "Only managers see your answer" in fit.text

    # answering: a click saves; the form adds a sentence; answering again replaces
    running.clock.set(at(date(2026, 12, 8), 11))
    click_fit(running, "UDANA", 4, study.id)
    update = running.fake.wait_for("chat.update")[-1]
    assert update.args["channel"] == "DUDANA"
    assert "You said: *4 · Mostly existing accounts*" in update.text
    assert answers(running) == {"UDANA": (4, None)}
    resp = running.slack.block_action(
        dm_views.FIT_COMMENT,
        value=str(study.id),
        user_id="UDANA",
        message=fit_message(running, "UDANA"),
    )
    assert resp.status == 200
    form = running.fake.wait_for("views.open")[-1].json("view")
    assert form["blocks"][0]["element"]["initial_option"]["value"] == "4"
    empty = running.slack.view_submission(
        dm_views.FIT_MODAL,
        fit_values(None, "x"),
        user_id="UDANA",
        private_metadata=form["private_metadata"],
    )
    assert empty.json() == {
        "response_action": "errors",
        "errors": {dm_views.SCORE_BLOCK: "Pick one of the five answers."},
    }
    saved = running.slack.view_submission(
        dm_views.FIT_MODAL,
        fit_values("5", "  I like growing the accounts I know  "),
        user_id="UDANA",
        private_metadata=form["private_metadata"],
    )
    assert saved.status == 200 and saved.text == ""
    assert answers(running)["UDANA"] == (5, "I like growing the accounts I know")
    click_fit(running, "USAM", 2, study.id)
    click_fit(running, "ULEE", 3, study.id)
    running.fake.wait_for("chat.update", 4)
    assert answers(running) == {
        "UDANA": (5, "I like growing the accounts I know"),
        "USAM": (2, None),
        "ULEE": (3, None),
    }

    # one reminder for the one rep who did not answer, never a second
    assert jobs.tick(running.services, at(date(2026, 12, 10), 9))["study_dms"] == 0
    assert jobs.tick(running.services, at(date(2026, 12, 10), 10))["study_dms"] == 1
    assert kinds(running, "fit_reminder") == ["UKIM"]
    for day in (11, 14, 15, 18):
        assert jobs.tick(running.services, at(date(2026, 12, day), 10))["study_dms"] == 0
    (reminder,) = [c for c in dms(running, "UKIM") if "Quick reminder" in c.text]
    assert "This is the only reminder" in reminder.text

    # the end: the morning after the last day, once, to the channel and to the manager
    assert jobs.tick(running.services, at(date(2026, 12, 22), 8, 59))["study_end"] == 0
    assert jobs.tick(running.services, at(date(2026, 12, 22), 9))["study_end"] == 1
    assert jobs.tick(running.services, at(date(2026, 12, 22), 10))["study_end"] == 0
    (public,) = study_posts(running, "C0ROLL")
    (private,) = study_posts(running, "UBOSS")
    assert study_row(running).status == "ended" and study_row(running).result_sent_at

    text = private.text
    assert "Time study result — 4 weeks" in text
    assert "Verdict: consider separating.* The team spends 43% of its time farming" in text
    assert "Farming share, week by week:* rising ↗ (+7 points)" in text
    assert "Week 1 · 24 Nov–30 Nov: ▓▓▓▓░░░░░░ 39% farming of 129.5 h" in text
    assert "Week 4 · 15 Dec–21 Dec: ▓▓▓▓▓░░░░░ 47% farming of 117.5 h" in text
    assert "about *1.3 account managers* at 40 h a week" in text
    assert (
        "*The split plan:* 1 hunter, 1 account manager; <@ULEE> could go either way; "
        "<@UKIM> needs more data." in text
    )
    assert (
        "<@USAM> — spends most selling time on new business, would rather hunt and won 2 "
        "accounts. _hunting 88%, farming 12% of logged time · would rather: mostly new business "
        "(2/5) · won 2 accounts during the study · 20 days logged_" in text
    )
    assert (
        "<@UDANA> — spends most selling time on existing accounts and would rather nurture "
        "accounts." in text
    )
    assert "“I like growing the accounts I know”" in text
    assert (
        "<@ULEE> — could go either way: spends most selling time on existing accounts, "
        "but not by much" in text
    )
    assert "<@UKIM> — needs more days logged (2 of the 5 needed)" in text
    assert "Apply it with `/rolesplit add @name … as hunter`" in text
    assert "fit question answered by 3 of 4" in text
    # the channel gets the numbers and the counts, never anyone's stated preference
    assert "*The split plan:* 1 hunter, 1 account manager, 2 undecided." in public.text
    assert "Verdict: consider separating" in public.text
    assert "would rather" not in public.text and "accounts I know" not in public.text
    assert "<@UDANA>" not in public.text

    # on demand, the same result; answers are closed now
    again = all_text(command(running, "study result"))
    assert "1 hunter, 1 account manager; <@ULEE> could go either way" in again
    click_fit(running, "UKIM", 1, study.id, message=fit_message(running, "UKIM"))
    closed = running.fake.wait_for_response(
        predicate=lambda r: "answers are closed" in r.get("text", "")
    )
    assert closed and "UKIM" not in answers(running)
    assert running.fake.contract_violations == []


# ---------------------------------------------------------------- bad input changes nothing


def test_every_bad_input_gets_a_specific_answer_and_changes_nothing(running: Running) -> None:
    boss(running)
    # nobody to study yet
    assert "no reps on the roster yet" in command(running, "study start")["text"]
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"), created_at=EARLY)
    cases = [
        ("study start 0 weeks", "A study runs for 1 to 12 weeks, not 0. Nothing was started."),
        ("study start 13 weeks", "not 13. Nothing was started."),
        ("study start banana", "“banana” isn't a number of weeks. Nothing was started. Try"),
        ("study stop", "There's no study running, so there's nothing to stop."),
        ("study result", "No time study has run yet. Start one with `/rolesplit study start`"),
        ("study", "No time study has run yet."),
        ("study frobnicate", "I don't know `study frobnicate`, so nothing changed."),
        ("study stop now", "`/rolesplit study stop` takes nothing after it, so nothing changed."),
    ]
    for text, needle in cases:
        assert needle in command(running, text)["text"], text
    # a rep may not run any of it
    for text in ("study start", "study", "study stop", "study result"):
        refusal = command(running, text, user="U1")["text"]
        assert "is for managers" in refusal and "/rolesplit study" in refusal
    assert study_count(running) == 0 and running.fake.calls("chat.postMessage") == []

    assert "*Time study started:* 2 weeks" in command(running, "study start 2 weeks")["text"]
    running.fake.wait_for("chat.postMessage", 2)
    again = command(running, "study start 6")["text"]
    assert "A study is already running (Tue 24 Nov – Mon 7 Dec 2026, started by <@UBOSS>)" in again
    assert "nothing changed" in again and "/rolesplit study stop" in again
    time.sleep(0.3)
    assert study_count(running) == 1 and len(running.fake.calls("chat.postMessage")) == 2
    assert study_row(running).weeks == 2

    # someone not on the roster clicks a fit button: told why, nothing stored
    click_fit(running, "UOUT", 3, study_row(running).id, message={"type": "message", "ts": "1.2"})
    told = running.fake.wait_for_response(predicate=lambda r: "Only reps" in r.get("text", ""))
    assert told and answers(running) == {}


# ---------------------------------------------------------------- stop


def test_stop_ends_it_today_and_sends_the_result_once(running: Running) -> None:
    team_of_four(running)
    command(running, "study start 4 weeks")
    running.fake.wait_for("chat.postMessage", 4)
    log_weekdays(running, "UDANA", START, date(2026, 12, 3), account_service="6", prospecting="2")
    log_weekdays(running, "USAM", START, date(2026, 12, 3), prospecting="7", account_growth="1")
    running.clock.set(at(date(2026, 12, 3), 16))
    answer = command(running, "study stop")["text"]
    assert "⏹️ Time study stopped after 10 days." in answer and "managers' DMs" in answer
    running.fake.wait_for("chat.postMessage", 5)
    (result,) = study_posts(running, "UBOSS")
    assert "Time study result — stopped after 10 days" in result.text
    assert "<@USAM> — spends most selling time on new business" in result.text
    row = eventually(lambda: (r := study_row(running)).result_sent_at and r)
    assert (row.status, row.ends_on, row.result_sent_at is not None) == (
        "stopped",
        date(2026, 12, 3),
        True,
    )
    for hour in (17, 23):
        assert jobs.tick(running.services, at(date(2026, 12, 3), hour))["study_end"] == 0
    assert jobs.tick(running.services, at(date(2026, 12, 8), 10))["study_dms"] == 0  # no fit
    assert len(study_posts(running, "UBOSS")) == 1
    assert "nothing to stop" in command(running, "study stop")["text"]
    # a new study may start now
    assert "*Time study started:*" in command(running, "study start 1 week")["text"]
    assert study_count(running) == 2


def test_a_result_slack_could_not_take_is_sent_by_a_later_pass(running: Running) -> None:
    def delivered(channel: str) -> list[str]:
        """Study results Slack stored in a channel or a DM (DU… for U…), not refused attempts."""
        return [
            m["text"]
            for (ch, _), m in running.fake.messages.items()
            if ch in (channel, f"D{channel}") and "Time study result" in m["text"]
        ]

    team_of_four(running)
    command(running, "study start 4 weeks")
    running.fake.wait_for("chat.postMessage", 4)
    log_weekdays(running, "USAM", START, date(2026, 12, 3), prospecting="7", account_growth="1")
    running.clock.set(at(date(2026, 12, 3), 16))
    running.fake.server_error_next("chat.postMessage", 503, times=10)
    command(running, "study stop")
    # nothing was posted, so the claim is given back rather than the result lost
    running.fake.wait_for("chat.postMessage", 5)
    eventually(lambda: (r := study_row(running)).result_claimed_at is None and r)
    assert delivered("UBOSS") == [] and study_row(running).result_sent_at is None
    running.fake.clear_failures()
    assert jobs.tick(running.services, at(date(2026, 12, 3), 17))["study_end"] == 1
    assert jobs.tick(running.services, at(date(2026, 12, 3), 18))["study_end"] == 0
    (result,) = delivered("UBOSS")
    assert "Time study result — stopped after 10 days" in result
    assert study_row(running).result_sent_at is not None


# ---------------------------------------------------------------- exactly once, many processes


def test_several_processes_ticking_together_never_double(running: Running, db_url: str) -> None:
    running.services.settings.rollup_channel = "C0ROLL"
    boss(running)
    people = [(f"U{i:02d}", "UTC") for i in range(12)]
    add_reps(running, *people, created_at=EARLY)
    with running.session() as s:  # opened directly: the intros go out from the racing ticks
        ws = repo.ensure_workspace(s, TEAM_ID)
        s.add(Study(workspace_id=ws.id, started_by="UBOSS", starts_on=START, ends_on=LAST, weeks=4))
    others = [
        Services.from_settings(
            make_settings(db_url, running.fake.url, ROLESPLIT_ROLLUP_CHANNEL="C0ROLL"),
            clock=running.clock,
        )
        for _ in range(3)
    ]
    try:

        def race(now: datetime) -> list[dict[str, int]]:
            out: list[dict[str, int]] = []
            gate = threading.Barrier(len(others) + 1)

            def one(svc: Services) -> None:
                gate.wait()
                out.append(jobs.tick(svc, now))

            threads = [
                threading.Thread(target=one, args=(svc,)) for svc in [running.services, *others]
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            return out

        for now in (at(START, 13), at(date(2026, 12, 8), 10), at(date(2026, 12, 10), 10)):
            done = race(now)
            assert all(d.get("study_dms", 0) >= 0 for d in done)
        for uid, _ in people:
            texts = [c.text for c in dms(running, uid)]
            assert sum("Your team is running" in t for t in texts) == 1, uid
            assert sum("One question for the time study" in t for t in texts) == 1, uid
            assert sum("Quick reminder" in t for t in texts) == 1, uid
        done = race(at(date(2026, 12, 22), 9))
        assert sorted(d["study_end"] for d in done) == [0, 0, 0, 1]
        assert len(study_posts(running, "C0ROLL")) == 1 and len(study_posts(running, "UBOSS")) == 1
    finally:
        for svc in others:
            svc.dispose()


# ---------------------------------------------------------------- sending failures


def test_a_transient_failure_is_retried_and_a_permanent_one_recorded(running: Running) -> None:
    boss(running)
    add_reps(running, ("U1", "UTC"), ("U2", "UTC"), created_at=EARLY)
    running.fake.fail_always(  # first rule: U2's calls never reach the 503 below
        "chat.postMessage", "user_not_found", when=lambda a: a.get("channel") == "U2"
    )
    running.fake.server_error_next("chat.postMessage", 503)

    def posts(uid: str) -> int:
        return sum(1 for c in running.fake.calls("chat.postMessage") if c.args["channel"] == uid)

    def claims() -> dict[str, StudyMessage]:
        with running.session() as s:
            return {m.user_id: r for r, m in s.execute(select(StudyMessage, Member).join(Member))}

    command(running, "study start")
    # the 503 gave U1's claim back (nothing was posted); U2's permanent error is recorded
    eventually(
        lambda: (
            posts("U1") == 1
            and [(u, r.error) for u, r in claims().items()] == [("U2", "user_not_found")]
        )
    )
    assert claims()["U2"].sent_at is None
    assert jobs.tick(running.services, at(START, 13))["study_dms"] == 1
    assert posts("U1") == 2 and claims()["U1"].sent_at is not None
    assert jobs.tick(running.services, at(START, 14))["study_dms"] == 0
    assert (
        len([c for c in running.fake.calls("chat.postMessage") if c.args.get("channel") == "U2"])
        == 1
    )


def test_a_rep_added_mid_study_hears_why_before_being_asked(running: Running) -> None:
    boss(running)
    add_reps(running, ("U1", "UTC"), created_at=EARLY)
    command(running, "study start")
    running.fake.wait_for("chat.postMessage", 1)
    running.clock.set(at(date(2026, 12, 9), 15))
    add_reps(running, ("ULATE", "UTC"))
    assert jobs.tick(running.services, at(date(2026, 12, 9), 15))["study_dms"] == 2  # U1 fit, intro
    assert kinds(running, "intro") == ["U1", "ULATE"] and kinds(running, "fit") == ["U1"]
    assert jobs.tick(running.services, at(date(2026, 12, 10), 9))["study_dms"] == 0
    assert jobs.tick(running.services, at(date(2026, 12, 10), 10))["study_dms"] == 1
    assert kinds(running, "fit") == ["U1", "ULATE"]


# ---------------------------------------------------------------- a big team


def test_result_for_200_reps_fits_slacks_limits(running: Running) -> None:
    boss(running)
    people = [(f"U{i:03d}", "UTC") for i in range(200)]
    add_reps(running, *people, created_at=EARLY)
    with running.session() as s:
        ws = repo.ensure_workspace(s, TEAM_ID)
        study = Study(
            workspace_id=ws.id, started_by="UBOSS", starts_on=START, ends_on=LAST, weeks=4
        )
        s.add(study)
        s.flush()
        for m in s.scalars(select(Member).where(Member.role != "manager")):
            s.add(StudyMessage(study_id=study.id, member_id=m.id, kind="intro", sent_at=EARLY))
            s.add(StudyMessage(study_id=study.id, member_id=m.id, kind="fit", sent_at=EARLY))
            n = int(m.user_id[1:])
            if n % 3:
                s.add(
                    FitAnswer(
                        study_id=study.id, member_id=m.id, score=1 + n % 5, comment="word " * 30
                    )
                )
    for i, (uid, _) in enumerate(people):
        log_weekdays(
            running,
            uid,
            START,
            START + timedelta(days=6 if i % 7 else 1),
            prospecting=str(1 + i % 6),
            account_service=str(1 + (i * 3) % 6),
            admin="0.5",
        )
    assert jobs.tick(running.services, at(date(2026, 12, 22), 9))["study_end"] == 1
    (result,) = study_posts(running, "UBOSS")
    blocks = result.json("blocks")
    assert len(blocks) <= 50
    for b in blocks:
        assert len((b.get("text") or {}).get("text", "")) <= 3000
    text = result.text
    named = sum(1 for uid, _ in people if f"<@{uid}>" in text)
    assert named == 200 or f"{200 - named} more reps did not fit here" in text
    bare = text
    for uid, _ in people:
        bare = bare.replace(f"<@{uid}>", "")
    assert not any(uid in bare for uid, _ in people)  # never a raw id
    assert running.fake.contract_violations == []
    print(json.dumps(blocks[:8], indent=1, ensure_ascii=False))


# ---------------------------------------------------------------- App Home and the terminal


def test_managers_see_the_study_on_their_home_and_reps_do_not(running: Running) -> None:
    team_of_four(running)
    running.slack.app_home_opened("UBOSS")
    running.fake.wait_for("views.publish", 1)
    assert "Run a time study: `/rolesplit study start 4 weeks`" in json.dumps(
        running.fake.home_views["UBOSS"], ensure_ascii=False
    )
    command(running, "study start")
    running.fake.wait_for("chat.postMessage", 4)
    log_weekdays(running, "UDANA", START, date(2026, 11, 27), account_service="8")
    running.clock.set(at(date(2026, 12, 1), 12))
    running.slack.app_home_opened("UBOSS")
    running.fake.wait_for("views.publish", 2)
    home = json.dumps(running.fake.home_views["UBOSS"], ensure_ascii=False)
    assert "*Time study:* week 2 of 4 · 1 week done · day 8 of 28" in home
    assert "4 of 20 work days answered" not in home and "20% of work days answered" in home
    running.slack.app_home_opened("UDANA")
    running.fake.wait_for("views.publish", 3)
    assert "Time study" not in json.dumps(running.fake.home_views["UDANA"], ensure_ascii=False)
    running.slack.block_action(result_views.HOME_PROGRESS, value="progress", user_id="UBOSS")
    dm = running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args.get("channel") == "UBOSS"
    )[-1]
    assert "Time study — week 2 of 4" in dm.text
    running.slack.block_action(result_views.HOME_PROGRESS, value="progress", user_id="UDANA")
    told = running.fake.wait_for(
        "chat.postMessage",
        predicate=lambda c: c.args.get("channel") == "UDANA" and "for managers" in c.text,
    )
    assert told and "Time study —" not in told[-1].text


def test_terminal_prints_the_study_result(
    running: Running, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.config import ConfigError
    from bot.study import print_study

    team_of_four(running)
    with pytest.raises(ConfigError, match="no time study has run"):
        print_study(running.services, None)
    with running.session() as s:
        m = repo.get_member(s, repo.ensure_workspace(s, TEAM_ID).id, "USAM")
        assert m is not None
        m.display_name = "Sam Rivera"
    command(running, "study start")
    running.fake.wait_for("chat.postMessage", 4)
    log_weekdays(running, "USAM", START, LAST, prospecting="6", account_service="1")
    log_weekdays(running, "UDANA", START, LAST, prospecting="1", account_service="7")
    running.clock.set(at(date(2026, 12, 23), 12))
    jobs.tick(running.services, running.clock())
    assert print_study(running.services, None) == 0
    out = capsys.readouterr().out
    assert out.startswith("Time study result — 4 weeks\n")
    assert "Split plan: 1 hunter, 1 account manager; UKIM and ULEE need more data." in out
    assert "  - Sam Rivera: spends most selling time on new business." in out
    assert "<@" not in out and "*" not in out


def test_rolesplit_report_study_on_the_command_line(
    running: Running, db_url: str, tmp_path: Path
) -> None:
    team_of_four(running)
    command(running, "study start")
    running.fake.wait_for("chat.postMessage", 4)
    log_weekdays(running, "USAM", START, date(2026, 11, 30), prospecting="6", account_service="1")
    env = {
        k: val
        for k, val in os.environ.items()
        if not k.startswith(("SLACK_", "ROLESPLIT_", "DATABASE_URL"))
    }
    env.update(HOME=str(tmp_path), DATABASE_URL=db_url, ROLESPLIT_TIMEZONE="UTC")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "report", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=90,
        )

    done = cli("--study")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Time study so far — week ")
    assert "Preliminary: the study runs until Mon 21 Dec." in done.stdout
    assert "USAM" in done.stdout and "<@" not in done.stdout
    bad = cli("--study", "last-week")
    assert bad.returncode == 2 and bad.stdout == ""
    assert "rolesplit: --study prints the time study's result: leave out PERIOD" in bad.stderr
