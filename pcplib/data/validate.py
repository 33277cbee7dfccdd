"""Validation of the data set: every problem at once, each located precisely enough to fix.

Each problem names the file, the row (as a spreadsheet shows it: the header is
row 1, the first data row is row 2), the column, the offending value and what was
expected. Column types, allowed values and ranges are the pandera schemas of
:mod:`pcplib.data.schemas`, checked lazily one table at a time; checks that span
tables (unknown ids, periods that do not match a measure's frequency, definition
changes, recalculated SPC limits, the forward plan) follow.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pcplib.data.areas import check_areas
from pcplib.data.forward_plan import ForwardPlanError, load_forward_plan, validate_forward_plan
from pcplib.data.parameter_files import check_parameter_files
from pcplib.data.problems import (
    CELL_PROBLEM_LIMIT,
    DataValidationError,
    Problem,
    count_problems,
    problem_rows,
    report_rows,
    summarise_problems,
)
from pcplib.data.read import Folder, locate_in_workbooks, read_folder
from pcplib.data.schema_check import check_schema, rows_by_column
from pcplib.data.schemas import (
    DATASET_META,
    RECALCULATION_MIN_POINTS,
    RECALCULATION_PATTERN,
    TABLES,
    parse_recalculation_dates,
)
from pcplib.data.sense_checks import (
    NON_NEGATIVE_UNITS,
    find_control_characters,
    find_magnitude_problems,
    find_narrative_measure_problems,
    find_reserved_strategy_ids,
    find_target_problems,
)
from pcplib.data.sense_checks import report_cells as _cell_problems
from pcplib.data.sense_checks import rows_where as _rows
from pcplib.labels import month_words

__all__ = [
    "PERCENT_TOLERANCE",
    "RATE_RELATIVE_TOLERANCE",
    "check_folder",
    "validate_dataset",
    "summarise_validation",
]

# Reported values are rounded; a percentage or rate recomputed from its numerator and
# denominator may differ from the stated value by up to this much before it is a problem.
# The owners' returns are checked against the same tolerances, cell by cell.
PERCENT_TOLERANCE = 0.5
RATE_RELATIVE_TOLERANCE = 0.01


# --- cross-table checks --------------------------------------------------------------


def _start_message(obs: pd.DataFrame, text: str, frequency: str, i: int) -> str:
    """What a row's ``period_start`` should have been, for :func:`_cell_problems`."""
    return f"{text}: measure {obs.at[i, 'measure_id']} is {frequency}"


def _end_message(obs: pd.DataFrame, ends: Any, text: str, frequency: str, i: int) -> str:
    """What a row's ``period_end`` should have been, for :func:`_cell_problems`."""
    return f"{ends[i]:%Y-%m-%d}, {text} (measure {obs.at[i, 'measure_id']} is {frequency})"


def _check_unique(
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    keys: list[str],
    file: str,
    what: str,
    fold: bool = False,
) -> list[Problem]:
    """Report rows repeating an earlier row's key columns.

    With ``fold``, keys that differ only in case or spacing count as the same: two areas
    "Westshire" and "WESTSHIRE " are one place written twice, not two places.
    """
    # Keys compare as written in the file, which is also how they are reported. Found
    # column-wise first: a text key per row cost 2 million strings on a large table.
    # Every row still in the table: its own columns, rather than a copy of them.
    whole = len(frame.index) == len(raw.index) and frame.index.equals(raw.index)
    written = (raw[keys] if whole else raw.loc[frame.index, keys]).astype(str)
    if fold:
        written = written.apply(
            # NFKC too: "Café" typed (é) and pasted (e and a combining accent) look alike.
            lambda column: column.str.normalize("NFKC").str.split().str.join(" ").str.casefold(),
            axis=0,
        )
    if not written.duplicated(keep="first").any():
        return []
    # Each key numbered, and each row's first row of its key found, column-wise: a text
    # key per row and a dictionary of first rows took 3 GiB when every row was repeated.
    codes = written.groupby(keys, sort=False).ngroup().to_numpy()
    positions = np.arange(len(codes))
    first_of_code = np.full(int(codes.max()) + 1, len(codes), dtype=np.int64)
    np.minimum.at(first_of_code, codes, positions)
    first = first_of_code[codes]
    repeated = np.flatnonzero(first != positions)
    labels = written.index.to_numpy()
    # Looked up for the rows reported one by one only: a dictionary of two million
    # earlier rows was itself 200 MB.
    first_label = pd.Series(labels[first], index=labels)

    def value_of(index: int) -> str:
        return str(raw.at[index, keys[0]]) if len(keys) == 1 else " / ".join(raw.loc[index, keys])

    def expected(index: int) -> str:
        earlier = int(first_label.at[index])
        same = len(keys) > 1 or raw.at[index, keys[0]] == raw.at[earlier, keys[0]]
        how = "" if same else " but for case or spaces"
        return f"{what} (the same as row {earlier + 2}{how})"

    return report_rows(
        file,
        keys[0] if len(keys) == 1 else ", ".join(keys),
        labels[repeated],
        value_of,
        expected,
        counted_as=f"{what} (each the same as an earlier row)",
    )


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
            partial(_start_message, obs, start_text, frequency),
        )
        problems += _cell_problems(
            rows & start_ok & (end != expected_end),
            raw,
            file,
            "period_end",
            partial(_end_message, obs, expected_end, end_text, frequency),
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
    non_negative_units = unit.isin(NON_NEGATIVE_UNITS)
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
    wrong_percent = checkable & percent & (gap > PERCENT_TOLERANCE)
    wrong_rate = (
        checkable
        & (unit == "rate_per_1000")
        & (gap > np.maximum(RATE_RELATIVE_TOLERANCE * recomputed.abs(), 0.001))
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
        # Only the measures with recalculation dates, and only the columns used: a copy
        # of every observation, grouped, held 390 MB more for two million rows.
        dated = measures.loc[measures[column].astype(str).str.strip() != "", "measure_id"]
        rows = obs["measure_id"].isin(set(dated)) & (obs["definition"] == "current")
        rows &= obs["period_start"].notna()
        current_rows = obs.loc[rows, ["measure_id", "period_start", "value"]]
        current = {str(k): g for k, g in current_rows.groupby("measure_id", sort=False)}
    for i in measures.index:
        text = str(measures.at[i, column])
        if not text.strip() or not re.match(RECALCULATION_PATTERN, text):
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
    doubtful: dict[str, np.ndarray] | None = None,
) -> list[Problem]:
    """Run the checks that span tables: ids, uniqueness, periods, values, definitions.

    ``doubtful`` gives, for each table, the frame indexes of rows already reported for
    a cell; checks that would judge other rows by them are skipped, so one bad cell
    (a measure's frequency, an observation's date) is not reported again as its
    consequences elsewhere.
    """
    problems: list[Problem] = []
    doubtful = doubtful or {}
    missions, strategies = typed.get("missions"), typed.get("strategies")
    measures, obs = typed.get("measures"), typed.get("observations")
    doubtful_measures: set[str] = set()
    if measures is not None:
        doubtful_measures = set(
            measures.loc[measures.index.isin(doubtful.get("measures", ())), "measure_id"]
        )
    unique_keys = {
        "missions": (["mission_id"], "a unique mission_id"),
        "strategies": (["strategy_id"], "a unique strategy_id"),
        "measures": (["measure_id"], "a unique measure_id"),
        "commitments": (["commitment_id"], "a unique commitment_id"),
        "observations": (
            ["measure_id", "period_start", "area"],
            "one row per measure_id, period_start and area",
        ),
        "areas": (["area"], "a unique area"),
        "narrative": (
            ["strategy_id", "quarter", "section"],
            "one row per strategy_id, quarter and section",
        ),
        "risks": (["risk_id", "quarter"], "one row per risk_id and quarter"),
        "actions": (["action_id"], "a unique action_id"),
    }
    for name, (keys, what) in unique_keys.items():
        if name in typed:
            # An area's name is free text, not an id of a fixed form.
            fold = name == "areas"
            problems += _check_unique(typed[name], raw[name], keys, shown[name], what, fold)
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
        problems += find_reserved_strategy_ids(strategies, raw["strategies"], shown["strategies"])
        for name in ("measures", "commitments", "narrative", "risks", "actions", "returns_log"):
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
            unsure = measures.loc[measures["measure_id"].isin(doubtful_measures), "strategy_id"]
            problems += _cell_problems(
                ~strategies["strategy_id"].isin(headline | set(unsure)),
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
        # Rows already reported, and rows of a measure whose catalogue row was, are not
        # judged against the catalogue again.
        obs_doubtful = obs.index.isin(doubtful.get("observations", ()))
        checked_obs = obs[~obs_doubtful & ~obs["measure_id"].isin(doubtful_measures)]
        # A measure with a doubtful figure has sections of its SPC chart in doubt too.
        doubtful_measures |= set(obs.loc[obs_doubtful, "measure_id"])
        enriched = checked_obs.assign(
            _frequency=checked_obs["measure_id"].map(catalogue["frequency"]),
            _unit=checked_obs["measure_id"].map(catalogue["unit"]),
            _definition_from=checked_obs["measure_id"].map(catalogue["definition_from"]),
        )
        raw_obs = raw["observations"]
        problems += _period_problems(enriched, raw_obs, shown["observations"], today)
        problems += _value_problems(enriched, raw_obs, shown["observations"])
        problems += _definition_problems(
            enriched, raw_obs, measures, shown["observations"], shown["measures"]
        )
    if measures is not None and "commitments" in typed:
        # A commitment's measure (optional) must be one the catalogue holds.
        problems += _check_known(
            typed["commitments"], raw["commitments"], "measure_id", measures["measure_id"],
            shown["commitments"], TABLES["measures"].stem,
        )  # fmt: skip
    if measures is not None and "narrative" in typed:
        problems += find_narrative_measure_problems(
            typed["narrative"], raw["narrative"], measures, shown["narrative"]
        )
    if measures is not None and "denominator_within" in measures.columns:
        # The measure a share's denominator is part of (pcplib.data.coherence) must exist.
        problems += _check_known(
            measures, raw["measures"], "denominator_within", measures["measure_id"],
            shown["measures"], TABLES["measures"].stem,
        )  # fmt: skip
    if measures is not None:
        checked = measures[~measures["measure_id"].isin(doubtful_measures)]
        problems += _recalculation_problems(checked, raw["measures"], obs, shown["measures"])
        problems += find_target_problems(checked, raw["measures"], shown["measures"])
    return problems


# --- the data set as a whole ----------------------------------------------------------


def check_folder(
    folder: Folder, today: dt.date, progress: Callable[[str], None] | None = None
) -> list[Problem]:
    """Check what was read from a data folder and list every problem, in file order.

    Parameters
    ----------
    folder : Folder
        The data folder as read by :func:`pcplib.data.read.read_folder`.
    today : datetime.date
        The date periods must have ended by.
    progress : callable, optional
        Told each stage as it starts (``"checking each table's values"``, ...).

    Returns
    -------
    list of Problem
        ``dataset.yaml``'s problems, then each table's (reading, then its schema),
        then those spanning tables; empty when everything is valid.
    """
    tell = progress or (lambda stage: None)
    problems = list(folder.meta_problems)
    tell("checking each table's values")
    for name, found in folder.table_problems.items():
        problems += found
        table = folder.tables.get(name)
        # A table with no rows has no values to check (pandera cannot type its columns).
        if table is not None and not table.typed.empty:
            # A cell that did not parse is reported once, not again by its schema.
            unparsed = rows_by_column(table.unparsed)
            problems += check_schema(name, table.typed, table.raw, table.file, unparsed)
            spec = TABLES[name]
            typed_columns = {*spec.numbers, *spec.dates, *spec.booleans}
            text = [c for c in table.raw.columns if c not in typed_columns]
            problems += find_control_characters(table.raw, table.file, text)
            problems += find_magnitude_problems(table.typed, table.raw, table.file, spec.numbers)
    tables = folder.tables
    files = {t.file: name for name, t in tables.items()}
    marked: dict[str, list[np.ndarray]] = {name: [] for name in tables}
    for problem in problems:
        if problem.row is not None and problem.row > 1 and problem.file in files:
            # Every row a problem stands for, counted rows included.
            marked[files[problem.file]].append(problem_rows(problem) - 2)
    doubtful = {
        name: np.unique(np.concatenate(rows)) if rows else np.empty(0, dtype=np.int64)
        for name, rows in marked.items()
    }
    typed = {name: t.typed for name, t in tables.items()}
    raw = {name: t.raw for name, t in tables.items()}
    shown = {name: t.file for name, t in tables.items()}
    tell("checking the tables against each other (ids, periods, values, definitions)")
    problems += _cross_problems(typed, raw, shown, today, doubtful)
    tell("checking the areas")
    problems += check_areas(typed, raw, shown, folder.meta, (folder.root / DATASET_META).as_posix())
    return locate_in_workbooks(problems, tables)


def validate_dataset(
    path: Path | str,
    forward_plan: Path | str | None = None,
    today: dt.date | None = None,
    parameter_files: Path | str | None = None,
    declared: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
) -> list[Problem]:
    """Check the data set (and optionally the forward plan) and list every problem.

    Parameters
    ----------
    path : path-like
        The data folder.
    forward_plan : path-like, optional
        The forward plan (the data set's ``forward_plan.yaml``): its slots must name
        known strategies and every strategy must be scheduled in every financial year of the plan.
    today : datetime.date, optional
        The date periods must have ended by; ``date.today()`` when omitted.
    parameter_files : path-like, optional
        ``params/strategies``: each papermill parameters file must be a UTF-8 YAML
        mapping of text values naming only ``declared`` parameters and a known strategy.
    declared : sequence of str, optional
        The parameters the strategy report's notebook declares.
    progress : callable, optional
        Told each stage as it starts, and each large table file as it is read, so a
        large data set does not look stuck (``pcp validate`` prints them on stderr).

    Returns
    -------
    list of Problem
        Empty when everything is valid.
    """
    return _validate(path, forward_plan, today, parameter_files, declared, progress)[0]


def _validate(
    path: Path | str,
    forward_plan: Path | str | None,
    today: dt.date | None,
    parameter_files: Path | str | None,
    declared: Sequence[str],
    progress: Callable[[str], None] | None,
) -> tuple[list[Problem], Folder | None]:
    """Do :func:`validate_dataset`; also return the folder read, for the summary."""
    try:
        folder = read_folder(Path(path), progress)
    except DataValidationError as error:
        return error.problems, None
    problems = check_folder(folder, today or dt.date.today(), progress)
    if forward_plan is not None:
        try:
            plan = load_forward_plan(forward_plan)
        except ForwardPlanError as error:
            problems.append(error.problem)
        else:
            strategies = folder.tables.get("strategies")
            if strategies is not None:
                problems += validate_forward_plan(plan, list(strategies.typed["strategy_id"]))
    if parameter_files is not None and Path(parameter_files).is_dir():
        table = folder.tables.get("strategies")
        known = list(table.typed["strategy_id"]) if table is not None else []
        problems += check_parameter_files(Path(parameter_files), declared, known)
    return problems, folder


def summarise_validation(
    path: Path | str,
    forward_plan: Path | str | None = None,
    today: dt.date | None = None,
    every: bool = False,
    parameter_files: Path | str | None = None,
    declared: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
) -> tuple[bool, list[str]]:
    """Validate the data set for ``pcp validate`` and say the outcome in lines.

    The command line prints the lines (``pcplib.cli``); nothing here writes to the console.

    Parameters
    ----------
    path : path-like
        The data folder.
    forward_plan : path-like, optional
        The forward plan to check with it.
    today : datetime.date, optional
        The date periods must have ended by; ``date.today()`` when omitted.
    every : bool, default False
        List every problem; by default the fourth and later problems of one kind (same
        file, column and expected value) are counted in one line.
    parameter_files, declared : optional
        The papermill parameters files to check too (see :func:`validate_dataset`).
    progress : callable, optional
        Told each stage (see :func:`validate_dataset`).

    Returns
    -------
    tuple of (bool, list of str)
        Whether the data set is valid, and the lines to show: a short summary when it
        is, one line per problem (and the count) when it is not.
    """
    problems, folder = _validate(path, forward_plan, today, parameter_files, declared, progress)
    if problems:
        lines = summarise_problems(problems, per_kind=None if every else 3)
        total = count_problems(problems)
        hidden = (
            f" (pcp validate --all lists each one, up to {CELL_PROBLEM_LIMIT:,} a check)"
            if len(lines) < total
            else ""
        )
        return False, [
            *lines,
            f"{total:,} problem(s) found{hidden}; nothing else was checked or changed.",
        ]
    # The summary uses the tables validation read (once: a large data set takes a while)
    # rather than building a Dataset, so that this module needs nothing from
    # pcplib.data.dataset (which uses it to validate).
    assert folder is not None  # a folder that could not be read has problems
    tables = {name: table.typed for name, table in folder.tables.items()}
    obs, measures = tables["observations"], tables["measures"]
    restricted = int((measures["visibility"] == "restricted").sum())
    first, last = obs["period_start"].min(), obs["period_end"].max()
    period = f"{month_words(first)} to {month_words(last)}" if len(obs) else ""
    out = [f"Data set {Path(path).as_posix()} is valid."]
    out.append(f"  {len(tables['missions'])} missions, {len(tables['strategies'])} strategies")
    out.append(f"  {len(measures)} measures ({restricted} restricted)")
    if len(obs):
        out.append(f"  {len(obs):,} observations covering {period}")
    else:
        # A new plan is valid before its first figures: say where they come from.
        out.append(
            "  no observations yet: `pcp source police-uk` and `pcp returns load` bring them"
        )
    commitments, narrative = len(tables["commitments"]), len(tables["narrative"])
    out.append(f"  {commitments} commitments, {narrative} narrative entries")
    risks, actions, returns = (len(tables[n]) for n in ("risks", "actions", "returns_log"))
    if risks or actions or returns:
        out.append(f"  {risks} risks, {actions} actions, {returns} returns loaded")
    if "areas" in tables:
        areas = tables["areas"]
        local = int((areas["level"] == "local_authority").sum())
        force = ", ".join(areas.loc[areas["level"] == "force", "area"])
        out.append(f"  force area {force} and {local} local authorities")
    if forward_plan is not None:
        out.append(f"  forward plan {Path(forward_plan).as_posix()} is valid")
    if parameter_files is not None and Path(parameter_files).is_dir():
        count = len(list(Path(parameter_files).glob("*.yaml")))
        out.append(f"  {count} parameters file(s) in {Path(parameter_files).as_posix()} are valid")
    if bool(folder.meta.get("illustrative", False)):
        out.append(f"  {folder.meta.get('description', '')}")
    return True, out
