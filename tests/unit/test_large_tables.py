"""Large tables within bounded memory: read column by column, exactly as a small file reads.

A table of millions of rows is read column by column (:func:`read_csv_columns`), so its
rows never exist together; whatever is irregular falls back to the record reader, which
names the problem. The memory itself is measured in ``benchmarks/bench_validate.py``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcplib.data import cells as data_cells
from pcplib.data import read as data_read
from pcplib.data import validate_dataset
from pcplib.data.cells import read_cells
from pcplib.data.large_csv import read_csv_columns

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def sample(tmp_path: Path, data_dir: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("reference"))
    return target


REGULAR = [
    "a,b\n1,2\n",
    "a,b\r\n1,2\r\n",
    "\ufeffa , b\r\n1,2\n3,4",
    "a,b\n1,2\n,\n# a comment, here\n3,4\n",
    "a,b\n'=1+1,'plain\n-2,'-x\n",
    "a,b\n\n5,6\n",
]
IRREGULAR = [
    "a,b\r1,2\r",  # lone carriage returns
    'a,b\n"x\ny",2\n',  # a line break in a quoted cell
    "a,b\n1,2,3\n",  # a row too wide
    "a,a\n1,2\n",  # a repeated column
    "a,\n1,\n",  # an empty column name
    "a;b\n1;2\n",  # one column: semicolons
    "a,b\n,\n",  # no row with a value
    "a,b\n1,\x002\n",  # a NUL byte
    'a,b\n"1,2\n',  # an unclosed quote
]


@pytest.mark.parametrize("text", REGULAR)
def test_a_regular_large_csv_reads_column_by_column_as_a_small_one_reads(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    small = read_cells(path, "t.csv")
    monkeypatch.setattr(data_cells, "SHARE_CELLS_FROM_CHARS", 1)
    large = read_cells(path, "t.csv", columnar=True)
    assert large.columns is not None and large.rows == [] and large.problems == []
    assert large.header == small.header
    assert [list(row) for row in zip(*large.columns, strict=True)] == small.rows
    assert large.sha256 == small.sha256 != ""


@pytest.mark.parametrize("text", IRREGULAR)
def test_an_irregular_large_csv_is_left_to_the_reader_that_names_its_problem(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    assert read_csv_columns(path) is None
    small = read_cells(path, "t.csv")
    monkeypatch.setattr(data_cells, "SHARE_CELLS_FROM_CHARS", 1)
    large = read_cells(path, "t.csv", columnar=True)
    assert large.columns is None
    assert (large.header, large.rows, large.problems) == (small.header, small.rows, small.problems)


def test_read_csv_columns_shares_repeated_cells_and_stops_for_a_column_of_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcplib.data import large_csv

    monkeypatch.setattr(large_csv.CellSharer, "LIMIT", 10)
    monkeypatch.setattr(large_csv, "COLUMN_CHUNK_ROWS", 7)
    path = tmp_path / "t.csv"
    rows = "".join(f"same-id,{n}.5\n" for n in range(50))
    path.write_bytes(("id,value\n" + rows).encode("utf-8"))
    read = read_csv_columns(path)
    assert read is not None
    header, columns, _ = read
    assert header == ["id", "value"]
    assert len({id(cell) for cell in columns[0]}) == 1, "one string for the repeated id"
    assert columns[1] == [f"{n}.5" for n in range(50)]


def test_a_large_observations_file_validates_and_loads_as_a_small_one(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcplib.data import load_dataset

    small = load_dataset(sample, today=TODAY)
    monkeypatch.setattr(data_cells, "SHARE_CELLS_FROM_CHARS", 1)
    told: list[str] = []
    monkeypatch.setattr(data_read, "PROGRESS_FILE_BYTES", 1)
    assert validate_dataset(sample, today=TODAY, progress=told.append) == []
    assert any(line.startswith("reading ") for line in told)
    large = load_dataset(sample, today=TODAY)
    for name in ("observations", "measures", "narrative"):
        pd.testing.assert_frame_equal(getattr(large, name), getattr(small, name))


def test_a_bad_cell_in_a_large_file_is_named_by_file_row_and_column(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sample / "observations" / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[5].rstrip("\n").split(",")
    cells[header.index("value")] = "12x"
    lines[5] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(data_cells, "SHARE_CELLS_FROM_CHARS", 1)
    problems = validate_dataset(sample, today=TODAY)
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        (path.as_posix(), 6, "value", "12x")
    ]
