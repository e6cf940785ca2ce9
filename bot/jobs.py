"""tick(): one pass over everything due now — each item claimed in the database first.

The jobs are listed here, explicitly, in the order a pass runs them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from bot import handoff, reports, study, timelog, workspace
from bot.services import Services
from bot.slack import outbox
from storage import repo

log = logging.getLogger("bot.jobs")

Job = Callable[[Services, datetime], int]

# Slack retries an event for about 6 minutes and never retries a click or a submission: a
# day of idempotency keys covers every retry with a wide margin
PROCESSED_RETENTION = timedelta(days=1)


def prune_bookkeeping(services: Services, now: datetime) -> int:
    """Forget idempotency keys past their retention, OAuth states that expired unused and
    finished outbox rows past theirs."""
    with services.Session.begin() as s:
        keys = repo.prune_processed_requests(s, now - PROCESSED_RETENTION)
        keys += repo.prune_oauth_states(s, now)
    return keys + outbox.prune(services, now)


JOBS: tuple[tuple[str, Job], ...] = (
    ("outbox", outbox.send_due),  # what requests decided to say and could not send yet
    ("welcomes", workspace.send_welcomes),  # first: a new rep is welcomed before the evening
    ("prompts", timelog.send_prompts),
    ("reminders", timelog.send_reminders),
    ("rollups", reports.send_rollups),
    ("nudges", handoff.send_nudges),
    ("handoff_waiting", handoff.ask_waiting),
    ("study_dms", study.send_study_dms),
    ("study_end", study.end_studies),
    ("prune", prune_bookkeeping),
)


def tick(services: Services, now: datetime | None = None) -> dict[str, int]:
    """Run every job once; returns how many items each job handled (-1: it failed)."""
    now = now or services.now()
    done: dict[str, int] = {}
    for name, job in JOBS:
        started = time.perf_counter()
        try:
            done[name] = job(services, now)
        except Exception:  # one failing job must not stop the others; it retries next tick
            log.exception("job %s failed", name, extra={"job": name, "outcome": "error"})
            done[name] = -1
            continue
        if done[name]:
            log.info(
                "job %s handled %d item(s)",
                name,
                done[name],
                extra={
                    "job": name,
                    "items": done[name],
                    "outcome": "ok",
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
    return done
