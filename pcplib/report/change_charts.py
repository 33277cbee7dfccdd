"""Charts of change for the public report: each measure's change on a year earlier, at a glance.

One horizontal bar per measure: how far it rose or fell on the same quarter a year
earlier (per cent; percentage points for a measure that is itself a percentage), coloured
by what the public report says about it and labelled with that word, so the colour is
never the only carrier. Drawn with matplotlib (imported only when a chart is drawn) and
embedded with :func:`pcplib.report.charts.figure_to_html`, with alt text that lists every
bar and a caption saying how to read it.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

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
]

GROUP_COLOURS = {
    "achieved": "#00703c",
    "needs attention": "#d4351c",
    "steady": "#505a5f",
    "trend": "#4c2c92",
    "no figure": "#505a5f",
}
"""GOV.UK colours, each at least 4.5:1 against white, so the words beside them read too."""
GROUP_WORDS = {
    "achieved": "achieved",
    "needs attention": "needs attention",
    "steady": "steady",
    "trend": "trend, not rated",
    "no figure": "no figure yet",
}
BAR_INCHES = 0.36
WIDTH_INCHES = 5.0  # drawn at the width it is shown beside its lists
FONT_SIZE = 8.0  # points: 11 pixels at 100 dots per inch
NAME_WIDTH = 34  # characters per line of a measure's name beside its bar


def _change_text(row: dict) -> str:
    """The change as the bar's label writes it: ``-7.9%`` or ``+2.2 points``."""
    value = row.get("change_value")
    if is_missing(value):
        return "no comparison" if row["group"] != "no figure" else "no figure yet"
    if row["unit"] == "percent":
        return f"{value:+.1f} points".replace("-", "\u2212")
    return f"{value:+.1f}%".replace("-", "\u2212")


def plot_changes(rows: pd.DataFrame, title: str) -> Figure:
    """Draw each measure's change on a year earlier as a horizontal bar.

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
        Bars from zero, coloured by group; beside each bar its change, and under each
        measure's name its group in words, in the group's colour. Changes beyond the axis
        (a rise of several hundred per cent) are drawn to its edge, and their label gives
        the true figure. Drawn at the width it is shown (500 pixels), so its text is
        printed at the size it is read.
    """
    from matplotlib.figure import Figure

    records = rows.to_dict("records")
    n = max(1, len(records))
    height = BAR_INCHES * n + 0.9
    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=CHART_DPI)
    ax = fig.add_subplot(1, 1, 1)
    values = [
        0.0 if is_missing(r.get("change_value")) else float(r["change_value"]) for r in records
    ]
    reach = min(max([abs(v) for v in values] + [5.0]), 60.0)
    positions = list(range(len(records)))[::-1]
    for y, r, value in zip(positions, records, values, strict=True):
        shown = max(-reach, min(reach, value))
        colour = GROUP_COLOURS.get(str(r["group"]), GROUP_COLOURS["steady"])
        ax.barh(y, shown, height=0.55, color=colour)
        # Every label starts right of the bar's end or of zero, so none runs into the names.
        ax.annotate(
            _change_text(r),
            xy=(max(shown, 0.0), y),
            xytext=(3, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=FONT_SIZE,
            color="#0b0c0c",
        )
    labels = [
        f"{textwrap.fill(str(r['measure_name']), NAME_WIDTH)}\n"
        f"({GROUP_WORDS.get(str(r['group']), r['group'])})"
        for r in records
    ]
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=FONT_SIZE, linespacing=1.1)
    for tick, r in zip(ax.get_yticklabels(), records, strict=True):
        tick.set_color(GROUP_COLOURS.get(str(r["group"]), GROUP_COLOURS["steady"]))
    ax.set_ylim(-0.6, len(records) - 0.4)
    ax.set_xlim(-reach * 1.1, reach * 1.9)
    ax.axvline(0, color="#0b0c0c", linewidth=0.8)
    ax.set_xlabel("Change on a year ago (%, or points for a %)", fontsize=FONT_SIZE)
    ax.set_title(title, fontsize=FONT_SIZE + 1.5, loc="left")
    ax.tick_params(axis="x", labelsize=FONT_SIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
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


def build_change_chart(rows: pd.DataFrame, what: str, title: str, caption: str) -> str:
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

    Returns
    -------
    str
        HTML; ``""`` when there is nothing to chart.
    """
    if rows.empty:
        return ""
    fig = plot_changes(rows, title)
    caption = f"{caption} Right is a rise, left a fall; the word says what it means."
    html = figure_to_html(fig, describe_change_chart(rows, what), caption)
    return html.replace('<figure class="chart">', '<figure class="chart chart-public">', 1)
