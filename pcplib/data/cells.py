"""Reading one file's cells as text: a CSV or an Excel workbook's first sheet.

Everything that stops a file being read as a grid of cells is reported here, once and
in one line each, with the file, the row (as a spreadsheet shows it: the header is row
1) and, where there is one, the column or the workbook cell: bytes that are not UTF-8,
an unclosed quote, a row with more or fewer cells than the header, a header that
repeats a column, an empty file, a workbook that does not open. A file with such a
problem is not used at all, so nothing built on its misaligned cells can flood the
reader with follow-on errors.

The values themselves are checked by :mod:`pcplib.data.read` (types) and
:mod:`pcplib.data.validate` (rules). New inputs (police.uk archives, Excel returns)
read their tables through :func:`read_cells` to get the same messages.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import math
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pcplib.data.large_csv import (
    SHARE_CELLS_FROM_CHARS,
    CellSharer,
    RowLimitError,
    bound_row_width,
    count_row,
    iterate_lines,
    read_csv_columns,
    read_large_csv,
)
from pcplib.data.problems import Problem
from pcplib.spreadsheet_safety import restore_cell

__all__ = [
    "UTF8_EXPECTED",
    "WORKBOOK_EXPECTED",
    "Cells",
    "cell_differs",
    "column_letter",
    "describe_unpacked_size",
    "describe_workbook_error",
    "format_cell_text",
    "read_cells",
]

UTF8_EXPECTED = "UTF-8 text (save the file as CSV UTF-8)"
WORKBOOK_EXPECTED = "an Excel workbook (.xlsx) that opens"
# At most this many rows are reported for one structural problem of one file; the rest
# are counted in one more line, so a file shifted by one comma does not flood the reader.
MAX_ROWS_REPORTED = 3
# The first bytes of an OLE compound file: an old .xls, or an encrypted .xlsx.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Cells:
    """A file's cells as text, or what stopped it being read.

    Attributes
    ----------
    header : list of str
        The first row's cells, stripped (empty when the file could not be read).
    rows : list of list of str
        Every later row, each as long as ``header``; ``rows[i]`` is spreadsheet row
        ``i + 2``. Blank rows are kept (all cells ``""``) so the numbers match.
    sheet : str or None
        The workbook sheet read (``None`` for a CSV).
    problems : list of Problem
        What stops the file being used; empty when it can be.
    sha256 : str
        The SHA-256 hex digest of the bytes read (empty when the file could not be read).
    columns : list of list of str or None
        Each column's cells, in ``header`` order, when the file was read column by
        column (a large CSV file, see :func:`read_cells`); ``rows`` is then empty.
    """

    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    sheet: str | None = None
    problems: list[Problem] = field(default_factory=list)
    sha256: str = ""
    columns: list[list[str]] | None = None


def column_letter(index: int) -> str:
    """Return a spreadsheet column's letters for a 0-based index (0 -> ``A``, 26 -> ``AA``).

    Parameters
    ----------
    index : int
        The column's position, from 0.

    Returns
    -------
    str
        The letters a spreadsheet shows above the column.
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _position(index: int) -> str:
    """Return a 0-based column position as a spreadsheet shows it: ``column C``."""
    return f"column {column_letter(index)}"


def format_cell_text(value: Any) -> str:
    """Return a workbook cell's value as the text a CSV would hold.

    Parameters
    ----------
    value : Any
        What openpyxl read: text, a number, a date, a boolean or nothing.

    Returns
    -------
    str
        Dates as ``YYYY-MM-DD`` (with the time only when there is one), whole numbers
        without ``.0``, booleans as ``true``/``false``, nothing as ``""``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | pd.Timestamp):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _shown_bytes(text: str) -> str:
    """Return text holding undecodable bytes as a Windows-1252 editor would show it."""
    return text.encode("utf-8", "surrogateescape").decode("cp1252", "replace")


def _bad_bytes(text: str) -> list[int]:
    """Return the undecodable bytes kept in ``text`` by the ``surrogateescape`` handler."""
    return [ord(c) - 0xDC00 for c in text if 0xDC80 <= ord(c) <= 0xDCFF]


def _encoding_problems(file: str, header: list[str], records: list[list[str]]) -> list[Problem]:
    """Report the first cell whose bytes are not UTF-8 (and how many more there are)."""
    bad = [
        (number, index, cell)
        for number, record in enumerate(records, start=1)
        for index, cell in enumerate(record)
        if _bad_bytes(cell)
    ]
    if not bad:
        return []
    number, index, cell = bad[0]
    column = header[index] if number > 1 and index < len(header) and header[index] else None
    byte = _bad_bytes(cell)[0]
    more = f"; {len(bad) - 1} more cell(s) in the file are not UTF-8 either" if bad[1:] else ""
    return [
        Problem(
            file,
            number,
            column,
            _shown_bytes(cell),
            f"{UTF8_EXPECTED}: byte 0x{byte:02X} is not UTF-8 (perhaps Windows-1252 or "
            f"Latin-1){more}",
        )
    ]


def _line_words(row: int, line: int) -> str:
    """Return ``row 5``, adding the file's line when a multi-line cell made them differ."""
    return f"row {row}" if row == line else f"row {row} (line {line} of the file)"


def _split_csv(text: str, file: str) -> tuple[list[list[str]], list[int], list[Problem]]:
    """Split CSV text into records, noting the line each starts on; report an unclosed quote.

    Rows are numbered as a spreadsheet numbers them (one row per record), which is the
    line number until a quoted cell holds a line break.
    """
    large = len(text) >= SHARE_CELLS_FROM_CHARS
    # io.StringIO holds its text at four bytes a character (a 250 MB file took 1 GB): a
    # large text is handed to the reader a line at a time instead.
    lines = iterate_lines(text) if large else io.StringIO(text, newline="")
    reader = csv.reader(bound_row_width(lines), strict=True)
    records: list[list[str]] = []
    starts: list[int] = []
    line = 1
    # A large file's ids, dates and codes repeat on every row: one shared string for
    # each, rather than one per cell, keeps 2 million rows within memory.
    share = CellSharer() if large else None
    counts = [0, 0]
    try:
        for record in reader:
            count_row(record, counts)
            if share is not None:
                share(record)
            records.append(record)
            starts.append(line)
            line = reader.line_num + 1
    except RowLimitError as error:
        return records, starts, [Problem(file, error.row, None, None, error.expected)]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # One cell of megabytes: no table holds one, and reading on would hold it.
            row = len(records) + 1
            return (
                records,
                starts,
                [
                    Problem(
                        file,
                        row,
                        None,
                        None,
                        f"cells of at most {csv.field_size_limit():,} characters (a cell in "
                        f"{_line_words(row, line)} is longer)",
                    )
                ],
            )
        # strict mode stops at the end of the data inside a quoted cell, or where a
        # quote closed in the middle of a cell: either way the quote opened in the
        # record that started on ``line``. Read alone, that line ends in the open cell.
        row = len(records) + 1
        opening = text.splitlines()[line - 1] if text.splitlines()[line - 1 :] else ""
        try:
            cells = next(csv.reader([opening]), [""])
        except csv.Error:
            cells = [opening[:40]]
        header = [c.strip() for c in records[0]] if records else []
        index = len(cells) - 1
        column = header[index] if row > 1 and 0 <= index < len(header) else None
        problem = Problem(
            file,
            row,
            column,
            '"' + cells[-1][:40] if cells else None,
            f"a closing quote: an unclosed quote starting in {_line_words(row, line)} runs "
            "into the rows after it; close the quote, or remove it",
        )
        return records, starts, [problem]
    return records, starts, []


def _swallowed_rows(
    file: str, header: list[str], records: list[list[str]], starts: list[int]
) -> list[Problem]:
    """Report a quoted cell that spans lines which each look like a whole row.

    Text may hold line breaks in quotes, but a cell whose later lines hold as many
    commas as a row has is a quote left open that a later quote happened to close.
    """
    separators = max(len(header) - 1, 1)
    for number, record in enumerate(records[1:], start=2):
        for index, cell in enumerate(record):
            lines = cell.split("\n")
            if len(lines) > 1 and any(part.count(",") >= separators for part in lines[1:]):
                column = header[index] if index < len(header) else None
                return [
                    Problem(
                        file,
                        number,
                        column,
                        '"' + lines[0][:40],
                        "a closing quote: an unclosed quote starting in "
                        f"{_line_words(number, starts[number - 1])} swallows the "
                        f"{len(lines) - 1} line(s) after it; close the quote, or remove it",
                    )
                ]
    return []


def _is_blank(record: list[str]) -> bool:
    """Return True for a row with no text in any cell."""
    return all(not cell.strip() for cell in record)


def _shape_problems(
    file: str,
    header: list[str],
    records: list[list[str]],
    sheet: str | None,
    allow_empty: bool = False,
) -> tuple[list[str], list[list[str]], list[Problem]]:
    """Check the header and that every row has one cell per column; pad the rows.

    Header cells that are empty and have nothing beneath them are dropped: spreadsheets
    often save a trailing empty column.
    """
    problems: list[Problem] = []
    width = len(header)

    def fits(record: list[str]) -> bool:
        # Blank cells past the header's last column are a spreadsheet's, not a value.
        return len(record) == width or (len(record) > width and _is_blank(record[width:]))

    filled = [r for r in records[1:] if not _is_blank(r)]
    widths = Counter(len(r) for r in filled if not fits(r))
    if sheet is None and widths:
        common, count = widths.most_common(1)[0]
        if sum(widths.values()) * 2 > len(filled):
            # Most rows disagree with row 1: row 1 is not the header (a title above it?).
            return (
                header,
                [],
                [
                    Problem(
                        file,
                        1,
                        None,
                        None,
                        f"a header in row 1 as wide as the rows below it: it has {width} "
                        f"cell(s) but most rows have {common} (a title above the header, or a "
                        "column name missing?)",
                    )
                ],
            )
    used = [
        i
        for i, name in enumerate(header)
        if name or any(i < len(r) and r[i].strip() for r in records[1:])
    ]
    for i in used:
        if not header[i]:
            problems.append(
                Problem(
                    file,
                    1,
                    None,
                    None,
                    f"a column name in {_position(i)} of the header (the cells below it hold "
                    "values)",
                    sheet=sheet,
                    cell=f"{column_letter(i)}1" if sheet else None,
                )
            )
    seen: dict[str, int] = {}
    for i in used:
        name = header[i]
        if name and name in seen:
            problems.append(
                Problem(
                    file,
                    1,
                    name,
                    None,
                    f"each column once ({name!r} heads both {_position(seen[name])} and "
                    f"{_position(i)}; remove or rename one)",
                    sheet=sheet,
                    cell=f"{column_letter(i)}1" if sheet else None,
                )
            )
        seen.setdefault(name, i)
    rows: list[list[str]] = []
    wrong: list[tuple[int, int]] = []
    for number, record in enumerate(records[1:], start=2):
        if _is_blank(record):
            rows.append([""] * width)
            continue
        if len(record) == width:
            rows.append(record)
            continue
        if not fits(record):
            wrong.append((number, len(record)))
        rows.append((record + [""] * width)[:width])
    # A workbook's rows are always as wide as its widest; only CSV rows can be ragged.
    if sheet is None:
        for number, count in wrong[:MAX_ROWS_REPORTED]:
            hint = "a comma in a value must be in quotes" if count > width else "a comma is missing"
            problems.append(
                Problem(
                    file,
                    number,
                    None,
                    None,
                    f"{width} cells, one per column of the header; this row has {count} ({hint})",
                )
            )
        if len(wrong) > MAX_ROWS_REPORTED:
            problems.append(
                Problem(
                    file,
                    None,
                    None,
                    None,
                    f"{width} cells in every row; {len(wrong) - MAX_ROWS_REPORTED} more "
                    "row(s) have a different number",
                )
            )
    if not problems and not allow_empty and all(_is_blank(r) for r in rows):
        problems.append(
            Problem(
                file,
                None,
                None,
                None,
                "at least one row of data below the header (it has no rows)",
                sheet=sheet,
            )
        )
    if problems or used == list(range(width)):
        return header, rows, problems
    return [header[i] for i in used], [[row[i] for i in used] for row in rows], problems


def _read_csv(data: bytes, file: str, allow_empty: bool = False) -> Cells:
    """Read a CSV file's cells (UTF-8, with or without a byte-order mark)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Cells(
            problems=[
                Problem(
                    file, None, None, None, f"{UTF8_EXPECTED}: this file is UTF-16 ('Unicode text')"
                )
            ]
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data.strip():
        return Cells(
            problems=[
                Problem(
                    file,
                    None,
                    None,
                    None,
                    "a header row and at least one row of data (the file is empty)",
                )
            ]
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return Cells(
            problems=[
                Problem(
                    file,
                    line,
                    None,
                    None,
                    "CSV text (the file holds a NUL byte: it is binary, or UTF-16 without a "
                    "byte-order mark)",
                )
            ]
        )
    try:
        text = data.decode("utf-8")
        strict = True
    except UnicodeDecodeError:
        # Kept as escapes so the cells holding them can be found and named.
        text = data.decode("utf-8", errors="surrogateescape")
        strict = False
    records, starts, problems = _split_csv(text, file)
    return _cells_from_records(records, starts, problems, file, allow_empty, strict, "'" in text)


def _cells_from_records(
    records: list[list[str]],
    starts: list[int],
    problems: list[Problem],
    file: str,
    allow_empty: bool,
    strict: bool,
    apostrophe: bool,
) -> Cells:
    """Check a CSV file's records (header, shape, encoding) and return its cells."""
    # A row whose first cell starts with '#' is a comment (``pcp init`` writes an example
    # row so): read as a blank row, so the rows after it keep their numbers.
    records = [
        [""] if i > 0 and r and r[0].lstrip().startswith("#") else r for i, r in enumerate(records)
    ]
    header = [cell.strip() for cell in records[0]] if records else []
    if records and not problems and _is_blank(records[0]):
        return Cells(
            problems=[
                Problem(
                    file,
                    1,
                    None,
                    None,
                    "the column names in row 1 (it is blank; the header goes in the first row)",
                )
            ]
        )
    if len(header) == 1 and not problems:
        for separator, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if separator in header[0]:
                return Cells(
                    problems=[
                        Problem(
                            file,
                            1,
                            None,
                            None,
                            f"values separated by commas (this file separates them with "
                            f"{name}: save it as CSV UTF-8 (comma delimited))",
                        )
                    ]
                )
    if not strict:
        problems = _encoding_problems(file, header, records) + problems
    if problems:
        return Cells(problems=problems)
    # Only a record spanning lines can hold a quote left open.
    if len(starts) > 1 and starts[-1] - starts[0] != len(starts) - 1:
        problems = _swallowed_rows(file, header, records, starts)
        if problems:
            return Cells(problems=problems)
    names, rows, problems = _shape_problems(file, header, records, None, allow_empty)
    if apostrophe:
        # A cell the project neutralised ('=...) reads back as the text it was given:
        # the apostrophe is a spreadsheet's mark for text, not part of the value.
        # Changed in place: a copy of every row would double a large file's memory.
        for row in rows:
            for i, cell in enumerate(row):
                if cell[:1] == "'":
                    row[i] = restore_cell(cell)
    return Cells(header=names, rows=rows, problems=problems)


def describe_workbook_error(data: bytes, error: Exception) -> str:
    """Say in words why a workbook did not open.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    error : Exception
        What opening it raised.

    Returns
    -------
    str
        Such as ``it is not a zip archive, as every .xlsx is (a truncated copy, or
        another format renamed .xlsx)``.
    """
    if data.startswith(_OLE_MAGIC):
        return (
            "this is an old-format .xls workbook or a password-protected one; save it "
            "as an Excel workbook (.xlsx) without a password"
        )
    if isinstance(error, zipfile.BadZipFile):
        return (
            "it is not a zip archive, as every .xlsx is (a truncated copy, or another "
            "format renamed .xlsx)"
        )
    if isinstance(error, KeyError):
        return "it is a zip archive but holds no Excel workbook"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else 'it could not be read'}"


MAX_TABLE_BYTES = 512 * 1_048_576
"""The largest CSV table read (512 MiB: about 10 million observation rows)."""

MAX_WORKBOOK_BYTES = 64 * 1_048_576
"""The largest workbook read (64 MiB; Excel's own tables are a few MiB)."""

MAX_SHEET_ROWS = 1_000_000
"""More rows than this in a sheet's used range is refused before the cells are read."""

MAX_SHEET_COLUMNS = 200
"""More columns than this in a sheet's used range is refused (tables have under 40)."""


MAX_WORKBOOK_UNPACKED_BYTES = 256 * 1_048_576
"""The most a workbook may unpack to (its XML parts): a 400 KB file of 400 MB of XML
took 840 MB to open, and a 64 MiB one could unpack to tens of gigabytes."""


def describe_unpacked_size(data: bytes, limit: int = MAX_WORKBOOK_UNPACKED_BYTES) -> str | None:
    """Say why a workbook is refused before it is opened, when its parts unpack to too much.

    The sizes are those the archive declares for its parts; Python's zip reader never
    unpacks a part past its declared size, so they bound what opening it can take.

    Parameters
    ----------
    data : bytes
        The workbook's bytes.
    limit : int
        The most its parts may unpack to, in all.

    Returns
    -------
    str or None
        The expectation, such as ``"a workbook whose parts unpack to at most 256 MiB
        (this one's unpack to 3,815 MiB from 0.4 MiB: a zip bomb, or a sheet padded
        with empty cells)"``; None when it is within the limit or is not a zip archive
        (opening it then says what it is).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if unpacked <= limit:
        return None
    return (
        f"a workbook whose parts unpack to at most {limit // 1_048_576:,} MiB (this one's "
        f"unpack to {unpacked / 1_048_576:,.0f} MiB from {len(data) / 1_048_576:,.1f} MiB: a "
        "zip bomb, or a sheet padded with empty cells)"
    )


def describe_absurd_extent(
    sheet: Any, rows: int = MAX_SHEET_ROWS, columns: int = MAX_SHEET_COLUMNS
) -> str | None:
    """Say why a sheet's used range is too large to read, or None when it is not.

    Parameters
    ----------
    sheet : openpyxl.worksheet.worksheet.Worksheet
        A sheet loaded in full (not read-only), whose extent counts only cells the file holds.
    rows, columns : int
        The largest used range accepted.

    Returns
    -------
    str or None
        The expectation, naming the sheet's dimension, such as ``"a sheet of at most 200
        columns and 1,000,000 rows (sheet 'Measures' reaches XFD1048576)"``.
    """
    if sheet.max_row <= rows and sheet.max_column <= columns:
        return None
    corner = f"{column_letter(sheet.max_column - 1)}{sheet.max_row}"
    return (
        f"a sheet of at most {columns:,} columns and {rows:,} rows (sheet '{sheet.title}' "
        f"reaches {corner}: clear the cells beyond the table, or copy the table to a new sheet)"
    )


def _read_workbook(data: bytes, file: str, allow_empty: bool = False) -> Cells:
    """Read a workbook's first sheet's cells."""
    from openpyxl import load_workbook

    unpacked = describe_unpacked_size(data)
    if unpacked:
        return Cells(problems=[Problem(file, None, None, None, unpacked)])
    try:
        # Loaded whole (only the cells the file holds), so the used range is measured
        # before pandas walks it: one value in XFD1048576 would make a 17-billion-cell grid.
        book = load_workbook(io.BytesIO(data), data_only=True)
        sheet = str(book.sheetnames[0]) if book.sheetnames else None
        if sheet is None:
            raise ValueError("the workbook has no sheets")
        extent = describe_absurd_extent(book.worksheets[0])
        if extent:
            return Cells(
                sheet=sheet, problems=[Problem(file, None, None, None, extent, sheet=sheet)]
            )
        # na_filter off: a text cell 'NA' or 'null' is text, as it is in a CSV.
        frame = pd.read_excel(book, sheet_name=0, header=None, dtype=object, na_filter=False)
    except Exception as error:  # openpyxl and zipfile raise many kinds; each is one line
        return Cells(
            problems=[
                Problem(
                    file,
                    None,
                    None,
                    None,
                    f"{WORKBOOK_EXPECTED}: {describe_workbook_error(data, error)}",
                )
            ]
        )
    records = [[format_cell_text(v) for v in row] for row in frame.itertuples(index=False)]
    if not records or _is_blank(records[0]):
        return Cells(
            sheet=sheet,
            problems=[
                Problem(
                    file,
                    None,
                    None,
                    None,
                    "a header in row 1 and at least one row of data (the first sheet is "
                    "empty or starts with a blank row)",
                    sheet=sheet,
                )
            ],
        )
    header = [cell.strip() for cell in records[0]]
    names, rows, problems = _shape_problems(file, header, records, sheet, allow_empty)
    return Cells(header=names, rows=rows, sheet=sheet, problems=problems)


def read_cells(path: Path, file: str, allow_empty: bool = False, columnar: bool = False) -> Cells:
    """Read a table file's cells as text, reporting anything that stops it being used.

    Parameters
    ----------
    path : Path
        A ``.csv`` (UTF-8, comma-separated, header first) or ``.xlsx`` (first sheet,
        header in row 1) file.
    file : str
        The file as problems name it.
    allow_empty : bool, default False
        Accept a header with no rows below it (an optional table with nothing in it yet).
    columnar : bool, default False
        Give a large, regular CSV file's cells as :attr:`Cells.columns` rather than
        rows (a table of millions of rows then never exists as one list per row).

    Returns
    -------
    Cells
        The header and rows, or the problems (one line each) that stop the file being
        used: a folder or a broken link where the file should be, a file that cannot be
        read, bytes that are not UTF-8, an unclosed quote, rows with the wrong number of
        cells, a header repeating a column, no rows, a workbook that does not open.
    """
    if path.is_dir():
        return Cells(problems=[Problem(file, None, None, None, "a file, not a folder")])
    if path.is_symlink() and not path.exists():
        return Cells(
            problems=[
                Problem(
                    file, None, None, None, "a file (this is a link to nothing, or a link loop)"
                )
            ]
        )
    try:
        size = path.stat().st_size
        limit = MAX_WORKBOOK_BYTES if path.suffix.lower() == ".xlsx" else MAX_TABLE_BYTES
        if size > limit:
            return Cells(
                problems=[
                    Problem(
                        file,
                        None,
                        None,
                        None,
                        f"a table file of at most {limit // 1_048_576:,} MiB "
                        f"(this one is {size / 1_048_576:,.0f} MiB)",
                    )
                ]
            )
        try:
            if path.suffix.lower() != ".xlsx" and size >= SHARE_CELLS_FROM_CHARS and columnar:
                read = read_csv_columns(path)
                if read is not None:
                    return Cells(header=read[0], columns=read[1], sha256=read[2])
            if path.suffix.lower() != ".xlsx" and size >= SHARE_CELLS_FROM_CHARS:
                # Read a line at a time: the file's bytes and its text are never held whole.
                finish = partial(_cells_from_records, file=file)
                streamed = read_large_csv(path, allow_empty, finish)
                if streamed is not None:
                    return streamed
        except RowLimitError as error:
            return Cells(problems=[Problem(file, error.row, None, None, error.expected)])
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return Cells(
            problems=[Problem(file, None, None, None, f"a file that can be read ({reason})")]
        )
    if path.suffix.lower() == ".xlsx":
        cells = _read_workbook(data, file, allow_empty)
    else:
        cells = _read_csv(data, file, allow_empty)
    cells.sha256 = hashlib.sha256(data).hexdigest()
    return cells


def cell_differs(column: int, value: str, row: Sequence[str]) -> bool:
    """Return whether a row's cell in ``column`` is other than ``value``.

    Parameters
    ----------
    column : int
        The cell's position in the row.
    value : str
        The text expected there.
    row : sequence of str
        A row of cells, as :mod:`csv` reads it.

    Returns
    -------
    bool
        True when the cell holds something else.
    """
    return row[column] != value
