"""Projected delivery: the one definition every report repeats.

Each commitment of a strategy (or of the plan) falls into exactly one *delivery state*
at the end of the reporting period:

- ``complete``;
- ``overdue``: not complete and its due date is on or before the end of the period,
  whatever its status says (an "on track" commitment past its due date is late);
- ``not yet due``: not started and due after the end of the period, so not yet held
  against delivery (as in a previous plan's delivery report);
- otherwise its status: ``on track``, ``at risk``, ``off track`` or ``not started``.

Projected delivery is the share of the *counted* commitments (all but those not yet
due) that are complete or on track, rated on the five-point scale of
:data:`pcplib.assessment.thresholds.DELIVERY_THRESHOLDS`. The strategy report's summary
and body, the plan overview, the public report and ``judgements.csv`` all take it from here, so one
strategy never shows two delivery figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pcplib import rag
from pcplib.assessment.scope import parse_month_param
from pcplib.assessment.thresholds import DELIVERY_THRESHOLDS

__all__ = [
    "DELIVERY_STATES",
    "ProjectedDelivery",
    "assess_delivery",
    "classify_commitments",
]

DELIVERY_STATES: tuple[str, ...] = (
    "complete",
    "on track",
    "at risk",
    "off track",
    "not started",
    "overdue",
    "not yet due",
)


@dataclass(frozen=True)
class ProjectedDelivery:
    """Projected delivery of a set of commitments at the end of a reporting period.

    Attributes
    ----------
    rating : str
        The five-point rating, ``Grey`` when no commitment is counted.
    percent : float or None
        Share (per cent) of the counted commitments complete or on track.
    counts : dict of str to int
        Commitments in each delivery state (:data:`DELIVERY_STATES`), every state present.
    explanation : str
        One sentence a reviewer can read.
    """

    rating: str
    percent: float | None
    counts: dict[str, int] = field(default_factory=dict)
    explanation: str = ""

    @property
    def total(self) -> int:
        """All commitments, counted or not."""
        return sum(self.counts.values())

    @property
    def not_yet_due(self) -> int:
        """Commitments not started and not yet due (left out of the share)."""
        return self.counts.get("not yet due", 0)

    @property
    def counted(self) -> int:
        """Commitments the share is taken over: all but those not yet due."""
        return self.total - self.not_yet_due

    @property
    def delivered(self) -> int:
        """Commitments complete or on track (and not overdue)."""
        return self.counts.get("complete", 0) + self.counts.get("on track", 0)

    @property
    def overdue(self) -> int:
        """Commitments past their due date and not complete."""
        return self.counts.get("overdue", 0)

    @property
    def at_risk(self) -> int:
        """Commitments at risk or off track that are not yet overdue."""
        return self.counts.get("at risk", 0) + self.counts.get("off track", 0)


def classify_commitments(commitments: pd.DataFrame, period_end: str) -> pd.Series:
    """Return each commitment's delivery state at the end of the reporting period.

    Parameters
    ----------
    commitments : pandas.DataFrame
        Rows with ``status`` and ``due_date`` (a missing or unreadable due date is never
        overdue nor not yet due: the status stands).
    period_end : str
        The reporting period's last month, ``YYYY-MM``.

    Returns
    -------
    pandas.Series
        One of :data:`DELIVERY_STATES` per row, on the frame's index.

    Raises
    ------
    ValueError
        If ``period_end`` is not a month or a status is not one of
        :data:`pcplib.rag.STATUSES`.
    """
    end = parse_month_param(period_end, "period_end").end_time
    status = commitments["status"].astype(str).str.strip().str.lower()
    unknown = sorted(set(status) - set(rag.STATUSES))
    if unknown:
        raise ValueError(
            f"unknown commitment status {unknown[0]!r}; expected one of {', '.join(rag.STATUSES)}"
        )
    due = pd.to_datetime(commitments["due_date"], errors="coerce")
    state = status.copy()
    state[(status != "complete") & due.notna() & (due <= end)] = "overdue"
    state[(status == "not started") & due.notna() & (due > end)] = "not yet due"
    return state


def assess_delivery(commitments: pd.DataFrame, period_end: str) -> ProjectedDelivery:
    """Return projected delivery: confidence that commitments are delivered when due.

    Parameters
    ----------
    commitments : pandas.DataFrame
        Rows with ``status`` and ``due_date``.
    period_end : str
        The reporting period's last month, ``YYYY-MM``.

    Returns
    -------
    ProjectedDelivery
        Counts in every delivery state; the share and rating over the counted ones
        (see the module's docstring); an explanation naming the overdue and the not
        yet due.
    """
    states = list(classify_commitments(commitments, period_end)) if len(commitments) else []
    counts = {s: states.count(s) for s in DELIVERY_STATES}
    blank = ProjectedDelivery(rating="Grey", percent=None, counts=counts)
    counted = blank.counted
    if counted == 0:
        why = (
            "no commitments are recorded"
            if not blank.total
            else "no commitment is due or started yet"
        )
        return ProjectedDelivery(
            rating="Grey",
            percent=None,
            counts=counts,
            explanation=f"Grey: {why}, so projected delivery is not rated.",
        )
    percent = blank.delivered / counted * 100
    rating, floor = next((r, t) for t, r in DELIVERY_THRESHOLDS if percent >= t)
    others = ", ".join(
        f"{counts[s]} {s}" for s in ("overdue", "at risk", "off track", "not started") if counts[s]
    )
    band = f"{floor:g}% or more" if floor > 0 else f"under {DELIVERY_THRESHOLDS[-2][0]:g}%"
    noun = "commitment" if counted == 1 else "commitments"
    explanation = (
        f"{rating}: {blank.delivered} of {counted} {noun} ({percent:.0f}%) are complete or "
        f"on track{f' ({others})' if others else ''}; {rating} means {band}."
    )
    if blank.not_yet_due:
        noun = "commitment is" if blank.not_yet_due == 1 else "commitments are"
        explanation += f" {blank.not_yet_due} {noun} not yet due and not started, so not counted."
    return ProjectedDelivery(rating=rating, percent=percent, counts=counts, explanation=explanation)
