"""Cells that are safe to open in a spreadsheet: no input text ever runs as a formula.

Excel, LibreOffice and Power BI treat a CSV cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula (OWASP, "CSV Injection"). Every CSV the
project writes passes its text cells through :func:`neutralise_cell`, which puts an
apostrophe in front of such text, as OWASP advises. A cell that is a number, signed or
not, is not a formula and is left as it is (``-3``, ``+4.5``, ``-1e3``, and a signed
percentage such as ``+50.0%``, which a spreadsheet reads as the number 0.5): real
figures stay numbers, and only free text is marked. Text that merely starts with a
number (``-2.5 pp``, ``+1%+cmd``) is still text, so it is still neutralised.

The project also reads back some of what it writes (the meeting history, the data set's
tables that ``pcp returns load`` extends): :func:`restore_cell` removes the apostrophe
again, so a round trip gives back the text as it was given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")
"""A number as a spreadsheet reads one: a sign, digits, a decimal point, an exponent, and
at most a final per cent sign. Nothing else, so no function, reference or operator."""


def neutralise_cell(value: Any) -> Any:
    """Return a value that a spreadsheet shows as written and never evaluates.

    Parameters
    ----------
    value : Any
        A cell value. Only text is changed.

    Returns
    -------
    Any
        Text that begins with a formula trigger and is not a number (a signed
        percentage is one), prefixed with an apostrophe; every other value unchanged.

    Examples
    --------
    >>> neutralise_cell("=1+1")
    "'=1+1"
    >>> neutralise_cell("-3.5")
    '-3.5'
    >>> neutralise_cell("+50.0%")
    '+50.0%'
    >>> neutralise_cell("+2.5 pp")
    "'+2.5 pp"
    >>> neutralise_cell(-3.5)
    -3.5
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def restore_cell(value: Any) -> Any:
    """Return the text a neutralised cell stood for: the inverse of :func:`neutralise_cell`.

    Parameters
    ----------
    value : Any
        A cell value read from a CSV file.

    Returns
    -------
    Any
        Text made of an apostrophe and then a formula trigger, without the apostrophe
        (the apostrophe is a spreadsheet's mark for "text", not part of the value); every
        other value unchanged.

    Examples
    --------
    >>> restore_cell("'=1+1")
    '=1+1'
    >>> restore_cell("'quoted'")
    "'quoted'"
    """
    if (
        isinstance(value, str)
        and value[:1] == "'"
        and value[1:2] in FORMULA_TRIGGERS
        and value[1:2]
    ):
        return value[1:]
    return value


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of a frame read from CSV with its text cells restored.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table that :func:`neutralise_frame` wrote.

    Returns
    -------
    pandas.DataFrame
        The table with :func:`restore_cell` applied to every text cell and column name.
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(restore_cell)
    safe.columns = [restore_cell(str(name)) for name in safe.columns]
    return safe


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of a frame whose text cells are neutralised; numbers are untouched.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to be written as CSV.

    Returns
    -------
    pandas.DataFrame
        The same table with :func:`neutralise_cell` applied to every text cell, and its
        column names too.
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_cell)
    safe.columns = [neutralise_cell(str(name)) for name in safe.columns]
    return safe


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    """Neutralise each text cell of one row for ``csv.writer``.

    Parameters
    ----------
    row : iterable
        The row's values.

    Returns
    -------
    list
        The values, text neutralised as :func:`neutralise_cell` does; NaN left as it is.
    """
    return [
        value if isinstance(value, float) and math.isnan(value) else neutralise_cell(value)
        for value in row
    ]
