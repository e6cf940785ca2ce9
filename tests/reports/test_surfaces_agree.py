"""Generated teams written to the database: the report's blocks, the rollup, the CSV, the App Home's
team figures, the study's progress and result, and the terminal all show the numbers computed
from the plain data — the same shares, days, capacity and verdict."""

from __future__ import annotations

import io
import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk import WebClient

from bot.home.tab import build_home
from bot.reports import views
from bot.reports.cli import print_report
from bot.reports.command import report_for
from bot.reports.model import build_report, to_csv
from bot.reports.period import parse_period
from bot.services import Services
from bot.slack.context import Request
from bot.study import progress_views, result_views
from bot.study.numbers import load_result, load_status
from storage import repo
from storage.study_repo import latest_study
from tests.support.clock import Clock
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

MON, FRI, SUN = date(2026, 11, 23), date(2026, 11, 27), date(2026, 11, 29)
NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)  # Friday evening: today counts once answered
TEAMS = itertools.count(1)

quarter = st.integers(min_value=0, max_value=40).map(lambda q: str(Decimal(q) / 4))
hours = st.fixed_dictionaries({"hunting": quarter, "farming": quarter, "other": quarter}).filter(
    lambda h: any(Decimal(v) for v in h.values())
)
a_day = st.one_of(st.none(), st.just(OFF), hours)
rep_data = st.tuples(
    st.sampled_from([MON - timedelta(days=30), MON, MON + timedelta(days=2), FRI]),
    st.sampled_from([None, "mon,tue,wed,thu", "tue,wed,thu,fri,sat", "mon,wed,fri"]),
    st.lists(a_day, min_size=5, max_size=5),  # Monday to Friday
    st.sampled_from([None, MON - timedelta(days=3), MON + timedelta(days=2), SUN]),
)
teams = st.lists(rep_data, min_size=1, max_size=4).map(
    lambda rows: Team(
        [
            Rep(
                f"U{i}",
                joined,
                {MON + timedelta(days=k): d for k, d in enumerate(days) if d is not None},
                work_days,
                paused,
            )
            for i, (joined, work_days, days, paused) in enumerate(rows, start=1)
        ],
        MON,
        SUN,
        FRI,
    )
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(team=teams)
def test_every_surface_shows_the_same_numbers(services: Services, clock: Clock, team: Team) -> None:
    clock.set(NOW)
    services.settings.managers = ("UMGR",)
    team_id = f"TP{next(TEAMS):05d}"
    with services.Session.begin() as s:
        seed(s, team_id, team)
    n = expected(team)

    # /rolesplit report this-week, and its CSV
    req = Request(services, team_id, "UMGR")
    with req.reading() as s:
        report = report_for(req, s, parse_period("this-week", FRI))
    assert report.numbers == n
    text = block_text(views.report_blocks(report)[0])
    check_team(text, n, "report")
    check_report_lines(text, n, "report")
    check_csv(to_csv(report), n)

    # the rollup's read (the eight weeks before for its line) gives the same numbers
    with services.read() as s:
        ws = repo.get_workspace(s, team_id)
        assert ws is not None
        rollup = build_report(
            s, ws.id, services.config(ws), report.period, FRI, since=MON - timedelta(weeks=7)
        )
    assert rollup.numbers == n
    rolled = block_text(views.report_blocks(rollup, title="Weekly rollup", csv_hint=False)[0])
    check_team(rolled, n, "rollup")
    check_report_lines(rolled, n, "rollup")

    # App Home: the manager's team figures
    home = build_home(Request(services, team_id, "UMGR"), WebClient(base_url="http://127.0.0.1:9/"))
    check_team(block_text(home["blocks"]), n, "home")

    # the study over the same days: progress, result (to managers and the channel), terminal
    with services.read() as s:
        ws = repo.get_workspace(s, team_id)
        assert ws is not None
        study = latest_study(s, ws.id)
        assert study is not None
        status = load_status(s, ws.id, services.config(ws), study, NOW)
        result = load_result(s, ws.id, services.config(ws), study, NOW)
    progress = block_text(progress_views.status_blocks(status))
    for r in n.reps:
        assert f"<@{r.user_id}> {r.days.text}" in progress, (progress, r.days.text)
    assert f"*{n.team.logged_days} of {n.team.work_days}* work days" in progress or not (
        n.team.work_days
    )
    assert result.report.numbers == n
    for public in (False, True):
        check_team(block_text(result_views.result_blocks(result, public=public)[0]), n, "result")
    check_plan_reasons(block_text(result_views.result_blocks(result)[0]), n)
    check_team(result_views.result_text(result), n, "study in the terminal")

    # rolesplit report this-week --team …
    out = io.StringIO()
    assert print_report(services, "this-week", team_id, as_csv=False, out=out) == 0
    check_terminal(out.getvalue(), n)
    out = io.StringIO()
    assert print_report(services, "this-week", team_id, as_csv=True, out=out) == 0
    check_csv(out.getvalue(), n)
