from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from pcplib import stats as s


def test_wilson_interval_matches_the_formula():
    interval = s.wilson_interval(62, 100)
    z = 1.959963984540054
    p, n = 0.62, 100
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert interval.estimate == pytest.approx(0.62)
    assert interval.low == pytest.approx(centre - half)
    assert interval.high == pytest.approx(centre + half)
    assert interval.confidence == 0.95
    assert interval.describe() == "62.0% (95% CI 52.2% to 70.9%)"


def test_wilson_interval_edges_and_design_effect():
    zero = s.wilson_interval(0, 10)
    assert zero.low == 0.0 and 0 < zero.high < 0.3
    full = s.wilson_interval(10, 10)
    assert full.high == pytest.approx(1.0) and full.low < 1
    plain = s.wilson_interval(500, 1000)
    widened = s.wilson_interval(500, 1000, design_effect=2.0)
    assert widened.estimate == plain.estimate
    low, high = proportion_confint(250, 500, method="wilson")
    assert (widened.low, widened.high) == pytest.approx((low, high))
    assert widened.high - widened.low > plain.high - plain.low
    narrower = s.wilson_interval(500, 1000, confidence=0.9)
    assert narrower.high - narrower.low < plain.high - plain.low
    assert narrower.describe(decimals=0).startswith("50% (90% CI")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((11, 10), r"successes \(11\) cannot be more than the sample size n \(10\)"),
        ((1, 0), r"n \(the sample size\) must be more than 0, got 0"),
        ((-1, 10), "successes must be 0 or more, got -1"),
        (("5", 10), "successes must be a number, got '5'"),
        ((5, float("nan")), "n must be a finite number"),
    ],
)
def test_wilson_interval_rejects(args, message):
    with pytest.raises(ValueError, match=message):
        s.wilson_interval(*args)


def test_wilson_interval_rejects_bad_settings():
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        s.wilson_interval(5, 10, confidence=95)
    with pytest.raises(ValueError, match="design_effect must be 1 or more"):
        s.wilson_interval(5, 10, design_effect=0.5)


def test_compare_proportions_no_change():
    result = s.compare_proportions(54, 100, 58, 100)
    assert result.estimate == pytest.approx(4.0)
    assert result.low < 0 < result.high
    assert result.p_value > 0.05
    assert result.verdict == "no significant change"
    assert not result.significant
    assert result.baseline == pytest.approx(54.0) and result.current == pytest.approx(58.0)
    assert result.measure == "difference in percentage points"
    assert result.describe().startswith("From 54.0% to 58.0%: a change of +4.0 percentage points")
    assert result.describe().endswith("no significant change.")


def test_compare_proportions_significant_increase_and_decrease():
    up = s.compare_proportions(540, 1000, 600, 1000)
    assert up.verdict == "statistically significant increase"
    assert up.low > 0 and up.p_value < 0.05 and up.significant
    down = s.compare_proportions(600, 1000, 540, 1000)
    assert down.verdict == "statistically significant decrease"
    assert down.high < 0
    assert down.estimate == pytest.approx(-up.estimate)
    assert down.p_value == pytest.approx(up.p_value)


def test_compare_proportions_design_effect_widens_and_can_remove_significance():
    plain = s.compare_proportions(540, 1000, 600, 1000)
    clustered = s.compare_proportions(540, 1000, 600, 1000, design_effect=3.0)
    assert clustered.estimate == pytest.approx(plain.estimate)
    assert clustered.high - clustered.low > plain.high - plain.low
    assert clustered.p_value > plain.p_value
    assert clustered.verdict == "no significant change"
    assert "design effect 3" in clustered.method


def test_compare_proportions_verdict_agrees_with_interval():
    rng = np.random.default_rng(7)
    for _ in range(300):
        n1, n2 = rng.integers(5, 600, size=2)
        x1, x2 = rng.integers(0, n1 + 1), rng.integers(0, n2 + 1)
        result = s.compare_proportions(x1, n1, x2, n2, design_effect=rng.uniform(1, 2.5))
        excludes_zero = result.low > 0 or result.high < 0
        assert result.significant == excludes_zero, (x1, n1, x2, n2)


def test_compare_proportions_handles_zero_and_full():
    result = s.compare_proportions(0, 50, 50, 50)
    assert result.verdict == "statistically significant increase"
    assert result.estimate == pytest.approx(100.0)
    same = s.compare_proportions(0, 10, 0, 10)
    assert same.verdict == "no significant change" and same.p_value == pytest.approx(1.0)


def test_compare_proportions_rejects():
    with pytest.raises(ValueError, match=r"successes2 \(120\) cannot be more than .* n2 \(100\)"):
        s.compare_proportions(50, 100, 120, 100)
    with pytest.raises(ValueError, match="n1 .* must be more than 0"):
        s.compare_proportions(0, 0, 5, 10)
    with pytest.raises(ValueError, match="design_effect must be 1 or more"):
        s.compare_proportions(5, 10, 5, 10, design_effect=0.9)
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        s.compare_proportions(5, 10, 5, 10, confidence=1.0)


def test_compare_counts_matches_exact_conditional_test():
    result = s.compare_counts(120, 150)
    assert result.estimate == pytest.approx(1.25)
    assert result.measure == "rate ratio"
    assert result.verdict == "no significant change"
    assert result.low < 1 < result.high
    # Given the 270 events, 150 in the second period is binomial(270, 0.5) under no change.
    from scipy.stats import binom

    assert result.p_value == pytest.approx(2 * binom.sf(149, 270, 0.5))
    assert result.describe() == (
        "From 120 to 150: a rate ratio of 1.25 (95% confidence interval "
        f"{result.low:.2f} to {result.high:.2f}; p = {result.p_value:.3f}): no significant change."
    )


def test_compare_counts_significant_changes():
    up = s.compare_counts(1000, 1200)
    assert up.verdict == "statistically significant increase" and up.low > 1
    assert "p < 0.001" in up.describe()
    down = s.compare_counts(1200, 1000)
    assert down.verdict == "statistically significant decrease" and down.high < 1


def test_compare_counts_exposure_makes_rates_comparable():
    # 100 offences in 6 months against 200 in 12 months is the same rate.
    same_rate = s.compare_counts(100, 200, exposure1=6, exposure2=12)
    assert same_rate.estimate == pytest.approx(1.0)
    assert same_rate.verdict == "no significant change"
    assert same_rate.baseline == pytest.approx(100 / 6)
    assert same_rate.current == pytest.approx(200 / 12)


def test_compare_counts_zero_baseline_or_current():
    from_zero = s.compare_counts(0, 12)
    assert math.isinf(from_zero.estimate) and math.isinf(from_zero.high)
    assert from_zero.verdict == "statistically significant increase"
    assert "infinity" in from_zero.describe()
    to_zero = s.compare_counts(12, 0)
    assert to_zero.estimate == 0.0 and to_zero.low == 0.0
    assert to_zero.verdict == "statistically significant decrease"


def test_compare_counts_verdict_agrees_with_interval():
    rng = np.random.default_rng(11)
    for _ in range(300):
        c1, c2 = (int(c) for c in rng.integers(0, 80, size=2))
        if c1 + c2 == 0:
            continue
        e1, e2 = rng.uniform(0.5, 2.0, size=2)
        result = s.compare_counts(c1, c2, e1, e2, confidence=0.9)
        excludes_one = result.low > 1 or result.high < 1
        assert result.significant == excludes_one, (c1, c2, e1, e2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 5), "c1 must be a whole number, 0 or more, got -1"),
        ((1.5, 5), "c1 must be a whole number"),
        ((5, -2), "c2 must be a whole number"),
        ((0, 0), "c1 and c2 are both 0: there is no rate ratio to test"),
        ((5, 5, 0), "exposure1 must be more than 0"),
        ((5, 5, 1, -1), "exposure2 must be more than 0"),
        ((5, 5, 1, 1, 0), "confidence must be between 0 and 1"),
    ],
)
def test_compare_counts_rejects(args, message):
    with pytest.raises(ValueError, match=message):
        s.compare_counts(*args)


def test_verdicts_are_the_documented_three():
    assert s.VERDICTS == (
        "statistically significant increase",
        "statistically significant decrease",
        "no significant change",
    )


def test_no_public_function_is_collected_by_pytest():
    assert not [name for name in dir(s) if name.startswith("test")]


@pytest.mark.parametrize(
    ("p_value", "shown"),
    [
        (0.23, "p = 0.230"),
        (0.0734, "p = 0.073"),
        (0.0996, "p = 0.0996"),  # 0.100 would read as not below 0.1 (review 1, B8)
        (0.0504, "p = 0.0504"),  # 0.050 would read as on the 5% line
        (0.0499, "p = 0.0499"),
        (0.05, "p = 0.050"),
        (0.0009, "p < 0.001"),
    ],
)
def test_a_p_value_is_never_rounded_across_a_threshold(p_value: float, shown: str) -> None:
    from pcplib.stats import format_p_value

    assert format_p_value(p_value) == shown
