"""Unit tests of the judgement's parts: figures, SPC limits, targets, sentences, changes.

Each function of :mod:`pcplib.assessment.figures`, :mod:`~pcplib.assessment.limits`,
:mod:`~pcplib.assessment.targets` and :mod:`~pcplib.assessment.sentences`, and
:func:`pcplib.assessment.changes.judge_like_for_like`, on small inputs whose answers
are worked out by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pcplib.assessment.changes import judge_like_for_like
from pcplib.assessment.figures import Figures, Window, compute_figures, compute_window
from pcplib.assessment.limits import (
    BASELINE_MIN_POINTS,
    describe_limits_period,
    estimate_seasonal_indices,
    plan_spc,
)
from pcplib.assessment.sentences import ASSESSMENTS, assess_measure, write_measure_sentence
from pcplib.assessment.targets import (
    Rating,
    TargetForPeriod,
    compute_target_for_period,
    rate_measure,
)
from pcplib.periods import month_number, month_of

SEP_2026 = month_number("2026-09")


def monthly_rows(first: str, values: Sequence[float | None], **columns: Any) -> pd.DataFrame:
    """Observations of a monthly measure from ``first`` (``YYYY-MM``), None for a gap."""
    starts = pd.date_range(f"{first}-01", periods=len(values), freq="MS")
    frame = pd.DataFrame(
        {
            "period_start": starts,
            "period_end": starts + pd.offsets.MonthEnd(0),
            "value": [np.nan if v is None else float(v) for v in values],
        }
    )
    for name, column in columns.items():
        frame[name] = column
    return frame


def quarterly_rows(first: str, values: Sequence[float | None]) -> pd.DataFrame:
    starts = pd.date_range(f"{first}-01", periods=len(values), freq="3MS")
    return pd.DataFrame(
        {
            "period_start": starts,
            "period_end": starts + pd.offsets.MonthEnd(3),
            "value": [np.nan if v is None else float(v) for v in values],
        }
    )


def annual_rows(first_year: int, values: Sequence[float]) -> pd.DataFrame:
    starts = pd.DatetimeIndex([f"{first_year + i}-04-01" for i in range(len(values))])
    return pd.DataFrame(
        {
            "period_start": starts,
            "period_end": starts + pd.DateOffset(years=1) - pd.Timedelta(days=1),
            "value": [float(v) for v in values],
        }
    )


def regular(first: str, values: Sequence[float | None], frequency: str = "monthly") -> pd.Series:
    step = {"monthly": "MS", "quarterly": "3MS"}[frequency]
    index = pd.date_range(f"{first}-01", periods=len(values), freq=step)
    return pd.Series([np.nan if v is None else float(v) for v in values], index=index)


# --- figures: months as numbers ------------------------------------------------------


def test_month_number_reads_every_form_of_a_month():
    expected = 2026 * 12 + 8
    assert month_number("2026-09") == expected
    assert month_number(pd.Period("2026-09", "M")) == expected
    assert month_number(pd.Timestamp("2026-09-17")) == expected
    assert month_number("2026-10") - month_number("2025-10") == 12
    assert month_number("2026-01") - month_number("2025-12") == 1


@pytest.mark.parametrize("text", ["2019-12", "2020-01", "2024-04", "2025-03", "2026-09"])
def test_month_of_undoes_month_number(text):
    assert month_of(month_number(text)) == pd.Period(text, "M")
    assert month_number(month_of(month_number(text))) == month_number(text)


def test_month_of_every_month_of_two_years_round_trips():
    first = month_number("2024-01")
    months = [month_of(n) for n in range(first, first + 24)]
    assert [str(m) for m in months[:3]] == ["2024-01", "2024-02", "2024-03"]
    assert str(months[-1]) == "2025-12"
    assert [month_number(m) for m in months] == list(range(first, first + 24))


# --- figures: one window --------------------------------------------------------------


def test_compute_window_sum_totals_a_complete_window():
    rows = monthly_rows("2026-06", [5, 10, 20, 40])
    w = compute_window(rows, month_number("2026-07"), SEP_2026, "monthly", "sum", "Q2")
    assert (w.value, w.expected, w.present, w.complete) == (70.0, 3, 3, True)
    assert (w.label, w.first, w.last) == ("Q2", month_number("2026-07"), SEP_2026)


def test_compute_window_sum_needs_every_period():
    rows = monthly_rows("2026-07", [10, None, 40])
    w = compute_window(rows, month_number("2026-07"), SEP_2026, "monthly", "sum", "Q2")
    assert w.value is None
    assert (w.expected, w.present, w.complete) == (3, 2, False)


def test_compute_window_mean_averages_the_periods_present():
    rows = monthly_rows("2026-07", [10, None, 40])
    w = compute_window(rows, month_number("2026-07"), SEP_2026, "monthly", "mean", "Q2")
    assert w.value == 25.0
    assert (w.expected, w.present) == (3, 2)


def test_compute_window_last_takes_the_last_month():
    rows = monthly_rows("2026-07", [10, 20, 40])
    w = compute_window(rows, month_number("2026-07"), SEP_2026, "monthly", "last", "Q2")
    assert w.value == 40.0 and w.present == 3


def test_compute_window_last_has_no_figure_without_the_last_month():
    rows = monthly_rows("2026-07", [10, 20, None])
    w = compute_window(rows, month_number("2026-07"), SEP_2026, "monthly", "last", "Q2")
    assert w.value is None and (w.expected, w.present) == (3, 2)


def test_compute_window_leaves_out_rows_outside_it():
    rows = monthly_rows("2026-04", [1, 2, 3, 100, 200, 300, 7])
    w = compute_window(rows, month_number("2026-07"), SEP_2026, "monthly", "sum", "Q2")
    assert w.value == 600.0 and w.present == 3


def test_compute_window_of_no_rows_has_no_figure():
    empty = monthly_rows("2026-07", [])
    w = compute_window(empty, month_number("2026-07"), SEP_2026, "monthly", "mean", "Q2")
    assert (w.value, w.expected, w.present) == (None, 3, 0)


def test_compute_window_adds_numerators_and_denominators():
    rows = monthly_rows("2026-07", [50, 25, 10], numerator=[5, 5, 1], denominator=[10, 20, 10])
    w = compute_window(rows, month_number("2026-07"), SEP_2026, "monthly", "mean", "Q2")
    assert (w.numerator, w.denominator) == (11.0, 40.0)
    # A stock's share describes its last period alone: its sample is not added up.
    w = compute_window(rows, month_number("2026-07"), SEP_2026, "monthly", "last", "Q2")
    assert (w.value, w.numerator, w.denominator) == (10.0, 1.0, 10.0)
    gap = rows.assign(numerator=[5, None, 1])
    w = compute_window(gap, month_number("2026-07"), SEP_2026, "monthly", "mean", "Q2")
    assert (w.numerator, w.denominator) == (None, None)


def test_compute_window_pools_a_percentage_from_its_numerators():
    # 5/10, 5/20 and 1/10 pool to 11/40 = 27.5%, not the mean of 50, 25 and 10 (28.3%):
    # a year's proportion is its numerators over its denominators (docs/methodology.md).
    rows = monthly_rows("2026-07", [50, 25, 10], numerator=[5, 5, 1], denominator=[10, 20, 10])
    first = month_number("2026-07")
    w = compute_window(rows, first, SEP_2026, "monthly", "mean", "Q2", unit="percent")
    assert w.value == pytest.approx(27.5)
    assert (w.numerator, w.denominator) == (11.0, 40.0)
    # A unit that is not a ratio keeps the mean of its periods.
    w = compute_window(rows, first, SEP_2026, "monthly", "mean", "Q2", unit="days")
    assert w.value == pytest.approx(85 / 3)


def test_compute_window_pools_a_rate_per_1000_per_period():
    # 30, 10 and 20 burglaries among 10,000, 10,000 and 20,000 people in their months:
    # 60 per 40,000 person-months is 1.5 per 1,000 a month (the mean of 3, 1, 1 is 1.67).
    rows = monthly_rows(
        "2026-07", [3.0, 1.0, 1.0], numerator=[30, 10, 20], denominator=[10_000, 10_000, 20_000]
    )
    first = month_number("2026-07")
    w = compute_window(rows, first, SEP_2026, "monthly", "mean", "Q2", unit="rate_per_1000")
    assert w.value == pytest.approx(1.5)


def test_compute_window_falls_back_to_the_mean_without_every_numerator():
    rows = monthly_rows("2026-07", [50, 25, 10], numerator=[5, None, 1], denominator=[10, 20, 10])
    first = month_number("2026-07")
    w = compute_window(rows, first, SEP_2026, "monthly", "mean", "Q2", unit="percent")
    assert w.value == pytest.approx(85 / 3)
    assert (w.numerator, w.denominator) == (None, None)
    zero = monthly_rows("2026-07", [0, 0, 0], numerator=[0, 0, 0], denominator=[0, 0, 0])
    w = compute_window(zero, first, SEP_2026, "monthly", "mean", "Q2", unit="percent")
    assert w.value == 0.0


def test_compute_figures_pools_every_window_of_a_proportion():
    # Quarterly survey: four quarters a year, samples of different sizes.
    starts = pd.date_range("2024-04-01", periods=10, freq="3MS")
    numerators = [160.0, 190, 150, 180, 210, 160, 170, 150, 180, 190]
    denominators = [200.0, 250, 200, 200, 250, 200, 200, 200, 200, 250]
    rows = pd.DataFrame(
        {
            "period_start": starts,
            "period_end": starts + pd.offsets.MonthEnd(3),
            "numerator": numerators,
            "denominator": denominators,
            "value": [round(n / d * 100, 1) for n, d in zip(numerators, denominators, strict=True)],
        }
    )
    measure = {
        "frequency": "quarterly", "aggregation": "mean", "unit": "percent",
        "baseline_year": "2024/25",
    }  # fmt: skip
    rows.loc[9, "value"] = 76.1  # as published (a weighted estimate, say), not 190/250
    f = compute_figures(rows, measure, SEP_2026)
    assert f.current.value == 76.1  # one period keeps its recorded figure
    assert f.year_ending.value == pytest.approx(690 / 850 * 100)
    assert f.previous_year.value == pytest.approx(700 / 850 * 100)
    assert f.baseline is not None
    assert f.baseline.value == pytest.approx(680 / 850 * 100)
    # A quarter missing from the year before leaves that quarter out of both years,
    # and both are still pooled from the quarters kept.
    gap = rows.assign(value=rows["value"].where(rows["period_start"] != "2025-01-01"))
    f = compute_figures(gap, measure, SEP_2026)
    assert f.year_ending.skipped
    assert f.year_ending.value == pytest.approx(540 / 650 * 100)
    assert f.previous_year.value == pytest.approx(520 / 650 * 100)


def test_compute_window_counts_quarters_for_a_quarterly_measure():
    rows = quarterly_rows("2025-10", [10, 20, 30, 40])
    quarter = compute_window(rows, month_number("2026-07"), SEP_2026, "quarterly", "sum", "Q2")
    assert (quarter.value, quarter.expected, quarter.present) == (40.0, 1, 1)
    year = compute_window(rows, month_number("2025-10"), SEP_2026, "quarterly", "sum", "year")
    assert (year.value, year.expected, year.present) == (100.0, 4, 4)
    first, last = month_number("2025-07"), month_number("2026-06")
    short = compute_window(rows, first, last, "quarterly", "sum", "year")
    assert (short.value, short.expected, short.present) == (None, 4, 3)


# --- figures: a measure's like-for-like figures ----------------------------------------


def test_compute_figures_for_a_monthly_count():
    values = list(range(1, 31))  # April 2024 (1) to September 2026 (30)
    rows = monthly_rows("2024-04", values)
    measure = {"frequency": "monthly", "aggregation": "sum", "baseline_year": "2024/25"}
    f = compute_figures(rows, measure, SEP_2026)
    assert isinstance(f, Figures)
    assert (f.current.label, f.current.value) == ("2026/27 Q2", 28.0 + 29 + 30)
    assert (f.last_year.label, f.last_year.value) == ("2025/26 Q2", 16.0 + 17 + 18)
    assert f.year_ending.label == "12 months to September 2026"
    assert f.year_ending.value == float(sum(range(19, 31)))
    assert f.previous_year.label == "12 months to September 2025"
    assert f.previous_year.value == float(sum(range(7, 19)))
    assert f.baseline is not None
    assert (f.baseline.label, f.baseline.value) == ("2024/25", float(sum(range(1, 13))))
    assert (f.baseline.first, f.baseline.last) == (month_number("2024-04"), month_number("2025-03"))


def test_compute_figures_for_a_monthly_stock_takes_the_baseline_year_end():
    # One baseline per measure: a stock's is its figure at the end of the baseline year,
    # whatever the reporting month, the same figure the annual evaluation uses.
    rows = monthly_rows("2024-04", list(range(1, 31)))
    measure = {"frequency": "monthly", "aggregation": "last", "baseline_year": "2024/25"}
    f = compute_figures(rows, measure, SEP_2026)
    assert (f.current.value, f.last_year.value) == (30.0, 18.0)
    assert (f.year_ending.value, f.previous_year.value) == (30.0, 18.0)
    assert f.baseline is not None
    assert (f.baseline.label, f.baseline.value) == ("March 2025 (2024/25)", 12.0)
    later = compute_figures(rows, measure, month_number("2026-06"))
    assert later.baseline == f.baseline


def test_compute_figures_for_a_quarterly_level():
    rows = quarterly_rows("2024-04", [10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    measure = {"frequency": "quarterly", "aggregation": "mean", "baseline_year": "2024/25"}
    f = compute_figures(rows, measure, SEP_2026)
    assert (f.current.label, f.current.value) == ("2026/27 Q2", 100.0)
    assert (f.last_year.label, f.last_year.value) == ("2025/26 Q2", 60.0)
    assert f.year_ending.value == pytest.approx((70 + 80 + 90 + 100) / 4)
    assert f.previous_year.value == pytest.approx((30 + 40 + 50 + 60) / 4)
    assert f.baseline is not None and f.baseline.value == pytest.approx(25.0)


def test_compute_figures_for_an_annual_measure_uses_the_last_complete_year():
    rows = annual_rows(2022, [3.0, 3.5, 4.0, 4.5])  # 2022/23 to 2025/26
    measure = {"frequency": "annual", "aggregation": "mean", "baseline_year": "2024/25"}
    for end in ("2026-09", "2026-03"):
        f = compute_figures(rows, measure, month_number(end))
        assert (f.current.label, f.current.value) == ("2025/26", 4.5)
        assert (f.last_year.label, f.last_year.value) == ("2024/25", 4.0)
        assert f.year_ending == f.current and f.previous_year == f.last_year
        assert f.baseline is not None and f.baseline.value == 4.0
    f = compute_figures(rows, measure, month_number("2026-02"))
    assert (f.current.label, f.current.value) == ("2024/25", 4.0)


def test_compute_figures_mid_quarter_window_is_the_quarter_it_is_labelled():
    from pcplib import periods

    rows = monthly_rows("2024-04", list(range(1, 30)))  # April 2024 to August 2026
    measure = {"frequency": "monthly", "aggregation": "sum", "baseline_year": "2024/25"}
    figures = compute_figures(rows, measure, month_number("2026-08"))
    current, last_year = figures.current, figures.last_year
    # The quarter to date, said so: July and August, against July and August a year earlier.
    assert current.label == "2026/27 Q2 to date (July to August 2026)"
    assert (current.first, current.last) == (month_number("2026-07"), month_number("2026-08"))
    assert current.value == 28 + 29 and current.expected == 2
    assert last_year.label == "2025/26 Q2 to date (July to August 2025)"
    assert last_year.value == 16 + 17
    for month in (current.first, current.last):
        assert periods.label_quarter(month_of(month).to_timestamp()) == "2026/27 Q2"


def test_compute_figures_without_a_baseline_year():
    rows = monthly_rows("2024-04", [1.0] * 30)
    measure = {"frequency": "monthly", "aggregation": "sum", "baseline_year": ""}
    assert compute_figures(rows, measure, SEP_2026).baseline is None


# --- limits: seasonal indices -----------------------------------------------------------


SEASON = {m: 1 + 0.3 * np.sin(2 * np.pi * m / 12) for m in range(1, 13)}


def exact_seasonal(first: str = "2020-04", months: int = 60) -> pd.Series:
    index = pd.date_range(f"{first}-01", periods=months, freq="MS")
    return pd.Series([1000 * SEASON[d.month] for d in index], index=index)


def test_estimate_seasonal_indices_recovers_an_exact_pattern():
    estimate = estimate_seasonal_indices(exact_seasonal(), "monthly")
    assert estimate is not None
    indices, p_value = estimate
    assert sorted(indices) == list(range(1, 13))
    assert np.mean(list(indices.values())) == pytest.approx(1.0)
    for month, index in indices.items():
        assert index == pytest.approx(SEASON[month], abs=1e-9), month
    assert p_value == pytest.approx(0.0, abs=1e-12)


def test_estimate_seasonal_indices_finds_a_noisy_pattern_significant():
    noise = np.random.default_rng(7).normal(0, 5, 60)
    estimate = estimate_seasonal_indices(exact_seasonal() + noise, "monthly")
    assert estimate is not None
    indices, p_value = estimate
    assert 0 < p_value < 0.01
    assert indices[3] == pytest.approx(SEASON[3], abs=0.02)
    assert indices[9] == pytest.approx(SEASON[9], abs=0.02)


def test_estimate_seasonal_indices_of_noise_is_not_significant():
    noise = pd.Series(
        1000 + np.random.default_rng(3).normal(0, 20, 60),
        index=pd.date_range("2020-04-01", periods=60, freq="MS"),
    )
    estimate = estimate_seasonal_indices(noise, "monthly")
    assert estimate is not None and estimate[1] > 0.01


def test_estimate_seasonal_indices_for_quarters():
    index = pd.date_range("2020-04-01", periods=20, freq="3MS")
    shape = {4: 1.2, 7: 0.9, 10: 0.8, 1: 1.1}
    estimate = estimate_seasonal_indices(
        pd.Series([500 * shape[d.month] for d in index], index=index), "quarterly"
    )
    assert estimate is not None
    indices, p_value = estimate
    assert indices == pytest.approx(shape)
    assert p_value == 0.0


def test_estimate_seasonal_indices_needs_three_years_of_positive_figures():
    assert estimate_seasonal_indices(exact_seasonal(months=35), "monthly") is None
    assert estimate_seasonal_indices(exact_seasonal(months=36), "monthly") is not None
    with_zero = exact_seasonal()
    with_zero.iloc[10] = 0.0
    assert estimate_seasonal_indices(with_zero, "monthly") is None


# --- limits: the baseline period ----------------------------------------------------------


def level(first: str = "2020-04", months: int = 78) -> pd.Series:
    """A level with a five-month wobble: no season, no signal (to September 2026)."""
    return regular(first, [(100.0, 103.0, 98.0, 101.0, 97.0)[i % 5] for i in range(months)])


MEASURE = {"frequency": "monthly", "baseline_year": "2024/25", "good_direction": "lower"}


def test_plan_spc_extends_the_baseline_year_back_to_twenty_points():
    plan = plan_spc(level(), MEASURE)
    assert plan is not None
    assert (plan.limits_from, plan.limits_to) == (
        pd.Timestamp("2023-08-01"),
        pd.Timestamp("2025-03-01"),
    )
    assert plan.baseline_points == BASELINE_MIN_POINTS == 20
    assert plan.series.index[0] == pd.Timestamp("2023-08-01")
    assert plan.series.index[-1] == pd.Timestamp("2026-09-01")
    assert (plan.seasonal, plan.rebase_at, plan.flag) == (False, (), "")
    assert plan.note == "limits set from August 2023 to March 2025"
    assert describe_limits_period(plan, "monthly") == ("2023-08", "2025-03")


def test_plan_spc_extends_past_gaps_to_twenty_figures():
    values = level()
    values[pd.Timestamp("2024-01-01")] = np.nan
    plan = plan_spc(values, MEASURE)
    assert plan is not None
    assert plan.limits_from == pd.Timestamp("2023-07-01")
    assert plan.baseline_points == 21  # 20 figures and the gap among them


def test_plan_spc_takes_what_there_is_before_a_short_history():
    plan = plan_spc(level("2024-01", 33), MEASURE)
    assert plan is not None
    assert plan.limits_from == pd.Timestamp("2024-01-01")
    assert plan.baseline_points == 15


def test_plan_spc_for_quarters_extends_to_twenty_quarters():
    quarters = regular("2020-04", [(50.0, 52.0, 49.0)[i % 3] for i in range(26)], "quarterly")
    plan = plan_spc(quarters, {**MEASURE, "frequency": "quarterly"})
    assert plan is not None
    assert (plan.limits_from, plan.limits_to) == (
        pd.Timestamp("2020-04-01"),
        pd.Timestamp("2025-01-01"),
    )
    assert plan.baseline_points == 20
    assert describe_limits_period(plan, "quarterly") == ("2020-04", "2025-03")
    assert plan.note == "limits set from 2020/21 Q1 to 2024/25 Q4"


def test_plan_spc_respects_a_stated_baseline():
    measure = {**MEASURE, "spc_baseline_from": "2021-04", "spc_baseline_to": "2022-09"}
    plan = plan_spc(level(), measure)
    assert plan is not None
    assert (plan.limits_from, plan.limits_to) == (
        pd.Timestamp("2021-04-01"),
        pd.Timestamp("2022-09-01"),
    )
    assert plan.baseline_points == 18
    assert plan.series.index[0] == pd.Timestamp("2021-04-01")
    assert plan.note == "limits set from April 2021 to September 2022 (as stated in the catalogue)"


def test_plan_spc_restarts_a_baseline_at_a_change_inside_it():
    measure = {
        **MEASURE,
        "spc_recalculate_from": "2024-01-01",
        "spc_recalculate_note": "new recording system",
    }
    plan = plan_spc(level(), measure)
    assert plan is not None
    # The baseline starts afresh at the change and runs for 20 points from it.
    assert (plan.limits_from, plan.limits_to) == (
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2025-08-01"),
    )
    assert plan.baseline_points == 20 and plan.rebase_at == ()
    assert plan.series.index[0] == pd.Timestamp("2024-01-01")
    assert plan.note == (
        "limits set from January 2024 to August 2025; the chart's reference period starts at "
        "January 2024, "
        "when the process changed (new recording system)"
    )


def test_plan_spc_recalculates_a_later_section_once_it_has_twelve_points():
    measure = {**MEASURE, "spc_recalculate_from": "2025-06-01", "spc_recalculate_note": "cause"}
    plan = plan_spc(level(), measure)
    assert plan is not None
    assert plan.rebase_at == (pd.Timestamp("2025-06-01"),)
    assert plan.flag == "limits recalculated from June 2025"
    # Each section's limits come from its first 20 points (the baseline's), or all it has.
    assert plan.baseline_points == 20
    assert describe_limits_period(plan, "monthly") == ("2025-06", "2026-09")
    assert "each new section's from its own first 20 points or all it has" in plan.note
    waiting = plan_spc(level(months=70), measure)  # to January 2026: 8 points
    assert waiting is not None and waiting.rebase_at == ()
    assert waiting.flag == "limits not yet recalculated from June 2025"
    assert "has 8 of the 12 points needed, so the baseline limits still apply" in waiting.note


def test_plan_spc_seasonal_choice():
    seasonal = exact_seasonal(months=78) + np.random.default_rng(7).normal(0, 5, 78)
    auto = plan_spc(seasonal, MEASURE)
    assert auto is not None and auto.seasonal
    assert auto.flag == "seasonally adjusted for SPC"
    assert sorted(auto.indices) == list(range(1, 13))
    # The chart is each month divided by its season's index, and says so: the indices
    # average 1, so it stays on a month's scale, never "divided by its usual share of
    # the year", a twelfth (review 17, R17-5).
    month = pd.Timestamp("2026-09-01")
    assert auto.series[month] == pytest.approx(seasonal[month] / auto.indices[9])
    assert sum(auto.indices.values()) == pytest.approx(12)
    assert "each month divided by its seasonal index, its usual level relative to an " \
        "average month, estimated from the data up to March 2025" in auto.note  # fmt: skip
    off = plan_spc(seasonal, {**MEASURE, "seasonal": "no"})
    assert off is not None and not off.seasonal and off.indices == {}
    assert off.series[month] == seasonal[month]
    # No pattern: "auto" leaves the figures alone, "yes" adjusts them anyway.
    assert not plan_spc(level(), MEASURE).seasonal  # type: ignore[union-attr]
    forced = plan_spc(level(), {**MEASURE, "seasonal": "yes"})
    assert forced is not None and forced.seasonal
    # An annual measure is never seasonally adjusted.
    years = pd.Series([1.0, 2.0, 3.0], index=pd.date_range("2022-04-01", periods=3, freq="12MS"))
    annual = plan_spc(years, {**MEASURE, "frequency": "annual", "seasonal": "yes"})
    assert annual is not None and not annual.seasonal


def test_plan_spc_needs_two_figures():
    assert plan_spc(regular("2026-01", [5.0, None, None]), MEASURE) is None
    assert describe_limits_period(None, "monthly") == ("", "")


# --- targets --------------------------------------------------------------------------------


def window(label: str, first: str, last: str, value: float | None, expected: int) -> Window:
    present = expected if value is not None else 0
    return Window(label, month_number(first), month_number(last), value, expected, present)


def figures(current: float | None, baseline: float | None, frequency: str = "monthly") -> Figures:
    """Figures for 2026/27 Q2 with a 2024/25 baseline (the other windows do not matter)."""
    per_year = {"monthly": 12, "quarterly": 4, "annual": 1}[frequency]
    per_quarter = {"monthly": 3, "quarterly": 1, "annual": 1}[frequency]
    quarter = window("2026/27 Q2", "2026-07", "2026-09", current, per_quarter)
    year = window("12 months", "2025-10", "2026-09", None, per_year)
    base = window("2024/25", "2024-04", "2025-03", baseline, per_year)
    return Figures(quarter, quarter, year, year, base)


SUM = {"frequency": "monthly", "aggregation": "sum"}


def test_compute_target_for_period_without_a_target():
    target = compute_target_for_period(figures(300.0, 1200.0), {**SUM, "target": np.nan}, SEP_2026)
    assert target == TargetForPeriod(None, None, "", "", None)


def test_compute_target_for_period_undated_target_for_a_quarter():
    target = compute_target_for_period(figures(300.0, 1200.0), {**SUM, "target": 90.0}, SEP_2026)
    assert target == TargetForPeriod(270.0, 90.0, "target", "", 90.0)


def test_compute_target_for_period_trajectory_arithmetic():
    measure = {**SUM, "target": 70.0, "target_date": "2029-03"}
    target = compute_target_for_period(figures(300.0, 1200.0), measure, SEP_2026)
    # 100 a month in 2024/25, 70 by March 2029: 18 of the 48 months gone by September 2026.
    per_month = 100 + (70 - 100) * 18 / 48
    assert per_month == 88.75
    assert target.basis == "trajectory" and target.due == "2029-03" and target.final == 70.0
    assert target.per_period == pytest.approx(per_month)
    assert target.value == pytest.approx(3 * per_month)
    # At the end of the baseline year the line starts at the baseline; at the date, the target.
    at_start = compute_target_for_period(figures(300.0, 1200.0), measure, month_number("2025-03"))
    assert at_start.per_period == pytest.approx(100.0)
    at_end = compute_target_for_period(figures(300.0, 1200.0), measure, month_number("2029-02"))
    assert at_end.per_period == pytest.approx(100 - 30 * 47 / 48)


def test_compute_target_for_period_after_the_date_the_target_applies():
    for due in ("2026-09", "2026-03"):
        measure = {**SUM, "target": 70.0, "target_date": due}
        target = compute_target_for_period(figures(300.0, 1200.0), measure, SEP_2026)
        assert target == TargetForPeriod(210.0, 70.0, "target", due, 70.0)


def test_compute_target_for_period_trajectory_for_levels_and_quarters():
    measure = {"frequency": "monthly", "aggregation": "mean", "target": 60.0,
               "target_date": "2029-03"}  # fmt: skip
    level_target = compute_target_for_period(figures(52.0, 50.0), measure, SEP_2026)
    assert level_target.value == pytest.approx(50 + 10 * 18 / 48)
    assert level_target.value == level_target.per_period
    quarterly = {"frequency": "quarterly", "aggregation": "sum", "target": 20.0,
                 "target_date": "2029-03"}  # fmt: skip
    q_target = compute_target_for_period(figures(25.0, 120.0, "quarterly"), quarterly, SEP_2026)
    assert q_target.per_period == pytest.approx(30 + (20 - 30) * 18 / 48)
    assert q_target.value == q_target.per_period


def test_compute_target_for_period_without_a_baseline_uses_the_target():
    measure = {**SUM, "target": 70.0, "target_date": "2029-03"}
    target = compute_target_for_period(figures(300.0, None), measure, SEP_2026)
    assert (target.basis, target.value, target.due) == ("target", 210.0, "2029-03")


def test_a_figure_within_its_final_target_is_never_behind_its_trajectory():
    # 100 a month in 2024/25, and a target of at most 110 a month by March 2029.
    measure = {**SUM, "good_direction": "lower", "target": 110.0, "target_date": "2029-03"}
    target = compute_target_for_period(figures(320.0, 1200.0), measure, SEP_2026)
    # Not yet due, and the baseline already meets it: on course, the target itself the
    # course (never "met" before its date, #26).
    assert target.basis == "trajectory" and target.value == 330.0 and target.baseline_met
    assert 320.0 <= 3 * 110.0  # within the final target for the quarter
    assert rate_measure(320.0, target, "lower", "common_cause").rag == "Green"


UNDATED = TargetForPeriod(100.0, 100.0, "target", "", 100.0)
ON_LINE = TargetForPeriod(100.0, 100.0, "trajectory", "2029-03", 80.0)
NO_TARGET = TargetForPeriod(None, None, "", "", None)


@pytest.mark.parametrize(
    ("current", "target", "good", "variation", "expected"),
    [
        (None, UNDATED, "higher", "common_cause", Rating("Grey", "none")),
        (120.0, UNDATED, "neutral", "special_cause_neutral_high", Rating("Grey", "none")),
        (100.0, UNDATED, "higher", "common_cause", Rating("Green", "target")),
        (95.0, UNDATED, "higher", None, Rating("Amber", "target")),  # missed by exactly 5%
        (94.9, UNDATED, "higher", "common_cause", Rating("Red", "target")),
        (104.0, UNDATED, "lower", "common_cause", Rating("Amber", "target")),
        (99.0, ON_LINE, "lower", "special_cause_improvement", Rating("Green", "trajectory")),
        (110.0, ON_LINE, "lower", "common_cause", Rating("Red", "trajectory")),
        # A real deterioration caps a met target at Amber, and says so.
        (101.0, UNDATED, "higher", "special_cause_concern", Rating("Amber", "target", True)),
        (98.0, ON_LINE, "lower", "special_cause_concern", Rating("Amber", "trajectory", True)),
        # A missed target is not capped: it is already worse.
        (90.0, UNDATED, "higher", "special_cause_concern", Rating("Red", "target")),
        (96.0, UNDATED, "higher", "special_cause_concern", Rating("Amber", "target")),
        # No target: rated on the evidence (SPC over the period, and the tests of change).
        (5.0, NO_TARGET, "lower", "special_cause_concern", Rating("Red", "evidence")),
        (5.0, NO_TARGET, "lower", "special_cause_improvement", Rating("Green", "evidence")),
        (5.0, NO_TARGET, "higher", "common_cause", Rating("Green", "evidence")),
        (5.0, NO_TARGET, "higher", None, Rating("Grey", "none")),
        (5.0, NO_TARGET, "neutral", "common_cause", Rating("Grey", "none")),
    ],
)
def test_rate_measure(current, target, good, variation, expected):
    rating = rate_measure(current, target, good, variation)
    assert (rating.rag, rating.basis, rating.capped) == (
        expected.rag, expected.basis, expected.capped,
    )  # fmt: skip
    assert rating.reason  # every rating names its rule


# --- sentences ----------------------------------------------------------------------------


def row(**changes: Any) -> dict[str, Any]:
    """A measure's judgements: up 3.0% on last year, common cause, untargeted, on SPC."""
    base = {
        "unit": "count",
        "good_direction": "lower",
        "current": 1234.0,
        "comparison_basis": "same quarter last year",
        "comparison_value": 1198.0,
        "change": "+3.0%",
        "direction": "up",
        "judgement": "no evidence of change",
        "change_evidence": "within noise",
        "spc_status": "assessed",
        "spc_variation": "common_cause",
        "spc_limits_from": "2023-08",
        "spc_limits_to": "2025-03",
        "rag": "Green",
        "rag_basis": "evidence",
        "rag_capped": False,
        "target_for_period": None,
        "target_date": "",
    }
    return {**base, **changes}


def test_write_measure_sentence_untargeted():
    assert write_measure_sentence(row()) == (
        "Up 3.0% on the same quarter last year (1,234 against 1,198), within the usual "
        "variation, so not a real change; within the normal variation of the chart's "
        "reference period (August 2023 to March 2025); no target, and no real deterioration."
    )


@pytest.mark.parametrize(
    ("changes", "start"),
    [
        ({"change": "-3.0%", "direction": "down"}, "Down 3.0% on the same quarter last year"),
        ({"change": "0.0%", "direction": "no change"}, "Unchanged on the same quarter last year"),
        # Shown as zero at the precision printed: unchanged, whatever the direction says.
        ({"change": "+0.0%", "direction": "up"}, "Unchanged on the same quarter last year"),
        (
            {"unit": "percent", "current": 21.4, "comparison_value": 18.5, "change": "+2.9 pp"},
            "Up 2.9 percentage points on the same quarter last year (21.4% against 18.5%)",
        ),
        (
            {"unit": "gbp", "current": 30000.0, "comparison_value": -30000.0,
             "change": "+£60,000"},
            "Up £60,000 on the same quarter last year (£30,000 against −£30,000)",
        ),
        (
            {"comparison_basis": "previous year", "change": "-1.0%", "direction": "down"},
            "Down 1.0% on the previous year (1,234 against 1,198)",
        ),
        (
            {"comparison_value": None, "change": "not measurable",
             "direction": "not measurable"},
            "1,234; no figure for the same quarter last year to compare with;",
        ),
        ({"current": None, "direction": "not measurable"}, "No figure for the reporting period;"),
    ],
)  # fmt: skip
def test_write_measure_sentence_change_clause(changes, start):
    assert write_measure_sentence(row(**changes)).startswith(start)


@pytest.mark.parametrize(
    ("changes", "clause"),
    [
        (
            {"spc_variation": "special_cause_improvement"},
            "; better than the chart's reference period (August 2023 to March 2025) by more "
            "than chance;",
        ),
        (
            {"spc_variation": "special_cause_concern", "rag": "Red"},
            "; worse than the chart's reference period (August 2023 to March 2025) by more "
            "than chance;",
        ),
        (
            {"spc_variation": "special_cause_neutral_low", "good_direction": "neutral"},
            "; lower than the chart's reference period (August 2023 to March 2025) by more "
            "than chance;",
        ),
        (
            {"spc_status": "too few points", "spc_variation": None},
            "; too few points yet to tell a real change from chance;",
        ),
        (
            {"spc_limits_from": "", "spc_limits_to": ""},
            "; within the normal variation of the chart's first points;",
        ),
    ],
)
def test_write_measure_sentence_spc_clause(changes, clause):
    assert clause in write_measure_sentence(row(**changes))


def test_write_measure_sentence_without_spc_has_no_spc_clause():
    sentence = write_measure_sentence(
        row(spc_status="not assessed", spc_variation=None, rag="Grey", rag_basis="none")
    )
    assert sentence == (
        "Up 3.0% on the same quarter last year (1,234 against 1,198), within the usual "
        "variation, so not a real change; no target."
    )


TARGETED = {"target_for_period": 1200.0, "rag_basis": "target"}
TRAJECTORY = {"target_for_period": 1266.0, "rag_basis": "trajectory", "target_date": "2029-03"}


@pytest.mark.parametrize(
    ("changes", "end"),
    [
        ({**TARGETED, "rag": "Green", "good_direction": "higher"}, "; target met (1,200)."),
        ({**TARGETED, "rag": "Amber"}, "; target narrowly missed (1,200)."),
        ({**TARGETED, "rag": "Red"}, "; target missed (1,200)."),
        (
            {**TARGETED, "rag": "Amber", "rag_capped": True, "good_direction": "higher",
             "spc_variation": "special_cause_concern"},
            "; target met (1,200), but rated Amber for the real deterioration.",
        ),
        (
            {**TRAJECTORY, "rag": "Green"},
            "; on track for the March 2029 target (expected 1,266 by now).",
        ),
        (
            {**TRAJECTORY, "rag": "Red"},
            "; behind the trajectory to the March 2029 target (expected 1,266 by now).",
        ),
        (
            {"good_direction": "neutral", "rag": "Grey", "rag_basis": "none"},
            "; no good direction set, so the change is reported as a trend, not judged.",
        ),
        ({"rag": "Grey", "rag_basis": "none"}, "; no target."),
    ],
)  # fmt: skip
def test_write_measure_sentence_target_clause(changes, end):
    assert write_measure_sentence(row(**changes)).endswith(end)


def test_write_measure_sentence_with_no_figure_says_nothing_of_targets():
    sentence = write_measure_sentence(
        row(current=None, direction="not measurable", rag="Grey", rag_basis="none",
            spc_status="not assessed", spc_variation=None)
    )  # fmt: skip
    assert sentence == "No figure for the reporting period."


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"current": None}, "not assessed"),
        ({"good_direction": "neutral", "rag": "Grey", "rag_basis": "none"}, "no good direction"),
        ({"rag": "Red", "rag_basis": "target"}, "needs attention"),
        ({"rag": "Amber", "rag_basis": "trajectory"}, "needs attention"),
        ({"spc_variation": "special_cause_concern", "rag": "Amber", "rag_capped": True},
         "needs attention"),
        ({"spc_variation": "special_cause_improvement", "direction": "down",
          "judgement": "improved", "change_evidence": "beyond chance"}, "improving"),
        (
            {
                "spc_variation": "special_cause_improvement",
                "rag_basis": "target",
                "direction": "no change",
                "judgement": "no change",
                "change_evidence": "no change",
            },
            "improving",
        ),
        # Better than the baseline but up on a year ago (a harm, even within noise): a
        # mixed picture, never "improving" (nor listed as achieved).
        ({"spc_variation": "special_cause_improvement"}, "stable"),
        ({"spc_variation": "special_cause_improvement", "rag_basis": "target"}, "on track"),
        # ... and down on a year ago within noise: an improvement.
        ({"spc_variation": "special_cause_improvement", "direction": "down"}, "improving"),
        # A real rise found by the tests of change needs attention whatever SPC says.
        ({"worsening": "real", "rag": "Red"}, "needs attention"),
        # A change for the better beyond chance is an improvement even without SPC.
        ({"spc_status": "unstable baseline", "spc_variation": None, "direction": "down",
          "judgement": "improved", "change_evidence": "beyond chance"}, "improving"),
        ({"rag_basis": "target"}, "on track"),
        ({"rag_basis": "trajectory"}, "on track"),
        ({}, "stable"),
        ({"rag": "Grey", "rag_basis": "none", "spc_variation": None}, "not assessed"),
    ],
)  # fmt: skip
def test_assess_measure(changes, expected):
    assert expected in ASSESSMENTS
    assert assess_measure(row(**changes)) == expected


# --- measures: the like-for-like change and its judgement -------------------------------------


def test_judge_like_for_like_shown_as_zero_is_no_change():
    change = judge_like_for_like(1000.0, 1000.2, "count", "higher")
    assert (change.text, change.direction, change.arrow, change.judgement) == (
        "0.0%",
        "no change",
        "►",
        "no change",
    )
    points = judge_like_for_like(50.0, 50.04, "percent", "lower")
    assert (points.text, points.direction, points.judgement) == ("0.0 pp", "no change", "no change")


def test_judge_like_for_like_a_real_change_is_judged_by_the_good_direction():
    down = judge_like_for_like(360.0, 330.0, "count", "lower")
    assert (down.text, down.direction, down.arrow, down.judgement) == (
        "-8.3%",
        "down",
        "▼",
        "improved",
    )
    assert down.pct == pytest.approx(-100 / 12)
    fall = judge_like_for_like(85.0, 79.0, "percent", "higher")
    assert (fall.text, fall.pp, fall.judgement) == ("-6.0 pp", -6.0, "deteriorated")


def test_judge_like_for_like_neutral_has_no_good_direction():
    change = judge_like_for_like(100.0, 120.0, "count", "neutral")
    assert (change.text, change.direction, change.arrow) == ("+20.0%", "up", "▲")
    assert change.judgement == "no good direction"
    assert judge_like_for_like(100.0, 100.0, "count", "neutral").judgement == "no change"


@pytest.mark.parametrize(
    ("before", "current", "text", "direction"),
    [
        (-30_000.0, 30_000.0, "+£60,000", "up"),
        (100.0, -50.0, "-£150", "down"),
        (0.0, 500.0, "+£500", "up"),
        (-200.0, -50.0, "+£150", "up"),
    ],
)
def test_judge_like_for_like_across_zero_shows_the_difference(before, current, text, direction):
    change = judge_like_for_like(before, current, "gbp", "lower")
    assert (change.text, change.direction) == (text, direction)
    assert change.pct is None  # so the row's change_value is None
    assert change.judgement == ("deteriorated" if direction == "up" else "improved")


def test_judge_like_for_like_from_zero_counts_in_the_unit():
    change = judge_like_for_like(0.0, 7.0, "count", "lower")
    assert (change.text, change.pct, change.judgement) == ("+7", None, "deteriorated")


def test_judge_like_for_like_without_a_figure_is_not_measurable():
    for before, current in ((None, 5.0), (5.0, None)):
        change = judge_like_for_like(before, current, "count", "lower")
        assert (change.text, change.direction, change.arrow, change.judgement) == (
            "not measurable",
            "not measurable",
            "‡",
            "not measurable",
        )


@pytest.mark.parametrize(("good", "move"), [("higher", "fall"), ("lower", "rise")])
def test_rate_measure_names_a_possible_worsening_by_the_good_direction(good, move):
    # A higher-is-good measure that possibly fell is "a possible fall" in its reason, as
    # in its sentence (review 10, R10-14).
    from pcplib.assessment.targets import TargetForPeriod, rate_measure

    none = TargetForPeriod(None, None, "", "", None)
    rating = rate_measure(
        100.0, none, good, "common_cause", worsening="possible",
        worsening_reason="the quarter on the same quarter a year earlier: quasi-Poisson",
    )  # fmt: skip
    assert rating.rag == "Amber"
    assert rating.reason.startswith(f"harm rule: a possible {move} (the quarter on")
    # The fields the overview formats its basis from say the same way.
    assert rating.change == {"fall": "fell", "rise": "rose"}[move]
