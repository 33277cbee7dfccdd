"""The public verbs: :func:`xmr` for one series, :func:`xmr_frame` for many at once."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pcplib.funnel_checks import check_choice
from pcplib.spc.result import (
    _C_GAP,
    _C_GHOST,
    _DIRECTION,
    _MDC_MIN_SECTION,
    _OUTPUT_COLUMNS,
    _P_COMMON,
    _POINT_TYPE_TABLE,
    ALLOWED_IMPROVEMENTS,
    ALLOWED_RULES,
    XmrResult,
    _label_table,
    _show_label,
)
from pcplib.spc.rules import (
    _coerce_values,
    _compute_core,
    _group_count,
    _resolve_baseline,
    _resolve_conflict,
    _resolve_min_points,
    _resolve_positions,
    _resolve_run_length,
    _resolve_screen,
    _resolve_target,
    _summarise_core,
)


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
    rules = check_choice("rules", rules, ALLOWED_RULES)
    improvement = check_choice("improvement", improvement, ALLOWED_IMPROVEMENTS)
    run_n = _resolve_run_length(rules, run_length)
    conflict_s = _resolve_conflict(rules, conflict)
    min_n = _resolve_min_points(rules, min_points)
    k = _resolve_baseline(baseline_points)
    screen = _resolve_screen(rules, screen_outliers)
    target_f = _resolve_target(target)

    y, index = _read_series(values)
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
    group = _assign_sections(rebase_at, index, valid, rules)
    n_groups = int(group[-1]) + 1
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
    _check_limits_formed(core, limits_on, group, index)
    points = _build_points(y, core, index, group, gap, ghost, valid, run_n)
    variation, assurance = _summarise_core(
        np.zeros(n, dtype=int),
        valid,
        points["point_type"].to_numpy(dtype=object),
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


def _read_series(values: Sequence[Any] | np.ndarray | pd.Series) -> tuple[np.ndarray, pd.Index]:
    """One series -> its values as floats and its index, checking a date index is usable.

    Raises
    ------
    ValueError
        For a DataFrame, a non-numeric value, or a DatetimeIndex that is
        unsorted or has duplicate dates.
    """
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
    return y, index


def _assign_sections(
    rebase_at: Sequence[Hashable] | None, index: pd.Index, valid: np.ndarray, rules: str
) -> np.ndarray:
    """The section number of each point (0, then +1 at each rebase position).

    Raises
    ------
    ValueError
        If a section starts at the first point, or (mdc) a recalculated section
        has fewer usable points than the rule set requires.
    """
    n = valid.size
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
    return group


def _check_limits_formed(
    core: dict[str, np.ndarray], limits_on: np.ndarray, group: np.ndarray, index: pd.Index
) -> None:
    """Refuse a section whose baseline has no mean or, where limits are due, no moving range."""
    n_groups = limits_on.size
    for s in range(n_groups):
        if np.isnan(core["mean_g"][s]) or (limits_on[s] and np.isnan(core["amr"][s])):
            first = int(np.flatnonzero(group == s)[0])
            where = "" if n_groups == 1 else f" (section starting at {_show_label(index[first])})"
            raise ValueError(
                f"values{where}: no two adjacent non-missing points in the baseline, so no "
                "moving range and no limits can be formed"
            )


def _build_points(
    y: np.ndarray,
    core: dict[str, np.ndarray],
    index: pd.Index,
    group: np.ndarray,
    gap: np.ndarray,
    ghost: np.ndarray,
    valid: np.ndarray,
    run_n: int,
) -> pd.DataFrame:
    """The per-point frame of :class:`XmrResult`: limits, labels and point types."""
    code = core["label_code"]
    code[ghost] = _C_GHOST
    code[gap] = _C_GAP
    pt_code = core["point_type_code"]
    pt_code[~valid] = _P_COMMON
    return pd.DataFrame(
        {
            "value": y,
            "mean": core["mean"],
            "lpl": core["lpl"],
            "upl": core["upl"],
            "lower_2s": core["lower_2s"],
            "upper_2s": core["upper_2s"],
            "special_cause": _label_table(run_n)[code],
            "point_type": _POINT_TYPE_TABLE[pt_code],
            "ghost": ghost,
            "gap": gap,
            "section": group,
        },
        index=index.copy(),
    )


def _frame_output(
    df: pd.DataFrame,
    core: dict[str, np.ndarray],
    *,
    perm: np.ndarray,
    codes: np.ndarray,
    valid: np.ndarray,
    limits_on: np.ndarray,
    settings: tuple[np.ndarray, np.ndarray, str],
    run_n: int,
) -> pd.DataFrame:
    """The input rows, in their own order, with the columns :func:`xmr_frame` adds.

    ``core`` and ``valid`` are in sorted order (``perm``); ``settings`` holds each
    series' direction and target, and the rule set, which
    :func:`summarise_xmr_frame` reads back.
    """
    direction, targets, rules = settings
    group = codes[perm]
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


# The frame, its series codes (one per row) and the distinct series, as pd.factorize gives them.
_SeriesOf = tuple[pd.DataFrame, np.ndarray, pd.Index]


def _per_series(series_of: _SeriesOf, spec: object, name: str, convert: Any) -> np.ndarray | None:
    """A column named by ``spec`` -> one value per series (None if ``spec`` is not a column)."""
    df, codes, uniques = series_of
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
    rules = check_choice("rules", rules, ALLOWED_RULES)
    run_n = _resolve_run_length(rules, run_length)
    conflict_s = _resolve_conflict(rules, conflict)
    min_n = _resolve_min_points(rules, min_points)
    _check_frame_columns(df, value=value, by=by, order=order)

    keys = df[by]
    if keys.isna().any():
        row = df.index[keys.isna().to_numpy()][0]
        raise ValueError(f"by={by!r}: row {row!r} has no series identifier")
    codes, uniques = pd.factorize(keys, sort=False)
    n_series = len(uniques)
    perm = _sort_series(df, codes, uniques, order)
    group = codes[perm]
    y = _read_frame_values(df, value)[perm]
    valid = ~np.isnan(y)

    series_of = (df, codes, uniques)
    direction = _direction_per_series(series_of, improvement)
    targets = _target_per_series(series_of, target)
    baseline = _baseline_per_series(series_of, baseline_points)
    screen = _screen_per_series(series_of, screen_outliers, rules)

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
    return _frame_output(
        df,
        core,
        perm=perm,
        codes=codes,
        valid=valid,
        limits_on=limits_on,
        settings=(direction, targets, rules),
        run_n=run_n,
    )


def _check_frame_columns(df: pd.DataFrame, *, value: str, by: str, order: str | None) -> None:
    """Refuse a named column that is missing or would be overwritten, and an empty frame."""
    for what, col in (("value", value), ("by", by), ("order", order)):
        if col is not None and col not in df.columns:
            raise ValueError(
                f"{what}={col!r} is not a column of df (columns: {', '.join(map(str, df.columns))})"
            )
        if col in _OUTPUT_COLUMNS:
            raise ValueError(f"{what}={col!r} clashes with a column xmr_frame adds; rename it")
    if df.empty:
        raise ValueError("df has no rows")


def _sort_series(
    df: pd.DataFrame, codes: np.ndarray, uniques: pd.Index, order: str | None
) -> np.ndarray:
    """The row permutation that lays each series end to end in period order.

    Without ``order`` the rows keep their order within each series. With it,
    a missing or repeated order value within a series raises ValueError.
    """
    if order is None:
        return np.argsort(codes, kind="stable")
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
    return perm


def _read_frame_values(df: pd.DataFrame, value: str) -> np.ndarray:
    """The value column as floats in row order (NaN for a gap); an infinity is refused."""
    raw = df[value]
    if raw.dtype.kind in "iuf":
        y_all = raw.to_numpy(dtype=float)
        if np.isinf(y_all).any():
            row = df.index[np.isinf(y_all)][0]
            raise ValueError(f"value={value!r}: row {row!r} is infinite; expected a finite number")
        return y_all
    try:
        return _coerce_values(pd.Series(raw.to_numpy(dtype=object), index=df.index), value)
    except ValueError as err:
        raise ValueError(f"column {err}") from None


def _direction_per_series(series_of: _SeriesOf, improvement: str) -> np.ndarray:
    """The improvement direction (+1, -1 or 0) of each series: one for all, or a column's."""

    def to_direction(v: object) -> int:
        return _DIRECTION[check_choice("improvement", v, ALLOWED_IMPROVEMENTS)]

    dir_col = None
    if isinstance(improvement, str) and improvement not in ALLOWED_IMPROVEMENTS:
        dir_col = _per_series(series_of, improvement, "improvement", to_direction)
        if dir_col is None:
            check_choice("improvement", improvement, ALLOWED_IMPROVEMENTS)
    if dir_col is None:
        return np.full(len(series_of[2]), to_direction(improvement), dtype=np.int8)
    return dir_col.astype(np.int8)


def _target_per_series(series_of: _SeriesOf, target: float | str | None) -> np.ndarray:
    """The target of each series (NaN for none): one number for all, or a column's."""

    def to_target(v: object) -> float:
        t = _resolve_target(None if v is None else v)
        return np.nan if t is None else t

    tgt_col = _per_series(series_of, target, "target", to_target)
    if tgt_col is None:
        if isinstance(target, str):
            raise ValueError(f"target={target!r}: expected a number, None or a column of df")
        return np.full(len(series_of[2]), to_target(target), dtype=float)
    return tgt_col.astype(float)


def _baseline_per_series(series_of: _SeriesOf, baseline_points: int | str | None) -> np.ndarray:
    """Points in each series' baseline (a large number for "all"): one for all, or a column's."""
    big = np.iinfo(np.int64).max // 2

    def to_baseline(v: object) -> int:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return big
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        k = _resolve_baseline(v)
        return big if k is None else k

    base_col = _per_series(series_of, baseline_points, "baseline_points", to_baseline)
    if base_col is None:
        return np.full(len(series_of[2]), to_baseline(baseline_points), dtype=np.int64)
    return base_col.astype(np.int64)


def _screen_per_series(
    series_of: _SeriesOf, screen_outliers: bool | str | None, rules: str
) -> np.ndarray:
    """Whether each series screens its moving ranges: one setting for all, or a column's."""

    def to_screen(v: object) -> bool:
        return _resolve_screen(rules, v)

    scr_col = _per_series(series_of, screen_outliers, "screen_outliers", to_screen)
    if scr_col is None:
        return np.full(len(series_of[2]), to_screen(screen_outliers), dtype=bool)
    return scr_col.astype(bool)


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
