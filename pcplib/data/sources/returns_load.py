"""Reading an owners' quarterly return back and checking every cell of it.

:func:`read_return` opens a workbook made by ``pcp returns template`` (see
:mod:`~pcplib.data.sources.returns_layout`), checks that it is a return, for a
strategy of the data set and a quarter that has ended, and still in the shape the
template gave it; then reads what the owners supplied and checks each value
(:mod:`~pcplib.data.sources.returns_sheets`, which also holds the classes of what a
return holds, named here too, as callers import them from here). A
workbook that is not a return, or was edited out of shape, is refused whole; every
other problem names the workbook, sheet and cell (``Measures!E7``), the value and
what was expected. Empty cells are not problems: they are listed as *not supplied*.
Merging what was read into the data set is :mod:`~pcplib.data.sources.returns_merge`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcplib import periods
from pcplib.data.cells import (
    MAX_WORKBOOK_BYTES,
    WORKBOOK_EXPECTED,
    describe_absurd_extent,
    describe_unpacked_size,
    describe_workbook_error,
)
from pcplib.data.sources.returns_cells import find_cell_traps, read_shown_number
from pcplib.data.sources.returns_layout import (
    IDENTITY_KEYS,
    IDENTITY_SHEET,
    RETURN_KIND,
    SHEETS,
    TEMPLATE_VERSION,
    column_letter,
    digest_layout,
)
from pcplib.data.sources.returns_sheets import (
    SHEET_COLUMNS,
    ActionEntry,
    CellReader,
    CommitmentUpdate,
    Figure,
    NarrativeEntry,
    ReturnContent,
    ReturnProblem,
    RiskEntry,
    describe_figure,
    read_sheets,
)
from pcplib.labels import date_words

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from pcplib.data.dataset import Dataset

__all__ = [
    "ActionEntry",
    "CommitmentUpdate",
    "Figure",
    "NarrativeEntry",
    "ReturnContent",
    "ReturnProblem",
    "RiskEntry",
    "describe_figure",
    "read_return",
    # How a cell's figure is read, as the sheets read it, for a caller checking one cell.
    "read_shown_number",
]


# Cells out of place reported one by one in each sheet before the rest are counted.
_SHOWN_PER_SHEET = 5

RETURN_SHEET_ROWS = 10_000
"""More rows than this on any sheet of a return is refused before it is read."""

RETURN_SHEET_COLUMNS = 100
"""More columns than this on any sheet of a return is refused before it is read."""


def _read_identity(
    ws: Worksheet, reader: CellReader
) -> tuple[dict[str, str], list[tuple[str, str, str]]] | None:
    """Read the hidden sheet: the identity keys, then the layout cells; None if broken."""
    identity: dict[str, str] = {}
    layout: list[tuple[str, str, str]] = []
    in_layout = False
    for row in ws.iter_rows(min_row=2, values_only=True):
        cells = ["" if v is None else str(v) for v in (*row, None, None, None)[:3]]
        if not any(cells):
            continue
        if cells == ["sheet", "cell", "text"]:
            in_layout = True
        elif in_layout:
            layout.append((cells[0], cells[1], cells[2]))
        else:
            identity[cells[0]] = cells[1]
    if identity.get("kind") != RETURN_KIND:
        reader.report(
            f"{IDENTITY_SHEET}!B2",
            identity.get("kind"),
            f"{RETURN_KIND!r}: this workbook is not a quarterly return made by pcp returns "
            "template",
        )
        return None
    missing = [k for k in IDENTITY_KEYS if k not in identity]
    if missing or digest_layout(identity, layout) != identity.get("layout_sha256"):
        reader.report(
            IDENTITY_SHEET,
            None,
            "the identity sheet as the template wrote it (it was edited, so the return's "
            "strategy, quarter and layout cannot be trusted): make a new template",
        )
        return None
    if identity["template_version"] != TEMPLATE_VERSION:
        reader.report(
            f"{IDENTITY_SHEET}!B3",
            identity["template_version"],
            f"template version {TEMPLATE_VERSION}: this return was made with an older "
            "template; copy its figures into a new one (pcp returns template)",
        )
        return None
    return identity, layout


def _check_shape(wb: Any, layout: list[tuple[str, str, str]], reader: CellReader) -> dict[str, int]:
    """Check the layout cells and that nothing was added around them; return last rows.

    One moved row shifts every row below it, so each sheet reports its first few cells
    out of place and then how many more there are.
    """
    last_rows: dict[str, int] = {}
    for sheet in SHEETS:
        if sheet not in wb.sheetnames:
            reader.report(sheet, None, f"a sheet named {sheet!r} (the template's sheets are kept)")
    if reader.problems:
        return last_rows
    misplaced: dict[str, list[tuple[str, Any, str]]] = {}
    for sheet, cell, text in layout:
        found = reader.text(wb[sheet][cell].value)
        if found != text:
            misplaced.setdefault(sheet, []).append(
                (
                    cell,
                    wb[sheet][cell].value,
                    f"{text!r}, as the template wrote it (rows, columns or ids were changed; "
                    "undo the change or copy the figures into a new template)",
                )
            )
        last_rows[sheet] = max(last_rows.get(sheet, 1), int(re.sub(r"\D", "", cell)))
    for sheet, columns in SHEET_COLUMNS.items():
        ws = wb[sheet]
        last = last_rows.get(sheet, 1)
        right = column_letter(columns, columns[-1])
        for row in ws.iter_rows(min_row=1, max_row=max(ws.max_row, last)):
            for cell in row:
                outside = cell.row > last or cell.column > len(columns)
                if outside and cell.value not in (None, ""):
                    misplaced.setdefault(sheet, []).append(
                        (
                            cell.coordinate,
                            cell.value,
                            f"nothing outside the template's table (rows 1 to {last}, "
                            f"columns A to {right})",
                        )
                    )
    for sheet, cells in misplaced.items():
        for cell, value, expected in cells[:_SHOWN_PER_SHEET]:
            reader.report(f"{sheet}!{cell}", value, expected)
        if len(cells) > _SHOWN_PER_SHEET:
            reader.report(
                sheet,
                None,
                f"the template's layout: {len(cells) - _SHOWN_PER_SHEET} more cells of "
                f"{sheet} are out of place",
            )
    return last_rows


def _open_workbook(file: Path, reader: CellReader) -> tuple[bytes, Any] | None:
    """The workbook's bytes and the workbook, or None when it cannot be a return.

    Refused whole, each with its problem: a file too large, unreadable or unpacking to
    too much, one that is not a workbook, a sheet with a cell absurdly far out, or no
    identity sheet.
    """
    from openpyxl import load_workbook

    try:
        size = file.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            reader.report(
                None,
                None,
                f"a workbook of at most {MAX_WORKBOOK_BYTES // 1_048_576} MiB "
                f"(this one is {size / 1_048_576:,.0f} MiB)",
            )
            return None
        data = file.read_bytes()
    except OSError as error:
        reader.report(None, None, f"a readable file ({error.strerror or error})")
        return None
    unpacked = describe_unpacked_size(data)
    if unpacked:
        reader.report(None, None, unpacked)
        return None
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        reader.report(None, None, f"{WORKBOOK_EXPECTED}: {describe_workbook_error(data, error)}")
        return None
    for sheet in wb.worksheets:
        # A return's sheets hold a few hundred cells; a value far outside them would make
        # every later walk of the sheet cost minutes and gigabytes.
        extent = describe_absurd_extent(sheet, rows=RETURN_SHEET_ROWS, columns=RETURN_SHEET_COLUMNS)
        if extent:
            reader.report(f"{sheet.title}!{sheet.dimensions.split(':')[-1]}", None, extent)
            return None
    if IDENTITY_SHEET not in wb.sheetnames:
        reader.report(
            None,
            None,
            "a quarterly return made by pcp returns template (this workbook has no "
            f"{IDENTITY_SHEET} sheet)",
        )
        return None
    return data, wb


def _check_identity(
    wb: Any, dataset: Dataset, today: dt.date | None, reader: CellReader
) -> tuple[dict[str, str], list[tuple[str, str, str]]] | None:
    """The return's identity and layout cells, or None when it is not for this data set now.

    Refused whole: an identity sheet out of shape (:func:`_read_identity`), a strategy
    the data set does not have, or a quarter that is not one or has not ended by
    ``today``.
    """
    read = _read_identity(wb[IDENTITY_SHEET], reader)
    if read is None:
        return None
    identity, layout = read
    strategy_id, quarter = identity["strategy_id"], identity["quarter"]
    known = list(dataset.strategies["strategy_id"])
    if strategy_id not in known:
        reader.report(
            f"{IDENTITY_SHEET}!B4", strategy_id, f"a strategy of the data set ({', '.join(known)})"
        )
        return None
    try:
        end = periods.quarter_end_month(quarter).end_time.date()
    except ValueError:
        reader.report(f"{IDENTITY_SHEET}!B5", quarter, "a quarter written like '2026/27 Q3'")
        return None
    today = today or dt.date.today()
    if end > today:
        reader.report(
            f"{IDENTITY_SHEET}!B5",
            quarter,
            f"a quarter that has ended: {quarter} ends on {date_words(end)}, so its return "
            "can be loaded from the day after",
        )
        return None
    return identity, layout


def read_return(
    path: Path | str, dataset: Dataset, today: dt.date | None = None
) -> tuple[ReturnContent | None, list[ReturnProblem]]:
    """Read and check one return against the data set.

    Parameters
    ----------
    path : path-like
        The workbook (``.xlsx``).
    dataset : Dataset
        The loaded data set it will be merged into.
    today : datetime.date, optional
        The date the return's quarter must have ended by; today when omitted.

    Returns
    -------
    tuple of (ReturnContent or None, list of ReturnProblem)
        The content (None when the workbook is refused whole: not a return, from an
        unknown strategy, for a quarter not yet ended, or out of shape) and every
        problem found. A return with any problem must not be merged.
    """
    file = Path(path)
    reader = CellReader(file.name if file.name else str(path))
    opened = _open_workbook(file, reader)
    if opened is None:
        return None, reader.problems
    data, wb = opened
    found = _check_identity(wb, dataset, today, reader)
    if found is None:
        return None, reader.problems
    identity, layout = found
    last_rows = _check_shape(wb, layout, reader)
    for place, value, expected in (
        [] if reader.problems else find_cell_traps(data, wb, SHEET_COLUMNS)
    ):
        reader.report(place, value, expected)
    if reader.problems:
        return None, reader.problems
    content = ReturnContent(
        path=file,
        name=file.name,
        sha256=hashlib.sha256(data).hexdigest(),
        strategy_id=identity["strategy_id"],
        quarter=identity["quarter"],
    )
    read_sheets(wb, last_rows, dataset, content, reader)
    return content, reader.problems
