"""framework/areas and police_uk_crime_types: validation, the force area, series by area."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from pcplib.data import load_dataset, validate_dataset
from pcplib.data.schemas import POLICE_UK_CRIME_TYPES, parse_crime_types

TODAY = dt.date(2026, 11, 23)
AREAS = "framework/areas.csv"
MEASURES = "framework/measures.csv"
OBS = "observations/observations.csv"


@pytest.fixture()
def sample(tmp_path: Path, data_dir: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(data_dir, root, ignore=shutil.ignore_patterns("reference", "README.md"))
    return root


def edit(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = change(rows) or rows
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def problems(root: Path) -> list[str]:
    return [str(p) for p in validate_dataset(root, today=TODAY)]


def test_sample_has_the_force_area_and_nine_local_authorities(data_dir: Path) -> None:
    data = load_dataset(data_dir, today=TODAY)
    assert data.primary_area == "LLR"
    areas = data.areas.set_index("area")
    assert areas.loc["LLR", "level"] == "force" and areas.loc["LLR", "population"] == 1119000
    local = areas[areas["level"] == "local_authority"]
    assert len(local) == 9 and local["population"].sum() == 1119000
    assert areas.loc["Leicester", "local_authority_code"] == "E06000016"
    assert len(POLICE_UK_CRIME_TYPES) == 14


def test_unknown_crime_type_is_a_problem(sample: Path) -> None:
    def change(rows):
        next(r for r in rows if r["measure_id"] == "nc-vehicle-crime")["police_uk_crime_types"] = (
            "Vehicle crime;Car theft"
        )

    edit(sample / MEASURES, change)
    found = problems(sample)
    assert len(found) == 1
    assert "column police_uk_crime_types: 'Vehicle crime;Car theft'" in found[0]
    assert "data.police.uk crime types separated by ';'" in found[0]


def test_crime_types_need_a_monthly_count_or_rate(sample: Path) -> None:
    def change(rows):
        row = next(r for r in rows if r["measure_id"] == "np-confidence")
        row["police_uk_crime_types"] = "Burglary"

    edit(sample / MEASURES, change)
    found = problems(sample)
    assert any("column frequency: 'quarterly' — expected 'monthly'" in p for p in found)
    assert any("column unit: 'percent' — expected 'count' or 'rate_per_1000'" in p for p in found)


def test_areas_need_one_force_row_and_local_authority_codes(sample: Path) -> None:
    def change(rows):
        rows[1]["level"] = "force"
        rows[2]["local_authority_code"] = ""

    edit(sample / AREAS, change)
    found = problems(sample)
    assert any("exactly one row with level 'force'" in p and "rows: 2, 3" in p for p in found)
    assert any(f"{AREAS}, row 4, column local_authority_code" in p for p in found)


def test_observation_areas_must_be_listed(sample: Path) -> None:
    def change(rows):
        rows[0]["area"] = "Lincolnshire"

    edit(sample / OBS, change)
    found = problems(sample)
    assert found == [
        f"{sample.as_posix()}/{OBS}, row 2, column area: 'Lincolnshire' — expected an area "
        "of framework/areas (LLR, Leicester, Rutland, Blaby, Charnwood, Harborough, Hinckley "
        "and Bosworth, Melton, North West Leicestershire, Oadby and Wigston)"
    ]


def test_without_areas_several_areas_need_the_force_area_named(sample: Path) -> None:
    (sample / AREAS).unlink()
    meta = sample / "dataset.yaml"
    # A data set that does not name its force area (the older dataset.yaml).
    text = meta.read_text(encoding="utf-8").replace("force_area: LLR\n", "")
    meta.write_text(text, encoding="utf-8")
    assert problems(sample) == []
    assert load_dataset(sample, today=TODAY).primary_area == "LLR"

    def change(rows):
        extra = dict(rows[0], area="Leicester")
        return [*rows, extra]

    edit(sample / OBS, change)
    found = problems(sample)
    assert len(found) == 1 and "expected one area, or a framework/areas table" in found[0]
    meta.write_text(text + 'area: "LLR"\n', encoding="utf-8")
    assert problems(sample) == []
    data = load_dataset(sample, today=TODAY)
    assert data.primary_area == "LLR"
    measure = data.observations.at[0, "measure_id"]
    assert set(data.series(measure)["area"]) == {"LLR"}
    assert set(data.series_by_area(measure)["area"]) == {"LLR", "Leicester"}


def test_parse_crime_types() -> None:
    assert parse_crime_types("") == []
    assert parse_crime_types("Burglary; Robbery ;") == ["Burglary", "Robbery"]
