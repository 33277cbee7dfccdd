"""The problem type that every check of the inputs reports, and the error that carries them.

Validation of the data set (:mod:`pcplib.data.validate`), loading
(:mod:`pcplib.data.dataset`) and the forward plan (:mod:`pcplib.data.forward_plan`)
all report a :class:`Problem`; it lives in a module of its own so that none of
them has to import another to share it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DataValidationError", "Problem", "quote_value", "summarise_problems"]

# Values longer than this are shortened in messages, so every problem stays on one line.
_VALUE_LIMIT = 80


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

    def __str__(self) -> str:
        place = [self.file]
        if self.sheet is not None:
            place.append(f"sheet {self.sheet}")
        if self.cell is not None:
            place.append(f"cell {self.cell}")
        elif self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column}")
        if self.value is None:
            return f"{', '.join(place)}: expected {self.expected}"
        return f"{', '.join(place)}: {quote_value(self.value)} — expected {self.expected}"


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

    rows: defaultdict[tuple[str, str | None, str | None, str], list[int]] = defaultdict(list)
    totals = Counter(kind(p) for p in problems)
    for problem in problems:
        if problem.row is not None:
            rows[kind(problem)].append(problem.row)
    seen: Counter[tuple[str, str | None, str | None, str]] = Counter()
    lines = []
    for problem in problems:
        key = kind(problem)
        seen[key] += 1
        if seen[key] <= per_kind:
            lines.append(str(problem))
        elif seen[key] == per_kind + 1:
            rest = totals[key] - per_kind
            later = rows[key][per_kind:]
            span = f" (rows {min(later)} to {max(later)})" if later else ""
            place = ", ".join(
                [problem.file]
                + ([f"sheet {problem.sheet}"] if problem.sheet else [])
                + ([f"column {problem.column}"] if problem.column else [])
            )
            lines.append(
                f"{place}: {rest:,} more with the same problem{span} — expected {problem.expected}"
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
        super().__init__(
            f"{len(self.problems)} problem(s) with the data set{where}:\n{shown}{tail}"
        )

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
