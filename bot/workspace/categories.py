"""A workspace's categories edited as a list — add, rename, re-kind, re-alias, reorder,
retire and bring back — from a button in `/rolesplit settings` (managers only).

The list is pushed over the settings form; one category's form is pushed over the list and
checked in place. Every change applies at once (a category form's save is claimed by its view id
and hash, so a double submit adds nothing twice) and the list is redrawn.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.blocks import metadata_of, truncate
from bot.slack.context import Request, request_of
from bot.workspace import categories_check as check
from bot.workspace import categories_views as views
from storage import category_repo, repo
from storage.models import ProcessedRequest

log = logging.getLogger(__name__)
ONLY_MANAGERS = "Only managers change the categories."


def load(req: Request) -> list[views.Cat]:
    """Every category of the workspace, active first."""
    ws_id = req.workspace_id()
    with req.services.read() as s:
        return [
            views.Cat(c.key, c.label, c.kind, tuple(c.aliases or ()), c.active)
            for c in category_repo.all_categories(s, ws_id)
        ]


def on_open(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """The settings form's Categories button: push the list."""
    ack()
    req = request_of(context)
    if not req.is_manager(client):
        return
    client.views_push(trigger_id=body["trigger_id"], view=views.list_view(load(req)))


def on_add(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Add category: push an empty form."""
    ack()
    if request_of(context).is_manager(client):
        view_id = (body.get("view") or {}).get("id")
        client.views_push(trigger_id=body["trigger_id"], view=views.edit_view(None, view_id))


def on_menu(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """A row's menu: edit (push the form), move up or down, retire, bring back (redraw)."""
    ack()
    req = request_of(context)
    if not req.is_manager(client):
        return
    what, _, key = str(
        (body["actions"][0].get("selected_option") or {}).get("value") or ""
    ).partition(":")
    view = body.get("view") or {}
    cats = load(req)
    cat = next((c for c in cats if c.key == key), None)
    if cat is None:
        return
    if what == "edit":
        client.views_push(trigger_id=body["trigger_id"], view=views.edit_view(cat, view.get("id")))
        return
    notice = apply(req, cats, what, key)
    redraw(req, client, view.get("id"), notice)


def apply(req: Request, cats: list[views.Cat], what: str, key: str) -> str | None:
    """Move, retire or bring back one category; a notice when it cannot be done."""
    ws_id = req.workspace_id()
    label = truncate(next(c.label for c in cats if c.key == key), 80)
    if what == "retire":
        problem = check.retire_problem(cats, key)
        if problem:
            return f"⚠️ {problem}"
    with req.services.Session.begin() as s:
        if what in ("up", "down"):
            order = [c.key for c in cats if c.active]
            category_repo.reorder(s, ws_id, check.move(order, key, -1 if what == "up" else 1))
            return None
        if what == "retire":
            category_repo.set_active(s, ws_id, key, False)
            return f"Retired *{label}* — its hours stay in every report. ⋯ → Bring back undoes it."
        if what == "restore":
            category_repo.set_active(s, ws_id, key, True)
            return f"*{label}* is back, at the end of the list."
    return None


def redraw(req: Request, client: WebClient, view_id: str | None, notice: str | None) -> None:
    """views.update the list with the categories as they are now."""
    if not view_id:
        return
    try:
        client.views_update(view_id=view_id, view=views.list_view(load(req), notice))
    except SlackApiError as err:  # the list was closed meanwhile: the change stands
        log.info("categories list not redrawn: %s", err.response.get("error"))


def on_submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Save one category: errors next to the fields, else applied and the list redrawn."""
    req = request_of(context)
    services = req.services
    meta = metadata_of(view)
    editing = meta.get("key") if isinstance(meta.get("key"), str) else None
    if not req.is_manager(client):
        ack(response_action="errors", errors={views.LABEL_BLOCK: ONLY_MANAGERS})
        return
    key = f"view:{req.team_id}:{view['id']}:{view.get('hash') or ''}"
    with services.read() as s:
        if s.get(ProcessedRequest, key[:200]) is not None:
            ack()  # the same form submitted twice: saved already
            return
    cats = load(req)
    reading = check.read_category(view["state"]["values"], cats, editing)
    if reading.errors:
        ack(response_action="errors", errors=reading.errors)
        return
    ws_id = req.workspace_id()
    with services.Session.begin() as s:
        if repo.claim_key(s, key, services.now()):
            if editing is None:
                category_repo.add(
                    s, ws_id, reading.key, reading.label, reading.kind, reading.aliases
                )
            else:
                category_repo.update(
                    s, ws_id, editing, reading.label, reading.kind, reading.aliases
                )
    ack()  # back to the list
    verb = "Added" if editing is None else "Saved"
    list_id = (
        meta.get("list") if isinstance(meta.get("list"), str) else view.get("previous_view_id")
    )
    redraw(req, client, list_id, f"✅ {verb} *{truncate(reading.label, 80)}*.")
