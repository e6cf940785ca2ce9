"""`/rolesplit report trend`, and the rollup's last weeks, empty weeks and roster-less weeks."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot import jobs
from storage.models import Rollup
from tests.support.app import Running
from tests.support.constants import TEAM_ID
from tests.support.daylog import add_reps, write_days

EARLY = datetime(2026, 10, 1, tzinfo=UTC)
WEEKS = [date(2026, 11, 2) + timedelta(days=7 * i) for i in range(4)]  # Mondays, 2–23 Nov


def all_text(message: dict[str, Any]) -> str:
    return message.get("text", "") + json.dumps(message.get("blocks") or [], ensure_ascii=False)


def moving_team(run: Running) -> None:
    """Ana and Ben log Mon–Fri of four weeks (the last up to today, Tue 24 Nov); each week Ana
    moves one hour of eight from prospecting to accounts, Ben stays at 6 of 8 farming.

    Farming share per week — Ana 2/8, 3/8, 4/8, 5/8 = 25%, 38%, 50%, 62%; Ben 75% throughout;
    the team (Ana + Ben) 8/16, 9/16, 10/16, 11/16 = 50%, 56%, 62%, 69%.
    """
    run.fake.add_user("UBOSS", is_admin=True)
    add_reps(run, ("UANA", "UTC"), ("UBEN", "UTC"), created_at=EARLY)
    for i, monday in enumerate(WEEKS):
        days = [
            d for d in (monday + timedelta(days=k) for k in range(5)) if d <= run.clock().date()
        ]
        write_days(run, TEAM_ID, "UANA", days, account_service=str(2 + i), prospecting=str(6 - i))
        write_days(run, TEAM_ID, "UBEN", days, account_service="6", prospecting="2")


def test_the_trend_shows_the_split_moving_week_by_week(running: Running) -> None:
    moving_team(running)
    ack = running.slack.command("report trend 4 weeks", user_id="UBOSS").json()
    assert "Working on the trend for the last 4 weeks" in ack["text"]
    text = all_text(running.fake.wait_for_response(1)[-1])
    assert "farming share per week, 4 weeks" in text
    assert "weeks: 2 Nov, 9 Nov, 16 Nov, 23 Nov (so far)" in text
    assert "*Team:* `▅▅▆▆` 50% → 56% → 62% → 69%" in text
    assert "⚠️ <@UBEN> `▇▇▇▇` 75% → 75% → 75% → 75%" in text
    assert "⚠️ <@UANA> `▃▄▅▆` 25% → 38% → 50% → 62%" in text
    running.fake.wait_for("files.completeUploadExternal")
    (chart,) = running.fake.shared_files
    assert chart["channel"] == "DUBOSS" and chart["content"][:8] == b"\x89PNG\r\n\x1a\n"
    assert running.fake.contract_violations == []


def test_months_before_anything_was_logged_are_left_out(running: Running) -> None:
    moving_team(running)
    running.slack.command("report trend 3 months", user_id="UBOSS")
    text = all_text(running.fake.wait_for_response(1)[-1])
    # September had nothing; October neither: November only, and the answer says so
    assert "months: Nov 2026 (so far) · nothing was logged in the 2 earlier months" in text
    # November, 17 days logged each (5 + 5 + 5 + Mon–Tue): Ana farms 2×5 + 3×5 + 4×5 + 5×2 = 55 h,
    # Ben 6 × 17 = 102 h, of 2 × 8 × 17 = 272 h: 157 / 272 = 57.7%
    assert "*Team:* `▅` 58%" in text


def test_a_bad_trend_length_gets_the_usage(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    answer = running.slack.command("report trend 1 week", user_id="UBOSS").json()
    assert "2 to 52 weeks" in answer["text"] and "report trend [N weeks|N months]" in answer["text"]
    assert running.fake.responses == []


def test_the_rollup_shows_the_last_weeks_as_a_line_of_percentages(running: Running) -> None:
    running.services.settings.rollup_channel = "C0ROLL"
    moving_team(running)
    assert jobs.tick(running.services, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))["rollups"] == 1
    (post,) = [c for c in running.fake.calls("chat.postMessage") if c.args["channel"] == "C0ROLL"]
    # the reported week is 16–22 Nov; the roster began on 1 Oct, so all eight weeks count:
    # 28 Sep – 26 Oct had nothing logged, then 50%, 56%, 62% (▅ is 50–62.5%, ▆ 62.5–75%)
    assert (
        "*Team farming share, last 8 weeks:* `·····▅▅▆` – → – → – → – → – → 50% → 56% → 62%"
        in post.text
    )


def test_no_rollup_for_weeks_before_anyone_was_on_the_roster(running: Running) -> None:
    running.services.settings.rollup_channel = "C0ROLL"
    running.fake.add_user("UBOSS", is_admin=True)
    add_reps(running, ("UNEW", "UTC"), created_at=datetime(2026, 11, 23, 8, tzinfo=UTC))
    assert jobs.tick(running.services, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))["rollups"] == 0
    assert running.fake.calls("chat.postMessage") == [] and running.fake.shared_files == []
    with running.session() as s:
        (row,) = s.query(Rollup).all()
        assert row.status == "skipped" and row.sent_at is None


def test_a_week_without_hours_gets_its_report_but_no_empty_chart(running: Running) -> None:
    running.services.settings.rollup_channel = "C0ROLL"
    add_reps(running, ("UQUIET", "UTC"), created_at=EARLY)
    assert jobs.tick(running.services, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))["rollups"] == 1
    (post,) = [c for c in running.fake.calls("chat.postMessage") if c.args["channel"] == "C0ROLL"]
    assert "Not logging:* <@UQUIET>" in post.text and "0/5 days" in post.text
    assert "No hours logged in this period yet." in post.text
    assert running.fake.shared_files == []
