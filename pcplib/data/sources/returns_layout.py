"""The layout of an owners' quarterly return, shared by the template, the loader and reports.

A return is one workbook per delivery strategy and quarter (seed 002, para 15: the
Force and the OPCC each "provide quarterly performance information", "further
contextual information on any activities and actions" and "identify areas of risk
and challenge"). This module says what it holds: its sheets and their columns,
which figures the data set expects from the owners for a quarter, the return's
identity (kept in a hidden sheet with a checksum of the layout, so a workbook
edited out of shape is recognised), and the deadline the forward plan gives.
:mod:`~pcplib.data.sources.returns_template` writes the workbook and
:mod:`~pcplib.data.sources.returns_load` reads it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from pcplib import periods
from pcplib.labels import date_words, format_value, month_span, month_words
from pcplib.periods import FREQUENCY_MONTHS

if TYPE_CHECKING:
    from pcplib.data.dataset import Dataset
    from pcplib.data.forward_plan import ForwardPlan, Slot

__all__ = [
    "ACTION_COLUMNS",
    "BLANK_ACTION_ROWS",
    "BLANK_RISK_ROWS",
    "COMMITMENT_COLUMNS",
    "IDENTITY_KEYS",
    "IDENTITY_SHEET",
    "MEASURE_COLUMNS",
    "NARRATIVE_COLUMNS",
    "RATIO_UNITS",
    "RETURN_KIND",
    "RETURN_NARRATIVE_SECTIONS",
    "RISK_COLUMNS",
    "SHEETS",
    "TEMPLATE_VERSION",
    "Deadline",
    "column_letter",
    "describe_last_quarter",
    "digest_layout",
    "find_deadline",
    "is_owner_supplied",
    "list_requested_figures",
    "quarter_slug",
]

RETURN_KIND = "pcp-monitor quarterly return"
# Raised whenever the sheets or columns change, so an old template is refused by name.
TEMPLATE_VERSION = "1"
# The hidden, protected sheet that carries the return's identity and layout.
IDENTITY_SHEET = "_return"
IDENTITY_KEYS = (
    "kind",
    "template_version",
    "strategy_id",
    "quarter",
    "generated_at",
    "data_set",
    "layout_sha256",
)

SHEETS = ("Instructions", "Measures", "Commitments", "Narrative", "Risks", "Actions")
# Every data sheet has its header in row 1. The Measures sheet keeps `value` in
# column E, so a problem reads like `Measures!E7`.
MEASURE_COLUMNS = (
    "measure_id",
    "measure_name",
    "month",
    "unit",
    "value",
    "numerator",
    "denominator",
    "status",
    "covers",
    "last_quarter",
    "source",
    "definition",
)
COMMITMENT_COLUMNS = (
    "commitment_id",
    "commitment",
    "due_date",
    "owner",
    "status",
    "activity_to_date",
    "next_steps",
)
# ``measures``: the ids of the measures a section speaks of, so that public reports keep
# it only when all are public. Last, so a return made before it existed still loads.
NARRATIVE_COLUMNS = ("section", "guidance", "text", "last_quarter", "measures")
RISK_COLUMNS = ("risk_id", "description", "likelihood", "impact", "mitigation", "owner")
ACTION_COLUMNS = ("action_id", "agreed_at", "action", "owner", "due_date", "status")
# The narrative sections the owners write; `risks` is a sheet of its own.
RETURN_NARRATIVE_SECTIONS = ("progress", "successes", "challenges")
# Empty rows, with ids assigned in advance, for risks and actions the template does not
# know yet: the ids make a second load of the same file change nothing.
BLANK_RISK_ROWS = 8
BLANK_ACTION_ROWS = 5
# Units whose figures are a numerator over a denominator.
RATIO_UNITS = ("percent", "rate_per_1000")
# Sources the OPCC fetches itself (police.uk's open data): never asked of the owners.
_FETCHED_SOURCE = re.compile(r"police\.uk", re.IGNORECASE)


def column_letter(columns: Sequence[str], column: str) -> str:
    """Return the spreadsheet letter of a column in a sheet's header.

    Parameters
    ----------
    columns : sequence of str
        The sheet's columns in order (``MEASURE_COLUMNS``, ...).
    column : str
        One of them.

    Returns
    -------
    str
        ``"A"`` for the first column; at most 26 columns are used.
    """
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[columns.index(column)]


def quarter_slug(quarter: str) -> str:
    """Return a quarter label as it goes in file names: ``"2026/27 Q3"`` -> ``"2026-27-Q3"``.

    Parameters
    ----------
    quarter : str
        A quarter written like ``"2026/27 Q3"``.

    Returns
    -------
    str
        The label with ``/`` and the space replaced by hyphens.
    """
    periods.parse_quarter(quarter)
    return quarter.replace("/", "-").replace(" ", "-")


def is_owner_supplied(measure: Mapping[str, object]) -> bool:
    """Whether the owners' return asks for a measure's figures.

    Every measure of the strategy is asked for, restricted ones included (the return
    is not published), except those the OPCC fetches itself from police.uk.

    Parameters
    ----------
    measure : mapping
        A row of ``Dataset.measures``.

    Returns
    -------
    bool
        False when the measure's ``source`` names police.uk.
    """
    return not _FETCHED_SOURCE.search(str(measure.get("source", "")))


def _periods_asked(frequency: str, quarter: str) -> list[tuple[pd.Period, str]]:
    """Return the last month and the words of each period a quarter's return asks for.

    A monthly measure gives three months; a quarterly one the quarter (its row's
    month is the quarter's last); an annual one the financial year, in the fourth
    quarter's return only (its row's month is March).
    """
    months = periods.months_in_quarter(quarter)
    if frequency == "monthly":
        return [(month, month_words(month)) for month in months]
    if frequency == "quarterly":
        return [(months[-1], month_span(months[0], months[-1]))]
    if frequency == "annual" and quarter.endswith("Q4"):
        return [(months[-1], f"the financial year {periods.label_financial_year(months[-1])}")]
    return []


def _period_bounds(last_month: pd.Period, frequency: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of the period of ``frequency`` ending in ``last_month``."""
    first = last_month - (FREQUENCY_MONTHS[frequency] - 1)
    return first.start_time.normalize(), last_month.end_time.normalize()


def list_requested_figures(dataset: Dataset, strategy_id: str, quarter: str) -> pd.DataFrame:
    """List the figures a strategy's return for a quarter asks the owners for.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    quarter : str
        The quarter the figures cover, written like ``"2026/27 Q3"``.

    Returns
    -------
    pandas.DataFrame
        One row per measure and period in catalogue order: ``measure_id``,
        ``measure_name``, ``unit``, ``frequency``, ``month`` (``YYYY-MM``, the period's
        last month), ``covers`` (the period in words), ``period_start``,
        ``period_end``, ``asks_ratio`` (whether a numerator and denominator are asked
        for too: a percentage or rate whose figures have them), ``area``, ``source``
        (as observation rows record it) and ``definition``.
    """
    periods.parse_quarter(quarter)
    measures = dataset.measures_for(strategy_id)
    obs = dataset.observations
    force_area = dataset.primary_area
    rows = []
    for measure in measures.to_dict("records"):
        if not is_owner_supplied(measure):
            continue
        own = obs[obs["measure_id"] == measure["measure_id"]].sort_values("period_start")
        latest = own.iloc[-1] if not own.empty else None
        asks_ratio = measure["unit"] in RATIO_UNITS and bool(own["numerator"].notna().any())
        for last_month, covers in _periods_asked(str(measure["frequency"]), quarter):
            start, end = _period_bounds(last_month, str(measure["frequency"]))
            rows.append(
                {
                    "measure_id": measure["measure_id"],
                    "measure_name": measure["measure_name"],
                    "unit": measure["unit"],
                    "frequency": measure["frequency"],
                    "month": str(last_month),
                    "covers": covers,
                    "period_start": start,
                    "period_end": end,
                    "asks_ratio": asks_ratio,
                    # A measure with no figure yet goes to the force area the data set
                    # declares, whatever the force calls it.
                    "area": latest["area"] if latest is not None else force_area,
                    "source": latest["source"] if latest is not None else measure["source"],
                    "status": latest["status"] if latest is not None else "final",
                    "definition": measure["definition"],
                }
            )
    columns = [
        "measure_id", "measure_name", "unit", "frequency", "month", "covers", "period_start",
        "period_end", "asks_ratio", "area", "source", "status", "definition",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def describe_last_quarter(dataset: Dataset, measure_id: str, quarter: str) -> str:
    """Return a measure's figures for the quarter before, in words, for context.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    measure_id : str
        The measure.
    quarter : str
        The return's quarter; the figures are those of the quarter before it (for an
        annual measure, the financial year before).

    Returns
    -------
    str
        Such as ``"July 2026: 1,234; August 2026: no data; September 2026: 1,250"``, or
        ``"no figures"`` when the data set has none.
    """
    measure = dataset.measures.set_index("measure_id").loc[measure_id]
    unit, frequency = str(measure["unit"]), str(measure["frequency"])
    previous = periods.shift_quarter(quarter, -4 if frequency == "annual" else -1)
    if frequency == "annual":
        previous = previous[:-2] + "Q4"
    wanted = _periods_asked(frequency, previous)
    series = dataset.series(measure_id).set_index("period_end")["value"]
    parts = []
    for last_month, covers in wanted:
        end = last_month.end_time.normalize()
        value = series.get(end)
        if isinstance(value, pd.Series):
            value = value.iloc[-1]
        parts.append(f"{covers[:1].upper()}{covers[1:]}: {format_value(value, unit)}")
    if not parts or all(p.endswith("no data") for p in parts):
        return "no figures"
    return "; ".join(parts)


def digest_layout(identity: Mapping[str, str], cells: Iterable[tuple[str, str, str]]) -> str:
    """Return the checksum of a return's identity and the layout of its sheets.

    Parameters
    ----------
    identity : mapping of str to str
        The identity values (``IDENTITY_KEYS`` without ``layout_sha256``).
    cells : iterable of (sheet, cell, text)
        Every cell of the layout: each sheet's header and the ids, months and sections
        that say which row is which.

    Returns
    -------
    str
        SHA-256 hex digest; the loader recomputes it to tell a return edited out of shape.
    """
    digest = hashlib.sha256()
    for key in IDENTITY_KEYS:
        if key != "layout_sha256":
            digest.update(f"{key}={identity.get(key, '')}\n".encode())
    for sheet, cell, text in cells:
        digest.update(f"{sheet}!{cell}={text}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Deadline:
    """When a quarter's return is due, from the board's forward plan.

    Attributes
    ----------
    due : datetime.date or None
        The last day of the month before the meeting that first reports on the quarter;
        None when the forward plan has no such meeting.
    slot : Slot or None
        That meeting.
    on_agenda : bool
        Whether the strategy itself is on the meeting's agenda (otherwise the return
        feeds the plan overview and the public report).
    wording : str
        One sentence for the instructions sheet.
    """

    due: dt.date | None
    slot: Slot | None
    on_agenda: bool
    wording: str


def find_deadline(
    plan: ForwardPlan | None, strategy_id: str, quarter: str, board: str = "Board"
) -> Deadline:
    """Return when a strategy's return for a quarter is due.

    The quarter is reported at the board meetings whose data period ends with it
    (:func:`pcplib.data.forward_plan.period_end_for_slot`). The strategy's own meeting
    comes first; otherwise the first such meeting, whose plan overview uses every
    strategy's figures. The return is due by the end of the month before it, so the
    OPCC can collate the returns into the reports (seed 002, para 15).

    Parameters
    ----------
    plan : ForwardPlan or None
        The forward plan; None gives no deadline.
    strategy_id : str
        The strategy.
    quarter : str
        The quarter, written like ``"2026/27 Q3"``.
    board : str, default "Board"
        The board's name (the data set's ``board.name``).

    Returns
    -------
    Deadline
        The due date, the meeting and a sentence saying so.
    """
    end = str(periods.quarter_end_month(quarter))
    reporting = [] if plan is None else [s for s in plan.slots if s.period_end == end]
    if not reporting:
        return Deadline(
            None,
            None,
            False,
            "The forward plan has no meeting that reports on this quarter: agree the date "
            "with the OPCC SPOC.",
        )
    own = [s for s in reporting if strategy_id in s.strategies]
    slot = (own or reporting)[0]
    meeting = periods.parse_month(slot.slot)
    due = (meeting - 1).end_time.date()
    where = (
        "when it reviews this strategy"
        if own
        else "for the plan overview and the public report (this strategy is not on its agenda)"
    )
    return Deadline(
        due,
        slot,
        bool(own),
        f"By {date_words(due)}: the {board} of {month_words(meeting)} "
        f"reports on this quarter {where}.",
    )
