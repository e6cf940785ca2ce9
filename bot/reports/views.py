"""Block Kit for the manager report, the weekly rollup and the trend (≤ 50 blocks, ≤ 3,000 per
section). Every number comes from the report's one computation (`Report.numbers`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from bot.reports.model import RepLine, Report
from bot.reports.numbers import Days
from bot.reports.trend import TrendTable, bucket_labels, sparkline
from bot.reports.verdict import CONSIDER, INCONCLUSIVE, KEEP, NO_DATA, SEPARATE, TeamVerdict
from bot.slack.blocks import MAX_MESSAGE_BLOCKS, context, fmt_hours, header, section
from bot.split import pct_text

VERDICT_ICON = {
    SEPARATE: "🔴",
    CONSIDER: "🟠",
    KEEP: "🟢",
    INCONCLUSIVE: "⏳",
    NO_DATA: "⚪",
}
SECTION_BUDGET = 2900
FLAG_KEY = "⚠️ = more than half the logged time is farming"


def count(n: int, noun: str) -> str:
    """`1 week`, `3 weeks`."""
    return f"{n} {noun}{'s' * (n != 1)}"


def rep_line(r: RepLine, report: Report) -> str:
    """`⚠️ <@U> 32 h · hunting 40% · farming 55% · other 5% — prospecting 10 … · 4/5 days`."""
    flag = "⚠️ " if r.over_line else ""
    if r.split.total == 0:
        body = "no data"
    else:
        cats = " · ".join(
            f"{c.short} {fmt_hours(r.hours[c.key])}" for c in report.categories if c.key in r.hours
        )
        body = f"{fmt_hours(r.split.total)} h · {pct_text(r.split)}"
        body += f" — {cats}" if cats else ""
    return f"{flag}<@{r.user_id}> {body} · {r.days.text}"


def team_days_text(d: Days) -> str:
    """`9/15 days logged, 1 away` (the team's days), or `no work days yet`."""
    return d.phrase("days logged", "no work days yet")


def verdict_line(v: TeamVerdict) -> str:
    """The verdict with its icon, how sure it is, and what would settle it."""
    return f"{VERDICT_ICON[v.label]} {v.text}"


def capacity_text(report: Report) -> str | None:
    """The capacity line with its formula (None without farming hours)."""
    n = report.numbers
    if not n.team.split.farming:
        return None
    week = fmt_hours(n.am_week_hours)
    return (
        f"*Capacity:* the farming work is about *{n.team.capacity_shown} account managers* at "
        f"{week} h a week (each rep's farming hours per logged day × {n.work_days_per_week} "
        f"work days, summed, ÷ {week} h)."
    )


def summary_text(report: Report) -> str:
    """The team line, the verdict with how sure it is, and the capacity."""
    lines = [
        f"*Team:* {fmt_hours(report.team.total)} h — {pct_text(report.team)} · "
        + team_days_text(report.team_days),
        verdict_line(report.verdict),
    ]
    capacity = capacity_text(report)
    if capacity:
        lines.append(capacity)
    return "\n".join(lines)


def summary_blocks(report: Report) -> list[dict[str, Any]]:
    """The summary, and once with the verdict what counts as hunting, farming and other."""
    return [section(summary_text(report)), context(report.definitions)]


def plain(text: str) -> str:
    """mrkdwn to plain text for a terminal: no bold, no code marks."""
    return text.replace("*", "").replace("`", "")


def summary_lines(report: Report) -> list[str]:
    """The summary and what counts, for a terminal, line by line."""
    return [plain(line) for line in [*summary_text(report).splitlines(), report.definitions]]


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


def _chunks(lines: Sequence[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for line in lines:
        if chunks[-1] and sum(len(x) + 1 for x in chunks[-1]) + len(line) > SECTION_BUDGET:
            chunks.append([])
        chunks[-1].append(line)
    return [c for c in chunks if c]


def report_blocks(
    report: Report,
    *,
    title: str = "rolesplit report",
    csv_hint: bool = True,
    recent: str | None = None,
    extra: list[dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The report as blocks, and how many reps did not fit (they are in the CSV); `recent` is a
    line shown under the summary (the rollup's last eight weeks); `extra` blocks (the rollup's
    hand-off drag) go after the reps, room kept for them."""
    extra = extra or []
    blocks: list[dict[str, Any]] = [
        header(f"{title} — {report.period.name}"),
        context(f"{report.period.label()} · {FLAG_KEY}"),
        *summary_blocks(report),
    ]
    if recent:
        blocks.append(section(recent))
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
    chunks = _chunks([rep_line(r, report) for r in reps])
    room = MAX_MESSAGE_BLOCKS - len(blocks) - len(extra) - 2  # a divider, the closing context
    left_out = sum(len(c) for c in chunks[room:])
    blocks.extend(section("\n".join(c)) for c in chunks[:room])
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


# ---------------------------------------------------------------- the trend


def trend_recent_line(shares: Sequence[Decimal | None]) -> str:
    """The rollup's line: `*Team farming share, last 8 weeks:* `▄▅▅▆` 48% → … → 58%`."""
    n = len(shares)
    return f"*Team farming share, last {n} week{'s' * (n != 1)}:* {sparkline(shares, n)}"


def trend_blocks(
    table: TrendTable, unit: str, today: date, note: str = "", skipped: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """The trend: the team's and each rep's farming share per week or month, as text
    (`skipped`: empty weeks or months left out before the first with hours)."""
    n = len(table.buckets)
    first, last = table.buckets[0][0], table.buckets[-1][1]
    labels = bucket_labels(table.buckets, unit, today)
    before = (
        f" · nothing was logged in the {count(skipped, 'earlier ' + unit)} asked for"
        if skipped
        else ""
    )
    blocks: list[dict[str, Any]] = [
        header(f"rolesplit trend — farming share per {unit}, {count(n, unit)}"),
        context(
            f"{first:%a %-d %b %Y} – {last:%a %-d %b %Y} · {unit}s: {', '.join(labels)}{before}"
            " · over 50% farming, the rule of thumb says separate the roles · – = nothing logged"
        ),
        section(f"*Team:* {sparkline(table.team_shares, n)}"),
    ]
    rows = [r for r in table.reps if any(s.total for s in r.splits)]

    def latest(shares: tuple[Decimal | None, ...]) -> Decimal:
        known = [s for s in shares if s is not None]
        return known[-1] if known else Decimal(-1)

    rows.sort(key=lambda r: (-latest(r.shares), r.user_id))
    lines = [
        f"{'⚠️ ' if latest(r.shares) > Decimal('0.5') else ''}<@{r.user_id}> "
        f"{sparkline(r.shares, n)}"
        for r in rows
    ]
    room = MAX_MESSAGE_BLOCKS - len(blocks) - 2
    chunks = _chunks(lines)
    left_out = sum(len(c) for c in chunks[room:])
    blocks.extend(section("\n".join(c)) for c in chunks[:room])
    if not rows:
        blocks.append(section(f"No hours logged in these {unit}s yet."))
    tail = "⚠️ = over half farming in the latest " + unit + " with hours."
    if left_out:
        tail = f"{left_out} more reps are on the chart only. " + tail
    blocks += [{"type": "divider"}, context(f"{tail} {note}".strip())]
    return blocks, left_out


def trend_fallback(table: TrendTable, unit: str) -> str:
    """Notification text for the trend."""
    return f"rolesplit trend, team farming share per {unit}: {sparkline(table.team_shares, 99)}"
