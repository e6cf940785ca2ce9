"""Block Kit for the time study: the reps' DMs, the fit question, progress, and the result.

Builders are pure: they take the plain data below and return blocks (≤ 50 per message, ≤ 100
per view, sections ≤ 3,000 characters), naming people by mention only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from bot.reports.model import Report, pct_text
from bot.reports.numbers import Days
from bot.reports.rules import Split
from bot.reports.views import summary_blocks, summary_lines
from bot.slack.blocks import (
    MAX_MESSAGE_BLOCKS,
    button,
    context,
    fmt_hours,
    header,
    plain,
    section,
    truncate,
)
from bot.study.plan import (
    ACCOUNT_MANAGER,
    FIT_CHOICES,
    FIT_LABELS,
    HUNTER,
    UNDECIDED,
    Logging,
    Plan,
    Progress,
    Suggestion,
    Trend,
    count,
    plan_summary,
)

# ids shared by the builders and the listeners
FIT_ACTION = "study_fit_{}"  # one per score, 1 … 5; the value is the study id
FIT_ACTION_PATTERN = r"^study_fit_[1-5]$"
FIT_BLOCK = "study_fit"
FIT_COMMENT = "study_fit_comment"
FIT_MODAL = "study_fit_submit"
SCORE_BLOCK, SCORE_ACTION = "fit_score", "fit_score"
COMMENT_BLOCK, COMMENT_ACTION = "fit_comment", "fit_comment"
MAX_COMMENT = 500
HOME_PROGRESS = "home_study_progress"
HOME_RESULT = "home_study_result"
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


# ---------------------------------------------------------------- the reps' DMs


def intro(
    user_id: str, first: date, last: date, weeks: int, prompt_time: str, fit_on: date
) -> tuple[str, list[dict[str, Any]]]:
    """The DM that tells a rep why they are asked to log (text and blocks)."""
    text = (
        f"Your team is running a {weeks}-week time study ({span(first, last)}). "
        "The numbers are about the roles, not about judging you."
    )
    blocks = [
        section(
            f"👋 Hi <@{user_id}>! Your team is running a *{weeks}-week time study* "
            f"({span(first, last)}) to decide whether to split *new business* (hunting) from "
            "*looking after existing accounts* (farming) into separate roles."
        ),
        section(
            "*Why you're asked to log:* the numbers are about the roles, not about judging you. "
            "They show how the team's time splits between the two kinds of work, so the roles "
            "can be shaped around the real workload. Nobody is scored or ranked on them."
        ),
        section(
            f"*What to do:* answer the evening message ({prompt_time} on your work days) — one "
            "tap, or one line like `prospecting 2, accounts 4`. Around "
            f"{day_label(fit_on)} I'll ask you one question about which work you'd rather do. "
            "Thank you!"
        ),
        context("Away for a while? `/rolesplit pause 5 days` stops the evening messages."),
    ]
    return text, blocks


def fit_blocks(
    user_id: str, study_id: int, last: date, *, reminder: bool = False
) -> tuple[str, list[dict[str, Any]]]:
    """The fit question (or its one reminder): five choices, from hunting to nurturing."""
    if reminder:
        ask = (
            f"Quick reminder, <@{user_id}> — one tap for the time study: if you could shape your "
            "role, which work would you rather do? (This is the only reminder.)"
        )
    else:
        ask = (
            f"Hi <@{user_id}>! One question for the time study, ten seconds at most: if you "
            "could shape your role, which work would you rather do?"
        )
    blocks = [
        section(ask),
        _choices(study_id, None),
        context(
            "Only managers see your answer, and only to plan the roles. Pick one, then add a "
            f"sentence if you like. You can change it until {day_label(last)}."
        ),
    ]
    return "Time study: which work would you rather do?", blocks


def _choices(study_id: int, chosen: int | None) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": FIT_BLOCK,
        "elements": [
            button(
                f"{score} · {label}",
                FIT_ACTION.format(score),
                str(study_id),
                style="primary" if score == chosen else None,
            )
            for score, label in FIT_CHOICES
        ],
    }


def fit_answered(
    study_id: int, score: int, comment: str | None, last: date
) -> tuple[str, list[dict[str, Any]]]:
    """The fit message once answered: the choice, the sentence, and how to change either."""
    said = f"✅ Thanks! You said: *{score} · {FIT_LABELS[score]}*"
    if comment:
        said += f"\n> {truncate(' '.join(comment.split()), MAX_COMMENT)}"
    blocks = [
        section(said),
        _choices(study_id, score),
        {
            "type": "actions",
            "block_id": FIT_COMMENT,
            "elements": [
                button(
                    "Edit your sentence" if comment else "Add a sentence",
                    FIT_COMMENT,
                    str(study_id),
                )
            ],
        },
        context(
            f"Only managers see this. Change it any time until {day_label(last)} by picking "
            "another answer."
        ),
    ]
    return f"You said: {score} · {FIT_LABELS[score]}", blocks


def fit_modal(
    study_id: int, score: int | None, comment: str | None, metadata: Mapping[str, Any]
) -> dict[str, Any]:
    """The fit question as a form: the five choices and an optional sentence."""
    options = [{"text": plain(f"{s} · {label}"), "value": str(s)} for s, label in FIT_CHOICES]
    radio: dict[str, Any] = {"type": "radio_buttons", "action_id": SCORE_ACTION, "options": options}
    if score is not None:
        radio["initial_option"] = options[score - 1]
    comment_el: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": COMMENT_ACTION,
        "multiline": True,
        "max_length": MAX_COMMENT,
        "placeholder": plain("e.g. I enjoy growing the accounts I already know"),
    }
    if comment:
        comment_el["initial_value"] = truncate(comment, MAX_COMMENT)
    return {
        "type": "modal",
        "callback_id": FIT_MODAL,
        "title": plain("Time study question", 24),
        "submit": plain("Save", 24),
        "close": plain("Cancel", 24),
        "private_metadata": json.dumps({"study": study_id, **metadata})[:3000],
        "blocks": [
            {
                "type": "input",
                "block_id": SCORE_BLOCK,
                "label": plain("Which work would you rather do?"),
                "element": radio,
            },
            {
                "type": "input",
                "block_id": COMMENT_BLOCK,
                "optional": True,
                "label": plain("Anything to add? (optional)"),
                "element": comment_el,
            },
            context("Only managers see your answer. Saving again replaces it."),
        ],
    }


def read_fit_modal(values: Mapping[str, Any]) -> tuple[int | None, str | None, dict[str, str]]:
    """(score, sentence, errors by block id) from a submitted fit form."""
    picked = (values.get(SCORE_BLOCK) or {}).get(SCORE_ACTION, {}).get("selected_option") or {}
    raw = (values.get(COMMENT_BLOCK) or {}).get(COMMENT_ACTION, {}).get("value")
    comment = " ".join((raw or "").split()) or None
    errors: dict[str, str] = {}
    try:
        score: int | None = int(picked.get("value") or "")
    except ValueError:
        score = None
    if score not in FIT_LABELS:
        score = None
        errors[SCORE_BLOCK] = "Pick one of the five answers."
    if comment and len(comment) > MAX_COMMENT:
        errors[COMMENT_BLOCK] = f"Keep it to {MAX_COMMENT} characters (this is {len(comment)})."
    return score, comment, errors


# ---------------------------------------------------------------- progress


@dataclass(frozen=True)
class RepStatus:
    """One rep's part in an open study."""

    user_id: str
    logging: Logging  # for "gone quiet" and the last answer
    split: Split
    days: Days  # days logged out of work days, from the reports' computation
    preference: int | None = None
    paused_until: date | None = None

    @property
    def rate(self) -> Fraction | None:
        """Days logged over work days so far (None before the first work day)."""
        return Fraction(self.days.logged, self.days.work) if self.days.work else None


@dataclass(frozen=True)
class StudyStatus:
    """An open study as managers see it."""

    first: date
    last: date
    weeks: int
    started_by: str
    today: date
    progress: Progress
    reps: tuple[RepStatus, ...]
    fit_on: date
    fit_asked: int
    fit_answered: int
    result_at: datetime  # local time in the workspace's zone
    rollup_channel: str | None = None

    @property
    def answered(self) -> int:
        """Work days logged by the whole team."""
        return sum(r.days.logged for r in self.reps)

    @property
    def expected(self) -> int:
        """Work days so far for the whole team (away days and days off left out)."""
        return sum(r.days.work for r in self.reps)


def _week_text(p: Progress) -> str:
    done = count(p.weeks_done, "week")
    return f"week {p.current_week} of {p.weeks} · {done} done · day {p.day} of {p.total_days}"


def status_blocks(st: StudyStatus) -> list[dict[str, Any]]:
    """`/rolesplit study`: weeks done, each rep's logging rate, who has gone quiet."""
    rate = Fraction(st.answered, st.expected) if st.expected else None
    team = (
        f"*Logging:* the team has logged *{st.answered} of {st.expected}* work days so far "
        f"({pct(rate)})."
        if st.expected
        else "*Logging:* no work day has passed yet — the first answers come this evening."
    )
    if st.today >= st.fit_on:
        fit = f"*Fit question:* {st.fit_answered} of {len(st.reps)} reps have answered"
        fit += f" (asked {st.fit_asked})." if st.fit_asked != len(st.reps) else "."
    else:
        fit = f"*Fit question:* goes out on {day_label(st.fit_on)}."
    quiet = [r for r in st.reps if r.logging.quiet]
    if quiet:
        names = ", ".join(
            f"<@{r.user_id}> ("
            + (
                f"nothing since {day_label(r.logging.last_answered)}"
                if r.logging.last_answered
                else "nothing yet"
            )
            + ")"
            for r in quiet[:40]
        )
        more = f" and {len(quiet) - 40} more" if len(quiet) > 40 else ""
        gone = (
            f"*Gone quiet* (no answer on their last 3 work days): {names}{more}. "
            "A word from you helps."
        )
    else:
        gone = "*Gone quiet:* nobody — everyone has answered in their last 3 work days. 🎉"
    blocks: list[dict[str, Any]] = [
        header(f"Time study — week {st.progress.current_week} of {st.progress.weeks}"),
        context(
            f"{span(st.first, st.last)} · {count(st.progress.weeks_done, 'week')} done · "
            f"day {st.progress.day} of {st.progress.total_days}"
            + (f" · started by <@{st.started_by}>" if st.started_by else "")
        ),
        section(f"{team}\n{fit}"),
        section(gone),
    ]
    lines = [_rep_status_line(r) for r in sorted(st.reps, key=_by_rate)]
    if not lines:
        blocks.append(
            section(
                "Nobody is on the roster — add reps with `/rolesplit add @dana @sam as hybrid`."
            )
        )
    room = MAX_MESSAGE_BLOCKS - len(blocks) - 2
    chunks = _chunks(lines)
    left_out = sum(len(c) for c in chunks[room:])
    blocks += [
        section(("*Each rep* (lowest rate first)\n" if i == 0 else "") + "\n".join(c))
        for i, c in enumerate(chunks[:room])
    ]
    where = f"in <#{st.rollup_channel}> and " if st.rollup_channel else ""
    tail = (
        f"The result comes {where}by DM to managers on {day_label(st.result_at.date())} at "
        f"{st.result_at:%H:%M}. Preview it now: `/rolesplit study result` · stop early: "
        "`/rolesplit study stop`."
    )
    if left_out:
        tail = f"{left_out} more reps are not listed here. " + tail
    blocks += [{"type": "divider"}, context(tail)]
    return blocks


def _by_rate(r: RepStatus) -> tuple[Fraction, str]:
    rate = r.rate
    return (Fraction(2) if rate is None else rate, r.user_id)


def _rep_status_line(r: RepStatus) -> str:
    rate = f"{r.days.text} ({pct(r.rate)})" if r.days.work else f"{r.days.text} yet"
    flag = "💤 " if r.logging.quiet else ""
    share = pct_text(r.split) if r.split.total else "no hours yet"
    pref = f" · would rather: {FIT_LABELS[r.preference].lower()}" if r.preference else ""
    paused = f" · paused through {day_label(r.paused_until)}" if r.paused_until else ""
    return f"{flag}<@{r.user_id}> {rate} · {share}{pref}{paused}"


def status_text(st: StudyStatus) -> str:
    """Notification text for the progress."""
    return (
        f"Time study: {_week_text(st.progress)}; {st.answered} of {st.expected} work days logged."
    )


# ---------------------------------------------------------------- the result


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
        for chunk in _chunks(lines, head=f"*{title} ({len(items)})*"):
            if len(blocks) < room:
                blocks.append(section("\n".join(chunk)))
            else:
                left_out += sum(1 for line in chunk if line.startswith("• "))
    return blocks, left_out


def _chunks(lines: Sequence[str], head: str | None = None) -> list[list[str]]:
    """Lines packed into section-sized chunks (the head starts the first one)."""
    chunks: list[list[str]] = [[head] if head else []]
    for line in lines:
        line = truncate(line, SECTION_BUDGET)
        if chunks[-1] and sum(len(x) + 1 for x in chunks[-1]) + len(line) > SECTION_BUDGET:
            chunks.append([])
        chunks[-1].append(line)
    return [c for c in chunks if c]


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
                f"*Time study:* {_week_text(st.progress)} · {rate} of work days logged · "
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
