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
- **the evidence behind a change**
  (:func:`~pcplib.assessment.change_evidence.describe_change_evidence`, shared with a
  strategy report's "Since the last meeting"): a change of
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

if TYPE_CHECKING:
    from pcplib.data.history import MeetingRecord

__all__ = [
    "PROGRESS_STATES",
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
        (:func:`~pcplib.assessment.change_evidence.describe_change_evidence`).
    items_known : bool, default True
        Whether commitments' and actions' earlier status is on record; when it is not,
        none is counted (a recomputed comparison cannot tell what was done since).

    Returns
    -------
    list of dict
        Rows of :data:`~pcplib.assessment.board.BOARD_ITEM_COLUMNS` without the strategy's
        columns: ``kind`` (``commitment``, ``action`` or ``measure``), ``item_id``,
        ``item``, ``state`` (:data:`PROGRESS_STATES`), ``detail`` (the status before, for
        a commitment or an action), ``flag`` ``progress``, ``reason`` and
        ``progress_kind``: what the item counts as, its ``kind``, except a measure only
        newly on its target (still needing attention: met, but worse by more than
        chance), ``target``. A measure has one row, its states joined ("no longer needs
        attention; target newly met"), and counts as out of needs attention.
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
        counted = "target" if state == PROGRESS_STATES[("measure", "target newly met")] else kind
        if (kind, key) in rows:
            rows[(kind, key)]["state"] += f"; {state}"
            if counted != "target":
                rows[(kind, key)]["progress_kind"] = counted
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
            "progress_kind": counted,
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
