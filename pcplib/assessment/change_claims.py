"""Claims of change in the owners' narrative, weighed by the report's own test of change.

"Public confidence in local policing rose from 55.6% in 2026/27 Q1 to 55.8% in 2026/27
Q2" is true to the figures, so the number check
(:mod:`pcplib.assessment.narrative_checks`) passes it, but a Board reads "rose" as a real
change, and on a survey with a margin of several points it is not (review 7, F11). Each
such claim is weighed by the test every report applies to a change
(:func:`~pcplib.assessment.evidence.weigh_change`), and one the test calls noise is noted
beside the sentence in every audience's report (the public's too: one figure, one
reading; review 9, R9-6). The rule is conservative, so it never notes a
claim it has misread:

1. **A claim of change** is a sentence saying a figure rose or fell ("rose", "fell",
   "increased", "decreased", "went up", "went down", "grew", "dropped", "declined",
   "climbed") **from** a number with a period **to** a number with a period, both read as
   the number check reads them ("from 80 in 2026/27 Q1 to 84 in 2026/27 Q2"), the two
   periods of one kind (two months, two quarters or two years), the first before the
   second.
2. **The measure** is the one measure of the strategy the number check would pick for
   the second figure (by the words of its name and its unit); where the entry lists the
   measures it speaks of (``measures`` in the narrative), it must be one of them. A tie,
   or none, is not weighed.
3. **Both figures agree with the data set** (as the number check allows for rounding); a
   wrong figure is the number check's to flag, not this one's.
4. **The test** is the one the reports apply to a change between two windows of the
   measure (counts, rates, proportions with a survey's design, or levels against the
   series' own noise), on the windows the claim names. A change the test finds within
   the series' noise, smaller than the materiality threshold, or made of too few events
   to tell, is noted; a real or possible change (p below 0.10) is not.
5. **Two rolling figures that overlap** (each the last 12 months,
   :func:`~pcplib.assessment.spc_verdict.is_rolling`, ending less than 12 months apart)
   share months, so they are not independent and no test of change applies to them: the
   claim is noted as such, whatever a test would say (review 14, R14-8). Two rolling
   figures 12 or more months apart share none and are tested as in rule 4.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.evidence import Evidence, weigh_change
from pcplib.assessment.figures import Window
from pcplib.assessment.measures import select_rows
from pcplib.assessment.narrative_checks import (
    Claim,
    agrees,
    find_claims,
    match_measures,
    select_narrative,
    split_sentences,
    window_for,
)
from pcplib.assessment.spc_verdict import is_rolling
from pcplib.assessment.thresholds import WEAK_EVIDENCE
from pcplib.data.schemas import split_measure_list
from pcplib.labels import is_missing
from pcplib.periods import month_number
from pcplib.stats import format_p_value

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = [
    "CHANGE_CLAIM_COLUMNS",
    "check_change_claims",
    "describe_change_evidence",
    "describe_flagged_success",
    "describe_overlapping_change",
]

CHANGE_CLAIM_COLUMNS = [
    "strategy_id", "quarter", "section", "measure_id", "measure_name", "sentence", "said",
    "verdict", "test", "p_value", "note",
]  # fmt: skip
"""Columns of :func:`check_change_claims`: one row per claim of change the test calls noise,
or that compares two overlapping rolling figures (``verdict`` :data:`OVERLAPPING`)."""

_VERB = r"rose|fell|increased|decreased|grew|dropped|declined|climbed|went\s+up|went\s+down"
_CHANGE = re.compile(
    rf"\b(?P<verb>{_VERB})\s+from\s+(?P<a>\d[\d,]*(?:\.\d+)?)\b.*?\bto\s+(?P<b>\d[\d,]*(?:\.\d+)?)",
    re.IGNORECASE,
)
# The test's verdicts that say "not a real change" (a real or possible change is not noted).
_NOISE = ("within noise", "below materiality", "small numbers")
OVERLAPPING = "overlapping"
"""The ``verdict`` of a claim between two rolling figures that share months (rule 5)."""
ROLLING_MONTHS = 12
"""The months a rolling figure covers."""


def _kind(claim: Claim) -> str:
    if claim.month is not None:
        return "month"
    return "quarter" if claim.quarter is not None else "year"


def _first_month(claim: Claim) -> int:
    if claim.month is not None:
        return month_number(claim.month)
    if claim.quarter is not None:
        start, _ = periods.parse_quarter(claim.quarter)
    else:
        start, _ = periods.parse_financial_year(str(claim.year))
    return month_number(start.to_period("M"))


def _number_of(said: str) -> str:
    found = re.match(r"[\d,.]+", said)
    return found.group(0) if found else ""


def _pair(sentence: str, claims: list[Claim]) -> tuple[str, Claim, Claim] | None:
    """The verb of a sentence's claim of change and its two figures (the module's rule 1)."""
    found = _CHANGE.search(sentence)
    if found is None:
        return None
    mine = [c for c in claims if c.sentence == sentence]
    before = next((c for c in mine if _number_of(c.said) == found["a"]), None)
    after = next((c for c in mine if _number_of(c.said) == found["b"] and c is not before), None)
    if before is None or after is None or _kind(before) != _kind(after):
        return None
    if _first_month(before) >= _first_month(after):
        return None
    return " ".join(found["verb"].lower().split()), before, after


def describe_change_evidence(said: str, evidence: Evidence) -> str:
    """The note, in every audience's report, on a claim of change its test calls noise.

    Parameters
    ----------
    said : str
        The claim in the report's words ("rose from 55.6% in 2026/27 Q1 to 55.8% in
        2026/27 Q2").
    evidence : Evidence
        The test's verdict on the change (one of the verdicts that is not a change).

    Returns
    -------
    str
        'Within the usual ups and downs: "rose from 80 in 2026/27 Q1 to 84 in 2026/27
        Q2" is not a real change by the report's own test (level z-test, p = 0.476).'
        A change too small to count that the test also finds within noise is told as
        within the usual ups and downs, the plainer of the two.
    """
    test = evidence.test or "the report's test"
    p = evidence.p_value
    shown = "" if p is None else f", {format_p_value(float(p))}"
    noise = p is not None and float(p) >= WEAK_EVIDENCE
    if evidence.verdict == "small numbers":
        lead, why = "Too few to tell", "rests on too few events to tell a change from chance"
    elif evidence.verdict == "below materiality" and not noise:
        lead, why = "Too small to count", "is below the size the report counts as a real change"
    else:
        lead, why = "Within the usual ups and downs", "is not a real change"
    return f'{lead}: "{said}" {why} by the report\'s own test ({test}{shown}).'


def _shared_months(measure: Mapping[str, Any], first: Window, second: Window) -> int:
    """The months two rolling 12-month figures share (0 for any other kind of figure)."""
    if not is_rolling(measure):
        return 0
    return max(0, ROLLING_MONTHS - (second.last - first.last))


def describe_overlapping_change(said: str, shared: int) -> str:
    """The note on a claim of change between two overlapping rolling figures.

    Parameters
    ----------
    said : str
        The claim in the report's words.
    shared : int
        The months the two 12-month figures share (1 to 11).

    Returns
    -------
    str
        'Not a change a test can show: "rose from 55.6% in 2026/27 Q1 to 55.8% in 2026/27
        Q2" compares two 12-month figures that share 9 of their months, so they are not
        independent and no test of change applies.'
    """
    return (
        f'Not a change a test can show: "{said}" compares two 12-month figures that share '
        f"{shared} of their months, so they are not independent and no test of change "
        "applies."
    )


def _entry_rows(dataset: Dataset, entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    catalogue = dataset.measures
    measures = catalogue[catalogue["strategy_id"] == entry["strategy_id"]].to_dict("records")
    names = [str(m["measure_name"]) for m in measures]
    named = set(split_measure_list(str(entry.get("measures") or "")))
    quarter = str(entry["quarter"])
    _, end = periods.parse_quarter(quarter)
    rows = []
    claims = find_claims(str(entry["text"]), quarter, names)
    for sentence in split_sentences(entry["text"]):
        found = _pair(sentence, claims)
        if found is None:
            continue
        verb, before, after = found
        candidates = match_measures(after, measures)
        if named:
            candidates = [m for m in candidates if str(m["measure_id"]) in named]
        if len(candidates) != 1:
            continue  # none, or a tie: which measure is meant is not certain
        m = candidates[0]
        if agrees(dataset, m, before) is not True or agrees(dataset, m, after) is not True:
            continue  # a wrong figure is the number check's to flag
        then, first = window_for(dataset, m, before)
        now, second = window_for(dataset, m, after)
        if first is None or second is None:
            continue
        said = f"{verb} from {before.said} in {then} to {after.said} in {now}"
        # What every row of this claim says, whichever verdict it gets.
        claim = {
            "strategy_id": entry["strategy_id"],
            "quarter": quarter,
            "section": entry["section"],
            "measure_id": m["measure_id"],
            "measure_name": m["measure_name"],
            "sentence": sentence.strip(),
            "said": said,
        }
        shared = _shared_months(m, first, second)
        if shared:
            note = describe_overlapping_change(said, shared)
            rows.append(
                {**claim, "verdict": OVERLAPPING, "test": "", "p_value": None, "note": note}
            )
            continue
        history = select_rows(dataset, m, month_number(end.to_period("M"))).history
        evidence = weigh_change(first, second, history, m)
        if evidence.verdict not in _NOISE:
            continue
        rows.append(
            {
                **claim,
                "verdict": evidence.verdict,
                "test": evidence.test,
                "p_value": evidence.p_value,
                "note": describe_change_evidence(said, evidence),
            }
        )
    return rows


def check_change_claims(
    dataset: Dataset, strategy_id: str | None = None, quarter: str | None = None
) -> pd.DataFrame:
    """List the narrative's claims of change that the report's own test calls noise.

    Also those between two overlapping rolling figures, to which no test applies (rule 5).

    Parameters
    ----------
    dataset : Dataset
        The loaded data set (its ``narrative`` and figures).
    strategy_id : str, optional
        One strategy's narrative; every strategy's when omitted.
    quarter : str, optional
        One quarter's narrative (``"2026/27 Q2"``); every quarter's when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per such claim, columns :data:`CHANGE_CLAIM_COLUMNS`, in the narrative's
        order; ``note`` is the note beside the sentence
        (:func:`describe_change_evidence`). See the module docstring for the rule.
    """
    narrative = getattr(dataset, "narrative", None)
    if narrative is None or narrative.empty:
        return pd.DataFrame(columns=CHANGE_CLAIM_COLUMNS)
    rows: list[dict[str, Any]] = []
    for entry in select_narrative(narrative, strategy_id, quarter).to_dict("records"):
        if is_missing(entry.get("text")):
            continue
        rows += _entry_rows(dataset, entry)
    return pd.DataFrame(rows, columns=CHANGE_CLAIM_COLUMNS)


def describe_flagged_success(section: str, measures: object, verdicts: pd.DataFrame | None) -> str:
    """The note on a success told of a measure the report rates Red or Amber, or ``""``.

    "Body-worn video was recorded in 90.8% of searches in September", under Successes,
    of a measure rated Red for a real deterioration, reads as good news on a measure in
    trouble (review 7, F11). Only an entry that lists the measure it speaks of
    (``measures`` in the narrative) is noted, so no sentence is misread.

    Parameters
    ----------
    section : str
        The entry's section; only ``"successes"`` is noted.
    measures : object
        The entry's ``measures`` cell (measure ids separated by ``;``).
    verdicts : pandas.DataFrame or None
        The report's measure verdicts (``measure_id``, ``measure_name``, ``rag``).

    Returns
    -------
    str
        "Stop and searches recorded on body-worn video is rated Red this quarter (see the
        measures table): this success is not the whole picture." for each such measure,
        or ``""``.
    """
    if section != "successes" or verdicts is None or verdicts.empty or is_missing(measures):
        return ""
    named = set(split_measure_list(str(measures or "")))
    # Amber too: a month under a target the measure is counted as missing, told as a
    # success, reads as the target met (review 10, R10-10).
    flagged = verdicts[verdicts["measure_id"].isin(named) & verdicts["rag"].isin(("Red", "Amber"))]
    return " ".join(
        f"{name} is rated {rag} this quarter (see the measures table): this success is not "
        "the whole picture."
        for name, rag in zip(flagged["measure_name"], flagged["rag"], strict=True)
    )
