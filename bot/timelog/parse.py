"""Pure readers for hours: one value (`1.5`, `1:30`, `2h`, `45m`) and a plain-words DM reply.

prospecting 2, meetings 1.5, accounts 4
yesterday: 2h calls; renewals 1:30 and admin 30m
2026-11-20 day off
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

MAX_DAY = Decimal(24)
QUARTER = Decimal("0.25")
EXAMPLE = "prospecting 2, meetings 1.5, accounts 4"
DAY_OFF_WORDS = frozenset(
    {"day off", "off", "off today", "holiday", "vacation", "pto", "sick", "sick day", "leave"}
)
# label words that name no category on their own
STOPWORDS = frozenset(
    {"and", "or", "the", "of", "for", "with", "to", "in", "on", "new", "day", "other", "tasks"}
)

_HOURS_UNIT = r"(?:h|hr|hrs|hour|hours)\b"
_MIN_UNIT = r"(?:m|min|mins|minute|minutes)\b"
MAX_TEXT = 2000
_AMOUNT = (
    rf"(?:\d{{1,2}}\s*h\s*\d{{1,2}}\s*(?:{_MIN_UNIT})?"  # 1h30, 1h 30m
    rf"|\d{{1,2}}:\d{{2}}\s*(?:{_HOURS_UNIT})?"  # 1:30
    rf"|\d{{1,4}}\s*{_MIN_UNIT}"  # 90m, 45 min
    rf"|(?:\d+(?:[.,]\d+)?|[.,]\d+)\s*(?:{_HOURS_UNIT})?)"  # 2, 1.5, 1,5, .75, 2h
)
_NAME_FIRST = re.compile(
    rf"^(?P<name>.*?[^\W\d].*?)\s*(?:[:=]|-(?=\s))?\s*(?P<num>{_AMOUNT})$", re.I
)
# "2h of calls", "2 hrs internal": the connector is a whole word ("in" is not "internal")
_NUMBER_FIRST = re.compile(rf"^(?P<num>{_AMOUNT})\s*(?:(?:of|on|for|in)\b)?\s*(?P<name>\D+)$", re.I)
# items: `,` `;` `+` `&` `and` or a new line; a comma between digits is a decimal comma
_SPLIT = re.compile(r"\s*(?:;|\n|\+|&|\band\b|(?<!\d),|,(?!\d))\s*", re.I)
_PREFIX = re.compile(r"^\s*(yesterday|today|\d{4}-\d{1,2}-\d{1,2})\b\s*[:,\-]?\s*", re.I)


class HoursError(ValueError):
    """A value that is not a valid number of hours; the message says why and what to type."""


def parse_hours(text: str | None) -> Decimal:
    """Exact hours from `2`, `1.5`, `1,5`, `1:30`, `2h`, `1h30`, `45m` (empty is 0)."""
    raw = " ".join((text or "").lower().split())
    if not raw:
        return Decimal(0)
    if raw.startswith("-"):
        raise HoursError("Hours can't be negative.")
    value = _amount(raw)
    if value is None:
        raise HoursError(f"“{_short(text or '')}” isn't a number of hours — try 1.5 or 1:30.")
    if value > MAX_DAY:
        raise HoursError("That's more than 24 hours in one field.")
    if value % QUARTER:
        raise HoursError("Use quarter hours like 1.25 (or 1:15).")
    return value.quantize(Decimal("0.01"))


def _amount(raw: str) -> Decimal | None:
    """The number of hours an amount says, or None when it isn't one."""
    raw = raw.replace(" ", "")
    hm = re.fullmatch(rf"(\d{{1,2}})h(\d{{1,2}})(?:{_MIN_UNIT})?", raw)
    if hm:
        minutes = int(hm.group(2))
        return Decimal(hm.group(1)) + Decimal(minutes) / 60 if minutes < 60 else None
    clock = re.fullmatch(rf"(\d{{1,2}}):(\d{{2}})(?:{_HOURS_UNIT})?", raw)
    if clock:
        minutes = int(clock.group(2))
        return Decimal(clock.group(1)) + Decimal(minutes) / 60 if minutes < 60 else None
    mins = re.fullmatch(rf"(\d{{1,4}}){_MIN_UNIT}", raw)
    if mins:
        return Decimal(mins.group(1)) / 60
    plain = re.fullmatch(rf"(\d+(?:[.,]\d+)?|[.,]\d+)(?:{_HOURS_UNIT})?", raw)
    if plain:
        try:
            return Decimal(plain.group(1).replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            return None
    return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class CategoryRef:
    """What the readers need to know of a category."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\-]+", " ", text.lower().replace("_", " ")).split())


def alias_table(categories: Sequence[CategoryRef]) -> dict[str, str]:
    """Name → category key: keys, aliases, and the label's words that belong to one category."""
    table: dict[str, str] = {}
    for cat in categories:  # explicit names first: they win over label words
        for name in (cat.key, cat.key.replace("_", " "), *cat.aliases):
            table.setdefault(_norm(name), cat.key)
    owners: dict[str, set[str]] = {}
    for cat in categories:
        for word in _norm(cat.label).split():
            if len(word) >= 3 and word not in STOPWORDS and not word.isdigit():
                owners.setdefault(word, set()).add(cat.key)
    for word, keys in owners.items():
        if len(keys) == 1:
            table.setdefault(word, next(iter(keys)))
    table.pop("", None)
    return table


def match_category(name: str, table: Mapping[str, str]) -> str | None:
    """The one category a name means (exact name, else the names it contains), or None."""
    wanted = _norm(name)
    if not wanted:
        return None
    if wanted in table:
        return table[wanted]
    found: list[tuple[int, int, str]] = []
    for alias, key in table.items():
        for m in re.finditer(rf"(?<![\w\-]){re.escape(alias)}(?![\w\-])", wanted):
            found.append((m.start(), m.end(), key))
    # a name inside a longer found name ("meetings" in "sales meetings") is not a second vote
    kept = {
        k
        for s, e, k in found
        if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in found)
    }
    return next(iter(kept)) if len(kept) == 1 else None


@dataclass(frozen=True)
class Unreadable:
    """One part of a reply that could not be read, and why when we know."""

    part: str
    reason: str | None = None


@dataclass
class WordsReading:
    """A plain-words reply: the day, hours per category key, and the parts it could not read."""

    day: date
    hours: dict[str, Decimal] = field(default_factory=dict)
    unreadable: list[Unreadable] = field(default_factory=list)
    day_off: bool = False

    @property
    def total(self) -> Decimal:
        """Sum of the hours read."""
        return sum(self.hours.values(), Decimal(0))


def read_words(text: str, categories: Sequence[CategoryRef], today: date) -> WordsReading:
    """Read a reply like `prospecting 2, meetings 1.5, accounts 4` (optionally with a day first)."""
    body = text.strip()
    if len(body) > MAX_TEXT:
        return WordsReading(today, unreadable=[Unreadable(_short(body), "too long to read")])
    day = today
    prefix = _PREFIX.match(body)
    if prefix:
        word = prefix.group(1).lower()
        if word == "yesterday":
            day = today - timedelta(days=1)
        elif word != "today":
            try:
                y, m, d = (int(p) for p in word.split("-"))
                day = date(y, m, d)
            except ValueError:
                return WordsReading(today, unreadable=[Unreadable(prefix.group(1), "not a date")])
        body = body[prefix.end() :]
    reading = WordsReading(day)
    if _norm(body) in DAY_OFF_WORDS:
        reading.day_off = True
        return reading
    table = alias_table(categories)
    for part in (p.strip(" .!") for p in _SPLIT.split(body)):
        if part:
            _read_part(part, table, reading)
    return reading


def _read_part(part: str, table: Mapping[str, str], reading: WordsReading) -> None:
    if re.search(r"(?:^|\s)-\d", part):
        reading.unreadable.append(Unreadable(part, "Hours can't be negative."))
        return
    match = _NAME_FIRST.match(part) or _NUMBER_FIRST.match(part)
    if match is None:
        reading.unreadable.append(Unreadable(part))
        return
    key = match_category(match.group("name"), table)
    if key is None:
        reading.unreadable.append(Unreadable(part, "which category?"))
        return
    try:
        value = parse_hours(match.group("num"))
    except HoursError as err:
        reading.unreadable.append(Unreadable(part, str(err)))
        return
    reading.hours[key] = reading.hours.get(key, Decimal(0)) + value


def format_entries(entries: Iterable[tuple[str, Decimal]]) -> str:
    """`prospecting 2, meetings 1.5` from (name, hours) pairs — the inverse of read_words."""
    return ", ".join(f"{name} {format(hours.normalize(), 'f')}" for name, hours in entries)
