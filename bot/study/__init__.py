"""The time study: /rolesplit study start|stop|result, progress, the fit question, the scheduled
DMs, the split plan, and `rolesplit report --study` in the terminal.

The public surface — what the app and other features may use — is what this module names in
`__all__`; the modules inside are the feature's own.
"""

from __future__ import annotations

from slack_bolt import App

from bot.slack.app import Wiring
from bot.study import commands
from bot.study.cli import print_study
from bot.study.commands import home_section
from bot.study.jobs import end_studies, send_study_dms

__all__ = ["end_studies", "home_section", "print_study", "register", "send_study_dms"]


def register(app: App, wiring: Wiring) -> None:
    """The study's subcommand, the fit question's buttons and form, and the Home buttons."""
    commands.register(app, wiring)
