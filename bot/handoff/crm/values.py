"""Bounded reading of CRM deliveries: JSON limits, text, ids, e-mails, money and win dates.

Every reader raises `CrmPayloadError` naming its field, and nothing else.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from bot.handoff.crm import CrmDelivery, CrmPayloadError, missing_for
from bot.slack.inbound import BadInput
from bot.slack.inbound import load_json as load_edge_json
from storage.models import MONEY_LIMIT

MAX_DEPTH = 32  # nesting of arrays/objects; the CRMs' deal payloads use 4 at most
MAX_TEXT = 200
MAX_ID = 64
CENT = Decimal("0.01")
MAX_EPOCH_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# a JSON string (escapes included) or one bracket: strings are skipped whole, so brackets
# inside them are not counted as nesting
# NUL, the other C0 controls but tab/newline/return, DEL, and lone surrogates (json.loads
# joins valid surrogate pairs, so any left are unpaired)
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")
_NUMBER = re.compile(r"[+-]?(?:\d{1,30}(?:\.\d{0,30})?|\.\d{1,30})(?:[eE][+-]?\d{1,3})?")
_EPOCH_MS = re.compile(r"\d{1,16}")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})([T ].*)?", re.DOTALL)


def load_json(body: bytes, *, max_bytes: int) -> Any:
    """The body as JSON: at most `max_bytes`, UTF-8, nesting ≤ 32, no NaN/Infinity."""
    if len(body) > max_bytes:
        raise CrmPayloadError("body", f"is {len(body)} bytes; the limit is {max_bytes}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise CrmPayloadError("body", "is not UTF-8 text") from None
    try:
        return load_edge_json(text, "body", max_depth=MAX_DEPTH, decimals=True)
    except BadInput as err:
        raise CrmPayloadError(err.field, err.message) from None


def clean_text(raw: object, field: str, *, limit: int = MAX_TEXT) -> str | None:
    """Text without NUL, control characters or lone surrogates, trimmed, at most `limit`."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise CrmPayloadError(field, "must be text")
    text = _UNSAFE_TEXT.sub("", str(raw)).strip()
    return text[:limit].rstrip() or None


def clean_id(raw: object, field: str, *, required: bool = False) -> str | None:
    """An id (a whole number or letters, digits, `-`, `_`; at most 64); blank is none."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise CrmPayloadError(field, "is required")
        return None
    negative = isinstance(raw, int) and raw < 0
    if isinstance(raw, bool) or not isinstance(raw, str | int) or negative:
        raise CrmPayloadError(field, "must be an id (a number or letters and digits)")
    text = str(raw).strip()
    if not _ID.fullmatch(text):
        raise CrmPayloadError(field, f"must be an id of at most {MAX_ID} letters and digits")
    return text


def clean_email(raw: object, field: str) -> str | None:
    """An e-mail address, lower-cased; blank is none."""
    text = clean_text(raw, field, limit=1000)
    if text is None:
        return None
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        raise CrmPayloadError(field, "must be an e-mail address")
    return text.lower()


def parse_value(raw: object, field: str) -> Decimal | None:
    """A deal value that fits the account's value column: 0 up to MONEY_LIMIT, in cents."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal):
        raise CrmPayloadError(field, "must be a number like 12000 or 12000.50")
    if isinstance(raw, str):
        if not _NUMBER.fullmatch(raw.strip()):
            raise CrmPayloadError(field, "must be a number like 12000 or 12000.50")
        raw = raw.strip()
    try:
        number = Decimal(raw)
    except (InvalidOperation, ValueError):
        raise CrmPayloadError(field, "must be a number like 12000 or 12000.50") from None
    if not number.is_finite():
        raise CrmPayloadError(field, "must be a number like 12000 or 12000.50")
    if number < 0:
        raise CrmPayloadError(field, "must not be negative")
    cents = number.quantize(CENT, rounding=ROUND_HALF_UP) if number < MONEY_LIMIT else number
    if cents >= MONEY_LIMIT:
        raise CrmPayloadError(field, f"must be less than {MONEY_LIMIT:,}")
    return cents if cents else Decimal("0.00")  # never -0.00


def one_year_before(today: date) -> date:
    """The same day a year earlier (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def won_date(raw: object, field: str, today: date) -> date | None:
    """The day a deal was won, at most a year before `today` and not after it.

    Takes a calendar date (`2026-03-09`), a UTC instant (`2026-03-09T16:20:00Z`,
    `2026-03-09 16:20:00`) or milliseconds since the epoch (HubSpot). An instant's UTC day
    may be one day ahead of the workspace's `today` (a win in the evening west of UTC): that
    day counts as today.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    day, instant = _day(raw, field)
    if instant and day == today + timedelta(days=1):
        day = today
    if day > today:
        raise CrmPayloadError(field, f"is {day}, after today ({today}): a win can't be dated ahead")
    if day < one_year_before(today):
        raise CrmPayloadError(
            field, f"is {day}, more than a year ago: a win may be dated at most a year back"
        )
    return day


def _day(raw: object, field: str) -> tuple[date, bool]:
    bad = "must be a date like 2026-03-09 (or milliseconds since 1970)"
    if isinstance(raw, Decimal) and raw.is_finite() and raw == raw.to_integral_value():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise CrmPayloadError(field, bad)
    text = str(raw).strip()
    if _EPOCH_MS.fullmatch(text):
        millis = int(text)
        if millis > MAX_EPOCH_MS:
            raise CrmPayloadError(field, bad)
        return (EPOCH + timedelta(milliseconds=millis)).date(), True
    match = _ISO_DAY.fullmatch(text)
    if not match or len(text) > 40:
        raise CrmPayloadError(field, bad)
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CrmPayloadError(field, bad) from None
    return day, match[4] is not None


def win_delivery(
    crm: str,
    key: str,
    deal_id: str,
    *,
    name: str | None,
    owner_id: str | None,
    owner_email: str | None,
    value: Decimal | None,
    won_at: date | None,
    raw_stage: str | None,
) -> CrmDelivery:
    """A won deal's delivery, with what it lacks (account name, owner) listed."""
    return CrmDelivery(
        crm=crm,
        delivery_key=key,
        deal_id=deal_id,
        is_win=True,
        account_name=name,
        owner_id=owner_id,
        owner_email=owner_email,
        value=value,
        won_at=won_at,
        raw_stage=raw_stage,
        missing=missing_for(name, owner_id, owner_email),
    )
