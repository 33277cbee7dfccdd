"""Tests of the owners' quarterly returns: the template, loading, merging and the report.

The round trip is the one a SPOC and an analyst make: ``pcp returns template`` writes
a workbook, the SPOC fills it in (here with openpyxl, finding columns by their header
names), ``pcp returns load`` checks it and merges it, and the report shows it. The
sample's neighbourhood-policing figures for July to September 2026 are removed from a
copy of the data set first, so the return has new figures to bring.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pandas as pd
import pytest

from pcplib import cli, report
from pcplib.data import load_dataset, validate_dataset
from pcplib.data.forward_plan import load_forward_plan
from pcplib.data.sources.returns_layout import (
    IDENTITY_SHEET,
    digest_layout,
    find_deadline,
    list_requested_figures,
)
from pcplib.data.sources.returns_merge import load_returns
from pcplib.data.sources.returns_template import write_return_template

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
STRATEGY = "neighbourhood-policing"
QUARTER = "2026/27 Q2"
OBS = "observations/observations.csv"
# What the SPOC types: value, or (value, numerator, denominator), by measure and month.
FIGURES: dict[tuple[str, str], Any] = {
    ("np-confidence", "2026-09"): (56.0, 1120, 2000),
    ("np-officers", "2026-07"): 372,
    ("np-officers", "2026-08"): 375,
    ("np-officers", "2026-09"): 377,
    ("np-abstraction-hours", "2026-07"): 3100,
    ("np-abstraction-hours", "2026-08"): 2990.5,
    ("np-abstraction-hours", "2026-09"): 3050,
    ("np-999-answered-10s", "2026-07"): (91.5, 16000, 17486),
    ("np-999-answered-10s", "2026-08"): (None, 16300, 17500),
    ("np-999-answered-10s", "2026-09"): (95.0, 16900, 17789),
    ("np-101-answered-3min", "2026-07"): 66.1,
    # August's 101 figure is left empty: a partly filled return.
    ("np-101-answered-3min", "2026-09"): 67.2,
}


# --- helpers ---------------------------------------------------------------------------


def hashes(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) -> its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def columns_of(ws: Any) -> dict[str, int]:
    """The sheet's header names -> their column numbers, as a SPOC's macro would find them."""
    return {str(c.value): c.column for c in ws[1] if c.value is not None}


def row_of(ws: Any, **match: str) -> int:
    names = columns_of(ws)
    for row in range(2, ws.max_row + 1):
        if all(ws.cell(row, names[k]).value == v for k, v in match.items()):
            return row
    raise AssertionError(f"no row matching {match} in {ws.title}")


def set_cell(wb: Any, sheet: str, column: str, value: Any, **match: str) -> str:
    """Set one cell found by its header and a row match; return its reference."""
    ws = wb[sheet]
    cell = ws.cell(row_of(ws, **match), columns_of(ws)[column])
    cell.value = value
    return f"{sheet}!{cell.coordinate}"


def fill_return(template: Path, out: Path, edit: Callable[[Any], None] | None = None) -> Path:
    """Fill a template as the SPOC would, save it as ``out``; ``edit`` changes more."""
    wb = openpyxl.load_workbook(template)
    ws = wb["Measures"]
    names = columns_of(ws)
    for row in range(2, ws.max_row + 1):
        key = (ws.cell(row, names["measure_id"]).value, ws.cell(row, names["month"]).value)
        given = FIGURES.get(key)
        if isinstance(given, tuple):
            value, numerator, denominator = given
            ws.cell(row, names["numerator"]).value = numerator
            ws.cell(row, names["denominator"]).value = denominator
        else:
            value = given
        ws.cell(row, names["value"]).value = value
    set_cell(wb, "Commitments", "status", "on track", commitment_id=f"{STRATEGY}-c04")
    set_cell(
        wb, "Commitments", "activity_to_date", "Abstraction is now reported every week.",
        commitment_id=f"{STRATEGY}-c04",
    )  # fmt: skip
    set_cell(wb, "Narrative", "text", "Online reporting now covers ten incident types.",
             section="progress")  # fmt: skip
    set_cell(wb, "Narrative", "text", "999 answering met the standard again.",
             section="successes")  # fmt: skip
    # Challenges are left empty.
    new_risk = f"{STRATEGY}-r03"
    set_cell(wb, "Risks", "description", "Winter demand delays the 101 call-back trial.",
             risk_id=new_risk)  # fmt: skip
    set_cell(wb, "Risks", "likelihood", 3, risk_id=new_risk)
    set_cell(wb, "Risks", "impact", 4, risk_id=new_risk)
    set_cell(wb, "Risks", "mitigation", "Trial staffed from the overtime budget.", risk_id=new_risk)
    set_cell(wb, "Actions", "status", "in progress", action_id=f"{STRATEGY}-a03")
    new_action = f"{STRATEGY}-a04"
    set_cell(wb, "Actions", "agreed_at", "2026-11", action_id=new_action)
    set_cell(wb, "Actions", "action", "Report call-back results by hour of day.",
             action_id=new_action)  # fmt: skip
    set_cell(wb, "Actions", "status", "open", action_id=new_action)
    if edit is not None:
        edit(wb)
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """The sample without neighbourhood-policing's figures and narrative for 2026/27 Q2."""
    target = tmp_path_factory.mktemp("prepared") / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("reference"))
    with (target / OBS).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    kept = [rows[0]] + [r for r in rows[1:] if not (r[0].startswith("np-") and r[1] >= "2026-07")]
    assert len(rows) - len(kept) == 13
    with (target / OBS).open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)
    # Nor its narrative for the quarter: the return is the first word on it.
    narrative = target / "narrative/narrative.csv"
    rows = list(csv.reader(narrative.open(encoding="utf-8", newline="")))
    kept = [r for r in rows if r[:2] != [STRATEGY, QUARTER]]
    with narrative.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)
    return target


@pytest.fixture
def data(prepared: Path, tmp_path: Path) -> Path:
    """A writable copy of the prepared data set."""
    return Path(shutil.copytree(prepared, tmp_path / "data"))


@pytest.fixture(scope="module")
def module_template(
    prepared: Path, tmp_path_factory: pytest.TempPathFactory, repo_root: Path
) -> Path:
    """The neighbourhood-policing template for 2026/27 Q2, made once from ``prepared``.

    Loading and validating the data set costs more than anything else a test does, and the
    template depends only on the data set's contents, which every test's ``data`` copies
    unchanged; tests get a copy of it (``template``), so none can change it for another.
    """
    dataset = load_dataset(prepared, today=TODAY)
    plan = load_forward_plan(repo_root / "data" / "forward_plan.yaml")
    out = tmp_path_factory.mktemp("template") / "np.xlsx"
    return write_return_template(
        dataset, STRATEGY, QUARTER, out, plan=plan, generated_at="2026-10-01T09:00:00Z"
    )


@pytest.fixture(scope="module")
def module_filled(module_template: Path) -> Path:
    """``module_template`` filled in as the SPOC would, once (tests copy it: ``filled``)."""
    return fill_return(module_template, module_template.with_name("np-filled.xlsx"))


@pytest.fixture
def template(module_template: Path, data: Path, tmp_path: Path) -> Path:
    """A neighbourhood-policing template for 2026/27 Q2, as made from ``data``: a copy."""
    out = tmp_path / "returns" / "np.xlsx"
    out.parent.mkdir()
    return Path(shutil.copyfile(module_template, out))


@pytest.fixture
def filled(module_filled: Path, template: Path) -> Path:
    """The template filled in (``fill_return``): a copy beside ``template``."""
    return Path(shutil.copyfile(module_filled, template.with_name("np-filled.xlsx")))


def load(paths: list[Path], data: Path, **kwargs: Any) -> Any:
    return load_returns(paths, data, today=TODAY, now=NOW, **kwargs)


@pytest.fixture(scope="module")
def module_load(
    module_filled: Path, prepared: Path, tmp_path_factory: pytest.TempPathFactory
) -> SimpleNamespace:
    """The filled return loaded into a copy of ``prepared``, once: ``data``, ``outcome``.

    Tests read the folder and the outcome, or start from a copy of the folder
    (``loaded_data``) to load into it again.
    """
    data = Path(shutil.copytree(prepared, tmp_path_factory.mktemp("loaded") / "data"))
    return SimpleNamespace(data=data, outcome=load([module_filled], data))


@pytest.fixture
def loaded_data(module_load: SimpleNamespace, tmp_path: Path) -> Path:
    """A writable copy of the data set the filled return was loaded into (``module_load``)."""
    return Path(shutil.copytree(module_load.data, tmp_path / "loaded" / "data"))


def problem_lines(outcome: Any) -> list[str]:
    return [str(p) for p in outcome.problems]


# --- the template ----------------------------------------------------------------------


def test_template_has_the_sheets_and_the_named_columns(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [
        "Instructions", "Measures", "Commitments", "Narrative", "Risks", "Actions", IDENTITY_SHEET,
    ]  # fmt: skip
    assert wb[IDENTITY_SHEET].sheet_state == "hidden"
    measures = columns_of(wb["Measures"])
    assert {"measure_id", "month", "value", "numerator", "denominator"} <= set(measures)
    assert measures["value"] == 5  # column E, so problems read like Measures!E7
    for sheet, needed in {
        "Commitments": {"commitment_id", "status", "activity_to_date", "next_steps"},
        "Narrative": {"section", "text"},
        "Risks": {"risk_id", "description", "likelihood", "impact", "mitigation", "owner"},
        "Actions": {"action_id", "agreed_at", "action", "owner", "due_date", "status"},
    }.items():
        assert needed <= set(columns_of(wb[sheet])), sheet


def test_template_asks_for_every_month_of_the_quarter_the_data_set_expects(
    template: Path,
) -> None:
    ws = openpyxl.load_workbook(template)["Measures"]
    names = columns_of(ws)
    rows = [
        (ws.cell(r, names["measure_id"]).value, ws.cell(r, names["month"]).value)
        for r in range(2, ws.max_row + 1)
    ]
    assert ("np-officers", "2026-07") in rows and ("np-officers", "2026-09") in rows
    # A quarterly measure is asked for once, its row dated by the quarter's last month.
    assert [m for i, m in rows if i == "np-confidence"] == ["2026-09"]
    assert len(rows) == 13 and set(rows) == set(FIGURES) | {("np-101-answered-3min", "2026-08")}
    officers = row_of(ws, measure_id="np-officers", month="2026-07")
    context = ws.cell(officers, names["last_quarter"]).value
    assert context.startswith("April 2026: ") and "June 2026: " in context
    assert ws.cell(officers, names["value"]).value is None


def test_template_locks_everything_but_the_inputs_and_validates_them(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.security.lockStructure
    ws = wb["Measures"]
    names = columns_of(ws)
    assert ws.protection.sheet
    ratio = row_of(ws, measure_id="np-999-answered-10s", month="2026-07")
    plain = row_of(ws, measure_id="np-officers", month="2026-07")
    assert not ws.cell(ratio, names["value"]).protection.locked
    assert not ws.cell(ratio, names["numerator"]).protection.locked
    assert ws.cell(plain, names["numerator"]).protection.locked
    assert ws.cell(plain, names["measure_id"]).protection.locked
    rules = {(v.type, v.formula1) for v in ws.data_validations.dataValidation}
    assert ("decimal", "0") in rules and ("list", '"provisional,final"') in rules
    commitments = wb["Commitments"]
    lists = [v.formula1 for v in commitments.data_validations.dataValidation]
    assert '"complete,on track,at risk,off track,not started"' in lists
    scores = [(v.type, v.formula1, v.formula2) for v in wb["Risks"].data_validations.dataValidation]
    assert ("whole", "1", "5") in scores


def test_instructions_name_the_owners_and_the_deadline(template: Path, data: Path) -> None:
    text = " ".join(
        str(c) for row in openpyxl.load_workbook(template)["Instructions"].values for c in row if c
    )
    strategy = load_dataset(data, today=TODAY).strategy(STRATEGY)
    for owner in ("force_senior_owner", "force_spoc", "opcc_senior_owner", "opcc_spoc"):
        assert strategy[owner] in text
    # The strategy is on the November 2026 Board, which reports on Q2: due by 31 October.
    assert "By 31 October 2026" in text and "November 2026" in text
    assert "not supplied, never as zero" in text
    # What the loader accepts: a numerator and denominator only where the row asks for
    # them (its cells open), never "for percentages and rates" across the board.
    assert "numerator and denominator cells are open (not greyed)" in text
    assert "for percentages and rates give" not in text


def test_instructions_name_the_organisation_and_plan(template: Path, data: Path) -> None:
    sheet = openpyxl.load_workbook(template)["Instructions"]
    identity = load_dataset(data, today=TODAY).identity
    # The organisation line under the title, as the reports carry it, then the plan.
    assert sheet["A2"].value == identity.organisation
    assert (sheet["A4"].value, sheet["B4"].value) == ("Plan", identity.plan_name)
    text = " ".join(str(c) for row in sheet.values for c in row if c)
    assert f"each action the {identity.board_name} agreed" in text


def test_deadline_prefers_the_strategys_own_meeting(repo_root: Path) -> None:
    plan = load_forward_plan(repo_root / "data" / "forward_plan.yaml")
    own = find_deadline(plan, "road-safety", "2026/27 Q2")
    assert own.on_agenda and own.slot.slot == "2027-01" and own.due == dt.date(2026, 12, 31)
    # A strategy on neither meeting that reports on Q2 is due for the first of them.
    other = find_deadline(plan, "vawg", "2026/27 Q2")
    assert not other.on_agenda and other.slot.slot == "2026-11"
    beyond = find_deadline(plan, "vawg", "2030/31 Q1")
    assert beyond.due is None and "agree the date" in beyond.wording


def test_police_uk_measures_are_not_asked_for(data: Path) -> None:
    rows = list(csv.reader((data / "framework/measures.csv").open(encoding="utf-8")))
    source = rows[0].index("source")
    for row in rows[1:]:
        if row[0] == "np-officers":
            row[source] = "police.uk open data (street-level crime)"
    with (data / "framework/measures.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    asked = list_requested_figures(load_dataset(data, today=TODAY), STRATEGY, QUARTER)
    assert "np-officers" not in set(asked["measure_id"])
    assert "np-confidence" in set(asked["measure_id"])


def test_annual_measures_are_asked_for_in_the_fourth_quarter_only(data: Path) -> None:
    dataset = load_dataset(data, today=TODAY)
    q4 = list_requested_figures(dataset, "workforce", "2025/26 Q4")
    q3 = list_requested_figures(dataset, "workforce", "2025/26 Q3")
    annual = q4[q4["measure_id"] == "wf-staff-satisfaction"].iloc[0]
    assert annual["month"] == "2026-03" and annual["period_start"] == pd.Timestamp("2025-04-01")
    assert "wf-staff-satisfaction" not in set(q3["measure_id"])


def test_template_command_writes_one_workbook_per_strategy(
    data: Path, tmp_path: Path, repo_root: Path, capsys
) -> None:
    plan = str(repo_root / "data" / "forward_plan.yaml")
    common = ["--data", str(data), "--forward-plan", plan]
    out = tmp_path / "one.xlsx"
    args = ["returns", "template", "--strategy", STRATEGY, "--quarter", QUARTER, "--out", str(out)]
    assert cli.main([*args, *common]) == 0 and out.is_file()
    assert cli.main([*args, *common]) == 2  # never over an existing file (it may be filled)
    assert "exists" in capsys.readouterr().out
    bad = ["returns", "template", "--strategy", "nope", "--quarter", QUARTER, "--out", "x.xlsx"]
    assert cli.main([*bad, *common]) == 2
    wrong = ["returns", "template", "--strategy", STRATEGY, "--quarter", "Q2 2026", *common]
    assert cli.main(wrong) == 2
    folder = tmp_path / "all"
    every = ["returns", "template", "--all", "--today", "2026-11-23", "--out", str(folder)]
    assert cli.main([*every, *common]) == 0
    written = sorted(p.name for p in folder.glob("*.xlsx"))
    # The next slot after November 2026 is January 2027, which reports on 2026/27 Q2.
    assert written == [
        "return-business-crime-2026-27-Q2.xlsx",
        "return-resources-2026-27-Q2.xlsx",
        "return-road-safety-2026-27-Q2.xlsx",
    ]


# --- loading a good return ---------------------------------------------------------------


def test_round_trip_loads_what_was_supplied_and_lists_what_was_not(
    module_filled: Path, module_load: SimpleNamespace, loaded: Any
) -> None:
    filled, outcome, dataset = module_filled, module_load.outcome, loaded
    assert outcome.problems == [] and outcome.written
    series = dataset.series("np-officers").set_index("period_start")
    assert series.loc[pd.Timestamp("2026-09-01"), "value"] == 377
    assert series.loc[pd.Timestamp("2026-09-01"), "extracted_on"] == pd.Timestamp(TODAY)
    ratio = dataset.series("np-999-answered-10s").set_index("period_start")
    august = ratio.loc[pd.Timestamp("2026-08-01")]
    # The value is worked out from the numerator and denominator when left empty.
    assert (august["numerator"], august["denominator"], august["value"]) == (16300, 17500, 93.1)
    assert pd.Timestamp("2026-08-01") not in set(
        dataset.series("np-101-answered-3min")["period_start"]
    )
    commitment = dataset.commitments.set_index("commitment_id").loc[f"{STRATEGY}-c04"]
    assert commitment["status"] == "on track"
    assert commitment["activity_to_date"] == "Abstraction is now reported every week."
    narrative = dataset.narrative[
        (dataset.narrative["strategy_id"] == STRATEGY) & (dataset.narrative["quarter"] == QUARTER)
    ].set_index("section")["text"]
    assert narrative["progress"] == "Online reporting now covers ten incident types."
    risk = dataset.risks.set_index(["risk_id", "quarter"]).loc[(f"{STRATEGY}-r03", QUARTER)]
    assert (risk["likelihood"], risk["impact"], risk["owner"]) == (3, 4, "")
    actions = dataset.actions.set_index("action_id")
    assert actions.loc[f"{STRATEGY}-a03", "status"] == "in progress"
    assert actions.loc[f"{STRATEGY}-a04", "agreed_at"] == "2026-11"
    log = dataset.returns_log.iloc[0]
    assert (log["file"], log["strategy_id"], log["quarter"]) == (filled.name, STRATEGY, QUARTER)
    assert log["sha256"] == hashlib.sha256(filled.read_bytes()).hexdigest()
    assert log["loaded_at"] == "2026-11-23T09:30:00Z"
    # 12 figures, 2 narrative sections, a risk and an action; a commitment and an action.
    assert log["rows_added"] == 16 and log["rows_changed"] == 2
    missing = outcome.not_supplied[filled.name]
    assert log["not_supplied"] == len(missing)
    assert any(line.startswith("Measures!E13: ") and "August 2026" in line for line in missing)
    assert any(line.startswith("Narrative!C4: challenges") for line in missing)
    assert any(line.startswith("Risks!F4: owner") for line in missing)


def test_new_rows_sit_beside_their_measure_and_the_rest_is_byte_identical(
    module_load: SimpleNamespace, prepared: Path
) -> None:
    data = module_load.data
    before = (prepared / OBS).read_text(encoding="utf-8").splitlines()
    after = (data / OBS).read_text(encoding="utf-8").splitlines()
    added = [line for line in after if line not in before]
    assert len(added) == 12 and [line for line in after if line in before] == before
    officers = [n for n, line in enumerate(after) if line.startswith("np-officers,")]
    assert officers == list(range(officers[0], officers[0] + len(officers)))
    assert after[officers[-1]].startswith("np-officers,2026-09-01,2026-09-30,377,,,LLR,final")
    assert (data / "framework/measures.csv").read_bytes() == (
        prepared / "framework/measures.csv"
    ).read_bytes()


def test_a_second_load_of_the_same_file_changes_nothing(filled: Path, loaded_data: Path) -> None:
    data = loaded_data  # the return loaded once already
    before = hashes(data)
    outcome = load([filled], data)
    assert outcome.problems == [] and outcome.written == []
    assert {c.kind for c in outcome.changes[filled.name]} == {"unchanged"}
    assert hashes(data) == before


def test_owners_text_a_spreadsheet_would_run_is_neutralised_in_the_data_set(
    template: Path, data: Path, tmp_path: Path
) -> None:
    attack = "-2+3+cmd|' /C calc'!A0"

    def edit(wb: Any) -> None:
        set_cell(wb, "Commitments", "activity_to_date", attack, commitment_id=f"{STRATEGY}-c04")

    poisoned = fill_return(template, tmp_path / "poisoned.xlsx", edit)
    outcome = load([poisoned], data)
    assert outcome.problems == []
    text = (data / "commitments" / "commitments.csv").read_text(encoding="utf-8")
    assert "'" + attack in text.replace('""', '"')
    assert not any(line.split(",")[-1].startswith("-2+3") for line in text.splitlines())
    dataset = load_dataset(data, today=TODAY)
    shown = dataset.commitments.set_index("commitment_id").loc[
        f"{STRATEGY}-c04", "activity_to_date"
    ]
    assert shown == attack, "read back as the owner wrote it"
    again = load([poisoned], data)
    assert {c.kind for c in again.changes[poisoned.name]} == {"unchanged"}


def test_dry_run_shows_the_changes_and_writes_nothing(filled: Path, data: Path) -> None:
    before = hashes(data)
    outcome = load([filled], data, dry_run=True)
    assert outcome.problems == [] and outcome.written == []
    assert sum(c.kind == "added" for c in outcome.changes[filled.name]) == 16
    assert hashes(data) == before


def test_a_conflict_is_refused_then_replaced(
    filled: Path, loaded_data: Path, tmp_path: Path
) -> None:
    data = loaded_data  # the return loaded once already
    revised = tmp_path / "np-revised.xlsx"
    wb = openpyxl.load_workbook(filled)
    place = set_cell(wb, "Measures", "value", 380, measure_id="np-officers", month="2026-09")
    wb.save(revised)
    before = hashes(data)
    refused = load([revised], data)
    assert hashes(data) == before
    [line] = problem_lines(refused)
    assert line.startswith(f"np-revised.xlsx, {place}: '380' — expected 377 (")
    assert "observations/observations.csv, row " in line and "--replace" in line
    replaced = load([revised], data, replace=True)
    assert replaced.problems == []
    dataset = load_dataset(data, today=TODAY)
    series = dataset.series("np-officers").set_index("period_start")
    assert series.loc[pd.Timestamp("2026-09-01"), "value"] == 380
    assert list(dataset.returns_log["file"]) == [filled.name, revised.name]
    assert list(dataset.returns_log["rows_changed"])[-1] == 1


def test_a_figure_filling_a_gap_is_not_a_conflict(template: Path, data: Path) -> None:
    # The sample's missing month is a row with an empty value: a figure fills it.
    rows = list(csv.reader((data / OBS).open(encoding="utf-8", newline="")))
    rows.append(["np-officers", "2026-08-01", "2026-08-31", "", "", "", "LLR", "final",
                 "current", "Force HR system", "2026-10-12"])  # fmt: skip
    with (data / OBS).open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    outcome = load([fill_return(template, template.with_name("gap.xlsx"))], data)
    assert outcome.problems == []
    words = [c.words for c in outcome.changes["gap.xlsx"] if c.kind == "added"]
    assert "np-officers, August 2026: 375 (fills a gap)" in words


# --- bad returns: each refused whole, the data set untouched --------------------------------


def _edit_identity(key: str, value: str) -> Callable[[Any], None]:
    """Change the hidden identity and its checksum, as a forged or foreign return would."""

    def edit(wb: Any) -> None:
        ws = wb[IDENTITY_SHEET]
        identity, layout, layout_started = {}, [], False
        for row in ws.iter_rows(min_row=2, values_only=True):
            cells = [str(c) if c is not None else "" for c in (*row, "", "")[:3]]
            if cells == ["sheet", "cell", "text"]:
                layout_started = True
            elif layout_started and any(cells):
                layout.append(tuple(cells))
            elif any(cells):
                identity[cells[0]] = cells[1]
        identity[key] = value
        for row in ws.iter_rows(min_row=2):
            if row[0].value == key:
                row[1].value = value
            if row[0].value == "layout_sha256":
                row[1].value = digest_layout(identity, layout)

    return edit


def _text_value(wb: Any) -> None:
    set_cell(wb, "Measures", "value", "1,23", measure_id="np-officers", month="2026-08")


def _numerator_above(wb: Any) -> None:
    set_cell(wb, "Measures", "numerator", 18000, measure_id="np-999-answered-10s", month="2026-07")


def _percent_above(wb: Any) -> None:
    set_cell(wb, "Measures", "value", 101, measure_id="np-101-answered-3min", month="2026-07")


def _ratio_disagrees(wb: Any) -> None:
    set_cell(wb, "Measures", "value", 80, measure_id="np-999-answered-10s", month="2026-09")


def _bad_status(wb: Any) -> None:
    set_cell(wb, "Commitments", "status", "done", commitment_id=f"{STRATEGY}-c01")


def _bad_score(wb: Any) -> None:
    set_cell(wb, "Risks", "likelihood", 7, risk_id=f"{STRATEGY}-r03")


def _risk_without_description(wb: Any) -> None:
    set_cell(wb, "Risks", "impact", 2, risk_id=f"{STRATEGY}-r04")


def _bad_month(wb: Any) -> None:
    set_cell(wb, "Actions", "agreed_at", "Nov 26", action_id=f"{STRATEGY}-a04")


def _inserted_row(wb: Any) -> None:
    wb["Measures"].insert_rows(3)


def _note_outside(wb: Any) -> None:
    wb["Measures"]["N4"] = "see e-mail"


def _sheet_removed(wb: Any) -> None:
    del wb["Risks"]


def _identity_edited(wb: Any) -> None:
    for row in wb[IDENTITY_SHEET].iter_rows(min_row=2):
        if row[0].value == "quarter":
            row[1].value = "2026/27 Q1"


def _formula_without_value(wb: Any) -> None:
    # openpyxl, like a script or some online editors, saves no calculated value.
    wb["Measures"]["E4"] = "=E3+3"


def _too_large(wb: Any) -> None:
    set_cell(wb, "Measures", "value", 1e15, measure_id="np-officers", month="2026-07")


def _control_character(wb: Any) -> None:
    set_cell(wb, "Narrative", "text", "Calls \u202eemitrevo\u202c answered.", section="progress")


def _merged_months(wb: Any) -> None:
    ws = wb["Measures"]
    first = row_of(ws, measure_id="np-officers", month="2026-07")
    column = openpyxl.utils.get_column_letter(columns_of(ws)["value"])
    ws.merge_cells(f"{column}{first}:{column}{first + 2}")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_text_value, "Measures!E4: '1,23' — expected a number typed as a number"),
        (
            _formula_without_value,
            "Measures!E4: '=E3+3' — expected a value: this cell holds a "
            "formula with no calculated value",
        ),
        (
            _merged_months,
            "Measures!E3:E5: '372' — expected a figure for each month, not cells "
            "merged over 3 months (2026-07, 2026-08, 2026-09)",
        ),
        (_numerator_above, "Measures!F9: '18000' — expected a numerator no larger than"),
        (
            _too_large,
            "Measures!E3: '1000000000000000' — expected a number no larger than 1,000,000,000,000",
        ),
        (
            _control_character,
            "Narrative!C2: 'Calls \\u202eemitrevo\\u202c answered.' — expected text without "
            "control or direction characters (U+202E RIGHT-TO-LEFT OVERRIDE",
        ),
        (_percent_above, "Measures!E12: '101' — expected a percentage from 0 to 100"),
        (_ratio_disagrees, "Measures!E11: '80' — expected numerator / denominator × 100"),
        (_bad_status, "Commitments!E2: 'done' — expected the status chosen from the list"),
        (_bad_score, "Risks!C4: '7' — expected a whole number from 1 (lowest) to 5"),
        (_risk_without_description, "Risks!B5: expected a description of the risk"),
        (_bad_month, "Actions!B5: 'Nov 26' — expected the month of the meeting"),
        (_inserted_row, "Measures!A3: expected 'np-officers', as the template wrote it"),
        (_note_outside, "Measures!N4: 'see e-mail' — expected nothing outside the template's"),
        (_sheet_removed, "Risks: expected a sheet named 'Risks'"),
        (_identity_edited, "_return: expected the identity sheet as the template wrote it"),
        (_edit_identity("strategy_id", "space-policing"), "_return!B4: 'space-policing' —"),
        (_edit_identity("template_version", "0"), "_return!B3: '0' — expected template version"),
        (_edit_identity("quarter", "2026/27 Q3"), "expected a quarter that has ended"),
    ],
)
def test_a_bad_return_is_refused_naming_the_cell(
    template: Path, data: Path, edit: Callable[[Any], None], expected: str
) -> None:
    bad = fill_return(template, template.with_name("bad.xlsx"), edit)
    before = hashes(data)
    outcome = load([bad], data)
    assert outcome.refused and outcome.written == []
    lines = problem_lines(outcome)
    assert any(line.startswith(f"bad.xlsx, {expected}") or expected in line for line in lines), (
        "\n".join(lines)
    )
    assert hashes(data) == before


def test_a_file_that_is_not_a_return_is_refused(data: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    before = hashes(data)
    outcome = load([text, plain], data)
    lines = problem_lines(outcome)
    assert lines[0].startswith("notes.xlsx: expected an Excel workbook (.xlsx) that opens")
    assert lines[1].startswith("plain.xlsx: expected a quarterly return made by pcp returns")
    assert hashes(data) == before


def test_one_bad_return_refuses_the_whole_load(filled: Path, template: Path, data: Path) -> None:
    bad = fill_return(template, template.with_name("bad.xlsx"), _text_value)
    before = hashes(data)
    assert load([filled, bad], data).refused
    assert hashes(data) == before


def test_two_returns_for_the_same_strategy_and_quarter_are_refused(
    filled: Path, data: Path
) -> None:
    copy = shutil.copy(filled, filled.with_name("copy.xlsx"))
    outcome = load([filled, Path(copy)], data)
    assert "one return per strategy and quarter" in problem_lines(outcome)[0]


def test_the_merged_copy_is_validated_before_anything_is_swapped_in(
    filled: Path, data: Path, monkeypatch
) -> None:
    import pcplib.data.dataset as dataset_module
    from pcplib.data.problems import DataValidationError, Problem

    real = dataset_module.load_dataset

    def failing(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name.startswith(".returns-staging-"):
            problem = Problem(f"{Path(path).as_posix()}/{OBS}", 9, "value", "x", "a number")
            raise DataValidationError([problem], path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(dataset_module, "load_dataset", failing)
    before = hashes(data)
    outcome = load([filled], data)
    assert outcome.refused and outcome.written == []
    assert str(outcome.problems[0]).startswith(f"{data.as_posix()}/{OBS}, row 9, column value")
    assert hashes(data) == before  # the staging folder is gone too


def test_the_load_command_exit_codes(filled: Path, template: Path, data: Path, capsys) -> None:
    base = ["returns", "load", "--data", str(data), "--today", TODAY.isoformat()]
    bad = fill_return(template, template.with_name("bad.xlsx"), _text_value)
    assert cli.main([*base, str(bad)]) == 1
    assert "nothing was loaded; the data set is unchanged" in capsys.readouterr().out
    assert cli.main([*base, str(filled), "--dry-run"]) == 0
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert cli.main([*base, str(filled)]) == 0
    shown = capsys.readouterr().out
    assert "added: Measures!E5: np-officers, September 2026: 377 (new)" in shown
    assert "not supplied (" in shown and "Loaded." in shown
    assert cli.main([*base, str(filled)]) == 0
    assert "Nothing to change" in capsys.readouterr().out
    assert cli.main([*base, str(filled.with_name("missing.xlsx"))]) == 2


# --- the data set's new tables ------------------------------------------------------------


def _edit_csv(path: Path, column: str, value: str, row: int = 2) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize(
    ("relative", "column", "value", "expected"),
    [
        ("returns/risks.csv", "likelihood", "6", "empty, or a whole number from 1 (lowest) to 5"),
        ("returns/risks.csv", "impact", "2.5", "empty, or a whole number from 1 (lowest) to 5"),
        ("returns/risks.csv", "quarter", "Q2 2026", "a quarter written like '2026/27 Q2'"),
        ("returns/risks.csv", "strategy_id", "nowhere", "a strategy_id from framework/strategies"),
        ("returns/risks.csv", "description", "", "a value (it is required)"),
        ("returns/actions.csv", "status", "closed", "one of 'open', 'in progress', 'done'"),
        ("returns/actions.csv", "agreed_at", "Nov 2025", "the month of the meeting that agreed"),
        ("returns/actions.csv", "due_date", "31/03/2027", "a date written YYYY-MM-DD"),
        ("returns/actions.csv", "action_id", "police-estate-a01", "a unique action_id (the same"),
    ],
)
def test_new_tables_are_validated_with_located_problems(
    data: Path, relative: str, column: str, value: str, expected: str
) -> None:
    _edit_csv(data / relative, column, value, row=3)
    problems = validate_dataset(data, today=TODAY)
    assert problems, "expected a problem"
    [problem] = [p for p in problems if p.column == column]
    assert problem.file.endswith(relative) and problem.row == 3
    assert expected in problem.expected
    assert f"row 3, column {column}" in str(problem)


def test_a_returns_log_is_validated(data: Path) -> None:
    log = data / "returns/returns-log.csv"
    log.write_text(
        "file,sha256,strategy_id,quarter,loaded_at,rows_added,rows_changed,not_supplied\n"
        "a.xlsx,abc,vawg,2026/27 Q2,yesterday,-1,0,0\n",
        encoding="utf-8",
    )
    found = {p.column: p.expected for p in validate_dataset(data, today=TODAY)}
    assert found["sha256"] == "a SHA-256 digest (64 hex digits)"
    assert "UTC time" in found["loaded_at"]
    assert found["rows_added"] == "a whole number of 0 or more"


def test_a_data_set_without_the_returns_tables_loads_with_empty_ones(data: Path) -> None:
    shutil.rmtree(data / "returns")
    rows = list(csv.reader((data / "commitments/commitments.csv").open(encoding="utf-8")))
    with (data / "commitments/commitments.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([r[:6] for r in rows])
    assert validate_dataset(data, today=TODAY) == []
    dataset = load_dataset(data, today=TODAY)
    assert dataset.risks.empty and dataset.actions.empty and dataset.returns_log.empty
    assert list(dataset.risks.columns)[:3] == ["risk_id", "strategy_id", "quarter"]
    assert (dataset.commitments["activity_to_date"] == "").all()
    assert "returns/risks.csv" not in dataset.files


def test_a_return_loads_into_a_data_set_made_before_returns_existed(
    filled: Path, data: Path
) -> None:
    shutil.rmtree(data / "returns")
    commitments = data / "commitments/commitments.csv"
    rows = list(csv.reader(commitments.open(encoding="utf-8", newline="")))
    with commitments.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([r[:6] for r in rows])
    outcome = load([filled], data)
    assert outcome.problems == [], problem_lines(outcome)
    header = commitments.read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",owner,activity_to_date,next_steps")
    dataset = load_dataset(data, today=TODAY)
    # Everything the workbook carries arrives, the rows it was pre-filled with included.
    assert set(dataset.risks["risk_id"]) == {f"{STRATEGY}-r0{n}" for n in (1, 2, 3)}
    assert set(dataset.actions["action_id"]) == {f"{STRATEGY}-a0{n}" for n in (1, 2, 3, 4)}
    assert len(dataset.returns_log) == 1


def test_a_table_kept_as_a_workbook_is_not_merged_into(filled: Path, data: Path) -> None:
    frame = pd.read_csv(data / "narrative/narrative.csv", dtype=str, keep_default_na=False)
    frame.to_excel(data / "narrative/narrative.xlsx", index=False)
    (data / "narrative/narrative.csv").unlink()
    before = hashes(data)
    [line] = problem_lines(load([filled], data))
    assert "narrative/narrative.xlsx: expected a CSV table (narrative/narrative.csv)" in line
    assert hashes(data) == before


# --- the report -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def module_loaded(module_load: SimpleNamespace) -> Any:
    """The data set with the filled return loaded, once: the report tests only read it."""
    return load_dataset(module_load.data, today=TODAY)


@pytest.fixture
def loaded(module_loaded: Any) -> Any:
    """A deep copy of ``module_loaded``, so no test can change what the next one reads."""
    return copy.deepcopy(module_loaded)


def test_risks_table_for_the_board_and_none_for_the_public(loaded: Any) -> None:
    html = report.format_risks(loaded, STRATEGY, QUARTER)
    assert "<caption>Neighbourhood Policing: risks to delivery, 2026/27 Q2</caption>" in html
    assert '<th scope="col" class="num">Likelihood (1-5)</th>' in html
    assert "Winter demand delays the 101 call-back trial." in html
    assert ">12</td>" in html and "Not supplied" in html  # its owner was left empty
    public = report.format_risks(loaded, STRATEGY, QUARTER, audience="public")
    assert "Winter demand" not in public and "Corporate Governance Board only" in public
    assert "No risks are recorded for 2025/26 Q1" in report.format_risks(
        loaded, STRATEGY, "2025/26 Q1"
    )


def test_action_log_lists_every_action_with_its_status(loaded: Any) -> None:
    html = report.format_actions(loaded, STRATEGY)
    assert "<caption>Neighbourhood Policing: action log</caption>" in html
    assert "Report call-back results by hour of day." in html and "November 2026" in html
    assert "4 actions: 1 open, 1 in progress, 2 done." in html
    assert "call-back" not in report.format_actions(loaded, STRATEGY, audience="public")


def test_commitments_show_activity_to_date_and_not_supplied(loaded: Any) -> None:
    html = report.format_commitments(loaded, STRATEGY, "2026-09")
    assert '<th scope="col">Activity to date</th>' in html
    assert "Abstraction is now reported every week." in html
    assert "Not supplied" in html


def test_public_commitments_withhold_text_naming_a_restricted_measure(loaded: Any) -> None:
    name = "Neighbourhood officer hours abstracted to other duties"
    commitments = loaded.commitments.copy()
    commitments.loc[commitments["commitment_id"] == f"{STRATEGY}-c04", "next_steps"] = (
        f"Report {name} monthly."
    )
    changed = type(loaded)(**{**loaded.__dict__, "commitments": commitments})
    assert name in report.format_commitments(changed, STRATEGY, "2026-09")
    public = report.format_commitments(changed, STRATEGY, "2026-09", audience="public")
    assert name not in public and "Withheld from this public report" in public


def test_return_status_lists_what_was_not_supplied_never_as_zero(loaded: Any) -> None:
    html = report.format_return_status(loaded, STRATEGY, QUARTER)
    assert "np-filled.xlsx (loaded 2026-11-23T09:30:00Z)" in html
    assert (
        "<caption>Neighbourhood Policing: not supplied in the return, 2026/27 Q2</caption>" in html
    )
    assert (
        '<th scope="row">101 calls answered within 3 minutes</th><td>August 2026</td>'
        "<td>Not supplied</td>"
    ) in html
    assert "Narrative: challenges" in html
    other = report.format_return_status(loaded, "vawg", QUARTER)
    assert "No quarterly return from the owners has been loaded for 2026/27 Q2" in other


def test_provenance_names_the_returns_the_figures_came_from(loaded: Any, filled: Path) -> None:
    html = report.build_provenance(loaded, code_version="0123abc", strategy_id=STRATEGY)
    assert "<caption>Owners&#x27; returns the figures came from</caption>" in html
    assert filled.name in html and hashlib.sha256(filled.read_bytes()).hexdigest() in html
    assert "returns/returns-log.csv" in html  # the log itself, with its checksum
    assert "No quarterly returns" in report.build_provenance(
        loaded, code_version="0123abc", strategy_id="vawg"
    )


# --- LibreOffice ---------------------------------------------------------------------------


def test_libreoffice_opens_the_template_and_its_resave_loads(
    filled: Path, data: Path, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install -y libreoffice-calc-nogui)")
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    out = tmp_path / "lo"

    def convert(target: str, source: Path) -> None:
        subprocess.run(
            [soffice, profile, "--headless", "--convert-to", target, "--outdir", str(out),
             str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip

    # Every sheet to CSV (LibreOffice 7.2+: the last filter option -1 means all sheets).
    convert("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", filled)
    measures = (out / f"{filled.stem}-Measures.csv").read_text(encoding="utf-8").splitlines()
    assert measures[0].startswith("measure_id,measure_name,month,unit,value,")
    assert any(
        line.startswith("np-officers,") and ",2026-09,count,377," in line for line in measures
    )
    # Saved again by LibreOffice as .xlsx, the return still loads, with the same figures.
    convert("xlsx", filled)
    resaved = out / filled.name
    outcome = load([resaved], data)
    assert outcome.problems == [], problem_lines(outcome)
    added = sorted(c.words for c in outcome.changes[filled.name] if c.kind == "added")
    assert "np-officers, September 2026: 377 (new)" in added


@pytest.mark.parametrize(
    ("errno_code", "reason"),
    [(30, "Read-only file system"), (28, "No space left on device"), (36, "File name too long")],
)
def test_an_os_error_while_loading_is_one_line_and_loads_nothing(
    filled: Path, data: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any,
    errno_code: int, reason: str,
) -> None:  # fmt: skip
    from pcplib.data.sources import returns_merge

    def fail(path: Path, text: str) -> None:
        raise OSError(errno_code, reason, str(path))

    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    monkeypatch.setattr(returns_merge, "_write_file", fail)
    base = ["returns", "load", "--data", str(data), "--today", TODAY.isoformat()]
    code = cli.main([*base, str(filled)])
    out = capsys.readouterr()
    lines = [line for line in (out.out + out.err).splitlines() if line.strip()]
    assert code == 1
    assert "Traceback" not in out.out + out.err
    assert any(reason in line and "no return was loaded" in line for line in lines), lines
    after = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert after == before, "the data set is as it was, with no staging folder left"


def test_a_figure_far_outside_its_history_is_loaded_to_confirm_with_its_cell(
    template: Path, data: Path, tmp_path: Path
) -> None:
    usual = load([fill_return(template, tmp_path / "usual.xlsx")], data, dry_run=True)
    assert usual.problems == [] and usual.to_confirm == [], "the usual figures are not flagged"

    def slip(wb: Any) -> None:
        # A slip of the keyboard: 30.5 hours for 3,050.
        set_cell(wb, "Measures", "value", 30.5, measure_id="np-abstraction-hours", month="2026-09")

    outcome = load([fill_return(template, tmp_path / "slip.xlsx", slip)], data)
    assert outcome.problems == [] and outcome.written
    [figure] = outcome.to_confirm
    assert (figure.measure_id, figure.period) == ("np-abstraction-hours", "2026-09")
    assert figure.place == "slip.xlsx, Measures!E8"
    assert "below half the lowest" in figure.reason
    series = load_dataset(data, today=TODAY).series("np-abstraction-hours")
    september = series.set_index("period_start").loc[pd.Timestamp("2026-09-01")]
    assert (september["value"], september["status"]) == (30.5, "to confirm")


# --- the measures a narrative section speaks of ----------------------------------------


def test_the_narrative_sheet_asks_which_measures_each_section_speaks_of(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb["Narrative"]
    names = columns_of(ws)
    # Last, so that a return made before the column existed still loads.
    assert max(names.values()) == names["measures"]
    assert not ws.cell(row_of(ws, section="progress"), names["measures"]).protection.locked
    guidance = " ".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row)
    assert "a text about a restricted measure is never published" in guidance


def test_a_section_naming_a_restricted_measure_is_withheld_from_the_public(
    template: Path, data: Path
) -> None:
    from pcplib.report.narrative import narrative_rows

    def name_measures(wb: Any) -> None:
        # The text itself names no measure: only the measures cell says what it is about.
        set_cell(wb, "Narrative", "measures", "np-abstraction-hours ; np-officers",
                 section="progress")  # fmt: skip
        set_cell(wb, "Narrative", "measures", "np-officers", section="successes")

    filled = fill_return(template, template.with_name("named.xlsx"), name_measures)
    outcome = load([filled], data)
    assert not outcome.refused, problem_lines(outcome)
    dataset = load_dataset(data, today=TODAY)
    rows = dataset.narrative[
        (dataset.narrative["strategy_id"] == STRATEGY) & (dataset.narrative["quarter"] == QUARTER)
    ].set_index("section")
    assert rows.at["progress", "measures"] == "np-abstraction-hours; np-officers"
    assert rows.at["successes", "measures"] == "np-officers"
    public, withheld = narrative_rows(dataset, STRATEGY, QUARTER, "public")
    assert withheld == 1 and list(public["section"]) == ["successes"]
    board, none_withheld = narrative_rows(dataset, STRATEGY, QUARTER, "board")
    assert none_withheld == 0 and set(board["section"]) == {"progress", "successes"}


def test_an_unknown_measure_in_the_narrative_is_refused_naming_the_cell(
    template: Path, data: Path
) -> None:
    def misspell(wb: Any) -> None:
        set_cell(wb, "Narrative", "measures", "np-abstraction-hour", section="progress")

    bad = fill_return(template, template.with_name("bad.xlsx"), misspell)
    before = hashes(data)
    outcome = load([bad], data)
    assert outcome.refused
    assert problem_lines(outcome) == [
        "bad.xlsx, Narrative!E2: 'np-abstraction-hour' — expected measure ids from the "
        "Measures sheet separated by ';' ('np-abstraction-hour' is not one)"
    ]
    assert hashes(data) == before
