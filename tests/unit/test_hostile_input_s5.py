"""Hostile input, session 5: bounded problems for files wrong in every row, and new kinds.

Each test is one kind from docs/error-handling.md ("Hostile input, session 5").
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pcplib.data import problems as problems_module
from pcplib.data import validate_dataset
from pcplib.data.problems import (
    Problem,
    count_problems,
    report_rows,
    summarise_problems,
)
from pcplib.data.schema_check import check_schema, rows_by_column

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def sample(tmp_path: Path, data_dir: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("reference"))
    return target


def _rewrite_observations(sample: Path, change: object) -> pd.DataFrame:
    path = sample / "observations" / "observations.csv"
    obs = pd.read_csv(path, dtype=str, keep_default_na=False)
    obs = change(obs)  # type: ignore[operator]
    obs.to_csv(path, index=False, lineterminator="\n")
    return obs


# --- a file wrong in every row: problems kept per check are bounded -------------------------


def test_report_rows_keeps_the_first_rows_and_counts_the_rest() -> None:
    values = {i: f"v{i}" for i in range(10)}
    found = report_rows("f.csv", "status", range(10), values.__getitem__, "one of 'a'", limit=3)
    assert [p.row for p in found[:3]] == [2, 3, 4]
    assert all(p.count == 1 for p in found[:3])
    counted = found[3:]
    assert len(counted) == 1
    assert counted[0].count == 7
    assert counted[0].row == 5
    assert list(counted[0].rows) == list(range(5, 12))
    assert count_problems(found) == 10
    assert str(counted[0]) == (
        "f.csv, column status: 7 more rows failing the same check (rows 5 to 11; the first, "
        "row 5, holds 'v3') — expected one of 'a'"
    )


def test_report_rows_counts_each_kind_of_message_apart_and_bounds_the_kinds() -> None:
    def expected(i: int) -> str:
        return f"kind {i % 2}" if i < 100 else f"unique {i}"

    found = report_rows("f.csv", "c", range(200), str, expected, limit=4)
    assert count_problems(found) == 200
    # Two kinds among the counted rows, then at most 20 kinds before the rest are lumped.
    assert len(found) <= 4 + problems_module._KINDS_COUNTED + 1
    lumped = [p for p in found if "the others fail the same check" in p.expected]
    assert len(lumped) == 1


def test_summarising_counted_problems_gives_the_whole_count_and_span() -> None:
    found = report_rows("f.csv", "c", range(2000), str, "a number", limit=5)
    lines = summarise_problems(found)
    assert (
        lines[-1]
        == "f.csv, column c: 1,997 more with the same problem (rows 5 to 2001) — expected a number"
    )
    assert len(lines) == 4


def test_a_problem_for_one_cell_reads_as_before() -> None:
    assert (
        str(Problem("f.csv", 4, "c", "x", "a number"))
        == "f.csv, row 4, column c: 'x' — expected a number"
    )


def test_every_row_wrong_keeps_a_bounded_number_of_problems(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(problems_module, "CELL_PROBLEM_LIMIT", 10)
    obs = _rewrite_observations(sample, lambda o: o.assign(status="finall"))
    found = validate_dataset(sample, today=TODAY)
    status = [p for p in found if p.column == "status"]
    assert count_problems(status) == len(obs)
    assert len(status) <= 11


def test_counted_rows_are_not_reported_again_by_later_checks(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A date that does not parse is not reported again as a missing value by the schema,
    # counted rows included.
    monkeypatch.setattr(problems_module, "CELL_PROBLEM_LIMIT", 10)
    obs = _rewrite_observations(
        sample,
        lambda o: o.assign(period_start=pd.to_datetime(o["period_start"]).dt.strftime("%d/%m/%Y")),
    )
    found = validate_dataset(sample, today=TODAY)
    starts = [p for p in found if p.column == "period_start"]
    assert count_problems(starts) == len(obs)
    assert {p.expected for p in starts} == {"a date written YYYY-MM-DD (such as 2026-09-30)"}


def test_every_row_repeated_is_counted_in_a_bounded_number_of_problems(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each repeat names its own first row, so each message differs: the kinds are bounded.
    monkeypatch.setattr(problems_module, "CELL_PROBLEM_LIMIT", 10)
    path = sample / "observations" / "observations.csv"
    obs = pd.read_csv(path, dtype=str, keep_default_na=False)
    twice = pd.concat([obs, obs], ignore_index=True)
    twice.to_csv(path, index=False, lineterminator="\n")
    found = validate_dataset(sample, today=TODAY)
    repeats = [p for p in found if "one row per measure_id" in p.expected]
    assert count_problems(repeats) == len(obs)
    assert len(repeats) == 11
    assert repeats[-1].expected.endswith("(each the same as an earlier row)")
    assert repeats[0].expected == (
        "one row per measure_id, period_start and area (the same as row 2)"
    )
    assert np.all(np.diff([p.row for p in repeats[:10]]) > 0)


def test_check_schema_checks_in_parts_and_reports_each_cell_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pcplib.data import schema_check
    from pcplib.data.read import read_folder

    monkeypatch.setattr(schema_check, "_SCHEMA_PART", 7)
    folder = read_folder(Path(__file__).resolve().parents[2] / "data")
    table = folder.tables["missions"]
    raw = table.raw.copy()
    typed = table.typed.copy()
    typed["mission_id"] = "Not An Id"
    raw["mission_id"] = "Not An Id"
    found = check_schema("missions", typed, raw, table.file, {})
    assert count_problems(found) == len(typed)
    assert [p.row for p in found] == list(range(2, len(typed) + 2))
    # A cell already reported as not parsing is left out.
    skipped = check_schema("missions", typed, raw, table.file, {"mission_id": np.array([0])})
    assert [p.row for p in skipped] == list(range(3, len(typed) + 2))


def test_rows_by_column_gives_the_rows_counted_problems_stand_for() -> None:
    found = report_rows("f.csv", "c", [0, 1, 5, 9], str, "x", limit=1)
    found.append(Problem("f.csv", 4, "d", "v", "y"))
    rows = rows_by_column(found)
    assert sorted(rows["c"].tolist()) == [0, 1, 5, 9]
    assert rows["d"].tolist() == [2]


# --- the forward plan named by dataset.yaml must be inside the data set ----------------------


@pytest.mark.parametrize(
    ("named", "why"),
    [
        ("/etc/passwd", "this path leads outside it"),
        ("../outside.yaml", "this path leads outside it"),
        ("plans/../../outside.yaml", "this path leads outside it"),
        ("linked.yaml", "it is a link to "),
    ],
)
def test_a_forward_plan_outside_the_data_set_is_refused_and_not_read(
    sample: Path, named: str, why: str
) -> None:
    from pcplib.data.identity import locate_forward_plan

    outside = sample.parent / "outside.yaml"
    shutil.copy(sample / "forward_plan.yaml", outside)
    (sample / "linked.yaml").symlink_to(outside)
    meta = sample / "dataset.yaml"
    text = meta.read_text(encoding="utf-8").replace(
        "forward_plan: forward_plan.yaml", f"forward_plan: {named}"
    )
    meta.write_text(text, encoding="utf-8")
    found = [str(p) for p in validate_dataset(sample, today=TODAY)]
    assert found == [
        f"{meta.as_posix()}, column forward_plan: {named!r} — expected the forward plan's "
        f"file inside the data set folder, relative to it (such as forward_plan.yaml): "
        f"{why}{outside.resolve().as_posix() + ', outside it' if 'link' in why else ''}; "
        "a plan kept elsewhere is given with --forward-plan PATH"
    ]
    # Nothing outside is read on dataset.yaml's word; --forward-plan still may.
    assert locate_forward_plan(sample) == sample / "forward_plan.yaml"
    assert locate_forward_plan(sample, outside) == outside


def test_a_forward_plan_in_a_folder_of_the_data_set_is_read(sample: Path) -> None:
    from pcplib.data.identity import locate_forward_plan

    (sample / "plans").mkdir()
    shutil.move(sample / "forward_plan.yaml", sample / "plans" / "meetings.yaml")
    meta = sample / "dataset.yaml"
    text = meta.read_text(encoding="utf-8").replace(
        "forward_plan: forward_plan.yaml", "forward_plan: plans/meetings.yaml"
    )
    meta.write_text(text, encoding="utf-8")
    assert validate_dataset(sample, today=TODAY) == []
    assert locate_forward_plan(sample) == sample / "plans" / "meetings.yaml"


# --- impossible values, invisible characters, other Unicode forms ------------------------------


def _edit_first_observation(sample: Path, old: str, new: str) -> None:
    path = sample / "observations" / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[1]
    lines[1] = lines[1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("column", "old", "new"),
    [("period_start", "2020-04-01", "1200-04-01"), ("period_end", "2020-04-30", "9999-04-30")],
)
def test_a_date_outside_the_years_a_table_may_hold_is_one_line(
    sample: Path, column: str, old: str, new: str
) -> None:
    # Each ended validation in an OutOfBoundsDatetime traceback.
    _edit_first_observation(sample, old, new)
    found = [str(p) for p in validate_dataset(sample, today=TODAY)]
    assert found == [
        f"{(sample / 'observations' / 'observations.csv').as_posix()}, row 2, column "
        f"{column}: {new!r} — expected a date from 1900-01-01 to 2199-12-31 (no figure, "
        "meeting or extraction is further off)"
    ]


@pytest.mark.parametrize("where", ["measure_id", "period_start"])
def test_an_invisible_character_in_a_column_name_is_named(sample: Path, where: str) -> None:
    # A second byte-order mark (a file saved as CSV UTF-8 twice) gave two lines, a
    # missing column and an unknown one that looked exactly like it.
    path = sample / "observations" / "observations.csv"
    data = path.read_bytes()
    # At the start of the file one mark is Excel's (and fine): a second is not.
    marks = b"\xef\xbb\xbf" * (2 if where == "measure_id" else 1)
    path.write_bytes(data.replace(where.encode(), marks + where.encode(), 1))
    found = [str(p) for p in validate_dataset(sample, today=TODAY)]
    assert found == [
        f"{path.as_posix()}, row 1, column \\ufeff{where}: expected the column name "
        f"{where!r} with no invisible character (it holds U+FEFF ZERO WIDTH NO-BREAK SPACE: "
        "a second byte-order mark, or text pasted from elsewhere; retype it)"
    ]


def test_minus_zero_reads_as_zero(sample: Path) -> None:
    from pcplib.data import load_dataset

    _edit_first_observation(sample, ",1374818,", ",-0,")
    dataset = load_dataset(sample, today=TODAY)
    value = dataset.observations.loc[0, "value"]
    assert value == 0 and not np.signbit(value)


def test_an_area_repeated_in_another_unicode_form_is_refused(sample: Path) -> None:
    import unicodedata

    path = sample / "framework" / "areas.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = lines[-1].split(",")
    composed = "Caf\u00e9 Vale"
    decomposed = unicodedata.normalize("NFD", composed)
    first = [composed, *row[1:3], "E09999998", *row[4:]]
    second = [decomposed, *row[1:3], "E09999999", *row[4:]]
    path.write_text("".join([*lines, ",".join(first), ",".join(second)]), encoding="utf-8")
    found = [str(p) for p in validate_dataset(sample, today=TODAY)]
    assert any(
        f"row {len(lines) + 2}, column area:" in line and "but for case or spaces" in line
        for line in found
    ), found


# --- a zip bomb among the police.uk downloads ------------------------------------------------


def test_a_street_file_that_unpacks_to_far_more_than_any_real_one_is_refused_unread(
    tmp_path: Path, police_uk: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcplib.data.sources import street_files
    from pcplib.data.sources.street_files import PoliceUkError, list_street_files

    row = police_uk.row("2024-05")  # type: ignore[attr-defined]
    # 20 MiB of one row repeated packs about a thousand times; a real file packs 5 to 10.
    text = police_uk.csv([row]) + (",".join(row) + "\n") * (20 * 1024**2 // 120)  # type: ignore[attr-defined]
    bomb = police_uk.archive(  # type: ignore[attr-defined]
        tmp_path / "bomb.zip", {"2024-05/2024-05-leicestershire-street.csv": text}
    )
    with pytest.raises(PoliceUkError) as raised:
        list_street_files([bomb])
    message = str(raised.value)
    assert "2024-05/2024-05-leicestershire-street.csv" in message
    assert (
        "expected a street file that unpacks to at most 512 MiB, packed at most 200 times"
        in message
    )
    assert "a zip bomb" in message and "\n" not in message
    # One that is simply too large is refused the same way.
    monkeypatch.setattr(street_files, "STREET_MEMBER_LIMIT", 1024**2)
    monkeypatch.setattr(street_files, "STREET_MEMBER_RATIO", 10**6)
    with pytest.raises(PoliceUkError, match="unpacks to at most 1 MiB"):
        list_street_files([bomb])


# --- markup in the plan's identity ------------------------------------------------------------


def test_markup_in_the_plans_identity_reaches_html_escaped(data_dir: Path) -> None:
    import dataclasses

    from pcplib.data import load_dataset
    from pcplib.report.about import format_public_method
    from pcplib.report.headers import build_public_header

    dataset = load_dataset(data_dir)
    markup = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    identity = dataclasses.replace(dataset.identity, organisation=markup, plan_name=markup)
    poisoned = dataclasses.replace(dataset, identity=identity)
    for html in (build_public_header(poisoned, "2026/27 Q2"), format_public_method(poisoned)):
        assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;" in html


# --- a strategy named as another page of a run -------------------------------------------------


@pytest.mark.parametrize("name", ["index", "plan-overview", "public-quarterly"])
def test_a_strategy_named_as_another_page_of_a_run_is_refused(sample: Path, name: str) -> None:
    # Its report, <id>.html, would overwrite the run's index or another report, or be
    # overwritten by it, without a word. Every other table naming the old id is renamed too.
    for path in sample.rglob("*.csv"):
        text = path.read_text(encoding="utf-8")
        if "police-estate" in text:
            path.write_text(text.replace("police-estate", name), encoding="utf-8")
    found = [str(p) for p in validate_dataset(sample, today=TODAY)]
    strategies = (sample / "framework" / "strategies.csv").as_posix()
    assert found == [
        f"{strategies}, row 2, column strategy_id: {name!r} — expected a strategy_id that is "
        "not the name of another page of a run (index, plan-overview, delivery-board, "
        "public-quarterly, public-quarterly-about, annual-evaluation): its report would "
        "overwrite that page, or be overwritten by it"
    ]


def test_every_page_a_run_names_besides_strategies_is_reserved() -> None:
    import inspect

    from pcplib.data.sense_checks import RESERVED_REPORT_NAMES
    from pcplib.run import jobs

    source = inspect.getsource(jobs)
    import re

    named = set(re.findall(r'name="([a-z-]+)"', source))
    assert named <= set(RESERVED_REPORT_NAMES)
    assert "index" in RESERVED_REPORT_NAMES


# --- JSON nested thousands deep, or huge ---------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["[" * 100_000 + "]" * 100_000, '{"slot": "' + "x" * 2_000_000 + '"}']
)
def test_a_meeting_record_nested_thousands_deep_or_huge_is_one_line(
    tmp_path: Path, text: str
) -> None:
    # Nested thousands deep, record.json ended the report in a RecursionError traceback.
    from pcplib.data.history import read_meeting_record

    folder = tmp_path / "2026-07" / "run-001"
    folder.mkdir(parents=True)
    (folder / "record.json").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        read_meeting_record(folder)
    message = str(raised.value)
    assert message.startswith(f"{folder / 'record.json'}: expected a JSON object with 'slot'")
    assert "\n" not in message and len(message) < 300


def test_a_lock_file_nested_thousands_deep_is_read_as_unknown(tmp_path: Path) -> None:
    from pcplib.run.lock import LockHolder, read_lock_holder

    path = tmp_path / ".2026-11.lock"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert read_lock_holder(path) == LockHolder()


def test_describe_size_names_what_a_figure_should_be() -> None:
    from pcplib.data.sense_checks import TOO_LARGE_EXPECTED, describe_size

    assert describe_size(float("nan")) == "a finite number"
    assert describe_size(float("inf")) == "a finite number"
    assert describe_size(1e15) == TOO_LARGE_EXPECTED


# --- one line of millions of cells -------------------------------------------------------------


@pytest.mark.parametrize("table", ["framework/missions.csv", "observations/observations.csv"])
def test_a_file_of_one_line_of_millions_of_cells_is_refused_before_it_is_split(
    sample: Path, table: str
) -> None:
    # 70 MB of "ab," on one line took 22 GB and 17 minutes, and was killed unnamed.
    path = sample / table
    path.write_text("ab," * 300_000, encoding="utf-8")
    found = [str(p) for p in validate_dataset(sample, today=TODAY)]
    assert found == [
        f"{path.as_posix()}, row 1: expected rows of at most 10,000 cells (row 1 has more: "
        "a file of one long line, or not a table)"
    ]


def test_bound_row_width_passes_ordinary_lines_and_stops_at_a_wide_one() -> None:
    from pcplib.data.large_csv import WideRowError, bound_row_width

    assert list(bound_row_width(["a,b\n", "c,d\n"])) == ["a,b\n", "c,d\n"]
    with pytest.raises(WideRowError) as raised:
        list(bound_row_width(["a,b\n", "," * 10_000 + "\n"]))
    assert raised.value.row == 2
