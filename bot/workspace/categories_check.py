"""The checks on a category form and the list's moves: pure rules, answered in place."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.slack.blocks import truncate
from bot.workspace.categories_views import (
    ALIASES_BLOCK,
    KEY_BLOCK,
    KIND_BLOCK,
    KINDS,
    LABEL_BLOCK,
    MAX_ACTIVE,
    MAX_ALIASES,
    MAX_LABEL,
    Cat,
    norm,
    slug,
)

_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass
class CatReading:
    """A submitted category form: the values, and errors by block id."""

    key: str = ""
    label: str = ""
    kind: str = ""
    aliases: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def _value(values: Mapping[str, Any], block: str) -> Mapping[str, Any]:
    actions = values.get(block)
    found = actions.get(block) if isinstance(actions, Mapping) else None
    return found if isinstance(found, Mapping) else {}


def read_category(
    values: Mapping[str, Any], cats: Sequence[Cat], editing: str | None
) -> CatReading:
    """Check a submitted category form against the workspace's categories."""
    r = CatReading()
    others = [c for c in cats if c.key != editing]
    current = next((c for c in cats if c.key == editing), None)
    r.label = " ".join(str(_value(values, LABEL_BLOCK).get("value") or "").split())
    if not r.label:
        r.errors[LABEL_BLOCK] = "Give the category a label, e.g. “Existing accounts: renewals”."
    elif len(r.label) > MAX_LABEL:
        r.errors[LABEL_BLOCK] = f"At most {MAX_LABEL} characters."
    elif any(norm(c.label) == norm(r.label) for c in others):
        r.errors[LABEL_BLOCK] = "Another category has this label — pick a different one."
    option = _value(values, KIND_BLOCK).get("selected_option")
    r.kind = str(option.get("value") or "") if isinstance(option, Mapping) else ""
    if r.kind not in KINDS:
        r.errors[KIND_BLOCK] = "Pick hunting, farming or other."
    elif (
        current is not None
        and current.active
        and current.kind != r.kind
        and current.kind != "other"
        and not any(c.active and c.kind == current.kind for c in others)
    ):
        r.errors[KIND_BLOCK] = (
            f"This is the only {current.kind} category, and the verdict compares hunting "
            f"with farming — add another {current.kind} category first."
        )
    if editing is None:
        typed = str(_value(values, KEY_BLOCK).get("value") or "").strip().lower()
        r.key = typed or slug(r.label or "category")
        if typed and not _KEY.fullmatch(typed):
            r.errors[KEY_BLOCK] = "Lower-case letters, digits and _, starting with a letter."
        elif any(c.key == r.key for c in cats):
            taken = (
                "a retired category"
                if any(c.key == r.key and not c.active for c in cats)
                else "another category"
            )
            r.errors.setdefault(
                KEY_BLOCK if typed else LABEL_BLOCK,
                f"`{r.key}` is taken by {taken} — "
                + ("pick another key." if typed else "type a key of its own."),
            )
        if sum(c.active for c in cats) >= MAX_ACTIVE:
            r.errors[LABEL_BLOCK] = f"At most {MAX_ACTIVE} categories — retire one first."
    else:
        r.key = editing
    raw = str(_value(values, ALIASES_BLOCK).get("value") or "")
    r.aliases = list(dict.fromkeys(norm(a) for a in re.split(r"[,;\n]+", raw) if norm(a)))
    problem = _alias_problem(r.aliases, r.key, others)
    if problem:
        r.errors[ALIASES_BLOCK] = problem
    return r


def _alias_problem(aliases: list[str], key: str, others: Sequence[Cat]) -> str | None:
    if len(aliases) > MAX_ALIASES:
        return f"At most {MAX_ALIASES} names."
    for alias in aliases:
        if len(alias) > 40:
            return f"“{truncate(alias, 20)}” is long — names are at most 40 characters."
        if not re.search(r"[^\W\d_]", alias):
            return f"“{alias}” has no letters — reps type numbers for hours."
        for c in others:
            if alias in {norm(c.key), *(norm(a) for a in c.aliases)}:
                return (
                    f"“{alias}” already means {truncate(c.label, 60)}"
                    f"{' (retired)' if not c.active else ''} — one name, one category."
                )
    return None


def move(keys: Sequence[str], key: str, step: int) -> list[str]:
    """The order of active keys after moving one up (-1) or down (+1); unchanged at the ends."""
    order = list(keys)
    if key not in order:
        return order
    i = order.index(key)
    j = i + step
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return order


def retire_problem(cats: Sequence[Cat], key: str) -> str | None:
    """Why a category cannot be retired (the last hunting or farming one), or None."""
    cat = next((c for c in cats if c.key == key and c.active), None)
    if cat is None:
        return None
    if cat.kind in ("hunting", "farming") and not any(
        c.active and c.kind == cat.kind and c.key != key for c in cats
    ):
        return (
            f"*{truncate(cat.label, 80)}* is the only {cat.kind} category, and the verdict "
            f"compares hunting with farming — add another {cat.kind} category before retiring it."
        )
    return None
