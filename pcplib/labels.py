"""Plain-text labels shared by the assessment and the report.

Numbers in their unit, months and quarters in words, lists and sentences. Pure and
small, like the rest of the core: no HTML, no I/O.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from pcplib import periods

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


RATE_UNITS = ("rate_per_1000",)
"""Units that are rates: a figure per 1,000 of a population over a period of time."""

_RATE_PERIODS = {"monthly": "a month", "quarterly": "a quarter", "annual": "a year"}
# A rate over the 12 months to each period (a rolling year), said in its name or definition.
_ROLLING_YEAR = re.compile(r"rolling 12[- ]months?|rolling year|12 months to|per year", re.I)
# The population a rate counts per 1,000 of, as its name or definition says it:
# "per 1,000 households" -> "households".
_RATE_POPULATION = re.compile(r"per 1,?000 ([a-z]+)", re.I)
_NOT_A_POPULATION = frozenset({"in", "of", "a", "an", "the", "for", "and", "or", "per"})


def describe_rate_basis(measure: Mapping[str, Any], window: str = "period") -> str:
    """What a rate's figure is per, after "per 1,000": its population and its period.

    "0.496 per 1,000" hides whether the figure is a month's or a year's (a monthly
    burglary rate of 0.5 is about 6 a year), so every rate is printed with both:
    "0.496 per 1,000 households a month".

    The period is the measure's own (its ``frequency``) when a window's figure is an
    average or a period-end value (``aggregation`` ``mean`` or ``last``), since an
    average of monthly rates is still a monthly rate; a rate summed over a window
    (``sum``) is per that window (``"quarter"`` or ``"year"``); and a rate the name or
    definition calls a rolling 12 months is a year's.

    Parameters
    ----------
    measure : mapping
        The measure: ``unit``, ``frequency``, ``aggregation`` and, optionally,
        ``measure_name`` and ``definition`` (read for the population and a rolling year).
    window : {"period", "quarter", "year"}, default "period"
        The figure's window: one period of the series (a chart's point), the reporting
        quarter (or an annual measure's year), or a 12-month window (the year ending,
        the baseline year).

    Returns
    -------
    str
        ``"households a month"``, ``"a year"`` (no population named), or ``""`` for a
        measure that is not a rate.
    """
    return " ".join(part for part in split_rate_basis(measure, window) if part)


def split_rate_basis(measure: Mapping[str, Any], window: str = "period") -> tuple[str, str]:
    """What a rate's figure is per, in its two parts: its population and its period.

    The parts of :func:`describe_rate_basis` (which says how each is chosen), for a
    reader that sets them in its own sentence ("the number in a month for every 1,000
    households").

    Parameters
    ----------
    measure : mapping
        As :func:`describe_rate_basis`.
    window : {"period", "quarter", "year"}, default "period"
        As :func:`describe_rate_basis`.

    Returns
    -------
    tuple of (str, str)
        ``("households", "a month")``, ``("", "a year")`` (no population named), or two
        empty strings for a measure that is not a rate.
    """
    if str(measure.get("unit") or "") not in RATE_UNITS:
        return "", ""
    text = f"{measure.get('measure_name') or ''} {measure.get('definition') or ''}"
    frequency = str(measure.get("frequency") or "monthly")
    aggregation = str(measure.get("aggregation") or "mean")
    if _ROLLING_YEAR.search(text):
        period = "a year"
    elif aggregation == "sum" and window in ("quarter", "year") and frequency != "annual":
        period = f"a {window}"
    else:
        period = _RATE_PERIODS.get(frequency, "a month")
    found = _RATE_POPULATION.search(text)
    population = found.group(1).lower() if found else ""
    if population in _NOT_A_POPULATION:
        population = ""
    return population, period


def label_unit(unit: str, per: str = "") -> str:
    """A unit's name for an axis or a column: ``"Rate per 1,000 households a month"``.

    Parameters
    ----------
    unit : str
        The measure's unit (see :func:`format_value`).
    per : str, optional
        For a rate, what it is per after "per 1,000" (:func:`describe_rate_basis`).

    Returns
    -------
    str
        The unit's label, with a rate's population and period when given.
    """
    if unit not in UNIT_LABELS:
        raise ValueError(f"unknown unit {unit!r}: expected one of {', '.join(UNIT_LABELS)}")
    label = UNIT_LABELS[unit]
    return f"{label} {per}" if per and unit in RATE_UNITS else label


def _with_rate_basis(text: str, unit: str, per: str) -> str:
    """A rate's figure followed by what it is per, unless it is "no data"."""
    if not per or unit not in RATE_UNITS or text == "no data":
        return text
    return f"{text} {per}"


# The decimals the narrative writes each unit to (a count's depend on its size, a rate's
# on its significant figures: count_rate_decimals).
_VALUE_DECIMALS = {"percent": 1, "gbp": 0, "kwh": 0, "tonnes": 0}

RATE_SIGNIFICANT_FIGURES = 3
"""The significant figures a rate per 1,000 prints to: "0.496", "1.25", "12.4".

A burglary rate of about 0.5 a month written to two decimals ("0.50 against 0.54") keeps
one significant figure and a half, so a reader's change from the printed figures is off
by most of a point (-7.4% for a true -8.1%); three significant figures keep it to a
tenth or two (review 11, R11-3; review 12, R12-2). Source: GSS, *Rounding guidance*
(round to the precision the data support: a significant-figures rule for rates)."""


def count_rate_decimals(value: Any) -> int:
    """The decimals that write a rate to :data:`RATE_SIGNIFICANT_FIGURES` significant figures.

    Parameters
    ----------
    value : float
        The rate (not missing).

    Returns
    -------
    int
        3 for 0.496, 2 for 1.25, 1 for 12.4, 0 from 100; 2 for a rate of zero ("0.00",
        which has no significant figures to count).

    Examples
    --------
    >>> [count_rate_decimals(v) for v in (0.4957, 1.254, 12.43, 124.3, 0.0)]
    [3, 2, 1, 0, 2]
    """
    number = abs(float(value))
    if number == 0 or not math.isfinite(number):
        return 2
    # The rounding can carry into the next power of ten (0.9996 is "1.00", not "1.000").
    magnitude = math.floor(math.log10(number))
    decimals = max(0, RATE_SIGNIFICANT_FIGURES - 1 - magnitude)
    if round(number, decimals) >= 10 ** (magnitude + 1):
        decimals = max(0, decimals - 1)
    return decimals


def format_value(value: Any, unit: str, per: str = "") -> str:
    """Format a measure's value for a reader, in its unit.

    Parameters
    ----------
    value : float or None
        The value; None or NaN is shown as "no data".
    unit : str
        The measure's unit: ``count``, ``percent``, ``rate_per_1000``, ``gbp``,
        ``hours``, ``days``, ``score``, ``kwh`` (kilowatt hours) or ``tonnes``.
    per : str, optional
        For a rate, what it is per after "per 1,000" (:func:`describe_rate_basis`):
        ``"households a month"`` writes ``"0.496 per 1,000 households a month"``.

    Returns
    -------
    str
        For example ``"1,234"``, ``"45.6%"``, ``"£505,750"``, ``"3.20 per 1,000"``. A
        count is a whole number once it reaches 100 (``5135.2`` shows as ``"5,135"``) and
        keeps one decimal below that (``"2.5"``), so averages of counts read naturally; a
        rate has three significant figures (:func:`count_rate_decimals`).

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
        decimals = 0 if number == round(number) or abs(number) >= 100 else 1
    elif unit in RATE_UNITS:
        decimals = count_rate_decimals(number)
    else:
        decimals = _VALUE_DECIMALS.get(unit, 1)
    text = _write_number(number, unit, decimals)
    return _with_rate_basis(text, unit, per) if unit == "rate_per_1000" else text


# Units whose figures are large quantities: always whole (a kWh, a tonne, a pound).
_WHOLE_UNITS = ("gbp", "kwh", "tonnes")
# Units counted like events: whole once they reach 100, one decimal below.
_COUNTED_UNITS = ("count", "hours", "days")
# Units whose precision is their unit's, never a figure's own: a percentage (a survey's or
# a mean of percentages carries no more than a tenth of a point) and a count (a mean of a
# headcount is not known to a hundredth). Review 1, B1; Code of Practice for Statistics,
# "do not imply more precision than the data support".
_FIXED_PRECISION_UNITS = ("percent", "count")
_DEFAULT_DECIMALS = {"percent": 1, "score": 1}
# At most this many decimals beyond a unit's usual ones: enough for a mean of whole
# figures over four quarters (8.25), never a run of digits nobody can read.
_EXTRA_DECIMALS = 2


def _is_written_by(number: float, decimals: int) -> bool:
    """Whether ``number`` is written exactly with ``decimals`` decimals (to float error)."""
    return math.isclose(round(number, decimals), number, rel_tol=1e-12, abs_tol=1e-9)


def count_decimals(value: Any, unit: str) -> int:
    """The decimals a figure is printed with: its unit's usual ones, or more when it has them.

    A figure keeps the decimals it was computed with, up to two beyond the unit's usual
    ones, so that a mean of whole days over four quarters prints as 8.25 (not 8.2 beside a
    change computed from 8.25) and a score recorded as 2.08 prints as 2.08. Counts, hours
    and days are whole once they reach 100 (a quarter's 3,231 hours, 396 days), like the
    tables have always printed counts, and whole figures print whole (9 days); money,
    energy and tonnes are always whole. A percentage and a count keep their unit's
    precision whatever decimals they were computed with: one decimal ("91.7%", not
    "91.675%"; a mean headcount "86.8", not "86.75"); a rate per 1,000 has three
    significant figures ("0.496", :func:`count_rate_decimals`), never fewer; and
    :func:`format_figures` adds decimals only to tell two different figures apart.

    Parameters
    ----------
    value : float
        The figure (not missing).
    unit : str
        The measure's unit (see :func:`format_value`).

    Returns
    -------
    int
        The number of decimals.
    """
    number = float(value)
    if unit in _WHOLE_UNITS:
        return 0
    if unit in RATE_UNITS:
        return count_rate_decimals(number)
    if unit in _COUNTED_UNITS:
        if abs(number) >= 100 or _is_written_by(number, 0):
            return 0
        usual = 1
    else:
        usual = _DEFAULT_DECIMALS.get(unit, 1)
    if unit in _FIXED_PRECISION_UNITS:
        return usual
    for decimals in range(usual, usual + _EXTRA_DECIMALS + 1):
        if _is_written_by(number, decimals):
            return decimals
    return usual


def _write_number(number: float, unit: str, decimals: int) -> str:
    """``number`` in its unit with ``decimals`` decimals (the unit known to be valid)."""
    if unit == "percent":
        return f"{number:.{decimals}f}%"
    if unit == "rate_per_1000":
        return f"{number:,.{decimals}f} per 1,000"
    if unit == "gbp":
        return f"−£{-number:,.{decimals}f}" if number < 0 else f"£{number:,.{decimals}f}"
    if unit == "kwh":
        return f"{number:,.{decimals}f} kWh"
    if unit == "tonnes":
        return f"{number:,.{decimals}f} tonnes"
    if unit in ("hours", "days"):
        return f"{number:,.{decimals}f} {unit}"
    return f"{number:,.{decimals}f}"


def format_figure(value: Any, unit: str, decimals: int | None = None, per: str = "") -> str:
    """Format a figure as the report tables print it: with the decimals it was computed to.

    :func:`format_value` writes every figure of a unit to the same decimals, so 8.25
    prints as "8.2" beside a change computed from 8.25. This variant, used by the
    tables, sentences and charts, keeps a figure's own decimals (see
    :func:`count_decimals`): ``8.25`` days is ``"8.25 days"``, ``3231.0`` hours is
    ``"3,231 hours"``, ``45.6`` per cent is ``"45.6%"``.

    Parameters
    ----------
    value : float or None
        The figure; None or NaN is shown as "no data".
    unit : str
        The measure's unit (see :func:`format_value`).
    decimals : int, optional
        Print with exactly this many decimals (as :func:`format_figures` chooses for
        figures printed side by side); :func:`count_decimals` when omitted.
    per : str, optional
        For a rate, what it is per after "per 1,000" (:func:`describe_rate_basis`).

    Returns
    -------
    str
        The figure in its unit.

    Raises
    ------
    ValueError
        If ``unit`` is not one of the known units.
    """
    if unit not in UNIT_LABELS:
        raise ValueError(f"unknown unit {unit!r}: expected one of {', '.join(UNIT_LABELS)}")
    if is_missing(value):
        return "no data"
    number = float(value)
    places = count_decimals(number, unit) if decimals is None else decimals
    return _with_rate_basis(_write_number(number + 0.0, unit, places), unit, per)


def format_figures(values: Sequence[Any], unit: str, per: str = "") -> list[str]:
    """Format figures printed side by side, so that different figures never print alike.

    "3.4 against 3.4 (down 1.2%)" puzzles a reader; the figures behind it were 3.44 and
    3.40. The figures share the most decimals any of them needs (:func:`count_decimals`),
    and more, up to two beyond that, while two different figures would still print the
    same.

    Parameters
    ----------
    values : sequence of float or None
        The figures (missing ones print as "no data").
    unit : str
        Their unit.
    per : str, optional
        For a rate, what it is per after "per 1,000" (:func:`describe_rate_basis`).

    Returns
    -------
    list of str
        The figures, in order.
    """
    places = choose_decimals(values, unit)
    if places is None:
        return [format_figure(v, unit, per=per) for v in values]
    return [format_figure(v, unit, places, per=per) for v in values]


def choose_decimals(values: Sequence[Any], unit: str) -> int | None:
    """The decimals :func:`format_figures` prints figures side by side with.

    The most decimals any of them needs (:func:`count_decimals`), and up to two more
    while two different figures would still print the same. A sentence that prints
    several pairs of one measure's figures takes the largest of its pairs' decimals, so
    that one rate never reads "0.497" for the quarter and "0.50" for the year (review 5,
    N8).

    Parameters
    ----------
    values : sequence of float or None
        The figures; missing ones are ignored.
    unit : str
        Their unit.

    Returns
    -------
    int or None
        The number of decimals; None when every figure is missing.
    """
    present = [float(v) for v in values if not is_missing(v)]
    if not present:
        return None
    places = max(count_decimals(v, unit) for v in present)
    if unit not in _WHOLE_UNITS:
        distinct = len(set(present))
        for extra in range(_EXTRA_DECIMALS + 1):
            written = {_write_number(v + 0.0, unit, places + extra) for v in present}
            if len(written) == distinct:
                places += extra
                break
    return places


def choose_shared_decimals(groups: Sequence[Sequence[Any]], unit: str) -> int | None:
    """The decimals for every figure of one sentence: the most any of its groups needs.

    Each group is a set of figures printed side by side (the quarter against a year ago,
    the 12 months against the baseline year); each gets :func:`choose_decimals`, and the
    sentence takes the largest, so one rate never reads "0.497" for the quarter and
    "0.50" for the year (review 5, N8). Counts, hours, days, money, energy and tonnes
    keep each group's own decimals (None): a whole count is exact, and "94.00 days"
    would claim a precision the figure never had.

    Parameters
    ----------
    groups : sequence of sequence of float or None
        The sentence's groups of figures.
    unit : str
        Their unit.

    Returns
    -------
    int or None
        The decimals, or None when each group keeps its own (or no figure is present).
    """
    if unit in _WHOLE_UNITS or unit in _COUNTED_UNITS:
        return None
    chosen = [d for group in groups if (d := choose_decimals(group, unit)) is not None]
    return max(chosen) if chosen else None


def is_missing(value: Any) -> bool:
    """Whether a value is None, NA or NaN (and not, say, a string or a list)."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def strip_text(value: Any) -> str:
    """Return a cell's text without its surrounding spaces; empty when the cell is missing.

    Parameters
    ----------
    value : object
        A cell of a table (a name, an id, a status).

    Returns
    -------
    str
        The text, or ``""``.
    """
    return "" if is_missing(value) else str(value).strip()


def parse_number(value: Any) -> float | None:
    """Return a figure as a number, or None when it is missing, blank or not a number.

    Parameters
    ----------
    value : object
        A figure, perhaps as text: the meeting history keeps every column as written, so
        a figure the report did not have reads back blank.

    Returns
    -------
    float or None
        The number, or None.
    """
    if is_missing(value) or str(value).strip() == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# Month names written out rather than with ``%B``, which follows the locale: a report
# and the index must read the same on every machine.
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


def month_words(month: Any) -> str:
    """A month as ``"September 2026"``, whatever the locale.

    Parameters
    ----------
    month : pandas.Period, date-like or str
        The month (a ``YYYY-MM`` text, any day in it, or its Period).

    Returns
    -------
    str
        The month's name and year.
    """
    if isinstance(month, pd.Period):
        stamp = month.start_time
    elif isinstance(month, str):
        stamp = periods.parse_month(periods.label_month(month)).start_time
    else:
        stamp = pd.Timestamp(month)
    return f"{MONTH_NAMES[stamp.month - 1]} {stamp.year}"


def date_words(value: Any) -> str:
    """A date as ``"30 September 2026"``."""
    ts = pd.Timestamp(value)
    return f"{ts.day} {month_words(ts)}"


def label_meeting(board: str, month: Any) -> str:
    """A board meeting in words: ``"Performance Board, November 2026"``.

    The one place the meeting line of the reports' headers and the index is written.

    Parameters
    ----------
    board : str
        The board's name (``dataset.identity.board_name``).
    month : pandas.Period, date-like or str
        The meeting month (see :func:`month_words`).

    Returns
    -------
    str
        The board's name and the meeting month in words.
    """
    return f"{board}, {month_words(month)}"


def time_words(moment: Any) -> str:
    """A moment in UTC, to the minute: ``"23 November 2026 06:00 UTC"``.

    Parameters
    ----------
    moment : datetime or pandas.Timestamp
        The moment; one without a time zone is read as UTC.

    Returns
    -------
    str
        The day, month, year and time in UTC.
    """
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return f"{date_words(stamp.tz_localize(None))} {stamp:%H:%M} UTC"


def quarter_words(quarter: str) -> str:
    """``"2026/27 Q2"`` as ``"July to September 2026"``."""
    months = periods.months_in_quarter(quarter)
    return month_span(months[0], months[-1])


def month_span(first: pd.Period, last: pd.Period) -> str:
    """Two months as one span in words: ``"July to September 2026"``."""
    if first == last:
        return month_words(first)
    if first.year == last.year:
        return f"{MONTH_NAMES[first.month - 1]} to {month_words(last)}"
    return f"{month_words(first)} to {month_words(last)}"


def months_text(months: Sequence[pd.Period]) -> str:
    """A list of months in words, runs of consecutive months joined (``"May to July 2026"``)."""
    if not months:
        return ""
    months = sorted(months)
    runs: list[tuple[pd.Period, pd.Period]] = []
    for m in months:
        if runs and m == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return ", ".join(month_span(a, b) for a, b in runs)


def label_period_start(start: Any, frequency: str) -> str:
    """The label of the period starting at ``start``: a month, a quarter or a financial year."""
    if frequency == "monthly":
        return month_words(start)
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


def suggest_name(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss of a known name, else ``""``.

    Parameters
    ----------
    name : str
        The name given.
    known : iterable of str
        The names expected.

    Returns
    -------
    str
        The hint, with its leading space, to put straight after the name in a message.
    """
    near = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.75)
    return f" (did you mean {near[0]!r}?)" if near else ""
