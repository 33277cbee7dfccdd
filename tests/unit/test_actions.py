"""Actions carried forward: overdue by the meeting's date, in the exceptions and the action log."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pcplib.assessment.actions import classify_actions, find_action_date, list_overdue_actions
from pcplib.assessment.exceptions import list_exceptions
from pcplib.assessment.strategy import summarise_strategy
from pcplib.data import Dataset, load_dataset
from pcplib.report.returns import format_actions

STRATEGY = "vawg"


def _actions() -> pd.DataFrame:
    return pd.DataFrame(
        {"action_id": ["a1", "a2", "a3", "a4", "a5"], "strategy_id": [STRATEGY] * 5,
         "agreed_at": ["2026-07"] * 5,
         "action": ["Due in October, open", "Due in October, done", "Due at the meeting",
                    "No date", "Due in August, dropped"],
         "owner": ["Head of Things"] * 5,
         "due_date": pd.to_datetime(["2026-10-31", "2026-10-31", "2026-11-01", None,
                                     "2026-08-31"]),
         "status": ["open", "done", "in progress", "open", "dropped"]}
    )  # fmt: skip


@pytest.fixture(scope="module")
def dataset(data_dir: Path) -> Dataset:
    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    return replace(sample, actions=_actions())


def test_an_action_is_overdue_when_due_before_the_meeting_and_not_closed() -> None:
    # Due before the meeting counts, though after the data period's end.
    state = classify_actions(_actions(), find_action_date("2026-09", "2026-11"))
    assert state.tolist() == ["overdue", "done", "in progress", "open", "dropped"]
    # Without a meeting, the day after the data period is the date.
    assert find_action_date("2026-09") == pd.Timestamp("2026-10-01")
    assert classify_actions(_actions(), find_action_date("2026-09"))[0] == "open"
    assert classify_actions(_actions().iloc[:0], pd.Timestamp("2026-10-01")).empty


def test_overdue_actions_are_listed_and_need_attention(dataset: Dataset) -> None:
    overdue = list_overdue_actions(dataset, STRATEGY, "2026-09", "2026-11")
    assert overdue["action_id"].tolist() == ["a1"]
    assert list_overdue_actions(dataset, "workforce", "2026-09", "2026-11").empty
    summary = summarise_strategy(dataset, STRATEGY, "2026-09")
    exceptions = list_exceptions(dataset, summary, "board", slot="2026-11")
    action = exceptions[exceptions["kind"] == "action"]
    assert action["item_id"].tolist() == ["a1"] and (action["rag"] == "Red").all()
    assert (
        "agreed at the Board of July 2026, due 31 October 2026 and open" in action["reason"].iloc[0]
    )
    # The action log is the Board's: a public report lists no action.
    public = list_exceptions(
        dataset,
        summarise_strategy(dataset, STRATEGY, "2026-09", "public"),
        "public",
        slot="2026-11",
    )
    assert "action" not in set(public["kind"])


def test_the_note_and_needs_attention_count_overdue_actions_at_the_meeting(
    dataset: Dataset,
) -> None:
    # a1 falls due (31 October) after the data period's end (September) and before the
    # meeting (November): overdue at the meeting, not yet at the data period's end.
    summary = summarise_strategy(dataset, STRATEGY, "2026-09", slot="2026-11")
    listed = list_exceptions(dataset, summary, "board")
    actions = listed[listed["kind"] == "action"]
    assert actions["item_id"].tolist() == ["a1"]
    assert summary.overdue_actions["action_id"].tolist() == ["a1"]
    assert f"{len(actions)} Board action overdue" in summary.rating_note
    # Without the meeting both read the data period's end: none overdue in either.
    at_data_end = summarise_strategy(dataset, STRATEGY, "2026-09")
    assert "Board action" not in at_data_end.rating_note
    assert "action" not in set(list_exceptions(dataset, at_data_end)["kind"])


def test_the_action_log_marks_overdue_actions(dataset: Dataset) -> None:
    page = format_actions(dataset, STRATEGY, "board", "2026-09", "2026-11")
    assert page.count("(overdue)") == 1 and "1 overdue" in page
    assert "(overdue)" not in format_actions(dataset, STRATEGY, "board")
