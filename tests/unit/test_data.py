"""Tests of pcplib.data: loading, the Dataset helpers and every validation check."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcplib.data import (
    TABLES,
    Dataset,
    DataValidationError,
    Problem,
    load_dataset,
    parse_recalculation_dates,
    summarise_validation,
    validate_dataset,
)
from pcplib.data.read import NUMBER_EXPECTED

TODAY = dt.date(2026, 11, 23)
OBS = "observations/observations.csv"
MEASURES = "framework/measures.csv"
STRATEGIES = "framework/strategies.csv"
COMMITMENTS = "commitments/commitments.csv"
NARRATIVE = "narrative/narrative.csv"


@pytest.fixture
def sample(tmp_path: Path, data_dir: Path) -> Path:
    """A writable copy of the shipped sample (without data/reference/)."""
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("reference"))
    return target


@pytest.fixture(scope="module")
def dataset(data_dir: Path) -> Dataset:
    return load_dataset(data_dir, today=TODAY)


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def edit_cell(root: Path, relative: str, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` is the spreadsheet row (header = 1)."""
    rows = read_rows(root / relative)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(root / relative, rows)


def find_row(root: Path, relative: str, **match: str) -> int:
    """Return the spreadsheet row of the first data row matching every column given."""
    rows = read_rows(root / relative)
    header = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        if all(row[header.index(k)] == v for k, v in match.items()):
            return number
    raise AssertionError(f"no row matching {match}")


def problems_for(root: Path, column: str | None = None, **kwargs) -> list[Problem]:
    found = validate_dataset(root, today=TODAY, **kwargs)
    return [p for p in found if column is None or p.column == column]


def only_problem(root: Path, **kwargs) -> Problem:
    found = validate_dataset(root, today=TODAY, **kwargs)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


# --- the shipped sample ----------------------------------------------------------------


def test_sample_is_valid(data_dir: Path, repo_root: Path) -> None:
    plan = repo_root / "data" / "forward_plan.yaml"
    assert validate_dataset(data_dir, forward_plan=plan, today=TODAY) == []


def test_sample_loads_typed(dataset: Dataset) -> None:
    assert dataset.illustrative is True
    assert "not real performance data" in dataset.description
    obs = dataset.observations
    assert list(obs.columns) == list(TABLES["observations"].columns)
    assert pd.api.types.is_datetime64_any_dtype(obs["period_start"])
    assert pd.api.types.is_datetime64_any_dtype(obs["period_end"])
    assert pd.api.types.is_float_dtype(obs["value"])
    assert dataset.measures["comparable"].dtype == bool
    assert pd.api.types.is_datetime64_any_dtype(dataset.commitments["due_date"])
    # Empty text cells load as "", never NaN; empty numbers as NaN.
    assert dataset.measures["vrn_measure"].notna().all()
    assert (dataset.measures["vrn_measure"] == "").any()
    assert dataset.measures["target"].isna().any()
    assert obs.index.equals(pd.RangeIndex(len(obs)))


def test_files_are_hashed_and_left_unchanged(sample: Path) -> None:
    before = {p: p.read_bytes() for p in sample.rglob("*") if p.is_file()}
    loaded = load_dataset(sample, today=TODAY)
    after = {p: p.read_bytes() for p in sample.rglob("*") if p.is_file()}
    assert before == after
    assert set(loaded.files) == {
        "dataset.yaml",
        "framework/missions.csv",
        "framework/strategies.csv",
        "framework/measures.csv",
        "framework/areas.csv",
        OBS,
        COMMITMENTS,
        NARRATIVE,
        "returns/risks.csv",
        "returns/actions.csv",
    }
    digest = hashlib.sha256((sample / OBS).read_bytes()).hexdigest()
    assert loaded.files[OBS] == digest


# --- Dataset helpers -------------------------------------------------------------------


def test_strategy_returns_row(dataset: Dataset) -> None:
    row = dataset.strategy("vawg")
    assert row["strategy_name"] == "Violence Against Women and Girls"
    assert row["mission_id"] in set(dataset.missions["mission_id"])


def test_unknown_strategy_lists_valid_ids(dataset: Dataset) -> None:
    with pytest.raises(ValueError, match="unknown strategy 'vawgg'.*road-safety"):
        dataset.strategy("vawgg")
    with pytest.raises(ValueError, match="unknown strategy"):
        dataset.measures_for("nope")


def test_measures_for_filters(dataset: Dataset) -> None:
    everything = dataset.measures_for("neighbourhood-policing")
    headline = dataset.measures_for("neighbourhood-policing", tier="headline")
    public = dataset.measures_for("neighbourhood-policing", public_only=True)
    assert set(headline["tier"]) == {"headline"}
    assert "np-abstraction-hours" in set(everything["measure_id"])
    assert "np-abstraction-hours" not in set(public["measure_id"])
    assert set(public["visibility"]) == {"public"}
    assert len(public) == len(everything) - 1
    with pytest.raises(ValueError, match="unknown tier 'main'"):
        dataset.measures_for("vawg", tier="main")


def test_series_is_sorted_and_complete(dataset: Dataset) -> None:
    series = dataset.series("bc-shoplifting")
    assert series["period_start"].is_monotonic_increasing
    assert len(series) == 78
    assert series.index.equals(pd.RangeIndex(78))
    with pytest.raises(ValueError, match="unknown measure 'nope'"):
        dataset.series("nope")


# --- Problem and errors ------------------------------------------------------------------


def test_problem_message_format() -> None:
    problem = Problem("data/observations/observations.csv", 14, "value", "abc", "a number")
    assert str(problem) == (
        "data/observations/observations.csv, row 14, column value: 'abc' — expected a number"
    )
    whole_file = Problem("data/dataset.yaml", None, None, None, "a dataset.yaml")
    assert str(whole_file) == "data/dataset.yaml: expected a dataset.yaml"


def test_load_raises_with_every_problem(sample: Path) -> None:
    edit_cell(sample, OBS, 14, "value", "abc")
    edit_cell(sample, MEASURES, 3, "tier", "main")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(sample, today=TODAY)
    assert len(caught.value.problems) == 2
    assert "row 14, column value: 'abc'" in str(caught.value)


def test_load_without_validation_parses_bad_cells_as_missing(sample: Path) -> None:
    edit_cell(sample, OBS, 14, "value", "abc")
    loaded = load_dataset(sample, validate=False, today=TODAY)
    assert pd.isna(loaded.observations.loc[12, "value"])


# --- every check ------------------------------------------------------------------------


def test_non_numeric_value(sample: Path) -> None:
    edit_cell(sample, OBS, 14, "value", "abc")
    problem = only_problem(sample)
    assert str(problem) == (
        f"{(sample / OBS).as_posix()}, row 14, column value: 'abc' — expected {NUMBER_EXPECTED}"
    )


def test_bad_date(sample: Path) -> None:
    edit_cell(sample, "commitments/commitments.csv", 5, "due_date", "31/03/2027")
    problem = only_problem(sample)
    assert (problem.row, problem.column, problem.value) == (5, "due_date", "31/03/2027")
    assert "YYYY-MM-DD" in problem.expected


def test_bad_boolean(sample: Path) -> None:
    edit_cell(sample, MEASURES, 2, "comparable", "maybe")
    problem = only_problem(sample)
    assert (problem.row, problem.column, problem.expected) == (2, "comparable", "true or false")


def test_missing_column(sample: Path) -> None:
    rows = read_rows(sample / MEASURES)
    drop = rows[0].index("source")
    write_rows(sample / MEASURES, [r[:drop] + r[drop + 1 :] for r in rows])
    found = problems_for(sample)
    assert found[0].file.endswith(MEASURES)
    assert (found[0].row, found[0].column) == (1, "source")
    assert "a column named 'source'" in found[0].expected


def test_extra_column(sample: Path) -> None:
    rows = read_rows(sample / COMMITMENTS)
    write_rows(sample / COMMITMENTS, [r + ["x" if i else "notes"] for i, r in enumerate(rows)])
    problem = only_problem(sample)
    assert (problem.row, problem.column) == (1, "notes")
    assert problem.expected.startswith("only the columns commitment_id, strategy_id")


def test_unknown_strategy_in_measures(sample: Path) -> None:
    edit_cell(sample, MEASURES, 4, "strategy_id", "vawgg")
    problem = only_problem(sample)
    assert problem.file.endswith(MEASURES)
    assert (problem.row, problem.column, problem.value) == (4, "strategy_id", "vawgg")
    assert problem.expected.startswith("a strategy_id from framework/strategies")


@pytest.mark.parametrize("relative", [COMMITMENTS, NARRATIVE])
def test_unknown_strategy_elsewhere(sample: Path, relative: str) -> None:
    edit_cell(sample, relative, 3, "strategy_id", "policing")
    problem = only_problem(sample)
    assert problem.file.endswith(relative)
    assert (problem.row, problem.column, problem.value) == (3, "strategy_id", "policing")


def test_unknown_mission(sample: Path) -> None:
    edit_cell(sample, STRATEGIES, 6, "mission_id", "mission-4")
    problem = only_problem(sample)
    assert problem.file.endswith(STRATEGIES)
    assert (problem.row, problem.column, problem.value) == (6, "mission_id", "mission-4")
    assert "framework/missions" in problem.expected


def test_unknown_measure(sample: Path) -> None:
    row = find_row(sample, OBS, measure_id="rs-ksi", period_start="2021-01-01")
    edit_cell(sample, OBS, row, "measure_id", "rs-ksi-typo")
    problem = only_problem(sample)
    assert (problem.row, problem.column, problem.value) == (row, "measure_id", "rs-ksi-typo")
    assert problem.expected.startswith("a measure_id from framework/measures")


def test_unknown_denominator_within(sample: Path) -> None:
    row = find_row(sample, MEASURES, measure_id="wf-minority-officers")
    edit_cell(sample, MEASURES, row, "denominator_within", "wf-officer-headcont")
    problem = only_problem(sample)
    assert (problem.row, problem.column, problem.value) == (
        row,
        "denominator_within",
        "wf-officer-headcont",
    )
    assert problem.expected.startswith("a denominator_within from framework/measures")


def test_duplicate_measure_period(sample: Path) -> None:
    rows = read_rows(sample / OBS)
    first = find_row(sample, OBS, measure_id="rs-ksi", period_start="2021-01-01")
    write_rows(sample / OBS, rows + [rows[first - 1]])
    problem = only_problem(sample)
    assert problem.row == len(rows) + 1
    assert problem.column == "measure_id, period_start, area"
    assert problem.value == "rs-ksi / 2021-01-01 / LLR"
    assert problem.expected == (
        f"one row per measure_id, period_start and area (the same as row {first})"
    )


def test_duplicate_measure_id(sample: Path) -> None:
    edit_cell(sample, MEASURES, 3, "measure_id", read_rows(sample / MEASURES)[1][0])
    found = problems_for(sample, column="measure_id")
    assert any(
        p.row == 3 and p.expected == "a unique measure_id (the same as row 2)" for p in found
    )


def test_percentage_out_of_range(sample: Path) -> None:
    row = find_row(sample, OBS, measure_id="estate-ev-fleet", period_start="2021-04-01")
    for column, value in (("value", "120.0"), ("numerator", ""), ("denominator", "")):
        edit_cell(sample, OBS, row, column, value)
    problem = only_problem(sample)
    assert (problem.row, problem.column, problem.value) == (row, "value", "120.0")
    assert problem.expected.startswith("a percentage between 0 and 100")


def test_negative_count(sample: Path) -> None:
    row = find_row(sample, OBS, measure_id="rs-ksi", period_start="2021-01-01")
    edit_cell(sample, OBS, row, "value", "-3")
    problem = only_problem(sample)
    assert (problem.row, problem.column) == (row, "value")
    assert problem.expected.startswith("a value of 0 or more")


def test_numerator_above_denominator(sample: Path) -> None:
    row = find_row(sample, OBS, measure_id="cj-file-quality", period_start="2022-06-01")
    edit_cell(sample, OBS, row, "denominator", "10")
    problem = only_problem(sample)
    assert (problem.row, problem.column) == (row, "numerator")
    assert problem.expected == "a numerator no larger than the denominator (10)"


def test_value_disagrees_with_numerator_and_denominator(sample: Path) -> None:
    row = find_row(sample, OBS, measure_id="cj-file-quality", period_start="2022-06-01")
    edit_cell(sample, OBS, row, "value", "12.0")
    problem = only_problem(sample)
    assert (problem.row, problem.column, problem.value) == (row, "value", "12.0")
    assert problem.expected.startswith("numerator / denominator × 100 =")


@pytest.mark.parametrize(
    ("measure", "start", "column", "value", "expected"),
    [
        ("rs-ksi", "2021-01-01", "period_start", "2021-01-02", "the 1st of a month"),
        ("rs-ksi", "2021-01-01", "period_end", "2021-01-30", "2021-01-31, the last day"),
        ("rs-fatalities", "2021-04-01", "period_start", "2021-05-01", "the first day of a"),
        ("rs-fatalities", "2021-04-01", "period_end", "2021-05-31", "2021-06-30, the last day"),
        ("estate-condition-score", "2021-04-01", "period_start", "2021-01-01", "1 April"),
        ("estate-condition-score", "2021-04-01", "period_end", "2021-12-31", "2022-03-31"),
    ],
)
def test_period_does_not_match_frequency(
    sample: Path, measure: str, start: str, column: str, value: str, expected: str
) -> None:
    row = find_row(sample, OBS, measure_id=measure, period_start=start)
    edit_cell(sample, OBS, row, column, value)
    problem = only_problem(sample)
    assert (problem.row, problem.column, problem.value) == (row, column, value)
    assert problem.expected.startswith(expected)


def test_period_in_the_future(sample: Path) -> None:
    rows = read_rows(sample / OBS)
    last = find_row(sample, OBS, measure_id="rs-ksi", period_start="2026-09-01")
    future = list(rows[last - 1])
    header = rows[0]
    future[header.index("period_start")] = "2026-12-01"
    future[header.index("period_end")] = "2026-12-31"
    future[header.index("extracted_on")] = "2026-11-20"
    write_rows(sample / OBS, rows + [future])
    problem = only_problem(sample)
    assert (problem.row, problem.column, problem.value) == (
        len(rows) + 1,
        "period_end",
        "2026-12-31",
    )
    assert problem.expected.startswith("a period that has ended by today (2026-11-23)")
    # Once the period has ended it is no longer in the future.
    later = validate_dataset(sample, today=dt.date(2027, 2, 1))
    assert [p.column for p in later] == ["extracted_on"]


def test_extracted_before_period_end(sample: Path) -> None:
    row = find_row(sample, OBS, measure_id="rs-ksi", period_start="2021-01-01")
    edit_cell(sample, OBS, row, "extracted_on", "2021-01-15")
    problem = only_problem(sample)
    assert (problem.row, problem.column) == (row, "extracted_on")
    assert problem.expected == "an extraction date on or after the period end (2021-01-31)"


def test_observation_before_redefinition_not_marked_previous(sample: Path) -> None:
    row = find_row(sample, OBS, measure_id="vv-knife-violence", period_start="2024-03-01")
    edit_cell(sample, OBS, row, "definition", "current")
    problem = only_problem(sample)
    assert (problem.row, problem.column, problem.value) == (row, "definition", "current")
    assert problem.expected.startswith("'previous': the period starts before measure")
    assert "2025-04-01" in problem.expected


def test_observation_after_redefinition_marked_previous(sample: Path) -> None:
    row = find_row(sample, OBS, measure_id="vv-knife-violence", period_start="2025-06-01")
    edit_cell(sample, OBS, row, "definition", "previous")
    problem = only_problem(sample)
    assert (problem.row, problem.column) == (row, "definition")
    assert problem.expected.startswith("'current'")


def test_previous_observations_need_previous_definition(sample: Path) -> None:
    row = find_row(sample, MEASURES, measure_id="vv-knife-violence")
    edit_cell(sample, MEASURES, row, "previous_definition", "")
    problem = only_problem(sample)
    assert problem.file.endswith(MEASURES)
    assert (problem.row, problem.column) == (row, "previous_definition")


@pytest.mark.parametrize(
    ("relative", "column", "bad", "allowed"),
    [
        (MEASURES, "tier", "main", "'headline', 'sub'"),
        (MEASURES, "unit", "percentage", "'count', 'percent'"),
        (MEASURES, "good_direction", "up", "'higher', 'lower', 'neutral'"),
        (MEASURES, "frequency", "weekly", "'monthly', 'quarterly', 'annual'"),
        (MEASURES, "aggregation", "total", "'sum', 'mean'"),
        (MEASURES, "visibility", "private", "'public', 'restricted'"),
        (OBS, "status", "draft", "'provisional', 'final'"),
        (OBS, "definition", "old", "'current', 'previous'"),
        (COMMITMENTS, "status", "done", "'complete', 'on track', 'at risk'"),
        (NARRATIVE, "section", "summary", "'progress', 'successes', 'challenges', 'risks'"),
    ],
)
def test_invalid_enum(sample: Path, relative: str, column: str, bad: str, allowed: str) -> None:
    edit_cell(sample, relative, 3, column, bad)
    found = problems_for(sample, column=column)
    assert len(found) == 1, "\n".join(map(str, found))
    problem = found[0]
    assert problem.file.endswith(relative)
    assert (problem.row, problem.value) == (3, bad)
    assert problem.expected.startswith("one of " + allowed)


def test_required_text_and_formats(sample: Path) -> None:
    edit_cell(sample, STRATEGIES, 2, "force_spoc", "")
    edit_cell(sample, NARRATIVE, 2, "quarter", "Q2 2026")
    edit_cell(sample, MEASURES, 2, "baseline_year", "2024")
    found = {(p.column, p.row): p.expected for p in problems_for(sample)}
    assert found == {
        ("force_spoc", 2): "a value (it is required)",
        ("quarter", 2): "a quarter written like '2026/27 Q2'",
        ("baseline_year", 2): "a financial year written like 2024/25",
    }


def test_aggregation_is_required(sample: Path) -> None:
    edit_cell(sample, MEASURES, 4, "aggregation", "")
    found = problems_for(sample, column="aggregation")
    assert [(p.row, p.expected) for p in found] == [(4, "a value (it is required)")]


def test_strategy_without_headline_measure(sample: Path) -> None:
    rows = read_rows(sample / MEASURES)
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("strategy_id")] == "road-safety":
            row[header.index("tier")] = "sub"
    write_rows(sample / MEASURES, rows)
    problem = only_problem(sample)
    assert problem.file.endswith(STRATEGIES)
    assert (problem.column, problem.value) == ("strategy_id", "road-safety")
    assert "at least one headline measure" in problem.expected


def test_blank_lines_keep_row_numbers(sample: Path) -> None:
    text = (sample / COMMITMENTS).read_text(encoding="utf-8").splitlines(keepends=True)
    text.insert(3, "\n")  # a blank spreadsheet row 4
    (sample / COMMITMENTS).write_text("".join(text), encoding="utf-8")
    edit_cell(sample, COMMITMENTS, 6, "status", "done")
    problem = only_problem(sample)
    assert (problem.row, problem.value) == (6, "done")


def test_missing_table(sample: Path) -> None:
    (sample / NARRATIVE).unlink()
    problem = only_problem(sample)
    assert problem.file.endswith(NARRATIVE)
    assert "narrative/narrative.csv or narrative/narrative.xlsx" in problem.expected
    with pytest.raises(DataValidationError):
        load_dataset(sample, validate=False)


def test_missing_or_bad_dataset_yaml(sample: Path) -> None:
    (sample / "dataset.yaml").write_text("illustrative: perhaps\ndescription: ''\n")
    found = {p.column: p for p in problems_for(sample)}
    assert found["illustrative"].expected == "true or false"
    assert found["description"].expected == "one line of text describing the data set"
    (sample / "dataset.yaml").unlink()
    problem = only_problem(sample)
    assert problem.file.endswith("dataset.yaml")


def test_missing_folder(tmp_path: Path) -> None:
    problem = validate_dataset(tmp_path / "nowhere", today=TODAY)[0]
    assert "it does not exist" in problem.expected


# --- Excel ---------------------------------------------------------------------------------


def test_xlsx_round_trip(sample: Path) -> None:
    expected = load_dataset(sample, today=TODAY)
    for relative in (MEASURES, OBS, COMMITMENTS):
        frame = pd.read_csv(sample / relative, dtype=str, keep_default_na=False)
        # Force analysts' workbooks hold real numbers and dates, not text.
        for column in ("value", "numerator", "denominator", "target"):
            if column in frame:
                frame[column] = pd.to_numeric(frame[column])
        for column in ("period_start", "period_end", "due_date"):
            if column in frame:
                frame[column] = pd.to_datetime(frame[column])
        frame.to_excel((sample / relative).with_suffix(".xlsx"), index=False)
        (sample / relative).unlink()
    loaded = load_dataset(sample, today=TODAY)
    for name in ("measures", "observations", "commitments"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(expected, name))
    assert "framework/measures.xlsx" in loaded.files


def test_xlsx_problem_rows_match_the_sheet(sample: Path) -> None:
    frame = pd.read_csv(sample / COMMITMENTS, dtype=str, keep_default_na=False)
    frame.loc[4, "status"] = "done"  # sheet row 6
    frame.to_excel(sample / "commitments/commitments.xlsx", index=False)
    (sample / COMMITMENTS).unlink()
    problem = only_problem(sample)
    assert problem.file.endswith("commitments/commitments.xlsx")
    assert (problem.row, problem.column, problem.value) == (6, "status", "done")


def test_csv_and_xlsx_together_is_a_problem(sample: Path) -> None:
    pd.read_csv(sample / NARRATIVE).to_excel(sample / "narrative/narrative.xlsx", index=False)
    problem = only_problem(sample)
    assert "exactly one of narrative/narrative.csv and narrative/narrative.xlsx" in (
        problem.expected
    )


# --- forward plan through the data checks -----------------------------------------------


def test_forward_plan_problems_reported(sample: Path, tmp_path: Path, repo_root: Path) -> None:
    text = (repo_root / "data/forward_plan.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "forward_plan.yaml"
    plan.write_text(text.replace("[road-safety, resources, business-crime]", "[road-safty]"))
    found = validate_dataset(sample, forward_plan=plan, today=TODAY)
    assert {(p.value, p.expected.split(" ")[0]) for p in found} >= {("road-safty", "a")}
    assert any(p.value == "road-safety" and "never scheduled" in p.expected for p in found)
    assert all(p.file == plan.as_posix() for p in found)
    missing = validate_dataset(sample, forward_plan=tmp_path / "none.yaml", today=TODAY)
    assert len(missing) == 1 and missing[0].file.endswith("none.yaml")


# --- pcp validate ---------------------------------------------------------------------------


def test_summarise_validation_clean(data_dir: Path, repo_root: Path) -> None:
    valid, lines = summarise_validation(
        data_dir, forward_plan=repo_root / "data/forward_plan.yaml", today=TODAY
    )
    out = "\n".join(lines)
    assert valid
    assert "is valid" in out
    assert "13 strategies" in out
    assert "64 measures (4 restricted)" in out
    assert "observations covering April 2020 to September 2026" in out


def test_summarise_validation_problems(sample: Path) -> None:
    edit_cell(sample, OBS, 14, "value", "abc")
    edit_cell(sample, MEASURES, 3, "tier", "main")
    valid, lines = summarise_validation(sample, today=TODAY)
    assert not valid
    wanted = f"{(sample / OBS).as_posix()}, row 14, column value: 'abc'"
    wanted += f" — expected {NUMBER_EXPECTED}"
    assert wanted in lines
    assert lines[-1].startswith("2 problem(s) found")


# --- SPC recalculation dates ----------------------------------------------------------------


def test_sample_recalculates_only_changes_with_a_known_cause(dataset: Dataset) -> None:
    measures = dataset.measures.set_index("measure_id")
    assert measures.at["np-officers", "spc_recalculate_from"] == "2025-04-01"
    assert "Neighbourhood Policing Guarantee" in measures.at["np-officers", "spc_recalculate_note"]
    # Shoplifting's rise is a real signal the reports must still show.
    assert measures.at["bc-shoplifting", "spc_recalculate_from"] == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("2025-04-01", [pd.Timestamp("2025-04-01")]),
        (" 2022-01-01 ; 2025-04-01", [pd.Timestamp("2022-01-01"), pd.Timestamp("2025-04-01")]),
    ],
)
def test_parse_recalculation_dates(text: str, expected: list[pd.Timestamp]) -> None:
    assert parse_recalculation_dates(text) == expected


@pytest.mark.parametrize("text", ["2025-02-30", "2025-4-1", "2025-04-01;", "April 2025"])
def test_parse_recalculation_dates_rejects_bad_text(text: str) -> None:
    with pytest.raises(ValueError, match="spc_recalculate_from: .* YYYY-MM-DD"):
        parse_recalculation_dates(text)


def recalculation_problem(sample: Path, measure_id: str, value: str, note: str = "Cause") -> str:
    """Set a measure's recalculation dates and return the one problem's expected text."""
    row = find_row(sample, MEASURES, measure_id=measure_id)
    edit_cell(sample, MEASURES, row, "spc_recalculate_from", value)
    edit_cell(sample, MEASURES, row, "spc_recalculate_note", note)
    problem = only_problem(sample)
    assert problem.file.endswith(MEASURES)
    assert (problem.row, problem.column, problem.value) == (row, "spc_recalculate_from", value)
    return problem.expected


def test_recalculation_date_written_wrongly(sample: Path) -> None:
    expected = recalculation_problem(sample, "bc-shoplifting", "April 2023")
    assert expected.startswith("empty, or dates written YYYY-MM-DD separated by ';'")


def test_recalculation_date_that_does_not_exist(sample: Path) -> None:
    expected = recalculation_problem(sample, "bc-shoplifting", "2023-02-30")
    assert expected.startswith("real calendar dates written YYYY-MM-DD")


@pytest.mark.parametrize(
    ("measure_id", "value", "start", "frequency"),
    [
        ("bc-shoplifting", "2023-01-15", "the 1st of a month", "monthly"),
        ("vawg-rape-positive-outcome", "2023-08-01", "the first day of a financial", "quarterly"),
    ],
)
def test_recalculation_date_must_start_a_period(
    sample: Path, measure_id: str, value: str, start: str, frequency: str
) -> None:
    expected = recalculation_problem(sample, measure_id, value)
    assert expected.startswith(start)
    assert expected.endswith(f"for each date: measure {measure_id} is {frequency}")


@pytest.mark.parametrize("value", ["2026-10-01", "2020-04-01", "2019-04-01"])
def test_recalculation_date_outside_the_series(sample: Path, value: str) -> None:
    expected = recalculation_problem(sample, "bc-shoplifting", value)
    assert expected == (
        "dates after the first (2020-04-01) and no later than the last (2026-09-01) period "
        f"of measure bc-shoplifting's current-definition figures; {value} is outside them"
    )


def test_recalculation_dates_in_order(sample: Path) -> None:
    expected = recalculation_problem(sample, "bc-shoplifting", "2024-01-01;2023-01-01")
    assert expected == "dates in increasing order with none repeated"


def test_recalculated_section_needs_twelve_points(sample: Path) -> None:
    expected = recalculation_problem(sample, "bc-shoplifting", "2023-01-01;2023-07-01")
    assert expected == (
        "at least 12 figures in each section of the SPC chart: the section from "
        "2023-01-01 to before 2023-07-01 has 6"
    )


def test_latest_section_may_still_be_filling(sample: Path) -> None:
    # Reports keep one set of limits until the new section has 12 points, and say so.
    row = find_row(sample, MEASURES, measure_id="bc-shoplifting")
    edit_cell(sample, MEASURES, row, "spc_recalculate_from", "2026-06-01")
    edit_cell(sample, MEASURES, row, "spc_recalculate_note", "New security scheme")
    assert problems_for(sample) == []


def test_recalculation_needs_its_cause(sample: Path) -> None:
    row = find_row(sample, MEASURES, measure_id="bc-shoplifting")
    edit_cell(sample, MEASURES, row, "spc_recalculate_from", "2023-01-01")
    problem = only_problem(sample)
    assert (problem.row, problem.column) == (row, "spc_recalculate_note")
    assert problem.expected.startswith("the known cause of the change from 2023-01-01")


def test_recalculation_columns_are_optional(sample: Path) -> None:
    rows = read_rows(sample / MEASURES)
    keep = [i for i, c in enumerate(rows[0]) if not c.startswith("spc_recalculate")]
    write_rows(sample / MEASURES, [[r[i] for i in keep] for r in rows])
    assert problems_for(sample) == []
    measures = load_dataset(sample, today=TODAY).measures
    assert (measures["spc_recalculate_from"] == "").all()
    # The optional columns load as empty text, in their place; the settings most measures
    # do not need (TableSpec.extra: target dates, SPC baselines, seasonality) follow them.
    spec = TABLES["measures"]
    assert list(measures.columns) == [*spec.columns, *spec.extra]
    assert spec.extra[:4] == ("target_date", "spc_baseline_from", "spc_baseline_to", "seasonal")
    assert "police_uk_crime_types" in spec.extra
    # The extra columns may be left out too: they then load as empty text.
    rows = read_rows(sample / MEASURES)
    keep = [i for i, c in enumerate(rows[0]) if c not in spec.extra]
    write_rows(sample / MEASURES, [[r[i] for i in keep] for r in rows])
    assert problems_for(sample) == []
    measures = load_dataset(sample, today=TODAY).measures
    assert list(measures.columns) == [*spec.columns, *spec.extra]
    assert (measures[list(spec.extra)] == "").all().all()
