"""Charts of change for the public report: each measure's change on a year earlier, at a glance.

One horizontal bar per measure: how far it rose or fell on the same quarter a year
earlier (per cent; percentage points for a measure that is itself a percentage, on an axis
of its own, so no axis mixes the two units). The bars are all one neutral colour: a
measure's group can rest on its target or on a longer comparison, not on the change the
bar shows, so a red bar for a fall would read as "this fall is bad". The group is the
word under each measure's name, in the group's colour. Drawn with matplotlib (imported
only when a chart is drawn) and embedded with :func:`pcplib.report.charts.figure_to_html`,
with alt text that lists every bar and a caption saying how to read it.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib.labels import is_missing
from pcplib.report.charts import CHART_DPI, figure_to_html

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "GROUP_COLOURS",
    "build_change_chart",
    "describe_change_chart",
    "plot_changes",
    "split_by_unit",
]

GROUP_COLOURS = {
    "achieved": "#00703c",
    "needs attention": "#d4351c",
    "steady": "#505a5f",
    "too few to tell": "#505a5f",
    "trend": "#4c2c92",
    "not rated": "#505a5f",
    "no figure": "#505a5f",
}
"""GOV.UK colours, each at least 4.5:1 against white, so the words beside them read too."""
BAR_COLOUR = "#505a5f"
"""Every bar's colour (GOV.UK dark grey): a bar shows a change, not a verdict."""
GROUP_WORDS = {
    "achieved": "achieved",
    "needs attention": "needs attention",
    "steady": "steady",
    "too few to tell": "too few to tell",
    "trend": "trend, not rated",
    "not rated": "not rated",
    "no figure": "no figure yet",
}
BAR_INCHES = 0.30  # a three-line label (8 pt, spaced 1.1) needs 0.37 in: 1.3 slots
WIDTH_INCHES = 5.0  # drawn at the width it is shown beside its lists
FONT_SIZE = 8.0  # points: 11 pixels at 100 dots per inch
NAME_WIDTH = 34  # characters per line of a measure's name beside its bar


def _change_text(row: dict, sep: str = " ") -> str:
    """The change as the bar's label writes it: ``-7.9%`` or ``+2.2 points``.

    A change the assessment tells in the measure's own unit (a variance across zero,
    small numbers: no per cent) is given in that unit, "+£101,192, not charted as a
    percentage", never "no comparison" beside a text that gives the year-ago figure
    (review 5, F15). ``sep`` goes before "not charted" (a line break on the chart).
    """
    value = row.get("change_value")
    if is_missing(value):
        told = str(row.get("change") or "")
        if told and (told[:1] in "+-" or told == "0") and not told.endswith("%"):
            # Equal small counts too: "0", like any other handful (review 9, R9-14).
            return f"{told},{sep}not charted as a percentage".replace("-", "\u2212", 1)
        return "no comparison" if row["group"] != "no figure" else "no figure yet"
    if row["unit"] == "percent":
        return f"{value:+.1f} points".replace("-", "\u2212")
    return f"{value:+.1f}%".replace("-", "\u2212")


AXIS_LABELS = {
    "per cent": "Change on a year ago (%)",
    "points": "Change on a year ago (percentage points)",
}
"""Each axis's one unit: a per cent change, or a change in points for a percentage."""


def split_by_unit(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Split the measures by the unit their change is in, so each axis has one unit.

    Parameters
    ----------
    rows : pandas.DataFrame
        Measures with ``unit``.

    Returns
    -------
    list of (str, pandas.DataFrame)
        ``("per cent", ...)`` for changes in per cent, then ``("points", ...)`` for
        percentages (whose change is in percentage points), each only when it has rows.
    """
    percent = rows["unit"].astype(str) == "percent"
    parts = [("per cent", rows[~percent]), ("points", rows[percent])]
    return [(unit, part) for unit, part in parts if not part.empty]


def _label(row: dict) -> str:
    """A bar's label: the measure's name, wrapped, and its group in words under it."""
    name = textwrap.fill(str(row["measure_name"]), NAME_WIDTH)
    return f"{name}\n({GROUP_WORDS.get(str(row['group']), row['group'])})"


def _slot(label: str) -> float:
    """A bar's share of the chart's height: one for a two-line label, more for longer ones."""
    return max(1.0, 0.4 + 0.3 * (label.count("\n") + 1))


def _draw_bars(ax: Any, records: list[dict], unit: str) -> None:
    """One axis of bars, all of one unit, labelled with its change and group."""
    values = [
        0.0 if is_missing(r.get("change_value")) else float(r["change_value"]) for r in records
    ]
    reach = min(max([abs(v) for v in values] + [5.0]), 60.0)
    labels = [_label(r) for r in records]
    slots = [_slot(label) for label in labels]
    # From the top: each bar at the middle of its slot, a slot as tall as its label.
    tops = [sum(slots[:i]) for i in range(len(slots))]
    total = sum(slots)
    positions = [total - top - slot / 2 for top, slot in zip(tops, slots, strict=True)]
    for y, r, value in zip(positions, records, values, strict=True):
        shown = max(-reach, min(reach, value))
        ax.barh(y, shown, height=0.55, color=BAR_COLOUR)
        # Every label starts right of the bar's end or of zero, so none runs into the names.
        ax.annotate(
            _change_text(r, "\n"),
            xy=(max(shown, 0.0), y),
            xytext=(3, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=FONT_SIZE,
            color="#0b0c0c",
        )
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=FONT_SIZE, linespacing=1.1)
    for tick, r in zip(ax.get_yticklabels(), records, strict=True):
        tick.set_color(GROUP_COLOURS.get(str(r["group"]), GROUP_COLOURS["steady"]))
    ax.set_ylim(0, total)
    ax.set_xlim(-reach * 1.1, reach * 1.9)
    ax.axvline(0, color="#0b0c0c", linewidth=0.8)
    ax.set_xlabel(AXIS_LABELS[unit], fontsize=FONT_SIZE)
    ax.tick_params(axis="x", labelsize=FONT_SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)


def plot_changes(rows: pd.DataFrame, title: str) -> Figure:
    """Draw each measure's change on a year earlier as a horizontal bar, one unit per axis.

    Parameters
    ----------
    rows : pandas.DataFrame
        Measures from :func:`pcplib.assessment.public.summarise_public_quarter`:
        ``measure_name``, ``unit``, ``change_value`` (per cent, or points for a
        percentage; missing where there is no comparison) and ``group``.
    title : str
        The chart's title.

    Returns
    -------
    matplotlib.figure.Figure
        Bars from zero, all of one colour (:data:`BAR_COLOUR`); beside each bar its
        change, and under each measure's name its group in words, in the group's colour.
        Changes in per cent and changes in points (of a percentage) are drawn on separate axes, each
        labelled with its one unit, so a bar of points is never read against a scale of
        per cent. Changes beyond an axis (a rise of several hundred per cent) are drawn
        to its edge, and their label gives the true figure. Drawn at the width it is
        shown (500 pixels), so its text is printed at the size it is read.
    """
    from matplotlib.figure import Figure

    groups = split_by_unit(rows) or [("per cent", rows)]
    sizes = [max(1.0, sum(_slot(_label(r)) for r in part.to_dict("records"))) for _, part in groups]
    # Each axis needs room for its bars and for its own x-axis label under them.
    heights = [BAR_INCHES * n + 0.55 for n in sizes]
    height = sum(heights) + 0.35
    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=CHART_DPI)
    grid = fig.add_gridspec(len(groups), 1, height_ratios=heights, hspace=0.55 / height * 4)
    for i, (unit, part) in enumerate(groups):
        ax = fig.add_subplot(grid[i, 0])
        _draw_bars(ax, part.to_dict("records"), unit)
        if i == 0:
            ax.set_title(title, fontsize=FONT_SIZE + 1.5, loc="left")
    fig.subplots_adjust(left=0.47, right=0.98, top=1 - 0.35 / height, bottom=0.5 / height)
    return fig


def describe_change_chart(rows: pd.DataFrame, what: str) -> str:
    """Write the alt text of a change chart: every bar, in words.

    Parameters
    ----------
    rows : pandas.DataFrame
        The measures charted (see :func:`plot_changes`).
    what : str
        What the measures are, such as "the headline measures of Safer communities".

    Returns
    -------
    str
        "Bar chart of how each of the 10 headline measures of ... changed on the same
        quarter a year earlier: Total recorded crime, −2.6%, steady; ..."
    """
    items = [
        f"{r['measure_name']}, {_change_text(r)}, {GROUP_WORDS.get(str(r['group']), r['group'])}"
        for r in rows.to_dict("records")
    ]
    return (
        f"Bar chart of how each of the {len(items)} {what} changed on the same quarter a "
        f"year earlier: {'; '.join(items)}."
    )


def build_change_chart(
    rows: pd.DataFrame, what: str, title: str, caption: str, source: str = ""
) -> str:
    """Return a change chart as a ``<figure>`` with its alt text and caption.

    Parameters
    ----------
    rows : pandas.DataFrame
        The measures to chart (see :func:`plot_changes`).
    what : str
        What they are, for the alt text ("the headline measures of Safer communities").
    title : str
        The chart's title (short: it is drawn above the bars).
    caption : str
        The first sentence of the caption; how to read the chart follows it.
    source : str, optional
        Where the charted figures come from, said last ("Source: ..."; review 7, F21).

    Returns
    -------
    str
        HTML; ``""`` when there is nothing to chart.
    """
    if rows.empty:
        return ""
    groups = split_by_unit(rows)
    rows = pd.concat([part for _, part in groups]) if groups else rows  # the chart's order
    fig = plot_changes(rows, title)
    caption += " Right is a rise, left a fall; the word under each name says what it means."
    if len(groups) > 1:
        caption += " Percentages change in points, on a scale of their own, below the others."
    if source:
        caption += f" Source: {source}."
    html = figure_to_html(fig, describe_change_chart(rows, what), caption)
    return html.replace('<figure class="chart">', '<figure class="chart chart-public">', 1)
