"""Pipedrive: HTTP Basic, webhooks v2 and v1, what is and is not a new win, refusals."""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.handoff.crm import CrmDelivery, CrmPayloadError
from bot.handoff.crm import pipedrive as pd

from .crm_support import JSON_VALUES, TODAY, dumps, mutate, sample, sample_json

USER, PASSWORD = "rolesplit", "s3cret:with:colons"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def check(header: str | None, user: str = USER, password: str = PASSWORD) -> bool:
    return pd.authenticate(header, user=user, password=password)


# --- authentication ---------------------------------------------------------------------------


def test_basic_with_the_configured_user_and_password_passes() -> None:
    assert check(basic(USER, PASSWORD))
    assert check("basic " + basic(USER, PASSWORD)[6:])  # the scheme is case-insensitive


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        basic(USER, "wrong"),
        basic("other", PASSWORD),
        basic(USER, PASSWORD + "x"),
        basic(USER, ""),
        "Bearer " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
        "Basic not*base64",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic",
    ],
)
def test_anything_else_fails(header: str | None) -> None:
    assert not check(header)


def test_nothing_configured_fails() -> None:
    assert not check(basic("", ""), user="", password="")
    assert not check(basic(USER, ""), password="")


# --- webhooks v2 ------------------------------------------------------------------------------


def test_v2_status_becoming_won_is_a_win() -> None:
    (win,) = pd.parse(sample("pipedrive_v2_deal_won.json"), today=TODAY)
    assert win == CrmDelivery(
        crm="pipedrive",
        delivery_key="v2:b8b1bc1e-6c9e-4d4b-8a37-1f6a3f1d2c01",
        deal_id="7",
        is_win=True,
        account_name="Initech",  # v2 sends no organisation name: the deal's title
        owner_id="18487521",
        value=Decimal("25000.00"),
        won_at=date(2026, 3, 9),
        raw_stage="won",
        missing=(),
    )
    assert win.crm_id == "pipedrive:7"


def test_v2_retry_has_the_same_key() -> None:
    body = sample_json("pipedrive_v2_deal_won.json")
    retry = mutate(body, ["meta", "attempt"], 3)
    assert pd.parse(dumps(retry), today=TODAY) == pd.parse(dumps(body), today=TODAY)


@pytest.mark.parametrize(
    "name",
    [
        "pipedrive_v2_deal_stage_change.json",
        "pipedrive_v2_deal_won_edited.json",
        "pipedrive_v2_deal_deleted.json",
    ],
)
def test_v2_non_wins(name: str) -> None:
    (delivery,) = pd.parse(sample(name), today=TODAY)
    assert not delivery.is_win
    assert delivery.delivery_key == "v2:" + sample_json(name)["meta"]["id"]


def test_v2_previous_already_won_is_not_a_new_win() -> None:
    body = mutate(sample_json("pipedrive_v2_deal_won.json"), ["previous", "status"], "won")
    assert [d.is_win for d in pd.parse(dumps(body), today=TODAY)] == [False]


def test_v2_lost_is_not_a_win() -> None:
    body = mutate(sample_json("pipedrive_v2_deal_won.json"), ["data", "status"], "lost")
    assert [(d.is_win, d.raw_stage) for d in pd.parse(dumps(body), today=TODAY)] == [
        (False, "lost")
    ]


def test_v2_deal_created_already_won_is_a_win() -> None:
    body = sample_json("pipedrive_v2_deal_won.json")
    body = mutate(mutate(body, ["meta", "action"], "create"), ["previous"], None)
    assert [d.is_win for d in pd.parse(dumps(body), today=TODAY)] == [True]


def test_v2_win_without_title_or_owner_waits_visibly() -> None:
    body = sample_json("pipedrive_v2_deal_won.json")
    body = mutate(mutate(body, ["data", "title"], ""), ["data", "owner_id"], None)
    (win,) = pd.parse(dumps(body), today=TODAY)
    assert win.is_win and win.missing == ("account_name", "owner")


def test_v2_other_objects_read_as_nothing() -> None:
    body = mutate(sample_json("pipedrive_v2_deal_won.json"), ["meta", "entity"], "person")
    assert pd.parse(dumps(body), today=TODAY) == []


# --- webhooks v1 ------------------------------------------------------------------------------


def test_v1_status_becoming_won_is_a_win_named_by_its_organisation() -> None:
    (win,) = pd.parse(sample("pipedrive_v1_deal_won.json"), today=TODAY)
    assert win == CrmDelivery(
        crm="pipedrive",
        delivery_key="v1:1689563:999:won:2026-03-09 14:02:11",
        deal_id="999",
        is_win=True,
        account_name="Umbrella Corp",
        owner_id="2428657",
        value=Decimal("1000.00"),
        won_at=date(2026, 3, 9),
        raw_stage="won",
        missing=(),
    )


def test_v1_the_same_win_sent_twice_has_one_key() -> None:
    body = sample_json("pipedrive_v1_deal_won.json")
    twice = mutate(mutate(body, ["retry"], 1), ["meta", "timestamp_milli"], 1773066131999)
    assert (
        pd.parse(dumps(twice), today=TODAY)[0].delivery_key
        == pd.parse(dumps(body), today=TODAY)[0].delivery_key
    )


def test_v1_previous_already_won_is_not_a_new_win() -> None:
    body = mutate(sample_json("pipedrive_v1_deal_won.json"), ["previous", "status"], "won")
    (delivery,) = pd.parse(dumps(body), today=TODAY)
    assert not delivery.is_win
    assert delivery.delivery_key == "v1:1689563:999:updated:1773066131018"


def test_v1_deal_added_won_is_a_win_and_deleted_is_not() -> None:
    body = sample_json("pipedrive_v1_deal_won.json")
    added = mutate(mutate(body, ["meta", "action"], "added"), ["previous"], None)
    assert [d.is_win for d in pd.parse(dumps(added), today=TODAY)] == [True]
    deleted = mutate(mutate(body, ["meta", "action"], "deleted"), ["current"], None)
    assert [d.is_win for d in pd.parse(dumps(deleted), today=TODAY)] == [False]


def test_v1_expanded_owner_brings_an_email() -> None:
    owner = {"id": 2428657, "name": "Sam Seller", "email": "Sam@Example.com"}
    body = mutate(sample_json("pipedrive_v1_deal_won.json"), ["current", "user_id"], owner)
    (win,) = pd.parse(dumps(body), today=TODAY)
    assert (win.owner_id, win.owner_email) == ("2428657", "sam@example.com")


def test_v1_other_objects_read_as_nothing() -> None:
    body = mutate(sample_json("pipedrive_v1_deal_won.json"), ["meta", "object"], "person")
    assert pd.parse(dumps(body), today=TODAY) == []


# --- refusals ---------------------------------------------------------------------------------

V2 = sample_json("pipedrive_v2_deal_won.json")
V1 = sample_json("pipedrive_v1_deal_won.json")


def field_of(body: Any) -> str:
    with pytest.raises(CrmPayloadError) as err:
        pd.parse(body if isinstance(body, bytes) else dumps(body), today=TODAY)
    return err.value.field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"", "body"),
        (b"[]", "body"),
        (b"{}", "meta"),
        (b'{"meta": {}}', "meta.entity"),
        (mutate(V2, ["meta", "action"], "merged"), "meta.action"),
        (mutate(V2, ["meta", "id"], None), "meta.id"),
        (mutate(V2, ["meta", "entity_id"], "7/8"), "meta.entity_id"),
        (mutate(V2, ["data"], [1]), "data"),
        (mutate(V2, ["previous"], "open"), "previous"),
        (mutate(V2, ["data", "status"], ["won"]), "data.status"),
        (mutate(V2, ["data", "value"], "lots"), "data.value"),
        (mutate(V2, ["data", "value"], 1_000_000_000_000), "data.value"),
        (mutate(V2, ["data", "value"], -1), "data.value"),
        (mutate(V2, ["data", "won_time"], "2026-03-12T10:00:00Z"), "data.won_time"),
        (mutate(V2, ["data", "won_time"], "2024-03-09T10:00:00Z"), "data.won_time"),
        (mutate(V2, ["data", "owner_id"], {"id": "x y"}), "data.owner_id.id"),
        (mutate(V2, ["data", "title"], {"name": "x"}), "data.title"),
        (mutate(V1, ["meta", "action"], "change"), "meta.action"),
        (mutate(V1, ["current"], "won"), "current"),
        (mutate(V1, ["current", "user_id"], {"id": 1, "email": "nobody"}), "current.user_id.email"),
    ],
)
def test_malformed_bodies_name_the_field(body: Any, field: str) -> None:
    assert field_of(body) == field


def test_v1_non_win_without_any_timestamp_has_no_key() -> None:
    body = mutate(V1, ["previous", "status"], "won")
    for stamp in ("timestamp", "timestamp_milli"):
        body = mutate(body, ["meta", stamp], None)
    assert field_of(body) == "meta.timestamp"


def test_won_time_falls_back_to_close_time() -> None:
    body = mutate(V2, ["data", "won_time"], None)
    assert pd.parse(dumps(body), today=TODAY)[0].won_at == date(2026, 3, 9)
    body = mutate(body, ["data", "close_time"], None)
    assert pd.parse(dumps(body), today=TODAY)[0].won_at is None


def test_huge_and_deep_bodies_are_refused() -> None:
    assert field_of(b"{" + b" " * pd.MAX_BODY + b"}") == "body"
    assert field_of(b'{"meta": ' + b"[" * 40 + b"]" * 40 + b"}") == "body"


# --- fuzz -------------------------------------------------------------------------------------


def parses_or_names_a_field(raw: bytes) -> None:
    try:
        result = pd.parse(raw, today=TODAY)
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
    parses_or_names_a_field(dumps({"meta": value}))


PATHS: list[list[str | int]] = [
    *[["meta", key] for key in V2["meta"]],
    *[["data", key] for key in V2["data"]],
    ["previous", "status"],
    ["previous"],
    ["data"],
]
V1_PATHS: list[list[str | int]] = [
    *[["meta", key] for key in V1["meta"]],
    *[["current", key] for key in V1["current"]],
    ["previous", "status"],
    ["previous"],
    ["current"],
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATHS), JSON_VALUES)
def test_fuzz_v2_fields(path: list[str | int], value: Any) -> None:
    parses_or_names_a_field(dumps(mutate(V2, path, value)))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(V1_PATHS), JSON_VALUES)
def test_fuzz_v1_fields(path: list[str | int], value: Any) -> None:
    parses_or_names_a_field(dumps(mutate(V1, path, value)))
