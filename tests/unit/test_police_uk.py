"""data.police.uk street-level files: finding them, reading them, counting crimes, and errors."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pcplib.data.sources.police_uk import (
    COUNT_COLUMNS,
    STREET_COLUMNS,
    PoliceUkError,
    count_street_crimes,
    list_street_files,
    match_force,
    write_counts,
)


@pytest.fixture()
def archive(tmp_path: Path, police_uk) -> Path:
    """Two months of Leicestershire with the real quirks, plus files that are not read."""
    may = [
        police_uk.row("2024-05", "Burglary", "Charnwood 001A", "a1"),
        police_uk.row("2024-05", "Burglary", "Charnwood 002B", "a2"),
        police_uk.row("2024-05", "Vehicle crime", "Leicester 010C", "a3"),
        # A location with a comma, quoted: must not shift the columns.
        police_uk.row("2024-05", "Robbery", "Leicester 011D", "a4", location="On or near A, B"),
        police_uk.row("2024-05", "Anti-social behaviour", "Leicester 011D"),
        police_uk.row("2024-05", "Anti-social behaviour", "Melton 003A"),
        # No location, and a crime located in a neighbouring force's area.
        police_uk.row("2024-05", "Shoplifting", "", "a5"),
        police_uk.row("2024-05", "Shoplifting", "Rugby 004A", "a6"),
        # A repeated Crime ID: both rows count, as police.uk counts them.
        police_uk.row("2024-05", "Drugs", "Blaby 001A", "dup"),
        police_uk.row("2024-05", "Drugs", "Blaby 001A", "dup"),
    ]
    june = [police_uk.row("2024-06", "Burglary", "Charnwood 001A", "b1")]
    return police_uk.archive(
        tmp_path / "download.zip",
        {
            "2024-05/2024-05-leicestershire-street.csv": police_uk.csv(may),
            "2024-06/2024-06-leicestershire-street.csv": police_uk.csv(june),
            "2024-05/2024-05-leicestershire-outcomes.csv": "Crime ID,Month\n",
            "2024-05/2024-05-leicestershire-stop-and-search.csv": "Type,Date\n",
            "README.txt": "hello",
        },
    )


def counted(*paths: Path, **kwargs) -> tuple:
    files, skipped = list_street_files(paths)
    return count_street_crimes(files, skipped, **kwargs), files, skipped


def test_lists_street_files_and_every_skipped_file(archive: Path) -> None:
    files, skipped = list_street_files([archive])
    assert [(f.month, f.force_slug, f.layout_path) for f in files] == [
        ("2024-05", "leicestershire", "2024-05/2024-05-leicestershire-street.csv"),
        ("2024-06", "leicestershire", "2024-06/2024-06-leicestershire-street.csv"),
    ]
    reasons = {s.shown.rsplit("member ", 1)[1]: s.reason for s in skipped}
    assert reasons["2024-05/2024-05-leicestershire-outcomes.csv"].startswith("outcomes file")
    assert reasons["2024-05/2024-05-leicestershire-stop-and-search.csv"].startswith(
        "stop and search file"
    )
    assert "not a data.police.uk street-level crime file" in reasons["README.txt"]


def test_counts_every_row_once_with_local_authority_and_unknown(archive: Path, police_uk) -> None:
    result, _, _ = counted(archive)
    counts = result.counts
    assert tuple(counts.columns) == COUNT_COLUMNS
    assert result.rows == 11 and counts["crimes"].sum() == 11
    may = counts[counts["month"] == "2024-05"].set_index(["local_authority", "crime_type"])
    assert may.loc[("Charnwood", "Burglary"), "crimes"] == 2
    assert may.loc[("Leicester", "Robbery"), "crimes"] == 1
    assert may.loc[("Leicester", "Anti-social behaviour"), "crimes"] == 1
    assert may.loc[("unknown", "Shoplifting"), "crimes"] == 1
    assert may.loc[("Rugby", "Shoplifting"), "crimes"] == 1
    assert may.loc[("Blaby", "Drugs"), "crimes"] == 2
    assert set(counts["force"]) == {police_uk.force}
    files = result.files.set_index("month")
    assert files.loc["2024-05", "rows"] == 10
    assert files.loc["2024-05", "no_location"] == 1
    assert (files.loc["2024-05", "repeated_rows"], files.loc["2024-05", "repeated_ids"]) == (2, 1)
    assert files.loc["2024-06", "repeated_rows"] == 0


def test_folders_single_files_and_small_batches_give_the_same_counts(
    archive: Path, tmp_path: Path
) -> None:
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as handle:
        handle.extractall(unpacked)
    from_zip, _, _ = counted(archive)
    from_folder, _, skipped = counted(unpacked)
    assert len(skipped) == 3
    pd.testing.assert_frame_equal(from_zip.counts, from_folder.counts)
    single = unpacked / "2024-06" / "2024-06-leicestershire-street.csv"
    one, files, _ = counted(single)
    assert files[0].layout_path == "2024-06/2024-06-leicestershire-street.csv"
    assert one.rows == 1
    batched, _, _ = counted(archive, batch_bytes=1)
    pd.testing.assert_frame_equal(from_zip.counts, batched.counts)
    pd.testing.assert_frame_equal(from_zip.files, batched.files)


def test_write_counts_has_exactly_the_columns(archive: Path, tmp_path: Path) -> None:
    result, _, _ = counted(archive)
    path = write_counts(result.counts, tmp_path / "out" / "counts.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(COUNT_COLUMNS)
    assert len(rows) == len(result.counts) + 1
    assert not list((tmp_path / "out").glob(".*"))


def test_match_force_reads_names_and_slugs_alike() -> None:
    assert match_force("Leicestershire Police") == match_force("leicestershire")
    assert match_force("Avon and Somerset Constabulary") == "avon-and-somerset"
    assert match_force("Metropolitan Police Service") == "metropolitan"
    assert match_force("Police Service of Northern Ireland") == "northern-ireland"


# --- malformed inputs stop with the file and row ------------------------------------------


def expect_error(police_uk, tmp_path: Path, members: dict[str, str], *fragments: str) -> str:
    path = police_uk.archive(tmp_path / "bad.zip", members)
    with pytest.raises(PoliceUkError) as caught:
        counted(path)
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_bad_zip_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(PoliceUkError, match=r"broken\.zip: expected a zip archive"):
        list_street_files([path])


def test_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(PoliceUkError, match="nowhere.zip"):
        list_street_files([tmp_path / "nowhere.zip"])


def test_missing_column_names_the_member_and_column(tmp_path: Path, police_uk) -> None:
    header = tuple(c for c in STREET_COLUMNS if c != "LSOA name")
    text = police_uk.csv([police_uk.row("2024-05")[:8] + police_uk.row("2024-05")[9:]], header)
    expect_error(
        police_uk,
        tmp_path,
        {"2024-05/2024-05-leicestershire-street.csv": text},
        "member 2024-05/2024-05-leicestershire-street.csv, row 1, column LSOA name",
        "a column named 'LSOA name'",
    )


def test_month_not_matching_its_folder_names_the_row(tmp_path: Path, police_uk) -> None:
    rows = [police_uk.row("2024-05"), police_uk.row("2024-05"), police_uk.row("2024-06")]
    expect_error(
        police_uk,
        tmp_path,
        {"2024-05/2024-05-leicestershire-street.csv": police_uk.csv(rows)},
        "row 4, column Month: '2024-06' — expected 2024-05, the month of the file",
    )


def test_month_not_written_yyyy_mm_names_the_row(tmp_path: Path, police_uk) -> None:
    rows = [police_uk.row("2024-05"), police_uk.row("May 2024")]
    expect_error(
        police_uk,
        tmp_path,
        {"2024-05/2024-05-leicestershire-street.csv": police_uk.csv(rows)},
        "row 3, column Month: 'May 2024' — expected a month written YYYY-MM",
    )


def test_file_in_another_months_folder_is_refused(tmp_path: Path, police_uk) -> None:
    expect_error(
        police_uk,
        tmp_path,
        {"2024-05/2024-06-leicestershire-street.csv": police_uk.csv([police_uk.row("2024-06")])},
        "the file's month 2024-06 to match its folder 2024-05/",
    )


def test_street_file_outside_the_layout_is_refused(tmp_path: Path, police_uk) -> None:
    expect_error(
        police_uk,
        tmp_path,
        {"2024-05-leicestershire-street.csv": police_uk.csv([police_uk.row("2024-05")])},
        "the data.police.uk layout YYYY-MM/YYYY-MM-<force>-street.csv",
    )


def test_row_of_the_wrong_width_names_the_row(tmp_path: Path, police_uk) -> None:
    text = police_uk.csv([police_uk.row("2024-05")]) + "a,2024-05,b\n"
    expect_error(
        police_uk,
        tmp_path,
        {"2024-05/2024-05-leicestershire-street.csv": text},
        "row 3: ",
        "12 fields, as the header has (found 3)",
    )


def test_unknown_crime_type_names_the_row(tmp_path: Path, police_uk) -> None:
    rows = [police_uk.row("2024-05"), police_uk.row("2024-05", crime_type="Bassetlaw 008B")]
    expect_error(
        police_uk,
        tmp_path,
        {"2024-05/2024-05-leicestershire-street.csv": police_uk.csv(rows)},
        "row 3, column Crime type: 'Bassetlaw 008B' — expected a data.police.uk crime type",
    )


def test_same_month_and_force_twice_is_refused(tmp_path: Path, archive: Path, police_uk) -> None:
    other = police_uk.archive(
        tmp_path / "again.zip",
        {"2024-06/2024-06-leicestershire-street.csv": police_uk.csv([police_uk.row("2024-06")])},
    )
    with pytest.raises(PoliceUkError, match="one street file for 2024-06 and leicestershire"):
        list_street_files([archive, other])


def test_damaged_member_is_named(tmp_path: Path, police_uk) -> None:
    rows = [police_uk.row("2024-05", crime_id=f"c{i}", lsoa=f"Melton {i:03d}A") for i in range(400)]
    path = police_uk.archive(
        tmp_path / "damaged.zip", {"2024-05/2024-05-leicestershire-street.csv": police_uk.csv(rows)}
    )
    with zipfile.ZipFile(path) as handle:
        info = handle.getinfo("2024-05/2024-05-leicestershire-street.csv")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 200, start + 260):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(PoliceUkError) as caught:
        counted(path)
    message = str(caught.value)
    assert "member 2024-05/2024-05-leicestershire-street.csv" in message and "\n" not in message


def test_a_missing_column_shows_the_columns_found(tmp_path: Path, police_uk) -> None:
    header = tuple(c for c in STREET_COLUMNS if c != "LSOA name")
    text = police_uk.csv([police_uk.row("2024-05")[:8] + police_uk.row("2024-05")[9:]], header)
    message = expect_error(
        police_uk, tmp_path, {"2024-05/2024-05-leicestershire-street.csv": text},
        "the columns found are Crime ID, Month, Reported by, Falls within, Longitude, "
        "Latitude, Location, LSOA code, Crime type, Last outcome category, Context; expected:",
    )  # fmt: skip
    # Its column, "a column named", and the expected list: not among those found.
    assert message.count("LSOA name") == 3


def test_a_file_of_the_old_street_level_layout_is_named_as_such(tmp_path: Path, police_uk) -> None:
    header = ("Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
              "Crime type", "Context")  # fmt: skip
    row = ["2024-05", "Leicestershire Police", "Leicestershire Police", "-1.1", "52.6",
           "On or near High Street", "Burglary", ""]  # fmt: skip
    expect_error(
        police_uk, tmp_path,
        {"2024-05/2024-05-leicestershire-street.csv": police_uk.csv([row], header)},
        "row 1: 'Month, Reported by, Falls within, Longitude, Latitude, Locat'… (84 characters) "
        "— expected the current data.police.uk street-level columns",
        "this file has an older layout, without Crime ID, LSOA code, LSOA name, Last outcome "
        "category; download these months again from data.police.uk",
    )  # fmt: skip
