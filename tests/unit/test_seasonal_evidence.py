"""The tests of change size a seasonal series' noise net of its season (issue #26).

The windows compare like seasons, so the seasonal swing is no part of the difference
tested; sized from the raw series it would hide real changes in seasonal measures.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pcplib.assessment.evidence import Evidence, weigh_change
from pcplib.assessment.figures import Window
from pcplib.assessment.season_noise import (
    SEASON,
    deseasonalise_history,
    is_like_seasons,
    read_season_factors,
    sum_season_chi2,
)
from pcplib.periods import month_number

MONTHS = pd.date_range("2020-04-01", "2026-09-01", freq="MS")
SEASON_SHAPE = 1 + 0.15 * np.sin(2 * np.pi * (MONTHS.month.to_numpy() - 1) / 12)
MEASURE: dict[str, Any] = {
    "measure_id": "m",
    "unit": "count",
    "aggregation": "sum",
    "frequency": "monthly",
    "baseline_year": "2024/25",
    "good_direction": "lower",
    "seasonal": "",
}


def _history(values: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {"value": values.astype(float), "numerator": np.nan, "denominator": np.nan},
        index=MONTHS,
    )


def _window(history: pd.DataFrame, first: str, months: int) -> Window:
    start = pd.Timestamp(f"{first}-01")
    values = history.loc[start:, "value"].iloc[:months]
    begin = month_number(pd.Period(first, "M"))
    return Window("w", begin, begin + months - 1, float(values.sum()), months, months)


def _seasonal_counts(seed: int, rise: float = 1.0, extra: float = 0.05) -> pd.DataFrame:
    """Monthly counts about 1,000 with a +-15% season and some extra-Poisson variation,
    times ``rise`` from October 2025 (the latest 12 months)."""
    rng = np.random.default_rng(seed)
    mean = 1000 * SEASON_SHAPE * np.exp(rng.normal(0, extra, MONTHS.size))
    mean = np.where(MONTHS >= pd.Timestamp("2025-10-01"), mean * rise, mean)
    return _history(rng.poisson(mean))


def _since_baseline(history: pd.DataFrame, measure: dict[str, Any]) -> Evidence:
    """The latest 12 months (to September 2026) against the baseline year 2024/25."""
    before, after = _window(history, "2024-04", 12), _window(history, "2025-10", 12)
    return weigh_change(before, after, history, measure)


def test_a_real_rise_in_a_seasonal_count_is_beyond_chance_net_of_season() -> None:
    history = _seasonal_counts(seed=3, rise=1.05, extra=0.03)
    before, after = _window(history, "2024-04", 12), _window(history, "2025-10", 12)
    assert 3 < (after.value / before.value - 1) * 100 < 7  # type: ignore[operator]
    assert read_season_factors(history, MEASURE) is not None
    net = _since_baseline(history, MEASURE)
    assert net.verdict == "beyond chance" and net.real
    # With the season switched off, the swing counts as noise and hides the rise.
    swing = _since_baseline(history, {**MEASURE, "seasonal": "no"})
    assert swing.verdict == "within noise"
    assert swing.dispersion is not None and net.dispersion is not None
    assert swing.dispersion > 2 * net.dispersion


def test_a_seasonal_count_with_no_change_is_rarely_beyond_chance() -> None:
    # 200 seasonal series with no change, their indices estimated from the same data
    # (to March 2025, as the charts'): the test must not turn noise into findings.
    p_baseline, p_year = [], []
    for seed in range(200):
        history = _seasonal_counts(seed=1000 + seed)
        assert read_season_factors(history, MEASURE) is not None
        p_baseline.append(_since_baseline(history, MEASURE).p_value)
        before, after = _window(history, "2024-10", 12), _window(history, "2025-10", 12)
        p_year.append(weigh_change(before, after, history, MEASURE).p_value)
    assert np.mean(np.array(p_baseline) < 0.05) < 0.10
    assert np.mean(np.array(p_year) < 0.05) < 0.10


def test_a_seasonal_quarter_with_no_change_is_rarely_beyond_chance() -> None:
    # A quarter against the same quarter a year earlier: too few months for the windows'
    # own dispersion, so the point-to-point dispersion net of season sizes it alone.
    p_quarter = []
    for seed in range(200):
        history = _seasonal_counts(seed=5000 + seed)
        before, after = _window(history, "2025-07", 3), _window(history, "2026-07", 3)
        p_quarter.append(weigh_change(before, after, history, MEASURE).p_value)
    assert np.mean(np.array(p_quarter, dtype=float) < 0.05) < 0.10


def test_a_real_fall_in_a_seasonal_level_is_beyond_chance_net_of_season() -> None:
    # Energy used (kWh): a level, tested with the pooled within-window variance.
    rng = np.random.default_rng(11)
    values = 100_000 * SEASON_SHAPE * (1 + rng.normal(0, 0.02, MONTHS.size))
    values = np.where(MONTHS >= pd.Timestamp("2025-10-01"), values * 0.94, values)
    history = _history(values)
    energy = {**MEASURE, "unit": "kwh"}
    net = _since_baseline(history, energy)
    assert net.test == "level t-test" and net.verdict == "beyond chance"
    assert _since_baseline(history, {**energy, "seasonal": "no"}).verdict == "within noise"


def test_a_series_that_is_not_seasonal_is_tested_as_before() -> None:
    rng = np.random.default_rng(5)
    history = _history(rng.poisson(1000 * np.exp(rng.normal(0, 0.05, MONTHS.size))))
    assert read_season_factors(history, MEASURE) is None
    # The same test whether the catalogue says "no" or leaves it to the data.
    assert _since_baseline(history, MEASURE) == _since_baseline(
        history, {**MEASURE, "seasonal": "no"}
    )


def test_counts_in_line_with_their_season_have_no_chi_squared() -> None:
    factors = np.array([0.8, 1.0, 1.2, 1.0])
    window = deseasonalise_history(_history(np.zeros(MONTHS.size)).iloc[:4], factors)
    window["value"] = 50.0  # a level of 50 a period: counts 40, 50, 60, 50
    assert window[SEASON].tolist() == factors.tolist()
    assert sum_season_chi2(window) == 0.0
    window["value"] = [50.0, 50.0, 50.0, 70.0]  # the last 70 against 52.5 expected
    assert sum_season_chi2(window) > 0


def test_a_quarter_against_the_quarter_before_keeps_the_season_in_its_noise() -> None:
    # An owner's claim "fell from 2026/27 Q1 to Q2" compares unlike seasons: the fall
    # is the season's (April to June above the year's average, July to September near
    # it), so the noise it is judged against must hold the season too (review R18-3).
    rng = np.random.default_rng(6)
    shape = 1 + 0.08 * np.sin(2 * np.pi * (MONTHS.month.to_numpy() - 1) / 12)
    history = _history(rng.poisson(1000 * shape * np.exp(rng.normal(0, 0.05, MONTHS.size))))
    assert read_season_factors(history, MEASURE) is not None
    first, second = _window(history, "2026-04", 3), _window(history, "2026-07", 3)
    assert not is_like_seasons(first, second)
    claim = weigh_change(first, second, history, MEASURE)
    assert claim.verdict == "within noise"
    # Sized as for a measure with no season: net of season it had read "possible".
    plain = weigh_change(first, second, history, {**MEASURE, "seasonal": "no"})
    assert (claim.p_value, claim.dispersion) == (plain.p_value, plain.dispersion)
    # Like seasons (a quarter against the same quarter a year earlier) stay net of season.
    year_ago = _window(history, "2025-07", 3)
    assert is_like_seasons(year_ago, second)
    assert is_like_seasons(_window(history, "2024-04", 24), _window(history, "2026-04", 12))
    like = weigh_change(year_ago, second, history, MEASURE)
    assert (
        like.dispersion
        != weigh_change(year_ago, second, history, {**MEASURE, "seasonal": "no"}).dispersion
    )
