"""Since the last meeting: the previous meeting, the movements, judgements.csv columns, wording."""

from __future__ import annotations

import copy
import datetime as dt
import html
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pcplib.assessment.continuity import (
    CHANGE_COLUMNS,
    CONTINUITY_COLUMNS,
    PreviousMeeting,
    compare_with_previous_meeting,
    describe_period_compared,
    find_previous_meeting,
)
from pcplib.assessment.continuity_columns import add_continuity_columns
from pcplib.assessment.judgements import JUDGEMENT_COLUMNS, tabulate_judgements
from pcplib.assessment.strategy import StrategySummary, summarise_strategy
from pcplib.data import Dataset, load_dataset
from pcplib.data.forward_plan import ForwardPlan, Slot
from pcplib.data.history import MeetingRecord
from pcplib.report.continuity import describe_since, format_since_last_meeting

STRATEGY = "rural-crime"


@pytest.fixture(scope="module")
def dataset(data_dir: Path) -> Dataset:
    return load_dataset(data_dir, today=dt.date(2026, 11, 23))


@pytest.fixture(scope="module")
def module_summaries(dataset: Dataset) -> dict[str, StrategySummary]:
    """The strategy's summary to June and to September 2026, worked out once, by period."""
    return {end: summarise_strategy(dataset, STRATEGY, end) for end in ("2026-06", "2026-09")}


@pytest.fixture
def summaries(module_summaries: dict[str, StrategySummary]) -> dict[str, StrategySummary]:
    """A deep copy of ``module_summaries``, so no test can change what the next one reads."""
    return copy.deepcopy(module_summaries)


def _plan(*slots: tuple[str, tuple[str, ...], str]) -> ForwardPlan:
    return ForwardPlan(
        path=Path("plan.yaml"),
        source="",
        notes=(),
        years=("2025/26",),
        slots=tuple(Slot(s, "2025/26", strategies, end) for s, strategies, end in slots),
    )


def _record(
    slot: str, period_end: str, judgements: pd.DataFrame, **tables: pd.DataFrame
) -> MeetingRecord:
    # The history is read back as text, as it was written.
    return MeetingRecord(
        slot=slot,
        period_end=period_end,
        produced_at="2026-07-01T09:00:00Z",
        folder=Path("history") / slot / "run-001",
        judgements=judgements.astype(str).replace({"nan": "", "None": ""}),
        commitments=tables.get("commitments", pd.DataFrame()).astype(str),
        actions=tables.get("actions", pd.DataFrame()).astype(str),
    )


def test_the_previous_meeting_is_the_latest_earlier_one_on_the_plan_or_in_the_history() -> None:
    plan = _plan(
        ("2025-09", ("rural-crime",), "2025-06"),
        ("2026-09", ("rural-crime",), "2026-06"),
        ("2026-11", ("vawg",), "2026-09"),
    )
    found = find_previous_meeting(STRATEGY, "2026-11", plan)
    assert found == PreviousMeeting("2026-09", "2026-06", None)
    assert found.basis == "recomputed"
    # Today's meeting and later ones never count; nor does a strategy never reported.
    assert find_previous_meeting(STRATEGY, "2025-09", plan) is None
    assert find_previous_meeting("vawg", "2026-11", plan) is None
    # A record in the history (here of a meeting off the plan) is the comparison.
    rows = pd.DataFrame({"report": [STRATEGY], "strategy_id": [STRATEGY], "measure_id": ["m"]})
    record = _record("2026-10", "2026-06", rows)
    found = find_previous_meeting(STRATEGY, "2026-11", plan, [record])
    assert found is not None and found.slot == "2026-10" and found.record is record
    assert found.basis == "as reported"
    # A record holding only the plan overview's rows is not a report on the strategy.
    overview = _record("2026-10", "2026-06", rows.assign(report="plan-overview"))
    assert find_previous_meeting(STRATEGY, "2026-11", plan, [overview]).record is None  # type: ignore[union-attr]


def test_without_a_record_the_comparison_is_recomputed_and_says_so(
    dataset: Dataset, summaries: dict[str, StrategySummary]
) -> None:
    summary = summaries["2026-09"]
    result = compare_with_previous_meeting(dataset, summary, PreviousMeeting("2025-09", "2025-06"))
    # Today's methods too: a rating then may differ from what the Board was told because a
    # method changed (review 18, R18-9).
    assert "recomputed from today's data and methods" in result.note
    assert "September 2025" in result.note
    assert list(result.changes.columns) == CHANGE_COLUMNS
    # Recomputed figures cannot show a revision, nor commitments' earlier status.
    assert result.measures["revision"].isna().all()
    assert set(result.changes["kind"]) <= {"overall", "measure"}
    assert (result.measures["previous_basis"] == "recomputed").all()
    # The previous ratings are today's data's for that period.
    then = summarise_strategy(dataset, STRATEGY, "2025-06").measures
    assert result.measures["previous_rag"].tolist() == then["rag"].tolist()


def test_without_a_record_no_change_never_reads_as_nothing_changed(
    dataset: Dataset, summaries: dict[str, StrategySummary]
) -> None:
    # The note says commitments' earlier status "cannot be shown": the paragraph after it
    # must not say "Nothing has changed since that meeting".
    summary = summaries["2026-09"]
    result = compare_with_previous_meeting(dataset, summary, PreviousMeeting("2025-09", "2025-06"))
    empty = replace(result, changes=result.changes.iloc[0:0])
    page = format_since_last_meeting(empty)
    assert "Nothing has changed" not in page
    assert (
        "No rating changed since the Board's meeting of September 2025 (data to June 2025); "
        "changes to "
        "commitments and actions cannot be checked"
    ) in page.replace("&#x27;", "'")


def test_no_previous_meeting_says_there_is_nothing_to_compare(
    dataset: Dataset, summaries: dict[str, StrategySummary]
) -> None:
    summary = summaries["2026-09"]
    result = compare_with_previous_meeting(dataset, summary, None)
    assert result.changes.empty and "not been reported to the Board before" in result.note
    assert format_since_last_meeting(result) == f"<p>{result.note}</p>".replace("'", "&#x27;")


@pytest.fixture(scope="module")
def as_reported(
    dataset: Dataset, module_summaries: dict[str, StrategySummary]
) -> tuple[Dataset, object, object]:
    """A record of the 2026-09 meeting (data to 2026-06), then changes since."""
    then = module_summaries["2026-06"]  # only read
    told = tabulate_judgements([then], STRATEGY)
    first = then.measures.iloc[0]
    mid = first["measure_id"]
    # What the meeting was told: another rating and assessment, and another figure.
    told.loc[told["measure_id"] == mid, "rag"] = "Green" if first["rag"] != "Green" else "Red"
    told.loc[told["measure_id"] == mid, "rag_basis"] = "spc"
    told.loc[told["measure_id"] == mid, "assessment"] = (
        "stable" if first["assessment"] == "needs attention" else "needs attention"
    )
    told.loc[told["measure_id"] == mid, "current"] = float(first["current"]) + 17
    commitments = dataset.commitments[dataset.commitments["strategy_id"] == STRATEGY].copy()
    commitments.iloc[0, commitments.columns.get_loc("status")] = "not started"
    commitments.iloc[1, commitments.columns.get_loc("due_date")] = pd.Timestamp("2026-06-30")
    actions = pd.DataFrame(
        {"action_id": ["old-a1"], "strategy_id": [STRATEGY], "status": ["open"],
         "due_date": ["2026-08-31"], "action": ["Report back"]}
    )  # fmt: skip
    now_actions = pd.DataFrame(
        {"action_id": ["old-a1", "new-a2"], "strategy_id": [STRATEGY] * 2,
         "agreed_at": ["2026-09"] * 2, "action": ["Report back", "A new one"],
         "owner": ["Owner"] * 2, "due_date": pd.to_datetime(["2026-08-31", "2027-01-31"]),
         "status": ["done", "open"]}
    )  # fmt: skip
    today = replace(dataset, actions=now_actions)
    record = _record("2026-09", "2026-06", told, commitments=commitments, actions=actions)
    summary = summarise_strategy(today, STRATEGY, "2026-09")
    previous = PreviousMeeting("2026-09", "2026-06", record)
    return today, summary, compare_with_previous_meeting(today, summary, previous)


def test_as_reported_lists_each_kind_of_movement(as_reported: tuple) -> None:  # type: ignore[type-arg]
    dataset, summary, result = as_reported
    changes = result.changes
    mid = summary.measures.iloc[0]["measure_id"]
    mine = changes[changes["item_id"] == mid]
    assert "rating changed" in set(mine["change"])
    assert {"into needs attention", "out of needs attention"} & set(mine["change"])
    revised = mine[mine["change"] == "figure revised"]
    assert len(revised) == 1 and revised["reason"].iloc[0].startswith("the quarter to June 2026")
    assert "reported as" in revised["reason"].iloc[0] and "; now" in revised["reason"].iloc[0]
    commitments = changes[changes["kind"] == "commitment"]
    # The first was complete today but not started then: done; the second's date moved.
    assert set(commitments["change"]) == {"done", "due date changed"}
    actions = changes[changes["kind"] == "action"].set_index("item_id")["change"]
    assert actions.to_dict() == {"old-a1": "done", "new-a2": "new"}
    # The other measures were told exactly what today's data give: no revision.
    others = result.measures[result.measures["measure_id"] != mid]
    assert others["revision"].isna().all()
    row = result.measures.set_index("measure_id").loc[mid]
    assert row["revision"] == pytest.approx(-17)
    assert (
        row["previous_basis"] == "as reported"
        and "figure for the quarter" in row["since_last_meeting"]
    )


def test_judgements_columns_carry_the_comparison(as_reported: tuple) -> None:  # type: ignore[type-arg]
    _, summary, result = as_reported
    frame = add_continuity_columns(tabulate_judgements([summary], STRATEGY), result)
    assert list(frame.columns) == JUDGEMENT_COLUMNS
    assert set(CONTINUITY_COLUMNS) <= set(frame.columns)
    measures = frame[frame["measure_id"] != "overall"]
    assert (measures["previous_meeting"] == "2026-09").all()
    assert measures["revision"].notna().sum() == 1
    overall = frame[frame["measure_id"] == "overall"].iloc[0]
    assert overall["previous_basis"] == "as reported" and overall["previous_rag"] in (
        "Green", "Amber", "Red", "Grey"
    )  # fmt: skip


def test_the_section_shows_the_changes_in_words_and_ratings_as_badges(as_reported: tuple) -> None:  # type: ignore[type-arg]
    _, _, result = as_reported
    page = format_since_last_meeting(result)
    assert "as kept in the meeting history" in page
    # One row per measure: its revised figure is named after its rating's change.
    assert "; figure revised since reported</td>" in page and "reported as" in page
    assert 'class="rag rag-' in page
    assert "New since the last meeting" in page and "<td>Done</td>" in page


def test_every_change_statement_names_the_meeting_it_is_compared_with(as_reported: tuple) -> None:  # type: ignore[type-arg]
    # The Delivery Board's view compares with the quarter before; a strategy report with
    # its last meeting: each statement must say which, or the two read as contradicting.
    # Review 7, F14: the meeting's data period is in the sentence itself, as the Delivery
    # Board's "since the Delivery Board of 2026/27 Q1 (data to June 2026)" is.
    _, _, result = as_reported
    since = describe_since(result)
    assert since == result.since_words
    assert since == "since the Board's meeting of September 2026 (data to June 2026)"
    page = format_since_last_meeting(result).replace("&#x27;", "'")
    # One row per item, the strategy's own rating apart (review 12, R12-4).
    rest = result.changes[result.changes["kind"] != "overall"]
    count = len(rest[["kind", "item_id"]].drop_duplicates())
    assert count < len(rest)
    assert f"{count} changes to its measures, commitments and actions {since}: " in page
    assert page.count("<tr>") == count + 1
    assert f"<caption>What changed {since}</caption>" in page
    empty = replace(result, changes=result.changes.iloc[0:0])
    assert f"Nothing has changed {since}." in (
        format_since_last_meeting(empty).replace("&#x27;", "'")
    )
    assert describe_since(replace(result, previous=None)) == ""


def test_judgements_since_last_meeting_names_the_comparison_as_the_section_does(
    as_reported: tuple,  # type: ignore[type-arg]
) -> None:
    _, summary, result = as_reported
    since = result.since_words
    frame = add_continuity_columns(tabulate_judgements([summary], STRATEGY), result)
    rows = frame.set_index("measure_id")
    mid = summary.measures.iloc[0]["measure_id"]
    words = rows.loc[mid, "since_last_meeting"]
    assert words.startswith("rating ") and words.endswith(f" {since}")
    # A measure with no movement says nothing, not the comparison alone.
    still = rows.drop(index=[mid, "overall"])
    still = still[still["previous_rag"] == still["rag"]]
    assert not still.empty and (still["since_last_meeting"].fillna("") == "").all()
    overall = rows.loc["overall"]
    if overall["previous_rag"] != overall["rag"]:
        assert overall["since_last_meeting"] == (
            f"rating {overall['previous_rag']} to {overall['rag']} {since}"
        )
    # A view naming its own comparison (the Delivery Board's) gets the movements alone.
    bare = add_continuity_columns(tabulate_judgements([summary], STRATEGY), result, since="")
    assert bare.set_index("measure_id").loc[mid, "since_last_meeting"] == words.removesuffix(
        f" {since}"
    )


def test_a_changed_rating_gives_the_figures_that_moved_it_in_the_boards_words(
    dataset: Dataset, summaries: dict[str, StrategySummary]
) -> None:
    # Review 7, F14: the reason named the new rating ("no target, and it got worse by more
    # than chance"); it gives the figures behind it, in the Delivery Board view's words.
    from pcplib.assessment.change_evidence import describe_change_evidence

    then = summaries["2026-06"]
    told = tabulate_judgements([then], STRATEGY)
    summary = summaries["2026-09"]
    measures = summary.measures.set_index("measure_id")
    # The meeting was told another rating for every measure rated now.
    rated = [m for m in measures.index if measures.loc[m, "rag"] in ("Green", "Amber", "Red")]
    assert rated
    for mid in rated:
        other = "Green" if measures.loc[mid, "rag"] != "Green" else "Red"
        told.loc[told["measure_id"] == mid, "rag"] = other
    record = _record("2026-09", "2026-06", told)
    result = compare_with_previous_meeting(
        dataset, summary, PreviousMeeting("2026-09", "2026-06", record)
    )
    changed = result.changes[
        (result.changes["kind"] == "measure")
        & result.changes["change"].isin(["rating changed", "rating moved within chance"])
    ].set_index("item_id")
    assert set(rated) <= set(changed.index)
    earlier = result.measures.set_index("measure_id")["previous_value"]
    # A figure that moved by less than chance allows says so (review 9, R9-5).
    noise = result.measures.set_index("measure_id")["change_within_chance"]
    for mid in rated:
        row = measures.loc[mid].to_dict() | {"measure_id": mid}
        value = earlier.get(mid)
        expected = describe_change_evidence(
            row,
            (),
            None if pd.isna(value) else float(value),
            "the quarter to June 2026",
            chance_note=noise[mid],
        )
        reason = changed.loc[mid, "reason"]
        # A move the like-for-like tests do not bear out says so first (review 18, R18-1).
        reason = reason.split(", so not progress: ", 1)[-1]
        if reason.startswith("was "):
            # What rated it at the meeting, when the evidence did, comes first (review 17,
            # R17-3); today's figures close it.
            assert reason.endswith(expected.removeprefix("no target; ")), reason
        else:
            assert reason == expected
        # Figures, not only the rating's name: "412 against 356", "76.9% against 85.0%".
        assert re.search(r"\d.* against .*\d", expected), expected
    page = html.unescape(format_since_last_meeting(result))
    assert all(reason in page for reason in changed["reason"])


def test_an_action_that_fell_due_since_the_last_meeting_is_flagged_now_overdue(
    dataset: Dataset, summaries: dict[str, StrategySummary]
) -> None:
    # Issue 26: an owner's "open" does not change when the date passes, so the section
    # showed no movement for an action that had fallen due before this meeting.
    columns = {"strategy_id": [STRATEGY] * 3, "agreed_at": ["2026-07"] * 3,
               "action": ["Due in October", "Overdue already", "Due next year"],
               "owner": ["Owner"] * 3}  # fmt: skip
    before = pd.DataFrame(
        {"action_id": ["a-oct", "a-aug", "a-jan"], "status": ["open", "open", "open"],
         "due_date": ["2026-10-15", "2026-08-31", "2027-01-31"], **columns}
    )  # fmt: skip
    today = replace(dataset, actions=before.assign(due_date=pd.to_datetime(before["due_date"])))
    then = summaries["2026-06"]
    record = _record("2026-09", "2026-06", tabulate_judgements([then], STRATEGY), actions=before)
    summary = summarise_strategy(today, STRATEGY, "2026-09")
    previous = PreviousMeeting("2026-09", "2026-06", record)
    result = compare_with_previous_meeting(today, summary, previous, slot="2026-11")
    overdue = result.changes[result.changes["change"] == "now overdue"]
    # Only the October action: August's was overdue at September's meeting already.
    assert overdue["item_id"].tolist() == ["a-oct"]
    row = overdue.iloc[0]
    assert (row["before"], row["after"]) == ("not yet due", "overdue (open)")
    assert row["reason"] == "due 15 October 2026, before this meeting, and not done"
    assert "Now overdue" in format_since_last_meeting(result)
    # Without the meeting, the day after the data period decides: October is not yet past.
    early = compare_with_previous_meeting(today, summary, previous)
    assert "now overdue" not in set(early.changes["change"])


def test_a_meeting_that_saw_several_strategies_gives_each_its_own_earlier_rating(
    dataset: Dataset, summaries: dict[str, StrategySummary]
) -> None:
    # Review finding: a record holding two strategy reports gave every strategy after the
    # first the first one's overall rating ("Amber was Amber" where the Board was told Red).
    other = next(s for s in dataset.strategies["strategy_id"].astype(str) if s != STRATEGY)
    first = tabulate_judgements([summarise_strategy(dataset, other, "2026-06")], other)
    mine = tabulate_judgements([summaries["2026-06"]], STRATEGY)
    today = summaries["2026-09"]
    told_first = "Grey" if today.overall_rag != "Grey" else "Red"
    told_mine = "Amber" if today.overall_rag != "Amber" else "Red"
    first.loc[first["measure_id"] == "overall", "rag"] = told_first
    mine.loc[mine["measure_id"] == "overall", "rag"] = told_mine
    record = _record("2026-09", "2026-06", pd.concat([first, mine], ignore_index=True))
    result = compare_with_previous_meeting(
        dataset, today, PreviousMeeting("2026-09", "2026-06", record)
    )
    overall = result.changes[result.changes["kind"] == "overall"]
    assert list(overall["before"]) == [told_mine], overall
    # Every measure is compared with its own strategy's rows, never another report's.
    assert set(result.measures["measure_id"]) == set(today.measures["measure_id"].astype(str))


def test_the_section_keeps_month_capitals_and_counts_each_kind_in_brackets(
    as_reported: tuple,  # type: ignore[type-arg]
) -> None:
    _, _, result = as_reported
    changes = result.changes.copy()
    extra = changes.iloc[[0]].assign(
        kind="action",
        change="due date changed",
        before="30 November 2026",
        after="31 January 2027",
    )
    page = format_since_last_meeting(replace(result, changes=pd.concat([changes, extra])))
    assert "30 November 2026" in page and "30 november" not in page
    assert "due date changed (2)" in page and "2 due date changed" not in page


def test_a_move_to_not_rated_is_no_longer_rated_never_no_longer_needs_attention(
    dataset: Dataset,
) -> None:
    # Review 3 #11: a measure that went Red to Grey because its chart has no stable
    # reference period read "No longer needs attention", as if the problem were solved.
    # Victims better able to cope and recover: Red in June 2026 on a real fall, Grey now.
    mid = "sv-coping-recovery"
    then = summarise_strategy(dataset, "supporting-victims", "2026-06")
    told = tabulate_judgements([then], "supporting-victims")
    assert told.set_index("measure_id").loc[mid, "assessment"] == "needs attention"
    record = _record("2026-09", "2026-06", told)
    summary = summarise_strategy(dataset, "supporting-victims", "2026-09")
    assert summary.measures.set_index("measure_id").loc[mid, "rag"] == "Grey"
    result = compare_with_previous_meeting(
        dataset, summary, PreviousMeeting("2026-09", "2026-06", record)
    )
    mine = result.changes[result.changes["item_id"] == mid]
    assert "out of needs attention" not in set(mine["change"])
    # One row, its ratings then and now (review 12, R12-4: it had been listed again as
    # "rating changed", Red to Grey).
    (row,) = mine.to_dict("records")
    assert (row["change"], row["before"], row["after"]) == ("no longer rated", "Red", "Grey")
    # What rated it then and what is true now, not the standing condition alone (review
    # 10, R10-7: its chart's reference period was no more stable when it was Red).
    assert row["reason"].startswith(
        "no longer rated: was Red (no target; 2026/27 Q1 85.7% against 91.3% in 2025/26 Q1, "
        "a real fall, the wrong way for this measure); now up 6.2 percentage points on the "
        "same quarter last year (89.6% "
        "against 83.4%)"
    ), row["reason"]
    words = result.measures.set_index("measure_id").loc[mid, "since_last_meeting"]
    assert "no longer rated" in words and "out of needs attention" not in words
    page = format_since_last_meeting(result)
    assert "No longer rated" in page and "No longer needs attention" not in page


def test_a_rolling_figure_compared_is_said_to_be_the_12_months_to_the_period_end(
    dataset: Dataset,
) -> None:
    # Review 14, R14-8: a survey's rolling figure was called "58.3% in the quarter to
    # September 2025"; it is the 12 months to September 2025, in every movement's words.
    strategy = "neighbourhood-policing"
    then = summarise_strategy(dataset, strategy, "2026-06")
    summary = summarise_strategy(dataset, strategy, "2026-09")
    told = tabulate_judgements([then], strategy)
    measures = summary.measures.set_index("measure_id")
    mid = "np-confidence"
    assert measures.loc[mid, "rag"] in ("Green", "Amber", "Red")
    other = "Green" if measures.loc[mid, "rag"] != "Green" else "Red"
    told.loc[told["measure_id"] == mid, "rag"] = other
    told.loc[told["measure_id"] == mid, "current"] = float(measures.loc[mid, "current"]) + 0.02
    result = compare_with_previous_meeting(
        dataset, summary, PreviousMeeting("2026-09", "2026-06", _record("2026-09", "2026-06", told))
    )
    mine = result.changes[result.changes["item_id"] == mid]
    reasons = " ".join(mine["reason"])
    assert "the 12 months to June 2026" in reasons, reasons
    assert "quarter to June 2026" not in reasons
    # A figure for a quarter keeps its quarter.
    assert describe_period_compared("2026-06", measures.loc["np-officers"].to_dict()) == (
        "the quarter to June 2026"
    )
    assert describe_period_compared("2026-06") == "the quarter to June 2026"


def test_a_changed_rating_on_the_evidence_says_what_rated_it_before(
    dataset: Dataset, summaries: dict[str, StrategySummary]
) -> None:
    # Review 17, R17-3 (b): a rating changed on the evidence gave only today's evidence,
    # never what made it Red at the meeting. Farm machinery thefts: Red in June on a real
    # rise on the quarter; Amber now, as the two latest quarters together are still up on
    # a year earlier (202 against 153), though the latest alone is within chance: no longer
    # Green on its earlier fall since the plan's baseline year (review 20, R20-1).
    from pcplib.assessment.board_changes import describe_change_reasons

    told = tabulate_judgements([summaries["2026-06"]], STRATEGY)
    record = _record("2026-09", "2026-06", told)
    summary = summaries["2026-09"]
    result = compare_with_previous_meeting(
        dataset, summary, PreviousMeeting("2026-09", "2026-06", record)
    )
    changes = result.changes
    mid = "rural-machinery-theft"
    moved = changes[(changes["item_id"] == mid) & (changes["change"] == "rating changed")]
    (row,) = moved.to_dict("records")
    assert (row["before"], row["after"]) == ("Red", "Amber")
    why = (
        "was Red (no target; 2026/27 Q1 103 against 69 in 2025/26 Q1, a real rise); now "
        "April to September 2026 202 against 153 in April to September 2025, a rise lasting "
        "two quarters, possibly more than chance (2026/27 Q2 99 against 84)"
    )
    # The latest quarter is named: "a possible rise, not yet conclusive" beside the real
    # rise that made it Red read as easing, though Q2 rose again (review 22, R22-4).
    assert row["reason"].startswith(why)
    assert not ((changes["item_id"] == mid) & (changes["change"] == "out of needs attention")).any()
    # The Delivery Board's Why reads the same words.
    reasons, _ = describe_change_reasons(summary, result, False)
    assert why in reasons[mid]
