"""Logging: plain text or one JSON object per line; tokens and secrets are always redacted.

Structured fields (pass them with `extra=`) that operators can rely on:

- every HTTP request: `method`, `path`, `status`, `ms`, `team_id` (empty when unknown),
  `outcome` (see `request_outcome`), and for Slack requests `kind` and `retry`;
- every scheduled item (a prompt, reminder, rollup or nudge): `job`, `team_id`, `outcome`;
- every job of a pass that handled something (logger `bot.jobs`): `job`, `items`, `outcome`, `ms`.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, quote_plus

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

# Slack tokens, v0 signatures (also URL-encoded), and the credential after "Bearer"/"Basic".
TOKEN_RE = re.compile(
    r"xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|v0(?:=|%3[Dd])[0-9a-fA-F]{64}"
)
AUTH_RE = re.compile(r"(?i)\b(bearer|basic)(\s+|%20|\+)[A-Za-z0-9._~+/=%-]{6,}")
REDACTED = "[redacted]"
MIN_SECRET = 6
_STD_ATTRS = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
_REQUEST: ContextVar[dict[str, Any] | None] = ContextVar("rolesplit_request", default=None)


def configured_secrets(settings: Any) -> list[str | None]:
    """Every secret a Settings object holds: tokens, signing/client/webhook secrets, DB password."""
    secrets: list[str | None] = [
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.slack_client_secret,
        settings.webhook_secret,
        settings.hubspot_secret,
        settings.pipedrive_password,
    ]
    with suppress(ArgumentError):  # a malformed URL fails elsewhere, with a clear message
        secrets.append(make_url(settings.database_url).password)
    return secrets


def request_outcome(status: int) -> str:
    """The `outcome` of an HTTP request: ok | unauthorized | too_large | rejected | error."""
    if status < 400:
        return "ok"
    if status in (401, 403):
        return "unauthorized"
    if status == 413:
        return "too_large"
    return "rejected" if status < 500 else "error"


@contextmanager
def request_scope() -> Iterator[dict[str, Any]]:
    """Collect `annotate()` fields for the request served in this thread."""
    fields: dict[str, Any] = {}
    token = _REQUEST.set(fields)
    try:
        yield fields
    finally:
        _REQUEST.reset(token)


def annotate(**fields: Any) -> None:
    """Add fields (e.g. `team_id`) to the current HTTP request's log line; no-op outside one."""
    current = _REQUEST.get()
    if current is not None:
        current.update(fields)


class RedactingFilter(logging.Filter):
    """Replace Slack tokens, signatures and configured secrets in every record."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        forms: set[str] = set()
        for secret in secrets:
            if not secret or len(secret) < MIN_SECRET:
                continue
            # as written, URL-encoded (form bodies, query strings) and JSON-escaped
            forms |= {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}
        self.secrets = sorted(forms, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        """The text with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = TOKEN_RE.sub(REDACTED, text)
        return AUTH_RE.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)

    def scrub_value(self, value: Any) -> Any:
        """A field value with secrets replaced, recursing into containers."""
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {self.scrub(str(k)): self.scrub_value(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.scrub_value(v) for v in value]
        if isinstance(value, bytes | bytearray):
            return self.scrub(bytes(value).decode("utf-8", "replace"))
        return self.scrub(str(value))

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.scrub(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        for key, value in list(record.__dict__.items()):
            if key not in _STD_ATTRS:
                setattr(record, key, self.scrub_value(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STD_ATTRS and not key.startswith("_"):
                data[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exception"] = record.exc_text
        if record.stack_info:
            data["stack"] = record.stack_info
        return json.dumps(data, default=str)


class TextFormatter(logging.Formatter):
    """Readable lines with `extra=` fields appended as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = [
            f"{k}={v}"
            for k, v in record.__dict__.items()
            if k not in _STD_ATTRS and not k.startswith("_")
        ]
        return line + (" " + " ".join(extras) if extras else "")


class RedactingHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler that scrubs each record (filter) and, again, each finished line."""

    def __init__(self, stream: Any, redactor: RedactingFilter) -> None:
        super().__init__(stream)
        self.redactor = redactor
        self.addFilter(redactor)

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor.scrub(super().format(record))


def setup_logging(
    fmt: str, secrets: Iterable[str | None], level: int = logging.INFO, stream: Any = None
) -> logging.Handler:
    """Install one root handler with the chosen format and the redaction filter."""
    handler = RedactingHandler(stream or sys.stderr, RedactingFilter(secrets))
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_rolesplit", False):
            root.removeHandler(old)
    handler._rolesplit = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("slack_bolt", "slack_sdk", "apscheduler", "waitress", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
