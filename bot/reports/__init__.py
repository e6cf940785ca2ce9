"""Reports: /rolesplit report, the weekly rollup, the chart, the CSV, `rolesplit report` in the
terminal, and the one computation of the numbers (`build_report`).
"""

from __future__ import annotations

from bot.reports.cli import pick_workspace, print_report
from bot.reports.command import register, report_for
from bot.reports.model import Report, build_report
from bot.reports.numbers import Days, RepInput, weekdays_between
from bot.reports.period import Period, parse_period
from bot.reports.rollup import send_rollups
from bot.reports.trend import trend as bucket_trend
from bot.reports.verdict import percent_text
from bot.reports.views import (
    fallback_text,
    report_blocks,
    summary_blocks,
    summary_lines,
    summary_text,
)

__all__ = [
    "Days",
    "Period",
    "RepInput",
    "Report",
    "bucket_trend",
    "build_report",
    "fallback_text",
    "parse_period",
    "percent_text",
    "pick_workspace",
    "print_report",
    "register",
    "report_blocks",
    "report_for",
    "send_rollups",
    "summary_blocks",
    "summary_lines",
    "summary_text",
    "weekdays_between",
]
