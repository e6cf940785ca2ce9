"""The evening time log: the prompt and its reminder (none for a rep who is away), the Log hours
modal, Same as yesterday, Day off, plain-words DMs and help in the DM, pause and resume.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.app import Wiring
from bot.timelog import modal, pause, quick, views
from bot.timelog.names import CategoryRef
from bot.timelog.prompts import send_prompts
from bot.timelog.reminders import send_reminders
from bot.timelog.views import NOT_ON_ROSTER, OPEN_MODAL, day_label, example_line, split_line

__all__ = [
    "NOT_ON_ROSTER",
    "OPEN_MODAL",
    "CategoryRef",
    "day_label",
    "example_line",
    "register",
    "send_prompts",
    "send_reminders",
    "split_line",
]


def register(app: App, wiring: Wiring) -> None:
    """The time-log listeners and the log / pause / resume subcommands."""
    app.action(views.OPEN_MODAL)(modal.on_open)
    app.action(views.DATE_ACTION)(modal.on_date_change)
    app.action(views.SAME_AS_YESTERDAY)(quick.on_quick)
    app.action(views.DAY_OFF)(quick.on_quick)
    app.view(views.MODAL_CALLBACK)(modal.on_submit)
    app.event("message", middleware=[quick.store_words])(quick.on_message)
    # these ack first or validate from one read, then hand the rest on
    wiring.acks_inline(views=[views.MODAL_CALLBACK], actions=[views.OPEN_MODAL])
    wiring.router.add("log", modal.handle_log, modal.LOG_USAGE, order=1)
    wiring.router.add("pause", pause.handle_pause, pause.PAUSE_USAGE, order=2)
    wiring.router.add("resume", pause.handle_resume, pause.RESUME_USAGE, order=3)
