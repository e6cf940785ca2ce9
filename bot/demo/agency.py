"""The sample agency: its people and channels, and four weeks of believable logged days with
the team's farming share rising week by week (a pure, seeded function)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources

from bot.demo.model import Channel, User

TEAM_ID = "T0NORTHWIND"
TEAM_NAME = "Northwind Staffing"
BOT = User("U0ROLESPLIT", "rolesplit", "rolesplit", "UTC", color="#1264a3", is_bot=True)
SLACKBOT = User("USLACKBOT", "slackbot", "Slackbot", "UTC", color="#2eb67d", is_bot=True)
WORKSPACE_TZ = "America/New_York"
ROLLUP_CHANNEL = "C0LEADERS"
GENERAL = "C0GENERAL"

# the agency's people (users.info fields) and their roster roles: data, beside this module
_PEOPLE = json.loads(resources.files("bot.demo").joinpath("people.json").read_text())
PEOPLE = tuple(User(**{k: v for k, v in p.items() if k != "role"}) for p in _PEOPLE)
ROLES = {p["id"]: p["role"] for p in _PEOPLE}
MANAGER = next(user for user in PEOPLE if ROLES[user.id] == "manager")
# farming share of the logged hours in the first and the last of the four weeks
FARMING = {
    "U0SAM": (0.24, 0.46),
    "U0PRIYA": (0.30, 0.52),
    "U0TOM": (0.18, 0.34),
    "U0DANA": (0.74, 0.84),
    "U0LEE": (0.70, 0.82),
    "U0JORDAN": (0.44, 0.68),
}
MISSED = {"U0TOM": (3, 11), "U0PRIYA": (8,), "U0JORDAN": (15,)}  # work-day indexes not logged
DAYS_OFF = {"U0LEE": (6,)}
NOTES = {
    ("U0SAM", 2): "Two discovery calls with logistics firms; proposal for Brightline drafted.",
    ("U0DANA", 13): "Quarterly review with Brightline's HR team; two new job orders.",
    ("U0JORDAN", 17): "Mostly renewals this week — three clients asking for more temps.",
}
QUARTER = Decimal("0.25")


def channels(now: int) -> list[Channel]:
    """#general for everyone; the managers' private rollup channel."""
    everyone = [u.id for u in PEOPLE]
    return [
        Channel(GENERAL, "general", "public", now, [*everyone, BOT.id], topic="Company-wide"),
        Channel(
            ROLLUP_CHANNEL,
            "sales-leadership",
            "private",
            now,
            [MANAGER.id, BOT.id],
            topic="Weekly rolesplit rollup and the time study",
        ),
    ]


@dataclass(frozen=True)
class Day:
    """One logged (or day-off) work day: hours per category key."""

    user_id: str
    day: date
    hours: dict[str, Decimal]
    note: str | None = None
    day_off: bool = False


def _q(value: float) -> Decimal:
    return (Decimal(str(value)) / QUARTER).quantize(Decimal(1)) * QUARTER


def _split(total: Decimal, parts: tuple[tuple[str, float], ...]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    left = total
    for key, share in parts[:-1]:
        out[key] = min(left, _q(float(total) * share))
        left -= out[key]
    out[parts[-1][0]] = left
    return {k: v for k, v in out.items() if v > 0}


def work_days(first: date, last: date) -> list[date]:
    """Monday-to-Friday dates from first to last."""
    return [
        first + timedelta(days=i)
        for i in range((last - first).days + 1)
        if (first + timedelta(days=i)).weekday() < 5
    ]


def day_hours(rng: random.Random, farming: float) -> dict[str, Decimal]:
    """About eight hours in quarter hours: farming at the given share, a little admin, the
    rest hunting."""
    total = _q(rng.uniform(7.0, 9.5))
    farming = max(0.0, min(0.95, farming + rng.gauss(0, 0.05)))
    other = rng.uniform(0.06, 0.12)
    return _split(
        total,
        (
            ("account_service", farming * 0.62),
            ("account_growth", farming * 0.38),
            ("admin", other),
            ("prospecting", (1 - farming - other) * 0.5),
            ("sales_meetings", (1 - farming - other) * 0.3),
            ("sales_other", 1.0),
        ),
    )


def history(first_monday: date, last_day: date, seed: int = 7) -> list[Day]:
    """Every rep's days from a Monday to a last day: about 8 h each, the farming share moving
    from its first-week to its last-week value, a few days missed and one day off."""
    rng = random.Random(seed)
    dates = work_days(first_monday, last_day)
    span = max(1, len(dates) - 1)
    out: list[Day] = []
    for user_id, (start, end) in FARMING.items():
        for i, day in enumerate(dates):
            if i in MISSED.get(user_id, ()):
                continue
            if i in DAYS_OFF.get(user_id, ()):
                out.append(Day(user_id, day, {}, day_off=True))
                continue
            hours = day_hours(rng, start + (end - start) * i / span)
            out.append(Day(user_id, day, hours, NOTES.get((user_id, i))))
    return out


WORDS = {
    "prospecting": "prospecting",
    "sales_meetings": "meetings",
    "sales_other": "proposals",
    "account_service": "accounts",
    "account_growth": "growth",
    "admin": "admin",
}


def in_words(hours: dict[str, Decimal]) -> str:
    """A day as a rep types it in the DM: `prospecting 3, meetings 1.5, accounts 2.5`."""
    return ", ".join(f"{WORDS[k]} {format(v.normalize(), 'f')}" for k, v in hours.items() if v)


def evening_reply(user_id: str, rng: random.Random) -> str | None:
    """What a colleague replies to the evening prompt (None: no answer tonight)."""
    if user_id not in FARMING or rng.random() < 0.08:
        return None
    return in_words(day_hours(rng, FARMING[user_id][1]))
