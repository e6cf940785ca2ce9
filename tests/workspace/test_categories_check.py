"""The category form's checks and the list's moves: pure rules."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.workspace import categories_check as check
from bot.workspace import categories_views as cv
from bot.workspace.categories_views import Cat
from tests.fakes import input_value, static_select_value

CATS = [
    Cat("prospecting", "Prospecting", "hunting", ("calls", "outreach"), True),
    Cat("account_service", "Existing accounts", "farming", ("accounts",), True),
    Cat("admin", "Admin", "other", ("admin",), True),
    Cat("old_stuff", "Old stuff", "other", ("legacy",), False),
]


def values(
    label: Any = "Renewals", kind: Any = "farming", aliases: Any = "", key: Any = None
) -> dict[str, Any]:
    out = {
        cv.LABEL_BLOCK: {cv.LABEL_BLOCK: input_value(label)},
        cv.KIND_BLOCK: {cv.KIND_BLOCK: static_select_value(kind)},
        cv.ALIASES_BLOCK: {cv.ALIASES_BLOCK: input_value(aliases)},
    }
    if key is not None:
        out[cv.KEY_BLOCK] = {cv.KEY_BLOCK: input_value(key)}
    return out


def test_a_new_category_gets_a_key_from_its_label_and_clean_aliases() -> None:
    r = check.read_category(
        values("Renewals & upsell", "farming", "Renewals; UPSELL,  cross_sell ,"), CATS, None
    )
    assert r.errors == {}
    assert (r.key, r.label, r.kind) == ("renewals_upsell", "Renewals & upsell", "farming")
    assert r.aliases == ["renewals", "upsell", "cross sell"]


def test_each_problem_is_named_next_to_its_field() -> None:
    cases = [
        (values(label=""), cv.LABEL_BLOCK, "Give the category a label"),
        (values(label="x" * 151), cv.LABEL_BLOCK, "At most 150"),
        (values(label="ADMIN"), cv.LABEL_BLOCK, "Another category has this label"),
        (values(kind=None), cv.KIND_BLOCK, "Pick hunting, farming or other"),
        (values(key="9lives"), cv.KEY_BLOCK, "starting with a letter"),
        (values(key="old_stuff"), cv.KEY_BLOCK, "taken by a retired category"),
        (values(label="Prospecting!"), cv.LABEL_BLOCK, "`prospecting` is taken"),
        (values(aliases="calls"), cv.ALIASES_BLOCK, "“calls” already means Prospecting"),
        (values(aliases="legacy"), cv.ALIASES_BLOCK, "Old stuff (retired)"),
        (values(aliases="admin"), cv.ALIASES_BLOCK, "already means Admin"),
        (values(aliases="2.5"), cv.ALIASES_BLOCK, "has no letters"),
        (values(aliases=",".join(f"n{i}" for i in range(21))), cv.ALIASES_BLOCK, "At most 20"),
    ]
    for submitted, block, needle in cases:
        r = check.read_category(submitted, CATS, None)
        assert block in r.errors and needle in r.errors[block], (needle, r.errors)


def test_editing_keeps_the_key_and_guards_the_last_hunting_or_farming_kind() -> None:
    r = check.read_category(
        values("Calls and research", "hunting", "calls, research"), CATS, "prospecting"
    )
    assert r.errors == {} and r.key == "prospecting"
    r = check.read_category(values("Prospecting", "other"), CATS, "prospecting")
    assert "only hunting category" in r.errors[cv.KIND_BLOCK]
    r = check.read_category(values("Admin", "hunting", "admin"), CATS, "admin")
    assert r.errors == {}  # an "other" category may change kind


def test_at_most_forty_active_categories() -> None:
    many = [Cat(f"c{i}", f"C {i}", "hunting", (), True) for i in range(40)]
    r = check.read_category(values("One more", "farming"), many, None)
    assert "At most 40" in r.errors[cv.LABEL_BLOCK]


def test_retire_keeps_one_hunting_and_one_farming() -> None:
    assert "only farming category" in str(check.retire_problem(CATS, "account_service"))
    assert check.retire_problem(CATS, "admin") is None
    assert check.retire_problem(CATS, "old_stuff") is None


def test_move_swaps_neighbours_and_stops_at_the_ends() -> None:
    keys = ["a", "b", "c"]
    assert check.move(keys, "b", -1) == ["b", "a", "c"]
    assert check.move(keys, "b", 1) == ["a", "c", "b"]
    assert check.move(keys, "a", -1) == keys and check.move(keys, "c", 1) == keys
    assert check.move(keys, "zz", 1) == keys


@given(
    st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, min_size=1),
    st.sampled_from(["a", "b", "c", "d"]),
    st.sampled_from([-1, 1]),
)
def test_move_is_a_permutation(keys: list[str], key: str, step: int) -> None:
    moved = check.move(keys, key, step)
    assert sorted(moved) == sorted(keys)
    if key in keys:
        assert abs(moved.index(key) - keys.index(key)) <= 1


@given(
    st.dictionaries(
        st.sampled_from([cv.LABEL_BLOCK, cv.KIND_BLOCK, cv.ALIASES_BLOCK, cv.KEY_BLOCK, "x"]),
        st.none()
        | st.text(max_size=5)
        | st.dictionaries(
            st.sampled_from([cv.LABEL_BLOCK, cv.KIND_BLOCK, cv.ALIASES_BLOCK, cv.KEY_BLOCK]),
            st.none()
            | st.dictionaries(
                st.sampled_from(["value", "selected_option"]),
                st.none()
                | st.text(max_size=30)
                | st.fixed_dictionaries({"value": st.text(max_size=9)}),
            ),
        ),
    ),
    st.sampled_from([None, "prospecting", "admin"]),
)
def test_reading_never_raises_and_says_why(values_: dict[str, Any], editing: str | None) -> None:
    r = check.read_category(values_, CATS, editing)
    assert all(isinstance(v, str) and v for v in r.errors.values())
    if not r.errors:
        assert r.label and r.kind in cv.KINDS and r.key
