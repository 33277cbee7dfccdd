"""A table checked against its pandera schema, with memory bounded for any table.

Split from :mod:`pcplib.data.validate`: pandera's record of failures is built a part of
the table at a time, and each check's failures become problems through
:func:`~pcplib.data.problems.report_rows`, so a table wrong in every row gives a few
counted problems rather than one a row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pcplib.data.problems import Problem, problem_rows, report_rows
from pcplib.data.schemas import TABLES, build_schemas

__all__ = ["check_schema", "rows_by_column"]

# Built on first use: importing pandera is slow and loading a validated data set skips it.
_SCHEMAS: dict[str, Any] = {}
# Rows checked by pandera at a time: its record of a part's failures is bounded by this.
_SCHEMA_PART = 250_000


def check_schema(
    name: str,
    typed: pd.DataFrame,
    raw: pd.DataFrame,
    file: str,
    unparsed: dict[str, np.ndarray],
) -> list[Problem]:
    """Validate a typed table against its pandera schema and translate the failures.

    The table is checked in parts, so that a table wrong in every one of two million rows
    never holds pandera's description of two million failures at once, and each check's
    failures are reported through :func:`~pcplib.data.problems.report_rows` (the first
    cells one by one, the rest counted).

    Parameters
    ----------
    name : str
        The table's name in :data:`~pcplib.data.schemas.TABLES`.
    typed : pandas.DataFrame
        The table with its columns parsed.
    raw : pandas.DataFrame
        The same table as written (values are quoted from it).
    file : str
        Its file, as problems name it.
    unparsed : dict of str to numpy.ndarray
        For each column, the frame indexes of cells already reported as not parsing;
        their failures here (a missing value) are not reported again.

    Returns
    -------
    list of Problem
        One problem a cell at most (the first check it fails), in row order.
    """
    import pandera.errors as pa_errors

    if not _SCHEMAS:
        _SCHEMAS.update(build_schemas())
    whole: dict[tuple[str, str], Problem] = {}
    found: dict[tuple[str, str], list[np.ndarray]] = {}
    for start in range(0, len(typed.index), _SCHEMA_PART):
        part = (
            typed if len(typed.index) <= _SCHEMA_PART else typed.iloc[start : start + _SCHEMA_PART]
        )
        try:
            # In place: no schema coerces, fills or drops a column, and a copy of a table
            # of two million rows cost 180 MB while it was checked.
            _SCHEMAS[name].validate(part, lazy=True, inplace=True)
        except pa_errors.SchemaErrors as errors:
            cases = errors.failure_cases
            on_rows = pd.to_numeric(cases["index"], errors="coerce").notna()
            for case in cases[~on_rows].itertuples(index=False):
                key = (str(case.column), str(case.check))
                whole.setdefault(key, Problem(file, None, key[0], None, key[1]))
            for (column, check), group in cases[on_rows].groupby(["column", "check"], sort=False):
                indexes = pd.to_numeric(group["index"]).to_numpy(dtype=np.int64)
                found.setdefault((str(column), str(check)), []).append(indexes)
    order = {column: n for n, column in enumerate(TABLES[name].columns)}
    problems = list(whole.values())
    reported = dict(unparsed)
    for (column, check), parts in sorted(found.items(), key=lambda kv: order.get(kv[0][0], 0)):
        indexes = np.unique(np.concatenate(parts))
        # One problem a cell: one that did not parse, or failed an earlier check, is not
        # reported again.
        if column in reported:
            indexes = indexes[~np.isin(indexes, reported[column])]
        reported[column] = np.concatenate([reported.get(column, indexes[:0]), indexes])
        expected = "a value (it is required)" if check == "not_nullable" else check
        problems += report_rows(file, column, indexes, raw[column].__getitem__, expected)
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column or "", 0)))


def rows_by_column(problems: list[Problem]) -> dict[str, np.ndarray]:
    """Return, for each column, the frame indexes of the rows its problems stand for.

    Parameters
    ----------
    problems : list of Problem
        Problems of one table (counted ones included).

    Returns
    -------
    dict of str to numpy.ndarray
        For each column with a problem, the frame indexes (row - 2).
    """
    rows: dict[str, list[np.ndarray]] = {}
    for problem in problems:
        if problem.row is not None and problem.column is not None:
            rows.setdefault(problem.column, []).append(problem_rows(problem) - 2)
    return {column: np.concatenate(parts) for column, parts in rows.items()}
