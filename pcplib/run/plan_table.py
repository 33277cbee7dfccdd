"""``pcp plan``: the board's forward plan printed as a table on the console.

Printing belongs to the run floor; :mod:`pcplib.data.forward_plan` only reads and
checks the plan.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pcplib import periods
from pcplib.data.forward_plan import load_forward_plan
from pcplib.labels import month_words

__all__ = ["print_plan"]


def print_plan(path: Path | str, today: dt.date | None = None, board: str = "Board") -> int:
    """Print the forward plan as a table, for ``pcp plan``.

    Parameters
    ----------
    path : path-like
        The forward plan (the data set's ``forward_plan.yaml`` by default).
    today : datetime.date, optional
        Marks the latest and next meetings relative to this date; today when omitted.
    board : str, default "Board"
        The board's name (the data set's ``board.name``), for the table's title.

    Returns
    -------
    int
        0 when printed; 1 when the plan cannot be read (the reason is printed).
    """
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, width=110)
    try:
        plan = load_forward_plan(path)
    except (OSError, ValueError) as error:
        console.print(f"Cannot read the forward plan: {error}", markup=False, soft_wrap=True)
        return 1
    month = periods.label_month(today or dt.date.today())
    latest = next((s.slot for s in reversed(plan.slots) if s.slot <= month), None)
    upcoming = next((s.slot for s in plan.slots if s.slot > month), None)
    table = Table(title=f"{board} forward plan", title_justify="left")
    table.add_column("Meeting")
    table.add_column("Year")
    table.add_column("Data to")
    table.add_column("Strategies")
    table.add_column("")
    for slot in plan.slots:
        mark = "latest" if slot.slot == latest else "next" if slot.slot == upcoming else ""
        table.add_row(
            f"{month_words(slot.slot)} ({slot.slot})",
            slot.year,
            month_words(slot.period_end),
            ", ".join(slot.strategies),
            mark,
        )
    console.print(table)
    console.print(f"Source: {plan.source}", markup=False)
    for note in plan.notes:
        console.print(f"Note: {note}", markup=False)
    return 0
