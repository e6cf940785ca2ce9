"""The edge for input: signature first, then a bounded parse, a shape check and clean text.

Nothing here trusts the body: a request is authenticated on its raw bytes, its size and
nesting are bounded before it is parsed, numbers must be finite and fit 64 bits, and every
string (keys too) loses NUL and unpaired surrogates, so SQLite and PostgreSQL store the same
text and no listener meets a value its code does not expect.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from decimal import Decimal
from itertools import accumulate
from typing import Any
from urllib.parse import parse_qsl

MAX_AGE = 300  # seconds a signed request stays valid (Slack's own rule)
MAX_DEPTH = 64  # nested arrays/objects; Slack's deepest payloads (view state) use about 8
MAX_FORM_FIELDS = 100  # a slash command has 14
MAX_INT_DIGITS = 19  # what a 64-bit column holds
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class BadInput(ValueError):
    """Input refused at the edge; `field` names what was wrong (for the 400 and the log)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def signature_ok(secret: str, timestamp: str, signature: str, body: bytes, now: float) -> bool:
    """Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<body>`, at most 5 minutes old."""
    if not secret or not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return False
    if abs(now - int(timestamp)) > MAX_AGE or not signature.startswith("v0="):
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def nesting_depth(text: str) -> int:
    """How deeply JSON text nests arrays and objects (brackets inside strings do not count).

    Linear and cheap, so it runs before the parser (whose recursion it bounds): escaped
    backslashes and quotes are dropped, the string contents between the remaining quotes
    are skipped, and the brackets left are summed as +1/-1.
    """
    plain = text.replace("\\\\", "").replace('\\"', "")
    outside = "".join(plain.split('"')[::2])
    brackets = _NOT_BRACKET.sub("", outside)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def _finite_decimal(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite() or value.adjusted() > MAX_INT_DIGITS:
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def _int_parser(max_digits: int) -> Any:
    def parse(text: str) -> int:
        if len(text.lstrip("-")) > max_digits:
            raise ValueError(f"number {text[:20]}… is out of range")
        return int(text)

    return parse


def _no_constant(name: str) -> Any:
    raise ValueError(f"has {name}, which JSON does not allow")


def load_json(
    text: str,
    field: str = "body",
    *,
    max_depth: int = MAX_DEPTH,
    max_int_digits: int = MAX_INT_DIGITS,
    decimals: bool = False,
) -> Any:
    """Parse JSON after bounding its nesting; numbers finite and bounded (fractions as Decimal
    with `decimals`, for money); text cleaned."""
    if nesting_depth(text) > max_depth:
        raise BadInput(field, f"nests deeper than {max_depth} levels")
    try:
        value = json.loads(
            text,
            parse_float=_finite_decimal if decimals else _finite,
            parse_int=_int_parser(max_int_digits),
            parse_constant=_no_constant,
        )
    except ValueError as exc:  # JSONDecodeError is a ValueError; so are the hooks' refusals
        raise BadInput(field, f"is not valid JSON ({str(exc)[:80]})") from None
    return clean(value)


def clean_text(text: str) -> str:
    """The text without NUL characters and unpaired surrogates (neither survives PostgreSQL)."""
    return _BAD_TEXT.sub("", text) if _BAD_TEXT.search(text) else text


def clean(value: Any) -> Any:
    """`clean_text` applied to every string in a parsed JSON value, keys included."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def parse_slack_body(text: str, content_type: str | None) -> dict[str, Any]:
    """The payload Bolt would build from a body (JSON, `payload=` form, or plain form), bounded.

    Same rules as Bolt's own parser, so listeners see what they always saw — only checked.
    """
    if not text:
        return {}
    if content_type == "application/json" or text.startswith("{"):
        body = load_json(text)
        if not isinstance(body, dict):
            raise BadInput("body", "must be a JSON object")
        return body
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:
        raise BadInput("body", f"has more than {MAX_FORM_FIELDS} form fields") from None
    form = {clean_text(k): clean_text(v) for k, v in pairs}
    if "payload" not in text:
        return form
    payload = form.get("payload")
    if payload is None:
        return {}
    body = load_json(payload, "payload")
    if not isinstance(body, dict):
        raise BadInput("payload", "must be a JSON object")
    return body
