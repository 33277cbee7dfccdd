"""Plain-text labels shared by the assessment and the report.

Numbers in their unit, months and quarters in words, lists and sentences. Pure and
small, like the rest of the core: no HTML, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods

if TYPE_CHECKING:
    pass


UNIT_LABELS: dict[str, str] = {
    "count": "Number",
    "percent": "Per cent",
    "rate_per_1000": "Rate per 1,000",
    "gbp": "Pounds (£)",
    "hours": "Hours",
    "days": "Days",
    "score": "Score",
    "kwh": "Kilowatt hours (kWh)",
    "tonnes": "Tonnes",
}


def format_value(value: Any, unit: str) -> str:
    """Format a measure's value for a reader, in its unit.

    Parameters
    ----------
    value : float or None
        The value; None or NaN is shown as "no data".
    unit : str
        The measure's unit: ``count``, ``percent``, ``rate_per_1000``, ``gbp``,
        ``hours``, ``days``, ``score``, ``kwh`` (kilowatt hours) or ``tonnes``.

    Returns
    -------
    str
        For example ``"1,234"``, ``"45.6%"``, ``"£505,750"``, ``"3.2 per 1,000"``. A
        count is a whole number once it reaches 100 (``5135.2`` shows as ``"5,135"``) and
        keeps one decimal below that (``"2.5"``), so averages of counts read naturally.

    Raises
    ------
    ValueError
        If ``unit`` is not one of the known units.
    """
    if unit not in UNIT_LABELS:
        raise ValueError(f"unknown unit {unit!r}: expected one of {', '.join(UNIT_LABELS)}")
    if value is None or value is pd.NA:
        return "no data"
    number = float(value)
    if math.isnan(number):
        return "no data"
    if unit == "count":
        # Averages of counts (a quarterly average of 5,135.2 crimes) read as whole numbers once
        # they reach 100; a decimal still matters for small ones (2.5 homicides a quarter).
        whole = number == round(number) or abs(number) >= 100
        return f"{number:,.0f}" if whole else f"{number:,.1f}"
    if unit == "percent":
        return f"{number:.1f}%"
    if unit == "rate_per_1000":
        return f"{number:,.2f} per 1,000"
    if unit == "gbp":
        return f"−£{-number:,.0f}" if number < 0 else f"£{number:,.0f}"
    if unit == "kwh":
        return f"{number:,.0f} kWh"
    if unit == "tonnes":
        return f"{number:,.0f} tonnes"
    if unit in ("hours", "days"):
        return f"{number:,.1f} {unit}"
    return f"{number:,.1f}"


def is_missing(value: Any) -> bool:
    """Whether a value is None, NA or NaN (and not, say, a string or a list)."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def month_words(period: pd.Period) -> str:
    """A month as ``"September 2026"``."""
    return f"{period.to_timestamp():%B %Y}"


def date_words(value: Any) -> str:
    """A date as ``"30 September 2026"``."""
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%B %Y}"


def quarter_words(quarter: str) -> str:
    """``"2026/27 Q2"`` as ``"July to September 2026"``."""
    months = periods.months_in_quarter(quarter)
    return month_span(months[0], months[-1])


def month_span(first: pd.Period, last: pd.Period) -> str:
    """Two months as one span in words: ``"July to September 2026"``."""
    if first == last:
        return month_words(first)
    if first.year == last.year:
        return f"{first.to_timestamp():%B} to {month_words(last)}"
    return f"{month_words(first)} to {month_words(last)}"


def label_period_start(start: Any, frequency: str) -> str:
    """The label of the period starting at ``start``: a month, a quarter or a financial year."""
    if frequency == "monthly":
        return f"{pd.Timestamp(start):%B %Y}"
    if frequency == "quarterly":
        return periods.label_quarter(start)
    return periods.label_financial_year(start)


def list_words(items: Sequence[str]) -> str:
    """``["a", "b", "c"]`` as ``"a, b and c"``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def as_sentence(text: str) -> str:
    """Start ``text`` with a capital and end it with a full stop."""
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def plural(n: int, word: str) -> str:
    """``n`` and ``word``, with an ``s`` unless ``n`` is 1."""
    return f"{n} {word}{'' if n == 1 else 's'}"
