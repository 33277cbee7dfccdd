"""One verdict per measure, told with its period everywhere (issue 26, review 3).

Review 3 read the same measure in different reports and found stories that do not fit
together: thefts of farm machinery "no clear change" in public but "possibly improved"
in ``judgements.csv``; homicides "Steady" in public on small numbers; public complaints'
quarter given without its year; anti-social behaviour turned Grey with "not enough
evidence either way", when only its chart's reference period stopped being stable.
Each test builds the row (or series) that tripped the finding and checks the one rule
that now decides it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pcplib.assessment.continuity import _measure_movements
from pcplib.assessment.evidence import weigh_change
from pcplib.assessment.exceptions import describe_rating_plainly
from pcplib.assessment.figures import Window

# --- The Board's "Why" for a measure not rated for want of a stable chart ------------------

NO_CHART = {
    "rag": "Grey",
    "rag_basis": "none",
    "rag_reason": "no SPC verdict: tests only (its baseline, August 2023 to March 2025, is "
    "not stable; no target, and the tests of change show no real improvement on a test of "
    "counts or proportions that the year ending bears out, which alone is not enough to "
    "rate)",
    "rag_rule": "tests_only",
    "spc_status": "unstable baseline",
    "has_data": True,
    "good_direction": "lower",
    "current": 6034.0,
    "unit": "count",
}


def test_a_measure_without_a_stable_chart_says_so_not_not_enough_evidence() -> None:
    why = describe_rating_plainly(NO_CHART)
    assert "not enough evidence either way" not in why
    assert why.startswith("not rated:")
    assert "reference period is not stable" in why


@pytest.mark.parametrize(
    ("status", "words"),
    [("too few points", "too few figures"), ("rolling figure", "rolling 12-month")],
)
def test_each_reason_for_no_chart_is_named(status: str, words: str) -> None:
    assert words in describe_rating_plainly(NO_CHART | {"spc_status": status})


def test_a_grey_for_open_outcomes_keeps_its_own_reason() -> None:
    row = NO_CHART | {"rag_reason": "short of its target, but the period's latest outcomes "
                      "are still open (provisional): not rated until they settle",
                      "rag_rule": "outcomes_open"}  # fmt: skip
    assert "reference period" not in describe_rating_plainly(row)


def test_a_measure_that_lost_its_rating_to_the_method_says_no_longer_rated() -> None:
    why = describe_rating_plainly(NO_CHART, previous_rag="Green")
    assert why.startswith("no longer rated:")
    assert "no longer stable" in why and "not a change in performance" in why


def _now(**extra: Any) -> dict[str, Any]:
    return {"measure_id": "m", "measure_name": "Anti-social behaviour incidents",
            "assessment": "not assessed", "sentence": "Down 2.3% on a year ago.",
            **NO_CHART, **extra}  # fmt: skip


def test_since_the_last_meeting_says_why_green_became_grey() -> None:
    # Review 3 #7: Green at the last meeting, Grey now, and the only change is the method.
    before = {"rag": "Green", "rag_basis": "evidence", "assessment": "stable",
              "spc_status": "assessed"}  # fmt: skip
    rows, words = _measure_movements(_now(), before, "count")
    # One row, "no longer rated", never also "rating changed" (review 12, R12-4).
    (rated,) = rows
    assert rated["change"] == "no longer rated"
    assert (rated["before"], rated["after"]) == ("Green", "Grey")
    assert rated["reason"].startswith("no longer rated: was Green (")
    assert "reference period is no longer stable" in rated["reason"]
    assert "not enough evidence either way" not in rated["reason"]


def test_a_red_that_lost_its_chart_is_no_longer_rated_not_no_longer_needing_attention() -> None:
    # Review 3 #11: farm machinery thefts up 17.9% were listed as "no longer needs
    # attention" when only the chart's reference period stopped being stable.
    before = {"rag": "Red", "rag_basis": "evidence", "assessment": "needs attention",
              "spc_status": "assessed"}  # fmt: skip
    rows, words = _measure_movements(_now(), before, "count")
    changes = [r["change"] for r in rows]
    assert "out of needs attention" not in changes
    assert "no longer rated" in changes
    (lost,) = rows
    assert lost["change"] == "no longer rated" and lost["before"] == "Red"
    assert "no longer stable" in lost["reason"]
    assert "no longer rated" in words


def test_a_real_way_out_of_needs_attention_is_still_told_so() -> None:
    before = {"rag": "Red", "rag_basis": "evidence", "assessment": "needs attention"}
    now = _now(rag="Green", rag_basis="evidence", assessment="stable", spc_status="assessed")
    rows, _ = _measure_movements(now, before, "count")
    assert "out of needs attention" in [r["change"] for r in rows]


def test_the_section_labels_a_lost_rating_plainly() -> None:
    from pcplib.report.continuity import _CHANGE_WORDS

    assert _CHANGE_WORDS["no longer rated"].startswith("No longer rated")


# --- Small numbers are small even when the two counts are equal ------------------------------


def _window(value: float, first: int, present: int = 3) -> Window:
    return Window("", first, first + present - 1, value, present, present)


def test_equal_small_counts_are_small_numbers() -> None:
    # Review 3 #9: homicides 5 against 5 were "no change", never named small numbers, and
    # the public page called them "Steady".
    history = pd.DataFrame({"value": [1.0, 2.0, 1.0, 3.0, 2.0, 1.0] * 4})
    measure = {"unit": "count", "aggregation": "sum"}
    evidence = weigh_change(_window(5.0, 0), _window(5.0, 12), history, measure)
    assert evidence.verdict == "no change"
    assert evidence.small_numbers


def test_equal_large_counts_are_not_small_numbers() -> None:
    history = pd.DataFrame({"value": [100.0, 120.0, 110.0] * 8})
    measure = {"unit": "count", "aggregation": "sum"}
    evidence = weigh_change(_window(300.0, 0), _window(300.0, 12), history, measure)
    assert evidence.verdict == "no change" and not evidence.small_numbers


def test_the_sentence_names_equal_small_counts_as_small_numbers() -> None:
    from pcplib.assessment.sentences import write_measure_sentence

    row = {"unit": "count", "comparison_basis": "same quarter last year", "current": 5.0,
           "comparison_value": 5.0, "change": "0.0%", "direction": "no change",
           "small_numbers": True, "spc_status": "not assessed", "rag": "Green",
           "rag_basis": "evidence", "target_for_period": None, "good_direction": "lower",
           "rag_capped": False, "target_date": ""}  # fmt: skip
    sentence = write_measure_sentence(row)
    assert sentence.startswith("Unchanged on the same quarter last year (5 against 5), small")
    assert "too few to tell a change from chance" in sentence


# --- The public page: one verdict per measure, each comparison with its period ---------------

FARM = {
    "measure_name": "Thefts of farm machinery, plant and quad bikes", "unit": "count",
    "rate_per": "", "rate_per_year": "", "current": 99.0, "last_year": 84.0,
    "change": "+17.9%", "change_value": 17.86, "direction": "up",
    "judgement": "no evidence of change", "year_ending": 357.0, "previous_year": 348.0,
    "baseline": 442.0, "year_ending_label": "12 months to September 2026",
    "previous_year_label": "12 months to September 2025",
    "baseline_words": "the plan's baseline year (2024/25)", "aggregation": "sum",
    "year_ending_judgement": "no evidence of change",
    "since_baseline_judgement": "possibly improved", "assessment": "not assessed",
    "rag": "Grey", "rag_basis": "none", "rag_reason": NO_CHART["rag_reason"],
    "rag_rule": "tests_only", "rag_capped": False, "spc_status": "unstable baseline",
    "spc_variation": None,
    "chart_period_words": "", "worsening": "none", "good_direction": "lower",
    "target_for_period": None, "target_date": "", "margin_of_error": None,
    "small_numbers": False,
}  # fmt: skip
"""Review 3 #6: not rated, up on the quarter within noise, possibly lower than the plan's
baseline year (p below 0.10), and no stable chart."""

COMPLAINTS = FARM | {
    "measure_name": "Public complaints recorded", "current": 416.0, "last_year": 326.0,
    "change": "+27.6%", "judgement": "deteriorated", "year_ending": 1397.0,
    "previous_year": 1344.0, "baseline": 1284.0,
    "since_baseline_judgement": "no evidence of change", "assessment": "needs attention",
    "rag": "Red", "rag_basis": "evidence", "rag_reason": "harm rule: rose beyond chance",
    "spc_status": "assessed", "spc_variation": "special_cause_concern",
    "chart_period_words": "the chart's reference period (August 2023 to March 2025)",
    "worsening": "real",
}  # fmt: skip
"""Review 3 #8: a real worsening on the quarter, no evidence over the 12 months."""

HOMICIDES = FARM | {
    "measure_name": "Homicides", "current": 5.0, "last_year": 5.0, "change": "0.0%",
    "change_value": 0.0, "direction": "no change", "judgement": "no change",
    "year_ending": 15.0, "previous_year": 18.0, "baseline": 10.0,
    "since_baseline_judgement": "no evidence of change", "assessment": "stable",
    "rag": "Green", "rag_basis": "evidence", "spc_status": "assessed",
    "spc_variation": "common_cause", "small_numbers": True,
}  # fmt: skip
"""Review 3 #9: 5 against 5, small numbers, called "Steady"."""

ASB = FARM | {
    "measure_name": "Anti-social behaviour incidents", "current": 6034.0,
    "last_year": 6175.0, "change": "-2.3%", "direction": "down", "year_ending": 21675.0,
    "previous_year": 22142.0, "baseline": 23401.0,
    "since_baseline_judgement": "no evidence of change",
}  # fmt: skip
"""Review 3 #7: not rated, and no comparison shows a change."""


def test_a_measure_not_rated_for_want_of_a_chart_never_says_no_clear_change() -> None:
    from pcplib.assessment.public import write_public_sentence

    sentence = write_public_sentence(FARM)
    assert "no clear change" not in sentence
    # The baseline-year evidence that exists, with both periods named.
    assert "357 in the 12 months to September 2026 against 442 in the plan's baseline " \
        "year (2024/25): possibly better" in sentence  # fmt: skip
    # Why it is not rated: the chart, not the absence of change.
    assert "Not rated" in sentence and "too unsteady to set a normal range" in sentence
    # The chart's range is never "the usual ups and downs", the tests' words (R17-10).
    assert sentence.count("usual ups and downs") <= 1


def test_a_not_rated_measure_with_evidence_is_told_in_its_own_sentence() -> None:
    from pcplib.assessment.public import is_told_by_name_only

    assert not is_told_by_name_only(FARM)
    assert is_told_by_name_only(ASB)


@pytest.mark.parametrize(
    ("status", "words"),
    [("unstable baseline", "too unsteady"), ("too few points", "too few figures"),
     ("rolling figure", "12-month"), ("year-to-date figure", "builds up")],
)  # fmt: skip
def test_the_public_reason_for_not_rating_names_the_method(status: str, words: str) -> None:
    from pcplib.assessment.public_unrated import describe_public_not_rated

    reason = describe_public_not_rated(ASB | {"spc_status": status})
    assert words in reason and "normal range" in reason
    assert "ups and downs" not in reason  # the tests of change's words (review 17, R17-10)


def test_small_numbers_are_never_steady() -> None:
    from pcplib.assessment.public import group_for_public, write_public_sentence

    assert group_for_public(HOMICIDES) == "too few to tell"
    sentence = write_public_sentence(HOMICIDES)
    assert sentence.startswith("5 in the quarter, the same as a year ago.")
    assert "too few to tell a change from chance" in sentence
    assert "15 in the 12 months to September 2026 against 10 in the plan's baseline " \
        "year (2024/25)" in sentence  # fmt: skip
    assert "usual ups and downs" not in sentence
    # Without small numbers, the same row is steady.
    assert group_for_public(HOMICIDES | {"small_numbers": False}) == "steady"


def test_a_real_change_on_the_quarter_also_gives_the_year_against_the_baseline_year() -> None:
    from pcplib.assessment.public import write_public_sentence

    sentence = write_public_sentence(COMPLAINTS)
    assert "A real worsening on a year ago." in sentence
    assert "1,397 in the 12 months to September 2026 against 1,284 in the plan's " \
        "baseline year (2024/25): no clear change." in sentence  # fmt: skip


def test_a_steady_measure_with_a_possible_change_since_the_baseline_says_so() -> None:
    from pcplib.assessment.public import is_told_by_name_only, write_public_sentence

    row = HOMICIDES | {"small_numbers": False, "since_baseline_judgement": "possibly deteriorated",
                       "year_ending": 150.0, "baseline": 100.0}  # fmt: skip
    assert not is_told_by_name_only(row)
    assert "possibly worse" in write_public_sentence(row)


def test_the_year_words_name_their_periods() -> None:
    from pcplib.assessment.public import write_public_sentence

    row = COMPLAINTS | {"judgement": "no evidence of change",
                        "year_ending_judgement": "deteriorated"}  # fmt: skip
    sentence = write_public_sentence(row)
    assert "in the 12 months to September 2026 against 1,344 in the 12 months to " \
        "September 2025" in sentence  # fmt: skip
    assert "last 12 months" not in sentence


def test_an_improvement_since_the_baseline_year_is_improving() -> None:
    # nc-burglary-rate: rated Green on a real fall since the plan's baseline year, but
    # told "steady: no change beyond the usual ups and downs" in public.
    from pcplib.assessment.sentences import assess_measure

    row = {"current": 0.497, "good_direction": "lower", "rag": "Green",
           "rag_basis": "evidence", "spc_variation": None, "worsening": "none",
           "judgement": "no evidence of change", "year_ending_judgement": "no evidence of change",
           "since_baseline_judgement": "improved", "direction": "down"}  # fmt: skip
    assert assess_measure(row) == "improving"


def test_a_rating_that_never_rested_on_a_chart_is_not_said_to_have_lost_it() -> None:
    # Green at the last meeting on a test of change alone (its chart gave no verdict then
    # either): Grey now is not "no longer stable".
    before = {"rag": "Green", "rag_basis": "evidence", "assessment": "improving",
              "spc_status": "unstable baseline"}  # fmt: skip
    rows, _ = _measure_movements(_now(), before, "count")
    (rated,) = rows
    assert rated["change"] == "no longer rated"
    assert "no longer stable" not in rated["reason"]
    # What rated it then, and what is true now: its figure's change and the rule that
    # leaves it unrated, not the standing condition alone (review 10, R10-7).
    assert rated["reason"] == (
        "no longer rated: was Green (no target, and no sign of it getting worse); now down "
        "2.3% on a year ago, and with no target and no stable chart it is rated only on a "
        "real change (an improvement only where the year ending bears it out)"
    )


# --- A rolling figure is a catalogue attribute, the words its fallback -----------------------


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ({"measure_name": "Sickness (rolling 12 months)"}, True),
        ({"measure_name": "Sickness", "rolling": "yes"}, True),
        # The catalogue says no: "rolling" in the source (a rolling road survey) is not
        # taken to mean a rolling 12-month figure.
        ({"measure_name": "Road condition", "source": "Rolling road survey", "rolling": "no"},
         False),
        ({"measure_name": "Sickness (rolling 12 months)", "rolling": "auto"}, True),
        ({"measure_name": "Sickness", "rolling": ""}, False),
        ({"measure_name": "Sickness", "rolling": float("nan")}, False),
    ],
)  # fmt: skip
def test_the_catalogue_says_whether_a_figure_is_rolling(measure, expected) -> None:
    from pcplib.assessment.spc_verdict import is_rolling

    assert is_rolling(measure) is expected


def test_the_catalogue_refuses_an_unknown_rolling_value(tmp_path) -> None:
    import shutil
    from pathlib import Path

    from pcplib.data import load_dataset
    from pcplib.data.problems import DataValidationError

    data = Path(__file__).parents[2] / "data"
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    measures = copy / "framework" / "measures.csv"
    frame = pd.read_csv(measures, dtype=str, keep_default_na=False)
    frame["rolling"] = ""
    frame.loc[0, "rolling"] = "yes"
    frame.to_csv(measures, index=False)
    # A known value loads (the column is optional: other plans' catalogues lack it).
    assert load_dataset(copy).measures.loc[0, "rolling"] == "yes"
    frame.loc[0, "rolling"] = "sometimes"
    frame.to_csv(measures, index=False)
    with pytest.raises(DataValidationError, match="rolling"):
        load_dataset(copy)


def _energy(**extra: Any) -> dict[str, Any]:
    """estate-energy-kwh in 2026/27 Q2: Green on a dated target its baseline year met."""
    row = {"measure_name": "Energy used across the police estate (kWh)", "unit": "kwh",
           "current": 2526322.0, "last_year": 2743957.0, "change": "-7.9%",
           "change_value": -7.9, "direction": "down", "good_direction": "lower",
           "rag": "Green", "rag_basis": "trajectory", "rag_capped": False,
           "target_baseline_met": True, "target_for_period": 13800000.0,
           "target_date": "2029-03", "spc_variation": None, "spc_status": "unstable baseline",
           "worsening": "none", "judgement": "no evidence of change",
           "year_ending_judgement": "no evidence of change",
           "since_baseline_judgement": "no evidence of change", "small_numbers": False,
           "year_ending": 12028951.0, "previous_year": 12609721.0, "baseline": 13030526.0,
           "baseline_words": "the plan's baseline year (2024/25)"}  # fmt: skip
    return row | extra


def test_a_target_the_plan_started_inside_is_not_an_achievement() -> None:
    # Review 5, N7: energy was "achieved" on a target "that asks for no improvement".
    from pcplib.assessment.public import (
        group_for_public,
        is_told_by_name_only,
        write_public_sentence,
    )
    from pcplib.assessment.sentences import assess_measure

    row = _energy()
    row["assessment"] = assess_measure(row)
    assert row["assessment"] == "stable"
    assert group_for_public(row) == "steady"
    # Its honest sentence is kept: never listed by name only under "no change".
    assert not is_told_by_name_only(row)
    assert "the target asks for no improvement" in write_public_sentence(row)
    # A real improvement on top of it is still an achievement; a target missed since
    # still needs attention; a stretching target met is on track.
    assert assess_measure(_energy(year_ending_judgement="improved")) == "improving"
    assert assess_measure(_energy(rag="Amber")) == "needs attention"
    assert assess_measure(_energy(target_baseline_met=False)) == "on track"


def test_a_quarters_improvement_the_year_does_not_bear_out_is_not_improving() -> None:
    # Review 4, F16: coping "achieved" on one quarter (89.6% against a low 83.4%) while
    # the 12 months against the 12 months before and the baseline year show no change.
    from pcplib.assessment.sentences import assess_measure

    row = {"current": 89.6, "good_direction": "higher", "rag": "Green",
           "rag_basis": "target", "spc_variation": None, "worsening": "none",
           "judgement": "improved", "year_ending_judgement": "no evidence of change",
           "since_baseline_judgement": "no evidence of change", "direction": "up"}  # fmt: skip
    assert assess_measure(row) == "on track"
    # Borne out by either 12-month comparison (or untested there): improving.
    assert assess_measure(row | {"year_ending_judgement": "possibly improved"}) == "improving"
    assert assess_measure(row | {"year_ending_judgement": None,
                                 "since_baseline_judgement": None}) == "improving"  # fmt: skip
