"""The database going away and coming back (a throw-away PostgreSQL, never the shared one):
what cannot be made durable is not acknowledged as done, and succeeds once it can."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import Db, FaultySlack, rep_ids, seed
from tests.faults.pgserver import ThrowawayPostgres, why_not
from tests.faults.procs import Procs, app_env, health
from tests.faults.rig import Rig
from tests.faults.signed import FORM_TOTAL, WORDS_TOTAL, Answer, open_log_form, post, words_dm

pytestmark = pytest.mark.skipif(
    not os.environ.get("ROLESPLIT_TEST_POSTGRES_URL"),
    reason="PostgreSQL tests run only when ROLESPLIT_TEST_POSTGRES_URL is set",
)


@pytest.fixture(scope="module")
def pg() -> Iterator[ThrowawayPostgres]:
    """One throw-away server for the module (initdb once), removed at the end."""
    reason = why_not()
    if reason:
        pytest.skip(f"no throw-away PostgreSQL server: {reason}")
    server = ThrowawayPostgres().init()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def rig(pg: ThrowawayPostgres, tmp_path: Path) -> Iterator[Rig]:
    """The app on a fresh database of the throw-away server; the server up again after."""
    if not pg.running:
        pg.start()
    url = pg.new_database()
    fake = FaultySlack()
    fake.start()
    procs = Procs(app_env(url, fake, tmp_path), tmp_path)
    db = Db(url)
    try:
        yield Rig(url, fake, procs, db)
    finally:
        procs.close()
        db.close()
        fake.stop()
        if not pg.running:
            pg.start()


def until_health(url: str, status: int, timeout: float = 15.0) -> int | None:
    """Poll /healthz (bounded) until it answers `status`; the last answer."""
    deadline = time.monotonic() + timeout
    got = health(url)
    while got != status and time.monotonic() < deadline:
        time.sleep(0.1)
        got = health(url)
    return got


def response_action(answer: Answer) -> str:
    """The `response_action` of a view_submission answer ('' when it closed the form)."""
    try:
        return str((json.loads(answer.text or "{}") or {}).get("response_action") or "")
    except ValueError:
        return ""


def test_the_app_serves_again_once_the_database_is_back(rig: Rig, pg: ThrowawayPostgres) -> None:
    reps = rep_ids(2)
    seed(rig.db_url, reps)
    app = rig.procs.serve()
    form = open_log_form(app.url, rig.fake, reps[0])
    pg.stop()
    assert until_health(app.url, 503) == 503, "/healthz while the database is down"
    pg.start()
    assert until_health(app.url, 200) == 200, "/healthz once the database is back"
    assert post(app.url, form.submission(reps[0], view_id="V1")).status == 200
    rig.settle_answered(reps[:1])
    rig.check_each_stored_once_and_confirmed_once(reps[:1], FORM_TOTAL, reps[:1])


def test_a_form_saved_while_the_database_is_down_says_so_in_place(
    rig: Rig, pg: ThrowawayPostgres
) -> None:
    reps = rep_ids(2)
    seed(rig.db_url, reps)
    app = rig.procs.serve()
    form = open_log_form(app.url, rig.fake, reps[0])
    submission = form.submission(reps[0], view_id="V1")
    pg.stop()
    down = post(app.url, submission)
    assert down.status == 200 and response_action(down) == "errors", (
        f"a form the app could not save must stay open with a message: {down}"
    )
    assert not rig.fake.dm(reps[0])

    pg.start()
    assert until_health(app.url, 200) == 200
    assert reps[0] not in rig.db.days(), "stored although the form was told it was not"
    again = post(app.url, submission)  # the person presses Save again
    assert again.status == 200 and response_action(again) != "errors", again
    rig.settle_answered(reps[:1])
    rig.check_each_stored_once_and_confirmed_once(reps[:1], FORM_TOTAL, reps[:1])


def test_an_event_while_the_database_is_down_is_left_for_slack_to_redeliver(
    rig: Rig, pg: ThrowawayPostgres
) -> None:
    reps = rep_ids(2)
    seed(rig.db_url, reps)
    app = rig.procs.serve()
    event = words_dm(reps[0], ts=f"{int(time.time())}.000100", event_id="EvDown1")
    pg.stop()
    down = post(app.url, event)
    assert down.status is not None and not 200 <= down.status < 300, (
        f"an event the app could not keep must be refused for Slack to redeliver: {down}"
    )

    pg.start()
    assert until_health(app.url, 200) == 200
    again = post(app.url, event, retry_num=1)  # Slack's redelivery
    assert again.status == 200, again
    rig.settle_answered(reps[:1])
    rig.check_each_stored_once_and_confirmed_once(reps[:1], WORDS_TOTAL, reps[:1])
