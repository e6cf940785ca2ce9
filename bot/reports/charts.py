"""The rollup chart: stacked hunting / farming / other hours per rep (matplotlib, PNG bytes)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from bot.reports.model import Report
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
            f"  {pct['farming']}% farming{marker}",
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
        title += f"  (team: {team['farming']}% farming, verdict: {report.verdict.label})"
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
