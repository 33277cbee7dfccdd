"""Unit tests for pcplib.spc: hand-made series for every rule, option and bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pcplib.spc import XmrResult, summarise_xmr_frame, xmr, xmr_frame

# Twelve alternating points: mean exactly 0, every moving range 2, so amr = 2,
# upl = 5.32, lpl = -5.32 and the 2-sigma lines are +/- 3.5467. With
# baseline_points=12 the later points leave these limits alone.
BASE = [1.0, -1.0] * 6
UPL = 2.66 * 2
TWO_SIGMA = 2 * (2.66 / 3) * 2


def run(tail: list[float], **kwargs: object) -> XmrResult:
    kwargs.setdefault("baseline_points", 12)
    return xmr(BASE + tail, **kwargs)  # type: ignore[arg-type]


def labels(result: XmrResult, start: int = 12) -> list[str]:
    return result.points["special_cause"].tolist()[start:]


def types(result: XmrResult, start: int = 12) -> list[str]:
    return result.points["point_type"].tolist()[start:]


# ---------------------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------------------


def test_limits_follow_the_shared_arithmetic() -> None:
    result = xmr([10, 12, 11, 15, 9, 10, 13, 12, 11, 10, 14, 12, 11])
    values = np.array([10, 12, 11, 15, 9, 10, 13, 12, 11, 10, 14, 12, 11], dtype=float)
    mean = values.mean()
    amr = np.abs(np.diff(values)).mean()
    points = result.points
    assert points["mean"].iloc[0] == pytest.approx(mean)
    assert points["upl"].iloc[0] == pytest.approx(mean + 2.66 * amr)
    assert points["lpl"].iloc[0] == pytest.approx(mean - 2.66 * amr)
    assert points["upper_2s"].iloc[0] == pytest.approx(mean + 2 / 3 * 2.66 * amr)
    assert points["lower_2s"].iloc[0] == pytest.approx(mean - 2 / 3 * 2.66 * amr)
    assert result.rules == "mdc" and result.improvement == "increase" and result.has_limits


def test_baseline_points_fix_the_limits_on_the_first_points() -> None:
    result = run([50.0] * 3)
    assert result.points["mean"].tolist() == [0.0] * 15
    assert result.points["upl"].iloc[-1] == pytest.approx(UPL)
    assert labels(result) == ["Above UCL"] * 3


def test_baseline_points_below_twelve_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 12"):
        xmr(BASE + [1, 2], baseline_points=5)


def test_mdc_screening_drops_large_ranges_and_their_points() -> None:
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 60]
    plain = xmr(values)
    screened = xmr(values, screen_outliers=True)
    # The jump to 60 makes a range of 50, far above 3.267 * amr: dropped with its point.
    assert screened.points["mean"].iloc[0] == pytest.approx(np.mean(values[:-1]))
    assert screened.points["upl"].iloc[0] == pytest.approx(np.mean(values[:-1]) + 2.66 * 1.0)
    assert plain.points["mean"].iloc[0] == pytest.approx(np.mean(values))
    assert screened.points["special_cause"].iloc[-1] == "Above UCL"


def test_plotthedots_screening_keeps_the_mean() -> None:
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 60]
    screened = xmr(values, rules="plotthedots")
    unscreened = xmr(values, rules="plotthedots", screen_outliers=False)
    assert screened.points["mean"].iloc[0] == pytest.approx(np.mean(values))
    assert screened.points["upl"].iloc[0] == pytest.approx(np.mean(values) + 2.66)
    ranges = np.abs(np.diff(values))
    assert unscreened.points["upl"].iloc[0] == pytest.approx(np.mean(values) + 2.66 * ranges.mean())


# ---------------------------------------------------------------------------------------
# MDC rules
# ---------------------------------------------------------------------------------------


def test_outside_the_limits_is_strict() -> None:
    result = run([1.0, -1.0, 6.0, -UPL, 1.0])
    assert labels(result) == [
        "Common Cause",
        "Common Cause",
        "Above UCL",
        "Common Cause",
        "Common Cause",
    ]
    assert types(result)[2] == "special_cause_improvement"
    concern = run([1.0, -1.0, 6.0, -1.0, 1.0], improvement="decrease")
    assert types(concern)[2] == "special_cause_concern"
    low = run([1.0, -6.0, 1.0])
    assert labels(low) == ["Common Cause", "Below LCL", "Common Cause"]
    assert types(low)[1] == "special_cause_concern"


def test_shift_of_six_on_one_side() -> None:
    result = run([-1.0] + [0.5] * 6 + [-1.0])
    assert labels(result) == ["Common Cause"] + ["6 Points Above CL"] * 6 + ["Common Cause"]
    assert set(types(result)[1:7]) == {"special_cause_improvement"}
    five = run([-1.0] + [0.5] * 5 + [-1.0])
    assert labels(five) == ["Common Cause"] * 7


def test_run_length_is_configurable_from_six_to_eight() -> None:
    six = [-1.0] + [0.5] * 6 + [-1.0]
    assert labels(run(six, run_length=7)) == ["Common Cause"] * 8
    seven = [-1.0] + [0.5] * 7 + [-1.0]
    assert labels(run(seven, run_length=7))[1:8] == ["7 Points Above CL"] * 7
    for bad in (5, 9, 6.5, True):
        with pytest.raises(ValueError, match="from 6 to 8"):
            run(six, run_length=bad)


def test_a_point_on_the_mean_breaks_a_run() -> None:
    result = run([-1.0] + [0.5] * 3 + [0.0] + [0.5] * 3 + [-1.0])
    assert labels(result) == ["Common Cause"] * 9


def test_trend_of_six_counts_both_end_points() -> None:
    rising = [-0.5, -0.3, -0.1, 0.1, 0.3, 0.5]
    result = run([1.0] + rising + [-1.0, 1.0, -1.0])
    assert labels(result) == (
        ["Common Cause"] + ["6 Point Trend (Increasing)"] * 6 + ["Common Cause"] * 3
    )
    assert set(types(result)[1:7]) == {"special_cause_improvement"}
    five = run([1.0] + rising[:5] + [-1.0, 1.0, -1.0])
    assert labels(five) == ["Common Cause"] * 9
    falling = run([-1.0] + rising[::-1] + [1.0, -1.0], improvement="increase")
    assert labels(falling)[1:7] == ["6 Point Trend (Decreasing)"] * 6
    assert set(types(falling)[1:7]) == {"special_cause_concern"}


def test_equal_values_break_a_trend() -> None:
    result = run([1.0, -0.5, -0.3, -0.1, -0.1, 0.1, 0.3, 0.5, -1.0])
    assert labels(result) == ["Common Cause"] * 9


def test_two_in_three_beyond_two_sigma() -> None:
    result = run([-1.0, 4.0, 0.5, 4.0, -1.0, 1.0])
    assert labels(result) == [
        "Common Cause",
        "2 in 3 Above CL",
        "Common Cause",
        "2 in 3 Above CL",
        "Common Cause",
        "Common Cause",
    ]
    assert types(result)[1] == "special_cause_improvement"
    low = run([1.0, -0.5, -4.0, -4.0, 1.0], improvement="increase")
    assert labels(low) == ["Common Cause"] * 2 + ["2 in 3 Below CL"] * 2 + ["Common Cause"]
    assert set(types(low)[2:4]) == {"special_cause_concern"}


def test_two_in_three_needs_all_three_on_one_side() -> None:
    result = run([-1.0, 4.0, -0.5, 4.0, -1.0])
    assert labels(result) == ["Common Cause"] * 5


def test_two_in_three_counts_points_outside_the_limits_in_mdc_only() -> None:
    tail = [-1.0, 6.0, 0.5, 4.0, -1.0]
    mdc = run(tail)
    assert labels(mdc) == [
        "Common Cause",
        "Above UCL",
        "Common Cause",
        "2 in 3 Above CL",
        "Common Cause",
    ]
    ptd = xmr(BASE + tail, rules="plotthedots", baseline_points=12, screen_outliers=False)
    assert labels(ptd) == [
        "Common Cause",
        "Above UCL",
        "Common Cause",
        "Common Cause",
        "Common Cause",
    ]


def test_conflict_setting_decides_an_upward_trend_below_the_mean() -> None:
    tail = [1.0, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 2.0, -1.0, 1.0]
    default = run(tail)
    assert labels(default)[1:7] == ["6 Point Trend (Increasing)"] * 6
    assert set(types(default)[1:7]) == {"special_cause_improvement"}
    concern = run(tail, conflict="concern")
    assert labels(concern)[1:7] == ["6 Points Below CL"] * 6
    assert set(types(concern)[1:7]) == {"special_cause_concern"}
    with pytest.raises(ValueError, match="'improvement', 'concern'"):
        run(tail, conflict="worst")


def test_neutral_direction_gives_high_and_low() -> None:
    result = run([1.0, 6.0, -6.0, 1.0], improvement="neutral", target=2.0)
    assert types(result)[1:3] == ["special_cause_neutral_high", "special_cause_neutral_low"]
    assert result.variation == "common_cause"
    assert result.assurance is None
    last_high = run([1.0, 6.0], improvement="neutral")
    assert last_high.variation == "special_cause_neutral_high"
    assert "no good direction" in last_high.describe()


def test_neutral_conflict_takes_the_strongest_rule() -> None:
    tail = [1.0, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 2.0, -1.0, 1.0]
    result = run(tail, improvement="neutral")
    assert labels(result)[1:7] == ["6 Point Trend (Increasing)"] * 6
    assert set(types(result)[1:7]) == {"special_cause_neutral_high"}


# ---------------------------------------------------------------------------------------
# Minimum points, rebasing, ghosts
# ---------------------------------------------------------------------------------------


def test_fewer_than_thirteen_points_gives_a_run_chart() -> None:
    result = xmr([3, 4, 5, 4, 3, 4, 5, 4, 3, 4, 5, 40], target=4)
    assert not result.has_limits
    assert result.variation is None and result.assurance is None
    assert result.points[["lpl", "upl", "lower_2s", "upper_2s"]].isna().all().all()
    assert set(result.points["special_cause"]) == {"No limits (run chart)"}
    assert set(result.points["point_type"]) == {"common_cause"}
    assert result.points["mean"].notna().all()
    assert "run chart" in result.describe() and "12 of the 13" in result.describe()
    thirteen = xmr([3, 4, 5, 4, 3, 4, 5, 4, 3, 4, 5, 4, 40])
    assert thirteen.has_limits and thirteen.variation == "special_cause_improvement"


def test_min_points_is_adjustable_and_mdc_only() -> None:
    values = [3, 4, 5, 4, 3, 4, 5, 4, 40]
    assert xmr(values, min_points=9).has_limits
    assert not xmr(values, min_points=10).has_limits
    with pytest.raises(ValueError, match="at least 2"):
        xmr(values, min_points=1)
    with pytest.raises(ValueError, match="leave min_points unset"):
        xmr(values, rules="plotthedots", min_points=13)
    assert xmr(values, rules="plotthedots").has_limits


def test_gaps_and_ghosts_do_not_count_towards_min_points() -> None:
    values = [3, 4, 5, 4, 3, 4, 5, 4, 3, 4, 5, 4, np.nan, 4]
    assert xmr(values).has_limits
    assert not xmr(values, ghosts=[0]).has_limits


def test_rebase_gives_each_section_its_own_limits() -> None:
    first = [10, 12, 11, 13, 10, 12, 11, 12, 10, 13, 11, 12, 11]
    second = [30, 33, 31, 32, 30, 34, 31, 33, 32, 30, 31, 33]
    index = pd.date_range("2024-01-01", periods=25, freq="MS")
    series = pd.Series(first + second, index=index, dtype=float)
    result = xmr(series, rebase_at=[index[13]])
    alone_first = xmr(first)
    alone_second = xmr(second, min_points=12)
    pts = result.points
    assert pts["section"].tolist() == [0] * 13 + [1] * 12
    for column in ("mean", "lpl", "upl"):
        assert pts[column].iloc[:13].tolist() == pytest.approx(alone_first.points[column].tolist())
        assert pts[column].iloc[13:].tolist() == pytest.approx(alone_second.points[column].tolist())
    # Without the rebase the step up is special cause; with it, each section is stable.
    assert (xmr(series).points["point_type"] != "common_cause").any()
    assert (pts["special_cause"] == "Common Cause").all()
    by_string = xmr(series, rebase_at=["2025-02-01"])
    by_position = xmr(series, rebase_at=[13])
    assert by_string.points["mean"].tolist() == pts["mean"].tolist()
    assert by_position.points["mean"].tolist() == pts["mean"].tolist()


def test_a_recalculated_section_needs_twelve_points() -> None:
    values = [10, 12, 11, 13, 10, 12, 11, 12, 10, 13, 11, 12, 11] + [30, 33, 31] * 3 + [32, 30]
    with pytest.raises(ValueError, match="11 usable point.*at least 12"):
        xmr(values, rebase_at=[13])
    with pytest.raises(ValueError, match="cannot start at the first point"):
        xmr(values, rebase_at=[0])
    with pytest.raises(ValueError, match="neither an index label nor a position"):
        xmr(values, rebase_at=[99])


def test_ghosts_are_shown_but_excluded_from_every_calculation() -> None:
    values = [10, 12, 11, 13, 10, 12, 11, 12, 10, 13, 11, 12, 11, 12]
    with_ghost = values[:6] + [500] + values[6:]
    result = xmr(with_ghost, ghosts=[6])
    reference = xmr(values[:6] + [np.nan] + values[6:])
    pts = result.points
    assert pts["ghost"].tolist() == [False] * 6 + [True] + [False] * 8
    assert not pts["gap"].any()
    assert pts["value"].iloc[6] == 500
    assert pts["special_cause"].iloc[6] == "Ghost (excluded)"
    assert pts["point_type"].iloc[6] == "common_cause"
    assert pts["mean"].tolist() == pytest.approx(reference.points["mean"].tolist())
    assert pts["upl"].tolist() == pytest.approx(reference.points["upl"].tolist())
    assert (pts["special_cause"].drop(pts.index[6]) == "Common Cause").all()


def test_a_ghost_breaks_a_run_and_variation_skips_it() -> None:
    tail = [-1.0] + [0.5] * 3 + [0.5] + [0.5] * 3
    assert labels(run(tail))[1:] == ["6 Points Above CL"] * 7
    ghosted = run(tail, ghosts=[16])
    assert labels(ghosted)[1:] == ["Common Cause"] * 3 + ["Ghost (excluded)"] + ["Common Cause"] * 3
    last_ghost = run([1.0, -1.0, 20.0], ghosts=[14])
    assert last_ghost.variation == "common_cause"
    assert run([1.0, -1.0, 20.0]).variation == "special_cause_improvement"


# ---------------------------------------------------------------------------------------
# Assurance
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("improvement", "target", "mdc", "plotthedots"),
    [
        ("increase", UPL, "consistent_fail", "inconsistent"),
        ("increase", -UPL, "consistent_pass", "inconsistent"),
        ("decrease", UPL, "consistent_pass", "inconsistent"),
        ("decrease", -UPL, "consistent_fail", "inconsistent"),
        ("increase", 6.0, "consistent_fail", "consistent_fail"),
        ("increase", -6.0, "consistent_pass", "consistent_pass"),
        ("decrease", 6.0, "consistent_pass", "consistent_pass"),
        ("increase", 1.0, "inconsistent", "inconsistent"),
    ],
)
def test_assurance_is_inclusive_in_mdc_and_strict_in_plotthedots(
    improvement: str, target: float, mdc: str, plotthedots: str
) -> None:
    tail = [1.0, -1.0]
    assert run(tail, improvement=improvement, target=target).assurance == mdc
    ptd = run(
        tail, improvement=improvement, target=target, rules="plotthedots", screen_outliers=False
    )
    assert ptd.points["upl"].iloc[-1] == UPL
    assert ptd.assurance == plotthedots


def test_no_assurance_without_a_target() -> None:
    assert run([1.0]).assurance is None
    assert run([1.0], target=float("nan")).assurance is None


def test_describe_gives_one_plain_sentence() -> None:
    text = run([1.0, -1.0], target=1.0).describe()
    assert text == (
        "Common-cause variation: no signal of real change; the target of 1 is not reliably "
        "met (it lies within the process limits, so it will be hit and missed by chance)."
    )
    improving = run([-1.0] + [0.5] * 6, target=-80.5).describe()
    assert improving.startswith("Special-cause improvement: a real change in the good direction")
    assert "run of 6 or more points above the mean" in improving
    assert "target of -80.5 is consistently met" in improving
    failing = run([1.0, -6.0], target=80).describe()
    assert failing.startswith("Special-cause concern")
    assert "below the lower process limit" in failing
    assert "will not be met unless the process changes" in failing
    assert run([1.0, 6.0], improvement="neutral", target=3).describe().count(".") == 1


# ---------------------------------------------------------------------------------------
# Gaps
# ---------------------------------------------------------------------------------------


def test_gaps_are_flagged_and_left_out_of_the_arithmetic() -> None:
    values = [10.0, 12.0, np.nan, 11.0, 13.0, 10.0, 12.0, 11.0, 12.0, 10.0, 13.0, 11.0, 12.0, 11.0]
    result = xmr(values)
    present = np.array([v for v in values if not math.isnan(v)])
    # Moving ranges only between adjacent non-missing points: not across the gap.
    ranges = [abs(values[i] - values[i - 1]) for i in range(1, len(values))]
    ranges = [r for r in ranges if not math.isnan(r)]
    assert len(ranges) == len(values) - 3
    pts = result.points
    assert pts["mean"].iloc[0] == pytest.approx(present.mean())
    assert pts["upl"].iloc[0] == pytest.approx(present.mean() + 2.66 * np.mean(ranges))
    assert pts["gap"].tolist() == [False, False, True] + [False] * 11
    assert pts["special_cause"].iloc[2] == "Missing"
    assert pts["point_type"].iloc[2] == "common_cause"
    assert math.isnan(pts["value"].iloc[2])


def test_a_gap_never_creates_or_completes_a_shift() -> None:
    whole = run([-1.0] + [0.5] * 7 + [-1.0])
    assert labels(whole)[1:8] == ["6 Points Above CL"] * 7
    broken = run([-1.0] + [0.5] * 3 + [np.nan] + [0.5] * 3 + [-1.0])
    assert labels(broken) == ["Common Cause"] * 4 + ["Missing"] + ["Common Cause"] * 4


def test_a_gap_never_completes_a_trend() -> None:
    rising = [-0.5, -0.3, -0.1, 0.1, 0.3, 0.5]
    broken = run([1.0] + rising[:3] + [np.nan] + rising[3:] + [-1.0])
    assert "6 Point Trend (Increasing)" not in labels(broken)


def test_a_gap_never_completes_two_in_three() -> None:
    broken = run([-1.0, 4.0, np.nan, 4.0, -1.0])
    assert labels(broken) == [
        "Common Cause",
        "Common Cause",
        "Missing",
        "Common Cause",
        "Common Cause",
    ]


def test_a_trailing_gap_leaves_variation_on_the_last_real_point() -> None:
    result = run([1.0, -1.0, 20.0, np.nan], target=-10)
    assert result.variation == "special_cause_improvement"
    assert result.assurance == "consistent_pass"


# ---------------------------------------------------------------------------------------
# Input handling and bad input
# ---------------------------------------------------------------------------------------


def test_a_datetime_index_becomes_the_points_index() -> None:
    index = pd.date_range("2024-04-01", periods=14, freq="MS")
    series = pd.Series(np.arange(14, dtype=float) % 3, index=index)
    result = xmr(series)
    assert result.points.index.equals(index)
    assert result.points["value"].tolist() == series.tolist()


def test_none_and_pandas_missing_values_are_gaps() -> None:
    result = xmr([1, 2, None, 3, pd.NA, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1])
    assert result.points["gap"].sum() == 2


def test_constant_series_has_limits_on_the_mean_and_no_signal() -> None:
    for rules in ("mdc", "plotthedots"):
        result = xmr([0.1] * 20, rules=rules, target=0.1)
        pts = result.points
        assert (
            (pts["mean"] == 0.1).all() and (pts["lpl"] == 0.1).all() and (pts["upl"] == 0.1).all()
        )
        assert (pts["point_type"] == "common_cause").all()
        assert result.variation == "common_cause"
    assert xmr([0.1] * 20, target=0.1).assurance == "consistent_pass"


def test_non_numeric_value_is_named() -> None:
    with pytest.raises(ValueError, match=r"position 2 \(index 2\) is 'abc'"):
        xmr([1, 2, "abc", 4])
    with pytest.raises(ValueError, match=r"position 1 .* is True"):
        xmr([1, True, 3])
    with pytest.raises(ValueError, match="finite"):
        xmr([1.0, np.inf, 3.0])
    with pytest.raises(ValueError, match="not a DataFrame"):
        xmr(pd.DataFrame({"a": [1, 2]}))  # type: ignore[arg-type]


def test_unsorted_or_duplicated_dates_are_refused() -> None:
    index = pd.DatetimeIndex(["2024-02-01", "2024-01-01", "2024-03-01"])
    with pytest.raises(ValueError, match="not sorted"):
        xmr(pd.Series([1.0, 2.0, 3.0], index=index))
    index = pd.DatetimeIndex(["2024-01-01", "2024-01-01", "2024-03-01"])
    with pytest.raises(ValueError, match="duplicate dates.*2024-01-01"):
        xmr(pd.Series([1.0, 2.0, 3.0], index=index))


def test_fewer_than_two_points_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2 are needed"):
        xmr([5.0, np.nan, np.nan])
    with pytest.raises(ValueError, match="at least 2 are needed"):
        xmr([])
    with pytest.raises(ValueError, match="no two adjacent non-missing points"):
        xmr([1.0, np.nan, 2.0, np.nan, 3.0], rules="plotthedots")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rules": "nhs"}, "rules='nhs' is not allowed: expected one of 'mdc', 'plotthedots'"),
        (
            {"improvement": "up"},
            "improvement='up' is not allowed: expected one of 'increase', 'decrease', 'neutral'",
        ),
        ({"rules": "plotthedots", "run_length": 6}, "always uses runs of 7"),
        ({"rules": "plotthedots", "conflict": "concern"}, "no conflict setting"),
        ({"screen_outliers": "yes"}, "expected True, False or None"),
        ({"target": "80"}, "expected a number or None"),
        ({"baseline_points": 12.5}, "expected None"),
        ({"ghosts": ["nope"]}, "ghosts: 'nope' is neither"),
    ],
)
def test_bad_options_are_refused_with_the_allowed_values(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        xmr(BASE + [1.0, 2.0], **kwargs)


# ---------------------------------------------------------------------------------------
# xmr_frame
# ---------------------------------------------------------------------------------------


def _long_frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    periods = pd.date_range("2023-04-01", periods=20, freq="MS")
    rows = []
    for measure, level, improvement, target, n in (
        ("a", 50, "increase", 55.0, 20),
        ("b", 10, "decrease", np.nan, 20),
        ("c", 5, "neutral", 5.0, 20),
        ("d", 7, "increase", 6.0, 10),
    ):
        values = level + rng.normal(0, 1, n) + np.r_[np.zeros(n - 8), np.full(8, 3.0)]
        if measure == "b":
            values[5] = np.nan
        for period, value in zip(periods[:n], values, strict=False):
            rows.append((measure, period, value, improvement, target))
    frame = pd.DataFrame(
        rows, columns=["measure_id", "period_start", "value", "improvement", "target"]
    )
    return frame.sample(frac=1.0, random_state=4)


def test_xmr_frame_equals_xmr_per_series() -> None:
    frame = _long_frame()
    points = xmr_frame(frame, order="period_start", improvement="improvement", target="target")
    assert points.index.equals(frame.index)
    summary = summarise_xmr_frame(points)
    assert summary["measure_id"].tolist() == list(dict.fromkeys(frame["measure_id"]))
    for measure, part in frame.groupby("measure_id"):
        part = part.sort_values("period_start")
        target = part["target"].iloc[0]
        single = xmr(
            pd.Series(part["value"].to_numpy(), index=part["period_start"]),
            part["improvement"].iloc[0],
            None if np.isnan(target) else target,
        )
        framed = points.loc[part.index]
        for column in ("mean", "lpl", "upl", "special_cause", "point_type", "gap"):
            assert framed[column].tolist() == pytest.approx(
                single.points[column].tolist(), nan_ok=True
            )
        row = summary.set_index("measure_id").loc[measure]
        assert row["variation"] == single.variation
        assert row["assurance"] == single.assurance
        assert row["has_limits"] == single.has_limits
    assert summary.set_index("measure_id").loc["d", "variation"] is None


def test_xmr_frame_refuses_what_it_does_not_support() -> None:
    frame = _long_frame()
    with pytest.raises(ValueError, match="does not support rebase_at or ghosts"):
        xmr_frame(frame, rebase_at=[3])
    with pytest.raises(ValueError, match="does not support rebase_at or ghosts"):
        xmr_frame(frame, ghosts=[3])


def test_xmr_frame_bad_input() -> None:
    frame = _long_frame()
    with pytest.raises(ValueError, match="value='amount' is not a column"):
        xmr_frame(frame, value="amount")
    doubled = pd.concat([frame, frame.iloc[[0]]])
    with pytest.raises(ValueError, match="two rows with the same period_start"):
        xmr_frame(doubled, order="period_start")
    mixed = frame.copy()
    mixed.loc[mixed.index[0], "improvement"] = (
        "neutral" if mixed["improvement"].iloc[0] != "neutral" else "increase"
    )
    with pytest.raises(ValueError, match="one value per series"):
        xmr_frame(mixed, improvement="improvement")
    wrong = frame.copy()
    wrong["improvement"] = "sideways"
    with pytest.raises(ValueError, match="improvement='sideways' is not allowed"):
        xmr_frame(wrong, improvement="improvement")
    with pytest.raises(ValueError, match="improvement='upwards' is not allowed"):
        xmr_frame(frame, improvement="upwards")
    text = frame.astype({"value": object})
    text.loc[text.index[3], "value"] = "n/a"
    with pytest.raises(ValueError, match="'n/a'"):
        xmr_frame(text)
    short = pd.DataFrame({"measure_id": ["x", "x", "y", "y"], "value": [1.0, np.nan, 2.0, 3.0]})
    with pytest.raises(ValueError, match="series 'x' have fewer than 2"):
        xmr_frame(short)
    with pytest.raises(ValueError, match="lacks column"):
        summarise_xmr_frame(frame)
