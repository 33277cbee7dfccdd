"""The Board's actions carried forward: each action's state at the meeting.

An action is agreed at a meeting (``agreed_at``), given an owner and a due date, and
reported on in the owners' quarterly returns (``open``, ``in progress``, ``done`` or
``dropped``). It is **overdue** when it is neither done nor dropped and its due date
fell before the meeting that reads the return: the Board is told at that meeting, so
an action due in the month between the data period's end and the meeting counts (the
commitments, judged on the data period, do not have that gap because their status is a
delivery judgement, not a promise to the Board). Without a meeting the end of the data
period is the date. The strategy report's exceptions, its action log and the Delivery
Board's view all read :func:`classify_actions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pcplib import periods

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = [
    "ACTION_STATES",
    "CLOSED_ACTION_STATUSES",
    "classify_actions",
    "find_action_date",
    "list_overdue_actions",
]

CLOSED_ACTION_STATUSES = ("done", "dropped")
ACTION_STATES = ("overdue", "open", "in progress", "done", "dropped")
"""What :func:`classify_actions` returns: ``overdue``, or the reported status."""


def find_action_date(period_end: str, slot: str = "") -> pd.Timestamp:
    """Return the date an action must have been due before to be overdue.

    Parameters
    ----------
    period_end : str
        The data period's last month, ``YYYY-MM``.
    slot : str, optional
        The meeting, ``YYYY-MM``: its first day. Empty: the day after the data period.

    Returns
    -------
    pandas.Timestamp
        An action due before this date and not closed is overdue.
    """
    month = periods.parse_month(slot) if slot else periods.parse_month(period_end) + 1
    return month.start_time


def classify_actions(actions: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Return each action's state: ``overdue``, or its reported status.

    Parameters
    ----------
    actions : pandas.DataFrame
        Rows with ``status`` and ``due_date`` (a missing due date is never overdue).
    as_of : pandas.Timestamp
        From :func:`find_action_date`.

    Returns
    -------
    pandas.Series
        One state per row (lower case), on the frame's index.
    """
    if actions.empty:
        return pd.Series([], index=actions.index, dtype=object)
    status = actions["status"].astype(str).str.strip().str.lower()
    due = pd.to_datetime(actions["due_date"], errors="coerce")
    state = status.copy()
    state[~status.isin(CLOSED_ACTION_STATUSES) & due.notna() & (due < as_of)] = "overdue"
    return state


def list_overdue_actions(
    dataset: Dataset, strategy_id: str | None, period_end: str, slot: str = ""
) -> pd.DataFrame:
    """Return the overdue actions of a strategy (or of every strategy), earliest due first.

    Parameters
    ----------
    dataset : Dataset
        The data set (its ``actions`` table from the owners' returns).
    strategy_id : str or None
        The strategy; None for every strategy.
    period_end : str
        The data period's last month, ``YYYY-MM``.
    slot : str, optional
        The meeting, ``YYYY-MM`` (see :func:`find_action_date`).

    Returns
    -------
    pandas.DataFrame
        The actions' rows (``action_id``, ``strategy_id``, ``agreed_at``, ``action``,
        ``owner``, ``due_date``, ``status``).
    """
    actions = dataset.actions
    if strategy_id is not None and "strategy_id" in actions.columns:
        actions = actions[actions["strategy_id"] == strategy_id]
    if actions.empty:
        return actions
    state = classify_actions(actions, find_action_date(period_end, slot))
    return actions[state == "overdue"].sort_values(["due_date", "action_id"], kind="stable")
