"""Pure hand-off rules, with property tests for channel names and account keys."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.handoff.rules import (
    Candidate,
    account_key,
    channel_slug,
    choose_account_manager,
    normalise_name,
    nudge_schedule,
    numbered,
    parse_inline,
    parse_value,
)

SLACK_NAME = re.compile(r"^[a-z0-9_-]{1,80}$")


def test_account_keys() -> None:
    assert account_key("Acme Corp", "0061x00000ABC") == "crm:0061x00000ABC"
    assert account_key("ACME, Inc.") == account_key("acme") == "name:acme"
    assert normalise_name("Globex  Corporation Ltd") == "globex"
    assert normalise_name("Co") == "co"


def test_channel_names() -> None:
    assert channel_slug("Acme Corp") == "handoff-acme-corp"
    assert channel_slug("Café Müller & Söhne") == "handoff-cafe-muller-sohne"
    assert channel_slug("東京商事").startswith("handoff-") and len(channel_slug("東京商事")) == 16
    assert len(channel_slug("x" * 300)) <= 76
    assert numbered("handoff-acme", 1) == "handoff-acme"
    assert numbered("handoff-acme", 3) == "handoff-acme-3"


@given(st.text(min_size=1, max_size=200))
def test_slugs_always_follow_slacks_rules(name: str) -> None:
    slug = channel_slug(name)
    assert SLACK_NAME.match(slug) and SLACK_NAME.match(numbered(slug, 99))


@given(st.text(min_size=1, max_size=80))
def test_key_normalisation_is_stable(name: str) -> None:
    assert normalise_name(normalise_name(name)) == normalise_name(name)
    assert account_key(name.upper()) == account_key(name.lower()) or not name.isascii()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12000", Decimal("12000.00")),
        ("12,000", Decimal("12000.00")),
        ("$12,000", Decimal("12000")),
        ("12k", Decimal("12000")),
        ("1.5m", Decimal("1500000")),
    ],
)
def test_values(text: str, value: Decimal) -> None:
    assert parse_value(text) == value


def test_bad_values() -> None:
    for text in ("lots", "-5", "1e20"):
        with pytest.raises(ValueError):
            parse_value(text)


def test_inline_arguments() -> None:
    win = parse_inline("Acme Corp am:<@UDANA|dana> rep:<@USAM> value:12,000")
    assert (win.account, win.account_manager, win.sales_rep, win.value) == (
        "Acme Corp",
        "UDANA",
        "USAM",
        Decimal("12000"),
    )
    assert parse_inline("Acme Corp").has_fields is False
    bad = parse_inline("Acme am:dana value:heaps")
    assert len(bad.errors) == 2 and bad.has_fields


def test_nudge_schedule() -> None:
    won = date(2026, 1, 10)
    plan = nudge_schedule(won, date(2026, 7, 11), (1, 7, 30, 90))
    assert plan == [
        ("day1", date(2026, 1, 11)),
        ("day7", date(2026, 1, 17)),
        ("day30", date(2026, 2, 9)),
        ("day90", date(2026, 4, 10)),
        ("transfer", date(2026, 7, 11)),
    ]
    assert nudge_schedule(won, date(2026, 1, 20), (1, 30)) == [
        ("day1", date(2026, 1, 11)),
        ("transfer", date(2026, 1, 20)),
    ]


def test_account_manager_choice() -> None:
    assert choose_account_manager([]) is None
    pick = choose_account_manager(
        [
            Candidate("UA", 2, None),
            Candidate("UB", 1, 700_000),
            Candidate("UC", 1, 600_000),
            Candidate("UD", 1, None),
        ]
    )
    assert pick == "UD"  # fewest open, never assigned
    assert (
        choose_account_manager([Candidate("UB", 1, 700_000), Candidate("UC", 1, 600_000)]) == "UC"
    )
