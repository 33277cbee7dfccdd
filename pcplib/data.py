"""Loading and validation of the plan's data set (``data/``).

The data set is a folder of tables (see ``data/README.md`` for the dictionary):

- ``framework/missions``, ``framework/strategies``, ``framework/measures``
- ``observations/observations``
- ``commitments/commitments``
- ``narrative/narrative``
- ``dataset.yaml`` (whether the data is illustrative, and a one-line description)

Each table is a ``.csv`` file or, as Force analysts often send them, an ``.xlsx``
workbook of the same name (first sheet); exactly one of the two must exist.
Inputs are only ever read.

Validation reports *every* problem at once, each naming the file, the row (as a
spreadsheet shows it: the header is row 1, the first data row is row 2), the
column, the offending value and what was expected. Column types, allowed values
and ranges are declared as pandera schemas and checked lazily; checks that span
tables (unknown ids, periods that do not match a measure's frequency, definition
changes, the forward plan) follow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from pcplib.metrics import GOOD_DIRECTIONS, UNITS
from pcplib.rag import STATUSES as COMMITMENT_STATUSES

__all__ = [
    "Dataset",
    "DataValidationError",
    "Problem",
    "TABLES",
    "load_dataset",
    "validate_dataset",
    "run_validate",
    "build_schemas",
    "parse_recalculation_dates",
]

TIERS = ("headline", "sub")
# Months in one period of each frequency.
FREQUENCY_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3, "annual": 12}
FREQUENCIES = tuple(FREQUENCY_MONTHS)
AGGREGATIONS = ("sum", "mean")
VISIBILITIES = ("public", "restricted")
OBSERVATION_STATUSES = ("provisional", "final")
DEFINITIONS = ("current", "previous")
NARRATIVE_SECTIONS = ("progress", "successes", "challenges", "risks")

_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID_EXPECTED = "an id of lower-case letters, digits and single hyphens (such as 'road-safety')"
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}
# Reported values are rounded; a percentage or rate recomputed from its numerator and
# denominator may differ from the stated value by up to this much before it is a problem.
_PERCENT_TOLERANCE = 0.5
_RATE_RELATIVE_TOLERANCE = 0.01
# Making Data Count: a recalculated section of an XmR chart needs at least 12 points.
RECALCULATION_MIN_POINTS = 12
_RECALCULATION_PATTERN = r"^$|^\s*\d{4}-\d{2}-\d{2}\s*(;\s*\d{4}-\d{2}-\d{2}\s*)*$"


@dataclass(frozen=True)
class TableSpec:
    """Where a table lives and how its columns are typed.

    Attributes
    ----------
    name : str
        The table's name (the ``Dataset`` attribute).
    stem : str
        Path inside the data folder without the suffix (``.csv`` or ``.xlsx``).
    columns : tuple of str
        The required columns, in order.
    numbers, dates, booleans : tuple of str
        Columns parsed as numbers, ISO dates (``YYYY-MM-DD``) and booleans; the rest
        are text (empty text is ``""``).
    optional : tuple of str
        Columns a file may leave out (they then load as empty text); files written
        before the column existed stay valid.
    """

    name: str
    stem: str
    columns: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    booleans: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("missions", "framework/missions", ("mission_id", "mission_name", "description")),
        TableSpec(
            "strategies",
            "framework/strategies",
            (
                "strategy_id",
                "strategy_name",
                "mission_id",
                "strategic_objective",
                "force_senior_owner",
                "force_spoc",
                "opcc_senior_owner",
                "opcc_spoc",
            ),
        ),
        TableSpec(
            "measures",
            "framework/measures",
            (
                "measure_id",
                "measure_name",
                "strategy_id",
                "tier",
                "unit",
                "good_direction",
                "frequency",
                "aggregation",
                "source",
                "comparable",
                "national_measure",
                "vrn_measure",
                "target",
                "target_note",
                "baseline_year",
                "visibility",
                "definition",
                "definition_from",
                "previous_definition",
                "spc_recalculate_from",
                "spc_recalculate_note",
            ),
            numbers=("target",),
            dates=("definition_from",),
            booleans=("comparable",),
            optional=("spc_recalculate_from", "spc_recalculate_note"),
        ),
        TableSpec(
            "observations",
            "observations/observations",
            (
                "measure_id",
                "period_start",
                "period_end",
                "value",
                "numerator",
                "denominator",
                "area",
                "status",
                "definition",
                "source",
                "extracted_on",
            ),
            numbers=("value", "numerator", "denominator"),
            dates=("period_start", "period_end", "extracted_on"),
        ),
        TableSpec(
            "commitments",
            "commitments/commitments",
            ("commitment_id", "strategy_id", "commitment", "status", "due_date", "owner"),
            dates=("due_date",),
        ),
        TableSpec(
            "narrative", "narrative/narrative", ("strategy_id", "quarter", "section", "text")
        ),
    )
}
DATASET_META = "dataset.yaml"


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
    """Raised by :func:`load_dataset` when the data set has problems.

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


@dataclass(frozen=True, eq=False)
class Dataset:
    """The plan's data set, typed and validated (see ``data/README.md``).

    Attributes
    ----------
    root : Path
        The data folder.
    missions, strategies, measures, observations, commitments, narrative : pd.DataFrame
        The tables. Text columns hold ``""`` when empty; dates are ``datetime64``;
        ``value``, ``numerator``, ``denominator`` and ``target`` are floats (NaN when
        empty); ``comparable`` is bool.
    illustrative : bool
        True for the shipped sample (from ``dataset.yaml``).
    description : str
        One line describing the data set (from ``dataset.yaml``).
    files : dict of str to str
        Each input file read, relative to ``root`` (POSIX form) -> its SHA-256.
    """

    root: Path
    missions: pd.DataFrame
    strategies: pd.DataFrame
    measures: pd.DataFrame
    observations: pd.DataFrame
    commitments: pd.DataFrame
    narrative: pd.DataFrame
    illustrative: bool
    description: str
    files: dict[str, str] = field(default_factory=dict)

    def strategy(self, strategy_id: str) -> pd.Series:
        """Return one strategy's row.

        Parameters
        ----------
        strategy_id : str
            Such as ``"vawg"``.

        Returns
        -------
        pd.Series
            The strategy's columns (name, mission, objective, owners).

        Raises
        ------
        ValueError
            If the id is unknown; the message lists the valid ids.
        """
        match = self.strategies[self.strategies["strategy_id"] == strategy_id]
        if match.empty:
            valid = ", ".join(self.strategies["strategy_id"])
            raise ValueError(f"unknown strategy {strategy_id!r}: expected one of {valid}")
        return match.iloc[0]

    def measures_for(
        self, strategy_id: str, tier: str | None = None, public_only: bool = False
    ) -> pd.DataFrame:
        """Return a strategy's measures in catalogue order.

        Parameters
        ----------
        strategy_id : str
            The strategy.
        tier : {"headline", "sub"}, optional
            Only measures of this tier.
        public_only : bool, default False
            Leave out restricted measures (for anything public).

        Returns
        -------
        pd.DataFrame
            Rows of ``measures`` with a fresh index.

        Raises
        ------
        ValueError
            For an unknown strategy or tier.
        """
        self.strategy(strategy_id)
        if tier is not None and tier not in TIERS:
            raise ValueError(f"unknown tier {tier!r}: expected one of {', '.join(TIERS)}")
        keep = self.measures["strategy_id"] == strategy_id
        if tier is not None:
            keep &= self.measures["tier"] == tier
        if public_only:
            keep &= self.measures["visibility"] == "public"
        return self.measures[keep].reset_index(drop=True)

    def series(self, measure_id: str) -> pd.DataFrame:
        """Return one measure's observations, oldest period first.

        Parameters
        ----------
        measure_id : str
            The measure.

        Returns
        -------
        pd.DataFrame
            Rows of ``observations`` sorted by ``period_start`` (then area), fresh index.

        Raises
        ------
        ValueError
            If the measure is not in the catalogue.
        """
        if not (self.measures["measure_id"] == measure_id).any():
            raise ValueError(
                f"unknown measure {measure_id!r}: expected a measure_id from "
                "framework/measures (see Dataset.measures)"
            )
        rows = self.observations[self.observations["measure_id"] == measure_id]
        return rows.sort_values(["period_start", "area"], kind="stable").reset_index(drop=True)


# --- reading -------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cell_text(value: Any) -> str:
    """Return a workbook cell as the text a CSV would hold."""
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
        frame.columns = [_cell_text(c) for c in frame.columns]
        return frame.apply(lambda column: column.map(_cell_text)).astype(str)
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


def parse_recalculation_dates(text: str) -> list[pd.Timestamp]:
    """Parse a measure's ``spc_recalculate_from`` cell into dates.

    Parameters
    ----------
    text : str
        Empty, or ISO dates (``YYYY-MM-DD``) separated by ``;``, such as
        ``"2022-01-01;2025-04-01"``; spaces around the separators are allowed.

    Returns
    -------
    list of pandas.Timestamp
        The dates in the order written; empty for an empty cell.

    Raises
    ------
    ValueError
        If a part is not a real date written ``YYYY-MM-DD``; the message names it.
    """
    if not isinstance(text, str):
        raise ValueError(
            f"spc_recalculate_from must be text of dates separated by ';', not {text!r}"
        )
    if not text.strip():
        return []
    dates = []
    for part in (p.strip() for p in text.split(";")):
        try:
            if len(part) != 10:
                raise ValueError(part)
            dates.append(pd.Timestamp(dt.date.fromisoformat(part)))
        except ValueError:
            raise ValueError(
                f"spc_recalculate_from: {part!r} is not a date written YYYY-MM-DD "
                "(such as 2025-04-01); separate several dates with ';'"
            ) from None
    return dates


# --- schemas -------------------------------------------------------------------------


def build_schemas() -> dict[str, Any]:
    """Build the pandera schema of each table (column types, allowed values, ranges).

    Each check's ``error`` text is what a :class:`Problem` reports as expected.

    Returns
    -------
    dict of str to pandera.DataFrameSchema
        Keyed by table name; validate typed frames with ``lazy=True``.
    """
    import pandera.pandas as pa

    def text(*checks: Any, required: bool = True) -> Any:
        all_checks = list(checks)
        if required:
            all_checks.insert(0, pa.Check.str_length(min_value=1, error="a value (it is required)"))
        return pa.Column(str, all_checks, nullable=False)

    def ident() -> Any:
        return text(pa.Check.str_matches(_ID_PATTERN, error=_ID_EXPECTED))

    def one_of(values: Iterable[str]) -> Any:
        allowed = tuple(values)
        return text(pa.Check.isin(allowed, error="one of " + ", ".join(repr(v) for v in allowed)))

    def date(required: bool = True) -> Any:
        return pa.Column("datetime64[ns]", nullable=not required)

    def number(*checks: Any) -> Any:
        return pa.Column(float, list(checks), nullable=True)

    non_negative = pa.Check.ge(0, error="a number of 0 or more")
    return {
        "missions": pa.DataFrameSchema(
            {"mission_id": ident(), "mission_name": text(), "description": text(required=False)}
        ),
        "strategies": pa.DataFrameSchema(
            {
                "strategy_id": ident(),
                "strategy_name": text(),
                "mission_id": text(),
                "strategic_objective": text(),
                "force_senior_owner": text(),
                "force_spoc": text(),
                "opcc_senior_owner": text(),
                "opcc_spoc": text(),
            }
        ),
        "measures": pa.DataFrameSchema(
            {
                "measure_id": ident(),
                "measure_name": text(),
                "strategy_id": text(),
                "tier": one_of(TIERS),
                "unit": one_of(UNITS),
                "good_direction": one_of(GOOD_DIRECTIONS),
                "frequency": one_of(FREQUENCIES),
                "aggregation": one_of(AGGREGATIONS),
                "source": text(),
                "comparable": pa.Column(bool),
                "national_measure": text(required=False),
                "vrn_measure": text(required=False),
                "target": number(),
                "target_note": text(required=False),
                "baseline_year": text(
                    pa.Check.str_matches(
                        r"^\d{4}/\d{2}$", error="a financial year written like 2024/25"
                    )
                ),
                "visibility": one_of(VISIBILITIES),
                "definition": text(),
                "definition_from": date(),
                "previous_definition": text(required=False),
                "spc_recalculate_from": text(
                    pa.Check.str_matches(
                        _RECALCULATION_PATTERN,
                        error=(
                            "empty, or dates written YYYY-MM-DD separated by ';' "
                            "(such as 2022-01-01;2025-04-01)"
                        ),
                    ),
                    required=False,
                ),
                "spc_recalculate_note": text(required=False),
            }
        ),
        "observations": pa.DataFrameSchema(
            {
                "measure_id": text(),
                "period_start": date(),
                "period_end": date(),
                "value": number(),
                "numerator": number(non_negative),
                "denominator": number(non_negative),
                "area": text(),
                "status": one_of(OBSERVATION_STATUSES),
                "definition": one_of(DEFINITIONS),
                "source": text(),
                "extracted_on": date(),
            }
        ),
        "commitments": pa.DataFrameSchema(
            {
                "commitment_id": ident(),
                "strategy_id": text(),
                "commitment": text(),
                "status": one_of(COMMITMENT_STATUSES),
                "due_date": date(),
                "owner": text(),
            }
        ),
        "narrative": pa.DataFrameSchema(
            {
                "strategy_id": text(),
                "quarter": text(
                    pa.Check.str_matches(
                        r"^\d{4}/\d{2} Q[1-4]$", error="a quarter written like '2026/27 Q2'"
                    )
                ),
                "section": one_of(NARRATIVE_SECTIONS),
                "text": text(),
            }
        ),
    }


_SCHEMAS: dict[str, Any] = {}


def _schema_problems(
    name: str, typed: pd.DataFrame, raw: pd.DataFrame, file: str, seen: set[tuple[int, str]]
) -> list[Problem]:
    """Validate a typed frame against its pandera schema and translate the failures."""
    import pandera.errors as pa_errors

    if not _SCHEMAS:
        _SCHEMAS.update(build_schemas())
    try:
        _SCHEMAS[name].validate(typed, lazy=True)
    except pa_errors.SchemaErrors as errors:
        problems = []
        cases = errors.failure_cases
        for case in cases.itertuples(index=False):
            index, column = case.index, case.column
            if index is None or (isinstance(index, float) and math.isnan(index)):
                problems.append(Problem(file, None, str(column), None, str(case.check)))
                continue
            row = int(index) + 2
            if (row, str(column)) in seen:
                continue  # already reported as unparseable
            seen.add((row, str(column)))
            expected = str(case.check)
            if expected == "not_nullable":
                expected = "a value (it is required)"
            problems.append(Problem(file, row, str(column), raw.at[int(index), column], expected))
        return sorted(
            problems,
            key=lambda p: (
                p.row or 0,
                TABLES[name].columns.index(p.column) if p.column in TABLES[name].columns else 0,
            ),
        )
    return []


# --- cross-table checks --------------------------------------------------------------


def _rows(mask: pd.Series) -> list[int]:
    """Return the frame indexes where ``mask`` is true."""
    return [int(i) for i in mask[mask.fillna(False).astype(bool)].index]


def _cell_problems(
    mask: pd.Series, raw: pd.DataFrame, file: str, column: str, expected: Callable[[int], str]
) -> list[Problem]:
    """Report the cell of ``column`` in each row where ``mask`` is true.

    ``expected`` gives, for a frame index, what the cell should have held.
    """
    return [Problem(file, i + 2, column, raw.at[i, column], expected(i)) for i in _rows(mask)]


def _check_unique(
    frame: pd.DataFrame, raw: pd.DataFrame, keys: list[str], file: str, what: str
) -> list[Problem]:
    """Report rows repeating an earlier row's key columns."""
    # Keys compare as written in the file, which is also how they are reported.
    keys_text = raw.loc[frame.index, keys].astype(str).agg(" / ".join, axis=1)
    duplicated = keys_text.duplicated(keep="first")
    if not duplicated.any():
        return []
    first_rows: dict[str, int] = {}
    for index, key in keys_text.items():
        first_rows.setdefault(key, int(index) + 2)
    problems = []
    for index in _rows(duplicated):
        key = keys_text[index]
        value = raw.at[index, keys[0]] if len(keys) == 1 else " / ".join(raw.loc[index, keys])
        problems.append(
            Problem(
                file,
                index + 2,
                keys[0] if len(keys) == 1 else ", ".join(keys),
                value,
                f"{what} (the same as row {first_rows[key]})",
            )
        )
    return problems


def _check_known(
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    column: str,
    known: Iterable[str],
    file: str,
    source: str,
) -> list[Problem]:
    """Report non-empty ids that are not in the table they refer to."""
    known_set = set(known)
    bad = ~frame[column].isin(known_set) & (frame[column] != "")
    listed = sorted(known_set)
    shown = ", ".join(listed) if len(listed) <= 15 else ", ".join(listed[:15]) + ", ..."
    return _cell_problems(bad, raw, file, column, lambda _: f"a {column} from {source} ({shown})")


def _period_problems(
    obs: pd.DataFrame, raw: pd.DataFrame, file: str, today: dt.date
) -> list[Problem]:
    """Check periods against each measure's frequency, the clock and the extract date."""
    problems: list[Problem] = []
    start, end = obs["period_start"], obs["period_end"]
    valid = start.notna() & end.notna()
    freq = obs["_frequency"]
    month_end = start + pd.offsets.MonthEnd(0)
    quarter_end = start + pd.offsets.MonthEnd(3)
    year_end = start + pd.DateOffset(months=12) - pd.Timedelta(days=1)
    first_of_month = start.dt.day == 1
    rules = {
        "monthly": (first_of_month, month_end, "the 1st of a month", "the last day of that month"),
        "quarterly": (
            first_of_month & start.dt.month.isin([1, 4, 7, 10]),
            quarter_end,
            "the first day of a financial quarter (1 April, 1 July, 1 October or 1 January)",
            "the last day of that quarter",
        ),
        "annual": (
            first_of_month & (start.dt.month == 4),
            year_end,
            "1 April (the start of a financial year)",
            "31 March (the end of that financial year)",
        ),
    }
    for frequency, (start_ok, expected_end, start_text, end_text) in rules.items():
        rows = valid & (freq == frequency)
        problems += _cell_problems(
            rows & ~start_ok,
            raw,
            file,
            "period_start",
            # Defaults bind this iteration's values (the messages are built right away).
            lambda i, text=start_text, frequency=frequency: (
                f"{text}: measure {obs.at[i, 'measure_id']} is {frequency}"
            ),
        )
        problems += _cell_problems(
            rows & start_ok & (end != expected_end),
            raw,
            file,
            "period_end",
            lambda i, ends=expected_end, text=end_text, frequency=frequency: (
                f"{ends[i]:%Y-%m-%d}, {text} (measure {obs.at[i, 'measure_id']} is {frequency})"
            ),
        )
    now = pd.Timestamp(today)
    problems += _cell_problems(
        end > now,
        raw,
        file,
        "period_end",
        lambda _: f"a period that has ended by today ({today:%Y-%m-%d}); this one is in the future",
    )
    extracted = obs["extracted_on"]
    problems += _cell_problems(
        extracted > now,
        raw,
        file,
        "extracted_on",
        lambda _: f"an extraction date no later than today ({today:%Y-%m-%d})",
    )
    problems += _cell_problems(
        extracted.notna() & end.notna() & (extracted < end) & (end <= now),
        raw,
        file,
        "extracted_on",
        lambda i: f"an extraction date on or after the period end ({end[i]:%Y-%m-%d})",
    )
    return problems


def _value_problems(obs: pd.DataFrame, raw: pd.DataFrame, file: str) -> list[Problem]:
    """Check values against their measure's unit and their numerator and denominator."""
    problems: list[Problem] = []
    unit, value = obs["_unit"], obs["value"]
    num, den = obs["numerator"], obs["denominator"]
    percent = unit == "percent"
    problems += _cell_problems(
        percent & ((value < 0) | (value > 100)),
        raw,
        file,
        "value",
        lambda i: (
            f"a percentage between 0 and 100 (measure {obs.at[i, 'measure_id']} is in percent)"
        ),
    )
    non_negative_units = unit.isin(["count", "rate_per_1000", "hours", "days", "score"])
    problems += _cell_problems(
        non_negative_units & (value < 0),
        raw,
        file,
        "value",
        lambda i: f"a value of 0 or more (measure {obs.at[i, 'measure_id']} is in {unit[i]})",
    )
    both = num.notna() & den.notna()
    above = both & (num > den)
    problems += _cell_problems(
        above,
        raw,
        file,
        "numerator",
        lambda i: f"a numerator no larger than the denominator ({raw.at[i, 'denominator']})",
    )
    problems += _cell_problems(
        both & (den == 0), raw, file, "denominator", lambda _: "a denominator above 0"
    )
    checkable = both & (den > 0) & ~above & value.notna()
    scale = pd.Series(np.where(percent, 100.0, 1000.0), index=obs.index)
    recomputed = num / den.where(den > 0) * scale
    gap = (value - recomputed).abs()
    wrong_percent = checkable & percent & (gap > _PERCENT_TOLERANCE)
    wrong_rate = (
        checkable
        & (unit == "rate_per_1000")
        & (gap > np.maximum(_RATE_RELATIVE_TOLERANCE * recomputed.abs(), 0.001))
    )
    problems += _cell_problems(
        wrong_percent | wrong_rate,
        raw,
        file,
        "value",
        lambda i: (
            f"numerator / denominator × {'100' if percent[i] else '1,000'} = "
            f"{recomputed[i]:.3f} (the value disagrees with its numerator and denominator)"
        ),
    )
    return problems


def _definition_problems(
    obs: pd.DataFrame,
    raw: pd.DataFrame,
    measures: pd.DataFrame,
    file: str,
    measures_file: str,
) -> list[Problem]:
    """Check observations are marked with the definition in force for their period."""
    problems: list[Problem] = []
    starts, since = obs["period_start"], obs["_definition_from"]
    comparable = starts.notna() & since.notna()
    before = comparable & (starts < since) & (obs["definition"] == "current")
    after = comparable & (starts >= since) & (obs["definition"] == "previous")
    problems += _cell_problems(
        before,
        raw,
        file,
        "definition",
        lambda i: (
            f"'previous': the period starts before measure {obs.at[i, 'measure_id']}'s "
            f"current definition took effect on {since[i]:%Y-%m-%d}"
        ),
    )
    problems += _cell_problems(
        after,
        raw,
        file,
        "definition",
        lambda i: (
            f"'current': measure {obs.at[i, 'measure_id']}'s current definition took "
            f"effect on {since[i]:%Y-%m-%d}, before this period"
        ),
    )
    previous_ids = set(obs.loc[obs["definition"] == "previous", "measure_id"])
    lacking = measures["measure_id"].isin(previous_ids) & (measures["previous_definition"] == "")
    for i in _rows(lacking):
        problems.append(
            Problem(
                measures_file,
                i + 2,
                "previous_definition",
                "",
                "the earlier definition's text: observations of "
                f"{measures.at[i, 'measure_id']} are marked definition=previous",
            )
        )
    return problems


def _period_start_rule(frequency: str) -> tuple[Callable[[pd.Timestamp], bool], str]:
    """Return a test that a date starts a period of ``frequency``, and its words."""
    rules: dict[str, tuple[Callable[[pd.Timestamp], bool], str]] = {
        "monthly": (lambda d: d.day == 1, "the 1st of a month"),
        "quarterly": (
            lambda d: d.day == 1 and d.month in (1, 4, 7, 10),
            "the first day of a financial quarter (1 April, 1 July, 1 October or 1 January)",
        ),
        "annual": (
            lambda d: d.day == 1 and d.month == 4,
            "1 April (the start of a financial year)",
        ),
    }
    return rules.get(frequency, (lambda _: True, ""))


def _recalculation_problems(
    measures: pd.DataFrame, raw: pd.DataFrame, obs: pd.DataFrame | None, file: str
) -> list[Problem]:
    """Check each measure's ``spc_recalculate_from`` dates against its observations.

    Every date must be real, start a period of the measure's frequency, come in
    order, fall after the first and no later than the last period of the measure's
    current-definition figures, and leave every closed section (all but the latest)
    with at least :data:`RECALCULATION_MIN_POINTS` figures; the cause must be
    recorded in ``spc_recalculate_note``. The latest section may still be filling:
    reports keep one set of limits until it has enough points, and say so.
    """
    column = "spc_recalculate_from"
    problems: list[Problem] = []
    current = None
    if obs is not None:
        current = obs[(obs["definition"] == "current") & obs["period_start"].notna()]
        current = {str(k): g for k, g in current.groupby("measure_id", sort=False)}
    for i in measures.index:
        text = str(measures.at[i, column])
        if not text.strip() or not re.match(_RECALCULATION_PATTERN, text):
            continue  # empty, or already reported by the schema
        measure_id = str(measures.at[i, "measure_id"])

        def report(expected: str, i: int = i) -> None:
            problems.append(Problem(file, i + 2, column, raw.at[i, column], expected))

        try:
            dates = parse_recalculation_dates(text)
        except ValueError:
            report("real calendar dates written YYYY-MM-DD separated by ';' (such as 2025-04-01)")
            continue
        if not str(measures.at[i, "spc_recalculate_note"]).strip():
            problems.append(
                Problem(
                    file,
                    i + 2,
                    "spc_recalculate_note",
                    raw.at[i, "spc_recalculate_note"],
                    f"the known cause of the change from {text.strip()} (limits are only "
                    "recalculated for a change with a known cause)",
                )
            )
        if any(later <= earlier for earlier, later in zip(dates, dates[1:], strict=False)):
            report("dates in increasing order with none repeated")
            continue
        frequency = str(measures.at[i, "frequency"])
        starts_period, start_words = _period_start_rule(frequency)
        misaligned = [d for d in dates if not starts_period(d)]
        if misaligned:
            report(f"{start_words} for each date: measure {measure_id} is {frequency}")
            continue
        if current is None:
            continue
        rows = current.get(measure_id)
        if rows is None or rows.empty:
            report(
                f"no recalculation dates: measure {measure_id} has no current-definition figures"
            )
            continue
        first, last = rows["period_start"].min(), rows["period_start"].max()
        outside = [d for d in dates if not first < d <= last]
        if outside:
            report(
                f"dates after the first ({first:%Y-%m-%d}) and no later than the last "
                f"({last:%Y-%m-%d}) period of measure {measure_id}'s current-definition "
                f"figures; {outside[0]:%Y-%m-%d} is outside them"
            )
            continue
        present = rows.loc[rows["value"].notna(), "period_start"]
        bounds = [first, *dates]
        for start, stop in zip(bounds, bounds[1:], strict=False):
            n = int(((present >= start) & (present < stop)).sum())
            if n < RECALCULATION_MIN_POINTS:
                report(
                    f"at least {RECALCULATION_MIN_POINTS} figures in each section of the SPC "
                    f"chart: the section from {start:%Y-%m-%d} to before {stop:%Y-%m-%d} "
                    f"has {n}"
                )
                break
    return problems


def _cross_problems(
    typed: dict[str, pd.DataFrame],
    raw: dict[str, pd.DataFrame],
    shown: dict[str, str],
    today: dt.date,
) -> list[Problem]:
    """Run the checks that span tables: ids, uniqueness, periods, values, definitions."""
    problems: list[Problem] = []
    missions, strategies = typed.get("missions"), typed.get("strategies")
    measures, obs = typed.get("measures"), typed.get("observations")
    unique_keys = {
        "missions": (["mission_id"], "a unique mission_id"),
        "strategies": (["strategy_id"], "a unique strategy_id"),
        "measures": (["measure_id"], "a unique measure_id"),
        "commitments": (["commitment_id"], "a unique commitment_id"),
        "observations": (
            ["measure_id", "period_start", "area"],
            "one row per measure_id, period_start and area",
        ),
        "narrative": (
            ["strategy_id", "quarter", "section"],
            "one row per strategy_id, quarter and section",
        ),
    }
    for name, (keys, what) in unique_keys.items():
        if name in typed:
            problems += _check_unique(typed[name], raw[name], keys, shown[name], what)
    if missions is not None and strategies is not None:
        problems += _check_known(
            strategies,
            raw["strategies"],
            "mission_id",
            missions["mission_id"],
            shown["strategies"],
            TABLES["missions"].stem,
        )
    if strategies is not None:
        for name in ("measures", "commitments", "narrative"):
            if name in typed:
                problems += _check_known(
                    typed[name],
                    raw[name],
                    "strategy_id",
                    strategies["strategy_id"],
                    shown[name],
                    TABLES["strategies"].stem,
                )
        if measures is not None:
            headline = set(measures.loc[measures["tier"] == "headline", "strategy_id"])
            problems += _cell_problems(
                ~strategies["strategy_id"].isin(headline),
                raw["strategies"],
                shown["strategies"],
                "strategy_id",
                lambda _: (
                    f"a strategy with at least one headline measure in "
                    f"{TABLES['measures'].stem} (it has none)"
                ),
            )
    if measures is not None and obs is not None:
        problems += _check_known(
            obs,
            raw["observations"],
            "measure_id",
            measures["measure_id"],
            shown["observations"],
            TABLES["measures"].stem,
        )
        catalogue = measures.drop_duplicates("measure_id").set_index("measure_id")
        enriched = obs.assign(
            _frequency=obs["measure_id"].map(catalogue["frequency"]),
            _unit=obs["measure_id"].map(catalogue["unit"]),
            _definition_from=obs["measure_id"].map(catalogue["definition_from"]),
        )
        raw_obs = raw["observations"]
        problems += _period_problems(enriched, raw_obs, shown["observations"], today)
        problems += _value_problems(enriched, raw_obs, shown["observations"])
        problems += _definition_problems(
            enriched, raw_obs, measures, shown["observations"], shown["measures"]
        )
    if measures is not None:
        problems += _recalculation_problems(measures, raw["measures"], obs, shown["measures"])
    return problems


# --- the data set as a whole ----------------------------------------------------------


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


@dataclass
class _Loaded:
    """Everything read from a data folder, before it becomes a ``Dataset``."""

    typed: dict[str, pd.DataFrame]
    meta: dict[str, Any]
    files: dict[str, str]
    problems: list[Problem]


def _load(root: Path, check: bool, today: dt.date) -> _Loaded:
    """Read every table; with ``check``, collect every problem as well."""

    def shown(relative: str) -> str:
        return (root / relative).as_posix()

    problems: list[Problem] = []
    typed: dict[str, pd.DataFrame] = {}
    raw_frames: dict[str, pd.DataFrame] = {}
    names: dict[str, str] = {}
    files: dict[str, str] = {}
    if not root.is_dir():
        raise DataValidationError(
            [Problem(root.as_posix(), None, None, None, "a data folder (it does not exist)")],
            root,
        )
    meta, meta_problems = _read_meta(root, shown)
    problems += meta_problems
    if (root / DATASET_META).is_file():
        files[DATASET_META] = _sha256(root / DATASET_META)
    for spec in TABLES.values():
        path, missing = _locate_table(root, spec, shown)
        problems += missing
        if path is None:
            continue
        relative = path.relative_to(root).as_posix()
        file = shown(relative)
        files[relative] = _sha256(path)
        try:
            raw = _read_raw(path)
        except (pd.errors.EmptyDataError, pd.errors.ParserError, ValueError, OSError) as error:
            problems.append(Problem(file, None, None, None, f"a readable table ({error})"))
            continue
        raw.columns = [str(c).strip() for c in raw.columns]
        for column in spec.optional:
            if column not in raw.columns:
                raw[column] = ""
        missing_columns = [c for c in spec.columns if c not in raw.columns]
        extra_columns = [c for c in raw.columns if c not in spec.columns]
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
                    f"only the columns {', '.join(spec.columns)} (remove or rename this one)",
                )
            )
        if missing_columns:
            continue
        raw = raw.loc[:, list(spec.columns)]
        blank = (raw == "").all(axis=1)
        raw = raw[~blank]
        table_problems: list[Problem] = []
        frame = _convert(raw, spec, file, table_problems)
        if check:
            seen = {(p.row, p.column) for p in table_problems if p.row is not None}
            table_problems += _schema_problems(spec.name, frame, raw, file, seen)
        problems += table_problems
        typed[spec.name] = frame
        raw_frames[spec.name] = raw
        names[spec.name] = file
    if check:
        problems += _cross_problems(typed, raw_frames, names, today)
    return _Loaded(typed=typed, meta=meta, files=files, problems=problems)


VALIDATED_DIGEST_ENV = "PCP_VALIDATED_SHA256"
"""Environment variable through which ``pcp run`` tells its kernels which bytes it validated."""


def digest_validated_files(files: dict[str, str], today: dt.date) -> str:
    """Return the digest that identifies one validated state of the data set.

    ``pcp run`` validates the data set once, then sets :data:`VALIDATED_DIGEST_ENV`
    to this digest for its kernels; :func:`load_dataset` skips its own schema pass
    only when the files it reads give exactly the same digest.

    Parameters
    ----------
    files : dict
        Each data file's path relative to the data folder, to its SHA-256 (as in
        ``Dataset.files``).
    today : datetime.date
        The date the validation was made against (periods must have ended by then),
        so a validation made on another day never stands in for today's.

    Returns
    -------
    str
        The SHA-256 hex digest over the date and the sorted ``(path, sha256)`` list.
    """
    digest = hashlib.sha256(f"today {today.isoformat()}\n".encode())
    for relative, sha256 in sorted(files.items()):
        digest.update(f"{relative}\t{sha256}\n".encode())
    return digest.hexdigest()


def load_dataset(path: Path | str, validate: bool = True, today: dt.date | None = None) -> Dataset:
    """Load the data set from a folder.

    Parameters
    ----------
    path : path-like
        The data folder (``data`` in the repository).
    validate : bool, default True
        Check every table and raise if anything is wrong. With ``False`` the tables are
        only parsed (unparseable cells become NaN/NaT); a missing table still raises.
        The check is skipped, as already done, when the environment variable
        ``PCP_VALIDATED_SHA256`` equals :func:`digest_validated_files` of the files read
        (``pcp run`` sets it for its kernels after validating those exact bytes).
    today : datetime.date, optional
        The date periods must have ended by; ``date.today()`` when omitted.

    Returns
    -------
    Dataset
        The typed tables, with fresh indexes, plus the description and file hashes.

    Raises
    ------
    DataValidationError
        If a table is missing or, with ``validate``, anything is wrong; ``.problems``
        lists every problem.
    """
    root = Path(path)
    today = today or dt.date.today()
    validated = os.environ.get(VALIDATED_DIGEST_ENV, "").strip()
    if validate and validated:
        # The file hashes are computed while reading anyway; the schema pass is skipped
        # only when these exact bytes were validated (by ``pcp run``) for this date.
        loaded = _load(root, check=False, today=today)
        if digest_validated_files(loaded.files, today) == validated:
            validate = False
        else:
            loaded = _load(root, check=True, today=today)
    else:
        loaded = _load(root, check=validate, today=today)
    blocking = [p for p in loaded.problems if validate or p.row is None]
    missing = [name for name in TABLES if name not in loaded.typed]
    if blocking or missing:
        raise DataValidationError(blocking or loaded.problems, root)
    tables = {name: frame.reset_index(drop=True) for name, frame in loaded.typed.items()}
    return Dataset(
        root=root,
        missions=tables["missions"],
        strategies=tables["strategies"],
        measures=tables["measures"],
        observations=tables["observations"],
        commitments=tables["commitments"],
        narrative=tables["narrative"],
        illustrative=bool(loaded.meta.get("illustrative", False)),
        description=str(loaded.meta.get("description", "")),
        files=dict(sorted(loaded.files.items())),
    )


def validate_dataset(
    path: Path | str,
    forward_plan: Path | str | None = None,
    today: dt.date | None = None,
) -> list[Problem]:
    """Check the data set (and optionally the forward plan) and list every problem.

    Parameters
    ----------
    path : path-like
        The data folder.
    forward_plan : path-like, optional
        ``params/forward_plan.yaml``: its slots must name known strategies and every
        strategy must be scheduled in every financial year of the plan.
    today : datetime.date, optional
        The date periods must have ended by; ``date.today()`` when omitted.

    Returns
    -------
    list of Problem
        Empty when everything is valid.
    """
    root = Path(path)
    try:
        loaded = _load(root, check=True, today=today or dt.date.today())
    except DataValidationError as error:
        return error.problems
    problems = list(loaded.problems)
    if forward_plan is not None:
        from pcplib.forward_plan import load_forward_plan, validate_forward_plan

        try:
            plan = load_forward_plan(forward_plan)
        except (OSError, ValueError) as error:
            problems.append(Problem(Path(forward_plan).as_posix(), None, None, None, str(error)))
        else:
            strategies = loaded.typed.get("strategies")
            if strategies is not None:
                problems += validate_forward_plan(plan, list(strategies["strategy_id"]))
    return problems


def _month_label(stamp: pd.Timestamp) -> str:
    """Return a month as ``April 2020``."""
    return f"{stamp:%B %Y}"


def run_validate(
    path: Path | str, forward_plan: Path | str | None = None, today: dt.date | None = None
) -> int:
    """Validate the data set for ``pcp validate`` and print the outcome.

    Parameters
    ----------
    path : path-like
        The data folder.
    forward_plan : path-like, optional
        The forward plan to check with it.
    today : datetime.date, optional
        The date periods must have ended by; ``date.today()`` when omitted.

    Returns
    -------
    int
        0 when valid (a short summary is printed), 1 when there are problems (one line
        each is printed).
    """
    problems = validate_dataset(path, forward_plan=forward_plan, today=today)
    if problems:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) found; nothing else was checked or changed.")
        return 1
    data = load_dataset(path, validate=False)
    obs = data.observations
    restricted = int((data.measures["visibility"] == "restricted").sum())
    first, last = obs["period_start"].min(), obs["period_end"].max()
    period = f"{_month_label(first)} to {_month_label(last)}" if len(obs) else "no periods"
    print(f"Data set {Path(path).as_posix()} is valid.")
    print(f"  {len(data.missions)} missions, {len(data.strategies)} strategies")
    print(f"  {len(data.measures)} measures ({restricted} restricted)")
    print(f"  {len(obs):,} observations covering {period}")
    print(f"  {len(data.commitments)} commitments, {len(data.narrative)} narrative entries")
    if forward_plan is not None:
        print(f"  forward plan {Path(forward_plan).as_posix()} is valid")
    if data.illustrative:
        print(f"  {data.description}")
    return 0
