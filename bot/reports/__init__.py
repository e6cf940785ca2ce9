"""Reports: /rolesplit report, the weekly rollup, the chart, the CSV, `rolesplit report` in the
terminal, and the one computation of the numbers (`build_report`).

The public surface — what the app and other features may use — is what this module names in
`__all__`; the modules inside are the feature's own.
"""

from __future__ import annotations

from slack_bolt import App

from bot.reports import command
from bot.reports.cli import pick_workspace, print_report
from bot.reports.command import report_for, send_rollups
from bot.reports.model import Report, build_report
from bot.reports.period import Period, parse_period, work_days_between
from bot.reports.views import fallback_text, report_blocks, summary_text
from bot.slack.app import Wiring

__all__ = [
    "Period",
    "Report",
    "build_report",
    "fallback_text",
    "parse_period",
    "pick_workspace",
    "print_report",
    "register",
    "report_blocks",
    "report_for",
    "send_rollups",
    "summary_text",
    "work_days_between",
]


def register(app: App, wiring: Wiring) -> None:
    """`/rolesplit report` (the rollup runs from the scheduler's tick)."""
    command.register(app, wiring)
