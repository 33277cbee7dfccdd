"""Property tests of the SPC arithmetic (hypothesis), for both rule sets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pcplib.spc import xmr

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RULES = ["mdc", "plotthedots"]

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
series = st.lists(finite, min_size=2, max_size=40)


@st.composite
def series_with_gaps(draw: st.DrawFn) -> list[float]:
    """A series with some gaps, keeping at least one adjacent pair of real values."""
    values = draw(st.lists(finite, min_size=3, max_size=40))
    gaps = draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    out = [np.nan if gap else v for v, gap in zip(values, gaps, strict=True)]
    out[0], out[1] = values[0], values[1]
    return out


def _limits(result) -> np.ndarray:
    return result.points[["mean", "lpl", "upl", "lower_2s", "upper_2s"]].to_numpy(dtype=float)


@pytest.mark.parametrize("rules", RULES)
@SETTINGS
@given(values=series_with_gaps())
def test_limits_bracket_the_mean(rules: str, values: list[float]) -> None:
    pts = xmr(values, rules=rules, min_points=2 if rules == "mdc" else None).points
    assert (pts["lpl"] <= pts["lower_2s"]).all()
    assert (pts["lower_2s"] <= pts["mean"]).all()
    assert (pts["mean"] <= pts["upper_2s"]).all()
    assert (pts["upper_2s"] <= pts["upl"]).all()
    assert pts["gap"].tolist() == [bool(np.isnan(v)) for v in values]


@pytest.mark.parametrize("rules", RULES)
@SETTINGS
@given(values=series, shift=st.floats(min_value=-1e4, max_value=1e4))
def test_adding_a_constant_shifts_the_mean_and_limits(
    rules: str, values: list[float], shift: float
) -> None:
    base = xmr(values, rules=rules)
    moved = xmr([v + shift for v in values], rules=rules)
    scale = max(1.0, max(abs(v) for v in values), abs(shift))
    np.testing.assert_allclose(_limits(moved), _limits(base) + shift, rtol=0, atol=1e-9 * scale)


@pytest.mark.parametrize("rules", RULES)
@SETTINGS
@given(values=series, factor=st.floats(min_value=1e-3, max_value=1e3))
def test_multiplying_by_a_positive_constant_scales_the_mean_and_limits(
    rules: str, values: list[float], factor: float
) -> None:
    base = xmr(values, rules=rules)
    scaled = xmr([v * factor for v in values], rules=rules)
    scale = max(1.0, max(abs(v) for v in values)) * factor
    np.testing.assert_allclose(_limits(scaled), _limits(base) * factor, rtol=0, atol=1e-9 * scale)


SWAP = {
    "special_cause_improvement": "special_cause_concern",
    "special_cause_concern": "special_cause_improvement",
    "common_cause": "common_cause",
    None: None,
}
SWAP_ASSURANCE = {
    "consistent_pass": "consistent_fail",
    "consistent_fail": "consistent_pass",
    "inconsistent": "inconsistent",
    None: None,
}


@pytest.mark.parametrize("rules", RULES)
@SETTINGS
@given(values=series_with_gaps(), target=st.one_of(st.none(), finite))
def test_reversing_the_direction_swaps_improvement_and_concern(
    rules: str, values: list[float], target: float | None
) -> None:
    # In mdc a point that is both improvement and concern follows the conflict setting,
    # so the mirror image of "increase, prefer improvement" is "decrease, prefer concern".
    up_options = {"conflict": "improvement"} if rules == "mdc" else {}
    down_options = {"conflict": "concern"} if rules == "mdc" else {}
    up = xmr(values, "increase", target, rules, **up_options)
    down = xmr(values, "decrease", target, rules, **down_options)
    assert down.points["special_cause"].tolist() == up.points["special_cause"].tolist()
    assert down.points["point_type"].tolist() == [SWAP[t] for t in up.points["point_type"]]
    assert down.variation == SWAP[up.variation]
    # With zero spread (limits on the mean) an inclusive target can sit on both limits.
    assume(not (up.points["lpl"] == up.points["upl"]).any())
    assert down.assurance == SWAP_ASSURANCE[up.assurance]


@pytest.mark.parametrize("rules", RULES)
@SETTINGS
@given(values=series_with_gaps())
def test_gaps_never_carry_a_signal(rules: str, values: list[float]) -> None:
    pts = xmr(values, rules=rules, min_points=2 if rules == "mdc" else None).points
    gaps = pts[pts["gap"]]
    assert (gaps["point_type"] == "common_cause").all()
    assert (gaps["special_cause"] == "Missing").all()
