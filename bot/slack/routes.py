"""Plain HTTP routes beside Slack's (the webhooks): a request, a response, no framework."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class HttpRequest:
    """A plain request for feature routes (the webhooks).

    `headers` are lower-cased; `raw_query` is the query string as received and `scheme` the
    one the server was called with (a signature over the URL needs both as they were).
    """

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    query: dict[str, list[str]] = field(default_factory=dict)
    raw_query: str = ""
    scheme: str = "http"

    def param(self, name: str) -> str | None:
        """The first value of a query parameter, or None."""
        values = self.query.get(name)
        return values[0] if values else None


@dataclass
class HttpResponse:
    """A plain response: status code, JSON-able body or text, headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        """Body bytes and content type."""
        if isinstance(self.body, bytes | str):
            raw = self.body.encode() if isinstance(self.body, str) else self.body
            return raw, self.headers.get("Content-Type", "text/plain; charset=utf-8")
        return json.dumps(self.body).encode(), "application/json"


Route = Callable[[HttpRequest], HttpResponse]
