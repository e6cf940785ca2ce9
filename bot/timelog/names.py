"""Which category a typed name means: keys, aliases and label words, and names that are shared."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# label words that name no category on their own
STOPWORDS = frozenset(
    {"and", "or", "the", "of", "for", "with", "to", "in", "on", "new", "day", "other", "tasks"}
)


@dataclass(frozen=True)
class CategoryRef:
    """What the readers need to know of a category."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()


def norm(text: str) -> str:
    """Lower case, `_` as a space, punctuation but `-` dropped, single spaces."""
    return " ".join(re.sub(r"[^\w\-]+", " ", text.lower().replace("_", " ")).split())


@dataclass
class Names:
    """Name → category key for the names that mean one category; the shared ones apart."""

    table: dict[str, str] = field(default_factory=dict)
    shared: dict[str, frozenset[str]] = field(default_factory=dict)
    typeable: dict[str, str] = field(default_factory=dict)  # key → a short name that works


def category_names(categories: Sequence[CategoryRef]) -> Names:
    """Keys first (always one category), then aliases, then label words; shared names apart."""
    names = Names()
    for cat in categories:
        for name in (cat.key, cat.key.replace("_", " ")):
            names.table.setdefault(norm(name), cat.key)
    for owners in (_owners_of_aliases(categories), _owners_of_label_words(categories)):
        for name, keys in owners.items():
            if name in names.table or name in names.shared:
                continue
            if len(keys) == 1:
                names.table[name] = next(iter(keys))
            else:
                names.shared[name] = frozenset(keys)
    names.table.pop("", None)
    for cat in categories:
        usable = [a for a in cat.aliases if names.table.get(norm(a)) == cat.key]
        names.typeable[cat.key] = norm(usable[0]) if usable else norm(cat.key)
    return names


def _owners_of_aliases(categories: Sequence[CategoryRef]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for cat in categories:
        for alias in cat.aliases:
            owners.setdefault(norm(alias), set()).add(cat.key)
    return owners


def _owners_of_label_words(categories: Sequence[CategoryRef]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for cat in categories:
        for word in norm(cat.label).split():
            if len(word) >= 3 and word not in STOPWORDS and not word.isdigit():
                owners.setdefault(word, set()).add(cat.key)
    return owners


def alias_table(categories: Sequence[CategoryRef]) -> dict[str, str]:
    """Name → category key for every name that means exactly one category."""
    return category_names(categories).table


def candidates(name: str, names: Names) -> frozenset[str]:
    """The categories a name could mean: its exact name, else the names it contains."""
    wanted = norm(name)
    if not wanted:
        return frozenset()
    if wanted in names.table:
        return frozenset({names.table[wanted]})
    if wanted in names.shared:
        return names.shared[wanted]
    found: list[tuple[int, int, frozenset[str]]] = []
    every = [(n, frozenset({k})) for n, k in names.table.items()] + list(names.shared.items())
    for alias, keys in every:
        for m in re.finditer(rf"(?<![\w\-]){re.escape(alias)}(?![\w\-])", wanted):
            found.append((m.start(), m.end(), keys))
    # a name inside a longer found name ("meetings" in "sales meetings") is not a second vote
    kept: set[str] = set()
    for s, e, keys in found:
        if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in found):
            kept |= keys
    return frozenset(kept)


def match_category(name: str, names: Names) -> str | None:
    """The one category a name means, or None (unknown, or more than one)."""
    found = candidates(name, names)
    return next(iter(found)) if len(found) == 1 else None


def unknown_words(name: str) -> str:
    """The words of a name as typed, connectors dropped (`golf` from `of golf`), for a message."""
    words = [w.strip(".,:;!?()\"'") for w in name.split()]
    kept = [w for w in words if w and w.lower() not in STOPWORDS]
    return " ".join(kept) or name.strip()
