"""Pure hand-off rules: account keys, channel names, deal values, inline args, nudge dates."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from storage.models import MONEY_LIMIT

LEGAL_SUFFIXES = {
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "plc",
    "sa",
    "ag",
    "bv",
    "pty",
    "srl",
    "sarl",
}
CHANNEL_PREFIX = "handoff-"
MAX_CHANNEL = 80


def account_key(name: str, crm_id: str | None = None) -> str:
    """The idempotency key: `crm:<id>` when a CRM id is given, else `name:<normalised name>`."""
    if crm_id and crm_id.strip():
        return "crm:" + crm_id.strip()[:190]
    return "name:" + normalise_name(name)[:190]


def normalise_name(name: str) -> str:
    """`ACME, Inc.` and `Acme Inc` and `acme` are the same account (casefold, no suffixes)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    words = re.findall(r"\w+", text)
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def channel_slug(name: str, max_length: int = MAX_CHANNEL) -> str:
    """`#handoff-<slug>` by Slack's rules: lowercase letters, digits, `-`, `_`, ≤ 80 characters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_name.lower()).strip("-_")
    slug = re.sub(r"-{2,}", "-", slug)
    if len(slug) < 2:  # nothing Latin survived (e.g. 東京商事): a short stable hash instead
        slug = (slug + "-" if slug else "") + hashlib.sha1(name.encode()).hexdigest()[:8]
    room = max_length - len(CHANNEL_PREFIX) - 4  # keep space for a "-99" suffix
    return CHANNEL_PREFIX + slug[:room].strip("-_")


def numbered(base: str, n: int) -> str:
    """The n-th candidate name for a taken channel: base, base-2, base-3, …"""
    return base if n <= 1 else f"{base}-{n}"[:MAX_CHANNEL]


def parse_value(text: str) -> Decimal:
    """`12000`, `12,000`, `$12,000`, `12k`, `1.5m` → Decimal; ValueError with a reason."""
    raw = text.strip().lower().replace(",", "").replace("$", "").replace("€", "").replace("£", "")
    mult = Decimal(1)
    if raw.endswith("k"):
        raw, mult = raw[:-1], Decimal(1000)
    elif raw.endswith("m"):
        raw, mult = raw[:-1], Decimal(1_000_000)
    try:
        value = Decimal(raw) * mult
    except InvalidOperation:
        raise ValueError(f"“{text}” isn't an amount — use e.g. 12000, 12,000 or 12k.") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"“{text}” isn't an amount — use e.g. 12000, 12,000 or 12k.")
    if value >= MONEY_LIMIT:
        raise ValueError("That deal value is too large.")
    return value.quantize(Decimal("0.01"))


MENTION = r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>"
_INLINE = re.compile(rf"\b(am|rep|value|won):\s*({MENTION}|\S+)", re.IGNORECASE)


@dataclass
class InlineWin:
    """`/rolesplit won Acme Corp am:@dana rep:@sam value:12000`, read."""

    account: str
    account_manager: str | None = None
    sales_rep: str | None = None
    value: Decimal | None = None
    won_at: date | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def has_fields(self) -> bool:
        """True when any `am:`/`rep:`/`value:`/`won:` was given (skip the modal)."""
        return bool(
            self.account_manager
            or self.sales_rep
            or self.value is not None
            or self.won_at
            or self.errors
        )


def parse_inline(args: str) -> InlineWin:
    """Split the account name from its `key:value` fields; unknown forms become errors."""
    win = InlineWin(account=_INLINE.sub("", args).strip(" ,"))
    for key, raw, user in _INLINE.findall(args):
        key = key.lower()
        if key in ("am", "rep"):
            if not user:
                win.errors.append(f"`{key}:` needs a mention, e.g. `{key}:@dana`.")
            elif key == "am":
                win.account_manager = user
            else:
                win.sales_rep = user
        elif key == "won":
            try:
                win.won_at = date.fromisoformat(raw)
            except ValueError:
                win.errors.append(f"`won:{raw}` isn't a date — use e.g. `won:2026-11-02`.")
        else:
            try:
                win.value = parse_value(raw)
            except ValueError as err:
                win.errors.append(str(err))
    return win


def year_before(day: date) -> date:
    """The same date a year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def check_won_at(won: date, today: date) -> str | None:
    """Why a win date is refused (at most a year back, not in the future), or None."""
    if won > today:
        return (
            f"{won:%-d %b %Y} is in the future — a win is dated today ({today:%-d %b}) or before."
        )
    earliest = year_before(today)
    if won < earliest:
        return (
            f"{won:%-d %b %Y} is more than a year ago — use a date on or after "
            f"{earliest.isoformat()}."
        )
    return None


def nudge_schedule(
    won: date, transfer_on: date, nudge_days: tuple[int, ...]
) -> list[tuple[str, date]]:
    """The fixed nudges: day N after the win (before the transfer), then the transfer date."""
    plan = [
        (f"day{d}", won + timedelta(days=d))
        for d in sorted(set(nudge_days))
        if won + timedelta(days=d) < transfer_on
    ]
    plan.append(("transfer", transfer_on))
    return plan


OVERDUE_GRACE_DAYS = 7
MAX_CHECKINS = 1000


@dataclass(frozen=True)
class NudgePlan:
    """The nudges of a win: those to send, and those over a week overdue when it was declared."""

    scheduled: list[tuple[str, date]]
    skipped: list[tuple[str, date]]

    @property
    def transferred(self) -> bool:
        """True when the transfer date was already over a week past at the declaration."""
        return any(kind == "transfer" for kind, _ in self.skipped)


def plan_nudges(
    won: date,
    declared: date,
    transfer_on: date,
    nudge_days: tuple[int, ...],
    checkin_days: int,
    grace_days: int = OVERDUE_GRACE_DAYS,
) -> NudgePlan:
    """Nudges from the win's date, seen from the declaration day: over a week late → skipped.

    When the transfer itself is long past, the partner check-ins that follow it are planned
    up to the first one still due, so the chain of check-ins carries on from there.
    """
    cutoff = declared - timedelta(days=grace_days)
    plan = nudge_schedule(won, transfer_on, nudge_days)
    if transfer_on < cutoff:
        step = timedelta(days=max(1, checkin_days))
        day = transfer_on
        for n in range(1, MAX_CHECKINS + 1):
            day += step
            plan.append((f"checkin{n}", day))
            if day >= cutoff:
                break
    return NudgePlan(
        scheduled=[(k, d) for k, d in plan if d >= cutoff],
        skipped=[(k, d) for k, d in plan if d < cutoff],
    )


def nudge_label(kind: str) -> str:
    """`day7` → `day 7`, `transfer` → `transfer`, `checkin2` → `partner check-in 2`."""
    if kind.startswith("day"):
        return f"day {kind[3:]}"
    if kind.startswith("checkin"):
        return f"partner check-in {kind[7:]}"
    return kind


DECLARE_REFUSAL = (
    "Only managers, and reps on the roster naming themselves as the sales rep, can declare a win."
)


def declare_refusal(
    caller: str, rep: str | None, caller_is_manager: bool, caller_role: str | None
) -> str | None:
    """None when the caller may declare this win, else why not (managers; roster reps as rep)."""
    if caller_is_manager:
        return None
    if caller_role in ("hunter", "farmer", "hybrid") and rep == caller:
        return None
    if caller_role in ("hunter", "farmer", "hybrid"):
        return DECLARE_REFUSAL + " Name yourself as the rep (`rep:@you`), or ask a manager."
    return DECLARE_REFUSAL


@dataclass(frozen=True)
class Candidate:
    """A farmer who could take the account."""

    user_id: str
    open_handoffs: int
    last_assigned_ordinal: int | None  # date ordinal of the last assignment, None = never


def choose_account_manager(candidates: list[Candidate]) -> str | None:
    """Fewest open hand-offs; ties: never assigned first, then longest since the last one."""
    if not candidates:
        return None
    best = min(
        candidates, key=lambda c: (c.open_handoffs, c.last_assigned_ordinal or -1, c.user_id)
    )
    return best.user_id
