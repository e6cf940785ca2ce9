"""Words and formats shared by the time study's messages: dates, spans, percentages, titles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from bot.slack.blocks import truncate
from bot.study.rules import ACCOUNT_MANAGER, HUNTER

SECTION_BUDGET = 2900
APPLY_HINT = (
    "This plan is advice. Apply it with `/rolesplit add @name … as hunter` "
    "(or `as farmer` for account managers)."
)
ROLE_TITLES = {
    HUNTER: "Hunters — new business",
    ACCOUNT_MANAGER: "Account managers — existing accounts",
}
TREND_WORDS = {
    "rising": "rising ↗",
    "falling": "falling ↘",
    "steady": "steady →",
    "too early": "too early to tell",
}
VERDICT_ICON = {
    "separate": "🔴",
    "consider separating": "🟠",
    "keep combined": "🟢",
    "no data": "⚪",
}


def day_label(day: date) -> str:
    """`Tue 24 Nov`."""
    return day.strftime("%a %-d %b")


def span(first: date, last: date) -> str:
    """`Tue 24 Nov – Mon 21 Dec 2026`."""
    return f"{day_label(first)} – {day_label(last)} {last.year}"


def pct(value: Fraction | None) -> str:
    """A share as a whole percentage, or `–`."""
    return "–" if value is None else f"{round(value * 100)}%"


def chunks(lines: Sequence[str], head: str | None = None) -> list[list[str]]:
    """Lines packed into section-sized chunks (the head starts the first one)."""
    packed: list[list[str]] = [[head] if head else []]
    for line in lines:
        line = truncate(line, SECTION_BUDGET)
        if packed[-1] and sum(len(x) + 1 for x in packed[-1]) + len(line) > SECTION_BUDGET:
            packed.append([])
        packed[-1].append(line)
    return [c for c in packed if c]
