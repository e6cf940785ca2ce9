"""The rollup chart: a real PNG, one bar per rep with hours, tall enough to read at 200 reps."""

from __future__ import annotations

import struct
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

from bot.reports.charts import rollup_chart
from bot.reports.model import RepLine, Report
from bot.reports.period import Period
from bot.reports.rules import verdict
from bot.split import Split, split

D = Decimal
WEEK = Period(date(2026, 11, 16), date(2026, 11, 22), "last week (16–22 Nov)")


def report(n: int, *, empty_every: int = 0) -> Report:
    """A team of n reps with varied splits; every `empty_every`-th rep logged nothing."""
    reps = []
    for i in range(n):
        empty = empty_every and i % empty_every == 0
        s = split({} if empty else {"hunting": D(i % 9), "farming": D(i % 7 + 1), "other": D(1)})
        reps.append(RepLine(f"U{i:04d}", f"Rep {i}", "hybrid", {}, s, 5, 0, 5))
    team = sum((r.split for r in reps), Split())
    return Report(WEEK, [], reps, team, verdict(team, [r.split for r in reps]), D(2), 40)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_is_a_png_that_grows_with_the_team() -> None:
    w20, h20 = png_size(rollup_chart(report(20)))
    w200, h200 = png_size(rollup_chart(report(200)))
    assert w20 == w200 == 1100
    # about 0.26 inch (29 px at 110 dpi) per rep, so 200 names stay legible
    assert h200 - h20 >= 180 * 28


def test_reps_without_hours_get_no_bar() -> None:
    _, with_gaps = png_size(rollup_chart(report(40, empty_every=2)))
    _, twenty = png_size(rollup_chart(report(20)))
    assert with_gaps == twenty


def test_an_empty_period_still_renders() -> None:
    assert png_size(rollup_chart(report(0)))[1] > 0


def test_charts_render_on_several_threads_at_once() -> None:
    with ThreadPoolExecutor(4) as pool:
        images = list(pool.map(lambda n: rollup_chart(report(n)), [10, 30, 10, 30]))
    assert images[0] == images[2] and images[1] == images[3]
