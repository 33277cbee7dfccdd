"""Owners' commitment statuses checked against their measure's data (issue 26, review 3 #2).

"Deliver £4.0m of recurrent savings a year" was reported at risk while the savings measure
met the same target, and no page reconciled the two verdicts. A commitment may name its
measure (``measure_id``); where its status and the measure's rating disagree, one sentence
says so beside both, in every report.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pcplib.assessment.commitment_status import (
    STATUS_CHECK_COLUMNS,
    attach_status_checks,
    check_commitment_statuses,
)
from pcplib.data import Dataset, load_dataset
from pcplib.data.validate import validate_dataset

PERIOD_END = "2026-09"


def verdict(**overrides: Any) -> dict[str, Any]:
    """A measure rated on its target: met (Green) unless overridden."""
    row = {
        "measure_id": "m1", "measure_name": "Savings delivered", "unit": "gbp",
        "rate_per": "", "current": 1_223_901.0, "target_for_period": 1_000_000.0,
        "target_compared": None, "target_period_label": "for the quarter", "target_date": "",
        "rag": "Green", "rag_basis": "target", "rag_capped": False,
        "target_within_margin": False,
    }  # fmt: skip
    return row | overrides


def commitment(status: str, measure_id: str = "m1") -> dict[str, Any]:
    return {
        "commitment_id": "s-c01", "strategy_id": "s", "status": status,
        "commitment": "Deliver £4.0m of recurrent savings a year", "measure_id": measure_id,
    }  # fmt: skip


def check(status: str, **overrides: Any) -> pd.DataFrame:
    return check_commitment_statuses(
        pd.DataFrame([commitment(status)]), pd.DataFrame([verdict(**overrides)])
    )


@pytest.mark.parametrize("status", ["at risk", "off track"])
def test_a_status_at_risk_while_its_measure_meets_the_target_is_flagged(status: str) -> None:
    found = check(status)
    assert list(found.columns) == STATUS_CHECK_COLUMNS and len(found) == 1
    row = found.iloc[0]
    assert row["data_verdict"] == "meets"
    assert row["sentence"] == (
        f'Owners report "Deliver £4.0m of recurrent savings a year" {status}, yet its '
        "measure, Savings delivered, meets its target (£1,223,901 against £1,000,000 for "
        "the quarter): the status and the data disagree."
    )
    assert row["public_sentence"] == (
        f'The promise "Deliver £4.0m of recurrent savings a year" is {status}, its owners '
        "say, even though Savings delivered meets its target."
    )


@pytest.mark.parametrize("status", ["on track", "complete"])
def test_a_status_on_track_while_its_measure_misses_the_target_is_flagged(status: str) -> None:
    found = check(status, rag="Red", current=800_000.0)
    assert len(found) == 1 and found.iloc[0]["data_verdict"] == "misses"
    assert (
        "misses its target (£800,000 against £1,000,000 for the quarter)"
        in (found.iloc[0]["sentence"])
    )
    assert "even though Savings delivered misses its target" in found.iloc[0]["public_sentence"]


@pytest.mark.parametrize(
    ("status", "overrides"),
    [
        ("on track", {}),  # agrees
        ("complete", {}),
        ("at risk", {"rag": "Red", "current": 800_000.0}),  # agrees
        ("not started", {}),  # nothing claimed yet
        ("on track", {"rag": "Amber", "target_within_margin": True}),  # not shown missed
        ("at risk", {"rag": "Green", "rag_basis": "evidence"}),  # no target: no verdict on it
        ("at risk", {"rag": "Grey", "rag_basis": "none", "current": None}),
        ("on track", {"rag": "Grey", "rag_basis": "target", "current": float("nan")}),
    ],
)
def test_agreement_or_no_verdict_on_the_target_is_never_flagged(
    status: str, overrides: dict[str, Any]
) -> None:
    assert check(status, **overrides).empty


def test_a_capped_green_still_meets_the_target() -> None:
    # Met, but Amber for a real deterioration: the target itself is met.
    assert check("at risk", rag="Amber", rag_capped=True).iloc[0]["data_verdict"] == "meets"


def test_a_trajectory_names_its_course_and_a_season_its_year() -> None:
    found = check(
        "at risk", rag_basis="trajectory", target_date="2029-03", unit="kwh",
        current=2_500_000.0, target_compared=12_028_951.0, target_for_period=13_800_000.0,
        target_period_label="in the 12 months to September 2026",
    )  # fmt: skip
    assert (
        "is on course for its March 2029 target (12,028,951 kWh against 13,800,000 kWh "
        in (found.iloc[0]["sentence"])
    )
    assert "in the 12 months to September 2026)" in found.iloc[0]["sentence"]


def test_no_link_or_an_unknown_measure_checks_nothing() -> None:
    verdicts = pd.DataFrame([verdict()])
    unlinked = pd.DataFrame([commitment("at risk", measure_id="")])
    assert check_commitment_statuses(unlinked, verdicts).empty
    elsewhere = pd.DataFrame([commitment("at risk", measure_id="restricted-one")])
    assert check_commitment_statuses(elsewhere, verdicts).empty
    # A data set made before the column existed.
    older = pd.DataFrame([commitment("at risk")]).drop(columns="measure_id")
    assert check_commitment_statuses(older, verdicts).empty


def test_attach_adds_one_sentence_per_measure_and_empty_text_elsewhere() -> None:
    verdicts = pd.DataFrame([verdict(), verdict(measure_id="m2", measure_name="Other")])
    commitments = pd.DataFrame([commitment("at risk")])
    dataset = type("D", (), {"commitments": commitments})()
    out = attach_status_checks(verdicts, dataset)  # type: ignore[arg-type]
    assert out.loc[0, "status_disagreement"].startswith('Owners report "Deliver £4.0m')
    assert out.loc[1, "status_disagreement"] == ""
    assert out.loc[1, "status_disagreement_public"] == ""
    # A data set with no commitments table: the columns, empty.
    bare = attach_status_checks(verdicts, object())  # type: ignore[arg-type]
    assert list(bare["status_disagreement"]) == ["", ""]


# --- the sample: savings reported at risk while the measure meets its target ----------------


def test_the_samples_savings_disagreement_reaches_every_report(sample: Dataset) -> None:
    from pcplib import assessment, report
    from pcplib.assessment.judgements import tabulate_judgements
    from pcplib.assessment.public import summarise_public_quarter

    summary = assessment.summarise_strategy(sample, "resources", PERIOD_END, "board")
    savings = summary.measures.set_index("measure_id").loc["res-savings"]
    sentence = savings["status_disagreement"]
    assert '"Deliver £4.0m of recurrent savings a year" at risk' in sentence
    assert "meets its target (£1,223,901 against £1,000,000 for the quarter)" in sentence
    # Beside the measure, in the strategy report's table ...
    table = report.format_measures_table(summary.measures, "Measures")
    assert "Status and data disagree:" in table and "Deliver £4.0m" in table
    # ... and beside the commitment, the same sentence.
    listed = report.format_commitments(sample, "resources", PERIOD_END, verdicts=summary.measures)
    assert listed.count("Status and data disagree:") == 1
    assert "at risk, yet its measure, Savings delivered" in listed
    # In judgements.csv, and in the plan overview's line for the measure.
    rows = tabulate_judgements([summary], "resources")
    assert rows.set_index("measure_id").loc["res-savings", "status_disagreement"] == sentence
    overview = assessment.build_plan_overview(sample, PERIOD_END)
    shown = report.format_plan_overview(overview, "Plan overview")
    assert "Commitment status and data disagree" in shown
    # The public page says both, the owners' warning under "What still needs attention",
    # never in the achieved sentence it contradicts (review 5, N7).
    public = summarise_public_quarter(sample, "2026/27 Q2")
    savings = public.measures.set_index("measure_id").loc["res-savings"]
    assert savings["group"] == "achieved"
    assert savings["public_sentence"].endswith("Meets its target of £1,000,000.")
    assert savings["attention_note"] == (
        'The promise "Deliver £4.0m of recurrent savings a year" is at risk, its owners say, '
        "even though Savings delivered against the medium-term financial plan meets its "
        "target."
    )
    # The sample's other links agree with their data: nothing flagged.
    every = assessment.summarise_measures(sample, None, PERIOD_END, with_spc=False)
    assert (every["status_disagreement"] != "").sum() == 1


# --- the data model: an optional column, checked against the catalogue ----------------------


@pytest.fixture
def copy(tmp_path: Path, data_dir: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("reference"))
    return target


def test_a_commitments_file_without_the_measure_column_still_loads(copy: Path) -> None:
    path = copy / "commitments" / "commitments.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns="measure_id").to_csv(path, index=False)
    loaded = load_dataset(copy, today=dt.date(2026, 11, 23))
    assert (loaded.commitments["measure_id"] == "").all()


def test_a_commitment_naming_an_unknown_measure_is_refused_with_its_row(copy: Path) -> None:
    path = copy / "commitments" / "commitments.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[2, "measure_id"] = "no-such-measure"
    frame.to_csv(path, index=False)
    problems = [str(p) for p in validate_dataset(copy, today=dt.date(2026, 11, 23))]
    found = [p for p in problems if "no-such-measure" in p]
    assert len(found) == 1, problems
    assert "commitments.csv" in found[0] and "row 4" in found[0] and "measure_id" in found[0]


def test_the_delivery_boards_at_risk_item_carries_the_same_sentence(sample: Dataset) -> None:
    # Review 3, #2: the Board's "Overdue or at risk" list showed the savings commitment at
    # risk beside nothing that reconciled it with the measure meeting its target.
    from pcplib.assessment.board import summarise_board_quarter
    from pcplib.report.board import format_board_missions

    view = summarise_board_quarter(sample, PERIOD_END, slot="2026-11")
    items = view.items.set_index("item_id")
    assert items.loc["resources-c02", "reason"].startswith(
        'Owners report "Deliver £4.0m of recurrent savings a year" at risk, yet its measure'
    )
    assert (view.items.loc[view.items["kind"] == "commitment", "reason"] != "").sum() == 1
    html = format_board_missions(view)
    assert html.count("Status and data disagree:") == 1
