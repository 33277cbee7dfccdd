"""Back test: ``pcp source police-uk --counts`` against an independent count of the same files.

The independent count reads every street-level member of the real archive in
``../shared/open-data/police-uk/`` with Python's ``zipfile`` and ``csv`` modules
(no DuckDB, no pandas) and counts rows by month, ``Falls within``, local authority
(the LSOA name without its last word, ``unknown`` without one) and crime type.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from pcplib import cli

STREET = re.compile(r"^(\d{4}-\d{2})/\1-[a-z0-9-]+-street\.csv$")


def count_independently(archive: Path) -> tuple[Counter, Counter, dict[str, int]]:
    """Count the archive's rows with the standard library alone."""
    counts: Counter = Counter()
    ids: Counter = Counter()
    no_location: dict[str, int] = Counter()
    with zipfile.ZipFile(archive) as handle:
        for name in handle.namelist():
            if not STREET.match(name):
                continue
            with handle.open(name) as raw:
                reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig"))
                for row in reader:
                    lsoa = row["LSOA name"].strip()
                    area = lsoa.rsplit(" ", 1)[0] if " " in lsoa else "unknown"
                    force = row["Falls within"]
                    counts[(row["Month"], force, area, row["Crime type"])] += 1
                    if not lsoa:
                        no_location[force] += 1
                    if row["Crime ID"]:
                        ids[(name, row["Crime ID"])] += 1
    return counts, ids, no_location


@pytest.fixture(scope="module")
def independent(police_uk_archive: Path):
    return count_independently(police_uk_archive)


@pytest.fixture(scope="module")
def pcp_counts(police_uk_archive: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("counts") / "counts.csv"
    assert cli.main(["source", "police-uk", str(police_uk_archive), "--counts", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return rows


def test_counts_match_an_independent_count_cell_for_cell(independent, pcp_counts) -> None:
    counts, _, _ = independent
    ours = {
        (r["month"], r["force"], r["local_authority"], r["crime_type"]): int(r["crimes"])
        for r in pcp_counts
    }
    assert len(ours) == len(pcp_counts), "one row per month, force, local authority and type"
    assert ours == dict(counts)


def test_totals_are_the_published_ones(pcp_counts) -> None:
    total = sum(int(r["crimes"]) for r in pcp_counts)
    by_force = Counter()
    for r in pcp_counts:
        by_force[r["force"]] += int(r["crimes"])
    assert total == 476_361
    assert by_force == {"Leicestershire Police": 217_944, "Nottinghamshire Police": 258_417}
    months = sorted({r["month"] for r in pcp_counts})
    assert months[0] == "2023-01" and months[-1] == "2024-12" and len(months) == 24
    assert "Anti-social behaviour" in {r["crime_type"] for r in pcp_counts}


def test_quirks_are_reported_as_published(police_uk_archive: Path, independent, capsys, tmp_path):
    _, ids, no_location = independent
    repeated = {key: n for key, n in ids.items() if n > 1}
    notts_rows = sum(n for (name, _), n in repeated.items() if "nottinghamshire" in name)
    notts_ids = sum(1 for (name, _) in repeated if "nottinghamshire" in name)
    assert (
        cli.main(
            ["source", "police-uk", str(police_uk_archive), "--counts", str(tmp_path / "c.csv")]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"Nottinghamshire Police: {notts_rows:,} rows share {notts_ids:,} Crime IDs" in out
    leics_repeats = sum(1 for (name, _) in repeated if "leicestershire" in name)
    assert (f"Leicestershire Police: {leics_repeats:,} rows share" in out) == (leics_repeats > 0)
    leics = no_location["Leicestershire Police"]
    assert f"Leicestershire Police: 24 file(s), 217,944 rows, {leics:,} with no location" in out
