"""Values that must make sense: targets for their unit, and narrative entries' measures.

Checks of :func:`pcplib.data.validate.check_folder` that judge a value against what it
means rather than its form: a target of 150 on a percentage, a negative target on a
count, a target on a measure with no good direction, and a narrative entry naming a
measure the framework does not have (public reports keep an entry only when every
measure it names is public, so a misspelt id must not pass).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from pcplib.data.problems import Problem, report_rows
from pcplib.data.schemas import MEASURE_LIST_SEPARATOR, TABLES, split_measure_list

__all__ = [
    "NON_NEGATIVE_UNITS",
    "MAX_MAGNITUDE",
    "RESERVED_REPORT_NAMES",
    "TOO_LARGE_EXPECTED",
    "describe_control_character",
    "describe_size",
    "find_reserved_strategy_ids",
    "find_control_characters",
    "find_magnitude_problems",
    "find_narrative_measure_problems",
    "find_target_problems",
    "report_cells",
    "rows_where",
]


def rows_where(mask: pd.Series) -> list[int]:
    """Return the frame indexes where ``mask`` is true.

    Parameters
    ----------
    mask : pandas.Series
        A boolean mask (missing values count as false).

    Returns
    -------
    list of int
        The indexes, in order.
    """
    return [int(i) for i in mask[mask.fillna(False).astype(bool)].index]


def report_cells(
    mask: pd.Series, raw: pd.DataFrame, file: str, column: str, expected: Callable[[int], str]
) -> list[Problem]:
    """Report the cell of ``column`` in each row where ``mask`` is true.

    Parameters
    ----------
    mask : pandas.Series
        The rows at fault.
    raw : pandas.DataFrame
        The table as written (the value quoted).
    file : str
        The file as problems name it.
    column : str
        The column at fault.
    expected : callable
        Gives, for a frame index, what the cell should have held.

    Returns
    -------
    list of Problem
        One per row, numbered as a spreadsheet numbers it, up to
        :data:`~pcplib.data.problems.CELL_PROBLEM_LIMIT`; the rest counted.
    """
    rows = mask.index[mask.fillna(False).astype(bool).to_numpy()]
    return report_rows(file, column, rows, raw[column].__getitem__, expected)


NON_NEGATIVE_UNITS = ("count", "rate_per_1000", "hours", "days", "score", "kwh", "tonnes")
"""Units whose values, and so whose targets, cannot be below zero."""


def find_target_problems(measures: pd.DataFrame, raw: pd.DataFrame, file: str) -> list[Problem]:
    """Check each target makes sense for its measure's unit and good direction.

    A target of 150 on a percentage was judged ("expected 123.12% by now", Red), a
    negative target on a count printed "target missed (-300)", and a target on a measure
    with no good direction was ignored but still written to ``judgements.csv``.

    Parameters
    ----------
    measures : pandas.DataFrame
        The typed measures table.
    raw : pandas.DataFrame
        The table as written.
    file : str
        The file as problems name it.

    Returns
    -------
    list of Problem
        One per target that cannot make sense.
    """
    problems: list[Problem] = []
    target, unit = measures["target"], measures["unit"]
    has = target.notna()
    problems += report_cells(
        has & (unit == "percent") & ((target < 0) | (target > 100)),
        raw,
        file,
        "target",
        lambda i: (
            f"a target between 0 and 100 (measure {measures.at[i, 'measure_id']} is in percent)"
        ),
    )
    problems += report_cells(
        has & unit.isin(NON_NEGATIVE_UNITS) & (target < 0),
        raw,
        file,
        "target",
        lambda i: f"a target of 0 or more (measure {measures.at[i, 'measure_id']} is in {unit[i]})",
    )
    problems += report_cells(
        has & (measures["good_direction"] == "neutral"),
        raw,
        file,
        "target",
        lambda i: (
            f"no target: measure {measures.at[i, 'measure_id']} has good_direction neutral, "
            "so it cannot be met or missed (give it a direction, or leave target empty)"
        ),
    )
    return problems


def find_narrative_measure_problems(
    narrative: pd.DataFrame, raw: pd.DataFrame, measures: pd.DataFrame, file: str
) -> list[Problem]:
    """Check each narrative entry's ``measures`` cell names measures of the framework.

    A public report keeps an entry only when every measure it names is public, so a
    misspelt id would otherwise leave an entry about a restricted measure unlabelled.

    Parameters
    ----------
    narrative : pandas.DataFrame
        The typed narrative table.
    raw : pandas.DataFrame
        The table as written.
    measures : pandas.DataFrame
        The typed measures table.
    file : str
        The narrative file as problems name it.

    Returns
    -------
    list of Problem
        One per entry naming an id the framework lacks.
    """
    if "measures" not in narrative.columns:
        return []
    known = set(measures["measure_id"])
    problems = []
    for index in narrative.index:
        unknown = [m for m in split_measure_list(narrative.at[index, "measures"]) if m not in known]
        if unknown:
            problems.append(
                Problem(
                    file,
                    int(index) + 2,
                    "measures",
                    raw.at[index, "measures"],
                    f"measure ids of {TABLES['measures'].stem} separated by "
                    f"'{MEASURE_LIST_SEPARATOR}' ({', '.join(repr(m) for m in unknown)} "
                    "is not one)",
                )
            )
    return problems


# Characters no cell of a table needs, that change what a reader sees: C0 controls other
# than tab and line breaks (a terminal's escape sequences among them), and Unicode's
# direction overrides, embeddings and isolates ("Trojan Source": text displayed in another
# order than it is stored, so a name reads as one thing and matches as another).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def find_control_characters(raw: pd.DataFrame, file: str, columns: Sequence[str]) -> list[Problem]:
    """Report text cells holding control or text-direction characters.

    Each distinct text is searched once, so a column of two million cells costs the
    search of its few hundred values.

    Parameters
    ----------
    raw : pandas.DataFrame
        A table as written.
    file : str
        Its file, as problems name it.
    columns : sequence of str
        Its text columns.

    Returns
    -------
    list of Problem
        One per cell, naming the first such character by its code and Unicode name.
    """
    problems = []
    for column in columns:
        if column not in raw.columns:
            continue
        codes, distinct = pd.factorize(raw[column])
        found = {i: _CONTROL.search(str(text)) for i, text in enumerate(distinct)}
        bad = {i: match.group() for i, match in found.items() if match is not None}
        if not bad:
            continue
        rows = np.flatnonzero(np.isin(codes, list(bad)))

        def expected(index: int, codes: np.ndarray = codes, bad: dict[int, str] = bad) -> str:
            return _control_expected(bad[int(codes[raw.index.get_loc(index)])])

        problems += report_rows(file, column, raw.index[rows], raw[column].__getitem__, expected)
    return problems


def describe_control_character(text: str) -> str | None:
    """Say what a text with a control or text-direction character should have been.

    Parameters
    ----------
    text : str
        A cell's text.

    Returns
    -------
    str or None
        The "expected" part of a problem naming the first such character by its code
        and Unicode name; ``None`` when the text has none (line breaks and tabs are fine).
    """
    match = _CONTROL.search(text)
    return None if match is None else _control_expected(match.group())


def _control_expected(char: str) -> str:
    """The "expected" words for a text holding ``char``."""
    name = unicodedata.name(char, "a control character")
    return (
        f"text without control or direction characters (U+{ord(char):04X} "
        f"{name} changes what is shown: retype the text)"
    )


RESERVED_REPORT_NAMES = (
    "index",
    "plan-overview",
    "delivery-board",
    "public-quarterly",
    "public-quarterly-about",
    "annual-evaluation",
)
"""The names of a run's own pages (``index.html``) and of its reports that are not a
strategy's: a strategy's report is ``<strategy_id>.html`` beside them, so a strategy
with one of these ids would overwrite one of them, or be overwritten, without a word.
``tests`` check that every report the runner names is listed here."""


def find_reserved_strategy_ids(
    strategies: pd.DataFrame, raw: pd.DataFrame, file: str
) -> list[Problem]:
    """Report strategy ids that are the name of another page of a run.

    Parameters
    ----------
    strategies : pandas.DataFrame
        The strategies table.
    raw : pandas.DataFrame
        The same table as written.
    file : str
        Its file, as problems name it.

    Returns
    -------
    list of Problem
        One per strategy whose id is in :data:`RESERVED_REPORT_NAMES`.
    """
    return report_cells(
        strategies["strategy_id"].isin(RESERVED_REPORT_NAMES),
        raw,
        file,
        "strategy_id",
        lambda _: (
            "a strategy_id that is not the name of another page of a run ("
            + ", ".join(RESERVED_REPORT_NAMES)
            + "): its report would overwrite that page, or be overwritten by it"
        ),
    )


MAX_MAGNITUDE = 1e12
"""The largest size of any number in a table (a trillion: far above any force's budget in
pounds or any count); 1e308 passed validation and then ended a report in an
``OverflowError`` traceback."""

TOO_LARGE_EXPECTED = (
    f"a number no larger than {MAX_MAGNITUDE:,.0f} in size (no figure is this large)"
)
"""What a cell above :data:`MAX_MAGNITUDE` should have held."""


def describe_size(value: float) -> str:
    """Say what a number that is not finite, or too large to be real, should have been.

    A return's figure is checked as it is read, so the owner is told its cell rather
    than the row of the data set's merged copy.

    Parameters
    ----------
    value : float
        A number that is not finite or is above :data:`MAX_MAGNITUDE` in size.

    Returns
    -------
    str
        "a finite number", or :data:`TOO_LARGE_EXPECTED`.
    """
    return TOO_LARGE_EXPECTED if math.isfinite(value) else "a finite number"


def find_magnitude_problems(
    typed: pd.DataFrame, raw: pd.DataFrame, file: str, columns: Sequence[str]
) -> list[Problem]:
    """Report numbers too large (or too far below zero) to be a real figure.

    Parameters
    ----------
    typed : pandas.DataFrame
        A table with its number columns parsed.
    raw : pandas.DataFrame
        The same table as written.
    file : str
        Its file, as problems name it.
    columns : sequence of str
        Its number columns.

    Returns
    -------
    list of Problem
        One per cell whose size is above :data:`MAX_MAGNITUDE`.
    """
    problems = []
    for column in columns:
        if column not in typed.columns:
            continue
        values = pd.to_numeric(typed[column], errors="coerce")
        problems += report_cells(
            values.abs() > MAX_MAGNITUDE,
            raw,
            file,
            column,
            lambda _: TOO_LARGE_EXPECTED,
        )
    return problems
