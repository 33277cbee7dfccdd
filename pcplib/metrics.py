"""Changes between two values, direction-of-travel arrows and judgements.

Conventions (see ``docs/methodology.md``):

- A *direction* says which way a number moved (``up``, ``down``, ``no change``)
  or that it cannot be said (``not measurable``: no baseline or no current value).
  A baseline of 0 is a baseline: 0 to 7 is ``up``.
- An *arrow* shows the direction: ▲ up, ▼ down, ► no change, ‡ not measurable,
  as in Table One of a previous plan's delivery report.
- A *judgement* reads the direction with the measure's good direction: a fall in
  offences is ``improved``, a fall in satisfaction ``deteriorated``.
- Percentages change in percentage points (pp); a score on a fixed scale (1 = poor to
  5 = excellent) in points; other units in per cent.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from pcplib.labels import choose_decimals, format_figure
from pcplib.periods import sum_rolling_12_months

__all__ = [
    "ARROWS",
    "DIRECTIONS",
    "GOOD_DIRECTIONS",
    "JUDGEMENTS",
    "UNITS",
    "Change",
    "arrow",
    "compute_shown_change",
    "convert_scale_change",
    "count_small_change",
    "direction",
    "format_change",
    "is_fixed_scale",
    "judge_change",
    "measure_change",
    "pct_change",
    "pp_change",
    "sum_rolling_12_months",
    "summarise_change",
    "tell_as_difference",
]

Direction = Literal["up", "down", "no change", "not measurable"]
Judgement = Literal["improved", "deteriorated", "no change", "not measurable"]

DIRECTIONS: tuple[str, ...] = ("up", "down", "no change", "not measurable")
ARROWS: dict[str, str] = {"up": "▲", "down": "▼", "no change": "►", "not measurable": "‡"}
GOOD_DIRECTIONS: tuple[str, ...] = ("higher", "lower", "neutral")
JUDGEMENTS: tuple[str, ...] = ("improved", "deteriorated", "no change", "not measurable")
UNITS: tuple[str, ...] = (
    "count", "percent", "rate_per_1000", "gbp", "hours", "days", "score", "kwh", "tonnes",
)  # fmt: skip

# Values that differ only by floating-point noise (0.1 + 0.2 vs 0.3) are equal.
_REL_TOL = 1e-9
_ABS_TOL = 1e-12


def _as_number(value: Any, name: str) -> float | None:
    """Return ``value`` as a float, or None when it is missing (None, NaN, NA)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number or missing (None/NaN), got {value!r}")
    number = float(value)
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def _as_pair(baseline: Any, current: Any) -> tuple[float, float] | None:
    """Return both values as floats, or None when either is missing."""
    base = _as_number(baseline, "baseline")
    cur = _as_number(current, "current")
    return None if base is None or cur is None else (base, cur)


def _is_equal(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_REL_TOL, abs_tol=_ABS_TOL)


def pct_change(baseline: Any, current: Any) -> float | None:
    """Return the percentage change from ``baseline`` to ``current``.

    Parameters
    ----------
    baseline : float or None
        The earlier value. 0, None or NaN give None: a change from nothing has no
        percentage.
    current : float or None
        The later value; None or NaN give None.

    Returns
    -------
    float or None
        ``(current - baseline) / |baseline| * 100``: 17 to 80 gives 370.588...
        Dividing by the size of the baseline keeps the sign of the result the
        sign of the movement when a baseline is negative.

    Raises
    ------
    ValueError
        If a value is neither a number nor missing, or is infinite.
    """
    pair = _as_pair(baseline, current)
    if pair is None or pair[0] == 0:
        return None
    base, cur = pair
    return (cur - base) / abs(base) * 100.0


def pp_change(baseline: Any, current: Any) -> float | None:
    """Return the change in percentage points between two percentages.

    Parameters
    ----------
    baseline : float or None
        The earlier percentage (85 for 85%).
    current : float or None
        The later percentage.

    Returns
    -------
    float or None
        ``current - baseline`` (85 to 79 gives -6.0), or None if either is missing.

    Raises
    ------
    ValueError
        If a value is neither a number nor missing, or is infinite.
    """
    pair = _as_pair(baseline, current)
    if pair is None:
        return None
    base, cur = pair
    return cur - base


def direction(baseline: Any, current: Any) -> Direction:
    """Return which way a value moved from its baseline.

    Parameters
    ----------
    baseline : float or None
        The earlier value; 0 is a valid baseline.
    current : float or None
        The later value.

    Returns
    -------
    {"up", "down", "no change", "not measurable"}
        ``"not measurable"`` when the baseline or the current value is missing
        (None or NaN).

    Raises
    ------
    ValueError
        If a value is neither a number nor missing, or is infinite.
    """
    pair = _as_pair(baseline, current)
    if pair is None:
        return "not measurable"
    base, cur = pair
    if _is_equal(base, cur):
        return "no change"
    return "up" if cur > base else "down"


def arrow(direction: str) -> str:
    """Return the arrow for a direction: ▲ up, ▼ down, ► no change, ‡ not measurable.

    Parameters
    ----------
    direction : str
        One of ``"up"``, ``"down"``, ``"no change"``, ``"not measurable"``.

    Returns
    -------
    str
        A single character.

    Raises
    ------
    ValueError
        If ``direction`` is not one of the four.
    """
    try:
        return ARROWS[direction]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown direction {direction!r}: expected one of {', '.join(map(repr, DIRECTIONS))}"
        ) from None


def _check_good(good: str) -> None:
    if good not in GOOD_DIRECTIONS:
        raise ValueError(
            f"unknown good direction {good!r}: expected one of "
            f"{', '.join(map(repr, GOOD_DIRECTIONS))}"
        )


def judge_change(baseline: Any, current: Any, good: str) -> Judgement:
    """Return whether a change is an improvement, reading the measure's good direction.

    Parameters
    ----------
    baseline : float or None
        The earlier value.
    current : float or None
        The later value.
    good : {"higher", "lower", "neutral"}
        Which direction is good for the measure.

    Returns
    -------
    {"improved", "deteriorated", "no change", "not measurable"}
        ``"not measurable"`` when a value is missing. A ``neutral`` measure has no
        good direction, so a movement in it can be neither an improvement nor a
        deterioration: it is ``"not measurable"`` (the arrow still shows which way
        it moved), and ``"no change"`` when the values are equal.

    Raises
    ------
    ValueError
        If ``good`` is not one of the three directions, or a value is not a number.
    """
    _check_good(good)
    moved = direction(baseline, current)
    if moved in ("not measurable", "no change"):
        return moved
    if good == "neutral":
        return "not measurable"
    return "improved" if (moved == "up") == (good == "higher") else "deteriorated"


def compute_shown_change(baseline: Any, current: Any, unit: str) -> float | None:
    """The change a report prints beside the two figures.

    A percentage measure's change in points is the difference of the two figures as
    printed (:func:`~pcplib.labels.format_figures`), so a reader's subtraction agrees
    with it: "79.6% to 79.3%" is -0.3 points, not the -0.2 of the unrounded figures
    (review 9, R9-15). Every other change is a per cent of the earlier figure, worked out
    from the unrounded figures, as official statistics work it (GSS, *Rounding
    guidance*): a ratio of rounded figures is no check on it, and one worked out from
    them misstates it by the rounding ("0.50 against 0.54", -7.4%, for a true -8.1%:
    review 11, R11-3; review 12, R12-2). The rules (materiality, the tests) read the
    unrounded change (:attr:`Change.pct`, :attr:`Change.pp`).

    Parameters
    ----------
    baseline, current : float or None
        The earlier and the later value.
    unit : str
        The measure's unit: ``"percent"`` gives percentage points, any other a percentage.

    Returns
    -------
    float or None
        The change, or None when it cannot be computed (a missing value, or a
        percentage change from a baseline of 0).
    """
    pair = _as_pair(baseline, current)
    if pair is None:
        return None
    if unit != "percent":
        return pct_change(*pair)
    places = choose_decimals(list(pair), unit)
    shown = pair if places is None else (round(pair[0], places), round(pair[1], places))
    return pp_change(*shown)


def format_change(baseline: Any, current: Any, unit: str, decimals: int = 1) -> str:
    """Return a change as text: ``"+370.6%"``, or ``"+3.0 pp"`` for a percentage measure.

    Parameters
    ----------
    baseline : float or None
        The earlier value.
    current : float or None
        The later value.
    unit : str
        The measure's unit (one of ``UNITS``). ``"percent"`` is described in
        percentage points; every other unit as a percentage change.
    decimals : int, default 1
        Decimal places shown.

    Returns
    -------
    str
        The signed change as the reports print it (:func:`compute_shown_change`: points
        from the two figures as printed, a per cent from the unrounded ones),
        ``"0.0%"`` / ``"0.0 pp"`` when there is none, or
        ``"not measurable"`` when it cannot be computed (a missing value, or a
        percentage change from a baseline of 0).

    Raises
    ------
    ValueError
        If ``unit`` is unknown or ``decimals`` is negative.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: expected one of {', '.join(map(repr, UNITS))}")
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")
    change = compute_shown_change(baseline, current, unit)
    suffix = " pp" if unit == "percent" else "%"
    if change is None:
        return "not measurable"
    text = f"{abs(change):.{decimals}f}"
    if float(text) == 0:
        return f"{text}{suffix}"
    return f"{'+' if change > 0 else '-'}{text}{suffix}"


@dataclass(frozen=True)
class Change:
    """Everything a report shows about one change between two values.

    Attributes
    ----------
    baseline, current : float or None
        The two values compared.
    pct : float or None
        Percentage change (``pct_change``).
    pp : float or None
        Percentage-point change, for percentage measures only.
    direction : str
        ``up``, ``down``, ``no change`` or ``not measurable``.
    arrow : str
        The direction's arrow.
    judgement : str
        ``improved``, ``deteriorated``, ``no change`` or ``not measurable``.
    text : str
        The change formatted by ``format_change``.
    """

    baseline: float | None
    current: float | None
    pct: float | None
    pp: float | None
    direction: str
    arrow: str
    judgement: str
    text: str


def summarise_change(baseline: Any, current: Any, unit: str, good: str) -> Change:
    """Return the change, its direction, arrow, judgement and text in one record.

    Parameters
    ----------
    baseline : float or None
        The earlier value.
    current : float or None
        The later value.
    unit : str
        The measure's unit (one of ``UNITS``).
    good : {"higher", "lower", "neutral"}
        The measure's good direction.

    Returns
    -------
    Change
        The summary.

    Raises
    ------
    ValueError
        If ``unit`` or ``good`` is unknown, or a value is not a number.
    """
    moved = direction(baseline, current)
    return Change(
        baseline=_as_number(baseline, "baseline"),
        current=_as_number(current, "current"),
        pct=pct_change(baseline, current),
        pp=pp_change(baseline, current) if unit == "percent" else None,
        direction=moved,
        arrow=arrow(moved),
        judgement=judge_change(baseline, current, good),
        text=format_change(baseline, current, unit),
    )


def measure_change(change: Change, unit: str) -> tuple[float | None, str]:
    """Return a change as the number a report prints and that number's unit.

    A data product keeps numbers as numbers (``judgements.csv``): the text "+50.0%" is
    ``(50.0, "%")``, "-2.5 pp" ``(-2.5, "pp")``, and a change told as a difference in the
    measure's unit (small numbers, a variance that can go below zero: ``Change.pct`` is
    None there) is that difference with the unit, "+£60,000" ``(60000.0, "gbp")``.

    Parameters
    ----------
    change : Change
        The change, as the report tells it.
    unit : str
        The measure's unit (one of ``UNITS``).

    Returns
    -------
    tuple of (float or None, str)
        The signed change and ``"%"`` (per cent of the earlier value), ``"pp"``
        (percentage points, for a percentage measure) or ``unit`` (a difference);
        ``(None, "")`` when the change cannot be measured.

    Examples
    --------
    >>> measure_change(summarise_change(10, 15, "count", "lower"), "count")
    (50.0, '%')
    >>> measure_change(summarise_change(80.0, 77.5, "percent", "higher"), "percent")
    (-2.5, 'pp')
    """
    if change.baseline is None or change.current is None:
        return None, ""
    # The number the text prints (compute_shown_change: points from the printed figures).
    if unit == "percent":
        if change.pp is None:
            return None, ""
        return compute_shown_change(change.baseline, change.current, unit), "pp"
    if change.pct is not None:
        return compute_shown_change(change.baseline, change.current, unit), "%"
    return change.current - change.baseline, unit


def tell_as_difference(change: Change, difference: float, unit: str, suffix: str = "") -> Change:
    """The change told as a difference in the measure's unit, with no percentage.

    The one way a change is written when a percentage would mislead: small numbers
    (:func:`count_small_change`), a grade on a fixed scale (:func:`convert_scale_change`)
    and a figure that starts at zero or crosses it
    (:func:`~pcplib.assessment.changes.judge_like_for_like`).

    Parameters
    ----------
    change : Change
        The change as measured (its direction, arrow and judgement are kept).
    difference : float
        The difference to tell, current less baseline.
    unit : str
        The measure's unit, for formatting the difference.
    suffix : str, optional
        Words after the figure (``" points"``).

    Returns
    -------
    Change
        ``change`` with ``pct`` None and ``text`` such as ``"+1"`` or ``"-0.04 points"``.
    """
    sign = "+" if difference > 0 else ("-" if difference < 0 else "")
    text = f"{sign}{format_figure(abs(difference), unit)}{suffix}"
    return Change(
        change.baseline, change.current, None, change.pp, change.direction,
        change.arrow, change.judgement, text,
    )  # fmt: skip


def count_small_change(change: Change, unit: str) -> Change:
    """A change on small numbers told as a difference in the unit, never a percentage.

    "2 against 1" is "+1", not "+100.0%": a percentage of a handful of events reads as
    a large change that the exact test cannot tell from chance
    (``SMALL_COUNT`` in :mod:`pcplib.assessment.thresholds`). Equal small counts are
    told the same way, "0", never "+0.0%" (review 9, R9-14).
    """
    if change.baseline is None or change.current is None:
        return change
    return tell_as_difference(change, change.current - change.baseline, unit)


# "(1 = poor to 5 = excellent)" or "a scale of 1 (poor) to 5 (excellent)".
_FIXED_SCALE = re.compile(r"\bscale\b|\d\s*=\s*[^()]*?\bto\s+\d+\s*=", re.IGNORECASE)


def is_fixed_scale(measure: Mapping[str, Any]) -> bool:
    """Whether a measure is a score on a fixed scale (its name or definition gives one).

    Parameters
    ----------
    measure : mapping
        The measure's catalogue row (``unit``, ``measure_name``, ``definition``).

    Returns
    -------
    bool
        True for a ``score`` whose name or definition states its scale ("(1 = poor to
        5 = excellent)", "on a scale of 1 to 5"); a ratio with no fixed scale is False.
    """
    if str(measure.get("unit") or "") != "score":
        return False
    words = " ".join(str(measure.get(key) or "") for key in ("measure_name", "definition"))
    return bool(_FIXED_SCALE.search(words))


def convert_scale_change(change: Change, measure: Mapping[str, Any]) -> Change:
    """A change of a score on a fixed scale told in points, never as a per cent.

    A grade on a scale of 1 to 5 that moves from 3.41 to 3.37 fell 0.04 points; "-1.2%"
    is a per cent of a grade, which means nothing, since the scale's zero is not a zero
    of anything (review 4, F19). Any other measure's change is returned as it is.

    Parameters
    ----------
    change : Change
        The change as first measured.
    measure : mapping
        The measure's catalogue row (see :func:`is_fixed_scale`).

    Returns
    -------
    Change
        With ``pct`` None and ``text`` such as ``"-0.04 points"`` for a fixed-scale
        score that moved; otherwise ``change`` unchanged.
    """
    if not is_fixed_scale(measure) or change.baseline is None or change.current is None:
        return change
    difference = change.current - change.baseline
    if change.direction == "no change":
        difference = 0.0  # shown as no change at the precision printed
    return tell_as_difference(change, difference, str(measure["unit"]), " points")
