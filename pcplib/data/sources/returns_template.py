"""``pcp returns template``: the workbook a strategy's owners fill in each quarter.

One workbook per strategy and quarter (see :mod:`~pcplib.data.sources.returns_layout`
for its sheets). It is pre-filled with what the owners need to see (measure
definitions, last quarter's figures, the commitments and their current status, last
quarter's risks, the board's open actions) and leaves empty, unlocked cells for what
they supply. Drop-down lists and number rules are Excel data validation; everything
but the inputs is locked and the structure protected, without a password, so that a
SPOC cannot break the layout by accident (this is not security). A hidden sheet
carries the return's identity and a checksum of its layout, which the loader checks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.data.schemas import ACTION_STATUSES, COMMITMENT_STATUSES, OBSERVATION_STATUSES
from pcplib.data.sources.returns_layout import (
    ACTION_COLUMNS,
    BLANK_ACTION_ROWS,
    BLANK_RISK_ROWS,
    COMMITMENT_COLUMNS,
    IDENTITY_SHEET,
    MEASURE_COLUMNS,
    NARRATIVE_COLUMNS,
    RETURN_KIND,
    RETURN_NARRATIVE_SECTIONS,
    RISK_COLUMNS,
    TEMPLATE_VERSION,
    Deadline,
    column_letter,
    describe_last_quarter,
    digest_layout,
    find_deadline,
    list_requested_figures,
    quarter_slug,
)
from pcplib.labels import quarter_words

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from pcplib.data.dataset import Dataset
    from pcplib.data.forward_plan import ForwardPlan

__all__ = [
    "EXIT_DONE",
    "EXIT_INVALID",
    "EXIT_USAGE",
    "build_return_workbook",
    "default_template_path",
    "run_returns_template",
    "write_return_template",
]

EXIT_DONE, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
_HEADER_FILL = "1F4E79"
_INPUT_FILL = "FFF2CC"
_UNUSED_FILL = "D9D9D9"
# Widths (characters) of columns that hold sentences; others fit their header.
_WIDE = {
    "measure_name": 40, "covers": 24, "last_quarter": 48, "source": 32, "definition": 60,
    "commitment": 50, "owner": 30, "activity_to_date": 60, "next_steps": 45, "text": 80,
    "description": 50, "mitigation": 50, "action": 50, "measures": 36,
}  # fmt: skip
_SECTION_HELP = {
    "progress": "Progress in the quarter: what was done towards the strategy's objective",
    "successes": "Successes: what went well, with figures where you have them",
    "challenges": "Challenges: what is getting in the way, and what is being done about it",
}


class _Sheet:
    """A data sheet being written: header in row 1, rows below, and its layout cells."""

    def __init__(self, workbook: Workbook, title: str, columns: Sequence[str]) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.ws: Worksheet = workbook.create_sheet(title)
        self.title = title
        self.columns = tuple(columns)
        self.layout: list[tuple[str, str, str]] = []
        self.row = 1
        fill = PatternFill("solid", fgColor=_HEADER_FILL)
        for n, column in enumerate(self.columns, start=1):
            cell = self.ws.cell(row=1, column=n, value=column)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = fill
            cell.alignment = Alignment(vertical="top")
            self.layout.append((title, cell.coordinate, column))
            letter = column_letter(self.columns, column)
            self.ws.column_dimensions[letter].width = _WIDE.get(column, max(12, len(column) + 2))
        self.ws.freeze_panes = "B2"

    def add_row(
        self,
        values: dict[str, Any],
        inputs: Sequence[str],
        keys: Sequence[str],
        text: Sequence[str],
    ) -> int:
        """Write one row: ``inputs`` unlocked and shaded, ``keys`` recorded in the layout."""
        from openpyxl.styles import Alignment, PatternFill, Protection

        self.row += 1
        shade = PatternFill("solid", fgColor=_INPUT_FILL)
        for n, column in enumerate(self.columns, start=1):
            value = values.get(column)
            cell = self.ws.cell(row=self.row, column=n, value=None if value == "" else value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column in text:
                # Typed as text, so "2026-11" stays a month rather than becoming a date.
                cell.number_format = "@"
            if column in inputs:
                cell.protection = Protection(locked=False)
                cell.fill = shade
            if column in keys:
                self.layout.append(
                    (self.title, cell.coordinate, "" if value is None else str(value))
                )
        return self.row

    def grey(self, column: str, row: int) -> None:
        """Shade a cell that does not apply to its row (it stays locked)."""
        from openpyxl.styles import PatternFill

        self.ws[f"{column_letter(self.columns, column)}{row}"].fill = PatternFill(
            "solid", fgColor=_UNUSED_FILL
        )

    def validate(self, column: str, first: int, last: int, rule: Any) -> None:
        """Apply a data validation rule to a column's rows ``first`` to ``last``."""
        if last < first:
            return
        letter = column_letter(self.columns, column)
        self.ws.add_data_validation(rule)
        rule.add(f"{letter}{first}:{letter}{last}")

    def protect(self) -> None:
        """Lock everything but the inputs; columns and rows may still be resized."""
        protection = self.ws.protection
        protection.sheet = True
        protection.formatColumns = False
        protection.formatRows = False


def _rule(kind: str, message: str, **options: Any) -> Any:
    """Return an Excel data validation rule that stops bad input with ``message``."""
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(
        type=kind,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
        errorTitle="Not allowed here",
        error=message,
        promptTitle="What goes here",
        prompt=message,
        **options,
    )


def _choice(values: Sequence[str], what: str) -> Any:
    listed = ",".join(values)
    return _rule(
        "list", f"Choose the {what} from the list: {', '.join(values)}.", formula1=f'"{listed}"'
    )


def _value_rule(unit: str) -> Any:
    """The number rule for a measure's value: a percentage, a non-negative number or any."""
    if unit == "percent":
        return _rule(
            "decimal", "A percentage from 0 to 100, as a number.", operator="between",
            formula1="0", formula2="100",
        )  # fmt: skip
    if unit == "gbp":
        return _rule(
            "decimal", "An amount in pounds, as a number (no £ sign or commas).",
            operator="between", formula1="-1000000000000", formula2="1000000000000",
        )  # fmt: skip
    return _rule(
        "decimal", "A number of 0 or more (no commas or text).", operator="greaterThanOrEqual",
        formula1="0",
    )  # fmt: skip


def _write_instructions(
    wb: Workbook, dataset: Dataset, strategy_id: str, quarter: str, deadline: Deadline
) -> None:
    """Write the first sheet: who fills what, by when, and the rules that keep it loadable."""
    from openpyxl.styles import Alignment, Font

    ws = wb.active
    ws.title = "Instructions"
    strategy = dataset.strategy(strategy_id)
    ws["A1"] = f"Quarterly return: {strategy['strategy_name']}, {quarter}"
    ws["A1"].font = Font(bold=True, size=14)
    # Whose plan this is, as the reports' organisation line says it (dataset.yaml).
    ws["A2"] = dataset.identity.organisation
    board = dataset.identity.board_name
    facts = [
        ("Plan", dataset.identity.plan_name),
        ("Strategy", f"{strategy['strategy_name']} ({strategy_id})"),
        ("Quarter", f"{quarter}: {quarter_words(quarter)}"),
        ("Return by", deadline.wording),
        ("Force senior owner", strategy["force_senior_owner"]),
        ("Force SPOC", strategy["force_spoc"]),
        ("OPCC senior owner", strategy["opcc_senior_owner"]),
        ("OPCC SPOC", strategy["opcc_spoc"]),
        ("Send it to", f"The OPCC SPOC ({strategy['opcc_spoc']}), who loads it into the data set."),
    ]
    guidance = [
        ("Who fills what", "The Force SPOC supplies the figures from Force systems and the "
         "Force's activity, risks and challenges; the OPCC SPOC those from OPCC sources and "
         "commissioned services. Agree between you who completes the narrative."),
        ("Measures", "One row per measure and month (or quarter). Type each figure as a plain "
         "number in the value column; where a row's numerator and denominator cells are "
         "open (not greyed), give them too, and leave greyed cells empty. Last quarter's "
         "figures are shown for comparison. Mark a figure provisional if it may still "
         "change."),
        ("Commitments", "For each commitment choose its status from the list, say what has "
         "been done so far (activity to date) and what comes next (next steps)."),
        ("Narrative", "Progress, successes and challenges in the quarter, in plain text. In "
         "the measures column, list the ids of the measures each text speaks of (from the "
         "Measures sheet), separated by ';': a text about a restricted measure is never "
         "published."),
        ("Risks", "Risks to delivery: a description, likelihood and impact from 1 (lowest) to "
         "5 (highest), the mitigation and its owner. Last quarter's risks are filled in: "
         "update them, or clear a row whose risk has closed; add new risks in the empty rows."),
        ("Actions", f"Update the status of each action the {board} agreed. The OPCC adds "
         "actions agreed at its last meeting in the empty rows (month of the meeting as "
         "YYYY-MM)."),
        ("Rules", "Fill in only the shaded cells. Leave a cell empty when you do not have the "
         "figure: it is recorded as not supplied, never as zero. Do not add, delete, move or "
         "rename rows, columns or sheets: a workbook changed out of shape is refused whole, "
         "and the loader names every cell it cannot accept."),
    ]  # fmt: skip
    row = 4
    for label, text in [*facts, ("", ""), *guidance]:
        ws.cell(row=row, column=1, value=label or None).font = Font(bold=True)
        cell = ws.cell(row=row, column=2, value=str(text) or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    ws.protection.sheet = True


def _write_measures(wb: Workbook, dataset: Dataset, strategy_id: str, quarter: str) -> _Sheet:
    sheet = _Sheet(wb, "Measures", MEASURE_COLUMNS)
    asked = list_requested_figures(dataset, strategy_id, quarter)
    obs = dataset.observations.set_index(["measure_id", "period_start", "area"]).sort_index()
    first = sheet.row + 1
    value_rules: dict[str, Any] = {}
    for figure in asked.to_dict("records"):
        key = (figure["measure_id"], figure["period_start"], figure["area"])
        held = obs.loc[key] if key in obs.index else None
        if isinstance(held, pd.DataFrame):
            held = held.iloc[-1]
        inputs = ["value", "status"] + (
            ["numerator", "denominator"] if figure["asks_ratio"] else []
        )

        def known(column: str, held: Any = held) -> Any:
            # A figure already in the data set is shown, so a second return for the same
            # quarter only has to fill the gaps.
            if held is None or pd.isna(held[column]):
                return None
            return float(held[column])

        row = sheet.add_row(
            {
                "measure_id": figure["measure_id"],
                "measure_name": figure["measure_name"],
                "month": figure["month"],
                "unit": figure["unit"],
                "value": known("value"),
                "numerator": known("numerator") if figure["asks_ratio"] else None,
                "denominator": known("denominator") if figure["asks_ratio"] else None,
                "status": held["status"] if held is not None else figure["status"],
                "covers": figure["covers"],
                "last_quarter": describe_last_quarter(dataset, figure["measure_id"], quarter),
                "source": figure["source"],
                "definition": figure["definition"],
            },
            inputs=inputs,
            keys=("measure_id", "month"),
            text=("month",),
        )
        unit = str(figure["unit"])
        if unit not in value_rules:
            # One rule per unit, covering every row in that unit.
            value_rules[unit] = _value_rule(unit)
            sheet.ws.add_data_validation(value_rules[unit])
        value_rules[unit].add(f"{column_letter(MEASURE_COLUMNS, 'value')}{row}")
        if not figure["asks_ratio"]:
            sheet.grey("numerator", row)
            sheet.grey("denominator", row)
    last = sheet.row
    sheet.validate("status", first, last, _choice(OBSERVATION_STATUSES, "status of the figure"))
    count = _rule("decimal", "A count of 0 or more.", operator="greaterThanOrEqual", formula1="0")
    sheet.validate("numerator", first, last, count)
    base = _rule("decimal", "A count above 0.", operator="greaterThan", formula1="0")
    sheet.validate("denominator", first, last, base)
    return sheet


def _write_commitments(wb: Workbook, dataset: Dataset, strategy_id: str) -> _Sheet:
    sheet = _Sheet(wb, "Commitments", COMMITMENT_COLUMNS)
    commitments = dataset.commitments[dataset.commitments["strategy_id"] == strategy_id]
    for c in commitments.to_dict("records"):
        sheet.add_row(
            {
                "commitment_id": c["commitment_id"],
                "commitment": c["commitment"],
                "due_date": f"{c['due_date']:%Y-%m-%d}" if pd.notna(c["due_date"]) else "",
                "owner": c["owner"],
                "status": c["status"],
                "activity_to_date": c.get("activity_to_date", ""),
                "next_steps": c.get("next_steps", ""),
            },
            inputs=("status", "activity_to_date", "next_steps"),
            keys=("commitment_id",),
            text=("due_date",),
        )
    sheet.validate("status", 2, sheet.row, _choice(COMMITMENT_STATUSES, "commitment's status"))
    return sheet


def _write_narrative(wb: Workbook, dataset: Dataset, strategy_id: str, quarter: str) -> _Sheet:
    sheet = _Sheet(wb, "Narrative", NARRATIVE_COLUMNS)
    narrative = dataset.narrative[dataset.narrative["strategy_id"] == strategy_id]
    previous = periods.shift_quarter(quarter, -1)

    def text_of(q: str, section: str, column: str = "text") -> str:
        rows = narrative[(narrative["quarter"] == q) & (narrative["section"] == section)]
        if rows.empty or column not in rows.columns:
            return ""
        return str(rows[column].iloc[-1])

    for section in RETURN_NARRATIVE_SECTIONS:
        row = sheet.add_row(
            {
                "section": section,
                "guidance": _SECTION_HELP[section],
                "text": text_of(quarter, section),
                "last_quarter": text_of(previous, section) or f"nothing for {previous}",
                "measures": text_of(quarter, section, "measures"),
            },
            inputs=("text", "measures"),
            keys=("section",),
            text=(),
        )
        sheet.ws.row_dimensions[row].height = 90
    return sheet


def _write_risks(wb: Workbook, dataset: Dataset, strategy_id: str, quarter: str) -> _Sheet:
    sheet = _Sheet(wb, "Risks", RISK_COLUMNS)
    risks = dataset.risks[dataset.risks["strategy_id"] == strategy_id]
    # This quarter's risks if a return was loaded already, else last quarter's to update.
    current = risks[risks["quarter"] == quarter]
    if current.empty:
        earlier = risks[risks["quarter"] < quarter]
        latest = earlier["quarter"].max() if not earlier.empty else None
        current = earlier[earlier["quarter"] == latest]
    inputs = ("description", "likelihood", "impact", "mitigation", "owner")
    for r in current.to_dict("records"):
        sheet.add_row(
            {
                **{c: r[c] for c in RISK_COLUMNS if c not in ("likelihood", "impact")},
                "likelihood": None if pd.isna(r["likelihood"]) else int(r["likelihood"]),
                "impact": None if pd.isna(r["impact"]) else int(r["impact"]),
            },
            inputs=inputs,
            keys=("risk_id",),
            text=(),
        )
    for risk_id in _next_ids(risks["risk_id"], f"{strategy_id}-r", BLANK_RISK_ROWS):
        sheet.add_row({"risk_id": risk_id}, inputs=inputs, keys=("risk_id",), text=())
    score = _rule("whole", "A whole number from 1 (lowest) to 5 (highest).", operator="between",
                  formula1="1", formula2="5")  # fmt: skip
    sheet.validate("likelihood", 2, sheet.row, score)
    sheet.validate("impact", 2, sheet.row, score)
    return sheet


def _write_actions(wb: Workbook, dataset: Dataset, strategy_id: str) -> _Sheet:
    sheet = _Sheet(wb, "Actions", ACTION_COLUMNS)
    actions = dataset.actions[dataset.actions["strategy_id"] == strategy_id]
    # Every action still open, and all those the last meeting agreed, whatever their status.
    last_meeting = actions["agreed_at"].max() if not actions.empty else None
    shown = actions[
        actions["status"].isin(["open", "in progress"]) | (actions["agreed_at"] == last_meeting)
    ]
    for a in shown.to_dict("records"):
        sheet.add_row(
            {
                "action_id": a["action_id"],
                "agreed_at": a["agreed_at"],
                "action": a["action"],
                "owner": a["owner"],
                "due_date": f"{a['due_date']:%Y-%m-%d}" if pd.notna(a["due_date"]) else "",
                "status": a["status"],
            },
            inputs=("status",),
            keys=("action_id",),
            text=("agreed_at", "due_date"),
        )
    new_inputs = ("agreed_at", "action", "owner", "due_date", "status")
    for action_id in _next_ids(actions["action_id"], f"{strategy_id}-a", BLANK_ACTION_ROWS):
        sheet.add_row(
            {"action_id": action_id}, inputs=new_inputs, keys=("action_id",), text=("agreed_at",)
        )
    sheet.validate("status", 2, sheet.row, _choice(ACTION_STATUSES, "action's status"))
    first_new = sheet.row - BLANK_ACTION_ROWS + 1
    sheet.validate(
        "due_date", first_new, sheet.row,
        _rule("date", "A date (such as 31/03/2027).", operator="greaterThan", formula1="36526"),
    )  # fmt: skip
    return sheet


def _next_ids(existing: pd.Series, prefix: str, count: int) -> list[str]:
    """Return ``count`` ids ``<prefix>NN`` numbered after the highest one in use."""
    numbers = [
        int(text[len(prefix) :])
        for text in existing.astype(str)
        if text.startswith(prefix) and text[len(prefix) :].isdigit()
    ]
    start = max(numbers, default=0) + 1
    return [f"{prefix}{n:02d}" for n in range(start, start + count)]


def _write_identity(
    wb: Workbook, identity: dict[str, str], layout: list[tuple[str, str, str]]
) -> None:
    """Write the hidden sheet: the return's identity, then every layout cell."""
    ws = wb.create_sheet(IDENTITY_SHEET)
    ws.append(["key", "value"])
    for key, value in identity.items():
        ws.append([key, value])
    ws.append([])
    ws.append(["sheet", "cell", "text"])
    for entry in layout:
        ws.append(list(entry))
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def keep_text_as_text(workbook: Any) -> None:
    """Store every cell whose text begins with ``=`` as text, never as a formula.

    openpyxl writes any string that begins with ``=`` as a formula, so a commitment or
    measure name such as ``=WEBSERVICE(...)`` would run when the owner opens the return.
    The template builds no formula of its own, so every such cell came from input text.

    Parameters
    ----------
    workbook : openpyxl.Workbook
        The workbook, changed in place.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def build_return_workbook(
    dataset: Dataset,
    strategy_id: str,
    quarter: str,
    *,
    plan: ForwardPlan | None = None,
    generated_at: str | None = None,
) -> Workbook:
    """Build a strategy's quarterly return workbook.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    quarter : str
        The quarter the return covers, written like ``"2026/27 Q3"``.
    plan : ForwardPlan, optional
        The forward plan, for the deadline; without it the instructions say to agree one.
    generated_at : str, optional
        When the template was made (ISO-8601, UTC); now when omitted.

    Returns
    -------
    openpyxl.Workbook
        Sheets Instructions, Measures, Commitments, Narrative, Risks and Actions, and the
        hidden identity sheet; protected, with unlocked inputs.

    Raises
    ------
    ValueError
        If the strategy or the quarter is not known.
    """
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    dataset.strategy(strategy_id)
    periods.parse_quarter(quarter)
    generated_at = generated_at or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    wb = Workbook()
    _write_instructions(
        wb,
        dataset,
        strategy_id,
        quarter,
        find_deadline(plan, strategy_id, quarter, dataset.identity.board_name),
    )
    sheets = [
        _write_measures(wb, dataset, strategy_id, quarter),
        _write_commitments(wb, dataset, strategy_id),
        _write_narrative(wb, dataset, strategy_id, quarter),
        _write_risks(wb, dataset, strategy_id, quarter),
        _write_actions(wb, dataset, strategy_id),
    ]
    layout = [entry for sheet in sheets for entry in sheet.layout]
    for sheet in sheets:
        sheet.protect()
    identity = {
        "kind": RETURN_KIND,
        "template_version": TEMPLATE_VERSION,
        "strategy_id": strategy_id,
        "quarter": quarter,
        "generated_at": generated_at,
        "data_set": dataset.description,
    }
    identity["layout_sha256"] = digest_layout(identity, layout)
    _write_identity(wb, identity, layout)
    wb.security = WorkbookProtection(lockStructure=True)
    keep_text_as_text(wb)
    return wb


def write_return_template(
    dataset: Dataset,
    strategy_id: str,
    quarter: str,
    out: Path | str,
    *,
    plan: ForwardPlan | None = None,
    generated_at: str | None = None,
) -> Path:
    """Write a strategy's return template to ``out``, never over an existing file.

    Parameters
    ----------
    dataset, strategy_id, quarter, plan, generated_at
        As for :func:`build_return_workbook`.
    out : path-like
        The ``.xlsx`` file to write; its folder is created if needed.

    Returns
    -------
    Path
        ``out``.

    Raises
    ------
    FileExistsError
        If ``out`` exists (it may be a return already filled in).
    """
    path = Path(out)
    if path.exists():
        raise FileExistsError(f"{path.as_posix()} exists; remove it or choose another --out")
    workbook = build_return_workbook(
        dataset, strategy_id, quarter, plan=plan, generated_at=generated_at
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so an interrupted run leaves no half file.
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=path.parent, prefix=".template-")
    os.close(handle)
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def default_template_path(strategy_id: str, quarter: str, folder: Path | None = None) -> Path:
    """Return where a template is written by default: ``outputs/returns/<quarter>/``.

    Parameters
    ----------
    strategy_id : str
        The strategy.
    quarter : str
        The quarter, written like ``"2026/27 Q3"``.
    folder : Path, optional
        The folder instead of ``outputs/returns/<quarter>``.

    Returns
    -------
    Path
        Such as ``outputs/returns/2026-27-Q3/return-vawg-2026-27-Q3.xlsx``.
    """
    slug = quarter_slug(quarter)
    folder = folder if folder is not None else Path("outputs") / "returns" / slug
    return folder / f"return-{strategy_id}-{slug}.xlsx"


def run_returns_template(args: argparse.Namespace) -> int:
    """Handle ``pcp returns template``: write one workbook per strategy asked for.

    Parameters
    ----------
    args : argparse.Namespace
        ``strategy`` (ids) or ``all``; ``quarter``; ``slot`` (for ``--all``); ``out``;
        ``data``; ``forward_plan``; ``today`` (testing aid).

    Returns
    -------
    int
        0 when every workbook was written; 1 when the data set is invalid; 2 for a
        usage error (unknown strategy, bad quarter, an existing file, no slot).
    """
    from pcplib.data.dataset import load_dataset
    from pcplib.data.forward_plan import load_forward_plan, resolve_slot
    from pcplib.data.problems import DataValidationError

    try:
        today = dt.date.fromisoformat(args.today) if args.today else None
    except ValueError:
        print(f"--today {args.today!r}: expected a date YYYY-MM-DD")
        return EXIT_USAGE
    try:
        dataset = load_dataset(args.data, today=today)
    except DataValidationError as error:
        print(error)
        return EXIT_INVALID
    try:
        plan = load_forward_plan(args.forward_plan)
    except (OSError, ValueError) as error:
        print(f"Cannot read the forward plan: {error}")
        return EXIT_USAGE
    quarter = args.quarter
    if args.all:
        try:
            slot = resolve_slot(plan, args.slot or "next", today=today)
        except ValueError as error:
            # A plan whose meetings are all past (or not yet entered) can still have returns.
            print(f"{error}; name one with --slot, or use --strategy and --quarter")
            return EXIT_USAGE
        strategies = list(slot.strategies)
        quarter = quarter or periods.label_quarter(periods.parse_month(slot.period_end))
        print(f"Slot {slot.slot}: {', '.join(strategies)}; returns for {quarter}")
    else:
        strategies = list(args.strategy)
        if not quarter:
            print('--quarter is required with --strategy, written like "2026/27 Q3"')
            return EXIT_USAGE
    try:
        periods.parse_quarter(quarter)
    except ValueError as error:
        print(f"--quarter: {error}")
        return EXIT_USAGE
    known = set(dataset.strategies["strategy_id"])
    unknown = [s for s in strategies if s not in known]
    if unknown:
        print(f"unknown strategy {unknown[0]!r}: expected one of {', '.join(sorted(known))}")
        return EXIT_USAGE
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() == ".xlsx" and len(strategies) > 1:
        print("--out names one .xlsx file; with several strategies give a folder")
        return EXIT_USAGE
    targets = [
        out if out is not None and out.suffix.lower() == ".xlsx"
        else default_template_path(s, quarter, out)
        for s in strategies
    ]  # fmt: skip
    existing = [t for t in targets if t.exists() or t.is_symlink()]
    if existing:
        print(f"{existing[0].as_posix()} exists; remove it or choose another --out")
        return EXIT_USAGE
    for target in targets:
        blocked = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
        if blocked is not None:
            print(f"--out {target.as_posix()}: {blocked.as_posix()} is a file; expected a folder")
            return EXIT_USAGE
    for strategy_id, target in zip(strategies, targets, strict=True):
        try:
            write_return_template(dataset, strategy_id, quarter, target, plan=plan)
        except OSError as error:
            where = error.filename or target.as_posix()
            print(f"cannot write {where}: {error.strerror or error}; nothing half written is left")
            return EXIT_INVALID
        print(f"wrote {target.as_posix()}")
    return EXIT_DONE
