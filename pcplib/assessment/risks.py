"""A strategy's risks that became high in the reporting quarter.

Kept apart from :mod:`pcplib.assessment.exceptions` because the strategy summary reads
them for its risk rating while the exceptions list reads the summary: both import
this module, neither the other.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.scope import parse_month_param
from pcplib.assessment.thresholds import HIGH_RISK_SCORE

__all__ = ["list_new_high_risks"]


def _risk_score(frame: pd.DataFrame) -> pd.Series:
    likelihood = pd.to_numeric(frame["likelihood"], errors="coerce")
    impact = pd.to_numeric(frame["impact"], errors="coerce")
    return likelihood * impact


def list_new_high_risks(dataset: Any, strategy_id: str, period_end: str) -> pd.DataFrame:
    """Risks that became high in the reporting quarter, when the data set holds risks.

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
        The quarter's rows scoring at least :data:`HIGH_RISK_SCORE` whose risk did not
        score that in the quarter before (or was not reported then), with a ``score``
        column; highest score first. Empty when there is nothing to report.
    """
    # The risks table arrives with the owners' returns; a data set from before it has none.
    risks = getattr(dataset, "risks", None)
    needed = {"strategy_id", "quarter", "likelihood", "impact"}
    if not isinstance(risks, pd.DataFrame) or risks.empty or not needed <= set(risks.columns):
        return pd.DataFrame(columns=["risk_id", "strategy_id", "quarter", "score"])
    quarter = periods.label_quarter(parse_month_param(period_end, "period_end").to_timestamp())
    previous = periods.shift_quarter(quarter, -1)
    mine = risks[risks["strategy_id"].astype(str) == strategy_id].copy()
    mine["score"] = _risk_score(mine)
    now = mine[(mine["quarter"].astype(str) == quarter) & (mine["score"] >= HIGH_RISK_SCORE)]
    if "risk_id" in mine.columns:
        was_high = (mine["quarter"].astype(str) == previous) & (mine["score"] >= HIGH_RISK_SCORE)
        now = now[~now["risk_id"].isin(mine.loc[was_high, "risk_id"])]
    return now.sort_values("score", ascending=False, kind="stable")
