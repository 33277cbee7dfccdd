"""Like-for-like figures of a measure: the reporting period and what it is compared with.

Every comparison a reader is shown sets like against like, as ONS and the Home Office
compare police recorded crime (ONS, *Crime in England and Wales* user guide, section 3:
"year ending" comparisons and the same period a year earlier):

- **the reporting period against the same period a year earlier** (a quarter with the
  same quarter last year; an annual measure's year with the year before): the primary
  comparison, which carries the change and its judgement;
- **the year ending** with the reporting period (the latest 12 months) against the
  12 months before it;
- **progress since the plan began**: the latest 12 months against the baseline year.

No figure is ever compared with an average of all seasons. How a window of periods
becomes one figure depends on the measure's ``aggregation``: ``sum`` (counts of events:
the total, only when every period has a figure), ``mean`` (levels: the average of the
periods present; a percentage or rate with a numerator and denominator in every period
is pooled instead, the sum of its numerators over the sum of its denominators, as ONS
and the Home Office make a year's proportion or rate: :func:`compute_window`) and
``last`` (stocks and year-to-date figures: the value of the window's last period).
An average is compared with another only over the same months of the year: a month
missing from one window is left out of the other too (:func:`align_windows`), and
every window says how complete it is (:func:`describe_completeness`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from pcplib import periods
from pcplib.data import AGGREGATIONS
from pcplib.data.schemas import TO_CONFIRM
from pcplib.labels import is_missing, month_span, month_words
from pcplib.periods import FREQUENCY_MONTHS, month_number, month_of

MARCH = 2  # month-of-year index (January 0) of the end of a UK financial year

# What a ratio's numerator over its denominator is multiplied by to give its value: a
# percentage, or a rate per 1,000 (people, per period: a monthly series pooled over a
# quarter stays a monthly rate, events over person-months).
RATIO_SCALES = {"percent": 100.0, "rate_per_1000": 1000.0}

__all__ = [
    "RATIO_SCALES",
    "Figures",
    "Window",
    "aggregation_of",
    "align_windows",
    "compute_baseline",
    "compute_figures",
    "compute_year_before_baseline",
    "compute_window",
    "describe_completeness",
    "find_period_start",
    "hold_same_months",
    "name_periods",
]


def aggregation_of(measure: Mapping[str, Any]) -> str:
    """The measure's aggregation (``sum``, ``mean`` or ``last``), checked."""
    value = str(measure.get("aggregation") or "")
    if value not in AGGREGATIONS:
        raise ValueError(
            f"measure {measure.get('measure_id')!r} has aggregation {value!r}; expected one "
            f"of: {', '.join(AGGREGATIONS)} (see data/README.md)"
        )
    return value


@dataclass(frozen=True)
class Window:
    """One figure of a measure over a window of months, and how it was made.

    Attributes
    ----------
    label : str
        What the window is, for a reader: ``"2026/27 Q2"``, ``"12 months to September
        2026"``, ``"2024/25"``.
    first, last : int
        The window's first and last months (see :func:`month_number`).
    value : float or None
        The figure; None when the window cannot give one (no data, or a total with a
        period missing).
    expected, present : int
        Periods the window spans and periods with a figure.
    numerator, denominator : float or None
        Totals of the numerator and denominator over the window, when every period
        present has both (for tests of proportions).
    periods : tuple of int
        The first months (see :func:`month_number`) of the periods whose figures made
        the value.
    missing : tuple of int
        The first months of the window's periods with no figure (a gap in the data).
    skipped : tuple of int
        The first months of periods that have a figure but were left out so that the
        window is compared like for like with another (see :func:`align_windows`).
    unconfirmed : tuple of int
        The first months of periods whose figure is still to confirm (status
        ``to confirm``, :mod:`pcplib.data.arrivals`): not used until confirmed.
    """

    label: str
    first: int
    last: int
    value: float | None
    expected: int
    present: int
    numerator: float | None = None
    denominator: float | None = None
    periods: tuple[int, ...] = ()
    missing: tuple[int, ...] = ()
    skipped: tuple[int, ...] = ()
    unconfirmed: tuple[int, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every period of the window has a figure."""
        return self.present == self.expected


@dataclass(frozen=True)
class Figures:
    """A measure's like-for-like figures for one reporting period.

    Attributes
    ----------
    current : Window
        The reporting period (the quarter, or the latest financial year of an annual
        measure).
    last_year : Window
        The same period a year earlier.
    year_ending, previous_year : Window
        The 12 months ending with the reporting period, and the 12 months before.
    baseline : Window or None
        The baseline year (None when the measure has none), from
        :func:`compute_baseline`: for ``last`` measures the baseline year's end, the
        same figure the annual evaluation uses.
    half_year, half_year_before : Window or None
        The two latest quarters (the reporting quarter and the one before) and the same
        months a year earlier; None for an annual measure. Read only to see whether a
        rise (or fall) that one quarter's test cannot settle has lasted two quarters
        (:func:`~pcplib.assessment.changes.weigh_worsening`).
    """

    current: Window
    last_year: Window
    year_ending: Window
    previous_year: Window
    baseline: Window | None
    half_year: Window | None = None
    half_year_before: Window | None = None


def _span_label(first: int, last: int) -> str:
    return f"12 months to {month_words(month_of(last))}" if last - first == 11 else ""


def compute_window(
    rows: pd.DataFrame,
    first: int,
    last: int,
    frequency: str,
    aggregation: str,
    label: str,
    skip: Collection[int] = (),
    unit: str = "",
) -> Window:
    """Make one figure from a measure's rows over the months ``first`` to ``last``.

    A level (``mean``) that is a percentage or a rate and has a numerator and denominator
    in every period used is pooled: the sum of the numerators over the sum of the
    denominators, scaled (:data:`RATIO_SCALES`), so that a year of quarterly surveys of
    different sizes is 689/859 = 80.2%, not the mean of its four percentages (80.275%).
    This is how ONS and the Home Office make a year's proportion or rate (ONS, *Crime in
    England and Wales* user guide: rates from the year's total over the population; Home
    Office, *Crime outcomes in England and Wales*: outcome rates from the year's counts).
    Without every numerator the window falls back to the mean of its values; a window of
    one period keeps that period's recorded figure.

    Parameters
    ----------
    rows : pandas.DataFrame
        The measure's observations under one definition, with ``period_start``,
        ``period_end``, ``value`` and optionally ``numerator`` and ``denominator``.
    first, last : int
        The window's months (see :func:`month_number`), inclusive.
    frequency : {"monthly", "quarterly", "annual"}
        The measure's frequency.
    aggregation : {"sum", "mean", "last"}
        How periods combine (see the module docstring).
    label : str
        The window's label for a reader.
    skip : collection of int, optional
        First months of periods to leave out although they have a figure, so that the
        window holds the same months as the one it is compared with.
    unit : str, optional
        The measure's unit: ``"percent"`` and ``"rate_per_1000"`` are pooled from their
        numerators (see above); any other unit, or none, averages the values.

    Returns
    -------
    Window
        The figure, how many periods made it, and which periods were missing or left out.
    """
    step = FREQUENCY_MONTHS[frequency]
    expected = max(1, (last - first + 1) // step)
    spanned = tuple(range(first, first + expected * step, step))
    if rows.empty:
        return Window(label, first, last, None, expected, 0, missing=spanned)
    starts = pd.DatetimeIndex(rows["period_start"])
    ends = pd.DatetimeIndex(rows["period_end"])
    start_n = np.asarray(month_number(starts))
    end_n = month_number(ends)
    in_span = np.asarray((start_n >= first) & (end_n <= last))
    # A figure still to confirm is in the record but not in any judgement until confirmed.
    waiting = (
        rows["status"].astype(str).to_numpy() == TO_CONFIRM
        if "status" in rows.columns
        else np.zeros(len(rows), dtype=bool)
    )
    unconfirmed = tuple(sorted({int(n) for n in start_n[in_span & waiting]}))
    held = in_span & rows["value"].notna().to_numpy() & ~waiting
    with_figure = {int(n) for n in start_n[np.asarray(held)]}
    left_out = tuple(sorted(with_figure & set(skip)))
    inside = np.asarray(held) & ~np.isin(start_n, left_out)
    present = int(np.count_nonzero(inside))
    used = tuple(sorted(int(n) for n in start_n[inside]))
    missing = tuple(p for p in spanned if p not in with_figure and p not in unconfirmed)
    numerator = denominator = None
    # A stock's share or a rolling survey describes the window by its last period alone:
    # adding the periods' samples would count the same vehicles or respondents again.
    at_end = inside & (np.asarray(end_n) == last)
    sample = at_end if aggregation == "last" else inside
    # Only the columns a figure is made of are selected (a whole-frame selection took
    # most of this function's time, called some 50 times a report: issue #25); the
    # same rows in the same order, so the same sums and means.
    if present and {"numerator", "denominator"} <= set(rows.columns):
        num, den = rows["numerator"][sample], rows["denominator"][sample]
        if num.notna().all() and den.notna().all():
            numerator, denominator = float(num.sum()), float(den.sum())
    value: float | None
    if present == 0:
        value = None
    elif aggregation == "sum":
        value = float(rows["value"][inside].sum()) if present >= expected else None
    elif aggregation == "last":
        value = float(rows["value"][at_end].iloc[-1]) if at_end.any() else None
    elif numerator is not None and denominator and unit in RATIO_SCALES and present > 1:
        # One period keeps its recorded figure (the published one, and the chart's point).
        value = numerator / denominator * RATIO_SCALES[unit]
    else:
        value = float(rows["value"][inside].mean())
    return Window(
        label, first, last, value, expected, present, numerator, denominator,
        used, missing, left_out, unconfirmed,
    )  # fmt: skip


def name_periods(starts: Collection[int], frequency: str) -> str:
    """Name periods by their first months (see :func:`month_number`), in order.

    Parameters
    ----------
    starts : collection of int
        The periods' first months.
    frequency : {"monthly", "quarterly", "annual"}
        The measure's frequency.

    Returns
    -------
    str
        Such as ``"2024-05, 2024-06"`` (``"2024/25 Q1"`` for quarters, ``"2024/25"`` for
        years).
    """
    return ", ".join(periods.label_period(month_of(p), frequency) for p in sorted(starts))


def describe_completeness(window: Window | None, frequency: str) -> str:
    """Say how many of a window's periods have a figure, and which do not.

    Parameters
    ----------
    window : Window or None
        From :func:`compute_window`; None for a measure with no baseline year.
    frequency : {"monthly", "quarterly", "annual"}
        The measure's frequency.

    Returns
    -------
    str
        ``"3 of 3 months"``; ``"2 of 3 months; missing 2024-05"``; with
        ``"; like for like without 2025-06"`` when periods with a figure were left
        out to match the window compared with, and ``"; to be confirmed 2026-08"`` for
        a figure still to confirm (not counted as held); empty for no window.
    """
    if window is None:
        return ""
    word = {"monthly": "month", "quarterly": "quarter", "annual": "year"}[frequency]
    held = window.expected - len(window.missing) - len(window.unconfirmed)
    text = f"{held} of {window.expected} {word}{'s' if window.expected != 1 else ''}"
    if window.missing:
        text += f"; missing {name_periods(window.missing, frequency)}"
    if window.unconfirmed:
        text += f"; to be confirmed {name_periods(window.unconfirmed, frequency)}"
    if window.skipped:
        text += f"; like for like without {name_periods(window.skipped, frequency)}"
    return text


def _calendar(window: Window) -> frozenset[int]:
    """The months of the year (January 0) that begin the window's periods with a figure."""
    return frozenset(p % 12 for p in window.periods)


def hold_same_months(
    before: Window, after: Window, aggregation: str, year_to_date: bool = False
) -> bool:
    """Whether two windows can be compared as they stand: like for like in their months.

    A total (``sum``) has a figure only when complete, and a stock (``last``) is its
    last period's figure, so both compare like for like whenever they have one. An
    average (``mean``) of some months compared with an average of others is not like
    for like (a quarter missing its busiest month looks low): it holds only when both
    windows have figures for the same months of the year. A year-to-date figure
    (``year_to_date``) compares only at the same month of the year: six months' spending
    against a whole year's outturn is not like for like.
    """
    if year_to_date:
        return before.last % 12 == after.last % 12
    if aggregation != "mean":
        return True
    return _calendar(before) == _calendar(after)


UNLIKE_BASELINE = {
    True: "not compared, as a year-to-date figure compares only with the same month of an "
    "earlier year",
    False: "not compared, as its months are not the latest 12 months' months",
}
"""Why the baseline year's figure is not set beside the latest one, by whether the measure
is a year-to-date figure (:func:`compare_baseline`)."""


def compare_baseline(
    baseline: Window | None, after: Window, aggregation: str, year_to_date: bool = False
) -> tuple[Window | None, str]:
    """The baseline as it may be compared with ``after``, and why not when it may not.

    Where the two windows are not like for like (:func:`hold_same_months`: six months'
    spending to September against a year's outturn to March), the baseline keeps its
    label but loses its value, so no change is computed and no report prints the two
    figures side by side (review 7, F16): a year-to-date figure is compared only with
    the same month of an earlier year, as its "year ending" comparison is.

    Parameters
    ----------
    baseline : Window or None
        The baseline year's window (:func:`compute_baseline`).
    after : Window
        The window set against it (the year ending).
    aggregation : str
        The measure's aggregation.
    year_to_date : bool, default False
        Whether the measure is a year-to-date figure.

    Returns
    -------
    tuple of (Window or None, str)
        The baseline (its value None when not like for like) and the reason, from
        :data:`UNLIKE_BASELINE` (``""`` when the two compare, or there is no figure).
    """
    if baseline is None or baseline.value is None:
        return baseline, ""
    if hold_same_months(baseline, after, aggregation, year_to_date):
        return baseline, ""
    return replace(baseline, value=None), UNLIKE_BASELINE[year_to_date]


def align_windows(
    before: Window,
    after: Window,
    rows: pd.DataFrame,
    frequency: str,
    aggregation: str,
    unit: str = "",
) -> tuple[Window, Window]:
    """Make two windows of an average compare like for like: the same months in both.

    Where one window lacks a month (of the year) the other has, that month is left out
    of the other too (``skipped``), so a quarter missing May is compared with the same
    quarter a year earlier without its May. Windows already alike, totals and stocks
    are returned unchanged (see :func:`hold_same_months`).

    Parameters
    ----------
    before, after : Window
        The comparison window and the window compared, from :func:`compute_window`.
    rows : pandas.DataFrame
        The rows both were computed from.
    frequency, aggregation, unit : str
        The measure's (``unit`` as for :func:`compute_window`).

    Returns
    -------
    tuple of Window
        ``(before, after)`` over the months of the year both have figures for; both
    unchanged when either has no figure at all (a measure's first year), since there
    is then nothing to compare and the other still has its own figure to show.
    """
    # Aligning with an empty window would leave out every month of the other one too:
    # a new measure's first quarter would show no figure although it has one.
    if not before.periods or not after.periods:
        return before, after
    if hold_same_months(before, after, aggregation):
        return before, after
    common = _calendar(before) & _calendar(after)
    aligned = []
    for window in (before, after):
        skip = [p for p in window.periods if p % 12 not in common]
        span = (window.first, window.last)
        aligned.append(
            compute_window(rows, *span, frequency, aggregation, window.label, skip, unit)
        )
    return aligned[0], aligned[1]


def compute_baseline(
    rows: pd.DataFrame, measure: Mapping[str, Any], frequency: str, aggregation: str
) -> Window | None:
    """The measure's one baseline figure, used by every report and the annual evaluation.

    The baseline year's figure as the aggregation makes it: the total of a count, the
    average of a level (pooled from its numerators for a percentage or rate, as
    :func:`compute_window`), and for a stock or rolling figure (``last``) its value at the end
    of the baseline year. None when the measure has no baseline year.
    """
    year = measure.get("baseline_year")
    if is_missing(year) or not str(year).strip():
        return None
    year = str(year).strip()
    start, _ = periods.parse_financial_year(year)
    first = month_number(start)
    label = year
    if aggregation == "last" and frequency != "annual":
        label = f"{month_words(month_of(first + 11))} ({year})"
    unit = str(measure.get("unit") or "")
    return compute_window(rows, first, first + 11, frequency, aggregation, label, unit=unit)


def compute_year_before_baseline(
    rows: pd.DataFrame, measure: Mapping[str, Any], frequency: str, aggregation: str
) -> Window | None:
    """The year before the plan's baseline year, made as the baseline's figure is.

    The baseline year's window (:func:`compute_baseline`) moved back twelve months: the
    year a "since the plan began" change is set beside, to tell whether it continues a
    change that began before the plan (:func:`~pcplib.assessment.changes.compare_figures`).
    None when the measure has no baseline year.
    """
    base = compute_baseline(rows, measure, frequency, aggregation)
    if base is None:
        return None
    year = periods.shift_year_back(str(measure["baseline_year"]).strip())
    label = year
    if aggregation == "last" and frequency != "annual":
        label = f"{month_words(month_of(base.last - 12))} ({year})"
    unit = str(measure.get("unit") or "")
    first, last = base.first - 12, base.last - 12
    return compute_window(rows, first, last, frequency, aggregation, label, unit=unit)


def find_period_start(frequency: str, end: int) -> int:
    """The first month of the reporting period that ends with month ``end``.

    The financial quarter holding ``end`` (to date when ``end`` is mid-quarter), or for
    an annual measure the latest financial year ended by then (see
    :func:`~pcplib.periods.month_number` for month numbers).
    """
    if frequency == "annual":
        return end - ((end - MARCH) % 12) - 11
    # Financial quarters start in January, April, July and October (month indices
    # divisible by 3): a period ending mid-quarter is the quarter to date.
    return end - (end % 3)


def compute_figures(rows: pd.DataFrame, measure: Mapping[str, Any], end: int) -> Figures:
    """Compute a measure's like-for-like figures for the reporting period ending ``end``.

    Parameters
    ----------
    rows : pandas.DataFrame
        The measure's observations under its current definition.
    measure : mapping
        The measure's row of ``framework/measures.csv`` (``frequency``,
        ``aggregation``, ``baseline_year``, ``unit``).
    end : int
        The last month of the reporting quarter (see :func:`month_number`).

    Returns
    -------
    Figures
        The reporting period, the same period a year earlier, the year ending and the
        12 months before it, and the baseline year.
    """
    frequency = str(measure["frequency"])
    aggregation = str(measure.get("aggregation") or "sum")
    unit = str(measure.get("unit") or "")
    if frequency == "annual":
        # An annual measure's reporting period is the latest financial year ended by then.
        year_end = end - ((end - MARCH) % 12)
        first = find_period_start(frequency, end)
        label = periods.label_financial_year(month_of(first).to_timestamp())
        current = compute_window(rows, first, year_end, frequency, aggregation, label, unit=unit)
        before = periods.shift_year_back(label)
        last_year = compute_window(
            rows, first - 12, year_end - 12, frequency, aggregation, before, unit=unit
        )
        year_ending, previous_year = current, last_year
    else:
        first = find_period_start(frequency, end)
        quarter = periods.label_quarter(month_of(end).to_timestamp())
        before = periods.shift_year_back(quarter)
        if end - first < 2:
            span = month_span(month_of(first), month_of(end))
            quarter = f"{quarter} to date ({span})"
            before = f"{before} to date ({month_span(month_of(first - 12), month_of(end - 12))})"
        current = compute_window(rows, first, end, frequency, aggregation, quarter, unit=unit)
        last_year = compute_window(
            rows, first - 12, end - 12, frequency, aggregation, before, unit=unit
        )
        last_year, current = align_windows(last_year, current, rows, frequency, aggregation, unit)
        ending = month_words(month_of(end)) if aggregation == "last" else ""
        year_ending = compute_window(
            rows, end - 11, end, frequency, aggregation,
            ending or _span_label(end - 11, end), unit=unit,
        )  # fmt: skip
        earlier = month_words(month_of(end - 12)) if aggregation == "last" else ""
        previous_year = compute_window(
            rows, end - 23, end - 12, frequency, aggregation,
            earlier or _span_label(end - 23, end - 12), unit=unit,
        )  # fmt: skip
        previous_year, year_ending = align_windows(
            previous_year, year_ending, rows, frequency, aggregation, unit
        )
        half_year_before, half_year = _compute_half_years(
            rows, first - 3, end, frequency, aggregation, unit
        )
    baseline = compute_baseline(rows, measure, frequency, aggregation)
    if frequency == "annual":
        return Figures(current, last_year, year_ending, previous_year, baseline)
    return Figures(
        current, last_year, year_ending, previous_year, baseline, half_year, half_year_before
    )


def _compute_half_years(
    rows: pd.DataFrame, first: int, end: int, frequency: str, aggregation: str, unit: str
) -> tuple[Window, Window]:
    """The months ``first`` to ``end`` and the same months a year earlier, like for like."""
    label = month_span(month_of(first), month_of(end))
    before = month_span(month_of(first - 12), month_of(end - 12))
    after_window = compute_window(rows, first, end, frequency, aggregation, label, unit=unit)
    before_window = compute_window(
        rows, first - 12, end - 12, frequency, aggregation, before, unit=unit
    )
    return align_windows(before_window, after_window, rows, frequency, aggregation, unit)
