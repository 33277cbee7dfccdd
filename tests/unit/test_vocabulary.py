"""One name per reference period and three grades of evidence (review 1: A1, A8, A12)."""

from __future__ import annotations

import pytest

from pcplib.assessment.evidence import EVIDENCE
from pcplib.assessment.vocabulary import (
    EVIDENCE_GRADES,
    NO_EVIDENCE,
    describe_baseline_window,
    describe_change_words,
    describe_disagreement,
    describe_disagreement_tail,
    grade_evidence,
    judge_with_grade,
    name_baseline_year,
    name_chart_period,
)


def test_every_evidence_verdict_has_one_of_three_grades() -> None:
    for verdict in EVIDENCE:
        grade = grade_evidence(verdict)
        assert grade in (*EVIDENCE_GRADES, ""), verdict
    assert grade_evidence("beyond chance") == "real change"
    # p = 0.05 to 0.10 is the RAG rule's "possible", never "no real change" (review A12).
    assert grade_evidence("possible change") == "possible change"
    assert grade_evidence("within noise") == NO_EVIDENCE
    assert grade_evidence("not tested") == ""


@pytest.mark.parametrize(
    ("judgement", "grade", "shown"),
    [
        ("improved", "real change", "improved"),
        ("deteriorated", "possible change", "possibly deteriorated"),
        ("improved", "possible change", "possibly improved"),
        ("no good direction", "possible change", "possible change"),
        ("deteriorated", NO_EVIDENCE, NO_EVIDENCE),
        ("no change", NO_EVIDENCE, "no change"),
        ("not measurable", "real change", "not measurable"),
    ],
)
def test_a_judgement_says_only_what_its_evidence_allows(judgement, grade, shown) -> None:
    assert judge_with_grade(judgement, grade) == shown


def test_each_period_has_one_name() -> None:
    assert name_baseline_year({"baseline_year": " 2024/25 "}) == (
        "the plan's baseline year (2024/25)"
    )
    assert name_baseline_year({"baseline_year": None}) == ""
    assert name_chart_period("2023-08", "2025-03") == (
        "the chart's reference period (August 2023 to March 2025)"
    )
    assert name_chart_period("", "") == "the chart's first points"
    words = "the plan's baseline year (2024/25)"
    assert describe_baseline_window("2024/25", words, "sum") == words
    # A stock's baseline is the figure at the end of the baseline year (review B6).
    assert describe_baseline_window("March 2025 (2024/25)", words, "last") == (
        "March 2025, the end of the plan's baseline year (2024/25)"
    )
    assert describe_baseline_window("2024/25 (11 of 12 months)", words, "mean") == (
        "the plan's baseline year (2024/25) (11 of 12 months)"
    )
    assert describe_baseline_window("2024/25: no data", words, "sum") == "2024/25: no data"


def _row(**overrides: object) -> dict:
    row = {
        "baseline_year_words": "the plan's baseline year (2024/25)",
        "since_baseline_judgement": NO_EVIDENCE,
        "spc_status": "assessed",
        "spc_variation": "special_cause_improvement",
        "spc_limits_from": "2020-04",
        "spc_limits_to": "2025-03",
    }
    row.update(overrides)
    return row


def test_a_signal_the_baseline_year_does_not_show_is_said_in_one_sentence() -> None:
    # Review A1: "better than its baseline (April 2020 to March 2025) by more than chance"
    # beside "since the baseline: no real change" on one row.
    assert describe_disagreement(_row()) == (
        "The chart shows a signal of improvement against the chart's reference period "
        "(April 2020 to March 2025), though the latest 12 months show no evidence of change "
        "from the plan's baseline year (2024/25)."
    )
    # A signal of concern beside a possible improvement on the year (review A8).
    assert describe_disagreement_tail(
        _row(spc_variation="special_cause_concern", since_baseline_judgement="possibly improved")
    ) == (
        "though the latest 12 months are possibly better than the plan's baseline year "
        "(2024/25) (not yet conclusive)"
    )
    # The same way but only possibly on the year: said, as "only possibly".
    assert "only possibly better" in describe_disagreement_tail(
        _row(since_baseline_judgement="possibly improved")
    )
    # A real change on the year with no signal on the chart.
    assert describe_disagreement(
        _row(spc_variation="common_cause", since_baseline_judgement="deteriorated")
    ) == (
        "The chart shows no signal against the chart's reference period (April 2020 to March "
        "2025), though the latest 12 months are worse than the plan's baseline year (2024/25) "
        "by more than chance."
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"since_baseline_judgement": "improved"},  # they agree
        {"spc_variation": "common_cause"},  # no signal, no change
        {"spc_status": "unstable baseline"},  # no SPC verdict
        {"baseline_year_words": ""},  # no baseline year
        {"since_baseline_judgement": "not measurable"},
    ],
)
def test_no_sentence_when_they_agree_or_one_is_missing(overrides) -> None:
    assert describe_disagreement(_row(**overrides)) == ""


@pytest.mark.parametrize(
    ("judgement", "direction", "verdict", "expected"),
    [
        ("no good direction", "up", "beyond chance", "a rise beyond chance, no good direction"),
        ("no good direction", "down", "beyond chance", "a fall beyond chance, no good direction"),
        ("possible change", "up", "possible change", "possibly a rise, no good direction"),
        (NO_EVIDENCE, "up", "within noise", "no evidence of change, no good direction"),
        (NO_EVIDENCE, "down", "small numbers", "no evidence of change, no good direction"),
        ("no good direction", "up", "not tested", "a rise (not tested), no good direction"),
    ],
)
def test_a_measure_with_no_good_direction_shows_the_grade_of_its_evidence(
    judgement, direction, verdict, expected
):
    assert describe_change_words(judgement, direction, verdict, "neutral") == expected


def test_change_words_of_a_measure_with_a_good_direction_are_its_judgement():
    assert describe_change_words("improved", "up", "beyond chance", "higher") == "improved"
    assert describe_change_words(NO_EVIDENCE, "up", "within noise", "lower") == NO_EVIDENCE
    # No movement: nothing to grade, whatever the direction.
    assert describe_change_words("no change", "no change", "no change", "neutral") == "no change"


def test_each_measure_carries_its_change_words_for_the_longer_view(sample):
    from pcplib.assessment import summarise_measures

    df = summarise_measures(sample, "vawg", "2026-09", with_spc=False).set_index("measure_id")
    neutral = df[df["good_direction"] == "neutral"]
    assert not neutral.empty
    for measure_id, r in neutral.iterrows():
        assert r["since_baseline_words"] == describe_change_words(
            r["since_baseline_judgement"], r["since_baseline_direction"],
            r["since_baseline_evidence"], "neutral",
        ), measure_id  # fmt: skip
        assert r["since_baseline_words"] != "no good direction"
    rated = df[df["good_direction"] != "neutral"]
    assert (rated["since_baseline_words"] == rated["since_baseline_judgement"]).all()
