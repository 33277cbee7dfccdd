"""Reading a data folder: each table's cells as written and parsed into types.

A table is a ``.csv`` file or, as Force analysts often send them, an ``.xlsx``
workbook of the same name (first sheet); exactly one of the two must exist. Inputs
are only ever read. Reading reports what stops a table being used (a missing or
unreadable file, see :mod:`pcplib.data.cells`; missing or extra columns) and every
cell that does not parse as its column's type; the rules for the values themselves
are checked by :mod:`pcplib.data.validate`. A table that cannot be used is left out
of :attr:`Folder.tables`, so no check that needs it runs on what it would have held.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pcplib.data.cells import (
    Cells,
    column_letter,
    format_cell_text,
    read_cells,
)
from pcplib.data.identity import check_identity, find_forward_plan_outside, load_dataset_meta
from pcplib.data.problems import DataValidationError, Problem, report_rows
from pcplib.data.schemas import DATASET_META, TABLES, TableSpec
from pcplib.file_safety import find_link_outside

__all__ = [
    "Folder",
    "Table",
    "build_empty_table",
    "cell_text",
    "locate_in_workbooks",
    "read_folder",
]

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}
# A number written with thousands separators, as data/README.md allows: commas only
# between groups of three digits before the point (so '1,23' is refused, not read as 123).
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
# Tables a data set may hold no rows of (just the header): a plan with no commitments or
# narrative yet still reports its measures, and a new plan (pcp init) has no figures until
# `pcp source` or `pcp returns load` bring them, which need the data set valid to run.
# Every other required table needs a row.
EMPTY_ALLOWED = frozenset({"commitments", "narrative", "observations"})
# Kept under its earlier name: the returns reader formats workbook cells with it.
cell_text = format_cell_text
NUMBER_EXPECTED = "a number such as 1234.5 or 1,234.5 (commas only as thousands separators)"


@dataclass
class Table:
    """One table as read from its file.

    Attributes
    ----------
    spec : TableSpec
        Which table it is.
    file : str
        The file, as the data folder path joined with its relative path.
    raw : pd.DataFrame
        The cells as text, blank rows dropped; index ``i`` is spreadsheet row ``i + 2``.
    typed : pd.DataFrame
        The same rows with numbers, dates and booleans parsed (NaN/NaT where a cell
        does not parse).
    unparsed : list of Problem
        The cells that did not parse as their column's type.
    sheet : str or None
        The workbook sheet the table was read from (``None`` for a CSV).
    letters : dict of str to str
        For a workbook, each column's letters in the sheet, to name cells.
    """

    spec: TableSpec
    file: str
    raw: pd.DataFrame
    typed: pd.DataFrame
    unparsed: list[Problem]
    sheet: str | None = None
    letters: dict[str, str] = field(default_factory=dict)


@dataclass
class Folder:
    """Everything read from a data folder, before it is checked or becomes a ``Dataset``.

    Attributes
    ----------
    root : Path
        The data folder.
    meta : dict
        ``dataset.yaml`` as read (empty when it is missing or not a mapping).
    files : dict of str to str
        Each input file read, relative to ``root`` (POSIX form) -> its SHA-256.
    tables : dict of str to Table
        The tables that could be read with every required column, in ``TABLES`` order
        (an optional table the folder does not have is simply not there).
    meta_problems : list of Problem
        What is wrong with ``dataset.yaml``.
    table_problems : dict of str to list of Problem
        For every table in ``TABLES`` order, what was wrong reading it (its file, its
        columns, then its unparseable cells).
    """

    root: Path
    meta: dict[str, Any]
    files: dict[str, str]
    tables: dict[str, Table]
    meta_problems: list[Problem]
    table_problems: dict[str, list[Problem]]

    def list_problems(self) -> list[Problem]:
        """Return every problem found while reading, in file order.

        Returns
        -------
        list of Problem
            ``dataset.yaml`` first, then each table's.
        """
        found = list(self.meta_problems)
        for problems in self.table_problems.values():
            found += problems
        return locate_in_workbooks(found, self.tables)


def _sha256(path: Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes (empty when it cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # reading the file reports why


def _locate_table(
    root: Path, spec: TableSpec, shown: Callable[[str], str]
) -> tuple[Path | None, list[Problem]]:
    """Find a table's ``.csv`` or ``.xlsx`` file; exactly one must exist."""
    candidates = [root / f"{spec.stem}{suffix}" for suffix in (".csv", ".xlsx")]
    # A folder or a broken link with the table's name counts as present, so reading it
    # says what it is rather than "neither exists".
    present = [p for p in candidates if p.exists() or p.is_symlink()]
    if len(present) == 1:
        return present[0], []
    if not present and not spec.required:
        return None, []
    if not present:
        folder = (root / spec.stem).parent
        name = Path(spec.stem).name.lower()
        # A file of the same name in another form or case (observations.xls, .CSV, .txt).
        near = sorted(
            p.name
            for p in (folder.iterdir() if folder.is_dir() else [])
            if p.name.lower().split(".")[0] == name
        )
        base = Path(spec.stem).name
        found = (
            f"; found {', '.join(near)}: it must be named {base}.csv or {base}.xlsx, exactly "
            "(save an .xls or .txt file as one of them)"
            if near
            else ""
        )
        return None, [
            Problem(
                shown(f"{spec.stem}.csv"),
                None,
                None,
                None,
                f"the {spec.name} table as {spec.stem}.csv or {spec.stem}.xlsx (neither "
                f"exists{found})",
            )
        ]
    return None, [
        Problem(
            shown(f"{spec.stem}.xlsx"),
            None,
            None,
            None,
            f"exactly one of {spec.stem}.csv and {spec.stem}.xlsx (both exist; remove one)",
        )
    ]


def _parse_numbers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse text as floats; return the values and a mask of unparseable cells.

    Commas are accepted only as thousands separators (``1,234.5``): ``1,23`` is a
    decimal comma or a typing slip, and reading it as 123 would be silently wrong.
    """
    text = raw.str.strip()
    grouped = text.str.contains(",", regex=False)
    if grouped.any():
        shaped = text[grouped].map(lambda t: _GROUPED_NUMBER.fullmatch(t) is not None)
        text = text.where(~grouped, text.str.replace(",", "", regex=False).where(shaped, "?"))
    # Adding 0.0 turns -0 into 0: a count written "-0" printed as "-0" in reports.
    values = pd.to_numeric(text.where(text != ""), errors="coerce").astype(float) + 0.0
    bad = (text != "") & ~np.isfinite(values.fillna(0.0).to_numpy())
    bad |= (text != "") & values.isna()
    return values.where(~bad), bad


def _parse_dates(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse ISO dates (``YYYY-MM-DD``); return the dates and a mask of bad cells."""
    text = raw.str.strip()
    dates = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
    # A real date outside the years the project can hold (1200-04-01, 9999-12-31) ended
    # validation in an OutOfBoundsDatetime traceback: it is a bad cell (see _far_dates).
    far = dates.notna() & ~dates.between(EARLIEST_DATE, LATEST_DATE)
    dates = dates.where(~far)
    bad = (text != "") & dates.isna()
    return dates.astype("datetime64[ns]"), bad


FAR_DATE_EXPECTED = (
    "a date from 1900-01-01 to 2199-12-31 (no figure, meeting or extraction is further off)"
)
"""What a date cell outside :data:`EARLIEST_DATE` to :data:`LATEST_DATE` should hold."""

EARLIEST_DATE = pd.Timestamp("1900-01-01")
"""The earliest date a table may hold (no figure of a police and crime plan is older)."""

LATEST_DATE = pd.Timestamp("2199-12-31")
"""The latest date a table may hold (pandas holds dates only up to 2262)."""


def _far_dates(raw: pd.Series) -> pd.Series:
    """Mark cells written as a real date, YYYY-MM-DD, outside the years a table may hold."""
    text = raw.str.strip()
    shaped = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    years = pd.to_numeric(text.str.slice(0, 4).where(shaped), errors="coerce")
    return shaped & ((years < EARLIEST_DATE.year) | (years > LATEST_DATE.year))


def _parse_booleans(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse true/false (also yes/no, 1/0, any case); return values and a bad mask."""
    text = raw.str.strip().str.lower()
    bad = ~text.isin(_TRUE | _FALSE)
    return text.isin(_TRUE), bad


def _parse_distinct(
    raw: pd.Series, parse: Callable[[pd.Series], tuple[pd.Series, pd.Series]]
) -> tuple[pd.Series, pd.Series]:
    """Parse each distinct text of a column once; return the values and the bad mask.

    Dates, codes and most figures repeat down a column: two million cells hold a few
    hundred dates, and parsing each cell (text methods run once per cell) took most of
    the time spent reading a large table.
    """
    codes, distinct = pd.factorize(raw)
    values, bad = parse(pd.Series(distinct, dtype=raw.dtype))
    taken = pd.Series(values.to_numpy()[codes], index=raw.index, name=raw.name)
    return taken, pd.Series(bad.to_numpy()[codes], index=raw.index, name=raw.name)


def _convert(
    raw: pd.DataFrame, spec: TableSpec, file: str, problems: list[Problem]
) -> pd.DataFrame:
    """Turn a text frame into typed columns, recording cells that do not parse."""
    # Shallow: the text columns are shared with ``raw`` (copy-on-write keeps each
    # frame's own), and only the parsed columns are new; a deep copy held every cell twice.
    typed = raw.copy(deep=False)
    parsers: list[
        tuple[tuple[str, ...], Callable[[pd.Series], tuple[pd.Series, pd.Series]], str]
    ] = [
        (spec.numbers, _parse_numbers, NUMBER_EXPECTED),
        (spec.dates, _parse_dates, "a date written YYYY-MM-DD (such as 2026-09-30)"),
        (spec.booleans, _parse_booleans, "true or false"),
    ]
    for columns, parse, expected in parsers:
        for column in columns:
            values, bad = _parse_distinct(raw[column], parse)
            typed[column] = values
            if parse is _parse_dates and bad.any():
                far = bad & _far_dates(raw[column])
                bad &= ~far
                problems += report_rows(
                    file, column, far[far].index, partial(_cell, raw, column), FAR_DATE_EXPECTED
                )
            # Bounded: a column wrong in every one of two million rows is counted.
            problems += report_rows(
                file, column, bad[bad].index, partial(_cell, raw, column), expected
            )
    return typed


def _cell(raw: pd.DataFrame, column: str, index: int) -> Any:
    """Return a cell as written, for :func:`report_rows`."""
    return raw.at[index, column]


def _read_meta(root: Path, shown: Callable[[str], str]) -> tuple[dict[str, Any], list[Problem]]:
    """Read ``dataset.yaml``: whether the data is illustrative, and its description."""
    file = shown(DATASET_META)
    loaded, problems = load_dataset_meta(root, file)
    if loaded is None:
        return {}, problems
    meta = loaded
    problems = []
    if not isinstance(meta.get("illustrative"), bool):
        problems.append(
            Problem(
                file, None, "illustrative", _shown_value(meta.get("illustrative")), "true or false"
            )
        )
    description = meta.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.append(
            Problem(
                file,
                None,
                "description",
                _shown_value(description),
                "one line of text describing the data set",
            )
        )
    problems += check_identity(meta, file)[1]
    named = meta.get("forward_plan")
    outside = find_forward_plan_outside(root, named.strip()) if isinstance(named, str) else None
    if outside is not None:
        problems.append(Problem(file, None, "forward_plan", named, outside))
    return meta, problems


def _shown_value(value: Any) -> str | None:
    """Return a YAML value as text for a problem message (``None`` when absent)."""
    return None if value is None else str(value)


def _visible(name: str) -> str:
    """Return a name without its invisible format characters (byte-order marks, zero widths)."""
    return "".join(ch for ch in name if unicodedata.category(ch) != "Cf")


def _column_problems(
    spec: TableSpec, file: str, columns: list[str]
) -> tuple[list[str], list[Problem]]:
    """Report missing and unknown columns; return the missing ones and the problems.

    A missing column found under another spelling (``Value``, ``period start``) is one
    problem naming both, not a missing column and an unknown one.
    """
    known = (*spec.columns, *spec.extra, *spec.optional)

    def folded(name: str) -> str:
        return re.sub(r"[\s_-]+", "_", _visible(name).strip().lower())

    missing = [c for c in spec.columns if c not in columns and c not in spec.optional]
    extra = [c for c in columns if c not in known]
    if missing and not set(spec.columns) & set(columns):
        # Not one column name: a title row above the header, or another table's file.
        shown = ", ".join(repr(c) for c in columns[:3] if c) or "nothing"
        return missing, [
            Problem(
                file,
                1,
                None,
                None,
                f"the {spec.name} table's column names in row 1 ({', '.join(spec.columns)}); "
                f"row 1 holds {shown}{', ...' if len(columns) > 3 else ''} (a title above "
                "the header, or another table's file?)",
            )
        ]
    problems: list[Problem] = []
    respelt: set[str] = set()
    for column in missing:
        near = [c for c in extra if folded(c) == folded(column)]
        hidden = [c for c in near if _visible(c) != c]
        if hidden:
            # A second byte-order mark, or a header pasted from the web: the name looks
            # right and the message must show why it is not.
            respelt.add(hidden[0])
            char = next(ch for ch in hidden[0] if ch not in _visible(hidden[0]))
            problems.append(
                Problem(
                    file,
                    1,
                    hidden[0].encode("unicode_escape").decode("ascii"),
                    None,
                    f"the column name {column!r} with no invisible character (it holds "
                    f"U+{ord(char):04X} {unicodedata.name(char, 'a format character')}: "
                    "a second byte-order mark, or text pasted from elsewhere; retype it)",
                )
            )
        elif near:
            respelt.add(near[0])
            problems.append(
                Problem(
                    file,
                    1,
                    near[0],
                    None,
                    f"the column name {column!r} exactly as written (lower case, with underscores)",
                )
            )
        else:
            problems.append(
                Problem(
                    file,
                    1,
                    column,
                    None,
                    f"a column named {column!r} (the columns found are "
                    f"{', '.join(c for c in columns if c) or 'none'}; expected: "
                    f"{', '.join(spec.columns)})",
                )
            )
    for column in extra:
        if column not in respelt:
            problems.append(
                Problem(
                    file,
                    1,
                    column,
                    None,
                    f"only the columns {', '.join((*spec.columns, *spec.extra))} (remove or "
                    "rename this one)",
                )
            )
    return missing, problems


def locate_in_workbooks(problems: list[Problem], tables: dict[str, Table]) -> list[Problem]:
    """Name the sheet and cell of every problem found in a table read from a workbook.

    Parameters
    ----------
    problems : list of Problem
        Problems as the checks report them (file, row and column).
    tables : dict of str to Table
        The tables read; those from a workbook know their sheet and column letters.

    Returns
    -------
    list of Problem
        The same problems, those in a workbook with ``sheet`` and ``cell`` (``E14``) set.
    """
    workbooks = {t.file: t for t in tables.values() if t.sheet is not None}
    if not workbooks:
        return problems
    located = []
    for problem in problems:
        table = workbooks.get(problem.file)
        if table is None or problem.sheet is not None:
            located.append(problem)
            continue
        letter = table.letters.get(problem.column or "")
        cell = f"{letter}{problem.row}" if letter and problem.row is not None else None
        located.append(replace(problem, sheet=table.sheet, cell=cell))
    return located


def build_empty_table(spec: TableSpec, file: str) -> Table:
    """Return a table with no rows and every column typed, as if read from an empty file.

    Parameters
    ----------
    spec : TableSpec
        Which table.
    file : str
        The file it would be read from (for messages).

    Returns
    -------
    Table
        No rows; numbers are floats, dates ``datetime64`` and the rest text.
    """
    columns = (*spec.columns, *spec.extra)
    raw = pd.DataFrame({column: pd.Series(dtype=object) for column in columns})
    typed = _convert(raw, spec, file, [])
    return Table(spec=spec, file=file, raw=raw, typed=typed, unparsed=[])


def _frame_of(cells: Cells) -> pd.DataFrame:
    """Return a file's cells as a frame of text columns, letting the cells go as it goes.

    A large file read column by column becomes one column at a time, each list freed
    once it is in the frame, so its cells are never held twice over.
    """
    if cells.columns is not None:
        data: dict[str, pd.Series] = {}
        columns = cells.columns
        cells.columns = None
        for name in cells.header:
            data[name] = pd.Series(columns.pop(0), dtype=str)
        return pd.DataFrame(data, copy=False)
    raw = pd.DataFrame(cells.rows, columns=cells.header, dtype=str)
    if raw.columns.empty:
        raw = pd.DataFrame(index=range(len(cells.rows)))
    # The frame holds the cells now: the row lists (a third of a large file's memory)
    # are let go before the values are converted.
    cells.rows = []
    return raw


def _read_table(
    root: Path, spec: TableSpec, shown: Callable[[str], str], files: dict[str, str]
) -> tuple[Table | None, list[Problem]]:
    """Read one table, recording its file's hash in ``files``; ``None`` if it cannot be used.

    An optional table (``spec.required`` false) with neither file is an empty table, and
    so is one whose file holds only its header (no risks or returns yet, say); so may
    the tables of :data:`EMPTY_ALLOWED` be.
    """
    candidates = [root / f"{spec.stem}{suffix}" for suffix in (".csv", ".xlsx")]
    if not spec.required and not any(p.exists() or p.is_symlink() for p in candidates):
        return build_empty_table(spec, shown(f"{spec.stem}.csv")), []
    path, problems = _locate_table(root, spec, shown)
    if path is None:
        return None, problems
    relative = path.relative_to(root).as_posix()
    file = shown(relative)
    outside = find_link_outside(root, path)
    if outside is not None:
        return None, [Problem(file, None, None, None, outside)]
    # A data set may hold no commitments, narrative or figures yet; it cannot be without
    # missions, strategies or measures, and those say "no rows" in one line.
    allow_empty = not spec.required or spec.name in EMPTY_ALLOWED
    cells = read_cells(path, file, allow_empty=allow_empty, columnar=True)
    if cells.problems:
        return None, cells.problems
    files[relative] = cells.sha256
    raw = _frame_of(cells)
    letters = {name: column_letter(i) for i, name in enumerate(cells.header)}
    missing, problems = _column_problems(spec, file, cells.header)
    if missing:
        return None, problems
    for column in (*spec.optional, *spec.extra):
        if column not in raw.columns:
            raw[column] = ""
    known = (*spec.columns, *spec.extra)
    raw = raw.loc[:, list(known)]
    blank = (raw == "").all(axis=1)
    if blank.any():
        raw = raw[~blank]  # a copy: only made when there is a blank row to drop
    unparsed: list[Problem] = []
    typed = _convert(raw, spec, file, unparsed)
    table = Table(
        spec=spec,
        file=file,
        raw=raw,
        typed=typed,
        unparsed=unparsed,
        sheet=cells.sheet,
        letters=letters if cells.sheet is not None else {},
    )
    return table, [*problems, *unparsed]


PROGRESS_FILE_BYTES = 8 * 1_048_576
"""A table file at least this large is announced as it is read (:func:`read_folder`)."""


def read_folder(root: Path, progress: Callable[[str], None] | None = None) -> Folder:
    """Read ``dataset.yaml`` and every table of a data folder, hashing each file.

    Parameters
    ----------
    root : Path
        The data folder.
    progress : callable, optional
        Told, before each table file of at least :data:`PROGRESS_FILE_BYTES` is read,
        ``"reading <file> (N MiB)"``: reading a large file takes a while.

    Returns
    -------
    Folder
        The tables that could be read, the file hashes, and every problem that
        reading found (checking the values is :func:`pcplib.data.validate.check_folder`).

    Raises
    ------
    DataValidationError
        If ``root`` is not a folder.
    """

    def shown(relative: str) -> str:
        return (root / relative).as_posix()

    if not root.is_dir():
        state = "it is a file" if root.exists() else "it does not exist"
        raise DataValidationError(
            [Problem(root.as_posix(), None, None, None, f"a data folder ({state})")], root
        )
    expected = [DATASET_META] + [f"{spec.stem}.csv" for spec in TABLES.values()]
    present = [
        name
        for name in expected
        if (root / name).exists() or (root / name).with_suffix(".xlsx").exists()
    ]
    if not present:
        # Not one of its files: the wrong folder, not a data set with every file missing.
        raise DataValidationError(
            [
                Problem(
                    root.as_posix(),
                    None,
                    None,
                    None,
                    f"a data set folder holding {', '.join(expected[:3])}, ... (it holds none "
                    "of them: is this the right folder?)",
                )
            ],
            root,
        )
    files: dict[str, str] = {}
    meta, meta_problems = _read_meta(root, shown)
    if (root / DATASET_META).is_file():
        files[DATASET_META] = _sha256(root / DATASET_META)
    tables: dict[str, Table] = {}
    table_problems: dict[str, list[Problem]] = {}
    for spec in TABLES.values():
        if progress is not None:
            for candidate in (root / f"{spec.stem}.csv", root / f"{spec.stem}.xlsx"):
                size = candidate.stat().st_size if candidate.is_file() else 0
                if size >= PROGRESS_FILE_BYTES:
                    progress(f"reading {shown(candidate.relative_to(root).as_posix())} "
                             f"({size / 1_048_576:,.0f} MiB)")  # fmt: skip
        table, table_problems[spec.name] = _read_table(root, spec, shown, files)
        if table is not None:
            tables[spec.name] = table
    return Folder(
        root=root,
        meta=meta,
        files=files,
        tables=tables,
        meta_problems=meta_problems,
        table_problems=table_problems,
    )
