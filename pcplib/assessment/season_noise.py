"""A seasonal series' noise for the tests of change, net of its seasonal swing.

The tests of change compare like seasons (the same months or quarters in both
windows), so the seasonal swing (winter against summer) is no part of the difference
they test. Sized from the raw series, the noise would include that swing: a real change
in a seasonal measure would be told as "within noise". For a measure that is seasonal
by the rule SPC uses (:func:`pcplib.assessment.limits.measure_seasonality`: the same
indices the charts use, estimated from the data up to the end of the baseline;
``seasonal = no`` switches it off), the noise is sized net of season instead:

- each period's figure divided by its season's index (the deseasonalised series) sizes
  the point-to-point noise (moving ranges) and a level's pooled within-window variance;
- each window's Pearson chi-squared is taken about each period's expected value, the
  window's level times the period's seasonal index (the level the window's total over
  the sum of its periods' indices): a quasi-Poisson model with a season term (McCullagh
  and Nelder 1989, *Generalized Linear Models*, 2nd ed., sections 4.5 and 6.2), with
  the indices as a known offset.

A measure that is not seasonal gets no factors, and its tests are exactly as before; nor
does a comparison of unlike seasons (:func:`is_like_seasons`: an owner's claim of a rise
from one quarter to the next), whose difference holds the seasonal swing, so its noise
must hold it too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pcplib.assessment.limits import measure_seasonality

if TYPE_CHECKING:
    from pcplib.assessment.figures import Window

__all__ = [
    "SEASON",
    "deseasonalise_history",
    "is_like_seasons",
    "read_season_factors",
    "sum_season_chi2",
]

SEASON = "season_index"
"""The column of a deseasonalised history holding each period's seasonal index."""


def read_season_factors(history: pd.DataFrame, measure: Mapping[str, Any]) -> np.ndarray | None:
    """Each period's seasonal index when the measure is seasonal, else None.

    Parameters
    ----------
    history : pandas.DataFrame
        The measure's current-definition rows on a regular calendar (``value``),
        indexed by period start.
    measure : mapping
        The measure's catalogue row (``frequency``, ``seasonal``, baseline).

    Returns
    -------
    numpy.ndarray or None
        The index of each row's season (month of its start), by the rule SPC uses
        (:func:`~pcplib.assessment.limits.measure_seasonality`); None when the measure
        is not seasonal or its catalogue row gives no frequency.
    """
    if history.empty or "value" not in history.columns or not measure.get("frequency"):
        return None
    indices = measure_seasonality(history["value"], measure)
    if not indices:
        return None
    months = pd.DatetimeIndex(history.index).month
    factors = np.array([indices.get(int(month), np.nan) for month in months], dtype=float)
    if np.isnan(factors).any() or (factors <= 0).any():
        # A season without an index: no adjustment rather than a partial one.
        return None
    return factors


def is_like_seasons(before: Window, after: Window) -> bool:
    """Whether two windows cover the same months of the year, in the same proportions.

    Only then does their difference carry no seasonal swing, so that the noise it is
    judged against may be net of season: a quarter against the same quarter a year
    earlier, or 12 months against 12 months. A quarter against the quarter before (an
    owner's claim of a rise from 2026/27 Q1 to Q2) compares unlike seasons: its
    difference holds the swing from one season to the next, and a noise net of season
    would call the season's own move a real change.

    Parameters
    ----------
    before, after : Window
        The two windows compared (their ``first`` and ``last`` months,
        :func:`~pcplib.periods.month_number`).

    Returns
    -------
    bool
        True when each calendar month's share of the months spanned is the same in both
        windows; False for unlike seasons or an empty window.
    """
    spans = [range(int(w.first), int(w.last) + 1) for w in (before, after)]
    if not all(spans):
        return False
    first, second = (Counter(month % 12 for month in span) for span in spans)
    # Shares compared by cross-multiplying, so 24 months against 12 are like seasons.
    return all(first[month] * len(spans[1]) == second[month] * len(spans[0]) for month in range(12))


def deseasonalise_history(history: pd.DataFrame, factors: np.ndarray) -> pd.DataFrame:
    """The history with each figure divided by its season's index, the index kept beside.

    ``value`` and ``numerator`` are divided (a rate's numerator shares the rate's
    pattern, its denominator a yearly stock); the indices are kept in :data:`SEASON`
    for the windows' expected values (:func:`sum_season_chi2`).
    """
    adjusted = history.copy()
    for column in ("value", "numerator"):
        if column in adjusted.columns:
            adjusted[column] = adjusted[column] / factors
    adjusted[SEASON] = factors
    return adjusted


def sum_season_chi2(window: pd.DataFrame) -> float | None:
    """Pearson's chi-squared of one window's counts about their seasonal expected values.

    Parameters
    ----------
    window : pandas.DataFrame
        A deseasonalised history's rows inside the window (:func:`deseasonalise_history`):
        ``value`` the deseasonalised count, :data:`SEASON` its season's index.

    Returns
    -------
    float or None
        The sum over the window of (count - expected)^2 / expected, where the expected
        count is the window's level times the period's index and the level is the
        window's total over the sum of its indices; None for a window with no events.
    """
    factors = window[SEASON].to_numpy(dtype=float)
    counts = window["value"].to_numpy(dtype=float) * factors
    level = float(counts.sum() / factors.sum())
    if level <= 0:
        return None
    expected = level * factors
    return float((((counts - expected) ** 2) / expected).sum())
