"""A strategy's high risks in the reporting quarter, and whether each is known to be new.

Kept apart from :mod:`pcplib.assessment.exceptions` because the strategy summary reads
them for its risk rating while the exceptions list reads the summary: both import
this module, neither the other.

A risk is called **new** only when the record shows it: the strategy's risk return for
the quarter before is on file and the risk was not in it or scored below
:data:`~pcplib.assessment.thresholds.HIGH_RISK_SCORE`. Without that return, a high risk
may have been high for years; absence of a record is not a fact about the quarter
before, so such a risk is "high (no earlier score on file)" and never counted as new.
A risk high in both quarters is listed too, as "also high" in the quarter before: a
standing high risk is what a Board most needs to keep in view, and the rule the reports
print lists any high risk. What is known of each risk is worded here once
(:func:`describe_high_risk`, :func:`describe_novelty`), for every page that names one.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.scope import parse_month_param
from pcplib.assessment.thresholds import HIGH_RISK_SCORE

__all__ = [
    "ALREADY_HIGH",
    "NEW",
    "NO_EARLIER_SCORE",
    "NOVELTIES",
    "describe_high_risk",
    "describe_novelty",
    "list_high_risks",
    "list_new_high_risks",
    "name_previous_quarter",
    "rate_risks",
]

NEW = "new"
"""Novelty of a high risk that the quarter before's return shows below high or not listed."""
NO_EARLIER_SCORE = "no earlier score"
"""Novelty of a high risk whose strategy has no risk return on file for the quarter before."""
ALREADY_HIGH = "already high"
"""Novelty of a high risk that the quarter before's return scored high too."""
NOVELTIES = (NEW, NO_EARLIER_SCORE, ALREADY_HIGH)
"""The values of ``novelty`` in :func:`list_high_risks`."""

_EMPTY_COLUMNS = ["risk_id", "strategy_id", "quarter", "score", "novelty"]


def _risk_score(frame: pd.DataFrame) -> pd.Series:
    likelihood = pd.to_numeric(frame["likelihood"], errors="coerce")
    impact = pd.to_numeric(frame["impact"], errors="coerce")
    return likelihood * impact


def list_high_risks(dataset: Any, strategy_id: str, period_end: str) -> pd.DataFrame:
    """Return the quarter's high risks of a strategy, each with whether it is known new.

    Parameters
    ----------
    dataset : Dataset
        The data set; its ``risks`` table (``risk_id``, ``strategy_id``, ``quarter``,
        ``description``, ``likelihood``, ``impact``) is optional. A data set without one
        (or with an empty one) has no risks to report.
    strategy_id : str
        The strategy.
    period_end : str
        The reporting period's last month, ``YYYY-MM``; its quarter is the one read.

    Returns
    -------
    pandas.DataFrame
        The quarter's rows scoring at least :data:`HIGH_RISK_SCORE`, with ``score`` and
        ``novelty``: :data:`NEW` when the strategy's return for the quarter before is on
        file (any row of it) and the risk was not in it or scored below high;
        :data:`ALREADY_HIGH` when it scored high then; :data:`NO_EARLIER_SCORE` when the
        strategy has no row for the quarter before (or the table has no ``risk_id`` to
        match the risk by). Highest score first; empty when there is nothing to report.
    """
    # The risks table arrives with the owners' returns; a data set from before it has none.
    risks = getattr(dataset, "risks", None)
    needed = {"strategy_id", "quarter", "likelihood", "impact"}
    if not isinstance(risks, pd.DataFrame) or risks.empty or not needed <= set(risks.columns):
        return pd.DataFrame(columns=_EMPTY_COLUMNS)
    quarter = periods.label_quarter(parse_month_param(period_end, "period_end").to_timestamp())
    previous = periods.shift_quarter(quarter, -1)
    mine = risks[risks["strategy_id"].astype(str) == strategy_id].copy()
    mine["score"] = _risk_score(mine)
    now = mine[(mine["quarter"].astype(str) == quarter) & (mine["score"] >= HIGH_RISK_SCORE)]
    now = now.copy()
    before = mine[mine["quarter"].astype(str) == previous]
    if before.empty or "risk_id" not in mine.columns:
        # No return for the quarter before: whether the risk was high then is unknown.
        now["novelty"] = NO_EARLIER_SCORE
    else:
        was_high = before.loc[before["score"] >= HIGH_RISK_SCORE, "risk_id"]
        now["novelty"] = now["risk_id"].isin(was_high).map({True: ALREADY_HIGH, False: NEW})
    return now.sort_values("score", ascending=False, kind="stable")


def list_new_high_risks(dataset: Any, strategy_id: str, period_end: str) -> pd.DataFrame:
    """Return the risks known to have become high in the reporting quarter.

    Parameters
    ----------
    dataset : Dataset
        The data set (see :func:`list_high_risks`).
    strategy_id : str
        The strategy.
    period_end : str
        The reporting period's last month, ``YYYY-MM``.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`list_high_risks` whose ``novelty`` is :data:`NEW`.
    """
    high = list_high_risks(dataset, strategy_id, period_end)
    return high[high["novelty"] == NEW]


def rate_risks(high_risks: pd.DataFrame, has_risks: bool) -> str:
    """Return a strategy's risk rating from its high risks.

    Parameters
    ----------
    high_risks : pandas.DataFrame
        From :func:`list_high_risks`.
    has_risks : bool
        Whether the data set holds any risks.

    Returns
    -------
    str
        Red when a risk is known to have become high in the quarter; Amber when a risk
        is high but not known to be new (no earlier score on file, or high then too):
        high now, so never Green, but not shown to have emerged, so never the
        escalation's Red; Green when the data set holds risks and none is high; Grey
        without risks.
    """
    novelty = high_risks.get("novelty", pd.Series(dtype=object))
    if (novelty == NEW).any():
        return "Red"
    if not high_risks.empty:
        return "Amber"
    return "Green" if has_risks else "Grey"


def name_previous_quarter(period_end: str) -> str:
    """Return the quarter before the reporting period's, whose risk return a risk is read against.

    Parameters
    ----------
    period_end : str
        The reporting period's last month, ``YYYY-MM``.

    Returns
    -------
    str
        The quarter's label, e.g. ``"2026/27 Q1"`` for ``"2026-09"``.
    """
    quarter = periods.label_quarter(parse_month_param(period_end, "period_end").to_timestamp())
    return periods.shift_quarter(quarter, -1)


def describe_novelty(novelty: str, period_end: str) -> str:
    """Return what is known of whether a high risk is new, as a short qualifier.

    Parameters
    ----------
    novelty : str
        One of :data:`NOVELTIES` (from :func:`list_high_risks`).
    period_end : str
        The reporting period's last month, ``YYYY-MM``.

    Returns
    -------
    str
        ``"new"``; ``"also high in 2026/27 Q1"`` (the quarter before); or ``"no earlier
        score on file"``, for a risk whose strategy has no return for the quarter before.
    """
    if novelty == NEW:
        return "new"
    if novelty == ALREADY_HIGH:
        return f"also high in {name_previous_quarter(period_end)}"
    return "no earlier score on file"


def describe_high_risk(novelty: str, period_end: str) -> str:
    """Return a high risk's name for a list of what needs attention, saying if it is new.

    Parameters
    ----------
    novelty : str
        One of :data:`NOVELTIES` (from :func:`list_high_risks`).
    period_end : str
        The reporting period's last month, ``YYYY-MM``.

    Returns
    -------
    str
        ``"new high risk"``, ``"high risk, also high in 2026/27 Q1"`` or ``"high risk
        (no earlier score on file)"`` (:func:`describe_novelty`).
    """
    if novelty == NEW:
        return "new high risk"
    if novelty == ALREADY_HIGH:
        return f"high risk, {describe_novelty(novelty, period_end)}"
    return f"high risk ({describe_novelty(novelty, period_end)})"
