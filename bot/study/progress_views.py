"""Block Kit for a running study's progress: weeks done, each rep's logging rate, who has gone
quiet, and the fit question's answers so far (for managers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from bot.reports import Days
from bot.slack.blocks import (
    MAX_MESSAGE_BLOCKS,
    context,
    header,
    section,
)
from bot.split import Split, pct_text
from bot.study.reasons import count
from bot.study.rules import FIT_LABELS
from bot.study.timeline import Logging, Progress
from bot.study.wording import (
    chunks,
    day_label,
    pct,
    span,
)


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


def week_text(p: Progress) -> str:
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
    packed = chunks(lines)
    left_out = sum(len(c) for c in packed[room:])
    blocks += [
        section(("*Each rep* (lowest rate first)\n" if i == 0 else "") + "\n".join(c))
        for i, c in enumerate(packed[:room])
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
    return f"Time study: {week_text(st.progress)}; {st.answered} of {st.expected} work days logged."
