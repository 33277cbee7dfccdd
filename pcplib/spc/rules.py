"""The XmR rule engine: vectorised limits, runs, trends and two-in-three, and option checks.

One array pass serves both :func:`~pcplib.spc.xmr` and :func:`~pcplib.spc.xmr_frame`, so
a single series and a thousand are judged by exactly the same code.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pcplib.funnel_checks import check_choice, is_number
from pcplib.spc.result import (
    _C_ABOVE,
    _C_BELOW,
    _C_COMMON,
    _C_NO_LIMITS,
    _C_SHIFT_ABOVE,
    _C_SHIFT_BELOW,
    _C_TREND_DOWN,
    _C_TREND_UP,
    _C_TWO3_ABOVE,
    _C_TWO3_BELOW,
    _LABEL_SIGN,
    _LIMIT,
    _LIMIT_2S,
    _MDC_MIN_POINTS,
    _MDC_RUN_DEFAULT,
    _MDC_RUN_RANGE,
    _MIN_BASELINE,
    _P_COMMON,
    _P_CONCERN,
    _P_HIGH,
    _P_IMPROVEMENT,
    _P_LOW,
    _PTD_RUN,
    _SCREEN,
    ALLOWED_CONFLICTS,
)


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
            elif is_number(v):
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


def _compute_limits(
    y: np.ndarray,
    valid: np.ndarray,
    group: np.ndarray,
    same_prev: np.ndarray,
    *,
    limits_on: np.ndarray,
    baseline: np.ndarray,
    screen: np.ndarray,
    rules: str,
) -> dict[str, np.ndarray]:
    """Each section's mean and average moving range from its baseline, and the limits.

    Returns per point ``mean``, ``lpl``, ``upl``, ``lower_2s``, ``upper_2s`` and per
    section ``amr`` and ``mean_g``.
    """
    n = y.size
    n_groups = limits_on.size
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
    return {
        "mean": mean_g[group],
        "lpl": lpl_g[group],
        "upl": upl_g[group],
        "lower_2s": l2_g[group],
        "upper_2s": u2_g[group],
        "amr": amr_g,
        "mean_g": mean_g,
    }


def _detect_patterns(
    y: np.ndarray,
    judged: np.ndarray,
    group: np.ndarray,
    same_prev: np.ndarray,
    limits: dict[str, np.ndarray],
    run_length: int,
) -> dict[str, np.ndarray]:
    """Where each rule's pattern holds: beyond the limits, near them, trends and shifts."""
    n = y.size
    mean = limits["mean"]
    with np.errstate(invalid="ignore"):
        side = np.where(judged, np.sign(y - mean), 0.0).astype(np.int8)
        above = judged & (y > limits["upl"])
        below = judged & (y < limits["lpl"])
        beyond_hi = judged & (y > limits["upper_2s"])
        beyond_lo = judged & (y < limits["lower_2s"])

    # A step joins two adjacent judged points of one section; anything else breaks trends.
    step = np.zeros(n, dtype=np.int8)
    pair = same_prev & judged & np.r_[False, judged[:-1]]
    step[1:] = np.where(pair[1:], np.sign(np.diff(y)), 0).astype(np.int8)
    step_run = _in_long_run(step, same_prev, run_length - 1)
    inc_steps = step_run & (step == 1)
    dec_steps = step_run & (step == -1)

    # Windows of three adjacent points in one section, indexed by their first point.
    win = np.zeros(n, dtype=bool)
    side_sum = np.zeros(n, dtype=np.int16)
    if n >= 3:
        win[:-2] = group[:-2] == group[2:]
        side_sum[:-2] = side[:-2].astype(np.int16) + side[1:-1] + side[2:]
    return {
        "side": side,
        "above": above,
        "below": below,
        "outside": above | below,
        "beyond_hi": beyond_hi,
        "beyond_lo": beyond_lo,
        "step": step,
        "step_right": _shift_left(step, 0),
        "trend_inc": inc_steps | _shift_left(inc_steps, False),
        "trend_dec": dec_steps | _shift_left(dec_steps, False),
        "shift": _in_long_run(side, same_prev, run_length),
        "win": win,
        "side_sum": side_sum,
    }


def _count_in_window(mask: np.ndarray) -> np.ndarray:
    """How many of three adjacent points ``mask`` selects, indexed by the first."""
    n = mask.size
    c = np.zeros(n, dtype=np.int16)
    if n >= 3:
        m = mask.astype(np.int16)
        c[:-2] = m[:-2] + m[1:-1] + m[2:]
    return c


def _spread_window(wq: np.ndarray) -> np.ndarray:
    """Mark all three points of each window marked at its first point."""
    out = wq.copy()
    out[1:] |= wq[:-1]
    out[2:] |= wq[:-2]
    return out


def _label_plotthedots(
    p: dict[str, np.ndarray], same_prev: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """NHSRplotthedots' labels (its precedence) and each point's side (+1 or -1)."""
    close = (p["beyond_hi"] | p["beyond_lo"]) & ~p["outside"]
    side = p["side"]
    wq = p["win"] & (_count_in_window(close) >= 2) & (np.abs(p["side_sum"]) == 3)
    two3 = _spread_window(wq) & close
    trend = p["trend_inc"] | p["trend_dec"]
    next_trend = _shift_left(trend, False) & _shift_left(same_prev, False)
    sdy = np.where(trend & next_trend, p["step_right"], p["step"])
    code = np.select(
        [p["outside"], trend, two3, p["shift"]],
        [
            np.where(side == 1, _C_ABOVE, _C_BELOW),
            np.where(sdy == 1, _C_TREND_UP, _C_TREND_DOWN),
            np.where(side > 0, _C_TWO3_ABOVE, _C_TWO3_BELOW),
            np.where(side > 0, _C_SHIFT_ABOVE, _C_SHIFT_BELOW),
        ],
        _C_COMMON,
    )
    # Above/Increasing counts +1 and Below/Decreasing -1, read off the label as R does.
    return code, _LABEL_SIGN[code]


def _label_mdc(
    p: dict[str, np.ndarray], d: np.ndarray, conflict: str
) -> tuple[np.ndarray, np.ndarray]:
    """Making Data Count's labels and each point's side, resolving points that signal both."""
    side = p["side"]
    wq_hi = p["win"] & (p["side_sum"] == 3) & (_count_in_window(p["beyond_hi"]) >= 2)
    wq_lo = p["win"] & (p["side_sum"] == -3) & (_count_in_window(p["beyond_lo"]) >= 2)
    two3_hi = _spread_window(wq_hi) & p["beyond_hi"]
    two3_lo = _spread_window(wq_lo) & p["beyond_lo"]
    shift_hi = p["shift"] & (side > 0)
    shift_lo = p["shift"] & (side < 0)
    above, below = p["above"], p["below"]
    trend_inc, trend_dec = p["trend_inc"], p["trend_dec"]
    hi = above | trend_inc | two3_hi | shift_hi
    lo = below | trend_dec | two3_lo | shift_lo
    pick = 1 if conflict == "improvement" else -1
    # Neutral measures have no improvement side, so a point signalling both ways takes
    # the direction of its strongest rule; at a peak or trough between two trends, the
    # later trend's.
    neutral_pick = np.select(
        [above, below, trend_inc & trend_dec, trend_inc, trend_dec, two3_hi, two3_lo],
        [1, -1, p["step_right"], 1, -1, 1, -1],
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
    return code, v


def _classify_points(v: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Each point's type code from its side and its section's good direction."""
    oriented = v * np.where(d == 0, 1, d)
    return np.where(
        d == 0,
        np.where(v > 0, _P_HIGH, np.where(v < 0, _P_LOW, _P_COMMON)),
        np.where(oriented > 0, _P_IMPROVEMENT, np.where(oriented < 0, _P_CONCERN, _P_COMMON)),
    )


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
    ``label``, ``point_type``) and per section ``amr``. The steps: limits
    (:func:`_compute_limits`), the rules' patterns (:func:`_detect_patterns`), the
    rule set's labels (:func:`_label_plotthedots` or :func:`_label_mdc`) and the
    point types (:func:`_classify_points`).
    """
    same_prev = np.zeros(y.size, dtype=bool)
    same_prev[1:] = group[1:] == group[:-1]
    limits = _compute_limits(
        y, valid, group, same_prev,
        limits_on=limits_on, baseline=baseline, screen=screen, rules=rules,
    )  # fmt: skip
    judged = valid & limits_on[group]
    patterns = _detect_patterns(y, judged, group, same_prev, limits, run_length)
    d = direction[group]
    if rules == "plotthedots":
        code, v = _label_plotthedots(patterns, same_prev)
    else:
        code, v = _label_mdc(patterns, d, conflict)
    pt_code = _classify_points(v, d)
    code = code.astype(np.int8)
    code[valid & ~limits_on[group]] = _C_NO_LIMITS
    return {
        **{k: limits[k] for k in ("mean", "lpl", "upl", "lower_2s", "upper_2s")},
        "label_code": code,
        "point_type_code": pt_code.astype(np.int8),
        "amr": limits["amr"],
        "mean_g": limits["mean_g"],
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
    return check_choice("conflict", conflict, ALLOWED_CONFLICTS)


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
    if not is_number(target):
        raise ValueError(f"target={target!r}: expected a number or None")
    value = float(target)  # type: ignore[arg-type]
    if math.isnan(value):
        return None
    if math.isinf(value):
        raise ValueError(f"target={target!r}: expected a finite number or None")
    return value
