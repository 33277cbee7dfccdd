"""End to end on real data: the sample framework plus Leicestershire's data.police.uk counts.

The data set is built in a temporary folder: the sample's framework, commitments,
narrative and the other measures' (illustrative) observations, with the measures
that list ``police_uk_crime_types`` filled by ``pcp source police-uk --replace``
from the real archive in ``../shared/open-data/police-uk/`` (read in place). The
neighbourhood crime strategy report and the plan overview for the quarter to
December 2024 are then run, and their figures checked against an independent
count of the archive's rows made here with ``zipfile`` and ``csv``.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pcplib import cli
from pcplib.data.sources.published import POLICE_UK_ATTRIBUTION
from pcplib.run import render

pytestmark = pytest.mark.e2e

FORCE = "Leicestershire Police"
TIMESTAMP = "2026-11-23T06:00:00+00:00"
QUARTER = ("2024-10", "2024-11", "2024-12")
SAME_QUARTER_LAST_YEAR = ("2023-10", "2023-11", "2023-12")
NEIGHBOURHOOD = ("Burglary", "Robbery", "Theft from the person", "Vehicle crime")
LOCAL_AUTHORITIES = {
    "Leicester",
    "Rutland",
    "Blaby",
    "Charnwood",
    "Harborough",
    "Hinckley and Bosworth",
    "Melton",
    "North West Leicestershire",
    "Oadby and Wigston",
}


def count_leicestershire(archive: Path) -> Counter:
    """Leicestershire's rows by (month, crime type, in one of its local authorities)."""
    counts: Counter = Counter()
    pattern = re.compile(r"^(\d{4}-\d{2})/\1-leicestershire-street\.csv$")
    with zipfile.ZipFile(archive) as handle:
        for name in handle.namelist():
            if not pattern.match(name):
                continue
            with handle.open(name) as raw:
                for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")):
                    if row["Falls within"] != FORCE:
                        continue
                    area = row["LSOA name"].rsplit(" ", 1)[0] if row["LSOA name"] else ""
                    counts[(row["Month"], row["Crime type"], area in LOCAL_AUTHORITIES)] += 1
    return counts


def total(counts: Counter, months, types, allocated: bool | None = None) -> int:
    return sum(
        n
        for (month, crime_type, inside), n in counts.items()
        if month in months and crime_type in types and (allocated is None or inside == allocated)
    )


@pytest.fixture(scope="module")
def independent(police_uk_archive: Path) -> Counter:
    return count_leicestershire(police_uk_archive)


@pytest.fixture(scope="module")
def real_data(
    police_uk_archive: Path, repo_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    root = tmp_path_factory.mktemp("real") / "data-real"
    shutil.copytree(
        repo_root / "data", root, ignore=shutil.ignore_patterns("reference", "README.md")
    )
    with (root / "framework" / "measures.csv").open(encoding="utf-8", newline="") as handle:
        mapped = {r["measure_id"] for r in csv.DictReader(handle) if r["police_uk_crime_types"]}
    observations = root / "observations" / "observations.csv"
    with observations.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with observations.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["measure_id"] not in mapped)
    code = cli.main(
        ["source", "police-uk", str(police_uk_archive), "--data", str(root), "--replace"]
    )
    assert code == 0, "pcp source police-uk --data failed; see above"
    return root


@pytest.fixture(scope="module")
def strategy_page(real_data: Path, repo_root: Path, tmp_path_factory) -> BeautifulSoup:
    out = tmp_path_factory.mktemp("outputs")
    argv = ["run", "--strategy", "neighbourhood-crime", "--period", "2024-12"]
    argv += ["--data", str(real_data), "--out", str(out), "--timestamp", TIMESTAMP]
    argv += ["--no-screenshots", "--jobs", "2"]
    assert cli.main(argv) == 0, "pcp run --strategy neighbourhood-crime failed; see above"
    pages = list(out.glob("*/neighbourhood-crime.html"))
    assert len(pages) == 1
    return BeautifulSoup(pages[0].read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def direct_pages(real_data: Path, repo_root: Path, tmp_path_factory) -> dict[str, BeautifulSoup]:
    """The plan overview and the public report, executed directly (not by ``pcp run``).

    Both at once, one thread each (the two cores were otherwise half idle), and with the
    data set validated once, here, as ``pcp run`` does for its kernels: each kernel
    validated it again before (about a second of each).
    """
    from concurrent.futures import ThreadPoolExecutor

    from pcplib.data import load_dataset
    from pcplib.run.validation import describe_validated_data

    env = describe_validated_data(load_dataset(real_data), None)
    out = tmp_path_factory.mktemp("direct")
    notebooks = {
        "plan-overview": (
            "plan_overview.ipynb",
            {"slot": "2025-02", "period_end": "2024-12", "data_dir": str(real_data),
             "produced_at": TIMESTAMP},
        ),
        "public-quarterly": (
            "public_quarterly.ipynb",
            {"quarter": "2024/25 Q3", "data_dir": str(real_data),
             "forward_plan": str(repo_root / "data" / "forward_plan.yaml"),
             "produced_at": TIMESTAMP},
        ),
    }  # fmt: skip

    def build(name: str) -> BeautifulSoup:
        notebook, parameters = notebooks[name]
        executed = render.execute_notebook(
            repo_root / "notebooks" / notebook, out / f"{name}.ipynb", parameters, env=env
        )
        html = render.render_html(executed, out / f"{name}.html")
        return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(notebooks, pool.map(build, notebooks), strict=True))


@pytest.fixture(scope="module")
def overview_page(direct_pages: dict[str, BeautifulSoup]) -> BeautifulSoup:
    return direct_pages["plan-overview"]


THIS_QUARTER = "This quarter"  # the heading of the quarter's figures in a strategy report


def row_text(page: BeautifulSoup, measure_name: str, column: str | None = None) -> str:
    """The text of the first table row with a figure that names the measure in a cell.

    With ``column``, only tables with a column of that heading are searched: a strategy
    report names each measure in several tables (the SPC summary among them), and only
    the quarter's tables hold the quarter's figure.
    """
    for table in page.find_all("table"):
        headings = [th.get_text(" ", strip=True) for th in table.find_all("th", scope="col")]
        if not headings:
            first = table.find("tr")
            headings = [c.get_text(" ", strip=True) for c in first.find_all("th")] if first else []
        if column is not None and column not in headings:
            continue
        for row in table.find_all("tr"):
            cells = [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
            named = any(c.startswith(measure_name) for c in cells)
            if named and "data.police.uk" not in cells[-1]:
                return " ".join(row.get_text(" ", strip=True).split())
    if column is not None:
        raise AssertionError(f"no row for {measure_name!r} in a table with a {column!r} column")
    # The plan overview lists each strategy's headline measures in a cell, one per item.
    for item in page.find_all("li"):
        text = " ".join(item.get_text(" ", strip=True).split())
        if text.startswith(measure_name):
            return text
    raise AssertionError(f"no table row for {measure_name!r}")


def page_text(page: BeautifulSoup) -> str:
    return " ".join(page.get_text(" ", strip=True).split())


def test_strategy_report_shows_the_real_quarter(strategy_page, independent) -> None:
    quarter = total(independent, QUARTER, NEIGHBOURHOOD)
    last_year = total(independent, SAME_QUARTER_LAST_YEAR, NEIGHBOURHOOD)
    row = row_text(strategy_page, "Neighbourhood crime offences", THIS_QUARTER)
    assert f"{quarter:,} 2024/25 Q3" in row
    assert f"{quarter:,} against {last_year:,}" in row and "2023/24 Q3" in row
    all_crime = [t for t in ("Anti-social behaviour",)]
    crimes = {t for (_, t, _) in independent} - set(all_crime)
    row = row_text(strategy_page, "Total recorded crime (excluding fraud)", THIS_QUARTER)
    assert f"{total(independent, QUARTER, crimes):,} 2024/25 Q3" in row
    row = row_text(strategy_page, "Anti-social behaviour incidents", THIS_QUARTER)
    assert f"{total(independent, QUARTER, ('Anti-social behaviour',)):,} 2024/25 Q3" in row


def test_strategy_report_says_which_figures_are_real(strategy_page, independent) -> None:
    text = page_text(strategy_page)
    assert "Real and illustrative data." in text and "Illustrative data." not in text
    assert "Figures for 4 of the 5 measures in this report are real published data" in text
    assert POLICE_UK_ATTRIBUTION in text
    assert "Real and illustrative figures, measure by measure" in text
    assert "All figures are illustrative" not in text
    quarter = total(independent, QUARTER, NEIGHBOURHOOD)
    outside = total(independent, QUARTER, NEIGHBOURHOOD, allocated=False)
    assert (
        f"Neighbourhood crime offences: of the {quarter:,} in the force area's figures for "
        f"October to December 2024, {outside:,} had no location or were located outside"
    ) in text


def test_plan_overview_shows_the_real_figures(overview_page, independent) -> None:
    # The overview's current figure for a count is the 12 months to the period's end.
    year = [f"2024-{m:02d}" for m in range(1, 13)]
    neighbourhood = total(independent, year, NEIGHBOURHOOD)
    row = row_text(overview_page, "Neighbourhood crime offences")
    # The latest 12 months against the baseline year (2024/25, not yet complete here).
    assert f"({neighbourhood:,} against" in row
    assert re.search(r"\b\d of 9 local authorities\b", row), "areas outside the funnel limits"
    shoplifting = total(independent, year, ("Shoplifting",))
    row = row_text(overview_page, "Shoplifting offences recorded")
    assert f"({shoplifting:,} against" in row
    text = page_text(overview_page)
    assert "Real and illustrative data." in text and POLICE_UK_ATTRIBUTION in text
    assert "Shoplifting offences recorded" in text.split("Real and illustrative data.")[1][:2000]


def count_by_local_authority(archive: Path, months, types) -> Counter:
    """Leicestershire's rows of the given months and crime types, by local authority."""
    counts: Counter = Counter()
    pattern = re.compile(r"^(\d{4}-\d{2})/\1-leicestershire-street\.csv$")
    with zipfile.ZipFile(archive) as handle:
        for name in handle.namelist():
            if not pattern.match(name):
                continue
            with handle.open(name) as raw:
                for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")):
                    area = row["LSOA name"].rsplit(" ", 1)[0] if row["LSOA name"] else ""
                    if (
                        row["Falls within"] == FORCE
                        and row["Month"] in months
                        and row["Crime type"] in types
                        and area in LOCAL_AUTHORITIES
                    ):
                        counts[area] += 1
    return counts


def test_strategy_report_compares_local_authorities_in_a_funnel(
    strategy_page, police_uk_archive, real_data
) -> None:
    text = page_text(strategy_page)
    assert "Comparison by area" in text
    tables = [
        t
        for t in strategy_page.find_all("table")
        if t.caption and t.caption.get_text().startswith("Neighbourhood crime offences by local")
    ]
    assert len(tables) == 1, "one local-authority table for neighbourhood crime"
    assert "12 months to December 2024" in tables[0].caption.get_text()
    rows = {
        tr.find("th").get_text(strip=True): [
            td.get_text(" ", strip=True) for td in tr.find_all("td")
        ]
        for tr in tables[0].find("tbody").find_all("tr")
    }
    assert set(rows) == LOCAL_AUTHORITIES
    # Counts and rates per 1,000 from an independent count of the archive.
    year = {f"2024-{m:02d}" for m in range(1, 13)}
    counts = count_by_local_authority(police_uk_archive, year, NEIGHBOURHOOD)
    with (real_data / "framework" / "areas.csv").open(encoding="utf-8", newline="") as handle:
        population = {r["area"]: float(r["population"]) for r in csv.DictReader(handle)}
    for area, cells in rows.items():
        assert cells[0] == f"{counts[area]:,}", area
        assert cells[1] == f"{counts[area] / population[area] * 1000:.2f}", area
    # Local authorities of one force differ by far more than chance (the city against
    # rural districts), so the adjusted limits hold the usual spread and the verdicts say so.
    verdicts = {cells[-1] for cells in rows.values()}
    assert verdicts <= {
        "higher than expected, beyond the usual spread between areas",
        "lower than expected, beyond the usual spread between areas",
        "possibly higher than the usual spread: worth watching",
        "possibly lower than the usual spread: worth watching",
        "within the usual spread between areas",
    }
    assert "differ from one another by more than chance alone" in text
    assert float(rows["Leicester"][1]) > float(rows["Rutland"][1])  # rates shown, not ranks
    alts = [f.img["alt"] for f in strategy_page.find_all("figure") if f.img]
    funnel_alt = [a for a in alts if a.startswith("Funnel plot of Neighbourhood crime offences")]
    assert funnel_alt and "9 local authority areas" in funnel_alt[0]


@pytest.fixture(scope="module")
def public_page(direct_pages: dict[str, BeautifulSoup]) -> BeautifulSoup:
    return direct_pages["public-quarterly"]


def test_public_report_tells_the_area_comparison_in_plain_words(public_page) -> None:
    text = page_text(public_page)
    assert "Across the area" in text
    assert "Over the 12 months to December 2024, neighbourhood crime offences was" in text or (
        "neighbourhood crime offences over the 12 months to December 2024 was within the range"
        in text
    )
    assert "funnel" not in text.lower().split("across the area")[1][:600]
