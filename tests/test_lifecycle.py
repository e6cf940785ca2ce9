"""Uninstall stops every scheduled effect at once; the data stays; reinstall resumes."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import jobs
from bot.lifecycle import set_installed
from storage import repo
from tests.conftest import TEAM_ID, Running
from tests.daylog_helpers import add_reps


def test_uninstall_stops_prompts_rollups_and_nudges_and_reinstall_resumes(running: Running) -> None:
    running.services.settings.rollup_channel = "C0ROLL"
    add_reps(running, ("U1", "UTC"))
    running.fake.add_user("USAM")
    running.slack.command("won Acme am:<@U1> rep:<@USAM>", user_id="USAM")
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
    assert done == {"prompts": 0, "reminders": 0, "rollups": 0, "nudges": 0}
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
