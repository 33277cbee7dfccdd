"""The words a change of rating is told in: what the chart shows, and what chance allows.

Review 9: a concern from a run or trend the tests do not confirm was told to the
Delivery Board as "outside its chart's usual range", the words of a point beyond the
limits, which that rule by definition has not (R9-17); a rating that moved between "too
close to say" and "met, but close" was counted as the owner's progress (R9-4); a rating
that crossed a line on a move of its figure inside the survey's margin of error was not
told so (R9-5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pcplib.assessment.board import (
    BOARD_REPORT,
    BoardView,
    summarise_board_quarter,
    tabulate_board_judgements,
)
from pcplib.assessment.change_chance import (
    MOVED_WITHIN_CHANCE,
    classify_target_standing,
    describe_change_within_chance,
    is_move_within_chance,
)
from pcplib.assessment.change_evidence import describe_rating_evidence
from pcplib.assessment.strategy import summarise_strategy
from pcplib.data import Dataset, load_dataset
from pcplib.data.history import MeetingRecord
from pcplib.report.board import format_board_owners
from pcplib.report.html import esc

_UNCONFIRMED = {
    "rag": "Amber", "rag_basis": "evidence", "rag_rule": "harm_spc_unconfirmed",
    "good_direction": "lower", "unit": "count", "current_label": "2026/27 Q2",
    "current": 6568.0, "last_year_label": "2025/26 Q2", "last_year": 6749.0,
}  # fmt: skip


def test_an_unconfirmed_run_is_never_outside_its_charts_usual_range() -> None:
    row = _UNCONFIRMED | {"spc_signal": "a run of months above its chart's centre line"}
    assert describe_rating_evidence(row) == (
        "no target; 2026/27 Q2 6,568 against 6,749 in 2025/26 Q2, but its chart shows a run "
        "of months above its centre line (no point outside the limits), which the tests of "
        "change do not confirm"
    )
    # What the test of the figures quoted made of them, so a fall is never read as the
    # concern (review 17, R17-3).
    tested = row | {"judgement": "no evidence of change"}
    assert describe_rating_evidence(tested).startswith(
        "no target; 2026/27 Q2 6,568 against 6,749 in 2025/26 Q2 (no evidence of change), "
        "but its chart shows a run of months above its centre line"
    )
    # Without the chart's words (an older row), still never a point outside the limits.
    words = describe_rating_evidence(_UNCONFIRMED)
    assert "usual range" not in words and "(no point outside the limits)" in words
    # A real concern with a point beyond the limits keeps the stronger words.
    beyond: dict[str, Any] = _UNCONFIRMED | {
        "rag": "Red", "rag_rule": "harm_spc", "spc_signal": "a month outside its chart's limits",
    }  # fmt: skip
    assert describe_rating_evidence(beyond).endswith("outside its chart's usual range, a real rise")


@pytest.mark.parametrize(
    ("strategy", "measure", "shape"),
    [
        # Rural offences' run is confirmed by the baseline-year test net of season, so
        # it is no longer an unconfirmed concern (test_seasonal_evidence.py); the run's
        # words are checked on a row above.
        (
            "business-crime",
            "bc-shoplifting",
            "two of three months close to its chart's upper limit",
        ),
    ],
)
def test_the_sample_run_only_concerns_say_what_the_chart_shows(
    sample: Any, strategy: str, measure: str, shape: str
) -> None:
    rows = summarise_strategy(sample, strategy, "2026-09", "board").measures
    row = rows.set_index("measure_id").loc[measure].to_dict()
    assert row["rag_rule"] == "harm_spc_unconfirmed"
    assert row["spc_signal"] == shape
    words = describe_rating_evidence(row)
    shown = shape.replace("its chart's ", "its ")
    assert f"its chart shows {shown} (no point outside the limits)" in words
    assert "usual range" not in words


def test_an_unconfirmed_concern_a_test_finds_possible_is_never_unconfirmed_by_the_tests(
    sample: Any,
) -> None:
    # Review 17, R17-3 (a): shoplifting's Why said the tests "do not confirm" its rise
    # beside the very comparison a test found possibly worse (the rating's basis).
    rows = summarise_strategy(sample, "business-crime", "2026-09", "board").measures
    row = rows.set_index("measure_id").loc["bc-shoplifting"].to_dict()
    assert row["rag_comparison"] == "the year ending on the baseline year"
    assert describe_rating_evidence(row) == (
        "no target; 12 months to September 2026 7,483 against 7,166 in 2024/25, a possible "
        "rise, not yet conclusive; its chart shows two of three months close to its upper "
        "limit (no point outside the limits)"
    )


# --- R9-4: a rating that moved within chance of its target is not progress -------------


@pytest.fixture(scope="module")
def road_safety(data_dir: Path) -> tuple[Dataset, BoardView]:
    """The sample's Road Safety alone: KSI 104 then 84 against at most 90, both in chance."""
    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    data = replace(
        sample, strategies=sample.strategies[sample.strategies["strategy_id"] == "road-safety"]
    )
    return data, summarise_board_quarter(data, "2026-09", "2026-11")


def test_the_standing_against_a_target_is_read_off_the_ratings_basis() -> None:
    target = {"rag_basis": "target", "rag_close": False, "target_within_margin": False}
    assert classify_target_standing(target | {"rag": "Green", "rag_close": True}) == (
        "met, but close"
    )
    assert classify_target_standing(target | {"rag": "Amber", "target_within_margin": True}) == (
        "too close to say"
    )
    assert classify_target_standing(target | {"rag": "Green"}) == "met"
    assert classify_target_standing(target | {"rag": "Red"}) == "missed"
    assert classify_target_standing(target | {"rag": "Amber", "rag_capped": True}) == "met"
    assert classify_target_standing({"rag": "Red", "rag_basis": "evidence"}) == ""
    # The meeting history's judgements.csv states it, as text.
    told = {"rag": "Amber", "rag_basis": "target", "target_standing": "too close to say"}
    assert classify_target_standing(told) == "too close to say"
    assert is_move_within_chance("too close to say", "met, but close")
    assert is_move_within_chance("met, but close", "too close to say")
    assert not is_move_within_chance("missed", "met, but close")
    assert not is_move_within_chance("too close to say", "too close to say")


def test_a_move_within_chance_is_listed_but_is_not_the_owners_progress(
    road_safety: tuple[Dataset, BoardView],
) -> None:
    data, board = road_safety
    items = board.items.set_index(["flag", "item_id"])
    moved = items.loc[("changed", "rs-ksi")]
    assert (moved["state"], moved["detail"]) == ("Amber to Green", "measure, within chance")
    assert moved["reason"].startswith(
        "moved within chance of its target (too close to say → met, but close), so not "
        "progress: target met (84 against 90; 104 in the quarter to June 2026)"
    )
    assert not (board.items["flag"] == "progress").any()
    assert set(board.owners["progress"]) == {0}
    page = format_board_owners(board)
    assert "<strong>Progress:</strong> none in the measures." in page
    assert "1 measure rating changed (1 within chance)" in page
    assert esc("moved within chance of its target (too close to say → met, but close)") in page
    # judgements.csv keeps the standing, so the next view reads it as the Board was told.
    rows = tabulate_board_judgements(board, BOARD_REPORT).set_index("measure_id")
    assert rows.loc["rs-ksi", "target_standing"] == "met, but close"
    assert rows.loc["rs-ksi", "since_last_meeting"].startswith("rating Amber to Green, within")


def test_a_move_within_chance_from_the_record_is_not_slippage(
    road_safety: tuple[Dataset, BoardView],
) -> None:
    # As the Board was told it: met, but close then; too close to say now (the figures
    # swapped by hand). No "into needs attention", one rule both ways.
    data, _ = road_safety
    then = summarise_board_quarter(data, "2026-06", "2026-08")
    # A strategy report's record of the quarter (its rows, as the history reads them).
    told = tabulate_board_judgements(then, "road-safety").astype(str)
    ksi = told["measure_id"] == "rs-ksi"
    told.loc[ksi, ["rag", "assessment", "target_standing"]] = [
        "Green", "on track", "met, but close",
    ]  # fmt: skip
    record = MeetingRecord(
        slot="2026-08", period_end="2026-06", produced_at="2026-08-20T06:00:00Z",
        folder=Path("history") / "2026-08" / "run-001", judgements=told,
        commitments=data.commitments.astype(str), actions=data.actions.astype(str),
    )  # fmt: skip
    now = summarise_strategy(data, "road-safety", "2026-09", "board")
    rows = now.measures.copy()
    at = rows["measure_id"] == "rs-ksi"
    rows.loc[at, ["rag", "rag_close", "target_within_margin", "assessment"]] = [
        "Amber", False, True, "needs attention",
    ]  # fmt: skip
    from pcplib.assessment.continuity import PreviousMeeting, compare_with_previous_meeting

    continuity = compare_with_previous_meeting(
        data, replace(now, measures=rows), PreviousMeeting("2026-08", "2026-06", record)
    )
    changes = continuity.changes[continuity.changes["item_id"] == "rs-ksi"]
    assert changes["change"].tolist() == ["rating moved within chance"]
    assert "(met, but close → too close to say), so not slippage" in changes["reason"].iloc[0]
    words = continuity.measures.set_index("measure_id").loc["rs-ksi", "since_last_meeting"]
    assert words.startswith("rating Green to Amber, within chance")


# --- R9-5: a rating that moved on a figure that moved within chance says so -------------


def test_a_figure_that_moved_within_chance_says_so_beside_its_rating() -> None:
    survey = {"rag_basis": "target", "unit": "percent", "current": 52.4,
              "target_allowance": 5.1, "margin_of_error": 5.1}  # fmt: skip
    assert describe_change_within_chance(survey, 51.3, {"target_allowance": 5.0}) == (
        "a change of +1.1 points, within the margin of error of a change between two survey "
        "waves (+/- 7.1 points)"
    )
    count = {"rag_basis": "target", "unit": "count", "current": 84.0, "target_allowance": 19.5}
    assert describe_change_within_chance(count, 104.0, {"target_allowance": 21.9}) == (
        "a change of -20, within chance (+/- 29.3)"
    )
    # Beyond chance, exact (no allowance), judged on its year, or with no target: nothing.
    assert describe_change_within_chance(count, 140.0, {"target_allowance": 21.9}) == ""
    assert describe_change_within_chance(count, 104.0, {"target_allowance": None}) == ""
    yearly = count | {"target_compared": 350.0}
    assert describe_change_within_chance(yearly, 104.0, {"target_allowance": 21.9}) == ""
    evidence = count | {"rag_basis": "evidence"}
    assert describe_change_within_chance(evidence, 104.0, {"target_allowance": 21.9}) == ""


def test_the_board_and_since_the_last_meeting_say_a_move_was_within_the_margin(
    data_dir: Path,
) -> None:
    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    two = sample.strategies["strategy_id"].isin(["rural-crime", "supporting-victims"])
    board = summarise_board_quarter(
        replace(sample, strategies=sample.strategies[two]), "2026-09", "2026-11"
    )
    items = board.items[board.items["flag"] == "changed"].set_index("item_id")
    assert items.loc["sv-victim-satisfaction", "reason"] == (
        "target narrowly missed (78.9% against 80.0%; 75.1% in the quarter to June 2026); a "
        "change of +3.8 points, within the margin of error of a change between two survey "
        "waves (+/- 4.0 points)"
    )
    # Rural confidence (52.4% against 55.0%, 51.3% the quarter before) is within its
    # margin of error in both quarters and, a panel, never settled by its record: Amber,
    # too close to say, in both, so no move (review 10, R10-6; it was told "Red to Amber").
    assert "rural-confidence" not in items.index
    # The Corporate Governance Board's November report, against November 2025.
    from pcplib.assessment.continuity import PreviousMeeting, compare_with_previous_meeting

    summary = summarise_strategy(sample, "neighbourhood-policing", "2026-09", "board")
    continuity = compare_with_previous_meeting(
        sample, summary, PreviousMeeting("2025-11", "2025-09")
    )
    changes = continuity.changes.set_index("item_id")
    reason = changes.loc["np-confidence", "reason"]
    assert reason.endswith(
        "a change of -2.5 points, within the margin of error of a change between two survey "
        "waves (+/- 5.4 points)"
    ), reason


# --- R9-21: the provisional figures behind the changes travel with them ------------------


def test_the_board_view_notes_the_provisional_figures_it_cites(
    road_safety: tuple[Dataset, BoardView],
) -> None:
    _, board = road_safety
    note = (
        "People killed or seriously injured in road collisions: figures for July 2026, "
        "August 2026, September 2026 are provisional and may be revised."
    )
    assert board.provisional == (note,)
    page = format_board_owners(board)
    assert "Provisional figures: 1 measure cited above rests on months that may be" in page
    assert esc(note) in page


def test_a_strategys_rating_moved_only_on_figures_within_chance_says_so(
    data_dir: Path,
) -> None:
    from pcplib.assessment.continuity import (
        OVERALL_WITHIN_CHANCE,
        PreviousMeeting,
        compare_with_previous_meeting,
    )

    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    summary = summarise_strategy(sample, "neighbourhood-policing", "2026-09", "board")
    continuity = compare_with_previous_meeting(
        sample, summary, PreviousMeeting("2025-11", "2025-09")
    )
    assert continuity.overall_within_chance
    overall = continuity.changes[continuity.changes["kind"] == "overall"].iloc[0]
    assert (overall["before"], overall["after"]) == ("Amber", "Red")
    assert overall["reason"].endswith(OVERALL_WITHIN_CHANCE)
    # The Delivery Board view: VAWG moved Amber to Red on one survey's -4.0 points.
    two = sample.strategies["strategy_id"].isin(
        [
            "vawg",
            "scrutiny-and-legitimacy",
            "supporting-victims",
            "rural-crime",
            "road-safety",
            "violence-and-vulnerability",
        ]
    )
    board = summarise_board_quarter(
        replace(sample, strategies=sample.strategies[two]), "2026-09", "2026-11"
    )
    rated = board.items[board.items["detail"].astype(str).str.startswith("overall rating")]
    details = dict(zip(rated["strategy_id"], rated["detail"], strict=True))
    assert details == {
        "vawg": "overall rating, within chance",
        # Public complaints rose beyond chance: a real move.
        "scrutiny-and-legitimacy": "overall rating",
        # Red to Amber on victim satisfaction's +3.8 points within its allowance; a
        # sub-measure's move to Grey does not enter the rating (review 11, R11-1).
        "supporting-victims": "overall rating, within chance",
        # Rural Crime is Red in both quarters (rural offences rose beyond chance on the
        # quarter in June, and since the baseline year now, net of season), so no move.
        # Amber to Grey only because the one rated headline that held it Amber moved
        # within chance of its target (too close to say → met, but close): its loss of
        # a rating is no more progress than that move (review 12).
        "road-safety": "overall rating, within chance",
        # Amber to Grey on sharp-object admissions, both quarters within chance of the
        # target, but 33 to 17 is a fall beyond the +/- 14.6 chance allows a change
        # between them: not within chance, and not progress (review 14, R14-4).
        "violence-and-vulnerability": "overall rating",
    }
    # Each measure line that says "within chance" is counted so (R11-1).
    moved = board.items[board.items["detail"].astype(str).str.startswith("measure")]
    counted = moved.set_index("item_id")["detail"]
    assert counted["sv-victim-satisfaction"] == "measure, within chance"
    # The report reads the columns, which say what the words say.
    assert moved["rating_of"].eq("measure").all() and rated["rating_of"].eq("overall").all()
    assert moved["within_chance"].eq(moved["detail"].str.endswith("within chance")).all()
    assert rated["within_chance"].eq(rated["detail"].str.endswith("within chance")).all()
    page = format_board_owners(board)
    assert "Violence Against Women and Girls: Amber to Red, within chance" in page
    assert "Supporting Victims: Red to Amber, within chance" in page
    assert "Scrutiny and Legitimacy: Green to Red;" in page
    assert "Road Safety: Amber to Grey, within chance" in page


def test_one_measure_gets_one_verdict_in_the_board_view_and_since_the_last_meeting(
    data_dir: Path,
) -> None:
    # Review 12, R12-3 and R12-4: the Delivery Board counted rural confidence's move
    # (+1.1 points inside +/- 7.1) within chance while the CGB report filed it, and the
    # strategy's own move, under "Rating changed"; farm machinery thefts were listed
    # twice and the strategy counted among its measures.
    from pcplib.assessment.continuity import PreviousMeeting, compare_with_previous_meeting
    from pcplib.report.continuity import format_since_last_meeting

    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    summary = summarise_strategy(sample, "rural-crime", "2026-09", "board")
    continuity = compare_with_previous_meeting(
        sample, summary, PreviousMeeting("2026-09", "2026-06")
    )
    changes = continuity.changes
    # A measure's rating change and its move out of needs attention are one row each, and
    # the page lists the measure once.
    assert changes.groupby(["kind", "item_id", "change"]).size().max() == 1
    said = set(zip(changes["item_id"], changes["change"], strict=True))
    # Rural confidence, a panel survey within its margin of error, is too close to say in
    # both quarters (its waves never settle it on their record: review 10, R10-6), so it
    # no longer moves; the strategy and rural offences are Red in both quarters (a real
    # rise on the quarter in June, and since the baseline year now, net of season); farm
    # machinery thefts went Red (a real rise) to Green (a real fall since the baseline,
    # already there in June), with no real improvement like for like: listed as a rating
    # change, never "out of needs attention" (review 18, R18-1).
    assert said == {("rural-machinery-theft", "rating changed")}
    rural = replace(
        sample, strategies=sample.strategies[sample.strategies["strategy_id"] == "rural-crime"]
    )
    board = summarise_board_quarter(rural, "2026-09", "2026-11")
    items = board.items[board.items["flag"] == "changed"].set_index("item_id")["detail"]
    # The same comparison (data to June 2026): the same verdict on each measure.
    for mid, change in said:
        within = items[mid].endswith("within chance")
        assert within == (change == MOVED_WITHIN_CHANCE), (mid, items[mid], change)
    page = format_since_last_meeting(continuity).replace("&#x27;", "'")
    # The strategy's own rating did not move; its measures are the changes counted.
    assert "The strategy's own rating since the Board's meeting" not in page
    assert (
        "1 change to its measures since the Board's meeting of September 2026 (data to June "
        "2026): rating changed (1)."
    ) in page
    assert page.count("Thefts of farm machinery") == 1


@pytest.mark.parametrize(
    ("strategy", "meeting", "data_to", "expected"),
    [
        # Amber to Red only on the confidence survey's -2.5 points inside +/- 5.4.
        ("neighbourhood-policing", "2025-11", "2025-09", "rating Amber to Red, within chance"),
        # Grey: too little rated, once its one rated headline moved within chance; the
        # Delivery Board's words for the same move (review 13, R13-1).
        (
            "road-safety",
            "2026-01",
            "2025-09",
            "rating Amber to Grey, within chance; no longer rated",
        ),
    ],
)
def test_judgements_csv_says_a_strategys_move_in_its_measures_words(
    data_dir: Path, strategy: str, meeting: str, data_to: str, expected: str
) -> None:
    # judgements.csv's since_last_meeting for the strategy's own row says what the
    # section says of it, as its measures' rows do (review 12, R12-3, R12-4).
    from pcplib.assessment.continuity import PreviousMeeting, compare_with_previous_meeting
    from pcplib.assessment.continuity_columns import add_continuity_columns
    from pcplib.assessment.judgements import tabulate_judgements

    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    summary = summarise_strategy(sample, strategy, "2026-09", "board")
    continuity = compare_with_previous_meeting(sample, summary, PreviousMeeting(meeting, data_to))
    rows = add_continuity_columns(tabulate_judgements([summary], strategy), continuity)
    words = rows.set_index("measure_id")["since_last_meeting"]
    assert words["overall"] == f"{expected} {continuity.since_words}"
    # The file's verdict is the section's: both moves rest on chance (review 13, R13-3),
    # and each measure's category is the one the section files it under.
    table = rows.set_index("measure_id")
    assert table.loc["overall", "rating_within_chance"] is True
    assert continuity.overall_within_chance
    changes = continuity.changes
    assert (
        table.loc["overall", "rating_change"]
        == changes.loc[changes["kind"] == "overall", "change"].iloc[0]
    )
    for change in changes[changes["kind"] == "measure"].to_dict("records"):
        if change["change"] in ("rating changed", "rating moved within chance"):
            assert table.loc[change["item_id"], "rating_change"] == change["change"]
            assert table.loc[change["item_id"], "rating_within_chance"] == (
                change["change"] == "rating moved within chance"
            )


# --- a figure counted in full that crossed its target inside its usual range (R10-4) -------


@pytest.mark.parametrize(
    ("row", "before", "after", "expected"),
    [
        # Opening hours 356 -> 361 against 360: chart common cause, limits straddle it.
        ({"administrative": True, "spc_variation": "common_cause",
          "spc_assurance": "inconsistent"}, "missed", "met", "so not progress"),
        ({"administrative": "True", "spc_variation": "common_cause",
          "spc_assurance": "inconsistent"}, "met", "missed", "so not slippage"),
        # A chart signal, or limits on one side, or a figure with chance: a real move.
        ({"administrative": True, "spc_variation": "special_cause_improvement",
          "spc_assurance": "inconsistent"}, "missed", "met", ""),
        ({"administrative": True, "spc_variation": "common_cause",
          "spc_assurance": "consistent_pass"}, "missed", "met", ""),
        # A record settled the assurance, but the limits straddle the target: usual range
        # (review 16, R16-2); limits wholly on one side that a record settled are not.
        ({"administrative": True, "spc_variation": "common_cause",
          "spc_assurance": "consistent_pass", "spc_limits_assurance": "inconsistent"},
         "missed", "met", "so not progress"),
        ({"administrative": True, "spc_variation": "common_cause",
          "spc_assurance": "consistent_pass", "spc_limits_assurance": "consistent_fail"},
         "missed", "met", ""),
        ({"administrative": False, "spc_variation": "common_cause",
          "spc_assurance": "inconsistent"}, "missed", "met", ""),
        ({"administrative": True, "spc_variation": "common_cause",
          "spc_assurance": "inconsistent"}, "met", "met", ""),
    ],
)  # fmt: skip
def test_a_counted_figure_crossing_its_target_in_its_usual_range_is_not_progress(
    row, before, after, expected
) -> None:
    from pcplib.assessment.change_chance import describe_move_within_usual_range

    words = describe_move_within_usual_range(row, before, after)
    assert words.endswith(expected) if expected else words == ""
    if expected:
        assert words.startswith("moved across its target within its usual range")


@pytest.mark.parametrize(
    ("change", "within", "expected"),
    [
        ("rating changed", False, ""),
        ("rating moved within chance", False, ", within chance"),
        ("rating moved within chance", True, ", within chance"),
        ("no longer rated", False, "; no longer rated"),
        ("no longer rated", True, ", within chance; no longer rated"),
    ],
)
def test_describe_rating_move_tail(change: str, within: bool, expected: str) -> None:
    # One wording of a strategy's move for the strategy report's rows and the Delivery
    # Board's rows of judgements.csv.
    from pcplib.assessment.change_chance import describe_rating_move_tail

    assert describe_rating_move_tail(change, within) == expected


# --- R14-4: a move between the standings within chance is within chance only when the
# figure's own change is within its allowance ------------------------------------------

_ADMISSIONS = {
    "rag": "Green", "rag_basis": "target", "unit": "count", "current": 17.0,
    "target_allowance": 8.96, "comparison_basis": "same quarter last year",
    "comparison_value": 22.0, "judgement": "no evidence of change", "year_ending": 84.0,
    "previous_year": 89.0, "year_ending_judgement": "no evidence of change",
}  # fmt: skip


def test_a_fall_beyond_its_allowance_is_not_within_chance_but_not_progress_either() -> None:
    from pcplib.assessment.change_chance import (
        describe_move_beyond_chance,
        is_change_within_chance,
    )

    then = {"target_allowance": 11.6}
    # 33 then 17: a fall of 16 against the +/- 14.7 allowed a change between the two.
    assert is_change_within_chance(_ADMISSIONS, 33.0, then) is False
    assert describe_change_within_chance(_ADMISSIONS, 33.0, then) == ""
    assert describe_move_beyond_chance(
        _ADMISSIONS, "too close to say", "met, but close", 33.0, then
    ) == (
        "a fall larger than chance allows on the quarter before (-16, beyond +/- 14.7), but "
        "not on the same quarter last year (17 against 22) or over 12 months (84 against "
        "89), so not progress"
    )
    # Within its allowance it is a move within chance, said by the other words.
    assert is_change_within_chance(_ADMISSIONS, 30.0, then) is True
    assert (
        describe_move_beyond_chance(_ADMISSIONS, "too close to say", "met, but close", 30.0, then)
        == ""
    )
    # A like-for-like test that bears the move out makes it a real move: no such words.
    borne = _ADMISSIONS | {"year_ending_judgement": "improved"}
    assert (
        describe_move_beyond_chance(borne, "too close to say", "met, but close", 33.0, then) == ""
    )
    # Untestable (no allowance then): neither within nor beyond.
    assert is_change_within_chance(_ADMISSIONS, 33.0, {"target_allowance": None}) is None


def test_sharp_object_admissions_fall_is_a_rating_change_the_board_does_not_call_chance(
    data_dir: Path,
) -> None:
    from pcplib.assessment.continuity import PreviousMeeting, compare_with_previous_meeting
    from pcplib.report.board import format_board_missions

    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    summary = summarise_strategy(sample, "violence-and-vulnerability", "2026-09", "board")
    continuity = compare_with_previous_meeting(
        sample, summary, PreviousMeeting("2026-09", "2026-06")
    )
    changes = continuity.changes
    mine = changes[changes["item_id"] == "vv-sharp-admissions"]
    # One row, a rating change (not "moved within chance"), and no progress rows.
    assert mine["change"].tolist() == ["rating changed"]
    assert (
        mine["reason"]
        .iloc[0]
        .startswith("a fall larger than chance allows on the quarter before (-16, beyond +/- 14.")
    )
    assert "so not progress" in mine["reason"].iloc[0]
    assert not continuity.overall_within_chance
    words = continuity.measures.set_index("measure_id").loc["vv-sharp-admissions"]
    assert not words["rating_within_chance"]
    assert words["since_last_meeting"] == "rating Amber to Green, not borne out like for like"
    board = summarise_board_quarter(sample, "2026-09", "2026-11")
    items = board.items[board.items["flag"] == "changed"].set_index("item_id")
    assert not items.loc["vv-sharp-admissions", "within_chance"]
    assert "vv-sharp-admissions" not in set(
        board.items.loc[board.items["flag"] == "progress", "item_id"]
    )
    # R16-3: the Board's printed rules state the like-for-like condition its row applies,
    # so "so not progress" on a fall beyond chance reads against a rule on the page.
    folded = format_board_owners(board).split("What overdue, at risk", 1)[1]
    rule = folded.split("</details>", 1)[0]
    assert (
        "on a figure that moved by more than chance allows is listed, and counted neither as "
        "progress nor as slippage, when the same quarter last year or the 12 months is "
        "tested and neither shows a real change its way; so is a measure with no target "
        "that leaves needs attention while neither shows a real improvement."
    ) in rule.replace("&quot;", '"')
    file = tabulate_board_judgements(board, BOARD_REPORT)
    row = file[
        (file["strategy_id"] == "violence-and-vulnerability") & (file["measure_id"] == "overall")
    ]
    assert row["rating_within_chance"].tolist() == [False]
    # R14-5: the mission tables mark a strategy's move within chance as the owner lines do.
    page = format_board_missions(board)
    for name, within in (("Supporting Victims", True), ("Violence and Vulnerability", False)):
        cell = page.split(f">{name}</th>", 1)[1].split("</td>", 1)[0]
        assert ("(within chance)" in cell) is within, (name, cell)


def test_opening_hours_missed_at_the_last_meeting_and_met_now_is_listed(
    data_dir: Path,
) -> None:
    # Review 16, R16-7: "Since the last meeting" promises "targets newly met or missed",
    # but said "No rating changed" of the Police Estate while opening hours, missed in the
    # quarter to March 2026 (354 against 360), met it now (361), but not reliably.
    from pcplib.assessment.continuity import PreviousMeeting, compare_with_previous_meeting
    from pcplib.report.continuity import format_since_last_meeting

    sample = load_dataset(data_dir, today=dt.date(2026, 11, 23))
    summary = summarise_strategy(sample, "police-estate", "2026-09", "board")
    continuity = compare_with_previous_meeting(
        sample, summary, PreviousMeeting("2026-05", "2026-03")
    )
    hours = continuity.changes[continuity.changes["item_id"] == "estate-front-counter-hours"]
    assert hours["change"].tolist() == ["target newly met, but not reliably"]
    assert hours["reason"].iloc[0].startswith("361 hours against 360 hours; met in only ")
    page = format_since_last_meeting(continuity)
    assert "No rating changed" not in page
    assert "<td>Target newly met, but not reliably (not progress)</td>" in page
    words = continuity.measures.set_index("measure_id").loc["estate-front-counter-hours"]
    assert words["since_last_meeting"] == "target newly met, but not reliably"
    assert words["rating_change"] == ""
