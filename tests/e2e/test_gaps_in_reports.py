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


def pick_measures(data: Path) -> tuple[str, list[tuple[str, str]]]:
    """Return a strategy with two monthly counts summed over their quarter, and the two.

    Flows, so a gap leaves the quarter short. Returns the strategy's id and the two
    measures' ``(id, name)``.
    """
    by_strategy: dict[str, list[tuple[str, str]]] = {}
    with (data / "framework" / "measures.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (
                row["frequency"] == "monthly"
                and row["unit"] == "count"
                and row["aggregation"] == "sum"
                and row["visibility"] == "public"
                and row["good_direction"] != "neutral"
            ):
                found = by_strategy.setdefault(row["strategy_id"], [])
                found.append((row["measure_id"], row["measure_name"]))
                if len(found) == 2:
                    return row["strategy_id"], found
    pytest.fail("the sample has no strategy with two monthly count measures")


def build_reports(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, changes: list[dict[str, str]]
) -> list[dict[str, object]]:
    """Run one strategy report with two measures' August 2026 rows changed, one by each change.

    One run serves both cases (a report each cost a run of its own): each measure's
    checks read only its own rows and notes.
    """
    root = tmp_path_factory.mktemp("gap")
    data = Path(shutil.copytree(data_dir, root / "data"))
    strategy, measures = pick_measures(data)
    path = data / "observations" / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for (measure, _), change in zip(measures, changes, strict=True):
        blanked = 0
        for row in rows:
            if row["measure_id"] == measure and row["period_start"] == GAP_MONTH:
                row.update(change)
                blanked += 1
        assert blanked, "the measure has a figure to change"
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
        judged = list(csv.DictReader(handle))
    html = (folder / f"{strategy}.html").read_text(encoding="utf-8")
    return [
        {
            "measure": measure,
            "name": name,
            "rows": [r for r in judged if r["measure_id"] == measure],
            "html": html,
        }
        for measure, name in measures
    ]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> list[dict[str, object]]:
    return build_reports(
        tmp_path_factory,
        data_dir,
        [
            {"value": "", "numerator": "", "denominator": ""},
            # A near-zero figure, as a short submission gives, loaded and marked to confirm.
            {"value": "3", "status": "to confirm"},
        ],
    )


@pytest.fixture(scope="module")
def gapped(reports: list[dict[str, object]]) -> dict[str, object]:
    return reports[0]


@pytest.fixture(scope="module")
def unconfirmed(reports: list[dict[str, object]]) -> dict[str, object]:
    return reports[1]


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
