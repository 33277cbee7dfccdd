"""Events the data set knows, for marking on a measure's SPC chart.

A chart answers the Board's next question ("what happened then?") when it marks what
the data set records besides the figures: a change in a measure's definition (the
first period under the current definition after an earlier one) and the commitments
that are complete and name the measure (``measure_id`` in ``commitments.csv``), at their
due date, the only date the data set holds for them, labelled with their own words. A
commitment that names no measure marks no chart: marked on every chart of its strategy,
unnamed, it read as the cause of any movement (review 5, N2). Recalculations of the SPC
limits are marked by the chart itself, from the SPC result
(:func:`pcplib.report.charts.list_chart_events`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = ["DEFINITION_CHANGED", "COMMITMENT_COMPLETE", "list_measure_events", "shorten_words"]

DEFINITION_CHANGED = "Definition changed"
COMMITMENT_COMPLETE = "Commitment complete"


def shorten_words(text: str, most: int = 32) -> str:
    """A commitment's first words, to label a chart: at most ``most`` characters.

    Parameters
    ----------
    text : str
        The commitment.
    most : int, default 32
        The longest label, the ellipsis included.

    Returns
    -------
    str
        The text as it is when short enough, else its first whole words and "…".
    """
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    cut = text[: most - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


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
        "Commitment complete: <its first words>")`` for each complete commitment that
        names the measure. A chart leaves out events outside its span.
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
        c = dataset.commitments
        if measure_id in measures.index and not c.empty and "measure_id" in c.columns:
            done = c[
                (c["measure_id"].astype(str).str.strip() == str(measure_id))
                & (c["status"].astype(str).str.strip().str.lower() == "complete")
            ]
            due = pd.to_datetime(done["due_date"], errors="coerce")
            events += [
                (d, f"{COMMITMENT_COMPLETE}: {shorten_words(str(text))}")
                for d, text in zip(due, done["commitment"], strict=True)
                if not pd.isna(d)
            ]
        out[str(measure_id)] = sorted(events, key=lambda e: e[0])
    return out
