"""The Delivery Board's quarterly view: its name from the data set, owners, late items, HTML."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pcplib.assessment.board import (
    BOARD_ITEM_COLUMNS,
    BOARD_OWNER_COLUMNS,
    BoardView,
    summarise_board_quarter,
)
from pcplib.data import Dataset, load_dataset
from pcplib.data.delivery_board import DEFAULT_NAME, read_delivery_board
from pcplib.data.forward_plan import ForwardPlan, Slot
from pcplib.report.board import build_board_header, format_board_missions, format_board_owners
from pcplib.run.jobs import plan_board_job
from pcplib.run.plans import name_delivery_board

TWO = ("vawg", "workforce")


def test_the_board_is_named_by_the_data_set(tmp_path: Path) -> None:
    meta = tmp_path / "dataset.yaml"
    meta.write_text("illustrative: false\ndescription: x\n", encoding="utf-8")
    assert read_delivery_board(tmp_path).name == DEFAULT_NAME
    meta.write_text(
        'illustrative: false\ndelivery_board:\n  name: " Strategic Delivery Board "\n'
        "  chair: Chief Executive\n",
        encoding="utf-8",
    )
    board = read_delivery_board(tmp_path)
    assert (board.name, board.chair) == ("Strategic Delivery Board", "Chief Executive")
    assert name_delivery_board(tmp_path) == "Strategic Delivery Board"
    meta.write_text("delivery_board: yes\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"dataset.yaml, key delivery_board.name: expected"):
        read_delivery_board(tmp_path)
    # The runner names the index entry neutrally and leaves the error to the notebook.
    assert name_delivery_board(tmp_path) == ""
    assert read_delivery_board(tmp_path / "missing").name == DEFAULT_NAME


def test_the_board_job_carries_the_plan_and_history() -> None:
    job = plan_board_job("2026-11", "2026-09", "data", "t", "plan.yaml", "out/history", "X Board")
    assert job.name == "delivery-board" and job.notebook == "delivery_board"
    assert job.parameters == {
        "slot": "2026-11", "meeting": "X Board, 2026/27 Q2", "period_end": "2026-09",
        "data_dir": "data",
        "forward_plan": "plan.yaml", "history_dir": "out/history", "produced_at": "t",
    }  # fmt: skip
    assert job.title == "X Board: quarterly view, by owner"


@pytest.fixture(scope="module")
def view(data_dir: Path) -> tuple[Dataset, BoardView]:
    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    strategies = sample.strategies[sample.strategies["strategy_id"].isin(TWO)]
    actions = pd.DataFrame(
        {"action_id": ["v-a1", "v-a2"], "strategy_id": ["vawg"] * 2, "agreed_at": ["2026-07"] * 2,
         "action": ["Overdue one", "Done one"], "owner": ["Someone"] * 2,
         "due_date": pd.to_datetime(["2026-10-31", "2026-08-31"]), "status": ["open", "done"]}
    )  # fmt: skip
    # vawg's return arrived on time; workforce's never did.
    log = pd.DataFrame(
        {"file": ["vawg.xlsx"], "sha256": ["a" * 64], "strategy_id": ["vawg"],
         "quarter": ["2026/27 Q2"], "loaded_at": ["2026-10-20T10:00:00Z"], "rows_added": [1],
         "rows_changed": [0], "not_supplied": [0]}
    )  # fmt: skip
    data = replace(sample, strategies=strategies, actions=actions, returns_log=log)
    plan = ForwardPlan(
        path=Path("plan.yaml"), source="", notes=(), years=("2026/27",),
        slots=(Slot("2026-11", "2026/27", TWO, "2026-09"),),
    )  # fmt: skip
    return data, summarise_board_quarter(data, "2026-09", "2026-11", plan)


def test_each_senior_contact_has_a_row_with_what_is_late(view: tuple[Dataset, BoardView]) -> None:
    data, board = view
    assert list(board.owners.columns) == BOARD_OWNER_COLUMNS
    assert list(board.items.columns) == BOARD_ITEM_COLUMNS
    expected = set(data.strategies["force_senior_owner"]) | set(
        data.strategies["opcc_senior_owner"]
    )
    assert set(board.owners["owner"]) == expected
    assert set(board.owners["side"]) == {"Force", "OPCC"}
    assert board.quarter == "2026/27 Q2" and board.previous_period_end == "2026-06"
    assert board.as_of == pd.Timestamp("2026-11-01") and board.returns_recorded
    late = board.items[board.items["late"].astype(bool)]
    # The open action due before the meeting is late; the done one is not.
    assert late.loc[late["kind"] == "action", "item_id"].tolist() == ["v-a1"]
    # Workforce's return is missing (due by the end of October); vawg's came in time.
    returns = late[late["kind"] == "return"]
    assert returns["strategy_id"].tolist() == ["workforce"]
    assert (
        returns["state"].iloc[0] == "not received" and returns["due"].iloc[0] == "31 October 2026"
    )
    # The late counts add up per owner.
    vawg_force = board.owners.set_index("owner").loc[
        data.strategies.set_index("strategy_id").loc["vawg", "force_senior_owner"]
    ]
    vawg_late = late[late["strategy_id"] == "vawg"]
    assert vawg_force["actions_overdue"] == 1
    assert vawg_force["commitments_late"] == (vawg_late["kind"] == "commitment").sum()
    assert board.owners["late"].is_monotonic_decreasing
    assert set(board.strategies["basis"]) == {"recomputed"}


def test_the_view_names_the_board_and_has_a_table_by_owner(view: tuple[Dataset, BoardView]) -> None:
    data, board = view
    named = replace(read_delivery_board(data.root), name="Example Delivery Board")
    header = build_board_header(data, named, board, "2026-11", "2026-11-23T06:00Z")
    assert "<dd>Example Delivery Board, chaired by the Chief Executive, 2026/27 Q2," in header
    assert "prepared with the reports for November 2026" in header
    assert "<h1>Example Delivery Board: quarterly view, 2026/27 Q2</h1>" in header
    assert "OFFICIAL" in header and "due before 1 November 2026 and not done" in header
    owners = format_board_owners(board, data)
    assert "By owner: what is late and what changed, 2026/27 Q2" in owners
    assert owners.count("senior contact)</span>") == len(board.owners)
    assert "1 return not received on time" in owners
    missions = format_board_missions(board)
    assert "(recomputed)" in missions and "Action: Overdue one" in missions
    assert "Last quarter (2026/27 Q1)" in missions
    assert 'class="rag rag-' in missions
