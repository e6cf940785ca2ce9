"""HubSpot: signatures v3/v2/v1 built here independently, both delivery shapes, refusals."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.handoff.crm import CrmDelivery, CrmPayloadError
from bot.handoff.crm import hubspot as hs

from .crm_support import JSON_VALUES, TODAY, dumps, mutate, sample, sample_json

SECRET = "a1b2c3d4-app-client-secret"
URI = "https://rolesplit.example.com/webhooks/hubspot"
NOW_MS = 1773140000000


def v3_headers(
    body: bytes, *, secret: str = SECRET, uri: str = URI, ts: int = NOW_MS
) -> dict[str, str]:
    """Sign as HubSpot does: base64(HMAC-SHA256(secret, method + uri + body + timestamp))."""
    source = "POST" + uri + body.decode() + str(ts)
    digest = hmac.new(secret.encode(), source.encode(), hashlib.sha256).digest()
    return {
        "X-HubSpot-Signature-v3": base64.b64encode(digest).decode(),
        "X-HubSpot-Request-Timestamp": str(ts),
        "Content-Type": "application/json",
    }


def check(
    headers: dict[str, str], body: bytes, *, uri: str = URI, secret: str = SECRET, now: int = NOW_MS
) -> bool:
    return hs.authenticate(
        secret=secret, method="POST", uri=uri, body=body, headers=headers, now_ms=now
    )


# --- signatures -------------------------------------------------------------------------------

BODY = sample("hubspot_webhooks_batch.json")


def test_v3_good_signature_passes() -> None:
    assert check(v3_headers(BODY), BODY)


def test_v3_headers_are_case_insensitive() -> None:
    headers = {k.lower(): v for k, v in v3_headers(BODY).items()}
    assert check(headers, BODY)


def test_v3_wrong_secret_fails() -> None:
    assert not check(v3_headers(BODY, secret="another-secret"), BODY)


def test_v3_tampered_body_fails() -> None:
    assert not check(v3_headers(BODY), BODY.replace(b"closedwon", b"closedlost"))


def test_v3_other_uri_fails() -> None:
    headers = v3_headers(BODY, uri="http://rolesplit.example.com/webhooks/hubspot")
    assert not check(headers, BODY)  # the proxy's http:// is not what HubSpot signed


def test_v3_five_minutes_is_the_limit() -> None:
    assert check(v3_headers(BODY, ts=NOW_MS - 300_000), BODY)
    assert not check(v3_headers(BODY, ts=NOW_MS - 300_001), BODY)
    assert not check(v3_headers(BODY, ts=NOW_MS + 300_001), BODY)


@pytest.mark.parametrize("stamp", ["", "abc", "1773140000000.5", "-1", "١٧٧٣١٤٠٠٠٠٠٠٠"])
def test_v3_bad_timestamp_fails(stamp: str) -> None:
    headers = v3_headers(BODY)
    headers["X-HubSpot-Request-Timestamp"] = stamp
    assert not check(headers, BODY)


def test_v3_missing_timestamp_fails() -> None:
    headers = v3_headers(BODY)
    del headers["X-HubSpot-Request-Timestamp"]
    assert not check(headers, BODY)


def test_v3_signs_the_uri_with_listed_escapes_decoded() -> None:
    received = URI + "?next=a%3Ab%2Fc&x=%20y"
    signed_as = URI + "?next=a:b/c&x=%20y"  # %20 is not in HubSpot's table: it stays
    assert check(v3_headers(BODY, uri=signed_as), BODY, uri=received)
    assert not check(v3_headers(BODY, uri=received), BODY, uri=received)


def test_v3_present_but_wrong_does_not_fall_back_to_v1() -> None:
    headers = v3_headers(BODY, secret="wrong")
    headers["X-HubSpot-Signature-Version"] = "v1"
    headers["X-HubSpot-Signature"] = hashlib.sha256(SECRET.encode() + BODY).hexdigest()
    assert not check(headers, BODY)


def test_no_secret_configured_fails() -> None:
    assert not check(v3_headers(BODY, secret=""), BODY, secret="")


def test_no_signature_fails() -> None:
    assert not check({"Content-Type": "application/json"}, BODY)


# HubSpot's own worked examples ("Validating requests")
DOC_SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
DOC_V1_BODY = (
    b'[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,'
    b'"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,'
    b'"changeSource":"CRM","changeFlag":"NEW","appId":54321}]'
)
DOC_V1_SIGNATURE = "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"
DOC_V2_BODY = b'{"example_field":"example_value"}'
DOC_V2_URI = "https://www.example.com/webhook_uri"
DOC_V2_SIGNATURE = "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900"


def legacy(version: str, signature: str) -> dict[str, str]:
    return {"X-HubSpot-Signature-Version": version, "X-HubSpot-Signature": signature}


def test_v1_documented_example_passes() -> None:
    assert check(legacy("v1", DOC_V1_SIGNATURE), DOC_V1_BODY, secret=DOC_SECRET)
    assert check(legacy("v1", DOC_V1_SIGNATURE.upper()), DOC_V1_BODY, secret=DOC_SECRET)


def test_v1_wrong_secret_or_tampered_body_fails() -> None:
    assert not check(legacy("v1", DOC_V1_SIGNATURE), DOC_V1_BODY, secret=SECRET)
    assert not check(legacy("v1", DOC_V1_SIGNATURE), DOC_V1_BODY + b" ", secret=DOC_SECRET)


def test_v2_documented_example_passes() -> None:
    headers = legacy("v2", DOC_V2_SIGNATURE)
    assert check(headers, DOC_V2_BODY, uri=DOC_V2_URI, secret=DOC_SECRET)


def test_v2_wrong_uri_secret_or_body_fails() -> None:
    headers = legacy("v2", DOC_V2_SIGNATURE)
    assert not check(headers, DOC_V2_BODY, uri=DOC_V2_URI + "/", secret=DOC_SECRET)
    assert not check(headers, DOC_V2_BODY, uri=DOC_V2_URI, secret=SECRET)
    assert not check(
        headers, DOC_V2_BODY.replace(b"value", b"v4lue"), uri=DOC_V2_URI, secret=DOC_SECRET
    )


def test_v1_signature_under_v2_label_fails() -> None:
    assert not check(legacy("v2", DOC_V1_SIGNATURE), DOC_V1_BODY, secret=DOC_SECRET)
    assert not check(legacy("v9", DOC_V1_SIGNATURE), DOC_V1_BODY, secret=DOC_SECRET)


def test_public_uri_is_rebuilt_from_the_public_scheme_and_host() -> None:
    assert hs.public_uri("https", "rolesplit.example.com", "/webhooks/hubspot") == URI
    assert hs.public_uri("https", "h.example", "/w", "a=1&b=2") == "https://h.example/w?a=1&b=2"


# --- deliveries -------------------------------------------------------------------------------


def test_webhooks_api_batch() -> None:
    won, other_stage, deleted = hs.parse(BODY, today=TODAY)  # the contact event is skipped
    assert won == CrmDelivery(
        crm="hubspot",
        delivery_key="event:62515:3816279340",
        deal_id="1246965",
        is_win=True,
        won_at=date(2026, 3, 9),
        raw_stage="closedwon",
        missing=("account_name", "owner"),  # the event carries no deal name or owner
    )
    assert won.crm_id == "hubspot:1246965"
    assert (other_stage.deal_id, other_stage.is_win, other_stage.raw_stage) == (
        "1246966",
        False,
        "contractsent",
    )
    assert (deleted.deal_id, deleted.is_win, deleted.delivery_key) == (
        "1246967",
        False,
        "event:62515:3816279343",
    )


def test_configured_won_stages() -> None:
    stages = hs.parse_won_stages("contractsent, 123456789")
    assert stages == frozenset({"contractsent", "123456789"})
    assert hs.parse_won_stages("  ") == frozenset({"closedwon"})
    deliveries = hs.parse(BODY, today=TODAY, won_stages=stages)
    assert [d.is_win for d in deliveries] == [False, True, False]


def test_object_property_change_on_a_deal() -> None:
    (won,) = hs.parse(sample("hubspot_object_property_change.json"), today=TODAY)
    assert (won.deal_id, won.is_win, won.delivery_key) == (
        "1246968",
        True,
        "event:62515:4100000001",
    )
    contact = mutate(sample_json("hubspot_object_property_change.json"), [0, "objectTypeId"], "0-1")
    assert hs.parse(dumps(contact), today=TODAY) == []


def test_workflow_with_all_properties_is_a_complete_win() -> None:
    (win,) = hs.parse(sample("hubspot_workflow_all_properties.json"), today=TODAY)
    assert win == CrmDelivery(
        crm="hubspot",
        delivery_key="workflow:46789043:closedwon",
        deal_id="46789043",
        is_win=True,
        account_name="Acme Corp",
        owner_id="10420865",
        value=Decimal("19090.00"),
        won_at=date(2026, 3, 9),
        raw_stage="closedwon",
        missing=(),
    )


def test_workflow_with_a_custom_body() -> None:
    (win,) = hs.parse(sample("hubspot_workflow_custom.json"), today=TODAY)
    assert (win.deal_id, win.account_name, win.owner_id) == ("46789044", "Globex", "10420866")
    assert (win.value, win.won_at, win.missing) == (Decimal("12000.50"), date(2026, 3, 8), ())


def test_workflow_other_stage_or_deleted_is_not_a_win() -> None:
    body = sample_json("hubspot_workflow_all_properties.json")
    lost = hs.parse(
        dumps(mutate(body, ["properties", "dealstage", "value"], "closedlost")), today=TODAY
    )
    assert [(d.is_win, d.raw_stage, d.delivery_key) for d in lost] == [
        (False, "closedlost", "workflow:46789043:closedlost")
    ]
    deleted = hs.parse(dumps(mutate(body, ["isDeleted"], True)), today=TODAY)
    assert [d.is_win for d in deleted] == [False]


def test_workflow_without_name_or_owner_waits_visibly() -> None:
    body = {
        "hs_object_id": "77",
        "dealstage": "closedwon",
        "dealname": "  ",
        "hubspot_owner_id": "",
    }
    (win,) = hs.parse(dumps(body), today=TODAY)
    assert win.is_win and win.missing == ("account_name", "owner")
    assert (win.account_name, win.owner_id, win.value, win.won_at) == (None, None, None, None)


def test_the_same_win_has_the_same_key() -> None:
    first = hs.parse(sample("hubspot_workflow_custom.json"), today=TODAY)
    again = hs.parse(sample("hubspot_workflow_custom.json"), today=date(2026, 3, 11))
    assert first[0].delivery_key == again[0].delivery_key


# --- refusals ---------------------------------------------------------------------------------


def field_of(body: bytes | Any, **kw: Any) -> str:
    raw = body if isinstance(body, bytes) else dumps(body)
    with pytest.raises(CrmPayloadError) as err:
        hs.parse(raw, today=TODAY, **kw)
    return err.value.field


WORKFLOW = sample_json("hubspot_workflow_custom.json")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"", "body"),
        (b"{not json", "body"),
        (b"\xff\xfe{}", "body"),
        (b'"closedwon"', "body"),
        (b"[1]", "[0]"),
        (b'[{"subscriptionType": 5}]', "[0].subscriptionType"),
        (b'[{"objectId": 1}]', "[0].subscriptionType"),
        (
            b'[{"subscriptionType": "deal.propertyChange", "portalId": 1, "objectId": 2}]',
            "[0].eventId",
        ),
        (b'[{"subscriptionType": "deal.creation", "portalId": 1, "eventId": 3}]', "[0].objectId"),
        (
            b'[{"subscriptionType": "deal.creation", "portalId": 1, "eventId": 3, "objectId": ""}]',
            "[0].objectId",
        ),
        (b'{"properties": []}', "properties"),
        (b'{"dealstage": "closedwon"}', "hs_object_id"),
        (b'{"hs_object_id": "1"}', "dealstage"),
        (b'{"hs_object_id": true, "dealstage": "closedwon"}', "hs_object_id"),
        (b'{"hs_object_id": "1", "dealstage": {"value": 1}}', "dealstage"),
        (b'{"hs_object_id": "1", "dealstage": "closedwon", "amount": NaN}', "body"),
        (b'{"hs_object_id": "1", "dealstage": "closedwon", "amount": -Infinity}', "body"),
    ],
)
def test_malformed_bodies_name_the_field(body: bytes, field: str) -> None:
    assert field_of(body) == field


@pytest.mark.parametrize(
    ("amount", "ok"),
    [
        ("999999999999.99", Decimal("999999999999.99")),
        ("999999999999.995", None),  # rounds to cents past what the column holds
        ("1000000000000", None),
        ("-5", None),
        ("12k", None),
        ("1e3", Decimal("1000.00")),
        (12000, Decimal("12000.00")),
        ("", "none"),
    ],
)
def test_amount_must_fit_the_value_column(amount: Any, ok: Any) -> None:
    body = {**WORKFLOW, "amount": amount}
    if ok is None:
        assert field_of(body) == "amount"
    else:
        (win,) = hs.parse(dumps(body), today=TODAY)
        assert win.value == (None if ok == "none" else ok)


@pytest.mark.parametrize(
    ("closedate", "expected"),
    [
        ("2026-03-10", date(2026, 3, 10)),
        ("2025-03-10", date(2025, 3, 10)),  # exactly a year back
        ("2025-03-09", None),
        ("2026-03-11", None),  # a calendar date after today
        ("2026-03-11T02:00:00Z", date(2026, 3, 10)),  # an instant: its UTC day may run one ahead
        ("2026-03-12T02:00:00Z", None),
        ("1773014400000", date(2026, 3, 9)),
        ("99999999999999999", None),
        ("next week", None),
        ("2026-02-30", None),
    ],
)
def test_close_date_within_a_year_and_not_ahead(closedate: str, expected: date | None) -> None:
    body = {**WORKFLOW, "closedate": closedate}
    if expected is None:
        assert field_of(body) == "closedate"
    else:
        assert hs.parse(dumps(body), today=TODAY)[0].won_at == expected


def test_a_won_event_dated_beyond_a_year_names_occurred_at() -> None:
    batch = mutate(sample_json("hubspot_webhooks_batch.json"), [0, "occurredAt"], 1600000000000)
    assert field_of(batch) == "[0].occurredAt"


def test_huge_and_deep_bodies_are_refused() -> None:
    assert field_of(b"[" + b" " * hs.MAX_BODY + b"]") == "body"
    assert field_of(b"[" * 33 + b"]" * 33) == "body"
    assert field_of(b"[" * 100_000) == "body"
    assert field_of(b"[" * 32 + b"]" * 32) == "[0]"  # 32 levels is read (and is no event)


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    body = {**WORKFLOW, "dealname": "[[[[" * 20 + '\\"{{{' * 20}
    (win,) = hs.parse(dumps(body), today=TODAY)
    assert win.account_name is not None and win.account_name.startswith("[[[[")


def test_too_many_events_are_refused() -> None:
    event = sample_json("hubspot_webhooks_batch.json")[2]
    assert field_of([event] * (hs.MAX_EVENTS + 1)) == "body"


def test_text_is_cleaned_and_bounded() -> None:
    raw = (
        b'{"hs_object_id": "1", "dealstage": "closedwon", "dealname": "  Ac\\u0000me \\ud800Corp'
        + b"x" * 300
        + b'  "}'
    )
    (win,) = hs.parse(raw, today=TODAY)
    assert win.account_name is not None
    assert win.account_name.startswith("Acme Corp") and len(win.account_name) == 200


# --- fuzz: parse() answers with deliveries or CrmPayloadError, never anything else -------------


def parses_or_names_a_field(raw: bytes) -> None:
    try:
        result = hs.parse(raw, today=TODAY)
    except CrmPayloadError as err:
        assert err.field
        return
    assert all(isinstance(d, CrmDelivery) for d in result)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_bytes(raw: bytes) -> None:
    parses_or_names_a_field(raw)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_fuzz_json(value: Any) -> None:
    parses_or_names_a_field(dumps(value))


WORKFLOW_ALL = sample_json("hubspot_workflow_all_properties.json")
BATCH = sample_json("hubspot_webhooks_batch.json")
PATHS: list[list[str | int]] = [
    ["dealId"],
    ["isDeleted"],
    ["properties"],
    *[["properties", name, "value"] for name in WORKFLOW_ALL["properties"]],
    *[["properties", name] for name in WORKFLOW_ALL["properties"]],
]
EVENT_PATHS: list[list[str | int]] = [[0, key] for key in BATCH[0]] + [[0], [1, "propertyValue"]]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATHS), JSON_VALUES)
def test_fuzz_workflow_fields(path: list[str | int], value: Any) -> None:
    parses_or_names_a_field(dumps(mutate(WORKFLOW_ALL, path, value)))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(EVENT_PATHS), JSON_VALUES)
def test_fuzz_event_fields(path: list[str | int], value: Any) -> None:
    parses_or_names_a_field(dumps(mutate(BATCH, path, value)))
