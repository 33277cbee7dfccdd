"""Absent is not zero: what police.uk files do not give is written as missing, with why.

Small archives made here trip each kind: a category with no rows in one month, a month
with no file, a rare category whose zeros are true, and a local authority spelt otherwise
than police.uk spells it.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcplib.data.sources.gaps import find_month_gaps, judge_zero
from pcplib.periods import list_months

OBS = "observations/observations.csv"
LSOAS = tuple(
    f"{area} 001A"
    for area in (
        "Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth", "Leicester", "Melton",
        "North West Leicestershire", "Oadby and Wigston", "Rutland",
    )
)  # fmt: skip


@pytest.fixture()
def dataset(police_uk_data) -> Path:
    # Without the sample's own figures for the measures police.uk gives, every row read
    # back is the update's (a gap over an existing figure keeps it; tested below).
    return police_uk_data()


def month_rows(police_uk, month: str, counts: dict[str, int]) -> list[list[str]]:
    """``counts[crime_type]`` rows in ``month``, spread over a few local authorities."""
    rows = []
    for crime_type, n in counts.items():
        for i in range(n):
            crime_id = (
                None if crime_type == "Anti-social behaviour" else f"{month}-{crime_type}-{i}"
            )
            rows.append(police_uk.row(month, crime_type, LSOAS[i % len(LSOAS)], crime_id))
    return rows


def archive(police_uk, tmp_path: Path, months: dict[str, dict[str, int]]) -> Path:
    return police_uk.archive(
        tmp_path / "leics.zip",
        {
            f"{m}/{m}-leicestershire-street.csv": police_uk.csv(month_rows(police_uk, m, c))
            for m, c in months.items()
        },
    )


def force_rows(root: Path, measure_id: str) -> dict[str, dict[str, str]]:
    with (root / OBS).open(encoding="utf-8", newline="") as handle:
        return {
            r["period_start"][:7]: r
            for r in csv.DictReader(handle)
            if r["measure_id"] == measure_id and r["area"] == "LLR"
            and r["source"].startswith("data.police.uk")
        }  # fmt: skip


def test_judge_zero_follows_the_poisson_rule() -> None:
    assert judge_zero([40, 38, 45])
    assert judge_zero([7, 7])
    assert not judge_zero([6, 6])
    assert not judge_zero([0, 1, 0, 2])
    assert not judge_zero([])


def test_find_month_gaps_names_missing_files_and_implausible_zeros() -> None:
    months = list_months("2024-01", "2024-05")
    monthly = pd.Series({"2024-01": 30, "2024-02": 28, "2024-04": 31})
    gaps = find_month_gaps(monthly, months, ["2024-01", "2024-02", "2024-03", "2024-04"])
    assert set(gaps) == {"2024-03", "2024-05"}
    assert "2024-02: 28" in gaps["2024-03"] and "2024-04: 31" in gaps["2024-03"]
    assert "no street file for 2024-05" in gaps["2024-05"]


def test_a_category_missing_from_one_month_is_missing_not_zero(
    dataset: Path, police_uk, tmp_path: Path, capsys: pytest.CaptureFixture[str], pcp_source
) -> None:
    usual = {"Anti-social behaviour": 12, "Burglary": 10}
    months = {"2024-01": usual, "2024-02": usual, "2024-03": {"Burglary": 10}, "2024-04": usual}
    zip_path = archive(police_uk, tmp_path, months)
    assert pcp_source.police_uk(str(zip_path), "--data", str(dataset), "--replace") == 0
    out = capsys.readouterr().out
    asb = force_rows(dataset, "nc-asb-incidents")
    assert asb["2024-03"]["value"] == "", "a month with no ASB rows is not 0"
    assert "not zero" in asb["2024-03"]["source"]
    assert asb["2024-02"]["value"] == "12"
    assert "nc-asb-incidents, LLR, 2024-03: Anti-social behaviour: no rows" in out
    assert "2024-02: 12" in out and "2024-04: 12" in out


def test_a_month_with_no_file_is_missing_and_named(
    dataset: Path, police_uk, tmp_path: Path, capsys: pytest.CaptureFixture[str], pcp_source
) -> None:
    usual = {"Burglary": 10, "Vehicle crime": 9}
    months = {"2024-01": usual, "2024-02": usual, "2024-04": usual}
    zip_path = archive(police_uk, tmp_path, months)
    assert pcp_source.police_uk(str(zip_path), "--data", str(dataset), "--replace") == 0
    out = capsys.readouterr().out
    vehicle = force_rows(dataset, "nc-vehicle-crime")
    assert vehicle["2024-03"]["value"] == ""
    assert "no street file for 2024-03" in vehicle["2024-03"]["source"]
    assert "no street file for 2024-03" in out


def test_a_rare_category_keeps_its_true_zeros(
    dataset: Path, police_uk, tmp_path: Path, pcp_source
) -> None:
    months = {
        "2024-01": {"Burglary": 10, "Vehicle crime": 1},
        "2024-02": {"Burglary": 10},
        "2024-03": {"Burglary": 10},
    }
    zip_path = archive(police_uk, tmp_path, months)
    assert pcp_source.police_uk(str(zip_path), "--data", str(dataset), "--replace") == 0
    vehicle = force_rows(dataset, "nc-vehicle-crime")
    assert vehicle["2024-02"]["value"] == "0" and vehicle["2024-03"]["value"] == "0"


def test_a_misspelt_local_authority_is_refused_with_the_nearest_names(
    dataset: Path, police_uk, tmp_path: Path, capsys: pytest.CaptureFixture[str], pcp_source
) -> None:
    areas = dataset / "framework" / "areas.csv"
    text = areas.read_text(encoding="utf-8")
    assert "\nCharnwood," in text
    areas.write_text(text.replace("\nCharnwood,", "\nCharnwood Borough,"), encoding="utf-8")
    obs = dataset / OBS
    obs.write_text(obs.read_text(encoding="utf-8").replace(",Charnwood,", ",Charnwood Borough,"))
    usual = {"Burglary": 200}
    zip_path = archive(police_uk, tmp_path, {"2024-01": usual, "2024-02": usual})
    before = obs.read_bytes()
    assert pcp_source.police_uk(str(zip_path), "--data", str(dataset)) != 0
    said = capsys.readouterr()
    text = said.out + said.err
    assert "areas.csv, row" in text and "Charnwood Borough" in text
    assert "nearest: Charnwood" in text
    assert obs.read_bytes() == before, "nothing is written"


def test_a_gap_over_a_figure_from_another_source_keeps_it_and_says_so(
    data_dir: Path, police_uk, tmp_path: Path, capsys: pytest.CaptureFixture[str], pcp_source
) -> None:
    root = tmp_path / "full"
    shutil.copytree(data_dir, root, ignore=shutil.ignore_patterns("reference", "README.md"))
    usual = {"Burglary": 10, "Vehicle crime": 9}
    zip_path = archive(police_uk, tmp_path, {"2024-01": usual, "2024-02": usual, "2024-04": usual})
    assert pcp_source.police_uk(str(zip_path), "--data", str(root), "--replace") == 0
    out = capsys.readouterr().out
    assert "no street file for 2024-03" in out
    assert "the figure already in the data set is kept" in out
    with (root / OBS).open(encoding="utf-8", newline="") as handle:
        march = [
            r for r in csv.DictReader(handle)
            if r["measure_id"] == "nc-vehicle-crime" and r["period_start"] == "2024-03-01"
            and r["area"] == "LLR"
        ]  # fmt: skip
    assert march and march[0]["value"] != "" and not march[0]["source"].startswith("data.police")
