"""``pcp source police-uk``: counts into a data set, refusing what would lose anything."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcplib.assessment.origins import classify_measure_origins
from pcplib.assessment.quality import list_data_quality_notes
from pcplib.data import load_dataset, validate_dataset
from pcplib.data.sources.published import POLICE_UK_ATTRIBUTION, recognise_published_source
from pcplib.report.headers import format_illustrative_banner
from pcplib.report.provenance import build_provenance

TODAY = dt.date(2026, 11, 23)
OBS = "observations/observations.csv"
MEASURES = "framework/measures.csv"
AREAS = "framework/areas.csv"
MAPPED = ("bc-shoplifting", "nc-total-crime", "nc-neighbourhood-crime", "nc-vehicle-crime")
MAPPED += ("nc-asb-incidents",)


def digest_folder(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture()
def dataset(tmp_path: Path, data_dir: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(data_dir, root, ignore=shutil.ignore_patterns("reference", "README.md"))
    return root


@pytest.fixture()
def download(tmp_path: Path, police_uk) -> Path:
    """May and June 2024 for Leicestershire: burglary, vehicle crime, ASB, shoplifting."""
    may = [
        police_uk.row("2024-05", "Burglary", "Charnwood 001A", "m1"),
        police_uk.row("2024-05", "Burglary", "Leicester 001A", "m2"),
        police_uk.row("2024-05", "Vehicle crime", "Leicester 002B", "m3"),
        police_uk.row("2024-05", "Anti-social behaviour", "Melton 001A"),
        police_uk.row("2024-05", "Shoplifting", "", "m4"),
        police_uk.row("2024-05", "Burglary", "Rugby 001A", "m5"),
    ]
    june = [police_uk.row("2024-06", "Robbery", "Rutland 001A", "j1")]
    return police_uk.archive(
        tmp_path / "leics.zip",
        {
            "2024-05/2024-05-leicestershire-street.csv": police_uk.csv(may),
            "2024-06/2024-06-leicestershire-street.csv": police_uk.csv(june),
            "2024-06/2024-06-leicestershire-outcomes.csv": "Crime ID\n",
        },
    )


def drop_mapped(root: Path) -> None:
    """Remove the sample's generated rows of the measures police.uk will give."""
    rows = read_rows(root / OBS)
    with (root / OBS).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["measure_id"] not in MAPPED)


def test_counts_alone_read_and_write_nothing_else(
    dataset: Path, download: Path, tmp_path: Path, capsys, pcp_source
) -> None:
    before = digest_folder(dataset)
    assert pcp_source.police_uk(str(download), "--counts", str(tmp_path / "counts.csv")) == 0
    out = capsys.readouterr().out
    assert "Skipped 1 file(s), not read:" in out and "outcomes file" in out
    assert digest_folder(dataset) == before
    counts = pd.read_csv(tmp_path / "counts.csv")
    assert list(counts.columns) == ["month", "force", "local_authority", "crime_type", "crimes"]
    assert counts["crimes"].sum() == 7


def test_neither_counts_nor_data_is_a_usage_error(download: Path, capsys, pcp_source) -> None:
    assert pcp_source.police_uk(str(download)) == 2
    assert "give --counts FILE, --data DIR or both" in capsys.readouterr().err


def test_conflicts_are_refused_and_listed_with_file_row_and_column(
    dataset: Path, download: Path, capsys, pcp_source
) -> None:
    before = digest_folder(dataset)
    assert pcp_source.police_uk(str(download), "--data", str(dataset)) == 1
    err = capsys.readouterr().err
    assert digest_folder(dataset) == before
    rows = read_rows(dataset / OBS)
    row = next(
        n
        for n, r in enumerate(rows, start=2)
        if (r["measure_id"], r["period_start"], r["area"])
        == ("nc-neighbourhood-crime", "2024-05-01", "LLR")
    )
    assert f"{dataset.as_posix()}/{OBS}, row {row}, column source: " in err
    assert "nc-neighbourhood-crime, LLR, 2024-05" in err
    # 5 measures x 2 months of force-area rows came from the sample's own source.
    assert "Refused: 10 observation(s) came from another source" in err


def test_dry_run_prints_the_changes_and_writes_nothing(
    dataset: Path, download: Path, tmp_path: Path, capsys, pcp_source
) -> None:
    before = digest_folder(dataset)
    counts = tmp_path / "counts.csv"
    assert (
        pcp_source.police_uk(
            str(download), "--data", str(dataset), "--replace", "--dry-run", "--counts", str(counts)
        )
        == 0
    )
    out = capsys.readouterr().out
    assert digest_folder(dataset) == before and not counts.exists()
    # Each measure: 9 local authorities x 2 months added, the force area's 2 months changed.
    assert "nc-neighbourhood-crime: 18 added, 2 changed, 0 unchanged" in out
    assert "in all: 90 added, 10 changed, 0 unchanged" in out
    assert "Dry run: nothing was written." in out


def test_replace_writes_force_and_local_authority_rows(
    dataset: Path, download: Path, capsys, pcp_source
) -> None:
    assert pcp_source.police_uk(str(download), "--data", str(dataset), "--replace") == 0
    out = capsys.readouterr().out
    assert "1 with no location and 1 located outside the force area's local authorities" in out
    assert validate_dataset(dataset, today=TODAY) == []
    data = load_dataset(dataset, today=TODAY)
    rows = data.series_by_area("nc-neighbourhood-crime")
    may = rows[rows["period_start"] == "2024-05-01"].set_index("area")
    # Force area: every row of the force (Charnwood, Leicester x2, Rugby); LAs: their own.
    assert may.loc["LLR", "value"] == 4
    assert may.loc["Leicester", "value"] == 2 and may.loc["Charnwood", "value"] == 1
    assert may.loc["Melton", "value"] == 0 and "Rugby" not in may.index
    assert may.loc["LLR", "source"] == (
        "data.police.uk street-level crime, Leicestershire Police, "
        f"2024-05/2024-05-leicestershire-street.csv. {POLICE_UK_ATTRIBUTION}"
    )
    assert may.loc["LLR", "extracted_on"] == pd.Timestamp(TODAY)
    asb = data.series_by_area("nc-asb-incidents")
    assert asb[(asb["area"] == "LLR") & (asb["period_start"] == "2024-05-01")]["value"].item() == 1
    # Judgements see the force area alone.
    series = data.series("nc-neighbourhood-crime")
    assert set(series["area"]) == {"LLR"} and series["period_start"].is_unique


def test_second_run_changes_nothing(dataset: Path, download: Path, capsys, pcp_source) -> None:
    assert pcp_source.police_uk(str(download), "--data", str(dataset), "--replace") == 0
    before = digest_folder(dataset)
    capsys.readouterr()
    assert pcp_source.police_uk(str(download), "--data", str(dataset)) == 0
    out = capsys.readouterr().out
    assert "in all: 0 added, 0 changed, 100 unchanged" in out and "No change" in out
    assert digest_folder(dataset) == before


def test_invalid_update_is_refused_and_the_data_set_untouched(
    dataset: Path, download: Path, capsys, pcp_source
) -> None:
    # A measure listing crime types must be monthly: make one quarterly and the update
    # fails validation of the copy, leaving the data set as it was.
    rows = read_rows(dataset / MEASURES)
    for row in rows:
        if row["measure_id"] == "nc-vehicle-crime":
            row["frequency"] = "quarterly"
    with (dataset / MEASURES).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    before = digest_folder(dataset)
    assert pcp_source.police_uk(str(download), "--data", str(dataset), "--replace") == 1
    err = capsys.readouterr().err
    assert "would not be valid" in err and "column frequency: 'quarterly'" in err
    assert f"{dataset.as_posix()}/{MEASURES}" in err
    assert digest_folder(dataset) == before


def test_malformed_archive_stops_before_anything_is_written(
    dataset: Path, tmp_path: Path, capsys, police_uk, pcp_source
) -> None:
    bad = police_uk.archive(
        tmp_path / "bad.zip",
        {"2024-05/2024-05-leicestershire-street.csv": police_uk.csv([police_uk.row("2024-06")])},
    )
    before = digest_folder(dataset)
    assert (
        pcp_source.police_uk(str(bad), "--data", str(dataset), "--counts", str(tmp_path / "c.csv"))
        == 1
    )
    err = capsys.readouterr().err
    assert "row 2, column Month: '2024-06'" in err and "Nothing was written." in err
    assert digest_folder(dataset) == before and not (tmp_path / "c.csv").exists()


def test_force_must_be_the_data_sets(
    dataset: Path, tmp_path: Path, capsys, police_uk, pcp_source
) -> None:
    notts = "Nottinghamshire Police"
    both = police_uk.archive(
        tmp_path / "both.zip",
        {
            "2024-05/2024-05-leicestershire-street.csv": police_uk.csv([police_uk.row("2024-05")]),
            "2024-05/2024-05-nottinghamshire-street.csv": police_uk.csv(
                [police_uk.row("2024-05", lsoa="Gedling 001A", force=notts)]
            ),
        },
    )
    before = digest_folder(dataset)
    assert pcp_source.police_uk(str(both), "--data", str(dataset), "--force", notts) == 1
    assert "is not the data set's force: framework/areas names 'Leicestershire Police'" in (
        capsys.readouterr().err
    )
    notts_only = police_uk.archive(
        tmp_path / "notts.zip",
        {
            "2024-05/2024-05-nottinghamshire-street.csv": police_uk.csv(
                [police_uk.row("2024-05", lsoa="Gedling 001A", force=notts)]
            )
        },
    )
    assert pcp_source.police_uk(str(notts_only), "--data", str(dataset)) == 1
    err = capsys.readouterr().err
    assert "no street-level rows fall within 'Leicestershire Police'" in err
    assert "make framework/areas describe the force downloaded" in err
    assert digest_folder(dataset) == before
    assert (
        pcp_source.police_uk(
            str(both), "--counts", str(tmp_path / "c.csv"), "--force", "nottinghamshire"
        )
        == 0
    )
    counts = pd.read_csv(tmp_path / "c.csv")
    assert set(counts["force"]) == {notts}


def test_rates_per_1000_people_use_the_areas_populations(
    dataset: Path, download: Path, pcp_source
) -> None:
    rows = read_rows(dataset / MEASURES)
    template = next(r for r in rows if r["measure_id"] == "nc-vehicle-crime")
    rows.append(
        {
            **template,
            "measure_id": "nc-burglary-people",
            "measure_name": "Burglary per 1,000 people",
            "unit": "rate_per_1000",
            "aggregation": "mean",
            "police_uk_crime_types": "Burglary",
        }
    )
    with (dataset / MEASURES).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert pcp_source.police_uk(str(download), "--data", str(dataset), "--replace") == 0
    data = load_dataset(dataset, today=TODAY)
    rates = data.series_by_area("nc-burglary-people").set_index(["area", "period_start"])
    leicester = rates.loc[("Leicester", pd.Timestamp("2024-05-01"))]
    assert (leicester["numerator"], leicester["denominator"]) == (1, 367500)
    assert leicester["value"] == pytest.approx(1000 / 367500, abs=0.0005)
    force = rates.loc[("LLR", pd.Timestamp("2024-05-01"))]
    assert (force["numerator"], force["denominator"]) == (3, 1119000)


def test_reports_name_the_real_measures_and_carry_the_attribution(
    dataset: Path, download: Path, pcp_source
) -> None:
    drop_mapped(dataset)
    assert pcp_source.police_uk(str(download), "--data", str(dataset), "--replace") == 0
    data = load_dataset(dataset, today=TODAY)
    ids = list(data.measures_for("neighbourhood-crime")["measure_id"])
    origins = classify_measure_origins(data, ids, "2024-06").set_index("measure_id")
    assert origins.at["nc-neighbourhood-crime", "origin"] == "published"
    assert origins.at["nc-burglary-rate", "origin"] == "illustrative"
    assert origins.at["nc-neighbourhood-crime", "published_months"] == "May to June 2024"
    banner = format_illustrative_banner(data, ids, "2024-06")
    assert "Real and illustrative data." in banner and "Illustrative data." not in banner
    assert "Figures for 4 of the 5 measures in this report are real published data" in banner
    assert "Neighbourhood crime offences" in banner and POLICE_UK_ATTRIBUTION in banner
    provenance = build_provenance(
        data, code_version="0123abc", measure_ids=ids, period_end="2024-06"
    )
    assert "Real and illustrative figures, measure by measure" in provenance
    assert "illustrative (generated sample)" in provenance and POLICE_UK_ATTRIBUTION in provenance
    notes = list_data_quality_notes(data, "neighbourhood-crime", "2024-06")
    assert notes[0].startswith("Real published data: ")
    assert not any(n.startswith("All figures are illustrative") for n in notes)
    unallocated = [n for n in notes if n.startswith("Neighbourhood crime offences: of the")]
    assert unallocated == [
        "Neighbourhood crime offences: of the 5 in the force area's figures for April to June "
        "2024, 1 had no location or were located outside the force area's local authorities; "
        "they count in the force area's figures but in no local authority's."
    ]


def test_sample_banner_is_unchanged(data_dir: Path) -> None:
    data = load_dataset(data_dir, today=TODAY)
    banner = format_illustrative_banner(data)
    assert "<strong>Illustrative data.</strong>" in banner and "Real and" not in banner


def test_the_sample_banner_says_not_real_data_once(data_dir: Path) -> None:
    # Page headroom (issue 26): the banner no longer repeats what the data set's own
    # description says; a description that does not say it still gets the warning.
    import dataclasses

    data = load_dataset(data_dir, today=TODAY)
    banner = format_illustrative_banner(data)
    assert banner.lower().count("not real performance data") == 1
    assert data.description in banner
    other = format_illustrative_banner(dataclasses.replace(data, description="For training"))
    assert "Not real performance data: For training." in other


def test_recognises_only_police_uk_sources() -> None:
    found = recognise_published_source(
        "data.police.uk street-level crime, Leicestershire Police, 2024-05/x.csv. Contains"
    )
    assert found is not None and found.name.endswith("Leicestershire Police")
    assert (
        recognise_published_source("Police recorded crime (Force crime recording system)") is None
    )
