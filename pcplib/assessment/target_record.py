"""A flat target's record: which periods met it, and how often, in words that match the count.

The per-period record is a fact beside the rating (the sentence's "met in 12 of 38
months") and the evidence of the target's sign test
(:func:`~pcplib.assessment.chance.test_target_record`): which side of its target the
process lies on when a figure is within chance of it. The test counts only periods that
are independent evidence (:func:`select_independent_record`): one figure a year of a
rolling 12-month series, none of a panel's waves; and the record starts again at the
latest shift its chart signals (:func:`~pcplib.assessment.spc_assurance.date_process_change`)
and never before the latest process change the catalogue declares
(:func:`date_declared_change`), whether or not the chart could be drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from pcplib.assessment.change_chance import SHIFT_WORDS
from pcplib.assessment.evidence import is_panel
from pcplib.assessment.spc_verdict import is_rolling
from pcplib.assessment.targets import TargetForPeriod, meets_target
from pcplib.assessment.thresholds import CONSISTENT_RUN
from pcplib.data import parse_recalculation_dates
from pcplib.labels import is_missing, label_period_start, month_words
from pcplib.periods import FREQUENCY_MONTHS, month_number, month_of

__all__ = [
    "PANEL_RECORD_NOTE",
    "ROLLING_WINDOW_MONTHS",
    "RecordWords",
    "date_declared_change",
    "describe_target_record",
    "describe_untested_record",
    "list_target_record",
    "name_record_periods",
    "select_independent_record",
]

ROLLING_WINDOW_MONTHS = 12
"""The months each point of a rolling figure covers (each point the last 12 months):
points this far apart share no month, so they are the record's independent figures."""

PANEL_RECORD_NOTE = (
    "the survey asks the same panel of people each wave, so its waves are not separate "
    "evidence and do not settle it"
)
"""Why a panel survey's record is told but never tested (:func:`select_independent_record`)."""


def date_declared_change(measure: Mapping[str, Any], index: pd.Index) -> str:
    """The latest process change the catalogue declares within ``index``, as ``YYYY-MM``.

    A declared change (``spc_recalculate_from``: an uplift, a new way of working) splits
    the series into two processes whether or not the chart can set limits on either: a
    chart with no stable reference period gives no shift to restart the record at, and a
    record counted across the change would judge the new process on the old one's
    periods ("met in 15 of 75 months" for a count met every month since its uplift).
    So the record never starts before it. A change after the latest period, or before
    the first, does not split the series.

    Parameters
    ----------
    measure : mapping
        The measure's catalogue row (``spc_recalculate_from``).
    index : pandas.Index
        The periods of the series judged (period starts).

    Returns
    -------
    str
        The first month of the latest declared change within the series, or ``""`` with
        none (or an unreadable cell, which validation reports).
    """
    text = measure.get("spc_recalculate_from")
    if is_missing(text) or not str(text).strip() or len(index) == 0:
        return ""
    try:
        dates = parse_recalculation_dates(str(text))
    except ValueError:
        return ""
    first, last = pd.Timestamp(index[0]), pd.Timestamp(index[-1])
    inside = [d for d in dates if first < d <= last]
    return f"{max(inside):%Y-%m}" if inside else ""


def list_target_record(
    regular: pd.Series, measure: Mapping[str, Any], target: TargetForPeriod, since: str
) -> pd.Series:
    """Whether each period since ``since`` met a flat target (True) or missed it (False).

    Empty for a trajectory, a seasonal target judged on the year, no target or no good
    direction: they have no per-period record. See :func:`describe_target_record`.
    """
    good = str(measure["good_direction"])
    none = pd.Series(dtype=bool)
    if target.per_period is None or target.basis != "target" or target.on_year:
        return none
    if good not in ("higher", "lower"):
        return none
    values = regular.dropna()
    if since:
        values = values[values.index >= pd.Timestamp(since + "-01")]
    goal = float(target.per_period)
    return values.map(lambda value: meets_target(value, goal, good)).astype(bool)


def select_independent_record(record: pd.Series, measure: Mapping[str, Any]) -> pd.Series:
    """The periods of a target's record that are independent evidence for its sign test.

    A sign test counts each period as a separate toss
    (:func:`~pcplib.assessment.chance.test_target_record`), so it may count only figures
    that share nothing:

    - a rolling 12-month figure (:func:`~pcplib.assessment.spc_verdict.is_rolling`)
      shares 11 of its months with the point before, so only one point in
      :data:`ROLLING_WINDOW_MONTHS` counts, taken back from the latest (the 12 months
      to September 2026, to September 2025, ...): points that share no month;
    - a panel survey (:func:`~pcplib.assessment.evidence.is_panel`) asks the same
      people each wave, so however far apart its waves are they repeat one sample: no
      wave is independent evidence of where the population lies against the target, and
      the record is told as a fact only (empty);
    - any other figure: every period, as counted.

    Fewer than six periods can never reach the 5% level (six of six gives p = 0.031), so
    a thinned record that short leaves a figure within chance of its target too close to
    tell, as it should.

    Parameters
    ----------
    record : pandas.Series
        Whether each period met the target (:func:`list_target_record`).
    measure : mapping
        The measure's catalogue row (``frequency``, ``source``, ``rolling`` and the words
        that mark a rolling figure).

    Returns
    -------
    pandas.Series
        The periods the sign test may count, in order.
    """
    if record.empty:
        return record
    if is_panel(measure):
        return record.iloc[:0]
    if is_rolling(measure):
        return _thin_rolling(record)
    return record


def describe_untested_record(measure: Mapping[str, Any]) -> str:
    """Why the measure's record, though told, is no test of its target, or ``""``.

    A panel's waves are never counted as separate evidence
    (:func:`select_independent_record`), so a reader who sees "met in 1 of 24 quarters"
    beside "too close to tell" is told why the count does not settle it.
    """
    return PANEL_RECORD_NOTE if is_panel(measure) else ""


def _thin_rolling(record: pd.Series) -> pd.Series:
    """One point in :data:`ROLLING_WINDOW_MONTHS`, taken back from the latest."""
    months = np.asarray(month_number(pd.DatetimeIndex(record.index)))
    return record[(months[-1] - months) % ROLLING_WINDOW_MONTHS == 0]


def _end_of(start: Any, frequency: str) -> pd.Timestamp:
    """The first day of the last month of the period starting at ``start``."""
    last = month_number(pd.Timestamp(start)) + FREQUENCY_MONTHS[frequency] - 1
    return pd.Timestamp(month_of(last).start_time)


def _label_rolling(start: Any, frequency: str) -> str:
    """A rolling figure's point as the 12 months it covers: "the year to March 2021"."""
    return f"the year to {month_words(_end_of(start, frequency))}"


def name_record_periods(
    record: pd.Series, measure: Mapping[str, Any], shift: bool = False
) -> tuple[str, str]:
    """What a record's counted periods are called, and the words after the count.

    Parameters
    ----------
    record : pandas.Series
        The record as counted (:func:`select_independent_record`).
    measure : mapping
        The measure's catalogue row (``frequency`` and what marks a rolling figure).
    shift : bool, default False
        Whether the record starts at the latest shift its chart signals.

    Returns
    -------
    tuple of (str, str)
        The unit ("year" for a rolling figure counted once a year; empty for the
        frequency's own) and the words after "met in 0 of 6 years": " to March" (the
        month each counted rolling year ends), " since the shift in February 2025", or
        empty.
    """
    if record.empty:
        return "", ""
    frequency = str(measure["frequency"])
    if shift:
        return "", f"{SHIFT_WORDS}{label_period_start(record.index[0], frequency)}"
    if is_rolling(measure):
        return "year", f" to {month_words(_end_of(record.index[-1], frequency)).split()[0]}"
    return "", ""


class RecordWords(NamedTuple):
    """A target's record in words (:func:`describe_target_record`).

    Attributes
    ----------
    text : str
        The record as the reports print it: "consistently met: every month (18 of 18)
        since April 2025", "met in 1 of 26 quarters"; empty with no per-period record.
    span : str
        For a record told as one-sided (every period, or a latest run the chart settled),
        the periods it spans, the words after the colon ("every month (18 of 18) since
        April 2025"), which a reader sets in its own sentence; empty otherwise.
    side : str
        That record's side, ``met`` or ``missed``; empty when ``span`` is.
    """

    text: str
    span: str = ""
    side: str = ""


def describe_target_record(
    regular: pd.Series,
    measure: Mapping[str, Any],
    target: TargetForPeriod,
    since: str,
    run_decides: bool = False,
    shift: bool = False,
) -> RecordWords:
    """A flat target's record in words, and the periods and side of a one-sided one.

    Parameters
    ----------
    regular : pandas.Series
        The measure's values on a regular calendar (gaps NaN).
    measure : mapping
        Its catalogue row (``frequency``, ``good_direction``).
    target : TargetForPeriod
        The target (a trajectory or a seasonal target judged on the year has no
        per-period record: empty string).
    since : str
        The first month counted (``YYYY-MM``; the SPC limits' start, or the latest
        shift), or empty for all.
    run_decides : bool, default False
        Whether the latest run settled the assurance (a change the chart signals that
        way: :func:`~pcplib.assessment.spc_assurance.settle_assurance`); the run is then
        told as consistent.
    shift : bool, default False
        Whether ``since`` is the start of the latest shift the chart signals
        (:func:`~pcplib.assessment.spc_assurance.date_process_change`): the record is then
        told from it, "met in 9 of 20 months since the shift in February 2025".

    Returns
    -------
    RecordWords
        The record (``text``): "consistently met: every month (18 of 18) since April 2025" when
        every period since ``since`` (at least
        :data:`~pcplib.assessment.thresholds.CONSISTENT_RUN`) met it, "consistently
        missed" likewise, else "met in 1 of 26 quarters" (with "; missed in each of the
        latest 25 (since 2020/21 Q2)" for a run of
        :data:`~pcplib.assessment.thresholds.CONSISTENT_RUN` or more: a fact, not an
        assurance); and a one-sided record's ``span`` and ``side``. All empty with no
        per-period record. A rolling
        12-month figure is counted on its points that share no month
        (:func:`select_independent_record`), as years: "consistently missed: every year
        (6 of 6) since the year to March 2021", "met in 1 of 7 years to September".
    """
    met = list_target_record(regular, measure, target, since)
    if met.empty:
        return RecordWords("")
    frequency = str(measure["frequency"])
    unit = {"monthly": "month", "quarterly": "quarter", "annual": "year"}[frequency]
    label = label_period_start
    if is_rolling(measure):
        # Overlapping points would count each year's responses up to 12 times: the record
        # is of the figures that share no month, one a year (review 10, R10-6).
        met = _thin_rolling(met)
        label = _label_rolling
    named, counted = name_record_periods(met, measure, shift)
    unit = named or unit
    values = met
    if bool(met.all()) or not bool(met.any()):
        # One-sided: every period met it, or none did. Said so, whatever the length.
        word = "met" if bool(met.all()) else "missed"
        n, since_words = len(met), label(met.index[0], frequency)
        if shift:
            since_words = f"the shift in {since_words}"
        lead = "consistently " if n >= CONSISTENT_RUN else ""
        span = f"every {unit} ({n} of {n}) since {since_words}"
        return RecordWords(f"{lead}{word}: {span}", span, word)
    # A mixed record is told as a count, never as "consistently met" from its latest run:
    # a process that meets its target two periods in three makes runs of 6 or 7 by
    # chance (review 4, F12). A long latest run is still a fact worth telling, as one.
    last = bool(met.iloc[-1])
    run = next((i for i, f in enumerate(reversed(met.tolist())) if bool(f) != last), len(met))
    count = f"met in {int(met.sum())} of {len(values)} {unit}s{counted}"
    if run >= CONSISTENT_RUN:
        since_words = label(values.index[len(values) - run], frequency)
        side = "met" if last else "missed"
        if run_decides:
            span = f"every {unit} since {since_words} ({run} in a row)"
            return RecordWords(f"consistently {side}: {span}", span, side)
        return RecordWords(f"{count}; {side} in each of the latest {run} (since {since_words})")
    return RecordWords(count)
