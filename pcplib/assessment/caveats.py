"""What a reader must know before reading a figure: the caveats its source brings.

Three kinds, each decided from the measure's catalogue row alone, so every report that
shows the measure gives the same caveat:

- **police recorded crime**: a count (or rate) of crimes recorded by the police reflects
  how many crimes people report and how the police record them as well as how much crime
  there is (ONS, *Crime in England and Wales: user guide*; Home Office, *Crime Recording
  General Rules*). Outcome rates (the share of recorded crimes with a charge) are about
  what the police did with the crimes recorded, so they carry no such caveat;
- **survey estimates**: a percentage from a survey is an estimate from a sample, with a
  margin of error (OSR, *Code of Practice for Statistics*, Q3);
- **rates**: a figure per 1,000 people over a stated period
  (:func:`pcplib.labels.describe_rate_basis`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pcplib.labels import describe_rate_basis

__all__ = [
    "CAVEAT_KINDS",
    "is_recorded_crime",
    "is_survey_estimate",
    "list_caveats",
]

CAVEAT_KINDS = ("recorded crime", "survey", "rate")
"""The kinds of caveat, in the order a reader is told them."""

# The words a source names police recorded crime by (ONS and Home Office usage).
_RECORDED_CRIME = "police recorded crime"
# Outcome measures are about what was done with recorded crimes, not how many there were.
_OUTCOMES = "outcome"
_CRIME_UNITS = ("count", "rate_per_1000")


def is_recorded_crime(measure: Mapping[str, Any]) -> bool:
    """Whether a measure counts crimes recorded by the police (so the caveat applies).

    Parameters
    ----------
    measure : mapping
        The measure's ``source`` and ``unit``.

    Returns
    -------
    bool
        True for a count or rate whose source is police recorded crime (not its
        outcomes, which are about what was done with the crimes recorded).
    """
    source = str(measure.get("source") or "").lower()
    return (
        _RECORDED_CRIME in source
        and _OUTCOMES not in source
        and str(measure.get("unit") or "") in _CRIME_UNITS
    )


def is_survey_estimate(measure: Mapping[str, Any]) -> bool:
    """Whether a measure is a percentage estimated from a survey (with a margin of error)."""
    source = str(measure.get("source") or "").lower()
    return str(measure.get("unit") or "") == "percent" and "survey" in source


def list_caveats(measures: pd.DataFrame) -> pd.DataFrame:
    """List the caveats that apply to each measure, one row per measure and kind.

    Parameters
    ----------
    measures : pandas.DataFrame
        Catalogue rows: ``measure_id``, ``measure_name``, ``source``, ``unit`` and,
        for rates, ``frequency``, ``aggregation`` and ``definition``.

    Returns
    -------
    pandas.DataFrame
        ``kind`` (one of :data:`CAVEAT_KINDS`), ``measure_id``, ``measure_name`` and
        ``detail`` (what a rate is per; empty otherwise), ordered by kind then as given.
    """
    rows = []
    for m in measures.to_dict("records"):
        found = {
            "recorded crime": is_recorded_crime(m),
            "survey": is_survey_estimate(m),
            "rate": bool(describe_rate_basis(m)),
        }
        for kind in CAVEAT_KINDS:
            if found[kind]:
                rows.append(
                    {
                        "kind": kind,
                        "measure_id": m["measure_id"],
                        "measure_name": m["measure_name"],
                        "detail": describe_rate_basis(m, "quarter") if kind == "rate" else "",
                    }
                )
    frame = pd.DataFrame(rows, columns=["kind", "measure_id", "measure_name", "detail"])
    order = {kind: i for i, kind in enumerate(CAVEAT_KINDS)}
    return frame.sort_values("kind", key=lambda c: c.map(order), kind="stable").reset_index(
        drop=True
    )
