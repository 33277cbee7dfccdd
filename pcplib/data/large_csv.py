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
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["SHARE_CELLS_FROM_CHARS", "CellSharer", "iterate_lines", "read_large_csv"]


SHARE_CELLS_FROM_CHARS = 16 * 1_048_576
"""A CSV text at least this long has its repeated cells shared (:class:`_CellSharer`)."""


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
    apostrophe = False

    def lines() -> Iterator[str]:
        nonlocal apostrophe
        with path.open("rb") as handle:
            for number, raw in enumerate(handle):
                digest.update(raw)
                if number == 0:
                    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                        raise _ReadWholeError
                    if raw.startswith(codecs.BOM_UTF8):
                        raw = raw[len(codecs.BOM_UTF8) :]
                if b"\x00" in raw or b"\r" in raw[:-2]:
                    raise _ReadWholeError  # binary, or lone carriage returns
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise _ReadWholeError from None
                apostrophe = apostrophe or "'" in line
                yield line

    reader = csv.reader(lines(), strict=True)
    share = CellSharer()
    records: list[list[str]] = []
    starts: list[int] = []
    line = 1
    try:
        for record in reader:
            share(record)
            records.append(record)
            starts.append(line)
            line = reader.line_num + 1
    except (_ReadWholeError, csv.Error):
        return None
    if not records:
        return None
    cells = finish(records=records, starts=starts, problems=[], allow_empty=allow_empty,
                   strict=True, apostrophe=apostrophe)  # fmt: skip
    cells.sha256 = digest.hexdigest()
    return cells
