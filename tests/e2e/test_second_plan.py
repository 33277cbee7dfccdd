"""Any force, its own plan: a second, synthetic plan run end to end with no word of the sample.

The plan (``build_second_plan``) is built with ``pcp init --from-police-uk`` on the shared
Nottinghamshire files (read in place), filled with other ids, missions and board, a
two-monthly cycle with its own data lag and a slot's own ``data_to``; its police.uk
measures come from ``pcp source police-uk``, and a measure with no observation yet
arrives through ``pcp returns template`` and ``load``. Every report kind is then built,
and every output (HTML, PNG alt text and captions, executed notebooks, index,
judgements.csv, manifest, the returns workbook) is searched for the sample's words.
"""

from __future__ import annotations

import csv
import html
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pcplib import cli
from pcplib.data.new_plan import write_new_plan

pytestmark = pytest.mark.e2e

FORCE = "Nottinghamshire Police"
BOARD = "Strategic Assurance Panel"
BOARD_SHORT = "SAP"
ORGANISATION = "Office of the Commissioner for Trentvale (synthetic test plan)"
PLAN = "Trentvale Safety Plan 2024-28"
IDENTITY = f"""\
illustrative: true
description: "A synthetic test plan on real Nottinghamshire street crime"
organisation: "{ORGANISATION}"
force_area: "Nottinghamshire"
plan:
  name: "{PLAN}"
  start: "2024-04"
  end: "2028-03"
board:
  name: "{BOARD}"
  short_name: "{BOARD_SHORT}"
forward_plan: meetings.yaml
"""
# A meeting every two months; data a month behind, except where a slot says otherwise.
MEETINGS = """\
source: "Synthetic two-monthly cycle for tests"
data_lag_months: 1
years:
  - year: "2024/25"
    slots:
      - slot: "2024-07"
        strategies: [homes-secure, streets-calm]
      - slot: "2024-09"
        strategies: [partners-ready]
        data_to: "2024-06"
      - slot: "2024-11"
        strategies: [homes-secure, streets-calm]
      - slot: "2025-01"
        strategies: [partners-ready, homes-secure]
      - slot: "2025-03"
        strategies: [streets-calm, partners-ready]
"""
# Another cycle, passed with --forward-plan: quarterly, so March's data (to December) are
# new since December's meeting (to September), and no report says otherwise.
OVERRIDE = """\
source: "Synthetic quarterly cycle for tests (an override)"
data_lag_months: 3
years:
  - year: "2024/25"
    slots:
      - slot: "2024-12"
        strategies: [homes-secure, streets-calm]
      - slot: "2025-03"
        strategies: [partners-ready]
"""
MISSIONS = [
    ["calm-places", "Calm places", "Fewer crimes where people live and go out"],
    ["strong-partners", "Strong partners", "Agencies that act together"],
]
OWNERS = [
    "Supt A (synthetic)",
    "Insp B (synthetic)",
    "Director C (synthetic)",
    "Officer D (synthetic)",
]
STRATEGIES = [
    ["homes-secure", "Secure homes", "calm-places", "Fewer burglaries", *OWNERS],
    ["streets-calm", "Calm streets", "calm-places", "Less crime in public places", *OWNERS],
    [
        "partners-ready",
        "Ready partners",
        "strong-partners",
        "Partners trained and joined up",
        *OWNERS,
    ],
]
ALL_TYPES = (
    "Anti-social behaviour;Bicycle theft;Burglary;Criminal damage and arson;Drugs;Other crime;"
    "Other theft;Possession of weapons;Public order;Robbery;Shoplifting;Theft from the person;"
    "Vehicle crime;Violence and sexual offences"
)


def measure(measure_id: str, name: str, strategy: str, **cells: str) -> dict[str, str]:
    """A measures.csv row with the test plan's defaults."""
    row = {
        "measure_id": measure_id, "measure_name": name, "strategy_id": strategy,
        "tier": "headline", "unit": "count", "good_direction": "lower", "frequency": "monthly",
        "aggregation": "sum", "source": "Synthetic test figures", "comparable": "true",
        "baseline_year": "2023/24", "visibility": "public", "definition": f"{name} (test)",
        "definition_from": "2020-04-01",
    }  # fmt: skip
    row.update(cells)
    return row


MEASURES = [
    measure("tv-burglary", "Burglaries recorded", "homes-secure", police_uk_crime_types="Burglary",
            source="data.police.uk street-level crime"),
    measure("tv-all-crime", "Crimes and anti-social behaviour recorded", "streets-calm",
            police_uk_crime_types=ALL_TYPES, source="data.police.uk street-level crime"),
    measure("tv-partner-training", "Partner staff trained", "partners-ready", target="40",
            good_direction="higher", frequency="monthly"),
    # Supplied only through the owners' returns: no observation yet.
    measure("tv-victim-callback", "Victims called back within a day", "partners-ready",
            unit="percent", good_direction="higher", frequency="quarterly", aggregation="mean",
            visibility="restricted", tier="sub", baseline_year="2024/25"),
]  # fmt: skip


def write_table(path: Path, rows: list[list[str]] | list[dict[str, str]]) -> None:
    """Write rows under the header ``pcp init`` wrote, replacing its example row."""
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            cells = [row.get(c, "") for c in header] if isinstance(row, dict) else row
            writer.writerow(cells + [""] * (len(header) - len(cells)))


def build_second_plan(folder: Path, archive: Path) -> Path:
    """Write the synthetic plan into ``folder`` (``pcp init --from-police-uk``, then filled in)."""
    write_new_plan(folder, archive, FORCE)
    (folder / "forward_plan.yaml").unlink()
    (folder / "dataset.yaml").write_text(IDENTITY, encoding="utf-8")
    (folder / "meetings.yaml").write_text(MEETINGS, encoding="utf-8")
    write_table(folder / "framework/missions.csv", MISSIONS)
    write_table(folder / "framework/strategies.csv", STRATEGIES)
    write_table(folder / "framework/measures.csv", MEASURES)
    months = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
    observations = []
    for i, month in enumerate(months):
        year, mon = int(month[:4]), int(month[5:])
        last = 31 if mon in (1, 3, 5, 7, 8, 10, 12) else 30 if mon != 2 else 28 + (year % 4 == 0)
        observations.append({
            "measure_id": "tv-partner-training", "period_start": f"{month}-01",
            "period_end": f"{month}-{last}", "value": str(30 + (i * 7) % 11),
            "area": "Nottinghamshire", "status": "final", "definition": "current",
            "source": "Synthetic test figures", "extracted_on": "2025-01-20",
        })  # fmt: skip
    write_table(folder / "observations/observations.csv", observations)
    write_table(
        folder / "commitments/commitments.csv",
        [
            ["hs-c1", "homes-secure", "Fit locks", "on track", "2025-03-31", OWNERS[1]],
            ["sc-c1", "streets-calm", "Light town centres", "complete", "2024-09-30", OWNERS[1]],
            ["pr-c1", "partners-ready", "Train partners", "at risk", "2025-03-31", OWNERS[3]],
        ],
    )  # fmt: skip
    write_table(
        folder / "narrative/narrative.csv",
        [
            ["homes-secure", "2024/25 Q2", "progress", "Locks were fitted in two districts."],
            ["streets-calm", "2024/25 Q2", "progress", "Lighting is in place in one town."],
            ["partners-ready", "2024/25 Q2", "progress", "Training began with two agencies."],
        ],
    )
    return folder


ARCHIVE = "police-uk/police-uk-2023-01-to-2024-12-leicestershire-nottinghamshire.zip"
SAMPLE_WORDS = re.compile(
    r"Leicestershire|Leicester|Rutland|\bLLR\b|\b(?i:cgb)\b|Corporate Governance Board|2025-29|"
    r"2021-24|\bvawg\b|neighbourhood-crime|neighbourhood-policing|road-safety|police-estate|"
    r"nc-total-crime"
)


def read_workbook_text(path: Path) -> str:
    """Every cell of a workbook, as text."""
    book = openpyxl.load_workbook(path)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
        for cell in row if cell is not None
    )  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> dict[str, Path]:
    archive = repo_root.parent / "shared" / "open-data" / ARCHIVE
    if not archive.is_file():
        pytest.skip(f"the shared police.uk archive is absent ({archive}); see ../shared/open-data")
    tmp = tmp_path_factory.mktemp("second-plan")
    data, out, returns = tmp / "plan", tmp / "outputs", tmp / "returns"
    build_second_plan(data, archive)
    assert cli.main(["validate", str(data)]) == 0
    source = ["source", "police-uk", str(archive), "--data", str(data), "--force", FORCE]
    assert cli.main(source) == 0
    template = ["returns", "template", "--strategy", "partners-ready", "--quarter", "2024/25 Q3"]
    assert cli.main([*template, "--data", str(data), "--out", f"{returns}/"]) == 0
    (workbook,) = returns.glob("*.xlsx")
    book = openpyxl.load_workbook(workbook)
    sheet = book["Measures"]
    row = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "tv-victim-callback"
    )
    sheet.cell(row, 5).value = 82.5
    book.save(workbook)
    assert cli.main(["returns", "load", str(workbook), "--data", str(data)]) == 0
    common = ["--data", str(data), "--out", str(out), "--jobs", "2"]
    common += ["--timestamp", "2026-11-23T06:00:00+00:00"]
    # The slot's reports with their first-screen PNGs (the index shows them, with alt text).
    assert cli.main(["run", "--slot", "2025-03", *common]) == 0
    common.append("--no-screenshots")
    assert cli.main(["public", "--quarter", "2024/25 Q3", *common]) == 0
    assert cli.main(["annual", "--year", "2023/24", *common]) == 0
    override = tmp / "quarterly.yaml"
    override.write_text(OVERRIDE, encoding="utf-8")
    again = ["--data", str(data), "--forward-plan", str(override), "--out", str(tmp / "again")]
    again += ["--no-screenshots", "--jobs", "2", "--timestamp", "2026-11-23T06:00:00+00:00"]
    assert cli.main(["run", "--slot", "2025-03", *again]) == 0
    return {"data": data, "out": out, "workbook": workbook, "again": tmp / "again"}


def test_no_output_holds_a_word_of_the_sample(built: dict[str, Path]) -> None:
    files = [p for p in built["out"].rglob("*") if p.is_file()]
    kinds = {p.name for p in files}
    for expected in ("streets-calm.html", "partners-ready.html", "plan-overview.html",
                     "delivery-board.html", "public-quarterly.html", "public-quarterly-about.html",
                     "annual-evaluation.html", "index.html", "judgements.csv", "manifest.json",
                     "streets-calm.ipynb", "streets-calm.png"):  # fmt: skip
        assert expected in kinds, expected
    # The PNGs are pictures: their alt text is checked in the index (below), not their bytes.
    texts = {
        p: p.read_text(encoding="utf-8", errors="replace") for p in files if p.suffix != ".png"
    }
    texts[built["workbook"]] = read_workbook_text(built["workbook"])
    found = {str(p): sorted(set(SAMPLE_WORDS.findall(t))) for p, t in texts.items()}
    assert {p: w for p, w in found.items() if w} == {}


def test_the_reports_speak_of_this_plan(built: dict[str, Path]) -> None:
    slot = built["out"] / "2025-03"
    strategy = (slot / "streets-calm.html").read_text(encoding="utf-8")
    assert f'<p class="organisation">{ORGANISATION}</p>' in strategy
    assert f"{PLAN}: performance, progress and risks. {BOARD}, March 2025" in strategy
    # March reports the quarter January did (data_lag_months 1, both to December).
    assert f"No new data since the {BOARD_SHORT} of January 2025:</strong> figures as" in strategy
    index = (slot / "index.html").read_text(encoding="utf-8")
    assert f"{BOARD}, March 2025: delivery reports" in index and ORGANISATION in index
    workbook = read_workbook_text(built["workbook"])
    assert f"the {BOARD} of January 2025 reports on this quarter" in workbook
    # The executed notebook shows only the parameters used.
    executed = json.loads((slot / "streets-calm.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in executed["cells"][:2]]
    assert sources[0].startswith("# The parameters used are in the next cell")
    assert 'strategy = "streets-calm"' in sources[1]
    manifest = json.loads((slot / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["plan"]["name"] == PLAN and manifest["plan"]["board"] == BOARD


def test_a_measure_supplied_only_by_returns_loads_into_the_force_area(
    built: dict[str, Path],
) -> None:
    with (built["data"] / "observations/observations.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["measure_id"] == "tv-victim-callback"]
    assert [(r["period_end"], r["value"], r["area"]) for r in rows] == [
        ("2024-12-31", "82.5", "Nottinghamshire")
    ]


def test_the_police_uk_figures_are_nottinghamshires(built: dict[str, Path]) -> None:
    with (built["data"] / "observations/observations.csv").open(encoding="utf-8") as handle:
        burglary = [
            r for r in csv.DictReader(handle)
            if r["measure_id"] == "tv-burglary" and r["area"] == "Nottinghamshire"
        ]  # fmt: skip
    assert len(burglary) == 24 and all(FORCE in r["source"] for r in burglary)
    assert zipfile.is_zipfile(built["workbook"])


def test_the_measure_supplied_only_by_returns_shows_its_figure(built: dict[str, Path]) -> None:
    report = (built["out"] / "2025-03" / "partners-ready.html").read_text(encoding="utf-8")
    # Its row in the sub-measures table: the name, marked for this plan's board, then the
    # quarter's figure from the return (a first figure with nothing a year before).
    row = re.search(
        r"<tr><th scope=\"row\">Victims called back within a day<br/>(.*?)</tr>", report
    )
    assert row is not None, "the returns-only measure has no row with a figure"
    assert f"<strong>Restricted:</strong> {BOARD_SHORT} only" in row.group(1)
    assert "<td>82.5%<br/>" in row.group(1)
    assert "sub-measures, 2024/25 Q3: no figures are available" not in report
    # Restricted: never in a public output.
    public = built["out"] / "public-2024-25-Q3"
    assert not any("Victims called back" in p.read_text(encoding="utf-8") for p in public.glob("*"))


def test_pictures_alt_text_and_captions_name_this_plan(built: dict[str, Path]) -> None:
    measure_names = [m["measure_name"] for m in MEASURES]
    named = [*measure_names, *(s[1] for s in STRATEGIES), *(m[1] for m in MISSIONS)]
    charts = thumbnails = 0
    for page in sorted(built["out"].rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for img in re.findall(r"<img\b[^>]*>", text):
            found = re.search(r'\balt="([^"]*)"', img)
            assert found is not None and found.group(1).strip(), f"{page.name}: {img[:80]}"
            alt = html.unescape(found.group(1))
            assert not SAMPLE_WORDS.search(alt), (page.name, alt)
            if 'class="thumb"' in img:
                # The index's first-screen picture: a real PNG, its alt naming the report.
                src = re.search(r'src="([^"]+)"', img)
                assert src is not None
                assert (page.parent / src.group(1)).read_bytes()[:4] == b"\x89PNG"
                title = re.search(r'href="[^"]+">' + re.escape(img) + r"([^<]+)</a>", text)
                assert (
                    title is not None and alt == f"First screen of {html.unescape(title.group(1))}"
                )
                thumbnails += 1
            else:
                # A chart: its alt text says which of this plan's measures or missions it shows.
                assert any(n in alt for n in named), (page.name, alt[:120])
                charts += 1
        for caption in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", text, re.S):
            words = html.unescape(re.sub(r"<[^>]+>", "", caption))
            assert any(n in words for n in named), (page.name, words[:120])
            assert not SAMPLE_WORDS.search(words), (page.name, words)
    # Four reports in the slot, each with its picture; the SPC, funnel and public charts.
    assert thumbnails == 4 and charts >= 5
    alts = (built["out"] / "2025-03" / "index.html").read_text(encoding="utf-8")
    assert 'alt="First screen of Calm streets"' in alts
    assert 'alt="First screen of Ready partners"' in alts


def test_the_no_new_data_notice_follows_the_forward_plan_the_run_uses(
    built: dict[str, Path],
) -> None:
    notice = f"No new data since the {BOARD_SHORT} of January 2025"
    own = built["out"] / "2025-03"
    for name in ("plan-overview.html", "streets-calm.html", "partners-ready.html"):
        assert notice in (own / name).read_text(encoding="utf-8"), name
    # With --forward-plan naming a quarterly cycle, March's data are new: no report,
    # the overview included, repeats the data set's own plan's notice.
    again = built["again"] / "2025-03"
    names = sorted(p.name for p in again.glob("*.html"))
    assert names == [
        "delivery-board.html",
        "index.html",
        "partners-ready.html",
        "plan-overview.html",
    ]
    for name in names:
        assert "No new data since" not in (again / name).read_text(encoding="utf-8"), name
