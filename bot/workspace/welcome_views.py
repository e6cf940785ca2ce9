"""Block Kit for first contact: the welcome DM, the managers' first start, `/rolesplit me`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.config import WEEKDAYS, format_work_days, parse_hhmm
from bot.slack.blocks import context, fmt_time, form_modal, plain, section, text_input, truncate
from bot.timecalc import MAX_PAUSE_DAYS

ME_CALLBACK = "me_submit"
ME_TIME_BLOCK, ME_TIME_ACTION = "me_time", "me_time"
ME_DAYS_BLOCK, ME_DAYS_ACTION = "me_days", "me_days"
ME_AWAY_BLOCK, ME_AWAY_ACTION = "me_away", "me_away"
ME_REASON_BLOCK, ME_REASON_ACTION = "me_reason", "me_reason"
MAX_REASON = 200
REASON_EXAMPLE = "e.g. vacation, parental leave, conference"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ROLE_WORDS = {
    "hunter": "a hunter (new business)",
    "farmer": "a farmer (existing accounts)",
    "hybrid": "a hybrid (new business and existing accounts)",
    "manager": "a manager",
}
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


def days_text(days: Sequence[int]) -> str:
    """`Mon–Fri`, `Mon, Wed, Fri`, `Mon–Wed, Sat` (Monday = 0); `no days` when empty."""
    runs: list[list[int]] = []
    for d in sorted(set(days)):
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    names = [DAY_NAMES[d][:3] for d in range(7)]
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(names[d] for d in run)
    return ", ".join(parts) or "no days"


def _schedule(prompt_time: str, work_days: Sequence[int], tz: str) -> str:
    when = fmt_time(parse_hhmm(prompt_time))
    if not work_days:
        return "you have no work days set, so no evening questions for now"
    return f"*{when}* your time ({tz}) on *{days_text(work_days)}*"


# ---------------------------------------------------------------- the welcome DM


def welcome(
    user_id: str,
    role: str,
    prompt_time: str,
    work_days: Sequence[int],
    tz: str,
    added_by: str | None = None,
    *,
    again: bool = False,
    example: str = "prospecting 2, accounts 4",
) -> tuple[str, list[dict[str, Any]]]:
    """The DM a rep gets when a manager adds them (text and blocks); `again` after a removal.

    `example` is a plain-words reply in the workspace's own categories (views.timelog.example_line).
    """
    who = f"<@{added_by}> added you" if added_by else "You've been added"
    role_words = ROLE_WORDS.get(role, role)
    schedule = _schedule(prompt_time, work_days, tz)
    me = (
        "To change your prompt time or work days, or to tell me you're away, "
        "use `/rolesplit me`. Reply `help` here to see what you can type."
    )
    if again:
        head = f"👋 Welcome back to *rolesplit*, <@{user_id}>! {who} again as {role_words}."
        blocks = [
            section(f"{head}\nYour evening question comes at {schedule}, as before."),
            context(me),
        ]
        return _text(blocks), blocks
    blocks = [
        section(f"👋 Hi <@{user_id}>! {who} to *rolesplit* as {role_words}."),
        section(
            "*What it's for:* your team is working out whether selling to new clients "
            "(hunting) and looking after existing accounts (farming) should be two separate "
            "roles. For that, it needs to know how a working day really splits."
        ),
        section(
            "*Why your numbers matter:* they describe the roles, not you — nobody is judged "
            "on them. If more than half of the time goes to existing accounts, that's a sign "
            "to split the roles so new business keeps growing. You see your own split on the "
            "rolesplit *Home* tab; managers see the split per rep and for the team."
        ),
        section(
            f"*Your evening question* comes at {schedule}: one tap on *Log hours*, "
            f"*Same as yesterday* or *Day off*, or a reply like `{example}`. "
            "It takes under a minute."
        ),
        context(me),
    ]
    return _text(blocks), blocks


def first_start(prompt_time: str, work_days: Sequence[int]) -> tuple[str, list[dict[str, Any]]]:
    """The managers' message after the first start: the three commands that get a team going."""
    when = fmt_time(parse_hhmm(prompt_time))
    blocks = [
        section(
            "👋 *rolesplit is ready.* It asks your reps every working evening how their day "
            "split between new business and existing accounts, and shows you when it's time "
            "to separate the roles. Three commands get your team going:"
        ),
        section(
            "1. `/rolesplit add @… as hunter|farmer` — add your reps (or `hybrid` when they "
            "do both; `manager` for people who read the reports). Each gets a short welcome.\n"
            f"2. `/rolesplit settings` — the evening question's time (now *{when}*, each "
            f"rep's own time zone), work days (now *{days_text(work_days)}*), categories and "
            "the hand-off of won accounts.\n"
            "3. `/rolesplit study start` — a time study (4 weeks by default) that ends with "
            "a verdict: keep the roles combined, consider separating, or separate."
        ),
        context("`/rolesplit help` lists every command."),
    ]
    return _text(blocks), blocks


def _text(blocks: Sequence[Mapping[str, Any]]) -> str:
    """The notification text: the first block's words without mrkdwn stars."""
    first = blocks[0]["text"]["text"] if blocks and "text" in blocks[0] else ""
    return truncate(first.split("\n")[0].replace("*", ""), 300)


# ---------------------------------------------------------------- /rolesplit me


def _option(day: int) -> dict[str, Any]:
    return {"text": plain(DAY_NAMES[day]), "value": WEEKDAYS[day]}


def me_modal(
    prompt_time: str,
    work_days: Sequence[int],
    tz: str,
    away_until: date | None = None,
    away_reason: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The `/rolesplit me` modal: prompt time, work days, time away (until a day) and a reason."""
    days: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": ME_DAYS_ACTION,
        "options": [_option(d) for d in range(7)],
    }
    if work_days:
        days["initial_options"] = [_option(d) for d in sorted(set(work_days))]
    away: dict[str, Any] = {"type": "datepicker", "action_id": ME_AWAY_ACTION}
    if away_until:
        away["initial_date"] = away_until.isoformat()
    reason = text_input(ME_REASON_ACTION, MAX_REASON, REASON_EXAMPLE, away_reason)
    return form_modal(
        ME_CALLBACK,
        "Your rolesplit",
        [
            context(f"Times are your own ({tz}), from your Slack profile."),
            {
                "type": "input",
                "block_id": ME_TIME_BLOCK,
                "label": plain("Evening question at"),
                "element": {
                    "type": "timepicker",
                    "action_id": ME_TIME_ACTION,
                    "initial_time": fmt_time(parse_hhmm(prompt_time)),
                },
            },
            {
                "type": "input",
                "block_id": ME_DAYS_BLOCK,
                "label": plain("Work days"),
                "element": days,
            },
            {
                "type": "input",
                "block_id": ME_AWAY_BLOCK,
                "optional": True,
                "label": plain("Away until"),
                "hint": plain("No questions through this day. Clear it when you're back.", 150),
                "element": away,
            },
            {
                "type": "input",
                "block_id": ME_REASON_BLOCK,
                "optional": True,
                "label": plain("Reason"),
                "element": reason,
            },
        ],
        metadata=metadata or {},
    )


@dataclass
class MeReading:
    """A submitted `/rolesplit me`: the values, and errors keyed by block id."""

    prompt_time: str | None = None
    work_days: tuple[int, ...] = ()
    away_until: date | None = None
    reason: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def work_days_setting(self) -> str:
        """`mon,tue,wed` as stored."""
        return format_work_days(self.work_days)


def _state(values: Mapping[str, Any], block: str, action: str) -> Mapping[str, Any]:
    actions = values.get(block)
    found = actions.get(action) if isinstance(actions, Mapping) else None
    return found if isinstance(found, Mapping) else {}


def read_me(values: Mapping[str, Any], today: date) -> MeReading:
    """Check a submitted `/rolesplit me` (today is the rep's local date)."""
    r = MeReading()
    picked = _state(values, ME_TIME_BLOCK, ME_TIME_ACTION).get("selected_time")
    if isinstance(picked, str) and _HHMM.fullmatch(picked):
        r.prompt_time = picked
    else:
        r.errors[ME_TIME_BLOCK] = "Pick a time like 17:30 (24-hour, HH:MM)."
    options = _state(values, ME_DAYS_BLOCK, ME_DAYS_ACTION).get("selected_options") or []
    chosen = {o.get("value") for o in options if isinstance(o, Mapping)}
    r.work_days = tuple(d for d, name in enumerate(WEEKDAYS) if name in chosen)
    if not r.work_days:
        r.errors[ME_DAYS_BLOCK] = "Pick at least one work day."
    raw_day = _state(values, ME_AWAY_BLOCK, ME_AWAY_ACTION).get("selected_date")
    if raw_day:
        last = today + timedelta(days=MAX_PAUSE_DAYS)
        try:
            r.away_until = date.fromisoformat(str(raw_day))
        except ValueError:
            r.errors[ME_AWAY_BLOCK] = "Pick a day from the calendar."
        if r.away_until and r.away_until < today:
            r.errors[ME_AWAY_BLOCK] = (
                f"{r.away_until:%a %-d %b} has passed — pick today or a later day, or clear it."
            )
        elif r.away_until and r.away_until > last:
            r.errors[ME_AWAY_BLOCK] = f"At most a year ahead — pick {last:%-d %b %Y} or earlier."
    reason = " ".join(
        str(_state(values, ME_REASON_BLOCK, ME_REASON_ACTION).get("value") or "").split()
    )
    r.reason = reason[:MAX_REASON] or None
    if r.reason and not raw_day:
        r.errors[ME_REASON_BLOCK] = "Pick the day you're away until too — or clear the reason."
    return r
