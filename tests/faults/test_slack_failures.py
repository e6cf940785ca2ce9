"""Slack failing for a while delays what the app says, never loses it; a permanent refusal is
told to someone who can act on it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from tests.faults.harness import rep_ids, seed
from tests.faults.procs import MANAGER, HarnessError
from tests.faults.rig import Rig
from tests.faults.signed import (
    FORM_TOTAL,
    WORDS_TOTAL,
    builder,
    open_log_form,
    post,
    prepared,
    words_dm,
)

UPLOAD = "files.getUploadURLExternal"


def wait_until(check: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll (bounded) until `check()`; its last answer."""
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.05)
    return check()


def csv_files(rig: Rig) -> list[dict[str, object]]:
    """CSV files shared into the manager's DM."""
    return [
        f
        for f in list(rig.fake.shared_files)
        if str(f["channel"]) in (MANAGER, "D" + MANAGER) and str(f["filename"]).endswith(".csv")
    ]


def told_manager(rig: Rig) -> list[str]:
    """Everything the manager could read: DMs, ephemeral messages, response_url answers."""
    seen = list(rig.fake.dm(MANAGER))
    seen += [c.text for c in rig.fake.calls("chat.postEphemeral") if c.args.get("user") == MANAGER]
    seen += [json.dumps(r, ensure_ascii=False) for r in list(rig.fake.responses)]
    return seen


def test_confirmations_during_a_slack_outage_are_delayed_not_lost(rig: Rig) -> None:
    reps = rep_ids(6)
    seed(rig.db_url, reps)
    app = rig.procs.serve()
    form = open_log_form(app.url, rig.fake, reps[0])
    rig.fake.outage("chat.postMessage")
    for u in reps[:3]:
        assert post(app.url, form.submission(u, view_id=f"V{u}")).status == 200
    for i, u in enumerate(reps[3:]):
        assert (
            post(app.url, words_dm(u, ts=f"{int(time.time())}.{i:06d}", event_id=f"Ev{u}")).status
            == 200
        )
    assert wait_until(lambda: len(rig.db.days()) == len(reps)), "days not stored during the outage"
    wait_until(lambda: rig.fake.injected["chat.postMessage"] >= len(reps), timeout=5)
    assert not any(rig.fake.dm(u) for u in reps)  # nothing got through while Slack failed

    rig.fake.recover()
    rig.settle_answered(reps)
    days, dms = rig.db.days(), rig.fake.dm_counts()
    assert all(len(days[u]) == 1 and days[u][0][1] == 1 for u in reps), days
    assert {u: dms[u] for u in reps} == dict.fromkeys(reps, 1), "each day confirmed exactly once"
    for u, total in [(u, FORM_TOTAL) for u in reps[:3]] + [(u, WORDS_TOTAL) for u in reps[3:]]:
        assert total in rig.fake.dm(u)[0], (u, rig.fake.dm(u))


# the one Slack client retries a 5xx on the request path: a short outage delays the file
def test_a_csv_during_a_slack_outage_is_delayed_not_lost(rig: Rig) -> None:
    seed(rig.db_url, rep_ids(3))
    app = rig.procs.serve()
    report = prepared(builder(rig.fake).command("report csv", user_id=MANAGER))
    assert post(app.url, report).status == 200
    if not wait_until(lambda: len(csv_files(rig)) == 1):  # Slack up: the CSV arrives at once
        raise HarnessError(f"no CSV in the manager's DM: {rig.fake.shared_files}")

    rig.fake.outage(UPLOAD)
    report = prepared(builder(rig.fake).command("report csv", user_id=MANAGER))
    assert post(app.url, report).status == 200
    assert wait_until(lambda: rig.fake.injected[UPLOAD] >= 1), "the upload was never tried"
    assert len(csv_files(rig)) == 1

    rig.fake.recover()
    rig.settle_on(lambda: len(csv_files(rig)) >= 2, lambda: len(rig.fake.calls(UPLOAD)))
    assert len(csv_files(rig)) == 2, f"CSV files in the manager's DM: {csv_files(rig)}"


def test_a_csv_refused_for_a_missing_scope_is_told_to_the_manager(rig: Rig) -> None:
    seed(rig.db_url, rep_ids(3))
    app = rig.procs.serve()
    rig.fake.refuse(UPLOAD, "missing_scope", needed="files:write")
    answer = post(app.url, prepared(builder(rig.fake).command("report csv", user_id=MANAGER)))
    assert answer.status == 200, answer

    def named() -> bool:
        return any("files:write" in t for t in told_manager(rig))

    rig.settle_on(named, lambda: (len(told_manager(rig)), len(rig.fake.calls(UPLOAD))))
    assert named(), f"the manager was never told files:write is missing: {told_manager(rig)}"
    assert not csv_files(rig)
