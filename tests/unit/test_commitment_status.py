"""Owners' commitment statuses set against their measure's data (issue 26; review 7, F13).

A commitment may name its measure (``measure_id``); where its status and the measure's
rating differ, and the rating tests the promise (a trajectory, or a per-period target once
the promise has fallen due), the Board's reports put one question to the owners beside
both. One quarter's figure is never set against a promise about a later or whole year
("Deliver £4.0m of recurrent savings a year", due March 2027), and the public reports never
carry the question.
"""

from __future__ import annotations

import dataclasses
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
DUE = "2026-06-30"  # fallen due by the end of the period measured


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


def commitment(status: str, measure_id: str = "m1", due: str = DUE) -> dict[str, Any]:
    return {
        "commitment_id": "s-c01", "strategy_id": "s", "status": status,
        "commitment": "Deliver £4.0m of recurrent savings a year", "measure_id": measure_id,
        "due_date": due,
    }  # fmt: skip


def check(status: str, due: str = DUE, **overrides: Any) -> pd.DataFrame:
    return check_commitment_statuses(
        pd.DataFrame([commitment(status, due=due)]),
        pd.DataFrame([verdict(**overrides)]),
        PERIOD_END,
    )


@pytest.mark.parametrize("status", ["at risk", "off track"])
def test_a_status_at_risk_while_its_measure_meets_the_target_is_a_question(status: str) -> None:
    found = check(status)
    assert list(found.columns) == STATUS_CHECK_COLUMNS and len(found) == 1
    row = found.iloc[0]
    assert row["data_verdict"] == "meets"
    # A question for the owners, not a verdict that they are wrong.
    assert row["sentence"] == (
        f'Owners report "Deliver £4.0m of recurrent savings a year" {status}, while its '
        "measure, Savings delivered, meets its target (£1,223,901 against £1,000,000 for "
        f"the quarter): what puts it {status} that the figures do not show?"
    )


@pytest.mark.parametrize(
    ("status", "overrides"),
    [("at risk", {}), ("off track", {}), ("on track", {"rag": "Red", "current": 800_000.0})],
)
def test_a_per_period_target_does_not_test_a_promise_not_yet_due(
    status: str, overrides: dict[str, Any]
) -> None:
    # Review 7, F13: a quarter's savings (£1.22m against £1.0m) said nothing of "Deliver
    # £4.0m of recurrent savings a year" due March 2027, put at risk for 2027/28. Either
    # way round, a promise still to fall due is not tested by one period's figure.
    assert check(status, due="2027-03-31", **overrides).empty
    # Due in the last month measured: the period's figure is its outcome.
    assert len(check(status, due="2026-09-30", **overrides)) == 1
    # A trajectory (the course to its target date) does test a promise still to fall due.
    on_course = {"rag_basis": "trajectory", "target_date": "2029-03"} | overrides
    assert len(check(status, due="2029-03-31", **on_course)) == 1
    # With no due date, or no period given, a per-period target tests nothing.
    assert check(status, due="", **overrides).empty
    no_period = check_commitment_statuses(
        pd.DataFrame([commitment(status)]), pd.DataFrame([verdict(**overrides)])
    )
    assert no_period.empty


@pytest.mark.parametrize("status", ["on track", "complete"])
def test_a_status_on_track_while_its_measure_misses_the_target_is_a_question(status: str) -> None:
    found = check(status, rag="Red", current=800_000.0)
    assert len(found) == 1 and found.iloc[0]["data_verdict"] == "misses"
    sentence = found.iloc[0]["sentence"]
    assert "misses its target (£800,000 against £1,000,000 for the quarter): " in sentence
    assert sentence.endswith("?")


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
    assert check_commitment_statuses(unlinked, verdicts, PERIOD_END).empty
    elsewhere = pd.DataFrame([commitment("at risk", measure_id="restricted-one")])
    assert check_commitment_statuses(elsewhere, verdicts, PERIOD_END).empty
    # A data set made before the column existed.
    older = pd.DataFrame([commitment("at risk")]).drop(columns="measure_id")
    assert check_commitment_statuses(older, verdicts, PERIOD_END).empty


def test_attach_adds_one_sentence_per_measure_and_empty_text_elsewhere() -> None:
    verdicts = pd.DataFrame([verdict(), verdict(measure_id="m2", measure_name="Other")])
    commitments = pd.DataFrame([commitment("at risk")])
    dataset = type("D", (), {"commitments": commitments})()
    out = attach_status_checks(verdicts, dataset, period_end=PERIOD_END)  # type: ignore[arg-type]
    assert out.loc[0, "status_disagreement"].startswith('Owners report "Deliver £4.0m')
    assert out.loc[1, "status_disagreement"] == ""
    # Never the public's: the question is the Board's to put to the owners.
    public = attach_status_checks(verdicts, dataset, "public", PERIOD_END)  # type: ignore[arg-type]
    assert list(public["status_disagreement"]) == ["", ""]
    # A data set with no commitments table: the columns, empty.
    bare = attach_status_checks(verdicts, object())  # type: ignore[arg-type]
    assert list(bare["status_disagreement"]) == ["", ""]


# --- the sample: savings reported at risk while the measure meets its target ----------------


def savings_due(sample: Dataset, due: str) -> Dataset:
    """The sample with its savings promise ("Deliver £4.0m ...", at risk) due on ``due``."""
    commitments = sample.commitments.copy()
    commitments.loc[commitments["commitment_id"] == "resources-c02", "due_date"] = due
    return dataclasses.replace(sample, commitments=commitments)


def test_the_samples_savings_promise_not_yet_due_is_not_questioned(sample: Dataset) -> None:
    # Review 7, F13: due March 2027 and at risk for 2027/28; one quarter's £1.22m against
    # £1.0m does not test it, so no report questions it, and none tells the public.
    from pcplib import assessment, report

    every = assessment.summarise_measures(sample, None, PERIOD_END, with_spc=False)
    assert (every["status_disagreement"] != "").sum() == 0
    listed = report.format_commitments(sample, "resources", PERIOD_END, verdicts=every)
    assert "Question for the owners" not in listed
    public = report.format_public_quarter(sample, "2026/27 Q2")
    assert "its owners say" not in public and "Question for the owners" not in public


def test_a_promise_fallen_due_is_questioned_in_every_board_report(sample: Dataset) -> None:
    from pcplib import assessment, report
    from pcplib.assessment.judgements import tabulate_judgements
    from pcplib.assessment.public import summarise_public_quarter

    data = savings_due(sample, "2026-09-30")
    summary = assessment.summarise_strategy(data, "resources", PERIOD_END, "board")
    savings = summary.measures.set_index("measure_id").loc["res-savings"]
    sentence = savings["status_disagreement"]
    assert sentence == (
        'Owners report "Deliver £4.0m of recurrent savings a year" at risk, while its '
        "measure, Savings delivered against the medium-term financial plan, meets its "
        "target (£1,223,901 against £1,000,000 for the quarter): what puts it at risk that "
        "the figures do not show?"
    )
    # Beside the measure, in the strategy report's table ...
    table = report.format_measures_table(summary.measures, "Measures")
    assert "Question for the owners:" in table and "Deliver £4.0m" in table
    # ... and beside the commitment, the same question.
    listed = report.format_commitments(data, "resources", PERIOD_END, verdicts=summary.measures)
    assert listed.count("Question for the owners:") == 1
    # In judgements.csv, and in the plan overview's line for the measure.
    rows = tabulate_judgements([summary], "resources")
    assert rows.set_index("measure_id").loc["res-savings", "status_disagreement"] == sentence
    overview = assessment.build_plan_overview(data, PERIOD_END)
    shown = report.format_plan_overview(overview, "Plan overview")
    assert "Question for the owners on a promise" in shown
    # Never in a public output: the strategy report's public version nor the public page.
    public_listed = report.format_commitments(
        data, "resources", PERIOD_END, audience="public", verdicts=summary.measures
    )
    assert "Question for the owners" not in public_listed
    public = summarise_public_quarter(data, "2026/27 Q2")
    savings = public.measures.set_index("measure_id").loc["res-savings"]
    assert savings["group"] == "achieved"
    assert savings["public_sentence"].endswith(
        "Meets its target of £1,000,000, as it already did on average in the plan's baseline "
        "year (2024/25)."
    )
    assert "owners" not in " ".join(public.measures["public_sentence"])


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


def test_the_delivery_boards_at_risk_item_carries_the_same_question(sample: Dataset) -> None:
    # Review 3, #2: the Board's "Overdue or at risk" list showed the savings commitment at
    # risk beside nothing that reconciled it with the measure meeting its target.
    from pcplib.assessment.board import summarise_board_quarter
    from pcplib.report.board import format_board_missions

    view = summarise_board_quarter(savings_due(sample, "2026-09-30"), PERIOD_END, slot="2026-11")
    items = view.items.set_index("item_id")
    assert items.loc["resources-c02", "reason"].startswith(
        'Owners report "Deliver £4.0m of recurrent savings a year" at risk, while its measure'
    )
    assert (view.items.loc[view.items["kind"] == "commitment", "reason"] != "").sum() == 1
    html = format_board_missions(view)
    assert html.count("Question for the owners:") == 1
    # As shipped (due March 2027), the item is listed without a question.
    shipped = summarise_board_quarter(sample, PERIOD_END, slot="2026-11")
    assert (shipped.items.loc[shipped.items["kind"] == "commitment", "reason"] != "").sum() == 0
