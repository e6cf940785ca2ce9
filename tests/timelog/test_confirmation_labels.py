"""The log confirmation names categories in full words: labels are shortened at word boundaries."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.slack.blocks import shorten
from bot.split import Split
from bot.timelog.views import Week, confirmation

D = Decimal


def test_default_labels_are_cut_between_words() -> None:
    assert shorten("Existing accounts: job orders and day-to-day issues", 40) == (
        "Existing accounts: job orders…"  # not "…and day-t…", and no dangling "and"
    )
    assert shorten("Existing accounts: renewals, cross-sell, new departments", 40) == (
        "Existing accounts: renewals, cross-sell…"
    )
    assert shorten("Prospecting (calls, research, outreach)", 40) == (
        "Prospecting (calls, research, outreach)"
    )
    assert shorten("Supercalifragilisticexpialidociousandmore", 10) == "Supercali…"


def test_the_confirmation_shows_whole_words() -> None:
    _, blocks = confirmation(
        date(2026, 11, 24),
        Split(D(2), D(6), D(0)),
        Week(Split(D(2), D(6), D(0)), 1),
        [
            ("Prospecting (calls, research, outreach)", D(2)),
            ("Existing accounts: job orders and day-to-day issues", D(6)),
        ],
    )
    text = json.dumps(blocks, ensure_ascii=False)
    assert "Existing accounts: job orders… 6" in text and "day-t" not in text


words = st.lists(st.text("abcdefghij-", min_size=1, max_size=12), min_size=1, max_size=12)


@given(words, st.integers(min_value=2, max_value=60))
def test_shortened_text_fits_and_ends_on_a_word(parts: list[str], limit: int) -> None:
    text = " ".join(parts)
    out = shorten(text, limit)
    assert len(out) <= limit
    if out == text:
        return
    assert out.endswith("…")
    kept = [w for w in out[:-1].split(" ") if w]
    # every word kept is a whole word of the text (the last one maybe without a trailing "-"),
    # except a single word cut to fit
    head, last = kept[:-1], kept[-1] if kept else ""
    whole = head == parts[: len(head)] and parts[len(head)].rstrip("-") == last
    assert whole or (len(kept) <= 1 and parts[0].startswith(last))
