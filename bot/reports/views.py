"""Block Kit for the manager report and the weekly rollup (≤ 50 blocks, ≤ 3,000 per section)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.reports.model import RepLine, Report
from bot.slack.blocks import MAX_MESSAGE_BLOCKS, context, fmt_hours, header, section
from bot.split import pct_text

VERDICT_ICON = {
    "separate": "🔴",
    "consider separating": "🟠",
    "keep combined": "🟢",
    "no data": "⚪",
}
SECTION_BUDGET = 2900


def rep_line(r: RepLine, report: Report) -> str:
    """`⚠️ <@U> — 32 h · hunting 40% · farming 55% · other 5% · 4/5 days · prospecting 10 …`."""
    flag = "⚠️ " if r.over_line else ""
    if r.split.total == 0:
        body = "no data"
    else:
        cats = " · ".join(
            f"{c.short} {fmt_hours(r.hours[c.key])}" for c in report.categories if c.key in r.hours
        )
        body = f"{fmt_hours(r.split.total)} h · {pct_text(r.split)} — {cats}"
    off = f", {r.days_off} off" if r.days_off else ""
    return f"{flag}<@{r.user_id}> {body} · {r.days_logged}/{r.work_days} days{off}"


def summary_text(report: Report) -> str:
    """The team line, the verdict with its numbers, and the capacity line."""
    v = report.verdict
    lines = [
        f"*Team:* {fmt_hours(report.team.total)} h — {pct_text(report.team)}",
        f"{VERDICT_ICON[v.label]} *Verdict: {v.label}.* {v.reason}",
    ]
    if report.team.farming:
        lines.append(
            f"*Capacity:* the farming work ({fmt_hours(report.team.farming)} h) is about "
            f"*{report.account_managers} account managers* at {report.am_week_hours} h a week."
        )
    return "\n".join(lines)


def wins_text(report: Report) -> str | None:
    """New-business credit per rep and accounts per account manager, kept apart."""

    def fmt(items: dict[str, tuple[int, Decimal]], noun: str) -> str:
        parts = []
        for user, (n, value) in sorted(items.items(), key=lambda kv: (-kv[1][0], kv[0])):
            money = f" (${value:,.0f})" if value else ""
            parts.append(f"<@{user}> {n}{money}")
        return f"*{noun}:* " + ", ".join(parts)

    lines = []
    if report.wins.won:
        lines.append(fmt(report.wins.won, "Accounts won (new-business credit)"))
    if report.wins.managed:
        lines.append(fmt(report.wins.managed, "Accounts managed (account managers)"))
    return "\n".join(lines) if lines else None


def report_blocks(
    report: Report,
    *,
    title: str = "rolesplit report",
    csv_hint: bool = True,
    extra: list[dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The report as blocks, and how many reps did not fit (they are in the CSV).

    `extra` blocks (the rollup's hand-off drag) go after the reps, room kept for them.
    """
    extra = extra or []
    blocks: list[dict[str, Any]] = [
        header(f"{title} — {report.period.name}"),
        context(report.period.label() + " · ⚠️ = more than half the logged time is farming"),
        section(summary_text(report)),
    ]
    wins = wins_text(report)
    if wins:
        blocks.append(section(wins))
    if report.not_logging:
        names = ", ".join(f"<@{r.user_id}>" for r in report.not_logging[:60])
        more = len(report.not_logging) - 60
        blocks.append(
            section(f"*Not logging:* {names}" + (f" and {more} more" if more > 0 else ""))
        )
    reps = sorted(
        report.reps, key=lambda r: (-(r.split.share("farming") or Decimal(-1)), r.user_id)
    )
    chunks: list[list[str]] = [[]]
    for r in reps:
        line = rep_line(r, report)
        if chunks[-1] and sum(len(x) + 1 for x in chunks[-1]) + len(line) > SECTION_BUDGET:
            chunks.append([])
        chunks[-1].append(line)
    room = MAX_MESSAGE_BLOCKS - len(blocks) - len(extra) - 2  # a divider, the closing context
    left_out = sum(len(c) for c in chunks[room:])
    blocks.extend(section("\n".join(c)) for c in chunks[:room] if c)
    if not reps:
        blocks.append(
            section(
                "Nobody is on the roster yet — add reps with `/rolesplit add @dana @sam as hunter`."
            )
        )
    blocks.extend(extra)
    blocks.append({"type": "divider"})
    hint = "Per-category table: add `csv` to the command." if csv_hint else ""
    if left_out:
        hint = f"{left_out} more reps are in the attached CSV. " + hint
    blocks.append(context(hint or "rolesplit"))
    return blocks, left_out


def fallback_text(report: Report) -> str:
    """Notification text for the message."""
    return (
        f"rolesplit report, {report.period.name}: {fmt_hours(report.team.total)} h, "
        f"{pct_text(report.team)} — verdict: {report.verdict.label}"
    )
