"""What a reader must know before reading a figure: the caveats its source brings.

Three kinds, each decided from the measure's catalogue row alone, so every report that
shows the measure gives the same caveat:

- **police recorded crime**: a count (or rate) of crimes recorded by the police reflects
  how many crimes people report and how the police record them as well as how much crime
  there is (ONS, *Crime in England and Wales: user guide*; Home Office, *Crime Recording
  General Rules*). Crimes reported to Action Fraud, the police's national centre for
  reports of fraud and cyber crime (its figures come from the National Fraud Intelligence
  Bureau), carry the same caveat: they depend on reporting even more, as most such
  crimes are never reported (ONS, *Crime in England and Wales: user guide*, "Fraud and
  computer misuse"). Outcome rates (the share of recorded crimes with a charge) are about
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

from pcplib.labels import describe_rate_basis, split_rate_basis

__all__ = [
    "ACTION_FRAUD_WORDS",
    "CAVEAT_KINDS",
    "MORE_REPORTING",
    "POSSIBLE_RISE_IN_REPORTS",
    "REPORTED_TO_ACTION_FRAUD",
    "RISE_IN_REPORTS",
    "is_recorded_crime",
    "is_reported_to_action_fraud",
    "is_rise_in_reports",
    "is_survey_estimate",
    "list_caveats",
]

CAVEAT_KINDS = ("recorded crime", "survey", "rate")
"""The kinds of caveat, in the order a reader is told them."""

# The words a source names police recorded crime by (ONS and Home Office usage).
_RECORDED_CRIME = "police recorded crime"
# The words a source names crimes reported to Action Fraud by (ONS usage).
_ACTION_FRAUD = ("action fraud", "national fraud intelligence bureau")
REPORTED_TO_ACTION_FRAUD = "reported to Action Fraud"
"""The recorded-crime caveat's detail for crimes reported to Action Fraud."""
ACTION_FRAUD_WORDS = (
    "reports to Action Fraud, not crimes recorded by the police here. Most fraud and cyber "
    "crime is never reported, so these depend on reporting even more."
)
"""What figures reported to Action Fraud are, after their names, in every public
caveat: they carry the recorded-crime caveat but are not crimes recorded by the police,
so no public page lists them as such (review 14, R14-9; review 15, R15-5)."""
# Outcome measures are about what was done with recorded crimes, not how many there were.
_OUTCOMES = "outcome"
_CRIME_UNITS = ("count", "rate_per_1000")


def is_recorded_crime(measure: Mapping[str, Any]) -> bool:
    """Whether a measure counts crimes reported to the police (so the caveat applies).

    Parameters
    ----------
    measure : mapping
        The measure's ``source`` and ``unit``.

    Returns
    -------
    bool
        True for a count or rate whose source is police recorded crime, or Action Fraud
        (the National Fraud Intelligence Bureau), not their outcomes, which are about
        what was done with the crimes recorded.
    """
    source = str(measure.get("source") or "").lower()
    return (
        (_RECORDED_CRIME in source or is_reported_to_action_fraud(measure))
        and _OUTCOMES not in source
        and str(measure.get("unit") or "") in _CRIME_UNITS
    )


def is_reported_to_action_fraud(measure: Mapping[str, Any]) -> bool:
    """Whether a measure's source is Action Fraud or the National Fraud Intelligence Bureau."""
    source = str(measure.get("source") or "").lower()
    return any(words in source for words in _ACTION_FRAUD)


MORE_REPORTING = "which may be more reporting"
"""What a rise in reports to Action Fraud may be (ONS, *Crime in England and Wales: user
guide*, "Fraud and computer misuse": most such crimes are never reported)."""
RISE_IN_REPORTS = f"more reports, {MORE_REPORTING}"
"""A real worsening in reports to Action Fraud, in every reader's words: the public
report's sentence, the "But:" beside a strategy's rating and the keys that say what Red
and "needs attention" mean (review 9, R9-18; review 12, R12-1)."""
POSSIBLE_RISE_IN_REPORTS = f"if real, {RISE_IN_REPORTS}"
"""A possible worsening in reports to Action Fraud (a test short of conclusive, or a
chart's run or trend the tests do not confirm): what it would be if real, in the same
words (review 20, R20-4)."""


def is_rise_in_reports(measure: Mapping[str, Any]) -> bool:
    """Whether a worsening of the measure is a rise in reports that may be more reporting.

    The one flag every reader's words for such a worsening read, so no page calls it
    crime getting worse while another says it may be more reporting (review 12, R12-1).
    The rating itself follows the catalogue's good direction and is not changed here.

    Parameters
    ----------
    measure : mapping
        The measure's ``source`` and ``good_direction``.

    Returns
    -------
    bool
        True for crimes reported to Action Fraud (:func:`is_reported_to_action_fraud`)
        where lower is better, so that getting worse is a rise in reports.
    """
    return (
        is_reported_to_action_fraud(measure) and str(measure.get("good_direction") or "") == "lower"
    )


def _detail(measure: Mapping[str, Any], kind: str) -> str:
    """A caveat's detail: what a rate is per, or that crimes were reported to Action Fraud."""
    if kind == "rate":
        return describe_rate_basis(measure, "quarter")
    if kind == "recorded crime" and is_reported_to_action_fraud(measure):
        return REPORTED_TO_ACTION_FRAUD
    return ""


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
        ``detail`` (what a rate is per; "reported to Action Fraud" for such crimes; empty
        otherwise), then, for a rate, the two parts of what it is per, ``population``
        ("households"; empty when none is named) and ``period`` ("a month"), empty
        otherwise; ordered by kind then as given.
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
                population, period = split_rate_basis(m, "quarter") if kind == "rate" else ("", "")
                rows.append(
                    {
                        "kind": kind,
                        "measure_id": m["measure_id"],
                        "measure_name": m["measure_name"],
                        "detail": _detail(m, kind),
                        "population": population,
                        "period": period,
                    }
                )
    columns = ["kind", "measure_id", "measure_name", "detail", "population", "period"]
    frame = pd.DataFrame(rows, columns=columns)
    order = {kind: i for i, kind in enumerate(CAVEAT_KINDS)}
    return frame.sort_values("kind", key=lambda c: c.map(order), kind="stable").reset_index(
        drop=True
    )
