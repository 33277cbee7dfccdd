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

A measure that is not seasonal gets no factors, and its tests are exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from pcplib.assessment.limits import measure_seasonality

__all__ = ["SEASON", "deseasonalise_history", "read_season_factors", "sum_season_chi2"]

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
