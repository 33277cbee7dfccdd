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
    # No figures yet is no problem: `pcp source` and `pcp returns load` bring them.
    assert not any("observations" in line for line in found), found
    assert len(found) == len(keys) + 3
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


def fill_framework(folder: Path) -> None:
    """Fill a ``pcp init`` plan's identity, framework and forward plan; no figures at all."""
    identity = (folder / "dataset.yaml").read_text(encoding="utf-8")
    for key, value in {
        'description: ""': 'description: "A new plan"',
        'organisation: ""': 'organisation: "Office of the Commissioner for Westshire"',
        '  name: ""       # such as "Police and Crime Plan 2030-34"': '  name: "Safer Plan"',
        '  start: ""      # YYYY-MM, such as 2030-04': '  start: "2024-04"',
        '  end: ""        # YYYY-MM, such as 2034-03': '  end: "2028-03"',
        '  name: ""       # such as "Performance and Accountability Board"': '  name: "West Board"',
        '  short_name: "" # such as "PAB"': '  short_name: "WB"',
        '  name: ""       # such as "Delivery Board"': '  name: "West Delivery Group"',
    }.items():
        assert key in identity, key
        identity = identity.replace(key, value)
    (folder / "dataset.yaml").write_text(identity, encoding="utf-8")
    (folder / "framework/missions.csv").write_text(
        "mission_id,mission_name,description\nsafe,Safe,Safer places\n", encoding="utf-8"
    )
    (folder / "framework/strategies.csv").write_text(
        "strategy_id,strategy_name,mission_id,strategic_objective,force_senior_owner,"
        "force_spoc,opcc_senior_owner,opcc_spoc\ncare,Victim care,safe,Victims helped,A,B,C,D\n",
        encoding="utf-8",
    )
    measures = folder / "framework/measures.csv"
    header = measures.read_text(encoding="utf-8").splitlines()[0]
    cells = dict.fromkeys(header.split(","), "")
    cells.update(
        measure_id="care-contact", measure_name="Victims contacted", strategy_id="care",
        tier="headline", unit="percent", good_direction="higher", frequency="quarterly",
        aggregation="mean", source="Victim service returns", comparable="true",
        baseline_year="2024/25", visibility="public", definition="Share contacted",
        definition_from="2020-04-01",
    )  # fmt: skip
    measures.write_text(f"{header}\n{','.join(cells.values())}\n", encoding="utf-8")
    (folder / "forward_plan.yaml").write_text(
        'data_lag_months: 2\nsource: "Test"\nnotes: []\nyears:\n  - year: "2024/25"\n'
        '    slots:\n      - slot: "2025-03"\n        strategies: [care]\n',
        encoding="utf-8",
    )


def test_a_plan_with_no_figures_yet_is_valid_and_its_first_return_loads(
    tmp_path: Path, capsys
) -> None:
    import openpyxl

    from pcplib.assessment.scope import check_parameters
    from pcplib.data import load_dataset
    from pcplib.errors import ParameterError

    folder = tmp_path / "plan"
    init = ["init", str(folder), "--from-police-uk", str(street_zip(tmp_path))]
    assert cli.main([*init, "--force", "Nottinghamshire Police"]) == 0
    fill_framework(folder)
    # Valid before any figure: the returns and police.uk commands need it so to run.
    assert validate_dataset(folder, today=TODAY) == []
    capsys.readouterr()
    assert cli.main(["validate", str(folder)]) == 0
    assert "no observations yet: `pcp source police-uk` and `pcp returns load`" in (
        capsys.readouterr().out
    )
    # A report has nothing to show yet, and says so in one line.
    with pytest.raises(ParameterError, match="holds no figures yet; expected observations"):
        check_parameters(load_dataset(folder, today=TODAY), period_end="2024-12")
    # The measure supplied only by returns: its first return loads into the force area.
    out = tmp_path / "returns"
    # Its one meeting is past: --all has no next meeting, and says what to use instead.
    capsys.readouterr()
    assert cli.main(["returns", "template", "--all", "--data", str(folder)]) == 2
    assert "use --strategy and --quarter" in capsys.readouterr().out
    template = ["returns", "template", "--strategy", "care", "--quarter", "2024/25 Q3"]
    assert cli.main([*template, "--data", str(folder), "--out", f"{out}/"]) == 0
    (workbook,) = out.glob("*.xlsx")
    book = openpyxl.load_workbook(workbook)
    assert book["Instructions"]["A2"].value == "Office of the Commissioner for Westshire"
    sheet = book["Measures"]
    (row,) = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "care-contact"]
    sheet.cell(row, 5).value = 91.0
    book.save(workbook)
    assert cli.main(["returns", "load", str(workbook), "--data", str(folder)]) == 0
    # (Loaded today, so read as of today: its extraction date is today's.)
    loaded = load_dataset(folder)
    obs = loaded.observations
    assert list(zip(obs["area"], obs["value"], strict=True)) == [("Nottinghamshire", 91.0)]
    check_parameters(loaded, period_end="2024-12")
