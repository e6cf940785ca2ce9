"""The time study's numbers, read in one transaction: its progress, and the result with its plan."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypedDict

from sqlalchemy.orm import Session

from bot.config import WorkspaceConfig, parse_work_days
from bot.reports import Period, build_report, work_days_between
from bot.split import Split, split
from bot.study import progress_views, result_views
from bot.study.plan import RepEvidence, min_days_for, suggest
from bot.study.timeline import (
    Logging,
    Progress,
    fit_day,
    logging_rate,
    progress,
    study_weeks,
    trend,
)
from bot.timecalc import local_datetime, local_today, zone
from storage import report_queries as rq
from storage import study_repo as q
from storage.models import Member, Study

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- loading what to show


def result_due_at(study: Study, cfg: WorkspaceConfig) -> datetime:
    """The result goes out the morning after the last day, at the rollup time of day."""
    return local_datetime(study.ends_on + timedelta(days=1), cfg.rollup_time, zone(cfg.timezone))


def member_work_days(member: Member, cfg: WorkspaceConfig) -> tuple[int, ...]:
    """The member's own work days, else the workspace's."""
    return parse_work_days(member.work_days) if member.work_days else cfg.work_days


def _rate(
    member: Member,
    answered: Mapping[int, set[date]],
    first: date,
    last: date,
    today: date,
    cfg: WorkspaceConfig,
) -> Logging:
    """A rep's logging rate over the study so far, counted from the day they joined it."""
    joined = local_today(member.created_at, cfg.timezone)
    days = member_work_days(member, cfg)
    return logging_rate(answered.get(member.id, set()), max(first, joined), last, today, days)


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
    """An open study's progress: weeks done, each rep's logging rate, who has gone quiet."""
    today = local_today(now, cfg.timezone)
    first, last = study.starts_on, study.ends_on
    reps = q.active_reps(s, ws_id)
    answered = rq.answered_dates(s, ws_id, first, min(last, today))
    answers = q.fit_answers(s, study.id)
    sent = q.messages(s, study.id)
    report = build_report(s, ws_id, cfg, Period(first, last, "the study"), today)
    splits = {r.user_id: r.split for r in report.reps}
    rows = tuple(
        progress_views.RepStatus(
            m.user_id,
            _rate(m, answered, first, last, today, cfg),
            splits.get(m.user_id, Split()),
            answers[m.id].score if m.id in answers else None,
            m.paused_until if m.paused_until and m.paused_until >= today else None,
        )
        for m in reps
    )
    ids = {m.id for m in reps}
    return progress_views.StudyStatus(
        **_dates(study, today),
        started_by=study.started_by,
        reps=rows,
        fit_on=fit_day(first, last),
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
    report = build_report(s, ws_id, cfg, Period(first, last, "the study"), today)
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
                line.days_logged,
                answer.score if answer else None,
                answer.comment if answer else None,
                report.wins.won.get(line.user_id, (0, 0))[0],
                member.role,
            )
        )
    plan = suggest(evidence, min_days_for(work_days_between(first, upto, cfg.work_days)))
    weekly: dict[int, dict[str, Decimal]] = {}
    for day, kind, hours in rq.hours_by_day_and_kind(s, ws_id, first, upto):
        bucket = weekly.setdefault((day - first).days // 7, {})
        bucket[kind] = bucket.get(kind, Decimal(0)) + hours
    weeks = [(a, b, split(weekly.get(i, {}))) for i, (a, b) in enumerate(study_weeks(first, upto))]
    answered = rq.answered_dates(s, ws_id, first, upto)
    rates = [_rate(m, answered, first, last, today, cfg) for m in reps.values()]
    return result_views.StudyResult(
        **_dates(study, today),
        status=study.status,
        report=report,
        trend=trend(weeks),
        plan=plan,
        answered=sum(r.answered for r in rates),
        expected=sum(r.expected for r in rates),
        fit_answered=sum(1 for m in reps.values() if m.id in answers),
        names={m.user_id: m.display_name for m in reps.values() if m.display_name},
    )
