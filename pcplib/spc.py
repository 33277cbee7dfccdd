"""Statistical process control: XmR ("individuals") charts with two rule sets.

Two rule sets separate signal from noise in an ordered series of values:

``"mdc"`` (the project default)
    NHS England *Making Data Count* (SQL tool v2.6 defaults): a point outside
    the process limits, a run of 6 (configurable 6 to 8) on one side of the
    mean, a trend of 6 counting both end points, two of three points beyond a
    2-sigma line (points outside the limits count). Under 13 points there are
    no limits (a run chart only). Sections ("rebasing") and ghost points are
    supported. Assurance compares the target inclusively with the limits.

``"plotthedots"``
    Reproduces NHSRplotthedots 0.2.2 exactly (back-tested on 30 reference
    series): moving-range screening on by default, runs and trends of 7,
    the package's label precedence and trend-direction rule.

Both share the arithmetic: ``mean`` of the baseline values, ``amr`` the mean
of the moving ranges between consecutive baseline values, process limits
``mean -/+ 2.66 * amr`` and 2-sigma lines ``mean -/+ (2/3) * 2.66 * amr``.

Missing values (NaN) are *gaps*: left out of the mean, a moving range is only
formed between two adjacent non-missing points (a gap contributes no moving
range on either side), and a gap breaks every run, trend and two-in-three
window, so it can neither create nor complete a signal. Ghost points are
shown but treated exactly like gaps in every calculation. Every difference
from the reference methods is listed in ``docs/spc-deviations.md``.

:func:`xmr` analyses one series and returns an :class:`XmrResult`;
:func:`xmr_frame` runs the same arithmetic over many series held in one long
DataFrame at once (vectorised with numpy) and :func:`summarise_xmr_frame`
gives each series' variation and assurance.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ALLOWED_CONFLICTS",
    "ALLOWED_IMPROVEMENTS",
    "ALLOWED_RULES",
    "XmrResult",
    "summarise_xmr_frame",
    "xmr",
    "xmr_frame",
]

ALLOWED_RULES: tuple[str, ...] = ("mdc", "plotthedots")
ALLOWED_IMPROVEMENTS: tuple[str, ...] = ("increase", "decrease", "neutral")
ALLOWED_CONFLICTS: tuple[str, ...] = ("improvement", "concern")

# Constants exactly as NHSRplotthedots writes them, so the limits agree to the last bit
# that floating point allows.
_LIMIT = 2.66
_LIMIT_2S = 2 * (_LIMIT / 3)
_SCREEN = 3.267

_MDC_RUN_DEFAULT = 6
_MDC_RUN_RANGE = (6, 8)
_PTD_RUN = 7
_MDC_MIN_POINTS = 13
_MDC_MIN_SECTION = 12
_MIN_BASELINE = 12

_DIRECTION = {"increase": 1, "decrease": -1, "neutral": 0}

LABEL_COMMON = "Common Cause"
LABEL_GAP = "Missing"
LABEL_GHOST = "Ghost (excluded)"
LABEL_NO_LIMITS = "No limits (run chart)"

# Labels and point types are built as small integer codes and looked up at the end,
# which keeps the vectorised path free of string arithmetic.
(
    _C_COMMON,
    _C_ABOVE,
    _C_BELOW,
    _C_TREND_UP,
    _C_TREND_DOWN,
    _C_TWO3_ABOVE,
    _C_TWO3_BELOW,
    _C_SHIFT_ABOVE,
    _C_SHIFT_BELOW,
    _C_NO_LIMITS,
    _C_GAP,
    _C_GHOST,
) = range(12)
_LABEL_SIGN = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1, 0, 0, 0], dtype=np.int8)
_P_COMMON, _P_IMPROVEMENT, _P_CONCERN, _P_HIGH, _P_LOW = range(5)
POINT_TYPES: tuple[str, ...] = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
_POINT_TYPE_TABLE = np.array(POINT_TYPES, dtype=object)


def _label_table(run_length: int) -> np.ndarray:
    """Label text for each code, for a rule set's run length."""
    return np.array(
        [
            LABEL_COMMON,
            "Above UCL",
            "Below LCL",
            f"{run_length} Point Trend (Increasing)",
            f"{run_length} Point Trend (Decreasing)",
            "2 in 3 Above CL",
            "2 in 3 Below CL",
            f"{run_length} Points Above CL",
            f"{run_length} Points Below CL",
            LABEL_NO_LIMITS,
            LABEL_GAP,
            LABEL_GHOST,
        ],
        dtype=object,
    )


_OUTPUT_COLUMNS = (
    "mean",
    "lpl",
    "upl",
    "lower_2s",
    "upper_2s",
    "special_cause",
    "point_type",
    "gap",
    "ghost",
    "has_limits",
    "spc_position",
    "spc_improvement",
    "spc_target",
    "spc_rules",
)


# --------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class XmrResult:
    """The outcome of an XmR analysis of one series.

    Attributes
    ----------
    points : pandas.DataFrame
        One row per input point, indexed like the input (dates where a
        DatetimeIndex was given), with columns ``value``, ``mean``, ``lpl``,
        ``upl``, ``lower_2s``, ``upper_2s``, ``special_cause`` (label, e.g.
        ``"Above UCL"``, ``"6 Points Below CL"``, ``"Common Cause"``,
        ``"Missing"``, ``"Ghost (excluded)"``, ``"No limits (run chart)"``),
        ``point_type`` (``common_cause``, ``special_cause_improvement``,
        ``special_cause_concern``, ``special_cause_neutral_high``,
        ``special_cause_neutral_low``; gaps, ghosts and run-chart points are
        ``common_cause``), ``ghost``, ``gap`` and ``section`` (0 for the first
        section, increasing at each rebase).
    variation : str or None
        ``point_type`` of the last point that is neither a gap nor a ghost;
        None when there are no limits.
    assurance : str or None
        ``consistent_pass``, ``consistent_fail`` or ``inconsistent``; None
        without a target, with ``neutral`` or without limits.
    rules : str
        ``"mdc"`` or ``"plotthedots"``.
    improvement : str
        ``"increase"``, ``"decrease"`` or ``"neutral"``.
    target : float or None
        The target compared with the last point's limits.
    has_limits : bool
        False for MDC's run-chart fallback (fewer than ``min_points`` points).
    run_length : int
        Points needed for a shift or a trend.
    n_points : int
        Points used in the calculation (neither gaps nor ghosts).
    min_points : int
        Points needed for limits (MDC); for ``plotthedots`` always 2.
    """

    points: pd.DataFrame
    variation: str | None
    assurance: str | None
    rules: str
    improvement: str
    target: float | None
    has_limits: bool
    run_length: int
    n_points: int
    min_points: int

    @property
    def signals(self) -> pd.DataFrame:
        """The points flagged as special cause (a subset of :attr:`points`).

        Returns
        -------
        pandas.DataFrame
            Rows of :attr:`points` whose ``point_type`` is not ``common_cause``.
        """
        return self.points[self.points["point_type"] != "common_cause"]

    def describe(self) -> str:
        """One plain-English sentence on the variation and the assurance.

        Returns
        -------
        str
            For example ``"Common-cause variation: no signal of real change;
            the target of 80 is not reliably met (it lies within the process
            limits)."``
        """
        if not self.has_limits:
            return (
                f"Too few points for process limits ({self.n_points} of the "
                f"{self.min_points} needed): shown as a run chart, with no judgement "
                "of whether anything has really changed."
            )
        last = self.points[~(self.points["gap"] | self.points["ghost"])].iloc[-1]
        reason = _explain_label(str(last["special_cause"]))
        parts = {
            "common_cause": "Common-cause variation: no signal of real change",
            "special_cause_improvement": (
                f"Special-cause improvement: a real change in the good direction ({reason})"
            ),
            "special_cause_concern": (
                f"Special-cause concern: a real change in the wrong direction ({reason})"
            ),
            "special_cause_neutral_high": (
                f"Special-cause variation upwards: a real change, though this measure "
                f"has no good direction ({reason})"
            ),
            "special_cause_neutral_low": (
                f"Special-cause variation downwards: a real change, though this measure "
                f"has no good direction ({reason})"
            ),
        }
        sentence = parts[str(self.variation)]
        if self.target is not None:
            shown = _format_number(self.target)
            if self.assurance == "consistent_pass":
                sentence += (
                    f"; the target of {shown} is consistently met (it lies outside the "
                    "process limits, on the good side)"
                )
            elif self.assurance == "consistent_fail":
                sentence += (
                    f"; the target of {shown} will not be met unless the process changes "
                    "(it lies outside the process limits, on the wrong side)"
                )
            elif self.assurance == "inconsistent":
                sentence += (
                    f"; the target of {shown} is not reliably met (it lies within the "
                    "process limits, so it will be hit and missed by chance)"
                )
            else:
                sentence += (
                    f"; no assurance against the target of {shown} is given because this "
                    "measure has no good direction"
                )
        return sentence + "."


def _format_number(x: float) -> str:
    text = f"{x:,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _explain_label(label: str) -> str:
    """Turn a special-cause label into words for the latest point."""
    words = label.split()
    if label == "Above UCL":
        return "the latest point is above the upper process limit"
    if label == "Below LCL":
        return "the latest point is below the lower process limit"
    if "Trend" in label:
        way = "higher" if "Increasing" in label else "lower"
        return f"the latest point ends a run of {words[0]} or more points, each {way} than the last"
    if label.startswith("2 in 3"):
        way = "upper" if "Above" in label else "lower"
        return f"two of the last three points are close to the {way} process limit"
    if "Points" in label:
        way = "above" if "Above" in label else "below"
        return f"the latest point is in a run of {words[0]} or more points {way} the mean"
    return "see the chart"


# --------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------


def _show_label(label: object) -> str:
    """An index label as a reader would write it (dates without a time)."""
    if isinstance(label, pd.Timestamp):
        return label.strftime("%Y-%m-%d") if label == label.normalize() else str(label)
    if isinstance(label, pd.Period):
        return str(label)
    return repr(label)


def _check_choice(name: str, value: object, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"{name}={value!r} is not allowed: expected one of {', '.join(map(repr, allowed))}"
        )
    return value


def _is_number(v: object) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_)


def _coerce_values(values: Sequence[Any] | np.ndarray | pd.Series, what: str) -> np.ndarray:
    """Return values as float64 (NaN for missing), or raise naming the first bad one."""
    if isinstance(values, pd.Series):
        labels = list(values.index)
        raw = values.to_numpy(dtype=object) if values.dtype == object else values.to_numpy()
        dtype = values.dtype
    else:
        raw = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
        labels = list(range(len(raw)))
        dtype = raw.dtype
    if raw.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional, got shape {raw.shape}")
    if dtype.kind in "iuf":
        y = np.asarray(raw, dtype=float)
    else:
        y = np.empty(len(raw), dtype=float)
        for i, v in enumerate(raw):
            if v is None or v is pd.NA or v is pd.NaT:
                y[i] = np.nan
            elif _is_number(v):
                y[i] = float(v)
            else:
                raise ValueError(
                    f"{what}: the value at position {i} (index {labels[i]!r}) is {v!r}: "
                    "expected a number, or NaN/None for a missing period"
                )
    bad = np.flatnonzero(np.isinf(y))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{what}: the value at position {i} (index {labels[i]!r}) is {y[i]!r}: "
            "expected a finite number, or NaN/None for a missing period"
        )
    return y


def _resolve_positions(items: Sequence[Hashable] | None, index: pd.Index, name: str) -> np.ndarray:
    """Index labels or integer positions -> sorted unique positions."""
    if items is None:
        return np.empty(0, dtype=int)
    if isinstance(items, str | bytes) or not isinstance(items, Sequence | np.ndarray | pd.Index):
        items = [items]
    positions: list[int] = []
    for item in items:
        pos: int | None = None
        key: Any = item
        if isinstance(index, pd.DatetimeIndex) and isinstance(item, str):
            try:
                key = pd.Timestamp(item)
            except ValueError:
                key = item
        try:
            loc = index.get_loc(key)
            if isinstance(loc, int | np.integer):
                pos = int(loc)
        except (KeyError, TypeError, ValueError):
            pos = None
        if pos is None and isinstance(item, int | np.integer) and not isinstance(item, bool):
            if -len(index) <= int(item) < len(index):
                pos = int(item) % len(index)
        if pos is None:
            raise ValueError(
                f"{name}: {item!r} is neither an index label nor a position of the "
                f"series (it has {len(index)} points)"
            )
        positions.append(pos)
    return np.array(sorted(set(positions)), dtype=int)


# --------------------------------------------------------------------------------------
# The vectorised core: many sections (groups) laid end to end in one set of arrays
# --------------------------------------------------------------------------------------


def _in_long_run(key: np.ndarray, same_prev: np.ndarray, min_len: int) -> np.ndarray:
    """Mask of points in a maximal run of >= min_len equal non-zero keys within a group."""
    n = key.size
    if n == 0:
        return np.zeros(0, dtype=bool)
    prev = np.empty_like(key)
    prev[0] = 0
    prev[1:] = key[:-1]
    starts = ~(same_prev & (key == prev))
    run_id = np.cumsum(starts) - 1
    lengths = np.bincount(run_id)
    return (key != 0) & (lengths[run_id] >= min_len)


def _shift_left(a: np.ndarray, fill: Any) -> np.ndarray:
    out = np.empty_like(a)
    out[:-1] = a[1:]
    if a.size:
        out[-1] = fill
    return out


def _group_count(group: np.ndarray, n_groups: int, mask: np.ndarray) -> np.ndarray:
    """How many points of each group ``mask`` selects."""
    return np.bincount(group, weights=mask.astype(float), minlength=n_groups).astype(int)


def _group_mean(group: np.ndarray, n_groups: int, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    counts = _group_count(group, n_groups, mask)
    sums = np.bincount(group, weights=np.where(mask, x, 0.0), minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts


def _compute_core(
    y: np.ndarray,
    valid: np.ndarray,
    group: np.ndarray,
    *,
    direction: np.ndarray,
    limits_on: np.ndarray,
    baseline: np.ndarray,
    screen: np.ndarray,
    rules: str,
    run_length: int,
    conflict: str,
) -> dict[str, np.ndarray]:
    """SPC arithmetic and rules for sections laid end to end.

    ``group`` holds 0..G-1 in non-decreasing order (one code per section);
    ``direction``, ``limits_on``, ``baseline`` (points in the baseline, a large
    number for "all") and ``screen`` hold one entry per section. Returns per
    point arrays (``mean``, ``lpl``, ``upl``, ``lower_2s``, ``upper_2s``,
    ``label``, ``point_type``) and per section ``amr``.
    """
    n = y.size
    n_groups = direction.size
    same_prev = np.zeros(n, dtype=bool)
    same_prev[1:] = group[1:] == group[:-1]
    starts = np.flatnonzero(~same_prev)
    pos = np.arange(n) - starts[group]

    base = valid & (pos < baseline[group])
    prev_base = np.zeros(n, dtype=bool)
    prev_base[1:] = base[:-1]
    mr_ok = same_prev & base & prev_base
    mr = np.full(n, np.nan)
    mr[1:] = np.abs(np.diff(y))
    mr = np.where(mr_ok, mr, 0.0)

    # Centring each section on its first baseline value makes a constant section's mean
    # exactly that value (so every point sits on the mean) whatever the rounding.
    first_base = np.full(n_groups, np.nan)
    base_idx = np.flatnonzero(base)
    first_of_group = np.ones(base_idx.size, dtype=bool)
    first_of_group[1:] = group[base_idx[1:]] != group[base_idx[:-1]]
    first_base[group[base_idx[first_of_group]]] = y[base_idx[first_of_group]]
    centre = np.nan_to_num(first_base)[group]

    mean_g = first_base + _group_mean(group, n_groups, y - centre, base)
    amr_g = _group_mean(group, n_groups, mr, mr_ok)

    if screen.any():
        amr_p = amr_g[group]
        scr_p = screen[group]
        if rules == "plotthedots":
            # NHSRplotthedots keeps ranges strictly below 3.267 * amr; a zero amr would drop
            # every range and leave no limits, so a constant section is left unscreened.
            keep = mr_ok & (~scr_p | (mr < _SCREEN * amr_p) | (amr_p == 0))
            amr_g = _group_mean(group, n_groups, mr, keep)
        else:
            dropped = mr_ok & scr_p & (mr > _SCREEN * amr_p)
            keep = mr_ok & ~dropped
            amr_g = _group_mean(group, n_groups, mr, keep)
            mean_g = first_base + _group_mean(group, n_groups, y - centre, base & ~dropped)

    lpl_g = mean_g - _LIMIT * amr_g
    upl_g = mean_g + _LIMIT * amr_g
    l2_g = mean_g - _LIMIT_2S * amr_g
    u2_g = mean_g + _LIMIT_2S * amr_g
    nan = np.full(n_groups, np.nan)
    lpl_g, upl_g, l2_g, u2_g = (np.where(limits_on, a, nan) for a in (lpl_g, upl_g, l2_g, u2_g))
    mean = mean_g[group]
    lpl, upl, l2, u2 = lpl_g[group], upl_g[group], l2_g[group], u2_g[group]

    judged = valid & limits_on[group]
    with np.errstate(invalid="ignore"):
        side = np.where(judged, np.sign(y - mean), 0.0).astype(np.int8)
        above = judged & (y > upl)
        below = judged & (y < lpl)
        beyond_hi = judged & (y > u2)
        beyond_lo = judged & (y < l2)
    outside = above | below

    # A step joins two adjacent judged points of one section; anything else breaks trends.
    step = np.zeros(n, dtype=np.int8)
    pair = same_prev & judged & np.r_[False, judged[:-1]]
    step[1:] = np.where(pair[1:], np.sign(np.diff(y)), 0).astype(np.int8)
    step_run = _in_long_run(step, same_prev, run_length - 1)
    inc_steps = step_run & (step == 1)
    dec_steps = step_run & (step == -1)
    trend_inc = inc_steps | _shift_left(inc_steps, False)
    trend_dec = dec_steps | _shift_left(dec_steps, False)
    step_right = _shift_left(step, 0)

    shift = _in_long_run(side, same_prev, run_length)

    # Windows of three adjacent points in one section, indexed by their first point.
    win = np.zeros(n, dtype=bool)
    if n >= 3:
        win[:-2] = group[:-2] == group[2:]
    side_sum = np.zeros(n, dtype=np.int16)
    if n >= 3:
        side_sum[:-2] = side[:-2].astype(np.int16) + side[1:-1] + side[2:]

    def window_count(mask: np.ndarray) -> np.ndarray:
        c = np.zeros(n, dtype=np.int16)
        if n >= 3:
            m = mask.astype(np.int16)
            c[:-2] = m[:-2] + m[1:-1] + m[2:]
        return c

    def in_window(wq: np.ndarray) -> np.ndarray:
        out = wq.copy()
        out[1:] |= wq[:-1]
        out[2:] |= wq[:-2]
        return out

    if rules == "plotthedots":
        close = (beyond_hi | beyond_lo) & ~outside
        wq = win & (window_count(close) >= 2) & (np.abs(side_sum) == 3)
        two3 = in_window(wq) & close
        trend = trend_inc | trend_dec
        next_trend = _shift_left(trend, False) & _shift_left(same_prev, False)
        sdy = np.where(trend & next_trend, step_right, step)
        code = np.select(
            [outside, trend, two3, shift],
            [
                np.where(side == 1, _C_ABOVE, _C_BELOW),
                np.where(sdy == 1, _C_TREND_UP, _C_TREND_DOWN),
                np.where(side > 0, _C_TWO3_ABOVE, _C_TWO3_BELOW),
                np.where(side > 0, _C_SHIFT_ABOVE, _C_SHIFT_BELOW),
            ],
            _C_COMMON,
        )
        # Above/Increasing counts +1 and Below/Decreasing -1, read off the label as R does.
        v = _LABEL_SIGN[code]
    else:
        wq_hi = win & (side_sum == 3) & (window_count(beyond_hi) >= 2)
        wq_lo = win & (side_sum == -3) & (window_count(beyond_lo) >= 2)
        two3_hi = in_window(wq_hi) & beyond_hi
        two3_lo = in_window(wq_lo) & beyond_lo
        shift_hi = shift & (side > 0)
        shift_lo = shift & (side < 0)
        hi = above | trend_inc | two3_hi | shift_hi
        lo = below | trend_dec | two3_lo | shift_lo
        d = direction[group]
        pick = 1 if conflict == "improvement" else -1
        # Neutral measures have no improvement side, so a point signalling both ways takes
        # the direction of its strongest rule; at a peak or trough between two trends, the
        # later trend's.
        neutral_pick = np.select(
            [above, below, trend_inc & trend_dec, trend_inc, trend_dec, two3_hi, two3_lo],
            [1, -1, step_right, 1, -1, 1, -1],
            0,
        )
        both = hi & lo
        v = np.where(hi & ~lo, 1, np.where(lo & ~hi, -1, 0))
        v = np.where(both, np.where(d == 0, neutral_pick, d * pick), v)
        up, down = v == 1, v == -1
        # The first signal that holds labels the point.
        signals = (
            (up & above, _C_ABOVE),
            (down & below, _C_BELOW),
            (up & trend_inc, _C_TREND_UP),
            (down & trend_dec, _C_TREND_DOWN),
            (up & two3_hi, _C_TWO3_ABOVE),
            (down & two3_lo, _C_TWO3_BELOW),
            (up & shift_hi, _C_SHIFT_ABOVE),
            (down & shift_lo, _C_SHIFT_BELOW),
        )
        code = np.select([s for s, _ in signals], [c for _, c in signals], _C_COMMON)

    d = direction[group]
    oriented = v * np.where(d == 0, 1, d)
    pt_code = np.where(
        d == 0,
        np.where(v > 0, _P_HIGH, np.where(v < 0, _P_LOW, _P_COMMON)),
        np.where(oriented > 0, _P_IMPROVEMENT, np.where(oriented < 0, _P_CONCERN, _P_COMMON)),
    )
    code = code.astype(np.int8)
    code[valid & ~limits_on[group]] = _C_NO_LIMITS
    return {
        "mean": mean,
        "lpl": lpl,
        "upl": upl,
        "lower_2s": l2,
        "upper_2s": u2,
        "label_code": code,
        "point_type_code": pt_code.astype(np.int8),
        "amr": amr_g,
        "mean_g": mean_g,
    }


def _summarise_core(
    series: np.ndarray,
    valid: np.ndarray,
    point_type: np.ndarray,
    lpl: np.ndarray,
    upl: np.ndarray,
    n_series: int,
    direction: np.ndarray,
    target: np.ndarray,
    limits_on: np.ndarray,
    rules: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Variation and assurance per series from its last point that is neither gap nor ghost."""
    idx = np.flatnonzero(valid)
    is_last = np.ones(idx.size, dtype=bool)
    is_last[:-1] = series[idx[1:]] != series[idx[:-1]]
    last = np.full(n_series, -1)
    last[series[idx[is_last]]] = idx[is_last]
    variation = np.full(n_series, None, dtype=object)
    assurance = np.full(n_series, None, dtype=object)
    for_s = last >= 0
    variation[for_s & limits_on] = point_type[last[for_s & limits_on]]
    lo = np.where(for_s, lpl[np.maximum(last, 0)], np.nan)
    hi = np.where(for_s, upl[np.maximum(last, 0)], np.nan)
    applies = for_s & limits_on & ~np.isnan(target) & (direction != 0)
    inc = direction == 1
    if rules == "plotthedots":
        above, below = target > hi, target < lo
        result = np.select(
            [above, below],
            [
                np.where(inc, "consistent_fail", "consistent_pass"),
                np.where(inc, "consistent_pass", "consistent_fail"),
            ],
            "inconsistent",
        )
    else:
        # Inclusive: a target exactly on a limit is met (or missed) consistently. The side
        # where every value meets the target is tested first so that a constant series
        # sitting on its target passes.
        good_side = np.where(inc, target <= lo, target >= hi)
        bad_side = np.where(inc, target >= hi, target <= lo)
        result = np.select(
            [good_side, bad_side], ["consistent_pass", "consistent_fail"], "inconsistent"
        )
    assurance[applies] = result[applies].astype(object)
    return variation, assurance


def _resolve_run_length(rules: str, run_length: int | None) -> int:
    if rules == "plotthedots":
        if run_length not in (None, _PTD_RUN) or isinstance(run_length, bool):
            raise ValueError(
                f"run_length={run_length!r}: the plotthedots rule set always uses runs of "
                f"{_PTD_RUN}; leave run_length unset"
            )
        return _PTD_RUN
    if run_length is None:
        return _MDC_RUN_DEFAULT
    low, high = _MDC_RUN_RANGE
    if isinstance(run_length, bool) or not isinstance(run_length, int | np.integer):
        raise ValueError(f"run_length={run_length!r}: expected an integer from {low} to {high}")
    if not low <= int(run_length) <= high:
        raise ValueError(f"run_length={run_length!r}: expected an integer from {low} to {high}")
    return int(run_length)


def _resolve_conflict(rules: str, conflict: str | None) -> str:
    if rules == "plotthedots":
        if conflict is not None:
            raise ValueError(
                f"conflict={conflict!r}: the plotthedots rule set has no conflict setting "
                "(its label precedence decides); leave conflict unset"
            )
        return "improvement"
    if conflict is None:
        return "improvement"
    return _check_choice("conflict", conflict, ALLOWED_CONFLICTS)


def _resolve_min_points(rules: str, min_points: int | None) -> int:
    if rules == "plotthedots":
        if min_points is not None:
            raise ValueError(
                f"min_points={min_points!r}: the plotthedots rule set draws limits for any "
                "series of 2 or more points; leave min_points unset"
            )
        return 2
    if min_points is None:
        return _MDC_MIN_POINTS
    if isinstance(min_points, bool) or not isinstance(min_points, int | np.integer):
        raise ValueError(f"min_points={min_points!r}: expected an integer of at least 2")
    if min_points < 2:
        raise ValueError(f"min_points={min_points!r}: expected an integer of at least 2")
    return int(min_points)


def _resolve_baseline(baseline_points: object) -> int | None:
    if baseline_points is None:
        return None
    if isinstance(baseline_points, bool) or not isinstance(baseline_points, int | np.integer):
        raise ValueError(
            f"baseline_points={baseline_points!r}: expected None (every point) or an integer "
            f"of at least {_MIN_BASELINE}"
        )
    if baseline_points < _MIN_BASELINE:
        raise ValueError(
            f"baseline_points={baseline_points!r}: limits need a baseline of at least "
            f"{_MIN_BASELINE} points"
        )
    return int(baseline_points)


def _resolve_screen(rules: str, screen_outliers: object) -> bool:
    if screen_outliers is None:
        return rules == "plotthedots"
    if not isinstance(screen_outliers, bool | np.bool_):
        raise ValueError(
            f"screen_outliers={screen_outliers!r}: expected True, False or None (the rule "
            "set's default)"
        )
    return bool(screen_outliers)


def _resolve_target(target: object) -> float | None:
    if target is None:
        return None
    if not _is_number(target):
        raise ValueError(f"target={target!r}: expected a number or None")
    value = float(target)  # type: ignore[arg-type]
    if math.isnan(value):
        return None
    if math.isinf(value):
        raise ValueError(f"target={target!r}: expected a finite number or None")
    return value


# --------------------------------------------------------------------------------------
# One series
# --------------------------------------------------------------------------------------


def xmr(
    values: Sequence[Any] | np.ndarray | pd.Series,
    improvement: str = "increase",
    target: float | None = None,
    rules: str = "mdc",
    baseline_points: int | None = None,
    screen_outliers: bool | None = None,
    *,
    run_length: int | None = None,
    rebase_at: Sequence[Hashable] | None = None,
    ghosts: Sequence[Hashable] | None = None,
    conflict: str | None = None,
    min_points: int | None = None,
) -> XmrResult:
    """Analyse one series with an XmR chart.

    Parameters
    ----------
    values : sequence of float, numpy.ndarray or pandas.Series
        The ordered values, one per period. NaN or None marks a missing
        period (a *gap*). A Series keeps its index in ``points``; a
        DatetimeIndex must be sorted and free of duplicates.
    improvement : {"increase", "decrease", "neutral"}, default "increase"
        Which direction is good.
    target : float, optional
        Target for the assurance judgement.
    rules : {"mdc", "plotthedots"}, default "mdc"
        Rule set (see the module docstring).
    baseline_points : int, optional
        Fix the limits on the first ``baseline_points`` positions of each
        section (at least 12). Gaps and ghosts in those positions are left out.
    screen_outliers : bool, optional
        Moving-range screening; None means the rule set's default
        (plotthedots on, mdc off). plotthedots drops ranges >= 3.267 * amr from
        amr only; mdc drops ranges > 3.267 * amr from amr and the point that
        ends each such range from the mean.
    run_length : int, optional
        Points for a shift or trend: mdc default 6, allowed 6 to 8;
        plotthedots always 7.
    rebase_at : sequence, optional
        Index labels or positions where a new section starts; each section
        gets its own mean and limits, and runs do not cross sections. With
        mdc every section needs at least 12 points.
    ghosts : sequence, optional
        Index labels or positions of ghost points: shown, but excluded from
        every calculation exactly as a gap is.
    conflict : {"improvement", "concern"}, optional
        mdc only: what a point that is both improvement and concern becomes
        (default ``"improvement"``).
    min_points : int, optional
        mdc only: fewer points than this (default 13) give a run chart with
        no limits, ``has_limits`` False and ``variation`` None.

    Returns
    -------
    XmrResult
        Points with limits and labels, variation and assurance.

    Raises
    ------
    ValueError
        For an unknown rule set, improvement direction or conflict setting, a
        non-numeric value, an unsorted or duplicated DatetimeIndex, fewer than
        two non-missing points, a section with no two adjacent points, an
        mdc section under 12 points, or options the rule set does not take.

    Notes
    -----
    A constant series has ``amr`` 0: the limits and 2-sigma lines equal the
    mean, every point lies on the mean, and no point is special cause.
    """
    rules = _check_choice("rules", rules, ALLOWED_RULES)
    improvement = _check_choice("improvement", improvement, ALLOWED_IMPROVEMENTS)
    run_n = _resolve_run_length(rules, run_length)
    conflict_s = _resolve_conflict(rules, conflict)
    min_n = _resolve_min_points(rules, min_points)
    k = _resolve_baseline(baseline_points)
    screen = _resolve_screen(rules, screen_outliers)
    target_f = _resolve_target(target)

    if isinstance(values, pd.DataFrame):
        raise ValueError(
            "values must be one series (a list, array or pandas Series), not a DataFrame"
        )
    y = _coerce_values(values, "values")
    index = values.index if isinstance(values, pd.Series) else pd.RangeIndex(len(y))
    if isinstance(index, pd.DatetimeIndex):
        if index.has_duplicates:
            dup = index[index.duplicated()][0]
            raise ValueError(
                f"values: the DatetimeIndex has duplicate dates (first: {dup:%Y-%m-%d})"
            )
        if not index.is_monotonic_increasing:
            raise ValueError(
                "values: the DatetimeIndex is not sorted; sort the series by date first"
            )
    n = y.size
    gap = np.isnan(y)
    ghost = np.zeros(n, dtype=bool)
    ghost[_resolve_positions(ghosts, index, "ghosts")] = True
    valid = ~gap & ~ghost
    n_valid = int(valid.sum())
    if n_valid < 2:
        raise ValueError(
            f"values: {n_valid} non-missing point(s) that are not ghosts; at least 2 are needed"
        )

    rebase_pos = _resolve_positions(rebase_at, index, "rebase_at")
    if rebase_pos.size and rebase_pos[0] == 0:
        raise ValueError("rebase_at: a new section cannot start at the first point")
    starts = np.zeros(n, dtype=int)
    starts[rebase_pos] = 1
    group = np.cumsum(starts)
    n_groups = int(group[-1]) + 1
    per_section = _group_count(group, n_groups, valid)
    if rules == "mdc" and n_groups > 1:
        short = np.flatnonzero(per_section < _MDC_MIN_SECTION)
        if short.size:
            s = int(short[0])
            first = int(np.flatnonzero(group == s)[0])
            raise ValueError(
                f"rebase_at: the section starting at {_show_label(index[first])} has "
                f"{per_section[s]} usable point(s); each recalculated section needs at "
                f"least {_MDC_MIN_SECTION}"
            )
    has_limits = n_valid >= min_n
    limits_on = np.full(n_groups, has_limits)
    direction = np.full(n_groups, _DIRECTION[improvement], dtype=np.int8)
    big = np.iinfo(np.int64).max // 2
    baseline = np.full(n_groups, big if k is None else k, dtype=np.int64)

    core = _compute_core(
        y,
        valid,
        group,
        direction=direction,
        limits_on=limits_on,
        baseline=baseline,
        screen=np.full(n_groups, screen),
        rules=rules,
        run_length=run_n,
        conflict=conflict_s,
    )
    for s in range(n_groups):
        if np.isnan(core["mean_g"][s]) or (limits_on[s] and np.isnan(core["amr"][s])):
            first = int(np.flatnonzero(group == s)[0])
            where = "" if n_groups == 1 else f" (section starting at {_show_label(index[first])})"
            raise ValueError(
                f"values{where}: no two adjacent non-missing points in the baseline, so no "
                "moving range and no limits can be formed"
            )

    code = core["label_code"]
    code[ghost] = _C_GHOST
    code[gap] = _C_GAP
    pt_code = core["point_type_code"]
    pt_code[~valid] = _P_COMMON
    label = _label_table(run_n)[code]
    point_type = _POINT_TYPE_TABLE[pt_code]

    points = pd.DataFrame(
        {
            "value": y,
            "mean": core["mean"],
            "lpl": core["lpl"],
            "upl": core["upl"],
            "lower_2s": core["lower_2s"],
            "upper_2s": core["upper_2s"],
            "special_cause": label,
            "point_type": point_type,
            "ghost": ghost,
            "gap": gap,
            "section": group,
        },
        index=index.copy(),
    )
    variation, assurance = _summarise_core(
        np.zeros(n, dtype=int),
        valid,
        point_type,
        core["lpl"],
        core["upl"],
        1,
        np.array([_DIRECTION[improvement]]),
        np.array([np.nan if target_f is None else target_f]),
        np.array([has_limits]),
        rules,
    )
    return XmrResult(
        points=points,
        variation=variation[0],
        assurance=assurance[0],
        rules=rules,
        improvement=improvement,
        target=target_f,
        has_limits=bool(has_limits),
        run_length=run_n,
        n_points=n_valid,
        min_points=min_n,
    )


# --------------------------------------------------------------------------------------
# Many series at once
# --------------------------------------------------------------------------------------


def _per_series(
    df: pd.DataFrame,
    spec: object,
    name: str,
    codes: np.ndarray,
    uniques: pd.Index,
    convert: Any,
) -> np.ndarray | None:
    """A column named by ``spec`` -> one value per series (None if ``spec`` is not a column)."""
    if not (isinstance(spec, str) and spec in df.columns):
        return None
    # Compare factorised codes (missing = -1), not values, so NaN equals NaN and it is fast.
    fcodes, fvalues = pd.factorize(df[spec], use_na_sentinel=True)
    first_row = np.empty(len(uniques), dtype=np.int64)
    first_row[codes[::-1]] = np.arange(codes.size)[::-1]
    first_codes = fcodes[first_row]
    differs = fcodes != first_codes[codes]
    if differs.any():
        bad = int(codes[np.flatnonzero(differs)[0]])
        raise ValueError(
            f"{name}: column {spec!r} must hold one value per series; series "
            f"{uniques[bad]!r} has several"
        )
    table = np.asarray(fvalues, dtype=object)
    firsts = np.array([None if c < 0 else table[c] for c in first_codes.tolist()], dtype=object)
    cache: dict[object, object] = {}
    out = []
    for v in firsts.tolist():
        v = _none_if_missing(v)
        if v not in cache:
            cache[v] = convert(v)
        out.append(cache[v])
    return np.array(out, dtype=object)


def _none_if_missing(v: object) -> object:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def xmr_frame(
    df: pd.DataFrame,
    value: str = "value",
    by: str = "measure_id",
    order: str | None = None,
    improvement: str = "increase",
    target: float | str | None = None,
    rules: str = "mdc",
    baseline_points: int | str | None = None,
    screen_outliers: bool | str | None = None,
    *,
    run_length: int | None = None,
    conflict: str | None = None,
    min_points: int | None = None,
    rebase_at: object = None,
    ghosts: object = None,
) -> pd.DataFrame:
    """XmR analysis of many series held in one long DataFrame, vectorised.

    The arithmetic and rules are exactly those of :func:`xmr` (one
    implementation serves both), run over every series at once with numpy on
    arrays sorted by series. Rebasing and ghost points are NOT supported here:
    passing ``rebase_at`` or ``ghosts`` raises ValueError; call :func:`xmr`
    per series for those.

    Parameters
    ----------
    df : pandas.DataFrame
        Long data: one row per series and period.
    value : str, default "value"
        Column of values (NaN marks a gap).
    by : str, default "measure_id"
        Column identifying the series.
    order : str, optional
        Column to sort by within each series (e.g. ``"period_start"``);
        duplicates within a series are an error. Without it the rows' order
        within each series is used.
    improvement : str, default "increase"
        ``"increase"``, ``"decrease"`` or ``"neutral"`` for every series, or
        the name of a column holding one of them per series.
    target : float or str, optional
        A number for every series, or a column holding one per series (NaN for
        none).
    rules : {"mdc", "plotthedots"}, default "mdc"
        Rule set.
    baseline_points : int or str, optional
        As in :func:`xmr`, or a column holding one per series (NaN for all).
    screen_outliers : bool or str, optional
        As in :func:`xmr`, or a column of booleans, one per series.
    run_length, conflict, min_points
        As in :func:`xmr`, the same for every series.
    rebase_at, ghosts : None
        Not supported here; anything but None raises ValueError.

    Returns
    -------
    pandas.DataFrame
        The input rows in their original order and index plus ``mean``,
        ``lpl``, ``upl``, ``lower_2s``, ``upper_2s``, ``special_cause``,
        ``point_type``, ``gap``, ``ghost`` (always False), ``has_limits``, and
        the settings :func:`summarise_xmr_frame` needs: ``spc_position``
        (0-based position within the series), ``spc_improvement``,
        ``spc_target`` and ``spc_rules``.

    Raises
    ------
    ValueError
        For missing columns, unsupported options, bad settings, non-numeric
        values, duplicated order values within a series, a series with fewer
        than two non-missing points, or a series with no moving range.
    """
    if rebase_at is not None or ghosts is not None:
        raise ValueError(
            "xmr_frame does not support rebase_at or ghosts; call xmr() for each series "
            "that needs sections or ghost points"
        )
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    rules = _check_choice("rules", rules, ALLOWED_RULES)
    run_n = _resolve_run_length(rules, run_length)
    conflict_s = _resolve_conflict(rules, conflict)
    min_n = _resolve_min_points(rules, min_points)
    for what, col in (("value", value), ("by", by), ("order", order)):
        if col is not None and col not in df.columns:
            raise ValueError(
                f"{what}={col!r} is not a column of df (columns: {', '.join(map(str, df.columns))})"
            )
        if col in _OUTPUT_COLUMNS:
            raise ValueError(f"{what}={col!r} clashes with a column xmr_frame adds; rename it")
    if df.empty:
        raise ValueError("df has no rows")

    keys = df[by]
    if keys.isna().any():
        row = df.index[keys.isna().to_numpy()][0]
        raise ValueError(f"by={by!r}: row {row!r} has no series identifier")
    codes, uniques = pd.factorize(keys, sort=False)
    n_series = len(uniques)

    if order is not None:
        ord_col = df[order]
        if ord_col.isna().any():
            row = df.index[ord_col.isna().to_numpy()][0]
            raise ValueError(f"order={order!r}: row {row!r} has no value to sort by")
        ord_vals = ord_col.to_numpy()
        if ord_vals.dtype.kind == "M":
            ord_vals = ord_vals.astype("datetime64[ns]").view(np.int64)
        elif ord_vals.dtype.kind not in "iuf":
            ord_vals = pd.factorize(ord_col, sort=True)[0]
        perm = np.lexsort((ord_vals, codes))
        sorted_ord = ord_vals[perm]
        sorted_codes = codes[perm]
        dup = np.flatnonzero(
            (sorted_codes[1:] == sorted_codes[:-1]) & (sorted_ord[1:] == sorted_ord[:-1])
        )
        if dup.size:
            row = df.index[perm[dup[0] + 1]]
            raise ValueError(
                f"order={order!r}: series {uniques[sorted_codes[dup[0]]]!r} has two rows with "
                f"the same {order} (row {row!r}); each period must appear once"
            )
    else:
        perm = np.argsort(codes, kind="stable")
    group = codes[perm]

    raw = df[value]
    if raw.dtype.kind in "iuf":
        y_all = raw.to_numpy(dtype=float)
        if np.isinf(y_all).any():
            row = df.index[np.isinf(y_all)][0]
            raise ValueError(f"value={value!r}: row {row!r} is infinite; expected a finite number")
    else:
        try:
            y_all = _coerce_values(pd.Series(raw.to_numpy(dtype=object), index=df.index), value)
        except ValueError as err:
            raise ValueError(f"column {err}") from None
    y = y_all[perm]
    valid = ~np.isnan(y)

    def to_direction(v: object) -> int:
        return _DIRECTION[_check_choice("improvement", v, ALLOWED_IMPROVEMENTS)]

    dir_col = None
    if isinstance(improvement, str) and improvement not in ALLOWED_IMPROVEMENTS:
        dir_col = _per_series(df, improvement, "improvement", codes, uniques, to_direction)
        if dir_col is None:
            _check_choice("improvement", improvement, ALLOWED_IMPROVEMENTS)
    if dir_col is None:
        direction = np.full(n_series, to_direction(improvement), dtype=np.int8)
    else:
        direction = dir_col.astype(np.int8)

    def to_target(v: object) -> float:
        t = _resolve_target(None if v is None else v)
        return np.nan if t is None else t

    tgt_col = _per_series(df, target, "target", codes, uniques, to_target)
    if tgt_col is None:
        if isinstance(target, str):
            raise ValueError(f"target={target!r}: expected a number, None or a column of df")
        targets = np.full(n_series, to_target(target), dtype=float)
    else:
        targets = tgt_col.astype(float)

    big = np.iinfo(np.int64).max // 2

    def to_baseline(v: object) -> int:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return big
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        k = _resolve_baseline(v)
        return big if k is None else k

    base_col = _per_series(df, baseline_points, "baseline_points", codes, uniques, to_baseline)
    if base_col is None:
        baseline = np.full(n_series, to_baseline(baseline_points), dtype=np.int64)
    else:
        baseline = base_col.astype(np.int64)

    def to_screen(v: object) -> bool:
        return _resolve_screen(rules, v)

    scr_col = _per_series(df, screen_outliers, "screen_outliers", codes, uniques, to_screen)
    if scr_col is None:
        screen = np.full(n_series, to_screen(screen_outliers), dtype=bool)
    else:
        screen = scr_col.astype(bool)

    n_valid = _group_count(group, n_series, valid)
    few = np.flatnonzero(n_valid < 2)
    if few.size:
        raise ValueError(
            f"series {', '.join(repr(uniques[i]) for i in few[:5])} have fewer than 2 "
            "non-missing points; at least 2 are needed"
        )
    limits_on = n_valid >= min_n

    core = _compute_core(
        y,
        valid,
        group,
        direction=direction,
        limits_on=limits_on,
        baseline=baseline,
        screen=screen,
        rules=rules,
        run_length=run_n,
        conflict=conflict_s,
    )
    no_mr = np.flatnonzero(limits_on & np.isnan(core["amr"]) | np.isnan(core["mean_g"]))
    if no_mr.size:
        raise ValueError(
            f"series {', '.join(repr(uniques[i]) for i in no_mr[:5])} have no two adjacent "
            "non-missing points in the baseline, so no moving range and no limits"
        )
    code = core["label_code"]
    code[~valid] = _C_GAP
    pt_code = core["point_type_code"]
    pt_code[~valid] = _P_COMMON

    inverse = np.empty_like(perm)
    inverse[perm] = np.arange(perm.size)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    position = np.arange(group.size) - starts[group]
    inv_dir = {v: k for k, v in _DIRECTION.items()}

    out = df.drop(columns=[c for c in _OUTPUT_COLUMNS if c in df.columns]).copy()
    new = {
        "mean": core["mean"][inverse],
        "lpl": core["lpl"][inverse],
        "upl": core["upl"][inverse],
        "lower_2s": core["lower_2s"][inverse],
        "upper_2s": core["upper_2s"][inverse],
        "special_cause": _label_table(run_n)[code[inverse]],
        "point_type": _POINT_TYPE_TABLE[pt_code[inverse]],
        "gap": ~valid[inverse],
        "ghost": np.zeros(perm.size, dtype=bool),
        "has_limits": limits_on[codes],
        "spc_position": position[inverse],
        "spc_improvement": np.array([inv_dir[int(d)] for d in direction], dtype=object)[codes],
        "spc_target": targets[codes],
        "spc_rules": np.full(perm.size, rules, dtype=object),
    }
    for name, col in new.items():
        out[name] = col
    return out


def summarise_xmr_frame(points: pd.DataFrame, by: str = "measure_id") -> pd.DataFrame:
    """Variation and assurance per series from the output of :func:`xmr_frame`.

    Parameters
    ----------
    points : pandas.DataFrame
        What :func:`xmr_frame` returned (any row order).
    by : str, default "measure_id"
        The series column passed to :func:`xmr_frame`.

    Returns
    -------
    pandas.DataFrame
        One row per series, in order of first appearance, with columns ``by``,
        ``variation``, ``assurance`` (None where not applicable), ``has_limits``
        and ``n_points`` (non-missing points).

    Raises
    ------
    ValueError
        If ``points`` lacks the columns :func:`xmr_frame` adds or ``by``.
    """
    needed = [by, "point_type", "lpl", "upl", "gap", "ghost", "has_limits", "spc_position"]
    needed += ["spc_improvement", "spc_target", "spc_rules"]
    missing = [c for c in needed if c not in points.columns]
    if missing:
        raise ValueError(
            f"points lacks column(s) {', '.join(missing)}: pass the output of xmr_frame "
            "(and the same by)"
        )
    rules_used = points["spc_rules"].unique()
    if len(rules_used) != 1:
        raise ValueError(f"points mixes rule sets {list(rules_used)}: summarise one at a time")
    codes, uniques = pd.factorize(points[by], sort=False)
    n_series = len(uniques)
    perm = np.lexsort((points["spc_position"].to_numpy(), codes))
    series = codes[perm]
    valid = ~(points["gap"].to_numpy(dtype=bool) | points["ghost"].to_numpy(dtype=bool))[perm]
    firsts = np.flatnonzero(np.r_[True, series[1:] != series[:-1]])
    first_rows = perm[firsts]
    direction = np.array(
        [_DIRECTION[v] for v in points["spc_improvement"].to_numpy(dtype=object)[first_rows]]
    )
    target = points["spc_target"].to_numpy(dtype=float)[first_rows]
    limits_on = points["has_limits"].to_numpy(dtype=bool)[first_rows]
    variation, assurance = _summarise_core(
        series,
        valid,
        points["point_type"].to_numpy(dtype=object)[perm],
        points["lpl"].to_numpy(dtype=float)[perm],
        points["upl"].to_numpy(dtype=float)[perm],
        n_series,
        direction.astype(int),
        target,
        limits_on,
        str(rules_used[0]),
    )
    return pd.DataFrame(
        {
            by: uniques,
            # dtype=object keeps None (pandas would otherwise infer a string column with NaN).
            "variation": pd.Series(variation, dtype=object),
            "assurance": pd.Series(assurance, dtype=object),
            "has_limits": limits_on,
            "n_points": _group_count(series, n_series, valid),
        }
    )
