"""The problem type that every check of the inputs reports, and the error that carries them.

Validation of the data set (:mod:`pcplib.data.validate`), loading
(:mod:`pcplib.data.dataset`) and the forward plan (:mod:`pcplib.data.forward_plan`)
all report a :class:`Problem`; it lives in a module of its own so that none of
them has to import another to share it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CELL_PROBLEM_LIMIT",
    "DataValidationError",
    "Problem",
    "count_problems",
    "problem_rows",
    "quote_value",
    "report_rows",
    "summarise_problems",
]

# Values longer than this are shortened in messages, so every problem stays on one line.
_VALUE_LIMIT = 80

CELL_PROBLEM_LIMIT = 1_000
"""The most cells one check reports one by one; the rest are counted (``report_rows``).

A file of two million rows, every one wrong, built a problem per row and passed 1 GiB
of memory; past this many, a check keeps one counted problem per kind of message."""

# Past this many different messages among a check's counted rows, the rest are counted
# together, so a message that names each row's own value cannot bring the flood back.
_KINDS_COUNTED = 20
# Messages for counted rows are worked out this many rows at a time.
_CHUNK = 50_000


@dataclass(frozen=True)
class Problem:
    """One problem found in the inputs, located precisely enough to fix it.

    Attributes
    ----------
    file : str
        The file, as the data folder path joined with its relative path.
    row : int or None
        The row as a spreadsheet shows it (header = row 1, first data row = row 2);
        ``None`` for problems with a whole file or column.
    column : str or None
        The column (or key, for YAML files); ``None`` for a whole file or row.
    value : str or None
        The offending value as written in the file.
    expected : str
        What was expected instead, in plain words.
    sheet : str or None
        For a table read from a workbook, the sheet it was read from.
    cell : str or None
        For a table read from a workbook, the cell (``E14``), which also gives the row.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    sheet: str | None = None
    cell: str | None = None
    count: int = 1
    rows: Any = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        place = [self.file]
        if self.sheet is not None:
            place.append(f"sheet {self.sheet}")
        if self.count > 1:
            # One problem standing for many rows: counted, with its first and last row.
            if self.column is not None:
                place.append(f"column {self.column}")
            first = f"; the first, row {self.row}, holds {quote_value(self.value or '')}"
            span = f"rows {self.row} to {problem_last_row(self)}{first}"
            return (
                f"{', '.join(place)}: {self.count:,} more rows failing the same check "
                f"({span}) — expected {self.expected}"
            )
        if self.cell is not None:
            place.append(f"cell {self.cell}")
        elif self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column}")
        if self.value is None:
            return f"{', '.join(place)}: expected {self.expected}"
        return f"{', '.join(place)}: {quote_value(self.value)} — expected {self.expected}"


def problem_rows(problem: Problem) -> np.ndarray:
    """Return the spreadsheet rows a problem stands for (none for a file or column problem).

    Parameters
    ----------
    problem : Problem
        A problem, one cell's or one counting many rows (``count`` above 1).

    Returns
    -------
    numpy.ndarray
        The rows as a spreadsheet numbers them, in order.
    """
    if problem.rows is not None:
        return np.asarray(problem.rows, dtype=np.int64)
    if problem.row is None:
        return np.empty(0, dtype=np.int64)
    return np.array([problem.row], dtype=np.int64)


def problem_last_row(problem: Problem) -> int | None:
    """Return the last spreadsheet row a problem stands for.

    Parameters
    ----------
    problem : Problem
        A problem.

    Returns
    -------
    int or None
        Its last row; ``None`` for a problem with a whole file or column.
    """
    rows = problem_rows(problem)
    return int(rows.max()) if len(rows) else None


def count_problems(problems: Sequence[Problem]) -> int:
    """Return how many cells' problems a list stands for, counted rows included.

    Parameters
    ----------
    problems : sequence of Problem
        Problems as a check reports them.

    Returns
    -------
    int
        The sum of each problem's ``count``.
    """
    return sum(problem.count for problem in problems)


def report_rows(
    file: str,
    column: str,
    indexes: Sequence[int] | np.ndarray,
    value_of: Callable[[int], Any],
    expected: str | Callable[[int], str],
    limit: int | None = None,
    counted_as: str | None = None,
) -> list[Problem]:
    """Report a column's cell in each of many rows, keeping memory bounded.

    The first ``limit`` rows get a problem each; the rest are counted, one problem per
    kind of message, holding the rows it stands for (so that later checks still know to
    leave them out). A file where every one of two million rows is wrong gives a few
    problems, not two million.

    Parameters
    ----------
    file : str
        The file as problems name it.
    column : str
        The column at fault.
    indexes : sequence of int
        The frame indexes of the rows at fault, in order (row = index + 2).
    value_of : callable
        Gives, for a frame index, the cell as written.
    expected : str or callable
        What the cells should have held, or a function giving it for a frame index.
    limit : int, optional
        How many rows are reported one by one; :data:`CELL_PROBLEM_LIMIT` when omitted.
    counted_as : str, optional
        What the counted rows should have held, as one message, where ``expected`` gives
        each row a message of its own (naming the earlier row it repeats, say).

    Returns
    -------
    list of Problem
        At most ``limit`` one-cell problems and a few counted ones.
    """
    found = np.asarray(indexes, dtype=np.int64)
    limit = CELL_PROBLEM_LIMIT if limit is None else limit

    def expected_of(index: int) -> str:
        return expected if isinstance(expected, str) else expected(index)

    problems = [
        Problem(file, int(i) + 2, column, _as_text(value_of(int(i))), expected_of(int(i)))
        for i in found[:limit]
    ]
    rest = found[limit:]
    if not len(rest):
        return problems
    groups: dict[str, list[np.ndarray]] = {}
    if isinstance(expected, str) or counted_as is not None:
        groups[counted_as or str(expected)] = [rest]
    else:
        for start in range(0, len(rest), _CHUNK):
            chunk = rest[start : start + _CHUNK]
            texts = pd.Series([expected(int(i)) for i in chunk], dtype=object)
            for text, positions in texts.groupby(texts, sort=False).indices.items():
                key = str(text) if str(text) in groups or len(groups) < _KINDS_COUNTED else ""
                groups.setdefault(key, []).append(chunk[positions])
    for text, parts in groups.items():
        rows = np.sort(np.concatenate(parts))
        first = int(rows[0])
        if not text:
            text = f"{expected_of(first)} (for the first; the others fail the same check)"
        if len(rows) == 1:
            problems.append(Problem(file, first + 2, column, _as_text(value_of(first)), text))
            continue
        problems.append(
            Problem(
                file,
                first + 2,
                column,
                _as_text(value_of(first)),
                text,
                count=len(rows),
                rows=rows + 2,
            )
        )
    return problems


def _as_text(value: Any) -> str | None:
    """Return a cell as text for a message (``None`` stays ``None``)."""
    return None if value is None else str(value)


def quote_value(value: str, limit: int = _VALUE_LIMIT) -> str:
    """Return a value quoted, and shortened to fit a one-line message.

    Parameters
    ----------
    value : str
        The value as written in the file.
    limit : int, optional
        The most characters kept.

    Returns
    -------
    str
        ``repr(value)`` (so a line break shows as a backslash and n), or its first characters
        quoted, an ellipsis and the value's length.
    """
    if len(value) <= limit:
        return repr(value)
    return f"{value[: limit - 20]!r}… ({len(value):,} characters)"


def summarise_problems(problems: Sequence[Problem], per_kind: int | None = 3) -> list[str]:
    """Return one line per problem, with long runs of the same problem counted in one line.

    A column written the wrong way throughout (dates as 30/09/2026, say) is one mistake
    made thousands of times: its first few rows are listed, then one line counts the
    rest, so the other problems are not lost below it.

    Parameters
    ----------
    problems : sequence of Problem
        The problems, in the order to report them.
    per_kind : int or None, default 3
        How many problems of one kind (the same file, sheet, column and expected value)
        are listed before the rest are counted; ``None`` lists every one.

    Returns
    -------
    list of str
        The lines, in the problems' order.
    """
    if per_kind is None:
        return [str(p) for p in problems]

    def kind(problem: Problem) -> tuple[str, str | None, str | None, str]:
        return (problem.file, problem.sheet, problem.column, problem.expected)

    # The first and last row of each kind, and how many cells it stands for.
    spans: dict[tuple[str, str | None, str | None, str], list[int]] = {}
    totals: Counter[tuple[str, str | None, str | None, str]] = Counter()
    for problem in problems:
        totals[kind(problem)] += problem.count
    seen: Counter[tuple[str, str | None, str | None, str]] = Counter()
    for problem in problems:
        key = kind(problem)
        seen[key] += 1
        if seen[key] > per_kind and problem.row is not None:
            last = problem_last_row(problem) or problem.row
            span = spans.setdefault(key, [problem.row, last])
            span[0], span[1] = min(span[0], problem.row), max(span[1], last)
    shown: Counter[tuple[str, str | None, str | None, str]] = Counter()
    listed: Counter[tuple[str, str | None, str | None, str]] = Counter()
    lines = []
    for problem in problems:
        key = kind(problem)
        shown[key] += 1
        if shown[key] <= per_kind:
            lines.append(str(problem))
            listed[key] += problem.count
        elif shown[key] == per_kind + 1:
            rest = totals[key] - listed[key]
            later = spans.get(key)
            where = f" (rows {later[0]} to {later[1]})" if later else ""
            place = ", ".join(
                [problem.file]
                + ([f"sheet {problem.sheet}"] if problem.sheet else [])
                + ([f"column {problem.column}"] if problem.column else [])
            )
            lines.append(
                f"{place}: {rest:,} more with the same problem{where} — expected {problem.expected}"
            )
    return lines


class DataValidationError(Exception):
    """Raised by :func:`~pcplib.data.load_dataset` when the data set has problems.

    Parameters
    ----------
    problems : list of Problem
        Every problem found; also available as ``.problems``.
    root : path-like, optional
        The data folder, for the message.
    """

    def __init__(self, problems: list[Problem], root: Path | str | None = None) -> None:
        self.problems = list(problems)
        where = f" in {root}" if root is not None else ""
        lines = summarise_problems(self.problems)
        shown = "\n".join(f"  {line}" for line in lines[:25])
        more = len(lines) - 25
        tail = f"\n  ... and {more} more lines (run `pcp validate` for all)" if more > 0 else ""
        total = count_problems(self.problems)
        super().__init__(f"{total} problem(s) with the data set{where}:\n{shown}{tail}")

    def _render_traceback_(self) -> list[str]:
        """Show the problems, not a traceback through the library, in a notebook.

        IPython calls this when a cell raises the error (as ``load_dataset`` in a
        report's setup cell does), and shows the lines it returns instead of a traceback.

        Returns
        -------
        list of str
            The message's lines, the first naming the error.
        """
        lines = str(self).splitlines()
        return [f"{type(self).__name__}: {lines[0]}", *lines[1:]]
