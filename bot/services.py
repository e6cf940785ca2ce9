"""What every feature shares: settings, the database, the clock, the Slack clients, caches."""

from __future__ import annotations

import threading
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

# OrmSession: the dataclass field `Session` (the factory) would shadow the type in the class body
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from bot.config import Settings, WorkspaceConfig, effective
from bot.slack.client import SlackClients
from bot.slack.installs import DbInstallationStore
from storage.db import make_engine, make_sessionmaker
from storage.models import Workspace, utcnow

USER_INFO_TTL_SECONDS = 300.0
CACHE_ENTRIES = 10_000  # per cache: a users.info answer is ~2 KB, so at most ~20 MB


class TTLCache:
    """A tiny thread-safe cache with per-entry expiry and a size bound (Slack data that
    rarely changes): when full, expired entries go first, then the oldest."""

    def __init__(
        self,
        ttl: float,
        clock: Callable[[], float] = _time.monotonic,
        max_entries: int = CACHE_ENTRIES,
    ) -> None:
        self._ttl, self._clock, self.max_entries = ttl, clock, max_entries
        self._data: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: Any) -> Any | None:
        """The cached value, or None when absent or expired."""
        with self._lock:
            hit = self._data.get(key)
            if hit is None or hit[0] < self._clock():
                self._data.pop(key, None)
                return None
            return hit[1]

    def put(self, key: Any, value: Any) -> None:
        """Store a value for the cache's lifetime."""
        with self._lock:
            now = self._clock()
            self._data.pop(key, None)  # a refreshed entry becomes the newest
            if len(self._data) >= self.max_entries:
                for old in [k for k, (expires, _v) in self._data.items() if expires < now]:
                    del self._data[old]
                while len(self._data) >= self.max_entries:  # insertion order: oldest first
                    del self._data[next(iter(self._data))]
            self._data[key] = (now + self._ttl, value)

    def drop(self, key: Any) -> None:
        """Forget one entry."""
        with self._lock:
            self._data.pop(key, None)


@dataclass
class Services:
    """Shared state of one process: settings, the database, the clock, Slack clients, caches."""

    settings: Settings
    engine: Engine
    Session: sessionmaker[OrmSession]
    clock: Callable[[], datetime] = utcnow
    # read-only transactions (SQLite: deferred, so they never queue behind the writer)
    Read: sessionmaker[OrmSession] | None = None
    installation_store: DbInstallationStore | None = None
    user_cache: TTLCache = field(default_factory=lambda: TTLCache(USER_INFO_TTL_SECONDS))
    slack: SlackClients = field(init=False)

    def __post_init__(self) -> None:
        self.slack = SlackClients(self.settings, self.installation_store)

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> Services:
        """Build the engine and session factory from DATABASE_URL."""
        engine = make_engine(settings.database_url)
        read_engine = (
            make_engine(settings.database_url, read_only=True)
            if engine.dialect.name == "sqlite"
            else None
        )
        if settings.oauth and "installation_store" not in kwargs:
            assert settings.slack_client_id
            kwargs["installation_store"] = DbInstallationStore(
                settings.slack_client_id, engine, read_engine
            )
        read = make_sessionmaker(read_engine) if read_engine is not None else None
        return cls(
            settings=settings, engine=engine, Session=make_sessionmaker(engine), Read=read, **kwargs
        )

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        if self.Read is not None:
            self.Read.kw["bind"].dispose()

    def read(self) -> OrmSession:
        """A session for reads only (`with services.read() as s:`)."""
        return (self.Read or self.Session)()

    def now(self) -> datetime:
        """The current instant (tests pin it)."""
        return self.clock()

    def config(self, workspace: Workspace) -> WorkspaceConfig:
        """A workspace's effective settings (requests read theirs from the request context)."""
        return effective(self.settings, workspace.settings)

    def user_info(self, client: WebClient, team_id: str, user_id: str) -> dict[str, Any] | None:
        """users.info, cached for a few minutes; None when Slack does not know the user."""
        key = (team_id, user_id)
        cached = self.user_cache.get(key)
        if cached is not None:
            return dict(cached)
        try:
            resp = client.users_info(user=user_id)
        except SlackApiError as err:
            if err.response.get("error") in ("user_not_found", "users_not_found"):
                return None
            raise
        user = dict(resp["user"])
        self.user_cache.put(key, user)
        return user
