"""Owners' commitment statuses set against the data of the measure they deliver.

A commitment's status ("on track", "at risk", ...) is what its owners report; a measure's
rating is what the data show. Where a commitment names the measure whose target it
delivers (``measure_id`` in ``commitments/commitments.csv``, optional), the Board may ask
the owners to reconcile the two, but only where the measure's rating is a test of the
promise (review 7, F13: one quarter's £1.22m of savings does not test "Deliver £4.0m of
recurrent savings a year" due March 2027, whose risk the owners put in 2027/28).

The rule (``docs/methodology.md``, "Owners' status against the measure's data"):

- only a measure rated on a **target or trajectory** can bear on a status (a measure
  with no target has no verdict on the commitment's aim);
- the rating must **test the promise**: a **trajectory** (the course to the target date)
  tests a promise still to fall due; a **per-period target** tests it only once the
  promise has fallen due by the end of the period measured, when the period's figure is
  the promise's outcome. Before then one period's figure says nothing of a promise
  about a later or whole year, either way;
- **at risk** or **off track** against a measure that **meets** its target or course
  (Green, or met but capped at Amber for a real deterioration), and **on track** or
  **complete** against one that **misses** it (Amber or Red, not capped, and not a
  survey's shortfall within its margin of error), are put to the owners as a question;
- **not started**, a measure with no figure, and a measure the report does not show are
  never checked.

The question is for the Board: a status may rest on what the figures cannot show, so it
is asked, not decided, and the public reports never carry it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.labels import format_figures, is_missing, month_words
from pcplib.records import list_records

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = [
    "STATUS_CHECK_COLUMNS",
    "attach_status_checks",
    "check_commitment_statuses",
]

STATUS_CHECK_COLUMNS = [
    "commitment_id", "strategy_id", "commitment", "status", "measure_id", "measure_name",
    "data_verdict", "sentence",
]  # fmt: skip
"""Columns of :func:`check_commitment_statuses`: one row per status put to the owners."""

_PESSIMISTIC = ("at risk", "off track")
_OPTIMISTIC = ("on track", "complete")


def _data_verdict(row: Mapping[str, Any]) -> str:
    """``"meets"``, ``"misses"`` or ``""``: where the measure stands on its target."""
    if row.get("rag_basis") not in ("target", "trajectory") or is_missing(row.get("current")):
        return ""
    if row.get("rag") == "Green" or bool(row.get("rag_capped")):
        return "meets"
    if row.get("rag") in ("Amber", "Red") and not row.get("target_within_margin"):
        return "misses"
    return ""


def _figures_words(row: Mapping[str, Any], verdict: str) -> str:
    """The measure's verdict on its target with the figures it rests on."""
    compared = row.get("target_compared")
    compared = row.get("current") if is_missing(compared) else compared
    unit, per = str(row["unit"]), str(row.get("rate_per") or "")
    now, goal = format_figures([compared, row.get("target_for_period")], unit, per=per)
    label = str(row.get("target_period_label") or "").strip()
    figures = f"{now} against {goal}{' ' + label if label else ''}"
    due = str(row.get("target_date") or "")
    if row.get("rag_basis") == "trajectory" and due:
        when = month_words(periods.parse_month(due))
        if verdict == "meets":
            return f"is on course for its {when} target ({figures})"
        return f"is behind the course to its {when} target ({figures} expected by now)"
    return f"{verdict} its target ({figures})"


def tests_promise(
    commitment: Mapping[str, Any], row: Mapping[str, Any], period_end: str | None
) -> bool:
    """Whether a measure's rating tests the promise of the commitment naming it.

    Parameters
    ----------
    commitment : mapping
        The commitment (``due_date``).
    row : mapping
        The measure's verdict (``rag_basis``).
    period_end : str or None
        The last month measured, ``YYYY-MM``; None when unknown (only a trajectory
        then tests the promise).

    Returns
    -------
    bool
        True for a rating on a trajectory (the course to its target date is the test of
        a promise still to fall due), or on a per-period target once the promise has
        fallen due by the end of the period measured (the period's figure is then its
        outcome); False otherwise, so a quarter's figure is never set against a promise
        about a later or whole year (review 7, F13).
    """
    if row.get("rag_basis") == "trajectory":
        return True
    due = commitment.get("due_date")
    if period_end is None or is_missing(due) or not str(due).strip():
        return False
    try:
        due_month = pd.Timestamp(str(due)).to_period("M")
    except (ValueError, TypeError):
        return False
    return bool(due_month <= periods.parse_month(period_end))


# The question put to the owners, by the status they report.
_QUESTIONS = {
    "at risk": "what puts it at risk that the figures do not show?",
    "off track": "what puts it off track that the figures do not show?",
    "on track": "what will bring the figures back to the target?",
    "complete": "has what was delivered slipped since?",
}


def _one_check(
    commitment: Mapping[str, Any], row: Mapping[str, Any], period_end: str | None
) -> dict[str, str] | None:
    """The question on one commitment's status and its measure's verdict, or None."""
    status = str(commitment.get("status") or "")
    verdict = _data_verdict(row)
    differ = (verdict == "meets" and status in _PESSIMISTIC) or (
        verdict == "misses" and status in _OPTIMISTIC
    )
    if not differ or not tests_promise(commitment, row, period_end):
        return None
    text, name = str(commitment["commitment"]), str(row["measure_name"])
    said = _figures_words(row, verdict)
    # A question for the owners, not a verdict on them: the status may rest on what the
    # figures cannot show yet (review 7, F13).
    sentence = (
        f'Owners report "{text}" {status}, while its measure, {name}, {said}: {_QUESTIONS[status]}'
    )
    return {
        "commitment_id": str(commitment["commitment_id"]),
        "strategy_id": str(commitment["strategy_id"]),
        "commitment": text,
        "status": status,
        "measure_id": str(row["measure_id"]),
        "measure_name": name,
        "data_verdict": verdict,
        "sentence": sentence,
    }


def check_commitment_statuses(
    commitments: pd.DataFrame, verdicts: pd.DataFrame, period_end: str | None = None
) -> pd.DataFrame:
    """List the commitments whose owners' status the Board should ask them to reconcile.

    Parameters
    ----------
    commitments : pandas.DataFrame
        The commitments table (``commitment_id``, ``strategy_id``, ``commitment``,
        ``status``, ``due_date`` and the optional ``measure_id``); a table without
        ``measure_id`` (a data set made before the column) has nothing to check.
    verdicts : pandas.DataFrame
        Measures' verdicts from :func:`~pcplib.assessment.measures.summarise_measures`:
        only the measures in it are checked.
    period_end : str, optional
        The last month measured, ``YYYY-MM``: a per-period target tests a promise due by
        then (:func:`tests_promise`). Without it only a trajectory is a test.

    Returns
    -------
    pandas.DataFrame
        One row per question, columns :data:`STATUS_CHECK_COLUMNS`, in the order of the
        commitments table; empty when there is none. See the module docstring for the
        rule.
    """
    rows: list[dict[str, str]] = []
    if "measure_id" in commitments.columns and "measure_id" in verdicts.columns:
        by_measure = {str(r["measure_id"]): r for r in list_records(verdicts)}
        for commitment in commitments.to_dict("records"):
            measure = str(commitment.get("measure_id") or "").strip()
            if measure and measure in by_measure:
                found = _one_check(commitment, by_measure[measure], period_end)
                if found is not None:
                    rows.append(found)
    return pd.DataFrame(rows, columns=STATUS_CHECK_COLUMNS)


def attach_status_checks(
    verdicts: pd.DataFrame,
    dataset: Dataset,
    audience: str = "board",
    period_end: str | None = None,
) -> pd.DataFrame:
    """Add each measure's questions on its commitments' statuses to its verdict.

    Parameters
    ----------
    verdicts : pandas.DataFrame
        Measures' verdicts (:func:`~pcplib.assessment.measures.summarise_measures`).
    dataset : Dataset
        The data set, whose ``commitments`` are checked (none: an empty column).
    audience : {"board", "public"}, default "board"
        For ``"public"`` the column is empty: the question is the Board's to put to the
        owners, not a verdict for residents (review 7, F13).
    period_end : str, optional
        The last month measured (:func:`check_commitment_statuses`).

    Returns
    -------
    pandas.DataFrame
        ``verdicts`` with ``status_disagreement``: the Board's question, ``""`` when
        none; two commitments on one measure give two sentences.
    """
    out = verdicts.copy()
    commitments = getattr(dataset, "commitments", None)
    checks = (
        check_commitment_statuses(commitments, verdicts, period_end)
        if commitments is not None and audience == "board"
        else pd.DataFrame(columns=STATUS_CHECK_COLUMNS)
    )
    joined = checks.groupby("measure_id", sort=False)["sentence"].agg(" ".join).to_dict()
    out["status_disagreement"] = [str(joined.get(m, "")) for m in out["measure_id"]]
    return out
