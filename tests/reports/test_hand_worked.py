"""A small team whose right answers are worked out by hand, tried as a new user would: through
the slash command, the CSV, the App Home, the study, the weekly rollup and the terminal.

The week of Mon 16 – Sun 22 Nov 2026, seen on Sunday evening; Monday to Friday work days,
40-hour account managers. Per day logged:

| rep | days logged                 | hunting | farming | other | the week (h → shares)   |
| --- | --------------------------- | ------- | ------- | ----- | ----------------------- |
| Ana | Mon–Fri                     | 6       | 3       | 1     | 30/15/5 = 50 → 60/30/10 |
| Ben | Mon–Thu; "Day off" Friday   | 6       | 2       | 0     | 24/8/0 = 32 → 75/25/0   |
| Cai | Mon–Fri                     | 6.4     | 1.6     | 0     | 32/8/0 = 40 → 80/20/0   |
| Dee | Mon–Tue; paused through Fri | 6       | 0       | 2     | 12/0/4 = 16 → 75/0/25   |
| Eve | Wed–Fri; added on Saturday  | 8       | 0       | 0     | 24/0/0 = 24 → 100/0/0   |
| Fay | nothing                     |         |         |       | no data                 |

Days (logged / work days, over the same days):
- Ana 5/5; Ben 4/4 and 1 off (a day off is neither logged nor missed); Cai 5/5;
- Dee 2/2 and 3 away (Wed–Fri: the pause starts the day after her last answer);
- Eve 3/3: counted from her first logged day, not from when she was added (never "3/0");
- Fay 0/5. Team: 19 of 24 work days logged (79%), 3 away, 1 off.

Team: 162 h; hunting 122 (75.3%), farming 31 (19.1%), other 9 (5.6%) → 75% · 19% · 6%.

How sure (reps as the unit; five reps have hours): the share without each rep — 16/112,
23/130, 23/122, 31/146, 31/138 = .1429 .1769 .1885 .2123 .2246, mean .1891; squared deviations
sum .0040895; × 4/5 = .0032716; √ = .0572; × t₄ 2.1318 = .1219 → 19.1% ± 12.2%: 7% to 31%. The
range is clear of 50%, but six reps average 19 / 6 = 3.1 logged days (5 are needed): the verdict
is "Inconclusive — keep logging", 5 × 6 − 19 = 11 more logged days (about 2 per rep).

Capacity: farming per logged day 3 + 2 + 1.6 + 0 + 0 = 6.6 h × 5 / 40 = 0.825 → 0.8 account
managers — the same for Mon–Fri, for Wed–Thu alone, and for the whole week (Ben's day off and
Dee's pause do not lower it).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bot import jobs
from bot.reports.cli import print_report
from bot.study.cli import print_study
from tests.support.app import Running
from tests.support.constants import TEAM_ID
from tests.support.surfaces import (
    OFF,
    Rep,
    Team,
    block_text,
    check_csv,
    check_plan_reasons,
    check_report_lines,
    check_team,
    check_terminal,
    expected,
    seed,
)

MON, SUN = date(2026, 11, 16), date(2026, 11, 22)
SUNDAY_EVENING = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
EARLY = date(2026, 11, 1)
D = Decimal


def week(first: int, last: int, **hours: str) -> dict[date, dict[str, str] | str]:
    """The same hours on days `first` to `last` of the week (0 = Monday)."""
    return {MON + timedelta(days=i): dict(hours) for i in range(first, last + 1)}


TEAM = Team(
    [
        Rep("UANA", EARLY, week(0, 4, hunting="6", farming="3", other="1"), name="Ana"),
        Rep(
            "UBEN",
            EARLY,
            {**week(0, 3, hunting="6", farming="2"), MON + timedelta(days=4): OFF},
            name="Ben",
        ),
        Rep("UCAI", EARLY, week(0, 4, hunting="6.4", farming="1.6"), name="Cai"),
        Rep(
            "UDEE",
            EARLY,
            week(0, 1, hunting="6", other="2"),
            paused_until=MON + timedelta(days=4),
            name="Dee",
        ),
        Rep("UEVE", date(2026, 11, 21), week(2, 4, hunting="8"), name="Eve"),
        Rep("UFAY", EARLY, {}, name="Fay"),
    ],
    MON,
    SUN,
    SUN,
)
DAYS = {
    "UANA": "5/5 days",
    "UBEN": "4/4 days, 1 off",
    "UCAI": "5/5 days",
    "UDEE": "2/2 days, 3 away",
    "UEVE": "3/3 days",
    "UFAY": "0/5 days",
}
TEAM_LINE = "162 h — hunting 75% · farming 19% · other 6% · 19/24 days logged, 3 away, 1 off"
VERDICT = (
    "Inconclusive — keep logging. 19% farming, 90% sure it is between 7% and 31%. The reps have "
    "logged 3.1 days each on average; 5 are needed: 11 more logged days (about 2 per rep). "
    "0 of 5 reps spend more than half on farming."
)
CAPACITY = "about 0.8 account managers at 40 h a week"


def answer(run: Running, text: str, n: int) -> dict[str, Any]:
    """The n-th response_url post, after `/rolesplit <text>` from the manager."""
    run.slack.command(text, user_id="UBOSS")
    return run.fake.wait_for_response(n)[-1]


def flat(text: str) -> str:
    return text.replace("*", "")


def by_hand(text: str, where: str) -> None:
    """The hand-worked answers, and never a `k/0 days`."""
    for bit in (TEAM_LINE, VERDICT, CAPACITY):
        assert bit in flat(text), f"{where}: {bit!r} missing"
    assert not re.search(r"\b\d+/0 days", text), where


def test_the_hand_worked_team_on_every_surface(running: Running) -> None:
    running.clock.set(SUNDAY_EVENING)
    running.fake.add_user("UBOSS", is_admin=True)
    running.services.settings.rollup_channel = "C0ROLL"
    with running.session() as s:
        seed(s, TEAM_ID, TEAM)
    for r in TEAM.reps:
        running.fake.add_user(r.user_id)
    n = expected(TEAM)
    # the computation from the plain data agrees with the hand-worked answers
    assert {r.user_id: r.days.text for r in n.reps} == DAYS
    assert n.team.capacity == D("0.825") and n.team.capacity_shown == D("0.8")
    assert n.team.interval is not None and n.team.verdict.label == "inconclusive"
    assert [r.code for r in n.team.verdict.reasons] == ["min_days"]

    # /rolesplit report (this week) and its CSV
    report = block_text(answer(running, "report", 1)["blocks"])
    by_hand(report, "report")
    check_team(report, n, "report")
    check_report_lines(report, n, "report")
    for uid, days in DAYS.items():
        assert f"<@{uid}> " in report and days in report
    assert "Not logging:* <@UFAY>" in report
    assert "What counts: *hunting* = Prospecting (calls, research, outreach)" in report
    answer(running, "report this-week csv", 2)
    running.fake.wait_for("files.completeUploadExternal")
    check_csv(running.fake.shared_files[-1]["content"].decode(), n)

    # App Home: the manager's team figures
    running.slack.app_home_opened("UBOSS")
    running.fake.wait_for("views.publish", 1)
    home = block_text(running.fake.home_views["UBOSS"]["blocks"])
    by_hand(home, "home")

    # the study over the same week: progress and result (the plan says why, with the same days)
    progress = running.slack.command("study", user_id="UBOSS").json()
    text = block_text(progress["blocks"])
    assert "the team has logged *19 of 24* work days so far (79%)" in text
    # Dee's last three work days were paused, so she has not gone quiet; Fay has
    assert "*Gone quiet* (no answer on their last 3 work days): <@UFAY> (nothing yet)." in text
    for uid, days in DAYS.items():
        assert f"<@{uid}> {days}" in text, (uid, days)
    result = block_text(answer(running, "study result", 3)["blocks"])
    by_hand(result, "study result")
    check_plan_reasons(result, n)
    assert "19 of 24 work days logged (79%)" in result
    assert "Capacity check: the farming work is about 0.8 account managers" in result

    # the terminal
    out = io.StringIO()
    assert print_report(running.services, "this-week", None, as_csv=False, out=out) == 0
    by_hand(out.getvalue(), "terminal")
    check_terminal(out.getvalue(), n)
    out = io.StringIO()
    assert print_study(running.services, None, out=out) == 0
    by_hand(out.getvalue(), "terminal study")

    # Monday morning: the rollup of the same week, with the same numbers and its chart
    rollup_at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    running.clock.set(rollup_at)
    done = jobs.tick(running.services, rollup_at)
    assert done["rollups"] == 1 and done["study_end"] == 1  # the study's result is due too
    posts = [c for c in running.fake.calls("chat.postMessage") if c.args["channel"] == "C0ROLL"]
    (post,) = [c for c in posts if "Weekly rollup" in c.text]
    (final,) = [c for c in posts if "Time study result" in c.text]
    by_hand(block_text(final.json("blocks")), "study result in the channel")
    rolled = block_text(post.json("blocks"))
    by_hand(rolled, "rollup")
    check_report_lines(rolled, n, "rollup")
    # the roster began on 1 Nov: four weeks, nothing logged before this one (19%: ▂ is 12.5–25%)
    assert "*Team farming share, last 4 weeks:* `···▂` – → – → – → 19%" in rolled
    chart = running.fake.shared_files[-1]
    assert chart["channel"] == "C0ROLL" and chart["content"][:4] == b"\x89PNG"
    assert running.fake.contract_violations == []


def test_capacity_of_any_part_at_the_same_daily_rate_agrees(running: Running) -> None:
    running.clock.set(SUNDAY_EVENING)
    running.fake.add_user("UBOSS", is_admin=True)
    with running.session() as s:
        seed(s, TEAM_ID, TEAM, study=False)
    periods = ("2026-11-16..2026-11-20", "2026-11-18..2026-11-19", "this-week", "7d")
    for i, period in enumerate(periods, start=1):
        text = flat(block_text(answer(running, f"report {period}", i)["blocks"]))
        # Mon–Fri, Wed–Thu (Ana 6, Ben 4, Cai 3.2 h over two days), the whole week, the last 7
        # days: 6.6 farming hours a day × 5 / 40 = 0.825 → 0.8 every time
        assert CAPACITY in text, (period, text)
        assert not re.search(r"\b\d+/0 days", text), period


def test_one_logged_day_is_inconclusive(running: Running) -> None:
    running.clock.set(SUNDAY_EVENING)
    running.fake.add_user("UBOSS", is_admin=True)
    with running.session() as s:
        seed(s, TEAM_ID, TEAM, study=False)
    text = flat(block_text(answer(running, "report 2026-11-16..2026-11-16", 1)["blocks"]))
    # Monday only: Ana, Ben, Cai and Dee logged (Fay did not; Eve had not started): 4 of 5 work
    # days, 0.8 a rep on average — 5 × 5 − 4 = 21 more logged days (about 5 per rep)
    assert "4/5 days logged" in text
    assert "Inconclusive — keep logging." in text
    assert "5 are needed: 21 more logged days (about 5 per rep)" in text
    assert "Separate the roles" not in text and "Keep the roles combined" not in text


def month_of_october() -> Team:
    """Five reps logging 8 h on each of October's 22 work days, 60% to 80% of it farming."""
    october = [date(2026, 10, 1) + timedelta(days=i) for i in range(31)]
    work = [d for d in october if d.weekday() < 5]
    shares = ("0.60", "0.65", "0.70", "0.75", "0.80")
    return Team(
        [
            Rep(
                f"UR{i}",
                date(2026, 9, 1),
                {d: {"farming": str(8 * D(p)), "hunting": str(8 - 8 * D(p))} for d in work},
            )
            for i, p in enumerate(shares)
        ],
        date(2026, 10, 1),
        date(2026, 10, 31),
        date(2026, 11, 24),
    )


def test_a_clear_month_gives_a_verdict_with_its_interval(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    with running.session() as s:
        seed(s, TEAM_ID, month_of_october(), study=False)
    text = flat(block_text(answer(running, "report last-month", 1)["blocks"]))
    # team share 70%; without each rep (3.5 − pᵢ)/4 = .725 .7125 .70 .6875 .675; squared
    # deviations sum .0015625 × 4/5 = .00125; √ = .0354 × t₄ 2.1318 = .0754 → 62.5% to 77.5%
    assert (
        "Separate the roles (over 50% farming). 70% farming, 90% sure it is between 62% and 78%."
        in text
    )
    assert "110/110 days logged" in text
    # farming a day: 4.8 + 5.2 + 5.6 + 6.0 + 6.4 = 28 h × 5 / 40 = 3.5
    assert "about 3.5 account managers at 40 h a week" in text
    assert text.count("What counts:") == 1
