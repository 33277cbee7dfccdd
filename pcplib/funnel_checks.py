"""The input checks of :mod:`pcplib.funnel` and :mod:`pcplib.spc`: each refuses in one line.

Each check names the argument, the units at fault (by position, and by index label when
the units have one) and what was expected, before any arithmetic runs.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, SupportsFloat, cast

import numpy as np
import pandas as pd

__all__ = [
    "MIN_UNITS",
    "check_bool",
    "check_choice",
    "check_positive",
    "check_trim_by",
    "coerce_units",
    "is_number",
    "name_units",
    "validate_units",
]

MIN_UNITS = 3
"""The fewest units a funnel plot compares."""
_MAX_NAMED = 3  # units named in a message before "and N more"


def check_choice(name: str, value: object, allowed: Sequence[str]) -> str:
    """Return ``value`` when it is one of ``allowed``, else raise ValueError naming both."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"{name}={value!r} is not allowed: expected one of {', '.join(map(repr, allowed))}"
        )
    return value


def is_number(v: object) -> bool:
    """Whether ``v`` is a real number (a bool is not)."""
    return isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_)


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` as a bool when it is True or False, else raise ValueError."""
    if not isinstance(value, bool | np.bool_):
        raise ValueError(f"{name}={value!r}: expected True or False")
    return bool(value)


def check_positive(name: str, value: object) -> float:
    """Return ``value`` as a float when it is a finite number above 0, else raise ValueError."""
    if not is_number(value) or not math.isfinite(float(cast(SupportsFloat, value))):
        raise ValueError(f"{name}={value!r}: expected a finite number greater than 0")
    number = float(cast(SupportsFloat, value))
    if number <= 0:
        raise ValueError(f"{name}={value!r}: expected a finite number greater than 0")
    return number


def check_trim_by(trim_by: object) -> float:
    """Return the share trimmed from each end of the z-scores, from 0 up to 0.5 (excluded)."""
    if not is_number(trim_by) or not (0 <= float(cast(SupportsFloat, trim_by)) < 0.5):
        raise ValueError(
            f"trim_by={trim_by!r}: expected a number from 0 (no trimming) up to but not "
            "including 0.5 (the share trimmed from each end of the z-scores)"
        )
    return float(cast(SupportsFloat, trim_by))


def name_units(positions: np.ndarray, index: pd.Index) -> str:
    """'position 2 (index 'Area B')', the first few of them, for an error message."""
    default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    named = []
    for p in positions[:_MAX_NAMED]:
        label = index[p].item() if isinstance(index[p], np.generic) else index[p]
        named.append(f"position {p}" if default else f"position {p} (index {label!r})")
    more = positions.size - _MAX_NAMED
    text = ", ".join(named)
    return text + (f" and {more} more" if more > 0 else "")


def coerce_units(values: object, what: str) -> np.ndarray:
    """One-dimensional float64 array of ``values`` (NaN for missing), or ValueError."""
    if isinstance(values, pd.DataFrame):
        raise ValueError(f"{what} must be one column of values (a list, array or Series)")
    if isinstance(values, str | bytes) or np.ndim(cast(Any, values)) == 0:
        raise ValueError(f"{what} must be a list, array or Series with one value per unit")
    raw = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if raw.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional, got shape {raw.shape}")
    if raw.dtype.kind in "iuf":
        return raw.astype(float)
    if raw.dtype.kind == "b":
        raise ValueError(f"{what} holds True/False values: expected numbers")
    missing = np.asarray(pd.isna(raw), dtype=bool)
    parsed = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(np.isnan(parsed) & ~missing)
    is_bool = np.fromiter((isinstance(v, bool | np.bool_) for v in raw), bool, raw.size)
    bad = np.union1d(bad, np.flatnonzero(is_bool))
    if bad.size:
        p = int(bad[0])
        shown = raw[p].item() if isinstance(raw[p], np.generic) else raw[p]
        raise ValueError(f"{what}: the value at position {p} is {shown!r}: expected a number")
    return parsed


def validate_units(
    numerator: object, denominator: object, data_type: str
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Check the units and return them as float arrays with the index the result keeps.

    Parameters
    ----------
    numerator, denominator : list, numpy.ndarray or pandas.Series
        One value per unit; two Series must share their index.
    data_type : {"SR", "PR", "RC"}
        The funnel's kind (a proportion's numerator cannot exceed its denominator).

    Returns
    -------
    tuple
        The numerators and denominators as float arrays, and the index of the units.

    Raises
    ------
    ValueError
        In one line, naming the first few units at fault: too few units, lengths or
        indexes that disagree, a missing, infinite, negative or non-numeric value, a
        denominator of 0, or numerators that leave the limits no width.
    """
    num = coerce_units(numerator, "numerator")
    den = coerce_units(denominator, "denominator")
    if num.size != den.size:
        raise ValueError(
            f"numerator and denominator have different lengths ({num.size} and {den.size}): "
            "expected one of each per unit"
        )
    if num.size < MIN_UNITS:
        raise ValueError(
            f"{num.size} unit(s) given: a funnel plot needs at least {MIN_UNITS} units to compare"
        )
    if isinstance(numerator, pd.Series):
        index = numerator.index
        if isinstance(denominator, pd.Series) and not denominator.index.equals(index):
            raise ValueError(
                "numerator and denominator are Series with different indexes: align them "
                "first (units are matched by position, so the labels must agree)"
            )
    elif isinstance(denominator, pd.Series):
        index = denominator.index
    else:
        index = pd.RangeIndex(num.size)

    for what, values in (("numerator", num), ("denominator", den)):
        bad = np.flatnonzero(np.isnan(values))
        if bad.size:
            raise ValueError(
                f"{what} is missing (NaN) for the unit at {name_units(bad, index)}: "
                "every unit needs a numerator and a denominator"
            )
        bad = np.flatnonzero(np.isinf(values))
        if bad.size:
            raise ValueError(f"{what} is infinite for the unit at {name_units(bad, index)}")
    bad = np.flatnonzero(den <= 0)
    if bad.size:
        raise ValueError(
            f"denominator must be greater than 0: the unit at {name_units(bad, index)} has "
            f"{float(den[bad[0]])!r}"
        )
    bad = np.flatnonzero(num < 0)
    if bad.size:
        raise ValueError(
            f"numerator must not be negative: the unit at {name_units(bad, index)} has "
            f"{float(num[bad[0]])!r}"
        )
    if data_type == "PR":
        bad = np.flatnonzero(num > den)
        if bad.size:
            p = int(bad[0])
            raise ValueError(
                f"numerator is above the denominator for the unit at {name_units(bad, index)} "
                f"({float(num[p])!r} of {float(den[p])!r}): a proportion (data_type='PR') "
                "cannot exceed 1"
            )
    if data_type in ("PR", "RC") and not (num > 0).any():
        raise ValueError(
            f"every numerator is 0: the pooled target of a {data_type} funnel would be 0 "
            "and its limits have no width"
        )
    if data_type == "PR" and (num == den).all():
        raise ValueError(
            "every numerator equals its denominator: the pooled proportion is 1 and a "
            "PR funnel's limits have no width"
        )
    return num, den, index
