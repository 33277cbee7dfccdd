"""``pcp init``: a new, empty plan, and what ``pcp validate`` says is still missing."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from pcplib import cli
from pcplib.data import validate_dataset
from pcplib.data.new_plan import list_police_uk_areas, read_census_populations, write_new_plan

TODAY = dt.date(2026, 11, 23)
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context\n"
)


def street_zip(tmp_path: Path) -> Path:
    """A small data.police.uk download: two forces, one row over a boundary."""
    rows = {
        "Derbyshire Constabulary": ["Amber Valley 001A"] * 60 + ["High Peak 002B"] * 39,
        "Nottinghamshire Police": ["Ashfield 001A"] * 120 + ["Nottingham 010C"] * 200 + [""],
    }
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        for force, lsoas in rows.items():
            slug = force.split()[0].lower()
            lines = [
                f"x,2024-05,{force},{force},,,On or near,E01,{name},Burglary,,\n" for name in lsoas
            ]
            zipped.writestr(f"2024-05/2024-05-{slug}-street.csv", HEADER + "".join(lines))
        # A crime Derbyshire recorded just over its boundary, in Nottinghamshire.
        zipped.writestr(
            "2024-06/2024-06-derbyshire-street.csv",
            HEADER + "y,2024-06,D,Derbyshire Constabulary,,,x,E01,Ashfield 003C,Burglary,,\n",
        )
    return path


def test_a_new_plan_lists_what_is_missing_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    written = write_new_plan(folder)
    names = sorted(p.relative_to(folder).as_posix() for p in written)
    assert names == [
        "README.md",
        "commitments/commitments.csv",
        "dataset.yaml",
        "forward_plan.yaml",
        "framework/areas.csv",
        "framework/measures.csv",
        "framework/missions.csv",
        "framework/strategies.csv",
        "narrative/narrative.csv",
        "observations/observations.csv",
    ]
    # Each table: its header, then one example row commented out.
    missions = (folder / "framework/missions.csv").read_text(encoding="utf-8").splitlines()
    assert missions[0] == "mission_id,mission_name,description" and missions[1].startswith("# ")
    found = [str(p) for p in validate_dataset(folder, today=TODAY)]
    keys = ["description", "organisation", "force_area", "plan.name", "plan.start"]
    keys += ["plan.end", "board.name", "board.short_name", "delivery_board.name"]
    for key in keys:
        assert sum(f"dataset.yaml, column {key}: '' — expected" in line for line in found) == 1
    for table in ("missions", "strategies", "measures"):
        assert (
            sum(f"framework/{table}.csv: expected at least one row" in line for line in found) == 1
        )
    assert len(found) == len(keys) + 4  # and observations
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert f"pcp validate {folder.as_posix()}" in readme and "pcp source police-uk" in readme


def test_an_example_row_left_in_is_read_as_blank(tmp_path: Path, data_dir: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    missions = data / "framework/missions.csv"
    lines = missions.read_text(encoding="utf-8").splitlines(keepends=True)
    missions.write_text(lines[0] + "# example,Example,One sentence\n" + "".join(lines[1:]))
    assert validate_dataset(data, today=TODAY) == []


def test_init_refuses_a_folder_with_files(tmp_path: Path, capsys) -> None:
    (tmp_path / "x.txt").write_text("x")
    assert cli.main(["init", str(tmp_path)]) == 2
    assert "expected a new or empty folder" in capsys.readouterr().err
    with pytest.raises(ValueError, match="expected a new or empty folder"):
        write_new_plan(tmp_path)


def test_areas_from_a_police_uk_download(tmp_path: Path, capsys) -> None:
    download = street_zip(tmp_path)
    with pytest.raises(ValueError, match="holds 2 forces; name one with --force"):
        list_police_uk_areas(download)
    force, authorities = list_police_uk_areas(download, "Nottinghamshire Police")
    assert (force, authorities) == ("Nottinghamshire Police", ["Nottingham", "Ashfield"])
    # Derbyshire's one row over the boundary (1 of 100) is not one of its authorities.
    assert list_police_uk_areas(download, "Derbyshire Constabulary")[1] == [
        "Amber Valley",
        "High Peak",
    ]
    folder = tmp_path / "plan"
    argv = ["init", str(folder), "--from-police-uk", str(download)]
    assert cli.main([*argv, "--force", "Nottinghamshire Police"]) == 0
    census = read_census_populations()
    rows = (folder / "framework/areas.csv").read_text(encoding="utf-8").splitlines()
    total = census["Ashfield"][1] + census["Nottingham"][1]
    assert rows[1].startswith(f"Nottinghamshire,force,Nottinghamshire Police,,{total},ONS")
    assert rows[2].startswith(
        f"Ashfield,local_authority,Nottinghamshire Police,E07000170,{census['Ashfield'][1]},"
    )
    assert 'force_area: "Nottinghamshire"' in (folder / "dataset.yaml").read_text()
    found = [str(p) for p in validate_dataset(folder, today=TODAY)]
    assert not any("areas.csv" in line or "force_area" in line for line in found), found
    assert (
        cli.main(["init", str(tmp_path / "p2"), "--from-police-uk", str(download), "--force", "X"])
        == 2
    )
    assert "--force 'X': expected one of the archive's forces" in capsys.readouterr().err


def test_the_census_table_is_shipped_with_its_source() -> None:
    census = read_census_populations()
    assert len(census) == 331 and census["Rushcliffe"] == ("E07000176", 119000)
    readme = (Path(__file__).parents[2] / "pcplib/data/reference_tables/README.md").read_text()
    assert "Open Government Licence v3.0" in readme and "Census 2021" in readme
