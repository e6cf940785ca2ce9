"""The time study's scheduled work, each item claimed in the database before Slack is called:

each DM by a unique `study_message(study, member, kind)` row, the end of a study and its result
by guarded UPDATEs on the study row, so several processes ticking together never double anything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.services import Services
from bot.slack.blocks import fmt_time
from bot.slack.outbound import Claimed, Outcome, Pass, deliver, per_minute, post
from bot.study import dm_views, result_views
from bot.study.numbers import load_result, member_work_days, result_due_at
from bot.study.timeline import fit_day, fit_due_at, reminder_due_at
from bot.timecalc import local_today
from storage import accounts_repo
from storage import study_repo as q
from storage.models import Study, Workspace

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- the result, once


def deliver_result(services: Services, ws_id: int, study_id: int, now: datetime) -> int:
    """Post a claimed result to the rollup channel and to each manager; 1 if it reached any."""
    with services.read() as s:
        ws = s.get(Workspace, ws_id)
        study = s.get(Study, study_id)
        assert ws is not None and study is not None
        cfg = services.config(ws)
        result = load_result(s, ws.id, cfg, study, now)
        people = accounts_repo.managers(s, ws.id, services.settings.managers)
    people = [p for p in dict.fromkeys([*people, study.started_by]) if p]
    targets: list[tuple[str, bool]] = [(cfg.rollup_channel, True)] if cfg.rollup_channel else []
    targets += [(user_id, False) for user_id in people]
    reached, unreachable = 0, 0
    for channel, public in targets:
        blocks, _ = result_views.result_blocks(result, public=public)
        out = post(
            services, ws.team_id, channel, text=result_views.result_fallback(result), blocks=blocks
        )
        reached += out.status == "sent"
        unreachable += out.status == "retry"
        if out.status != "sent":
            log.warning(
                "study result not delivered to %s: %s",
                channel,
                out.error,
                extra={"job": "study_end", "team_id": ws.team_id, "outcome": out.status},
            )
    # nobody reached because Slack could not be reached: give the claim back for a later pass
    outcome = "sent" if reached else "retry" if unreachable else "failed"
    with services.Session.begin() as s:
        if reached:
            q.record_result(s, study_id, services.now())
        elif unreachable:
            q.release_result(s, study_id)
    log.log(
        logging.INFO if reached else logging.WARNING,
        "study result sent to %d of %d",
        reached,
        len(targets),
        extra={"job": "study_end", "team_id": ws.team_id, "outcome": outcome},
    )
    return 1 if reached else 0


def end_studies(services: Services, now: datetime) -> int:
    """End studies whose last day has passed (at the rollup time of day) and send each result
    once; also send results of stopped studies whose sending was cut short."""
    with services.read() as s:
        running = q.open_studies(s)
        pending = q.unclaimed_results(s)
    done = 0
    for study, ws in running:
        if now < result_due_at(study, services.config(ws)):
            continue
        with services.Session.begin() as s:
            claimed = q.claim_end(s, study.id, now)
        if claimed:
            done += deliver_result(services, ws.id, study.id, now)
    for study, ws in pending:
        with services.Session.begin() as s:
            claimed = q.claim_result(s, study.id, now)
        if claimed:
            done += deliver_result(services, ws.id, study.id, now)
    return done


# ---------------------------------------------------------------- the reps' DMs, each once


@dataclass(frozen=True)
class DmItem:
    """One study DM that is due: to whom, which kind, and what it needs to say."""

    study_id: int
    member_id: int
    user_id: str
    team_id: str
    kind: str  # intro | fit | fit_reminder
    rate: int
    first: date
    last: date
    weeks: int
    prompt_time: str
    work_days: tuple[int, ...] = ()  # the rep's, for the day the fit question is announced

    @property
    def key(self) -> q.MessageKey:
        """The DM's identity in the database."""
        return q.MessageKey(self.study_id, self.member_id, self.kind)


def find_due_dms(services: Services, now: datetime, study_id: int | None = None) -> list[DmItem]:
    """Intros for every rep of an open study (added late too), the fit question from the
    second half, and one reminder two work days later for reps who have not answered."""
    items: list[DmItem] = []
    with services.read() as s:
        for study, ws in q.open_studies(s):
            if study_id is not None and study.id != study_id:
                continue
            cfg = services.config(ws)
            sent = q.messages(s, study.id)
            answers = q.fit_answers(s, study.id)
            for m in q.active_reps(s, ws.id):
                if local_today(now, m.tz) > study.ends_on:
                    continue
                item = DmItem(
                    study.id,
                    m.id,
                    m.user_id,
                    ws.team_id,
                    "intro",
                    per_minute(cfg),
                    study.starts_on,
                    study.ends_on,
                    study.weeks,
                    m.prompt_time or fmt_time(cfg.prompt_time),
                    member_work_days(m, cfg),
                )
                intro = sent.get((m.id, "intro"))
                if intro is None:
                    items.append(item)
                    continue
                if m.paused_until is not None and local_today(now, m.tz) <= m.paused_until:
                    continue  # away: asked when back, if the study still runs
                days = member_work_days(m, cfg)
                fit = sent.get((m.id, "fit"))
                if fit is None:
                    due = fit_due_at(
                        study.starts_on,
                        study.ends_on,
                        intro.sent_at or intro.claimed_at,
                        m.tz,
                        days,
                    )
                    if now >= due:
                        items.append(_kind(item, "fit"))
                    continue
                if m.id in answers or fit.sent_at is None or (m.id, "fit_reminder") in sent:
                    continue
                if now >= reminder_due_at(fit.sent_at, m.tz, days):
                    items.append(_kind(item, "fit_reminder"))
    return items


def _kind(item: DmItem, kind: str) -> DmItem:
    return DmItem(**{**item.__dict__, "kind": kind})


def send_study_dms(services: Services, now: datetime, study_id: int | None = None) -> int:
    """The study DMs job: claim and send what is due; how many went out."""
    run = Pass(services, now)

    def send(item: DmItem) -> int:
        return deliver(run, _StudyDm(item), log, "study_dms", f"study {item.kind}")

    return run.run(find_due_dms(services, now, study_id), send)


@dataclass(frozen=True)
class _StudyDm:
    """One study DM (intro, fit question, or its reminder), once per member and kind."""

    item: DmItem

    def claim(self, run: Pass, s: Session) -> Claimed[None] | None:
        """Take the DM (a unique row) while the study is open and the DM still wanted."""
        item = self.item
        study = s.get(Study, item.study_id)
        if study is None or study.status != "open":
            return None
        if item.kind == "fit_reminder" and q.fit_answer(s, item.study_id, item.member_id):
            return None
        if not q.claim_message(s, item.key, run.lease()):
            return None  # another process has it
        if item.kind == "intro":
            text, blocks = dm_views.intro(
                item.user_id,
                item.first,
                item.last,
                item.weeks,
                item.prompt_time,
                fit_day(item.first, item.last, item.work_days),
            )
        else:
            text, blocks = dm_views.fit_blocks(
                item.user_id, item.study_id, item.last, reminder=item.kind == "fit_reminder"
            )
        message = {"text": text, "blocks": blocks}
        return Claimed(item.team_id, item.user_id, item.rate, message, None)

    def sending(self, run: Pass, s: Session, state: None) -> bool:
        """Always ours once claimed (the study DM claim is its own mark)."""
        return True

    def record(self, run: Pass, s: Session, state: None, out: Outcome) -> None:
        """Sent, given back (nothing was sent: a later pass tries again), or the error."""
        item = self.item
        if out.status == "sent":
            q.record_message(s, item.key, sent_at=run.lease())
        elif out.status == "retry":
            q.release_message(s, item.key)
        else:
            q.record_message(s, item.key, error=out.error)
