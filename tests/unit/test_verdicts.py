"""The verdict of a measure on series built to trip each way a judgement can mislead.

Each series is made here, with its answer worked out from how it was made (a harm that
doubles, a baseline that trends, a target met every month...), and judged by
:func:`pcplib.assessment.measures.summarise_measure` for the quarter ending September
2026 (baseline year 2024/25), exactly as every report judges it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from verdict_series import AT, CATALOGUE, MONTHS, PERIOD_END, QAT, QUARTERS, judge_series

from pcplib import stats
from pcplib.assessment import thresholds
from pcplib.assessment.evidence import (
    EVIDENCE,
    estimate_dispersion,
    estimate_laney_phi,
    judge_evidence,
    scale_window_error,
    weigh_change,
)
from pcplib.assessment.figures import Window, month_number
from pcplib.assessment.limits import check_baseline_stability, plan_spc
from pcplib.assessment.strategy import note_hidden_by_rating, roll_up_strategy


def judge(
    values: Sequence[float | None],
    numerators: Sequence[float] | None = None,
    denominators: Sequence[float] | None = None,
    period_end: str = PERIOD_END,
    spc_rules: str | None = "mdc",
    **measure: Any,
) -> dict[str, Any]:
    """Judge one measure whose values line up with :data:`MONTHS` (or :data:`QUARTERS`)."""
    row = {**CATALOGUE, **measure}
    return judge_series(values, row, period_end, spc_rules, numerators, denominators)


def poisson(mean: float | Sequence[float], seed: int, n: int = len(MONTHS)) -> np.ndarray:
    return np.random.default_rng(seed).poisson(mean, n).astype(float)


# --- 1. a harm without a target that rose beyond chance is never Green -----------------------


def test_an_untargeted_harm_that_more_than_doubles_on_the_year_is_never_green():
    # Homicides, 2 or 3 a quarter; 10 in 2024/25, then 21 in 2025/26 (+110%).
    values: list[float | None] = [2.0 + (i % 2) for i in range(16)]
    values += [3.0, 2, 3, 2] + [6.0, 5, 5, 5] + [5.0, None]
    assert len(values) == len(QUARTERS)
    row = judge(values, frequency="quarterly", period_end="2026-03", measure_name="Homicides")
    assert (row["year_ending"], row["previous_year"]) == (21.0, 10.0)
    # 31 events in the two years: small numbers (expected count below 20), so the change
    # is told as a difference, never "+110.0%", and its weak evidence is still said.
    assert row["year_ending_change"] == "+11"
    assert row["year_ending_evidence"] in ("beyond chance", "possible change")
    assert row["rag"] in ("Red", "Amber")
    assert row["assessment"] == "needs attention"
    assert row["rag_reason"].startswith("harm rule:")
    # It keeps its strategy from Green.
    rating, explanation = roll_up_strategy(pd.DataFrame([row]))
    assert rating == row["rag"] and "Homicides" in explanation


def test_a_harm_up_38_percent_with_p_0002_is_red_and_needs_attention():
    # Robbery: about 13 a month, then about 18 a month over the year ending: +37.7%.
    rng = np.random.default_rng(7)
    values = rng.poisson(13, len(MONTHS)).astype(float)
    values[AT["2025-10"] :] = rng.poisson(18, len(MONTHS) - AT["2025-10"])
    row = judge(values)
    change = stats.compare_counts(int(row["previous_year"]), int(row["year_ending"]))
    assert change.p_value < 0.01
    assert row["year_ending_evidence"] == "beyond chance" or row["change_evidence"] == (
        "beyond chance"
    )
    assert (row["rag"], row["rag_basis"]) == ("Red", "evidence")
    assert row["worsening"] == "real" and row["assessment"] == "needs attention"
    assert f"(below {thresholds.SIGNIFICANCE:g})" in row["rag_reason"]


def test_a_met_target_does_not_hide_a_real_rise():
    rng = np.random.default_rng(11)
    values = rng.poisson(20, len(MONTHS)).astype(float)
    values[AT["2025-07"] :] = rng.poisson(40, len(MONTHS) - AT["2025-07"])
    row = judge(values, target=100.0)  # 100 a month: met with room to spare
    assert row["rag"] == "Amber" and row["rag_capped"]
    assert "capped" in row["rag_reason"]


# --- 2. SPC only from a stable baseline --------------------------------------------------


def growth_then_flat() -> np.ndarray:
    """Special constables: 42 growing to 91 over the baseline quarters, then about 86."""
    values = np.r_[np.linspace(42, 91, 20), [88, 86, 87, 89, 85, 86]]
    return np.round(values)


def test_a_trending_baseline_sets_no_limits_and_gives_no_signal():
    values = growth_then_flat()
    assert len(values) == len(QUARTERS)
    values[-1] = 84.0
    values[-5] = 87.0
    row = judge(
        values, frequency="quarterly", aggregation="mean", good_direction="higher",
        baseline_year="2024/25", measure_name="Special constables",
    )  # fmt: skip
    assert (row["current"], row["last_year"]) == (84.0, 87.0)
    # -3.4% is not an improvement, and no "signal" comes from a baseline that was growing.
    assert row["judgement"] == "no evidence of change"
    assert row["spc_variation"] != "special_cause_improvement"
    assert row["spc_status"] == "unstable baseline"
    assert "straight-line trend" in row["spc_withheld"] or "special causes" in row["spc_withheld"]
    assert row["assessment"] != "improving"


def test_check_baseline_stability_finds_trends_and_shifts():
    rng = np.random.default_rng(3)
    flat = pd.Series([100.0, 103, 98, 101, 97] * 4)
    assert check_baseline_stability(flat) == ""
    trend = pd.Series(np.linspace(80, 120, 20) + rng.normal(0, 1, 20))
    assert "trend" in check_baseline_stability(trend)
    shifted = pd.Series(np.r_[np.full(10, 100.0), np.full(10, 120.0)] + rng.normal(0, 1, 20))
    assert check_baseline_stability(shifted) != ""


def test_a_baseline_with_an_early_shift_uses_its_latest_stable_period():
    rng = np.random.default_rng(5)
    values = 100 + rng.normal(0, 2, len(MONTHS))
    values[: AT["2023-08"] + 4] -= 30  # the first months of the default baseline sit low
    regular = pd.Series(values, index=pd.DatetimeIndex([m.start_time for m in MONTHS]))
    plan = plan_spc(regular, {**CATALOGUE})
    assert plan is not None and not plan.withheld
    assert plan.limits_from > pd.Timestamp("2023-08-01")
    assert "latest stable period" in plan.note
    assert (plan.limits_to - plan.limits_from).days > 300  # at least 12 points


def test_a_withheld_verdict_has_no_shorter_stable_baseline_note():
    # Review 17, R17-8: the longer view printed "No SPC verdict: a rolling 12-month
    # figure ..." beside the data note "shorter stable baseline", limits that were never
    # set. The same series, charted, keeps the note; rolling or year to date, drops it.
    def shifted(seed: int) -> np.ndarray:
        values = 100 + np.random.default_rng(seed).normal(0, 2, len(MONTHS))
        values[: AT["2023-08"] + 4] -= 30  # the default baseline's first months sit low
        return values

    level = {"unit": "score", "aggregation": "mean", "good_direction": "higher", "seasonal": "no"}
    row = judge(shifted(6), **level)
    assert row["spc_status"] == "assessed" and "shorter stable baseline" in row["quality"]
    for kind, measure in (
        ("rolling figure", {"measure_name": "A measure (rolling 12 months)"}),
        ("year-to-date figure", {"measure_name": "A measure, year to date"}),
    ):
        row = judge(shifted(6), **(level | measure | {"aggregation": "last"}))
        assert row["spc_status"] == kind
        assert "shorter stable baseline" not in row["quality"], kind
    # Points flagged inside the shorter period that set the limits withhold it too.
    row = judge(shifted(5), **level)
    assert "inside the period that set its limits" in row["spc_withheld"]
    assert "shorter stable baseline" not in row["quality"]


def test_an_spc_concern_anywhere_in_the_quarter_counts():
    rng = np.random.default_rng(2)
    values = np.round(200 + rng.normal(0, 4, len(MONTHS)))
    values[AT["2026-07"]] = 260  # far above the limits in July, back to normal by September
    row = judge(values)
    assert row["spc_latest"] == "common_cause"
    assert row["spc_variation"] == "special_cause_concern"
    assert row["rag"] == "Red" and row["assessment"] == "needs attention"


def test_the_spc_caption_is_worded_on_the_period_as_the_rating_is():
    # Red for a signal in July while the latest point is within the limits: the caption
    # must not say "no signal of real change" (it once judged the latest point only).
    rng = np.random.default_rng(2)
    values = np.round(200 + rng.normal(0, 4, len(MONTHS)))
    values[AT["2026-07"]] = 260
    row = judge(values)
    summary = row["spc_summary"]
    assert "no signal of real change" not in summary
    assert summary.startswith(
        "Special-cause concern in the reporting period: a signal in July 2026"
    )
    assert "the latest point is within the limits" in summary


# --- 3. words only for what the evidence shows ------------------------------------------------


def test_368_against_369_is_below_materiality():
    rng = np.random.default_rng(4)
    values = np.round(370 + rng.normal(0, 1, len(MONTHS)))
    values[AT["2025-09"]], values[AT["2026-09"]] = 369, 368
    row = judge(values, aggregation="last", good_direction="higher")
    assert (row["current"], row["last_year"]) == (368.0, 369.0)
    assert row["change"] == "-0.3%"
    assert row["change_evidence"] == "below materiality"
    assert row["judgement"] == "no evidence of change"
    assert "deteriorated" not in row["sentence"]


def test_a_tenth_of_a_point_is_below_materiality():
    values = [50.0] * len(MONTHS)
    values[AT["2026-07"] : AT["2026-09"] + 1] = [49.9, 49.9, 49.9]
    row = judge(values, unit="percent", aggregation="mean", good_direction="higher")
    assert row["change"] == "-0.1 pp"
    assert (row["change_evidence"], row["judgement"]) == (
        "below materiality",
        "no evidence of change",
    )


def test_two_against_one_is_small_numbers():
    values = [0.0] * len(MONTHS)
    values[AT["2025-08"]] = 1
    values[AT["2026-08"]] = 2
    row = judge(values)
    # Told as a difference in the count, never "+100.0%" (#26).
    assert (row["current"], row["last_year"], row["change"]) == (2.0, 1.0, "+1")
    assert row["change_evidence"] == "small numbers" and row["small_numbers"]
    assert row["judgement"] == "no evidence of change"
    assert "small numbers" in row["sentence"]


def over_dispersed_rate(seed: int = 9) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """999 answer rate: 5,000 calls a month, a true rate wandering 9x the binomial SD."""
    rng = np.random.default_rng(seed)
    n = np.full(len(MONTHS), 5000.0)
    binomial_sd = np.sqrt(0.91 * 0.09 / 5000)
    p = 0.91 + rng.normal(0, 9 * binomial_sd, len(MONTHS))
    p[AT["2025-10"] :] -= 0.014  # -1.4 points over the year ending
    x = np.round(n * p)
    return 100 * x / n, x, n


def test_an_over_dispersed_proportion_is_tested_on_its_own_variation():
    values, x, n = over_dispersed_rate()
    row = judge(values, numerators=x, denominators=n, unit="percent", aggregation="mean",
                good_direction="higher", target=90.0)  # fmt: skip
    ye = slice(AT["2025-10"], AT["2026-09"] + 1)
    pe = slice(AT["2024-10"], AT["2025-09"] + 1)
    naive = stats.compare_proportions(x[pe].sum(), n[pe].sum(), x[ye].sum(), n[ye].sum())
    assert naive.p_value < 0.001  # the binomial test calls it a real fall
    assert estimate_laney_phi(x, n) > 20
    assert row["year_ending_evidence"] != "beyond chance"
    assert row["year_ending_judgement"] == "no evidence of change"
    assert "dispersion" in row["year_ending_test"]


def test_a_proportion_that_varies_as_the_binomial_keeps_phi_one():
    rng = np.random.default_rng(1)
    n = np.full(60, 2000.0)
    x = rng.binomial(2000, 0.6, 60).astype(float)
    assert estimate_laney_phi(x, n) < 2


def test_a_survey_estimate_carries_its_margin_of_error():
    n = np.full(len(QUARTERS), 650.0)
    x = np.round(n * 0.55)
    row = judge(100 * x / n, numerators=x, denominators=n, frequency="quarterly",
                unit="percent", aggregation="mean", good_direction="higher",
                source="Residents' survey")  # fmt: skip
    assert row["margin_of_error"] == pytest.approx(3.8, abs=0.2)
    assert "margin of error is +/- 3.8 points" in row["sentence"]
    audit = judge(100 * x / n, numerators=x, denominators=n, frequency="quarterly",
                  unit="percent", aggregation="mean", good_direction="higher",
                  source="Force file audit")  # fmt: skip
    assert audit["margin_of_error"] is None


def test_a_target_met_every_month_is_consistently_met():
    rng = np.random.default_rng(6)
    values = np.round(352 + rng.normal(0, 3, len(MONTHS)))
    values[AT["2025-04"] :] = np.round(372 + rng.normal(0, 3, len(MONTHS) - AT["2025-04"]))
    # The reference period's last month below its mean: a last point on the step's side
    # would withhold the SPC verdict (review 4, F23), and the record is what this tests.
    values[AT["2025-03"]] = 349.0
    row = judge(values, aggregation="last", good_direction="higher", target=360.0)
    # The record counts from the step the chart signals (review 10, R10-5).
    expected = "consistently met: every month (18 of 18) since the shift in April 2025"
    assert row["target_record"].startswith(expected)
    assert "some periods" not in row["sentence"]
    assert expected in row["sentence"]


def test_a_target_met_once_in_26_quarters_says_so():
    values = [52.0 + (i % 3) for i in range(len(QUARTERS))]
    values[3] = 61.0
    row = judge(values, frequency="quarterly", unit="percent", aggregation="mean",
                good_direction="higher", target=60.0)  # fmt: skip
    assert row["target_record"].startswith("consistently missed: every quarter")
    assert "some periods" not in row["sentence"]
    assert row["rag"] == "Red"


def test_a_rolling_figure_is_tested_on_years_that_share_no_month():
    # Review 10, R10-6: public confidence is a rolling 12-month survey figure. Its 26
    # quarterly points carry about six independent figures, not 26: the sign test counts
    # one a year, back from the latest. Here the one year that met it (the 12 months to
    # September 2021) is one of the seven counted, so 1 of 7 is no evidence of a side,
    # and 55.8% against 60% within its margin of error is too close to say. Counting
    # every quarter (met in 1 of 26, p < 0.001) called it missed.
    values = [57.4, 53.3, 55.2, 56.4, 57.5, 63.9, 59.6, 58.9, 57.2, 56.9, 53.2, 53.9,
              54.4, 55.4, 53.9, 58.3, 52.6, 54.9, 53.7, 56.7, 52.9, 58.3, 59.4, 56.7,
              55.6, 57.8]  # fmt: skip
    n = [800.0] * len(QUARTERS)
    row = judge(values, [v * 8 for v in values], n, frequency="quarterly", unit="percent",
                aggregation="mean", good_direction="higher", target=60.0,
                source="Crime Survey for England and Wales (rolling 12 months)")  # fmt: skip
    assert row["spc_status"] == "rolling figure"
    assert row["target_record"] == "met in 1 of 7 years to September"
    assert row["target_process"] == ""
    assert row["target_within_margin"] and row["rag"] == "Amber"
    assert "counted as missed" not in row["sentence"]


def test_a_rolling_figure_missed_in_every_independent_year_is_missed():
    # Six years to September that share no month, all below the target: p = 0.031, so
    # the record settles a figure within the margin of error, and says so in years.
    values = [55.0 + (i % 3) for i in range(len(QUARTERS))]
    values[QAT["2026-07"]] = 57.8
    n = [800.0] * len(QUARTERS)
    row = judge(values, [v * 8 for v in values], n, frequency="quarterly", unit="percent",
                aggregation="mean", good_direction="higher", target=60.0,
                rolling="yes")  # fmt: skip
    years = "every year (7 of 7) since the year to September 2020"
    assert row["target_record"] == f"consistently missed: {years}"
    assert row["target_process"] == "missed"
    assert "met in 0 of 7 years to September" in row["target_process_reason"]
    assert "missed in every year since the year to September 2020" in row["sentence"]


def test_a_panel_waves_record_is_told_but_never_settles_a_miss():
    # Review 10, R10-6: a panel asks the same people each wave, so 25 waves of misses are
    # one sample's view, not 25 tosses: within its margin of error it is too close to say.
    values = [47.5, 49.9, 47.2, 53.2, 50.5, 44.7, 51.7, 48.9, 45.8, 54.3, 44.0, 49.5,
              49.2, 51.4, 49.9, 47.4, 52.1, 49.7, 49.6, 51.6, 55.0, 54.0, 53.7, 51.0,
              51.3, 52.4]  # fmt: skip
    n = [400.0] * len(QUARTERS)
    row = judge(values, [v * 4 for v in values], n, frequency="quarterly", unit="percent",
                aggregation="mean", good_direction="higher", target=55.0,
                source="OPCC rural community survey (quarterly panel)")  # fmt: skip
    assert row["target_record"] == "met in 1 of 26 quarters"
    assert row["target_process"] == "" and row["target_process_reason"] == ""
    assert row["target_within_margin"] and row["rag"] == "Amber"
    assert "counted as missed" not in row["sentence"]


def test_the_record_counts_from_the_latest_shift_the_chart_signals():
    # Review 10, R10-5: Victims' Code compliance, below 90% every month to January 2025,
    # then a shift up the chart signals (a run above its centre line from February 2025,
    # broken by one month). Since the shift it met 9 of 20 months, which is what a process
    # sitting on the target gives: 89.8% is too close to say, not missed on the 32 months
    # that mostly predate the change.
    before = [86.6, 82.6, 89.0, 89.2, 88.3, 84.1, 87.3, 87.6, 88.8, 86.7, 86.9, 85.9]
    after = [91.5, 91.7, 89.0, 88.1, 90.9, 89.8, 92.0, 91.3, 88.0, 83.4, 90.4, 91.1,
             89.1, 88.5, 87.6, 90.1, 89.6, 90.2, 89.8, 89.4]  # fmt: skip
    early = [87.0 + (i % 3) - 1 for i in range(AT["2024-02"])]
    values = early + before + after
    n = [2000.0] * len(MONTHS)
    row = judge(values, [v * 20 for v in values], n, unit="percent", aggregation="mean",
                good_direction="higher", target=90.0)  # fmt: skip
    assert row["spc_status"] == "assessed"
    assert row["target_record"] == "met in 9 of 20 months since the shift in February 2025"
    assert row["target_process"] == ""
    assert row["rag"] == "Amber" and row["target_within_margin"]
    assert "since the shift in February 2025" in row["assurance_words"]


def test_a_record_one_sided_since_a_shift_settles_the_assurance_and_says_since_when():
    # A share that met its 88% about half the time, then fell to about 85% from June 2025
    # (the chart signals the shift): every month since the shift missed, which settles
    # the straddled limits' "hit and miss", and every report says since when.
    rng = np.random.default_rng(3)
    values = np.round(90 + rng.normal(0, 1.5, len(MONTHS)), 1)
    after = np.arange(len(MONTHS)) >= AT["2025-06"]
    values[after] = np.round(85 + rng.normal(0, 1.0, int(after.sum())), 1)
    values = np.minimum(values, np.where(after, 87.5, 99.0))
    row = judge(values, unit="percent", aggregation="mean", good_direction="higher",
                target=88.0)  # fmt: skip
    since = "every month (16 of 16) since the shift in June 2025"
    assert row["target_record"] == f"consistently missed: {since}"
    assert (row["spc_assurance"], row["spc_assurance_basis"]) == ("consistent_fail", "record")
    assert "missed in every month since the shift in June 2025, 16 of 16" in row["spc_summary"]
    reason = row["target_process_reason"]
    assert reason == "it was missed in every month since the shift in June 2025"


# --- 4. seasonal measures judged on the year ------------------------------------------------


def seasonal_energy() -> np.ndarray:
    month = np.array([m.month for m in MONTHS])
    winter = np.isin(month, [11, 12, 1, 2, 3])
    rng = np.random.default_rng(8)
    return np.round(np.where(winter, 1_500_000, 1_000_000) + rng.normal(0, 10_000, len(MONTHS)))


def test_a_summer_quarter_does_not_meet_a_target_the_year_misses():
    values = seasonal_energy()
    row = judge(values, unit="kwh", target=1_150_000.0)
    summer = values[AT["2026-07"] : AT["2026-09"] + 1].sum()
    assert summer < 3 * 1_150_000  # the quarter alone would "meet" it
    assert row["target_on_year"]
    assert row["target_for_period"] == pytest.approx(12 * 1_150_000)
    assert row["rag"] in ("Red", "Amber")
    assert "judged on the year ending" in row["sentence"]
    assert "seasonal" in row["rag_reason"]


# --- 5. the evidence functions ---------------------------------------------------------------


def _window(value: float, first: str, months: int, present: int | None = None) -> Window:
    start = month_number(first)
    return Window("w", start, start + months - 1, value, months, present or months)


def _history(values: Sequence[float]) -> pd.DataFrame:
    index = pd.date_range("2023-01-01", periods=len(values), freq="MS")
    return pd.DataFrame({"value": values, "numerator": np.nan, "denominator": np.nan}, index=index)


def test_weigh_change_says_no_change_for_equal_figures():
    history = _history([10.0] * 24)
    before, after = _window(120.0, "2023-01", 12), _window(120.0, "2024-01", 12)
    assert weigh_change(before, after, history, CATALOGUE).verdict == "no change"


def test_weigh_change_counts_use_the_exact_test_when_not_over_dispersed():
    history = _history(list(poisson(10, 1, 24)))
    before, after = _window(100.0, "2023-01", 12), _window(160.0, "2024-01", 12)
    evidence = weigh_change(before, after, history, CATALOGUE)
    assert evidence.verdict == "beyond chance" and evidence.real
    assert evidence.p_value == pytest.approx(stats.compare_counts(100, 160).p_value, rel=0.5)


def test_an_over_dispersed_count_is_widened():
    counts = np.array([50.0, 150.0] * 12)
    assert estimate_dispersion(counts) > 10
    history = _history(list(counts))
    before, after = _window(1200.0, "2023-01", 12), _window(1300.0, "2024-01", 12)
    evidence = weigh_change(before, after, history, CATALOGUE)
    assert evidence.test == "quasi-Poisson"
    assert evidence.verdict != "beyond chance"
    assert stats.compare_counts(1200, 1300).p_value < 0.05  # the exact test alone would say so


def test_judge_evidence_reason_puts_the_threshold_beside_the_p_value() -> None:
    # Once "p = 0.046, dispersion 2.7 < 0.05" and "p < 0.001 < 0.05".
    spread = judge_evidence("quasi-Poisson", 0.046, True, "2%", dispersion=2.7)
    assert spread.reason == "quasi-Poisson, p = 0.046 (below 0.05), dispersion 2.7"
    tiny = judge_evidence("exact Poisson", 0.0001, True, "2%")
    assert tiny.reason == "exact Poisson, p < 0.001 (below 0.05)"
    assert "< 0.05" not in tiny.reason and "< 0.1" not in spread.reason
    assert judge_evidence("exact Poisson", 0.07, True, "2%").reason == (
        "exact Poisson, p = 0.070 (below 0.1 but not 0.05)"
    )


def test_format_summary_items_drops_a_names_full_stop_before_the_colon() -> None:
    from pcplib.report.summary import format_summary_items

    items = pd.DataFrame(
        [{"kind": "action", "name": "Victims not kept informed.", "tier": "", "rag": "Red",
          "reason": "overdue"}]
    )  # fmt: skip
    html = format_summary_items(items, "none")
    assert "informed</strong>: overdue" in html and ".:" not in html


@pytest.mark.parametrize(
    ("p_value", "material", "small", "verdict"),
    [
        (0.001, False, False, "below materiality"),
        (0.001, True, False, "beyond chance"),
        (0.001, True, True, "beyond chance"),
        (0.2, True, True, "small numbers"),
        (0.07, True, False, "possible change"),
        (0.5, True, False, "within noise"),
    ],
)
def test_judge_evidence_order_of_rules(p_value, material, small, verdict):
    evidence = judge_evidence("exact Poisson", p_value, material, "materiality 2%", small)
    assert evidence.verdict == verdict and verdict in EVIDENCE
    assert evidence.reason


# --- 6. the roll-up shows what it hides -------------------------------------------------------


def test_a_green_strategy_names_its_red_sub_measure_overdue_commitment_and_new_risk():
    measures = pd.DataFrame(
        [
            {"measure_name": "Headline", "tier": "headline", "rag": "Green"},
            {"measure_name": "Overtime", "tier": "sub", "rag": "Red"},
        ]
    )
    commitments = pd.DataFrame(
        {"status": ["on track", "at risk", "complete"],
         "due_date": ["2027-03-31", "2026-06-30", "2026-01-31"]}
    )  # fmt: skip
    risks = pd.DataFrame({"risk_id": ["r1"], "score": [15]})
    note = note_hidden_by_rating("Green", measures, commitments, "2026-09", risks)
    assert note == (
        "But: Overtime (sub-measure) is Red; 1 commitment overdue; 1 new high risk (highest "
        "score 15; high is 15 or more)."
    )
    assert note_hidden_by_rating("Green", measures.iloc[:1], commitments.iloc[[0]], "2026-09") == ""
    # A high risk whose strategy has no earlier return on file is not called new.
    unknown = pd.DataFrame({"risk_id": ["r1"], "score": [16], "novelty": ["no earlier score"]})
    assert note_hidden_by_rating("Green", measures.iloc[:1], commitments.iloc[[0]], "2026-09",
                                 unknown) == (
        "But: 1 high risk with no earlier score on file (highest score 16; high is 15 or more)."
    )  # fmt: skip


def test_an_overdue_board_action_is_named_beside_the_rating():
    # Review A9: a Green strategy with an overdue Board action said nothing of it.
    measures = pd.DataFrame([{"measure_name": "Headline", "tier": "headline", "rag": "Green"}])
    commitments = pd.DataFrame({"status": ["on track"], "due_date": ["2027-03-31"]})
    actions = pd.DataFrame({"action_id": ["a1", "a2"], "status": ["open", "open"]})
    assert note_hidden_by_rating("Green", measures, commitments, "2026-09", None, actions) == (
        "But: 2 Board actions overdue."
    )
    # Even a Red strategy says what else needs the Board (its Red measure is the roll-up's).
    assert note_hidden_by_rating("Red", measures, commitments, "2026-09", None, actions[:1]) == (
        "But: 1 Board action overdue."
    )


def test_the_boards_overview_carries_each_strategy_reports_but(data_dir):
    # Review A9: the Board's overview showed "Resources | Green But: 1 commitment overdue."
    # beside a strategy report naming a Red restricted sub-measure, an overdue Board action
    # and a high risk. The Board's overview now carries the strategy report's "But:";
    # the public one leaves out restricted measures, risks and actions, and says so.
    from pcplib.assessment.overview import build_plan_overview
    from pcplib.assessment.strategy import summarise_strategy
    from pcplib.data import load_dataset
    from pcplib.report.overview import OVERVIEW_SCOPE, format_plan_overview

    dataset = load_dataset(data_dir)
    board = build_plan_overview(dataset, PERIOD_END, slot="2026-11")
    public = build_plan_overview(dataset, PERIOD_END, audience="public", slot="2026-11")
    board_notes = board.drop_duplicates("strategy_id").set_index("strategy_id")["rating_note"]
    public_notes = public.drop_duplicates("strategy_id").set_index("strategy_id")["rating_note"]
    for strategy_id in dataset.strategies["strategy_id"]:
        summary = summarise_strategy(dataset, strategy_id, PERIOD_END, slot="2026-11")
        assert board_notes[strategy_id] == summary.rating_note, strategy_id
    resources = board_notes["resources"]
    # Overtime, restricted, was Amber on an SPC run the tests did not confirm (review 4,
    # F11). Money from the books has no test of chance (issue 26, F4/N7): its spend rose
    # 10.3% on a year ago, a change that matters, so it is Red and the Board's note says so.
    assert "Police officer overtime spend (sub-measure) is Red" in resources
    # No risk return for 2026/27 Q1 is on file for these strategies: their high risks
    # are not called new (review 13, R13-4).
    unknown = "1 high risk with no earlier score on file"
    assert "Board action overdue" in resources and unknown in resources
    assert "Board action overdue" in board_notes["road-safety"]
    assert unknown in board_notes["violence-and-vulnerability"]
    assert not any("new high risk" in note for note in board_notes)
    restricted = set(dataset.measures.loc[dataset.measures["visibility"] == "restricted",
                                          "measure_name"])  # fmt: skip
    for note in public_notes:
        assert "risk" not in note and "action" not in note, note
        assert not any(name in note for name in restricted), note
    assert public_notes["resources"] == "But: 1 commitment overdue."
    html = format_plan_overview(public, "Plan", audience="public")
    assert "restricted measures, risks and the Board&#x27;s actions are left out" in html
    assert OVERVIEW_SCOPE["board"].split(":")[0] in format_plan_overview(board, "Plan")
    with pytest.raises(ValueError, match="audience"):
        format_plan_overview(board, "Plan", audience="everyone")


def test_every_threshold_lives_in_the_thresholds_module():
    for name in (
        "SIGNIFICANCE", "WEAK_EVIDENCE", "MATERIAL_CHANGE_PCT", "MATERIAL_CHANGE_PP",
        "SMALL_COUNT", "DISPERSION_FLOOR", "BASELINE_TREND_P", "STABLE_MIN_POINTS",
        "CONSISTENT_RUN", "SEASONAL_TARGET_SPREAD", "RAG_TOLERANCE", "HIGH_RISK_SCORE",
        "WINDOW_MIN_DF",
    ):  # fmt: skip
        assert isinstance(getattr(thresholds, name), int | float), name


# --- 7. one verdict per measure across every report of the sample ------------------------------


VERDICT_COLUMNS = [
    "current", "comparison_value", "judgement", "rag", "rag_basis", "rag_reason", "assessment",
    "sentence", "spc_variation", "spc_status", "baseline", "year_ending", "change_evidence",
    "since_baseline_change", "target_for_period",
]  # fmt: skip


@pytest.fixture(scope="module")
def strategy_summaries(sample) -> dict[tuple[str, str], Any]:
    """Every strategy report's summary for the quarter to September 2026, by (strategy,
    audience), worked out once: the tests only read them."""
    from pcplib.assessment.strategy import summarise_strategy

    return {
        (strategy, audience): summarise_strategy(sample, strategy, PERIOD_END, audience=audience)
        for strategy in sample.strategies["strategy_id"]
        for audience in ("board", "public")
    }


@pytest.fixture(scope="module")
def sample_judgements(sample, strategy_summaries) -> pd.DataFrame:
    """Every report's rows for the quarter to September 2026: strategies (Board and public),
    the plan overview and the public report, as ``judgements.csv`` holds them."""
    from pcplib.assessment.judgements import JUDGEMENT_COLUMNS, tabulate_judgements
    from pcplib.assessment.overview import tabulate_plan_overview
    from pcplib.assessment.public import tabulate_public_quarter

    dataset = sample
    frames = []
    for summary in strategy_summaries.values():
        frames.append(tabulate_judgements([summary], summary.report_name))
    frames.append(tabulate_plan_overview(dataset, PERIOD_END, columns=JUDGEMENT_COLUMNS,
                                         readable=False))  # fmt: skip
    frames.append(tabulate_public_quarter(dataset, "2026/27 Q2", columns=JUDGEMENT_COLUMNS,
                                          readable=False))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def test_no_measure_gets_two_verdicts_or_two_baselines_across_reports(sample_judgements):
    rows = sample_judgements[sample_judgements["measure_id"] != "overall"]
    assert rows["report"].nunique() > 20
    for column in VERDICT_COLUMNS:
        values = rows.groupby("measure_id")[column].nunique(dropna=False)
        assert (values == 1).all(), (column, list(values[values > 1].index))


def test_each_strategy_has_one_rating_and_one_delivery_figure_across_reports(sample_judgements):
    overall = sample_judgements[sample_judgements["measure_id"] == "overall"]
    shared = ["plan-overview", "public-quarterly"]
    for_board = overall[~overall["report"].str.endswith("-public")
                        & ~overall["report"].isin(shared)]  # fmt: skip
    for column in ("delivery_rag",):
        assert (overall.groupby("strategy_id")[column].nunique() == 1).all(), column
    # The plan overview's rating of a strategy is the strategy report's (both public and
    # Board reports roll up the same headline measures where none is restricted).
    plan = overall[overall["report"] == "plan-overview"].set_index("strategy_id")["rag"]
    board = for_board.set_index("strategy_id")["rag"]
    public = overall[overall["report"].str.endswith("-public")].set_index("strategy_id")["rag"]
    assert (plan == public.reindex(plan.index)).all()
    assert set(board.index) == set(plan.index)


def test_the_annual_evaluation_uses_the_reports_baseline(sample, sample_judgements):
    from pcplib.assessment.annual import evaluate_year

    evaluation = evaluate_year(sample, "2025/26").set_index("measure_name")
    rows = sample_judgements[sample_judgements["measure_id"] != "overall"]
    baselines = rows.groupby("measure_name")["baseline"].first()
    compared = 0
    for name, baseline in baselines.items():
        if name not in evaluation.index or pd.isna(baseline):
            continue
        assert evaluation.loc[name, "baseline"] == pytest.approx(baseline), name
        compared += 1
    assert compared > 40


# --- 8. more of the same kinds ------------------------------------------------------------------


def test_a_real_fall_in_a_harm_is_an_improvement_not_a_concern():
    rng = np.random.default_rng(21)
    values = rng.poisson(60, len(MONTHS)).astype(float)
    values[AT["2025-10"] :] = rng.poisson(35, len(MONTHS) - AT["2025-10"])
    row = judge(values)
    assert row["year_ending_judgement"] == "improved"
    assert row["rag"] == "Green" and row["assessment"] == "improving"
    assert row["worsening"] == "none"


def test_a_stable_untargeted_harm_is_green_with_its_reason():
    values = poisson(40, 22)
    row = judge(values)
    assert row["spc_status"] == "assessed"
    assert row["judgement"] in ("no evidence of change", "no change")
    assert (row["rag"], row["rag_basis"]) == ("Green", "evidence")
    assert "no deterioration" in row["rag_reason"]


def test_a_fall_in_a_good_thing_beyond_chance_is_red_without_a_target():
    # Drink-drive arrests (higher is better) halve: a harm to the plan, never Green.
    rng = np.random.default_rng(23)
    values = rng.poisson(120, len(MONTHS)).astype(float)
    values[AT["2025-10"] :] = rng.poisson(60, len(MONTHS) - AT["2025-10"])
    row = judge(values, good_direction="higher")
    assert row["judgement"] == "deteriorated" and row["rag"] == "Red"


def test_a_neutral_measure_is_never_rated_whatever_its_change():
    rng = np.random.default_rng(24)
    values = rng.poisson(100, len(MONTHS)).astype(float)
    values[AT["2025-10"] :] = rng.poisson(200, len(MONTHS) - AT["2025-10"])
    row = judge(values, good_direction="neutral")
    assert row["judgement"] == "no good direction"  # a real change, told as a trend
    assert (row["rag"], row["assessment"]) == ("Grey", "no good direction")


def test_a_rate_with_its_numerator_is_tested_as_counts():
    households = np.full(len(MONTHS), 400.0)  # thousands of households
    burglaries = poisson(200, 25)
    burglaries[AT["2025-10"] :] = poisson(260, 26, len(MONTHS) - AT["2025-10"])
    row = judge(burglaries / households, numerators=burglaries, denominators=households,
                unit="rate_per_1000", aggregation="mean")  # fmt: skip
    assert row["year_ending_test"].startswith(("exact Poisson", "quasi-Poisson"))
    assert row["year_ending_judgement"] == "deteriorated"
    assert row["rag"] == "Red"


def test_a_missing_latest_month_does_not_hide_a_real_rise():
    rng = np.random.default_rng(27)
    values: list[float | None] = list(rng.poisson(20, len(MONTHS)).astype(float))
    values[AT["2025-10"] :] = list(rng.poisson(45, len(MONTHS) - AT["2025-10"]).astype(float))
    values[AT["2026-09"]] = None
    row = judge(values)
    assert row["current"] is None
    assert row["rag"] == "Red"


def test_a_seasonal_measure_meeting_its_target_over_the_year_is_green():
    values = seasonal_energy()
    row = judge(values, unit="kwh", target=1_300_000.0)  # the year averages about 1.21m
    assert row["target_on_year"] and row["rag"] == "Green"


@pytest.mark.parametrize("seed", range(5))
def test_stable_poisson_counts_are_rarely_called_a_change(seed):
    # Hidden series of the same kind: no change at all, so never "deteriorated" nor Red.
    row = judge(poisson(30, 100 + seed))
    assert row["judgement"] != "deteriorated" and row["year_ending_judgement"] != "deteriorated"
    assert row["rag"] != "Red" or row["spc_variation"] == "special_cause_concern"


def test_a_panel_surveys_waves_are_not_pooled_as_independent_samples():
    n = np.full(len(QUARTERS), 650.0)
    share = np.full(len(QUARTERS), 0.50)
    share[-4:] = 0.535  # +3.5 points over the last four waves
    x = np.round(n * share)
    common = dict(numerators=x, denominators=n, frequency="quarterly", unit="percent",
                  aggregation="mean", good_direction="higher")  # fmt: skip
    survey = judge(100 * x / n, source="Residents' survey", **common)
    panel = judge(100 * x / n, source="Residents' survey (quarterly panel)", **common)
    assert survey["year_ending_p"] < panel["year_ending_p"]
    assert panel["year_ending_evidence"] != "beyond chance"


def test_the_board_summary_shows_what_a_green_rating_hides(data_dir):
    from pcplib.assessment.exceptions import list_exceptions, list_improvements
    from pcplib.assessment.strategy import summarise_strategy
    from pcplib.data import load_dataset
    from pcplib.report.summary import format_board_summary

    dataset = load_dataset(data_dir)
    # Scrutiny and legitimacy in June 2026: Green on its headline measures, with a Red
    # sub-measure (resources' savings are now within chance of their target, review 4).
    summary = summarise_strategy(dataset, "scrutiny-and-legitimacy", "2026-06")
    assert summary.performance_rag == summary.overall_rag == "Green"
    assert summary.rating_note.startswith("But: ")
    assert "(sub-measure) is Red" in summary.rating_note
    html = format_board_summary(
        summary, list_exceptions(dataset, summary), list_improvements(summary)
    )
    assert summary.rating_note in html.replace("&quot;", '"').replace("&#x27;", "'")
    row = summary.to_frame(["measure_id", "rating_note", "delivery_rag"], readable=False)
    assert row.iloc[0]["rating_note"] == summary.rating_note
    assert row.iloc[0]["delivery_rag"] == summary.delivery.rating


@pytest.mark.parametrize(
    ("c1", "c2", "e1", "e2"), [(10, 21, 1, 1), (0, 5, 1, 1), (5, 0, 1, 1), (100, 160, 12, 12),
                               (30, 40, 3, 2)],
)  # fmt: skip
def test_the_fast_exact_test_is_the_stats_modules(c1, c2, e1, e2):
    from pcplib.assessment.evidence import _exact_poisson_p

    assert _exact_poisson_p(c1, c2, e1, e2) == pytest.approx(
        stats.compare_counts(c1, c2, e1, e2).p_value, rel=1e-9
    )


def test_the_fast_trend_test_is_scipys():
    from scipy import stats as scipy_stats

    from pcplib.assessment.limits import _trend_p_value

    rng = np.random.default_rng(0)
    x = np.arange(20.0)
    for slope in (0.0, 0.05, 0.2):
        y = rng.normal(0, 1, 20) + slope * x
        assert _trend_p_value(x, y) == pytest.approx(scipy_stats.linregress(x, y).pvalue)


def test_the_measures_table_prints_a_survey_estimates_margin_beside_it(strategy_summaries):
    from pcplib.report.measures import format_measures_table

    summary = strategy_summaries[("neighbourhood-policing", "board")]
    rows = summary.measures.set_index("measure_id")
    margin = rows.loc["np-confidence", "margin_of_error"]
    assert 2 < margin < 6
    html = format_measures_table(summary.measures, "Measures")
    assert f"(± {margin:.1f} pp)" in html
    # Not beside a count, nor beside a percentage that is not a survey's.
    assert pd.isna(rows.loc["np-999-answered-10s", "margin_of_error"])


def test_the_plan_overview_and_the_strategy_report_give_one_delivery_figure(
    sample, strategy_summaries
):
    from pcplib.assessment.overview import build_plan_overview

    overview = build_plan_overview(sample, PERIOD_END, audience="public")
    for row in overview.drop_duplicates("strategy_id").to_dict("records"):
        # The public plan overview is the public strategy report's figures.
        summary = strategy_summaries[(row["strategy_id"], "public")]
        assert summary.delivery.rating == row["delivery_rag"], row["strategy_id"]
        shown, percent = row["projected_delivery"], summary.delivery.percent
        assert (pd.isna(shown) and percent is None) or shown == pytest.approx(percent)
        assert summary.overall_rag == row["current_rag"], row["strategy_id"]


def test_a_rates_sentence_and_figures_say_its_period():
    # 0.5 burglaries per 1,000 households is a month's rate (about 6 a year): every label
    # of the verdict says so.
    households = np.full(len(MONTHS), 400.0)
    burglaries = poisson(200, 31)
    row = judge(burglaries / households, numerators=burglaries, denominators=households,
                unit="rate_per_1000", aggregation="mean",
                measure_name="Residential burglary per 1,000 households")  # fmt: skip
    assert row["rate_per"] == row["rate_per_year"] == "households a month"
    assert "per 1,000 households a month against" in row["sentence"]
    count = judge(burglaries)
    assert count["rate_per"] == "" and "per 1,000" not in count["sentence"]


def test_a_percentage_target_is_missed_by_points_in_its_own_unit():
    # 52.4% against a target of 55%: 2.6 points short, 4.7% of the target (the tolerance
    # is a share of the target), never "missed by 4.7%" alone beside a percentage.
    share = np.full(len(QUARTERS), 52.4)
    row = judge(share, frequency="quarterly", unit="percent", aggregation="mean",
                good_direction="higher", target=55.0)  # fmt: skip
    assert row["rag"] == "Amber"
    assert row["rag_reason"].startswith(
        "target rule: 52.4% misses the target of 55.0% by 2.6 percentage points "
        "(4.7% of the target), within the tolerance of 5%"
    )


def test_a_measure_that_should_grow_is_said_to_have_fallen_when_it_got_worse():
    # Drink-drive arrests (higher is better) halve: the reason says they fell, never "rose".
    rng = np.random.default_rng(23)
    values = rng.poisson(120, len(MONTHS)).astype(float)
    values[AT["2025-10"] :] = rng.poisson(60, len(MONTHS) - AT["2025-10"])
    row = judge(values, good_direction="higher")
    assert (row["rag"], row["worsening"]) == ("Red", "real")
    assert row["rag_reason"].startswith("harm rule: fell beyond chance")
    from pcplib.assessment.exceptions import _measure_reasons

    reasons = " ".join(_measure_reasons(row))
    assert "a fall beyond chance in the tests of change" in reasons and "rise" not in reasons


def test_weigh_worsening_takes_a_real_rise_since_the_baseline() -> None:
    # Robbery of business property: steady on the quarter and the year, +37.7% on the
    # baseline beyond chance. The row says "deteriorated", so the rating must not be Green.
    from pcplib.assessment.changes import Changes, judge_like_for_like, weigh_worsening
    from pcplib.assessment.evidence import Evidence
    from pcplib.assessment.targets import TargetForPeriod, rate_measure

    flat = judge_like_for_like(50.0, 51.0, "count", "lower")
    noise = Evidence("no real change", "quasi-Poisson", 0.6, reason="p = 0.6")
    since = judge_like_for_like(159.0, 219.0, "count", "lower")
    real = Evidence("beyond chance", "quasi-Poisson", 0.01, material=True, reason="p = 0.010")
    changes = Changes(flat, noise, flat, noise, since, real)
    worsening, why = weigh_worsening(changes, "lower")
    assert worsening == "real"
    assert "baseline" in why
    rating = rate_measure(
        219.0, TargetForPeriod(None, None, "", "", None), "lower", "common_cause",
        worsening=worsening, worsening_reason=why, evidence_known=True,
    )  # fmt: skip
    assert rating.rag == "Red"
    # An improvement since the baseline is no deterioration.
    better = Changes(
        flat, noise, flat, noise, judge_like_for_like(219.0, 159.0, "count", "lower"), real
    )
    assert weigh_worsening(better, "lower") == ("none", "")


@pytest.mark.parametrize(("aggregation", "expected"), [("sum", 6.0), ("mean", 1.5), ("last", 3.0)])
def test_a_window_error_scales_with_its_periods_by_aggregation(
    aggregation: str, expected: float
) -> None:
    window = Window("q", 1, 4, 10.0, 4, 4)
    assert scale_window_error(3.0, window, aggregation) == pytest.approx(expected)
