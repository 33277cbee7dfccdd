"""The SPC summary: one table, every measure's variation and assurance in words.

For readers who scan rather than read each chart, NHS England's *Making Data Count*
summarises each measure by two icons: **variation** (is anything changing beyond the
normal ups and downs?) and **assurance** (will the target be met if nothing changes?).
This table gives both in words with what each means for the Board, from the verdicts
:mod:`pcplib.assessment.measures` worked out; it decides nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pcplib.assessment.spc_words import (
    ASSURANCE_PHRASES,
    SIGN_TEST_BASIS,
    VARIATION_PHRASES,
    select_sign_phrases,
    select_variation_phrases,
)
from pcplib.labels import is_missing, strip_text
from pcplib.records import list_records
from pcplib.report.html import build_table, esc
from pcplib.report.words import UNCONFIRMED_CONCERN, describe_assurance, describe_variation

__all__ = ["ASSURANCE_MEANINGS", "VARIATION_MEANINGS", "format_spc_summary"]

VARIATION_MEANINGS: dict[str, str] = {c: p.meaning for c, p in VARIATION_PHRASES.items()}
"""What each variation means for the Board, after *Making Data Count*'s icon guide."""

ASSURANCE_MEANINGS: dict[str, str] = {c: p.meaning for c, p in ASSURANCE_PHRASES.items()}
"""What each assurance means for the Board, after *Making Data Count*'s icon guide."""


def _meaning(status: str, code: Any, meanings: dict[str, str]) -> str:
    if status != "assessed" or is_missing(code) or not isinstance(code, str):
        return ""
    return meanings.get(code, "")


def _record_meaning(row: dict[str, Any]) -> str:
    """What an assurance the record settled means: the record, never a forecast.

    The limits straddle the target, so "will be met if nothing changes" would turn the
    record into a forecast the limits do not support (docs/methodology.md; review 9,
    R9-8): "Met every month (18 of 18) since April 2025; its limits do not rule out a
    miss, so this is a record, not a forecast." Limits that straddle the target beside a
    record whose sign test shows the side (``spc_assurance_basis`` "sign test") say
    what the record shows: "Met in only 2 of 26 quarters, less often than chance would
    give: it will not be met reliably without a change." (review 10, R10-15).
    """
    signed = select_sign_phrases(row)
    if signed is not None:
        # Limits that straddle the target, but a record the sign test settles: what the
        # record shows, never "by chance" (review 10, R10-15).
        count = strip_text(row.get("target_record_count"))
        return signed.sign_meaning.format(count=count) if count else ""
    phrases = ASSURANCE_PHRASES.get(str(row.get("spc_assurance")))
    span = strip_text(row.get("target_record_span"))
    if phrases is None or not phrases.record_meaning or not span:
        return ""
    return phrases.record_meaning.format(record=span)


def format_spc_summary(measures: pd.DataFrame, caption: str) -> str:
    """Return the SPC summary table: variation and assurance per measure, in words.

    Parameters
    ----------
    measures : pandas.DataFrame
        A strategy's measures (``summary.measures``): ``measure_name``, ``tier``,
        ``spc_status``, ``spc_variation``, ``spc_assurance`` and ``target``.
    caption : str
        The table's caption.

    Returns
    -------
    str
        HTML: one row per measure (headline first), its variation and assurance each in
        words with what it means; a sentence when there are no measures.
    """
    if measures.empty:
        return "<p>No measures to summarise.</p>"
    order = measures.assign(_t=measures["tier"].map({"headline": 0, "sub": 1}).fillna(2))
    body = []
    for r in list_records(order.sort_values("_t", kind="stable")):
        status = str(r.get("spc_status") or "")
        variation = describe_variation(
            status,
            r.get("spc_variation"),
            str(r.get("rag_rule") or ""),
            r.get("spc_immaterial"),
            r,
        )
        has_target = not is_missing(r.get("target"))
        assurance = describe_assurance(status, r.get("spc_assurance"), has_target, r)
        meaning_v = _meaning(status, r.get("spc_variation"), VARIATION_MEANINGS)
        phrases = select_variation_phrases(r)
        if meaning_v and phrases is not None:
            # A concern in reports to Action Fraud: what it may be, and what to find out
            # before acting, never "find the cause" as if crime had risen (review 20, R20-4).
            meaning_v = phrases.meaning
        if variation == UNCONFIRMED_CONCERN:
            # The chart alone: a question to ask, not a change found (assessment.harm).
            meaning_v = (
                "The chart alone signals a change for the worse that the tests do not "
                "confirm: find out whether something has changed before acting."
            )
        immaterial = r.get("spc_immaterial")
        if isinstance(immaterial, str) and immaterial:
            # A point the chart flags in the period, overruled by the materiality rule:
            # headed as a signal in the caption's words, which say it all (review 10, R10-9).
            meaning_v = ""
        meaning_a = _meaning(status, r.get("spc_assurance"), ASSURANCE_MEANINGS)
        if meaning_a and r.get("spc_assurance_basis") in ("record", SIGN_TEST_BASIS):
            meaning_a = _record_meaning(r) or meaning_a
        tier = " (sub-measure)" if r.get("tier") == "sub" else ""
        body.append(
            [
                esc(f"{r['measure_name']}{tier}"),
                f"<strong>{esc(variation)}</strong>"
                + (f'<br><span class="small">{esc(meaning_v)}</span>' if meaning_v else ""),
                f"<strong>{esc(assurance)}</strong>"
                + (f'<br><span class="small">{esc(meaning_a)}</span>' if meaning_a else ""),
            ]
        )
    return build_table(
        ["Measure", "Variation: is anything changing?", "Assurance: will the target be met?"],
        body,
        caption,
    )
