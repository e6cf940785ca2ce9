"""Block Kit and text for the study result — verdict, trend, capacity and the split plan — in Slack
(≤ 50 blocks, sections ≤ 3,000 characters), in the terminal, and on the managers' App Home."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from bot.reports import Report, summary_blocks, summary_lines
from bot.slack.blocks import (
    MAX_MESSAGE_BLOCKS,
    button,
    context,
    fmt_hours,
    header,
    section,
)
from bot.split import pct_text
from bot.study.plan import plan_summary
from bot.study.progress_views import StudyStatus, week_text
from bot.study.reasons import count
from bot.study.rules import ACCOUNT_MANAGER, HUNTER, UNDECIDED, Plan, Suggestion
from bot.study.timeline import Progress, Trend
from bot.study.wording import (
    APPLY_HINT,
    ROLE_TITLES,
    TREND_WORDS,
    chunks,
    day_label,
    pct,
    span,
)

HOME_PROGRESS = "home_study_progress"
HOME_RESULT = "home_study_result"


@dataclass(frozen=True)
class StudyResult:
    """Everything the study result shows (final once the study has ended)."""

    first: date
    last: date
    weeks: int  # as planned
    status: str  # open | ended | stopped
    today: date
    progress: Progress
    report: Report
    trend: Trend
    plan: Plan
    answered: int  # team work days logged (the report's computation)
    expected: int  # team work days
    fit_answered: int
    names: dict[str, str] = field(default_factory=dict)  # for the terminal

    @property
    def final(self) -> bool:
        """The study is over (ran its course or was stopped)."""
        return self.status != "open"

    @property
    def days(self) -> int:
        """Days the study ran (so far)."""
        return (
            min(self.progress.day, self.progress.total_days)
            if not self.final
            else self.progress.total_days
        )


def _title(r: StudyResult) -> str:
    if r.status == "stopped":
        return f"Time study result — stopped after {count(r.days, 'day')}"
    if r.final:
        return f"Time study result — {count(r.weeks, 'week')}"
    return f"Time study so far — week {r.progress.current_week} of {r.progress.weeks}"


def _facts(r: StudyResult) -> str:
    days = (
        f"{r.answered} of {r.expected} work days logged ({pct(Fraction(r.answered, r.expected))})"
        if r.expected
        else "no work days yet"
    )
    reps = len(r.plan.suggestions)
    return (
        f"{span(r.first, r.last)} · {count(reps, 'rep')} · {fmt_hours(r.report.team.total)} h "
        f"logged · {days} · fit question answered by {r.fit_answered} of {reps}"
    )


def trend_lines(t: Trend) -> list[str]:
    """One line per study week: `Week 2 · 1–7 Dec: ▓▓▓▓▓░░░░░ 51% farming of 98 h`."""
    lines = []
    for w in t.weeks:
        label = f"Week {w.number} · {w.first:%-d %b}–{w.last:%-d %b}"
        if w.farming is None:
            lines.append(f"{label}: no hours")
            continue
        filled = round(w.farming * 10)
        bar = "▓" * filled + "░" * (10 - filled)
        lines.append(f"{label}: {bar} {pct(w.farming)} farming of {fmt_hours(w.split.total)} h")
    return lines


def trend_head(t: Trend) -> str:
    """`rising ↗ (+12 points)`."""
    words = TREND_WORDS[t.direction]
    return words + (f" ({t.change:+d} points)" if t.change is not None else "")


def capacity_line(r: StudyResult) -> str:
    """The farming work in account managers, next to the plan's count."""
    ams = len(r.plan.of(ACCOUNT_MANAGER))
    if not r.report.team.farming:
        return f"The plan suggests {count(ams, 'account manager')}; no farming hours were logged."
    return (
        f"Capacity check: the farming work is about "
        f"{r.report.numbers.team.capacity_shown} account managers; the plan names {ams}."
    )


def suggestion_line(s: Suggestion) -> str:
    """`• <@U> — spends most selling time on new business … _hunting 71%, farming 23% · …_`."""
    return f"• <@{s.user_id}> — {s.why}. _{' · '.join(s.reasons)}_"


def result_blocks(r: StudyResult, *, public: bool = False) -> tuple[list[dict[str, Any]], int]:
    """The study result: verdict and numbers, trend, capacity, and the split plan.

    `public` (the rollup channel) leaves out the per-person plan: fit answers are for managers
    only, so the channel gets the counts and managers get the names by DM.
    """
    blocks: list[dict[str, Any]] = [
        header(_title(r)),
        context(_facts(r)),
        *summary_blocks(r.report),
        section(
            f"*Farming share, week by week:* {trend_head(r.trend)}\n"
            + "\n".join(trend_lines(r.trend))
        ),
    ]
    if public:
        hunters, ams = len(r.plan.of(HUNTER)), len(r.plan.of(ACCOUNT_MANAGER))
        undecided = len(r.plan.of(UNDECIDED))
        blocks += [
            section(
                f"*The split plan:* {count(hunters, 'hunter')}, {count(ams, 'account manager')}"
                + (f", {undecided} undecided" if undecided else "")
                + f".\n{capacity_line(r)}"
            ),
            context(
                "The per-person plan, with the reps' stated preferences, went to managers by DM."
            ),
        ]
        return blocks, 0
    blocks.append(section(f"*The split plan:* {plan_summary(r.plan)}\n{capacity_line(r)}"))
    room = MAX_MESSAGE_BLOCKS - len(blocks) - 2  # a divider and the closing context
    plan_blocks, left_out = _plan_sections(r.plan, room, brief=False)
    brief = bool(left_out)
    if brief:  # a big team: the deciding sentence only, so that everyone fits
        plan_blocks, left_out = _plan_sections(r.plan, room, brief=True)
    blocks += plan_blocks
    tail = (
        f"{APPLY_HINT} Hours per category: "
        f"`/rolesplit report {r.first.isoformat()}..{r.last.isoformat()}`."
    )
    if not r.final:
        tail = f"Preliminary: the study runs until {day_label(r.last)}. " + tail
    if left_out:
        tail = (
            f"{left_out} more reps did not fit here: `rolesplit report --study` "
            "prints every line. " + tail
        )
    elif brief:
        tail = "Reasons in brief for a team this size; `rolesplit report --study` prints the " + (
            "numbers behind each. " + tail
        )
    blocks += [{"type": "divider"}, context(tail)]
    return blocks, left_out


def _plan_sections(plan: Plan, room: int, *, brief: bool) -> tuple[list[dict[str, Any]], int]:
    """The per-person plan, grouped by role, in at most `room` sections; how many left out."""
    groups = [
        (ROLE_TITLES[HUNTER], plan.of(HUNTER)),
        (ROLE_TITLES[ACCOUNT_MANAGER], plan.of(ACCOUNT_MANAGER)),
        ("Could go either way", plan.either_way),
        ("Not placed yet", plan.need_data),
    ]
    blocks: list[dict[str, Any]] = []
    left_out = 0
    for title, items in groups:
        if not items:
            continue
        lines = [f"• <@{s.user_id}> — {s.why}." if brief else suggestion_line(s) for s in items]
        for chunk in chunks(lines, head=f"*{title} ({len(items)})*"):
            if len(blocks) < room:
                blocks.append(section("\n".join(chunk)))
            else:
                left_out += sum(1 for line in chunk if line.startswith("• "))
    return blocks, left_out


def result_fallback(r: StudyResult) -> str:
    """Notification text for the result."""
    h, a = len(r.plan.of(HUNTER)), len(r.plan.of(ACCOUNT_MANAGER))
    return (
        f"{_title(r)}: verdict {r.report.verdict.label} — {pct_text(r.report.team)}; "
        f"plan: {count(h, 'hunter')}, {count(a, 'account manager')}"
    )


def result_text(r: StudyResult) -> str:
    """The study result for a terminal: names instead of mentions, no markup."""

    def name(uid: str) -> str:
        return r.names.get(uid) or uid

    def plain_text(text: str) -> str:
        for uid in {s.user_id for s in r.plan.suggestions} | set(r.names):
            text = text.replace(f"<@{uid}>", name(uid))
        return text.replace("*", "").replace("_", "")

    lines = [
        _title(r),
        _facts(r),
        "",
        *summary_lines(r.report),
        plain_text(capacity_line(r)),
        "",
        f"Farming share, week by week: {trend_head(r.trend)}",
        *(f"  {line}" for line in trend_lines(r.trend)),
        "",
        "Split plan: " + plain_text(plan_summary(r.plan)),
    ]
    for title, role in (
        (ROLE_TITLES[HUNTER], HUNTER),
        (ROLE_TITLES[ACCOUNT_MANAGER], ACCOUNT_MANAGER),
        ("Could go either way", "either"),
        ("Not placed yet", "data"),
    ):
        items = (
            r.plan.either_way
            if role == "either"
            else r.plan.need_data
            if role == "data"
            else r.plan.of(role)
        )
        if not items:
            continue
        lines += ["", f"{title} ({len(items)}):"]
        lines += [f"  - {name(s.user_id)}: {s.why}. ({'; '.join(s.reasons)})" for s in items]
    lines += ["", plain_text(APPLY_HINT).replace("`", "")]
    if not r.final:
        lines.append(f"Preliminary: the study runs until {day_label(r.last)}.")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- App Home (managers)


def home_blocks(status: StudyStatus | None, result: StudyResult | None) -> list[dict[str, Any]]:
    """The managers' study section: progress of the open study, or the last result."""
    if status is not None:
        st = status
        rate = pct(Fraction(st.answered, st.expected)) if st.expected else "–"
        quiet = sum(1 for r in st.reps if r.logging.quiet)
        return [
            section(
                f"*Time study:* {week_text(st.progress)} · {rate} of work days logged · "
                f"{count(quiet, 'rep')} gone quiet · fit question answered by {st.fit_answered} "
                f"of {len(st.reps)}"
            ),
            {
                "type": "actions",
                "block_id": "home_study",
                "elements": [
                    button("Send me the study progress", HOME_PROGRESS, "progress"),
                    button("Preview the result", HOME_RESULT, "result"),
                ],
            },
        ]
    if result is not None:
        r = result
        word = "stopped early" if r.status == "stopped" else "ended"
        return [
            section(
                f"*Last time study* ({span(r.first, r.last)}, {word}): verdict "
                f"*{r.report.verdict.label}*. {plan_summary(r.plan)}"
            ),
            {
                "type": "actions",
                "block_id": "home_study",
                "elements": [button("Send me the study result", HOME_RESULT, "result")],
            },
        ]
    return [
        context(
            "Deciding whether to split the roles? Run a time study: "
            "`/rolesplit study start 4 weeks`."
        )
    ]
