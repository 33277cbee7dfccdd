"""When the evidence cannot vouch for Green, and an SPC concern the tests do not confirm.

Each series is built to trip one rule of :mod:`pcplib.assessment.harm` (review 7, F5, F6,
F9 and F15), and judged by :func:`pcplib.assessment.measures.summarise_measure` for the
quarter ending September 2026 (baseline year 2024/25), as every report judges it; the
words every report prints are then read off the one row.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from verdict_series import AT, CATALOGUE, MONTHS, QUARTERS, judge_series, observations

from pcplib.assessment import thresholds
from pcplib.assessment.evidence import judge_evidence
from pcplib.assessment.exceptions import describe_rating_plainly
from pcplib.assessment.harm import settle_rating
from pcplib.assessment.measures import summarise_measure
from pcplib.assessment.public import group_for_public, write_public_sentence
from pcplib.assessment.sentences import write_measure_sentence
from pcplib.assessment.strategy import roll_up_strategy
from pcplib.assessment.targets import TargetForPeriod, rate_measure
from pcplib.report.overview import format_rating_basis
from pcplib.report.words import describe_variation


def judge(values: Any, **measure: Any) -> dict[str, Any]:
    return judge_series(values, {**CATALOGUE, **measure})


# --- small numbers: Grey "too few to tell", with the counts (F5) ---------------------------


def homicides() -> list[float]:
    """About 3 a quarter, steady: 5 against 5 in the quarter judged."""
    values = [float(v) for v in np.random.default_rng(3).poisson(3, len(QUARTERS))]
    values[-1], values[-5] = 5.0, 5.0
    return values


def test_small_numbers_with_no_target_are_grey_too_few_to_tell_everywhere():
    row = judge(homicides(), frequency="quarterly", measure_name="Homicides")
    assert row["small_numbers"] and row["worsening"] == "none"
    assert (row["rag"], row["rag_rule"]) == ("Grey", "small_numbers")
    assert "5 against 5 on the same quarter a year earlier" in row["rag_reason"]
    assert f"expected count below {thresholds.SMALL_COUNT}" in row["rag_reason"]
    assert "too few events to tell a change from chance" in row["sentence"]
    assert "no real deterioration" not in row["sentence"]
    # The same verdict in every place a report words it.
    assert group_for_public(row) == "too few to tell"
    assert "small numbers" in write_public_sentence(row)
    assert describe_rating_plainly(row).startswith("too few to tell: small numbers (5 against 5")
    assert format_rating_basis(row).startswith("too few to tell")
    # Never carries its strategy: Grey is left out of the roll-up, and named.
    rating, explanation = roll_up_strategy(pd.DataFrame([row]))
    assert rating == "Grey" and "too few to tell" in explanation


def test_small_numbers_name_the_period_of_each_figure():
    # Issue 26, N6: homicides' 5 (the quarter) and 15 (the 12 months) were printed side by
    # side with no period named for the second, nor in the public sentence for the first.
    row = judge(homicides(), frequency="quarterly", measure_name="Homicides")
    reason = str(row["rag_reason"])
    assert "5 against 5 on the same quarter a year earlier" in reason
    assert " in the latest 12 months against " in reason
    assert "in the plan's baseline year" in reason
    sentence = write_public_sentence(row)
    assert sentence.startswith("5 in the quarter, the same as a year ago.")
    assert " in the 12 months to " in sentence
    # Every public figure's period, once above the missions: the quarter's, unless it says.
    from pcplib.report.public import format_reading_guide

    assert "a figure is the quarter's unless it says otherwise" in format_reading_guide()


def test_road_deaths_of_14_against_16_are_small_numbers():
    # Review 7, F5: 14 against 16 a quarter was Green and not flagged (the threshold was 10).
    values = [float(v) for v in np.random.default_rng(4).poisson(15, len(QUARTERS))]
    values[-1], values[-5] = 14.0, 16.0
    row = judge(values, frequency="quarterly", measure_name="Road deaths")
    assert thresholds.SMALL_COUNT == 20
    assert row["small_numbers"] and row["change"] == "-2"
    assert row["rag"] == "Grey" and row["rag_rule"] == "small_numbers"


def test_a_count_well_above_the_threshold_is_rated_as_before():
    values = [float(v) for v in np.random.default_rng(5).poisson(60, len(QUARTERS))]
    row = judge(values, frequency="quarterly")
    assert not row["small_numbers"]
    assert row["rag_rule"] not in ("small_numbers",)


def test_weak_evidence_on_small_numbers_is_a_possible_change_that_says_small_numbers():
    # Review 7, F5: the annual "possible rise" for homicides (21 against 10) must say small
    # numbers; weak evidence on an exact test is still weak evidence on a handful.
    evidence = judge_evidence("exact Poisson", 0.071, True, "materiality 2%", True)
    assert evidence.verdict == "possible change" and evidence.small_numbers
    assert "small numbers" in evidence.reason
    assert judge_evidence("exact Poisson", 0.2, True, "", True).verdict == "small numbers"


def test_a_small_count_that_rose_beyond_chance_is_still_red():
    # Never Grey for a real deterioration: the exact test holds on small counts.
    values = [0.0] * len(QUARTERS)
    values[-1] = 12.0
    row = judge(values, frequency="quarterly")
    assert row["rag"] == "Red" and row["rag_rule"] == "harm_test"


# --- no comparable baseline: a definition changed after the plan began (F15) ---------------


def test_a_measure_redefined_after_the_baseline_year_began_is_grey_with_its_limits():
    row = {**CATALOGUE, "definition_from": "2025-04-01"}
    values = np.random.default_rng(6).poisson(150, len(MONTHS)).astype(float)
    frame = observations(list(values), row)
    frame.loc[frame["period_start"] < pd.Timestamp("2025-04-01"), "definition"] = "previous"
    dataset = SimpleNamespace(observations=frame, primary_area="LLR")
    judged = summarise_measure(dataset, row, "2026-09", "mdc")  # type: ignore[arg-type]
    assert judged["baseline"] is None
    assert (judged["rag"], judged["rag_rule"]) == ("Grey", "no_comparable_baseline")
    assert "the definition changed in April 2025" in judged["rag_reason"]
    assert "progress since the plan began cannot be measured" in judged["rag_reason"]
    if judged["spc_limits_from"]:
        # The limits come from the plan's own period, and the reason says which.
        assert judged["spc_limits_from"] >= "2025-04"
        assert "its chart's limits come from the plan's own period" in judged["rag_reason"]
    assert "no comparable baseline" in judged["sentence"]
    # Review 9, R9-12: only the plan's baseline year is not comparable (a year ago is on
    # the new definition and is compared), and the change came in April 2025, the plan's
    # first day, not "after the plan began".
    assert describe_rating_plainly(judged).startswith(
        "not rated: counted a new way since April 2025, so it cannot be compared with the "
        "plan's baseline year (2024/25)"
    )
    from pcplib.assessment.public import write_public_sentence

    told = write_public_sentence({**judged, "measure_name": "Knives", "tier": "headline"})
    assert "no earlier figure" not in told and "after the plan began" not in told
    assert told.endswith(
        "on a year ago, within the usual ups and downs. Not rated: counted a new way since "
        "April 2025, so it cannot be compared with the plan's baseline year (2024/25)."
    ), told


def test_a_definition_change_before_the_baseline_year_leaves_the_baseline():
    row = {**CATALOGUE, "definition_from": "2022-04-01"}
    values = np.random.default_rng(6).poisson(150, len(MONTHS)).astype(float)
    frame = observations(list(values), row)
    frame.loc[frame["period_start"] < pd.Timestamp("2022-04-01"), "definition"] = "previous"
    dataset = SimpleNamespace(observations=frame, primary_area="LLR")
    judged = summarise_measure(dataset, row, "2026-09", "mdc")  # type: ignore[arg-type]
    assert judged["baseline"] is not None and judged["rag_rule"] != "no_comparable_baseline"


# --- a target the baseline year already met asks for nothing (F9) --------------------------


def test_a_target_the_baseline_met_is_judged_as_usual_once_the_figure_misses_it():
    # At most 1,000 a month by March 2029; the baseline year used 900, the last 12 months
    # 1,200: it has fallen back past a line the plan began inside, so the target judges it.
    values = np.full(len(MONTHS), 900.0) + np.random.default_rng(2).normal(0, 5, len(MONTHS))
    values[AT["2025-10"] :] = 1200.0 + np.random.default_rng(3).normal(
        0, 5, len(MONTHS) - AT["2025-10"]
    )
    row = judge(np.round(values), unit="kwh", target=1000.0, target_date="2029-03")
    assert row["target_baseline_met"] and row["rag_basis"] == "trajectory"
    assert row["rag"] == "Red"


def test_a_target_that_asks_nothing_never_carries_its_strategy_to_green():
    values = np.random.default_rng(9).normal(900, 5, len(MONTHS)).round()
    row = judge(values, unit="kwh", target=1000.0, target_date="2029-03")
    assert row["target_baseline_met"] and row["rag"] != "Green"
    assert row["rag_reason"].startswith("target already met in the baseline year (2024/25)")
    rating, _ = roll_up_strategy(pd.DataFrame([row]))
    assert rating != "Green"


# --- an SPC concern the tests do not confirm (F6, F7) --------------------------------------


def _unconfirmed(worsening: str = "none", why: str = "", good: str = "lower") -> Any:
    rating = rate_measure(
        6568.0, TargetForPeriod(None, None, "", "", None), good, "special_cause_concern",
        worsening=worsening, worsening_reason=why, evidence_known=True, beyond_limits=False,
    )  # fmt: skip
    return settle_rating(rating, limits=("2024-02", "2025-03"), worsening=worsening)


def test_an_spc_concern_the_tests_do_not_confirm_is_amber_and_never_a_possible_rise():
    rating = _unconfirmed()
    assert (rating.rag, rating.rule) == ("Amber", "harm_spc_unconfirmed")
    assert "possible" not in rating.reason
    assert "February 2024 to March 2025" in rating.reason
    assert "show no evidence of change" in rating.reason
    row = {
        "rag": "Amber", "rag_basis": "evidence", "rag_rule": rating.rule,
        "rag_comparison": rating.comparison, "good_direction": "lower",
        "spc_limits_from": "2024-02", "spc_limits_to": "2025-03", "unit": "count",
        "current": 6568.0, "comparison_value": 6749.0, "comparison_basis": "same quarter last year",
        "change": "-2.7%", "direction": "down", "change_evidence": "within noise",
        "spc_status": "assessed", "spc_variation": "special_cause_concern",
    }  # fmt: skip
    sentence = write_measure_sentence(row)
    assert "possible rise" not in sentence
    assert "an SPC concern the tests of change do not confirm" in sentence
    assert "possible" not in describe_rating_plainly(row)
    assert "no clear change" in describe_rating_plainly(row)
    assert "real change for the worse" not in describe_variation(
        "assessed", "special_cause_concern", "harm_spc_unconfirmed"
    )


def test_an_spc_concern_with_a_possible_rise_on_a_test_says_which_test():
    why = "the quarter on the same quarter a year earlier: level z-test, p = 0.088"
    rating = _unconfirmed("possible", why)
    assert rating.rag == "Amber" and "one test finds a possible rise" in rating.reason
    assert rating.comparison == "the quarter on the same quarter a year earlier"


def test_an_spc_concern_with_a_possible_fall_where_higher_is_good_names_the_fall():
    # Review 10, R10-14: the worse way is read from the good direction, in the reason
    # and in the rating's fields the reports format.
    why = "the quarter on the same quarter a year earlier: quasi-Poisson, p = 0.056"
    rating = _unconfirmed("possible", why, good="higher")
    assert "one test finds a possible fall (" in rating.reason
    assert "possible rise" not in rating.reason
    assert rating.change == "fell"


@pytest.mark.parametrize("rule", ["small_numbers", "no_comparable_baseline", "target_asks_nothing"])
def test_each_grey_rule_is_printed_in_the_key(rule):
    from pcplib.report.words import describe_rag_meanings

    grey = describe_rag_meanings("technical")["Grey"]
    words = {
        "small_numbers": "small numbers",
        "no_comparable_baseline": "no comparable baseline",
        "target_asks_nothing": "baseline year already met",
    }[rule]
    assert words in grey


def test_a_target_met_but_close_on_small_numbers_says_why_it_is_close():
    # Issue 26, N3: 17 sharp-object admissions against at most 25 read "Green, met, but
    # close" beside "small numbers, too few to tell": the small count is why chance is wide
    # and the pass close, and every report now says so in one message.
    from pcplib.assessment.exceptions import describe_rating_plainly
    from pcplib.assessment.public_targets import say_target
    from pcplib.report.overview import _describe_target

    row = {
        "measure_name": "Sharp-object admissions", "unit": "count", "current": 17.0,
        "target_for_period": 25.0, "target": 25.0, "good_direction": "lower", "rag": "Green",
        "rag_basis": "target", "rag_close": True, "rag_chance": 8.96, "rag_figure": "17",
        "rag_goal": "25", "small_numbers": True, "frequency": "quarterly",
        "aggregation": "sum", "target_compared": 17.0, "target_period_label": "for the quarter",
    }  # fmt: skip
    wide = "wide on numbers this small"
    assert say_target(row) == (
        "Within its target of at most 25, though by less than the usual ups and downs, which "
        "are wide for numbers this small."
    )
    assert wide in describe_rating_plainly(row)
    assert "less than chance allows on numbers this small (+/- 8.96)" in _describe_target(row)
    # Not on small numbers: the closeness alone.
    plain = {**row, "small_numbers": False}
    assert say_target(plain).endswith("though by less than the usual ups and downs.")
    assert wide not in describe_rating_plainly(plain)
    assert "chance allows (+/- 8.96)" in _describe_target(plain)


def _improved_row(**extra: Any) -> dict[str, Any]:
    """A measure with no target and no SPC verdict, Green on a real fall since 2024/25."""
    row = {
        "rag": "Green", "rag_basis": "evidence", "rag_rule": "tests_improvement",
        "rag_comparison": "the year ending on the baseline year", "good_direction": "lower",
        "unit": "count", "current": 497.0, "comparison_value": 498.0,
        "comparison_basis": "same quarter last year", "change": "-0.3%", "direction": "down",
        "change_evidence": "below materiality", "since_baseline_change": "-8.1%",
        "spc_status": "unstable baseline", "spc_variation": None,
    }  # fmt: skip
    return row | extra


def test_a_green_on_the_tests_alone_says_the_improvement_that_rated_it():
    # Review 17, R17-2: residential burglary (no target, no SPC verdict) was Green "no
    # target, and no real deterioration", a basis the printed rule makes Grey; its basis,
    # a real fall since the baseline year, was not in the sentence.
    sentence = write_measure_sentence(_improved_row())
    assert "no real deterioration" not in sentence
    assert sentence.endswith(
        "no target; rated Green for a real fall since the plan's baseline year (-8.1%, "
        "beyond chance)."
    )
    # Higher is good: a rise; over the year ending, its own change.
    rose = _improved_row(
        good_direction="higher", rag_comparison="the year ending on the year before",
        year_ending_change="+6.0%",
    )  # fmt: skip
    assert write_measure_sentence(rose).endswith(
        "rated Green for a real rise over the 12 months on the 12 months before (+6.0%, "
        "beyond chance)."
    )
    # Counted in full: a change, never "real" nor "beyond chance".
    counted = write_measure_sentence(_improved_row(administrative=True))
    assert counted.endswith(
        "rated Green for a fall since the plan's baseline year (-8.1%, counted in full, "
        "not tested)."
    )
    # A Green on a chart's verdict keeps its own basis.
    spc = _improved_row(
        rag_rule="no_deterioration", spc_status="assessed", spc_variation="common_cause",
        spc_limits_from="2024-02", spc_limits_to="2025-03",
    )  # fmt: skip
    assert write_measure_sentence(spc).endswith("no target, and no real deterioration.")


def test_residential_burglary_is_green_for_its_fall_since_the_baseline_year(sample: Any):
    from pcplib.assessment.strategy import summarise_strategy

    rows = summarise_strategy(sample, "neighbourhood-crime", "2026-09", "board").measures
    row = rows.set_index("measure_id").loc["nc-burglary-rate"]
    assert (row["rag"], row["rag_rule"]) == ("Green", "tests_improvement")
    assert row["sentence"].endswith(
        "no target; rated Green for a real fall since the plan's baseline year (-8.1%, "
        "beyond chance), continuing a fall that began before the plan (-7.4% in the baseline "
        "year on the year before, beyond chance)."
    )


def test_a_red_or_amber_on_a_test_says_the_comparison_that_rated_it():
    # Review 18, R18-4: rural offences were "rated Red for a real deterioration" beside a
    # quarter that fell and a chart's run (Amber alone); the test that made them Red, a
    # rise since the plan's baseline year, was not in the sentence.
    red = _improved_row(
        rag="Red", rag_rule="harm_test", since_baseline_change="+4.7%", direction="down",
    )  # fmt: skip
    assert write_measure_sentence(red).endswith(
        "no target; rated Red for a real rise since the plan's baseline year (+4.7%, "
        "beyond chance)."
    )
    # A possible rise names its comparison too (shoplifting, review 18, R18-8).
    amber = _improved_row(
        rag="Amber", rag_rule="harm_spc_unconfirmed", since_baseline_change="+4.4%",
    )  # fmt: skip
    assert write_measure_sentence(amber).endswith(
        "rated Amber for a possible rise since the plan's baseline year (+4.4%, possibly "
        "more than chance)."
    )
    # A percentage's change in points, in words (body-worn video: "-1.7 pp").
    points = _improved_row(
        rag="Red", rag_rule="harm_test", good_direction="higher",
        rag_comparison="the year ending on the year before", year_ending_change="-1.7 pp",
    )  # fmt: skip
    assert write_measure_sentence(points).endswith(
        "rated Red for a real fall over the 12 months on the 12 months before (-1.7 "
        "percentage points, beyond chance)."
    )
    # A Red on the chart alone keeps its general words.
    chart = _improved_row(rag="Red", rag_rule="harm_spc", rag_comparison="")
    assert write_measure_sentence(chart).endswith("rated Red for a real deterioration.")


def test_rural_offences_red_names_its_rise_since_the_baseline_year(sample: Any):
    from pcplib.assessment.strategy import summarise_strategy

    rows = summarise_strategy(sample, "rural-crime", "2026-09", "board").measures
    row = rows.set_index("measure_id").loc["rural-offences"]
    assert (row["rag"], row["rag_rule"]) == ("Red", "harm_test")
    assert row["sentence"].endswith(
        "no target; rated Red for a real rise since the plan's baseline year (+4.7%, "
        "beyond chance)."
    )


def test_a_red_on_more_reports_to_action_fraud_says_it_may_be_more_reporting(sample) -> None:
    # Review 18, R18-11: the cyber reports' row said "rated Red for a real rise since the
    # plan's baseline year (+13.6%, beyond chance)" without the words every other place
    # that rates Action Fraud reports gives them.
    from pcplib.assessment.strategy import summarise_strategy

    rows = summarise_strategy(sample, "business-crime", "2026-09").measures
    cyber = rows.set_index("measure_id").loc["bc-business-cyber"]
    assert cyber["rag"] == "Red"
    assert cyber["sentence"].endswith(
        "rated Red for a real rise since the plan's baseline year (+13.6%, beyond chance), "
        "which may be more reporting."
    )
