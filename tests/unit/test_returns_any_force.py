"""Returns for any force: a new measure with no figures yet loads into the force area.

The data set here is the sample with its force area renamed and a measure added that has
no observation at all, as a force adopting the project would have for a measure its
owners will supply only through their returns.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pcplib.data import load_dataset
from pcplib.data.forward_plan import load_forward_plan
from pcplib.data.sources.returns_merge import load_returns
from pcplib.data.sources.returns_template import write_return_template

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
QUARTER = "2026/27 Q2"
FORCE_AREA = "Elsewhere Force Area"
NEW_MEASURE = "new-returns-only-measure"


def plan_path(data: Path, repo_root: Path) -> Path:
    inside = data / "forward_plan.yaml"
    return inside if inside.is_file() else repo_root / "data" / "forward_plan.yaml"


@pytest.fixture
def adopted(tmp_path: Path, data_dir: Path) -> tuple[Path, str]:
    data = Path(shutil.copytree(data_dir, tmp_path / "data"))
    areas = pd.read_csv(data / "framework" / "areas.csv", dtype=str, keep_default_na=False)
    old = areas.loc[areas["level"] == "force", "area"].iloc[0]
    areas.loc[areas["area"] == old, "area"] = FORCE_AREA
    areas.to_csv(data / "framework" / "areas.csv", index=False, lineterminator="\n")
    obs = pd.read_csv(data / "observations" / "observations.csv", dtype=str, keep_default_na=False)
    obs.loc[obs["area"] == old, "area"] = FORCE_AREA
    obs.to_csv(data / "observations" / "observations.csv", index=False, lineterminator="\n")
    meta = data / "dataset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(old, FORCE_AREA), encoding="utf-8")
    measures = pd.read_csv(data / "framework" / "measures.csv", dtype=str, keep_default_na=False)
    template = measures[(measures["frequency"] == "quarterly") & (measures["unit"] == "count")]
    row = template.iloc[0].copy()
    row["measure_id"], row["measure_name"] = NEW_MEASURE, "A measure new to the plan"
    row["tier"], row["target"], row["target_note"], row["target_date"] = "sub", "", "", ""
    row["source"], row["police_uk_crime_types"] = "Owners' quarterly return", ""
    for column in ("spc_baseline_from", "spc_baseline_to", "spc_recalculate_from",
                   "spc_recalculate_note"):  # fmt: skip
        row[column] = ""
    measures = pd.concat([measures, row.to_frame().T], ignore_index=True)
    measures.to_csv(data / "framework" / "measures.csv", index=False, lineterminator="\n")
    return data, str(row["strategy_id"])


def test_a_measure_with_no_figures_loads_into_the_force_area(
    adopted: tuple[Path, str], tmp_path: Path, repo_root: Path
) -> None:
    data, strategy = adopted
    dataset = load_dataset(data, today=TODAY)
    assert dataset.primary_area == FORCE_AREA
    out = write_return_template(
        dataset, strategy, QUARTER, tmp_path / "r.xlsx",
        plan=load_forward_plan(plan_path(data, repo_root)), generated_at="2026-10-01T09:00:00Z",
    )  # fmt: skip
    book = openpyxl.load_workbook(out)
    sheet = book["Measures"]
    names = {str(c.value): c.column for c in sheet[1] if c.value is not None}
    filled = 0
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, names["measure_id"]).value == NEW_MEASURE:
            sheet.cell(r, names["value"]).value = 42
            filled += 1
    assert filled == 1, "the return asks for the new measure's quarter"
    book.save(out)
    outcome = load_returns([out], data, today=TODAY, now=NOW)
    assert not outcome.problems, [str(p) for p in outcome.problems]
    with (data / "observations" / "observations.csv").open(encoding="utf-8", newline="") as handle:
        loaded = [r for r in csv.DictReader(handle) if r["measure_id"] == NEW_MEASURE]
    assert [(r["area"], r["value"]) for r in loaded] == [(FORCE_AREA, "42")]
