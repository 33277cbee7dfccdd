"""Funnel plots for comparing units of different sizes, reproducing FunnelPlotR 0.6.0.

A funnel plot sets each unit's ratio (a standardised ratio, a proportion or a
ratio of counts) against its size, with control limits that narrow as the size
grows (Spiegelhalter 2005, "Funnel plots for comparing institutional
performance", Stat Med 24:1185-1202). Where the units differ by more than chance
allows ("overdispersion"), the limits are widened by a between-unit variance
tau² estimated by DerSimonian and Laird's method from z-scores that have first
been truncated (SHMI) or Winsorised.

This module reproduces the arithmetic of the R package FunnelPlotR 0.6.0 exactly,
quirks included (back-tested in ``tests/backtests/test_funnel_funnelplotr.py`` on 14
reference cases computed with the package). Every place where the package, and
so this module, departs from the paper is listed in ``docs/funnel-deviations.md``.

:func:`funnel` analyses one set of units and returns one row per unit.
:func:`compute_funnel_limits` gives the limits at any denominators; :func:`funnel`
uses it on :func:`build_funnel_grid`'s grid, and :func:`compute_funnel_curve` gives
the same curve for a chart, so the chart and the table always agree.
:func:`compute_expected_counts` turns counts and populations into the expected
counts a standardised-ratio funnel needs. Every input is checked first, in one line per
fault, by :mod:`pcplib.funnel_checks`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeAlias, cast

import numpy as np
import pandas as pd
from scipy import stats

from pcplib.funnel_checks import (
    check_bool,
    check_choice,
    check_positive,
    check_trim_by,
    coerce_units,
    is_number,
    name_units,
    validate_units,
)

__all__ = [
    "ALLOWED_DATA_TYPES",
    "ALLOWED_SR_METHODS",
    "LIMIT_COLUMNS",
    "Z95",
    "Z998",
    "build_funnel_grid",
    "compute_expected_counts",
    "compute_funnel_curve",
    "compute_funnel_limits",
    "funnel",
]

ALLOWED_DATA_TYPES: tuple[str, ...] = ("SR", "PR", "RC")
ALLOWED_SR_METHODS: tuple[str, ...] = ("SHMI", "CQC")

# The normal quantiles exactly as FunnelPlotR writes them (not qnorm(0.975) and
# qnorm(0.999)), so that the limits agree to the last bit floating point allows.
Z95 = 1.959964
Z998 = 3.090232

LIMIT_COLUMNS: tuple[str, ...] = ("lcl95", "ucl95", "lcl998", "ucl998")

# Upper-tail probabilities of the chi-squared quantiles for the exact Poisson limits,
# (lower limit, upper limit) at 95% and at 99.8%.
_POISSON_TAILS = ((0.975, 0.025), (0.999, 0.001))

# FunnelPlotR's grid for drawing: 1,000 points from 1.1 (SR) or 3 (PR, RC) to the
# ceiling of the largest denominator, plus every unit's own denominator.
_GRID_POINTS = 1000
_GRID_START = {"SR": 1.1, "PR": 3.0, "RC": 3.0}

_SHMI_DIGITS = 2
# R's DBL_DIG and log10(2), used by its round() to leave long numbers alone.
_DBL_DIG = 15
_LOG10_2 = math.log10(2.0)


ArrayLike: TypeAlias = Sequence[Any] | np.ndarray | pd.Series


# --------------------------------------------------------------------------------------
# The arithmetic, each step as FunnelPlotR does it
# --------------------------------------------------------------------------------------


def _round_like_r(x: np.ndarray, digits: int) -> np.ndarray:
    """``round(x, digits)`` as R (4.0.0 and later) computes it, for positive ``x``.

    numpy's ``round`` scales, rounds and scales back, which can land on the other side
    of a value that is (in binary) just off a half; R instead takes the two
    ``digits``-decimal neighbours of ``x`` and picks the closer one (the even one on a
    tie), and leaves numbers with more than 15 significant digits alone.
    """
    pow10 = 10.0**digits
    x10 = pow10 * x
    i10 = np.floor(x10)
    xd = i10 / pow10
    xu = np.ceil(x10) / pow10
    du = xu - x
    dd = x - xd
    up = (du < dd) | ((du == dd) & (np.fmod(i10, 2.0) == 1))
    out = np.where(up, xu, xd)
    # logb(x) is the binary exponent: frexp's exponent less one.
    l10x = _LOG10_2 * (0.5 + (np.frexp(x)[1] - 1))
    return np.where(l10x + digits > _DBL_DIG, x, out)


def _quantile_type7(x: np.ndarray, p: float) -> float:
    """R's default ``quantile(x, p)`` (type 7), computed the way R computes it."""
    xs = np.sort(x)
    index = 1 + (xs.size - 1) * p
    lo = math.floor(index)
    hi = math.ceil(index)
    q = float(xs[lo - 1])
    # R interpolates only when the two neighbours differ, so a tie returns the tied
    # value exactly (and a unit equal to it is not Winsorised to a value an ulp away).
    if index > lo and xs[hi - 1] != q:
        h = index - lo
        q = (1 - h) * q + h * float(xs[hi - 1])
    return q


def _transform(
    num: np.ndarray, den: np.ndarray, target: float, data_type: str, sr_method: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The transformed value Y, its standard error s, the z-score and the transformed target."""
    with np.errstate(divide="ignore"):
        if data_type == "SR" and sr_method == "SHMI":
            y = np.log(num / den)
            s = 1 / np.sqrt(den)
            # FunnelPlotR writes this z-score directly, not as (Y - 0) / s.
            return y, s, np.sqrt(den) * np.log(num / den), 0.0
        if data_type == "SR":
            y = np.sqrt(num / den)
            s = 1 / (2 * np.sqrt(den))
            target_t = 1.0
        elif data_type == "PR":
            target_t = float(np.arcsin(np.sqrt(target)))
            y = np.arcsin(np.sqrt(num / den))
            s = 1 / (2 * np.sqrt(den))
        else:
            target_t = float(np.log(target))
            y = np.log((num + 0.5) / (den + 0.5))
            # The z-score's s for a ratio of counts; the limits use 1 / (4n) instead.
            s = np.sqrt(num / (num + 0.5) ** 2 + den / (den + 0.5) ** 2)
    return y, s, (y - target_t) / s, target_t


def _truncate(z: np.ndarray, trim_by: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SHMI truncation: which units are kept, their ranks and rank groups.

    With ``k = 1 / trim_by`` groups, a unit is kept when its group
    ``floor(rank * k / (N + 1))`` is strictly between 0 and ``k - 1``.
    """
    rank = stats.rankdata(z, method="average")
    if trim_by == 0:
        # FunnelPlotR divides by zero here and then fails; no trimming is what is meant.
        return np.ones(z.size, dtype=bool), rank, np.full(z.size, np.nan)
    k = 1 / trim_by
    group = np.floor(rank * k / (z.size + 1))
    return (group > 0) & (group < k - 1), rank, group


def _winsorise(z: np.ndarray, trim_by: float) -> tuple[np.ndarray, np.ndarray]:
    """Winsorised z-scores and the flag FunnelPlotR sets (not strictly inside the quantiles)."""
    lz = _quantile_type7(z, trim_by)
    uz = _quantile_type7(z, 1 - trim_by)
    z_w = np.where(z < lz, lz, np.where(z > uz, uz, z))
    # A unit exactly on a quantile keeps its value but is still flagged, as in the package.
    return z_w, ~((z > lz) & (z < uz))


def _estimate_tau2(n: int, phi: float, s: np.ndarray) -> float:
    """DerSimonian-Laird between-unit variance from phi and the kept units' s."""
    if s.size == 0 or n * phi < n - 1:
        return 0.0
    w = 1 / s**2
    return max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum()))


def _limits_sorted(
    d: np.ndarray,
    target: float,
    tau2: float,
    data_type: str,
    sr_method: str,
    multiplier: float,
    adjusted: bool,
) -> list[np.ndarray]:
    """Limits (lcl95, ucl95, lcl998, ucl998) at sorted, distinct denominators ``d``."""
    if data_type == "SR" and not adjusted:
        # Exact Poisson limits through the chi-squared distribution, at non-integer d.
        out = []
        for lower_tail, upper_tail in _POISSON_TAILS:
            out.append(multiplier * target * (stats.chi2.isf(lower_tail, 2 * d) / 2) / d)
            out.append(multiplier * target * (stats.chi2.isf(upper_tail, 2 * (d + 1)) / 2) / d)
        return out
    tau2 = tau2 if adjusted else 0.0
    if data_type == "SR" and sr_method == "SHMI":
        width = [z * np.sqrt(1 / d + tau2) for z in (Z95, Z998)]
        return [multiplier * target * np.exp(sign * w) for w in width for sign in (-1, 1)]
    s = 1 / (2 * np.sqrt(d))
    width = [z * np.sqrt(s**2 + tau2) for z in (Z95, Z998)]
    if data_type == "SR":
        # CQC: the square-root scale's limits, not squared back (as FunnelPlotR does).
        return [multiplier * target * (1 + sign * w) for w in width for sign in (-1, 1)]
    if data_type == "RC":
        return [multiplier * np.exp(math.log(target) + sign * w) for w in width for sign in (-1, 1)]
    centre = math.asin(math.sqrt(target))
    out = [multiplier * np.sin(centre + sign * w) ** 2 for w in width for sign in (-1, 1)]
    for i, limit in enumerate(out):
        lower = i % 2 == 0
        clipped = np.where(limit < 0, 0.0, limit) if lower else np.minimum(limit, multiplier)
        # On the arcsine scale the limits stop being monotonic where the angle passes 0
        # or pi/2 (small n); FunnelPlotR then sets a lower limit that is above the next
        # grid row's to 0 and an upper limit below the next row's to the multiplier.
        step = clipped[:-1] > clipped[1:] if lower else clipped[:-1] < clipped[1:]
        fixed = clipped.copy()
        fixed[:-1][step] = 0.0 if lower else multiplier
        out[i] = fixed
    return out


# --------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------


def build_funnel_grid(denominators: ArrayLike, data_type: str = "SR") -> np.ndarray:
    """FunnelPlotR's grid of denominators for drawing a funnel.

    Parameters
    ----------
    denominators : sequence of float, numpy.ndarray or pandas.Series
        The units' denominators as the limits use them (for SR with SHMI rounding,
        the rounded expected counts: ``funnel(...)["denominator_used"]``).
    data_type : {"SR", "PR", "RC"}, default "SR"
        SR grids start at 1.1, PR and RC grids at 3.

    Returns
    -------
    numpy.ndarray
        1,000 evenly spaced values from the start to ``ceil(max(denominators))``,
        plus every denominator, sorted and without duplicates.

    Raises
    ------
    ValueError
        For an unknown data type, or denominators that are not positive numbers.
    """
    data_type = check_choice("data_type", data_type, ALLOWED_DATA_TYPES)
    d = coerce_units(denominators, "denominators")
    if d.size == 0 or not (np.isfinite(d) & (d > 0)).all():
        raise ValueError("denominators: expected at least one finite number, all above 0")
    return _build_grid(d, data_type)[0]


def _build_grid(d: np.ndarray, data_type: str) -> tuple[np.ndarray, np.ndarray]:
    """The grid, and the row of it that holds each of ``d``."""
    start = _GRID_START[data_type]
    stop = float(math.ceil(d.max()))
    n1 = _GRID_POINTS - 1
    # R's seq(from, to, length.out = 1000): from + i * ((to - from) / 999), ends exact.
    inner = start + np.arange(1, n1) * ((stop - start) / n1)
    grid, where = np.unique(np.concatenate([d, [start], inner, [stop]]), return_inverse=True)
    return grid, where[: d.size]


def compute_funnel_limits(
    denominators: ArrayLike,
    target: float = 1.0,
    tau2: float = 0.0,
    data_type: str = "SR",
    sr_method: str = "SHMI",
    multiplier: float = 1.0,
    adjusted: bool = False,
) -> pd.DataFrame:
    """95% and 99.8% funnel limits at the given denominators.

    Parameters
    ----------
    denominators : sequence of float, numpy.ndarray or pandas.Series
        Where to compute the limits: a grid for drawing (see
        :func:`build_funnel_grid`) or units' denominators (expected counts for SR).
    target : float, default 1.0
        The centre line before the multiplier: 1 for SR, the pooled proportion for
        PR, the pooled ratio for RC (``funnel(...).attrs["target"]``).
    tau2 : float, default 0.0
        Between-unit variance, used only when ``adjusted`` is True.
    data_type : {"SR", "PR", "RC"}, default "SR"
        Standardised ratio, proportion or ratio of counts.
    sr_method : {"SHMI", "CQC"}, default "SHMI"
        For SR, the scale of the adjusted limits; ignored for PR and RC.
    multiplier : float, default 1.0
        Scales the limits (100 for percentages, for example).
    adjusted : bool, default False
        Overdispersion-adjusted limits (with ``tau2``) rather than plain ones.

    Returns
    -------
    pandas.DataFrame
        One row per input denominator, in input order, with columns
        ``denominator``, ``lcl95``, ``ucl95``, ``lcl998`` and ``ucl998``.

    Raises
    ------
    ValueError
        For an unknown data type or method, a denominator that is not a positive
        number, a target outside (0, 1) for PR or not above 0 otherwise, a
        negative or missing ``tau2``, or a multiplier not above 0.

    Notes
    -----
    Plain SR limits are exact Poisson limits, ``chi2.isf(0.975, 2E) / (2E)`` and
    ``chi2.isf(0.025, 2(E + 1)) / (2E)`` (0.999 and 0.001 for 99.8%). Adjusted SR
    limits are ``exp(±z sqrt(1/E + tau2))`` (SHMI) or ``1 ± z sqrt(1/(4E) + tau2)``
    (CQC, not squared back). PR limits are ``sin(asin(sqrt(target)) ± z sqrt(1/(4n)
    + tau2))²`` clipped to ``[0, multiplier]``, RC limits ``exp(log(target) ± z
    sqrt(1/(4n) + tau2))``; plain is ``tau2 = 0``. For PR, a lower limit above the
    next larger denominator's is set to 0 and an upper limit below it to the
    multiplier, as FunnelPlotR does, so PR values depend on the denominators passed
    together (the distinct values, in increasing order).
    """
    data_type = check_choice("data_type", data_type, ALLOWED_DATA_TYPES)
    sr_method = check_choice("sr_method", sr_method, ALLOWED_SR_METHODS)
    adjusted = check_bool("adjusted", adjusted)
    multiplier = check_positive("multiplier", multiplier)
    target = check_positive("target", target)
    if data_type == "PR" and target >= 1:
        raise ValueError(f"target={target!r}: a PR target is a proportion between 0 and 1")
    if not is_number(tau2) or not float(tau2) >= 0:
        raise ValueError(f"tau2={tau2!r}: expected a number of at least 0")
    d = coerce_units(denominators, "denominators")
    if d.size == 0 or not (np.isfinite(d) & (d > 0)).all():
        raise ValueError("denominators: expected at least one finite number, all above 0")
    if (d[1:] > d[:-1]).all():
        # Already a sorted grid without duplicates (what funnel() passes): no need to sort.
        distinct, where = d, cast(Any, slice(None))
    else:
        distinct, where = np.unique(d, return_inverse=True)
    limits = _limits_sorted(
        distinct, target, float(tau2), data_type, sr_method, multiplier, adjusted
    )
    frame = {"denominator": d}
    frame.update({name: values[where] for name, values in zip(LIMIT_COLUMNS, limits, strict=True)})
    return pd.DataFrame(frame)


def funnel(
    numerator: ArrayLike,
    denominator: ArrayLike,
    data_type: str = "SR",
    sr_method: str = "SHMI",
    draw_adjusted: bool = True,
    trim_by: float = 0.1,
    multiplier: float = 1,
    shmi_rounding: bool = True,
) -> pd.DataFrame:
    """Funnel-plot analysis of a set of units, exactly as FunnelPlotR 0.6.0 computes it.

    Parameters
    ----------
    numerator : sequence of float, numpy.ndarray or pandas.Series
        One per unit: observed counts O (SR, RC) or events (PR). A Series gives the
        result its index.
    denominator : sequence of float, numpy.ndarray or pandas.Series
        One per unit, matched by position: expected counts E (SR; see
        :func:`compute_expected_counts`), trials n (PR) or the count compared with
        (RC). Each must be above 0.
    data_type : {"SR", "PR", "RC"}, default "SR"
        Standardised ratio (target 1), proportion (target the pooled proportion)
        or ratio of counts (target the pooled ratio).
    sr_method : {"SHMI", "CQC"}, default "SHMI"
        For SR: SHMI (log scale, truncation) or CQC (square-root scale,
        Winsorisation). Ignored for PR and RC, which Winsorise.
    draw_adjusted : bool, default True
        Widen the limits for overdispersion when phi is above 1.
    trim_by : float, default 0.1
        Share of the z-scores trimmed at each end before phi is estimated
        (truncated for SR with SHMI, Winsorised otherwise); from 0 up to 0.5.
    multiplier : float, default 1
        Scales the ratio, the target line and the limits.
    shmi_rounding : bool, default True
        For SR with SHMI, round the expected counts to 2 decimals after the ratio
        is taken (the z-scores, phi, tau² and limits use the rounded values).

    Returns
    -------
    pandas.DataFrame
        One row per unit in input order (with the numerator's index, if it is a
        Series), columns:

        - ``numerator``, ``denominator`` (as given), ``denominator_used`` (the
          limits' x value: rounded for SHMI rounding);
        - ``ratio``: numerator / denominator x multiplier;
        - ``lcl95``, ``ucl95``, ``lcl998``, ``ucl998``: the limits in effect at the
          unit's denominator (adjusted when ``attrs["adjusted"]``, plain otherwise);
        - ``outlier`` at 99.8% and ``outlier95`` at 95%: ``"high"``, ``"low"`` or
          ``"none"`` (a ratio on a limit is inside);
        - ``y`` (transformed ratio), ``s`` (its standard error), ``z`` (z-score),
          ``z_trimmed`` (Winsorised value, or NaN where truncated away),
          ``trimmed`` (bool), ``trim_rank`` and ``trim_group`` (SHMI truncation's
          rank and group; NaN otherwise), ``s_limit`` (the standard error the limits
          use: ``1/sqrt(E)`` for SHMI, ``1/(2 sqrt(n))`` otherwise);
        - ``lcl95_plain`` ... ``ucl998_plain``: plain limits, always;
          ``lcl95_adjusted`` ... ``ucl998_adjusted``: adjusted limits with the
          estimated tau² (NaN when ``draw_adjusted`` is False).

        ``attrs`` holds ``phi`` and ``tau2`` (0 when ``draw_adjusted`` is False),
        ``phi_estimated`` and ``tau2_estimated`` (as estimated, whatever
        ``draw_adjusted``), ``adjusted`` (whether adjusted limits are in effect:
        ``draw_adjusted`` and phi > 1), ``target`` (before the multiplier),
        ``target_transformed``, ``n_used`` (units phi was estimated from),
        ``data_type``, ``sr_method``, ``multiplier``, ``trim_by``,
        ``draw_adjusted`` and ``shmi_rounding``.

    Raises
    ------
    ValueError
        For lengths that differ, fewer than 3 units, a missing (NaN) or infinite
        value, a denominator not above 0 (or, with SHMI rounding, one that rounds
        to 0), a negative numerator, a numerator above its denominator for PR,
        all numerators 0 for PR or RC (or all equal to their denominators for PR),
        an unknown data type or method, ``trim_by`` outside [0, 0.5), or a
        multiplier not above 0.

    Notes
    -----
    z-scores: SR/SHMI ``sqrt(E) log(O/E)``; SR/CQC ``(sqrt(O/E) - 1) / (1/(2
    sqrt(E)))``; PR ``(asin(sqrt(p)) - asin(sqrt(pbar))) / (1/(2 sqrt(n)))``; RC
    ``(log((O+0.5)/(D+0.5)) - log(target)) / sqrt(O/(O+0.5)² + D/(D+0.5)²)``.
    phi is the mean square of the trimmed z-scores over the units kept;
    tau² = max(0, (n phi - (n - 1)) / (sum w - sum w² / sum w)), ``w = 1/s²``.
    With ``draw_adjusted`` True but phi <= 1 the plain limits are used, and phi and
    tau² are still reported. See :func:`compute_funnel_limits` for the limits and
    ``docs/funnel-deviations.md`` for where this departs from Spiegelhalter (2005).
    """
    data_type = check_choice("data_type", data_type, ALLOWED_DATA_TYPES)
    sr_method = check_choice("sr_method", sr_method, ALLOWED_SR_METHODS)
    draw_adjusted = check_bool("draw_adjusted", draw_adjusted)
    shmi_rounding = check_bool("shmi_rounding", shmi_rounding)
    trim_by = check_trim_by(trim_by)
    multiplier = check_positive("multiplier", multiplier)
    num, den, index = validate_units(numerator, denominator, data_type)
    shmi = data_type == "SR" and sr_method == "SHMI"

    # The ratio is taken before the expected counts are rounded, as in the package.
    ratio = num / den * multiplier
    den_used = _round_shmi_denominators(den, index) if shmi and shmi_rounding else den
    target = 1.0 if data_type == "SR" else float(num.sum() / den_used.sum())

    y, s, z, target_t = _transform(num, den_used, target, data_type, sr_method)
    kept, z_trimmed, trimmed, rank, group = _trim_z_scores(z, trim_by, shmi)
    n_used = int(kept.sum())
    # With trim_by below 0.5 some rank group is always kept; NaN (and plain limits, as
    # NaN > 1 is False) is the graceful answer should none be.
    phi_est = float((1 / n_used) * np.sum(z_trimmed[kept] ** 2)) if n_used else math.nan
    tau2_est = _estimate_tau2(n_used, phi_est, s[kept])
    phi, tau2 = (phi_est, tau2_est) if draw_adjusted else (0.0, 0.0)
    adjusted = bool(draw_adjusted and phi > 1)

    common: dict[str, Any] = dict(
        target=target, data_type=data_type, sr_method=sr_method, multiplier=multiplier
    )
    in_effect, extra = _limits_at_units(den_used, tau2, adjusted, draw_adjusted, common)
    columns: dict[str, Any] = {
        "numerator": num,
        "denominator": den,
        "denominator_used": den_used,
        "ratio": ratio,
        **in_effect,
    }
    for label, lower, upper in (("outlier", "lcl998", "ucl998"), ("outlier95", "lcl95", "ucl95")):
        # Inside includes the bounds: a ratio exactly on a limit is not an outlier.
        columns[label] = np.select(
            [ratio > columns[upper], ratio < columns[lower]], ["high", "low"], "none"
        ).astype(object)
    columns.update(
        {
            "y": y,
            "s": s,
            "z": z,
            "z_trimmed": z_trimmed,
            "trimmed": trimmed,
            "trim_rank": rank,
            "trim_group": group,
            "s_limit": 1 / np.sqrt(den_used) if shmi else 1 / (2 * np.sqrt(den_used)),
        }
    )
    columns.update(extra)
    result = pd.DataFrame(columns, index=index.copy())
    result.attrs.update(
        {
            "phi": phi,
            "tau2": tau2,
            "phi_estimated": phi_est,
            "tau2_estimated": tau2_est,
            "adjusted": adjusted,
            "target": target,
            "target_transformed": target_t,
            "n_used": n_used,
            "data_type": data_type,
            "sr_method": sr_method,
            "multiplier": multiplier,
            "trim_by": trim_by,
            "draw_adjusted": draw_adjusted,
            "shmi_rounding": shmi_rounding,
        }
    )
    return result


def _round_shmi_denominators(den: np.ndarray, index: pd.Index) -> np.ndarray:
    """SHMI's expected counts rounded to 2 decimals; a count that rounds to 0 is refused."""
    den_used = _round_like_r(den, _SHMI_DIGITS)
    if (bad := np.flatnonzero(den_used <= 0)).size:
        raise ValueError(
            f"denominator rounds to 0.00 (shmi_rounding) for the unit at "
            f"{name_units(bad, index)}: pass shmi_rounding=False or larger expected counts"
        )
    return den_used


def _trim_z_scores(
    z: np.ndarray, trim_by: float, shmi: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``kept`` (for phi), ``z_trimmed``, ``trimmed``, SHMI's ``rank`` and ``group`` (else NaN).

    SHMI truncates the z-scores before phi is estimated; the other methods Winsorise.
    """
    if shmi:
        kept, rank, group = _truncate(z, trim_by)
        return kept, np.where(kept, z, np.nan), ~kept, rank, group
    z_trimmed, trimmed = _winsorise(z, trim_by)
    nan = np.full(z.size, np.nan)
    return np.ones(z.size, dtype=bool), z_trimmed, trimmed, nan, nan


def _limits_at_units(
    den_used: np.ndarray,
    tau2: float,
    adjusted: bool,
    draw_adjusted: bool,
    common: dict[str, Any],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The limits in effect at each unit, and every ``<name>_plain`` and ``<name>_adjusted``.

    The adjusted limits are NaN without ``draw_adjusted``.
    """
    grid, rows = _build_grid(den_used, common["data_type"])
    plain = compute_funnel_limits(grid, tau2=0.0, adjusted=False, **common)
    in_effect = plain
    extra: dict[str, np.ndarray] = {}
    for name in LIMIT_COLUMNS:
        extra[f"{name}_plain"] = plain[name].to_numpy()[rows]
    if draw_adjusted:
        adj = compute_funnel_limits(grid, tau2=tau2, adjusted=True, **common)
        in_effect = adj if adjusted else plain
        for name in LIMIT_COLUMNS:
            extra[f"{name}_adjusted"] = adj[name].to_numpy()[rows]
    else:
        for name in LIMIT_COLUMNS:
            extra[f"{name}_adjusted"] = np.full(den_used.size, np.nan)
    return {name: in_effect[name].to_numpy()[rows] for name in LIMIT_COLUMNS}, extra


def compute_funnel_curve(result: pd.DataFrame, grid: ArrayLike | None = None) -> pd.DataFrame:
    """The funnel's limit curves for a chart, matching a :func:`funnel` result's table.

    Parameters
    ----------
    result : pandas.DataFrame
        What :func:`funnel` returned (its ``attrs`` and ``denominator_used``).
    grid : sequence of float, optional
        Denominators to draw at; by default FunnelPlotR's grid
        (:func:`build_funnel_grid` of the units' ``denominator_used``), on which the
        PR limits agree with the units' own.

    Returns
    -------
    pandas.DataFrame
        Columns ``denominator``, ``lcl95``, ``ucl95``, ``lcl998``, ``ucl998`` (the
        limits in effect in ``result``) and ``target`` (the centre line, target x
        multiplier), one row per grid value.

    Raises
    ------
    ValueError
        If ``result`` lacks what :func:`funnel` puts in its ``attrs``.
    """
    needed = ("target", "tau2", "data_type", "sr_method", "multiplier", "adjusted")
    missing = [key for key in needed if key not in result.attrs]
    if missing or "denominator_used" not in result:
        raise ValueError("result: expected a DataFrame returned by funnel() (attrs are missing)")
    attrs = result.attrs
    if grid is None:
        grid = build_funnel_grid(result["denominator_used"], attrs["data_type"])
    curve = compute_funnel_limits(
        grid,
        target=attrs["target"],
        tau2=attrs["tau2"],
        data_type=attrs["data_type"],
        sr_method=attrs["sr_method"],
        multiplier=attrs["multiplier"],
        adjusted=attrs["adjusted"],
    )
    curve["target"] = attrs["target"] * attrs["multiplier"]
    return curve


def compute_expected_counts(counts: ArrayLike, populations: ArrayLike) -> np.ndarray | pd.Series:
    """Expected counts at the pooled rate: ``sum(counts) / sum(populations) x population``.

    With these as the denominators of an SR funnel, a ratio above 1 reads "more
    than expected for its population" and the target is the pooled rate.

    Parameters
    ----------
    counts : sequence of float, numpy.ndarray or pandas.Series
        Observed counts, one per unit, none negative and not all 0.
    populations : sequence of float, numpy.ndarray or pandas.Series
        Populations (or any size measure), one per unit, each above 0.

    Returns
    -------
    numpy.ndarray or pandas.Series
        The expected counts; a Series with the same index when ``populations``
        (or else ``counts``) is a Series.

    Raises
    ------
    ValueError
        For lengths that differ, missing or infinite values, a negative count, a
        population not above 0, or counts that are all 0.
    """
    c = coerce_units(counts, "counts")
    p = coerce_units(populations, "populations")
    if c.size != p.size:
        raise ValueError(f"counts and populations have different lengths ({c.size} and {p.size})")
    if c.size == 0:
        raise ValueError("counts and populations are empty")
    if not np.isfinite(c).all() or not np.isfinite(p).all():
        raise ValueError("counts and populations must be finite numbers, with none missing")
    if (c < 0).any():
        raise ValueError(f"counts must not be negative (position {int(np.argmax(c < 0))})")
    if (p <= 0).any():
        raise ValueError(f"populations must be above 0 (position {int(np.argmax(p <= 0))})")
    if c.sum() == 0:
        raise ValueError("counts are all 0: the pooled rate is 0 and every expected count 0")
    expected = c.sum() / p.sum() * p
    for source in (populations, counts):
        if isinstance(source, pd.Series):
            return pd.Series(expected, index=source.index.copy(), name="expected")
    return expected
