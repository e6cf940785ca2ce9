"""Exactly once under concurrency: three `rolesplit tick` processes, 200 members due."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.services import Services
from storage import repo
from storage.models import Prompt
from tests.support.app import make_settings
from tests.support.constants import BOT_TOKEN, SIGNING_SECRET, TEAM_ID
from tests.support.http import process_env


def _zone_in_daytime(now: datetime) -> str:
    """A zone where it is between 02:00 and 22:00 now, so a 01:00 prompt is due all day."""
    for name in ("UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin", "Pacific/Auckland"):
        if 2 <= now.astimezone(ZoneInfo(name)).hour < 22:
            return name
    raise AssertionError("no daytime zone found")


def test_three_tick_processes_send_exactly_200_prompts(
    db_url: str, fake_slack: Any, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    tz = _zone_in_daytime(now)
    services = Services.from_settings(make_settings(db_url, fake_slack.url))
    with services.Session.begin() as s:
        ws = repo.ensure_workspace(s, TEAM_ID)
        # exactly-once is the point here, not the pace of the Slack status reads before each
        # prompt (100 a minute by default): one pass has room for all 200
        ws.settings = {"status_per_minute": 60_000}
        for i in range(200):
            member, _ = repo.upsert_member(s, ws.id, f"U{i:04d}", "hybrid", tz=tz, now=now)
            member.prompt_time, member.work_days = "01:00", "mon,tue,wed,thu,fri,sat,sun"
    env = process_env(
        tmp_path,
        DATABASE_URL=db_url,
        SLACK_API_URL=fake_slack.url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        ROLESPLIT_PROMPT_WINDOW_MINUTES="1380",
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "tick"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [o[1][-500:] for o in outs]
    posts = fake_slack.calls("chat.postMessage")
    channels = [c.args["channel"] for c in posts]
    assert len(channels) == 200 and len(set(channels)) == 200
    with services.Session() as s:
        assert s.scalar(select(func.count()).select_from(Prompt)) == 200
        assert (
            s.scalar(select(func.count()).select_from(Prompt).where(Prompt.status == "sent")) == 200
        )
    sent_per_process = sorted(int(o[0].split("prompts: ")[1].split(",")[0]) for o in outs)
    assert sum(sent_per_process) == 200
    services.dispose()
