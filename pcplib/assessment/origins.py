"""Where each measure's figures come from: real published sources or the illustrative sample.

A data set can mix the two: the sample framework with real data.police.uk counts
for some measures, say. Reports must then say, measure by measure, which figures
are real (with the publisher's attribution) and which are illustrative, and never
call everything illustrative. :func:`classify_measure_origins` reads each
observation's ``source`` (see :mod:`pcplib.data.sources.published`) for the force
area's figures up to a report's period.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from pcplib.assessment.scope import get_series, parse_month_param
from pcplib.data.sources.published import recognise_published_source
from pcplib.labels import list_words, month_span

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = [
    "ORIGINS",
    "classify_measure_origins",
    "describe_published_measures",
    "list_attributions",
]

ORIGINS = ("published", "partly published", "illustrative", "own", "no data")
"""A measure's origin: all its figures from real published sources, some of them, none
(``illustrative`` in an illustrative data set, ``own`` in a real one), or no figures."""


def _months(starts: pd.Series) -> str:
    """The span of months the periods starting at ``starts`` cover, in words."""
    months = pd.DatetimeIndex(starts).to_period("M")
    return month_span(months.min(), months.max()) if len(months) else ""


def classify_measure_origins(
    dataset: Dataset, measure_ids: Iterable[str] | None = None, period_end: str | None = None
) -> pd.DataFrame:
    """Classify each measure's figures as real published data or not.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    measure_ids : iterable of str, optional
        The measures of a report, in order; every measure when omitted.
    period_end : str, optional
        The report's last month, ``YYYY-MM``: later figures are left out.

    Returns
    -------
    pandas.DataFrame
        One row per measure: ``measure_id``, ``measure_name``, ``origin`` (one of
        :data:`ORIGINS`), ``sources`` (the published sources, such as
        ``"data.police.uk street-level crime, Westshire Police"``, joined by
        ``"; "``), ``attribution`` (their licence attributions, likewise),
        ``published_months`` and ``other_months`` (the spans, in words).
    """
    measures = dataset.measures.set_index("measure_id", drop=False)
    ids = list(measures.index if measure_ids is None else measure_ids)
    end = parse_month_param(period_end, "period_end") if period_end else None
    rows = []
    for measure_id in ids:
        series = get_series(dataset, measure_id)
        series = series[series["value"].notna()]
        if end is not None:
            series = series[series["period_end"] <= end.end_time]
        found = [recognise_published_source(s) for s in series["source"]]
        published = pd.Series([f is not None for f in found], index=series.index, dtype=bool)
        names = sorted({f.name for f in found if f is not None})
        attributions = sorted({f.attribution for f in found if f is not None})
        if series.empty:
            origin = "no data"
        elif published.all():
            origin = "published"
        elif published.any():
            origin = "partly published"
        else:
            origin = "illustrative" if dataset.illustrative else "own"
        rows.append(
            {
                "measure_id": measure_id,
                "measure_name": str(measures.at[measure_id, "measure_name"]),
                "origin": origin,
                "sources": "; ".join(names),
                "attribution": "; ".join(attributions),
                "published_months": _months(series.loc[published, "period_start"]),
                "other_months": _months(series.loc[~published, "period_start"]),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "measure_id",
            "measure_name",
            "origin",
            "sources",
            "attribution",
            "published_months",
            "other_months",
        ],
    )


def list_attributions(origins: pd.DataFrame) -> list[str]:
    """The licence attributions of the published sources among ``origins``, each once."""
    found: list[str] = []
    for text in origins["attribution"]:
        for part in str(text).split("; "):
            if part and part not in found:
                found.append(part)
    return found


def describe_published_measures(origins: pd.DataFrame) -> str:
    """One sentence naming the measures with real published figures, and their sources.

    Parameters
    ----------
    origins : pandas.DataFrame
        From :func:`classify_measure_origins`.

    Returns
    -------
    str
        Such as ``"Neighbourhood crime offences and Vehicle offences (data.police.uk
        street-level crime, Westshire Police, January 2023 to December 2024)"``;
        a measure only partly published says which months are; ``""`` when none is.
    """
    parts = []
    for sources, group in origins[origins["origin"] != "no data"].groupby("sources", sort=False):
        if not sources:
            continue
        whole = group[group["origin"] == "published"]
        partial = group[group["origin"] == "partly published"]
        spans = sorted(set(group["published_months"]))
        names = list(whole["measure_name"]) + [
            f"{row.measure_name} (only {row.published_months}; {row.other_months} not)"
            for row in partial.itertuples()
        ]
        parts.append(f"{list_words(names)} ({sources}, {' and '.join(spans)})")
    return "; ".join(parts)
