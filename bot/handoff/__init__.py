"""The hand-off: wins (command, modal, webhooks, CRMs), the private space, the checklist,
nudges and drag.

The public surface — what the app and other features may use — is what this module names in
`__all__`; the modules inside are the feature's own.
"""

from __future__ import annotations

from slack_bolt import App

from bot.handoff import webhook, wins
from bot.handoff.nudges import send_nudges
from bot.slack.app import Wiring

__all__ = ["register", "send_nudges"]


def register(app: App, wiring: Wiring) -> None:
    """Hand-off commands, interactions, and the deal-won webhook route."""
    wins.register(app, wiring)
    webhook.register(app, wiring)
