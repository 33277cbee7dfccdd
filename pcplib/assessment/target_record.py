"""A flat target's record: which periods met it, and how often, in words that match the count.

The per-period record is a fact beside the rating (the sentence's "met in 12 of 38
months") and the evidence of the target's sign test
(:func:`~pcplib.assessment.chance.test_target_record`): which side of its target the
process lies on when a figure is within chance of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pcplib.assessment.targets import TargetForPeriod, meets_target
from pcplib.assessment.thresholds import CONSISTENT_RUN
from pcplib.labels import label_period_start

__all__ = ["describe_target_record", "list_target_record"]


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


def describe_target_record(
    regular: pd.Series,
    measure: Mapping[str, Any],
    target: TargetForPeriod,
    since: str,
    run_decides: bool = False,
) -> tuple[str, str]:
    """A flat target's record in words, and the periods a one-sided record spans.

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
        The first month counted (``YYYY-MM``; the SPC limits' start), or empty for all.
    run_decides : bool, default False
        Whether the latest run settled the assurance (a change the chart signals that
        way: :func:`~pcplib.assessment.spc_verdict.settle_assurance`); the run is then
        told as consistent.

    Returns
    -------
    tuple of (str, str)
        The record: "consistently met: every month (18 of 18) since April 2025" when
        every period since ``since`` (at least
        :data:`~pcplib.assessment.thresholds.CONSISTENT_RUN`) met it, "consistently
        missed" likewise, else "met in 1 of 26 quarters" (with "; missed in each of the
        latest 25 (since 2020/21 Q2)" for a run of
        :data:`~pcplib.assessment.thresholds.CONSISTENT_RUN` or more: a fact, not an
        assurance); and the span, the words after the colon of a one-sided record ("every
        month (18 of 18) since April 2025"), which a reader sets in its own sentence;
        empty for a mixed record. Both empty with no per-period record.
    """
    met = list_target_record(regular, measure, target, since)
    if met.empty:
        return "", ""
    values = met
    frequency = str(measure["frequency"])
    if bool(met.all()) or not bool(met.any()):
        # One-sided: every period met it, or none did. Said so, whatever the length.
        word = "met" if bool(met.all()) else "missed"
        unit = {"monthly": "month", "quarterly": "quarter", "annual": "year"}[frequency]
        n, since_words = len(met), label_period_start(met.index[0], frequency)
        lead = "consistently " if n >= CONSISTENT_RUN else ""
        span = f"every {unit} ({n} of {n}) since {since_words}"
        return f"{lead}{word}: {span}", span
    unit = {"monthly": "month", "quarterly": "quarter", "annual": "year"}[frequency]
    # A mixed record is told as a count, never as "consistently met" from its latest run:
    # a process that meets its target two periods in three makes runs of 6 or 7 by
    # chance (review 4, F12). A long latest run is still a fact worth telling, as one.
    last = bool(met.iloc[-1])
    run = next((i for i, f in enumerate(reversed(met.tolist())) if bool(f) != last), len(met))
    count = f"met in {int(met.sum())} of {len(values)} {unit}s"
    if run >= CONSISTENT_RUN:
        since_words = label_period_start(values.index[len(values) - run], frequency)
        side = "met" if last else "missed"
        if run_decides:
            span = f"every {unit} since {since_words} ({run} in a row)"
            return f"consistently {side}: {span}", span
        return f"{count}; {side} in each of the latest {run} (since {since_words})", ""
    return count, ""
