"""Reading hours: form fields, plain words and help (with property tests), the dates one may log."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.timecalc import check_log_date
from bot.timelog.logform import CATEGORY_BLOCK, HOURS_ACTION, NOTE_BLOCK, modal, read_modal
from bot.timelog.parse import CategoryRef, HoursError, is_help, parse_hours, read_words
from bot.timelog.views import OPEN_MODAL, dm_help, example_line, words_help
from storage.repo import DEFAULT_CATEGORIES

CATS = [CategoryRef(k, label, aliases) for k, label, _kind, aliases in DEFAULT_CATEGORIES]
TODAY = date(2026, 11, 24)
D = Decimal


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("2", D(2)),
        ("1.5", D("1.5")),
        ("1,5", D("1.5")),
        ("1:30", D("1.5")),
        ("2h", D(2)),
        ("2 hrs", D(2)),
        ("0.25", D("0.25")),
        ("1h30", D("1.5")),
        ("45m", D("0.75")),
        ("1:15h", D("1.25")),
        ("", D(0)),
        (None, D(0)),
        ("24", D(24)),
        (".75", D("0.75")),
    ],
)
def test_parse_hours_accepts_what_people_type(text: str | None, hours: Decimal) -> None:
    assert parse_hours(text) == hours


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-1", "negative"),
        ("two", "isn't a number"),
        ("25", "more than 24"),
        ("1.1", "quarter hours"),
        ("1:70", "isn't a number"),
        ("nan", "isn't a number"),
        ("1e3", "isn't a number"),
        ("24.25", "more than 24"),
    ],
)
def test_parse_hours_explains_bad_values(text: str, reason: str) -> None:
    with pytest.raises(HoursError, match=reason):
        parse_hours(text)


def state(**fields: str | None) -> dict[str, Any]:
    """A submitted modal's state.values for these category fields (number inputs)."""
    return {
        CATEGORY_BLOCK.format(k): {HOURS_ACTION: {"type": "number_input", "value": v}}
        for k, v in fields.items()
    }


def test_the_form_has_a_number_input_per_category_and_an_optional_note() -> None:
    view = modal(TODAY, CATS, {"prospecting": D("2.5")}, "call notes", {"c": "D1"})
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert len(inputs) == len(CATS) + 2  # the day, six categories, the note
    for cat in CATS:
        block = inputs[CATEGORY_BLOCK.format(cat.key)]
        assert block["optional"] is True and block["label"]["text"] == cat.label
        el = block["element"]
        assert el["type"] == "number_input" and el["action_id"] == HOURS_ACTION
        assert el["is_decimal_allowed"] is True
        assert (el["min_value"], el["max_value"]) == ("0", "24")
        assert isinstance(el.get("initial_value", ""), str)
    assert inputs["cat_prospecting"]["element"]["initial_value"] == "2.5"
    assert "initial_value" not in inputs["cat_admin"]["element"]
    note = inputs[NOTE_BLOCK]
    assert note["label"]["text"] == "Note" and note["optional"] is True
    assert note["element"]["type"] == "plain_text_input"
    assert note["element"]["initial_value"] == "call notes"
    assert "(optional)" not in str(view)  # Slack adds it beside optional labels itself
    assert "1:15" not in str(view)  # a number field takes no clock times
    reloaded = modal(TODAY, CATS, {}, None, {}, reload=True)
    ids = {b.get("block_id") for b in reloaded["blocks"]}
    assert "cat_prospecting.2026-11-24" in ids


def test_a_form_opened_before_the_number_fields_still_reads() -> None:
    old = {
        CATEGORY_BLOCK.format("admin"): {HOURS_ACTION: {"type": "plain_text_input", "value": "2"}}
    }
    assert read_modal(old, CATS).hours == {"admin": D(2)}


def test_modal_errors_are_keyed_by_field_and_total_is_checked() -> None:
    r = read_modal(state(prospecting="abc", admin="-2", account_service="3"), CATS)
    assert set(r.errors) == {"cat_prospecting", "cat_admin"}
    assert r.errors["cat_admin"] == "Hours can't be negative."
    r = read_modal(state(prospecting="12", account_service="13"), CATS)
    assert r.errors == {"cat_account_service": "These add up to 25 h — a day has at most 24."}
    r = read_modal(state(prospecting="2", account_growth="1.75", admin=None), CATS)
    assert r.errors == {} and r.hours == {"prospecting": D(2), "account_growth": D("1.75")}
    r = read_modal(state(prospecting="1.1", admin="24.5"), CATS)
    assert (
        "quarter hours" in r.errors["cat_prospecting"] and "more than 24" in r.errors["cat_admin"]
    )
    r = read_modal(state(prospecting="", admin="0"), CATS)
    assert list(r.errors) == ["cat_prospecting"] and "at least one" in r.errors["cat_prospecting"]


def test_check_log_date_window() -> None:
    assert check_log_date(TODAY, TODAY, 14) is None
    assert check_log_date(date(2026, 11, 10), TODAY, 14) is None
    assert "hasn't happened" in (check_log_date(date(2026, 11, 25), TODAY, 14) or "")
    assert "older than 14 days" in (check_log_date(date(2026, 11, 9), TODAY, 14) or "")
    assert check_log_date(None, TODAY, 14)


def test_read_words_spec_example() -> None:
    r = read_words("prospecting 2, meetings 1.5, accounts 4", CATS, TODAY)
    assert r.day == TODAY and r.unreadable == []
    assert r.hours == {"prospecting": D(2), "sales_meetings": D("1.5"), "account_service": D(4)}


def test_read_words_variants() -> None:
    r = read_words("Yesterday: 2h Prospecting; renewals 1:30 and ADMIN 0.5 hrs", CATS, TODAY)
    assert r.day == date(2026, 11, 23)
    assert r.hours == {"prospecting": D(2), "account_growth": D("1.5"), "admin": D("0.5")}
    r = read_words("2026-11-20 new business meetings 3", CATS, TODAY)
    assert r.day == date(2026, 11, 20) and r.hours == {"sales_meetings": D(3)}
    r = read_words("2 hrs internal, 1h of calls", CATS, TODAY)
    assert r.hours == {"admin": D(2), "prospecting": D(1)}
    assert read_words("day off", CATS, TODAY).day_off
    assert read_words("yesterday off", CATS, TODAY).day_off


def test_read_words_reports_the_parts_it_cannot_read() -> None:
    r = read_words("prospecting 2, golf 3, accounts lots", CATS, TODAY)
    assert r.hours == {"prospecting": D(2)}
    assert [u.part for u in r.unreadable] == ["golf 3", "accounts lots"]
    assert [u.part for u in read_words("thanks!", CATS, TODAY).unreadable] == ["thanks"]
    r = read_words("prospecting -2, accounts 1,5", CATS, TODAY)
    assert r.hours == {"account_service": D("1.5")}
    assert [(u.part, u.reason) for u in r.unreadable] == [
        ("prospecting -2", "Hours can't be negative.")
    ]


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("prospecting 3 accounts 4", {"prospecting": D(3), "account_service": D(4)}),
        ("2h prospecting, 1.5 meetings", {"prospecting": D(2), "sales_meetings": D("1.5")}),
        ("2h prospecting 1.5 meetings", {"prospecting": D(2), "sales_meetings": D("1.5")}),
        (
            "prospecting: 2 accounts: 3h & admin 1",
            {"prospecting": D(2), "account_service": D(3), "admin": D(1)},
        ),
        ("cold calls 1:30 job orders 2", {"prospecting": D("1.5"), "account_service": D(2)}),
        ("prospecting - 2", {"prospecting": D(2)}),
        ("renewals 1h 30m admin 45m", {"account_growth": D("1.5"), "admin": D("0.75")}),
        ("calls 1, research 2", {"prospecting": D(3)}),  # two names of one category add up
    ],
)
def test_entries_separated_by_spaces_alone(text: str, hours: dict[str, Decimal]) -> None:
    r = read_words(text, CATS, TODAY)
    assert r.unreadable == [] and r.hours == hours


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("3", "3: which category is that for?"),
        ("3 4", "3 and 4: which category is that for?"),
        ("prospecting", "no hours for prospecting — add them, e.g. prospecting 2"),
        ("prospecting 3 4", "two numbers for prospecting, 3 and 4 — which one is it?"),
        ("3 prospecting 4", "two numbers for prospecting, 3 and 4 — which one is it?"),
        ("prospecting 3 accounts", "a category without hours — is 3 for prospecting or accounts?"),
        ("2 prospecting 3 accounts 4", "a number without its category"),
        ("prospecting 1 accounts 2 admin", "put the hours right after each category"),
        ("prospecting 25", "more than 24 hours"),
        ("prospecting 1.1", "quarter hours"),
        ("had a great day!", "there are no hours in it"),
        ("existing accounts renewals 2", "could be accounts or growth"),
    ],
)
def test_ambiguous_replies_are_refused_with_the_reason(text: str, reason: str) -> None:
    r = read_words(text, CATS, TODAY)
    assert r.hours == {}
    assert len(r.unreadable) == 1 and reason in r.unreadable[0].reason, r.unreadable


def test_an_unknown_word_is_named_with_the_categories() -> None:
    r = read_words("prospecting 2, golf 3", CATS, TODAY)
    (u,) = r.unreadable
    assert (u.part, u.unknown) == ("golf 3", "golf")
    assert u.reason == (
        "I don't know “golf” — the categories are "
        "prospecting, meetings, proposals, accounts, growth, admin"
    )
    assert read_words("2h of golf", CATS, TODAY).unreadable[0].unknown == "golf"
    said = words_help(r.unreadable + read_words("tennis 1", CATS, TODAY).unreadable, r.choices)
    assert "I don't know “golf” or “tennis” — the categories are prospecting, meetings" in said
    assert "saved nothing" in said and said.count("the categories are") == 1


def test_a_name_two_categories_share_is_refused() -> None:
    cats = [
        CategoryRef("cold_outreach", "Cold outreach", ("calls", "outbound")),
        CategoryRef("client_care", "Client care", ("calls", "care")),
    ]
    r = read_words("calls 2", cats, TODAY)
    assert r.hours == {}
    assert r.unreadable[0].reason == "“calls” could be care or outbound — name one of them"
    assert read_words("outbound 2 care 1", cats, TODAY).hours == {
        "cold_outreach": D(2),
        "client_care": D(1),
    }
    assert "could be" in read_words("calls", cats, TODAY).unreadable[0].reason


@pytest.mark.parametrize(
    "text",
    [
        "help",
        "Help!",
        "hi",
        "Hi there",
        "hello",
        "hey",
        "hey rolesplit",
        "?",
        "??",
        " ? ",
        "what can I type",
        "What can i type?",
        "how does this work?",
        "help me",
        "usage",
    ],
)
def test_help_requests(text: str) -> None:
    assert is_help(text)
    r = read_words(text, CATS, TODAY)
    assert r.help and r.hours == {} and r.unreadable == [] and not r.day_off


@pytest.mark.parametrize(
    "text", ["help prospecting 2", "hi 2", "prospecting 2", "history 2", "day off"]
)
def test_not_help(text: str) -> None:
    assert not read_words(text, CATS, TODAY).help


def test_the_dm_help_shows_real_examples_names_and_buttons() -> None:
    text, blocks = dm_help(CATS, TODAY)
    assert example_line(CATS) == "prospecting 2, meetings 1.5, accounts 4"
    assert "prospecting 2, meetings 1.5, accounts 4" in text
    assert 0 < len(blocks) <= 50
    shown = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert "*Existing accounts: renewals, cross-sell, new departments*: growth, renewals" in shown
    assert "cold calls" in shown and "day off" in shown
    (actions,) = [b for b in blocks if b["type"] == "actions"]
    assert [e["text"]["text"] for e in actions["elements"]] == [
        "Log hours",
        "Same as yesterday",
        "Day off",
    ]
    assert actions["elements"][0]["action_id"] == OPEN_MODAL
    assert {e["value"] for e in actions["elements"]} == {"2026-11-24"}
    # every example it shows reads back without a refusal
    for example in re.findall(r"`([^`/]+)`", shown):
        if example in {"and", "1.5", "1:30", "90m", "1h30"}:
            continue
        r = read_words(example, CATS, TODAY)
        assert r.unreadable == [] and (r.hours or r.day_off), example


def test_the_dm_help_uses_the_workspaces_own_names() -> None:
    cats = [
        CategoryRef("cold_outreach", "Cold outreach", ("outbound",)),
        CategoryRef("client_care", "Client care", ()),
    ]
    text, blocks = dm_help(cats, TODAY)
    assert "outbound 2, client care 1.5" in text
    many = [CategoryRef(f"c{n}", "A long label " * 10 + str(n), ("alias",) * 3) for n in range(90)]
    _, blocks = dm_help(many, TODAY)
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert any("more" in b["text"]["text"] for b in blocks if b["type"] == "section")


amounts = st.integers(min_value=1, max_value=24).map(lambda q: D(q) / 4)
SEPARATORS = [", ", "; ", " and ", " & ", "\n", " ", ",", " AND ", "  "]


@given(
    st.dictionaries(st.sampled_from(CATS), amounts, min_size=1, max_size=6),
    st.sampled_from(
        ["{n} {h}", "{n}: {h}h", "{h} hrs {n}", "{n} {h} hours", "{h}h {n}", "{n} = {h}"]
    ),
    st.sampled_from(SEPARATORS),
    st.randoms(use_true_random=False),
)
def test_words_round_trip(
    entries: dict[CategoryRef, Decimal], shape: str, sep: str, rnd: Any
) -> None:
    """Any rendering of (alias, hours) with any separator reads back to the same hours."""
    parts = []
    for cat, hours in entries.items():
        name = rnd.choice([*cat.aliases, cat.key, cat.key.replace("_", " ")])
        parts.append(shape.format(n=name, h=format(hours.normalize(), "f")))
    r = read_words(sep.join(parts), CATS, TODAY)
    assert r.unreadable == []
    assert r.hours == {cat.key: hours for cat, hours in entries.items()}


def _refused_with_reasons(text: str) -> None:
    r = read_words(text, CATS, TODAY)
    assert all(v >= 0 for v in r.hours.values())
    assert all(v % D("0.25") == 0 for v in r.hours.values())
    if r.help or r.day_off:
        assert r.hours == {} and r.unreadable == []
    elif not r.unreadable:
        assert r.hours  # read whole
    assert all(u.reason for u in r.unreadable)


@given(st.text(max_size=200))
def test_words_never_raise_and_refuse_with_a_reason(text: str) -> None:
    _refused_with_reasons(text)


TOKENS = [
    *(a for cat in CATS for a in cat.aliases),
    "2",
    "1.5",
    "1:30",
    "90m",
    "1h30",
    "-1",
    "25",
    "0",
    ".5",
    "1,5",
    "h",
    "of",
    ",",
    ";",
    "and",
    "&",
    "\n",
    "golf",
    "?",
    "hi",
    "yesterday",
    "2026-11-20",
    "off",
]


@given(st.lists(st.sampled_from(TOKENS), max_size=12))
def test_near_miss_replies_never_raise_and_refuse_with_a_reason(tokens: list[str]) -> None:
    _refused_with_reasons(" ".join(tokens))
