"""Claims of change in the owners' narrative, weighed by the report's own test (review 7, F11).

"Special constables rose from 80 in 2026/27 Q1 to 84 in 2026/27 Q2" is true to the
figures, but the report's test calls the change noise: the Board's report says so beside
the sentence. The rule is conservative: it notes only a claim that names its measure,
with two figures the data set agrees with, over two periods of one kind.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from pcplib.assessment.change_claims import (
    CHANGE_CLAIM_COLUMNS,
    check_change_claims,
    describe_change_evidence,
    describe_flagged_success,
    describe_overlapping_change,
)
from pcplib.assessment.evidence import Evidence
from pcplib.data import Dataset
from pcplib.report.narrative import format_narrative

Q2 = "2026/27 Q2"


def with_specials_tested(dataset: Dataset) -> Dataset:
    """The data set with special constables left to the tests of change, as a catalogue
    that does not mark them counted in full would leave them (the sample marks them)."""
    measures = dataset.measures.copy()
    measures.loc[measures["measure_id"] == "wf-specials", "administrative"] = "no"
    return dataclasses.replace(dataset, measures=measures)


def with_entry(dataset: Dataset, strategy_id: str, text: str, measures: str = "") -> Dataset:
    """The data set with one narrative entry added for the strategy's 2026/27 Q2."""
    entry = {"strategy_id": strategy_id, "quarter": Q2, "section": "successes", "text": text,
             "measures": measures}  # fmt: skip
    narrative = pd.concat([dataset.narrative, pd.DataFrame([entry])], ignore_index=True)
    return dataclasses.replace(dataset, narrative=narrative)


def test_the_samples_claims_of_change_that_the_test_calls_noise(sample: Dataset) -> None:
    found = check_change_claims(sample, quarter=Q2)
    assert list(found.columns) == CHANGE_CLAIM_COLUMNS
    by_measure = found.set_index("measure_id")
    # The review's examples: public confidence (55.6% to 55.8%, on a survey with a margin
    # of several points), ineffective trials (26.2% to 20.7%) and coping and recovery
    # (85.7% to 89.6%).
    for measure in ("np-confidence", "cj-ineffective-trials", "sv-coping-recovery"):
        assert measure in by_measure.index, measure
    # Specials (80 to 84), had the catalogue left them to be tested as a sample.
    by_measure = check_change_claims(with_specials_tested(sample), quarter=Q2)
    by_measure = by_measure.set_index("measure_id")
    assert by_measure.loc["wf-specials", "note"] == (
        'Within the usual ups and downs: "rose from 80 in 2026/27 Q1 to 84 in 2026/27 Q2" is '
        "not a real change by the report's own test (level z-test, p = 0.476)."
    )
    assert by_measure.loc["cj-ineffective-trials", "said"] == (
        "fell from 26.2% in 2026/27 Q1 to 20.7% in 2026/27 Q2"
    )


def test_a_headcount_counted_in_full_is_not_called_noise(sample: Dataset) -> None:
    # Review 17, R17-9: "Special constables rose from 80 in 2026/27 Q1 to 84 in 2026/27
    # Q2" is an exact count of constables in post; the Board was told it was "not a real
    # change" by a level z-test, while officers in post were counted in full.
    found = check_change_claims(sample, quarter=Q2)
    assert "wf-specials" not in set(found["measure_id"])
    for audience in ("board", "public"):
        told = format_narrative(sample, "workforce", Q2, audience=audience)
        assert "Special constables rose from 80 in 2026/27 Q1 to 84 in 2026/27 Q2." in told
        assert "to 84 in 2026/27 Q2&quot; is not a real change" not in told


def test_a_real_change_is_not_noted(sample: Dataset) -> None:
    # Shoplifting 1,139 in 2022/23 Q1 to 1,783 in 2026/27 Q1: a real rise, left alone.
    found = check_change_claims(sample, "business-crime", "2026/27 Q1")
    assert found.empty, list(found["note"])


@pytest.mark.parametrize(
    "text",
    [
        # No measure named: which figure is meant is not certain.
        "It rose from 80 in 2026/27 Q1 to 84 in 2026/27 Q2.",
        # A wrong figure (2026/27 Q1 was 80) is the number check's to flag, not this one's.
        "Special constables rose from 70 in 2026/27 Q1 to 84 in 2026/27 Q2.",
        # Periods of two kinds, or the wrong way round.
        "Special constables rose from 80 in 2026/27 Q1 to 84 in 2026/27.",
        "Special constables rose from 84 in 2026/27 Q2 to 80 in 2026/27 Q1.",
        # No claim of change: two figures, no "from ... to".
        "Special constables were 80 in 2026/27 Q1 and 84 in 2026/27 Q2.",
    ],
)
def test_only_a_claim_it_can_read_for_certain_is_noted(sample: Dataset, text: str) -> None:
    data = with_entry(sample, "workforce", text)
    found = check_change_claims(data, "workforce", Q2)
    assert text not in set(found["sentence"]), text


def test_the_entrys_own_measures_must_include_the_measure(sample: Dataset) -> None:
    text = "Our special constables rose from 80 in 2026/27 Q1 to 84 in 2026/27 Q2."
    named = with_entry(with_specials_tested(sample), "workforce", text, measures="wf-specials")
    assert text in set(check_change_claims(named, "workforce", Q2)["sentence"])
    other = with_entry(sample, "workforce", text, measures="wf-officer-sickness")
    assert text not in set(check_change_claims(other, "workforce", Q2)["sentence"])


@pytest.mark.parametrize("audience", ["board", "public"])
def test_every_audience_reads_the_note_beside_the_sentence(sample: Dataset, audience: str) -> None:
    # Review 9, R9-6: the public read "rose from 55.6% ... to 55.8%" with the Board's
    # note stripped; one figure gets one reading in every audience's report.
    noted = format_narrative(with_specials_tested(sample), "workforce", Q2, audience=audience)
    assert (
        "Special constables rose from 80 in 2026/27 Q1 to 84 in 2026/27 Q2.<br>"
        '<span class="small change-claim"><strong>Note:</strong> Within the usual ups and '
        "downs: &quot;rose from 80 in 2026/27 Q1 to 84 in 2026/27 Q2&quot; is not a real "
        "change by the report&#x27;s own test" in noted
    )
    confidence = format_narrative(sample, "neighbourhood-policing", Q2, audience=audience)
    assert (
        "&quot;rose from 55.6% in 2026/27 Q1 to 55.8% in 2026/27 Q2&quot; compares two "
        "12-month figures that share 9 of their months" in confidence
    )


def test_a_public_report_notes_no_claim_about_a_restricted_measure(sample: Dataset) -> None:
    # The note prints a test of the measure's figures: for a restricted measure that is
    # the Board's alone, though the sentence (naming it only in part) is printed.
    text = "Our specials rose from 80 in 2026/27 Q1 to 84 in 2026/27 Q2."
    data = with_entry(with_specials_tested(sample), "workforce", text)
    board = format_narrative(data, "workforce", Q2, audience="public")
    assert f"{text}<br>" in board  # noted while the measure is public
    measures = data.measures.copy()
    measures.loc[measures["measure_id"] == "wf-specials", "visibility"] = "restricted"
    hidden = dataclasses.replace(data, measures=measures)
    page = format_narrative(hidden, "workforce", Q2, audience="public")
    assert f"<li>{text}</li>" in page


def test_the_note_says_what_the_test_found() -> None:
    said = "rose from 5 in 2025/26 Q1 to 9 in 2026/27 Q1"
    few = describe_change_evidence(said, Evidence("small numbers", "exact Poisson", 0.42))
    assert few.startswith("Too few to tell:") and "too few events" in few
    small = describe_change_evidence(said, Evidence("below materiality", "Laney proportions", 0.03))
    assert small.startswith("Too small to count:")
    # Below materiality and within noise too: the plainer of the two.
    both = describe_change_evidence(said, Evidence("below materiality", "Laney proportions", 0.95))
    assert both.startswith("Within the usual ups and downs:")


def test_a_success_told_of_a_measure_rated_red_is_noted_for_every_audience(sample: Dataset) -> None:
    # Review 7, F11: "Body-worn video was recorded in 90.8% of searches in September",
    # under Successes, of a measure rated Red for a real deterioration.
    from pcplib import assessment

    quarter = "2026/27 Q2"
    summary = assessment.summarise_strategy(sample, "scrutiny-and-legitimacy", "2026-09", "board")
    board = format_narrative(sample, "scrutiny-and-legitimacy", quarter, verdicts=summary.measures)
    assert (
        "Body-worn video was recorded in 90.8% of searches in September.<br>"
        '<span class="small change-claim"><strong>Note:</strong> Stop and searches recorded '
        "on body-worn video is rated Red this quarter (see the measures table): this "
        "success is not the whole picture.</span>" in board
    )
    # The public report's verdicts are its public measures': the note is theirs too.
    verdicts = assessment.summarise_strategy(
        sample, "scrutiny-and-legitimacy", "2026-09", "public"
    ).measures
    public = format_narrative(
        sample, "scrutiny-and-legitimacy", quarter, "public", verdicts=verdicts
    )
    assert "is rated Red this quarter (see the measures table)" in public
    # Only an entry that lists its measure, under Successes, of a measure rated Red.
    assert describe_flagged_success("challenges", "sl-body-worn-video", summary.measures) == ""
    assert describe_flagged_success("successes", "", summary.measures) == ""
    assert describe_flagged_success("successes", "sl-body-worn-video", None) == ""


def test_a_success_told_of_a_measure_rated_amber_is_noted_too() -> None:
    # "Neighbourhood crime met the 1,150 target in one of the three months" of a measure
    # counted as missing its target (Amber) reads as the target met (review 10, R10-10);
    # a Green measure's success needs no note.
    verdicts = pd.DataFrame(
        {
            "measure_id": ["nc-neighbourhood", "nc-total"],
            "measure_name": ["Neighbourhood crime offences", "Total recorded crime"],
            "rag": ["Amber", "Green"],
        }
    )
    note = describe_flagged_success("successes", "nc-neighbourhood;nc-total", verdicts)
    assert note == (
        "Neighbourhood crime offences is rated Amber this quarter (see the measures table): "
        "this success is not the whole picture."
    )
    assert describe_flagged_success("successes", "nc-total", verdicts) == ""


def test_two_overlapping_rolling_figures_are_not_tested_as_independent(sample: Dataset) -> None:
    # Review 14, R14-8: "rose from 55.6% in 2026/27 Q1 to 55.8% in 2026/27 Q2" (each the
    # last 12 months) and sickness "9.5 days in June 2026 to 9.7 days in September 2026"
    # were given a test of change ("Laney proportions, p = 0.952"), though the two figures
    # share 9 of their 12 months.
    found = check_change_claims(with_specials_tested(sample), quarter=Q2)
    found = found.set_index("measure_id")
    for measure, said in (
        ("np-confidence", "rose from 55.6% in 2026/27 Q1 to 55.8% in 2026/27 Q2"),
        ("wf-officer-sickness", "rose from 9.5 days in June 2026 to 9.7 days in September 2026"),
    ):
        row = found.loc[measure]
        assert row["verdict"] == "overlapping" and row["test"] == "", measure
        assert pd.isna(row["p_value"]), measure
        assert row["note"] == describe_overlapping_change(said, 9)
        assert "p = " not in row["note"] and "share 9 of their months" in row["note"]
    # Specials are a count of the quarter, not a rolling figure: still tested.
    assert found.loc["wf-specials", "test"] == "level z-test"


def test_two_rolling_figures_a_year_apart_share_no_months_and_are_tested(sample: Dataset) -> None:
    text = (
        "Public confidence in local policing fell from 58.3% in 2025/26 Q2 to 55.8% in 2026/27 Q2."
    )
    data = with_entry(sample, "neighbourhood-policing", text, measures="np-confidence")
    found = check_change_claims(data, "neighbourhood-policing", Q2)
    row = found.set_index("sentence").loc[text]
    # Twelve months apart the two 12-month figures share none, so the test applies.
    assert row["verdict"] == "within noise" and row["test"] == "Laney proportions"
    assert "p = " in row["note"]
