"""The Delivery Board's quarterly view: each owner, what they answer for, what is overdue.

The quarterly delivery board holds "owners for areas of delivery ... accountable for the
progress or delays in delivery within their areas" (seed 002, para 12); each strategy
has a named senior contact and single point of contact at the Force and at the OPCC
(para 15). This module works the view out once, as tidy frames the report floor only
formats:

- **owners**: one row per senior contact (Force or OPCC), the strategies they answer
  for, their strategies' SPOCs, and counts of what is overdue, what is at risk and
  what changed;
- **items**: every flagged item, one row each, with the strategy and both senior
  contacts it belongs to, and its flag (:data:`FLAGS`):

  - ``overdue``, its due date passed and not done by then: commitments overdue
    (:func:`~pcplib.assessment.delivery.classify_commitments`: not complete and due by
    the end of the data period), actions overdue (:mod:`pcplib.assessment.actions`) and
    owners' returns not received by the date the forward plan sets
    (:func:`~pcplib.data.sources.returns_layout.find_deadline`);
  - ``at risk``: commitments reported at risk or off track that are not yet due (a
    commitment due in two years is a warning, not a delay, so it is never counted as
    overdue);
  - ``new high risk``: risks known to have become high in the quarter; ``standing high
    risk``: risks the strategy's return for the quarter before scored high too; and
    ``high risk``: risks high in the quarter whose strategy has no risk return on file
    for the quarter before, so they are never counted as new. Every high risk is an
    item (the strategy summary's own list, ``StrategySummary.high_risks``, which its
    risk rating and "But:" note read);
  - ``changed``: ratings that changed since the Delivery Board's previous quarter
    (:mod:`pcplib.assessment.continuity`), each measure's with the change in the
    evidence behind it (:func:`~pcplib.assessment.change_evidence.describe_change_evidence`:
    "into needs attention: ... 152 against 120 in 2025/26 Q2, a real rise"; a move to
    Grey reads "no longer rated: ...", never as an improvement);
  - ``progress``: what was done since then, not only what is late or worse
    (:func:`~pcplib.assessment.board_changes.list_progress`): commitments completed and
    Board actions done (only against a record of what the Board was shown: their status
    then), measures out of "needs attention" and targets newly met.

**A rating never sits alone.** A strategy's rating is the roll-up of its headline
measures only, so each strategy carries the strategy summary's own "But:" note
(:attr:`~pcplib.assessment.strategy.StrategySummary.rating_note`: a Red sub-measure, an
overdue commitment, an overdue Board action, a high risk), computed once with the
meeting's date, as the plan overview and the strategy report show it.

**The comparison the changes name.** The Delivery Board meets quarterly, so its view
compares each strategy with the quarter before: the rating on the previous quarter's
data, as the Board was told it when the meeting history holds a strategy report on
that quarter's data, else as the Delivery Board was shown it (the view's own rows of
``judgements.csv``, :func:`tabulate_board_judgements`, kept in the history), else
recomputed from today's data (the view says which).

**An update to a quarter's view.** A second view of a quarter already published (new
returns arrived after the first) compares with the first view of that quarter published
(:func:`~pcplib.assessment.board_changes.find_first_view`, from every run the meeting
history keeps), and is titled an update "since" that view's date: compared with the
quarter before, it would repeat the first view's changes as if it did not exist. A
strategy report's "Since the last meeting" compares with the last meeting that saw the
strategy instead, which may be two or more quarters back; each statement therefore
names its comparison ("since the Delivery Board of 2026/27 Q1", "since the Board's
meeting of May 2026"), and for the same previous data period both give the same rating
(both come from :func:`~pcplib.assessment.continuity.compare_with_previous_meeting`).

A flagged item is each senior contact's of its strategy, Force and OPCC alike: the seed
holds both to account.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.actions import find_action_date
from pcplib.assessment.board_changes import (
    NOT_PROGRESS,
    describe_change_reasons,
    describe_rating_reason,
    find_first_view,
    list_progress,
    list_unreliable_targets,
)
from pcplib.assessment.board_items import (
    list_action_items,
    list_commitment_items,
    list_return_items,
    list_risk_items,
)
from pcplib.assessment.board_owners import BOARD_OWNER_COLUMNS, tabulate_board_owners
from pcplib.assessment.change_chance import MOVED_WITHIN_CHANCE, describe_rating_move_tail
from pcplib.assessment.continuity import (
    AS_REPORTED,
    RECOMPUTED,
    Continuity,
    PreviousMeeting,
    compare_with_previous_meeting,
    is_rating_change,
)
from pcplib.assessment.continuity_columns import add_continuity_columns
from pcplib.assessment.judgements import JUDGEMENT_COLUMNS, tabulate_judgements
from pcplib.assessment.quality import list_provisional_notes
from pcplib.assessment.strategy import StrategySummary, summarise_strategy
from pcplib.labels import date_words, is_missing, month_words, strip_text

if TYPE_CHECKING:
    from pcplib.data import Dataset
    from pcplib.data.forward_plan import ForwardPlan
    from pcplib.data.history import MeetingRecord

__all__ = [
    "BOARD_ITEM_COLUMNS",
    "BOARD_REPORT",
    "BOARD_OWNER_COLUMNS",
    "BoardView",
    "FLAGS",
    "PlanTotals",
    "summarise_board_quarter",
    "tabulate_board_judgements",
]

_RATED = ("Green", "Amber", "Red")

BOARD_REPORT = "delivery-board"
"""The view's name in a run (its page and its ``report`` in ``judgements.csv``)."""

FLAGS = (
    "overdue", "at risk", "new high risk", "standing high risk", "high risk", "changed",
    "progress", "not progress",
)  # fmt: skip
"""An item's flag: past its due date and not done by it, a commitment at risk or off
track but not yet due, a risk known to have become high in the quarter, a risk high in
the quarter before too, a high risk with no earlier score on file (never counted as
new), a rating that changed,
progress since the comparison (a commitment completed, an action done, a measure out
of "needs attention" or newly meeting its target), or a move listed but not progress (a
target newly met, but not reliably:
:func:`~pcplib.assessment.board_changes.list_unreliable_targets`)."""

BOARD_ITEM_COLUMNS = [
    "mission_id", "strategy_id", "strategy_name", "force_owner", "opcc_owner", "kind",
    "item_id", "item", "state", "due", "detail", "flag", "reason", "rating_of",
    "within_chance", "progress_kind",
]  # fmt: skip
"""Columns of :attr:`BoardView.items`: ``kind`` is ``commitment``, ``action``, ``return``,
``risk``, ``rating`` or (for progress) ``measure``; ``flag`` is one of :data:`FLAGS`;
``reason`` is the change in the evidence behind a changed rating or a measure's
progress, or for a commitment the sentence saying that its status and its measure's
data disagree (:mod:`pcplib.assessment.commitment_status`); empty for other items. A
changed rating's ``rating_of`` is ``overall`` or ``measure``, ``within_chance`` whether it
moved only on figures within chance; progress's ``progress_kind`` is what it counts as
(:func:`~pcplib.assessment.board_changes.list_progress`). Empty or False otherwise."""

# The columns only a changed rating or progress fills: every other item has none.
_UNFILLED = {"rating_of": "", "within_chance": False, "progress_kind": ""}


@dataclass(frozen=True)
class PlanTotals:
    """The Delivery Board view's totals across the plan (:attr:`BoardView.totals`).

    Attributes
    ----------
    overdue : dict
        Overdue items by kind (``commitment``, ``action``, ``return``), only the kinds
        that have any, most first.
    at_risk : int
        Items at risk or off track and not yet due.
    new_risks : int
        Risks known to have become high in the quarter.
    unknown_risks : int
        High risks whose strategy has no risk return on file for the quarter before:
        not known to be new, so not counted in ``new_risks``.
    unknown_quarter : str
        The quarter before (``2026/27 Q1``), whose returns those risks lack; empty when
        there are none.
    standing_risks : int
        High risks that the strategy's return for the quarter before scored high too.
    """

    overdue: dict[str, int]
    at_risk: int
    new_risks: int
    unknown_risks: int = 0
    unknown_quarter: str = ""
    standing_risks: int = 0


@dataclass(frozen=True)
class BoardView:
    """The Delivery Board's quarterly view.

    Attributes
    ----------
    quarter : str
        The reporting quarter (``2026/27 Q2``).
    period_end, previous_period_end : str
        The data period's last month and the compared one's (``YYYY-MM``): the quarter
        before's, or in an update the same quarter's.
    as_of : pandas.Timestamp
        The meeting's date: an action or return due before it and not done is overdue.
    owners : pandas.DataFrame
        Columns :data:`BOARD_OWNER_COLUMNS`, the owner with most overdue first.
    items : pandas.DataFrame
        Columns :data:`BOARD_ITEM_COLUMNS`.
    strategies : pandas.DataFrame
        One row per strategy: ``mission_id``, ``mission_name``, ``strategy_id``,
        ``strategy_name``, ``rag``, ``previous_rag``, ``basis`` (``as reported`` or
        ``recomputed``), ``reported_at`` (the meeting, ``YYYY-MM``, whose record gave
        the previous rating; empty when recomputed), ``measures_basis`` (the same for
        the measures' ratings a quarter before: ``as reported`` from a strategy report's
        record or the view's own; a history written before the view kept its measures
        holds its overall rating only), ``overdue``, ``at_risk``, ``new_risks``,
        ``standing_risks`` and ``unknown_risks`` (counts), ``rating_note``, what the
        rating alone would hide (the strategy summary's "But: ..." note; empty when
        nothing is hidden) and
        ``rating_scope`` (how few headline measures the rating rests on, when too few); then
        ``progress`` (a count of the items flagged ``progress``) and ``items_basis``:
        ``as reported`` when the commitments' and actions' status then is on record,
        so those done since can be counted, else ``recomputed`` (only the measures'
        progress is known).
    returns_recorded : bool
        Whether the data set records any owners' return (its returns log); without
        one, whether returns arrived cannot be judged and none is listed as missing.
    board_name : str
        The board's name, as the data set gives it (``dataset.identity``).
    judgements : pandas.DataFrame
        Each strategy's rows of ``judgements.csv`` as the view has them (columns
        :data:`~pcplib.assessment.judgements.JUDGEMENT_COLUMNS`, ``report`` empty): its
        overall row, then each measure's, with the rating a quarter before and the basis,
        so the meeting history keeps what the board was told and the ratings its changes
        were counted from (:func:`tabulate_board_judgements`).
    update_of : str
        When this is an update to the quarter's view, when the first view of the quarter
        was produced (ISO-8601, from the meeting history); empty otherwise.
    update_slot : str
        The meeting (``YYYY-MM``) the first view was published for; empty otherwise.
    provisional : tuple of str
        The data-quality notes of the measures whose changes or progress the view cites
        and whose figures are provisional (the strategy reports' own words,
        :func:`~pcplib.assessment.quality.list_provisional_notes`): a rating moved on a
        figure that may be revised says so (review 9, R9-21).
    """

    quarter: str
    period_end: str
    previous_period_end: str
    as_of: pd.Timestamp
    owners: pd.DataFrame = field(repr=False)
    items: pd.DataFrame = field(repr=False)
    strategies: pd.DataFrame = field(repr=False)
    returns_recorded: bool = False
    board_name: str = "Delivery Board"
    judgements: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=JUDGEMENT_COLUMNS), repr=False
    )
    update_of: str = ""
    update_slot: str = ""
    provisional: tuple[str, ...] = ()

    @property
    def is_update(self) -> bool:
        """Whether this is an update to a view of the same quarter already published."""
        return bool(self.update_slot)

    @property
    def update_date(self) -> str:
        """The first view's date in words (``"20 November 2026"``); empty if not an update.

        A record without a readable production time gives its meeting's month instead.
        """
        if not self.is_update:
            return ""
        try:
            return date_words(pd.Timestamp(self.update_of))
        except (TypeError, ValueError):
            return month_words(periods.parse_month(self.update_slot))

    @property
    def previous_quarter(self) -> str:
        """The quarter the changes are counted from (``2026/27 Q1``; an update's own)."""
        return periods.label_quarter(periods.parse_month(self.previous_period_end))

    @property
    def compared_with(self) -> str:
        """What the changes are counted from: ``"2026/27 Q1"``, or ``"the view of 20 ..."``."""
        if self.is_update:
            return f"the {self.quarter} view of {self.update_date}"
        return self.previous_quarter

    @property
    def totals(self) -> PlanTotals:
        """What is overdue (by kind), at risk and newly high across the plan."""
        flags = self.items["flag"]
        counts = self.items[flags == "overdue"]["kind"].value_counts()
        return PlanTotals(
            overdue={str(kind): int(n) for kind, n in counts.items()},
            at_risk=int((flags == "at risk").sum()),
            new_risks=int((flags == "new high risk").sum()),
            unknown_risks=int((flags == "high risk").sum()),
            unknown_quarter=(
                periods.shift_quarter(self.quarter, -1) if (flags == "high risk").any() else ""
            ),
            standing_risks=int((flags == "standing high risk").sum()),
        )

    @property
    def since_words(self) -> str:
        """The comparison every change names, with its data period.

        ``"since the Delivery Board of 2026/27 Q1 (data to June 2026)"``: a strategy
        report's "Since the last meeting" may compare with an earlier meeting, so the
        data period is named in the words themselves, not only in a note. An update's:
        ``"since the 2026/27 Q2 view of 20 November 2026"`` (the same data period).
        """
        if self.is_update:
            return f"since {self.compared_with}"
        data = month_words(periods.parse_month(self.previous_period_end))
        return f"since the {self.board_name} of {self.previous_quarter} (data to {data})"

    @property
    def title(self) -> str:
        """The view's title after the board's name: the quarter, or an update to its view.

        An update's title names no date: the "since" words beside its changes give the
        view it updates and its date, and a title of one line keeps the view to its
        screens (tests/browser/test_layout.py).
        """
        if self.is_update:
            return f"{self.quarter} view, updated"
        return f"quarterly view, {self.quarter}"


def _record_for(
    records: Sequence[MeetingRecord], strategy_id: str, period_end: str
) -> MeetingRecord | None:
    """The latest record holding a strategy report on a data period, if any."""
    found = None
    for record in records:
        frame = record.judgements
        if record.period_end != period_end or frame.empty or "report" not in frame.columns:
            continue
        if (frame["report"] == strategy_id).any():
            found = record
    return found


def _board_record(
    records: Sequence[MeetingRecord], strategy_id: str, period_end: str
) -> MeetingRecord | None:
    """The Delivery Board's own record of a strategy on a data period, its measures too.

    The view's rows of ``judgements.csv`` (``report`` :data:`BOARD_REPORT`) for the
    strategy, relabelled as the strategy's own report, so that
    :func:`~pcplib.assessment.continuity.compare_with_previous_meeting` reads every
    rating as the board was shown it (and the figures it was shown, for revisions). None
    when no record holds the strategy's measures from the view (a history written before
    the view kept them holds its overall rating only: :func:`_told_board`).
    """
    found = None
    for record, rows in _board_rows(records, strategy_id, period_end):
        if (rows["measure_id"] != "overall").any() and (rows["measure_id"] == "overall").any():
            found = replace(record, judgements=rows.assign(report=strategy_id))
    return found


def _board_rows(
    records: Sequence[MeetingRecord], strategy_id: str, period_end: str
) -> Iterator[tuple[MeetingRecord, pd.DataFrame]]:
    """Each record with the view's rows of ``judgements.csv`` for a strategy and data period."""
    needed = {"report", "strategy_id", "measure_id", "period_end", "rag"}
    for record in records:
        frame = record.judgements
        if frame.empty or not needed <= set(frame.columns):
            continue
        yield (
            record,
            frame[
                (frame["report"] == BOARD_REPORT)
                & (frame["strategy_id"] == strategy_id)
                & (frame["period_end"] == period_end)
            ],
        )


def _told_board(
    records: Sequence[MeetingRecord], strategy_id: str, period_end: str
) -> tuple[str, str] | None:
    """The meeting and overall rating the Delivery Board was shown on a data period, if kept.

    The view's own rows of ``judgements.csv`` (``report`` :data:`BOARD_REPORT`), so a
    strategy with no strategy report that quarter is still compared with what the board
    was told; the latest record wins.
    """
    found = None
    for record, rows in _board_rows(records, strategy_id, period_end):
        rows = rows[rows["measure_id"] == "overall"]
        if not rows.empty and str(rows["rag"].iloc[0]):
            found = (record.slot, str(rows["rag"].iloc[0]))
    return found


@dataclass(frozen=True)
class _Ratings:
    """One strategy's ratings as the view takes them (:func:`_rating_items`).

    ``rows`` are the changed ratings as items; ``progress`` what progressed since the
    comparison, as items (:func:`~pcplib.assessment.board_changes.list_progress`);
    ``summary`` is today's strategy summary (its rating, its "But:" note as of the
    meeting, and its measures' verdicts, which the commitments' checks read); ``before``,
    ``basis`` and ``reported_at`` the rating compared with and where it came from;
    ``overall`` the strategy's rows of ``judgements.csv`` as the view has them;
    ``items_known`` whether the commitments' and actions' status then was on record.
    """

    rows: list[dict[str, Any]]
    summary: StrategySummary
    before: str
    basis: str
    reported_at: str
    overall: pd.DataFrame
    progress: list[dict[str, Any]] = field(default_factory=list)
    items_known: bool = False
    not_progress: list[dict[str, Any]] = field(default_factory=list)


def _rating_items(
    dataset: Dataset,
    strategy_id: str,
    period_end: str,
    previous_end: str,
    records: Sequence[MeetingRecord],
    spc_rules: str,
    slot: str = "",
    first: MeetingRecord | None = None,
) -> _Ratings:
    """A strategy's ratings now and at the comparison, what changed and what progressed.

    The comparison is, in order: the first view of this quarter published, for an update
    (``first``; its record of the strategy, else the same quarter recomputed); else a
    strategy report's record on the previous quarter's data (every rating as the Board
    was told it), else the Delivery Board's own record of that quarter (every rating as
    it was shown, or its overall rating only in a history written before the view kept
    its measures, theirs then recomputed), else recomputed from today's data.
    """
    # The meeting's date, so the note's overdue Board actions are the view's own.
    summary = summarise_strategy(dataset, strategy_id, period_end, "board", spc_rules, slot=slot)
    if first is not None:
        record = _board_record([first], strategy_id, period_end)
    else:
        record = _record_for(records, strategy_id, previous_end) or _board_record(
            records, strategy_id, previous_end
        )
    slot_then = first.slot if first is not None else record.slot if record else previous_end
    previous = PreviousMeeting(slot_then, previous_end, record)
    continuity = compare_with_previous_meeting(dataset, summary, previous, spc_rules)
    changes = continuity.changes
    overall_row = _overall_judgement(summary, continuity)
    basis, reported_at = previous.basis, previous.slot if record is not None else ""
    told = (
        None
        if record is not None or first is not None
        else _told_board(records, strategy_id, previous_end)
    )
    if told is not None:
        reported_at, told_rag = told
        basis = AS_REPORTED
        changes = changes[changes["kind"] != "overall"]
        if told_rag != summary.overall_rag:
            moved = {"kind": "overall", "item_id": "overall", "name": summary.strategy_name}
            moved |= {"change": "rating changed", "before": told_rag, "after": summary.overall_rag}
            changes = pd.concat([pd.DataFrame([moved]), changes], ignore_index=True)
        top = overall_row["measure_id"] == "overall"
        overall_row.loc[top, ["previous_meeting", "previous_basis", "previous_rag"]] = [
            reported_at,
            AS_REPORTED,
            told_rag,
        ]
        # Against the Board's own earlier rating the move is not the comparison's: the
        # view marks none within chance, nor does the file (review 13, R13-3).
        overall_row.loc[top, ["rating_change", "rating_within_chance"]] = [
            "rating changed" if told_rag != summary.overall_rag else "",
            False,
        ]
    reasons, restated = describe_change_reasons(summary, continuity, first is not None)
    # A rating that moved within chance (of its target, or on a figure within its
    # allowance) is listed with the changes, and is no progress (list_progress reads no
    # "out of needs attention" for it); one no longer rated is listed too, once.
    rating = [
        is_rating_change(c, b) for c, b in zip(changes["change"], changes["before"], strict=True)
    ]
    rated = changes[pd.Series(rating, index=changes.index, dtype=bool)]
    rows = []
    for r in rated.to_dict("records"):
        overall = r["kind"] == "overall"
        # Moved only on measures' figures within chance (one rule with "Since the last
        # meeting"); the Board's own earlier rating is another point. A measure's is the
        # comparison's own verdict, as "Since the last meeting" files it: the count
        # matches the lines that say so (review 11, R11-1; review 12, R12-3).
        within_chance = (
            continuity.overall_within_chance and told is None
            if overall
            else r["change"] == MOVED_WITHIN_CHANCE
        )
        rows.append(
            {
                "kind": "rating",
                "item_id": str(r["item_id"]),
                "item": str(r["name"]),
                "state": f"{r['before']} to {r['after']}",
                "due": "",
                "detail": ("overall rating" if overall else "measure")
                + (", within chance" if within_chance else ""),
                "flag": "changed",
                # The plain "Why", for the measures': the change in the evidence; a move
                # to Grey is "no longer rated".
                "reason": ""
                if overall
                else describe_rating_reason(r)
                if r["after"] == "Grey"
                else reasons.get(str(r["item_id"])) or describe_rating_reason(r),
                "rating_of": "overall" if overall else "measure",
                "within_chance": bool(within_chance),
            }
        )
    overall_before = rated.loc[rated["kind"] == "overall", "before"]
    before = str(overall_before.iloc[0]) if not overall_before.empty else summary.overall_rag
    # A measure re-rated on the figure first published did not progress: the method did.
    moved_on = changes[~(changes["kind"].eq("measure") & changes["item_id"].isin(restated))]
    progress = list_progress(moved_on, summary.measures, reasons, items_known=record is not None)
    # Newly on a target its record does not bear out: told, as the strategy report tells
    # it, and not counted (review 18, R18-7).
    unreliable = list_unreliable_targets(moved_on, summary.measures, reasons)
    return _Ratings(
        rows,
        summary,
        before,
        basis,
        reported_at,
        overall_row,
        progress,
        record is not None,
        unreliable,
    )


def _overall_judgement(summary: Any, continuity: Continuity) -> pd.DataFrame:
    """A strategy's rows of ``judgements.csv`` as the view has them: overall, then measures.

    The measures' rows are kept so the next quarter's view compares each measure's rating
    with the one this view's changes were counted from, from the meeting history.
    """
    # The view names its own comparison (the quarter before) after the movements.
    row = add_continuity_columns(tabulate_judgements([summary], ""), continuity, since="")
    previous = continuity.previous
    # Recomputed, the comparison is with a data period, not a meeting: none is named.
    if previous is not None and previous.record is None:
        row["previous_meeting"] = ""
    return row


def _measures_basis(rows: pd.DataFrame) -> str:
    """``as reported`` when every measure's earlier rating came from a record."""
    measures = rows[rows["measure_id"] != "overall"]
    told = not measures.empty and (measures["previous_basis"] == AS_REPORTED).all()
    return AS_REPORTED if told else RECOMPUTED


def summarise_board_quarter(
    dataset: Dataset,
    period_end: str,
    slot: str = "",
    plan: ForwardPlan | None = None,
    records: Sequence[MeetingRecord] = (),
    spc_rules: str = "mdc",
    runs: Sequence[MeetingRecord] = (),
) -> BoardView:
    """Work out the Delivery Board's quarterly view.

    Parameters
    ----------
    dataset : Dataset
        The data set.
    period_end : str
        The data period's last month, ``YYYY-MM`` (a quarter's end).
    slot : str, optional
        The meeting, ``YYYY-MM``: actions and returns due before it are overdue. Empty: the
        day after the data period.
    plan : ForwardPlan, optional
        The forward plan, which sets when each owners' return is due.
    records : sequence of MeetingRecord
        The meeting history: what the Board was told on the quarter before.
    spc_rules : str, default "mdc"
        The SPC rules.
    runs : sequence of MeetingRecord
        Every published run the meeting history keeps, oldest first
        (:func:`~pcplib.data.history.list_meeting_runs`): when one holds a view of this
        quarter already, this view is an update to the first and compares with it.

    Returns
    -------
    BoardView
        The owners, the flagged items, and each strategy's ratings.
    """
    quarter = periods.label_quarter(periods.parse_month(period_end))
    # Only a view published for this meeting or an earlier one is updated.
    earlier = [r for r in runs if not slot or r.slot <= slot]
    first = find_first_view(earlier, BOARD_REPORT, period_end)
    # An update compares with the quarter's first view, on the same data period.
    previous_end = period_end if first else str(periods.parse_month(period_end) - 3)
    as_of = find_action_date(period_end, slot)
    missions = dataset.missions.set_index("mission_id")["mission_name"]
    items: list[dict[str, Any]] = []
    strategies = []
    overall_rows: list[pd.DataFrame] = []
    for s in dataset.strategies.to_dict("records"):
        sid = str(s["strategy_id"])
        base = {
            "mission_id": s["mission_id"],
            "strategy_id": sid,
            "strategy_name": s["strategy_name"],
            "force_owner": strip_text(s.get("force_senior_owner")),
            "opcc_owner": strip_text(s.get("opcc_senior_owner")),
        }
        ratings = _rating_items(
            dataset, sid, period_end, previous_end, records, spc_rules, slot, first
        )
        flagged = list_commitment_items(dataset, sid, period_end, ratings.summary.measures)
        flagged += list_action_items(dataset, sid, as_of)
        if not dataset.returns_log.empty:
            flagged += list_return_items(dataset, sid, quarter, plan, as_of)
        flagged += list_risk_items(ratings.summary.high_risks, period_end)
        overall_rows.append(ratings.overall)
        listed = flagged + ratings.rows + ratings.progress + ratings.not_progress
        items += [base | _UNFILLED | row for row in listed]
        flags = [row["flag"] for row in flagged]
        strategies.append(
            {
                "mission_id": s["mission_id"],
                "mission_name": missions.get(s["mission_id"], s["mission_id"]),
                "strategy_id": sid,
                "strategy_name": s["strategy_name"],
                "rag": ratings.summary.overall_rag,
                "previous_rag": ratings.before,
                "basis": ratings.basis,
                "reported_at": ratings.reported_at,
                # Whether the measures' ratings a quarter before were read from a record
                # (a strategy report's or the view's own) or recomputed.
                "measures_basis": _measures_basis(ratings.overall),
                "overdue": flags.count("overdue"),
                "at_risk": flags.count("at risk"),
                "new_risks": flags.count("new high risk"),
                "standing_risks": flags.count("standing high risk"),
                "unknown_risks": flags.count("high risk"),
                "rating_note": ratings.summary.rating_note,
                "rating_scope": ratings.summary.rating_scope,
                "progress": len(ratings.progress),
                # Whether the commitments and actions done since could be counted.
                "items_basis": AS_REPORTED if ratings.items_known else RECOMPUTED,
            }
        )
    item_frame = pd.DataFrame(items, columns=BOARD_ITEM_COLUMNS)
    return BoardView(
        quarter=quarter,
        period_end=period_end,
        previous_period_end=previous_end,
        as_of=as_of,
        owners=tabulate_board_owners(dataset, item_frame),
        items=item_frame,
        strategies=pd.DataFrame(strategies),
        returns_recorded=not dataset.returns_log.empty,
        board_name=dataset.identity.delivery_board_name,
        judgements=(
            pd.concat(overall_rows, ignore_index=True)
            if overall_rows
            else pd.DataFrame(columns=JUDGEMENT_COLUMNS)
        ),
        update_of=first.produced_at if first else "",
        update_slot=first.slot if first else "",
        provisional=tuple(list_provisional_notes(dataset, _cited_measures(item_frame), period_end)),
    )


def _cited_measures(items: pd.DataFrame) -> list[str]:
    """The measures whose change or progress the view cites, by id."""
    rated = items["kind"].eq("rating") & items["rating_of"].eq("measure")
    progressed = items["kind"].eq("measure") & items["flag"].isin(["progress", NOT_PROGRESS])
    return list(dict.fromkeys(items.loc[rated | progressed, "item_id"].astype(str)))


def tabulate_board_judgements(view: BoardView, report: str) -> pd.DataFrame:
    """Return the view's rows of ``judgements.csv``: each strategy's ratings.

    Parameters
    ----------
    view : BoardView
        From :func:`summarise_board_quarter`.
    report : str
        The view's name as the run publishes it (``delivery-board``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~pcplib.assessment.judgements.JUDGEMENT_COLUMNS`: per strategy
        its ``overall`` row (its rating and the strategy's separate ratings), then each
        measure's, each with the rating a quarter before (``previous_rag``,
        ``previous_basis``, ``previous_period_end``; ``previous_meeting`` is the meeting
        whose record gave it, empty when recomputed), and ``since_last_meeting`` naming
        the comparison (the measures' movements in words, as a strategy report's).
    """
    frame = view.judgements.copy()
    frame["report"] = report
    changed = frame["previous_rag"].astype(str).ne(frame["rag"].astype(str)) & frame[
        "previous_rag"
    ].astype(str).ne("")
    words = frame["since_last_meeting"].fillna("").astype(str)
    # A strategy's move in the words and verdict the view gives it ("Red to Amber,
    # within chance"): the file and the page read one result (review 13, R13-3).
    tails = [
        describe_rating_move_tail(str(kind), not is_missing(within) and bool(within))
        for kind, within in zip(frame["rating_change"], frame["rating_within_chance"], strict=True)
    ]
    frame["since_last_meeting"] = [
        (f"rating {before} to {now}{tail} {view.since_words}" if moved else "")
        if measure == "overall"
        else (f"{said} {view.since_words}" if said else "")
        for before, now, moved, measure, said, tail in zip(
            frame["previous_rag"],
            frame["rag"],
            changed,
            frame["measure_id"],
            words,
            tails,
            strict=True,
        )
    ]
    return frame.reset_index(drop=True)
