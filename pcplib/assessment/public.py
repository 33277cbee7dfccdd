"""What the public report tells residents, measure by measure.

Which measures were achieved and which still need attention, each as one plain
sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass
from pcplib.assessment.strategy import StrategySummary
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
