"""The meeting history: each published run's record is added, never rewritten, and read back."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from pcplib.data.history import (
    list_meeting_records,
    list_meeting_runs,
    read_meeting_record,
    select_meeting_records,
)
from pcplib.run.history import record_meeting
from pcplib.run.jobs import Job, RunPlan


def _plan(slot: str | None, period_end: str | None = "2026-09") -> RunPlan:
    job = Job("vawg", "delivery_strategy", {}, "VAWG", strategy="vawg")
    return RunPlan(slot or "custom", "heading", (job,), slot, period_end)


def _dataset() -> SimpleNamespace:
    return SimpleNamespace(
        commitments=pd.DataFrame(
            {"commitment_id": ["v1", "w1"], "strategy_id": ["vawg", "workforce"],
             "status": ["at risk", "on track"], "due_date": ["2026-12-31", "2027-03-31"]}
        ),
        actions=pd.DataFrame(
            {"action_id": ["v-a1"], "strategy_id": ["vawg"], "status": ["open"],
             "due_date": ["2026-10-31"]}
        ),
    )  # fmt: skip


def _judgements(rag: str, current: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"report": ["vawg"], "strategy_id": ["vawg"], "measure_id": ["m1"], "rag": [rag],
         "current": [current]}
    )  # fmt: skip


def test_each_run_is_added_and_nothing_is_rewritten(tmp_path: Path) -> None:
    first = record_meeting(tmp_path, _plan("2026-07"), _judgements("Amber", 1215), _dataset(), "t1")
    assert first is not None and first.name == "run-001"
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    second = record_meeting(tmp_path, _plan("2026-07"), _judgements("Red", 1198), _dataset(), "t2")
    assert second is not None and second.name == "run-002"
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before
    kept = read_meeting_record(first)
    assert (kept.slot, kept.period_end, kept.produced_at) == ("2026-07", "2026-09", "t1")
    assert kept.judgements["current"].tolist() == ["1215"]
    # Only the run's own strategies' commitments and actions are kept.
    assert kept.commitments["commitment_id"].tolist() == ["v1"]
    assert kept.actions["action_id"].tolist() == ["v-a1"]


def test_a_run_that_is_not_the_meeting_s_own_is_not_kept(tmp_path: Path) -> None:
    # An --all or --strategy run between meetings is labelled with the slot its period
    # belongs to; kept, a later meeting would read it as what the Board was told and say
    # "nothing has changed since" a meeting that never saw the strategy (review 5, N1).
    plan = _plan("2026-11")
    adhoc = RunPlan(plan.folder, plan.heading, plan.jobs, "2026-11", "2026-09", for_meeting=False)
    assert record_meeting(tmp_path, adhoc, _judgements("Amber", 1215), _dataset(), "t1") is None
    assert list_meeting_records(tmp_path / "history") == []
    assert record_meeting(tmp_path, plan, _judgements("Amber", 1215), _dataset(), "t1") is not None


def test_a_run_with_the_delivery_board_keeps_every_strategys_commitments(tmp_path: Path) -> None:
    # The board's view shows every strategy's commitments and actions, not only those of
    # the slot's strategy reports: the record keeps what it showed.
    plan = _plan("2026-11")
    board = Job("delivery-board", "delivery_board", {}, "Delivery Board")
    plan = RunPlan(plan.folder, plan.heading, (*plan.jobs, board), plan.slot, plan.period_end)
    kept = read_meeting_record(
        record_meeting(tmp_path, plan, _judgements("Red", 1), _dataset(), "t")  # type: ignore[arg-type]
    )
    assert kept.commitments["commitment_id"].tolist() == ["v1", "w1"]
    assert kept.actions["action_id"].tolist() == ["v-a1"]


def test_a_meeting_is_read_as_its_latest_run_oldest_meeting_first(tmp_path: Path) -> None:
    record_meeting(tmp_path, _plan("2026-11"), _judgements("Green", 3), _dataset(), "t3")
    record_meeting(tmp_path, _plan("2026-07"), _judgements("Amber", 1), _dataset(), "t1")
    record_meeting(tmp_path, _plan("2026-07"), _judgements("Red", 2), _dataset(), "t2")
    records = list_meeting_records(tmp_path / "history")
    assert [(r.slot, r.produced_at) for r in records] == [("2026-07", "t2"), ("2026-11", "t3")]
    assert records[0].judgements["rag"].tolist() == ["Red"]
    # Every run stays readable, oldest first: an update to a quarter's view compares with
    # the first one published, not the meeting's latest.
    runs = list_meeting_runs(tmp_path / "history")
    assert [(r.slot, r.produced_at) for r in runs] == [
        ("2026-07", "t1"),
        ("2026-07", "t2"),
        ("2026-11", "t3"),
    ]
    assert list_meeting_runs(tmp_path / "missing") == [] == list_meeting_runs(None)


def test_the_meetings_records_come_from_every_run_as_read_alone(tmp_path: Path) -> None:
    # The Delivery Board reads every run once and takes each meeting's record from them.
    record_meeting(tmp_path, _plan("2026-11"), _judgements("Green", 3), _dataset(), "t3")
    record_meeting(tmp_path, _plan("2026-07"), _judgements("Amber", 1), _dataset(), "t1")
    record_meeting(tmp_path, _plan("2026-07"), _judgements("Red", 2), _dataset(), "t2")
    selected = select_meeting_records(list_meeting_runs(tmp_path / "history"))
    records = list_meeting_records(tmp_path / "history")
    assert [r.folder for r in selected] == [r.folder for r in records]
    assert [(r.slot, r.produced_at) for r in selected] == [("2026-07", "t2"), ("2026-11", "t3")]
    assert select_meeting_records([]) == []


def test_a_run_for_no_meeting_is_not_recorded(tmp_path: Path) -> None:
    assert record_meeting(tmp_path, _plan(None), _judgements("Red", 1), _dataset(), "t") is None
    assert not (tmp_path / "history").exists()
    assert list_meeting_records(tmp_path / "history") == []
    assert list_meeting_records(None) == []


def test_a_broken_record_is_one_line_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "history" / "2026-07" / "run-001"
    folder.mkdir(parents=True)
    (folder / "record.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"record\.json: expected a JSON object"):
        list_meeting_records(tmp_path / "history")


def test_the_history_holds_no_formula_and_reads_back_what_was_given(tmp_path: Path) -> None:
    dataset = _dataset()
    dataset.commitments.loc[0, "status"] = '=WEBSERVICE("http://evil.example/")'
    judgements = _judgements("Red", -3.5)
    judgements.loc[0, "measure_id"] = "@SUM(A1)"
    folder = record_meeting(tmp_path, _plan("2026-07"), judgements, dataset, "t1")
    assert folder is not None
    for name in ("commitments.csv", "judgements.csv"):
        text = (folder / name).read_text(encoding="utf-8")
        cells = [cell for line in text.splitlines() for cell in line.split(",")]
        assert not any(cell.startswith(("=", "@")) for cell in cells), name
    assert "-3.5" in (folder / "judgements.csv").read_text(encoding="utf-8")
    kept = read_meeting_record(folder)
    assert kept.commitments["status"].tolist() == ['=WEBSERVICE("http://evil.example/")']
    assert kept.judgements["measure_id"].tolist() == ["@SUM(A1)"]
    assert kept.judgements["current"].tolist() == ["-3.5"]


def test_a_public_run_is_not_recorded(tmp_path: Path) -> None:
    # The record holds the Board's commitments and actions, and a meeting is read as its
    # latest run: a public version must neither sit in a public folder nor replace it.
    public = Job("vawg", "delivery_strategy", {"audience": "public"}, "VAWG", strategy="vawg")
    overview = Job("plan-overview", "plan_overview", {}, "Overview")
    plan = RunPlan("2026-07-public", "heading", (public, overview), "2026-07", "2026-09")
    assert record_meeting(tmp_path, plan, _judgements("Red", 1), _dataset(), "t1") is None
    assert not (tmp_path / "history").exists()
