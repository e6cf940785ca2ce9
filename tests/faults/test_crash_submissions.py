"""`kill -9` of the serving process in the middle of a burst: every submission and every
plain-words DM answered `200` is stored exactly once and confirmed exactly once."""

from __future__ import annotations

import time

import pytest

from tests.faults.harness import IN_FLIGHT_MAX, burst, rep_ids, seed
from tests.faults.procs import HarnessError, Served
from tests.faults.rig import Rig
from tests.faults.signed import FORM_TOTAL, WORDS_TOTAL, open_log_form, post, words_dm

REPS = 60
CLIENTS = 8
KILL_AFTER = REPS // 3  # answered requests before the kill


def _stop(app: Served, how: str) -> None:
    if how == "kill":
        app.kill()
    else:
        app.proc.terminate()  # the app drains what it acknowledged, then exits


def _check_interrupted(app: Served, answers_ok: int) -> None:
    app.terminate(timeout=30)  # a SIGTERM'd app exits once it has drained
    if not KILL_AFTER <= answers_ok < REPS:
        raise HarnessError(f"the stop did not land mid-burst ({answers_ok}/{REPS} answered)")


@pytest.mark.parametrize(
    "how",
    [
        "kill",
        "term",
    ],
)
def test_stop_in_a_burst_of_submissions_loses_and_doubles_nothing(rig: Rig, how: str) -> None:
    reps = rep_ids(REPS)
    seed(rig.db_url, reps)
    app = rig.procs.serve()
    form = open_log_form(app.url, rig.fake, reps[0])
    reqs = [form.submission(u, view_id=f"V{u}", hash=f"h{u}") for u in reps]
    answers = burst(
        app.url, reqs, clients=CLIENTS, kill_after=KILL_AFTER, kill=lambda: _stop(app, how)
    )
    acked = [u for u, a in zip(reps, answers, strict=True) if a.status == 200]
    _check_interrupted(app, len(acked))

    app = rig.procs.serve()
    # Slack does not resend a form: the person saw an error and presses Save again (same view)
    for req, answer in zip(reqs, answers, strict=True):
        if answer.status != 200:
            again = post(app.url, req)
            assert again.status == 200, f"Save again after the restart: {again}"
    rig.settle_answered(reps)
    in_flight = IN_FLIGHT_MAX if how == "kill" else 0
    rig.check_each_stored_once_and_confirmed_once(reps, FORM_TOTAL, acked, in_flight)


def test_kill_9_in_a_burst_of_plain_words_dms_loses_and_doubles_nothing(rig: Rig) -> None:
    reps = rep_ids(REPS)
    seed(rig.db_url, reps)
    app = rig.procs.serve()
    base = int(time.time())
    reqs = [words_dm(u, ts=f"{base}.{i:06d}", event_id=f"Ev{u}") for i, u in enumerate(reps)]
    answers = burst(app.url, reqs, clients=CLIENTS, kill_after=KILL_AFTER, kill=app.kill)
    acked = [u for u, a in zip(reps, answers, strict=True) if a.status == 200]
    _check_interrupted(app, len(acked))

    app = rig.procs.serve()
    # Slack redelivers every event it got no 200 for, with X-Slack-Retry-Num
    for req, answer in zip(reqs, answers, strict=True):
        if answer.status != 200:
            again = post(app.url, req, retry_num=1)
            assert again.status == 200, f"redelivery after the restart: {again}"
    rig.settle_answered(reps)
    rig.check_each_stored_once_and_confirmed_once(reps, WORDS_TOTAL, acked, IN_FLIGHT_MAX)
