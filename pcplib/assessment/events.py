"""Events the data set knows, for marking on a measure's SPC chart.

A chart answers the Board's next question ("what happened then?") when it marks what
the data set records besides the figures: a change in a measure's definition (the
first period under the current definition after an earlier one) and the strategy's
commitments that are complete (at their due date, the only date the data set holds for
them). Recalculations of the SPC limits are marked by the chart itself, from the SPC
result (:func:`pcplib.report.charts.list_chart_events`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = ["DEFINITION_CHANGED", "COMMITMENT_COMPLETE", "list_measure_events"]

DEFINITION_CHANGED = "Definition changed"
COMMITMENT_COMPLETE = "Commitment complete"


def list_measure_events(
    dataset: Dataset, measure_ids: Iterable[str]
) -> dict[str, list[tuple[pd.Timestamp, str]]]:
    """Return, per measure, the dated events its chart marks with a short label.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    measure_ids : iterable of str
        The measures charted.

    Returns
    -------
    dict of str to list of (pandas.Timestamp, str)
        For each measure, in date order: ``(first period under the current definition,
        "Definition changed")`` when an earlier definition has figures, and ``(due date,
        "Commitment complete")`` for each complete commitment of the measure's strategy.
        A chart leaves out events outside its span.
    """
    measures = dataset.measures.set_index("measure_id")
    out: dict[str, list[tuple[pd.Timestamp, str]]] = {}
    for measure_id in measure_ids:
        events: list[tuple[pd.Timestamp, str]] = []
        series = dataset.series(measure_id)
        if "definition" in series.columns and not series.empty:
            current = series["definition"].astype(str).eq("current")
            starts = pd.to_datetime(series["period_start"])
            if (~current).any() and current.any():
                earlier = starts[~current].max()
                later = starts[current & (starts > earlier)]
                if not later.empty:
                    events.append((later.min(), DEFINITION_CHANGED))
        if measure_id in measures.index and not dataset.commitments.empty:
            strategy = measures.at[measure_id, "strategy_id"]
            c = dataset.commitments
            done = c[
                (c["strategy_id"] == strategy)
                & (c["status"].astype(str).str.strip().str.lower() == "complete")
            ]
            due = pd.to_datetime(done["due_date"], errors="coerce").dropna()
            events += [(d, COMMITMENT_COMPLETE) for d in due]
        out[str(measure_id)] = sorted(events, key=lambda e: e[0])
    return out
