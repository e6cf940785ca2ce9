"""Settings: defaults, parsing, and one clear line for every mistake."""

from __future__ import annotations

import subprocess
import sys
from datetime import time

import pytest

from bot.config import ConfigError, effective, load_settings, parse_work_days


def test_defaults_match_spec() -> None:
    s = load_settings(_env_file=None)
    assert s.database_url == "sqlite:///rolesplit.db"
    assert s.port == 3000
    assert s.prompt_time == "17:30"
    assert s.work_days == "mon,tue,wed,thu,fri"
    assert (s.prompt_window_minutes, s.reminder_after_minutes) == (240, 120)
    assert (s.timezone, s.rollup_time, s.handoff_mode) == ("UTC", "mon 09:00", "channel")
    assert (s.transfer_days, s.tick_seconds, s.scheduler, s.log_format) == (182, 60, "on", "text")
    assert s.slack_api_url == "https://slack.com/api/"


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"ROLESPLIT_PROMPT_TIME": "25:00"}, "ROLESPLIT_PROMPT_TIME"),
        ({"ROLESPLIT_WORK_DAYS": "mon,funday"}, "ROLESPLIT_WORK_DAYS"),
        ({"ROLESPLIT_TIMEZONE": "Mars/Olympus"}, "ROLESPLIT_TIMEZONE"),
        ({"ROLESPLIT_ROLLUP_TIME": "monday"}, "ROLESPLIT_ROLLUP_TIME"),
        ({"PORT": "http"}, "PORT"),
        ({"ROLESPLIT_HANDOFF_MODE": "email"}, "ROLESPLIT_HANDOFF_MODE"),
        ({"ROLESPLIT_MANAGERS": "U123,bob"}, "ROLESPLIT_MANAGERS"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({"ROLESPLIT_PROMPT_WINDOW_MINUTES": "0"}, "ROLESPLIT_PROMPT_WINDOW_MINUTES"),
        ({"ROLESPLIT_PUBLIC_URL": "rolesplit.example.com"}, "ROLESPLIT_PUBLIC_URL"),
        ({"ROLESPLIT_PUBLIC_URL": "https://x.example.com/?a=1"}, "ROLESPLIT_PUBLIC_URL"),
        ({"ROLESPLIT_HUBSPOT_WON_STAGES": " , "}, "ROLESPLIT_HUBSPOT_WON_STAGES"),
        ({"ROLESPLIT_SALESFORCE_ORG_ID": "00D7F0000010"}, "ROLESPLIT_SALESFORCE_ORG_ID"),
    ],
)
def test_malformed_values_name_the_variable(env: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(_env_file=None, **env)
    line = str(err.value)
    assert line.startswith(needle) and "\n" not in line


def test_crm_settings_are_read() -> None:
    s = load_settings(
        _env_file=None,
        ROLESPLIT_PUBLIC_URL="https://hooks.example.com/rolesplit/",
        ROLESPLIT_HUBSPOT_WON_STAGES=" closedwon , 123456789 ",
        ROLESPLIT_PIPEDRIVE_USER=" ",
        ROLESPLIT_SALESFORCE_ORG_ID="00D7F00000107XsUAI",
    )
    assert s.public_url == "https://hooks.example.com/rolesplit"
    assert s.hubspot_won_stages == "closedwon,123456789"
    assert (s.hubspot_secret, s.pipedrive_user, s.pipedrive_password) == (None, None, None)
    assert s.salesforce_org_id == "00D7F00000107XsUAI"
    assert load_settings(_env_file=None).hubspot_won_stages == "closedwon"


def test_managers_and_work_days_are_parsed() -> None:
    s = load_settings(
        _env_file=None, ROLESPLIT_MANAGERS="U1AAA, U2BBB", ROLESPLIT_WORK_DAYS="Sun,mon"
    )
    assert s.managers == ("U1AAA", "U2BBB")
    assert s.work_days == "mon,sun"
    assert parse_work_days(s.work_days) == (0, 6)


def test_mode_requirements() -> None:
    s = load_settings(_env_file=None)
    with pytest.raises(ConfigError, match=r"^SLACK_SIGNING_SECRET"):
        s.require_for("http")
    with pytest.raises(ConfigError, match=r"^SLACK_APP_TOKEN"):
        s.require_for("socket")
    s2 = load_settings(_env_file=None, SLACK_SIGNING_SECRET="x" * 10)
    with pytest.raises(ConfigError, match=r"^SLACK_BOT_TOKEN"):
        s2.require_for("http")
    s3 = load_settings(
        _env_file=None,
        SLACK_SIGNING_SECRET="x" * 10,
        SLACK_BOT_TOKEN="xoxb-1",
        ROLESPLIT_HANDOFF_MODE="thread",
    )
    with pytest.raises(ConfigError, match=r"^ROLESPLIT_HANDOFF_CHANNEL"):
        s3.require_for("http")


def test_workspace_overrides_win_over_environment() -> None:
    s = load_settings(_env_file=None, ROLESPLIT_PROMPT_TIME="17:00")
    assert effective(s, {}).prompt_time == time(17, 0)
    cfg = effective(s, {"prompt_time": "16:45", "work_days": "mon,wed", "nudge_days": [2, 9]})
    assert cfg.prompt_time == time(16, 45)
    assert cfg.work_days == (0, 2)
    assert cfg.nudge_days == (2, 9)


def test_cli_reports_config_errors_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"PATH": "/usr/bin:/bin", "ROLESPLIT_PROMPT_TIME": "25:00", "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0, proc.stderr
    assert "ROLESPLIT_PROMPT_TIME" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("rolesplit: SLACK_SIGNING_SECRET is not set")
