"""The embedded scheduler: one APScheduler interval job that runs jobs.tick(); nothing else."""

from __future__ import annotations

import time
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler

from bot import jobs
from bot.services import Services
from bot.slack.outbound import pass_budget

MAX_PASSES = 10


def run_passes(
    services: Services,
    *,
    tick: Callable[[Services], dict[str, int]] = jobs.tick,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """One scheduled run: a pass, and at once another while a pass used up its time budget.

    A pass that hit its budget (a large evening fan-out) left work behind; waiting for the next
    interval would idle the sender for the rest of it. How many passes ran.
    """
    budget = pass_budget(services.settings.tick_seconds)
    for n in range(1, MAX_PASSES + 1):
        started = clock()
        tick(services)
        if clock() - started < budget:
            return n
    return MAX_PASSES


def start_scheduler(services: Services) -> BackgroundScheduler:
    """Run passes every ROLESPLIT_TICK_SECONDS in a background thread (never two at once)."""
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        run_passes,
        "interval",
        args=[services],
        seconds=services.settings.tick_seconds,
        id="rolesplit-tick",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
        next_run_time=services.now(),
    )
    scheduler.start()
    return scheduler
