"""Hostile input: formulas never run, YAML cannot explode, a closed pipe is not a traceback.

Each test is one kind of attack from docs/error-handling.md ("Hostile input").
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from pcplib.data import load_dataset, validate_dataset
from pcplib.data.cells import read_cells
from pcplib.data.forward_plan import ForwardPlanError, load_forward_plan
from pcplib.data.schemas import split_measure_list
from pcplib.data.sources.police_uk import COUNT_COLUMNS, write_counts
from pcplib.data.sources.returns_template import write_return_template
from pcplib.run.judgements import write_judgements
from pcplib.safe_yaml import MAX_YAML_BYTES, load_yaml_text
from pcplib.spreadsheet_safety import (
    neutralise_cell,
    neutralise_frame,
    neutralise_row,
    restore_cell,
    restore_frame,
)

TODAY = dt.date(2026, 11, 23)

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.fixture
def sample(tmp_path: Path, data_dir: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("reference"))
    return target


@pytest.fixture
def plan_path(repo_root: Path, data_dir: Path) -> Path:
    for candidate in (data_dir / "forward_plan.yaml", repo_root / "data" / "forward_plan.yaml"):
        if candidate.is_file():
            return candidate
    pytest.fail("no forward plan found in the sample")


# --- formulas --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("=HYPERLINK(\"http://evil.example/\")", "'=HYPERLINK(\"http://evil.example/\")"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-2.5 pp", "'-2.5 pp"),
        ("-3", "-3"),
        ("+4.5", "+4.5"),
        ("-1e3", "-1e3"),
        # A signed percentage is a number to a spreadsheet (review 3 #10); text that
        # only starts like one is still text.
        ("+50.0%", "+50.0%"),
        ("-2.6%", "-2.6%"),
        ("+1%+cmd|' /C calc'!A0", "'+1%+cmd|' /C calc'!A0"),
        ("+%", "'+%"),
        ("-1\n", "'-1\n"),
        ("Burglary", "Burglary"),
        ("", ""),
    ],
)  # fmt: skip
def test_text_a_spreadsheet_would_run_is_neutralised(text: str, expected: str) -> None:
    assert neutralise_cell(text) == expected


def test_numbers_and_missing_values_are_untouched() -> None:
    assert neutralise_cell(-3.5) == -3.5
    assert neutralise_cell(None) is None
    row = neutralise_row(["=1", -2, float("nan"), "x"])
    assert row[0] == "'=1" and row[1] == -2 and row[2] != row[2] and row[3] == "x"


def test_neutralise_frame_keeps_numeric_columns_numeric() -> None:
    frame = pd.DataFrame({"name": ["=1+1", "ok"], "value": [-3.0, 2.0], "=col": ["a", "b"]})
    safe = neutralise_frame(frame)
    assert list(safe["name"]) == ["'=1+1", "ok"]
    assert list(safe["value"]) == [-3.0, 2.0]
    assert list(safe.columns) == ["name", "value", "'=col"]
    assert list(frame["name"]) == ["=1+1", "ok"], "the input frame is not changed"


@pytest.mark.parametrize(
    "text", ["=1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "-2.5 pp", "-3", "'quoted'", ""]
)
def test_restoring_a_neutralised_cell_gives_back_the_text(text: str) -> None:
    assert restore_cell(neutralise_cell(text)) == text
    assert restore_cell("'plain") == "'plain", "an apostrophe before other text is kept"
    frame = pd.DataFrame({"'=col": [neutralise_cell(text)]})
    assert restore_frame(frame).to_dict("list") == {"=col": [text]}


def test_a_neutralised_csv_cell_reads_back_as_its_text(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("name,value\n'=1+1,-3\n'it's,'-2.5 pp\n", encoding="utf-8")
    cells = read_cells(path, "t.csv")
    assert cells.problems == []
    assert cells.rows == [["=1+1", "-3"], ["'it's", "-2.5 pp"]]


def test_judgements_csv_holds_no_formula(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "measure_name": ['=HYPERLINK("http://evil.example/","Click me")', "Burglary"],
            "source": ["-2+3+cmd|' /C calc'!A0", "police.uk"],
            "value": [-12.5, 3.0],
        }
    )
    path = tmp_path / "judgements.csv"
    write_judgements(frame, path)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
    assert rows[1][2] == "-12.5", "a real negative number stays a number"
    assert rows[1][0].startswith("'=HYPERLINK")


def test_police_uk_counts_csv_holds_no_formula(tmp_path: Path) -> None:
    row = {column: "x" for column in COUNT_COLUMNS}
    row.update({"local_authority": "=cmd|' /C calc'!A0", "crimes": 3})
    path = write_counts(pd.DataFrame([row]), tmp_path / "counts.csv")
    text = path.read_text(encoding="utf-8")
    assert "'=cmd" in text
    assert ",=cmd" not in text and not text.split("\n")[1].startswith("=")


def test_returns_workbook_has_no_formula_from_input_text(
    sample: Path, plan_path: Path, tmp_path: Path
) -> None:
    commitments = sample / "commitments" / "commitments.csv"
    frame = pd.read_csv(commitments, dtype=str, keep_default_na=False)
    dataset = load_dataset(sample, today=TODAY)
    strategy = str(dataset.strategies["strategy_id"].iloc[0])
    chosen = frame.index[frame["strategy_id"] == strategy]
    assert len(chosen), "the first strategy has a commitment to poison"
    frame.loc[chosen[0], "commitment"] = '=WEBSERVICE("http://evil.example/")'
    frame.to_csv(commitments, index=False, lineterminator="\n")
    measures = sample / "framework" / "measures.csv"
    table = pd.read_csv(measures, dtype=str, keep_default_na=False)
    first = table.index[table["strategy_id"] == strategy][0]
    table.loc[first, "measure_name"] = "=1+1"
    table.to_csv(measures, index=False, lineterminator="\n")

    dataset = load_dataset(sample, today=TODAY)
    plan = load_forward_plan(plan_path)
    quarter = "2026/27 Q2"
    out = write_return_template(
        dataset, strategy, quarter, tmp_path / "r.xlsx", plan=plan, generated_at="2026-10-01"
    )
    workbook = load_workbook(out)
    formulas = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    texts = [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert any("WEBSERVICE" in text for text in texts), "the text is kept, as text"


# --- YAML --------------------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_at_once() -> None:
    with pytest.raises(yaml.YAMLError) as caught:
        load_yaml_text(BOMB)
    assert "anchors and aliases are not accepted" in str(caught.value)
    assert caught.value.problem_mark.line == 0  # type: ignore[attr-defined]


def test_a_plain_document_still_loads() -> None:
    assert load_yaml_text("a: 1\nb: [x, y]\n") == {"a": 1, "b": ["x", "y"]}


def test_an_oversized_document_is_refused() -> None:
    with pytest.raises(yaml.YAMLError, match="at most"):
        load_yaml_text("a: " + "x" * (MAX_YAML_BYTES + 1))


def test_an_alias_bomb_in_dataset_yaml_is_one_line(sample: Path) -> None:
    (sample / "dataset.yaml").write_text(BOMB, encoding="utf-8")
    found = [str(p) for p in validate_dataset(sample, today=TODAY)]
    bomb = [line for line in found if "dataset.yaml" in line]
    assert len(bomb) == 1 and "\n" not in bomb[0]
    assert "aliases are not accepted" in bomb[0] and "row 1" in bomb[0]


def test_an_alias_in_the_forward_plan_is_refused(tmp_path: Path, plan_path: Path) -> None:
    text = plan_path.read_text(encoding="utf-8")
    bad = tmp_path / "forward_plan.yaml"
    bad.write_text(BOMB + text, encoding="utf-8")
    with pytest.raises(ForwardPlanError, match="aliases are not accepted"):
        load_forward_plan(bad)


def test_an_alias_in_a_parameters_file_is_refused(tmp_path: Path, repo_root: Path) -> None:
    from pcplib.data.parameter_files import check_parameter_files

    folder = tmp_path / "strategies"
    folder.mkdir()
    (folder / "x.yaml").write_text("strategy: &s x\nslot: *s\n", encoding="utf-8")
    problems = [str(p) for p in check_parameter_files(folder, ["strategy", "slot"], ["x"])]
    assert any("aliases are not accepted" in p for p in problems), problems


# --- the command line -----------------------------------------------------------------------


@pytest.mark.parametrize("command", [["validate"], ["plan"]])
def test_a_closed_pipe_is_not_a_traceback(
    command: list[str], repo_root: Path, sample: Path
) -> None:
    """``pcp validate | head -1``: the reader stops early; pcp stops quietly."""
    (sample / "observations" / "observations.csv").write_text(
        "not,the,header\n" + "x,y,z\n" * 5000, encoding="utf-8"
    )
    args = [*command, str(sample)] if command == ["validate"] else command
    script = (
        "import os, sys\n"
        "r, w = os.pipe()\n"
        "os.close(r)\n"
        "os.dup2(w, 1)\n"
        "from pcplib.cli import main\n"
        f"raise SystemExit(main({args!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=repo_root, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.returncode


# --- bounded work ------------------------------------------------------------------------------


def test_a_framework_workbook_with_a_far_cell_is_refused_in_one_line(sample: Path) -> None:
    from openpyxl import Workbook

    csv_path = sample / "framework" / "missions.csv"
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    book = Workbook()
    sheet = book.active
    sheet.title = "Missions"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    sheet["XFD1048576"] = "x"
    book.save(csv_path.with_suffix(".xlsx"))
    csv_path.unlink()
    found = [str(p) for p in validate_dataset(sample, today=TODAY)]
    far = [line for line in found if "missions.xlsx" in line]
    assert len(far) == 1, found
    assert "sheet 'Missions' reaches XFD1048576" in far[0] and "\n" not in far[0]


def test_a_return_with_a_far_cell_is_refused_before_it_is_read(
    sample: Path, plan_path: Path, tmp_path: Path
) -> None:
    from pcplib.data.sources.returns_load import read_return

    dataset = load_dataset(sample, today=TODAY)
    strategy = str(dataset.strategies["strategy_id"].iloc[0])
    out = write_return_template(
        dataset,
        strategy,
        "2026/27 Q2",
        tmp_path / "r.xlsx",
        plan=load_forward_plan(plan_path),
        generated_at="2026-10-01",
    )
    book = load_workbook(out)
    book.worksheets[1]["XFD1048576"] = 5
    book.save(out)
    content, problems = read_return(out, dataset, today=TODAY)
    assert content is None
    assert len(problems) == 1
    assert "XFD1048576" in str(problems[0]) and "at most 100 columns" in str(problems[0])


def test_a_table_file_past_the_size_limit_is_refused(sample: Path, monkeypatch) -> None:
    from pcplib.data import cells

    monkeypatch.setattr(cells, "MAX_TABLE_BYTES", 1_048_576)
    path = sample / "narrative" / "narrative.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("#" * 1_100_000)
    found = [str(p) for p in validate_dataset(sample, today=TODAY)]
    assert any("a table file of at most 1 MiB" in line for line in found), found


# --- values that make sense for their unit -------------------------------------------------------


def _set_measure(sample: Path, **values: str) -> str:
    """Set cells of the first measure whose unit matches ``values['unit']``; return its id."""
    path = sample / "framework" / "measures.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    unit = values.pop("unit")
    row = table.index[table["unit"] == unit][0]
    for column, value in values.items():
        table.loc[row, column] = value
    table.to_csv(path, index=False, lineterminator="\n")
    return str(table.loc[row, "measure_id"])


@pytest.mark.parametrize(
    ("unit", "values", "expected"),
    [
        ("percent", {"target": "150"}, "a target between 0 and 100"),
        ("count", {"target": "-300"}, "a target of 0 or more"),
        ("count", {"target": "10", "good_direction": "neutral"}, "no target: measure"),
    ],
)
def test_a_target_that_makes_no_sense_for_its_unit_is_refused(
    sample: Path, unit: str, values: dict[str, str], expected: str
) -> None:
    measure = _set_measure(sample, unit=unit, **values)
    found = [str(p) for p in validate_dataset(sample, today=TODAY)]
    hits = [line for line in found if expected in line]
    assert len(hits) == 1, found
    assert "measures.csv" in hits[0] and "target" in hits[0] and measure in hits[0]


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (0.35, "0%", 35),
        (0.355, "0.0%", 35.5),
        (0.35, "General", 0.35),
        (35, "0", 35),
        ("35%", "@", "35%"),
        (True, "0%", True),
        (None, "0%", None),
    ],
)
def test_a_return_cell_shown_as_a_percentage_reads_as_that_percentage(
    value: object, number_format: str, expected: object
) -> None:
    from openpyxl import Workbook

    from pcplib.data.sources.returns_load import read_shown_number

    cell = Workbook().active["A1"]
    cell.value = value
    cell.number_format = number_format
    assert read_shown_number(cell) == expected


# --- restricted means restricted ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "np-abstraction-hours rose to 5,555",
        "NP_ABSTRACTION_HOURS rose",
        "the np abstraction hours figure",
        "Neighbourhood  officer hours\nabstracted to other duties",
        "<b>Neighbourhood officer hours</b> abstracted to other duties",
        "Ｎｅｉｇｈｂｏｕｒｈｏｏｄ officer hours abstracted to other duties",
        "Neighbourhood\u200b officer hours abstracted to other duties",
    ],
)
def test_every_spelling_of_a_restricted_measure_is_found(text: str) -> None:
    from pcplib.assessment.scope import find_restricted_mentions, normalise_for_matching

    terms = [
        normalise_for_matching("np-abstraction-hours"),
        normalise_for_matching("Neighbourhood officer hours abstracted to other duties"),
    ]
    assert find_restricted_mentions(text, terms)


def test_words_that_only_contain_a_term_are_not_mistaken_for_it() -> None:
    from pcplib.assessment.scope import find_restricted_mentions, normalise_for_matching

    assert not find_restricted_mentions(
        "overtimes and spends", [normalise_for_matching("overtime")]
    )


def test_the_last_gate_searches_public_reports_only(sample: Path, tmp_path: Path) -> None:
    from pcplib.run.jobs import Job, RunPlan
    from pcplib.run.public_check import find_public_leaks

    dataset = load_dataset(sample, today=TODAY)
    restricted = dataset.measures[dataset.measures["visibility"] == "restricted"]
    secret = str(restricted["measure_id"].iloc[0]).upper().replace("-", " ")
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "public-quarterly.html").write_text(f"<p>{secret}</p>", encoding="utf-8")
    (staging / "board.html").write_text(f"<p>{secret}</p>", encoding="utf-8")
    public = Job("public-quarterly", "public_quarterly", {}, "Public")
    board = Job("board", "delivery_strategy", {"audience": "board"}, "Board")
    plan = RunPlan(folder="x", heading="x", jobs=(public, board), slot=None, period_end=None)
    leaks = find_public_leaks(staging, plan, dataset)
    assert [leak.file for leak in leaks] == ["public-quarterly.html"]
    assert "restricted measure" in str(leaks[0])


def test_the_last_gate_searches_every_file_of_a_public_run(sample: Path, tmp_path: Path) -> None:
    from PIL import Image, PngImagePlugin

    from pcplib.run.jobs import Job, RunPlan
    from pcplib.run.public_check import find_public_leaks

    dataset = load_dataset(sample, today=TODAY)
    restricted = dataset.measures[dataset.measures["visibility"] == "restricted"]
    name = str(restricted["measure_name"].iloc[0])
    staging = tmp_path / "staging"
    (staging / "public-quarterly_files").mkdir(parents=True)
    (staging / "public-quarterly.html").write_text("<p>clean</p>", encoding="utf-8")
    (staging / "manifest.json").write_text(f'{{"x": "{name.lower()}"}}', encoding="utf-8")
    (staging / "run.log").write_text(f"note: {name.upper()}", encoding="utf-8")
    (staging / "public-quarterly_files" / "chart.svg").write_text(
        f"<svg><title>{name}</title></svg>", encoding="utf-8"
    )
    chunks = PngImagePlugin.PngInfo()
    chunks.add_text("Description", f"A chart of {name.replace(' ', '  ')}")
    Image.new("RGB", (2, 2)).save(staging / "public-quarterly.png", pnginfo=chunks)
    (staging / "public-quarterly.pdf").write_bytes(b"%PDF-1.4 binary")
    public = Job("public-quarterly", "public_quarterly", {}, "Public")
    plan = RunPlan(folder="x", heading="x", jobs=(public,), slot=None, period_end=None)
    found = sorted(leak.file for leak in find_public_leaks(staging, plan, dataset))
    assert found == [
        "manifest.json",
        "public-quarterly.png",
        "public-quarterly_files/chart.svg",
        "run.log",
    ]
    # A "public versions" folder is public whole, the plan overview beside the reports.
    overview = Job("plan-overview", "plan_overview", {}, "Overview")
    mixed = RunPlan(folder="2026-11-public", heading="x", jobs=(public, overview), slot=None,
                    period_end=None)  # fmt: skip
    assert len(find_public_leaks(staging, mixed, dataset)) == 4
    board = RunPlan(folder="2026-11", heading="x", jobs=(public, overview), slot=None,
                    period_end=None)  # fmt: skip
    assert [leak.file for leak in find_public_leaks(staging, board, dataset)] == [
        "public-quarterly.png",
        "public-quarterly_files/chart.svg",
    ]


# --- narrative says which measures it speaks of ---------------------------------------------


def test_a_measure_list_is_split_on_semicolons() -> None:
    assert split_measure_list(" vawg-dvpo; np-abstraction-hours ;;") == [
        "vawg-dvpo",
        "np-abstraction-hours",
    ]
    assert split_measure_list("") == []


def test_a_narrative_entry_naming_an_unknown_measure_is_refused(sample: Path) -> None:
    path = sample / "narrative" / "narrative.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert "measures" in table.columns, "the sample lists the measures each entry speaks of"
    table.loc[2, "measures"] = "vawg-dvpo; np-abstraction-hour"
    table.to_csv(path, index=False, lineterminator="\n")
    problems = [str(p).replace(f"{sample}/", "") for p in validate_dataset(sample, today=TODAY)]
    assert problems == [
        "narrative/narrative.csv, row 4, column measures: 'vawg-dvpo; np-abstraction-hour' — "
        "expected measure ids of framework/measures separated by ';' "
        "('np-abstraction-hour' is not one)"
    ]


def test_the_samples_narrative_names_the_measures_its_figures_quote(data_dir: Path) -> None:
    dataset = load_dataset(data_dir, today=TODAY)
    named = {m for cell in dataset.narrative["measures"] for m in split_measure_list(cell)}
    assert named and named <= set(dataset.measures["measure_id"])


# --- one clock, one zone; a production time before the data is refused ---------------------


def test_the_slot_is_chosen_on_the_date_the_produced_line_gives(monkeypatch) -> None:
    from pcplib import cli, run
    from pcplib.run import options as run_options

    # Half past midnight on 1 December in summer time is still 30 November in UTC, the
    # zone of the "Produced" line: the slot must be chosen on 30 November too.
    monkeypatch.setattr(
        run_options, "resolve_produced_at", lambda t: ("2026-12-01T00:30:00+01:00", False)
    )
    options = run.make_options(cli.build_parser().parse_args(["run", "--slot", "latest"]))
    assert options.today == dt.date(2026, 11, 30)
    given = run.make_options(
        cli.build_parser().parse_args(["run", "--slot", "latest", "--today", "2026-12-02"])
    )
    assert given.today == dt.date(2026, 12, 2), "--today still wins"


def test_a_timestamp_before_the_datas_last_period_is_refused(sample: Path) -> None:
    from pcplib import run
    from pcplib.run.errors import EXIT_USAGE, RunError
    from pcplib.run.validation import check_produced_after_data

    dataset = load_dataset(sample, today=TODAY)

    def options(at: str, fixed: bool = True) -> run.RunOptions:
        return run.RunOptions(
            out_dir=sample, data_dir=sample, forward_plan=sample, jobs=1, produced_at=at,
            reproducible=fixed,
        )  # fmt: skip

    with pytest.raises(RunError) as raised:
        check_produced_after_data(options("2026-09-15T10:00:00+00:00"), dataset)
    assert raised.value.exit_code == EXIT_USAGE
    assert str(raised.value) == (
        "--timestamp 2026-09-15T10:00:00+00:00 (or SOURCE_DATE_EPOCH) is before the data's "
        "last period ends (30 September 2026): expected a time after 30 September 2026, as "
        "reports are produced after the figures they show"
    )
    check_produced_after_data(options("2026-10-01T06:00:00+00:00"), dataset)
    check_produced_after_data(options("2026-09-15T10:00:00+00:00", fixed=False), dataset)


def test_yaml_nested_thousands_deep_is_one_line_not_a_recursion_error(sample: Path) -> None:
    path = sample / "dataset.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "x: " + "[" * 5000 + "]" * 5000 + "\n")
    problems = [str(p) for p in validate_dataset(sample, today=TODAY)]
    assert len(problems) == 1, problems
    assert "dataset.yaml" in problems[0]
    assert "expected valid YAML (values nested at most 50 levels deep" in problems[0]
    with pytest.raises(yaml.YAMLError):
        load_yaml_text("a: " + "[" * 51 + "]" * 51)
    assert load_yaml_text("a: " + "[" * 49 + "]" * 49) is not None


# --- progress for large inputs ------------------------------------------------------------------


def test_validation_tells_its_stages_and_large_files(sample: Path, monkeypatch) -> None:
    from pcplib.data import read as data_read

    told: list[str] = []
    assert validate_dataset(sample, today=TODAY, progress=told.append) == []
    assert told[-3:] == [
        "checking each table's values",
        "checking the tables against each other (ids, periods, values, definitions)",
        "checking the areas",
    ]
    assert not any(stage.startswith("reading") for stage in told), "small files: no line"
    monkeypatch.setattr(data_read, "PROGRESS_FILE_BYTES", 1)
    told.clear()
    validate_dataset(sample, today=TODAY, progress=told.append)
    assert f"reading {(sample / 'observations' / 'observations.csv').as_posix()} (0 MiB)" in told


def test_pcp_validate_shows_progress_on_stderr_for_a_large_data_set_only(
    sample: Path, monkeypatch, capsys
) -> None:
    from pcplib import cli

    assert cli.make_validation_progress(sample) is None
    monkeypatch.setattr(cli, "LARGE_DATA_BYTES", 1)
    assert cli.main(["validate", str(sample)]) == 0
    out = capsys.readouterr()
    stages = [line for line in out.err.splitlines() if line.startswith("pcp validate: ")]
    assert any("checking the areas (" in line for line in stages), out.err
    assert "pcp validate:" not in out.out, "the result on stdout stays as it was"


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,2\n",
        "a,b\r\n1,2\r\n",
        "a,b\r1,2\r",
        'a,b\n"x\ny",2\n',
        'a,b\r\n"p\r\nq",3',
        "a,b\n1,2",
    ],
)
def test_a_large_csv_reads_exactly_as_a_small_one(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcplib.data import cells as data_cells

    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    small = read_cells(path, "t.csv")
    # Read as a large file is: a line at a time, repeated cells shared.
    monkeypatch.setattr(data_cells, "SHARE_CELLS_FROM_CHARS", 1)
    large = read_cells(path, "t.csv")
    assert (large.header, large.rows, large.problems) == (small.header, small.rows, small.problems)
    assert large.sha256 == small.sha256 != ""
