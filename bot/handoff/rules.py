"""Pure hand-off rules: account keys, channel names, deal values, inline args, nudge dates."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

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
    if value >= Decimal("1e12"):
        raise ValueError("That deal value is too large.")
    return value.quantize(Decimal("0.01"))


MENTION = r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>"
_INLINE = re.compile(rf"\b(am|rep|value):\s*({MENTION}|\S+)", re.IGNORECASE)


@dataclass
class InlineWin:
    """`/rolesplit won Acme Corp am:@dana rep:@sam value:12000`, read."""

    account: str
    account_manager: str | None = None
    sales_rep: str | None = None
    value: Decimal | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def has_fields(self) -> bool:
        """True when any `am:`/`rep:`/`value:` was given (skip the modal)."""
        return bool(self.account_manager or self.sales_rep or self.value is not None or self.errors)


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
        else:
            try:
                win.value = parse_value(raw)
            except ValueError as err:
                win.errors.append(str(err))
    return win


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
