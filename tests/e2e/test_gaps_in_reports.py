"""A report built on a data set with a gap never calls the affected measure better or worse.

A month blanked in the reporting quarter (as `pcp source police-uk` writes a month the
files did not give) must give an incomplete figure, no verdict of change, a Grey rating
with its reason, and a data note naming the month. The same holds for a figure loaded
but still to confirm (far outside its history, status ``to confirm``), whatever its
value: the report shows it is to be confirmed and judges no change on it.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from pcplib import cli

STAMP = "2026-11-23T06:00:00+00:00"
PERIOD = "2026-09"
GAP_MONTH = "2026-08-01"
CHANGE_WORDS = re.compile(r"\b(improv|deteriorat|better|worse|real (rise|fall|change))", re.I)


def pick_measure(data: Path) -> tuple[str, str, str]:
    """A monthly count summed over its quarter (a flow, so a gap leaves the quarter short)."""
    with (data / "framework" / "measures.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (
                row["frequency"] == "monthly"
                and row["unit"] == "count"
                and row["aggregation"] == "sum"
                and row["visibility"] == "public"
                and row["good_direction"] != "neutral"
            ):
                return row["strategy_id"], row["measure_id"], row["measure_name"]
    pytest.fail("the sample has no monthly count measure")


def build_report(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, change: dict[str, str]
) -> dict[str, object]:
    """Run the measure's strategy report with its August 2026 rows changed by ``change``."""
    root = tmp_path_factory.mktemp("gap")
    data = Path(shutil.copytree(data_dir, root / "data"))
    strategy, measure, name = pick_measure(data)
    path = data / "observations" / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    blanked = 0
    for row in rows:
        if row["measure_id"] == measure and row["period_start"] == GAP_MONTH:
            row.update(change)
            blanked += 1
    assert blanked, "the measure has a figure to blank"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    out = root / "out"
    code = cli.main(
        ["run", "--strategy", strategy, "--period", PERIOD, "--data", str(data), "--out",
         str(out), "--no-screenshots", "--timestamp", STAMP]
    )  # fmt: skip
    assert code == 0
    folder = next(
        p for p in out.iterdir() if p.is_dir() and p.name != "history" and p.name[0] != "."
    )
    with (folder / "judgements.csv").open(encoding="utf-8", newline="") as handle:
        judged = [r for r in csv.DictReader(handle) if r["measure_id"] == measure]
    html = (folder / f"{strategy}.html").read_text(encoding="utf-8")
    return {"measure": measure, "name": name, "rows": judged, "html": html}


@pytest.fixture(scope="module")
def gapped(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> dict[str, object]:
    return build_report(tmp_path_factory, data_dir, {"value": "", "numerator": "",
                                                     "denominator": ""})  # fmt: skip


@pytest.fixture(scope="module")
def unconfirmed(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> dict[str, object]:
    # A near-zero figure, as a short submission gives, loaded and marked to confirm.
    return build_report(tmp_path_factory, data_dir, {"value": "3", "status": "to confirm"})


def test_the_gapped_quarter_is_incomplete_and_not_judged(gapped: dict[str, object]) -> None:
    rows = gapped["rows"]
    assert rows, "the measure is in judgements.csv"
    for row in rows:  # type: ignore[attr-defined]
        assert "2 of 3 months" in row["current_label"], row["current_label"]
        assert row["completeness"] == "2 of 3 months; missing 2026-08"
        for column in ("judgement", "year_ending_judgement", "sentence", "assessment"):
            assert not CHANGE_WORDS.search(row[column]), (column, row[column])
        assert row["rag"] == "Grey" and row["rag_reason"]


def test_the_report_names_the_gap_in_its_data_notes(gapped: dict[str, object]) -> None:
    text = re.sub(r"<[^>]+>", " ", str(gapped["html"]))
    text = re.sub(r"\s+", " ", text)
    notes = [
        m.start() for m in re.finditer(re.escape(str(gapped["name"])) + r": no figure for", text)
    ]
    assert notes, "a data note names the measure's missing months"
    assert "August 2026" in text[notes[0] : notes[0] + 200]


def test_a_figure_to_confirm_is_shown_so_and_not_judged(unconfirmed: dict[str, object]) -> None:
    rows = unconfirmed["rows"]
    assert rows, "the measure is in judgements.csv"
    for row in rows:  # type: ignore[attr-defined]
        assert row["completeness"] == "2 of 3 months; to be confirmed 2026-08"
        assert "to be confirmed" in row["current_label"]
        assert row["sentence"].startswith("A figure to be confirmed (2026-08)")
        for column in ("judgement", "year_ending_judgement", "sentence", "assessment"):
            assert not CHANGE_WORDS.search(row[column]), (column, row[column])
        assert row["rag"] == "Grey" and row["rag_reason"]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(unconfirmed["html"])))
    assert f"{unconfirmed['name']}: the figure for August 2026 is far outside" in text
