"""The workspace: install, OAuth and lifecycle, the roster and first contact (the welcome DM,
the managers' first-start message), a rep's own schedule (`/rolesplit me`, the Home's Pause and
Resume), managers marking reps away, `/rolesplit settings` with its categories list, and
privacy (export and forget).
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.app import Wiring
from bot.workspace import (
    away,
    categories,
    categories_views,
    lifecycle,
    me,
    me_views,
    pause,
    privacy,
    roster,
    settings,
    welcome_views,
)
from bot.workspace.lifecycle import set_installed
from bot.workspace.me_views import HOME_ME, HOME_PAUSE, HOME_RESUME, away_note
from bot.workspace.oauth import oauth_kwargs
from bot.workspace.settings import open_settings
from bot.workspace.welcome import greet_first_start, send_welcomes
from bot.workspace.welcome_views import days_text

__all__ = [
    "HOME_ME",
    "HOME_PAUSE",
    "HOME_RESUME",
    "away_note",
    "days_text",
    "greet_first_start",
    "oauth_kwargs",
    "open_settings",
    "register",
    "send_welcomes",
    "set_installed",
]


def register(app: App, wiring: Wiring) -> None:
    """The roster, install lifecycle, a rep's own settings, away, settings with the categories
    list, and privacy: listeners and subcommands."""
    roster.register(app, wiring)
    lifecycle.register(app, wiring)
    router = wiring.router
    # a rep's own schedule: /rolesplit me, its form, and the Home's buttons
    router.add("me", me.handle_me, me_views.USAGE, order=4)
    app.view(welcome_views.ME_CALLBACK)(me.on_me_submit)
    app.action(me_views.HOME_ME)(me.on_home_me)
    app.view(me_views.PAUSE_CALLBACK)(pause.on_pause_submit)
    app.action(me_views.HOME_PAUSE)(pause.on_home_button)
    app.action(me_views.HOME_RESUME)(pause.on_home_button)
    wiring.acks_inline(views=[welcome_views.ME_CALLBACK, me_views.PAUSE_CALLBACK])
    # managers: away (not answered inline: the reps' DMs go out after the answer)
    router.add("away", away.handle_away, away.USAGE, manager_only=True, order=13)
    settings.register(app, wiring)
    # the categories list, pushed from the settings form
    app.action(categories_views.OPEN)(categories.on_open)
    app.action(categories_views.ADD)(categories.on_add)
    app.action(categories_views.MENU)(categories.on_menu)
    app.view(categories_views.EDIT_CALLBACK)(categories.on_submit)
    privacy.register(app, wiring)
