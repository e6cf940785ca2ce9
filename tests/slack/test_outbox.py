"""The outbox: what an effect decided to say is sent once, retried while Slack fails, told when
Slack refuses it, and never doubled after a crash."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.slack import outbox
from storage import outbox_repo as ob
from storage.models import OutboxMessage
from tests.support.app import Running
from tests.support.constants import TEAM_ID


def queue(running: Running, channel: str = "U1", **kwargs: object) -> int:
    with running.session() as s:
        return outbox.queue_message(
            s, TEAM_ID, channel, running.services.now(), text="Logged 8 h", **kwargs
        )


def row(running: Running, outbox_id: int) -> OutboxMessage:
    with running.session() as s:
        found = s.get(OutboxMessage, outbox_id)
        assert found is not None
        s.expunge(found)
        return found


def posts(running: Running, channel: str = "U1") -> list[str]:
    return [
        str(c.args["text"])
        for c in running.fake.calls("chat.postMessage")
        if c.args["channel"] == channel
    ]


def test_a_queued_message_is_sent_once_however_often_it_is_sent(running: Running) -> None:
    queued = queue(running)
    assert outbox.send(running.services, [queued]) == 1
    assert outbox.send(running.services, [queued]) == 0
    assert outbox.send_due(running.services, running.clock.advance(hours=1)) == 0
    assert posts(running) == ["Logged 8 h"]
    sent = row(running, queued)
    assert (sent.status, sent.attempts, sent.error) == ("sent", 1, None)


def test_a_5xx_is_retried_after_a_growing_back_off_until_it_goes_through(running: Running) -> None:
    queued = queue(running)
    running.fake.server_error_next("chat.postMessage", status=503, times=2)
    assert outbox.send(running.services, [queued]) == 0
    first = row(running, queued)
    assert first.status == "pending" and first.error and "503" in first.error
    assert first.next_at == running.services.now() + timedelta(seconds=outbox.BACKOFF_S[0])
    # not due yet: the pass leaves it
    assert outbox.send_due(running.services, running.clock.advance(seconds=4)) == 0
    assert outbox.send_due(running.services, running.clock.advance(seconds=1)) == 0  # 503 again
    second = row(running, queued)
    assert second.next_at == running.services.now() + timedelta(seconds=outbox.BACKOFF_S[1])
    assert outbox.send_due(running.services, running.clock.advance(seconds=30)) == 1
    assert len(posts(running)) == 3  # two answered 503 (nothing posted), the third went out
    assert (row(running, queued).status, row(running, queued).attempts) == ("sent", 3)


def test_a_message_slack_keeps_failing_is_given_up_after_the_last_try(running: Running) -> None:
    queued = queue(running)
    running.fake.server_error_next("chat.postMessage", times=outbox.MAX_ATTEMPTS)
    outbox.send(running.services, [queued])
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        outbox.send_due(running.services, running.clock.advance(hours=1))
    gave_up = row(running, queued)
    assert gave_up.status == "failed" and gave_up.attempts == outbox.MAX_ATTEMPTS
    assert gave_up.error and gave_up.error.startswith(f"gave up after {outbox.MAX_ATTEMPTS} tries")
    assert outbox.send_due(running.services, running.clock.advance(hours=1)) == 0
    assert len(posts(running)) == outbox.MAX_ATTEMPTS  # every one answered 500


def test_a_file_refused_for_a_missing_scope_is_told_naming_the_scope(running: Running) -> None:
    running.fake.fail_next(
        "files.getUploadURLExternal", "missing_scope", extra={"needed": "files:write"}
    )
    csv = outbox.File(b"rep,hours\n", "rolesplit.csv", "report")
    with running.session() as s:
        queued = outbox.queue_file(s, TEAM_ID, "UBOSS", running.services.now(), csv, "UBOSS")
    assert outbox.send(running.services, [queued]) == 1  # the notice, not the file
    refused = row(running, queued)
    assert (refused.status, refused.error) == ("failed", "missing_scope")
    (notice,) = posts(running, "UBOSS")
    assert "rolesplit.csv" in notice and "`files:write`" in notice and "reinstalling" in notice
    assert outbox.send_due(running.services, running.clock.advance(hours=1)) == 0


def test_a_refused_message_with_nobody_to_tell_is_recorded_only(running: Running) -> None:
    queued = queue(running)
    running.fake.fail_next("chat.postMessage", "channel_not_found")
    assert outbox.send(running.services, [queued]) == 0
    assert (row(running, queued).status, row(running, queued).error) == (
        "failed",
        "channel_not_found",
    )
    assert len(running.fake.calls("chat.postMessage")) == 1


def test_after_a_crash_an_unattempted_row_is_sent_and_one_on_the_wire_never_again(
    running: Running,
) -> None:
    pending, on_the_wire = queue(running, "U1"), queue(running, "U2")
    with running.session() as s:  # a process claimed U2's row, then died mid-call
        assert ob.claim(s, on_the_wire, running.services.now()) is not None
    # a minute on, the claim may still be alive: left alone
    assert outbox.send_due(running.services, running.clock.advance(minutes=1)) == 1
    assert row(running, on_the_wire).status == "sending"
    later = running.clock.advance(minutes=10)
    assert outbox.send_due(running.services, later) == 0
    interrupted = row(running, on_the_wire)
    assert interrupted.status == "interrupted" and "may have been sent" in (interrupted.error or "")
    assert posts(running, "U1") == ["Logged 8 h"] and posts(running, "U2") == []
    assert row(running, pending).status == "sent"


def test_two_senders_racing_for_one_row_send_it_once(running: Running) -> None:
    ids = [queue(running, f"U{i}") for i in range(20)]
    sent: list[int] = []
    barrier = threading.Barrier(2)

    def race() -> None:
        barrier.wait(5)
        sent.append(outbox.send(running.services, ids))

    threads = [threading.Thread(target=race) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert sum(sent) == 20
    assert sorted(c.args["channel"] for c in running.fake.calls("chat.postMessage")) == sorted(
        f"U{i}" for i in range(20)
    )


def test_finished_rows_are_pruned_after_their_retention_and_owed_ones_kept(
    running: Running,
) -> None:
    done, owed = queue(running, "U1"), queue(running, "U2")
    outbox.send(running.services, [done])
    with running.session() as s:  # U2's is owed: Slack was failing
        s.get(OutboxMessage, owed).next_at = running.services.now() + timedelta(days=30)  # type: ignore[union-attr]
    assert outbox.prune(running.services, running.clock.advance(days=6)) == 0
    assert outbox.prune(running.services, running.clock.advance(days=2)) == 1
    with running.session() as s:
        assert [r.id for r in s.query(OutboxMessage)] == [owed]


def test_forgetting_a_person_removes_what_was_queued_to_or_about_them(running: Running) -> None:
    to_them, other = queue(running, "U1"), queue(running, "U2")
    about_them = queue(running, "C1", tell="U1")
    with running.session() as s:
        ob.forget(s, TEAM_ID, "U1")
    with running.session() as s:
        assert [r.id for r in s.query(OutboxMessage)] == [other]
    assert to_them != about_them
