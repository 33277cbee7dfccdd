"""Reading a data folder: each table's cells as written and parsed into types.

A table is a ``.csv`` file or, as Force analysts often send them, an ``.xlsx``
workbook of the same name (first sheet); exactly one of the two must exist. Inputs
are only ever read. Reading reports what stops a table being used (a missing or
unreadable file, missing or extra columns) and every cell that does not parse as
its column's type; the rules for the values themselves are checked by
:mod:`pcplib.data.validate`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from pcplib.data.problems import DataValidationError, Problem
from pcplib.data.schemas import DATASET_META, TABLES, TableSpec

__all__ = ["Folder", "Table", "build_empty_table", "cell_text", "read_folder"]

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


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
    """

    spec: TableSpec
    file: str
    raw: pd.DataFrame
    typed: pd.DataFrame
    unparsed: list[Problem]


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
        return found


def _sha256(path: Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cell_text(value: Any) -> str:
    """Return a workbook cell as the text a CSV would hold.

    Parameters
    ----------
    value : Any
        A cell's value as openpyxl or pandas read it.

    Returns
    -------
    str
        ``""`` for an empty cell, ``true``/``false``, ISO dates, whole numbers without
        ``.0``, and anything else as its stripped text.
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


def _read_raw(path: Path) -> pd.DataFrame:
    """Read a table's cells as text, one frame row per spreadsheet row.

    Blank rows are kept (as empty strings) so that index ``i`` is spreadsheet row
    ``i + 2``; the caller drops them afterwards.
    """
    if path.suffix == ".xlsx":
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
        frame.columns = [cell_text(c) for c in frame.columns]
        return frame.apply(lambda column: column.map(cell_text)).astype(str)
    return pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        encoding="utf-8",
    )


def _locate_table(
    root: Path, spec: TableSpec, shown: Callable[[str], str]
) -> tuple[Path | None, list[Problem]]:
    """Find a table's ``.csv`` or ``.xlsx`` file; exactly one must exist."""
    candidates = [root / f"{spec.stem}{suffix}" for suffix in (".csv", ".xlsx")]
    present = [p for p in candidates if p.is_file()]
    if len(present) == 1:
        return present[0], []
    if not present and not spec.required:
        return None, []
    if not present:
        return None, [
            Problem(
                shown(f"{spec.stem}.csv"),
                None,
                None,
                None,
                f"the {spec.name} table as {spec.stem}.csv or {spec.stem}.xlsx (neither exists)",
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
    """Parse text as floats; return the values and a mask of unparseable cells."""
    text = raw.str.strip().str.replace(",", "", regex=False)
    values = pd.to_numeric(text.where(text != ""), errors="coerce").astype(float)
    bad = (text != "") & ~np.isfinite(values.fillna(0.0).to_numpy())
    bad |= (text != "") & values.isna()
    return values.where(~bad), bad


def _parse_dates(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse ISO dates (``YYYY-MM-DD``); return the dates and a mask of bad cells."""
    text = raw.str.strip()
    dates = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
    bad = (text != "") & dates.isna()
    return dates.astype("datetime64[ns]"), bad


def _parse_booleans(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse true/false (also yes/no, 1/0, any case); return values and a bad mask."""
    text = raw.str.strip().str.lower()
    bad = ~text.isin(_TRUE | _FALSE)
    return text.isin(_TRUE), bad


def _convert(
    raw: pd.DataFrame, spec: TableSpec, file: str, problems: list[Problem]
) -> pd.DataFrame:
    """Turn a text frame into typed columns, recording cells that do not parse."""
    typed = raw.copy()
    parsers: list[
        tuple[tuple[str, ...], Callable[[pd.Series], tuple[pd.Series, pd.Series]], str]
    ] = [
        (spec.numbers, _parse_numbers, "a number"),
        (spec.dates, _parse_dates, "a date written YYYY-MM-DD (such as 2026-09-30)"),
        (spec.booleans, _parse_booleans, "true or false"),
    ]
    for columns, parse, expected in parsers:
        for column in columns:
            values, bad = parse(raw[column])
            typed[column] = values
            for index in bad[bad].index:
                problems.append(
                    Problem(file, int(index) + 2, column, raw.at[index, column], expected)
                )
    return typed


def _read_meta(root: Path, shown: Callable[[str], str]) -> tuple[dict[str, Any], list[Problem]]:
    """Read ``dataset.yaml``: whether the data is illustrative, and its description."""
    path = root / DATASET_META
    file = shown(DATASET_META)
    if not path.is_file():
        return {}, [
            Problem(
                file,
                None,
                None,
                None,
                "a dataset.yaml with 'illustrative' (true or false) and 'description' (one line)",
            )
        ]
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        return {}, [Problem(file, None, None, None, f"valid YAML ({error})")]
    if not isinstance(meta, dict):
        return {}, [
            Problem(file, None, None, None, "a YAML mapping with illustrative and description")
        ]
    problems = []
    if not isinstance(meta.get("illustrative"), bool):
        problems.append(
            Problem(
                file, None, "illustrative", _shown_value(meta.get("illustrative")), "true or false"
            )
        )
    if not isinstance(meta.get("description"), str) or not meta.get("description", "").strip():
        problems.append(
            Problem(
                file,
                None,
                "description",
                _shown_value(meta.get("description")),
                "one line of text describing the data set",
            )
        )
    return meta, problems


def _shown_value(value: Any) -> str | None:
    """Return a YAML value as text for a problem message (``None`` when absent)."""
    return None if value is None else str(value)


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


def _read_table(
    root: Path, spec: TableSpec, shown: Callable[[str], str], files: dict[str, str]
) -> tuple[Table | None, list[Problem]]:
    """Read one table, recording its file's hash in ``files``; ``None`` if it cannot be used.

    An optional table (``spec.required`` false) with neither file is an empty table.
    """
    if not spec.required and not any(
        (root / f"{spec.stem}{suffix}").is_file() for suffix in (".csv", ".xlsx")
    ):
        return build_empty_table(spec, shown(f"{spec.stem}.csv")), []
    path, problems = _locate_table(root, spec, shown)
    if path is None:
        return None, problems
    relative = path.relative_to(root).as_posix()
    file = shown(relative)
    files[relative] = _sha256(path)
    try:
        raw = _read_raw(path)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, ValueError, OSError) as error:
        return None, [Problem(file, None, None, None, f"a readable table ({error})")]
    raw.columns = [str(c).strip() for c in raw.columns]
    for column in (*spec.optional, *spec.extra):
        if column not in raw.columns:
            raw[column] = ""
    known = (*spec.columns, *spec.extra)
    missing_columns = [c for c in spec.columns if c not in raw.columns]
    extra_columns = [c for c in raw.columns if c not in known]
    for column in missing_columns:
        problems.append(
            Problem(
                file,
                1,
                column,
                None,
                f"a column named {column!r} (columns: {', '.join(spec.columns)})",
            )
        )
    for column in extra_columns:
        problems.append(
            Problem(
                file,
                1,
                column,
                None,
                f"only the columns {', '.join(known)} (remove or rename this one)",
            )
        )
    if missing_columns:
        return None, problems
    raw = raw.loc[:, list(known)]
    blank = (raw == "").all(axis=1)
    raw = raw[~blank]
    unparsed: list[Problem] = []
    typed = _convert(raw, spec, file, unparsed)
    return Table(spec=spec, file=file, raw=raw, typed=typed, unparsed=unparsed), [
        *problems,
        *unparsed,
    ]


def read_folder(root: Path) -> Folder:
    """Read ``dataset.yaml`` and every table of a data folder, hashing each file.

    Parameters
    ----------
    root : Path
        The data folder.

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
        raise DataValidationError(
            [Problem(root.as_posix(), None, None, None, "a data folder (it does not exist)")],
            root,
        )
    files: dict[str, str] = {}
    meta, meta_problems = _read_meta(root, shown)
    if (root / DATASET_META).is_file():
        files[DATASET_META] = _sha256(root / DATASET_META)
    tables: dict[str, Table] = {}
    table_problems: dict[str, list[Problem]] = {}
    for spec in TABLES.values():
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
