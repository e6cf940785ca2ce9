"""A study started on a weekend starts on the next work day; its question and result too."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from storage.models import Study
from tests.support.app import Running
from tests.support.daylog import add_reps


def test_a_study_started_on_a_sunday_starts_on_monday(running: Running) -> None:
    running.fake.add_user("UBOSS", is_admin=True)
    add_reps(running, ("UDANA", "UTC"), created_at=datetime(2026, 11, 1, tzinfo=UTC))
    running.clock.set(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))  # Sunday
    answer = running.slack.command("study start 1 week", user_id="UBOSS").json()
    text = answer["text"]
    # Mon 30 Nov – Sun 6 Dec; the question on Thu 3 Dec, the result on Mon 7 Dec (never Sunday)
    assert "1 week, Mon 30 Nov – Sun 6 Dec 2026, 1 rep" in text
    assert "(today isn't a work day, so it starts on Mon 30 Nov)" in text
    assert "Thu 3 Dec:* the fit question" in text
    assert "Mon 7 Dec at 09:00:* the result" in text
    with running.session() as s:
        study = s.scalars(select(Study)).one()
        assert (study.starts_on, study.ends_on) == (date(2026, 11, 30), date(2026, 12, 6))
