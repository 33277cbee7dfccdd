"""The problem type that every check of the inputs reports, and the error that carries them.

Validation of the data set (:mod:`pcplib.data.validate`), loading
(:mod:`pcplib.data.dataset`) and the forward plan (:mod:`pcplib.data.forward_plan`)
all report a :class:`Problem`; it lives in a module of its own so that none of
them has to import another to share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "DataValidationError"]


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
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        place = [self.file]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column is not None:
            place.append(f"column {self.column}")
        shown = f" {self.value!r}" if self.value is not None else ""
        return f"{', '.join(place)}:{shown} — expected {self.expected}"


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
        shown = "\n".join(f"  {p}" for p in self.problems[:25])
        more = len(self.problems) - 25
        tail = f"\n  ... and {more} more (run `pcp validate` for all)" if more > 0 else ""
        super().__init__(
            f"{len(self.problems)} problem(s) with the data set{where}:\n{shown}{tail}"
        )
