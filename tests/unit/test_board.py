"""The Delivery Board's quarterly view: its name from the data set, owners, flagged items, HTML."""

from __future__ import annotations

import copy
import datetime as dt
import html
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pcplib.assessment.board import (
    BOARD_ITEM_COLUMNS,
    BOARD_OWNER_COLUMNS,
    BOARD_REPORT,
    FLAGS,
    BoardView,
    summarise_board_quarter,
    tabulate_board_judgements,
)
from pcplib.assessment.continuity import compare_with_previous_meeting, find_previous_meeting
from pcplib.assessment.judgements import tabulate_judgements
from pcplib.assessment.strategy import StrategySummary, summarise_strategy
from pcplib.data import Dataset, load_dataset
from pcplib.data.forward_plan import ForwardPlan, Slot
from pcplib.data.history import MeetingRecord
from pcplib.data.identity import PlanIdentity, check_identity, read_identity
from pcplib.report.board import build_board_header, format_board_missions, format_board_owners
from pcplib.report.html import esc
from pcplib.run.jobs import plan_board_job
from pcplib.run.plans import name_delivery_board

TWO = ("vawg", "workforce")


def test_the_board_is_named_by_the_data_set_identity(tmp_path: Path) -> None:
    meta = tmp_path / "dataset.yaml"
    meta.write_text("illustrative: false\ndescription: x\n", encoding="utf-8")
    neutral = PlanIdentity().delivery_board_name
    assert read_identity(tmp_path).delivery_board_name == neutral == "Delivery Board"
    meta.write_text(
        'illustrative: false\ndelivery_board:\n  name: " Strategic Delivery Board "\n'
        "  chair: Chief Executive\n",
        encoding="utf-8",
    )
    identity = read_identity(tmp_path)
    assert (identity.delivery_board_name, identity.delivery_board_chair) == (
        "Strategic Delivery Board",
        "Chief Executive",
    )
    assert name_delivery_board(tmp_path) == "Strategic Delivery Board"
    # Given wrongly, it is a one-line problem naming the file and key (validation lists
    # it); the runner names the index entry neutrally meanwhile.
    meta.write_text("delivery_board: yes\n", encoding="utf-8")
    assert name_delivery_board(tmp_path) == neutral
    problems = check_identity({"delivery_board": True}, "d/dataset.yaml")[1]
    assert [str(p) for p in problems] == [
        "d/dataset.yaml, column delivery_board: 'True' — expected a mapping with name"
    ]
    problems = check_identity({"delivery_board": {"name": " ", "chair": 3}}, "d.yaml")[1]
    assert [p.column for p in problems] == ["delivery_board.name"]
    assert (
        check_identity({"delivery_board": {"name": "B", "chair": ["x"]}}, "d.yaml")[1][0].column
        == "delivery_board.chair"
    )
    assert name_delivery_board(tmp_path / "missing") == neutral


def test_a_second_force_names_its_own_delivery_board(view: tuple[Dataset, BoardView]) -> None:
    data, _ = view
    other = PlanIdentity(delivery_board_name="Westshire Accountability Board")
    board = summarise_board_quarter(replace(data, identity=other), "2026-09", "2026-11")
    assert board.board_name == "Westshire Accountability Board"
    assert board.since_words == (
        "since the Westshire Accountability Board of 2026/27 Q1 (data to June 2026)"
    )
    header = build_board_header(replace(data, identity=other), board, "2026-11")
    assert "<h1>Westshire Accountability Board: quarterly view, 2026/27 Q2</h1>" in header
    assert "chaired by" not in header
    assert "at the Westshire Accountability Board of 2026/27 Q1" in format_board_missions(board)


def test_the_board_job_carries_the_plan_and_history() -> None:
    job = plan_board_job("2026-11", "2026-09", "data", "t", "plan.yaml", "out/history", "X Board")
    assert job.name == BOARD_REPORT == "delivery-board" and job.notebook == "delivery_board"
    assert job.parameters == {
        "slot": "2026-11", "meeting": "X Board, 2026/27 Q2", "period_end": "2026-09",
        "data_dir": "data",
        "forward_plan": "plan.yaml", "history_dir": "out/history", "produced_at": "t",
    }  # fmt: skip
    assert job.title == "X Board: quarterly view, by owner"


def test_the_sample_parameters_name_files_that_exist(repo_root: Path) -> None:
    # A stale forward_plan path stopped `papermill -f params/delivery_board.yaml`.
    from pcplib.safe_yaml import load_yaml_text

    params = load_yaml_text((repo_root / "params/delivery_board.yaml").read_text(encoding="utf-8"))
    for key in ("data_dir", "forward_plan"):
        if params[key]:
            assert (repo_root / params[key]).exists(), f"{key}: {params[key]}"
    assert params["forward_plan"] == "" or params["forward_plan"].endswith(".yaml")


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


@pytest.fixture(scope="module")
def module_vawg_now(view: tuple[Dataset, BoardView]) -> StrategySummary:
    """vawg's own report's summary to September 2026 on the view's data, worked out once."""
    return summarise_strategy(view[0], "vawg", "2026-09")


@pytest.fixture
def vawg_now(module_vawg_now: StrategySummary) -> StrategySummary:
    """A deep copy of ``module_vawg_now``, so no test can change what the next one reads."""
    return copy.deepcopy(module_vawg_now)


@pytest.fixture(scope="module")
def module_june_view(view: tuple[Dataset, BoardView]) -> BoardView:
    """The view of the quarter before (data to June 2026, the August 2026 meeting), once."""
    return summarise_board_quarter(view[0], "2026-06", "2026-08")


@pytest.fixture
def june_view(module_june_view: BoardView) -> BoardView:
    """A deep copy of ``module_june_view``, so no test can change what the next one reads."""
    return copy.deepcopy(module_june_view)


def test_each_senior_contact_has_a_row_with_what_is_overdue(
    view: tuple[Dataset, BoardView],
) -> None:
    data, board = view
    assert list(board.owners.columns) == BOARD_OWNER_COLUMNS
    assert list(board.items.columns) == BOARD_ITEM_COLUMNS
    assert set(board.items["flag"]) <= set(FLAGS)
    expected = set(data.strategies["force_senior_owner"]) | set(
        data.strategies["opcc_senior_owner"]
    )
    assert set(board.owners["owner"]) == expected
    assert set(board.owners["side"]) == {"Force", "OPCC"}
    assert board.quarter == "2026/27 Q2" and board.previous_period_end == "2026-06"
    assert board.as_of == pd.Timestamp("2026-11-01") and board.returns_recorded
    overdue = board.items[board.items["flag"] == "overdue"]
    # The open action due before the meeting is overdue; the done one is not.
    assert overdue.loc[overdue["kind"] == "action", "item_id"].tolist() == ["v-a1"]
    # Workforce's return is missing (due by the end of October); vawg's came in time.
    returns = overdue[overdue["kind"] == "return"]
    assert returns["strategy_id"].tolist() == ["workforce"]
    assert (
        returns["state"].iloc[0] == "not received" and returns["due"].iloc[0] == "31 October 2026"
    )
    # The counts add up per owner.
    vawg_force = board.owners.set_index("owner").loc[
        data.strategies.set_index("strategy_id").loc["vawg", "force_senior_owner"]
    ]
    vawg = board.items[board.items["strategy_id"] == "vawg"]
    assert vawg_force["actions_overdue"] == 1
    assert (
        vawg_force["commitments_overdue"]
        == ((vawg["kind"] == "commitment") & (vawg["flag"] == "overdue")).sum()
    )
    assert vawg_force["at_risk"] == (vawg["flag"] == "at risk").sum()
    assert (
        board.owners["overdue"]
        == board.owners[["commitments_overdue", "actions_overdue", "returns_missing"]].sum(axis=1)
    ).all()
    assert board.owners["overdue"].is_monotonic_decreasing
    assert set(board.strategies["basis"]) == {"recomputed"}
    assert set(board.strategies["reported_at"]) == {""}


def test_the_view_holds_each_owners_strategies_and_the_plan_totals(
    view: tuple[Dataset, BoardView],
) -> None:
    # Issue 20, F1: the report formats these, it never recounts them.
    data, board = view
    for row in board.owners.to_dict("records"):
        column = "force_senior_owner" if row["side"] == "Force" else "opcc_senior_owner"
        mine = data.strategies[data.strategies[column] == row["owner"]]
        assert list(row["strategy_ids"]) == mine["strategy_id"].tolist()
        assert row["strategies"] == "; ".join(mine["strategy_name"])
    totals, items = board.totals, board.items
    overdue = items[items["flag"] == "overdue"]
    assert totals.overdue == overdue["kind"].value_counts().to_dict()
    assert sum(totals.overdue.values()) == len(overdue) > 0
    assert totals.at_risk == (items["flag"] == "at risk").sum()
    assert totals.new_risks == (items["flag"] == "new high risk").sum()


def test_a_commitment_at_risk_but_not_yet_due_is_never_counted_overdue(
    view: tuple[Dataset, BoardView],
) -> None:
    data, _ = view
    # One commitment reported at risk and due in 2028, one on track whose date passed.
    commitments = data.commitments.copy()
    mine = commitments.index[commitments["strategy_id"] == "workforce"]
    commitments.loc[mine, "status"] = "complete"
    commitments.loc[mine[0], ["status", "due_date"]] = ["at risk", pd.Timestamp("2028-03-31")]
    commitments.loc[mine[1], ["status", "due_date"]] = ["on track", pd.Timestamp("2026-06-30")]
    board = summarise_board_quarter(replace(data, commitments=commitments), "2026-09", "2026-11")
    items = board.items[board.items["strategy_id"] == "workforce"].set_index("item_id")
    first, second = (
        commitments.loc[mine[0], "commitment_id"],
        commitments.loc[mine[1], "commitment_id"],
    )
    assert items.loc[first, ["flag", "state", "due"]].tolist() == [
        "at risk",
        "at risk",
        "31 March 2028",
    ]
    assert items.loc[second, ["flag", "state"]].tolist() == ["overdue", "overdue"]
    owner = board.owners.set_index("owner").loc[
        data.strategies.set_index("strategy_id").loc["workforce", "force_senior_owner"]
    ]
    assert (owner["commitments_overdue"], owner["at_risk"]) == (1, 1)
    page = format_board_owners(board)
    # The owner's row: one commitment overdue, one at risk, in columns of their own.
    row = page[page.index(str(owner.name)) :].split("</tr>")[0]
    assert "<td>1 commitment</td><td>1 commitment</td>" in row
    assert '<th scope="col">Late</th>' not in page
    assert (
        '<th scope="col">Overdue (past due, not done)</th>'
        '<th scope="col">At risk, not yet due; high risks</th>' in page
    )
    missions = format_board_missions(board)
    assert "(at risk, due 31 March 2028)" in missions and "(overdue, due 30 June 2026)" in missions
    # Overdue items are listed before those at risk.
    cell = missions[missions.index(">Workforce<") :].split("</tr>")[0]
    assert cell.index("(overdue,") < cell.index("(at risk,")


def test_the_view_names_the_board_and_has_a_table_by_owner(view: tuple[Dataset, BoardView]) -> None:
    data, board = view
    named = replace(
        data,
        identity=replace(
            data.identity,
            delivery_board_name="Example Delivery Board",
            delivery_board_chair="Chief Executive",
        ),
    )
    header = build_board_header(named, board, "2026-11", "2026-11-23T06:00Z")
    assert "<dd>Example Delivery Board, chaired by the Chief Executive, 2026/27 Q2," in header
    assert "prepared with the reports for November 2026" in header
    assert "<h1>Example Delivery Board: quarterly view, 2026/27 Q2</h1>" in header
    assert "OFFICIAL" in header
    # The audience line names the board the view is for, not the data set's main board.
    audience = header[header.index("<dt>Audience</dt>") :]
    audience = audience[: audience.index("</dd>")]
    assert "Example Delivery Board" in audience, audience
    assert data.identity.board_name not in audience, audience
    owners = format_board_owners(board)
    # What the words mean follows the table, so the table starts on the first screen.
    definitions = owners[owners.index("</table>") :]
    assert "Overdue: due date passed, not done (commitments due by September 2026;" in definitions
    assert "actions due before 1 November 2026;" in definitions
    assert "returns not in by the forward plan&#x27;s date" in definitions
    assert "At risk: reported at risk or off track, not yet due." in definitions
    assert "By owner: what is overdue, at risk, changed and progressed, 2026/27 Q2" in owners
    assert owners.count("senior contact)</span>") == len(board.owners)
    # Seed 002 para 15: the named single points of contact are in the view, folded.
    assert "<summary>Single points of contact for each senior contact (" in owners
    spocs = {c for cell in board.owners["contacts"] for c in str(cell).split("; ") if c}
    assert spocs and all(esc(c) in owners for c in spocs)
    assert "1 return not received by its due date" in owners
    # An overdue action's state sits in the item's brackets without brackets of its own.
    missions = format_board_missions(board)
    assert "(overdue (" not in owners + missions
    assert "Overdue across the plan: " in owners and "At risk, not yet due: " in owners
    missions = format_board_missions(board)
    assert "Action: Overdue one" in missions
    # One basis for every strategy is said once, before the missions.
    assert (
        f"each strategy&#x27;s at the {board.board_name} of 2026/27 Q1 (data to June 2026): "
        "recomputed from today&#x27;s data and methods, for every strategy."
    ) in missions
    assert missions.count("recomputed") == 1
    assert "Measures&#x27; rating now, and in 2026/27 Q1" in missions
    assert '<span class="small">was</span> <span class="rag rag-' in missions
    assert 'class="rag rag-' in missions


def _told(summary: object, slot: str, period_end: str, rag: str) -> MeetingRecord:
    """A meeting's record holding a strategy report whose overall rating was ``rag``."""
    told = tabulate_judgements([summary], summary.strategy_id)  # type: ignore[attr-defined]
    told.loc[told["measure_id"] == "overall", "rag"] = rag
    return MeetingRecord(
        slot=slot, period_end=period_end, produced_at="2026-08-20T06:00:00Z",
        folder=Path("history") / slot / "run-001",
        judgements=told.astype(str).replace({"nan": "", "None": ""}),
        commitments=pd.DataFrame(), actions=pd.DataFrame(),
    )  # fmt: skip


def test_each_change_names_its_comparison_and_the_two_views_agree_on_the_same_basis(
    view: tuple[Dataset, BoardView], vawg_now: StrategySummary
) -> None:
    data, _ = view
    # The Board was told in August (data to June) that vawg was Amber, whatever it is now.
    then = summarise_strategy(data, "vawg", "2026-06")
    now = vawg_now
    told = next(r for r in ("Green", "Amber", "Red") if r != now.overall_rag)
    record = _told(then, "2026-08", "2026-06", told)
    board = summarise_board_quarter(data, "2026-09", "2026-11", records=[record])
    vawg = board.strategies.set_index("strategy_id").loc["vawg"]
    assert (vawg["basis"], vawg["reported_at"], vawg["previous_rag"]) == (
        "as reported",
        "2026-08",
        told,
    )
    # The strategy report's last meeting is the same August meeting: the same rating then.
    previous = find_previous_meeting("vawg", "2026-11", None, [record])
    continuity = compare_with_previous_meeting(data, now, previous)
    overall = continuity.changes[continuity.changes["kind"] == "overall"]
    assert (overall["before"].tolist(), overall["after"].tolist()) == ([told], [now.overall_rag])
    board_change = board.items[
        (board.items["strategy_id"] == "vawg")
        & board.items["detail"].astype(str).str.startswith("overall rating")
    ]
    assert board_change["state"].tolist() == [f"{told} to {now.overall_rag}"]
    # Each statement names its comparison.
    owners = format_board_owners(board)
    assert (
        f'<th scope="col">Progress and changes since the {board.board_name} of 2026/27 Q1 '
        "(data to June 2026)</th>"
    ) in owners
    missions = format_board_missions(board)
    # Mixed bases (vawg as told, workforce recomputed): each row says its own.
    assert "(as the Board was told, August 2026)" in missions
    assert "(recomputed from today&#x27;s data and methods)" in missions
    text = owners.replace("&quot;", '"').replace("&#x27;", "'")
    since = f"since the {board.board_name} of 2026/27 Q1 (data to June 2026)"
    assert f"Changed: {since};" in text
    assert '"Since the last meeting" compares with the Board\'s last meeting' in text


def test_the_views_rows_of_judgements_csv_keep_what_the_board_was_told(
    view: tuple[Dataset, BoardView], vawg_now: StrategySummary
) -> None:
    # The meeting history keeps a run's judgements.csv: with these rows it keeps what the
    # Delivery Board was told, each strategy's rating and the rating a quarter before.
    data, board = view
    every = tabulate_board_judgements(board, "delivery-board")
    assert list(every.columns) == list(tabulate_judgements([], "").columns)
    assert every["report"].unique().tolist() == ["delivery-board"]
    # Each strategy's measures too, as its own report rates them: the next quarter's view
    # reads from them the ratings this one's changes were counted from.
    own_measures = tabulate_judgements([vawg_now], "vawg")
    own_measures = own_measures[own_measures["measure_id"] != "overall"]
    kept = every[(every["strategy_id"] == "vawg") & (every["measure_id"] != "overall")]
    assert kept["measure_id"].tolist() == own_measures["measure_id"].tolist()
    assert kept["rag"].tolist() == own_measures["rag"].tolist()
    assert (kept["previous_period_end"] == "2026-06").all()
    moved = kept[kept["previous_rag"] != kept["rag"]]
    assert moved["since_last_meeting"].str.endswith(board.since_words).all()
    rows = every[every["measure_id"] == "overall"]
    assert rows["strategy_id"].tolist() == board.strategies["strategy_id"].tolist()
    assert rows["rag"].tolist() == board.strategies["rag"].tolist()
    assert rows["previous_rag"].tolist() == board.strategies["previous_rag"].tolist()
    assert set(rows["previous_basis"]) == {"recomputed"} and set(rows["previous_meeting"]) == {""}
    assert set(rows["previous_period_end"]) == {"2026-06"}
    # The same overall row, ratings and all, as the strategy's own report gives.
    own = tabulate_judgements([vawg_now], "vawg")
    mine = rows.set_index("strategy_id").loc["vawg"]
    for column in ("rag", "performance_rag", "delivery_rag", "risk_rag", "sentence"):
        assert mine[column] == own.loc[own["measure_id"] == "overall", column].iloc[0]
    moved = rows[rows["rag"] != rows["previous_rag"]]
    tail = moved["rating_within_chance"].map({True: ", within chance", False: ""})
    assert (
        moved["since_last_meeting"]
        == "rating " + moved["previous_rag"] + " to " + moved["rag"] + tail + " "
        + board.since_words
    ).all()  # fmt: skip
    assert (rows.loc[rows["rag"] == rows["previous_rag"], "since_last_meeting"] == "").all()


def test_judgements_csv_marks_within_chance_the_moves_the_board_page_does(
    data_dir: Path,
) -> None:
    # Review 13, R13-3: the page said "Supporting Victims: Red to Amber, within chance"
    # while judgements.csv said "rating Red to Amber", so a dashboard took the move as
    # real. The file's rating_within_chance is the page's verdict, for every move.
    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    board = summarise_board_quarter(sample, "2026-09", "2026-11")
    rows = tabulate_board_judgements(board, "delivery-board")
    changed = board.items[board.items["flag"] == "changed"]
    on_page = {
        (sid, "overall" if of == "overall" else mid)
        for sid, mid, of, within in zip(
            changed["strategy_id"], changed["item_id"], changed["rating_of"],
            changed["within_chance"], strict=True,
        )
        if within
    }  # fmt: skip
    moved = rows[rows["rating_change"].fillna("") != ""]
    in_file = set(
        zip(
            moved.loc[moved["rating_within_chance"] == True, "strategy_id"],  # noqa: E712
            moved.loc[moved["rating_within_chance"] == True, "measure_id"],  # noqa: E712
            strict=True,
        )
    )
    assert in_file == on_page
    # The strategies and the survey measure moved inside its margin of error.
    assert {("supporting-victims", "overall"), ("vawg", "vawg-da-satisfaction")} <= in_file
    assert len(moved) == len(changed)
    words = rows.set_index(["strategy_id", "measure_id"])["since_last_meeting"]
    for key in in_file:
        assert ", within chance" in words[key], key
    # Scrutiny and Legitimacy's move is real (complaints rose beyond chance): said bare.
    assert words["scrutiny-and-legitimacy", "overall"].startswith("rating Green to Red since ")
    owners = format_board_owners(board)
    assert "Supporting Victims: Red to Amber, within chance" in owners
    assert "Scrutiny and Legitimacy: Green to Red" in owners
    assert "Scrutiny and Legitimacy: Green to Red, within chance" not in owners
    assert set(rows["rating_within_chance"].dropna()) <= {True, False}


def test_without_a_strategy_report_the_board_compares_with_what_it_was_shown(
    view: tuple[Dataset, BoardView],
) -> None:
    # Last quarter's run held the board's view but no report on vawg: its overall rating
    # then is what the board was shown, kept in the history, not a recomputation.
    data, plain = view
    recomputed = plain.strategies.set_index("strategy_id").loc["vawg", "previous_rag"]
    shown = next(r for r in ("Green", "Amber", "Red") if r != recomputed)
    rows = tabulate_board_judgements(plain, BOARD_REPORT).assign(period_end="2026-06")
    rows.loc[rows["strategy_id"] == "vawg", "rag"] = shown
    record = MeetingRecord(
        slot="2026-08", period_end="2026-06", produced_at="2026-08-20T06:00:00Z",
        folder=Path("history/2026-08/run-001"),
        judgements=rows.astype(str).replace({"nan": "", "None": ""}),
        commitments=pd.DataFrame(), actions=pd.DataFrame(),
    )  # fmt: skip
    board = summarise_board_quarter(data, "2026-09", "2026-11", records=[record])
    vawg = board.strategies.set_index("strategy_id").loc["vawg"]
    assert (vawg["basis"], vawg["reported_at"], vawg["previous_rag"]) == (
        "as reported",
        "2026-08",
        shown,
    )
    # "overall rating", or "overall rating, within chance" where the measure that reached
    # the new rating did so on a figure within chance (review 12, R12-3).
    overall = board.items[
        (board.items["strategy_id"] == "vawg")
        & board.items["detail"].astype(str).str.startswith("overall rating")
    ]
    expected = [] if shown == vawg["rag"] else [f"{shown} to {vawg['rag']}"]
    assert overall["state"].tolist() == expected
    rows = tabulate_board_judgements(board, BOARD_REPORT)
    row = rows[rows["measure_id"] == "overall"].set_index("strategy_id").loc["vawg"]
    assert (row["previous_rag"], row["previous_basis"], row["previous_meeting"]) == (
        shown,
        "as reported",
        "2026-08",
    )
    # Both strategies were on the board's record: one basis, said once.
    assert "as the Board was told, August 2026, for every strategy." in format_board_missions(board)


def test_a_rating_never_sits_alone_beside_what_it_does_not_cover(
    view: tuple[Dataset, BoardView],
) -> None:
    # Review 3 #1 and #3: "Green was Green" beside the strategy's own overdue items. The
    # view carries the strategy's own "But:" note (one computation, the strategy
    # summary's), beside the rating, and says the rating is of the measures.
    data, board = view
    strategies = board.strategies.set_index("strategy_id")
    own = summarise_strategy(data, "vawg", "2026-09", slot="2026-11").rating_note
    assert own.startswith("But: ") and "1 Board action overdue" in own and "high risk" in own
    assert strategies.loc["vawg", "rating_note"] == own
    missions = format_board_missions(board)
    row = missions[missions.index(">Violence Against Women and Girls<") :].split("</tr>")[0]
    cell = row.split("</td>")[0]
    assert 'class="rag rag-' in cell and esc(own) in cell
    assert "Measures&#x27; rating now" in missions
    empty = strategies.loc["workforce", "rating_note"]
    assert empty == summarise_strategy(data, "workforce", "2026-09", slot="2026-11").rating_note


def test_high_risks_are_owner_accountable_items_in_the_view(
    view: tuple[Dataset, BoardView],
) -> None:
    # Review 3 #3: the plan overview names a high risk (VAWG, score 16) that the board
    # view never showed. Review 13, R13-4: the sample holds no 2026/27 Q1 risk return for
    # VAWG, so its high risk is listed but never called new.
    data, board = view
    risks = board.items[board.items["kind"] == "risk"]
    assert set(risks["flag"]) == {"high risk"}
    assert risks["strategy_id"].tolist() == ["vawg"]
    vawg_risk = risks[risks["strategy_id"] == "vawg"].iloc[0]
    assert vawg_risk["state"] == "high risk, score 16, no earlier score on file"
    owners = board.owners.set_index("owner")
    vawg = data.strategies.set_index("strategy_id").loc["vawg"]
    assert owners.loc[vawg["force_senior_owner"], "new_risks"] == 0
    assert owners.loc[vawg["opcc_senior_owner"], "unknown_risks"] == 1
    strategies = board.strategies.set_index("strategy_id")
    assert (strategies.loc["vawg", "new_risks"], strategies.loc["vawg", "unknown_risks"]) == (0, 1)
    assert (board.totals.new_risks, board.totals.unknown_risks) == (0, 1)
    missions = format_board_missions(board)
    description = esc(str(vawg_risk["item"]).rstrip("."))
    assert (
        f"Risk: {description} <strong>(high risk, score 16, no earlier score on file)" in missions
    )
    page = format_board_owners(board)
    assert "new high risk" not in page.split("<details")[0]
    assert (
        "High risks: 1, none known to be new: no risk return for 2026/27 Q1 is on file for "
        "its strategy." in page
    )
    assert "1 high risk, no earlier score" in page


def test_a_high_risk_is_new_only_against_the_quarter_befores_return(
    view: tuple[Dataset, BoardView],
) -> None:
    # With VAWG's 2026/27 Q1 return on file, scoring its risk below high, the same risk
    # is new: flagged, counted and named as new. Workforce's, made high, has no Q1 return
    # on file: not known to be new.
    data, _ = view
    earlier = data.risks[data.risks["risk_id"] == "vawg-r01"].copy()
    earlier[["quarter", "likelihood", "impact"]] = ["2026/27 Q1", 3, 4]
    risks = pd.concat([data.risks, earlier], ignore_index=True)
    risks.loc[risks["risk_id"] == "workforce-r01", ["likelihood", "impact"]] = [4, 4]
    board = summarise_board_quarter(
        replace(data, risks=risks),
        "2026-09",
        "2026-11",
    )
    risks = board.items[board.items["kind"] == "risk"].set_index("strategy_id")
    assert risks.loc["vawg", ["flag", "state"]].tolist() == [
        "new high risk",
        "new high risk, score 16",
    ]
    assert (board.totals.new_risks, board.totals.unknown_risks) == (1, 1)
    assert board.strategies.set_index("strategy_id").loc["vawg", "new_risks"] == 1
    page = format_board_owners(board)
    assert (
        "High risks: 2, 1 new; 1 not known to be new: no risk return for 2026/27 Q1 is on "
        "file for its strategy." in page
    )
    assert "1 new high risk" in page


def test_changed_measures_are_named_and_a_move_to_grey_is_no_longer_rated(data_dir: Path) -> None:
    # Review 3 #11 and the Changed column's counts: a measure that went Red to Grey (its
    # chart has no stable reference period) is named, and as no longer rated, never as
    # better. Victims better able to cope and recover: Red in June 2026 on a real fall.
    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    victims = replace(
        sample,
        strategies=sample.strategies[sample.strategies["strategy_id"] == "supporting-victims"],
    )
    board = summarise_board_quarter(victims, "2026-09", "2026-11")
    changed = board.items[(board.items["flag"] == "changed") & (board.items["kind"] == "rating")]
    coping = changed[changed["item_id"] == "sv-coping-recovery"].iloc[0]
    assert coping["state"] == "Red to Grey"
    # What rated it a quarter before and what is true now, not only that its chart has
    # no stable reference period, which was as true when it was Red (review 10, R10-7).
    assert coping["reason"].startswith(
        "no longer rated: was Red (no target; 2026/27 Q1 85.7% against 91.3% in 2025/26 Q1, "
        "a real fall, the wrong way for this measure); now up 6.2 percentage points on the "
        "same quarter last year (89.6% "
        "against 83.4%)"
    ), coping["reason"]
    # Listed once, as a rating change.
    assert (changed["item_id"] == "sv-coping-recovery").sum() == 1
    page = format_board_owners(board)
    assert "<details" in page and re.search(r"measure ratings? changed", page)
    folded = page[page.index("<details") :]
    assert esc(str(coping["item"])) in folded
    assert "no longer rated" in folded


def test_the_named_measure_changes_say_whether_they_are_as_told_or_recomputed(
    data_dir: Path,
) -> None:
    # The board's own record keeps each strategy's overall rating only: its measures'
    # ratings a quarter before are recomputed then, and the named changes say so; a
    # strategy report on that quarter gives them as the Board was told them.
    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    rural = replace(
        sample, strategies=sample.strategies[sample.strategies["strategy_id"] == "rural-crime"]
    )
    plain = summarise_board_quarter(rural, "2026-09", "2026-11")
    rows = tabulate_board_judgements(plain, BOARD_REPORT).assign(period_end="2026-06")
    shown = MeetingRecord(
        slot="2026-08", period_end="2026-06", produced_at="2026-08-20T06:00:00Z",
        folder=Path("history/2026-08/run-001"),
        judgements=rows.astype(str).replace({"nan": "", "None": ""}),
        commitments=pd.DataFrame(), actions=pd.DataFrame(),
    )  # fmt: skip
    # A history written before the view kept its measures holds overall rows only.
    overall_only = replace(shown, judgements=shown.judgements[rows["measure_id"] == "overall"])
    board = summarise_board_quarter(rural, "2026-09", "2026-11", records=[overall_only])
    strategy = board.strategies.set_index("strategy_id").loc["rural-crime"]
    assert (strategy["basis"], strategy["measures_basis"]) == ("as reported", "recomputed")
    folded = format_board_owners(board)
    folded = folded[folded.index("<details") :].split("</details>")[0]
    # Recomputed with today's methods too: a method changed since (the seasonal tests)
    # can move a rating then with no change in its figures (review R18-9).
    assert (
        "Their ratings a quarter before: recomputed from today&#x27;s data and methods (no "
        "record of them is on file)."
    ) in folded
    # The view's own record now keeps the measures: read from it, as the board saw them.
    # Told Green then for farm machinery, the change reads Green to Amber, not Red to Amber.
    told_rows = shown.judgements.copy()
    told_rows.loc[told_rows["measure_id"] == "rural-machinery-theft", "rag"] = "Green"
    board = summarise_board_quarter(
        rural, "2026-09", "2026-11", records=[replace(shown, judgements=told_rows)]
    )
    strategy = board.strategies.set_index("strategy_id").loc["rural-crime"]
    assert (strategy["basis"], strategy["measures_basis"]) == ("as reported", "as reported")
    items = board.items.set_index("item_id")
    assert items.loc["rural-machinery-theft", "state"] == "Green to Amber"
    folded = format_board_owners(board)
    folded = folded[folded.index("<details") :].split("</details>")[0]
    assert "as the Board was told them, August 2026" in folded
    told = _told(summarise_strategy(rural, "rural-crime", "2026-06"), "2026-08", "2026-06", "Red")
    board = summarise_board_quarter(rural, "2026-09", "2026-11", records=[told])
    strategy = board.strategies.set_index("strategy_id").loc["rural-crime"]
    assert (strategy["basis"], strategy["measures_basis"]) == ("as reported", "as reported")
    folded = format_board_owners(board)
    folded = folded[folded.index("<details") :].split("</details>")[0]
    assert "as the Board was told them, August 2026" in folded
    assert "recomputed" not in folded


def _record_of(board: BoardView, data: Dataset, slot: str, produced_at: str) -> MeetingRecord:
    """The meeting history's record of a run that published ``board`` from ``data``."""
    rows = tabulate_board_judgements(board, BOARD_REPORT)
    return MeetingRecord(
        slot=slot, period_end=board.period_end, produced_at=produced_at,
        folder=Path("history") / slot / "run-001",
        judgements=rows.astype(str).replace({"nan": "", "None": ""}),
        commitments=data.commitments.astype(str), actions=data.actions.astype(str),
    )  # fmt: skip


def test_each_owner_is_told_what_progressed_not_only_what_is_late(
    view: tuple[Dataset, BoardView], vawg_now: StrategySummary, june_view: BoardView
) -> None:
    # A review finding: the view showed only what is late or worse. Against the record of
    # the quarter before: an action done, a commitment completed and a measure out of
    # "needs attention" since then are each owner's progress, in the view's own rows.
    data, _ = view
    then = june_view
    record = _record_of(then, data, "2026-08", "2026-08-20T06:00:00Z")
    actions = record.actions.copy()
    actions.loc[actions["action_id"] == "v-a2", "status"] = "open"
    commitments = record.commitments.copy()
    done = commitments.index[
        (commitments["strategy_id"] == "workforce") & (commitments["status"] == "complete")
    ][0]
    commitments.loc[done, "status"] = "at risk"
    now = vawg_now.measures
    rated = now["rag"].isin(["Green", "Amber", "Red"])
    better = now[rated & (now["assessment"] != "needs attention")]["measure_id"].iloc[0]
    told = record.judgements.copy()
    moved = (told["strategy_id"] == "vawg") & (told["measure_id"] == better)
    told.loc[moved, "assessment"] = "needs attention"
    record = replace(record, judgements=told, actions=actions, commitments=commitments)
    board = summarise_board_quarter(data, "2026-09", "2026-11", records=[record])
    progress = board.items[board.items["flag"] == "progress"].set_index("item_id")
    assert progress.loc["v-a2", ["kind", "state", "detail"]].tolist() == [
        "action", "done", "was open",
    ]  # fmt: skip
    completed = commitments.loc[done, "commitment_id"]
    assert progress.loc[completed, ["kind", "state", "detail"]].tolist() == [
        "commitment", "completed", "was at risk",
    ]  # fmt: skip
    assert progress.loc[better, "kind"] == "measure"
    assert progress.loc[better, "state"].startswith("no longer needs attention")
    # The measure's progress gives the figures behind it.
    assert re.search(r"\d.* against .*\d", progress.loc[better, "reason"])
    assert set(board.strategies["items_basis"]) == {"as reported"}
    strategies = board.strategies.set_index("strategy_id")
    assert strategies.loc["vawg", "progress"] == (progress["strategy_id"] == "vawg").sum()
    owners = board.owners.set_index("owner")
    force = data.strategies.set_index("strategy_id")["force_senior_owner"]
    assert owners.loc[force["workforce"], "progress"] == 1
    assert owners.loc[force["vawg"], "progress"] == strategies.loc["vawg", "progress"]
    page = format_board_owners(board)
    row = page[page.index(esc(force["workforce"])) :].split("</tr>")[0]
    assert "<strong>Progress:</strong> 1 commitment completed." in row
    row = page[page.index(esc(force["vawg"])) :].split("</tr>")[0]
    assert "<strong>Progress:</strong> 1 action done; 1 measure out of needs attention" in row
    # Named under the fold, each with its earlier status or its evidence.
    assert (
        "Action: Done one (Violence Against Women and Girls): <strong>done</strong> (was open)"
        in row
    )
    assert "Progress is of measures only" not in page


def test_a_measure_only_newly_on_its_target_counts_as_a_target_met() -> None:
    # The progress line counts what the assessment says each item is, never the state's
    # wording: a measure newly on its target that still needs attention is a target met;
    # one also out of needs attention counts once, as out of needs attention.
    from pcplib.assessment.board_changes import list_progress
    from pcplib.report.board import _progress_line

    def moved(item_id: str, change: str) -> dict[str, str]:
        return {"kind": "measure", "item_id": item_id, "name": item_id.upper(),
                "change": change, "before": "", "after": ""}  # fmt: skip

    done = {"kind": "commitment", "item_id": "c1", "name": "C1", "change": "done",
            "before": "on track", "after": "complete"}  # fmt: skip
    changes = pd.DataFrame(
        [
            moved("m1", "target newly met"),
            moved("m2", "target newly met"),
            moved("m2", "out of needs attention"),
            done,
        ]
    )
    rows = list_progress(changes, pd.DataFrame())
    kinds = {r["item_id"]: r["progress_kind"] for r in rows}
    assert kinds == {"m1": "target", "m2": "measure", "c1": "commitment"}
    line = _progress_line(pd.DataFrame(rows), known=True)
    assert "1 commitment completed; 1 measure out of needs attention; 1 target newly met" in line


def test_without_a_record_progress_is_of_measures_only_and_says_so(
    view: tuple[Dataset, BoardView],
) -> None:
    # Recomputed from today's data, what was done since cannot be told from a status now.
    data, board = view
    assert set(board.strategies["items_basis"]) == {"recomputed"}
    progress = board.items[board.items["flag"] == "progress"]
    assert set(progress["kind"]) <= {"measure"}
    page = format_board_owners(board)
    assert "Progress is of measures only: no record of the commitments" in page
    assert page.count("<strong>Progress:</strong>") == len(board.owners)


def test_a_changed_rating_gives_the_change_in_its_evidence(data_dir: Path) -> None:
    # A review finding: the "why" named the new rating, not what moved. With no target,
    # the figures of the comparison the rating rests on and what the tests make of them.
    from pcplib.assessment.change_evidence import describe_change_evidence

    row = {
        "rag": "Red", "rag_basis": "evidence", "rag_rule": "harm_test",
        "rag_comparison": "the year ending on the year before", "good_direction": "lower",
        "unit": "count", "year_ending_label": "12 months to September 2026",
        "year_ending": 412.0, "previous_year_label": "12 months to September 2025",
        "previous_year": 356.0, "current_label": "2026/27 Q2", "current": 101.0,
        "last_year_label": "2025/26 Q2", "last_year": 99.0,
    }  # fmt: skip
    assert describe_change_evidence(row, ["rating changed", "into needs attention"]) == (
        "into needs attention: no target; 12 months to September 2026 412 against 356 in the "
        "12 months to September 2025, a real rise"
    )
    # A fall in a measure that should rise says it is the wrong way: drug trafficking
    # offences, found by proactive policing, "a real fall" read as good news beside a Red
    # (review 17, R17-7). A rise in a harm needs no such words.
    found = row | {"good_direction": "higher", "year_ending": 298.0, "previous_year": 398.0}
    assert describe_change_evidence(found, ["into needs attention"]) == (
        "into needs attention: no target; 12 months to September 2026 298 against 398 in the 12 "
        "months to September 2025, a real fall, the wrong way for this measure"
    )
    possible = found | {"rag": "Amber", "rag_rule": "harm_possible"}
    assert describe_change_evidence(possible, []).endswith(
        "a possible fall, the wrong way for this measure, not yet conclusive"
    )
    # With a target, its figure against the target and the figure the comparison gave.
    target = {"rag": "Red", "rag_basis": "target", "unit": "percent", "current": 76.9,
              "target_for_period": 85.0, "target_compared": 76.9}  # fmt: skip
    words = describe_change_evidence(target, ["rating changed"], 80.9, "the quarter to June 2026")
    assert words == "target missed (76.9% against 85.0%; 80.9% in the quarter to June 2026)"
    # In the view: every measure's change that is not a move to Grey gives figures.
    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    scrutiny = replace(
        sample,
        strategies=sample.strategies[sample.strategies["strategy_id"] == "scrutiny-and-legitimacy"],
    )
    board = summarise_board_quarter(scrutiny, "2026-09", "2026-11")
    changed = board.items[(board.items["flag"] == "changed") & (board.items["kind"] == "rating")]
    measures = changed[changed["detail"] == "measure"]
    assert not measures.empty
    for item in measures.to_dict("records"):
        if not item["state"].endswith("Grey"):
            assert re.search(r"\d.* against .*\d", item["reason"]), item
    folded = format_board_owners(board)
    assert " against " in folded[folded.index("<details") :]


def test_a_second_view_of_a_quarter_is_an_update_to_the_first(
    view: tuple[Dataset, BoardView], june_view: BoardView
) -> None:
    # A review finding: a second run for the same quarter (new returns arrived) compared
    # with the quarter before as if the first view did not exist.
    data, plain = view
    first = _record_of(plain, data, "2026-11", "2026-11-20T06:00:00Z")
    later = replace(
        _record_of(plain, data, "2026-11", "2026-11-25T06:00:00Z"),
        folder=Path("history/2026-11/run-002"),
    )
    # Since the first view, the overdue action was done.
    actions = data.actions.copy()
    actions.loc[actions["action_id"] == "v-a1", "status"] = "done"
    board = summarise_board_quarter(
        replace(data, actions=actions), "2026-09", "2026-11", runs=[first, later]
    )
    assert board.is_update and board.update_of == "2026-11-20T06:00:00Z"
    assert board.update_slot == "2026-11" and board.previous_period_end == "2026-09"
    assert board.title == "2026/27 Q2 view, updated"
    assert board.since_words == "since the 2026/27 Q2 view of 20 November 2026"
    header = build_board_header(data, board, "2026-11")
    assert f"<h1>{board.board_name}: 2026/27 Q2 view, updated</h1>" in header
    # Compared with the first view on the same data: no rating moved; the action is done.
    assert not (board.items["flag"] == "changed").any()
    progress = board.items[board.items["flag"] == "progress"]
    assert progress[["item_id", "state"]].values.tolist() == [["v-a1", "done"]]
    assert (board.strategies["previous_rag"] == board.strategies["rag"]).all()
    assert set(board.strategies["basis"]) == {"as reported"}
    rows = tabulate_board_judgements(board, BOARD_REPORT)
    assert set(rows["previous_period_end"]) == {"2026-09"}
    assert set(rows["previous_meeting"]) == {"2026-11"}
    owners = format_board_owners(board)
    assert "Progress and changes since the 2026/27 Q2 view of 20 November 2026</th>" in owners
    missions = format_board_missions(board)
    assert "Measures&#x27; rating now, and on 20 November 2026" in missions
    assert "as that view gave it, for every strategy." in missions
    # A view of the quarter before in the history is no update: the quarter is compared.
    earlier = _record_of(june_view, data, "2026-08", "t")
    board = summarise_board_quarter(data, "2026-09", "2026-11", runs=[earlier])
    assert not board.is_update and board.title == "quarterly view, 2026/27 Q2"
    assert board.previous_period_end == "2026-06"


def test_an_update_re_rated_on_the_same_figure_is_no_progress(
    view: tuple[Dataset, BoardView],
) -> None:
    # A review finding: an update compared with a first view published under an earlier
    # method told owners "Progress: 1 measure out of needs attention" on the very figure
    # first published. A rating that moved on the same figure was re-rated, not improved.
    data, plain = view
    first = _record_of(plain, data, "2026-11", "2026-11-20T06:00:00Z")
    told = first.judgements.copy()
    measures = told[(told["measure_id"] != "") & told["rag"].isin(["Green", "Amber"])]
    steady = measures[measures["assessment"] != "needs attention"].iloc[0]
    moved = (told["strategy_id"] == steady["strategy_id"]) & (
        told["measure_id"] == steady["measure_id"]
    )
    told.loc[moved, "assessment"] = "needs attention"
    told.loc[moved, "rag"] = "Red"
    board = summarise_board_quarter(
        data, "2026-09", "2026-11", runs=[replace(first, judgements=told)]
    )
    assert board.is_update
    mid = str(steady["measure_id"])
    progress = board.items[board.items["flag"] == "progress"]
    assert mid not in set(progress["item_id"])
    changed = board.items[(board.items["flag"] == "changed") & (board.items["item_id"] == mid)]
    assert not changed.empty
    assert (
        changed["reason"]
        .iloc[0]
        .startswith(
            "re-rated on the figure first published, so the change is in how it is judged, "
            "not in performance: "
        )
    )


def test_a_target_newly_met_but_not_reliably_is_listed_not_counted(data_dir: Path) -> None:
    # Opening hours: missed in 2026/27 Q1 (356), met in Q2 (361 against 360) on a record
    # that met it in only 4 of 20 months. The Police Estate report and the view's own
    # judgements.csv row say so; the page had dropped it (review R18-7). Listed, never
    # counted as progress.
    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    estate = replace(
        sample, strategies=sample.strategies[sample.strategies["strategy_id"] == "police-estate"]
    )
    board = summarise_board_quarter(estate, "2026-09", "2026-11")
    listed = board.items[board.items["flag"] == "not progress"]
    assert list(listed["item_id"]) == ["estate-front-counter-hours"]
    assert listed["state"].iloc[0] == "target newly met, but not reliably (not progress)"
    assert "met in only 4 of 20 months" in listed["reason"].iloc[0]
    assert not board.items["flag"].eq("progress").any()
    assert set(board.owners["progress"]) == {0}
    page = html.unescape(format_board_owners(board))
    assert page.count("<strong>Progress:</strong> none in the measures.") == len(board.owners)
    assert "1 target newly met, but not reliably (not progress)" in page
    assert (
        "Front enquiry office opening hours per week (The Police Estate): target newly met, "
        "but not reliably (not progress), target met (361 hours against 360 hours"
    ) in re.sub(r"<[^>]+>", "", page)
    assert "No rating changed" not in page
    assert "A target newly met, but not reliably (its record shows it usually missed) is " in page
