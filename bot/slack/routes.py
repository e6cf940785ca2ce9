"""Plain HTTP routes beside Slack's (the deal-won webhook): a request, a response, no framework."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class HttpRequest:
    """A plain request for feature routes (the webhook)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    query: dict[str, list[str]] = field(default_factory=dict)


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
