"""Commitments and projected delivery as a reader sees them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcplib import rag

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.scope import check_strategy, strategy_commitments
from pcplib.assessment.strategy import summarise_commitments
from pcplib.labels import date_words, is_missing
from pcplib.report.html import build_table, esc


def format_commitments(dataset: Dataset, strategy_id: str, *, list_each: bool = True) -> str:
    """Return commitments: delivery confidence, counts by status and (optionally) each one.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    list_each : bool, default True
        Also list every commitment with its status, due date and owner.

    Returns
    -------
    str
        HTML.
    """
    check_strategy(dataset, strategy_id)
    commitments = strategy_commitments(dataset, strategy_id)
    if commitments.empty:
        return "<p>No commitments are recorded for this strategy.</p>"
    confidence = rag.delivery_confidence(list(commitments["status"]))
    name = dataset.strategy(strategy_id)["strategy_name"]
    counts = summarise_commitments(dataset, strategy_id)
    parts = [
        f"<p><strong>Projected delivery confidence:</strong> "
        f"{rag.format_rag_html(confidence.rating)} ({confidence.percent:.0f}% complete or "
        f"on track)</p><p>{esc(confidence.explanation)}</p>",
        build_table(
            ["Status", "Commitments"],
            [[esc(s.capitalize()), str(c)] for s, c in counts.itertuples(index=False)],
            f"{name}: commitments by status",
            numeric=[False, True],
        ),
    ]
    if list_each:
        rows = [
            [
                esc(c["commitment"]),
                esc(str(c["status"]).capitalize()),
                esc(date_words(c["due_date"]) if not is_missing(c["due_date"]) else ""),
                esc(c["owner"]),
            ]
            for c in commitments.to_dict("records")
        ]
        parts.append(
            build_table(["Commitment", "Status", "Due", "Owner"], rows, f"{name}: each commitment")
        )
    return "".join(parts)
