"""The three like-for-like changes of a measure and the evidence for each.

The quarter on the same quarter a year earlier, the year ending on the 12 months before,
and the year ending on the plan's baseline year (:mod:`pcplib.assessment.figures` makes
the windows): each change is measured (:func:`judge_like_for_like`), weighed by its test
of change (:func:`~pcplib.assessment.evidence.weigh_change`) and judged only as far as
that evidence goes (:func:`judge_on_evidence`). :func:`weigh_worsening` and
:func:`weigh_improvement` read the three for the rating
(:func:`~pcplib.assessment.targets.rate_measure`); every measure's row is put together
in :mod:`pcplib.assessment.measures`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pcplib import metrics
from pcplib.assessment import vocabulary
from pcplib.assessment.evidence import Evidence, is_administrative, is_year_to_date, weigh_change
from pcplib.assessment.figures import (
    Figures,
    Window,
    aggregation_of,
    compare_baseline,
    compute_year_before_baseline,
)
from pcplib.assessment.vocabulary import NO_EVIDENCE, judge_with_grade
from pcplib.labels import is_missing
from pcplib.periods import month_number

__all__ = [
    "EXACT_TESTS",
    "HALF_YEAR",
    "Changes",
    "compare_figures",
    "counts_outcomes",
    "holds_open_outcomes",
    "is_signed",
    "judge_like_for_like",
    "judge_on_evidence",
    "name_continued_change",
    "weigh_improvement",
    "weigh_worsening",
]

HALF_YEAR = "the two latest quarters on the same two a year earlier"
"""The comparison that finds a deterioration lasting two quarters (:func:`weigh_worsening`)."""

EXACT_TESTS = (
    "exact Poisson", "quasi-Poisson", "two proportions", "Laney proportions", "quasi-binomial",
)  # fmt: skip
"""The tests of counts and proportions (:mod:`pcplib.assessment.evidence`), whose
variation comes from the counts themselves, not from the series' point-to-point noise."""


def judge_like_for_like(
    before: float | None, current: float | None, unit: str, good: str, signed: bool = False
) -> metrics.Change:
    """The change from ``before`` to ``current`` with a judgement that reads as shown.

    A measure with no good direction is judged ``"no good direction"`` (its change is
    still measured), and a change that shows as zero at the precision printed
    (``0.0%``) is ``"no change"``, so a row never says "0.0%, improved".

    Parameters
    ----------
    before, current : float or None
        The comparison figure and the reporting period's figure.
    unit : str
        The measure's unit (percentages change in percentage points).
    good : {"higher", "lower", "neutral"}
        The measure's good direction.
    signed : bool, default False
        Whether the measure can be negative (a variance: an overspend or an underspend).
        Its change is then the difference in its unit (money), never a percentage: a
        variance "up 106%" from one small figure to another says nothing a reader can use.

    Returns
    -------
    pcplib.metrics.Change
        With ``judgement`` one of :data:`~pcplib.assessment.measures.JUDGEMENTS`.
    """
    change = metrics.summarise_change(before, current, unit, good)
    judgement = change.judgement
    shown_zero = change.text.lstrip("+-") in ("0.0%", "0.0 pp")
    if change.direction in ("up", "down") and shown_zero:
        judgement = "no change"
        change = metrics.Change(
            change.baseline, change.current, change.pct, change.pp, "no change",
            metrics.arrow("no change"), judgement, change.text,
        )  # fmt: skip
    elif good == "neutral" and change.direction in ("up", "down"):
        judgement = "no good direction"
    change = metrics.Change(
        change.baseline, change.current, change.pct, change.pp, change.direction,
        change.arrow, judgement, change.text,
    )  # fmt: skip
    if (
        unit != "percent"
        and before is not None
        and current is not None
        and (before <= 0 or current < 0 or signed)
    ):
        # A percentage change from zero or across it (a variance moving from an overspend
        # to an underspend) means nothing; the difference in the unit says what happened.
        return metrics.tell_as_difference(change, current - before, unit)
    return change


def is_signed(history: pd.DataFrame) -> bool:
    """Whether a measure's series goes below zero (a variance, a balance): see ``signed``."""
    values = history["value"] if "value" in history.columns else pd.Series(dtype=float)
    return bool((values.dropna() < 0).any())


def counts_outcomes(measure: Mapping[str, Any]) -> bool:
    """Whether a measure is a share of each month's crimes by their outcome so far.

    One counted from police.uk (``police_uk_outcomes``): each month's crimes by the
    outcome they have had by the download, so its latest months' outcomes are still
    open and can only settle into more of them, and a shortfall or a fall there may be
    the lag. A share of outcomes assigned in a month (the Home Office's outcomes
    statistics, a force's own returns) is not: its provisional months may be revised
    either way, and are told as provisional like any other figure's. Treating those as
    open would leave such a target never judged in its own quarter, whose months are
    always provisional when it is reported (review 10, R10-3).

    Parameters
    ----------
    measure : Mapping
        A catalogue row.

    Returns
    -------
    bool
        True for an outcome share.
    """
    mapped = measure.get("police_uk_outcomes")
    return not is_missing(mapped) and bool(str(mapped or "").strip())


def holds_open_outcomes(window: Window, current: pd.DataFrame) -> bool:
    """Whether a window holds months whose outcomes are still open (status provisional).

    ``current`` is the measure's current-definition rows up to the reporting period.
    """
    provisional = current[current["status"] == "provisional"]
    starts = month_number(pd.DatetimeIndex(provisional["period_start"]))
    return bool(((starts >= window.first) & (starts <= window.last)).any())


@dataclass(frozen=True)
class Changes:
    """The three like-for-like changes of a measure, each with its evidence.

    ``half`` and ``half_evidence``: the two latest quarters on the same two a year
    earlier (:data:`HALF_YEAR`), None where a measure has none (annual, a stock, a figure
    counted in full); read only by :func:`weigh_worsening`.
    """

    quarter: metrics.Change
    quarter_evidence: Evidence
    year: metrics.Change
    year_evidence: Evidence
    since: metrics.Change
    since_evidence: Evidence
    baseline_unlike: str = ""  # why the baseline is not compared (compare_baseline)
    half: metrics.Change | None = None
    half_evidence: Evidence | None = None
    # The plan's baseline year on the year before it: whether the change since the plan
    # began continues one that began before it (name_continued_change).
    before_plan: metrics.Change | None = None
    before_plan_evidence: Evidence = Evidence("not tested", reason="no year before the baseline")


def _weigh(
    before: Window | None,
    after: Window,
    history: pd.DataFrame,
    current: pd.DataFrame,
    measure: Mapping[str, Any],
) -> tuple[metrics.Change, Evidence]:
    unit, good = str(measure["unit"]), str(measure["good_direction"])
    value = before.value if before is not None else None
    change = judge_like_for_like(value, after.value, unit, good, is_signed(history))
    change = metrics.convert_scale_change(change, measure)  # a 1-5 grade moves in points
    if before is None:
        return change, Evidence("not tested", reason="no baseline")
    evidence = weigh_change(before, after, history, measure)
    if evidence.small_numbers:
        change = metrics.count_small_change(change, unit)
    if (
        counts_outcomes(measure)
        and change.direction == "down"
        and holds_open_outcomes(after, current)
    ):
        # Never judge a fall that the lag of outcomes can explain (docs/methodology.md).
        evidence = Evidence(
            "open outcomes",
            evidence.test,
            evidence.p_value,
            reason="the window's latest outcomes are still open (provisional)",
        )
        change = metrics.Change(
            change.baseline, change.current, change.pct, change.pp, change.direction,
            change.arrow, NO_EVIDENCE, change.text,
        )  # fmt: skip
        return change, evidence
    return judge_on_evidence(change, evidence), evidence


def compare_figures(
    figures: Figures, history: pd.DataFrame, current: pd.DataFrame, measure: Mapping[str, Any]
) -> Changes:
    """The quarter on a year earlier, the year ending on the year before, and since the baseline.

    ``history`` is the measure's regular history (``value``, ``numerator``,
    ``denominator``) that sizes the tests' noise; ``current`` its current-definition rows
    up to the reporting period (their ``status`` says which outcomes are still open).
    """
    quarter, quarter_ev = _weigh(figures.last_year, figures.current, history, current, measure)
    year, year_ev = _weigh(figures.previous_year, figures.year_ending, history, current, measure)
    # The baseline year and the year ending holding different months (an average of some
    # months against others, a year to date at another month) are not like for like: no
    # change, and no baseline figure for a report to print (compare_baseline).
    baseline, unlike = compare_baseline(
        figures.baseline, figures.year_ending, aggregation_of(measure), is_year_to_date(measure)
    )
    since, since_ev = _weigh(baseline, figures.year_ending, history, current, measure)
    half, half_ev = None, None
    if (
        figures.half_year is not None
        and figures.half_year_before is not None
        and aggregation_of(measure) in ("sum", "mean")
        and not is_administrative(measure)
    ):
        # A stock's two quarters end where its quarter does, and a figure counted in full
        # has no chance to rule out: only tested totals and averages have a half year.
        half, half_ev = _weigh(
            figures.half_year_before, figures.half_year, history, current, measure
        )
    before_plan, before_ev = weigh_year_before_plan(figures.baseline, history, current, measure)
    return Changes(
        quarter, quarter_ev, year, year_ev, since, since_ev, unlike, half, half_ev,
        before_plan=before_plan, before_plan_evidence=before_ev,
    )  # fmt: skip


def weigh_year_before_plan(
    baseline: Window | None,
    history: pd.DataFrame,
    current: pd.DataFrame,
    measure: Mapping[str, Any],
) -> tuple[metrics.Change | None, Evidence]:
    """The plan's baseline year on the year before it, weighed as every change is.

    The same like-for-like change and test of change as the latest 12 months against
    the baseline year (:func:`~pcplib.assessment.evidence.weigh_change`: counts, rates
    and proportions on their own tests, levels on the series' noise, net of season for
    a seasonal measure, as both windows are whole years), so a change that was already
    under way in the year before the plan is told by the rule that tells one since
    (:func:`name_continued_change`). ``(None, not tested)`` with no baseline year.
    """
    if baseline is None:
        return None, Evidence("not tested", reason="no baseline year")
    frequency, aggregation = str(measure["frequency"]), aggregation_of(measure)
    before = compute_year_before_baseline(current, measure, frequency, aggregation)
    if before is None:
        return None, Evidence("not tested", reason="no baseline year")
    # Like for like as the change since the baseline is: an average over other months,
    # or a year to date at another month, is not compared (compare_baseline).
    before, unlike = compare_baseline(before, baseline, aggregation, is_year_to_date(measure))
    if unlike:
        return None, Evidence("not tested", reason=unlike)
    return _weigh(before, baseline, history, current, measure)


def name_continued_change(
    since: metrics.Change,
    since_evidence: Evidence,
    before: metrics.Change | None,
    before_evidence: Evidence,
) -> str:
    """Whether a change since the plan began continues one that began before it.

    "fall" or "rise" when the change since the plan's baseline year (``since``) is a
    real improvement or worsening and the baseline year was already a real change the
    same way on the year before it (``before``, :func:`weigh_year_before_plan`); ``""``
    otherwise. A before-and-after comparison cannot tell the plan's effect from a
    change already under way (HM Treasury, *Magenta Book*, 2020), so every place that
    gives the verdict since the plan began says so from this one flag
    (:func:`~pcplib.assessment.vocabulary.say_continued_change`).
    """
    if before is None or since.judgement not in ("improved", "deteriorated"):
        return ""
    if not (since_evidence.real and before_evidence.real):
        return ""
    if before.judgement != since.judgement or before.direction != since.direction:
        return ""
    return {"down": "fall", "up": "rise"}.get(str(since.direction), "")


def judge_on_evidence(change: metrics.Change, evidence: Evidence) -> metrics.Change:
    """Keep "improved" or "deteriorated" only for a change the evidence supports.

    A possible change (p < 0.10, not 0.05) is "possibly improved/deteriorated"; within
    noise, below materiality or small numbers, "no evidence of change" (the arrow still
    says which way it moved): the three grades of :mod:`pcplib.assessment.vocabulary`.
    """
    if change.judgement not in ("improved", "deteriorated", "no good direction"):
        return change
    if evidence.real or evidence.verdict == "not tested":
        return change
    grade = "possible change" if evidence.verdict == "possible change" else NO_EVIDENCE
    return metrics.Change(
        change.baseline, change.current, change.pct, change.pp, change.direction,
        change.arrow, judge_with_grade(change.judgement, grade), change.text,
    )  # fmt: skip


def weigh_worsening(changes: Changes, good: str) -> tuple[str, str]:
    """Whether the tests show a real or possible deterioration, and which test says so.

    The quarter on a year earlier, the year ending on the year before and the year ending
    on the baseline year are each weighed, in that order. Where none finds a real or
    possible deterioration, a quarter that moved the wrong way is possibly worse when the
    two latest quarters together moved the wrong way beyond chance (:data:`HALF_YEAR`).

    Parameters
    ----------
    changes : Changes
        The measure's changes and their evidence (:func:`compare_figures`).
    good : {"higher", "lower", "neutral"}
        The measure's good direction.

    Returns
    -------
    tuple of (str, str)
        ``"real"``, ``"possible"`` or ``"none"``, and the comparison and its test
        (``"<comparison>: <test>"``), empty for none.
    """
    if good not in ("higher", "lower"):
        return "none", ""
    worse = "down" if good == "higher" else "up"
    pairs = (
        (
            "the quarter on the same quarter a year earlier",
            changes.quarter,
            changes.quarter_evidence,
        ),
        ("the year ending on the year before", changes.year, changes.year_evidence),
        # The change since the baseline is the one the row shows ("deteriorated"): a harm
        # that rose beyond chance on it is a real deterioration, never Green.
        ("the year ending on the baseline year", changes.since, changes.since_evidence),
    )
    for label, change, evidence in pairs:
        if change.direction == worse and evidence.real:
            return "real", f"{label}: {evidence.reason}"
    for label, change, evidence in pairs:
        if change.direction == worse and evidence.verdict == "possible change":
            return "possible", f"{label}: {evidence.reason}"
    if (
        changes.quarter.direction == worse
        and changes.half is not None
        and changes.half_evidence is not None
        and changes.half.direction == worse
        and (changes.half_evidence.real or changes.half_evidence.verdict == "possible change")
    ):
        # One quarter's test is weak: a rise beyond chance last quarter followed by a
        # smaller one this quarter would otherwise read "no deterioration" (Red to Green)
        # while the two quarters together are up by more than chance may explain. A fourth,
        # overlapping test may only make a deterioration possible (Amber), never real, so
        # the false alarms of a Red stay where the three tests set them (docs/methodology.md).
        grade = (
            "beyond chance over the two quarters, within chance in the latest alone"
            if changes.half_evidence.real
            else "weak evidence"
        )
        return "possible", f"{HALF_YEAR}: {changes.half_evidence.reason}; {grade}"
    return "none", ""


def weigh_improvement(changes: Changes, good: str) -> str:
    """The first test of counts or proportions showing a real change for the better.

    Weighed in the order of :func:`weigh_worsening`; empty when none does. Only the tests
    of counts and proportions count (:data:`EXACT_TESTS`): a level test sizes its noise
    from the series' own point-to-point variation, which a series that is not in control
    (the reason SPC gave no verdict) cannot vouch for; nor a quarter the 12 months belie (F16).
    """
    if good not in ("higher", "lower"):
        return ""
    better = "up" if good == "higher" else "down"
    pairs = (
        ("the quarter on the same quarter a year earlier", changes.quarter,
         changes.quarter_evidence),
        ("the year ending on the year before", changes.year, changes.year_evidence),
        ("the year ending on the baseline year", changes.since, changes.since_evidence),
    )  # fmt: skip
    for label, change, evidence in pairs[0 if vocabulary.is_quarter_borne_out(changes) else 1 :]:
        if change.direction == better and evidence.real and evidence.test in EXACT_TESTS:
            return f"{label} improved beyond chance ({evidence.reason})"
    return ""
