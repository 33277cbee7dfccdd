"""What changed for the Delivery Board: progress, the evidence behind a change, an update.

The Delivery Board's quarterly view (:mod:`pcplib.assessment.board`) holds owners to
account "for the progress or delays in delivery within their areas" (seed 002, para
12). This module works out the three parts of a change the view reports, as rows the
report floor only formats:

- **progress** (:func:`list_progress`): what was done since the comparison, not only
  what is late or worse: commitments completed, Board actions done, measures that moved
  out of "needs attention" and targets newly met. A target newly met, but not reliably
  (its record shows it usually missed) is listed apart (:func:`list_unreliable_targets`),
  as a strategy report's "Since the last meeting" lists it, and never counted.
  Commitments and actions can only be counted against a record of what the Board was
  shown (their status then); recomputed from today's data, only the measures' progress
  can be shown, and the view says so;
- **the evidence behind a change** (:func:`describe_change_reasons`, each measure's
  words from :func:`~pcplib.assessment.change_evidence.describe_change_evidence`, shared
  with a strategy report's "Since the last meeting"; :func:`describe_rating_reason`): a
  change of rating gives the change in the figures that made it ("into needs attention:
  12 months to September 2026 412 against 356 in the 12 months to September 2025, a
  real rise"), not only the new rating's name;
- **an update** (:func:`find_first_view`): a second view of the same quarter (new
  returns arrived) is compared with the first view of that quarter published, when the
  meeting history holds it, never with the quarter before as if the first did not exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib.assessment.change_chance import UNRELIABLE
from pcplib.assessment.change_evidence import describe_change_evidence
from pcplib.assessment.continuity import describe_period_compared
from pcplib.labels import is_missing, strip_text

if TYPE_CHECKING:
    from pcplib.assessment.continuity import Continuity
    from pcplib.data.history import MeetingRecord

__all__ = [
    "PROGRESS_STATES",
    "describe_change_reasons",
    "describe_rating_reason",
    "find_first_view",
    "list_progress",
    "list_unreliable_targets",
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


UNRELIABLE_TARGET = f"target newly {UNRELIABLE}"
"""A measure's move onto its target that its record does not bear out: listed, not
progress (:func:`list_unreliable_targets`)."""

NOT_PROGRESS = "not progress"
"""The flag of a listed move that is counted neither as progress nor as slippage."""


def list_unreliable_targets(
    changes: pd.DataFrame, measures: pd.DataFrame, reasons: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Return the measures whose target was newly met, but not reliably, one row each.

    The figure is on its target now and was not a quarter before, but its record shows
    it usually missed (opening hours met in only 4 of 20 months): the Board is told of
    the move, as a strategy report's "Since the last meeting" tells it, and it is not
    counted as progress (the Board's judgements.csv row carries the same words).

    Parameters
    ----------
    changes : pandas.DataFrame
        The strategy's movements
        (:attr:`~pcplib.assessment.continuity.Continuity.changes`).
    measures : pandas.DataFrame
        Today's measures, for their names.
    reasons : mapping, optional
        The evidence behind each measure's change, by measure id
        (:func:`~pcplib.assessment.change_evidence.describe_change_evidence`); the
        movement's own figures and record when a measure has none.

    Returns
    -------
    list of dict
        Rows like :func:`list_progress`'s, ``flag`` :data:`NOT_PROGRESS`, ``state``
        "target newly met, but not reliably (not progress)" and ``progress_kind`` empty.
    """
    reasons = reasons or {}
    names = (
        dict(zip(measures["measure_id"].astype(str), measures["measure_name"], strict=True))
        if not measures.empty
        else {}
    )
    moved = changes[(changes["kind"] == "measure") & (changes["change"] == UNRELIABLE_TARGET)]
    rows = []
    for change in moved.drop_duplicates("item_id").to_dict("records"):
        key = str(change["item_id"])
        rows.append(
            {
                "kind": "measure",
                "item_id": key,
                "item": names.get(key, str(change["name"])),
                "state": f"{UNRELIABLE_TARGET} ({NOT_PROGRESS})",
                "due": "",
                "detail": "",
                "flag": NOT_PROGRESS,
                "reason": reasons.get(key) or strip_text(change.get("reason")),
                "progress_kind": "",
            }
        )
    return rows


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


def describe_change_reasons(
    summary: Any, continuity: Continuity, update: bool
) -> tuple[dict[str, str], set[str]]:
    """Each moved measure's change in the evidence, by measure id, and those re-rated.

    The figure compared with is the one the comparison gave for its own period: the
    quarter before's, or in an update the same quarter's as first published. In an update,
    a measure whose figure is the one first published yet whose rating moved was re-rated,
    not changed: the method (or a target or rule in the data set) moved it, so its words
    say so and it is not counted as progress.

    Parameters
    ----------
    summary : StrategySummary
        Today's strategy summary (its measures' verdicts).
    continuity : Continuity
        Its comparison with the view or meeting before
        (:func:`~pcplib.assessment.continuity.compare_with_previous_meeting`).
    update : bool
        Whether the view is an update of a quarter first published.

    Returns
    -------
    tuple of (dict, set)
        The words of each moved measure's change in the evidence
        (:func:`~pcplib.assessment.change_evidence.describe_change_evidence`), by measure
        id, and the ids of those re-rated on the figure first published.
    """
    changes = continuity.changes
    moved = changes[changes["kind"] == "measure"]
    if moved.empty:
        return {}, set()
    by_measure = continuity.measures.set_index("measure_id")
    earlier = by_measure["previous_value"]
    within = by_measure.get("move_within_chance", pd.Series(dtype=object))
    noise = by_measure.get("change_within_chance", pd.Series(dtype=object))
    rated_then = by_measure.get("rated_then", pd.Series(dtype=object))
    previous = continuity.previous
    label = "the view first published" if update else ""
    reasons: dict[str, str] = {}
    restated: set[str] = set()
    for now in summary.measures.to_dict("records"):
        mid = str(now["measure_id"])
        mine = moved[moved["item_id"] == mid]
        if mine.empty:
            continue
        value = earlier.get(mid)
        then = None if is_missing(value) else float(value)
        words = describe_change_evidence(
            now,
            mine["change"].astype(str).tolist(),
            then,
            label
            or (describe_period_compared(previous.period_end, now) if previous is not None else ""),
            within_chance=strip_text(within.get(mid)),
            chance_note=strip_text(noise.get(mid)),
            was=strip_text(rated_then.get(mid)),
        )
        current = now.get("current")
        if update and then is not None and not is_missing(current) and then == float(current):
            restated.add(mid)
            words = (
                "re-rated on the figure first published, so the change is in how it is "
                f"judged, not in performance: {words}"
            )
        reasons[mid] = words
    return reasons, restated


def describe_rating_reason(change: dict[str, Any]) -> str:
    """A measure's reason for its new rating; a rating lost (to Grey) says "no longer rated".

    A move from a rating to Grey is not an improvement (review 3: "no longer needs
    attention" read as the problem solved): "not rated: ..." becomes "no longer rated: ...".

    Parameters
    ----------
    change : dict
        A changed rating (``reason``, ``before``, ``after``).

    Returns
    -------
    str
        The reason, "no longer rated: ..." for a rating lost to Grey.
    """
    reason = strip_text(change.get("reason"))
    lost = change.get("after") == "Grey" and change.get("before") in ("Green", "Amber", "Red")
    if lost and reason.startswith("not rated: "):
        return "no longer rated: " + reason.removeprefix("not rated: ")
    return reason
