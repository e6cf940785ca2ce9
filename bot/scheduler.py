"""The embedded scheduler: one APScheduler interval job that calls jobs.tick(); nothing else."""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler

from bot import jobs
from bot.services import Services


def start_scheduler(services: Services) -> BackgroundScheduler:
    """Tick every ROLESPLIT_TICK_SECONDS in a background thread (never two passes at once)."""
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        jobs.tick,
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
