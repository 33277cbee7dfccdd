"""What a measure's SPC chart says about the real change its rating rests on.

Two cases where a test of change finds a real change that the chart does not bear out,
each computed once here as columns of the measure's row (:mod:`pcplib.assessment.measures`)
and worded beside the change on every page that prints it:

- **no signal** (``chart_no_signal``): the chart, on stable limits, flags nothing in the
  reporting quarter nor in the 12 months before it, though a test (most often the 12
  months against the plan's baseline year, the strategy reports' "Chart and baseline-year
  test differ") finds a real change. The change stays real and the rating follows its
  rule; the reader is told the chart shows no change beyond its usual range (review 21,
  R21-2: robbery of business property, whose baseline year was its lowest).
- **one month** (``quarter_spike_*``): the quarter's real change on a year earlier rests
  on one month beyond the chart's limits, at least two-thirds of the change in that
  month, while the quarter's other months are within them and nothing shows the change
  lasting (review 21, R21-1: public complaints, 178 in July 2026). The reader is told
  which month and that the others were within the range. A lasting change the same way
  (the 12 months, the baseline year, or a run on the chart) is not one month's, and is
  never worded as one (review 22, R22-3: domestic violence protection orders, whose
  July held 52% of a quarter's rise that had lasted 18 months).

``docs/methodology.md``, "When the chart does not bear out a real change", gives the
rules and their sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib.assessment.figures import aggregation_of
from pcplib.labels import format_figure, is_missing, month_words
from pcplib.periods import month_number, month_of

if TYPE_CHECKING:
    from pcplib.assessment.figures import Window
    from pcplib.spc import XmrResult

__all__ = [
    "CHART_NO_SIGNAL_CHART",
    "CHART_NO_SIGNAL_PUBLIC",
    "SPIKE_COLUMNS",
    "QuarterSpike",
    "add_chart_caveat",
    "add_quarter_spike",
    "find_quarter_spike",
    "has_chart_no_signal",
    "say_chart_no_signal",
    "say_quarter_spike",
    "tabulate_quarter_spike",
]

SPIKE_COLUMNS = (
    "quarter_spike_month", "quarter_spike_value", "quarter_spike_side",
    "quarter_spike_others", "quarter_spike_share",
)  # fmt: skip
"""The columns of a quarter's change that rests on one month (:func:`tabulate_quarter_spike`)."""

_REAL = ("improved", "deteriorated")
_SPIKE_AGGREGATIONS = ("sum", "mean")
"""Aggregations whose quarter's change on a year earlier is the sum of its months' changes
(a total, or the average of the months): only then is one month's share of it exact."""
MOST = 2 / 3
"""The share of the quarter's change on a year earlier one month must hold (at least) to be
"most of it": a clear majority, not a bare one. At 52% the other two months together hold
nearly half the change, and "most of it in July" would hide them (review 22, R22-3)."""
_SUSTAINED_LABELS = {
    "above": ("Points Above CL", "Trend (Increasing)"),
    "below": ("Points Below CL", "Trend (Decreasing)"),
}
"""The chart's labels of a run or a trend on each side: a signal of more than one point, a
shift in the process rather than the single point (*Making Data Count*)."""


@dataclass(frozen=True)
class QuarterSpike:
    """A quarter's real change on a year earlier that rests on one month beyond the limits.

    Attributes
    ----------
    month : str
        The month beyond the chart's limits, ``YYYY-MM``.
    value : float
        Its figure, as the chart plots it.
    side : {"above", "below"}
        Which limit it lies beyond.
    others : tuple of str
        The quarter's other months (``YYYY-MM``), each within the limits.
    share : float
        The month's share of the quarter's change on a year earlier (at least
        :data:`MOST`).
    """

    month: str
    value: float
    side: str
    others: tuple[str, ...]
    share: float


def has_chart_no_signal(row: Mapping[str, Any]) -> bool:
    """Whether a measure's stable chart shows no signal in the quarter or the year before it.

    The chart was assessed on stable limits (``spc_status`` ``"assessed"``), its verdict
    over the reporting quarter is common cause (``spc_variation``), it flagged no point in
    the 12 months before the quarter either (``spc_recent`` empty) and no signal was set
    aside as too small to matter (``spc_immaterial`` empty). Only for a measure whose
    changes are tested against chance (not ``administrative``): a change counted in full
    has no "real" to question.

    Parameters
    ----------
    row : mapping
        A measure's row (:data:`~pcplib.assessment.measures.MEASURE_COLUMNS`).

    Returns
    -------
    bool
        True when the chart shows nothing beyond its usual range over the quarter and
        the 12 months before it.
    """
    if bool(row.get("administrative")) or row.get("spc_status") != "assessed":
        return False
    if str(row.get("spc_variation") or "") != "common_cause":
        return False
    return not str(row.get("spc_recent") or "") and not str(row.get("spc_immaterial") or "")


def find_quarter_spike(
    result: XmrResult | None,
    regular: pd.Series,
    window: Window,
    judgement: str,
    measure: Mapping[str, Any],
    seasonal: bool = False,
    lasting: tuple[str, ...] = (),
    variation: str | None = None,
) -> QuarterSpike | None:
    """Find the one month beyond the chart's limits that a quarter's real change rests on.

    A monthly measure's quarter changed by more than chance on the same quarter a year
    earlier (``judgement`` improved or deteriorated), exactly one of its months lies beyond
    the chart's process limits, on the side the quarter moved (above the upper limit for
    a rise, below the lower for a fall), its other months lie within them, and that one
    month holds most (at least :data:`MOST`, two-thirds) of the quarter's change on a year
    earlier. *Making Data Count* reads a single point beyond the limits as a special cause
    to investigate, not a shift in the process; a quarter's change that rests on one is
    said to do so. Not when the change lasts: a longer comparison finds a real change the
    same way (``lasting``: the 12 months on the 12 before, or on the plan's baseline
    year), or the period's SPC verdict (``variation``) is a special cause the same way
    from a run or a trend, not the single point (review 22, R22-3).

    Parameters
    ----------
    result : pcplib.spc.XmrResult or None
        The measure's chart (with limits), or None.
    regular : pandas.Series
        The measure's monthly figures on a regular calendar (index: month starts), for
        the same months a year earlier.
    window : Window
        The reporting quarter (:class:`~pcplib.assessment.figures.Window`).
    judgement : str
        The quarter's judgement on a year earlier.
    measure : mapping
        The catalogue row (``frequency``, ``aggregation``, ``good_direction``).
    seasonal : bool, default False
        Whether the chart plots seasonally adjusted figures: its points are then not the
        months' figures, so none is quoted.
    lasting : tuple of str, default ()
        The judgements of the longer comparisons (the 12 months on the 12 before, on the
        plan's baseline year): one equal to ``judgement`` shows the change lasting.
    variation : str or None, default None
        The SPC verdict over the reporting period (``spc_variation``).

    Returns
    -------
    QuarterSpike or None
        The month and its figure, or None when the change does not rest on one month.
    """
    if result is None or not result.has_limits or seasonal or judgement not in _REAL:
        return None
    if judgement in lasting:
        return None
    if str(measure.get("frequency")) != "monthly":
        return None
    if aggregation_of(measure) not in _SPIKE_AGGREGATIONS:
        return None
    points = result.points
    months = month_number(pd.DatetimeIndex(points.index))
    inside = points[(months >= window.first) & (months <= window.last) & ~points["gap"]]
    if len(inside) != window.last - window.first + 1 or inside["value"].isna().any():
        return None
    values = inside["value"].astype(float)
    above = values > inside["upl"].astype(float)
    below = values < inside["lpl"].astype(float)
    beyond = above | below
    if int(beyond.sum()) != 1:
        return None
    spike = beyond[beyond].index[0]
    side = "above" if bool(above.at[spike]) else "below"
    changes = _changes_on_year(regular, list(inside.index))
    if changes is None:
        return None
    total = float(sum(changes.values()))
    rise = total > 0
    if total == 0 or (side == "above") != rise:
        return None
    share = changes[spike] / total
    if share < MOST or _shows_run(inside, variation, side):
        return None
    return QuarterSpike(
        month=str(pd.Timestamp(spike).to_period("M")),
        value=float(values.at[spike]),
        side=side,
        others=tuple(str(pd.Timestamp(i).to_period("M")) for i in inside.index if i != spike),
        share=share,
    )


def _shows_run(inside: pd.DataFrame, variation: str | None, side: str) -> bool:
    """Whether the period's special-cause verdict rests on a run or a trend on ``side``."""
    if not str(variation or "").startswith("special_cause"):
        return False
    labels = inside.loc[inside["point_type"] == variation, "special_cause"].astype(str)
    return any(kind in label for label in labels for kind in _SUSTAINED_LABELS[side])


def _changes_on_year(regular: pd.Series, months: list[Any]) -> dict[Any, float] | None:
    """Each month's figure less the same month's a year earlier; None if any is missing."""
    out = {}
    for when in months:
        before = month_of(int(month_number(pd.Timestamp(when))) - 12).start_time
        now, then = regular.get(pd.Timestamp(when)), regular.get(before)
        if now is None or then is None or pd.isna(now) or pd.isna(then):
            return None
        out[when] = float(now) - float(then)
    return out


def tabulate_quarter_spike(spike: QuarterSpike | None) -> dict[str, Any]:
    """A :class:`QuarterSpike` as the measure's columns (:data:`SPIKE_COLUMNS`).

    ``quarter_spike_others`` joins the other months with ``;``; every column is empty
    (``""`` or None) when the quarter's change does not rest on one month.
    """
    if spike is None:
        return {
            "quarter_spike_month": "", "quarter_spike_value": None, "quarter_spike_side": "",
            "quarter_spike_others": "", "quarter_spike_share": None,
        }  # fmt: skip
    return {
        "quarter_spike_month": spike.month,
        "quarter_spike_value": spike.value,
        "quarter_spike_side": spike.side,
        "quarter_spike_others": ";".join(spike.others),
        "quarter_spike_share": spike.share,
    }


def say_quarter_spike(row: Mapping[str, Any], usual: str = "its usual range") -> str:
    """Say that a quarter's change rests on one month, beside the change.

    Parameters
    ----------
    row : mapping
        A measure's row with the columns of :data:`SPIKE_COLUMNS` (``unit``,
        ``rate_per_point``).
    usual : str, default "its usual range"
        What the month lies beyond: the public pages show no chart ("its usual
        range"), the Board's and the overview's readers have one ("the chart's usual
        range").

    Returns
    -------
    str
        "most of it in July 2026 (178, above its usual range); August and September
        were within it", or ``""`` when the change does not rest on one month.
    """
    month = str(row.get("quarter_spike_month") or "")
    value = row.get("quarter_spike_value")
    if not month or value is None or is_missing(value):
        return ""
    figure = format_figure(
        float(value), str(row.get("unit") or ""), per=str(row.get("rate_per_point") or "")
    )
    side = str(row.get("quarter_spike_side") or "above")
    others = [o for o in str(row.get("quarter_spike_others") or "").split(";") if o]
    names = [month_words(o).split(" ")[0] for o in others]
    said = f"most of it in {month_words(month)} ({figure}, {side} {usual})"
    if not names:
        return said
    verb = "was" if len(names) == 1 else "were"
    return f"{said}; {' and '.join(names)} {verb} within it"


CHART_NO_SIGNAL_PUBLIC = "though its recent months are within their usual range"
"""What the public pages (which show no chart) say beside a real change the chart does not
show (:func:`has_chart_no_signal`)."""
CHART_NO_SIGNAL_CHART = "though its chart shows no change beyond its usual range"
"""The same, where the reader has the chart (the annual evaluation's lists)."""


def say_chart_no_signal(row: Mapping[str, Any], chart: bool = False) -> str:
    """The clause a real change carries when its chart shows no signal, or ``""``.

    Parameters
    ----------
    row : mapping
        A measure's row (``chart_no_signal``).
    chart : bool, default False
        Whether the page names the chart (:data:`CHART_NO_SIGNAL_CHART`) or not
        (:data:`CHART_NO_SIGNAL_PUBLIC`).

    Returns
    -------
    str
        The clause, with no leading comma, or ``""``.
    """
    flag = row.get("chart_no_signal")
    if is_missing(flag) or not bool(flag):
        return ""
    return CHART_NO_SIGNAL_CHART if chart else CHART_NO_SIGNAL_PUBLIC


def add_chart_caveat(row: Mapping[str, Any], words: str, basis: str) -> str:
    """Add to a real change's public words that its chart shows no change beyond its range.

    "A real worsening since the plan began: 219 ... (2024/25), though its recent months are
    within their usual range." The test stays, and so does the rating; the reader is told
    what the chart shows, as the strategy report's "Chart and baseline-year test differ"
    does (review 21, R21-2; :func:`has_chart_no_signal`). Only a real change on a test,
    never a possible one, which already says it is not clear.

    Parameters
    ----------
    row : mapping
        A measure's row (``chart_no_signal``).
    words : str
        The public sentence's words on the change ("A real worsening ...").
    basis : {"quarter", "year", "since", "spc", "half", ""}
        The comparison the words rest on; only a test's (the first three) carries it.

    Returns
    -------
    str
        The words, with the caveat before their full stop when it applies.
    """
    caveat = say_chart_no_signal(row)
    if not caveat or basis not in ("quarter", "year", "since") or not words.startswith("A real"):
        return words
    return f"{words.removesuffix('.')}, {caveat}."


def add_quarter_spike(row: Mapping[str, Any], change: str) -> str:
    """Add to the quarter's change the one month beyond its usual range that holds most of it.

    "416, up 27.6% on a year ago, most of it in July 2026 (178, above its usual range);
    August and September were within it." (review 21, R21-1; :func:`find_quarter_spike`).

    Parameters
    ----------
    row : mapping
        A measure's row (:data:`SPIKE_COLUMNS`).
    change : str
        The public sentence's opening, the quarter's figure and change, ending in ".".

    Returns
    -------
    str
        The opening, with :func:`say_quarter_spike` before its full stop when it applies.
    """
    spike = say_quarter_spike(row)
    if not spike or not change.endswith("."):
        return change
    return f"{change.removesuffix('.')}, {spike}."
