"""The evidence for a change: a test that fits the measure, its materiality and its size.

Every comparison a reader is shown ("up 9.3% on the same quarter last year") carries a
verdict from here, and only a change that is both *beyond chance* and *material* is
called improved or deteriorated (see ``docs/methodology.md``, "The verdict of a
measure"). The test fits the data, as the field tests it:

- **counts of events** (``sum`` of whole counts): the exact conditional test of two
  Poisson rates (:func:`pcplib.stats.compare_counts`), and, when the series' own
  variation is wider than Poisson (dispersion above
  :data:`~pcplib.assessment.thresholds.DISPERSION_FLOOR`), a quasi-Poisson test
  whose variance is multiplied by the dispersion estimated from the series; the larger
  p-value counts (Home Office and ONS compare recorded crime year on year; McCullagh
  and Nelder 1989 for quasi-likelihood);
- **rates with a numerator** (per 1,000 households): the same test on the numerators,
  with the denominators as exposures;
- **proportions with a numerator and denominator**: a two-proportion z-test whose
  variance is multiplied by Laney's phi, the ratio of the series' own variation to the
  binomial (Laney 2002, "Improved control charts for attributes"; Spiegelhalter 2005,
  "Handling over-dispersion of performance indicators"); a panel survey's waves, which
  ask the same people, count as one wave's sample per window, not as independent
  samples added up;
- **stocks** (a headcount, or a share of a whole stock at the period end: officers
  from ethnic minority backgrounds, electric vehicles in the fleet) count every member,
  so they are not tested as samples: like levels, below;
- **levels, amounts and percentages without their numerators**: a z-test of the two
  windows' figures with the standard deviation the XmR chart uses (mean moving range /
  1.128: Wheeler), so a change is judged against the series' own point-to-point noise.

When the windows compare like seasons (the same months of the year: the reports'
comparisons), for a measure seasonal by the rule SPC uses the noise of counts, rates and
levels is sized net of season (each figure divided by its season's index, the windows'
chi-squared about seasonal expected values: :mod:`pcplib.assessment.season_noise`);
proportions are sized as they are. Windows of unlike seasons (an owner's claim from one
quarter to the next) keep the seasonal swing in the noise, as it is in their difference.

A change below :data:`~pcplib.assessment.thresholds.MATERIAL_CHANGE_PCT` per cent
(:data:`~pcplib.assessment.thresholds.MATERIAL_CHANGE_PP` points for a percentage) is
*below materiality*, and counts expected below
:data:`~pcplib.assessment.thresholds.SMALL_COUNT` are *small numbers*.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pcplib.assessment.figures import Window
from pcplib.assessment.season_noise import (
    SEASON,
    deseasonalise_history,
    is_like_seasons,
    read_season_factors,
    sum_season_chi2,
)
from pcplib.assessment.thresholds import (
    CONFIDENCE,
    D2,
    DISPERSION_FLOOR,
    MATERIAL_CHANGE_PCT,
    MATERIAL_CHANGE_PP,
    SIGNIFICANCE,
    SMALL_COUNT,
    WEAK_EVIDENCE,
    WINDOW_MIN_DF,
)
from pcplib.labels import is_missing
from pcplib.periods import month_number
from pcplib.stats import format_p_value

__all__ = [
    "EVIDENCE",
    "YEAR_TO_DATE_REASON",
    "Evidence",
    "estimate_dispersion",
    "estimate_laney_phi",
    "estimate_noise",
    "estimate_margin",
    "is_administrative",
    "is_census_share",
    "is_panel",
    "describe_year_ending_basis",
    "is_year_to_date",
    "read_measure_kind",
    "judge_evidence",
    "scale_window_error",
    "weigh_change",
]

EVIDENCE = (
    "beyond chance",
    "counted change",
    "possible change",
    "within noise",
    "below materiality",
    "small numbers",
    "no change",
    "not tested",
    "open outcomes",
)
"""What the evidence says of a change: beyond chance (and material); a material change in
an administrative figure, counted in full, so no test of chance applies (:func:`weigh_change`:
a change is a change, judged only against materiality); a material change
with weak evidence (p below :data:`~pcplib.assessment.thresholds.WEAK_EVIDENCE`);
within the series' noise; smaller than materiality; too few events to tell; no change
at all; no test possible (a figure missing); or a fall in an outcome share whose window
holds months with outcomes still open, which the lag may explain (never judged)."""


@dataclass(frozen=True)
class Evidence:
    """The evidence for one change, and the rule that decided it.

    Attributes
    ----------
    verdict : str
        One of :data:`EVIDENCE`.
    test : str
        The test used (``"exact Poisson"``, ``"quasi-Poisson"``, ``"Laney proportions"``,
        ``"level z-test"``) or ``""``.
    p_value : float or None
        Its two-sided p-value.
    dispersion : float or None
        The dispersion used (1 for none).
    small_numbers : bool
        Whether the counts are small (expected below
        :data:`~pcplib.assessment.thresholds.SMALL_COUNT`).
    material : bool
        Whether the change reaches the materiality threshold.
    reason : str
        The rule and threshold, for ``judgements.csv``.
    """

    verdict: str
    test: str = ""
    p_value: float | None = None
    dispersion: float | None = None
    small_numbers: bool = False
    material: bool = False
    reason: str = ""

    @property
    def real(self) -> bool:
        """Whether the change is real: beyond chance and material, or counted and material.

        A material change in an administrative figure, counted in full, has no chance to
        rule out (:func:`is_administrative`).
        """
        return self.verdict in ("beyond chance", "counted change")


def estimate_noise(values: pd.Series | np.ndarray) -> float | None:
    """The series' point-to-point standard deviation: mean moving range / 1.128.

    Parameters
    ----------
    values : pandas.Series or numpy.ndarray
        A regular series (gaps NaN); ranges across a gap are left out.

    Returns
    -------
    float or None
        None with fewer than two adjacent figures.
    """
    x = np.asarray(values, dtype=float)
    if x.size < 2:
        return None
    ranges = np.abs(np.diff(x))
    ranges = ranges[~np.isnan(ranges)]
    if ranges.size == 0:
        return None
    return float(ranges.mean() / D2)


def estimate_dispersion(counts: pd.Series | np.ndarray) -> float:
    """The dispersion of a count series: its point-to-point variance over its mean.

    The variance comes from the mean moving range (robust to a shift in level, unlike
    the overall variance), so a series that is Poisson from period to period scores
    about 1. Never below 1: a test is never made narrower than the exact test.
    """
    x = np.asarray(counts, dtype=float)
    x = x[~np.isnan(x)] if x.ndim else x
    sigma = estimate_noise(np.asarray(counts, dtype=float))
    mean = float(np.nanmean(x)) if x.size else 0.0
    if sigma is None or mean <= 0:
        return 1.0
    return max(1.0, sigma**2 / mean)


def estimate_laney_phi(numerators: np.ndarray, denominators: np.ndarray) -> float:
    """Laney's phi: the series' variation of a proportion over the binomial's (at least 1).

    Each period's proportion becomes a z-score against the pooled proportion; phi is the
    squared standard deviation of those z-scores from their mean moving range (Laney
    2002). 1 for a series that varies as the binomial says.
    """
    x = np.asarray(numerators, dtype=float)
    n = np.asarray(denominators, dtype=float)
    ok = ~np.isnan(x) & ~np.isnan(n) & (n > 0)
    if ok.sum() < 3:
        return 1.0
    pooled = x[ok].sum() / n[ok].sum()
    if pooled <= 0 or pooled >= 1:
        return 1.0
    z = np.where(ok, (x / np.where(ok, n, 1) - pooled) / np.sqrt(pooled * (1 - pooled) / n), np.nan)
    sigma = estimate_noise(z)
    return 1.0 if sigma is None else max(1.0, sigma**2)


def estimate_margin(numerator: float | None, denominator: float | None) -> float | None:
    """The 95% margin of error of a survey percentage, in percentage points (Wilson)."""
    if numerator is None or not denominator or denominator <= 0:
        return None
    from pcplib import stats

    interval = stats.wilson_interval(min(numerator, denominator), denominator, CONFIDENCE)
    return 100 * (interval.high - interval.low) / 2


def read_measure_kind(
    measure: Mapping[str, Any],
    pattern: re.Pattern[str],
    keys: tuple[str, ...] = ("measure_name", "definition"),
    column: str = "",
) -> bool:
    """Whether a measure is of a kind its catalogue row states, or its words say.

    The one way the assessment reads what kind of figure a measure is (rolling, year to
    date): a catalogue ``column`` holding ``yes`` or ``no`` decides; with ``auto`` or
    empty (or no such column), the measure is of the kind when its words match
    ``pattern``.

    Parameters
    ----------
    measure : mapping
        The measure's catalogue row.
    pattern : re.Pattern
        The words that say so ("rolling", "year to date").
    keys : tuple of str, default ("measure_name", "definition")
        The catalogue's columns whose words are read.
    column : str, optional
        The catalogue's column that states the kind outright (``rolling``); none when
        empty.

    Returns
    -------
    bool
        True when the column says ``yes``, or, when it says neither, the words match.
    """
    stated = measure.get(column) if column else None
    stated = "" if is_missing(stated) else str(stated or "").strip().lower()
    if stated in ("yes", "no"):
        # The catalogue's own column decides; the words are only its fallback ("auto").
        return stated == "yes"
    words = " ".join(str(measure.get(key) or "") for key in keys)
    return bool(pattern.search(words))


_YEAR_TO_DATE = re.compile(r"\byear[ -]to[ -]date\b|\bytd\b", re.IGNORECASE)


def is_administrative(measure: Mapping[str, Any]) -> bool:
    """Whether a measure is an exact count of something the organisation itself sets.

    The catalogue's optional ``administrative`` column (``yes``, ``no``, ``auto`` or
    empty) decides; with ``auto`` or empty (and in catalogues without the column), a
    whole headcount at the period end (unit ``count``, aggregation ``last``) and an
    amount of money from the books (unit ``gbp``) are.

    Opening hours on the schedules, officers in post, savings in the ledger: the figure
    is what the organisation set or booked, counted in full, not a draw from a process
    of events or a sample,
    so it meets or misses a target exactly (361 hours against at least 360 meets it) and
    gets no allowance for chance (:func:`~pcplib.assessment.chance.estimate_target_chance`).
    Nor does a change in it get a test of chance (:func:`weigh_change`): a change is a
    change, told by its size and direction, and judged only against materiality.
    """
    stated = measure.get("administrative")
    stated = "" if stated is None or stated != stated else str(stated).strip().lower()
    if stated in ("yes", "no"):
        return stated == "yes"
    unit = str(measure.get("unit"))
    return unit == "gbp" or (unit == "count" and str(measure.get("aggregation")) == "last")


def is_year_to_date(measure: Mapping[str, Any]) -> bool:
    """Whether a measure is a year-to-date figure (its name or definition says so).

    A year-to-date figure builds up month by month and starts again each April, so
    neighbouring points are not independent and a month's figure is only like for like
    with the same month of another year. Its moving ranges measure the build-up and the
    April reset, not noise: no test or chart limits can be sized from them.

    Parameters
    ----------
    measure : mapping
        The measure's catalogue row (``measure_name``, ``definition``).

    Returns
    -------
    bool
        True when the name or definition says "year to date".
    """
    return read_measure_kind(measure, _YEAR_TO_DATE)


def describe_year_ending_basis(measure: Mapping[str, Any], now: str, before: str) -> str:
    """What a year-to-date measure's "year ending" figure really is, in words ("" otherwise).

    The longer view compares the year ending with the year before. For a year-to-date
    figure that column holds the year to date at the latest month against the same month
    a year earlier, which is not a year ending (review 5, F5): the label says so, decided
    here once and printed by every report.

    Parameters
    ----------
    measure : mapping
        The measure's catalogue row (``measure_name``, ``definition``).
    now, before : str
        The labels of the latest month and of the same month a year earlier
        ("September 2026", "September 2025").

    Returns
    -------
    str
        "year to date, September 2026 against September 2025", or "" for a measure that
        is not year to date.
    """
    return f"year to date, {now} against {before}" if is_year_to_date(measure) else ""


YEAR_TO_DATE_REASON = (
    "a year-to-date figure builds up through the year and starts again each April, so "
    "its month-to-month movement is not noise that a test could be sized from"
)


def is_panel(measure: Mapping[str, Any]) -> bool:
    """Whether a measure comes from a panel survey (its source says "panel")."""
    return "panel" in str(measure.get("source") or "").lower()


def _normal_p(z: float) -> float:
    return float(math.erfc(abs(z) / math.sqrt(2)))


def _reference_p(z: float, df: int | None) -> float:
    """Two-sided p of a statistic: Student's t on ``df``, else the normal.

    Student's t when the scale was estimated from the windows' own periods.
    """
    if df is None or df <= 0:
        return _normal_p(z)
    from scipy import stats

    return float(2 * stats.t.sf(abs(z), df))


def _in_window(history: pd.DataFrame, window: Window) -> pd.DataFrame:
    index = pd.DatetimeIndex(history.index)
    months = np.asarray(month_number(index))
    values = history["value"].to_numpy(dtype=float)
    inside = (months >= window.first) & (months <= window.last) & ~np.isnan(values)
    # Periods left out to compare like for like are left out of the test too.
    inside &= ~np.isin(months, window.skipped)
    return history.iloc[np.flatnonzero(inside)]


def _windows_dispersion(
    history: pd.DataFrame, before: Window, after: Window, kind: str
) -> tuple[float, int | None]:
    """The quasi-likelihood dispersion of the two windows' own periods, and its df.

    Pearson's chi-squared about each window's mean over its degrees of freedom
    (McCullagh and Nelder 1989); for a deseasonalised history (its seasonal indices
    beside, :func:`~pcplib.assessment.season_noise.deseasonalise_history`), a count's
    about each period's seasonal expected value, the indices a known offset
    (:func:`~pcplib.assessment.season_noise.sum_season_chi2`). (1, None) with too few
    periods.
    """
    b, a = _in_window(history, before), _in_window(history, after)
    df = len(b) + len(a) - 2
    if len(b) < 2 or len(a) < 2 or df < WINDOW_MIN_DF:
        # Too few periods to estimate a dispersion worth trusting (four quarters a year).
        return 1.0, None
    chi2 = 0.0
    for part in (b, a):
        if kind == "count" and SEASON in part.columns:
            # Net of season: about each period's expected value (window level x index).
            within = sum_season_chi2(part)
            if within is None:
                return 1.0, None
            chi2 += within
        elif kind == "count":
            mean = float(part["value"].mean())
            if mean <= 0:
                return 1.0, None
            chi2 += float((((part["value"] - mean) ** 2) / mean).sum())
        else:
            x, n = part["numerator"].to_numpy(float), part["denominator"].to_numpy(float)
            if np.isnan(x).any() or np.isnan(n).any() or (n <= 0).any():
                return 1.0, None
            pooled = x.sum() / n.sum()
            if pooled <= 0 or pooled >= 1:
                return 1.0, None
            chi2 += float((((x - n * pooled) ** 2) / (n * pooled * (1 - pooled))).sum())
    return max(1.0, chi2 / df), df


def _is_whole(*values: float) -> bool:
    return all(abs(v - round(v)) < 1e-9 for v in values)


def _material(before: float, after: float, unit: str) -> tuple[bool, str]:
    if unit == "percent":
        size = abs(after - before)
        return size >= MATERIAL_CHANGE_PP, f"materiality {MATERIAL_CHANGE_PP:g} pp"
    if before == 0:
        return after != 0, f"materiality {MATERIAL_CHANGE_PCT:g}%"
    size = abs(after - before) / abs(before) * 100
    return size >= MATERIAL_CHANGE_PCT, f"materiality {MATERIAL_CHANGE_PCT:g}%"


def _exact_poisson_p(c1: int, c2: int, e1: float, e2: float) -> float:
    """The two-sided p-value of :func:`pcplib.stats.compare_counts`, computed directly.

    The same central exact conditional test (the current count given the total is
    binomial), from the binomial's distribution functions alone: the assessment runs it
    hundreds of times a report and needs no interval.
    """
    from scipy import special

    total = c1 + c2
    p0 = e2 / (e1 + e2)
    lower = float(special.bdtr(c2, total, p0))
    upper = 1.0 if c2 == 0 else float(special.bdtrc(c2 - 1, total, p0))
    return min(1.0, 2 * min(lower, upper))


def _test_counts(
    c1: float, c2: float, e1: float, e2: float, dispersion: float, df: int | None = None
) -> tuple[str, float, bool]:
    total = c1 + c2
    expected = min(total * e1 / (e1 + e2), total * e2 / (e1 + e2))
    small = expected < SMALL_COUNT
    if total == 0:
        return "exact Poisson", 1.0, small
    exact = _exact_poisson_p(int(round(c1)), int(round(c2)), e1, e2)
    if dispersion <= DISPERSION_FLOOR:
        return "exact Poisson", exact, small
    # Quasi-Poisson: the variance of each rate is the dispersion times the Poisson's.
    variance = dispersion * (c1 / e1**2 + c2 / e2**2)
    z = (c2 / e2 - c1 / e1) / math.sqrt(variance) if variance > 0 else 0.0
    return "quasi-Poisson", max(exact, _reference_p(z, df)), small


def _test_proportions(
    x1: float, n1: float, x2: float, n2: float, phi: float, df: int | None = None
) -> tuple[str, float]:
    pooled = (x1 + x2) / (n1 + n2)
    if pooled <= 0 or pooled >= 1:
        return "Laney proportions", 1.0
    se = math.sqrt(phi * pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (x2 / n2 - x1 / n1) / se
    name = "quasi-binomial" if df is not None else "Laney proportions"
    if phi <= DISPERSION_FLOOR:
        name = "two proportions"
    return name, _reference_p(z, df)


def scale_window_error(sigma: float, window: Window, aggregation: str) -> float:
    """Return the standard error of a window's figure from the per-period one.

    Parameters
    ----------
    sigma : float
        The standard deviation of one period's figure.
    window : Window
        The window; its ``present`` periods make its figure.
    aggregation : str
        How the periods make the figure: ``sum`` adds their variances, ``mean`` divides
        the variance by their number, anything else (``last``) is one period's.

    Returns
    -------
    float
        ``sigma`` times, or over, the root of the periods present (at least one).
    """
    k = max(1, window.present)
    if aggregation == "sum":
        return sigma * math.sqrt(k)
    if aggregation == "mean":
        return sigma / math.sqrt(k)
    return sigma


def is_census_share(measure: Mapping[str, Any]) -> bool:
    """Whether a percentage is the share of a whole stock counted at a date, not a sample.

    A stock's share at the period end (``aggregation`` ``last``: officers from ethnic
    minority backgrounds, electric vehicles in the fleet) counts every member, so there
    is no sampling error to test; its change is weighed against the series' own
    period-to-period variation, like a headcount. A survey is always a sample.
    """
    source = str(measure.get("source") or "").lower()
    return (
        str(measure.get("unit")) == "percent"
        and str(measure.get("aggregation")) == "last"
        and "survey" not in source
    )


def _choose_kind(
    before: Window, after: Window, unit: str, aggregation: str, census: bool = False
) -> str:
    if census:
        return "level"
    both_n = (
        before.numerator is not None
        and after.numerator is not None
        and bool(before.denominator)
        and bool(after.denominator)
    )
    if unit == "percent" and both_n:
        return "proportion"
    if unit == "rate_per_1000" and both_n and _is_whole(before.numerator, after.numerator):  # type: ignore[arg-type]
        return "rate"
    if (
        unit == "count"
        and aggregation == "sum"
        and before.value is not None
        and after.value is not None
        and before.value >= 0
        and after.value >= 0
        and _is_whole(before.value, after.value)
    ):
        return "count"
    return "level"


def weigh_change(
    before: Window,
    after: Window,
    history: pd.DataFrame,
    measure: Mapping[str, Any],
) -> Evidence:
    """Weigh the evidence for the change from ``before`` to ``after``.

    Parameters
    ----------
    before, after : Window
        The comparison window and the window compared (like for like; an owner's claim
        may name unlike seasons).
    history : pandas.DataFrame
        The measure's current-definition rows up to the reporting period, on a regular
        calendar, with ``value`` and optionally ``numerator`` and ``denominator``: the
        series whose own variation sizes the test (net of season when the measure is
        seasonal, :func:`~pcplib.assessment.season_noise.read_season_factors`, and the
        windows cover like seasons, :func:`~pcplib.assessment.season_noise.is_like_seasons`).
    measure : mapping
        The measure's catalogue row (``unit``, ``aggregation``).

    Returns
    -------
    Evidence
        The verdict, the test, its p-value and the rule that decided.
    """
    unit = str(measure["unit"])
    aggregation = str(measure.get("aggregation") or "sum")
    if before.value is None or after.value is None:
        return Evidence("not tested", reason="no figure to compare")
    if is_year_to_date(measure):
        return Evidence("not tested", reason=YEAR_TO_DATE_REASON)
    b, a = float(before.value), float(after.value)
    kind = _choose_kind(before, after, unit, aggregation, is_census_share(measure))
    if a == b:
        # Equal counts are still small numbers when few: "5 against 5" cannot vouch for
        # "steady" any more than "5 against 8" can (docs/methodology.md, small numbers).
        total = a + b
        shares = (before.present, after.present)
        small = kind == "count" and total * min(shares) / max(1, sum(shares)) < SMALL_COUNT
        return Evidence("no change", small_numbers=small, reason="the two figures are equal")
    material, material_rule = _material(b, a, unit)
    if is_administrative(measure):
        # Opening hours, officers in post, money in the ledger: the figure is what the
        # organisation set or booked, counted in full, so there is no chance to rule out.
        # A change is a change, told by its size and direction; only materiality applies.
        counted = "an administrative figure, counted in full: no test of chance"
        if not material:
            return Evidence(
                "below materiality", material=False, reason=f"{counted}; change below "
                f"{material_rule}",
            )  # fmt: skip
        return Evidence(
            "counted change", material=True, reason=f"{counted}; change at or above "
            f"{material_rule}",
        )  # fmt: skip
    small = False
    dispersion: float | None = None
    # Only like seasons leave the seasonal swing out of the difference, and so out of
    # the noise; unlike seasons (quarter on quarter) carry it in both.
    like = kind != "proportion" and is_like_seasons(before, after)
    factors = read_season_factors(history, measure) if like else None
    if factors is not None:
        history = deseasonalise_history(history, factors)
    if kind == "count":
        dispersion = estimate_dispersion(history["value"].to_numpy(dtype=float))
        within, df = _windows_dispersion(history, before, after, "count")
        df = df if within > dispersion else None
        dispersion = max(dispersion, within)
        test, p, small = _test_counts(b, a, before.present, after.present, dispersion, df)
    elif kind == "rate":
        dispersion = estimate_dispersion(history["numerator"].to_numpy(dtype=float))
        test, p, small = _test_counts(
            float(before.numerator), float(after.numerator),  # type: ignore[arg-type]
            float(before.denominator), float(after.denominator),  # type: ignore[arg-type]
            dispersion,
        )  # fmt: skip
    elif kind == "proportion":
        dispersion = estimate_laney_phi(
            history["numerator"].to_numpy(dtype=float),
            history["denominator"].to_numpy(dtype=float),
        )
        within, df = _windows_dispersion(history, before, after, "proportion")
        df = df if within > dispersion else None
        dispersion = max(dispersion, within)
        x1, n1 = float(before.numerator), float(before.denominator)  # type: ignore[arg-type]
        x2, n2 = float(after.numerator), float(after.denominator)  # type: ignore[arg-type]
        if is_panel(measure):
            # A panel asks the same people each wave: waves pooled in a window are not
            # independent samples, so each window counts as one wave's sample.
            k1, k2 = max(1, before.present), max(1, after.present)
            x1, n1, x2, n2 = x1 / k1, n1 / k1, x2 / k2, n2 / k2
        test, p = _test_proportions(x1, n1, x2, n2, dispersion, df)
    else:
        sigma = estimate_noise(history["value"].to_numpy(dtype=float))
        if sigma is None:
            return Evidence("not tested", material=material, reason="too few points to size noise")
        df = None
        if aggregation != "last":
            b_rows, a_rows = _in_window(history, before), _in_window(history, after)
            if len(b_rows) + len(a_rows) - 2 >= WINDOW_MIN_DF:
                pooled_var = (
                    ((b_rows["value"] - b_rows["value"].mean()) ** 2).sum()
                    + ((a_rows["value"] - a_rows["value"].mean()) ** 2).sum()
                ) / (len(b_rows) + len(a_rows) - 2)
                if math.sqrt(pooled_var) > sigma:
                    sigma, df = math.sqrt(pooled_var), len(b_rows) + len(a_rows) - 2
        if sigma == 0:
            p = 0.0
        else:
            se = math.hypot(
                scale_window_error(sigma, before, aggregation),
                scale_window_error(sigma, after, aggregation),
            )
            p = _reference_p((a - b) / se, df)
        test = "level t-test" if df is not None else "level z-test"
    return judge_evidence(test, p, material, material_rule, small, dispersion)


def judge_evidence(
    test: str,
    p_value: float,
    material: bool,
    material_rule: str = "",
    small_numbers: bool = False,
    dispersion: float | None = None,
) -> Evidence:
    """Turn a test's p-value, the materiality and the size of the counts into a verdict.

    Parameters
    ----------
    test : str
        The test used.
    p_value : float
        Its two-sided p-value.
    material : bool
        Whether the change reaches materiality.
    material_rule : str, optional
        The materiality threshold, for the reason.
    small_numbers : bool, default False
        Whether the counts are small.
    dispersion : float, optional
        The dispersion used by the test.

    Returns
    -------
    Evidence
        ``below materiality`` first (a tiny change is never news), then ``beyond
        chance`` (p below :data:`~pcplib.assessment.thresholds.SIGNIFICANCE`),
        ``possible change`` (p below :data:`~pcplib.assessment.thresholds.WEAK_EVIDENCE`,
        on small numbers too, which its reason then says), ``small numbers`` and
        ``within noise``.
    """
    shown_p = format_p_value(p_value)
    spread = (
        f", dispersion {dispersion:.1f}"
        if dispersion is not None and dispersion > DISPERSION_FLOOR
        else ""
    )

    # The threshold sits beside the p-value it is compared with, never after the
    # dispersion ("dispersion 2.7 < 0.05") or after another comparison ("p < 0.001 < 0.05").
    def _basis(threshold: str) -> str:
        return f"{test}, {shown_p} ({threshold}){spread}"

    if not material:
        verdict, rule = "below materiality", f"change below {material_rule}"
    elif p_value < SIGNIFICANCE:
        verdict, rule = "beyond chance", _basis(f"below {SIGNIFICANCE:g}")
    elif p_value < WEAK_EVIDENCE:
        # Weak evidence on an exact test holds on small numbers too (the test is exact
        # for any count): a possible change, said to rest on small numbers.
        small = f"; small numbers, expected count below {SMALL_COUNT}" if small_numbers else ""
        verdict, rule = (
            "possible change",
            _basis(f"below {WEAK_EVIDENCE:g} but not {SIGNIFICANCE:g}") + small,
        )
    elif small_numbers:
        verdict, rule = (
            "small numbers",
            f"{test}, {shown_p}{spread}; expected count below {SMALL_COUNT}",
        )
    else:
        verdict, rule = "within noise", _basis(f"{WEAK_EVIDENCE:g} or more")
    return Evidence(verdict, test, float(p_value), dispersion, small_numbers, material, rule)
