"""The assessment of a strategy: its measures, overall rating and delivery confidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from pcplib import rag

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.measures import summarise_measures
from pcplib.assessment.scope import check_strategy, strategy_commitments
from pcplib.assessment.thresholds import ROLL_UP_METHOD


@dataclass(frozen=True)
class StrategySummary:
    """A strategy's state for one reporting period.

    Attributes
    ----------
    strategy_id, strategy_name : str
        Which strategy.
    period_end : str
        The last month of data, ``YYYY-MM``.
    overall_rag : str
        The roll-up of the headline measures' RAG.
    overall_explanation : str
        One sentence saying how the overall RAG was reached.
    measures : pandas.DataFrame
        Headline and sub-measures from :func:`summarise_measures`.
    delivery : pcplib.rag.DeliveryConfidence
        Confidence that the commitments will be delivered.
    has_data : bool
        Whether any measure has a value in the reporting quarter.
    """

    strategy_id: str
    strategy_name: str
    period_end: str
    overall_rag: str
    overall_explanation: str
    measures: pd.DataFrame = field(repr=False)
    delivery: rag.DeliveryConfidence
    has_data: bool


def summarise_strategy(
    dataset: Dataset,
    strategy_id: str,
    period_end: str,
    audience: str = "cgb",
    spc_rules: str = "mdc",
    with_spc: bool = True,
) -> StrategySummary:
    """Summarise a strategy: overall RAG, measures and delivery confidence.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    period_end : str
        The last month of data, ``YYYY-MM``.
    audience : {"cgb", "public"}, default "cgb"
        ``"public"`` leaves restricted measures out of the roll-up and the tables.
    spc_rules : {"mdc", "plotthedots"}, default "mdc"
        The SPC rule set.
    with_spc : bool, default True
        Run the SPC analysis (see :func:`summarise_measures`).

    Returns
    -------
    StrategySummary
        The overall RAG is the worst of the headline measures' RAG (Grey left out).
    """
    check_strategy(dataset, strategy_id)
    measures = summarise_measures(
        dataset, strategy_id, period_end, audience=audience, spc_rules=spc_rules,
        with_spc=with_spc,
    )  # fmt: skip
    headline = measures[measures["tier"] == "headline"]
    rating, sentence = rag.roll_up(list(headline["rag"]), method=ROLL_UP_METHOD)
    n = len(headline)
    explanation = (
        f"The overall RAG is rolled up from the {n} headline measure"
        f"{'s' if n != 1 else ''}' RAG against target, taking the worst and leaving Grey "
        f"(no target or no data) out. {sentence}"
    )
    commitments = strategy_commitments(dataset, strategy_id)
    return StrategySummary(
        strategy_id=strategy_id,
        strategy_name=str(dataset.strategy(strategy_id)["strategy_name"]),
        period_end=period_end,
        overall_rag=rating,
        overall_explanation=explanation,
        measures=measures,
        delivery=rag.delivery_confidence(list(commitments["status"])),
        has_data=bool(measures["has_data"].any()),
    )


def summarise_commitments(dataset: Dataset, strategy_id: str | None = None) -> pd.DataFrame:
    """Count commitments by status.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str, optional
        One strategy; all when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``status`` and ``commitments``, one row per status in
        :data:`pcplib.rag.STATUSES` order (0 where none).
    """
    commitments = dataset.commitments
    if strategy_id is not None:
        check_strategy(dataset, strategy_id)
        commitments = strategy_commitments(dataset, strategy_id)
    counts = rag.delivery_confidence(list(commitments["status"])).counts
    return pd.DataFrame(
        {"status": list(rag.STATUSES), "commitments": [counts[s] for s in rag.STATUSES]}
    )
