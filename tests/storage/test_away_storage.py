"""Away periods in storage (SQLite and PostgreSQL): set, end, status days, and away_days()."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from bot.config import ConfigError, load_settings
from storage import away_repo, repo, reps_repo, timelog_repo
from storage.models import Member

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
MON = date(2026, 11, 23)


def rep(session: Session, user_id: str = "U1") -> Member:
    ws = repo.ensure_workspace(session, "T0001")
    member, _ = repo.upsert_member(session, ws.id, user_id, "hunter", tz="UTC", now=NOW)
    return member


def days(d: date, n: int) -> list[date]:
    return [d + timedelta(days=i) for i in range(n)]


def test_a_period_moves_its_end_and_ends_early_keeping_the_days_away(session: Session) -> None:
    m = rep(session)
    away_repo.set_period(
        session, m.id, "paused", MON, MON + timedelta(days=2), now=NOW, set_by=None
    )
    away_repo.set_period(
        session,
        m.id,
        "paused",
        MON + timedelta(days=1),
        MON + timedelta(days=6),
        now=NOW,
        reason="flu",
        set_by=None,
    )
    (cur,) = away_repo.current(session, [m.id], MON + timedelta(days=1))[m.id]
    assert (cur.kind, cur.last_day, cur.reason) == ("paused", MON + timedelta(days=6), "flu")
    assert away_repo.end_period(session, m.id, "paused", MON + timedelta(days=3))
    got = away_repo.away_days(session, [m.id], MON, MON + timedelta(days=6))[m.id]
    assert sorted(got) == days(MON, 3)
    assert got[MON] == "paused through Wed 25 Nov: flu"
    assert not away_repo.end_period(session, m.id, "paused", MON + timedelta(days=3))


def test_a_period_that_starts_today_goes_when_ended_today(session: Session) -> None:
    m = rep(session)
    away_repo.set_period(session, m.id, "away", MON, MON + timedelta(days=4), now=NOW, set_by="UB")
    assert away_repo.end_period(session, m.id, "away", MON)
    assert away_repo.away_days(session, [m.id], MON, MON + timedelta(days=6)) == {m.id: {}}
    with pytest.raises(ValueError):
        away_repo.set_period(
            session, m.id, "away", MON, MON - timedelta(days=1), now=NOW, set_by=None
        )


def test_away_days_combines_every_reason_and_logged_days_are_worked(session: Session) -> None:
    a, b = rep(session, "UA"), rep(session, "UB")
    away_repo.set_period(
        session, a.id, "away", MON, MON + timedelta(days=1), now=NOW, reason="offsite", set_by=None
    )
    assert away_repo.record_status(session, b.id, MON, "Slack status: 🤒 Out sick", now=NOW)
    assert not away_repo.record_status(session, b.id, MON, "Slack status: 🤒 Out sick", now=NOW)
    thursday = MON + timedelta(days=3)
    cats = {c.key: c.id for c in repo.categories(session, a.workspace_id)}
    timelog_repo.save_day(
        session,
        a.id,
        MON + timedelta(days=1),
        {cats["admin"]: Decimal(2)},
        note=None,
        source="text",
        now=NOW,
    )
    got = away_repo.away_days(
        session,
        [a.id, b.id, 999],
        MON,
        MON + timedelta(days=6),
        holiday=lambda d: "Thanksgiving Day" if d == thursday else None,
    )
    assert got[a.id] == {
        MON: "away through Tue 24 Nov: offsite",
        thursday: "public holiday: Thanksgiving Day",
    }  # Tuesday was logged: worked, not away
    assert got[b.id] == {
        MON: "Slack status: 🤒 Out sick",
        thursday: "public holiday: Thanksgiving Day",
    }
    assert got[999] == {thursday: "public holiday: Thanksgiving Day"}
    on = away_repo.away_on(session, [MON, MON + timedelta(days=2)])
    assert on == {(a.id, MON): "away through Tue 24 Nov: offsite"}


def test_a_pause_outranks_a_status_on_the_same_day(session: Session) -> None:
    m = rep(session)
    away_repo.record_status(session, m.id, MON, "Slack status: ✈️ Travelling", now=NOW)
    away_repo.set_period(session, m.id, "paused", MON, MON, now=NOW, set_by=None)
    assert away_repo.away_days(session, [m.id], MON, MON)[m.id] == {
        MON: "paused through Mon 23 Nov"
    }


def test_welcome_claims_are_once(session: Session) -> None:
    m = rep(session)
    reps_repo.owe_welcome(session, m, "first")
    session.flush()
    assert [d.member_id for d in reps_repo.due_welcomes(session)] == [m.id]
    assert reps_repo.claim_welcome(session, m.id, NOW) == "first"
    assert reps_repo.claim_welcome(session, m.id, NOW) is None
    assert reps_repo.due_welcomes(session) == []
    assert reps_repo.expire_welcome_claims(session, NOW + timedelta(minutes=6)) == 1
    assert reps_repo.claim_welcome(session, m.id, NOW) is None  # given up: never twice
    with pytest.raises(ValueError):
        reps_repo.owe_welcome(session, m, "later")


def test_greeting_is_claimed_once(session: Session) -> None:
    ws = repo.ensure_workspace(session, "T0001")
    assert reps_repo.claim_greeting(session, ws.id, NOW)
    assert not reps_repo.claim_greeting(session, ws.id, NOW)
    reps_repo.release_greeting(session, ws.id)
    assert reps_repo.claim_greeting(session, ws.id, NOW)


@pytest.mark.parametrize(
    ("value", "code"), [("US", "US"), ("gb-sct", "GB-SCT"), ("", None), (" de ", "DE")]
)
def test_holidays_setting(value: str, code: str | None) -> None:
    assert load_settings(ROLESPLIT_HOLIDAYS=value, _env_file=None).holidays == code


def test_a_bad_holidays_setting_is_one_line_naming_the_variable() -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(ROLESPLIT_HOLIDAYS="Narnia", _env_file=None)
    text = str(err.value)
    assert text.startswith("ROLESPLIT_HOLIDAYS is invalid: “Narnia” isn't a country code")
    assert "\n" not in text and text.count("ROLESPLIT_HOLIDAYS") == 1


def test_export_holds_the_away_days_and_forgetting_a_manager_keeps_them(session: Session) -> None:
    from bot.workspace.privacy import forget, person_data

    m = rep(session)
    away_repo.set_period(session, m.id, "away", MON, MON, now=NOW, reason="offsite", set_by="UB")
    (row,) = person_data(session, m.workspace_id, "U1")["away"]
    assert (row["kind"], row["reason"], row["set_by"]) == ("away", "offsite", "UB")
    forget(session, m.workspace_id, "UB")
    (cur,) = away_repo.current(session, [m.id], MON)[m.id]
    assert cur.set_by is None and cur.reason == "offsite"
    forget(session, m.workspace_id, "U1")
    session.flush()
    assert away_repo.away_days(session, [m.id], MON, MON) == {m.id: {}}
