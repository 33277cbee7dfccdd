"""Absent is not zero: telling a gap in data.police.uk files from a true zero.

A force's file for a month can lack a category, and a month's file can be missing;
counting either as 0 publishes a false fall. :func:`find_month_gaps` names, for one
category and area, the months whose zero is a gap (rule: :func:`judge_zero`, documented
in ``docs/methodology.md``, "Absent is not zero"); :mod:`pcplib.data.sources.update`
writes them as missing observations with the reason (:class:`SourceGap`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "ZERO_IMPLAUSIBLE_BELOW",
    "SourceGap",
    "find_month_gaps",
    "judge_zero",
]

ZERO_IMPLAUSIBLE_BELOW = 0.001
"""A month with no rows is a gap, not a zero, when a Poisson count with the other months'
median as its mean would be zero less often than this (a median of 7 or more crimes)."""


@dataclass(frozen=True)
class SourceGap:
    """A month whose figure data.police.uk did not give: written as missing, never 0.

    Attributes
    ----------
    measure_id : str
        The measure left missing.
    area : str
        The area (the force area, or a local authority).
    month : str
        ``YYYY-MM``.
    reason : str
        Why, with the rows the months either side had; written to the row's ``source``.
    """

    measure_id: str
    area: str
    month: str
    reason: str


def judge_zero(others: Sequence[int]) -> bool:
    """True when no rows in a month is implausible given the other months' counts.

    Parameters
    ----------
    others : sequence of int
        The same category's counts in the other months read.

    Returns
    -------
    bool
        Whether ``exp(-median) < ZERO_IMPLAUSIBLE_BELOW``: a category that usually has
        seven or more rows a month does not truly fall to none; a rare one can.
    """
    if not len(others):
        return False
    return bool(math.exp(-float(np.median(others))) < ZERO_IMPLAUSIBLE_BELOW)


def find_month_gaps(
    monthly: pd.Series, months: Sequence[str], with_files: Sequence[str]
) -> dict[str, str]:
    """The months of one category and area whose zero is a gap, with the reason.

    Parameters
    ----------
    monthly : pandas.Series
        Rows counted per month (``YYYY-MM`` index); months with none are absent.
    months : sequence of str
        Every month of the range read.
    with_files : sequence of str
        The months whose street file for the force was read.

    Returns
    -------
    dict of str to str
        Month to reason, for months with no file, and months with no rows where
        :func:`judge_zero` says none is implausible.
    """
    present = set(with_files)
    gaps: dict[str, str] = {}
    for position, month in enumerate(months):
        if month not in present:
            gaps[month] = f"no street file for {month} among the files read"
            continue
        if int(monthly.get(month, 0)) > 0:
            continue
        others = [int(monthly.get(m, 0)) for m in months if m != month and m in present]
        if judge_zero(others):
            before = next((m for m in reversed(months[:position]) if m in present), None)
            after = next((m for m in months[position + 1 :] if m in present), None)
            sides = ", ".join(
                f"{m}: {int(monthly.get(m, 0)):,}" for m in (before, after) if m is not None
            )
            gaps[month] = (
                f"no rows in the {month} file although the months either side had rows "
                f"({sides}); missing from the published file, not zero"
            )
    return gaps
