"""The completeness rules on the real data.police.uk files, read in place.

Nottinghamshire's and Leicestershire's street files in ``../shared/open-data/police-uk``
(January 2023 to December 2024) are read where they are; each test is skipped, saying
why, without them. On a data set for Nottinghamshire Police (its eight local
authorities, Census 2021 populations) they check the rules against real quirks: no
gap is invented where the files are whole, a category removed from one real month is a
gap, a local authority spelt otherwise than police.uk spells it is refused with the
nearest name, September 2024's short anti-social behaviour submission is a figure to
confirm, and outcome shares with the months still open written provisional.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pcplib.data import load_dataset
from pcplib.data.outcomes import CHARGED, find_provisional_months
from pcplib.data.schemas import TO_CONFIRM
from pcplib.data.sources.police_uk import count_street_crimes, list_street_files

TODAY = dt.date(2026, 11, 23)
OBS = "observations/observations.csv"
AREA = "Notts"
NOTTS = "Nottinghamshire Police"
# ONS Census 2021 (../shared/reference/police_force_areas.csv).
LOCAL_AUTHORITIES = {
    "Nottingham": ("E06000018", 322400), "Ashfield": ("E07000170", 126200),
    "Bassetlaw": ("E07000171", 117500), "Broxtowe": ("E07000172", 110000),
    "Gedling": ("E07000173", 117200), "Mansfield": ("E07000174", 110300),
    "Newark and Sherwood": ("E07000175", 122800), "Rushcliffe": ("E07000176", 119000),
}  # fmt: skip


def notts_data_set(data_dir: Path, root: Path) -> Path:
    """The sample re-cast for Nottinghamshire Police, without its police.uk figures and
    with the shoplifting positive-outcome measure counted from police.uk's outcomes."""
    shutil.copytree(data_dir, root, ignore=shutil.ignore_patterns("reference", "README.md"))
    # dataset.yaml's force_area must name the areas table's force row, or validation refuses.
    meta = root / "dataset.yaml"
    lines = meta.read_text(encoding="utf-8").splitlines(keepends=True)
    meta.write_text(
        "".join(f"force_area: {AREA}\n" if ln.startswith("force_area:") else ln for ln in lines),
        encoding="utf-8",
    )
    source_note = "ONS Census 2021 usual resident population; OGL v3.0"
    with (root / "framework" / "areas.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["area", "level", "force", "local_authority_code", "population",
                         "population_source"])  # fmt: skip
        total = sum(p for _, p in LOCAL_AUTHORITIES.values())
        writer.writerow([AREA, "force", NOTTS, "", total, source_note])
        for name, (code, people) in LOCAL_AUTHORITIES.items():
            writer.writerow([name, "local_authority", NOTTS, code, people, source_note])
    measures = pd.read_csv(root / "framework" / "measures.csv", dtype=str, keep_default_na=False)
    at = measures["measure_id"] == "bc-shoplifting-positive-outcome"
    measures.loc[at, "police_uk_crime_types"] = "Shoplifting"
    measures["police_uk_outcomes"] = ""
    measures.loc[at, "police_uk_outcomes"] = CHARGED
    measures.to_csv(root / "framework" / "measures.csv", index=False, lineterminator="\n")
    mapped = set(measures.loc[measures["police_uk_crime_types"] != "", "measure_id"])
    obs = pd.read_csv(root / OBS, dtype=str, keep_default_na=False)
    obs = obs[~obs["measure_id"].isin(mapped)].assign(area=AREA)
    obs.to_csv(root / OBS, index=False, lineterminator="\n")
    return root


def rows_of(root: Path, measure_id: str, area: str = AREA) -> dict[str, dict[str, str]]:
    with (root / OBS).open(encoding="utf-8", newline="") as handle:
        return {
            r["period_start"][:7]: r
            for r in csv.DictReader(handle)
            if r["measure_id"] == measure_id and r["area"] == area
        }


@pytest.fixture(scope="module")
def loaded(
    police_uk_archive: Path, data_dir: Path, tmp_path_factory, pcp_source
) -> tuple[Path, str]:
    """The Nottinghamshire data set after ``pcp source police-uk`` on the whole archive."""
    import contextlib

    root = notts_data_set(data_dir, tmp_path_factory.mktemp("notts") / "data")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = pcp_source.police_uk(str(police_uk_archive), "--data", str(root), "--force", NOTTS)
    assert code == 0, out.getvalue()
    return root, out.getvalue()


def test_the_whole_real_files_give_no_gap(loaded) -> None:
    _, out = loaded
    assert "not given by the files" not in out


def test_septembers_short_anti_social_behaviour_file_is_a_figure_to_confirm(loaded) -> None:
    root, out = loaded
    september = rows_of(root, "nc-asb-incidents")["2024-09"]
    assert (september["value"], september["status"]) == ("800", TO_CONFIRM)
    assert "nc-asb-incidents, Notts, 2024-09 = 800: below half the lowest" in out
    assert rows_of(root, "nc-asb-incidents")["2024-08"]["status"] == "final"


def test_outcome_shares_with_the_open_months_provisional(loaded) -> None:
    root, out = loaded
    rows = rows_of(root, "bc-shoplifting-positive-outcome")
    assert [m for m, r in rows.items() if r["status"] == "provisional"] == [
        "2024-08", "2024-09", "2024-10", "2024-11", "2024-12",
    ]  # fmt: skip
    january = rows["2024-01"]
    assert 0 < int(january["numerator"]) < int(january["denominator"])
    assert "outcomes: 5 latest month(s) provisional" in out
    load_dataset(root, today=TODAY)


def test_provisional_months_are_decided_from_each_forces_files(police_uk_archive: Path) -> None:
    street, skipped = list_street_files([police_uk_archive])
    outcomes = count_street_crimes(street, skipped, threads=1).outcomes
    found = {
        force: find_provisional_months(group).months for force, group in outcomes.groupby("force")
    }
    assert found["Leicestershire Police"] == tuple(f"2024-{m:02d}" for m in range(7, 13))
    assert found[NOTTS] == tuple(f"2024-{m:02d}" for m in range(8, 13))


def six_real_months(archive: Path, target: Path, without: str = "") -> Path:
    """Nottinghamshire's January to June 2024 files, ``without`` crime type in April."""
    with zipfile.ZipFile(archive) as given, zipfile.ZipFile(target, "w") as made:
        for month in (f"2024-{m:02d}" for m in range(1, 7)):
            name = f"{month}/{month}-nottinghamshire-street.csv"
            text = given.read(name).decode("utf-8")
            if without and month == "2024-04":
                lines = text.splitlines(keepends=True)
                text = "".join(line for line in lines if f",{without}," not in line)
            made.writestr(name, text)
    return target


def test_a_category_missing_from_a_real_month_is_a_gap(
    police_uk_archive: Path, data_dir: Path, tmp_path: Path, capsys, pcp_source
) -> None:
    root = notts_data_set(data_dir, tmp_path / "data")
    zipped = six_real_months(police_uk_archive, tmp_path / "n.zip", "Anti-social behaviour")
    assert pcp_source.police_uk(str(zipped), "--data", str(root), "--force", NOTTS) == 0
    out = capsys.readouterr().out
    april = rows_of(root, "nc-asb-incidents")["2024-04"]
    assert april["value"] == "" and "not zero" in april["source"]
    assert "nc-asb-incidents, Notts, 2024-04: Anti-social behaviour: no rows" in out
    # Every local authority's April is a gap too, never 0.
    assert rows_of(root, "nc-asb-incidents", "Gedling")["2024-04"]["value"] == ""
    assert rows_of(root, "nc-vehicle-crime")["2024-04"]["value"] not in ("", "0")


def test_a_misspelt_local_authority_is_refused_with_police_uks_name(
    police_uk_archive: Path, data_dir: Path, tmp_path: Path, capsys, pcp_source
) -> None:
    root = notts_data_set(data_dir, tmp_path / "data")
    areas = root / "framework" / "areas.csv"
    areas.write_text(
        areas.read_text(encoding="utf-8").replace("Newark and Sherwood", "Newark & Sherwood"),
        encoding="utf-8",
    )
    before = (root / OBS).read_bytes()
    zipped = six_real_months(police_uk_archive, tmp_path / "n.zip")
    assert pcp_source.police_uk(str(zipped), "--data", str(root), "--force", NOTTS) == 1
    err = capsys.readouterr().err
    assert "areas.csv, row 9, column area: 'Newark & Sherwood'" in err
    assert "nearest: Newark and Sherwood" in err
    assert (root / OBS).read_bytes() == before


def test_the_data_notes_say_an_outcome_shares_latest_months_are_open(loaded) -> None:
    from pcplib.assessment.quality import list_data_quality_notes

    root, _ = loaded
    notes = list_data_quality_notes(load_dataset(root, today=TODAY), "business-crime", "2024-12")
    said = [n for n in notes if "latest outcome at download was charged or summonsed" in n]
    assert len(said) == 1 and "a fall in them is not judged" in said[0]
