"""Charts as SVG (or PNG), drawn with matplotlib's object API (no pyplot state, no GUI).

Every chart reads without colour: series differ by marker, line style and
hatching, the heat map is a grey scale with a labelled scale, and every axis
says what it counts.
"""

import io
from itertools import cycle

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from .measure import WEEKDAYS  # noqa: E402

MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", "-.", ":"]
HATCHES = ["", "///", "xx", "\\\\\\", "--", "||"]
GREYS = ["#222222", "#555555", "#888888", "#bbbbbb", "#dddddd"]
STYLE = {
    "svg.fonttype": "none",  # text stays text: smaller files, searchable, crisp
    "svg.hashsalt": "dearjohn",  # stable ids, so the same data gives the same file
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "hatch.linewidth": 0.8,
}


def _figure(width=9, height=3.6):
    return Figure(figsize=(width, height), layout="constrained")


def render(figure, fmt="svg"):
    out = io.BytesIO()
    with rc_context(STYLE):
        figure.savefig(out, format=fmt, dpi=110 if fmt == "png" else None, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


def _empty(ax, text):
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)


def weekly_chart(series):
    with rc_context(STYLE):
        fig = _figure()
        ax = fig.add_subplot()
        if not series:
            _empty(ax, "No sightings in this period.")
        for (zone, points), marker, style in zip(series.items(), cycle(MARKERS), cycle(LINESTYLES)):
            weeks = [week for week, _ in points]
            ax.plot(weeks, [n for _, n in points], marker=marker, linestyle=style, color="#222222", markersize=4,
                    linewidth=1.2, label=zone)
        if series:
            ax.set_ylabel("sightings per week")
            ax.set_ylim(bottom=0)
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=min(4, len(series)), frameon=False, fontsize=9)
            fig.autofmt_xdate()
    return fig


def heatmap_chart(grid):
    with rc_context(STYLE):
        fig = _figure(height=3.4)
        ax = fig.add_subplot()
        ax.grid(False)
        image = ax.imshow(grid, cmap="Greys", aspect="auto", interpolation="nearest", vmin=0)
        ax.set_yticks(range(7), WEEKDAYS)
        ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
        ax.set_xlabel("hour of day (department time)")
        top = max(max(row) for row in grid)
        if top:
            # The busiest cells carry their number, so the peak reads without judging shades.
            for day, row in enumerate(grid):
                for hour, n in enumerate(row):
                    if n >= 0.75 * top:
                        ax.text(hour, day, f"{n}", ha="center", va="center", fontsize=7, color="white")
        bar = fig.colorbar(image, ax=ax, pad=0.01)
        bar.set_label("sightings")
    return fig


def _bars(ax, groups, categories, labels):
    """Grouped bars: one group per category (x), one hatched bar per series; numbers on bars when few."""
    width = 0.8 / max(1, len(groups))
    for i, (series, hatch, grey) in enumerate(zip(groups, cycle(HATCHES), cycle(GREYS[1:]))):
        xs = [x + (i - (len(groups) - 1) / 2) * width for x in range(len(categories))]
        bars = ax.bar(xs, [series.get(c, 0) for c in categories], width, label=labels[i], color="white" if hatch else grey,
                      edgecolor="#222222", hatch=hatch, linewidth=0.8)
        if len(categories) * len(groups) <= 24:
            ax.bar_label(bars, fontsize=7, padding=1, fmt=lambda v: f"{v:.0f}" if v else "")


def review_chart(backlog, speed):
    with rc_context(STYLE):
        fig = _figure(height=3.2)
        left, right = fig.subplots(1, 2)
        for ax, counts, title in ((left, backlog, "Waiting for review now, by age"),
                                  (right, speed, "Reviewed in this period, by time taken")):
            labels = list(counts)
            bars = ax.bar(range(len(labels)), [counts[k] for k in labels], color="white", edgecolor="#222222",
                          hatch="///" if ax is left else "xx")
            ax.bar_label(bars, fontsize=8, padding=1)
            ax.set_ylim(0, max(1, *counts.values()) * 1.12)
            ax.set_xticks(range(len(labels)), labels, fontsize=8)
            ax.set_title(title, fontsize=10)
            ax.set_ylabel("sightings")
    return fig


def monthly_chart(series, empty_text):
    """Grouped monthly bars for several named series ({name: {month: n}})."""
    with rc_context(STYLE):
        fig = _figure(height=3.2)
        ax = fig.add_subplot()
        months = _every_month({month for counts in series.values() for month in counts})
        if not months:
            _empty(ax, empty_text)
            return fig
        names = list(series)
        _bars(ax, [series[name] for name in names], months, names)
        ax.set_xticks(range(len(months)), [m.strftime("%b %y") for m in months], fontsize=8)
        ax.set_ylabel("per month")
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=9, ncols=len(names))
    return fig


def _every_month(months):
    """First days of all months from the earliest to the latest given: a month without any count keeps its place on the axis."""
    if not months:
        return []
    month, last, out = min(months), max(months), []
    while month <= last:
        out.append(month)
        month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
    return out


def return_curve_chart(comparison, horizon_days=None):
    """Two Kaplan–Meier return curves with their 95 % bands: solid (lettered) and dashed (not yet lettered)."""
    with rc_context(STYLE):
        fig = _figure(height=4)
        ax = fig.add_subplot()
        end = horizon_days or max([*comparison.lettered.horizons, 1])
        for curve, style, hatch in ((comparison.lettered, "-", "///"), (comparison.comparison, "--", "\\\\\\")):
            points = curve.points or ((0.0, 0.0, 0.0, 0.0, 0),)
            days_shown = [p[0] for p in points]
            shares, lows, highs = [p[1] for p in points], [p[2] for p in points], [p[3] for p in points]
            ax.step(days_shown, shares, where="post", linestyle=style, color="#111111", linewidth=1.6,
                    label=f"{curve.label} ({curve.vehicles} vehicles, {curve.returns} returned)")
            ax.fill_between(days_shown, lows, highs, step="post", facecolor="none", edgecolor="#777777", hatch=hatch,
                            linewidth=0, alpha=0.6, label=f"95 % band, {curve.label.lower()}")
        for horizon in comparison.lettered.horizons:
            if horizon <= end:
                ax.axvline(horizon, color="#999999", linewidth=0.8, linestyle=":")
                ax.text(horizon, 1.0, f" {horizon} d", va="top", fontsize=8, color="#555555")
        ax.set_xlim(0, end)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("days after the letter (lettered) or after the first sighting (not yet lettered)")
        ax.set_ylabel("share seen again")
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_title(comparison.label, fontsize=11)
        ax.legend(loc="lower right", frameon=False, fontsize=8)
    return fig
