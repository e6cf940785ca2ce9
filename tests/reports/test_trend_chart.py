"""The trend's leading empty buckets, its labels, and its chart (a real PNG, on any thread)."""

from __future__ import annotations

import struct
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

from bot.reports.charts import trend_chart
from bot.reports.numbers import RepInput
from bot.reports.trend import TrendTable, bucket_labels, trend, trim_leading, week_buckets
from bot.split import Split

D = Decimal
TODAY = date(2026, 11, 25)  # Wednesday


def table(reps: int, weeks: int = 6, empty_first: int = 0) -> TrendTable:
    buckets = week_buckets(TODAY, weeks)
    inputs = [
        RepInput(
            f"U{i:03d}",
            f"Rep {i}",
            "hybrid",
            date(2026, 1, 1),
            (0, 1, 2, 3, 4),
            {
                a: Split(D(8 - (i + w) % 7), D((i + w) % 7), D(1))
                for w, (a, _) in enumerate(buckets)
                if w >= empty_first
            },
        )
        for i in range(reps)
    ]
    return trend(inputs, buckets, TODAY)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_leading_weeks_without_hours_are_left_out_and_counted() -> None:
    trimmed, skipped = trim_leading(table(3, weeks=6, empty_first=2))
    assert skipped == 2 and len(trimmed.buckets) == 4
    assert all(len(r.splits) == 4 for r in trimmed.reps)
    assert trimmed.team_shares[0] is not None
    same, none = trim_leading(table(3))
    assert none == 0 and same == table(3)
    empty, skipped = trim_leading(table(0, weeks=3))  # nothing at all: the last week stays
    assert skipped == 2 and len(empty.buckets) == 1


def test_labels_mark_the_week_or_month_so_far() -> None:
    weeks = week_buckets(TODAY, 2)
    assert bucket_labels(weeks, "week", TODAY) == ["16 Nov", "23 Nov (so far)"]
    assert bucket_labels(((date(2026, 10, 1), date(2026, 10, 31)),), "month") == ["Oct 2026"]


def test_trend_chart_is_a_png_for_a_few_reps_and_for_many() -> None:
    few = trend_chart(table(3), bucket_labels(table(3).buckets, "week", TODAY), "week")
    many = trend_chart(table(60, weeks=26), bucket_labels(week_buckets(TODAY, 26), "week"), "week")
    assert png_size(few) == png_size(many) == (1210, 605)


def test_trend_charts_render_on_several_threads_at_once() -> None:
    t = table(5)
    labels = bucket_labels(t.buckets, "week", TODAY)
    with ThreadPoolExecutor(4) as pool:
        images = list(pool.map(lambda _: trend_chart(t, labels, "week"), range(4)))
    assert len(set(images)) == 1
