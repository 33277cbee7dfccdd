"""UK financial years and quarters, month parsing and rolling 12-month totals.

The UK public sector's financial year runs from 1 April to 31 March and is
written ``2026/27``; its quarters start in April, so Q1 is April to June and
Q4 is January to March (``2026/27 Q4`` ends on 31 March 2027). Everything here
is pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, TypeAlias, TypeGuard

import numpy as np
import pandas as pd

__all__ = [
    "financial_year_start",
    "label_financial_year",
    "label_quarter",
    "label_month",
    "quarter_number",
    "parse_financial_year",
    "parse_quarter",
    "parse_month",
    "months_in_quarter",
    "months_in_financial_year",
    "quarter_end_month",
    "quarter_end_on_or_before",
    "shift_quarter",
    "shift_year_back",
    "sum_rolling_12_months",
    "FREQUENCY_MONTHS",
    "month_number",
    "month_of",
    "is_month_code",
    "list_months",
    "last_day_of_month",
]

FREQUENCY_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3, "annual": 12}
"""Months in one period of each frequency a measure can have."""

_QUARTER_RE = re.compile(r"^\s*(\d{4})/(\d{2})\s+Q([1-4])\s*$", re.IGNORECASE)
_YEAR_RE = re.compile(r"^\s*(\d{4})/(\d{2})\s*$")
_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")
_DATE_RE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
# A month code exactly as a file writes it: no spaces, months 01 to 12.
_MONTH_CODE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

_QUARTER_FORM = "expected a quarter like '2026/27 Q2' (financial year, a space, Q1 to Q4)"
_YEAR_FORM = "expected a financial year like '2025/26' (the second year is the first plus one)"
_MONTH_FORM = "expected a month like '2026-09' (YYYY-MM)"

DateLike: TypeAlias = dt.date | dt.datetime | pd.Timestamp | pd.Period | np.datetime64 | str


def _to_timestamp(value: Any, what: str = "date") -> pd.Timestamp:
    """Turn a date-like value into a normalised ``pd.Timestamp`` or raise ``ValueError``."""
    if isinstance(value, pd.Period):
        return value.start_time.normalize()
    if isinstance(value, str):
        if _MONTH_RE.match(value):
            return parse_month(value).start_time
        if _DATE_RE.match(value):
            try:
                return pd.Timestamp(value.strip())
            except ValueError as exc:
                raise ValueError(f"{what} {value!r} is not a real date") from exc
        raise ValueError(
            f"cannot read {what} {value!r}: expected 'YYYY-MM', 'YYYY-MM-DD', "
            "a date, a datetime or a pandas Timestamp/Period"
        )
    if isinstance(value, dt.date | np.datetime64):
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            raise ValueError(f"{what} is missing (NaT)")
        return ts.normalize()
    if value is None or value is pd.NaT:
        raise ValueError(f"{what} is missing: expected a date, 'YYYY-MM' or 'YYYY-MM-DD'")
    raise ValueError(
        f"cannot read {what} {value!r} of type {type(value).__name__}: expected a date, "
        "a datetime, a pandas Timestamp/Period, 'YYYY-MM' or 'YYYY-MM-DD'"
    )


def financial_year_start(date: DateLike) -> int:
    """Return the calendar year in which the financial year containing ``date`` starts.

    Parameters
    ----------
    date : date, datetime, pd.Timestamp, pd.Period or str
        Any day (or month) in the financial year; strings as ``YYYY-MM`` or ``YYYY-MM-DD``.

    Returns
    -------
    int
        2026 for any date from 1 April 2026 to 31 March 2027.
    """
    ts = _to_timestamp(date)
    return ts.year if ts.month >= 4 else ts.year - 1


def _year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def label_financial_year(date: DateLike) -> str:
    """Return the financial year label of a date, such as ``"2026/27"``.

    Parameters
    ----------
    date : date, datetime, pd.Timestamp, pd.Period or str
        Any day (or month) in the financial year.

    Returns
    -------
    str
        The label ``YYYY/YY``.
    """
    return _year_label(financial_year_start(date))


def quarter_number(date: DateLike) -> int:
    """Return the financial quarter (1 to 4) of a date; Q1 is April to June.

    Parameters
    ----------
    date : date, datetime, pd.Timestamp, pd.Period or str
        Any day (or month).

    Returns
    -------
    int
        1 for April-June, 2 for July-September, 3 for October-December, 4 for January-March.
    """
    ts = _to_timestamp(date)
    return (ts.month - 4) % 12 // 3 + 1


def label_quarter(date: DateLike) -> str:
    """Return the financial quarter label of a date, such as ``"2026/27 Q2"``.

    Parameters
    ----------
    date : date, datetime, pd.Timestamp, pd.Period or str
        Any day (or month) in the quarter.

    Returns
    -------
    str
        The label ``YYYY/YY Qn``.
    """
    return f"{label_financial_year(date)} Q{quarter_number(date)}"


def label_month(date: DateLike) -> str:
    """Return the ``YYYY-MM`` label of the month containing a date.

    Parameters
    ----------
    date : date, datetime, pd.Timestamp, pd.Period or str
        Any day in the month.

    Returns
    -------
    str
        Such as ``"2026-09"``.
    """
    return _to_timestamp(date).strftime("%Y-%m")


def _parse_year_parts(text: str, first: str, second: str, form: str) -> int:
    start = int(first)
    if (start + 1) % 100 != int(second):
        raise ValueError(
            f"{text!r} is not a financial year: {second} does not follow {first}; {form}"
        )
    return start


def parse_financial_year(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of a financial year written ``"2025/26"``.

    Parameters
    ----------
    text : str
        A label such as ``"2025/26"``.

    Returns
    -------
    tuple of pd.Timestamp
        1 April of the first year and 31 March of the second.

    Raises
    ------
    ValueError
        If the text is not a financial year label.
    """
    if not isinstance(text, str) or not (match := _YEAR_RE.match(text)):
        raise ValueError(f"cannot read financial year {text!r}: {_YEAR_FORM}")
    start = _parse_year_parts(text, match.group(1), match.group(2), _YEAR_FORM)
    return pd.Timestamp(start, 4, 1), pd.Timestamp(start + 1, 3, 31)


def _match_quarter(text: Any) -> re.Match[str]:
    if not isinstance(text, str) or not (match := _QUARTER_RE.match(text)):
        raise ValueError(f"cannot read quarter {text!r}: {_QUARTER_FORM}")
    return match


def parse_quarter(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of a financial quarter written ``"2026/27 Q2"``.

    Parameters
    ----------
    text : str
        A label such as ``"2026/27 Q2"`` (``q2`` is accepted too).

    Returns
    -------
    tuple of pd.Timestamp
        The first day and the last day of the quarter (``2026-07-01``, ``2026-09-30``).

    Raises
    ------
    ValueError
        If the text is not a quarter label.
    """
    match = _match_quarter(text)
    start_year = _parse_year_parts(text, match.group(1), match.group(2), _QUARTER_FORM)
    quarter = int(match.group(3))
    first = pd.Period(pd.Timestamp(start_year, 4, 1), freq="M") + 3 * (quarter - 1)
    last = first + 2
    return first.start_time, last.end_time.normalize()


def parse_month(text: str) -> pd.Period:
    """Return the monthly period written ``"YYYY-MM"``.

    Parameters
    ----------
    text : str
        Such as ``"2026-09"``.

    Returns
    -------
    pd.Period
        ``pd.Period('2026-09', 'M')``.

    Raises
    ------
    ValueError
        If the text is not a ``YYYY-MM`` month.
    """
    if not isinstance(text, str) or not (match := _MONTH_RE.match(text)):
        raise ValueError(f"cannot read month {text!r}: {_MONTH_FORM}")
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"cannot read month {text!r}: month {month} is not 01 to 12")
    return pd.Period(year=int(match.group(1)), month=month, freq="M")


def _is_label(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is a quarter or year label rather than a month or a date."""
    return isinstance(value, str) and not (_MONTH_RE.match(value) or _DATE_RE.match(value))


def _quarter_first_month(quarter: str | DateLike) -> pd.Period:
    if _is_label(quarter):
        start, _ = parse_quarter(quarter)
        return pd.Period(start, freq="M")
    ts = _to_timestamp(quarter, what="quarter or date")
    # Quarters start in April, July, October and January.
    return pd.Period(ts, freq="M") - ((ts.month - 4) % 3)


def months_in_quarter(quarter: str | DateLike) -> list[pd.Period]:
    """Return the three months of a financial quarter.

    Parameters
    ----------
    quarter : str or date-like
        A label such as ``"2026/27 Q2"``, or any date in the quarter.

    Returns
    -------
    list of pd.Period
        Monthly periods in order, such as July, August and September 2026.
    """
    first = _quarter_first_month(quarter)
    return [first + i for i in range(3)]


def months_in_financial_year(year: str | DateLike) -> list[pd.Period]:
    """Return the twelve months (April to March) of a financial year.

    Parameters
    ----------
    year : str or date-like
        A label such as ``"2025/26"``, or any date in the year.

    Returns
    -------
    list of pd.Period
        Monthly periods from April to March.
    """
    if _is_label(year):
        start, _ = parse_financial_year(year)
    else:
        start = pd.Timestamp(financial_year_start(year), 4, 1)
    first = pd.Period(start, freq="M")
    return [first + i for i in range(12)]


def quarter_end_month(quarter: str | DateLike) -> pd.Period:
    """Return the last month of a financial quarter.

    Parameters
    ----------
    quarter : str or date-like
        A label such as ``"2026/27 Q2"``, or any date in the quarter.

    Returns
    -------
    pd.Period
        Such as ``pd.Period('2026-09', 'M')``.
    """
    return months_in_quarter(quarter)[-1]


def quarter_end_on_or_before(month: DateLike, months_before: int = 0) -> pd.Period:
    """Return the latest quarter-end month at least ``months_before`` months before ``month``.

    With ``months_before=0`` this is the last complete quarter up to and including
    ``month``; by default a meeting's data period ends at ``quarter_end_on_or_before(slot, 2)``
    (slot ``2026-11`` gives ``2026-09``; slot ``2026-05`` gives ``2026-03``).

    Parameters
    ----------
    month : date-like or str
        The reference month (``YYYY-MM`` or any date in it).
    months_before : int, default 0
        The minimum gap, in months, between the quarter end and ``month``.

    Returns
    -------
    pd.Period
        A monthly period falling in June, September, December or March.

    Raises
    ------
    ValueError
        If ``months_before`` is negative.
    """
    if months_before < 0:
        raise ValueError(f"months_before must be 0 or more, got {months_before}")
    latest = pd.Period(_to_timestamp(month, what="month"), freq="M") - months_before
    # Quarter ends fall in months 3, 6, 9 and 12.
    return latest - (latest.month % 3)


def shift_quarter(quarter: str, quarters: int) -> str:
    """Return the label of the quarter ``quarters`` away from a quarter label.

    Parameters
    ----------
    quarter : str
        A label such as ``"2026/27 Q1"``.
    quarters : int
        How many quarters to move: negative goes back (``-1`` gives ``"2025/26 Q4"``).

    Returns
    -------
    str
        The shifted quarter's label.
    """
    _match_quarter(quarter)
    return label_quarter(_quarter_first_month(quarter) + 3 * quarters)


def shift_year_back(period: Any) -> Any:
    """Return the same period one year earlier, in the same form as given.

    Parameters
    ----------
    period : str, pd.Period, pd.Timestamp, date or datetime
        A quarter label (``"2026/27 Q2"`` gives ``"2025/26 Q2"``), a financial year
        label (``"2026/27"`` gives ``"2025/26"``), a month (``"2026-09"`` gives
        ``"2025-09"``), a ``pd.Period`` of any frequency, or a date (29 February
        becomes 28 February).

    Returns
    -------
    same type as ``period``
        The period a year earlier.

    Raises
    ------
    ValueError
        If the value is none of the forms above.
    """
    if isinstance(period, str):
        if _QUARTER_RE.match(period):
            return shift_quarter(period, -4)
        if match := _YEAR_RE.match(period):
            start = _parse_year_parts(period, match.group(1), match.group(2), _YEAR_FORM)
            return _year_label(start - 1)
        if _MONTH_RE.match(period):
            return str(parse_month(period) - 12)
        if _DATE_RE.match(period):
            shifted = _to_timestamp(period) - pd.DateOffset(years=1)
            return shifted.strftime("%Y-%m-%d")
        raise ValueError(
            f"cannot read period {period!r}: expected a quarter like '2026/27 Q2', "
            "a financial year like '2026/27', a month like '2026-09' or a date 'YYYY-MM-DD'"
        )
    if isinstance(period, pd.Period):
        shifted = period.start_time - pd.DateOffset(years=1)
        return pd.Period(shifted, freq=period.freq)
    if isinstance(period, pd.Timestamp):
        return period - pd.DateOffset(years=1)
    if isinstance(period, dt.date):
        shifted = pd.Timestamp(period) - pd.DateOffset(years=1)
        return shifted.to_pydatetime() if isinstance(period, dt.datetime) else shifted.date()
    raise ValueError(
        f"cannot shift {period!r} of type {type(period).__name__}: expected a label, "
        "a pandas Period or Timestamp, a date or a datetime"
    )


def _monthly_index(index: pd.Index) -> pd.PeriodIndex:
    if isinstance(index, pd.PeriodIndex):
        if index.freqstr != "M":
            raise ValueError(
                f"expected monthly periods, got a PeriodIndex of frequency {index.freqstr}"
            )
        return index
    if isinstance(index, pd.DatetimeIndex):
        return index.to_period("M")
    raise ValueError(
        f"expected a Series indexed by month (DatetimeIndex or monthly PeriodIndex), "
        f"got {type(index).__name__}"
    )


def sum_rolling_12_months(series: pd.Series) -> pd.Series:
    """Return rolling 12-month totals of a monthly series.

    Each value is the sum of that month and the eleven before it. A month with
    fewer than twelve months of data behind it (the start of the series, a
    missing month, or a NaN value in the window) gets NaN rather than a total
    of fewer months.

    Parameters
    ----------
    series : pd.Series
        Monthly values indexed by a ``DatetimeIndex`` (any day in the month) or a
        monthly ``PeriodIndex``; sorted, one value per month. Months absent from
        the index count as missing.

    Returns
    -------
    pd.Series
        The totals, on the same index as ``series``.

    Raises
    ------
    ValueError
        If the index is not monthly, is unsorted, or repeats a month.
    """
    if not isinstance(series, pd.Series):
        raise ValueError(f"expected a pandas Series, got {type(series).__name__}")
    months = _monthly_index(series.index)
    if months.has_duplicates:
        repeated = sorted({str(m) for m in months[months.duplicated()]})
        raise ValueError(f"each month must appear once; repeated: {', '.join(repeated)}")
    if not months.is_monotonic_increasing:
        raise ValueError("the series must be sorted by month, oldest first")
    values = pd.Series(pd.to_numeric(series, errors="raise").to_numpy(dtype=float), index=months)
    if values.empty:
        return series.astype(float)
    full = values.reindex(pd.period_range(months[0], months[-1], freq="M"))
    totals = full.rolling(12, min_periods=12).sum()
    return pd.Series(totals.reindex(months).to_numpy(), index=series.index, name=series.name)


_FIELD_DTYPE = pd.DatetimeIndex([]).year.dtype
"""The dtype pandas gives a DatetimeIndex's year and month, and so a month number index."""


def month_number(value: Any) -> Any:
    """Return a month as a running integer, year x 12 + month - 1, so months subtract.

    Parameters
    ----------
    value : str, date-like, pandas.Period, or a DatetimeIndex/PeriodIndex
        A month (``YYYY-MM`` text, any date in it, or its Period), or an index of them.

    Returns
    -------
    int or pandas.Index
        The running month number (an index of them for an index).
    """
    if isinstance(value, pd.DatetimeIndex) and value.tz is None and not value.hasnans:
        # Months since 1970 straight from the dates: the same numbers, with the same
        # dtype, as the year and month fields below, at a fifth of the cost (called for
        # every window of every measure, issue #25).
        months = value.to_numpy().astype("datetime64[M]").astype(np.int64) + 1970 * 12
        return pd.Index(months.astype(_FIELD_DTYPE), name=value.name)
    if isinstance(value, pd.DatetimeIndex | pd.PeriodIndex):
        return value.year * 12 + value.month - 1
    if isinstance(value, str):
        value = parse_month(value)
    if isinstance(value, pd.Period):
        value = value.to_timestamp()
    ts = pd.Timestamp(value)
    return ts.year * 12 + ts.month - 1


def month_of(number: int) -> pd.Period:
    """Return the month a running month number stands for (inverse of :func:`month_number`).

    Parameters
    ----------
    number : int
        From :func:`month_number`.

    Returns
    -------
    pandas.Period
        The month.
    """
    return pd.Period(year=number // 12, month=number % 12 + 1, freq="M")


def shift_month(month: str, months: int) -> str:
    """Return the month ``months`` after ``month`` (both ``YYYY-MM``).

    Parameters
    ----------
    month : str
        The month.
    months : int
        How many months later (negative for earlier).

    Returns
    -------
    str
        The month, ``YYYY-MM``.
    """
    return str(month_of(month_number(month) + months))


def is_month_code(text: Any) -> bool:
    """Whether ``text`` is a month code written exactly ``YYYY-MM`` (month 01 to 12).

    Parameters
    ----------
    text : object
        Usually a cell or a key read from a file.

    Returns
    -------
    bool
        True for ``"2026-11"``; False for ``" 2026-11"``, ``"2026-13"``, ``"2026-1"`` or a
        value that is not text.
    """
    return isinstance(text, str) and _MONTH_CODE_RE.match(text) is not None


def list_months(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included.

    Parameters
    ----------
    first, last : str
        Months written ``YYYY-MM``.

    Returns
    -------
    list of str
        The months in order; empty when ``last`` is before ``first``.
    """
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def last_day_of_month(month: DateLike) -> pd.Timestamp:
    """Return the last day of a month, at midnight.

    Parameters
    ----------
    month : date-like
        The month (``YYYY-MM``, a monthly period, or any day in it).

    Returns
    -------
    pandas.Timestamp
        Such as ``Timestamp('2026-02-28')`` for ``"2026-02"``.
    """
    return pd.Period(month, "M").end_time.normalize()


def label_period(start: DateLike, frequency: str) -> str:
    """Return the code of the period starting at ``start``: ``2024-05``, ``2024/25 Q1``...

    Parameters
    ----------
    start : date-like
        The period's first day (any day in its first month).
    frequency : str
        ``"monthly"``, ``"quarterly"`` or ``"annual"`` (a financial year).

    Returns
    -------
    str
        The month, quarter or financial year as the data set writes it.
    """
    if frequency == "quarterly":
        return label_quarter(start)
    if frequency == "annual":
        return label_financial_year(start)
    return label_month(start)


def parse_optional_month(value: Any) -> pd.Period | None:
    """Return the month a catalogue cell names, or None when the cell is empty.

    Parameters
    ----------
    value : str, date-like or missing
        A ``YYYY-MM`` month or a date in it (only its first seven characters are read),
        or an empty or missing cell.

    Returns
    -------
    pandas.Period or None
        The month; None for None, NaN, NaT or blank text.

    Raises
    ------
    ValueError
        If the cell holds something that is not a month.
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    text = str(value).strip()
    return parse_month(text[:7]) if text else None
