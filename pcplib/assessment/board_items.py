"""The Delivery Board's flagged items: what is overdue, at risk or a high risk.

One strategy's items for the quarterly view (:mod:`pcplib.assessment.board`), each a
row of :data:`~pcplib.assessment.board.BOARD_ITEM_COLUMNS` without the strategy's
columns: commitments overdue or at risk (overdue is decided by the due date alone, so a
commitment reported at risk but due years ahead is a warning, not a delay), Board
actions overdue, owners' returns not received by the date the forward plan sets, and
every high risk, new, high the quarter before too, or with no earlier score on file
(the strategy summary's own list).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.actions import classify_actions
from pcplib.assessment.commitment_status import check_commitment_statuses
from pcplib.assessment.delivery import classify_commitments
from pcplib.assessment.risks import ALREADY_HIGH, NEW, describe_novelty
from pcplib.assessment.scope import strategy_commitments
from pcplib.data.sources.returns_layout import find_deadline
from pcplib.labels import date_words, is_missing, month_words, strip_text

if TYPE_CHECKING:
    from pcplib.data import Dataset
    from pcplib.data.forward_plan import ForwardPlan

__all__ = ["list_action_items", "list_commitment_items", "list_return_items", "list_risk_items"]


def list_commitment_items(
    dataset: Dataset, strategy_id: str, period_end: str, verdicts: pd.DataFrame
) -> list[dict[str, Any]]:
    """Return a strategy's commitments overdue, or at risk or off track and not yet due.

    Parameters
    ----------
    dataset : Dataset
        The data set.
    strategy_id : str
        The strategy.
    period_end : str
        The data period's last month (``YYYY-MM``): a commitment due by its end and not
        complete is overdue (:func:`~pcplib.assessment.delivery.classify_commitments`).
    verdicts : pandas.DataFrame
        The strategy's measures' verdicts, which a commitment's status may contradict.

    Returns
    -------
    list of dict
        One item each, flag ``overdue`` or ``at risk``; ``reason`` the sentence saying
        that the status and the measure's data disagree, when they do.
    """
    commitments = strategy_commitments(dataset, strategy_id)
    if commitments.empty:
        return []
    state = classify_commitments(commitments, period_end)
    # A status the data of the commitment's measure contradict: the one sentence, as the
    # strategy report sets it beside the commitment (assessment.commitment_status).
    checks = check_commitment_statuses(commitments, verdicts, period_end)
    differ = dict(zip(checks["commitment_id"], checks["sentence"], strict=True))
    rows = []
    for index, c in commitments.iterrows():
        if state[index] not in ("at risk", "off track", "overdue"):
            continue
        # Overdue is decided by the due date alone (classify_commitments): a commitment
        # reported at risk but due years ahead is a warning, not a delay.
        rows.append(
            {
                "kind": "commitment",
                "item_id": strip_text(c.get("commitment_id")),
                "item": strip_text(c.get("commitment")),
                "state": state[index],
                "due": "" if is_missing(c.get("due_date")) else date_words(c["due_date"]),
                "detail": strip_text(c.get("owner")),
                "flag": "overdue" if state[index] == "overdue" else "at risk",
                "reason": differ.get(strip_text(c.get("commitment_id")), ""),
            }
        )
    return rows


def list_action_items(
    dataset: Dataset, strategy_id: str, as_of: pd.Timestamp
) -> list[dict[str, Any]]:
    """Return a strategy's Board actions overdue at the meeting.

    Parameters
    ----------
    dataset : Dataset
        The data set (its action log).
    strategy_id : str
        The strategy.
    as_of : pandas.Timestamp
        The meeting's date: an action due before it and not done or dropped is overdue
        (:func:`~pcplib.assessment.actions.classify_actions`).

    Returns
    -------
    list of dict
        One item each, flag ``overdue``.
    """
    actions = dataset.actions
    if actions.empty or "strategy_id" not in actions.columns:
        return []
    actions = actions[actions["strategy_id"] == strategy_id]
    state = classify_actions(actions, as_of)
    rows = []
    for _, a in actions[state == "overdue"].iterrows():
        agreed = strip_text(a.get("agreed_at"))
        rows.append(
            {
                "kind": "action",
                "item_id": strip_text(a.get("action_id")),
                "item": strip_text(a.get("action")),
                # "overdue, still in progress": no brackets, as the view puts the state in them.
                "state": f"overdue, still {strip_text(a.get('status'))}"
                if strip_text(a.get("status"))
                else "overdue",
                "due": "" if is_missing(a.get("due_date")) else date_words(a["due_date"]),
                "detail": (f"agreed {month_words(periods.parse_month(agreed))}" if agreed else "")
                + (f"; {strip_text(a.get('owner'))}" if strip_text(a.get("owner")) else ""),
                "flag": "overdue",
            }
        )
    return rows


def list_return_items(
    dataset: Dataset, strategy_id: str, quarter: str, plan: ForwardPlan | None, as_of: pd.Timestamp
) -> list[dict[str, Any]]:
    """Return the strategy's owners' return for the quarter when it was not in on time.

    Parameters
    ----------
    dataset : Dataset
        The data set (its returns log).
    strategy_id : str
        The strategy.
    quarter : str
        The reporting quarter (``2026/27 Q2``).
    plan : ForwardPlan or None
        The forward plan, which sets the date the return is due.
    as_of : pandas.Timestamp
        The meeting's date: a return due before it and not received by then is overdue.

    Returns
    -------
    list of dict
        At most one item, flag ``overdue``: "not received", or "received late".
    """
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
            "flag": "overdue",
        }
    ]


def list_risk_items(risks: pd.DataFrame, period_end: str) -> list[dict[str, Any]]:
    """Return the quarter's high risks, every one: the owners answer for them too.

    Parameters
    ----------
    risks : pandas.DataFrame
        The strategy summary's own list
        (:attr:`~pcplib.assessment.strategy.StrategySummary.high_risks`), the one its
        risk rating and "But:" note read.
    period_end : str
        The data period's last month (``YYYY-MM``), whose quarter before a risk is
        read against.

    Returns
    -------
    list of dict
        One item each (seed 002): flag ``new high risk`` when the quarter before's return
        shows it below high or not listed; ``standing high risk``, "also high in" that
        quarter, when the return scored it high too (a standing risk stays in view,
        review 14, R14-1); else ``high risk`` with "no earlier score on file": absence
        of a record is never counted as a new risk.
    """
    items = []
    for r in risks.to_dict("records"):
        novelty = str(r.get("novelty", NEW))
        known_new = novelty == NEW
        score = f"score {int(r['score'])}"
        state = (
            f"new high risk, {score}"
            if known_new
            else f"high risk, {score}, {describe_novelty(novelty, period_end)}"
        )
        flag = {NEW: "new high risk", ALREADY_HIGH: "standing high risk"}.get(novelty, "high risk")
        items.append(
            {
                "kind": "risk",
                "item_id": strip_text(r.get("risk_id")),
                "item": strip_text(r.get("description")) or strip_text(r.get("risk_id")),
                "state": state,
                "due": "",
                "detail": strip_text(r.get("owner")),
                "flag": flag,
            }
        )
    return items
