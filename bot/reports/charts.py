"""Charts as PNG bytes (matplotlib, loaded lazily, no pyplot global state): the rollup's stacked
hunting / farming / other hours per rep, and the trend's farming share per week or month."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.reports.model import Report
from bot.reports.trend import TrendTable
from bot.reports.verdict import INCONCLUSIVE
from bot.split import whole_percentages

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

COLORS = {"hunting": "#2b8cbe", "farming": "#e6550d", "other": "#bdbdbd"}
ROW_INCHES = 0.26


def rollup_chart(report: Report, names: dict[str, str] | None = None) -> bytes:
    """A horizontal stacked bar per rep, most farming-heavy on top, readable at 20 or 200 reps."""
    # matplotlib loads on the first chart only: a third of a second and ~40 MB that a web
    # process or a cron `rolesplit tick` without a rollup due never needs
    from matplotlib.figure import Figure

    names = names or {}
    reps = [r for r in report.reps if r.split.total > 0]
    reps.sort(key=lambda r: (r.split.share("farming") or 0, r.user_id))
    height = max(3.0, 1.6 + ROW_INCHES * len(reps))
    # Figure directly, not pyplot: no global state, so rollups may render on several threads
    fig = Figure(figsize=(10, height), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    labels = [names.get(r.user_id) or r.name or r.user_id for r in reps]
    y = list(range(len(reps)))
    left = [0.0] * len(reps)
    for kind in ("hunting", "farming", "other"):
        values = [float(getattr(r.split, kind)) for r in reps]
        ax.barh(y, values, left=left, color=COLORS[kind], label=kind.capitalize(), height=0.72)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for i, r in enumerate(reps):
        pct = whole_percentages(r.split)
        assert pct is not None
        marker = "  ▲ over half farming" if r.over_line else ""
        ax.text(
            left[i],
            i,
            f"  {pct['farming']}% farming · {r.days.text}{marker}",
            va="center",
            fontsize=8 if len(reps) > 60 else 9,
            color="#b30000" if r.over_line else "#333333",
        )
    ax.set_yticks(y, labels, fontsize=7 if len(reps) > 60 else 9)
    ax.set_xlabel("hours logged")
    scale_on_top = len(reps) > 40  # a tall chart gets its scale at the top too
    if scale_on_top:
        ax.tick_params(axis="x", labeltop=True, top=True)
    ax.set_xlim(0, max(left or [1]) * 1.35)
    ax.set_ylim(-0.7, max(len(reps), 1) - 0.3)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    team = whole_percentages(report.team)
    title = f"Where the time went — {report.period.name}"
    if team:
        label = report.verdict.label
        label += " — keep logging" if label == INCONCLUSIVE else ""
        title += f"  (team: {team['farming']}% farming, verdict: {label})"
    ax.set_title(title, loc="left", fontsize=11, pad=40 if scale_on_top else 26)
    if not reps:
        ax.text(
            0.5,
            0.5,
            "No hours logged in this period",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=12,
            color="#666666",
        )
        ax.set_yticks([])
        ax.set_xticks([])
        ax.set_xlabel("")
    else:
        _legend(ax, fig, scale_on_top)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _legend(ax: Axes, fig: Figure, scale_on_top: bool) -> None:
    """Hunting / Farming / Other in one row between the title and the bars."""
    from matplotlib import transforms

    # the legend sits in its own row between the title and the bars (above the top scale)
    ax.legend(
        loc="lower left",
        frameon=False,
        ncols=3,
        bbox_to_anchor=(0, 1.0),
        bbox_transform=transforms.offset_copy(
            ax.transAxes, fig=fig, y=14 if scale_on_top else 0, units="points"
        ),
        fontsize=9,
        borderaxespad=0.2,
    )


MAX_NAMED_LINES = 12  # more reps than this: thin grey lines without names


def trend_chart(
    table: TrendTable, labels: Sequence[str], unit: str, names: dict[str, str] | None = None
) -> bytes:
    """The farming share per week or month: the team in bold, a line per rep, the 50% line."""
    from matplotlib import colormaps
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    names = names or {}
    fig = Figure(figsize=(11, 5.5), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    x = list(range(len(table.buckets)))

    def points(shares: Sequence[Decimal | None]) -> list[float]:
        return [float("nan") if s is None else float(s * 100) for s in shares]

    rows = [r for r in table.reps if any(s is not None for s in r.shares)]
    named = len(rows) <= MAX_NAMED_LINES
    palette = colormaps["tab10"]
    for i, row in enumerate(rows):
        label = names.get(row.user_id) or row.name or row.user_id
        ax.plot(
            x,
            points(row.shares),
            marker="o",
            markersize=3.5 if named else 0,
            linewidth=1.4 if named else 0.8,
            color=palette(i % 10) if named else "#9e9e9e",
            alpha=0.9 if named else 0.45,
            label=label if named else ("each rep" if i == 0 else None),
        )
    ax.plot(
        x,
        points(table.team_shares),
        marker="o",
        markersize=6,
        linewidth=3,
        color="#111111",
        label="Team",
        zorder=5,
    )
    ax.axhspan(50, 100, color="#fdecea", alpha=0.6, zorder=0, linewidth=0)
    ax.axhline(
        50,
        color="#b30000",
        linestyle="--",
        linewidth=1.2,
        zorder=4,
        label="50%: over it, separate the roles",
    )
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.set_ylabel("farming share of logged hours")
    shown = [label.replace(" (so far)", "\n(so far)") for label in labels]
    crowded = len(shown) > 10
    ax.set_xticks(x, shown, fontsize=8 if crowded else 9, rotation=45 if crowded else 0)
    if crowded:
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
    ax.set_xlim(-0.3, max(len(x) - 1, 1) + 0.3)
    ax.grid(axis="y", color="#eeeeee")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    who = "each rep" if named else f"{len(rows)} reps (grey)"
    ax.set_title(f"Farming share per {unit} — the team (black) and {who}", loc="left", fontsize=11)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
