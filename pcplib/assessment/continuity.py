"""Since the last meeting: what changed since the Board last saw a strategy.

A strategy comes back to the Board on the forward plan (seed 002, para 10), and a board
wants to know what changed since it last looked. This module compares today's
judgements with those of the last meeting at which the strategy was reported:

- **the previous meeting** is the latest earlier meeting that reviewed the strategy, on
  the forward plan or in the meeting history (:mod:`pcplib.data.history`);
- **as reported**: when the history keeps what that meeting was told, its
  ``judgements.csv``, commitments and actions are the comparison, and every figure of
  the previous data period is checked against the same period's figure today (a
  revision: "reported as 1,215; now 1,198");
- **recomputed**: with no record on file, the previous meeting's judgements are
  recomputed from today's data and methods for that meeting's data period. The section says so;
  revisions and the earlier status of commitments cannot then be shown.

Every statement of a change names its comparison with its data period
(:attr:`Continuity.since_words`: "since the Board's meeting of July 2026 (data to May
2026)"): the Delivery Board's quarterly view compares with the quarter before, and a
reader holding both must see that the two compare with different points (review 7,
F14).

The movements are one tidy frame (:attr:`Continuity.changes`): ratings that changed and
the figures that moved them (the Delivery Board view's words,
:func:`~pcplib.assessment.change_evidence.describe_change_evidence`), measures moving
into or out of *needs attention*, targets newly met or missed, commitments and actions
whose status or due date changed, and revised figures. The same comparison per measure
gives the ``previous_*``, ``revision`` and ``since_last_meeting`` columns of
``judgements.csv`` (:mod:`pcplib.assessment.continuity_columns`). The report floor only
formats it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.actions import classify_actions, find_action_date
from pcplib.assessment.change_chance import (
    MOVED_WITHIN_CHANCE,
    NO_LONGER_RATED,
    classify_target_side,
    describe_change_within_chance,
    describe_unreliable_pass,
    is_rating_change,
    is_strategy_move_within_chance,
    name_target_move,
)
from pcplib.assessment.change_evidence import (
    describe_change_evidence,
    describe_earlier_rating,
    describe_lost_rating,
)
from pcplib.assessment.exceptions import describe_rating_plainly
from pcplib.assessment.rating_moves import (
    describe_rating_move_not_borne_out,
    describe_rating_move_within_chance,
    select_rated_then,
)
from pcplib.assessment.scope import strategy_commitments
from pcplib.assessment.spc_verdict import is_rolling
from pcplib.assessment.strategy import summarise_strategy
from pcplib.labels import date_words, format_figures, is_missing, month_words, parse_number
from pcplib.records import list_records

if TYPE_CHECKING:
    from pcplib.assessment.strategy import StrategySummary
    from pcplib.data import Dataset
    from pcplib.data.forward_plan import ForwardPlan
    from pcplib.data.history import MeetingRecord

__all__ = [
    "CHANGE_COLUMNS",
    "CHANGE_KINDS",
    "CONTINUITY_COLUMNS",
    "NO_LONGER_RATED",
    "Continuity",
    "PreviousMeeting",
    "compare_with_previous_meeting",
    "describe_period_compared",
    "find_previous_meeting",
    "is_rating_change",
]

AS_REPORTED = "as reported"
RECOMPUTED = "recomputed"

CHANGE_KINDS = ("overall", "measure", "commitment", "action")
CHANGE_COLUMNS = ["kind", "item_id", "name", "change", "before", "after", "reason"]
"""Columns of :attr:`Continuity.changes`. ``change`` is one of ``rating changed``,
``rating moved within chance`` (between "too close to say" and "met, but close", or
between two ratings on a figure that moved by less than chance allows, so neither
progress nor slippage: :mod:`pcplib.assessment.change_chance`; it has no "into" or "out
of needs attention" or "target newly" row), ``into needs attention``, ``out of needs attention``,
``target newly met``, ``target newly missed``, ``target newly met, but not reliably``
(:func:`~pcplib.assessment.change_chance.name_target_move`), ``no longer rated`` (rated then and
Grey now, ``before`` and ``after`` its ratings, in one row: never also "rating changed",
review 12, R12-4), ``figure revised``, ``status changed``,
``due date changed``, ``new`` (a commitment or action not shown before), ``done`` or
``now overdue`` (an action due before this meeting, not done or dropped, and not overdue
at the last one when it was shown); ``before`` and ``after`` are in words; ``reason``
says why (the rule behind a new rating)."""

CONTINUITY_COLUMNS = [
    "previous_meeting", "previous_basis", "previous_period_end", "previous_rag",
    "previous_assessment", "previous_value", "previous_value_now", "revision",
    "since_last_meeting", "rating_change", "rating_within_chance",
]  # fmt: skip
"""Columns :mod:`~pcplib.assessment.continuity_columns` fills in a strategy's
``judgements.csv`` rows: the previous meeting (``YYYY-MM``), whether its judgements are
``as reported`` (from the meeting history) or ``recomputed`` (from today's data), its
data period, the rating and assessment it gave, the figure it reported for its period,
that period's figure today, the revision (now minus reported), the movements in words,
then the rating's move in the categories the "Since the last meeting" sections file it
under (``rating_change``: ``rating changed``, ``rating moved within chance`` or ``no
longer rated``; empty when the rating did not move) and whether it moved within chance
(``rating_within_chance``, the verdict the reports mark "within chance"), so a dashboard
reading the file never takes as real a move the reports call chance (review 13, R13-3)."""

_ATTENTION = "needs attention"
_RATED = ("Green", "Amber", "Red")


@dataclass(frozen=True)
class PreviousMeeting:
    """The last meeting at which a strategy was reported.

    Attributes
    ----------
    slot : str
        The meeting month, ``YYYY-MM``.
    period_end : str
        The last month of its data period.
    record : MeetingRecord or None
        What the meeting was told, from the history; None when no record is on file.
    """

    slot: str
    period_end: str
    record: MeetingRecord | None = None

    @property
    def basis(self) -> str:
        """``as reported`` with a record on file, else ``recomputed``."""
        return AS_REPORTED if self.record is not None else RECOMPUTED


@dataclass(frozen=True)
class Continuity:
    """What changed in a strategy since the last meeting that saw it.

    Attributes
    ----------
    strategy_id : str
        The strategy.
    previous : PreviousMeeting or None
        The meeting compared with; None when the strategy has not been reported before.
    note : str
        One sentence saying what the comparison is against (and, when recomputed, what
        it cannot show).
    measures : pandas.DataFrame
        One row per measure of today's report: ``measure_id`` and
        :data:`CONTINUITY_COLUMNS`; with a previous meeting, then
        ``move_within_chance``: the words of a rating that moved within chance of its
        target (:func:`~pcplib.assessment.change_chance.describe_move_within_chance`),
        or between those standings on a figure that moved beyond chance and that its
        like-for-like tests do not bear out
        (:func:`~pcplib.assessment.change_chance.describe_move_beyond_chance`), else
        empty; ``change_within_chance``: for a rating that changed, the words of a
        figure that moved by less than chance allows
        (:func:`~pcplib.assessment.change_chance.describe_change_within_chance`), else
        empty; ``rated_then``: for a rating that changed between two ratings, what
        rated it then when the evidence did
        (:func:`~pcplib.assessment.change_evidence.describe_earlier_rating`), else empty.
    changes : pandas.DataFrame
        The movements, columns :data:`CHANGE_COLUMNS`, in the order of
        :data:`CHANGE_KINDS`.
    overall_within_chance : bool
        Whether the strategy's rating changed only because its measures' ratings moved
        on figures within chance (:data:`OVERALL_WITHIN_CHANCE` ends its reason).
    """

    strategy_id: str
    previous: PreviousMeeting | None
    note: str
    measures: pd.DataFrame = field(repr=False)
    changes: pd.DataFrame = field(repr=False)
    overall_within_chance: bool = False

    @property
    def since_words(self) -> str:
        """The comparison every change names, with its data period.

        ``"since the Board's meeting of July 2026 (data to May 2026)"``; empty when the
        strategy was not reported before. The data period is in the words themselves:
        the Delivery Board's view compares with the quarter before ("since the Delivery
        Board of 2026/27 Q1 (data to June 2026)"), and the two read side by side.
        """
        previous = self.previous
        if previous is None:
            return ""
        meeting = month_words(periods.parse_month(previous.slot))
        data = month_words(periods.parse_month(previous.period_end))
        return f"since the Board's meeting of {meeting} (data to {data})"


def _reported_strategies(record: MeetingRecord) -> set[str]:
    """The strategies a record holds a strategy report for (report named by the strategy)."""
    frame = record.judgements
    if frame.empty or not {"report", "strategy_id"} <= set(frame.columns):
        return set()
    return set(frame.loc[frame["report"] == frame["strategy_id"], "strategy_id"])


def find_previous_meeting(
    strategy_id: str,
    slot: str,
    plan: ForwardPlan | None = None,
    records: Sequence[MeetingRecord] = (),
) -> PreviousMeeting | None:
    """Return the last meeting before ``slot`` at which a strategy was reported.

    Parameters
    ----------
    strategy_id : str
        The strategy.
    slot : str
        Today's meeting, ``YYYY-MM``; only earlier meetings count.
    plan : ForwardPlan, optional
        The forward plan: the meetings that reviewed the strategy.
    records : sequence of MeetingRecord
        The meeting history (:func:`pcplib.data.history.list_meeting_records`): the
        meetings whose published run held a report on the strategy.

    Returns
    -------
    PreviousMeeting or None
        The latest such meeting, with its record when the history has one; None when
        the strategy was not reported before.
    """
    candidates: dict[str, str] = {}
    if plan is not None:
        for s in plan.slots:
            if strategy_id in s.strategies and s.slot < slot:
                candidates[s.slot] = s.period_end
    recorded = {
        r.slot: r for r in records if r.slot < slot and strategy_id in _reported_strategies(r)
    }
    for r in recorded.values():
        candidates[r.slot] = r.period_end
    if not candidates:
        return None
    last = max(candidates)
    return PreviousMeeting(last, candidates[last], recorded.get(last))


def _previous_rows(previous: PreviousMeeting, strategy_id: str) -> pd.DataFrame:
    """The previous meeting's judgements of the strategy's measures (and its overall row).

    Only this strategy's own report: a meeting that saw several strategies holds an
    ``overall`` row for each, and another strategy's rating must never be taken for this
    one's.
    """
    record = previous.record
    if record is not None:
        frame = record.judgements
        return frame[
            (frame["report"] == strategy_id) & (frame["strategy_id"] == strategy_id)
        ].copy()
    return pd.DataFrame()


def _measure_movements(
    now: Mapping[str, Any],
    before: Mapping[str, Any],
    unit: str,
    earlier: float | None = None,
    earlier_label: str = "",
    then: Mapping[str, Any] | None = None,
    was: str = "",
) -> tuple[list[dict[str, Any]], list[str]]:
    """The movements of one measure, as change rows and as short words.

    ``earlier`` is the figure the comparison gave for its own period (``earlier_label``),
    set beside a target's figure in a changed rating's reason; ``then`` is the measure's
    row for that period as today's data give it, whose allowance for chance says
    whether the figure's move was within it (review 9, R9-5); ``was`` is what rated it
    then, when the evidence did (:func:`~pcplib.assessment.change_evidence.
    describe_earlier_rating`), said before today's evidence in a changed rating's
    reason, as a rating lost says it (review 17, R17-3).
    """
    rows: list[dict[str, Any]] = []
    words: list[str] = []
    base = {"kind": "measure", "item_id": now["measure_id"], "name": now["measure_name"]}
    rag, old_rag = str(now["rag"]), str(before.get("rag", ""))
    # "No longer stable" only of a chart that gave the last meeting its verdict (a record
    # without the column is taken to have had one).
    charted = str(before.get("spc_status") or "assessed") == "assessed"
    lost = old_rag if charted else ""
    within = describe_rating_move_within_chance(now, before, earlier, then)
    # A move the figures do not bear out like for like is no progress (nor slippage),
    # but it is not within chance either (review 14, R14-4).
    beyond = describe_rating_move_not_borne_out(now, before, earlier, then)
    # A measure rated then and Grey now is one row, "no longer rated", whatever its
    # assessment did: listed also as a rating change it was counted twice, and "Red to
    # Grey" read as a move (review 12, R12-4).
    unrated = old_rag in _RATED and rag == "Grey"
    # A rating that moved between two ratings on a figure that moved by less than chance
    # allows is a move within chance, as the Delivery Board counts it: one verdict on
    # whether it moved in both reports (review 12, R12-3).
    chance_note = describe_change_within_chance(now, earlier, then)
    on_chance = bool(within) or (
        bool(chance_note) and rag != old_rag and {old_rag, rag} <= set(_RATED)
    )
    if unrated:
        rows.append(
            base
            | {
                "change": NO_LONGER_RATED,
                "before": old_rag,
                "after": rag,
                "reason": describe_lost_rating(
                    now, old_rag, select_rated_then(before, then, old_rag), lost
                ),
            }
        )
        words += [f"rating {old_rag} to {rag}", NO_LONGER_RATED]
    elif old_rag and rag != old_rag:
        # The Board's "Why": the figures that moved the rating, in the Delivery Board
        # view's words (its move into or out of "needs attention" is a row of its own, so
        # no lead). The rule and its statistics stay in rag_reason.
        why = describe_change_evidence(
            now,
            (),
            earlier,
            earlier_label,
            previous_rag=lost,
            within_chance=within or beyond,
            chance_note=chance_note,
            was=was,
        )
        rows.append(
            base
            | {
                "change": MOVED_WITHIN_CHANCE if on_chance else "rating changed",
                "before": old_rag,
                "after": rag,
                "reason": why,
            }
        )
        words.append(
            f"rating {old_rag} to {rag}"
            + (
                ", within chance"
                if on_chance
                else ", not borne out like for like"
                if beyond
                else ""
            )
        )
    assessment, old_assessment = str(now["assessment"]), str(before.get("assessment", ""))
    if (
        old_assessment
        and not on_chance
        and not beyond
        and not unrated
        and (assessment == _ATTENTION) != (old_assessment == _ATTENTION)
    ):
        into = assessment == _ATTENTION
        change = "into needs attention" if into else "out of needs attention"
        reason = str(now.get("sentence") or "")
        if not into and assessment == "not assessed" and now.get("has_data", True):
            # Not rated now is not "no longer needs attention": nothing got better, the
            # measure lost its rating (docs/methodology.md, "Since the last meeting").
            change = NO_LONGER_RATED
            reason = f"{describe_rating_plainly(now, previous_rag=lost)}. {reason}".strip()
        rows.append(
            base | {"change": change, "before": old_assessment, "after": assessment,
                    "reason": reason}
        )  # fmt: skip
        words.append(change)
    state, old_state = classify_target_side(now), classify_target_side(before)
    change = name_target_move(old_state, state)
    if change and not on_chance and not beyond:
        current, goal = format_figures([now.get("current"), now.get("target")], unit)
        # A target met, but not reliably, gives the record that makes it so (the change
        # and its "now" already say "but not reliably").
        record = describe_unreliable_pass(now).removeprefix("but not reliably: ")
        rows.append(
            base
            | {
                "change": change,
                "before": old_state,
                "after": state,
                "reason": f"{current} against {goal}" + (f"; {record}" if record else ""),
            }
        )
        words.append(change)
    return rows, words


def _revision(reported: float | None, now: float | None, unit: str) -> tuple[float | None, str]:
    """The revision of a figure (now minus reported) and its words, when it shows."""
    if reported is None or now is None:
        return None, ""
    shown_then, shown_now = format_figures([reported, now], unit)
    if shown_then == shown_now:
        return None, ""
    return now - reported, f"reported as {shown_then}; now {shown_now}"


def _compare_measures(
    summary: StrategySummary,
    previous: PreviousMeeting,
    before_rows: pd.DataFrame,
    then_now: pd.DataFrame,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Per-measure continuity columns and the measures' movement rows."""
    before_by_id = (
        {str(r["measure_id"]): r for r in before_rows.to_dict("records")}
        if not before_rows.empty
        else {str(r["measure_id"]): r for r in list_records(then_now)}
    )
    then_now_by_id = {str(r["measure_id"]): r for r in list_records(then_now)}
    table = []
    changes: list[dict[str, Any]] = []
    for now in list_records(summary.measures):
        mid = str(now["measure_id"])
        unit = str(now["unit"])
        before = before_by_id.get(mid, {})
        value_now = parse_number(then_now_by_id.get(mid, {}).get("current"))
        reported = parse_number(before.get("current")) if previous.record is not None else value_now
        revision, revision_words = (
            _revision(reported, value_now, unit) if previous.record is not None else (None, "")
        )
        then = then_now_by_id.get(mid)
        # The lead of the Board's "Why": within chance, or not borne out like for like.
        within = describe_rating_move_within_chance(
            now, before, reported, then
        ) or describe_rating_move_not_borne_out(now, before, reported, then)
        moved = str(now["rag"]) != str(before.get("rag", "")) and bool(before.get("rag"))
        period = describe_period_compared(previous.period_end, now)
        old_rag = str(before.get("rag", ""))
        was = (
            describe_earlier_rating(select_rated_then(before, then, old_rag), old_rag)
            if moved and str(now["rag"]) != "Grey"
            else ""
        )
        rows, words = _measure_movements(now, before, unit, reported, period, then, was)
        # The rating's move as the sections file it, for judgements.csv (review 13, R13-3).
        rating_change = next(
            (str(r["change"]) for r in rows if is_rating_change(r["change"], r["before"])), ""
        )
        if revision_words:
            rows.append(
                {
                    "kind": "measure",
                    "item_id": mid,
                    "name": now["measure_name"],
                    "change": "figure revised",
                    "before": format_figures([reported], unit)[0],
                    "after": format_figures([value_now], unit)[0],
                    "reason": f"{period}: {revision_words}",
                }
            )
            words.append(f"figure for {period} {revision_words}")
        changes += rows
        table.append(
            {
                "measure_id": mid,
                "previous_meeting": previous.slot,
                "previous_basis": previous.basis,
                "previous_period_end": previous.period_end,
                "previous_rag": str(before.get("rag", "")),
                "previous_assessment": str(before.get("assessment", "")),
                "previous_value": reported,
                "previous_value_now": value_now,
                "revision": revision,
                "since_last_meeting": "; ".join(words),
                "rating_change": rating_change,
                "rating_within_chance": rating_change == MOVED_WITHIN_CHANCE,
                "move_within_chance": within,
                "change_within_chance": describe_change_within_chance(now, reported, then)
                if moved
                else "",
                "rated_then": was,
            }
        )
    columns = [
        "measure_id", *CONTINUITY_COLUMNS, "move_within_chance", "change_within_chance",
        "rated_then",
    ]  # fmt: skip
    return pd.DataFrame(table, columns=columns), changes


def describe_period_compared(period_end: str, measure: Mapping[str, Any] | None = None) -> str:
    """The period a comparison's figure is for, in words, as the measure's figure covers it.

    A rolling figure at a quarter's end is the 12 months to that month, not the quarter's
    (review 14, R14-8: a survey's "58.3% in the quarter to September 2025" was the 12
    months to it).

    Parameters
    ----------
    period_end : str
        The comparison's last month (``"2026-06"``).
    measure : mapping, optional
        The measure's row (:attr:`~pcplib.assessment.strategy.StrategySummary.measures`);
        without it the period is the quarter.

    Returns
    -------
    str
        "the quarter to June 2026", or "the 12 months to June 2026" for a rolling figure.
    """
    month = month_words(periods.parse_month(period_end))
    if measure is not None and (
        str(measure.get("spc_status") or "") == "rolling figure" or is_rolling(measure)
    ):
        return f"the 12 months to {month}"
    return f"the quarter to {month}"


def _item_rows(
    kind: str,
    now: pd.DataFrame,
    before: pd.DataFrame,
    id_column: str,
    name_column: str,
    finished: str,
) -> list[dict[str, Any]]:
    """Commitments or actions whose status or due date changed, or that are new."""
    if now.empty or id_column not in now.columns:
        return []
    before_by_id = (
        {str(r[id_column]): r for r in before.to_dict("records")}
        if id_column in before.columns
        else {}
    )
    rows = []
    for item in now.to_dict("records"):
        key = str(item[id_column])
        base = {"kind": kind, "item_id": key, "name": str(item.get(name_column, ""))}
        status = str(item.get("status", "")).strip()
        due = "" if is_missing(item.get("due_date")) else date_words(item["due_date"])
        old = before_by_id.get(key)
        if old is None:
            rows.append(base | {"change": "new", "before": "", "after": status, "reason": ""})
            continue
        old_status = str(old.get("status", "")).strip()
        old_due_value = old.get("due_date")
        old_due = (
            ""
            if is_missing(old_due_value) or not str(old_due_value).strip()
            else (date_words(old_due_value))
        )
        if status != old_status:
            change = "done" if status == finished else "status changed"
            rows.append(
                base | {"change": change, "before": old_status, "after": status, "reason": ""}
            )
        if due != old_due:
            rows.append(
                base | {"change": "due date changed", "before": old_due, "after": due, "reason": ""}
            )
    return rows


def _overdue_action_rows(
    now: pd.DataFrame, before: pd.DataFrame, as_of: pd.Timestamp, was_as_of: pd.Timestamp
) -> list[dict[str, Any]]:
    """Actions overdue at this meeting that were not overdue (or not listed) at the last.

    The status an owner reports ("open", "in progress") does not change when its date
    passes, so without this row an action that fell due since the last meeting would show
    no change at all in "Since the last meeting" (:func:`classify_actions` decides).
    """
    if now.empty or "action_id" not in now.columns:
        return []
    state = classify_actions(now, as_of)
    listed = set(before["action_id"].astype(str)) if "action_id" in before.columns else set()
    was_overdue: set[str] = set()
    if not before.empty and {"action_id", "status", "due_date"} <= set(before.columns):
        was = classify_actions(before, was_as_of)
        was_overdue = set(before.loc[was == "overdue", "action_id"].astype(str))
    rows = []
    for index, item in zip(now.index, now.to_dict("records"), strict=True):
        key = str(item["action_id"])
        if state.loc[index] != "overdue" or key in was_overdue:
            continue
        due = "" if is_missing(item.get("due_date")) else date_words(item["due_date"])
        rows.append(
            {
                "kind": "action",
                "item_id": key,
                "name": str(item.get("action", "")),
                "change": "now overdue",
                "before": "not yet due" if key in listed else "",
                "after": f"overdue ({str(item.get('status', '')).strip()})",
                "reason": f"due {due}, before this meeting, and not done",
            }
        )
    return rows


def _note(strategy_name: str, previous: PreviousMeeting | None) -> str:
    if previous is None:
        return (
            f"{strategy_name} has not been reported to the Board before: there is nothing "
            "to compare with."
        )
    meeting = month_words(periods.parse_month(previous.slot))
    data = month_words(periods.parse_month(previous.period_end))
    if previous.record is not None:
        return (
            f"Compared with what the Board was told at its meeting of {meeting} (data to "
            f"{data}), as kept in the meeting history."
        )
    return (
        f"No record of what the Board was told at its meeting of {meeting} is on file: the "
        f"comparison is recomputed from today's data and methods for that meeting's data "
        f"period (to {data}), so figures revised since then, what an earlier method gave and "
        "the earlier status of commitments and actions cannot be shown."
    )


def compare_with_previous_meeting(
    dataset: Dataset,
    summary: StrategySummary,
    previous: PreviousMeeting | None,
    spc_rules: str = "mdc",
    slot: str = "",
) -> Continuity:
    """Compare a strategy's judgements with the last meeting at which it was reported.

    Parameters
    ----------
    dataset : Dataset
        Today's data set.
    summary : StrategySummary
        Today's judgements (:func:`~pcplib.assessment.strategy.summarise_strategy`); its
        audience is kept for the recomputed comparison.
    previous : PreviousMeeting or None
        From :func:`find_previous_meeting`.
    spc_rules : str, default "mdc"
        The SPC rules, for the recomputed comparison.
    slot : str, optional
        Today's meeting, ``YYYY-MM``: an action due before it and not done or dropped is
        overdue ("now overdue" when it was not at the last meeting). Empty: the day after
        the data period.

    Returns
    -------
    Continuity
        The note, the per-measure columns and the movements.
    """
    strategy_id = summary.strategy_id
    empty_changes = pd.DataFrame(columns=CHANGE_COLUMNS)
    if previous is None:
        measures = pd.DataFrame(
            {"measure_id": summary.measures["measure_id"].astype(str).tolist()},
            columns=["measure_id", *CONTINUITY_COLUMNS],
        )
        return Continuity(
            strategy_id, None, _note(summary.strategy_name, None), measures, empty_changes
        )
    # The previous data period as today's data give it: the revised figures, and the
    # judgements themselves when no record of the meeting is on file.
    then_now = summarise_strategy(
        dataset, strategy_id, previous.period_end, summary.audience, spc_rules
    )
    before_rows = _previous_rows(previous, strategy_id)
    before_measures = (
        before_rows[before_rows["measure_id"] != "overall"]
        if not before_rows.empty
        else before_rows
    )
    measures, changes = _compare_measures(summary, previous, before_measures, then_now.measures)
    old_overall = (
        str(before_rows.loc[before_rows["measure_id"] == "overall", "rag"].iloc[0])
        if not before_rows.empty and (before_rows["measure_id"] == "overall").any()
        else then_now.overall_rag
    )
    overall: list[dict[str, Any]] = []
    noise = False
    if old_overall and old_overall != summary.overall_rag:
        headline = set(
            summary.measures.loc[summary.measures["tier"] == "headline", "measure_id"].astype(str)
        )
        noise = is_strategy_move_within_chance(
            [c for c in changes if str(c["item_id"]) in headline],
            old_overall,
            summary.overall_rag,
        )
        # The strategy's own row takes its measures' words: Grey now is "no longer
        # rated" (review 12, R12-4), a move resting on chance "moved within chance".
        overall.append(
            {
                "kind": "overall",
                "item_id": "overall",
                "name": summary.strategy_name,
                "change": NO_LONGER_RATED
                if summary.overall_rag == "Grey" and old_overall in _RATED
                else MOVED_WITHIN_CHANCE
                if noise
                else "rating changed",
                "before": old_overall,
                "after": summary.overall_rag,
                "reason": f"{summary.overall_explanation} {OVERALL_WITHIN_CHANCE}"
                if noise
                else summary.overall_explanation,
            }
        )
    items: list[dict[str, Any]] = []
    if previous.record is not None:
        items += _item_rows(
            "commitment",
            strategy_commitments(dataset, strategy_id),
            previous.record.commitments,
            "commitment_id",
            "commitment",
            "complete",
        )
        if summary.audience == "board":
            actions = dataset.actions
            if "strategy_id" in actions.columns:
                actions = actions[actions["strategy_id"] == strategy_id]
            items += _item_rows(
                "action", actions, previous.record.actions, "action_id", "action", "done"
            )
            items += _overdue_action_rows(
                actions,
                previous.record.actions,
                find_action_date(summary.period_end, slot),
                find_action_date(previous.period_end, previous.slot),
            )
    frame = pd.DataFrame(overall + changes + items, columns=CHANGE_COLUMNS)
    return Continuity(
        strategy_id, previous, _note(summary.strategy_name, previous), measures, frame, noise
    )


OVERALL_WITHIN_CHANCE = (
    "A measure rating the change rests on moved on a figure within chance (see below), so "
    "the new rating is not shown to be a change in performance."
)
"""Said of a strategy's rating whose change rests on a measure's rating that moved on a
figure within chance (review 9, R9-5; review 12, R12-3)."""
