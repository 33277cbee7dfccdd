"""Reading a large CSV file within bounded memory.

A 250 MB table held as bytes, then as text (``io.StringIO`` keeps four bytes a
character), then as one string per cell took over 3 GB before any check ran. For a
large file :mod:`pcplib.data.cells` reads a line at a time (:func:`read_large_csv`),
and shares one string among the equal cells of a column (:class:`CellSharer`): ids,
dates and codes repeat on every row.
"""

from __future__ import annotations

import codecs
import csv
import gc
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pcplib.spreadsheet_safety import restore_cell

__all__ = [
    "MAX_BLANK_ROWS",
    "MAX_ROW_CELLS",
    "MAX_TABLE_ROWS",
    "SHARE_CELLS_FROM_CHARS",
    "CellSharer",
    "RowLimitError",
    "WideRowError",
    "bound_row_width",
    "count_row",
    "iterate_lines",
    "read_csv_columns",
    "read_large_csv",
]


SHARE_CELLS_FROM_CHARS = 16 * 1_048_576
"""A CSV text at least this long has its repeated cells shared (:class:`_CellSharer`)."""


MAX_TABLE_ROWS = 5_000_000
"""The most rows a table may have (2.5 times the 2 million observations measured)."""

MAX_BLANK_ROWS = 100_000
"""The most blank rows a table may have: a file of nothing but line breaks made a
3 MB file take 740 MB, each empty line a row of empty cells."""


class RowLimitError(Exception):
    """A table with more rows, or more blank rows, than any table has: refused unread.

    Attributes
    ----------
    row : int
        The row (as a spreadsheet numbers it) at which the limit was passed.
    expected : str
        What a table must be, for the one-line problem.
    """

    def __init__(self, row: int, blank: bool) -> None:
        self.row = row
        if blank:
            self.expected = (
                f"a table with at most {MAX_BLANK_ROWS:,} blank rows (this one has more by "
                f"row {row:,}: delete the empty rows below the table)"
            )
        else:
            self.expected = (
                f"a table of at most {MAX_TABLE_ROWS:,} rows (this one has more by row "
                f"{row:,}: split it, or keep fewer areas)"
            )
        super().__init__(self.expected)


MAX_ROW_CELLS = 10_000
"""The most cells a line of a table may hold (a table has a few dozen columns): a 70 MB
file of one line of 24 million cells took 22 GB and was killed before it was named."""


class WideRowError(RowLimitError):
    """A line of a table with more than :data:`MAX_ROW_CELLS` cells: refused unsplit."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.expected = (
            f"rows of at most {MAX_ROW_CELLS:,} cells (row {row:,} has more: a file of one "
            "long line, or not a table)"
        )
        Exception.__init__(self, self.expected)


def bound_row_width(lines: Iterable[str]) -> Iterator[str]:
    """Yield lines, raising :class:`WideRowError` at one with too many separators.

    The line is counted before the CSV reader splits it, so a line of millions of cells
    is never held as millions of strings.

    Parameters
    ----------
    lines : iterable of str
        A table's lines.

    Yields
    ------
    str
        Each line, unchanged.
    """
    for number, line in enumerate(lines, start=1):
        if line.count(",") >= MAX_ROW_CELLS:
            raise WideRowError(number)
        yield line


def count_row(record: list[str], counts: list[int]) -> None:
    """Count one record read (``counts``: rows, blank rows); raise past either limit.

    Parameters
    ----------
    record : list of str
        The record's cells.
    counts : list of int
        ``[rows, blank rows]`` so far, updated in place.

    Raises
    ------
    RowLimitError
        Past :data:`MAX_TABLE_ROWS` rows or :data:`MAX_BLANK_ROWS` blank rows.
    """
    counts[0] += 1
    if counts[0] > MAX_TABLE_ROWS + 1:
        raise RowLimitError(counts[0], blank=False)
    if not record or (not record[0].strip() and not any(cell.strip() for cell in record)):
        counts[1] += 1
        if counts[1] > MAX_BLANK_ROWS:
            raise RowLimitError(counts[0], blank=True)


class CellSharer:
    """Replace each cell by an equal string seen before in its column, while it pays.

    A column stops being shared once it has held :attr:`LIMIT` distinct values (a
    column of figures, unlike one of ids), so the lookup tables stay small.
    """

    LIMIT = 65_536

    def __init__(self) -> None:
        self.seen: list[dict[str, str] | None] = []

    def __call__(self, record: list[str]) -> None:
        """Share the cells of one record, in place."""
        seen = self.seen
        if len(record) > len(seen):
            seen.extend({} for _ in range(len(record) - len(seen)))
        for i, cell in enumerate(record):
            column = seen[i]
            if column is None:
                continue
            shared = column.get(cell)
            if shared is not None:
                record[i] = shared
            elif len(column) < self.LIMIT:
                column[cell] = cell
            else:
                seen[i] = None


def iterate_lines(text: str) -> Iterator[str]:
    r"""Yield the lines of a text with their endings, as ``io.StringIO(newline="")`` would.

    A line ends at ``\n``, ``\r\n`` or a lone ``\r``, which is kept, so the CSV reader
    sees exactly what it would from a file opened with ``newline=""``.
    """
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        lone = text.find("\r", start, size if end < 0 else end)
        if 0 <= lone < (size if end < 0 else end) - 1 or (lone >= 0 and end < 0):
            end = lone  # a lone carriage return ends this line
        elif end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


class _ReadWholeError(Exception):
    """A large CSV file that the line-at-a-time reader leaves to the whole-file one."""


BLOCK_BYTES = 4 * 1_048_576
"""How much of a large file is read, checked and decoded at once."""


def _checked_lines(path: Path, digest: Any, seen: dict[str, bool]) -> Iterator[str]:
    r"""Yield a file's lines decoded, hashing its bytes; raise on anything unusual.

    The bytes are read, checked and decoded a block of whole lines at a time (a line at
    a time in Python cost 15 s for two million lines). ``seen["apostrophe"]`` is set
    when the text holds an apostrophe (a neutralised cell may need restoring).
    :class:`_ReadWholeError` is raised for UTF-16, a NUL byte, a lone carriage return
    or bytes that are not UTF-8: the whole-file reader names them.
    """
    with path.open("rb") as handle:
        rest = b""
        first = True
        while True:
            block = handle.read(BLOCK_BYTES)
            if not block:
                break
            digest.update(block)
            if first:
                first = False
                if block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    raise _ReadWholeError
                if block.startswith(codecs.BOM_UTF8):
                    block = block[len(codecs.BOM_UTF8) :]
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest, block = block[cut:], block[:cut]
            if block:
                yield from _decode_lines(block, seen)
        if rest:
            yield from _decode_lines(rest, seen)


def _decode_lines(block: bytes, seen: dict[str, bool]) -> Iterator[str]:
    """Check and decode a block of whole lines; yield its lines with their endings."""
    if b"\x00" in block or block.count(b"\r") != block.count(b"\r\n"):
        raise _ReadWholeError  # binary, or lone carriage returns
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        raise _ReadWholeError from None
    if not seen["apostrophe"] and "'" in text:
        seen["apostrophe"] = True
    # Only \n and \r\n end a line here, as in a file opened with newline="".
    return iter(io.StringIO(text, newline=""))


def read_large_csv(path: Path, allow_empty: bool, finish: Callable[..., Any]) -> Any:
    r"""Read a large, well-formed CSV file a line at a time; None for anything unusual.

    A 250 MB file held as bytes, then as text, then as cells took three times its size
    before any check ran. Here the bytes are hashed and decoded line by line. A file
    that is not plain UTF-8 text with ``\n`` or ``\r\n`` line endings, or whose CSV
    is malformed, returns None: the whole-file reader, which names such problems, reads
    it instead (rare, and what it finds stops the file being used).

    Parameters
    ----------
    path : Path
        The file.
    allow_empty : bool
        Passed to ``finish``.
    finish : callable
        Checks the records and returns the cells (``pcplib.data.cells``).

    Returns
    -------
    pcplib.data.cells.Cells or None
        The cells, with the file's SHA-256; None to read it whole instead (typed
        loosely: this module sits below :mod:`pcplib.data.cells`, which imports it).
    """
    digest = hashlib.sha256()
    seen = {"apostrophe": False}
    reader = csv.reader(bound_row_width(_checked_lines(path, digest, seen)), strict=True)
    share = CellSharer()
    records: list[list[str]] = []
    starts: list[int] = []
    line = 1
    counts = [0, 0]
    try:
        for record in reader:
            count_row(record, counts)
            share(record)
            records.append(record)
            starts.append(line)
            line = reader.line_num + 1
    except (_ReadWholeError, csv.Error):
        return None
    if not records:
        return None
    cells = finish(records=records, starts=starts, problems=[], allow_empty=allow_empty,
                   strict=True, apostrophe=seen["apostrophe"])  # fmt: skip
    cells.sha256 = digest.hexdigest()
    return cells


COLUMN_CHUNK_ROWS = 65_536
"""Records gathered before they are turned into columns (:func:`read_csv_columns`)."""


def _is_comment_or_blank(record: list[str]) -> bool:
    """Return True for a row read as blank: no text in any cell, or a ``#`` comment."""
    return not record or record[0].lstrip().startswith("#") or all(not c.strip() for c in record)


def _share_column(cells: tuple[str, ...], seen: dict[str, str] | None) -> list[str]:
    """Return a column's cells with each repeated value one shared string, while it pays."""
    if seen is None:
        return list(cells)
    return list(map(seen.setdefault, cells, cells))


def read_csv_columns(path: Path) -> tuple[list[str], list[list[str]], str] | None:
    """Read a large, regular CSV file column by column; None for anything irregular.

    Two million rows kept as one list of cells each took over 300 MB in list objects
    alone, and a frame built from them held every cell twice more. Here the records
    are gathered a chunk at a time and appended to one list per column (whose repeated
    values, the ids, dates and codes, share one string), so the rows never exist
    together. Anything :mod:`pcplib.data.cells` would report or reshape returns None,
    for the record-by-record reader (:func:`read_large_csv`) to read and name: a
    header with an empty or repeated name or a single column, a row of the wrong
    width, a cell holding a line break, no rows, or what :func:`read_large_csv`
    leaves to the whole-file reader.

    Parameters
    ----------
    path : Path
        The file (UTF-8 CSV, header first).

    Returns
    -------
    tuple of (list of str, list of list of str, str) or None
        The stripped header, each column's cells (index ``i`` is spreadsheet row
        ``i + 2``; a comment or blank row is all ``""``, so the numbers still match),
        and the SHA-256 of the file's bytes; None to read it record by record instead.
    """
    # The cyclic garbage collector is paused while reading: every record is a new list,
    # and collecting them over and over (none is in a cycle) doubled the time taken.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_columns(path)
    finally:
        if collecting:
            gc.enable()


def _read_columns(path: Path) -> tuple[list[str], list[list[str]], str] | None:
    """Do :func:`read_csv_columns` (with the garbage collector paused)."""
    digest = hashlib.sha256()
    seen_flags = {"apostrophe": False}
    reader = csv.reader(bound_row_width(_checked_lines(path, digest, seen_flags)), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return None
        names = [cell.strip() for cell in header]
        width = len(names)
        if width < 2 or "" in names or len(set(names)) != width:
            return None
        columns: list[list[str]] = [[] for _ in range(width)]
        shared: list[dict[str, str] | None] = [{} for _ in range(width)]
        blank = [""] * width
        chunk: list[list[str]] = []
        rows = blanks = 0
        for record in reader:
            rows += 1
            if rows > MAX_TABLE_ROWS:
                raise RowLimitError(rows + 1, blank=False)
            if len(record) != width or record[0][:1] in ("#", " ", "\t", ""):
                if not _is_comment_or_blank(record):
                    if len(record) != width:
                        return None
                else:
                    record = blank
                    blanks += 1
                    if blanks > MAX_BLANK_ROWS:
                        raise RowLimitError(rows + 1, blank=True)
            chunk.append(record)
            if len(chunk) == COLUMN_CHUNK_ROWS:
                _append_chunk(chunk, columns, shared)
                chunk = []
        _append_chunk(chunk, columns, shared)
        if reader.line_num != rows + 1:
            return None  # a quoted line break: the record reader checks its quotes
    except (_ReadWholeError, csv.Error):
        return None
    if blanks == rows:
        return None  # no rows, or only blank ones: the record reader says so
    if seen_flags["apostrophe"]:
        # A cell the project neutralised ('=...) reads back as the text it was given.
        for column in columns:
            for i, cell in enumerate(column):
                if cell[:1] == "'":
                    column[i] = restore_cell(cell)
    return names, columns, digest.hexdigest()


def _append_chunk(
    chunk: list[list[str]], columns: list[list[str]], shared: list[dict[str, str] | None]
) -> None:
    """Append a chunk of records to the columns, sharing repeated values column by column."""
    if not chunk:
        return
    for i, cells in enumerate(zip(*chunk, strict=True)):
        seen = shared[i]
        columns[i].extend(_share_column(cells, seen))
        if seen is not None and len(seen) > CellSharer.LIMIT:
            shared[i] = None  # a column of figures, not of ids: sharing no longer pays
