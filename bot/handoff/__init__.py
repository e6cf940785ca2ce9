"""The hand-off: wins (command, modal, webhooks, CRMs), the private space, the checklist,
nudges, waiting hand-offs and the questions that unblock them, the CRM owner map, and drag.
"""

from __future__ import annotations

from slack_bolt import App

from bot.handoff import crm_routes, webhook, wins
from bot.handoff.crm_map import import_owner_csv
from bot.handoff.drag import DragTotals, HandoffDrag, drag_blocks, drag_summary
from bot.handoff.nudges import send_nudges
from bot.handoff.waiting import ask_waiting, farmers_joined
from bot.slack.app import Wiring

__all__ = [
    "DragTotals",
    "HandoffDrag",
    "ask_waiting",
    "drag_blocks",
    "drag_summary",
    "farmers_joined",
    "import_owner_csv",
    "register",
    "send_nudges",
]


def register(app: App, wiring: Wiring) -> None:
    """Hand-off commands and interactions, the deal-won webhook and the CRMs' own routes."""
    wins.register(app, wiring)
    webhook.register(app, wiring)
    crm_routes.register(app, wiring)
