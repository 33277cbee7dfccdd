"""The Delivery Board view's table by owner: each senior contact's counts.

Apart from :mod:`pcplib.assessment.board`, which works out the items these count, so
each module keeps to a size a reader can hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib.labels import strip_text

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = ["BOARD_OWNER_COLUMNS", "tabulate_board_owners"]

BOARD_OWNER_COLUMNS = [
    "owner", "side", "strategies", "contacts", "commitments_overdue", "actions_overdue",
    "returns_missing", "overdue", "at_risk", "new_risks", "standing_risks", "unknown_risks",
    "changes", "progress", "strategy_ids",
]  # fmt: skip
"""Columns of :attr:`BoardView.owners`: the senior contact, ``Force`` or ``OPCC``, the
names of the strategies they answer for, their SPOCs, then counts, then the ids of the
strategies they answer for (a tuple, in the order of ``strategies``): ``overdue`` is the
sum of the three before it (commitments, actions, returns), ``at_risk`` the commitments
at risk or off track and not yet due, ``new_risks`` the risks known to have become high
in the quarter, ``standing_risks`` those high in the quarter before too,
``unknown_risks`` the high risks with no earlier score on file,
``changes`` the ratings changed, ``progress`` the items that progressed (flag
``progress``)."""

_SIDES = (("Force", "force_senior_owner", "force_spoc"), ("OPCC", "opcc_senior_owner", "opcc_spoc"))


def tabulate_board_owners(dataset: Dataset, items: pd.DataFrame) -> pd.DataFrame:
    """Return one row per senior contact: what they answer for, what is overdue, at risk.

    Parameters
    ----------
    dataset : Dataset
        The data set (its strategies' senior contacts and SPOCs).
    items : pandas.DataFrame
        The view's flagged items (:data:`~pcplib.assessment.board.BOARD_ITEM_COLUMNS`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BOARD_OWNER_COLUMNS`, the owner with most overdue first.
    """
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for s in dataset.strategies.to_dict("records"):
        for side, owner_column, spoc_column in _SIDES:
            owner = strip_text(s.get(owner_column)) or "Not named"
            row = rows.setdefault(
                (owner, side),
                {"owner": owner, "side": side, "strategies": [], "contacts": [], "ids": []},
            )
            row["strategies"].append(str(s["strategy_name"]))
            row["ids"].append(str(s["strategy_id"]))
            spoc = strip_text(s.get(spoc_column))
            if spoc and spoc not in row["contacts"]:
                row["contacts"].append(spoc)
    table = []
    for row in rows.values():
        mine = items[items["strategy_id"].isin(row["ids"])]
        counts = mine.groupby(["flag", "kind"]).size()
        overdue = {
            "commitments_overdue": int(counts.get(("overdue", "commitment"), 0)),
            "actions_overdue": int(counts.get(("overdue", "action"), 0)),
            "returns_missing": int(counts.get(("overdue", "return"), 0)),
        }
        table.append(
            {
                "owner": row["owner"],
                "side": row["side"],
                "strategies": "; ".join(row["strategies"]),
                "contacts": "; ".join(row["contacts"]),
                **overdue,
                "overdue": sum(overdue.values()),
                # Only commitments carry a reported status that can be at risk.
                "at_risk": int(counts.get(("at risk", "commitment"), 0)),
                "new_risks": int(counts.get(("new high risk", "risk"), 0)),
                "standing_risks": int(counts.get(("standing high risk", "risk"), 0)),
                "unknown_risks": int(counts.get(("high risk", "risk"), 0)),
                "changes": int(counts.get(("changed", "rating"), 0)),
                "progress": int(mine["flag"].eq("progress").sum()),
                "strategy_ids": tuple(row["ids"]),
            }
        )
    frame = pd.DataFrame(table, columns=BOARD_OWNER_COLUMNS)
    order = ["overdue", "at_risk", "side", "owner"]
    return frame.sort_values(order, ascending=[False, False, True, True]).reset_index(drop=True)
