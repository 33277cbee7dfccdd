"""The Delivery Board's quarterly view: each owner, what they answer for, what is late.

The quarterly delivery board holds "owners for areas of delivery ... accountable for the
progress or delays in delivery within their areas" (seed 002, para 12); each strategy
has a named senior contact and single point of contact at the Force and at the OPCC
(para 15). This module works the view out once, as tidy frames the report floor only
formats:

- **owners**: one row per senior contact (Force or OPCC), the strategies they answer
  for, their strategies' SPOCs, and counts of what is late and what changed;
- **items**: every late item and every change, one row each, with the strategy and
  both senior contacts it belongs to: commitments at risk, off track or overdue
  (:func:`~pcplib.assessment.delivery.classify_commitments`), actions overdue
  (:mod:`pcplib.assessment.actions`), owners' returns not received (or received late)
  by the date the forward plan sets
  (:func:`~pcplib.data.sources.returns_layout.find_deadline`), and ratings that changed
  since the quarter before (:mod:`pcplib.assessment.continuity`: as reported when the
  meeting history holds a strategy report on that quarter, else recomputed).

A late item is each senior contact's of its strategy, Force and OPCC alike: the seed
holds both to account.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.actions import classify_actions, find_action_date
from pcplib.assessment.continuity import PreviousMeeting, compare_with_previous_meeting
from pcplib.assessment.delivery import classify_commitments
from pcplib.assessment.scope import strategy_commitments
from pcplib.assessment.strategy import summarise_strategy
from pcplib.data.sources.returns_layout import find_deadline
from pcplib.labels import date_words, is_missing, month_words

if TYPE_CHECKING:
    from pcplib.data import Dataset
    from pcplib.data.forward_plan import ForwardPlan
    from pcplib.data.history import MeetingRecord

__all__ = [
    "BOARD_ITEM_COLUMNS",
    "BOARD_OWNER_COLUMNS",
    "BoardView",
    "LATE_KINDS",
    "summarise_board_quarter",
]

LATE_KINDS = ("commitment", "action", "return")
BOARD_ITEM_COLUMNS = [
    "mission_id", "strategy_id", "strategy_name", "force_owner", "opcc_owner", "kind",
    "item_id", "item", "state", "due", "detail", "late",
]  # fmt: skip
"""Columns of :attr:`BoardView.items`: ``kind`` is ``commitment``, ``action``, ``return``
or ``rating``; ``late`` is True for what is late (``rating`` rows are changes)."""

BOARD_OWNER_COLUMNS = [
    "owner", "side", "strategies", "contacts", "commitments_late", "actions_overdue",
    "returns_missing", "changes", "late",
]  # fmt: skip
"""Columns of :attr:`BoardView.owners`: the senior contact, ``Force`` or ``OPCC``, the
names of the strategies they answer for, their SPOCs, then counts (``late`` is the
sum of the three counts of late items)."""

_SIDES = (("Force", "force_senior_owner", "force_spoc"), ("OPCC", "opcc_senior_owner", "opcc_spoc"))


@dataclass(frozen=True)
class BoardView:
    """The Delivery Board's quarterly view.

    Attributes
    ----------
    quarter : str
        The reporting quarter (``2026/27 Q2``).
    period_end, previous_period_end : str
        The data period's last month and the quarter before's (``YYYY-MM``).
    as_of : pandas.Timestamp
        The meeting's date: what is due before it and not done is late.
    owners : pandas.DataFrame
        Columns :data:`BOARD_OWNER_COLUMNS`, the owner with most late first.
    items : pandas.DataFrame
        Columns :data:`BOARD_ITEM_COLUMNS`.
    strategies : pandas.DataFrame
        One row per strategy: ``mission_id``, ``mission_name``, ``strategy_id``,
        ``strategy_name``, ``rag``, ``previous_rag``, ``basis`` (``as reported`` or
        ``recomputed``), ``late``.
    returns_recorded : bool
        Whether the data set records any owners' return (its returns log); without
        one, whether returns arrived cannot be judged and none is listed as missing.
    """

    quarter: str
    period_end: str
    previous_period_end: str
    as_of: pd.Timestamp
    owners: pd.DataFrame = field(repr=False)
    items: pd.DataFrame = field(repr=False)
    strategies: pd.DataFrame = field(repr=False)
    returns_recorded: bool = False

    @property
    def previous_quarter_words(self) -> str:
        """``"last quarter (2026/27 Q1)"``: the quarter the changes are counted from."""
        before = periods.label_quarter(periods.parse_month(self.previous_period_end))
        return f"last quarter ({before})"


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value).strip()


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


def _commitment_items(dataset: Dataset, strategy_id: str, period_end: str) -> list[dict[str, Any]]:
    commitments = strategy_commitments(dataset, strategy_id)
    if commitments.empty:
        return []
    state = classify_commitments(commitments, period_end)
    rows = []
    for index, c in commitments.iterrows():
        if state[index] not in ("at risk", "off track", "overdue"):
            continue
        rows.append(
            {
                "kind": "commitment",
                "item_id": _text(c.get("commitment_id")),
                "item": _text(c.get("commitment")),
                "state": state[index],
                "due": "" if is_missing(c.get("due_date")) else date_words(c["due_date"]),
                "detail": _text(c.get("owner")),
                "late": True,
            }
        )
    return rows


def _action_items(dataset: Dataset, strategy_id: str, as_of: pd.Timestamp) -> list[dict[str, Any]]:
    actions = dataset.actions
    if actions.empty or "strategy_id" not in actions.columns:
        return []
    actions = actions[actions["strategy_id"] == strategy_id]
    state = classify_actions(actions, as_of)
    rows = []
    for _, a in actions[state == "overdue"].iterrows():
        agreed = _text(a.get("agreed_at"))
        rows.append(
            {
                "kind": "action",
                "item_id": _text(a.get("action_id")),
                "item": _text(a.get("action")),
                "state": f"overdue ({_text(a.get('status'))})",
                "due": "" if is_missing(a.get("due_date")) else date_words(a["due_date"]),
                "detail": (f"agreed {month_words(periods.parse_month(agreed))}" if agreed else "")
                + (f"; {_text(a.get('owner'))}" if _text(a.get("owner")) else ""),
                "late": True,
            }
        )
    return rows


def _return_items(
    dataset: Dataset, strategy_id: str, quarter: str, plan: ForwardPlan | None, as_of: pd.Timestamp
) -> list[dict[str, Any]]:
    deadline = find_deadline(plan, strategy_id, quarter)
    if deadline.due is None or pd.Timestamp(deadline.due) >= as_of:
        return []
    due = pd.Timestamp(deadline.due)
    log = dataset.returns_log
    mine = log[(log["strategy_id"] == strategy_id) & (log["quarter"] == quarter)]
    loaded = pd.to_datetime(mine["loaded_at"], errors="coerce", utc=True).dt.tz_localize(None)
    first = loaded.min() if not loaded.empty else pd.NaT
    if not pd.isna(first) and first.normalize() <= due:
        return []
    state = (
        "not received"
        if pd.isna(first) or first >= as_of
        else f"received late, {date_words(first)}"
    )
    return [
        {
            "kind": "return",
            "item_id": f"{strategy_id} {quarter}",
            "item": f"Owners' return for {quarter}",
            "state": state,
            "due": date_words(due),
            "detail": "due date from the forward plan",
            "late": True,
        }
    ]


def _rating_items(
    dataset: Dataset,
    strategy_id: str,
    period_end: str,
    previous_end: str,
    records: Sequence[MeetingRecord],
    spc_rules: str,
) -> tuple[list[dict[str, Any]], str, str, str]:
    """Ratings that changed since the quarter before, the ratings then and now, the basis."""
    summary = summarise_strategy(dataset, strategy_id, period_end, "cgb", spc_rules)
    record = _record_for(records, strategy_id, previous_end)
    previous = PreviousMeeting(record.slot if record else previous_end, previous_end, record)
    continuity = compare_with_previous_meeting(dataset, summary, previous, spc_rules)
    changes = continuity.changes
    rated = changes[changes["change"] == "rating changed"]
    rows = [
        {
            "kind": "rating",
            "item_id": str(r["item_id"]),
            "item": str(r["name"]),
            "state": f"{r['before']} to {r['after']}",
            "due": "",
            "detail": "overall rating" if r["kind"] == "overall" else "measure",
            "late": False,
        }
        for r in rated.to_dict("records")
    ]
    overall_before = rated.loc[rated["kind"] == "overall", "before"]
    before = str(overall_before.iloc[0]) if not overall_before.empty else summary.overall_rag
    return rows, summary.overall_rag, before, previous.basis


def summarise_board_quarter(
    dataset: Dataset,
    period_end: str,
    slot: str = "",
    plan: ForwardPlan | None = None,
    records: Sequence[MeetingRecord] = (),
    spc_rules: str = "mdc",
) -> BoardView:
    """Work out the Delivery Board's quarterly view.

    Parameters
    ----------
    dataset : Dataset
        The data set.
    period_end : str
        The data period's last month, ``YYYY-MM`` (a quarter's end).
    slot : str, optional
        The meeting, ``YYYY-MM``: actions and returns due before it are late. Empty: the
        day after the data period.
    plan : ForwardPlan, optional
        The forward plan, which sets when each owners' return is due.
    records : sequence of MeetingRecord
        The meeting history: what the Board was told on the quarter before.
    spc_rules : str, default "mdc"
        The SPC rules.

    Returns
    -------
    BoardView
        The owners, the late items and changes, and each strategy's ratings.
    """
    quarter = periods.label_quarter(periods.parse_month(period_end))
    previous_end = str(periods.parse_month(period_end) - 3)
    as_of = find_action_date(period_end, slot)
    missions = dataset.missions.set_index("mission_id")["mission_name"]
    items: list[dict[str, Any]] = []
    strategies = []
    for s in dataset.strategies.to_dict("records"):
        sid = str(s["strategy_id"])
        base = {
            "mission_id": s["mission_id"],
            "strategy_id": sid,
            "strategy_name": s["strategy_name"],
            "force_owner": _text(s.get("force_senior_owner")),
            "opcc_owner": _text(s.get("opcc_senior_owner")),
        }
        late = _commitment_items(dataset, sid, period_end) + _action_items(dataset, sid, as_of)
        if not dataset.returns_log.empty:
            late += _return_items(dataset, sid, quarter, plan, as_of)
        changes, rag, before, basis = _rating_items(
            dataset, sid, period_end, previous_end, records, spc_rules
        )
        items += [base | row for row in late + changes]
        strategies.append(
            {
                "mission_id": s["mission_id"],
                "mission_name": missions.get(s["mission_id"], s["mission_id"]),
                "strategy_id": sid,
                "strategy_name": s["strategy_name"],
                "rag": rag,
                "previous_rag": before,
                "basis": basis,
                "late": len(late),
            }
        )
    item_frame = pd.DataFrame(items, columns=BOARD_ITEM_COLUMNS)
    return BoardView(
        quarter=quarter,
        period_end=period_end,
        previous_period_end=previous_end,
        as_of=as_of,
        owners=_tabulate_owners(dataset, item_frame),
        items=item_frame,
        strategies=pd.DataFrame(strategies),
        returns_recorded=not dataset.returns_log.empty,
    )


def _tabulate_owners(dataset: Dataset, items: pd.DataFrame) -> pd.DataFrame:
    """One row per senior contact: what they answer for and how much is late or changed."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for s in dataset.strategies.to_dict("records"):
        for side, owner_column, spoc_column in _SIDES:
            owner = _text(s.get(owner_column)) or "Not named"
            row = rows.setdefault(
                (owner, side),
                {"owner": owner, "side": side, "strategies": [], "contacts": [], "ids": []},
            )
            row["strategies"].append(str(s["strategy_name"]))
            row["ids"].append(str(s["strategy_id"]))
            spoc = _text(s.get(spoc_column))
            if spoc and spoc not in row["contacts"]:
                row["contacts"].append(spoc)
    table = []
    for row in rows.values():
        mine = items[items["strategy_id"].isin(row["ids"])]
        counts = mine["kind"].value_counts()
        late = {
            "commitments_late": int(counts.get("commitment", 0)),
            "actions_overdue": int(counts.get("action", 0)),
            "returns_missing": int(counts.get("return", 0)),
        }
        table.append(
            {
                "owner": row["owner"],
                "side": row["side"],
                "strategies": "; ".join(row["strategies"]),
                "contacts": "; ".join(row["contacts"]),
                **late,
                "changes": int(counts.get("rating", 0)),
                "late": sum(late.values()),
            }
        )
    frame = pd.DataFrame(table, columns=BOARD_OWNER_COLUMNS)
    return frame.sort_values(["late", "side", "owner"], ascending=[False, True, True]).reset_index(
        drop=True
    )
