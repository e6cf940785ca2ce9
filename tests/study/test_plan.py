"""Pure rules of the time study: weeks parsing, dates, logging rate, trend, the split plan."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reports.numbers import Days
from bot.split import Split
from bot.study.plan import plan_summary, suggest
from bot.study.rules import (
    ACCOUNT_MANAGER,
    HUNTER,
    PLACE_AT,
    ROLE_RANK,
    UNDECIDED,
    Plan,
    RepEvidence,
    clear_farmer,
    evidence_lean,
    has_enough_data,
    min_days_for,
)
from bot.study.timeline import (
    fit_day,
    fit_due_at,
    logging_rate,
    parse_weeks,
    progress,
    reminder_due_at,
    study_end,
    study_weeks,
    trend,
    work_morning,
)

D = Decimal
TUE = date(2026, 11, 24)
WEEKDAYS = (0, 1, 2, 3, 4)


def rep(
    uid: str,
    hunting: str = "0",
    farming: str = "0",
    other: str = "0",
    days: int = 20,
    pref: int | None = None,
    won: int = 0,
    role: str = "hybrid",
    comment: str | None = None,
) -> RepEvidence:
    return RepEvidence(uid, Split(D(hunting), D(farming), D(other)), days, pref, comment, won, role)


def role_of(plan: Plan, uid: str) -> str:
    (s,) = [s for s in plan.suggestions if s.user_id == uid]
    return s.role


# ---------------------------------------------------------------- parsing the length


def test_weeks_default_and_spellings() -> None:
    assert parse_weeks("") == 4
    assert parse_weeks("   ") == 4
    for text, weeks in (("6", 6), ("6 weeks", 6), ("1 week", 1), ("12w", 12), ("3 WKS", 3)):
        assert parse_weeks(text) == weeks, text


def test_bad_lengths_say_what_is_wrong() -> None:
    assert parse_weeks("0 weeks") == "A study runs for 1 to 12 weeks, not 0."
    assert parse_weeks("13") == "A study runs for 1 to 12 weeks, not 13."
    assert parse_weeks("banana") == "“banana” isn't a number of weeks."
    assert isinstance(parse_weeks("-2 weeks"), str)
    assert isinstance(parse_weeks("4 days"), str)
    assert isinstance(parse_weeks("2.5 weeks"), str)


@given(st.text(max_size=60))
def test_weeks_parser_never_raises_and_stays_in_range(text: str) -> None:
    result = parse_weeks(text)
    assert (isinstance(result, int) and 1 <= result <= 12) or (isinstance(result, str) and result)


# ---------------------------------------------------------------- dates and progress


def test_a_four_week_study_from_a_tuesday() -> None:
    last = study_end(TUE, 4)
    assert last == date(2026, 12, 21)  # a Monday: 28 days, inclusive
    weeks = study_weeks(TUE, last)
    assert len(weeks) == 4 and weeks[0] == (TUE, date(2026, 11, 30)) and weeks[-1][1] == last
    assert fit_day(TUE, last) == date(2026, 12, 8)  # the first day of week 3
    p = progress(TUE, last, TUE)
    assert (p.day, p.weeks_done, p.current_week, p.finished) == (1, 0, 1, False)
    p = progress(TUE, last, date(2026, 11, 30))  # the last day of week 1: not done yet
    assert (p.day, p.weeks_done, p.current_week) == (7, 0, 1)
    p = progress(TUE, last, date(2026, 12, 1))
    assert (p.day, p.weeks_done, p.current_week) == (8, 1, 2)
    p = progress(TUE, last, date(2026, 12, 22))
    assert (p.day, p.weeks_done, p.current_week, p.finished) == (28, 4, 4, True)


def test_a_stopped_study_has_a_short_last_week() -> None:
    weeks = study_weeks(TUE, date(2026, 12, 3))
    assert weeks == [(TUE, date(2026, 11, 30)), (date(2026, 12, 1), date(2026, 12, 3))]


def test_fit_question_waits_for_a_work_morning_and_a_day_after_the_intro() -> None:
    # Saturday → Monday 10:00 in New York (15:00 UTC)
    assert work_morning(date(2026, 12, 5), "America/New_York", WEEKDAYS) == datetime(
        2026, 12, 7, 15, 0, tzinfo=UTC
    )
    last = study_end(TUE, 4)
    assert fit_due_at(TUE, last, None, "UTC", WEEKDAYS) == datetime(2026, 12, 8, 10, tzinfo=UTC)
    late_intro = datetime(2026, 12, 10, 16, tzinfo=UTC)  # added on Thu of week 3
    assert fit_due_at(TUE, last, late_intro, "UTC", WEEKDAYS) == datetime(
        2026, 12, 11, 10, tzinfo=UTC
    )
    # sent on a Thursday: the reminder comes on Monday, not on Saturday
    assert reminder_due_at(datetime(2026, 12, 10, 10, tzinfo=UTC), "UTC", WEEKDAYS) == datetime(
        2026, 12, 14, 10, tzinfo=UTC
    )


def test_min_days_for_short_studies() -> None:
    assert min_days_for(20) == 5 and min_days_for(5) == 3 and min_days_for(1) == 1
    assert min_days_for(0) == 1


# ---------------------------------------------------------------- logging rate


def test_logging_rate_counts_work_days_so_far_and_today_once_answered() -> None:
    first, last = TUE, study_end(TUE, 4)
    today = date(2026, 12, 2)  # Wed of week 2; work days before today: 24-27, 30, 1 Dec = 6
    answered = {TUE, date(2026, 11, 25), date(2026, 11, 28), date(2026, 12, 1)}  # 28th: Saturday
    lg = logging_rate(answered, first, last, today, WEEKDAYS)
    assert (lg.answered, lg.expected, lg.quiet) == (3, 6, False)
    assert lg.rate == Fraction(1, 2) and lg.last_answered == date(2026, 12, 1)
    lg = logging_rate(answered | {today}, first, last, today, WEEKDAYS)
    assert (lg.answered, lg.expected) == (4, 7)


def test_gone_quiet_after_three_silent_work_days() -> None:
    first, last = TUE, study_end(TUE, 4)
    answered = {TUE, date(2026, 11, 25)}
    # Thu, Fri, Mon silent, seen on Tuesday 1 Dec
    assert logging_rate(answered, first, last, date(2026, 12, 1), WEEKDAYS).quiet
    # only Thu, Fri silent on Monday morning: not yet
    assert not logging_rate(answered, first, last, date(2026, 11, 30), WEEKDAYS).quiet
    # a new rep with no past work day is not quiet, and has no rate yet
    lg = logging_rate(set(), TUE, last, TUE, WEEKDAYS)
    assert not lg.quiet and lg.rate is None


# ---------------------------------------------------------------- trend


def weeks_of(*shares: tuple[str, str]) -> list[tuple[date, date, Split]]:
    return [
        (TUE + timedelta(days=7 * i), TUE + timedelta(days=7 * i + 6), Split(D(h), D(f)))
        for i, (h, f) in enumerate(shares)
    ]


def test_trend_direction_and_points() -> None:
    t = trend(weeks_of(("54", "46"), ("49", "51"), ("45", "55"), ("42", "58")))
    assert (t.direction, t.change) == ("rising", 12)
    assert [round(w.farming * 100) for w in t.weeks if w.farming is not None] == [46, 51, 55, 58]
    assert trend(weeks_of(("40", "60"), ("50", "50"))).direction == "falling"
    assert trend(weeks_of(("50", "50"), ("0", "0"), ("48", "52"))).direction == "steady"
    assert trend(weeks_of(("50", "50"))).direction == "too early"
    assert trend([]).direction == "too early"


# ---------------------------------------------------------------- the plan: examples


def test_a_team_gets_a_reasoned_plan() -> None:
    plan = suggest(
        [
            rep("USAM", "60", "20", "5", days=19, pref=2, won=3),
            rep("UFAY", "10", "70", days=20, pref=5),
            rep("UDANA", "30", "50", "5", days=18, pref=4, comment="I like my regulars"),
            rep("ULEE", "40", "42", days=19, pref=3),
            rep("UKIM", "4", "2", days=2),
        ]
    )
    assert [(s.user_id, s.role) for s in plan.suggestions] == [
        ("USAM", HUNTER),
        ("UFAY", ACCOUNT_MANAGER),
        ("UDANA", ACCOUNT_MANAGER),
        ("ULEE", UNDECIDED),
        ("UKIM", UNDECIDED),
    ]
    sam = plan.suggestions[0]
    assert (
        sam.why == "spends most selling time on new business, would rather hunt and won 3 accounts"
    )
    assert sam.reasons == (
        "hunting 71%, farming 23% of logged time",
        "would rather: mostly new business (2/5)",
        "won 3 accounts during the study",
        "19 days logged",
    )
    dana = plan.suggestions[2]
    assert "“I like my regulars”" in dana.reasons[1]
    assert plan.suggestions[3].why.startswith("could go either way")
    assert plan.suggestions[4].why == "not placed yet: 3 more logged days needed (2 of 5)"
    assert plan_summary(plan) == (
        "1 hunter, 2 account managers; <@ULEE> could go either way; "
        "<@UKIM> is not placed yet (too little data)."
    )


def test_preference_can_tip_a_mixed_split() -> None:
    # 55% farming of selling time alone is "either way"; wanting to hunt makes a hunter
    assert role_of(suggest([rep("U1", "45", "55", pref=3), rep("U0", "90", "10")]), "U1") == (
        UNDECIDED
    )
    assert role_of(suggest([rep("U1", "45", "55", pref=1)]), "U1") == HUNTER


def test_the_team_gets_a_hunter_or_is_told_to_hire_one() -> None:
    # two undecided reps: the one leaning most to new business is named, and says why
    plan = suggest([rep("UA", "52", "48"), rep("UB", "40", "60")])
    assert role_of(plan, "UA") == HUNTER and role_of(plan, "UB") == UNDECIDED
    assert plan.of(HUNTER)[0].why.startswith("the team needs someone on new business")
    # both over half farming and nothing overrides that: nobody is named; hire one
    plan = suggest([rep("UA", "47", "53"), rep("UB", "40", "60")])
    assert plan.of(HUNTER) == [] and plan.hunter_gap == "hire"
    # everyone clearly farming: nobody is pushed into hunting; hire one
    plan = suggest([rep("UA", "10", "80", pref=5), rep("UB", "20", "60", pref=4)])
    assert plan.of(HUNTER) == [] and plan.hunter_gap == "hire"
    assert "plan to hire a hunter" in plan_summary(plan)
    # nothing known yet: no guessing
    plan = suggest([rep("UA", days=0), rep("UB", days=0)])
    assert plan.of(HUNTER) == [] and plan.hunter_gap == "no data"


def test_empty_team() -> None:
    plan = suggest([])
    assert plan.suggestions == () and plan.hunter_gap is None
    assert "nothing to split" in plan_summary(plan)


def test_summary_names_at_most_eight_then_counts() -> None:
    reps = [rep(f"U{i:02d}", "50", "50") for i in range(12)] + [rep("UH", "90", "10")]
    summary = plan_summary(suggest(reps))
    assert summary.startswith("1 hunter, 0 account managers; <@U00>, <@U01>")
    assert "and 4 more could go either way." in summary


# ---------------------------------------------------------------- the plan: properties

quarter_hours = st.integers(min_value=0, max_value=800).map(lambda q: D(q) / 4)
evidence = st.builds(
    lambda uid, h, f, o, days, pref, won, role: RepEvidence(
        uid, Split(h, f, o), days, pref, None, won, role
    ),
    st.just(""),
    quarter_hours,
    quarter_hours,
    quarter_hours,
    st.integers(min_value=0, max_value=25),
    st.one_of(st.none(), st.integers(min_value=1, max_value=5)),
    st.integers(min_value=0, max_value=6),
    st.sampled_from(("hunter", "farmer", "hybrid")),
)
teams = st.lists(evidence, max_size=12).map(
    lambda reps: [
        RepEvidence(f"U{i:03d}", r.split, r.days_logged, r.preference, None, r.won, r.role)
        for i, r in enumerate(reps)
    ]
)
min_days = st.integers(min_value=1, max_value=5)


def _with(team: list[RepEvidence], i: int, **changes: object) -> list[RepEvidence]:
    r = team[i]
    fields = {**r.__dict__, **changes}
    return [*team[:i], RepEvidence(**fields), *team[i + 1 :]]  # type: ignore[arg-type]


@settings(max_examples=300)
@given(teams, min_days)
def test_every_rep_appears_exactly_once(team: list[RepEvidence], days: int) -> None:
    plan = suggest(team, days)
    assert sorted(s.user_id for s in plan.suggestions) == sorted(r.user_id for r in team)
    assert all(s.role in ROLE_RANK for s in plan.suggestions)
    assert all(s.why and s.reasons for s in plan.suggestions)


@settings(max_examples=300)
@given(teams, min_days)
def test_mostly_farming_and_preferring_farming_is_never_a_hunter(
    team: list[RepEvidence], days: int
) -> None:
    plan = suggest(team, days)
    for r in team:
        if r.split.over_line and (r.preference or 0) >= 4:
            assert role_of(plan, r.user_id) != HUNTER


@settings(max_examples=300)
@given(teams, min_days)
def test_never_without_a_hunter_when_anyone_could_hunt(team: list[RepEvidence], days: int) -> None:
    plan = suggest(team, days)
    hunters = plan.of(HUNTER)
    # literally: a team with reps always has a hunter, or the plan says why not
    if team:
        assert hunters or plan.hunter_gap in ("hire", "no data")
    assert (plan.hunter_gap is None) == (bool(hunters) or not team)
    # and the gap is only allowed when nobody could take the role
    could_hunt = [
        r
        for r in team
        if not clear_farmer(r)
        and evidence_lean(r) < PLACE_AT
        and has_enough_data(r, days)
        and (not r.split.over_line or (r.preference or 3) <= 2 or r.won)
    ]
    if could_hunt:
        assert hunters


@settings(max_examples=200)
@given(teams, min_days, st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_input_order(
    team: list[RepEvidence], days: int, rnd: random.Random
) -> None:
    shuffled = list(team)
    rnd.shuffle(shuffled)
    assert suggest(team, days) == suggest(shuffled, days) == suggest(list(team), days)


@settings(max_examples=300)
@given(teams.filter(bool), min_days, st.data())
def test_more_farming_never_moves_a_rep_towards_hunting(
    team: list[RepEvidence], days: int, data: st.DataObject
) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(team) - 1))
    extra = data.draw(quarter_hours.filter(lambda h: h > 0))
    r = team[i]
    more = _with(team, i, split=Split(r.split.hunting, r.split.farming + extra, r.split.other))
    before = ROLE_RANK[role_of(suggest(team, days), r.user_id)]
    after = ROLE_RANK[role_of(suggest(more, days), r.user_id)]
    assert after >= before


@settings(max_examples=300)
@given(teams.filter(bool), min_days, st.data())
def test_a_stronger_farming_preference_never_moves_a_rep_towards_hunting(
    team: list[RepEvidence], days: int, data: st.DataObject
) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(team) - 1))
    low = data.draw(st.integers(min_value=1, max_value=4))
    high = data.draw(st.integers(min_value=low + 1, max_value=5))
    uid = team[i].user_id
    before = ROLE_RANK[role_of(suggest(_with(team, i, preference=low), days), uid)]
    after = ROLE_RANK[role_of(suggest(_with(team, i, preference=high), days), uid)]
    assert after >= before


@settings(max_examples=300)
@given(teams.filter(bool), min_days, st.data())
def test_more_wins_never_move_a_rep_away_from_hunting(
    team: list[RepEvidence], days: int, data: st.DataObject
) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(team) - 1))
    more = data.draw(st.integers(min_value=1, max_value=5))
    uid = team[i].user_id
    before = ROLE_RANK[role_of(suggest(team, days), uid)]
    after = ROLE_RANK[role_of(suggest(_with(team, i, won=team[i].won + more), days), uid)]
    assert after <= before


@settings(max_examples=200)
@given(teams, min_days)
def test_too_little_data_is_never_placed_by_its_own_numbers(
    team: list[RepEvidence], days: int
) -> None:
    plan = suggest(team, days)
    for s in plan.suggestions:
        r = next(r for r in team if r.user_id == s.user_id)
        if not has_enough_data(r, days):
            assert s.lean is None and not s.enough_data
            assert s.role == UNDECIDED and s.why.startswith("not placed yet")


# ---------------------------------------------------------------- views within Slack's limits


def _result(plan: Plan, team: Split, n_weeks: int = 4) -> Any:
    from bot.reports.period import Period
    from bot.study.result_views import StudyResult
    from tests.support.reports import report as build

    last = study_end(TUE, n_weeks)
    hours = {k: str(getattr(team, k)) for k in ("hunting", "farming", "other")}
    report = build(Period(TUE, last, "the study"), last, {"UTEAM": {TUE: hours}})
    return StudyResult(
        first=TUE,
        last=last,
        weeks=n_weeks,
        status="ended",
        today=last + timedelta(days=1),
        progress=progress(TUE, last, last + timedelta(days=1)),
        report=report,
        trend=trend(weeks_of(*[("30", "20")] * n_weeks)),
        plan=plan,
        answered=10,
        expected=20,
        fit_answered=3,
    )


def _big_team(n: int, seed: int) -> list[RepEvidence]:
    rnd = random.Random(seed)
    return [
        RepEvidence(
            f"U{i:05d}",
            Split(D(rnd.randint(0, 80)), D(rnd.randint(0, 80)), D(rnd.randint(0, 10))),
            rnd.randint(0, 20),
            rnd.choice([None, 1, 2, 3, 4, 5]),
            rnd.choice([None, "x" * rnd.randint(1, 500)]),
            rnd.randint(0, 4),
        )
        for i in range(n)
    ]


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=1500), st.integers(), st.integers(1, 12))
def test_result_and_progress_always_fit_a_message(n: int, seed: int, n_weeks: int) -> None:
    from bot.study import progress_views, result_views

    team = _big_team(n, seed)
    plan = suggest(team)
    result = _result(plan, sum((r.split for r in team), Split()), n_weeks)
    for public in (False, True):
        blocks, left_out = result_views.result_blocks(result, public=public)
        assert len(blocks) <= 50
        assert all(len((b.get("text") or {}).get("text", "")) <= 3000 for b in blocks)
        text = json.dumps(blocks)
        if not public:
            shown = sum(1 for r in team if f"<@{r.user_id}>" in text)
            assert left_out == 0 or f"{left_out} more reps did not fit here" in text
            assert shown + left_out >= n  # everyone is named or counted
            assert n > 1000 or left_out == 0  # up to a thousand reps, everyone is named
    status = progress_views.StudyStatus(
        first=TUE,
        last=study_end(TUE, n_weeks),
        weeks=n_weeks,
        started_by="UBOSS",
        today=TUE + timedelta(days=9),
        progress=progress(TUE, study_end(TUE, n_weeks), TUE + timedelta(days=9)),
        reps=tuple(
            progress_views.RepStatus(
                r.user_id,
                logging_rate(
                    set(), TUE, study_end(TUE, n_weeks), TUE + timedelta(days=9), WEEKDAYS
                ),
                r.split,
                Days(r.days_logged, max(r.days_logged, 7), 1, 0),
                r.preference,
            )
            for r in team
        ),
        fit_on=fit_day(TUE, study_end(TUE, n_weeks)),
        fit_asked=0,
        fit_answered=0,
        result_at=datetime(2026, 12, 22, 9, tzinfo=UTC),
    )
    blocks = progress_views.status_blocks(status)
    assert len(blocks) <= 50
    assert all(len((b.get("text") or {}).get("text", "")) <= 3000 for b in blocks)


def test_fit_form_reads_and_checks_the_answer() -> None:
    from bot.study import dm_views

    def values(score: str | None, comment: str | None) -> dict[str, Any]:
        option = {"value": score} if score else None
        return {
            dm_views.SCORE_BLOCK: {dm_views.SCORE_ACTION: {"selected_option": option}},
            dm_views.COMMENT_BLOCK: {dm_views.COMMENT_ACTION: {"value": comment}},
        }

    assert dm_views.read_fit_modal(values("4", "  I  like\nmy regulars ")) == (
        4,
        "I like my regulars",
        {},
    )
    assert dm_views.read_fit_modal(values(None, None))[2] == {
        dm_views.SCORE_BLOCK: "Pick one of the five answers."
    }
    assert dm_views.read_fit_modal(values("9", None))[0] is None
    assert dm_views.COMMENT_BLOCK in dm_views.read_fit_modal(values("3", "x" * 501))[2]
    modal = dm_views.fit_modal(7, 2, "hi", {"c": "D1", "ts": "1.2"})
    assert modal["blocks"][0]["element"]["initial_option"]["value"] == "2"
    assert json.loads(modal["private_metadata"]) == {"study": 7, "c": "D1", "ts": "1.2"}
    assert len(modal["title"]["text"]) <= 24
    _, blocks = dm_views.fit_blocks("U1", 7, date(2026, 12, 21))
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == [f"study_fit_{i}" for i in range(1, 6)]
    assert all(len(b["text"]["text"]) <= 75 and b["value"] == "7" for b in buttons)
