"""Work days, public holidays and away: pure rules shared by the evening prompt and the reports.

A day is one of three kinds for a rep:

- `work`: a work day they are expected to answer (a prompt, maybe a reminder; unanswered it
  counts as missed);
- `off`: not one of their work days (no prompt; neither missed nor a work day);
- `away`: a work day they are away for — paused, marked away by a manager, a public holiday of
  the workspace's country, or a Slack status that says so. No prompt or reminder, and the day is
  neither missed nor counted as a work day.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Literal

import holidays

SETTING = "ROLESPLIT_HOLIDAYS"

# ---------------------------------------------------------------- Slack status

# status emoji that mean "away", with the glyph shown in reasons and a word when no text is set
AWAY_EMOJI: dict[str, tuple[str, str]] = {
    "palm_tree": ("🌴", "Vacation"),
    "airplane": ("✈️", "Travelling"),
    "face_with_thermometer": ("🤒", "Out sick"),
    "sick": ("🤢", "Out sick"),
}
# status text that means "away": whole words, case-insensitive. "leave" only as the noun
# ("on leave", "parental leave", a status that is just "Leave …"), never "leaves the office at 5"
# or "please leave a message"; "cleave", "sicko" or "holidaymaker" are other words.
_LEAVE_KINDS = (
    "parental|maternity|paternity|annual|sick|medical|family|study|bereavement|compassionate"
    "|personal|unpaid|garden|adoption|holiday|vacation|extended|shared parental"
)
_AWAY_TEXT = re.compile(
    r"\bvacation(?:s|ing)?\b"
    r"|\bholidays?\b|\bholidaying\b"
    r"|\bout\s+of\s+(?:the\s+)?office\b"
    r"|\booo\b"
    r"|\bpto\b"
    r"|\bsick(?:ness)?\b"
    rf"|\bon\s+(?:(?:{_LEAVE_KINDS})\s+)?leave\b"
    rf"|\b(?:{_LEAVE_KINDS})\s+leave\b"
    r"|\bleave\s+of\s+absence\b"
    r"|^\W*leave\b\W*(?:$|(?:until|till|til|through|thru|back|from|\d)\b)",
    re.I,
)
MAX_REASON_TEXT = 60


def _emoji_name(emoji: str) -> str:
    """`palm_tree` from `:palm_tree:` (or `:face_with_thermometer::skin-tone-2:`)."""
    parts = [p for p in emoji.strip().lower().split(":") if p]
    return parts[0] if parts else ""


def away_by_status(emoji: str, text: str) -> str | None:
    """Why a Slack status means away (`Slack status: 🌴 Vacation`), or None when it doesn't."""
    emoji, text = emoji or "", " ".join((text or "").split())
    known = AWAY_EMOJI.get(_emoji_name(emoji))
    if known is None and not _AWAY_TEXT.search(text):
        return None
    glyph, word = known or ("", "")
    shown = text if len(text) <= MAX_REASON_TEXT else text[: MAX_REASON_TEXT - 1] + "…"
    return " ".join(p for p in ("Slack status:", glyph, shown or word) if p)


def status_away(profile: Mapping[str, Any], now: datetime) -> str | None:
    """Away reason from a `users.info` profile; an expired status (`status_expiration`) is none."""
    try:
        expires = int(profile.get("status_expiration") or 0)
    except (TypeError, ValueError):
        expires = 0
    if expires and now.timestamp() >= expires:
        return None
    return away_by_status(
        str(profile.get("status_emoji") or ""), str(profile.get("status_text") or "")
    )


# ---------------------------------------------------------------- public holidays


@dataclass(frozen=True)
class HolidayCalendar:
    """The public holidays of one country, or one of its subdivisions (`GB-SCT`)."""

    country: str
    subdivision: str | None = None

    @property
    def code(self) -> str:
        """`GB-SCT` or `US`."""
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


def _listing(codes: list[str], limit: int = 30) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")


def parse_holidays_setting(value: str | None) -> HolidayCalendar | None:
    """`US`, `gb-sct` → a calendar; empty → None; anything else raises one clear ValueError."""
    raw = (value or "").strip()
    if not raw:
        return None
    country, _, subdiv = raw.upper().partition("-")
    country, subdiv = country.strip(), subdiv.strip()
    supported = holidays.list_supported_countries()
    if not re.fullmatch(r"[A-Z]{2,3}", country) or country not in supported:
        raise ValueError(
            f"{SETTING}: “{raw}” isn't a country code with known holidays — use a two-letter "
            "code such as US, GB or DE, optionally with a region like GB-SCT or US-CA "
            "(or leave it empty for none)."
        )
    regions = list(supported[country])
    if "-" in raw and not subdiv:
        raise ValueError(f"{SETTING}: “{raw}” ends with “-” — name a region or drop the “-”.")
    if subdiv and subdiv not in regions:
        which = f"one of {_listing(regions)}" if regions else "just the country code"
        raise ValueError(f"{SETTING}: {country} has no region “{subdiv}” — use {which}.")
    return HolidayCalendar(country, subdiv or None)


@lru_cache(maxsize=128)
def calendar_for(code: str | None) -> HolidayCalendar | None:
    """The calendar of a stored setting (checked at start-up); a value not understood is none."""
    try:
        return parse_holidays_setting(code)
    except ValueError:
        return None


@lru_cache(maxsize=64)
def _year(country: str, subdivision: str | None, year: int) -> Mapping[date, str]:
    """One year's public holidays by date, with English names where the library has them."""
    probe = holidays.country_holidays(country, subdiv=subdivision, years=[])
    default = str(probe.default_language or "")
    language = None
    if not default.startswith("en") and "en_US" in (probe.supported_languages or ()):
        language = "en_US"
    days = holidays.country_holidays(
        country, subdiv=subdivision, years=year, language=language, expand=False
    )
    return dict(days.items())  # a plain copy: lookups never make the library compute more


def is_holiday(cal: HolidayCalendar | None, day: date) -> str | None:
    """The public holiday's name on that day (`Christmas Day`), or None."""
    if cal is None:
        return None
    return _year(cal.country, cal.subdivision, day.year).get(day)


# ---------------------------------------------------------------- the kind of a day

DayKindName = Literal["work", "off", "away"]


@dataclass(frozen=True)
class DayKind:
    """What a day is for a rep, and why (empty for an ordinary work day)."""

    kind: DayKindName
    reason: str = ""

    @property
    def counts(self) -> bool:
        """A work day: prompted, reminded, and missed when unanswered."""
        return self.kind == "work"


def _short_day(day: date) -> str:
    return day.strftime("%a %-d %b")


def work_day_kind(
    day: date,
    work_days: Collection[int],
    paused_until: date | None = None,
    away_until: date | None = None,
    holiday_name: str | None = None,
    status_away: str | None = None,
) -> DayKind:
    """`work`, `off` (not a work day) or `away` (paused, marked away, holiday, status)."""
    if day.weekday() not in work_days:
        return DayKind("off", "not one of your work days")
    if paused_until is not None and day <= paused_until:
        return DayKind("away", f"paused through {_short_day(paused_until)}")
    if away_until is not None and day <= away_until:
        return DayKind("away", f"away through {_short_day(away_until)}")
    if holiday_name:
        return DayKind("away", f"public holiday: {holiday_name}")
    if status_away:
        return DayKind("away", status_away)
    return DayKind("work")
