"""Pure readers for hours: one value (`1.5`, `1:30`, `2h`, `45m`) and a plain-words DM reply.

prospecting 2, meetings 1.5, accounts 4
prospecting 3 accounts 4
yesterday: 2h calls; renewals 1:30 and admin 30m
2026-11-20 day off
help

A reply is read whole or not at all: anything ambiguous is refused with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from bot.timelog.names import CategoryRef as CategoryRef
from bot.timelog.names import Names, candidates, category_names, norm, unknown_words

MAX_DAY = Decimal(24)
QUARTER = Decimal("0.25")
EXAMPLE = "prospecting 2, meetings 1.5, accounts 4"
DAY_OFF_WORDS = frozenset(
    {"day off", "off", "off today", "holiday", "vacation", "pto", "sick", "sick day", "leave"}
)
_HELP = re.compile(
    r"(?:hi|hello|hey|hiya|howdy|yo)(?:\s+(?:there|rolesplit|bot))?"
    r"|help(?:\s+(?:me|please))?|please\s+help|\?+"
    r"|what\s+(?:can|do|should)\s+i\s+(?:type|say|write|send|do|log)(?:\s+here)?"
    r"|how\s+(?:does\s+(?:this|it)\s+work|do\s+i\s+(?:log|use\s+(?:this|it))(?:\s+hours)?)"
    r"|commands|usage|instructions|menu|options|what can you do",
    re.I,
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
# an amount stands on its own: not the 4 of "Q4", nor part of a longer number
_AMOUNT_TOKEN = re.compile(rf"(?<![\w.,\-]){_AMOUNT}(?![\w.,:])", re.I)
# entries: `,` `;` `+` `&` `and` or a new line (a comma between digits is a decimal comma);
# inside one, spaces alone separate `prospecting 3 accounts 4`
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
class Unreadable:
    """One part of a reply that could not be read, and why (always said)."""

    part: str
    reason: str
    unknown: str | None = None  # the word that names no category, when that is the reason


@dataclass
class WordsReading:
    """A plain-words reply: the day, hours per category key, and the parts it could not read.

    `help` is a request for help ("hi", "?"), not an error; `choices` names the categories.
    """

    day: date
    hours: dict[str, Decimal] = field(default_factory=dict)
    unreadable: list[Unreadable] = field(default_factory=list)
    day_off: bool = False
    help: bool = False
    choices: str = ""

    @property
    def total(self) -> Decimal:
        """Sum of the hours read."""
        return sum(self.hours.values(), Decimal(0))


def is_help(text: str) -> bool:
    """`help`, `hi`, `hello`, `hey`, `?`, `what can I type` … (punctuation around ignored)."""
    raw = " ".join(text.split())
    if raw and set(raw) <= {"?", " "}:
        return True
    return bool(_HELP.fullmatch(raw.strip(" !.,:;?").lower()))


def read_words(text: str, categories: Sequence[CategoryRef], today: date) -> WordsReading:
    """Read a reply like `prospecting 2, meetings 1.5, accounts 4` (optionally with a day first)."""
    body = text.strip()
    names = category_names(categories)
    choices = ", ".join(names.typeable[c.key] for c in categories)
    if len(body) > MAX_TEXT:
        return WordsReading(today, unreadable=[Unreadable(_short(body), "too long to read")])
    if is_help(body):
        return WordsReading(today, help=True, choices=choices)
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
    reading = WordsReading(day, choices=choices)
    if norm(body) in DAY_OFF_WORDS:
        reading.day_off = True
        return reading
    for part in (p.strip(" .!") for p in _SPLIT.split(body)):
        if part:
            _read_part(part, names, reading)
    if not (reading.hours or reading.unreadable):
        reading.unreadable.append(Unreadable(_short(body), "there are no hours in it"))
    return reading


def _read_part(part: str, names: Names, reading: WordsReading) -> None:
    """One entry between separators: `prospecting 2`, `2h of calls`, `prospecting 3 accounts 4`."""
    if re.search(r"(?:^|\s)-\d", part):
        reading.unreadable.append(Unreadable(part, "Hours can't be negative."))
        return
    items = _items(part)
    amounts = [i for i in items if i[0] == "A"]
    words = [i for i in items if i[0] == "W"]
    if not amounts:
        reading.unreadable.append(_no_hours(part, words[0][1] if words else part, names, reading))
        return
    if not words:
        nums = " and ".join(a[1] for a in amounts)
        reading.unreadable.append(Unreadable(part, f"{nums}: which category is that for?"))
        return
    kinds = "".join(i[0] for i in items)
    if "AA" in kinds or kinds.count("A") > kinds.count("W"):
        name = _name_of(words[0][1], names)
        nums = " and ".join(a[1] for a in amounts)
        reason = (
            f"two numbers for {name}, {nums} — which one is it?"
            if len(words) == 1
            else "a number without its category — put each number right after its category"
        )
        reading.unreadable.append(Unreadable(part, reason))
        return
    if kinds.count("W") > kinds.count("A"):
        if len(amounts) == 1:
            first, second = (_name_of(w[1], names) for w in words[:2])
            why = f"a category without hours — is {amounts[0][1]} for {first} or {second}?"
        else:
            why = "a category without hours — put the hours right after each category"
        reading.unreadable.append(Unreadable(part, why))
        return
    name_first = kinds[0] == "W"
    for n in range(0, len(items), 2):
        said, num = (items[n], items[n + 1]) if name_first else (items[n + 1], items[n])
        whole = part[min(said[2], num[2]) : max(said[3], num[3])]
        _read_entry(whole, said[1], num[1], names, reading)


Item = tuple[str, str, int, int]  # "A" (an amount) or "W" (words), its text, start, end


def _items(part: str) -> list[Item]:
    """The part as amounts and runs of words in order (runs without a letter are dropped)."""
    items: list[Item] = []
    at = 0
    for m in _AMOUNT_TOKEN.finditer(part):
        _add_words(part, at, m.start(), items)
        items.append(("A", m.group(0).strip(), m.start(), m.end()))
        at = m.end()
    _add_words(part, at, len(part), items)
    return items


def _add_words(part: str, start: int, end: int, items: list[Item]) -> None:
    run = part[start:end].strip(" :=-–—()")
    if re.search(r"[^\W\d_]", run):
        items.append(("W", run, start, end))


def _name_of(words: str, names: Names) -> str:
    found = candidates(words, names)
    return names.typeable[next(iter(found))] if len(found) == 1 else f"“{_short(words)}”"


def _no_hours(part: str, words: str, names: Names, reading: WordsReading) -> Unreadable:
    """A part without a number: a category without hours, or words that are no category."""
    found = candidates(words, names)
    if len(found) == 1:
        name = names.typeable[next(iter(found))]
        return Unreadable(part, f"no hours for {name} — add them, e.g. {name} 2")
    if found:
        return _ambiguous(part, words, found, names)
    if len(words.split()) > 2:  # a sentence ("had a great day!") rather than a name
        return Unreadable(part, "there are no hours in it")
    return _unknown(part, words, reading)


def _unknown(part: str, words: str, reading: WordsReading) -> Unreadable:
    word = _short(unknown_words(words))
    why = f"I don't know “{word}” — the categories are {reading.choices}"
    return Unreadable(part, why, unknown=word)


def _ambiguous(part: str, words: str, keys: frozenset[str], names: Names) -> Unreadable:
    options = " or ".join(sorted(names.typeable[k] for k in keys))
    return Unreadable(part, f"“{_short(norm(words))}” could be {options} — name one of them")


def _read_entry(part: str, words: str, amount: str, names: Names, reading: WordsReading) -> None:
    found = candidates(words, names)
    if len(found) != 1:
        problem = _ambiguous(part, words, found, names) if found else None
        reading.unreadable.append(problem or _unknown(part, words, reading))
        return
    try:
        value = parse_hours(amount)
    except HoursError as err:
        reading.unreadable.append(Unreadable(part, str(err)))
        return
    key = next(iter(found))  # the same category twice ("calls 1, research 2") adds up
    reading.hours[key] = reading.hours.get(key, Decimal(0)) + value


def format_entries(entries: Iterable[tuple[str, Decimal]]) -> str:
    """`prospecting 2, meetings 1.5` from (name, hours) pairs — the inverse of read_words."""
    return ", ".join(f"{name} {format(hours.normalize(), 'f')}" for name, hours in entries)
