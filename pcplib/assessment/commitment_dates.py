"""A commitment's due date set against the date of the target it names.

A commitment may name the measure whose target it delivers (``measure_id`` in
``commitments/commitments.csv``). Where that measure's target has no ``target_date``,
the reports judge the target now; where the commitment is due later and names the
target's own figure ("Reduce neighbourhood crime to 1,150 offences a month", due 31
March 2028, against a target of 1,150 a month with no date), the reader is shown one
target with two deadlines: "counted as missed" on the measure, "at risk" and due in
2028 on the commitment. Either the target's date or the commitment's words are wrong,
and the data set cannot say which, so the check tells the analyst (``pcp validate``
and the run's log) and the reader (a note on the data wherever the measure is shown),
naming both dates. It is a warning, never an error: a force's real data still run.

The rule (``docs/methodology.md``, "A commitment's date against its target's date"):

- the commitment names a measure (``measure_id``) whose target is set and has no
  ``target_date``;
- the commitment is due after the last month measured (the report's period, or the
  measure's latest figure when the data set is checked on its own), so the target is
  judged now while the promise is still to fall due;
- the commitment's text names the target's figure, as written to its own precision
  ("1,150" for 1,150; "9.0" or "9" for 9.0; "85%" for 85). Without it the promise may
  be a different figure from the per-period target, and no date is in doubt ("Deliver
  £4.0m of recurrent savings a year", due March 2027, against £1,000,000 a quarter).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.labels import (
    date_words,
    describe_rate_basis,
    format_figure,
    is_missing,
    month_words,
)

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = [
    "TARGET_DATE_CHECK_COLUMNS",
    "check_commitment_target_dates",
    "format_target_date_warnings",
    "names_target_figure",
]

TARGET_DATE_CHECK_COLUMNS = [
    "commitment_id", "strategy_id", "commitment", "due_date", "measure_id", "measure_name",
    "target", "judged_to", "note", "warning",
]  # fmt: skip
"""Columns of :func:`check_commitment_target_dates`: one row per commitment flagged."""

# A number as a commitment writes it: "1,150", "9.0", "85" (of "85%"); a number run
# into letters ("£4.0m", "3rd") is no figure of a target.
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w,]|\.\d)")


def names_target_figure(text: str, target: float) -> bool:
    """Whether a commitment's text writes the target's figure, to its own precision.

    Parameters
    ----------
    text : str
        The commitment.
    target : float
        The measure's target.

    Returns
    -------
    bool
        True when a number in ``text`` is the target as written: "1,150" for 1,150,
        "9.0" or "9" for 9.0, "85%" for 85; "1,200" is not 1,150, and "£4.0m" (a number
        run into letters) is no figure of a target.
    """
    for found in _NUMBER.finditer(str(text)):
        whole, fraction = found.group(1).replace(",", ""), found.group(2) or ""
        said = float(f"{whole}.{fraction}" if fraction else whole)
        if abs(said - target) < 0.5 * 10.0 ** -len(fraction):
            return True
    return False


def _latest_month(dataset: Dataset, measure_id: str) -> str | None:
    """The measure's latest month with a figure, ``YYYY-MM``; None without one."""
    series = dataset.series(measure_id)
    if "value" in series.columns:
        series = series[series["value"].notna()]
    if series.empty:
        return None
    return str(pd.Timestamp(series["period_end"].max()).to_period("M"))


def _one_check(
    commitment: Mapping[str, Any], measure: Mapping[str, Any], period_end: str | None
) -> dict[str, str] | None:
    """The row flagging one commitment against its measure's undated target, or None."""
    raw, dated = measure.get("target"), measure.get("target_date")
    if is_missing(raw) or not str(raw).strip():
        return None
    target = float(str(raw))
    if not is_missing(dated) and str(dated).strip():
        return None
    due = commitment.get("due_date")
    if period_end is None or is_missing(due) or not str(due).strip():
        return None
    try:
        due_month = pd.Timestamp(str(due)).to_period("M")
    except (ValueError, TypeError):
        return None
    judged_to = periods.parse_month(period_end)
    text = str(commitment["commitment"])
    if due_month <= judged_to or not names_target_figure(text, target):
        return None
    name = str(measure["measure_name"])
    figure = format_figure(target, str(measure["unit"]), per=describe_rate_basis(measure))
    told = measure.get("target_note")
    told = "" if is_missing(told) else str(told).strip().rstrip(".")
    # The target in the data set's own words ("At or below 9.0 days per officer"), where
    # the figure alone would print "9 days" beside a commitment's "9.0".
    words = f'"{told}"' if told else figure
    due_words = date_words(due)
    # Both dates in one sentence: the reader sees the target judged now and the promise
    # of the same figure due later, and is told the data set does not say which holds.
    note = (
        f"{name}: its target ({words}) has no date, so it is judged now, on the figures to "
        f'{month_words(judged_to)}, while the commitment "{text}" is due {due_words}; which '
        "of the two dates holds is to be confirmed."
    )
    warning = (
        f'commitments file: "{text}" ({commitment["commitment_id"]}) is due {due_words}, but '
        f"its measure {measure['measure_id']} has target {words} with no target_date, so "
        f"the reports judge it now: give the measure target_date {due_month} in "
        "framework/measures.csv if the commitment's date holds, or reword the commitment"
    )
    return {
        "commitment_id": str(commitment["commitment_id"]),
        "strategy_id": str(commitment["strategy_id"]),
        "commitment": text,
        "due_date": str(pd.Timestamp(str(due)).date()),
        "measure_id": str(measure["measure_id"]),
        "measure_name": name,
        "target": str(raw),
        "judged_to": str(judged_to),
        "note": note,
        "warning": warning,
    }


def check_commitment_target_dates(
    dataset: Dataset, period_end: str | None = None, measure_ids: list[str] | None = None
) -> pd.DataFrame:
    """List the commitments due later than the undated target they name (see the module).

    Parameters
    ----------
    dataset : Dataset
        The loaded data set (its ``commitments`` and ``measures``); a commitments table
        without ``measure_id`` (a data set made before the column) has nothing to check.
    period_end : str, optional
        The last month measured, ``YYYY-MM`` (the report's period). Without it each
        measure's latest month with a figure is used (``pcp validate``, the run's log).
    measure_ids : list of str, optional
        Only these measures (a report's own, for its audience); every measure when
        omitted.

    Returns
    -------
    pandas.DataFrame
        One row per commitment flagged, columns :data:`TARGET_DATE_CHECK_COLUMNS`, in
        the order of the commitments table: ``note`` is the reader's sentence (the
        reports' notes on the data), ``warning`` the analyst's.
    """
    rows: list[dict[str, str]] = []
    commitments = getattr(dataset, "commitments", None)
    if commitments is None or "measure_id" not in commitments.columns:
        return pd.DataFrame(rows, columns=TARGET_DATE_CHECK_COLUMNS)
    wanted = None if measure_ids is None else {str(m) for m in measure_ids}
    by_id = {str(m["measure_id"]): m for m in dataset.measures.to_dict("records")}
    for commitment in commitments.to_dict("records"):
        measure_id = commitment.get("measure_id")
        measure_id = "" if is_missing(measure_id) else str(measure_id).strip()
        if measure_id not in by_id or (wanted is not None and measure_id not in wanted):
            continue
        end = period_end if period_end is not None else _latest_month(dataset, measure_id)
        found = _one_check(commitment, by_id[measure_id], end)
        if found is not None:
            rows.append(found)
    return pd.DataFrame(rows, columns=TARGET_DATE_CHECK_COLUMNS)


def format_target_date_warnings(checks: pd.DataFrame) -> list[str]:
    """The analyst's warnings, one per commitment flagged, in order.

    Parameters
    ----------
    checks : pandas.DataFrame
        From :func:`check_commitment_target_dates`.

    Returns
    -------
    list of str
        The ``warning`` of each row.
    """
    return [str(w) for w in checks["warning"]]
