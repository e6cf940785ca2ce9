"""The App Home tab: a rep's own numbers; managers also see the team."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bot.home import views as views
from tests.support.app import Running
from tests.support.constants import EARLY
from tests.support.daylog import add_reps, log_days


def home_text(run: Running, user: str, count: int = 1) -> str:
    run.fake.wait_for("views.publish", count, predicate=lambda c: c.args["user_id"] == user)
    return json.dumps(run.fake.home_views[user], ensure_ascii=False)


def test_rep_sees_their_week_last_weeks_and_settings(running: Running) -> None:
    add_reps(running, ("U1", "Europe/London"), ("U2", "UTC"), created_at=EARLY)
    log_days(running, "U1", date(2026, 11, 16), 2, prospecting="3", account_service="1")
    log_days(running, "U1", date(2026, 11, 23), 1, account_growth="4")
    log_days(running, "U2", date(2026, 11, 23), 1, prospecting="9")
    running.slack.app_home_opened("U1")
    text = home_text(running, "U1")
    assert "Your week so far:* 4 h — hunting 0% · farming 100% · other 0%" in text
    assert "Week of 16 Nov: 8 h — hunting 75% · farming 25% · other 0%" in text
    assert "Evening question at 17:30 (Europe/London) on Mon–Fri" in text
    assert "9 h" not in text and "Team" not in text  # only their own numbers


def test_manager_sees_the_team_and_can_ask_for_the_report(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    add_reps(running, ("U1", "UTC"), created_at=EARLY)
    log_days(running, "U1", date(2026, 11, 23), 2, account_service="6", prospecting="2")
    running.slack.app_home_opened("UBOSS")
    text = home_text(running, "UBOSS")
    assert "Team — this week" in text and "*Team:* 16 h" in text and "2/2 days logged" in text
    assert "Inconclusive — keep logging.* 75% farming so far" in text  # one rep, two days
    assert "not on the roster" not in text or "Team" in text
    running.slack.block_action(
        views.HOME_REPORT, value="this-week", user_id="UBOSS", view={"id": "VH", "type": "home"}
    )
    report = running.fake.wait_for(
        "chat.postMessage", predicate=lambda c: c.args["channel"] == "UBOSS"
    )[0]
    assert "<@U1>" in report.text


def test_non_roster_person_gets_an_introduction(running: Running) -> None:
    running.fake.add_user("UNEW")
    running.slack.app_home_opened("UNEW")
    assert "You're not on the roster yet" in home_text(running, "UNEW")


def test_home_refreshes_after_each_log(running: Running) -> None:
    add_reps(running, ("U1", "UTC"), created_at=EARLY)
    running.clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
    running.slack.message_im("prospecting 2, accounts 2", user_id="U1")
    text = home_text(running, "U1")
    assert "Your week so far:* 4 h — hunting 50% · farming 50%" in text
    assert running.fake.contract_violations == []
