"""The quarter a run is asked for, read for the runner (``--quarter``).

Months and quarters in words and their arithmetic live once in the core:
:func:`pcplib.labels.month_words`, :func:`pcplib.periods.label_quarter`,
:func:`pcplib.periods.label_month`, :func:`pcplib.periods.shift_month`. This module only
turns a quarter that cannot be read into the runner's usage error.
"""

from __future__ import annotations

from pcplib.periods import quarter_end_month
from pcplib.run.errors import EXIT_USAGE, RunError


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
    try:
        return str(quarter_end_month(quarter))
    except (ValueError, TypeError) as exc:
        raise RunError(
            f"--quarter {quarter!r} is not a financial quarter (expected e.g. '2026/27 Q2'): {exc}",
            EXIT_USAGE,
        ) from exc
