"""A public release's contact, next release, revisions policy and chart sources.

The Code of Practice for Statistics expects a public release to name a contact, the
next release and its revisions policy, and each chart its source (review 7, F21). The
contact is the data set's (``dataset.yaml``'s ``statistics_contact``: any force's own),
and the next release the forward plan's: with neither, the line is left out rather than
invented.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.scope import produced_month
from pcplib.data.identity import PlanIdentity
from pcplib.labels import is_missing, month_words
from pcplib.report.html import esc

__all__ = [
    "REVISIONS_POLICY",
    "describe_next_evaluation",
    "format_release_notes",
    "name_sources",
]

REVISIONS_POLICY = "Revisions: only figures listed as provisional may be revised."
"""The one-line revisions policy every public release states."""


def name_sources(sources: Iterable[Any]) -> str:
    """Name the sources of a chart's figures in a short line, each once.

    Parameters
    ----------
    sources : iterable
        The charted measures' ``source`` (``measures.csv``).

    Returns
    -------
    str
        Such as "Police recorded crime; Force HR system", the detail in brackets left
        to the About page; ``""`` with none.
    """
    names: dict[str, None] = {}
    for source in sources:
        if is_missing(source):
            continue
        for part in re.sub(r"\s*\([^)]*\)", "", str(source)).split(";"):
            if part.strip():
                names[part.strip()] = None
    return "; ".join(names)


def describe_next_evaluation(slots: Iterable[Any], year: str) -> str:
    """Say when the next annual evaluation can come, from the forward plan, or why not.

    The next evaluation is of the year after ``year``, and needs that year's figures to
    its March. The forward plan dates meetings, not evaluations: its first meeting whose
    reports bring data to that March is the earliest the figures are reported; with none
    in the plan, the line says that no date is set, rather than invent one (review 7,
    F21; issue 26, F21).

    Parameters
    ----------
    slots : iterable of Slot
        The forward plan's meetings (empty with no plan).
    year : str
        The year evaluated, such as ``"2025/26"``.

    Returns
    -------
    str
        Such as "Next release: the 2026/27 evaluation, once the figures to March 2027
        are in; the forward plan sets no date for it yet."
    """
    from pcplib.data.forward_plan import find_next_release

    start, _ = periods.parse_financial_year(year)
    following = periods.label_financial_year(start + pd.DateOffset(years=1))
    last = periods.months_in_financial_year(following)[-1]
    when = month_words(last)
    meeting = find_next_release(slots, str(last - 1))
    lead = f"Next release: the {following} evaluation, once the figures to {when} are in"
    if meeting is None:
        return f"{lead}; the forward plan sets no date for it yet."
    first = month_words(periods.parse_month(str(meeting.slot)))
    return f"{lead}; the forward plan's first meeting to report them is in {first}."


def format_release_notes(
    identity: PlanIdentity,
    next_release: Any = None,
    produced_at: str | None = None,
    next_words: str = "",
) -> str:
    """Return the release's contact, next release and revisions policy in one paragraph.

    Parameters
    ----------
    identity : PlanIdentity
        The data set's identity (``statistics_contact``, ``statistics_email``,
        ``board_name``).
    next_release : Slot, optional
        The forward plan's first meeting to report later data
        (:func:`~pcplib.data.forward_plan.find_next_release`); None leaves the line out.
    produced_at : str, optional
        When the report is produced (ISO-8601; empty means now). Given, a meeting in a
        month before the production month is never the "next" release.
    next_words : str, optional
        The next release in words, where it is not a meeting's quarter (the annual
        evaluation's: :func:`describe_next_evaluation`); used instead of
        ``next_release``.

    Returns
    -------
    str
        HTML: one short paragraph; the contact and the next release only where known.
    """
    parts = []
    if next_release is not None and produced_at is not None:
        if periods.parse_month(str(next_release.slot)) < produced_month(produced_at):
            next_release = None
    if next_words:
        parts.append(next_words)
    elif next_release is not None:
        quarter = periods.label_quarter(periods.parse_month(str(next_release.period_end)))
        when = month_words(periods.parse_month(str(next_release.slot)))
        parts.append(f"Next release: the {quarter} figures, {when}.")
    parts.append(REVISIONS_POLICY)
    if identity.statistics_contact or identity.statistics_email:
        who = identity.statistics_contact or identity.statistics_email
        email = identity.statistics_email if identity.statistics_contact else ""
        parts.append(f"Contact: {who}{f' ({email})' if email else ''}.")
    return f'<p class="release-notes">{esc(" ".join(parts))}</p>'
