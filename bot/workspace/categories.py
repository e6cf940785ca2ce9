"""Feature: a workspace's categories edited as a list — add, rename, re-kind, re-alias, reorder,
retire and bring back — from a button in `/rolesplit settings` (managers only).

The list is pushed over the settings form; one category's form is pushed over the list and
checked in place. Every change applies at once (a category form's save is claimed by its view id
and hash, so a double submit adds nothing twice) and the list is redrawn.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services import Services
from bot.slack.blocks import metadata_of, truncate
from bot.slack.router import Router, is_manager
from bot.workspace import categories_check as check
from bot.workspace import categories_views as views
from storage import category_repo, repo
from storage.models import ProcessedRequest

log = logging.getLogger(__name__)
ONLY_MANAGERS = "Only managers change the categories."


def _allowed(services: Services, client: WebClient, team_id: str, user_id: str) -> bool:
    with services.Session.begin() as s:
        return is_manager(services, s, repo.ensure_workspace(s, team_id), user_id, client)


def load(services: Services, team_id: str) -> list[views.Cat]:
    """Every category of the workspace, active first."""
    ws_id = services.workspace_id(team_id)
    with services.read() as s:
        return [
            views.Cat(c.key, c.label, c.kind, tuple(c.aliases or ()), c.active)
            for c in category_repo.all_categories(s, ws_id)
        ]


def on_open(services: Services, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The settings form's Categories button: push the list."""
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    if not _allowed(services, client, team_id, user_id):
        return
    client.views_push(trigger_id=body["trigger_id"], view=views.list_view(load(services, team_id)))


def on_add(services: Services, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Add category: push an empty form."""
    ack()
    if _allowed(services, client, body["team"]["id"], body["user"]["id"]):
        view_id = (body.get("view") or {}).get("id")
        client.views_push(trigger_id=body["trigger_id"], view=views.edit_view(None, view_id))


def on_menu(services: Services, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """A row's menu: edit (push the form), move up or down, retire, bring back (redraw)."""
    ack()
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    if not _allowed(services, client, team_id, user_id):
        return
    what, _, key = str(
        (body["actions"][0].get("selected_option") or {}).get("value") or ""
    ).partition(":")
    view = body.get("view") or {}
    cats = load(services, team_id)
    cat = next((c for c in cats if c.key == key), None)
    if cat is None:
        return
    if what == "edit":
        client.views_push(trigger_id=body["trigger_id"], view=views.edit_view(cat, view.get("id")))
        return
    notice = apply(services, team_id, cats, what, key)
    redraw(services, client, team_id, view.get("id"), notice)


def apply(
    services: Services, team_id: str, cats: list[views.Cat], what: str, key: str
) -> str | None:
    """Move, retire or bring back one category; a notice when it cannot be done."""
    ws_id = services.workspace_id(team_id)
    label = truncate(next(c.label for c in cats if c.key == key), 80)
    if what == "retire":
        problem = check.retire_problem(cats, key)
        if problem:
            return f"⚠️ {problem}"
    with services.Session.begin() as s:
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


def redraw(
    services: Services, client: WebClient, team_id: str, view_id: str | None, notice: str | None
) -> None:
    """views.update the list with the categories as they are now."""
    if not view_id:
        return
    try:
        client.views_update(view_id=view_id, view=views.list_view(load(services, team_id), notice))
    except SlackApiError as err:  # the list was closed meanwhile: the change stands
        log.info("categories list not redrawn: %s", err.response.get("error"))


def on_submit(
    services: Services, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    """Save one category: errors next to the fields, else applied and the list redrawn."""
    team_id, user_id = body["team"]["id"], body["user"]["id"]
    meta = metadata_of(view)
    editing = meta.get("key") if isinstance(meta.get("key"), str) else None
    if not _allowed(services, client, team_id, user_id):
        ack(response_action="errors", errors={views.LABEL_BLOCK: ONLY_MANAGERS})
        return
    key = f"view:{team_id}:{view['id']}:{view.get('hash') or ''}"
    with services.read() as s:
        if s.get(ProcessedRequest, key[:200]) is not None:
            ack()  # the same form submitted twice: saved already
            return
    cats = load(services, team_id)
    reading = check.read_category(view["state"]["values"], cats, editing)
    if reading.errors:
        ack(response_action="errors", errors=reading.errors)
        return
    ws_id = services.workspace_id(team_id)
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
    redraw(services, client, team_id, list_id, f"✅ {verb} *{truncate(reading.label, 80)}*.")


def register(app: App, services: Services, router: Router) -> None:
    """The Categories button, the list's menus and Add, and the category form."""

    @app.action(views.OPEN)
    def _open(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        on_open(services, ack, body, client)

    @app.action(views.ADD)
    def _add(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        on_add(services, ack, body, client)

    @app.action(views.MENU)
    def _menu(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        on_menu(services, ack, body, client)

    @app.view(views.EDIT_CALLBACK)
    def _submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        on_submit(services, ack, body, view, client)
