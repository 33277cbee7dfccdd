"""Whether a figure is within chance of its target, and what the target's record shows.

A threshold rating on one quarter of a process that meets its target in some periods
and misses it in others turns chance into "target met" one quarter and "missed" the
next (review 4, F2 and F9: 43 positive outcomes in 420 against a trajectory of 8.7%;
84 people killed or seriously injured against 90; 361 hours against 360). Surveys had
an allowance for their sampling error; this module gives every measure the same one, in
the way its figures vary:

- **a proportion with its numerator and denominator**: the binomial standard error of
  the period's share, widened by Laney's phi, the series' own variation over the
  binomial's (Laney 2002; Spiegelhalter 2005, "Handling over-dispersion of performance
  indicators"); a survey keeps its printed margin of error (Wilson);
- **a count of events**: the Poisson standard error of the period's total, widened by
  the series' dispersion (quasi-Poisson; McCullagh and Nelder 1989); a rate with its
  numerator likewise, on the numerator;
- **a level** (hours, days, a share without its numerators): the series'
  common-cause variation, the XmR chart's sigma (mean moving range / 1.128: Wheeler,
  *Understanding Variation*), for the period's figure (a quarter's mean of three months
  has a third of the variance of a month).

The figure is *within chance of its target* when it lies within
:data:`~pcplib.assessment.thresholds.CONFIDENCE` (95%) of that error of the target. One
rule then decides, for every report (:func:`~pcplib.assessment.targets.rate_measure`):

- on the **right side** of the target, it is **met, but close**: Green, "meets its
  target, though by less than the usual ups and downs", never "needs attention"
  (84 people killed or seriously injured against at most 90 had been listed as
  needing attention), unless the
  process (below) lies on the wrong side: then it is Amber, met this period by chance;
- on the **wrong side**, it is **too close to say**: Amber, neither shown to be met nor
  missed, unless the process lies on that side too: then the threshold rating stands.

The process is the SPC assurance (limits wholly on one side of the target, *Making Data
Count*) or the target's record (met, or missed, in more periods than chance allows: a
two-sided sign test against a process sitting on the target).

An **administrative** measure (:func:`is_administrative`: opening hours, officers in
post, money in the ledger) gets no allowance: its figure is what the organisation set
or booked, counted in full, so it meets or misses its target exactly. Exact is not
steady, though: one that meets its target while its record's sign test shows it missed
more often than chance would give is met, but not reliably (Amber:
:func:`~pcplib.assessment.targets.rate_measure`, review 10, R10-4).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pcplib.assessment.evidence import (
    estimate_dispersion,
    estimate_laney_phi,
    estimate_margin,
    estimate_noise,
    is_administrative,
    is_census_share,
    is_panel,
    scale_window_error,
)
from pcplib.assessment.figures import Window
from pcplib.assessment.thresholds import CONFIDENCE, SIGNIFICANCE
from pcplib.labels import is_missing
from pcplib.stats import format_p_value

__all__ = [
    "TargetChance",
    "count_target_record",
    "describe_settled_miss",
    "estimate_survey_margin",
    "estimate_target_chance",
    "is_administrative",
    "is_survey",
    "judge_process_side",
    "test_target_record",
]


@dataclass(frozen=True)
class TargetChance:
    """How far from its target a figure may lie by chance alone.

    Attributes
    ----------
    half_width : float
        The 95% allowance, in the unit of the figure (percentage points for a share).
    basis : str
        How it was sized, for the reason ("binomial, widened by the series' own
        variation, phi 1.7"), with no brackets (the reason closes in one).
    survey : bool
        Whether it is a survey's margin of error (its reports already print it).
    """

    half_width: float
    basis: str
    survey: bool = False


def is_survey(measure: Mapping[str, Any]) -> bool:
    """Whether a measure is a survey percentage (its source says so)."""
    return (
        str(measure.get("unit")) == "percent"
        and "survey" in str(measure.get("source") or "").lower()
    )


def estimate_survey_margin(window: Window, measure: Mapping[str, Any]) -> float | None:
    """A survey percentage's 95% margin of error; None for a count, a census or an audit."""
    if not is_survey(measure):
        return None
    return estimate_margin(window.numerator, window.denominator)


def _z() -> float:
    from scipy import stats

    return float(stats.norm.ppf(0.5 + CONFIDENCE / 2))


def estimate_target_chance(
    window: Window, history: pd.DataFrame, measure: Mapping[str, Any]
) -> TargetChance | None:
    """The allowance within which a window's figure is within chance of a target.

    Parameters
    ----------
    window : Window
        The figure judged against the target (the quarter, or the year ending).
    history : pandas.DataFrame
        The measure's regular history (``value``, ``numerator``, ``denominator``), whose
        own variation widens the allowance.
    measure : mapping
        The catalogue row (``unit``, ``aggregation``, ``source``).

    Returns
    -------
    TargetChance or None
        None when the figure is missing, the series too short to size its noise, or the
        measure administrative (:func:`is_administrative`: it meets a target exactly).
    """
    if window.value is None or is_administrative(measure):
        return None
    unit = str(measure.get("unit"))
    aggregation = str(measure.get("aggregation") or "sum")
    z = _z()
    if is_survey(measure):
        margin = estimate_margin(window.numerator, window.denominator)
        return (
            None if margin is None else TargetChance(margin, "the survey's margin of error", True)
        )
    has_n = window.numerator is not None and bool(window.denominator)
    if unit == "percent" and has_n and not is_census_share(measure):
        x, n = float(window.numerator), float(window.denominator)  # type: ignore[arg-type]
        if is_panel(measure):
            n = n / max(1, window.present)  # a panel's waves ask the same people
        share = x / float(window.denominator)  # type: ignore[arg-type]
        phi = estimate_laney_phi(
            history["numerator"].to_numpy(dtype=float), history["denominator"].to_numpy(dtype=float)
        )
        half = 100 * z * math.sqrt(phi * share * (1 - share) / n)
        return TargetChance(half, f"binomial, widened by the series' own variation, phi {phi:.1f}")
    values = history["value"].to_numpy(dtype=float)
    whole = bool(np.all(np.isnan(values) | (np.abs(values - np.round(values)) < 1e-9)))
    if unit == "count" and aggregation == "sum" and whole and window.value >= 0:
        dispersion = estimate_dispersion(values)
        half = z * math.sqrt(dispersion * max(float(window.value), 1.0))
        return TargetChance(
            half, f"Poisson, widened by the series' own variation, dispersion {dispersion:.1f}"
        )
    if unit == "rate_per_1000" and has_n and window.numerator:
        numerators = history["numerator"].to_numpy(dtype=float)
        dispersion = estimate_dispersion(numerators)
        share = math.sqrt(dispersion / float(window.numerator))  # relative error of the count
        return TargetChance(
            z * share * float(window.value),
            "Poisson on the numerator, widened by the series' own variation, "
            f"dispersion {dispersion:.1f}",
        )
    sigma = estimate_noise(values)
    if sigma is None:
        return None
    half = z * scale_window_error(sigma, window, aggregation)
    return TargetChance(half, "the series' common-cause variation, from its mean moving range")


def test_target_record(record: pd.Series) -> tuple[str, float]:
    """Which side of the target the record shows the process on, beyond chance.

    A two-sided sign test: were the process sitting on its target, each period would be
    as likely to meet it as to miss it, so a record met (or missed) in more periods than
    a fair coin gives at the 5% level (:data:`~pcplib.assessment.thresholds.SIGNIFICANCE`)
    shows which side the process lies on (Conover, *Practical Nonparametric Statistics*,
    the sign test).

    Parameters
    ----------
    record : pandas.Series
        Whether each period met the target
        (:func:`~pcplib.assessment.target_record.list_target_record`).

    Returns
    -------
    tuple of (str, float)
        ``"met"``, ``"missed"`` or ``""`` (no side shown), and the p-value (1 when empty).
    """
    if record.empty:
        return "", 1.0
    from scipy import stats

    met, n = int(record.sum()), len(record)
    p_value = float(stats.binomtest(met, n, 0.5).pvalue)
    if p_value >= SIGNIFICANCE:
        return "", p_value
    return ("met" if 2 * met > n else "missed"), p_value


_UNIT_WORDS = {"monthly": "month", "quarterly": "quarter", "annual": "year"}


def count_target_record(
    record: pd.Series, frequency: str, *, unit: str = "", since: str = ""
) -> str:
    """How many of a target's record of periods met it, in words: ``"2 of 26 quarters"``.

    Parameters
    ----------
    record : pandas.Series
        Whether each period met the target, as the sign test counts it
        (:func:`~pcplib.assessment.target_record.select_independent_record`).
    frequency : str
        The measure's frequency, for the words.
    unit : str, optional
        What each counted period is called, when not the frequency's ("year" for a
        rolling figure counted once a year).
    since : str, optional
        Words after the count (" since the shift in February 2025", " to March":
        :func:`~pcplib.assessment.target_record.name_record_periods`).

    Returns
    -------
    str
        The count the sign test reads (:func:`judge_process_side`); empty with no record.
    """
    if record.empty:
        return ""
    unit = unit or _UNIT_WORDS.get(frequency, "period")
    return f"{int(record.sum())} of {len(record)} {unit}s{since}"


def judge_process_side(
    assurance: str | None,
    basis: str,
    record: pd.Series,
    frequency: str,
    *,
    unit: str = "",
    since: str = "",
) -> tuple[str, str]:
    """Which side of its target the process lies on, and why, or ``("", "")``.

    The SPC assurance decides first (*Making Data Count*: limits wholly on one side of
    the target, or a record one-sided since the limits were set,
    :func:`~pcplib.assessment.spc_assurance.settle_assurance`); otherwise the record's
    sign test (:func:`test_target_record`).

    Parameters
    ----------
    assurance : str or None
        The SPC assurance code (``consistent_pass``, ``consistent_fail``,
        ``inconsistent``).
    basis : {"limits", "record"}
        What decided it.
    record : pandas.Series
        Whether each period since the limits' start (or the latest shift) met the
        target, as many as are independent evidence
        (:func:`~pcplib.assessment.target_record.select_independent_record`): empty for
        a panel survey, so neither its record nor an assurance its record settled
        decides.
    frequency : str
        The measure's frequency, for the words.
    unit : str, optional
        What each counted period is called, when not the frequency's ("year" for a
        rolling figure counted once a year).
    since : str, optional
        Words that say where the count starts (" since the shift in February 2025").

    Returns
    -------
    tuple of (str, str)
        ``"met"`` or ``"missed"`` and the words for the reason, or two empty strings.
    """
    unit = unit or _UNIT_WORDS.get(frequency, "period")
    if basis == "record" and record.empty:
        # An assurance the record settled is the record's evidence: none where the
        # record is not independent evidence (a panel's waves).
        assurance = None
    if assurance in ("consistent_pass", "consistent_fail"):
        side = "met" if assurance == "consistent_pass" else "missed"
        if basis == "record":
            start = since or " since its chart's limits were set"
            why = f"it was {side} in every {unit}{start}"
        else:
            place = "right" if side == "met" else "wrong"
            why = f"its chart's process limits lie wholly on the {place} side of it"
        return side, why
    side, p_value = test_target_record(record)
    if not side:
        return "", ""
    shown = format_p_value(p_value)
    return side, (
        f"it was met in {count_target_record(record, frequency, unit=unit, since=since)}, "
        f"{'more' if side == 'met' else 'less'} often than a process sitting on the target "
        f"would: sign test, {shown}"
    )


def describe_within_target(row: Mapping[str, Any]) -> tuple[str, str]:
    """The words for a figure within chance of its target, from its verdict row.

    Parameters
    ----------
    row : mapping
        A measure's verdict (``target_within_margin``, ``margin_of_error``,
        ``target_compared`` or ``current``, ``target_for_period``, ``good_direction``).

    Returns
    -------
    tuple of (str, str)
        What it is within ("the margin of error of", "chance of") and what it
        is not shown to be ("not shown to be missed" short of the target, "not shown to be
        met" on its right side while the process lies on the wrong one).
    """
    margin = row.get("margin_of_error")
    survey = margin is not None and margin == margin
    compared = row.get("target_compared")
    if compared is None or compared != compared:
        compared = row.get("current")
    goal, good = row.get("target_for_period"), str(row.get("good_direction"))
    short = False
    if compared is not None and goal is not None and compared == compared and goal == goal:
        short = compared < goal if good == "higher" else compared > goal
    if survey:
        shown = "not shown to be missed" if short else "not shown to be met"
        return "the margin of error of", shown
    # On the right side, a figure is too close to say only when its process lies on the
    # wrong side (a figure met but close is met: ``rag_close``), so it is not shown met.
    return "chance of", "not shown to be missed" if short else "not shown to be met"


_EVERY_MISSED = re.compile(
    r"missed: every (?P<unit>\w+)(?: \(\d+ of \d+\))? since (?P<since>[^(]+)"
)
_MET_COUNT = re.compile(r"met in (?P<met>\d+) of (?P<n>\d+ \w+)")


def describe_settled_miss(
    row: Mapping[str, Any], *, plain: bool = True, short: bool = False
) -> str:
    """Why a figure within chance of its target is counted as missed, or ``""``.

    A figure short of its target by less than chance allows is counted as missed when
    its process lies on that side (``rag_settled``,
    :func:`~pcplib.assessment.targets.rate_measure`): its record, or its chart's limits.
    Every report says so in the same words, so no reader takes the miss for the quarter's
    alone, nor the "hit and miss" of the limits for chance (review 9, R9-9).

    Parameters
    ----------
    row : mapping
        A measure's verdict: ``rag_settled``, ``rag``, ``rag_capped``,
        ``target_record``, ``target_process_reason``, ``margin_of_error`` and
        ``rag_basis``.
    plain : bool, default True
        Residents' words ("the usual ups and downs"); False for the Board's ("chance of
        it", with the allowance).
    short : bool, default False
        With ``plain`` False, the fewest words, for a table cell beside "missed by 1.3%":
        "within chance, but met in 6 of 38 months".

    Returns
    -------
    str
        "within the usual ups and downs this quarter, but met in only 6 of 38 months, so
        counted as missed"; "" for any other rating.
    """
    settled = row.get("rag_settled")
    if is_missing(settled) or settled == "" or str(row.get("rag")) not in ("Amber", "Red"):
        return ""
    if str(row.get("rag_capped")).strip().lower() in ("true", "1"):
        return ""  # met, and capped: not a miss
    record = str(row.get("target_record") or "")
    reason = str(row.get("target_process_reason") or "")
    every, count = _EVERY_MISSED.search(record), _MET_COUNT.match(record)
    if reason.startswith("its chart's process limits"):
        why = "its usual ups and downs lie wholly on the wrong side of it"
        if not plain:
            why = "its chart's process limits lie wholly on the wrong side of it"
    elif every is not None:
        why = f"missed in every {every['unit']} since {every['since'].strip()}"
    elif count is not None:
        why = f"met in {'' if short else 'only '}{count['met']} of {count['n']}"
    else:
        why = "its record shows it misses it more often than chance would"
    survey = not is_missing(row.get("margin_of_error"))
    missed = "behind" if str(row.get("rag_basis")) == "trajectory" else "missed"
    if short and not plain:
        # Beside "missed by 1.3%", which already says how it is counted.
        within = "its margin of error" if survey else "chance"
        return f"within {within}, but {why}"
    if plain:
        within = "the survey's margin of error" if survey else "the usual ups and downs"
    else:
        points = " points" if str(row.get("unit")) == "percent" else ""
        lead = "the survey's margin of error of it" if survey else "chance of it"
        within = f"{lead} (+/- {float(str(settled)):.3g}{points})"
    return f"within {within} this quarter, but {why}, so counted as {missed}"
