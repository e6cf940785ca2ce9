"""The time study's numbers, read in one transaction: its progress, and the result with its plan.

Both come from the reports' one computation over the study's days (`build_report`), so the
study shows the same shares, days, capacity and verdict as `/rolesplit report` for its dates.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime
from typing import TypedDict

from sqlalchemy.orm import Session

from bot.config import WorkspaceConfig, parse_work_days
from bot.reports import Period, RepInput, Report, bucket_trend, build_report, weekdays_between
from bot.study import progress_views, result_views
from bot.study.plan import suggest
from bot.study.rules import RepEvidence, min_days_for
from bot.study.timeline import (
    Logging,
    Progress,
    fit_day,
    logging_rate,
    progress,
    result_day,
    study_weeks,
    trend,
)
from bot.timecalc import local_datetime, local_today, zone
from storage import study_repo as q
from storage.models import Member, Study

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- loading what to show


def result_due_at(study: Study, cfg: WorkspaceConfig) -> datetime:
    """The result goes out on the first work day after the last day, at the rollup time of day."""
    day = result_day(study.ends_on, cfg.work_days)
    return local_datetime(day, cfg.rollup_time, zone(cfg.timezone))


def member_work_days(member: Member, cfg: WorkspaceConfig) -> tuple[int, ...]:
    """The member's own work days, else the workspace's."""
    return parse_work_days(member.work_days) if member.work_days else cfg.work_days


def study_report(s: Session, ws_id: int, cfg: WorkspaceConfig, study: Study, today: date) -> Report:
    """The study's days through the one computation (the storage read of the study's dates)."""
    return build_report(s, ws_id, cfg, Period(study.starts_on, study.ends_on, "the study"), today)


def quiet_logging(rep: RepInput, first: date, last: date, today: date) -> Logging:
    """Whether a rep has gone quiet (no answer on their last three work days, away days not
    counted against them) and their last answer, from the same days the report counts."""
    answered = set(rep.hours) | rep.days_off
    lg = logging_rate(answered | rep.away, max(first, rep.joined), last, today, rep.work_days)
    shown = [d for d in answered if first <= d <= min(last, today)]
    return replace(lg, last_answered=max(shown) if shown else None)


class _Dates(TypedDict):
    """What the progress and the result both start with: the study's dates as of today."""

    first: date
    last: date
    weeks: int
    today: date
    progress: Progress


def _dates(study: Study, today: date) -> _Dates:
    first, last = study.starts_on, study.ends_on
    return {
        "first": first,
        "last": last,
        "weeks": study.weeks,
        "today": today,
        "progress": progress(first, last, today),
    }


def load_status(
    s: Session, ws_id: int, cfg: WorkspaceConfig, study: Study, now: datetime
) -> progress_views.StudyStatus:
    """An open study's progress: weeks done, each rep's days logged, who has gone quiet."""
    today = local_today(now, cfg.timezone)
    first, last = study.starts_on, study.ends_on
    reps = q.active_reps(s, ws_id)
    answers = q.fit_answers(s, study.id)
    sent = q.messages(s, study.id)
    report = study_report(s, ws_id, cfg, study, today)
    lines = {r.user_id: r for r in report.reps}
    inputs = {r.user_id: r for r in report.inputs}
    rows = tuple(
        progress_views.RepStatus(
            m.user_id,
            quiet_logging(inputs[m.user_id], first, last, today),
            lines[m.user_id].split,
            lines[m.user_id].days,
            answers[m.id].score if m.id in answers else None,
            m.paused_until if m.paused_until and m.paused_until >= today else None,
        )
        for m in reps
        if m.user_id in lines
    )
    ids = {m.id for m in reps}
    return progress_views.StudyStatus(
        **_dates(study, today),
        started_by=study.started_by,
        reps=rows,
        fit_on=fit_day(first, last, cfg.work_days),
        fit_asked=sum(
            1 for (mid, kind), m in sent.items() if kind == "fit" and m.sent_at and mid in ids
        ),
        fit_answered=sum(1 for mid in answers if mid in ids),
        result_at=result_due_at(study, cfg).astimezone(zone(cfg.timezone)),
        rollup_channel=cfg.rollup_channel,
    )


def load_result(
    s: Session, ws_id: int, cfg: WorkspaceConfig, study: Study, now: datetime
) -> result_views.StudyResult:
    """The study result (preliminary while it runs): verdict, trend, capacity, split plan."""
    today = local_today(now, cfg.timezone)
    first, last = study.starts_on, study.ends_on
    upto = last if study.status != "open" else max(first, min(last, today))
    report = study_report(s, ws_id, cfg, study, today)
    reps = {m.user_id: m for m in q.active_reps(s, ws_id)}
    answers = q.fit_answers(s, study.id)
    evidence = []
    for line in report.reps:
        member = reps.get(line.user_id)
        if member is None:  # left the roster: their hours count for the team, no suggestion
            continue
        answer = answers.get(member.id)
        evidence.append(
            RepEvidence(
                line.user_id,
                line.split,
                line.days.logged,
                answer.score if answer else None,
                answer.comment if answer else None,
                report.wins.won.get(line.user_id, (0, 0))[0],
                member.role,
            )
        )
    plan = suggest(evidence, min_days_for(weekdays_between(first, upto, cfg.work_days)))
    buckets = study_weeks(first, upto)
    table = bucket_trend(report.inputs, buckets, today)
    weeks = [(a, b, split) for (a, b), split in zip(buckets, table.team, strict=True)]
    team = report.numbers.team
    return result_views.StudyResult(
        **_dates(study, today),
        status=study.status,
        report=report,
        trend=trend(weeks),
        plan=plan,
        answered=team.logged_days,
        expected=team.work_days,
        fit_answered=sum(1 for m in reps.values() if m.id in answers),
        names={m.user_id: m.display_name for m in reps.values() if m.display_name},
    )
