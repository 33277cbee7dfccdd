"""SPC charts in the NHS *Making Data Count* style, with alt text and captions.

Charts are drawn with matplotlib (figures built without pyplot, so no GUI
backend; matplotlib is imported only when a chart is drawn) and embedded as PNG
data URIs inside ``<figure>`` elements, so each report is one self-contained
file and every chart carries its alt text (written by
:mod:`pcplib.report.chart_text`) and its caption. In a
notebook, a figure returned by :func:`plot_spc` shows as a picture wherever it is
called: importing this module in a Jupyter kernel registers the PNG display that
the inline backend would only register once something imports pyplot
(:func:`register_figure_display`). Colours
follow Making Data Count: grey for common-cause variation, blue for
special-cause improvement, orange for special-cause concern and purple for a
special cause in a measure with no good direction.
"""

from __future__ import annotations

import base64
import datetime
import html
import io
import math
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib.assessment.spc_words import VARIATION_PHRASES
from pcplib.labels import (
    UNIT_LABELS,
    format_figure,
    format_value,
    label_unit,
)
from pcplib.report.chart_marks import (
    NON_NEGATIVE_UNITS,
    POINT_MARKERS,
    describe_rule,
    list_chart_events,
)
from pcplib.report.chart_text import check_frequency, label_chart_period, list_x_positions

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from pcplib.spc import XmrResult

__all__ = [
    "CHART_DPI",
    "NON_NEGATIVE_UNITS",
    "POINT_COLOURS",
    "POINT_MARKERS",
    "figure_to_html",
    "format_value",
    "describe_rule",
    "list_chart_events",
    "plot_spc",
    "register_figure_display",
    "write_png",
]

CHART_DPI = 100
FIGURE_SIZE = (8.0, 3.8)  # inches
TICK_FONTSIZE = 8.5
TARGET_FONTSIZE = 9.0
TARGET_LABEL_PAD = 4.0  # points between the axes and the target's label
POINT_COLOURS: dict[str, str] = {
    "common_cause": "#7b7d7d",
    "special_cause_improvement": "#289de0",
    "special_cause_concern": "#fab428",
    "special_cause_neutral_high": "#361475",
    "special_cause_neutral_low": "#361475",
    "special_cause_neutral": "#361475",
}
POINT_LABELS: dict[str, str] = {c: p.legend for c, p in VARIATION_PHRASES.items()}
EVENT_COLOUR = "#505a5f"
LINE_COLOUR = "#505a5f"
DATA_LINE_COLOUR = "#b1b4b6"
TARGET_COLOUR = "#d4351c"


AXIS_LABELS = {"monthly": "Month", "quarterly": "Quarter", "annual": "Year"}
# A quarterly axis has at most this many labelled ticks, so "2025/26 Q2" labels never collide.
MAX_PERIOD_TICKS = 8


def _segments(column: pd.Series) -> list[tuple[int, int]]:
    """Return [start, stop) positions of runs of equal, non-missing values in ``column``."""
    values = column.to_numpy(dtype=float)
    runs: list[tuple[int, int]] = []
    start = None
    for i, value in enumerate(values):
        if math.isnan(value):
            if start is not None:
                runs.append((start, i))
                start = None
            continue
        if start is None:
            start = i
        elif not math.isclose(value, values[i - 1], rel_tol=1e-12, abs_tol=1e-12):
            runs.append((start, i))
            start = i
    if start is not None:
        runs.append((start, len(values)))
    return runs


def _plot_steps(ax: Any, x: list[Any], column: pd.Series, **style: Any) -> None:
    """Draw a horizontal line per section where ``column`` is constant (limits, mean)."""
    for start, stop in _segments(column):
        last = stop - 1
        ax.plot([x[start], x[last]], [column.iloc[start], column.iloc[start]], **style)
        style = {**style, "label": None}


def _tick_decimals(ticks: Any) -> int:
    """Return the fewest decimals (up to 6) that write every tick value exactly."""
    for decimals in range(7):
        if all(
            math.isclose(round(float(t), decimals), float(t), rel_tol=1e-9, abs_tol=1e-9)
            for t in ticks
        ):
            return decimals
    return 6


def _format_y_ticks(ax: Any, fontsize: float) -> float:
    """Write y tick labels in full with thousands separators, as in the report's tables.

    matplotlib's default would write large values as ``1.4`` under a ``1e6`` multiplier
    (or as offsets from ``+1e5``), which readers should not have to decode, and which
    would sit under the chart's title.

    Returns the width of the widest label in points, so the margin can make room for it.
    """
    from matplotlib.ticker import FuncFormatter

    # The locator's ticks for the final data limits: the ones drawn (nothing is added later).
    low, high = sorted(ax.get_ylim())
    ticks = [t for t in ax.get_yticks() if low <= t <= high]
    decimals = _tick_decimals(ticks)

    def label(value: float, _position: int | None = None) -> str:
        # + 0.0 turns -0.0 into 0.0; U+2212 is the minus sign matplotlib itself uses.
        return f"{value + 0.0:,.{decimals}f}".replace("-", "\u2212")

    ax.yaxis.set_major_formatter(FuncFormatter(label))
    return max((_text_width(label(t), fontsize) for t in ticks), default=0.0)


def _text_width(text: str, fontsize: float) -> float:
    """Return the width of one line of text in points, as matplotlib will draw it."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(size=fontsize)
    return float(text_to_path.get_text_width_height_descent(text, font, False)[0])


def plot_spc(
    result: XmrResult,
    *,
    title: str,
    unit: str,
    target: float | None = None,
    frequency: str | None = None,
    events: Sequence[tuple[Any, str]] = (),
    per: str = "",
    no_limits: str = "",
) -> Figure:
    """Draw an XmR chart in Making Data Count colours, each point type its own shape.

    Parameters
    ----------
    result : pcplib.spc.XmrResult
        The SPC result; ``result.points`` holds ``value``, ``mean``, ``lpl``,
        ``upl``, ``point_type``, ``ghost`` and ``gap`` indexed by period.
    title : str
        The chart title (usually the measure's name).
    unit : str
        The measure's unit, used for the y-axis label.
    target : float, optional
        A target to draw as a labelled line; ``result.target`` when omitted.
    frequency : {"monthly", "quarterly", "annual"}, optional
        The measure's frequency, which names the x axis ("Month", "Quarter", "Year")
        and its ticks (``Sep 2026``, ``2026/27 Q2``, ``2026/27``); inferred from the
        spacing of the points when omitted.
    events : sequence of (period, str), optional
        Events the data set knows (a definition change, a commitment delivered), each
        drawn as a dotted vertical line with its short label; a recalculation of the
        limits is added from the result (:func:`list_chart_events`).
    per : str, optional
        For a rate, what a point is per (:func:`pcplib.labels.describe_rate_basis`).
    no_limits : str, optional
        Why a chart without limits has none, for its title, when it is not too few
        points ("no SPC verdict"); its points are then labelled as not judged, never
        as "common cause", a verdict nobody made.

    Returns
    -------
    matplotlib.figure.Figure
        The figure. A lower limit below zero for a unit that cannot be negative
        (:data:`NON_NEGATIVE_UNITS`) is drawn at zero. Missing periods are breaks in
        the line; when
        ``result.has_limits`` is False the chart is a run chart (mean, no limits).

    Raises
    ------
    ValueError
        If ``unit`` or ``frequency`` is unknown or the result has no points.
    """
    if unit not in UNIT_LABELS:
        raise ValueError(f"unknown unit {unit!r}: expected one of {', '.join(UNIT_LABELS)}")
    points = result.points
    if points.empty:
        raise ValueError("cannot draw an SPC chart of a result with no points")
    # matplotlib is imported here, not at module level: reports without charts (plan
    # overview, public and annual reports) then never pay for it.
    from matplotlib.figure import Figure

    if target is None:
        target = result.target
    x = list_x_positions(points.index)
    values = points["value"].astype(float)

    fig = Figure(figsize=FIGURE_SIZE, dpi=CHART_DPI)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(x, values.to_numpy(), color=DATA_LINE_COLOUR, linewidth=1.2, zorder=1)
    _draw_mean_and_limits(ax, x, result, unit)
    legend_types = _draw_points(ax, x, points)
    _draw_events(ax, x, result, events)
    target_label = _draw_target(ax, target, unit, per)
    _draw_legend(ax, result.has_limits, legend_types, show_target=target is not None)

    kind = (
        "XmR chart"
        if result.has_limits
        else f"Run chart ({no_limits or 'too few points for limits'})"
    )
    # An explicit y fixes the title where matplotlib would put it anyway (no ticks or
    # labels above the axes); left to itself, it measures the axis on every draw to
    # check, about a fifth of each chart's drawing time (measured).
    ax.set_title(f"{title}\n{kind}", fontsize=11, loc="left", y=1.0)
    ax.set_ylabel(label_unit(unit, per), fontsize=9.5)
    _label_x_axis(ax, x, points.index, frequency)
    ax.tick_params(labelsize=TICK_FONTSIZE)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    _fit_margins(fig, ax, target_label)
    return fig


def _draw_mean_and_limits(ax: Any, x: list[Any], result: XmrResult, unit: str) -> None:
    """Draw the mean and, where the result has them, the process limits, per section."""
    points = result.points
    _plot_steps(ax, x, points["mean"], color=LINE_COLOUR, linewidth=1.5, label="Mean", zorder=2)
    if not result.has_limits:
        return
    for column, label in (("upl", "Process limits"), ("lpl", None)):
        line = points[column].astype(float)
        if column == "lpl" and unit in NON_NEGATIVE_UNITS:
            line = line.clip(lower=0.0)
        _plot_steps(
            ax,
            x,
            line,
            color=LINE_COLOUR,
            linewidth=1.2,
            linestyle="--",
            label=label,
            zorder=2,
        )


def _draw_points(ax: Any, x: list[Any], points: pd.DataFrame) -> list[str]:
    """Draw each point in its type's colour and shape, ghosts hollow.

    Returns the point types drawn, in order of first appearance, for the legend.
    """
    values = points["value"].astype(float)
    ghost = points["ghost"].fillna(False).astype(bool) if "ghost" in points else None
    present = ~values.isna()
    point_types = points["point_type"].fillna("common_cause").astype(str)
    legend_types: list[str] = []
    for point_type in dict.fromkeys(point_types[present]):
        mask = present & (point_types == point_type)
        if ghost is not None:
            mask = mask & ~ghost
        if not mask.any():
            continue
        colour = POINT_COLOURS.get(point_type, POINT_COLOURS["common_cause"])
        marker = POINT_MARKERS.get(point_type, "o")
        ax.scatter(
            [x[i] for i in range(len(x)) if mask.iloc[i]],
            values[mask].to_numpy(),
            color=colour,
            edgecolors=colour,
            marker=marker,
            s=28 if marker == "o" else 40,
            zorder=3,
        )
        legend_types.append(point_type)
    if ghost is not None and (ghost & present).any():
        ax.scatter(
            [x[i] for i in range(len(x)) if (ghost & present).iloc[i]],
            values[ghost & present].to_numpy(),
            facecolors="white",
            edgecolors=LINE_COLOUR,
            s=28,
            zorder=3,
        )
    return legend_types


def _draw_events(
    ax: Any, x: list[Any], result: XmrResult, events: Sequence[tuple[Any, str]]
) -> None:
    """Draw each event in the chart's span as a dotted vertical line with its label.

    Each label sits on a white patch above the lines and points (a label printed across
    the upper limit could not be read, review 1 B9); the second and later labels step
    down a line each, so two events close together do not print over each other; a
    label in the chart's right third reads leftwards from its line, so it stays inside.
    """
    positions = {label: i for i, label in enumerate(result.points.index)}
    drawn = 0
    for when, text in list_chart_events(result, events):
        if when not in positions:
            continue
        at = x[positions[when]]
        ax.axvline(at, color=EVENT_COLOUR, linewidth=0.9, linestyle=(0, (1, 2)), zorder=1)
        right = positions[when] > 2 * len(positions) / 3
        ax.annotate(
            text,
            xy=(at, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-2 if right else 2, -2 - 10 * drawn),
            textcoords="offset points",
            ha="right" if right else "left",
            va="top",
            fontsize=7.5,
            color=EVENT_COLOUR,
            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            zorder=5,
        )
        drawn += 1


def _draw_target(ax: Any, target: float | None, unit: str, per: str) -> str:
    """Draw the target as a dotted line labelled in the right margin.

    Returns the label drawn, or an empty string for no target (None or NaN).
    """
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return ""
    ax.axhline(float(target), color=TARGET_COLOUR, linewidth=1.2, linestyle=":", zorder=2)
    # The label sits in the right margin, level with the line: inside the axes it
    # covered the latest points, the ones a reader looks at first.
    target_label = f"Target\n{format_figure(target, unit, per=per)}"
    ax.annotate(
        target_label,
        xy=(1.0, float(target)),
        xycoords=("axes fraction", "data"),
        xytext=(TARGET_LABEL_PAD, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=TARGET_FONTSIZE,
        color=TARGET_COLOUR,
        annotation_clip=False,
    )
    return target_label


def _draw_legend(ax: Any, has_limits: bool, legend_types: list[str], *, show_target: bool) -> None:
    """Draw the legend below the axes: mean, limits, each point type drawn, target."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=LINE_COLOUR, linewidth=1.5, label="Mean")]
    if has_limits:
        handles.append(
            Line2D([], [], color=LINE_COLOUR, linewidth=1.2, linestyle="--", label="Process limits")
        )
    seen_labels: set[str] = set()
    for point_type in legend_types:
        label = POINT_LABELS.get(point_type, point_type)
        if not has_limits and point_type == "common_cause":
            label = "Figure (not judged: no limits)"
        if label in seen_labels:
            continue
        seen_labels.add(label)
        handles.append(
            Line2D(
                [],
                [],
                marker=POINT_MARKERS.get(point_type, "o"),
                linestyle="",
                color=POINT_COLOURS.get(point_type, POINT_COLOURS["common_cause"]),
                label=label,
            )
        )
    if show_target:
        handles.append(Line2D([], [], color=TARGET_COLOUR, linestyle=":", label="Target"))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncol=3,
        frameon=False,
        fontsize=8.5,
    )


def _label_x_axis(ax: Any, x: list[Any], index: pd.Index, frequency: str | None) -> None:
    """Name the x axis and its ticks by the periods the points are."""
    import matplotlib.dates as mdates

    is_dates = len(x) > 0 and isinstance(x[0], datetime.datetime)
    frequency = check_frequency(frequency, index) if is_dates else None
    # The axis names the periods the points are: a quarterly series is labelled in
    # quarters ("2025/26 Q2") and an annual one in financial years, as the tables are.
    ax.set_xlabel(AXIS_LABELS.get(frequency or "", "Period"), fontsize=9.5)
    if frequency in ("quarterly", "annual"):
        _label_period_ticks(ax, x, frequency)
    elif is_dates:
        locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))


def _fit_margins(fig: Figure, ax: Any, target_label: str) -> None:
    """Set the figure's margins for the widest y tick label and the target's label."""
    # A fixed layout (no tight bounding box, which draws every chart twice), with the
    # left margin widened for long tick labels: tick length and pads, the y label and a
    # little space beside it add about 30 points to the widest label. The axes' height
    # is set first, as it decides how many ticks there are.
    fig.subplots_adjust(left=0.1, right=0.98, top=0.86, bottom=0.32)
    left_points = _format_y_ticks(ax, TICK_FONTSIZE) + 30.0
    right = 0.98
    if target_label:
        # Room for the target's label beside the axes: its widest line, the pad and a margin.
        label_points = max(_text_width(line, TARGET_FONTSIZE) for line in target_label.split("\n"))
        right = min(right, 1.0 - (label_points + 2 * TARGET_LABEL_PAD) / 72.0 / FIGURE_SIZE[0])
    fig.subplots_adjust(left=max(0.1, left_points / 72.0 / FIGURE_SIZE[0]), right=right)


def _label_period_ticks(ax: Any, x: list[Any], frequency: str) -> None:
    """Label a quarterly or annual axis with its periods, at most :data:`MAX_PERIOD_TICKS`."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FixedFormatter, FixedLocator

    step = max(1, math.ceil(len(x) / MAX_PERIOD_TICKS))
    if frequency == "quarterly" and step > 1:
        # Whole years of quarters, so every label is the same quarter of its year.
        step = 4 * math.ceil(step / 4) if step > 2 else step
    chosen = x[::step]
    ax.xaxis.set_major_locator(FixedLocator([mdates.date2num(t) for t in chosen]))
    ax.xaxis.set_major_formatter(
        FixedFormatter([label_chart_period(t, frequency, short=True) for t in chosen])
    )


def write_png(fig: Figure, buffer: io.BytesIO) -> None:
    """Draw a figure once and write it to ``buffer`` as an RGB PNG at :data:`CHART_DPI`.

    Charts are opaque, so the alpha channel ``savefig`` writes carries nothing: RGB at
    zlib level 3 is both quicker to encode and smaller than RGBA at the default level
    6 (about 8 ms and 44 KB against 15 ms and 48 KB for a typical chart, measured).
    Pillow writes no date or software chunk, so the bytes depend on the figure only.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure; its resolution is restored afterwards.
    buffer : io.BytesIO
        Where the PNG is written.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    dpi = fig.get_dpi()
    fig.set_dpi(CHART_DPI)
    try:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        Image.alpha_composite(background, rgba).convert("RGB").save(
            buffer, format="png", compress_level=3
        )
    finally:
        fig.set_dpi(dpi)


def figure_to_html(fig: Figure, alt: str, caption: str) -> str:
    """Embed a figure as a PNG data URI inside ``<figure>`` with alt text and a caption.

    The PNG is drawn at :data:`CHART_DPI` on an opaque white background and written
    as RGB with no metadata, so the same figure always gives the same bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    alt : str
        Alt text (escaped here); must not be empty.
    caption : str
        The visible caption (escaped here); must not be empty.

    Returns
    -------
    str
        ``<figure><img src="data:image/png;base64,..." alt="...">``, then
        ``<figcaption>...</figcaption></figure>``.

    Raises
    ------
    ValueError
        If ``alt`` or ``caption`` is empty.
    """
    if not alt or not alt.strip():
        raise ValueError("a figure needs alt text: got an empty string")
    if not caption or not caption.strip():
        raise ValueError("a figure needs a caption: got an empty string")
    buffer = io.BytesIO()
    write_png(fig, buffer)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<figure class="chart"><img src="data:image/png;base64,{encoded}" '
        f'alt="{html.escape(alt, quote=True)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _figure_png(fig: Figure) -> bytes:
    """The PNG a notebook shows for a figure: the bytes :func:`write_png` writes."""
    buffer = io.BytesIO()
    write_png(fig, buffer)
    return buffer.getvalue()


def register_figure_display() -> bool:
    """Show matplotlib figures as pictures in the running IPython kernel, if there is one.

    A figure built without pyplot has no display of its own: until something imports
    pyplot (which sets up the inline backend), a notebook shows only
    ``<Figure size 800x380 with 1 Axes>``. This registers a PNG display for
    :class:`matplotlib.figure.Figure` by name, so matplotlib is not imported for it,
    and leaves alone one already registered (the inline backend's, when pyplot came first).

    Returns
    -------
    bool
        True when registered; False outside IPython or when figures already display.
    """
    if "IPython" not in sys.modules:  # not imported: not in a kernel, nothing to do
        return False
    # Imported, not read from sys.modules: in `pcp run` another thread may be part-way
    # through importing IPython, and the import waits for it to finish.
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    formatter = shell.display_formatter.formatters["image/png"]
    figure_module = sys.modules.get("matplotlib.figure")
    if figure_module is not None and figure_module.Figure in formatter.type_printers:
        return False
    formatter.for_type_by_name("matplotlib.figure", "Figure", _figure_png)
    return True


register_figure_display()
