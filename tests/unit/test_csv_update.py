"""``pcp source csv``: a CSV of observations merged into a data set, each arrival checked.

New figures are added; a figure far outside its series' history is loaded with status
``to confirm`` and listed with the CSV's row; a different figure for a period the data
set already holds is a conflict (refused, nothing written) unless ``--replace``; a CSV
that is not the observations' shape is refused in one located line.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcplib.data import load_dataset
from pcplib.data.schemas import TABLES, TO_CONFIRM

TODAY = dt.date(2026, 11, 23)
OBS = "observations/observations.csv"
MEASURE = "vv-knife-violence"  # a monthly count summed over its quarter


@pytest.fixture()
def data(tmp_path: Path, data_dir: Path) -> Path:
    return Path(shutil.copytree(data_dir, tmp_path / "data", ignore=shutil.ignore_patterns(
        "reference", "README.md")))  # fmt: skip


def latest(data: Path) -> pd.DataFrame:
    obs = pd.read_csv(data / OBS, dtype=str, keep_default_na=False)
    rows = obs[(obs["measure_id"] == MEASURE) & (obs["area"] == "LLR")]
    return rows.sort_values("period_start")


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = TABLES["observations"].columns
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def october(value: str) -> dict[str, str]:
    return {
        "measure_id": MEASURE, "period_start": "2026-10-01", "period_end": "2026-10-31",
        "value": value, "numerator": "", "denominator": "", "area": "LLR", "status": "final",
        "definition": "current", "source": "Force crime system", "extracted_on": "2026-11-10",
    }  # fmt: skip


def digest(folder: Path) -> str:
    return hashlib.sha256((folder / OBS).read_bytes()).hexdigest()


def test_a_usual_figure_is_added(data: Path, tmp_path: Path, capsys, pcp_source) -> None:
    usual = latest(data)["value"].astype(float).tail(12).median()
    given = write_csv(tmp_path / "new.csv", [october(f"{usual:.0f}")])
    assert pcp_source.csv(str(given), "--data", str(data)) == 0
    out = capsys.readouterr().out
    assert f"{MEASURE}: 1 added, 0 changed, 0 unchanged" in out and "to confirm" not in out
    row = latest(data).iloc[-1]
    assert (row["period_start"], row["status"]) == ("2026-10-01", "final")
    load_dataset(data, today=TODAY)


def test_a_figure_far_outside_its_history_is_loaded_to_confirm(
    data: Path, tmp_path: Path, capsys, pcp_source
) -> None:
    given = write_csv(tmp_path / "new.csv", [october("1")])
    assert pcp_source.csv(str(given), "--data", str(data)) == 0
    out = capsys.readouterr().out
    assert f"new.csv, row 2: {MEASURE}, LLR, 2026-10 = 1: below half the lowest" in out
    row = latest(data).iloc[-1]
    assert (row["value"], row["status"]) == ("1", TO_CONFIRM)


def test_a_different_figure_is_a_conflict_unless_replaced(
    data: Path, tmp_path: Path, capsys, pcp_source
) -> None:
    held = latest(data).iloc[-1].to_dict()
    changed = {**held, "value": str(int(float(held["value"])) + 1)}
    given = write_csv(tmp_path / "fix.csv", [changed])
    before = digest(data)
    assert pcp_source.csv(str(given), "--data", str(data)) == 1
    err = capsys.readouterr().err
    assert "observations.csv, row" in err and "fix.csv, row 2" in err and "--replace" in err
    assert digest(data) == before, "nothing is written"
    assert pcp_source.csv(str(given), "--data", str(data), "--replace") == 0
    assert latest(data).iloc[-1]["value"] == changed["value"]


def test_a_csv_without_the_observations_columns_is_refused(
    data: Path, tmp_path: Path, capsys, pcp_source
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("measure_id,period_start,value\nx,2026-10-01,3\n", encoding="utf-8")
    before = digest(data)
    assert pcp_source.csv(str(bad), "--data", str(data)) == 1
    assert "bad.csv, row 1, column period_end: expected the columns" in capsys.readouterr().err
    assert digest(data) == before


def test_same_number_reads_commas_and_empty_cells() -> None:
    from pcplib.data.sources.update import same_number

    assert same_number("1,234", "1234") and same_number("", " ")
    assert same_number("0.1", "0.1000000001")
    assert not same_number("5", "6") and not same_number("", "0") and not same_number("x", "1")
