"""What an SPC chart marks besides its points: shapes, rules, events and natural floors.

Kept apart from :mod:`pcplib.report.charts` (which draws the chart) and
:mod:`pcplib.report.chart_text` (which describes it) so each module holds one thing:
the words for the rule that flagged a point, the events a chart marks with a short
label, each point type's shape, and the units whose limits stop at zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from pcplib.spc import XmrResult

__all__ = [
    "NON_NEGATIVE_UNITS",
    "POINT_MARKERS",
    "describe_rule",
    "list_chart_events",
    "list_section_starts",
]

# Each point type has its own shape too, so the chart is read without telling colours
# apart (WCAG 1.4.1, use of colour): circle, triangle, cross, square.
POINT_MARKERS: dict[str, str] = {
    "common_cause": "o",
    "special_cause_improvement": "^",
    "special_cause_concern": "X",
    "special_cause_neutral_high": "s",
    "special_cause_neutral_low": "s",
    "special_cause_neutral": "s",
}
# Units that cannot go below zero: a lower process limit under zero is drawn and told
# at zero (a count of homicides cannot be -0.2), as NHS Making Data Count advises.
NON_NEGATIVE_UNITS: tuple[str, ...] = (
    "count", "percent", "rate_per_1000", "kwh", "tonnes", "hours", "days",
)  # fmt: skip


def describe_rule(label: object) -> str:
    """Say in a few words which SPC rule flagged a point.

    Parameters
    ----------
    label : object
        The point's ``special_cause`` label from :func:`pcplib.spc.xmr` (such as
        ``"Above UCL"`` or ``"7 Points Below CL"``).

    Returns
    -------
    str
        Such as ``"above the upper limit"``, ``"a run of 7 below the mean"``, ``"a
        trend of 6 rising"`` or ``"2 of 3 near the upper limit"``; empty for a point no
        rule flagged.
    """
    text = "" if label is None or (isinstance(label, float) and math.isnan(label)) else str(label)
    words = text.split()
    if text == "Above UCL":
        return "above the upper limit"
    if text == "Below LCL":
        return "below the lower limit"
    if "Trend" in text and words:
        return f"a trend of {words[0]} {'rising' if 'Increasing' in text else 'falling'}"
    if text.startswith("2 in 3"):
        return f"2 of 3 near the {'upper' if 'Above' in text else 'lower'} limit"
    if "Points" in text and words:
        return f"a run of {words[0]} {'above' if 'Above' in text else 'below'} the mean"
    return ""


def list_chart_events(
    result: XmrResult, events: Sequence[tuple[Any, str]] = ()
) -> list[tuple[Any, str]]:
    """Return the events a chart marks: limit recalculations, then the data set's own.

    Parameters
    ----------
    result : pcplib.spc.XmrResult
        The SPC result; each start of a recalculated section is an event labelled
        ``"Limits recalculated"``.
    events : sequence of (period, str), optional
        Other events (a definition change, a commitment delivered) with short labels.

    Returns
    -------
    list of (period, str)
        In the order of the chart's periods, those outside it left out.
    """
    points = result.points
    found = [(start, "Limits recalculated") for start in list_section_starts(points)]
    found += [(_snap_to_period(points.index, when), str(text)) for when, text in events]
    order = {label: i for i, label in enumerate(points.index)}
    return sorted((e for e in found if e[0] in order), key=lambda e: order[e[0]])


def _snap_to_period(index: pd.Index, when: Any) -> Any:
    """The chart's period holding a date: the last period starting on or before it."""
    if when in index or len(index) == 0 or not isinstance(index[0], pd.Timestamp):
        return when
    stamp = pd.Timestamp(when)
    position = int(index.searchsorted(stamp, side="right")) - 1
    # A date before the first period, or more than a year after the last, is off the chart.
    if position < 0 or stamp > index[-1] + pd.DateOffset(years=1):
        return None
    if (
        position == len(index) - 1
        and len(index) > 1
        and stamp >= index[-1] + (index[-1] - index[-2])
    ):
        return None
    return index[position]


def list_section_starts(points: pd.DataFrame) -> list[Any]:
    """Return the index labels where a recalculated SPC section begins.

    Parameters
    ----------
    points : pandas.DataFrame
        ``XmrResult.points``; its ``section`` column numbers the sections.

    Returns
    -------
    list
        The first index label of every section after the first (none for one section).
    """
    if "section" not in points.columns:
        return []
    sections = points["section"]
    changed = sections.ne(sections.shift()) & sections.shift().notna()
    return list(points.index[changed.to_numpy()])
