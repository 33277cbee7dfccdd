"""Targets, trajectories and the RAG rating of a measure.

A target may carry a date (``target_date`` in ``framework/measures.csv``, ``YYYY-MM``):
"10% by March 2029". Before that date the measure is judged against a straight-line
trajectory from its baseline-year figure (at the end of the baseline year) to the
target (at the target date), the practice of trajectories in NHS operational planning
and of the Home Office's police uplift tracking; the table shows the value expected for
the period. A target with no date, or whose date has passed, applies now, and so does a
dated target the baseline already meets (a line towards it would be stricter than the
target).

The rating of a measure, with its basis (``rag_basis``):

- ``target`` or ``trajectory``: Green when met, Amber when missed by up to
  :data:`~pcplib.assessment.thresholds.RAG_TOLERANCE` of the target, Red beyond; a
  special-cause concern caps a Green at Amber, since a real deterioration is under way
  even while the target is met;
- ``spc``, for a measure with a good direction but no target: a special-cause concern
  is Red (Amber when the measure is better than a year earlier: recovering from a real
  deterioration), a special-cause improvement or common-cause variation Green (no
  evidence of deterioration), so an untargeted harm that really rises cannot sit in a
  Green strategy; with no figure for the period a special-cause concern is still Red;
- ``none``: Grey, for no data, no good direction, or a series SPC cannot yet judge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pcplib import rag
from pcplib.assessment.figures import FREQUENCY_MONTHS, Figures, month_number
from pcplib.assessment.thresholds import RAG_TOLERANCE
from pcplib.labels import is_missing

__all__ = ["Rating", "TargetForPeriod", "compute_target_for_period", "rate_measure"]


@dataclass(frozen=True)
class TargetForPeriod:
    """The target a reporting period is judged against.

    Attributes
    ----------
    value : float or None
        The figure expected for the reporting period, on the scale of the current
        figure (a quarter's total for a count of events); None without a target.
    per_period : float or None
        The same per period (a month or a quarter), as the catalogue states targets.
    basis : {"target", "trajectory", ""}
        ``trajectory`` before a dated target falls due, ``target`` otherwise.
    due : str
        The target date ``YYYY-MM`` (empty when undated).
    final : float or None
        The target itself.
    """

    value: float | None
    per_period: float | None
    basis: str
    due: str
    final: float | None


@dataclass(frozen=True)
class Rating:
    """A measure's RAG rating and what it rests on."""

    rag: str
    basis: str
    capped: bool = False


def _target_month(value: Any) -> int | None:
    if is_missing(value) or not str(value).strip():
        return None
    return month_number(str(value).strip()[:7])


def _baseline_per_period(figures: Figures, measure: Mapping[str, Any]) -> float | None:
    window = figures.baseline
    if window is None or window.value is None:
        return None
    if str(measure.get("aggregation")) == "sum" and measure["frequency"] != "annual":
        return window.value / window.expected
    return window.value


def _meets(value: float, target: float, good: str) -> bool:
    if good == "higher":
        return value >= target
    if good == "lower":
        return value <= target
    return False


def compute_target_for_period(
    figures: Figures, measure: Mapping[str, Any], end: int
) -> TargetForPeriod:
    """Return the target for the reporting period: the target, or its trajectory point.

    Parameters
    ----------
    figures : Figures
        The measure's like-for-like figures (the baseline year starts the trajectory).
    measure : mapping
        The measure's catalogue row (``target`` per period, optional ``target_date``).
    end : int
        The reporting period's last month (see
        :func:`~pcplib.assessment.figures.month_number`).

    Returns
    -------
    TargetForPeriod
        A sum measure's quarterly figure meets the per-period target times the periods
        in the quarter.
    """
    target = measure.get("target")
    if is_missing(target):
        return TargetForPeriod(None, None, "", "", None)
    final = float(target)
    due = _target_month(measure.get("target_date"))
    due_text = "" if due is None else f"{due // 12:04d}-{due % 12 + 1:02d}"
    per_period, basis = final, "target"
    start_value = _baseline_per_period(figures, measure)
    # A trajectory only where the baseline misses the target: a straight line from a
    # baseline that already meets it would be stricter than the target itself.
    already_met = start_value is not None and _meets(
        start_value, final, str(measure.get("good_direction"))
    )
    if (
        due is not None
        and end < due
        and start_value is not None
        and figures.baseline
        and not already_met
    ):
        # The line starts where the baseline figure ends: the end of the baseline year, or
        # for a stock the same month of it that the current figure is compared with.
        baseline_end = figures.baseline.last
        if due > baseline_end:
            share = min(1.0, max(0.0, (end - baseline_end) / (due - baseline_end)))
            per_period = start_value + (final - start_value) * share
            basis = "trajectory"
    value = per_period
    if str(measure.get("aggregation")) == "sum" and measure["frequency"] != "annual":
        value = per_period * figures.current.expected
    return TargetForPeriod(value, per_period, basis, due_text, final)


def rate_measure(
    current: float | None,
    target: TargetForPeriod,
    good: str,
    variation: str | None,
    judgement: str = "",
) -> Rating:
    """Rate a measure Green, Amber, Red or Grey, saying what the rating rests on.

    Parameters
    ----------
    current : float or None
        The reporting period's figure (None when the period is incomplete or empty).
    target : TargetForPeriod
        From :func:`compute_target_for_period`.
    good : {"higher", "lower", "neutral"}
        The measure's good direction.
    variation : str or None
        The SPC point type of the latest point (None when SPC could not judge).
    judgement : str, default ""
        The like-for-like judgement (``improved``...), which softens an SPC concern
        to Amber when the measure is improving on a year earlier.

    Returns
    -------
    Rating
        See the module docstring for the rules. A real deterioration is never hidden
        by a missing month: with no figure for the period, a special-cause concern is
        still Red on SPC.
    """
    if good == "neutral":
        return Rating("Grey", "none")
    if current is None:
        if variation == "special_cause_concern":
            return Rating("Red", "spc")
        return Rating("Grey", "none")
    if target.value is not None:
        rating = rag.rag_against_target(current, target.value, good, tolerance=RAG_TOLERANCE)
        if rating == "Green" and variation == "special_cause_concern":
            return Rating("Amber", target.basis, capped=True)
        return Rating(rating, target.basis)
    if variation == "special_cause_concern":
        # Worse than the baseline but better than a year ago: recovering, not yet recovered.
        return Rating("Amber" if judgement == "improved" else "Red", "spc")
    if variation in ("special_cause_improvement", "common_cause"):
        return Rating("Green", "spc")
    return Rating("Grey", "none")


def periods_in(frequency: str, months: int) -> int:
    """How many periods of a frequency fit in a number of months (at least one)."""
    return max(1, months // FREQUENCY_MONTHS[frequency])
