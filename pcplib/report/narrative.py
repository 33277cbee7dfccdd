"""The owners' narrative for a quarter, escaped.

Restricted content is removed for public audiences.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pcplib import periods

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.change_claims import check_change_claims, describe_flagged_success
from pcplib.assessment.narrative_checks import (
    check_narrative_numbers,
    describe_withheld,
    withhold_contradicted,
)
from pcplib.assessment.scope import (
    check_audience,
    check_strategy,
    find_restricted_mentions,
    restricted_terms,
)
from pcplib.data.schemas import split_measure_list
from pcplib.report.html import bullets, esc
from pcplib.report.returns import OWNERS_RISKS_TITLE
from pcplib.report.words import NARRATIVE_SECTIONS


def narrative_rows(
    dataset: Dataset, strategy_id: str, quarter: str, audience: str
) -> tuple[pd.DataFrame, int]:
    """The narrative rows of a strategy and quarter for an audience, and how many were withheld."""
    narrative = dataset.narrative
    rows = narrative[(narrative["strategy_id"] == strategy_id) & (narrative["quarter"] == quarter)]
    withheld = 0
    if audience == "public":
        terms = restricted_terms(dataset)
        public = _public_measures(dataset)
        named = rows["measures"] if "measures" in rows.columns else pd.Series("", rows.index)
        # By construction: an entry is public only if every measure it says it speaks
        # of is public; the text is still searched, for an entry that names one anyway.
        keep = [
            set(split_measure_list(str(cell))) <= public
            and not find_restricted_mentions(str(text), terms)
            for cell, text in zip(named, rows["text"], strict=True)
        ]
        withheld = len(keep) - sum(keep)
        rows = rows[keep]
    return rows, withheld


def _public_measures(dataset: Dataset) -> set[str]:
    """The ids of the data set's public measures."""
    measures = dataset.measures
    return set(measures.loc[measures["visibility"] == "public", "measure_id"])


def describe_narrative_origin(dataset: Dataset, strategy_id: str, quarter: str) -> str:
    """Say where a strategy's narrative for a quarter came from.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    quarter : str
        The quarter, such as ``"2026/27 Q2"``.

    Returns
    -------
    str
        A sentence: from the owners' quarterly return (naming its file and when it was
        loaded) when the data set's returns log holds one for the strategy and quarter,
        otherwise from the data set's narrative file, saying that no return was loaded,
        so the text is never headed as the owners' submission when it was not.
    """
    log = getattr(dataset, "returns_log", pd.DataFrame())
    if not log.empty and {"strategy_id", "quarter"} <= set(log.columns):
        found = log[(log["strategy_id"] == strategy_id) & (log["quarter"] == quarter)]
        if not found.empty:
            last = found.iloc[-1]
            loaded = str(last.get("loaded_at", "") or "")[:10]
            when = f", loaded on {loaded}" if loaded else ""
            return (
                f"From the owners' quarterly return for {quarter} "
                f"({Path(str(last['file'])).name}{when})."
            )
    return (
        f"From the data set's narrative file (narrative/narrative.csv): no quarterly return "
        f"from the strategy's owners was loaded for {quarter}."
    )


def format_narrative(
    dataset: Dataset,
    strategy_id: str,
    quarter: str,
    audience: str = "board",
    sections: Sequence[str] | None = None,
    heading_level: int = 3,
    checks: pd.DataFrame | None = None,
    verdicts: pd.DataFrame | None = None,
) -> str:
    """Return a strategy's narrative for a quarter: progress, successes, challenges, risks.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    quarter : str
        The quarter, such as ``"2026/27 Q2"``.
    audience : {"board", "public"}, default "board"
        For ``"public"``, any entry naming a restricted measure is withheld (and
        the report says how many).
    sections : sequence of str, optional
        Which sections, in order; all four when omitted.
    heading_level : int, default 3
        The HTML heading level of each section.
    checks : pandas.DataFrame, optional
        The quarter's narrative checks
        (:func:`pcplib.assessment.narrative_checks.check_narrative_numbers`), when the
        caller already has them (the Board report shares them with its data-quality
        notes); computed here when omitted.
    verdicts : pandas.DataFrame, optional
        The report's measure verdicts: a success told of a measure rated Red is noted
        beside it, for every audience
        (:func:`pcplib.assessment.change_claims.describe_flagged_success`).

    Returns
    -------
    str
        HTML: where the narrative came from (:func:`describe_narrative_origin`), for the
        Board any number in it the data set contradicts
        (:func:`pcplib.assessment.narrative_checks.check_narrative_numbers`), then each
        section, a claim of change the report's test calls noise noted beside its entry
        for every audience (:func:`pcplib.assessment.change_claims.check_change_claims`);
        the narrative text is escaped, never interpreted as markup.
    """
    check_audience(audience)
    check_strategy(dataset, strategy_id)
    periods.parse_quarter(quarter)
    rows, withheld = narrative_rows(dataset, strategy_id, quarter, audience)
    wanted = list(sections) if sections is not None else [s for s, _ in NARRATIVE_SECTIONS]
    titles = dict(NARRATIVE_SECTIONS)
    if audience == "public":
        # The register is withheld from the public, the owners' account of the risks is
        # not: its heading says whose it is (review 9, R9-7; review 10, R10-12).
        titles["risks"] = OWNERS_RISKS_TITLE
    if rows.empty and not withheld:
        return f"<p>No narrative was submitted for {esc(quarter)}.</p>"
    parts = [
        f'<p class="narrative-origin"><em>'
        f"{esc(describe_narrative_origin(dataset, strategy_id, quarter))}</em></p>"
    ]
    if checks is None:
        checks = check_narrative_numbers(dataset, strategy_id, quarter, with_commitments=False)
    # The commitments' own claims are shown beside them, in the commitments table.
    checks = checks[checks["source"] == "narrative"]
    contradicted = 0
    if audience == "board" and not checks.empty:
        # Told to the Board as a correction of the owners' text, not printed as fact and
        # not as a to-do note for the analyst (review 7, F18).
        parts.append(
            '<div class="notice"><p><strong>Corrections to the owners\' narrative:</strong> '
            "numbers in it that the data set contradicts.</p>"
            + bullets(
                [
                    f"{str(c).rstrip('.')} ({n})."
                    for c, n in zip(checks["correction"], checks["measure_name"], strict=True)
                ]
            )
            + "</div>"
        )
    elif audience == "public" and not checks.empty:
        # The public never reads an owners' claim the published figures disprove: the
        # sentence is withheld and the report says so (review 7, F1).
        texts = []
        for section, text in zip(rows["section"], rows["text"], strict=True):
            wrong = checks.loc[checks["section"] == section, "sentence"]
            kept, dropped = withhold_contradicted(str(text), wrong)
            contradicted += dropped
            texts.append(kept)
        rows = rows.assign(text=texts)
        rows = rows[rows["text"].astype(str).str.strip() != ""]
    # A claim of change the report's own test calls noise is noted beside the entry, for
    # every audience: "rose" reads as a real change, and the Board and the public must
    # not get two readings of one figure (review 7, F11; review 9, R9-6). The note names
    # no figure the sentence does not, so it discloses nothing restricted; a public
    # report notes only claims about public measures.
    changes = check_change_claims(dataset, strategy_id, quarter)
    if audience == "public":
        changes = changes[changes["measure_id"].isin(_public_measures(dataset))]
    h = f"h{heading_level}"
    for section in wanted:
        texts = list(rows.loc[rows["section"] == section, "text"])
        parts.append(f"<{h}>{esc(titles.get(section, section))}</{h}>")
        entries = rows[rows["section"] == section]
        named = list(entries["measures"]) if "measures" in entries.columns else [""] * len(texts)
        notes = changes[changes["section"] == section]
        # ``verdicts`` of a public report hold only its public measures.
        extra = [describe_flagged_success(section, cell, verdicts) for cell in named]
        if texts and (not notes.empty or any(extra)):
            parts.append(_noted_bullets(texts, notes, extra))
        elif texts:
            parts.append(bullets(texts))
        else:
            parts.append(f"<p>None reported for {esc(quarter)}.</p>")
    if withheld:
        parts.append(
            f"<p>{withheld} entr{'y' if withheld == 1 else 'ies'} about restricted measures "
            "withheld from this public report.</p>"
        )
    if contradicted:
        parts.append(f'<p class="withheld-claims">{esc(describe_withheld(contradicted))}</p>')
    return "".join(parts)


def _noted_bullets(texts: list[str], notes: pd.DataFrame, extra: list[str]) -> str:
    """The section's entries, each followed by the Board's notes on it.

    ``notes`` are the claims of change the report's test calls noise, matched to the
    entry holding their sentence; ``extra`` one further note per entry (a success told
    of a measure rated Red), ``""`` for none.
    """
    items = []
    for text, more in zip(texts, extra, strict=True):
        mine = [
            n for sentence, n in zip(notes["sentence"], notes["note"], strict=True)
            if sentence and sentence in str(text)
        ] + ([more] if more else [])  # fmt: skip
        noted = "".join(
            f'<br><span class="small change-claim"><strong>Note:</strong> {esc(n)}</span>'
            for n in mine
        )
        items.append(f"<li>{esc(text)}{noted}</li>")
    return "<ul>" + "".join(items) + "</ul>"
