"""Reading a return's cells as the owner sees them, and naming the cells that cannot be.

Three things an owner's spreadsheet does that a plain reading of the stored values gets
wrong, each found in a return:

- a cell formatted as a percentage stores its fraction: 35% is stored as 0.35
  (:func:`read_shown_number` reads 35);
- a formula saved by a program that does not calculate (a script, some online editors)
  has no calculated value, so the stored value is empty and the figure would be listed
  as "not supplied" (:func:`find_cell_traps` names it);
- cells merged over several months hold one value, in the first month only, so the
  later months would be "not supplied" and the first would carry a figure meant for all
  of them (:func:`find_cell_traps` names the merged range and the months it covers).

:func:`find_cell_traps` also names a text cell holding a control or text-direction
character, by its sheet and cell: the data set refuses such text, and its message would
otherwise name the row of the merged copy's CSV file rather than the owner's cell.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from pcplib.data.sense_checks import describe_control_character

__all__ = ["find_cell_traps", "read_shown_number"]

_MONTH_COLUMN = "month"


def read_shown_number(cell: Any) -> Any:
    """Return a cell's value as the owner sees it: 35% is 35, not the stored 0.35.

    Excel stores a cell formatted as a percentage as its fraction, so an owner who typed
    35% into a percentage measure's cell would otherwise load 0.35. Every other value is
    returned as stored.

    Parameters
    ----------
    cell : openpyxl.cell.Cell
        The cell.

    Returns
    -------
    Any
        The value, multiplied by 100 when it is a number shown with a percent format.
    """
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if "%" in str(cell.number_format or ""):
        # Rounded so 0.35 shows as 35, not 35.00000000000001.
        return round(value * 100, 10)
    return value


def _months_of(ws: Any, columns: Sequence[str], first: int, last: int) -> list[str]:
    """Return the ``month`` cells of rows ``first`` to ``last`` of a sheet that has them."""
    if _MONTH_COLUMN not in columns:
        return []
    column = list(columns).index(_MONTH_COLUMN) + 1
    return [str(ws.cell(row=r, column=column).value or "") for r in range(first, last + 1)]


def find_cell_traps(
    data: bytes, values: Any, sheets: Mapping[str, Sequence[str]]
) -> list[tuple[str, Any, str]]:
    """Name the cells of a return whose stored values are not what the owner sees.

    Parameters
    ----------
    data : bytes
        The workbook's bytes (read again with formulas kept, to find them).
    values : openpyxl.Workbook
        The workbook as read with ``data_only=True`` (the calculated values).
    sheets : mapping of str to sequence of str
        The data sheets to check and their columns, in order.

    Returns
    -------
    list of tuple
        ``(place, value, expected)`` for each formula with no calculated value
        (``Measures!E5``, the formula), each range of merged cells in the sheets'
        data rows (``Measures!E5:E7``, with the months it covers) and each text cell
        holding a control or text-direction character; empty when there are none.
    """
    from openpyxl import load_workbook

    traps: list[tuple[str, Any, str]] = []
    for sheet, columns in sheets.items():
        if sheet not in values.sheetnames:
            continue
        ws = values[sheet]
        for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            if merged.max_row < 2:
                continue  # the header row is the template's own
            rows = merged.max_row - merged.min_row + 1
            months = [m for m in _months_of(ws, columns, merged.min_row, merged.max_row) if m]
            if rows > 1 and len(set(months)) > 1:
                spans = f"{rows} months ({', '.join(months)})"
                want = "a figure for each month"
            elif rows > 1:
                spans, want = f"{rows} rows", "a value for each row"
            else:
                spans, want = f"{merged.max_col - merged.min_col + 1} columns", "one cell each"
            traps.append(
                (
                    f"{sheet}!{merged.coord}",
                    ws[merged.coord.split(":")[0]].value,
                    f"{want}, not cells merged over {spans}: unmerge them and give each "
                    "its own value",
                )
            )
    for sheet in sheets:
        if sheet not in values.sheetnames:
            continue
        for row in values[sheet].iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    expected = describe_control_character(cell.value)
                    if expected is not None:
                        traps.append((f"{sheet}!{cell.coordinate}", cell.value, expected))
    formulas = load_workbook(io.BytesIO(data), data_only=False)
    for sheet in sheets:
        if sheet not in formulas.sheetnames or sheet not in values.sheetnames:
            continue
        for row in formulas[sheet].iter_rows(min_row=2):
            for cell in row:
                if cell.data_type != "f":
                    continue
                if values[sheet][cell.coordinate].value is None:
                    traps.append(
                        (
                            f"{sheet}!{cell.coordinate}",
                            str(cell.value),
                            "a value: this cell holds a formula with no calculated value "
                            "(the workbook was saved by a program that does not calculate); "
                            "type the figure, or open the return in Excel and save it",
                        )
                    )
    return traps
