"""A workspace's effective configuration: environment defaults overridden by /rolesplit settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any

from bot.config import Settings, parse_hhmm, parse_weekly_time, parse_work_days

DEFAULT_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("intro_call", "Joint intro call scheduled"),
    ("contract_signing", "Account manager present at the contract signing"),
    ("contacts_shared", "Client contacts and open job orders shared"),
    ("first_job_order", "First job order handled by the account manager"),
    ("credit_recorded", "New-business credit recorded for the rep"),
)
DEFAULT_NUDGE_DAYS: tuple[int, ...] = (1, 7, 30, 90)
DEFAULT_CHECKIN_DAYS = 90
DEFAULT_AM_WEEK_HOURS = 40


@dataclass(frozen=True)
class WorkspaceConfig:
    """Everything a feature needs to know about one workspace's settings."""

    prompt_time: time
    work_days: tuple[int, ...]
    prompt_window_minutes: int
    reminder_after_minutes: int
    timezone: str
    rollup_channel: str | None
    rollup_weekday: int
    rollup_time: time
    handoff_mode: str
    handoff_channel: str | None
    transfer_days: int
    checklist: tuple[tuple[str, str], ...] = DEFAULT_CHECKLIST
    nudge_days: tuple[int, ...] = DEFAULT_NUDGE_DAYS
    checkin_days: int = DEFAULT_CHECKIN_DAYS
    am_week_hours: int = DEFAULT_AM_WEEK_HOURS
    edit_window_days: int = 14
    holidays: str | None = None  # country (and region) whose public holidays are days off
    extra: dict[str, Any] = field(default_factory=dict)


def effective(settings: Settings, overrides: dict[str, Any] | None) -> WorkspaceConfig:
    """Merge a workspace's stored overrides (already validated) over the environment."""
    o = overrides or {}
    weekday, rollup_at = parse_weekly_time(o.get("rollup_time") or settings.rollup_time)
    return WorkspaceConfig(
        prompt_time=parse_hhmm(o.get("prompt_time") or settings.prompt_time),
        work_days=parse_work_days(o.get("work_days") or settings.work_days),
        prompt_window_minutes=int(o.get("prompt_window_minutes") or settings.prompt_window_minutes),
        reminder_after_minutes=int(
            o.get("reminder_after_minutes") or settings.reminder_after_minutes
        ),
        timezone=o.get("timezone") or settings.timezone,
        rollup_channel=o.get("rollup_channel", settings.rollup_channel) or None,
        rollup_weekday=weekday,
        rollup_time=rollup_at,
        handoff_mode=o.get("handoff_mode") or settings.handoff_mode,
        handoff_channel=o.get("handoff_channel", settings.handoff_channel) or None,
        transfer_days=int(o.get("transfer_days") or settings.transfer_days),
        checklist=tuple((str(k), str(v)) for k, v in o["checklist"])
        if o.get("checklist")
        else DEFAULT_CHECKLIST,
        nudge_days=tuple(int(d) for d in o["nudge_days"])
        if o.get("nudge_days")
        else DEFAULT_NUDGE_DAYS,
        checkin_days=int(o.get("checkin_days") or DEFAULT_CHECKIN_DAYS),
        am_week_hours=int(o.get("am_week_hours") or DEFAULT_AM_WEEK_HOURS),
        holidays=o.get("holidays", settings.holidays) or None,
        extra=dict(o),
    )
