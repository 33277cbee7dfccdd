"""Arrivals checked against history: a new figure far outside its series is one to confirm.

A figure that arrives (from data.police.uk, an owner's return, or a corrected CSV) and
lies far outside anything its series has shown is more often a fault of the source (a
force's submission short of a category, a typing slip, a changed definition) than a
real change. It is loaded, because the data set is the record, but its ``status`` is
set to :data:`~pcplib.data.schemas.TO_CONFIRM`, the loading command lists it with its
file and row, and reports judge no change on it until someone confirms it by setting
the status to ``final`` (or ``provisional``), or corrects it.

The rule (:func:`check_arrival`, documented in ``docs/methodology.md``), applied to a
series with at least :data:`MIN_HISTORY` earlier figures:

- **a fall**: below :data:`FALL_FRACTION` of the lowest figure the series has shown;
- **a rise**: above :data:`RISE_FACTOR` times the highest;
- **a jump**: a move from the previous figure more than :data:`MOVE_FACTOR` times the
  largest move between consecutive figures the series has shown.

For counts (a measure in whole numbers, or a rate's numerator) each is also tested as
Poisson chance: a fall or rise counts only when a Poisson count with the lowest
(highest) figure as its mean would go that far less often than :data:`CHANCE_BELOW`,
and a jump only when it exceeds 3.29 standard errors of the difference of two Poisson
counts (two-sided 1 in 1,000), so small counts' noise is never a figure to confirm.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pcplib.data.schemas import TO_CONFIRM

__all__ = [
    "CHANCE_BELOW",
    "FALL_FRACTION",
    "MIN_HISTORY",
    "MOVE_FACTOR",
    "RISE_FACTOR",
    "FigureToConfirm",
    "check_arrival",
    "mark_arrivals",
]

MIN_HISTORY = 12
"""Earlier figures a series needs before an arrival is checked: a year, so a season's
usual highs and lows have been seen once."""

FALL_FRACTION = 0.5
"""A figure below this fraction of the series' lowest is one to confirm."""

RISE_FACTOR = 2.0
"""A figure above this multiple of the series' highest is one to confirm."""

MOVE_FACTOR = 2.0
"""A move from the previous figure above this multiple of the largest move yet is one
to confirm."""

CHANCE_BELOW = 0.001
"""For counts, how rarely Poisson chance must reach the figure for it to be one to
confirm (the same 1 in 1,000 as a gap in police.uk files)."""

_Z_MOVE = 3.29  # two-sided normal quantile for 1 in 1,000


@dataclass(frozen=True)
class FigureToConfirm:
    """A figure loaded but marked ``to confirm``, and where it is.

    Attributes
    ----------
    measure_id, area, period : str
        The observation (``period`` as ``YYYY-MM``).
    value : float
        The figure as loaded.
    reason : str
        What in its history makes it one to confirm.
    place : str
        Where it is: the observations file and row, and the file it came from.
    """

    measure_id: str
    area: str
    period: str
    value: float
    reason: str
    place: str

    def __str__(self) -> str:
        return (
            f"{self.place}: {self.measure_id}, {self.area}, {self.period} = "
            f"{self.value:,.6g}: {self.reason}"
        )


def _poisson_cdf(k: float, mean: float) -> float:
    """P(X <= k) for a Poisson count with the given mean (k rounded down)."""
    from scipy import stats

    return float(stats.poisson.cdf(math.floor(k), mean))


def _poisson_sf(k: float, mean: float) -> float:
    """P(X >= k) for a Poisson count with the given mean (k rounded up)."""
    from scipy import stats

    return float(stats.poisson.sf(math.ceil(k) - 1, mean))


def _shown(value: float) -> str:
    return f"{value:,.6g}"


def check_arrival(history: Sequence[float], value: float, *, counts: bool = False) -> str:
    """Say why a new figure is one to confirm, given the figures before it.

    Parameters
    ----------
    history : sequence of float
        The series' earlier figures, oldest first (missing ones left out).
    value : float
        The figure arriving, the next after ``history``.
    counts : bool, default False
        Whether the figures are counts of events, so that Poisson chance is allowed
        for (see the module docstring).

    Returns
    -------
    str
        The reason, such as ``"below half the lowest figure in 24 months (800 against
        1,713)"``; empty when the figure is within what the series has shown, or the
        series has fewer than :data:`MIN_HISTORY` figures.
    """
    earlier = np.asarray([float(v) for v in history if not pd.isna(v)], dtype=float)
    if len(earlier) < MIN_HISTORY or pd.isna(value):
        return ""
    value = float(value)
    span = f"{len(earlier)} earlier figures"
    low, high = float(earlier.min()), float(earlier.max())
    if low > 0 and value < FALL_FRACTION * low:
        if not counts or _poisson_cdf(value, low) < CHANCE_BELOW:
            return (
                f"below half the lowest of {span} ({_shown(value)} against a lowest of "
                f"{_shown(low)})"
            )
    if high > 0 and value > RISE_FACTOR * high:
        if not counts or _poisson_sf(value, high) < CHANCE_BELOW:
            return (
                f"above twice the highest of {span} ({_shown(value)} against a highest of "
                f"{_shown(high)})"
            )
    largest = float(np.abs(np.diff(earlier)).max())
    move = abs(value - float(earlier[-1]))
    if largest > 0 and move > MOVE_FACTOR * largest:
        noise = _Z_MOVE * math.sqrt(max(value, 0.0) + max(float(earlier[-1]), 0.0))
        if not counts or move > noise:
            return (
                f"moved {_shown(move)} from the previous figure ({_shown(earlier[-1])} to "
                f"{_shown(value)}), more than twice the largest move in {span} "
                f"({_shown(largest)})"
            )
    return ""


def _number(text: str) -> float | None:
    try:
        return float(str(text).replace(",", "")) if str(text).strip() else None
    except ValueError:
        return None


def mark_arrivals(
    rows: list[dict[str, str]],
    arrived: Collection[int],
    counts_of: Mapping[str, bool],
    places: Mapping[int, str],
) -> list[FigureToConfirm]:
    """Check each arriving observation against its series; mark those to confirm.

    Parameters
    ----------
    rows : list of dict
        Every observation as text (``measure_id``, ``area``, ``definition``,
        ``period_start``, ``value``, ``numerator``, ``status``); the ``status`` of a
        figure to confirm is set to :data:`~pcplib.data.schemas.TO_CONFIRM` in place.
    arrived : collection of int
        Positions in ``rows`` of the observations added or changed.
    counts_of : mapping of str to bool
        For each measure, whether its figures are counts (for a rate per 1,000 with a
        numerator, the numerator is checked as the count).
    places : mapping of int to str
        For each arriving row, where it is and came from, as messages name it (the
        observations file's row and the source file, or the return's cell).

    Returns
    -------
    list of FigureToConfirm
        Every figure marked, in file order.
    """
    arrived = set(arrived)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for n, row in enumerate(rows):
        key = (row["measure_id"], row["area"], row.get("definition", "current"))
        groups.setdefault(key, []).append(n)
    found: list[tuple[int, FigureToConfirm]] = []
    for (measure_id, area, _), members in groups.items():
        if not arrived.intersection(members):
            continue
        members.sort(key=lambda n: rows[n]["period_start"])
        history: list[float] = []
        for n in members:
            row = rows[n]
            value = _number(row["value"])
            numerator = _number(row.get("numerator", ""))
            if value is None or row.get("status") == TO_CONFIRM:
                continue
            # A rate's numerator is the count behind it; a figure that is not a whole
            # number is not a count, whatever the measure.
            counts = bool(counts_of.get(measure_id, False))
            checked = numerator if counts and numerator is not None else value
            counts = counts and float(checked).is_integer()
            reason = check_arrival(history, checked, counts=counts) if n in arrived else ""
            if not reason:
                history.append(checked)
                continue
            row["status"] = TO_CONFIRM
            place = places.get(n, f"row {n + 2}")
            found.append(
                (
                    n,
                    FigureToConfirm(
                        measure_id, area, row["period_start"][:7], value, reason, place
                    ),
                )
            )
    return [figure for _, figure in sorted(found, key=lambda pair: pair[0])]
