from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pcplib import metrics as m


def test_pct_change():
    assert m.pct_change(17, 80) == pytest.approx(370.5882352941)
    assert m.pct_change(100, 90) == pytest.approx(-10.0)
    assert m.pct_change(5, 5) == 0.0
    assert m.pct_change(np.int64(161), np.float64(189)) == pytest.approx(17.3913043)
    # The sign follows the movement even from a negative baseline.
    assert m.pct_change(-10, -5) == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("baseline", "current"),
    [(0, 7), (None, 7), (np.nan, 7), (pd.NA, 7), (7, None), (7, float("nan")), (0, 0)],
)
def test_pct_change_is_none_without_a_usable_baseline_or_current(baseline, current):
    assert m.pct_change(baseline, current) is None


def test_pp_change():
    assert m.pp_change(85, 79) == -6.0
    assert m.pp_change(29, 61) == 32.0
    assert m.pp_change(0, 7) == 7.0
    assert m.pp_change(None, 7) is None
    assert m.pp_change(7, np.nan) is None


@pytest.mark.parametrize("bad", ["12", True, [1], float("inf")])
def test_non_numbers_are_rejected(bad):
    with pytest.raises(ValueError, match="baseline must be"):
        m.pct_change(bad, 1)
    with pytest.raises(ValueError, match="current must be"):
        m.direction(1, bad)


@pytest.mark.parametrize(
    ("baseline", "current", "expected"),
    [
        (30, 109, "up"),
        (51, 46, "down"),
        (0, 7, "up"),
        (7, 0, "down"),
        (5, 5, "no change"),
        (0.1 + 0.2, 0.3, "no change"),
        (None, 95550, "not measurable"),
        (np.nan, 1, "not measurable"),
        (1, None, "not measurable"),
    ],
)
def test_direction(baseline, current, expected):
    assert m.direction(baseline, current) == expected


def test_arrow():
    assert [m.arrow(d) for d in m.DIRECTIONS] == ["▲", "▼", "►", "‡"]
    with pytest.raises(ValueError, match="unknown direction 'sideways': expected one of 'up'"):
        m.arrow("sideways")
    with pytest.raises(ValueError, match="unknown direction"):
        m.arrow(None)


@pytest.mark.parametrize(
    ("baseline", "current", "good", "expected"),
    [
        (10, 12, "higher", "improved"),
        (10, 8, "higher", "deteriorated"),
        (10, 8, "lower", "improved"),
        (10, 12, "lower", "deteriorated"),
        (10, 10, "higher", "no change"),
        (10, 10, "neutral", "no change"),
        (10, 12, "neutral", "not measurable"),
        (None, 12, "higher", "not measurable"),
        (0, 7, "higher", "improved"),
        (10, np.nan, "lower", "not measurable"),
    ],
)
def test_judge_change(baseline, current, good, expected):
    assert m.judge_change(baseline, current, good) == expected


def test_judge_change_rejects_unknown_good_direction():
    with pytest.raises(ValueError, match="unknown good direction 'up': expected one of 'higher'"):
        m.judge_change(1, 2, "up")


@pytest.mark.parametrize(
    ("baseline", "current", "unit", "expected"),
    [
        (17, 80, "count", "+370.6%"),
        (14_310_294, 10_284_362, "count", "-28.1%"),
        (26, 29, "percent", "+3.0 pp"),
        (85, 79, "percent", "-6.0 pp"),
        (5, 5, "count", "0.0%"),
        (5, 5, "percent", "0.0 pp"),
        (0, 7, "count", "not measurable"),
        (0, 7, "percent", "+7.0 pp"),
        (None, 7, "gbp", "not measurable"),
        (1000, 1000.0001, "count", "0.0%"),
    ],
)
def test_format_change(baseline, current, unit, expected):
    assert m.format_change(baseline, current, unit) == expected


def test_format_change_decimals_and_errors():
    assert m.format_change(17, 80, "count", decimals=0) == "+371%"
    with pytest.raises(ValueError, match="unknown unit 'percentage': expected one of 'count'"):
        m.format_change(1, 2, "percentage")
    with pytest.raises(ValueError, match="decimals must be 0 or more, got -1"):
        m.format_change(1, 2, "count", decimals=-1)


def test_summarise_change():
    change = m.summarise_change(85, 79, "percent", "higher")
    assert change.direction == "down"
    assert change.arrow == "▼"
    assert change.judgement == "deteriorated"
    assert change.pp == -6.0
    assert change.pct == pytest.approx(-7.0588235)
    assert change.text == "-6.0 pp"
    counts = m.summarise_change(None, 95550, "count", "higher")
    assert (counts.arrow, counts.judgement, counts.text, counts.pp) == (
        "‡",
        "not measurable",
        "not measurable",
        None,
    )
    assert counts.baseline is None and counts.current == 95550.0
    with pytest.raises(ValueError, match="unknown good direction"):
        m.summarise_change(1, 2, "count", "better")


def test_rolling_sum_is_available_from_metrics():
    series = pd.Series(np.ones(12), index=pd.period_range("2025-04", periods=12, freq="M"))
    totals = m.sum_rolling_12_months(series)
    assert totals.iloc[-1] == 12.0 and math.isnan(totals.iloc[0])


def test_convert_scale_change_tells_a_fixed_scale_score_in_points():
    grade = {"unit": "score", "measure_name": "Condition (1 = poor to 5 = excellent)"}
    down = m.convert_scale_change(m.summarise_change(3.41, 3.37, "score", "higher"), grade)
    assert (down.text, down.pct, down.direction) == ("-0.04 points", None, "down")
    ratio = {"unit": "score", "measure_name": "Disproportionality ratio"}
    rise = m.convert_scale_change(m.summarise_change(2, 2.5, "score", "lower"), ratio)
    assert rise.text == "+25.0%"
    missing = m.convert_scale_change(m.summarise_change(None, 3.37, "score", "higher"), grade)
    assert missing.text == "not measurable"


@pytest.mark.parametrize(
    ("baseline", "current", "unit", "text"),
    [
        # Review 9, R9-15: the printed change agrees with the printed figures.
        (79.62, 79.34, "percent", "-0.3 pp"),  # 79.6% to 79.3%, not -0.2 (unrounded)
        (31.84, 33.46, "percent", "+1.7 pp"),  # 31.8% to 33.5%, not +1.6
    ],
)
def test_a_printed_change_is_worked_out_from_the_printed_figures(baseline, current, unit, text):
    from pcplib.labels import format_figures

    assert m.format_change(baseline, current, unit) == text, format_figures(
        [baseline, current], unit
    )
    change = m.summarise_change(baseline, current, unit, "higher")
    number, _ = m.measure_change(change, unit)
    assert f"{number:+.1f}" == text.split(" ")[0].rstrip("%")
    # The rules still read the unrounded change.
    assert change.pct == pytest.approx((current - baseline) / baseline * 100)


@pytest.mark.parametrize(
    ("baseline", "current", "unit", "text"),
    [
        # Review 11, R11-3 / review 12, R12-2: the burglary rate's 12 months against the
        # baseline year, -7.4% from "0.54" and "0.50"; 2025/26 against it, -5.6%.
        (0.539347, 0.495712, "rate_per_1000", "-8.1%"),
        (0.539347, 0.505312, "rate_per_1000", "-6.3%"),
        # 108 days to 106 would be -1.9%, the other side of the 2% materiality.
        (108.4, 105.9, "days", "-2.3%"),
        (353.2, 360.6, "hours", "+2.1%"),  # 353 to 361 would be +2.3%
    ],
)
def test_a_printed_per_cent_change_is_worked_out_from_the_unrounded_figures(
    baseline, current, unit, text
):
    assert m.format_change(baseline, current, unit) == text
    change = m.summarise_change(baseline, current, unit, "lower")
    number, change_unit = m.measure_change(change, unit)
    # judgements.csv keeps the unrounded change, the one the rules read.
    assert change_unit == "%"
    assert number == pytest.approx((current - baseline) / baseline * 100, rel=1e-12)


def test_equal_small_counts_are_told_as_a_number_like_any_other_small_count():
    # Review 9, R9-14: homicides 5 against 5 were charted "+0.0%".
    from pcplib.report.change_charts import _change_text

    same = m.count_small_change(m.summarise_change(5, 5, "count", "lower"), "count")
    assert same.text == "0" and same.pct is None
    fewer = m.count_small_change(m.summarise_change(22, 17, "count", "lower"), "count")
    assert fewer.text == "-5"
    row = {"change_value": None, "change": same.text, "group": "too few to tell", "unit": "count"}
    assert _change_text(row) == "0, not charted as a percentage"
