"""Feature: `/rolesplit settings` — one modal; validated in place; stored per workspace."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.config import WEEKDAYS, parse_hhmm
from bot.slack.app import Wiring
from bot.slack.context import Request, request_of
from bot.slack.router import Command
from bot.split import KINDS
from bot.workspace import settings_views as views
from bot.workspace.categories_views import Cat
from bot.workspace.categories_views import summary as categories_summary
from storage import repo
from storage.models import Category

USAGE = "settings — prompt time, work days, rollup, categories, hand-offs"


@dataclass
class CategoryLine:
    """One line of the categories field."""

    key: str | None
    label: str
    kind: str
    aliases: list[str]


@dataclass
class Reading:
    """The validated settings, or the errors to show next to their fields."""

    overrides: dict[str, Any] = field(default_factory=dict)
    categories: list[CategoryLine] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _int(raw: str | None, low: int, high: int) -> int | None:
    try:
        value = int(str(raw or "").strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


def slug(label: str) -> str:
    """A key from a label: `New logos` → `new_logos`."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "category"


def read_categories(text: str, known: set[str]) -> list[CategoryLine] | str:
    """Parse `key | label | kind | aliases` lines, or say what is wrong."""
    lines: list[CategoryLine] = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) < 3:
            return f"Line {n}: use key | label | kind | aliases (aliases may be empty)."
        key, label, kind = parts[0] or None, parts[1], parts[2].lower()
        aliases = [
            a.strip().lower() for a in (parts[3] if len(parts) > 3 else "").split(",") if a.strip()
        ]
        if not label or len(label) > 150:
            return f"Line {n}: the label must be 1 to 150 characters."
        if kind not in KINDS:
            return f"Line {n}: the kind must be hunting, farming or other (not “{kind}”)."
        if key is not None and key not in known:
            return f"Line {n}: there is no category `{key}` — leave the key empty to add one."
        lines.append(CategoryLine(key, label, kind, aliases))
    keys = [c.key for c in lines if c.key]
    if len(keys) != len(set(keys)):
        return "Each key may appear once."
    if not any(c.kind == "hunting" for c in lines) or not any(c.kind == "farming" for c in lines):
        return "Keep at least one hunting and one farming category: the verdict compares them."
    if len(lines) > 40:
        return "At most 40 categories."
    return lines


def validate(raw: dict[str, Any], known: set[str]) -> Reading:
    """Check every field; nothing is stored unless all are valid."""
    r = Reading()
    for block in ("prompt_time", "rollup_time"):
        try:
            parse_hhmm(raw.get(block) or "")
        except ValueError:
            r.errors[block] = "Pick a time."
    if not raw.get("work_days"):
        r.errors["work_days"] = "Pick at least one work day."
    reminder = _int(raw.get("reminder"), 1, 1440)
    if reminder is None:
        r.errors["reminder"] = "A number of minutes from 1 to 1440."
    transfer = _int(raw.get("transfer_days"), 1, 3650)
    if transfer is None:
        r.errors["transfer_days"] = "A number of days from 1 to 3650."
    nudges = [
        _int(p, 1, 3650) for p in re.split(r"[,\s]+", raw.get("nudge_days") or "") if p.strip()
    ]
    if not nudges or None in nudges or len(nudges) > 10:
        r.errors["nudge_days"] = "Up to 10 whole days from 1 to 3650, e.g. 1, 7, 30, 90."
    checklist = [line.strip() for line in (raw.get("checklist") or "").splitlines() if line.strip()]
    if not 1 <= len(checklist) <= 20 or any(len(i) > 200 for i in checklist):
        r.errors["checklist"] = "1 to 20 items, one per line, each at most 200 characters."
    if raw.get("handoff_mode") == "thread" and not raw.get("handoff_channel"):
        r.errors["handoff_channel"] = "Thread mode needs the channel the threads go in."
    # the categories text box of forms opened before categories became a list of their own
    cats = read_categories(raw["categories"] or "", known) if "categories" in raw else []
    if isinstance(cats, str):
        r.errors["categories"] = cats
    else:
        r.categories = cats
    if r.errors:
        return r
    keys: dict[str, int] = {}
    items = []
    for label in checklist:
        key = slug(label)[:36]
        keys[key] = keys.get(key, 0) + 1
        items.append([key if keys[key] == 1 else f"{key}_{keys[key]}", label])
    r.overrides = {
        "prompt_time": raw["prompt_time"],
        "work_days": ",".join(raw["work_days"]),
        "reminder_after_minutes": reminder,
        "rollup_channel": raw.get("rollup_channel") or "",
        "rollup_time": f"{raw['rollup_day']} {raw['rollup_time']}",
        "handoff_mode": raw.get("handoff_mode") or "channel",
        "handoff_channel": raw.get("handoff_channel") or "",
        "checklist": items,
        "nudge_days": sorted(set(n for n in nudges if n)),
        "transfer_days": transfer,
        "handoff_public": "public" in (raw.get("handoff_options") or []),
        "hide_deal_value": "hide_value" in (raw.get("handoff_options") or []),
    }
    return r


def apply_categories(session: Any, workspace_id: int, lines: list[CategoryLine]) -> list[str]:
    """Rename, re-kind, add and retire categories; history stays (nothing is deleted)."""
    existing = {c.key: c for c in repo.categories(session, workspace_id, active_only=False)}
    changes, seen = [], set()
    for pos, line in enumerate(lines):
        cat = existing.get(line.key or "")
        if cat is None:
            key = slug(line.label)
            n = 2
            while key in existing:
                key, n = f"{slug(line.label)[:37]}_{n}", n + 1
            cat = Category(
                workspace_id=workspace_id,
                key=key,
                label=line.label,
                kind=line.kind,
                aliases=line.aliases,
                active=True,
                position=pos,
            )
            session.add(cat)
            existing[key] = cat
            changes.append(f"added {line.label}")
        else:
            if cat.label != line.label:
                changes.append(f"renamed {cat.label} → {line.label}")
            if not cat.active:
                changes.append(f"brought back {line.label}")
            cat.label, cat.kind, cat.aliases, cat.active, cat.position = (
                line.label,
                line.kind,
                line.aliases,
                True,
                pos,
            )
        seen.add(cat.key)
    for key, cat in existing.items():
        if key not in seen and cat.active:
            cat.active = False
            changes.append(f"retired {cat.label}")
    return changes


def handle_settings(cmd: Command) -> None:
    """Open the modal prefilled with the workspace's current settings."""
    cmd.ack()
    open_settings(cmd.request, cmd.client, cmd.trigger_id)


def open_settings(req: Request, client: WebClient, trigger_id: str) -> None:
    """views.open the settings modal."""
    ws_id = req.workspace_id()  # the categories to show are the workspace's own
    with req.services.read() as s:
        cats = [
            Cat(c.key, c.label, c.kind, tuple(c.aliases or ()), c.active)
            for c in repo.categories(s, ws_id)
        ]
    client.views_open(
        trigger_id=trigger_id, view=views.settings_modal(req.settings, categories_summary(cats))
    )


def on_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Validate in the modal; store per workspace; confirm what changed."""
    req = request_of(context)
    raw = views.read_state(view["state"]["values"])
    if not req.is_manager(client):
        ack(response_action="errors", errors={"prompt_time": "Only managers change settings."})
        return
    ws_id = req.workspace_id()
    with req.services.read() as s:
        known = {c.key for c in repo.categories(s, ws_id, active_only=False)}
    reading = validate(raw, known)
    if reading.errors:
        ack(response_action="errors", errors=reading.errors)
        return
    ack()
    with req.services.Session.begin() as s:
        ws = repo.ensure_workspace(s, req.team_id)
        before = dict(ws.settings or {})
        ws.settings = {**before, **reading.overrides}
        changed = [k for k, v in reading.overrides.items() if before.get(k) != v]
        changes = apply_categories(s, ws.id, reading.categories) if "categories" in raw else []
    summary = ", ".join(k.replace("_", " ") for k in changed) or "no settings"
    extra = f"\nCategories: {'; '.join(changes)}." if changes else ""
    day = WEEKDAYS.index(reading.overrides["rollup_time"][:3])
    client.chat_postMessage(
        channel=req.user_id,
        text=(
            f"⚙️ Saved: {summary}. Prompts at {reading.overrides['prompt_time']} on "
            f"{reading.overrides['work_days']}; rollup {views.DAY_NAMES[day]}s at "
            f"{reading.overrides['rollup_time'][4:]}.{extra}"
        ),
    )


def register(app: App, wiring: Wiring) -> None:
    """`/rolesplit settings` and its modal."""
    wiring.router.add("settings", handle_settings, USAGE, manager_only=True, order=40)
    app.view(views.CALLBACK)(on_submit)
