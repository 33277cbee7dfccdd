"""The words beside an SPC chart: its periods, its alt text and its flagged points.

Kept apart from :mod:`pcplib.report.charts`, which draws the chart and embeds it, so
each module holds one thing. Periods are named as the report's tables name them: a
month (``September 2026``), a quarter (``2026/27 Q2``) or a financial year
(``2025/26``).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.spc_words import ASSURANCE_PHRASES, VARIATION_PHRASES
from pcplib.labels import format_figure, format_value, month_span, month_words
from pcplib.periods import FREQUENCY_MONTHS
from pcplib.report.chart_marks import (
    NON_NEGATIVE_UNITS,
    describe_rule,
    list_chart_events,
    list_section_starts,
)

if TYPE_CHECKING:
    from pcplib.spc import XmrResult

__all__ = [
    "check_frequency",
    "describe_chart",
    "infer_frequency",
    "label_chart_period",
    "list_flagged_points",
    "list_x_positions",
]

_VARIATION_WORDS: dict[str, str] = {c: p.alt_text for c, p in VARIATION_PHRASES.items()}
_ASSURANCE_WORDS: dict[str, str] = {c: p.alt_text for c, p in ASSURANCE_PHRASES.items()}
# Past this many flagged points the alt text counts them by rule instead of naming each.
_MAX_FLAGGED_NAMED = 6


def infer_frequency(index: pd.Index) -> str | None:
    """The frequency of a date index from its spacing: monthly, quarterly or annual.

    Parameters
    ----------
    index : pandas.Index
        Period starts (timestamps or periods), in order.

    Returns
    -------
    str or None
        ``"monthly"``, ``"quarterly"`` or ``"annual"``; None for an index that is not of
        dates or has fewer than two of them.
    """
    x = list_x_positions(index)
    if len(x) < 2 or not isinstance(x[0], datetime.datetime):
        return None
    stamps = pd.DatetimeIndex(x)
    months = pd.Series(periods.month_number(stamps)).diff().dropna()
    step = int(months.min()) if not months.empty else 1
    return {3: "quarterly", 12: "annual"}.get(step, "monthly")


def check_frequency(frequency: str | None, index: pd.Index) -> str | None:
    """A chart's frequency: ``frequency`` if it is known, else inferred from ``index``.

    Raises
    ------
    ValueError
        If ``frequency`` is given and is not one of :data:`pcplib.periods.FREQUENCY_MONTHS`.
    """
    if frequency is None:
        return infer_frequency(index)
    if frequency not in FREQUENCY_MONTHS:
        raise ValueError(
            f"unknown frequency {frequency!r}: expected one of {', '.join(FREQUENCY_MONTHS)}"
        )
    return frequency


def list_x_positions(index: pd.Index) -> list[Any]:
    """Return x positions for matplotlib: timestamps for a date or period index."""
    if isinstance(index, pd.PeriodIndex):
        return list(index.to_timestamp())
    return list(index)


def label_chart_period(label: Any, frequency: str | None = None, *, short: bool = False) -> str:
    """Return a period label for a reader, as the tables write it.

    A monthly point is its month (``September 2026``); a quarterly one its quarter
    (``2026/27 Q2``, with its months unless ``short``: ``2026/27 Q2 (July to September
    2026)``); an annual one its financial year (``2025/26``). Anything not a date is
    its text.
    """
    if isinstance(label, pd.Period):
        label = label.to_timestamp()
    if not isinstance(label, pd.Timestamp):
        return str(label)
    if frequency == "quarterly":
        quarter = periods.label_quarter(label)
        if short:
            return quarter
        months = periods.months_in_quarter(quarter)
        return f"{quarter} ({month_span(months[0], months[-1])})"
    if frequency == "annual":
        return periods.label_financial_year(label)
    return month_words(label)


def _describe_span(first: Any, last: Any, frequency: str | None) -> str:
    """The chart's period in words: ``2020/21 Q1 to 2026/27 Q2 (April 2020 to September 2026)``."""
    if frequency not in ("quarterly", "annual") or not isinstance(first, pd.Timestamp):
        return f"{label_chart_period(first)} to {label_chart_period(last)}"
    if frequency == "quarterly":
        start = periods.months_in_quarter(periods.label_quarter(first))[0]
        stop = periods.months_in_quarter(periods.label_quarter(last))[-1]
    else:
        start = periods.months_in_financial_year(periods.label_financial_year(first))[0]
        stop = periods.months_in_financial_year(periods.label_financial_year(last))[-1]
    words = (
        f"{label_chart_period(first, frequency, short=True)} to "
        f"{label_chart_period(last, frequency, short=True)}"
    )
    return f"{words} ({month_span(start, stop)})"


def _rule_of(points: pd.DataFrame, label: Any) -> str:
    if "special_cause" not in points.columns:
        return ""
    return describe_rule(points.at[label, "special_cause"])


def _flagged_periods(
    special: pd.Series, frequency: str | None = None, points: pd.DataFrame | None = None
) -> str:
    flagged = []
    for i in special[special != "common_cause"].index:
        rule = _rule_of(points, i) if points is not None else ""
        period = label_chart_period(i, frequency, short=True)
        flagged.append(f"{period} ({rule})" if rule else period)
    return "in " + ", ".join(flagged)


def _count_rules(points: pd.DataFrame, special: pd.Series) -> str:
    """How many flagged points each rule flagged, most first."""
    flagged = special[special != "common_cause"].index
    rules = [_rule_of(points, i) or "another rule" for i in flagged]
    counts = pd.Series(rules).value_counts(sort=True)
    # "19 a run of 6 above the mean" read as garbled (review 5, N6): the rule, then its count.
    return "; ".join(
        f"{rule} ({n} {'point' if n == 1 else 'points'})" for rule, n in counts.items()
    )


def list_flagged_points(
    result: XmrResult, unit: str, frequency: str | None = None, per: str = ""
) -> list[str]:
    """Return each flagged point with the rule that flagged it, for text beside a chart.

    Parameters
    ----------
    result : pcplib.spc.XmrResult
        The SPC result.
    unit : str
        The measure's unit (see :func:`pcplib.labels.format_value`).
    frequency : {"monthly", "quarterly", "annual"}, optional
        The measure's frequency, for naming periods.
    per : str, optional
        For a rate, what a point is per (:func:`pcplib.labels.describe_rate_basis`).

    Returns
    -------
    list of str
        Such as ``"Jul 2026: 15, above the upper limit"``, in period order; empty
        without limits or signals.
    """
    points = result.points
    if not result.has_limits or points.empty:
        return []
    values = points["value"].astype(float)
    special = points["point_type"].fillna("common_cause").astype(str)
    flagged = special[(special != "common_cause") & values.notna()].index
    out = []
    for i in flagged:
        rule = _rule_of(points, i) or "a signal"
        period = label_chart_period(i, frequency, short=True)
        out.append(f"{period}: {format_figure(values.at[i], unit, per=per)}, {rule}")
    return out


def describe_chart(
    result: XmrResult,
    measure_name: str,
    unit: str,
    frequency: str | None = None,
    events: Sequence[tuple[Any, str]] = (),
    per: str = "",
    no_limits: str = "",
    assurance_words: str = "",
) -> str:
    """Write alt text for an SPC chart: what it shows, in words.

    Parameters
    ----------
    result : pcplib.spc.XmrResult
        The SPC result drawn in the chart.
    measure_name : str
        The measure's name.
    unit : str
        The measure's unit (see :func:`pcplib.labels.format_value`).
    frequency : {"monthly", "quarterly", "annual"}, optional
        The measure's frequency, so periods are named as the tables name them (a
        quarterly chart runs "to 2026/27 Q2 (... September 2026)", not to the month its
        last quarter starts); inferred from the points when omitted.
    events : sequence of (period, str), optional
        Events marked on the chart besides limit recalculations (see
        :func:`pcplib.report.charts.plot_spc`).
    per : str, optional
        For a rate, what a point is per (:func:`pcplib.labels.describe_rate_basis`).
    no_limits : str, optional
        Why a chart without limits has none, when it is not too few points ("No SPC
        verdict: no stable reference period to set the chart's limits").
    assurance_words : str, optional
        The assurance as the measure's verdict words it, in place of the code's own
        (limits that straddle the target beside a record whose sign test shows the
        side: :func:`~pcplib.assessment.spc_words.select_sign_phrases`).

    Returns
    -------
    str
        Sentences stating the period covered, each flagged point's rule (or, past six,
        how many each rule flagged), the events the chart marks, the number of points (and any
        missing), the latest value, the mean, the process limits (or that there
        are none), any signal, and the target with its assurance.

    Raises
    ------
    ValueError
        If ``unit`` or ``frequency`` is unknown or the result has no points.
    """
    points = result.points
    if points.empty:
        raise ValueError("cannot describe an SPC chart of a result with no points")
    frequency = check_frequency(frequency, points.index)
    present = points["value"].astype(float).dropna()
    parts = _describe_points(result, measure_name, frequency)
    if not present.empty:
        parts.append(
            f"Latest value ({label_chart_period(present.index[-1], frequency, short=True)}): "
            f"{format_figure(present.iloc[-1], unit, per=per)}."
        )
    latest = points.loc[present.index[-1]] if not present.empty else points.iloc[-1]
    parts.append(f"Mean {format_value(latest['mean'], unit, per=per)}.")
    if result.has_limits:
        parts += _describe_limits(points, latest, unit, frequency, per)
        parts += _describe_signals(result, present, frequency)
    else:
        parts.append(
            f"{no_limits or 'Too few points for process limits'}, so no signals are judged."
        )
    # Limit recalculations are told above; the data set's own events here.
    for when, text in list_chart_events(result, events):
        if text != "Limits recalculated":
            parts.append(
                f"Marked on the chart: {text}, {label_chart_period(when, frequency, short=True)}."
            )
    target = result.target
    if target is not None and not (isinstance(target, float) and math.isnan(target)):
        sentence = f"Target {format_figure(target, unit, per=per)}"
        if result.assurance:
            words = assurance_words or _ASSURANCE_WORDS.get(result.assurance, result.assurance)
            sentence += f": {words}"
        parts.append(sentence + ".")
    return " ".join(parts)


def _describe_points(result: XmrResult, measure_name: str, frequency: str | None) -> list[str]:
    """The alt text's first sentence: the kind of chart, its span and its points."""
    points = result.points
    values = points["value"].astype(float)
    present = values.dropna()
    kind = "XmR (SPC) chart" if result.has_limits else "Run chart"
    first, last = points.index[0], points.index[-1]
    if isinstance(first, pd.Period):
        first, last = first.to_timestamp(), last.to_timestamp()
    span = _describe_span(first, last, frequency)
    missing = int(values.isna().sum())
    return [
        f"{kind} of {measure_name}, {span}: {len(present)} "
        f"point{'s' if len(present) != 1 else ''}"
        + (f", {missing} missing (shown as a break in the line)" if missing else "")
        + "."
    ]


def _describe_limits(
    points: pd.DataFrame, latest: pd.Series, unit: str, frequency: str | None, per: str
) -> list[str]:
    """The latest section's process limits, and where the limits were recalculated."""
    lower = float(latest["lpl"])
    clipped = unit in NON_NEGATIVE_UNITS and lower < 0
    parts = [
        f"Process limits {format_value(0.0 if clipped else lower, unit)} to "
        f"{format_value(latest['upl'], unit, per=per)}"
        + (" (the lower limit falls below zero, so it is shown as zero)" if clipped else "")
        + "."
    ]
    starts = list_section_starts(points)
    if starts:
        # A sighted reader sees the mean and limits step; the alt text must say so too.
        parts.append(
            "The mean and limits are recalculated from "
            + ", ".join(label_chart_period(start, frequency, short=True) for start in starts)
            + "; the figures above are the latest section's."
        )
    return parts


def _describe_signals(result: XmrResult, present: pd.Series, frequency: str | None) -> list[str]:
    """The latest point's variation and the signals across the whole series."""
    points = result.points
    special = points.loc[present.index, "point_type"].fillna("common_cause")
    flagged = int((special != "common_cause").sum())
    flagged_index = special[special != "common_cause"].index
    variation = result.variation or "common_cause"
    parts = [f"The latest point shows {_VARIATION_WORDS.get(variation, variation)}."]
    if not flagged:
        parts.append("No point in the series is flagged as a signal.")
        return parts
    latest_flag = label_chart_period(flagged_index[-1], frequency, short=True)
    parts.append(
        f"Across the whole series {flagged} of {len(present)} points are flagged "
        "as signals (unusual compared with the series' own normal variation)"
        + (
            f", {_flagged_periods(special, frequency, points)}."
            if flagged <= _MAX_FLAGGED_NAMED
            else f", the latest in {latest_flag}: {_count_rules(points, special)}."
        )
    )
    return parts
