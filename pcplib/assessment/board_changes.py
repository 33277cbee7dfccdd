"""What changed for the Delivery Board: progress, the evidence behind a change, an update.

The Delivery Board's quarterly view (:mod:`pcplib.assessment.board`) holds owners to
account "for the progress or delays in delivery within their areas" (seed 002, para
12). This module works out the three parts of a change the view reports, as rows the
report floor only formats:

- **progress** (:func:`list_progress`): what was done since the comparison, not only
  what is late or worse: commitments completed, Board actions done, measures that moved
  out of "needs attention" and targets newly met. Commitments and actions can only be
  counted against a record of what the Board was shown (their status then); recomputed
  from today's data, only the measures' progress can be shown, and the view says so;
- **the evidence behind a change** (:func:`describe_change_evidence`): a change of
  rating gives the change in the figures that made it ("into needs attention: 12
  months to September 2026 412 against 356 in the 12 months to September 2025, a real
  rise"), not only the new rating's name;
- **an update** (:func:`find_first_view`): a second view of the same quarter (new
  returns arrived) is compared with the first view of that quarter published, when the
  meeting history holds it, never with the quarter before as if the first did not exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib.assessment.exceptions import describe_rating_plainly
from pcplib.labels import format_figures, is_missing

if TYPE_CHECKING:
    from pcplib.data.history import MeetingRecord

__all__ = [
    "PROGRESS_STATES",
    "describe_change_evidence",
    "describe_rating_evidence",
    "find_first_view",
    "list_progress",
]

PROGRESS_STATES = {
    ("commitment", "done"): "completed",
    ("action", "done"): "done",
    ("measure", "out of needs attention"): "no longer needs attention",
    ("measure", "target newly met"): "target newly met",
}
"""The movements of :attr:`~pcplib.assessment.continuity.Continuity.changes` that are
progress, and the state the view gives each. A measure "no longer rated" is not progress
(nothing got better: the method can no longer judge it)."""

_COMPARED = {
    "the quarter on the same quarter a year earlier": (
        "current_label", "current", "last_year_label", "last_year",
    ),
    "the year ending on the year before": (
        "year_ending_label", "year_ending", "previous_year_label", "previous_year",
    ),
    "the year ending on the baseline year": (
        "year_ending_label", "year_ending", "baseline_label", "baseline",
    ),
}  # fmt: skip
"""For each comparison a rating can rest on (``rag_comparison``), the columns of the
figure now and the figure it is compared with, each with its label."""

_GRADES = {
    "harm_test": "a real {worse}",
    "harm_possible": "a possible {worse}, not yet conclusive",
    "harm_spc": "outside its chart's usual range, a real {worse}",
    "harm_spc_unconfirmed": "outside its chart's usual range, which the tests of change "
    "do not confirm",
    "no_deterioration": "no real {worse}",
    "tests_improvement": "a real {better}",
}
"""The grade of the evidence behind a rating with no target, by its rule, in plain words
(the rule and its test stay in ``rag_reason``)."""


def _number(value: Any) -> float | None:
    if is_missing(value) or str(value).strip() == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _figures_compared(row: Mapping[str, Any]) -> str:
    """``"12 months to September 2026 412 against 356 in the 12 months to September 2025"``.

    The comparison the rating rests on (``rag_comparison``), else the quarter on the same
    quarter a year earlier, else the year ending on the year before; empty when neither
    has both figures.
    """
    chosen = str(row.get("rag_comparison") or "")
    order = [chosen] if chosen in _COMPARED else []
    order += [c for c in _COMPARED if c != chosen][:2]
    for comparison in order:
        label_now, now, label_then, then = _COMPARED[comparison]
        figures = [_number(row.get(now)), _number(row.get(then))]
        if None in figures:
            continue
        shown = format_figures(figures, str(row.get("unit", "")), str(row.get("rate_per") or ""))
        return (
            f"{row.get(label_now) or 'now'} {shown[0]} against {shown[1]} in "
            f"{_the(str(row.get(label_then) or 'the comparison period'))}"
        )
    return ""


def _the(label: str) -> str:
    """``"the 12 months to September 2025"``; a quarter or year label stays bare."""
    return f"the {label}" if label.startswith("12 months") else label


def describe_rating_evidence(row: Mapping[str, Any]) -> str:
    """Say the figures behind a measure's rating, in plain words.

    Parameters
    ----------
    row : mapping
        A measure's row of :attr:`~pcplib.assessment.strategy.StrategySummary.measures`.

    Returns
    -------
    str
        For a target or trajectory, the figure against it ("target missed (76.9%
        against 85.0%)"); with no target, the figures of the comparison the rating rests
        on and what the tests make of them ("2026/27 Q2 152 against 120 in 2025/26 Q2, a
        real rise"); for a measure not rated, why
        (:func:`~pcplib.assessment.exceptions.describe_rating_plainly`).
    """
    rule = str(row.get("rag_rule") or "")
    if str(row.get("rag_basis")) != "evidence" or rule not in _GRADES:
        return describe_rating_plainly(row)
    figures = _figures_compared(row)
    if not figures:
        return describe_rating_plainly(row)
    # Worse is a fall for a measure that should grow (a share answered, a rate solved).
    higher = row.get("good_direction") == "higher"
    grade = _GRADES[rule].format(
        worse="fall" if higher else "rise", better="rise" if higher else "fall"
    )
    return f"no target; {figures}, {grade}"


def describe_change_evidence(
    now: Mapping[str, Any],
    movements: Sequence[str] = (),
    earlier: float | None = None,
    earlier_label: str = "",
) -> str:
    """Say why a measure's rating changed: the change in the evidence, not the new name.

    Parameters
    ----------
    now : mapping
        The measure's row today (:attr:`~pcplib.assessment.strategy.StrategySummary.measures`).
    movements : sequence of str
        Its movements since the comparison
        (:data:`~pcplib.assessment.continuity.CHANGE_COLUMNS` ``change``): a move into or
        out of "needs attention" leads the words.
    earlier : float, optional
        The figure the comparison gave for its own period (as the Board was told it, or
        recomputed); said beside a target's figure, whose comparison is with the target.
    earlier_label : str, optional
        That period in words (``"the quarter to June 2026"``).

    Returns
    -------
    str
        Such as "into needs attention: no target; 2026/27 Q2 152 against 120 in 2025/26
        Q2, a real rise" or "out of needs attention: target met (93.4% against 90.0%;
        88.2% in the quarter to June 2026)".
    """
    words = describe_rating_evidence(now)
    current = _number(now.get("current"))
    compared = _number(now.get("target_compared"))
    # A seasonal measure's target is judged on its year ending: the quarter before is then
    # not the same kind of figure, and is not set beside it.
    same_kind = compared is None or compared == current
    if (
        str(now.get("rag_basis")) in ("target", "trajectory")
        and earlier is not None
        and current is not None
        and same_kind
        and words.endswith(")")
    ):
        then = format_figures(
            [earlier, current], str(now.get("unit", "")), str(now.get("rate_per") or "")
        )
        words = f"{words[:-1]}; {then[0]} in {earlier_label or 'the period compared'})"
    lead = next(
        (m for m in ("into needs attention", "out of needs attention") if m in movements), ""
    )
    return f"{lead}: {words}" if lead else words


def list_progress(
    changes: pd.DataFrame,
    measures: pd.DataFrame,
    reasons: Mapping[str, str] | None = None,
    items_known: bool = True,
) -> list[dict[str, Any]]:
    """Return what a strategy did or improved since the comparison, one row per item.

    Parameters
    ----------
    changes : pandas.DataFrame
        The strategy's movements
        (:attr:`~pcplib.assessment.continuity.Continuity.changes`).
    measures : pandas.DataFrame
        Today's measures, for their names.
    reasons : mapping, optional
        The evidence behind each measure's change, by measure id
        (:func:`describe_change_evidence`).
    items_known : bool, default True
        Whether commitments' and actions' earlier status is on record; when it is not,
        none is counted (a recomputed comparison cannot tell what was done since).

    Returns
    -------
    list of dict
        Rows of :data:`~pcplib.assessment.board.BOARD_ITEM_COLUMNS` without the strategy's
        columns: ``kind`` (``commitment``, ``action`` or ``measure``), ``item_id``,
        ``item``, ``state`` (:data:`PROGRESS_STATES`), ``detail`` (the status before, for
        a commitment or an action), ``flag`` ``progress`` and ``reason``. A measure has one
        row, its states joined ("no longer needs attention; target newly met").
    """
    reasons = reasons or {}
    names = (
        dict(zip(measures["measure_id"].astype(str), measures["measure_name"], strict=True))
        if not measures.empty
        else {}
    )
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for change in changes.to_dict("records"):
        kind, key = str(change["kind"]), str(change["item_id"])
        state = PROGRESS_STATES.get((kind, str(change["change"])))
        if state is None and kind in ("commitment", "action") and change["change"] == "new":
            # Agreed and done since: not on the earlier record, finished now.
            finished = "complete" if kind == "commitment" else "done"
            state = PROGRESS_STATES[(kind, "done")] if change["after"] == finished else None
        if state is None or (kind != "measure" and not items_known):
            continue
        if (kind, key) in rows:
            rows[(kind, key)]["state"] += f"; {state}"
            continue
        before = str(change.get("before") or "")
        rows[(kind, key)] = {
            "kind": kind,
            "item_id": key,
            "item": names.get(key, str(change["name"]))
            if kind == "measure"
            else str(change["name"]),
            "state": state,
            "due": "",
            "detail": f"was {before}" if kind != "measure" and before else "",
            "flag": "progress",
            # The state says the move; the reason gives the figures behind it.
            "reason": reasons.get(key, "").removeprefix("out of needs attention: ")
            if kind == "measure"
            else "",
        }
    return list(rows.values())


def find_first_view(
    runs: Sequence[MeetingRecord], report: str, period_end: str
) -> MeetingRecord | None:
    """Return the first published view of a quarter in the meeting history, if any.

    Parameters
    ----------
    runs : sequence of MeetingRecord
        Every published run, oldest first (:func:`pcplib.data.history.list_meeting_runs`).
    report : str
        The view's name in ``judgements.csv`` (``delivery-board``).
    period_end : str
        The quarter's last month, ``YYYY-MM``.

    Returns
    -------
    MeetingRecord or None
        The earliest run whose ``judgements.csv`` holds the view on that data period;
        None when the quarter's view was not published before.
    """
    needed = {"report", "period_end"}
    for run in runs:
        frame = run.judgements
        if frame.empty or not needed <= set(frame.columns):
            continue
        if ((frame["report"] == report) & (frame["period_end"] == period_end)).any():
            return run
    return None
