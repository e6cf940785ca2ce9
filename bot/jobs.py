"""tick(): one pass over everything due now — each item claimed in the database first."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from bot import features
from bot.services import Services
from storage import repo

log = logging.getLogger("bot.jobs")

# Slack retries an event for about 6 minutes and never retries a click or a submission: a
# day of idempotency keys covers every retry with a wide margin
PROCESSED_RETENTION = timedelta(days=1)


def prune_bookkeeping(services: Services, now: datetime) -> int:
    """Forget idempotency keys past their retention and OAuth states that expired unused."""
    with services.Session.begin() as s:
        keys = repo.prune_processed_requests(s, now - PROCESSED_RETENTION)
        return keys + repo.prune_oauth_states(s, now)


# run after every feature's jobs, each pass
HOUSEKEEPING = (("prune", prune_bookkeeping),)


def pass_budget(tick_seconds: int) -> float:
    """How long one pass may keep sending before it leaves the rest to the next pass."""
    return max(5.0, tick_seconds * 0.9)


def tick(services: Services, now: datetime | None = None) -> dict[str, int]:
    """Run every feature's due work once; returns how many items each job handled."""
    now = now or services.now()
    done: dict[str, int] = {}
    for jobs in [*(getattr(module, "JOBS", ()) for module in features.load()), HOUSEKEEPING]:
        for name, job in jobs:
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
