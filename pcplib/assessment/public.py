"""What the public report tells residents, measure by measure.

Which measures were achieved and which still need attention, each as one plain
sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.judgements import select_judgements, tabulate_judgements
from pcplib.assessment.scope import available_period_end
from pcplib.assessment.strategy import StrategySummary, summarise_strategy
from pcplib.labels import plural

CHANGE_WORDS = {"improved": "better", "deteriorated": "worse"}


def describe_measure_for_public(m: Mapping[str, Any]) -> str:
    """One plain-English sentence on a measure for residents: its name and assessment."""
    return f"{m['measure_name']}: {m['sentence']}"


def split_public_measures(summary: StrategySummary) -> tuple[list[str], list[str]]:
    """Split a strategy's public measures into achieved and needing attention.

    A measure with a target goes by its RAG (Green achieved; Amber or Red needs
    attention); one without goes by its judgement (improved or deteriorated). Each
    measure appears at most once.
    """
    achieved, attention = [], []
    for r in summary.measures.to_dict("records"):
        if not r["has_data"]:
            continue
        # The same assessment the Board sees decides the list, so the two never disagree.
        if r["assessment"] in ("on track", "improving"):
            achieved.append(describe_measure_for_public(r))
        elif r["assessment"] == "needs attention":
            attention.append(describe_measure_for_public(r))
    counts = summary.delivery.counts
    if counts.get("complete"):
        achieved.append(f"{plural(counts['complete'], 'commitment')} in the plan delivered.")
    stuck = counts.get("at risk", 0) + counts.get("off track", 0)
    if stuck:
        attention.append(f"{plural(stuck, 'commitment')} at risk of not being delivered on time.")
    return achieved, attention


def tabulate_public_quarter(
    dataset: Dataset,
    quarter: str,
    spc_rules: str = "mdc",
    *,
    columns: Sequence[str] | None = None,
    readable: bool = True,
) -> pd.DataFrame:
    """Return the public report's judgements as one flat frame, the rows of ``judgements.csv``.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    quarter : str
        The quarter, such as ``"2026/27 Q2"`` (a quarter beyond the data shows the
        latest quarter available, as the report does).
    spc_rules : str, default "mdc"
        The SPC rule set.
    columns : sequence of str, optional
        Columns of ``judgements.csv``; by default
        :data:`~pcplib.assessment.judgements.TABLE_COLUMNS`.
    readable : bool, default True
        Readable column names; False keeps those of ``judgements.csv``.

    Returns
    -------
    pandas.DataFrame
        For each strategy, its overall rating then its public measures: the rows
        ``pcp run`` writes for the ``public-quarterly`` report.
    """
    _, end = periods.parse_quarter(quarter)
    period_end = available_period_end(dataset, str(end.to_period("M")))
    summaries = [
        summarise_strategy(dataset, strategy_id, period_end, "public", spc_rules)
        for strategy_id in dataset.strategies["strategy_id"]
    ]
    frame = tabulate_judgements(summaries, "public-quarterly")
    return select_judgements(frame, columns, readable=readable)
