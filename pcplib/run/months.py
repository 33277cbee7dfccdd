"""Month and quarter text for the runner's folder names, headings and index page.

Month names are written out here rather than with ``%B``, which follows the
locale: an index page must read the same on every machine. Quarter labels and
quarter ends come from :mod:`pcplib.periods`.
"""

from __future__ import annotations

from typing import Any

from pcplib.periods import month_number, month_of
from pcplib.run.errors import EXIT_USAGE, RunError

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_month(period: str) -> str:
    """Return ``"September 2026"`` for ``"2026-09"`` (independent of the locale).

    Parameters
    ----------
    period : str
        A month ``YYYY-MM``.

    Returns
    -------
    str
        Month name and year.
    """
    year, month = period.split("-")[:2]
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def label_quarter_of(period_end: str) -> str:
    """Return the financial quarter label (``"2026/27 Q2"``) a month falls in.

    Parameters
    ----------
    period_end : str
        A month ``YYYY-MM``.

    Returns
    -------
    str
        The quarter label.
    """
    from pcplib.periods import label_quarter

    return label_quarter(f"{period_end}-01")


def quarter_end_of(quarter: str) -> str:
    """Return the last month (``YYYY-MM``) of a quarter such as ``"2026/27 Q2"``.

    Parameters
    ----------
    quarter : str
        The quarter label.

    Returns
    -------
    str
        The month.

    Raises
    ------
    RunError
        If the label cannot be read (exit 2).
    """
    from pcplib.periods import quarter_end_month

    try:
        return str(quarter_end_month(quarter))
    except (ValueError, TypeError) as exc:
        raise RunError(
            f"--quarter {quarter!r} is not a financial quarter (expected e.g. '2026/27 Q2'): {exc}",
            EXIT_USAGE,
        ) from exc


def month_text(value: Any) -> str:
    """Return a month as ``YYYY-MM`` whether given as text, a date or a pandas Period.

    Parameters
    ----------
    value : Any
        The month.

    Returns
    -------
    str
        ``YYYY-MM``.
    """
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    return str(value)[:7]


def shift_month(period: str, months: int) -> str:
    """Return the month ``months`` after ``period`` (both ``YYYY-MM``).

    Parameters
    ----------
    period : str
        The month.
    months : int
        How many months later (negative for earlier).

    Returns
    -------
    str
        The month.
    """
    return str(month_of(month_number(period) + months))
