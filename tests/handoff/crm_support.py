"""What the CRM adapter tests share: the pinned day, the samples, a JSON fuzz strategy."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

TODAY = date(2026, 3, 10)
DATA = Path(__file__).resolve().parent.parent / "data" / "crm"


def sample(name: str) -> bytes:
    """A vendored sample's raw bytes."""
    return (DATA / name).read_bytes()


def sample_json(name: str) -> Any:
    """A vendored JSON sample, decoded."""
    return json.loads(sample(name))


def dumps(data: Any) -> bytes:
    """JSON bytes the way a CRM sends them."""
    return json.dumps(data).encode()


# any JSON-ish value, including the odd ones (NaN, huge numbers, lone surrogates)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["", "won", "closedwon", "Closed Won", "12000", "-1", "1e99", "2026-03-09"])
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def _has(node: Any, step: str | int | None) -> bool:
    if isinstance(node, dict):
        return isinstance(step, str)
    return isinstance(node, list) and isinstance(step, int) and step < len(node)


def mutate(document: Any, path: list[str | int], value: Any) -> Any:
    """A copy of `document` with the value at `path` (as far as it exists) replaced."""
    data = json.loads(json.dumps(document))
    node = data
    for step in path[:-1]:
        if not _has(node, step) or (isinstance(node, dict) and step not in node):
            return data
        node = node[step]
    last = path[-1] if path else None
    if _has(node, last):
        node[last] = value
    return data
