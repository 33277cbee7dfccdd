"""The back test of the 2021-24 plan's Table One, now kept in docs/ and here, not in a report.

Every trend arrow of Table One is rebuilt from its published baseline and current value
with the arithmetic every report uses; ``docs/table-one-backtest.md`` shows the 21 rows
and must be exactly what :func:`pcplib.report.overview.format_table_one_markdown` writes.
"""

from __future__ import annotations

from pathlib import Path

from pcplib.assessment.overview import rebuild_table_one
from pcplib.data.reference import load_table_one
from pcplib.report.overview import format_table_one_markdown


def test_every_trend_of_table_one_is_rebuilt(repo_root: Path) -> None:
    rebuilt = rebuild_table_one(load_table_one(repo_root / "data" / "reference"))
    assert len(rebuilt) == 21
    assert rebuilt["matches"].all(), rebuilt.loc[~rebuilt["matches"], ["measure"]]


def test_the_documented_back_test_is_current(repo_root: Path) -> None:
    document = (repo_root / "docs" / "table-one-backtest.md").read_text(encoding="utf-8")
    expected = format_table_one_markdown(load_table_one(repo_root / "data" / "reference"))
    assert document == expected, (
        "docs/table-one-backtest.md is out of date: regenerate it with "
        "pcplib.report.overview.format_table_one_markdown"
    )
    rows = [line for line in document.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 21  # the header and the 21 published rows
    assert "All 21 recomputed trends match the published ones." in document


def test_the_plan_overview_no_longer_carries_the_back_test(repo_root: Path) -> None:
    notebook = (repo_root / "notebooks" / "plan_overview.ipynb").read_text(encoding="utf-8")
    assert "format_table_one" not in notebook and "load_table_one" not in notebook
