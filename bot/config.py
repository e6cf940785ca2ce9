"""Settings from the environment (or `.env`), where a bad value stops start-up with one clear line;
and a workspace's effective settings: those defaults overridden by `/rolesplit settings`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ConfigError(Exception):
    """A configuration mistake, reported as one line naming the variable."""


def parse_hhmm(value: str) -> time:
    """Parse `17:30` into a time; raise ValueError with a readable reason."""
    match = _TIME_RE.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a time of day like 17:30")
    return time(int(match.group(1)), int(match.group(2)))


def parse_work_days(value: str) -> tuple[int, ...]:
    """Parse `mon,tue,wed` into sorted weekday numbers (Monday = 0)."""
    days: set[int] = set()
    for part in value.split(","):
        name = part.strip().lower()[:3]
        if not name:
            continue
        if name not in WEEKDAYS:
            raise ValueError(f"{part.strip()!r} is not a weekday (use mon,tue,wed,thu,fri,sat,sun)")
        days.add(WEEKDAYS.index(name))
    if not days:
        raise ValueError("name at least one weekday, e.g. mon,tue,wed,thu,fri")
    return tuple(sorted(days))


def format_work_days(days: tuple[int, ...] | list[int]) -> str:
    """Inverse of parse_work_days."""
    return ",".join(WEEKDAYS[d] for d in sorted(days))


def parse_weekly_time(value: str) -> tuple[int, time]:
    """Parse `mon 09:00` into (weekday, time)."""
    parts = value.strip().split()
    if len(parts) != 2 or parts[0].lower()[:3] not in WEEKDAYS:
        raise ValueError(f"{value!r} is not a weekday and time like 'mon 09:00'")
    return WEEKDAYS.index(parts[0].lower()[:3]), parse_hhmm(parts[1])


def check_timezone(value: str) -> str:
    """Return an IANA zone name or raise ValueError."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{value!r} is not an IANA time zone like Europe/London") from exc
    return value


DATABASE_EXAMPLES = "postgresql://USER:PASSWORD@HOST:5432/DATABASE or sqlite:///rolesplit.db"


def check_database_url(value: str) -> str:
    """A URL rolesplit can open (PostgreSQL or SQLite, an installed driver), or ValueError.

    The messages never repeat the URL: it may hold a password.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from storage.db import normalise_url

    try:
        url = make_url(normalise_url(value))
    except ArgumentError:
        raise ValueError(f"it is not a database URL: write {DATABASE_EXAMPLES}") from None
    except ValueError:  # the port is not a number
        raise ValueError(f"its port is not a number: write {DATABASE_EXAMPLES}") from None
    backend = url.get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise ValueError(f"{backend} is not supported: write {DATABASE_EXAMPLES}")
    try:
        url.get_dialect().import_dbapi()
    except (NoSuchModuleError, ImportError):
        raise ValueError(
            f"the driver {url.get_driver_name()!r} is not installed: write "
            "postgresql://… (psycopg, installed with rolesplit) or sqlite:///…"
        ) from None
    return value


class Settings(BaseSettings):
    """Every variable of SPEC.md's configuration table."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    database_url: str = Field(default="sqlite:///rolesplit.db", alias="DATABASE_URL")
    port: int = Field(default=3000, alias="PORT", ge=1, le=65535)
    webhook_secret: str | None = Field(default=None, alias="ROLESPLIT_WEBHOOK_SECRET")
    managers: Annotated[tuple[str, ...], NoDecode] = Field(default=(), alias="ROLESPLIT_MANAGERS")
    prompt_time: str = Field(default="17:30", alias="ROLESPLIT_PROMPT_TIME")
    work_days: str = Field(default="mon,tue,wed,thu,fri", alias="ROLESPLIT_WORK_DAYS")
    prompt_window_minutes: int = Field(
        default=240, alias="ROLESPLIT_PROMPT_WINDOW_MINUTES", ge=1, le=1440
    )
    reminder_after_minutes: int = Field(
        default=120, alias="ROLESPLIT_REMINDER_AFTER_MINUTES", ge=1, le=1440
    )
    timezone: str = Field(default="UTC", alias="ROLESPLIT_TIMEZONE")
    rollup_channel: str | None = Field(default=None, alias="ROLESPLIT_ROLLUP_CHANNEL")
    rollup_time: str = Field(default="mon 09:00", alias="ROLESPLIT_ROLLUP_TIME")
    handoff_mode: Literal["channel", "thread"] = Field(
        default="channel", alias="ROLESPLIT_HANDOFF_MODE"
    )
    handoff_channel: str | None = Field(default=None, alias="ROLESPLIT_HANDOFF_CHANNEL")
    transfer_days: int = Field(default=182, alias="ROLESPLIT_TRANSFER_DAYS", ge=1, le=3650)
    tick_seconds: int = Field(default=60, alias="ROLESPLIT_TICK_SECONDS", ge=1, le=3600)
    scheduler: Literal["on", "off"] = Field(default="on", alias="ROLESPLIT_SCHEDULER")
    log_format: Literal["text", "json"] = Field(default="text", alias="ROLESPLIT_LOG_FORMAT")
    # the CRMs' own deal-won routes (each off until its settings are given)
    public_url: str | None = Field(default=None, alias="ROLESPLIT_PUBLIC_URL")
    hubspot_secret: str | None = Field(default=None, alias="ROLESPLIT_HUBSPOT_SECRET")
    hubspot_won_stages: str = Field(default="closedwon", alias="ROLESPLIT_HUBSPOT_WON_STAGES")
    pipedrive_user: str | None = Field(default=None, alias="ROLESPLIT_PIPEDRIVE_USER")
    pipedrive_password: str | None = Field(default=None, alias="ROLESPLIT_PIPEDRIVE_PASSWORD")
    salesforce_org_id: str | None = Field(default=None, alias="ROLESPLIT_SALESFORCE_ORG_ID")
    holidays: str | None = Field(default=None, alias="ROLESPLIT_HOLIDAYS")

    @field_validator("managers", mode="before")
    @classmethod
    def _split_managers(cls, value: object) -> object:
        if isinstance(value, str):
            ids = tuple(v.strip() for v in value.split(",") if v.strip())
            for uid in ids:
                if not re.fullmatch(r"[UW][A-Z0-9]{2,}", uid):
                    raise ValueError(f"{uid!r} is not a Slack user id like U012ABCDEF")
            return ids
        return value

    @field_validator("prompt_time", "work_days", "rollup_time", "timezone")
    @classmethod
    def _check_schedule(cls, value: str, info: ValidationInfo) -> str:
        """Each schedule value as written, once it reads (work days in one canonical form)."""
        value = value.strip()
        if info.field_name == "work_days":
            return format_work_days(parse_work_days(value))
        if info.field_name == "prompt_time":
            parse_hhmm(value)
        elif info.field_name == "rollup_time":
            parse_weekly_time(value)
        else:
            check_timezone(value)
        return value

    @field_validator("holidays")
    @classmethod
    def _check_holidays(cls, value: str | None) -> str | None:
        from bot.calendar import SETTING, parse_holidays_setting

        try:
            cal = parse_holidays_setting(value)
        except ValueError as exc:  # the message names the variable already: said once
            raise ValueError(str(exc).removeprefix(f"{SETTING}: ")) from None
        return cal.code if cal else None

    @field_validator("slack_api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        return check_database_url(value.strip())

    @field_validator("slack_app_token")
    @classmethod
    def _check_app_token(cls, value: str | None) -> str | None:
        value = (value or "").strip() or None
        if value is not None and not value.startswith("xapp-"):
            raise ValueError(
                "an app-level token starts with xapp- (Basic Information → App-Level Tokens; "
                "xoxb- is the bot token, SLACK_BOT_TOKEN)"
            )
        return value

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        "webhook_secret",
        "rollup_channel",
        "handoff_channel",
        "public_url",
        "hubspot_secret",
        "pipedrive_user",
        "pipedrive_password",
        "salesforce_org_id",
    )
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.fullmatch(r"https?://[^/?#\s]+(/[^?#\s]*)?", value):
            raise ValueError(
                f"{value!r} is not the app's public base URL like https://rolesplit.example.com"
            )
        return value.rstrip("/")

    @field_validator("hubspot_won_stages")
    @classmethod
    def _check_won_stages(cls, value: str) -> str:
        stages = [part.strip() for part in value.split(",") if part.strip()]
        if not stages:
            raise ValueError("name at least one deal stage id, e.g. closedwon")
        return ",".join(stages)

    @field_validator("salesforce_org_id")
    @classmethod
    def _check_org_id(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?", value):
            raise ValueError(f"{value!r} is not a 15- or 18-character Salesforce organization id")
        return value

    @property
    def oauth(self) -> bool:
        """True when the app serves many workspaces through OAuth."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def is_default_sqlite(self) -> bool:
        """True for the embedded SQLite default, which migrates itself on start."""
        return self.database_url.startswith("sqlite")

    def require_for(self, mode: Literal["http", "socket", "tick", "cli"]) -> None:
        """Raise ConfigError when a variable the mode needs is missing."""
        if mode != "cli" and bool(self.slack_client_id) != bool(self.slack_client_secret):
            missing, given = (
                ("SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID")
                if self.slack_client_id
                else ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
            )
            raise ConfigError(
                f"{missing} is not set but {given} is: OAuth mode (many workspaces) needs both, "
                "from your Slack app's Basic Information → App Credentials; unset "
                f"{given} for single-workspace mode"
            )
        if mode == "socket" and self.oauth:
            raise ConfigError(
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set, but OAuth mode installs over "
                "HTTP (/slack/install): run `rolesplit run` without --socket"
            )
        if mode == "http" and not self.slack_signing_secret:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's Basic Information "
                "page (HTTP mode verifies every request with it)"
            )
        if mode == "socket" and not self.slack_app_token:
            raise ConfigError(
                "SLACK_APP_TOKEN is not set: create an app-level token with connections:write "
                "(Basic Information → App-Level Tokens) for Socket Mode"
            )
        if mode in ("http", "socket", "tick") and not (self.slack_bot_token or self.oauth):
            raise ConfigError(
                "SLACK_BOT_TOKEN is not set: install the app and copy the Bot User OAuth Token, "
                "or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth mode"
            )
        if self.handoff_mode == "thread" and not self.handoff_channel and mode != "cli":
            raise ConfigError(
                "ROLESPLIT_HANDOFF_CHANNEL is not set: thread mode needs the channel id where "
                "hand-off threads are posted"
            )


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning validation errors into one ConfigError line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "?"
        info = Settings.model_fields.get(field)
        name = info.alias if info and info.alias else field
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name} is invalid: {msg}") from None


# ---------------------------------------------------------------- a workspace's effective settings

DEFAULT_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("intro_call", "Joint intro call scheduled"),
    ("contract_signing", "Account manager present at the contract signing"),
    ("contacts_shared", "Client contacts and open job orders shared"),
    ("first_job_order", "First job order handled by the account manager"),
    ("credit_recorded", "New-business credit recorded for the rep"),
)
DEFAULT_NUDGE_DAYS: tuple[int, ...] = (1, 7, 30, 90)
DEFAULT_CHECKIN_DAYS = 90
DEFAULT_AM_WEEK_HOURS = 40


@dataclass(frozen=True)
class WorkspaceConfig:
    """Everything a feature needs to know about one workspace's settings."""

    prompt_time: time
    work_days: tuple[int, ...]
    prompt_window_minutes: int
    reminder_after_minutes: int
    timezone: str
    rollup_channel: str | None
    rollup_weekday: int
    rollup_time: time
    handoff_mode: str
    handoff_channel: str | None
    transfer_days: int
    checklist: tuple[tuple[str, str], ...] = DEFAULT_CHECKLIST
    nudge_days: tuple[int, ...] = DEFAULT_NUDGE_DAYS
    checkin_days: int = DEFAULT_CHECKIN_DAYS
    am_week_hours: int = DEFAULT_AM_WEEK_HOURS
    edit_window_days: int = 14
    handoff_public: bool = False  # hand-off channels are private unless a manager says so
    hide_deal_value: bool = False
    holidays: str | None = None  # country (and region) whose public holidays are days off
    extra: dict[str, Any] = field(default_factory=dict)

    def per_minute(self, key: str, default: int) -> int:
        """A pace a minute from the extra settings: at least 1; `default` when unset or not a
        whole number."""
        try:
            value = int(self.extra.get(key) or default)
        except (TypeError, ValueError):
            value = default
        return max(1, value)


def effective(settings: Settings, overrides: dict[str, Any] | None) -> WorkspaceConfig:
    """Merge a workspace's stored overrides (already validated) over the environment."""
    o = overrides or {}
    weekday, rollup_at = parse_weekly_time(o.get("rollup_time") or settings.rollup_time)
    return WorkspaceConfig(
        prompt_time=parse_hhmm(o.get("prompt_time") or settings.prompt_time),
        work_days=parse_work_days(o.get("work_days") or settings.work_days),
        prompt_window_minutes=int(o.get("prompt_window_minutes") or settings.prompt_window_minutes),
        reminder_after_minutes=int(
            o.get("reminder_after_minutes") or settings.reminder_after_minutes
        ),
        timezone=o.get("timezone") or settings.timezone,
        rollup_channel=o.get("rollup_channel", settings.rollup_channel) or None,
        rollup_weekday=weekday,
        rollup_time=rollup_at,
        handoff_mode=o.get("handoff_mode") or settings.handoff_mode,
        handoff_channel=o.get("handoff_channel", settings.handoff_channel) or None,
        transfer_days=int(o.get("transfer_days") or settings.transfer_days),
        checklist=tuple((str(k), str(v)) for k, v in o["checklist"])
        if o.get("checklist")
        else DEFAULT_CHECKLIST,
        nudge_days=tuple(int(d) for d in o["nudge_days"])
        if o.get("nudge_days")
        else DEFAULT_NUDGE_DAYS,
        checkin_days=int(o.get("checkin_days") or DEFAULT_CHECKIN_DAYS),
        am_week_hours=int(o.get("am_week_hours") or DEFAULT_AM_WEEK_HOURS),
        handoff_public=bool(o.get("handoff_public", False)),
        hide_deal_value=bool(o.get("hide_deal_value", False)),
        holidays=o.get("holidays", settings.holidays) or None,
        extra=dict(o),
    )
