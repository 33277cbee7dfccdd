"""The sheets of an owners' quarterly return, read cell by cell into what it holds.

What a return holds (:class:`ReturnContent`: its figures, commitments' updates,
narrative, risks and actions) and the readers of its five sheets, each checking every
value it reads and naming the cell of any problem (:class:`ReturnProblem`). The
workbook itself (is it a return, whose, for which quarter, still in the template's
shape) is checked first by :func:`~pcplib.data.sources.returns_load.read_return`,
which calls :func:`read_sheets` only on a workbook that passed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.data.problems import quote_value
from pcplib.data.read import cell_text
from pcplib.data.schemas import (
    ACTION_STATUSES,
    COMMITMENT_STATUSES,
    MEASURE_LIST_SEPARATOR,
    OBSERVATION_STATUSES,
    RISK_SCORES,
    split_measure_list,
)
from pcplib.data.sense_checks import MAX_MAGNITUDE, describe_size
from pcplib.data.sources.returns_cells import read_shown_number
from pcplib.data.sources.returns_layout import (
    ACTION_COLUMNS,
    COMMITMENT_COLUMNS,
    MEASURE_COLUMNS,
    NARRATIVE_COLUMNS,
    RISK_COLUMNS,
    column_letter,
    list_requested_figures,
)
from pcplib.data.validate import PERCENT_TOLERANCE, RATE_RELATIVE_TOLERANCE

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from pcplib.data.dataset import Dataset

__all__ = [
    "SHEET_COLUMNS",
    "ActionEntry",
    "CellReader",
    "CommitmentUpdate",
    "Figure",
    "NarrativeEntry",
    "ReturnContent",
    "ReturnProblem",
    "RiskEntry",
    "describe_figure",
    "read_sheets",
]

SHEET_COLUMNS = {
    "Measures": MEASURE_COLUMNS,
    "Commitments": COMMITMENT_COLUMNS,
    "Narrative": NARRATIVE_COLUMNS,
    "Risks": RISK_COLUMNS,
    "Actions": ACTION_COLUMNS,
}
"""Each sheet's columns, in order, as the template lays them out."""
_NUMBER_EXPECTED = "a number typed as a number (digits, with a full stop for decimals)"


@dataclass(frozen=True)
class ReturnProblem:
    """One problem with a return, located to its workbook, sheet and cell.

    Attributes
    ----------
    workbook : str
        The workbook as named on the command line.
    place : str or None
        ``Sheet!Cell`` (such as ``Measures!E7``), a sheet, or None for the whole workbook.
    value : str or None
        The offending value as the cell holds it.
    expected : str
        What was expected instead.
    """

    workbook: str
    place: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = self.workbook if self.place is None else f"{self.workbook}, {self.place}"
        if self.value is None:
            return f"{where}: expected {self.expected}"
        return f"{where}: {quote_value(self.value)} — expected {self.expected}"


@dataclass(frozen=True)
class Figure:
    """One figure the owners supplied, with the observation row it becomes."""

    measure_id: str
    measure_name: str
    unit: str
    month: str
    covers: str
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    value: float
    numerator: float | None
    denominator: float | None
    status: str
    area: str
    source: str
    place: str


@dataclass(frozen=True)
class CommitmentUpdate:
    """What a return says about one commitment (None where a cell was left empty)."""

    commitment_id: str
    status: str | None
    activity_to_date: str | None
    next_steps: str | None
    place: str


@dataclass(frozen=True)
class NarrativeEntry:
    """One narrative section's text for the quarter, and the measures it speaks of.

    ``measures`` is the ids separated by ``"; "`` (empty when the owners named none).
    """

    section: str
    text: str
    place: str
    measures: str = ""


@dataclass(frozen=True)
class RiskEntry:
    """One risk reported for the quarter (scores None where not supplied)."""

    risk_id: str
    description: str
    likelihood: int | None
    impact: int | None
    mitigation: str
    owner: str
    place: str


@dataclass(frozen=True)
class ActionEntry:
    """One action of the board's log, as the return gives it."""

    action_id: str
    agreed_at: str
    action: str
    owner: str
    due_date: str
    status: str
    place: str


@dataclass
class ReturnContent:
    """What one return holds, checked and ready to merge.

    Attributes
    ----------
    path : Path
        The workbook.
    name : str
        Its file name, as the returns log records it.
    sha256 : str
        The SHA-256 of its bytes.
    strategy_id, quarter : str
        Whose return it is and which quarter it covers (from its identity sheet).
    figures, commitments, narrative, risks, actions : list
        What was supplied (empty cells left out).
    not_supplied : list of str
        One line per item asked for and left empty, each naming its cell.
    """

    path: Path
    name: str
    sha256: str
    strategy_id: str
    quarter: str
    figures: list[Figure] = field(default_factory=list)
    commitments: list[CommitmentUpdate] = field(default_factory=list)
    narrative: list[NarrativeEntry] = field(default_factory=list)
    risks: list[RiskEntry] = field(default_factory=list)
    actions: list[ActionEntry] = field(default_factory=list)
    not_supplied: list[str] = field(default_factory=list)


class CellReader:
    """Collects the problems found in one workbook while its cells are read."""

    def __init__(self, workbook: str) -> None:
        self.workbook = workbook
        self.problems: list[ReturnProblem] = []

    def report(self, place: str | None, value: Any, expected: str) -> None:
        """Record a problem: where, the value as the cell shows it, what was expected."""
        shown = None if value is None else (cell_text(value) if value != "" else "")
        self.problems.append(ReturnProblem(self.workbook, place, shown, expected))

    def text(self, value: Any) -> str:
        """Return a text cell's content, stripped (numbers as typed)."""
        return "" if value is None else cell_text(value).strip()

    def number(self, value: Any, place: str) -> float | None:
        """Return a number cell's value; None when empty; a problem for anything else."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            hint = ""
            if isinstance(value, str) and re.fullmatch(r"[\d\s.,%£-]+", value.strip()):
                hint = " (the cell holds text: type the figure without commas, spaces or signs)"
            self.report(place, value, _NUMBER_EXPECTED + hint)
            return None
        if not abs(float(value)) <= MAX_MAGNITUDE:  # NaN, infinite, or too large to be real
            self.report(place, value, describe_size(float(value)))
            return None
        return float(value)

    def choice(self, value: Any, allowed: Sequence[str], place: str, what: str) -> str | None:
        """Return a drop-down cell's choice in lower case; None when empty."""
        text = self.text(value).lower()
        if not text:
            return None
        if text not in allowed:
            self.report(place, value, f"the {what} chosen from the list ({', '.join(allowed)})")
            return None
        return text


def _ref(sheet: str, column: str, row: int) -> str:
    """Return a cell reference such as ``Measures!E7``."""
    return f"{sheet}!{column_letter(SHEET_COLUMNS[sheet], column)}{row}"


def _cells(ws: Worksheet, sheet: str, row: int) -> dict[str, Any]:
    """Return one data row's cells by column name."""
    return {
        c: read_shown_number(ws.cell(row=row, column=n))
        for n, c in enumerate(SHEET_COLUMNS[sheet], start=1)
    }


def _read_figures(
    ws: Worksheet, last: int, dataset: Dataset, content: ReturnContent, reader: CellReader
) -> None:
    """Read the Measures sheet: each row's value (and numerator and denominator)."""
    asked = list_requested_figures(dataset, content.strategy_id, content.quarter)
    asked = {(r["measure_id"], r["month"]): r for r in asked.to_dict("records")}
    in_return = set()
    for row in range(2, last + 1):
        cells = _cells(ws, "Measures", row)
        problems_before = len(reader.problems)
        key = (reader.text(cells["measure_id"]), reader.text(cells["month"]))
        in_return.add(key)
        figure = asked.get(key)
        value_place = _ref("Measures", "value", row)
        if figure is None:
            reader.report(
                _ref("Measures", "measure_id", row),
                key[0],
                f"a measure the data set asks {content.strategy_id}'s owners for in "
                f"{content.quarter} (framework/measures has no figure {key[0]} for {key[1]})",
            )
            continue
        value = reader.number(cells["value"], value_place)
        numerator = reader.number(cells["numerator"], _ref("Measures", "numerator", row))
        denominator = reader.number(cells["denominator"], _ref("Measures", "denominator", row))
        status = reader.choice(
            cells["status"], OBSERVATION_STATUSES, _ref("Measures", "status", row), "status"
        )
        label = f"{figure['measure_name']} ({figure['measure_id']}), {figure['covers']}"
        if not figure["asks_ratio"]:
            for column, given in (("numerator", numerator), ("denominator", denominator)):
                if given is not None:
                    reader.report(
                        _ref("Measures", column, row),
                        cells[column],
                        f"nothing: {figure['measure_id']} has no numerator and denominator "
                        "(its cells are greyed: leave them empty)",
                    )
            numerator = denominator = None
        elif (numerator is None) != (denominator is None):
            absent = "denominator" if denominator is None else "numerator"
            reader.report(
                _ref("Measures", absent, row),
                None,
                f"the {absent} too, or neither (the other is given)",
            )
            continue
        if numerator is not None and denominator is not None:
            if not _check_ratio(figure, value, numerator, denominator, row, reader):
                continue
            if value is None:
                scale = 100.0 if figure["unit"] == "percent" else 1000.0
                value = round(numerator / denominator * scale, 1)
        if len(reader.problems) > problems_before:
            continue
        if value is None:
            content.not_supplied.append(f"{value_place}: {label} — not supplied")
            continue
        if not _check_range(str(figure["unit"]), value, value_place, cells["value"], reader):
            continue
        content.figures.append(
            Figure(
                measure_id=str(figure["measure_id"]),
                measure_name=str(figure["measure_name"]),
                unit=str(figure["unit"]),
                month=key[1],
                covers=str(figure["covers"]),
                period_start=figure["period_start"],
                period_end=figure["period_end"],
                value=value,
                numerator=numerator,
                denominator=denominator,
                status=status or str(figure["status"]),
                area=str(figure["area"]),
                source=str(figure["source"]),
                place=value_place,
            )
        )
    for key, figure in asked.items():
        if key not in in_return:
            content.not_supplied.append(
                f"Measures: {figure['measure_name']} ({key[0]}), {figure['covers']} — not "
                "supplied (the data set asks for it but this return's template did not)"
            )


def _check_range(unit: str, value: float, place: str, raw: Any, reader: CellReader) -> bool:
    """Check a value against its unit's range, as the data set's validation does."""
    if unit == "percent" and not 0 <= value <= 100:
        reader.report(place, raw, "a percentage from 0 to 100")
        return False
    if unit in ("count", "rate_per_1000", "hours", "days", "score") and value < 0:
        reader.report(place, raw, f"a value of 0 or more (the measure is in {unit})")
        return False
    return True


def _check_ratio(
    figure: dict[str, Any],
    value: float | None,
    numerator: float,
    denominator: float,
    row: int,
    reader: CellReader,
) -> bool:
    """Check a numerator and denominator against each other and the value."""
    if denominator <= 0:
        reader.report(_ref("Measures", "denominator", row), denominator, "a denominator above 0")
        return False
    if numerator > denominator:
        reader.report(
            _ref("Measures", "numerator", row),
            numerator,
            f"a numerator no larger than the denominator ({cell_text(denominator)})",
        )
        return False
    if value is None:
        return True
    percent = figure["unit"] == "percent"
    recomputed = numerator / denominator * (100.0 if percent else 1000.0)
    tolerance = PERCENT_TOLERANCE if percent else max(RATE_RELATIVE_TOLERANCE * recomputed, 0.001)
    if abs(value - recomputed) > tolerance:
        reader.report(
            _ref("Measures", "value", row),
            value,
            f"numerator / denominator × {'100' if percent else '1,000'} = {recomputed:.3f} "
            "(the value disagrees with its numerator and denominator)",
        )
        return False
    return True


def _read_commitments(
    ws: Worksheet, last: int, dataset: Dataset, content: ReturnContent, reader: CellReader
) -> None:
    """Read the Commitments sheet: status, activity to date and next steps of each."""
    known = dataset.commitments[dataset.commitments["strategy_id"] == content.strategy_id]
    known = known.set_index("commitment_id")
    for row in range(2, last + 1):
        cells = _cells(ws, "Commitments", row)
        commitment_id = reader.text(cells["commitment_id"])
        if commitment_id not in known.index:
            reader.report(
                _ref("Commitments", "commitment_id", row),
                commitment_id,
                f"a commitment of {content.strategy_id} in commitments/commitments",
            )
            continue
        place = _ref("Commitments", "status", row)
        status = reader.choice(cells["status"], COMMITMENT_STATUSES, place, "status")
        activity = reader.text(cells["activity_to_date"]) or None
        next_steps = reader.text(cells["next_steps"]) or None
        for column in ("status", "activity_to_date", "next_steps"):
            if not reader.text(cells[column]):
                words = column.replace("_", " ")
                content.not_supplied.append(
                    f"{_ref('Commitments', column, row)}: {words} of {commitment_id} — not supplied"
                )
        content.commitments.append(
            CommitmentUpdate(commitment_id, status, activity, next_steps, place)
        )


def _read_narrative(
    ws: Worksheet, last: int, dataset: Dataset, content: ReturnContent, reader: CellReader
) -> None:
    """Read the Narrative sheet: the text of each section and the measures it speaks of.

    Every id in the measures cell must be a measure of the data set: public reports keep
    a section only when all the measures it names are public, so a misspelt id must not
    pass as naming nothing.
    """
    known = set(dataset.measures["measure_id"])
    for row in range(2, last + 1):
        cells = _cells(ws, "Narrative", row)
        section = reader.text(cells["section"])
        place = _ref("Narrative", "text", row)
        text = reader.text(cells["text"])
        named = split_measure_list(reader.text(cells["measures"]))
        unknown = [m for m in named if m not in known]
        if unknown:
            reader.report(
                _ref("Narrative", "measures", row),
                cells["measures"],
                f"measure ids from the Measures sheet separated by '{MEASURE_LIST_SEPARATOR}' "
                f"({', '.join(repr(m) for m in unknown)} is not one)",
            )
        if text:
            measures = f"{MEASURE_LIST_SEPARATOR} ".join(dict.fromkeys(named))
            content.narrative.append(NarrativeEntry(section, text, place, measures))
        else:
            content.not_supplied.append(f"{place}: {section} — not supplied")


def _read_risks(ws: Worksheet, last: int, content: ReturnContent, reader: CellReader) -> None:
    """Read the Risks sheet: each row with a description is a risk for the quarter."""
    for row in range(2, last + 1):
        cells = _cells(ws, "Risks", row)
        risk_id = reader.text(cells["risk_id"])
        filled = {c: cells[c] for c in RISK_COLUMNS[1:] if reader.text(cells[c])}
        if not filled:
            continue
        description = reader.text(cells["description"])
        if not description:
            reader.report(
                _ref("Risks", "description", row),
                None,
                "a description of the risk (the row has other cells filled; clear them if "
                "the risk has closed)",
            )
            continue
        scores: dict[str, int | None] = {}
        for column in ("likelihood", "impact"):
            place = _ref("Risks", column, row)
            number = reader.number(cells[column], place)
            if number is not None and number not in RISK_SCORES:
                reader.report(place, cells[column], "a whole number from 1 (lowest) to 5 (highest)")
                number = None
            scores[column] = None if number is None else int(number)
        entry = RiskEntry(
            risk_id=risk_id,
            description=description,
            likelihood=scores["likelihood"],
            impact=scores["impact"],
            mitigation=reader.text(cells["mitigation"]),
            owner=reader.text(cells["owner"]),
            place=_ref("Risks", "description", row),
        )
        for column in ("likelihood", "impact", "mitigation", "owner"):
            if not reader.text(cells[column]):
                content.not_supplied.append(
                    f"{_ref('Risks', column, row)}: {column} of risk {risk_id} — not supplied"
                )
        content.risks.append(entry)


def _read_date(value: Any, place: str, reader: CellReader) -> str:
    """Return a date cell as ``YYYY-MM-DD``; empty when empty; a problem otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m-%d}"
    text = str(value).strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        reader.report(place, value, "a date (such as 2027-03-31)")
        return ""


def _read_actions(ws: Worksheet, last: int, content: ReturnContent, reader: CellReader) -> None:
    """Read the Actions sheet: each filled row is an action of the board's log."""
    for row in range(2, last + 1):
        cells = _cells(ws, "Actions", row)
        action_id = reader.text(cells["action_id"])
        if not any(reader.text(cells[c]) for c in ACTION_COLUMNS[1:]):
            continue
        agreed_value = cells["agreed_at"]
        if isinstance(agreed_value, dt.datetime | dt.date):
            agreed_at = f"{agreed_value:%Y-%m}"
        else:
            agreed_at = reader.text(agreed_value)
        problems_before = len(reader.problems)
        if not periods.is_month_code(agreed_at):
            reader.report(
                _ref("Actions", "agreed_at", row),
                agreed_value,
                "the month of the meeting that agreed the action, written YYYY-MM",
            )
        action = reader.text(cells["action"])
        if not action:
            reader.report(_ref("Actions", "action", row), None, "the action agreed")
        due = _read_date(cells["due_date"], _ref("Actions", "due_date", row), reader)
        place = _ref("Actions", "status", row)
        status = reader.choice(cells["status"], ACTION_STATUSES, place, "status")
        if len(reader.problems) > problems_before:
            continue
        if status is None:
            content.not_supplied.append(f"{place}: status of action {action_id} — not supplied")
        content.actions.append(
            ActionEntry(
                action_id=action_id,
                agreed_at=agreed_at,
                action=action,
                owner=reader.text(cells["owner"]),
                due_date=due,
                status=status or "",
                place=place,
            )
        )


def read_sheets(
    wb: Any, last_rows: dict[str, int], dataset: Dataset, content: ReturnContent, reader: CellReader
) -> None:
    """Read the five sheets of a workbook that passed its checks into ``content``.

    Parameters
    ----------
    wb : openpyxl.Workbook
        The return, its identity and shape already checked.
    last_rows : dict
        Each sheet's last row of the template's table
        (:func:`~pcplib.data.sources.returns_load.read_return` finds them).
    dataset : Dataset
        The data set the return will be merged into: what it asks for.
    content : ReturnContent
        Filled with what was supplied and, in ``not_supplied``, what was left empty.
    reader : CellReader
        Collects every problem found, each naming its cell.
    """
    _read_figures(wb["Measures"], last_rows.get("Measures", 1), dataset, content, reader)
    _read_commitments(wb["Commitments"], last_rows.get("Commitments", 1), dataset, content, reader)
    _read_narrative(wb["Narrative"], last_rows.get("Narrative", 1), dataset, content, reader)
    _read_risks(wb["Risks"], last_rows.get("Risks", 1), content, reader)
    _read_actions(wb["Actions"], last_rows.get("Actions", 1), content, reader)


def describe_figure(figure: Figure) -> str:
    """Return a figure in words for the load summary: ``np-officers, October 2026: 372``.

    Parameters
    ----------
    figure : Figure
        A supplied figure.

    Returns
    -------
    str
        The measure id, the period and the value.
    """
    return f"{figure.measure_id}, {figure.covers}: {cell_text(figure.value)}"
