"""The workspace: install, OAuth and lifecycle, the roster, /rolesplit settings, and privacy
(export and forget).

The public surface — what the app and other features may use — is what this module names in
`__all__`; the modules inside are the feature's own.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.app import Wiring
from bot.workspace import lifecycle, privacy, roster, settings
from bot.workspace.lifecycle import set_installed
from bot.workspace.oauth import oauth_kwargs
from bot.workspace.settings import open_settings

__all__ = ["oauth_kwargs", "open_settings", "register", "set_installed"]


def register(app: App, wiring: Wiring) -> None:
    """The roster, install lifecycle, settings and privacy listeners and subcommands."""
    roster.register(app, wiring)
    lifecycle.register(app, wiring)
    settings.register(app, wiring)
    privacy.register(app, wiring)
