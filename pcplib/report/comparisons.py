"""Area comparisons as a reader sees them: a funnel plot, a table and plain verdicts.

Formatting only: every figure and verdict comes from
:func:`pcplib.assessment.comparisons.compare_areas`. Areas are never ranked: the table
lists them by population, largest first, and the verdict says whether an area differs
from what its population would lead one to expect by more than chance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcplib.labels import format_value, list_words
from pcplib.report.charts import CHART_DPI, figure_to_html
from pcplib.report.html import build_table, esc, notice

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from pcplib.assessment.comparisons import AreaComparison

__all__ = [
    "describe_funnel",
    "format_area_comparison",
    "format_area_comparisons",
    "format_area_comparison_words",
    "plot_funnel",
]

_LEVEL_WORDS = {"local_authority": "local authority", "force": "force"}
_MARKERS = {"high": ("^", "#d4351c"), "low": ("v", "#1d70b8"), "none": ("o", "#505a5f")}


def plot_funnel(comparison: AreaComparison) -> Figure:
    """Draw the funnel plot: each area's ratio against its expected count, with limits.

    Parameters
    ----------
    comparison : AreaComparison
        From :func:`~pcplib.assessment.comparisons.compare_areas`.

    Returns
    -------
    matplotlib.figure.Figure
        Built without pyplot. Areas beyond the 99.8% limits are triangles (up for
        higher, down for lower) and labelled by name, so shape as well as colour
        tells them apart.
    """
    from matplotlib.figure import Figure

    from pcplib.funnel import compute_funnel_curve

    curve = compute_funnel_curve(comparison.funnel)
    fig = Figure(figsize=(8.0, 4.2), dpi=CHART_DPI)
    ax = fig.add_subplot()
    x = curve["denominator"]
    ax.plot(x, curve["ucl998"], color="#505a5f", linestyle="--", linewidth=1, label="99.8% limits")
    ax.plot(x, curve["lcl998"], color="#505a5f", linestyle="--", linewidth=1)
    ax.plot(x, curve["ucl95"], color="#b1b4b6", linestyle=":", linewidth=1, label="95% limits")
    ax.plot(x, curve["lcl95"], color="#b1b4b6", linestyle=":", linewidth=1)
    ax.axhline(1.0, color="#0b0c0c", linewidth=1, label="As expected (ratio 1)")
    areas = comparison.areas
    for kind, (marker, colour) in _MARKERS.items():
        rows = areas[areas["outlier"] == kind]
        if rows.empty:
            continue
        label = {"high": "Higher than expected", "low": "Lower than expected"}.get(
            kind, "Within the limits"
        )
        ax.scatter(rows["expected"], rows["ratio"], marker=marker, color=colour, s=36,
                   label=label, zorder=3)  # fmt: skip
        if kind != "none":
            for r in rows.itertuples():
                ax.annotate(r.area, (r.expected, r.ratio), textcoords="offset points",
                            xytext=(5, 4), fontsize=8)  # fmt: skip
    ax.set_xlabel(f"Expected count for the population ({comparison.period})")
    ax.set_ylabel("Ratio: recorded ÷ expected")
    ax.set_title(f"{comparison.measure_name}: {_LEVEL_WORDS[comparison.level]} comparison",
                 fontsize=10, loc="left")  # fmt: skip
    ax.legend(fontsize=8, loc="upper right", frameon=False)
    ax.grid(axis="y", color="#f3f2f1")
    fig.tight_layout()
    return fig


def describe_funnel(comparison: AreaComparison) -> str:
    """Alt text for the funnel plot, naming the areas outside the 99.8% limits."""
    level = _LEVEL_WORDS[comparison.level]
    n = len(comparison.areas)
    outside = comparison.outside
    if outside.empty:
        beyond = f"No {level} is outside the 99.8% limits."
    else:
        parts = [
            f"{r.area} ({'higher' if r.outlier == 'high' else 'lower'}, ratio {r.ratio:.2f})"
            for r in outside.itertuples()
        ]
        beyond = f"Outside the 99.8% limits: {list_words(parts)}."
    return (
        f"Funnel plot of {comparison.measure_name} in {n} {level} areas over the "
        f"{comparison.period}: each area's ratio of recorded to expected crimes for its "
        f"population, against its expected count, with 95% and 99.8% limits that narrow "
        f"as areas get larger. {beyond}"
    )


def format_area_comparison(comparison: AreaComparison | None, *, chart: bool = True) -> str:
    """The comparison for the Board: the funnel plot, then a table of areas with verdicts.

    Parameters
    ----------
    comparison : AreaComparison or None
        From :func:`~pcplib.assessment.comparisons.compare_areas`; None gives "".
    chart : bool, default True
        Include the funnel plot.

    Returns
    -------
    str
        HTML: a ``<figure>`` with alt text and caption, and a table (area, count, rate
        per 1,000, ratio to expected with its 99.8% limits, verdict), largest area first.
    """
    if comparison is None:
        return ""
    level = _LEVEL_WORDS[comparison.level]
    parts = [f"<h3>{esc(comparison.measure_name)}: by {esc(level)}</h3>"]
    if chart:
        caption = (
            f"{comparison.measure_name} by {level}, {comparison.period}. Expected counts use "
            f"the pooled rate of {comparison.pooled_rate:.2f} per 1,000 residents; limits as "
            "FunnelPlotR computes them (overdispersion-adjusted where the areas differ by "
            "more than chance)."
        )
        parts.append(figure_to_html(plot_funnel(comparison), describe_funnel(comparison), caption))
    rows = [
        [
            esc(r.area),
            esc(format_value(r.count, "count")),
            esc(f"{r.rate_per_1000:.2f}"),
            esc(f"{r.ratio:.2f} ({r.lcl998:.2f} to {r.ucl998:.2f})"),
            esc(r.verdict),
        ]
        for r in comparison.areas.itertuples()
    ]
    head = ["Area", "Crimes", "Per 1,000 residents", "Ratio to expected (99.8% limits)",
            "Verdict"]  # fmt: skip
    parts.append(
        build_table(
            head,
            rows,
            f"{comparison.measure_name} by {level}, {comparison.period}",
            numeric=[False, True, True, True, False],
        )
    )
    if comparison.note:
        parts.append(notice(f"<p>{esc(comparison.note)}</p>"))
    return "".join(parts)


def format_area_comparison_words(comparison: AreaComparison | None) -> str:
    """The comparison in plain words for the public report (no table, no chart)."""
    if comparison is None:
        return ""
    level = _LEVEL_WORDS[comparison.level]
    outside = comparison.outside
    if outside.empty:
        text = (
            f"Across the {len(comparison.areas)} {level} areas, {comparison.measure_name.lower()} "
            f"over the {comparison.period} was within the range we would expect for each area's "
            "population: no area stands out from the others."
        )
    else:
        high = list(outside.loc[outside["outlier"] == "high", "area"])
        low = list(outside.loc[outside["outlier"] == "low", "area"])
        said = []
        if high:
            said.append(f"higher than expected for its population in {list_words(high)}")
        if low:
            said.append(f"lower than expected in {list_words(low)}")
        text = (
            f"Over the {comparison.period}, {comparison.measure_name.lower()} was "
            f"{' and '.join(said)}, by more than chance explains; the other areas were in line "
            "with their populations."
        )
    return f"<p>{esc(text)}</p>"


def format_area_comparisons(comparisons: list[AreaComparison]) -> str:
    """Every area comparison of a report, or a sentence saying there is none to make."""
    if not comparisons:
        return (
            "<p>No measure of this strategy has figures by local authority (or for several "
            "forces) in the data set, so no comparison between areas is made.</p>"
        )
    return "".join(format_area_comparison(c) for c in comparisons)
