"""One test per kind of bad input a new user makes: the data set, the forward plan, parameters.

Each kind must give one line per problem naming the file (and the row and column, or
the sheet and cell), the value and what was expected, and no follow-on errors from
the first problem; the inputs are never changed. docs/error-handling.md tabulates
every kind with the test that covers it.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pcplib import assessment
from pcplib.data import (
    DataValidationError,
    Problem,
    load_dataset,
    summarise_problems,
    summarise_validation,
    validate_dataset,
)
from pcplib.data.forward_plan import ForwardPlanError, load_forward_plan
from pcplib.data.read import NUMBER_EXPECTED
from pcplib.errors import ParameterError
from pcplib.notebook import check_injected_parameters

TODAY = dt.date(2026, 11, 23)
OBS = "observations/observations.csv"
MEASURES = "framework/measures.csv"
MISSIONS = "framework/missions.csv"
STRATEGIES = "framework/strategies.csv"
COMMITMENTS = "commitments/commitments.csv"
NARRATIVE = "narrative/narrative.csv"
STRATEGY_PARAMETERS = (
    "strategy",
    "slot",
    "meeting",
    "period_end",
    "data_dir",
    "spc_rules",
    "audience",
    "forward_plan",
    "history_dir",
    "produced_at",
)


@pytest.fixture
def sample(tmp_path: Path, data_dir: Path) -> Path:
    """A writable copy of the shipped sample (without data/reference/)."""
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("reference"))
    return target


@pytest.fixture
def plan_file(repo_root: Path) -> Path:
    return repo_root / "data" / "forward_plan.yaml"


def lines_for(root: Path, forward_plan: Path | None = None) -> list[str]:
    """Every problem validation reports, as the one-line messages users read."""
    return [str(p) for p in validate_dataset(root, forward_plan=forward_plan, today=TODAY)]


def only_line(root: Path, forward_plan: Path | None = None) -> str:
    found = lines_for(root, forward_plan)
    assert len(found) == 1, "\n".join(found)
    assert "\n" not in found[0]
    return found[0]


def replace_line(path: Path, number: int, old: str, new: str) -> None:
    """Replace text in one line of a file (1 = the header), keeping its bytes otherwise."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def set_first_value(root: Path, text: str) -> None:
    """Write ``text`` (quoted) as the first observation's value (row 2)."""
    path = root / OBS
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[1].split(",")
    cells[3] = f'"{text}"'
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def keep_header_only(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")


def as_workbook(root: Path, relative: str, sheet: str = "Sheet1") -> Path:
    """Replace a table's CSV with a workbook of the same cells; return the workbook."""
    frame = pd.read_csv(root / relative, dtype=str, keep_default_na=False)
    target = (root / relative).with_suffix(".xlsx")
    frame.to_excel(target, index=False, sheet_name=sheet)
    (root / relative).unlink()
    return target


# --- numbers ---------------------------------------------------------------------------------


def test_a_decimal_comma_is_refused_not_read_as_a_larger_number(sample: Path) -> None:
    set_first_value(sample, "1,23")
    assert only_line(sample) == (
        f"{(sample / OBS).as_posix()}, row 2, column value: '1,23' — expected {NUMBER_EXPECTED}"
    )


def test_a_true_thousands_separator_is_read(sample: Path) -> None:
    set_first_value(sample, "1,234,567.5")
    assert lines_for(sample) == []
    assert load_dataset(sample, today=TODAY).observations.loc[0, "value"] == 1234567.5


@pytest.mark.parametrize(
    "text",
    ["1 234", "12%", "£1,234", "1.234,5", "\u22125", "0x10", "nan", "inf", "1_000", "12,3456"],
)
def test_other_ways_of_writing_numbers_are_refused(sample: Path, text: str) -> None:
    set_first_value(sample, text)
    line = only_line(sample)
    assert f"row 2, column value: {text!r} — expected {NUMBER_EXPECTED}" in line


# --- empty and header-only files ---------------------------------------------------------------


def test_observations_with_only_a_header_are_a_plan_with_no_figures_yet(sample: Path) -> None:
    # A new plan is valid before its first figures (pcp source and pcp returns load, which
    # bring them, need it valid); its reports refuse in one line instead (test_new_plan).
    keep_header_only(sample / OBS)
    # SPC recalculation dates need figures to fall among, so a plan sets them later.
    measures = pd.read_csv(sample / MEASURES, dtype=str, keep_default_na=False)
    measures[["spc_recalculate_from", "spc_recalculate_note"]] = ""
    measures.to_csv(sample / MEASURES, index=False)
    assert lines_for(sample) == []


def test_strategies_with_only_a_header_give_one_line_not_a_flood(
    sample: Path, plan_file: Path
) -> None:
    keep_header_only(sample / STRATEGIES)
    assert "(it has no rows)" in only_line(sample, plan_file)


def test_an_empty_file_says_it_is_empty(sample: Path, plan_file: Path) -> None:
    (sample / STRATEGIES).write_bytes(b"")
    assert only_line(sample, plan_file).endswith("(the file is empty)")


# --- text encodings and CSV structure ----------------------------------------------------------


def test_latin1_text_names_the_row_column_and_utf8(sample: Path) -> None:
    path = sample / MISSIONS
    text = path.read_text(encoding="utf-8")
    name = text.split("\n")[1].split(",")[1]
    path.write_bytes(text.replace(name, name + " café", 1).encode("latin-1"))
    line = only_line(sample)
    assert line.startswith(f"{path.as_posix()}, row 2, column mission_name: '{name} café'")
    assert "expected UTF-8 text (save the file as CSV UTF-8): byte 0xE9" in line
    assert "position" not in line


def test_many_latin1_cells_are_one_line(sample: Path) -> None:
    path = sample / NARRATIVE
    text = path.read_text(encoding="utf-8").replace("e", "é")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    line = only_line(sample)
    assert "more cell(s) in the file are not UTF-8 either" in line


def test_a_utf16_file_is_named_as_such(sample: Path) -> None:
    path = sample / MISSIONS
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert only_line(sample).endswith("this file is UTF-16 ('Unicode text')")


def test_a_binary_file_is_not_read_as_text(sample: Path) -> None:
    (sample / MISSIONS).write_bytes(b"mission_id,mission_name\n\x00\x01\x02")
    assert "the file holds a NUL byte" in only_line(sample)


def test_an_unclosed_quote_is_reported_as_one_not_as_a_wrong_status(sample: Path) -> None:
    replace_line(sample / OBS, 5, ",final,", ',"final,')
    line = only_line(sample)
    assert line.startswith(f"{(sample / OBS).as_posix()}, row 5, column status:")
    assert "an unclosed quote starting in row 5" in line
    assert "expected one of" not in line


def test_an_unclosed_quote_at_the_end_of_the_file(sample: Path) -> None:
    path = sample / NARRATIVE
    rows = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join(rows) + '\nvawg,2026/27 Q2,risks,"never closed\n', encoding="utf-8")
    assert f"an unclosed quote starting in row {len(rows) + 1}" in only_line(sample)


def test_line_breaks_inside_quoted_text_are_fine(sample: Path) -> None:
    path = sample / NARRATIVE
    rows = path.read_text(encoding="utf-8").split("\n")
    cells = next(csv.reader([rows[1]]))
    # The text, the fourth column, gets a line break; the measures after it are kept.
    rows[1] = ",".join([*cells[:3], '"First line.\nSecond line."', *cells[4:]])
    path.write_text("\n".join(rows), encoding="utf-8")
    assert lines_for(sample) == []


def test_a_byte_order_mark_is_accepted(sample: Path) -> None:
    path = sample / MISSIONS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert lines_for(sample) == []


def test_windows_line_endings_are_accepted(sample: Path) -> None:
    path = sample / OBS
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert lines_for(sample) == []


def test_a_repeated_column_name(sample: Path) -> None:
    replace_line(sample / MISSIONS, 1, "description", "mission_name")
    assert only_line(sample) == (
        f"{(sample / MISSIONS).as_posix()}, row 1, column mission_name: expected each column "
        "once ('mission_name' heads both column B and column C; remove or rename one)"
    )


def test_a_column_name_in_capitals_is_one_problem(sample: Path) -> None:
    replace_line(sample / OBS, 1, "value", "Value")
    assert only_line(sample).endswith(
        "column Value: expected the column name 'value' exactly as written (lower case, "
        "with underscores)"
    )


def test_a_row_with_an_extra_cell(sample: Path) -> None:
    replace_line(sample / OBS, 7, ",LLR,", ",LLR,extra,")
    assert only_line(sample) == (
        f"{(sample / OBS).as_posix()}, row 7: expected 11 cells, one per column of the header; "
        "this row has 12 (a comma in a value must be in quotes)"
    )


def test_a_row_with_a_missing_cell(sample: Path) -> None:
    replace_line(sample / OBS, 7, ",LLR,", ",")
    assert "row 7: expected 11 cells" in only_line(sample)


def test_many_ragged_rows_are_counted_not_listed(sample: Path) -> None:
    path = sample / OBS
    rows = path.read_text(encoding="utf-8").split("\n")
    rows[1:11] = [row.replace(",LLR,", ",LLR,x,") for row in rows[1:11]]
    path.write_text("\n".join(rows), encoding="utf-8")
    found = lines_for(sample)
    assert len(found) == 4
    assert found[-1].endswith("7 more row(s) have a different number")


@pytest.mark.parametrize(
    "above", ["Observations for 2026/27 Q2\n", "Observations for 2026/27 Q2,,,\n"]
)
def test_a_title_above_the_header_is_one_line(sample: Path, above: str) -> None:
    path = sample / OBS
    path.write_text(above + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert "(a title above the header, or a column name missing?)" in only_line(sample)


def test_a_blank_first_row_is_one_line(sample: Path) -> None:
    path = sample / OBS
    path.write_text("\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert only_line(sample).endswith(
        "row 1: expected the column names in row 1 (it is blank; the header goes in the first row)"
    )


def test_another_tables_file_is_one_line(sample: Path) -> None:
    shutil.copy(sample / MISSIONS, sample / OBS)
    line = only_line(sample)
    assert "expected the observations table's column names in row 1" in line
    assert "row 1 holds 'mission_id', 'mission_name', 'description'" in line


def test_a_long_value_is_shortened_to_keep_one_line(sample: Path) -> None:
    set_first_value(sample, "9" * 500 + "x")
    line = only_line(sample)
    assert "… (501 characters)" in line and len(line) < 400


def test_semicolon_separated_values(sample: Path) -> None:
    path = sample / MISSIONS
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    assert "this file separates them with semicolons" in only_line(sample)


# --- files and folders that are not what they should be ------------------------------------------


def test_a_folder_where_a_table_should_be(sample: Path) -> None:
    (sample / MISSIONS).unlink()
    (sample / MISSIONS).mkdir()
    assert only_line(sample) == f"{(sample / MISSIONS).as_posix()}: expected a file, not a folder"


def test_a_symlink_loop_where_a_table_should_be(sample: Path) -> None:
    (sample / MISSIONS).unlink()
    os.symlink(sample / MISSIONS, sample / MISSIONS)
    assert only_line(sample).endswith("(this is a link to nothing, or a link loop)")


def test_a_file_that_cannot_be_read(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, which reads any file: refuse the read as a locked file would.
    target = sample / MISSIONS
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert only_line(sample) == (
        f"{target.as_posix()}: expected a file that can be read (Permission denied)"
    )


def test_a_missing_data_folder(tmp_path: Path) -> None:
    assert only_line(tmp_path / "nowhere").endswith("expected a data folder (it does not exist)")


def test_a_file_where_the_data_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a folder", encoding="utf-8")
    assert only_line(tmp_path / "data").endswith("expected a data folder (it is a file)")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("description: caf\u00e9\n".encode("latin-1"), "row 1: expected UTF-8 text"),
        (b"- a\n- b\n", "expected a YAML mapping with illustrative and description"),
        (b"illustrative: true\ndescription: [a\n", "row 3: expected valid YAML"),
    ],
    ids=["latin-1", "a list", "broken YAML"],
)
def test_a_bad_dataset_yaml(sample: Path, content: bytes, expected: str) -> None:
    (sample / "dataset.yaml").write_bytes(content)
    assert expected in only_line(sample)


# --- Excel workbooks ---------------------------------------------------------------------------


def test_a_truncated_workbook_names_the_file(sample: Path) -> None:
    workbook = as_workbook(sample, MISSIONS)
    workbook.write_bytes(workbook.read_bytes()[:1000])
    assert only_line(sample) == (
        f"{workbook.as_posix()}: expected an Excel workbook (.xlsx) that opens: it is not a zip "
        "archive, as every .xlsx is (a truncated copy, or another format renamed .xlsx)"
    )


def test_a_text_file_named_xlsx(sample: Path) -> None:
    (sample / MISSIONS).rename((sample / MISSIONS).with_suffix(".xlsx"))
    assert "expected an Excel workbook (.xlsx) that opens" in only_line(sample)


def test_an_old_or_encrypted_workbook(sample: Path) -> None:
    (sample / MISSIONS).unlink()
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    (sample / "framework" / "missions.xlsx").write_bytes(ole)
    assert "old-format .xls workbook or a password-protected one" in only_line(sample)


def test_a_zip_that_is_not_a_workbook(sample: Path) -> None:
    (sample / MISSIONS).unlink()
    with zipfile.ZipFile(sample / "framework" / "missions.xlsx", "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    assert "a zip archive but holds no Excel workbook" in only_line(sample)


def test_a_workbook_problem_names_the_sheet_and_cell(sample: Path) -> None:
    frame = pd.read_csv(sample / COMMITMENTS, dtype=str, keep_default_na=False)
    frame.loc[3, "status"] = "done"
    frame.to_excel(sample / "commitments" / "commitments.xlsx", index=False, sheet_name="Returns")
    (sample / COMMITMENTS).unlink()
    assert only_line(sample) == (
        f"{(sample / 'commitments/commitments.xlsx').as_posix()}, sheet Returns, cell D5, "
        "column status: 'done' — expected one of 'complete', 'on track', 'at risk', "
        "'off track', 'not started'"
    )


def test_a_workbook_with_only_a_header(sample: Path) -> None:
    frame = pd.read_csv(sample / MISSIONS, dtype=str)
    frame.iloc[:0].to_excel(sample / "framework" / "missions.xlsx", index=False)
    (sample / MISSIONS).unlink()
    assert only_line(sample).endswith(
        "sheet Sheet1: expected at least one row of data below the header (it has no rows)"
    )


def test_a_workbook_with_an_empty_first_sheet(sample: Path) -> None:
    (sample / MISSIONS).unlink()
    pd.DataFrame().to_excel(sample / "framework" / "missions.xlsx", index=False)
    assert "the first sheet is empty" in only_line(sample)


def test_a_workbook_repeating_a_column(sample: Path) -> None:
    frame = pd.read_csv(sample / MISSIONS, dtype=str)
    frame.columns = ["mission_id", "mission_name", "mission_name"]
    frame.to_excel(sample / "framework" / "missions.xlsx", index=False)
    (sample / MISSIONS).unlink()
    assert "sheet Sheet1, cell C1, column mission_name: expected each column once" in (
        only_line(sample)
    )


def test_text_na_in_a_workbook_stays_text(sample: Path) -> None:
    frame = pd.read_csv(sample / NARRATIVE, dtype=str, keep_default_na=False)
    frame.loc[0, "text"] = "NA"
    frame.to_excel(sample / "narrative" / "narrative.xlsx", index=False)
    (sample / NARRATIVE).unlink()
    assert lines_for(sample) == []
    assert load_dataset(sample, today=TODAY).narrative.loc[0, "text"] == "NA"


# --- no flood of follow-on errors --------------------------------------------------------------


def test_a_column_of_wrong_dates_is_counted_in_one_line(sample: Path) -> None:
    path = sample / OBS
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.strftime("%d/%m/%Y")
    frame.to_csv(path, index=False)
    valid, out = summarise_validation(sample, today=TODAY)
    assert not valid
    assert len(out) == 5  # three rows, one line counting the rest, the total
    assert "more with the same problem (rows 5 to " in out[3]
    assert "spc_recalculate_from" not in "\n".join(out)  # no follow-on from the bad dates


def test_a_bad_frequency_is_not_reported_again_on_every_observation(sample: Path) -> None:
    frame = pd.read_csv(sample / MEASURES, dtype=str, keep_default_na=False)
    row = int(frame.index[frame["frequency"] == "monthly"][0])
    frame.loc[row, "frequency"] = "month"
    frame.to_csv(sample / MEASURES, index=False)
    assert "column frequency: 'month'" in only_line(sample)


def test_summarise_problems_lists_every_one_when_asked() -> None:
    problems = [Problem("f.csv", row, "c", "x", "y") for row in range(2, 10)]
    assert len(summarise_problems(problems)) == 4
    assert len(summarise_problems(problems, per_kind=None)) == 8


def test_a_data_error_in_a_notebook_shows_its_problems_not_a_traceback(sample: Path) -> None:
    set_first_value(sample, "1,23")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(sample, today=TODAY)
    shown = caught.value._render_traceback_()
    assert shown[0] == f"DataValidationError: 1 problem(s) with the data set in {sample}:"
    assert shown[1].strip().startswith(f"{(sample / OBS).as_posix()}, row 2, column value")


# --- the forward plan --------------------------------------------------------------------------


def test_a_malformed_forward_plan_says_expected_once(tmp_path: Path, plan_file: Path) -> None:
    path = tmp_path / "forward_plan.yaml"
    path.write_text(plan_file.read_text(encoding="utf-8").replace('"2025-07"', '"2025-7"'), "utf-8")
    with pytest.raises(ForwardPlanError) as caught:
        load_forward_plan(path)
    message = str(caught.value)
    assert message == (
        f"{path.as_posix()}, row 23, column slot: '2025-7' — expected a month written YYYY-MM, "
        "such as 2026-11"
    )
    assert message.count("expected") == 1


def test_a_malformed_forward_plan_through_validation(
    sample: Path, tmp_path: Path, plan_file: Path
) -> None:
    path = tmp_path / "forward_plan.yaml"
    path.write_text(plan_file.read_text(encoding="utf-8").replace('"2025-07"', '"2025-7"'), "utf-8")
    line = only_line(sample, path)
    assert line.count("expected") == 1 and "row 23, column slot" in line


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "expected a forward plan YAML file (it does not exist)"),
        (b"years: [\n", "row 2: expected valid YAML"),
        ("source: caf\u00e9\n".encode("latin-1"), "row 1: expected UTF-8 text"),
        (b"- 2026/27\n", "expected a mapping with 'source', 'notes' and a 'years' list"),
        (
            b"years:\n  - year: '2026/27'\n    slots:\n      - slot: '2026-05'\n"
            b"        strategies: [[a]]\n",
            "column strategies: \"[['a']]\" — expected a list of strategy ids",
        ),
    ],
    ids=["missing", "broken YAML", "latin-1", "a list", "nested list"],
)
def test_a_forward_plan_that_cannot_be_read(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    path = tmp_path / "forward_plan.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ForwardPlanError) as caught:
        load_forward_plan(path)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


# --- parameters --------------------------------------------------------------------------------


def history(*cells: str) -> dict[str, object]:
    """A notebook namespace whose input history holds ``cells``, as IPython keeps it."""
    return {"_ih": ["", *cells]}


def test_a_misspelt_injected_parameter_is_refused_in_one_line() -> None:
    namespace = history(
        'strategy = "neighbourhood-crime"\nslot = "2026-11"\n',
        '# Parameters\nstratgy = "vawg"\nslot = "2026-11"\n',
    )
    with pytest.raises(ParameterError) as caught:
        check_injected_parameters(namespace, STRATEGY_PARAMETERS)
    message = str(caught.value)
    assert message.startswith("unknown parameter 'stratgy' (did you mean 'strategy'?)")
    assert "expected only strategy, slot, meeting, period_end" in message
    assert caught.value._render_traceback_() == [f"ParameterError: {message}"]


def test_declared_injected_parameters_pass() -> None:
    namespace = history('# Parameters\nstrategy = "vawg"\nslot = "2026-11"\n')
    check_injected_parameters(namespace, STRATEGY_PARAMETERS)


def test_the_declared_names_are_read_from_the_parameters_cell_as_run() -> None:
    parameters = 'strategy = "neighbourhood-crime"\nslot = "2026-11"\nmeeting = ""\n'
    # A parameter added to the parameters cell needs no change to the check.
    check_injected_parameters(history(parameters, '# Parameters\nmeeting = "2026-11-26"\n'))
    with pytest.raises(ParameterError) as caught:
        check_injected_parameters(history(parameters, '# Parameters\nmeting = "2026-11-26"\n'))
    assert str(caught.value).startswith(
        "unknown parameter 'meting' (did you mean 'meeting'?): expected only strategy, slot, "
        "meeting;"
    )


def test_without_papermill_nothing_is_checked() -> None:
    # Run by hand in JupyterLab: other cells' variables are not parameters.
    check_injected_parameters(history('colour = "red"\n'), STRATEGY_PARAMETERS)
    check_injected_parameters({}, STRATEGY_PARAMETERS)


def test_parameter_checks_raise_parameter_errors(data_dir: Path) -> None:
    dataset = load_dataset(data_dir, today=TODAY)
    with pytest.raises(ParameterError, match=r"unknown strategy 'vawgg' \(did you mean 'vawg'\?\)"):
        assessment.check_parameters(dataset, strategy="vawgg")
    with pytest.raises(ParameterError, match="year '2030/31' is not covered by the data") as out:
        assessment.check_parameters(dataset, year="2030/31")
    # The message names the financial years the data cover in full.
    assert "2024/25, 2025/26)" in str(out.value) and "\n" not in str(out.value)
    with pytest.raises(ValueError):  # still a ValueError for callers that catch those
        assessment.check_parameters(dataset, audience="everyone")


# --- parameters files (params/strategies), checked by pcp validate -----------------------------


@pytest.fixture
def params(tmp_path: Path, repo_root: Path) -> Path:
    """A writable copy of params/strategies."""
    target = tmp_path / "strategies"
    shutil.copytree(repo_root / "params" / "strategies", target)
    return target


def parameter_lines(data_dir: Path, folder: Path) -> list[str]:
    found = validate_dataset(
        data_dir, today=TODAY, parameter_files=folder, declared=STRATEGY_PARAMETERS
    )
    return [str(p) for p in found]


def test_the_shipped_parameters_files_are_valid(data_dir: Path, repo_root: Path) -> None:
    from pcplib.data import read_notebook_parameter_names

    notebook = repo_root / "notebooks" / "delivery_strategy.ipynb"
    assert read_notebook_parameter_names(notebook) == list(STRATEGY_PARAMETERS)
    assert parameter_lines(data_dir, repo_root / "params" / "strategies") == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b'stratgy: "vawg"\nslot: "2026-11"\n',
            "row 1, column stratgy: expected only the report's parameters (did you mean "
            "'strategy'?): strategy, slot, meeting, period_end",
        ),
        (b"- vawg\n- 2026-11\n", "vawg.yaml: 'list' — expected a mapping of parameter names"),
        ('strategy: "vawg"\nslot: "caf\u00e9"\n'.encode("latin-1"), "row 2: expected UTF-8 text"),
        (b'strategy: "vawg"\nslot: [\n', "row 3: expected valid YAML"),
        (
            b'strategy: "vawg"\nperiod_end: 2026-09-30\n',
            "row 2, column period_end: '2026-09-30' — expected text in quotes",
        ),
        (b'strategy: "vawgg"\n', "row 1, column strategy: 'vawgg' — expected a strategy_id"),
    ],
    ids=["misspelt key", "not a mapping", "latin-1", "broken YAML", "unquoted value", "strategy"],
)
def test_a_bad_parameters_file_is_one_line(
    data_dir: Path, params: Path, content: bytes, expected: str
) -> None:
    (params / "vawg.yaml").write_bytes(content)
    [line] = parameter_lines(data_dir, params)
    assert line.startswith((params / "vawg.yaml").as_posix())
    assert expected in line


def test_pcp_validate_checks_the_parameters_files(
    tmp_path: Path, repo_root: Path, data_dir: Path, capsys
) -> None:
    from pcplib import cli

    root = tmp_path / "repo"
    shutil.copytree(repo_root / "params", root / "params")
    shutil.copytree(repo_root / "notebooks", root / "notebooks")
    (root / "params" / "strategies" / "vawg.yaml").write_text('stratgy: "vawg"\n', "utf-8")
    # The data set's own forward plan is used: no --forward-plan needed.
    argv = ["validate", str(data_dir)]
    assert cli.main([*argv, "--params", str(root / "params" / "strategies")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(
        "vawg.yaml, row 1, column stratgy: expected only the report's parameters (did you mean "
        f"'strategy'?): {', '.join(STRATEGY_PARAMETERS)}"
    )


def test_a_folder_holding_none_of_the_data_sets_files(tmp_path: Path, data_dir: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert only_line(tmp_path / "empty").endswith(
        "(it holds none of them: is this the right folder?)"
    )
    assert "is this the right folder?" in only_line(data_dir / "framework")


@pytest.mark.parametrize("name", ["missions.xls", "missions.CSV", "Missions.csv", "missions.txt"])
def test_a_table_saved_under_another_form_or_case_is_named(sample: Path, name: str) -> None:
    (sample / MISSIONS).rename(sample / "framework" / name)
    assert only_line(sample).endswith(
        f"(neither exists; found {name}: it must be named missions.csv or missions.xlsx, "
        "exactly (save an .xls or .txt file as one of them))"
    )


# --- new inputs: data.police.uk downloads and the owners' quarterly returns ----------------


def run_pcp(capsys, *argv: str | Path) -> tuple[int, list[str]]:
    """Run the pcp command; return its exit code and every line it printed."""
    from pcplib import cli

    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, [line for line in (captured.out + captured.err).splitlines() if line.strip()]


def street_archive(police_uk, path: Path, text: str | bytes) -> Path:
    member = "2024-05/2024-05-leicestershire-street.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("2024-05/", "")
        archive.writestr(member, text)
    return path


def test_a_latin1_police_uk_file_names_the_row_not_a_position(
    tmp_path: Path, police_uk, capsys
) -> None:
    rows = [police_uk.row("2024-05"), police_uk.row("2024-05", location="On or near Café Lane")]
    archive = street_archive(police_uk, tmp_path / "d.zip", police_uk.csv(rows).encode("latin-1"))
    code, lines = run_pcp(capsys, "source", "police-uk", archive, "--counts", tmp_path / "c.csv")
    assert code == 1
    assert lines[0] == (
        f"error: {archive.as_posix()}, member 2024-05/2024-05-leicestershire-street.csv, row 3: "
        "expected UTF-8 text (save the file as CSV UTF-8): byte 0xE9 is not UTF-8 (perhaps "
        "Windows-1252 or Latin-1)"
    )
    assert not (tmp_path / "c.csv").exists()


def test_an_unclosed_quote_in_a_police_uk_file(tmp_path: Path, police_uk, capsys) -> None:
    text = police_uk.csv([police_uk.row("2024-05")]) + 'x,2024-05,"Leicestershire Police\n'
    archive = street_archive(police_uk, tmp_path / "d.zip", text)
    code, lines = run_pcp(capsys, "source", "police-uk", archive, "--counts", tmp_path / "c.csv")
    assert code == 1
    assert lines[0].endswith(
        "row 3: expected a closing quote: an unclosed quote starting in row 3 runs into the rows "
        "after it; close the quote, or remove it"
    )


@pytest.mark.parametrize(
    ("option", "make", "expected"),
    [
        ("--counts", "folder", "a folder; expected a file to write the counts to"),
        ("--counts", "under a file", "is a file; expected a folder to write into"),
        ("--data", "missing", "expected a data set folder (it does not exist)"),
        ("--data", "file", "expected a data set folder (it is a file)"),
    ],
)
def test_police_uk_destinations_are_checked_before_reading(
    tmp_path: Path, police_uk, capsys, option: str, make: str, expected: str
) -> None:
    archive = street_archive(
        police_uk, tmp_path / "d.zip", police_uk.csv([police_uk.row("2024-05")])
    )
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    (tmp_path / "a-folder").mkdir()
    target = {
        "folder": tmp_path / "a-folder",
        "under a file": tmp_path / "a-file" / "c.csv",
        "missing": tmp_path / "nowhere",
        "file": tmp_path / "a-file",
    }[make]
    code, lines = run_pcp(capsys, "source", "police-uk", archive, option, target)
    assert code == 2
    [line] = lines
    assert line.startswith(f"pcp source police-uk: {option} {target}: ")
    assert expected in line and line.endswith("; nothing was read or written")


def test_a_police_uk_update_of_an_unreadable_data_set_is_one_line_each(
    tmp_path: Path, police_uk, capsys
) -> None:
    archive = street_archive(
        police_uk, tmp_path / "d.zip", police_uk.csv([police_uk.row("2024-05")])
    )
    (tmp_path / "empty").mkdir()
    code, lines = run_pcp(capsys, "source", "police-uk", archive, "--data", tmp_path / "empty")
    assert code == 1
    assert lines[-2].endswith("(it holds none of them: is this the right folder?)")
    assert (
        lines[-1]
        == f"Refused: the data set {tmp_path / 'empty'} cannot be read; nothing was written"
    )


def test_a_truncated_return_names_the_workbook(sample: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "vawg.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(bad, index=False)
    bad.write_bytes(bad.read_bytes()[:300])
    code, lines = run_pcp(
        capsys, "returns", "load", bad, "--data", sample, "--dry-run", "--today", "2026-11-23"
    )
    assert code == 1
    assert lines[0] == (
        "vawg.xlsx: expected an Excel workbook (.xlsx) that opens: it is not a zip archive, as "
        "every .xlsx is (a truncated copy, or another format renamed .xlsx)"
    )


def test_a_folder_given_as_a_return(sample: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "vawg.xlsx").mkdir()
    code, lines = run_pcp(capsys, "returns", "load", tmp_path / "vawg.xlsx", "--data", sample)
    assert code == 2
    assert lines == [
        f"{(tmp_path / 'vawg.xlsx').as_posix()}: a folder; expected a return workbook (.xlsx)"
    ]


def test_a_return_template_under_a_file_is_a_usage_error(
    sample: Path, tmp_path: Path, capsys
) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    target = tmp_path / "a-file" / "vawg.xlsx"
    code, lines = run_pcp(
        capsys, "returns", "template", "--strategy", "vawg", "--quarter", "2026/27 Q2",
        "--out", target, "--data", sample, "--today", "2026-11-23",
    )  # fmt: skip
    assert code == 2
    assert lines == [
        f"--out {target.as_posix()}: {(tmp_path / 'a-file').as_posix()} is a file; expected a "
        "folder"
    ]


def test_trailing_empty_cells_on_every_row_are_accepted(sample: Path) -> None:
    path = sample / MISSIONS
    rows = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join([rows[0], *(row + ",," for row in rows[1:])]) + "\n", "utf-8")
    assert lines_for(sample) == []


@pytest.mark.parametrize("relative", [COMMITMENTS, NARRATIVE])
def test_commitments_and_narrative_may_hold_only_their_header(sample: Path, relative: str) -> None:
    keep_header_only(sample / relative)
    assert lines_for(sample) == []


def test_commitments_and_narrative_may_be_empty(sample: Path) -> None:
    # A new data set may have no commitments or narrative yet: header-only files load.
    for name in ("commitments/commitments.csv", "narrative/narrative.csv"):
        keep_header_only(sample / name)
    dataset = load_dataset(sample, today=TODAY)
    assert dataset.commitments.empty and dataset.narrative.empty


def test_read_parameter_names_reads_assignments_in_order() -> None:
    from pcplib.data.parameter_files import read_parameter_names

    source = 'strategy = "vawg"\nslot: str = "2026-11"  # the slot\nx.y = 1\nlabel: str\n'
    assert read_parameter_names(source) == ["strategy", "slot"]
    assert read_parameter_names("not python (") == []
