"""The shared readers every CRM adapter uses: bounded JSON, text, ids, money, win dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.handoff.crm import CrmDelivery, CrmPayloadError, missing_for
from bot.handoff.crm.values import (
    MAX_DEPTH,
    clean_email,
    clean_id,
    clean_text,
    load_json,
    one_year_before,
    parse_value,
    won_date,
)
from storage.models import MONEY_LIMIT

TODAY = date(2026, 3, 10)


def test_load_json_bounds() -> None:
    assert load_json(b'{"a": [1, 2.5]}', max_bytes=100) == {"a": [1, Decimal("2.5")]}
    with pytest.raises(CrmPayloadError, match="limit is 10"):
        load_json(b"[" + b" " * 10 + b"]", max_bytes=10)
    with pytest.raises(CrmPayloadError, match="deeper"):
        load_json(b"{" * (MAX_DEPTH + 1), max_bytes=10_000)
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        with pytest.raises(CrmPayloadError, match="JSON does not allow"):
            load_json(b"[" + constant + b"]", max_bytes=100)
    with pytest.raises(CrmPayloadError, match="not valid JSON"):
        load_json(b"1" * 5000, max_bytes=10_000)  # past Python's int-digits limit


def test_text_drops_nul_controls_and_lone_surrogates() -> None:
    assert clean_text("\x00 Acme\x07 \ud800Corp\udfff \U0001f600 ", "f") == "Acme Corp \U0001f600"
    assert clean_text("   ", "f") is None
    assert clean_text(42, "f") == "42"
    assert clean_text("x" * 500, "f") == "x" * 200
    for bad in (True, 1.5, [], {}):
        with pytest.raises(CrmPayloadError):
            clean_text(bad, "f")


@given(st.text(max_size=300))
def test_clean_text_is_always_safe(raw: str) -> None:
    text = clean_text(raw, "f")
    assert text is None or (
        len(text) <= 200
        and text == text.strip()
        and "\x00" not in text
        and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    )


def test_ids_and_emails() -> None:
    assert clean_id(12345, "f") == "12345"
    assert clean_id(" 0067F000003pmdWQAQ ", "f") == "0067F000003pmdWQAQ"
    assert clean_id("", "f") is None
    for bad in ("a b", "1/2", "x" * 65, -1, True, 1.0, "é"):
        with pytest.raises(CrmPayloadError):
            clean_id(bad, "f")
    with pytest.raises(CrmPayloadError, match="required"):
        clean_id(None, "f", required=True)
    assert clean_email(" Dana@Example.com ", "f") == "dana@example.com"
    with pytest.raises(CrmPayloadError):
        clean_email("dana", "f")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.005", Decimal("0.01")),
        ("-0", Decimal("0.00")),
        (Decimal("1E+2"), Decimal("100.00")),
        (Decimal("1e-400"), Decimal("0.00")),
        (None, None),
    ],
)
def test_values_round_to_cents(raw: Any, expected: Decimal | None) -> None:
    value = parse_value(raw, "f")
    assert value == expected
    assert value is None or str(value) == str(expected)


@pytest.mark.parametrize(
    "raw", [Decimal("1e400"), Decimal("NaN"), "Infinity", "1,000", "0x10", True, [1]]
)
def test_values_refused(raw: Any) -> None:
    with pytest.raises(CrmPayloadError):
        parse_value(raw, "f")


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_values_fit_the_value_column_or_are_refused(raw: Decimal) -> None:
    try:
        value = parse_value(raw, "f")
    except CrmPayloadError:
        return
    assert value is not None and Decimal(0) <= value < MONEY_LIMIT == Decimal("1e12")
    assert value == value.quantize(Decimal("0.01"))


def test_one_year_before() -> None:
    assert one_year_before(date(2026, 3, 10)) == date(2025, 3, 10)
    assert one_year_before(date(2028, 2, 29)) == date(2027, 2, 28)


@settings(deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(-800, 800))
def test_won_dates_are_within_a_year_and_not_ahead(today: date, offset: int) -> None:
    day = date.fromordinal(today.toordinal() + offset)
    try:
        got = won_date(day.isoformat(), "won_at", today)
    except CrmPayloadError as err:
        assert err.field == "won_at"
        assert day > today or day < one_year_before(today)
        return
    assert got == day and one_year_before(today) <= day <= today


def test_missing_for() -> None:
    assert missing_for("Acme", "1", None) == ()
    assert missing_for("Acme", None, "a@b.co") == ()
    assert missing_for(None, None, None) == ("account_name", "owner")


def test_delivery_is_frozen() -> None:
    delivery = CrmDelivery("pipedrive", "v2:x", "7", is_win=False)
    with pytest.raises(AttributeError):
        delivery.is_win = True  # type: ignore[misc]
    assert delivery.crm_id == "pipedrive:7"
