"""End to end: a quarterly return made, filled in, loaded, and reported by the real runner.

The commands are the ones a SPOC and an analyst run: ``pcp returns template``, the
SPOC's edits (openpyxl, finding columns by their header names), ``pcp returns load``,
then ``pcp run --strategy neighbourhood-policing --period 2026-09``. The copy of the
sample lacks the strategy's July to September 2026 figures and narrative, so every
figure and word the report shows for the quarter came from the return.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from pcplib import cli

pytestmark = pytest.mark.e2e

STRATEGY = "neighbourhood-policing"
QUARTER = "2026/27 Q2"
TIMESTAMP = "2026-12-01T06:00:00Z"
# Distinctive figures, so the report can only show them if they came from the return.
OFFICERS = {"2026-07": 378, "2026-08": 379, "2026-09": 381}
PROGRESS = "Call-back for 101 callers went live in Loughborough in September."
RISK = "Winter demand delays the 101 call-back trial."


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.chunks).split())


def _rewrite(path: Path, keep) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    kept = [rows[0]] + [r for r in rows[1:] if keep(r)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)


def _columns(ws) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[1] if c.value is not None}


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("returns")
    data = base / "data"
    shutil.copytree(repo_root / "data", data, ignore=shutil.ignore_patterns("reference"))
    _rewrite(data / "observations/observations.csv",
             lambda r: not (r[0].startswith("np-") and r[1] >= "2026-07"))  # fmt: skip
    _rewrite(data / "narrative/narrative.csv", lambda r: r[:2] != [STRATEGY, QUARTER])
    template = base / "np.xlsx"
    plan = str(repo_root / "data" / "forward_plan.yaml")
    args = ["returns", "template", "--strategy", STRATEGY, "--quarter", QUARTER]
    assert (
        cli.main([*args, "--data", str(data), "--forward-plan", plan, "--out", str(template)]) == 0
    )

    wb = openpyxl.load_workbook(template)
    ws = wb["Measures"]
    names = _columns(ws)
    for row in range(2, ws.max_row + 1):
        measure = ws.cell(row, names["measure_id"]).value
        month = ws.cell(row, names["month"]).value
        if measure == "np-officers":
            ws.cell(row, names["value"]).value = OFFICERS[month]
        elif measure == "np-999-answered-10s":
            ws.cell(row, names["numerator"]).value = 16000
            ws.cell(row, names["denominator"]).value = 17000
        elif measure == "np-abstraction-hours":
            ws.cell(row, names["value"]).value = 3000
        # np-confidence and np-101-answered-3min are left empty: a partly filled return.
    narrative = wb["Narrative"]
    columns = _columns(narrative)
    narrative.cell(2, columns["text"]).value = PROGRESS
    risks = wb["Risks"]
    columns = _columns(risks)
    blank = next(r for r in range(2, risks.max_row + 1) if not risks.cell(r, 2).value)
    risks.cell(blank, columns["description"]).value = RISK
    risks.cell(blank, columns["likelihood"]).value = 3
    risks.cell(blank, columns["impact"]).value = 5
    filled = base / "return-np-2026-27-Q2.xlsx"
    wb.save(filled)

    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    assert cli.main(["returns", "load", str(filled), "--data", str(data), "--dry-run"]) == 0
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before
    assert cli.main(["returns", "load", str(filled), "--data", str(data)]) == 0
    assert cli.main(["validate", str(data), "--forward-plan", plan]) == 0

    out = base / "outputs"
    run = ["run", "--strategy", STRATEGY, "--period", "2026-09", "--data", str(data)]
    run += ["--out", str(out), "--forward-plan", plan, "--timestamp", TIMESTAMP]
    assert cli.main([*run, "--no-screenshots", "--jobs", "1"]) == 0
    return {
        "filled": filled,
        "data": data,
        "html": out / "neighbourhood-policing-2026-09" / f"{STRATEGY}.html",
    }


def test_the_report_shows_the_returned_figures(round_trip: dict[str, Path]) -> None:
    text = page_text(round_trip["html"])
    # Officers in neighbourhood teams are a stock: the quarter's figure is its last month's.
    assert "Officers and PCSOs in neighbourhood teams 381 2026/27 Q2" in text
    assert PROGRESS in text


def test_the_report_shows_the_risk_activity_and_actions(round_trip: dict[str, Path]) -> None:
    html = round_trip["html"].read_text(encoding="utf-8")
    assert "<caption>Neighbourhood Policing: risks to delivery, 2026/27 Q2</caption>" in html
    assert RISK in html and "<caption>Neighbourhood Policing: action log</caption>" in html
    assert '<th scope="col">Activity to date</th>' in html


def test_what_was_not_supplied_is_said_never_shown_as_zero(round_trip: dict[str, Path]) -> None:
    text = page_text(round_trip["html"])
    assert "Neighbourhood Policing: not supplied in the return, 2026/27 Q2" in text
    assert "101 calls answered within 3 minutes August 2026 Not supplied" in text
    assert "People who agree the local police do a good or excellent job" in text


def test_the_provenance_names_the_return(round_trip: dict[str, Path]) -> None:
    text = page_text(round_trip["html"])
    digest = hashlib.sha256(round_trip["filled"].read_bytes()).hexdigest()
    assert "Owners' returns the figures came from Return Strategy Quarter" in text
    assert f"{round_trip['filled'].name} {STRATEGY} {QUARTER}" in text and digest in text
    log = (round_trip["data"] / "returns/returns-log.csv").read_text(encoding="utf-8")
    assert digest in log and f"{STRATEGY},{QUARTER}" in log
