"""Pure hand-off rules: backdated nudge plans, win-date bounds, who may declare, inline won:."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.handoff.rules import (
    check_won_at,
    declare_refusal,
    nudge_label,
    parse_inline,
    plan_nudges,
    year_before,
)
from bot.handoff.texts import space_refusal

DAYS = (1, 7, 30, 90)


def test_a_win_declared_the_day_it_happened_skips_nothing() -> None:
    won = date(2026, 11, 24)
    plan = plan_nudges(won, won, won + timedelta(days=182), DAYS, 90)
    assert plan.skipped == [] and not plan.transferred
    assert [k for k, _ in plan.scheduled] == ["day1", "day7", "day30", "day90", "transfer"]


def test_nudges_over_a_week_late_are_skipped_and_recent_ones_kept() -> None:
    # won 10 days before it was declared: day 1 is 9 days late (skipped), day 7 is 3 days late
    won, declared = date(2026, 11, 14), date(2026, 11, 24)
    plan = plan_nudges(won, declared, won + timedelta(days=182), DAYS, 90)
    assert plan.skipped == [("day1", date(2026, 11, 15))]
    assert plan.scheduled[0] == ("day7", date(2026, 11, 21))
    # exactly a week late is not "more than a week"
    edge = plan_nudges(date(2026, 11, 16), declared, date(2027, 5, 1), DAYS, 90)
    assert edge.skipped == [] and edge.scheduled[0] == ("day1", date(2026, 11, 17))


def test_a_year_old_win_skips_to_the_first_checkin_still_due() -> None:
    # won 2025-11-24, declared 2026-11-24: transfer 2026-05-25 (182 days); check-ins every 90
    # days: 2026-08-23 (93 days late: skipped), 2026-11-21 (3 days late: kept)
    won, declared = date(2025, 11, 24), date(2026, 11, 24)
    plan = plan_nudges(won, declared, won + timedelta(days=182), DAYS, 90)
    assert [k for k, _ in plan.skipped] == [
        "day1",
        "day7",
        "day30",
        "day90",
        "transfer",
        "checkin1",
    ]
    assert plan.scheduled == [("checkin2", date(2026, 11, 21))]
    assert plan.transferred


@given(
    st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    st.integers(0, 366),
    st.integers(1, 3650),
    st.lists(st.integers(1, 3650), min_size=1, max_size=10),
    st.integers(1, 365),
)
def test_plans_never_storm(
    declared: date, back: int, transfer_days: int, days: list[int], checkin: int
) -> None:
    won = declared - timedelta(days=back)
    plan = plan_nudges(won, declared, won + timedelta(days=transfer_days), tuple(days), checkin)
    cutoff = declared - timedelta(days=7)
    assert all(d >= cutoff for _, d in plan.scheduled)
    assert all(d < cutoff for _, d in plan.skipped)
    # what is already due at the declaration is at most a week's worth: the 4 fixed nudges,
    # the transfer, and the check-ins that fit in 8 days
    due_now = [k for k, d in plan.scheduled if d <= declared]
    assert len(due_now) <= len(set(days)) + 1 + 8 // checkin + 1
    kinds = [k for k, _ in plan.scheduled + plan.skipped]
    assert len(kinds) == len(set(kinds))


def test_won_at_bounds() -> None:
    today = date(2026, 11, 24)
    assert check_won_at(today, today) is None
    assert check_won_at(date(2025, 11, 24), today) is None
    late = check_won_at(date(2025, 11, 23), today)
    assert late is not None and "more than a year ago" in late and "2025-11-24" in late
    future = check_won_at(date(2026, 11, 25), today)
    assert future is not None and "in the future" in future
    assert check_won_at(date(1, 1, 1), today) is not None
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_who_may_declare() -> None:
    assert declare_refusal("UMGR", "USAM", True, "manager") is None
    assert declare_refusal("USAM", "USAM", False, "hunter") is None
    assert declare_refusal("UFARM", "UFARM", False, "farmer") is None
    # a roster rep naming someone else, and anyone off the roster, are told who can
    other = declare_refusal("USAM", "UDANA", False, "hunter")
    assert other is not None and "Name yourself as the rep" in other
    stranger = declare_refusal("UEVIL", "UEVIL", False, None)
    assert stranger is not None and stranger.startswith("Only managers, and reps on the roster")


def test_inline_won_date() -> None:
    win = parse_inline("Acme Corp won:2026-11-02 am:<@UDANA>")
    assert (win.account, win.won_at, win.account_manager) == (
        "Acme Corp",
        date(2026, 11, 2),
        "UDANA",
    )
    bad = parse_inline("Acme won:yesterday")
    assert bad.errors and "isn't a date" in bad.errors[0] and bad.has_fields


def test_nudge_labels() -> None:
    assert [nudge_label(k) for k in ("day7", "transfer", "checkin2")] == [
        "day 7",
        "transfer",
        "partner check-in 2",
    ]


def test_refusals_name_only_what_slack_said() -> None:
    scope = space_refusal("missing_scope", "groups:write", "handoff-acme", True, None)
    assert "`groups:write`" in scope.why and "channels:manage" not in scope.why + scope.todo
    unnamed = space_refusal("missing_scope", None, "handoff-acme", True, None)
    assert "without naming it" in unnamed.why and "groups:write" not in unnamed.why
    restricted = space_refusal("restricted_action", None, "handoff-acme", True, None)
    assert "private channel" in restricted.why and "scope" not in restricted.why
    taken = space_refusal("name_taken", None, "handoff-acme", True, None)
    assert "`#handoff-acme-20`" in taken.why
