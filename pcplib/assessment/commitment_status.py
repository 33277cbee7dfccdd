"""Owners' commitment statuses checked against the data of the measure they deliver.

A commitment's status ("on track", "at risk", ...) is what its owners report; a measure's
rating is what the data show. Where a commitment names the measure whose target it
delivers (``measure_id`` in ``commitments/commitments.csv``, optional), the two can
contradict each other: "Deliver £4.0m of recurrent savings a year" reported at risk while
the savings measure meets the same target. Printed apart, that is one target with two
verdicts and nothing to reconcile them, so one sentence saying so is set beside both.

The rule (``docs/methodology.md``, "Owners' status against the measure's data"):

- only a measure rated on a **target or trajectory** can contradict a status (a measure
  with no target has no verdict on the commitment's aim);
- **at risk** or **off track** contradicts a measure that **meets** its target or
  trajectory (rated Green, or met but capped at Amber for a real deterioration);
- **on track** or **complete** contradicts a measure that **misses** it (Amber or Red on
  the target, not capped), unless the shortfall is within a survey's margin of error,
  which is not shown to be a miss;
- **not started**, a measure with no figure, and a measure the report does not show
  (a restricted one in a public report) are never checked.

The sentence is computed here once; the reports only place it: beside the commitment,
beside the measure (its ``status_disagreement``, also a ``judgements.csv`` column), and in
plain words in the public report's sentence (``status_disagreement_public``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.scope import mentions_restricted
from pcplib.labels import format_figures, is_missing, month_words

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = [
    "STATUS_CHECK_COLUMNS",
    "attach_status_checks",
    "check_commitment_statuses",
    "say_public_disagreement",
]

STATUS_CHECK_COLUMNS = [
    "commitment_id", "strategy_id", "commitment", "status", "measure_id", "measure_name",
    "data_verdict", "sentence", "public_sentence",
]  # fmt: skip
"""Columns of :func:`check_commitment_statuses`: one row per contradicted status."""

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


def _one_check(commitment: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, str] | None:
    """The contradiction between one commitment and its measure's verdict, or None."""
    status = str(commitment.get("status") or "")
    verdict = _data_verdict(row)
    wrong = (verdict == "meets" and status in _PESSIMISTIC) or (
        verdict == "misses" and status in _OPTIMISTIC
    )
    if not wrong:
        return None
    text, name = str(commitment["commitment"]), str(row["measure_name"])
    said = _figures_words(row, verdict)
    sentence = (
        f'Owners report "{text}" {status}, yet its measure, {name}, {said}: the status and '
        "the data disagree."
    )
    # Self-contained, naming the measure: it may be read apart from the measure's own
    # sentence, under "What still needs attention" (review 5, N7).
    plain = (
        f'The promise "{text}" is {status}, its owners say, even though {name} '
        f"{'meets' if verdict == 'meets' else 'misses'} its target."
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
        "public_sentence": plain,
    }


def check_commitment_statuses(commitments: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """List the commitments whose owners' status the data of their measure contradict.

    Parameters
    ----------
    commitments : pandas.DataFrame
        The commitments table (``commitment_id``, ``strategy_id``, ``commitment``,
        ``status`` and the optional ``measure_id``); a table without ``measure_id`` (a
        data set made before the column) has nothing to check.
    verdicts : pandas.DataFrame
        Measures' verdicts from :func:`~pcplib.assessment.measures.summarise_measures`:
        only the measures in it are checked (a public report's leave out restricted ones).

    Returns
    -------
    pandas.DataFrame
        One row per contradiction, columns :data:`STATUS_CHECK_COLUMNS`, in the order of
        the commitments table; empty when there is none. See the module docstring for the
        rule.
    """
    rows: list[dict[str, str]] = []
    if "measure_id" in commitments.columns and "measure_id" in verdicts.columns:
        by_measure = {str(r["measure_id"]): r for r in verdicts.to_dict("records")}
        for commitment in commitments.to_dict("records"):
            measure = str(commitment.get("measure_id") or "").strip()
            if measure and measure in by_measure:
                found = _one_check(commitment, by_measure[measure])
                if found is not None:
                    rows.append(found)
    return pd.DataFrame(rows, columns=STATUS_CHECK_COLUMNS)


def attach_status_checks(
    verdicts: pd.DataFrame, dataset: Dataset, audience: str = "board"
) -> pd.DataFrame:
    """Add each measure's contradicted commitment statuses to its verdict.

    Parameters
    ----------
    verdicts : pandas.DataFrame
        Measures' verdicts (:func:`~pcplib.assessment.measures.summarise_measures`).
    dataset : Dataset
        The data set, whose ``commitments`` are checked (none: empty columns).
    audience : {"board", "public"}, default "board"
        For ``"public"``, a sentence quoting a commitment that names a restricted
        measure is left out, as the commitment itself is withheld.

    Returns
    -------
    pandas.DataFrame
        ``verdicts`` with ``status_disagreement`` (the Board's sentence, ``""`` when
        none; two commitments on one measure give two sentences) and
        ``status_disagreement_public`` (the same in plain words, for the public report).
    """
    out = verdicts.copy()
    commitments = getattr(dataset, "commitments", None)
    checks = (
        check_commitment_statuses(commitments, verdicts)
        if commitments is not None
        else pd.DataFrame(columns=STATUS_CHECK_COLUMNS)
    )
    if audience == "public" and not checks.empty:
        checks = checks[[not mentions_restricted(dataset, t) for t in checks["commitment"]]]
    for column, source in (
        ("status_disagreement", "sentence"),
        ("status_disagreement_public", "public_sentence"),
    ):
        joined = checks.groupby("measure_id", sort=False)[source].agg(" ".join).to_dict()
        out[column] = [str(joined.get(m, "")) for m in out["measure_id"]]
    return out


def say_public_disagreement(row: Mapping[str, Any]) -> str:
    """The public sentence on a measure's contradicted commitment status, or ``""``.

    Self-contained, naming the promise and the measure, as the public report says it in
    one of two places: at the end of the measure's sentence when the data miss the
    target (the measure needs attention), and under "What still needs attention" when
    they meet it (the measure is achieved: review 5, N7; ``docs/methodology.md``,
    "Owners' status against the measure's data").

    Parameters
    ----------
    row : mapping
        A measure's verdict with ``status_disagreement_public``
        (:func:`attach_status_checks`, public audience).

    Returns
    -------
    str
        The sentence, or ``""`` when the owners' status agrees with the data.
    """
    said = row.get("status_disagreement_public")
    return "" if is_missing(said) or not said else str(said)
