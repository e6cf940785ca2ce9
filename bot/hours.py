"""Pure rules for reading hours: modal fields, plain-words DM replies, and a day's limits."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

MAX_DAY = Decimal(24)
QUARTER = Decimal("0.25")
_UNIT = r"(?:h|hr|hrs|hour|hours)"
_NUMBER = rf"(?P<num>\d+(?:[.,]\d+)?|\d+:[0-5]\d|[.,]\d+)\s*{_UNIT}?"
_ITEM_SPLIT = re.compile(r"\s*(?:[,;\n]|\band\b|\+)\s*", re.IGNORECASE)
_NAME_FIRST = re.compile(rf"^(?P<name>[^\d:]*?[a-z][^\d]*?)\s*[:=-]?\s*{_NUMBER}$", re.IGNORECASE)
_NUMBER_FIRST = re.compile(rf"^{_NUMBER}\s*(?:of|on|for)?\s*(?P<name>[a-z][^\d]*)$", re.IGNORECASE)
_DATE_PREFIX = re.compile(r"^\s*(yesterday|today|\d{4}-\d{2}-\d{2})\s*[:,-]?\s*", re.IGNORECASE)
DAY_OFF_WORDS = {"day off", "off", "off today", "holiday", "vacation", "pto", "sick", "out"}


class HoursError(ValueError):
    """A value that is not a valid number of hours; the message says why."""


def parse_hours(text: str | None) -> Decimal:
    """`2`, `1.5`, `1,5`, `1:30`, `2h`, `` → exact hours; raises HoursError with a reason."""
    raw = (text or "").strip().lower()
    if not raw:
        return Decimal(0)
    raw = re.sub(rf"\s*{_UNIT}$", "", raw)
    if raw.startswith("-"):
        raise HoursError("Hours can't be negative.")
    if ":" in raw:
        match = re.fullmatch(r"(\d{1,2}):([0-5]\d)", raw)
        if not match:
            raise HoursError(f"“{text}” isn't a number of hours, e.g. 1.5 or 1:30.")
        value = Decimal(match.group(1)) + Decimal(match.group(2)) / 60
    else:
        try:
            value = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise HoursError(f"“{text}” isn't a number of hours, e.g. 1.5 or 1:30.") from None
        if not value.is_finite():
            raise HoursError(f"“{text}” isn't a number of hours, e.g. 1.5 or 1:30.")
    if value < 0:
        raise HoursError("Hours can't be negative.")
    if value > MAX_DAY:
        raise HoursError("That's more than 24 hours.")
    if value % QUARTER != 0:
        raise HoursError("Use quarter hours, like 1.25 or 1:15.")
    return value.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CategoryRef:
    """What the readers need to know of a category."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()


def check_day(work_date: date | None, today: date, edit_window_days: int) -> str | None:
    """Why a date cannot be logged (future, or older than the edit window), or None."""
    if work_date is None:
        return "Pick the day these hours are for."
    if work_date > today:
        return "That day hasn't happened yet — pick today or an earlier day."
    oldest = today - timedelta(days=edit_window_days)
    if work_date < oldest:
        return (
            f"Days older than {edit_window_days} days can't be changed "
            f"(the oldest is {oldest.isoformat()})."
        )
    return None


@dataclass
class ModalReading:
    """The modal's values, or the errors to show next to its fields."""

    hours: dict[str, Decimal] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        """Sum of the day's hours."""
        return sum(self.hours.values(), Decimal(0))


def read_modal_hours(
    fields: Mapping[str, str | None], categories: Sequence[CategoryRef], block_id: str = "cat_{}"
) -> ModalReading:
    """Read one field per category; errors keyed by the field's block id."""
    reading = ModalReading()
    for cat in categories:
        try:
            value = parse_hours(fields.get(cat.key))
        except HoursError as err:
            reading.errors[block_id.format(cat.key)] = str(err)
            continue
        if value:
            reading.hours[cat.key] = value
    if not reading.errors and reading.total > MAX_DAY:
        last = categories[-1].key if categories else "total"
        for cat in reversed(categories):
            if cat.key in reading.hours:
                last = cat.key
                break
        reading.errors[block_id.format(last)] = (
            f"These add up to {reading.total.normalize():f} h — a day has at most 24."
        )
    return reading


@dataclass
class WordsReading:
    """A plain-words reply: the day, the hours per category key, and what could not be read."""

    day: date
    hours: dict[str, Decimal] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    day_off: bool = False

    @property
    def total(self) -> Decimal:
        """Sum of the hours read."""
        return sum(self.hours.values(), Decimal(0))


def _alias_table(categories: Sequence[CategoryRef]) -> list[tuple[str, str]]:
    table: dict[str, str] = {}
    for cat in categories:
        names = {cat.key, cat.key.replace("_", " "), *cat.aliases}
        for name in names:
            table.setdefault(_norm(name), cat.key)
    return sorted(table.items(), key=lambda kv: -len(kv[0]))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 \-]", " ", text.lower())).strip()


def _match_category(name: str, table: list[tuple[str, str]]) -> str | None:
    wanted = _norm(name)
    if not wanted:
        return None
    for alias, key in table:
        if wanted == alias:
            return key
    for alias, key in table:  # "new business meetings" matches alias "meetings"
        if re.search(rf"\b{re.escape(alias)}\b", wanted):
            return key
    return None


def read_words(text: str, categories: Sequence[CategoryRef], today: date) -> WordsReading:
    """Read `prospecting 2, meetings 1.5, accounts 4` (optionally `yesterday …`)."""
    body = text.strip()
    day = today
    prefix = _DATE_PREFIX.match(body)
    if prefix:
        word = prefix.group(1).lower()
        if word == "yesterday":
            day = today - timedelta(days=1)
        elif word != "today":
            try:
                day = date.fromisoformat(word)
            except ValueError:
                return WordsReading(today, unreadable=[prefix.group(1)])
        body = body[prefix.end() :]
    reading = WordsReading(day)
    if _norm(body) in DAY_OFF_WORDS:
        reading.day_off = True
        return reading
    table = _alias_table(categories)
    for part in (p.strip() for p in _ITEM_SPLIT.split(body)):
        if not part:
            continue
        match = _NAME_FIRST.match(part) or _NUMBER_FIRST.match(part)
        key = _match_category(match.group("name"), table) if match else None
        if match is None or key is None:
            reading.unreadable.append(part)
            continue
        try:
            value = parse_hours(match.group("num"))
        except HoursError:
            reading.unreadable.append(part)
            continue
        reading.hours[key] = reading.hours.get(key, Decimal(0)) + value
    return reading
