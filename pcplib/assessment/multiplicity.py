"""How many changes a report tested, and how many could be beyond chance by chance alone.

Each measure's change is tested on up to three comparisons: the quarter on the same
quarter a year earlier, the latest 12 months on the 12 before, and the latest 12 months
on the plan's baseline year (:func:`~pcplib.assessment.evidence.weigh_change`). Each test
is at the 5% level (:data:`~pcplib.assessment.thresholds.SIGNIFICANCE`), so with many
tests about one in twenty is "beyond chance" when nothing changed (Bland and Altman 1995,
"Multiple significance tests: the Bonferroni method", *BMJ* 310). A quarterly report
makes about three tests a measure, some 150 for the public measures: a reader weighs a
single "real" change against the count, as the annual evaluation already says of its
tests (:func:`~pcplib.assessment.annual.count_chance_findings`).

A comparison counts as tested when a test of chance was run on it, whatever its verdict:
beyond chance, a possible change, within noise, below materiality (the test is run, and
a change too small to matter is never called real) or small numbers. A figure the
organisation counts in full (:func:`~pcplib.assessment.evidence.is_administrative`), a
comparison with no figure, two equal figures and an outcome share with outcomes still
open are not tested, so not counted. The SPC charts are not counted: their rules are not
a test at the 5% level, and the reports say where a chart and a test differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pcplib.assessment.thresholds import SIGNIFICANCE, WEAK_EVIDENCE

__all__ = [
    "EVIDENCE_COLUMNS",
    "MANY_TESTS",
    "TESTED_EVIDENCE",
    "ChanceCount",
    "count_chance_comparisons",
]

MANY_TESTS = 20
"""The count of tests from which a report's method note heads it "Many tests:" (below it,
"Tests:"): at 20 tests at the 5% level one is expected beyond chance by chance alone
(review 14, R14-10: "Many tests: this report rests on 3 tests" read oddly)."""

EVIDENCE_COLUMNS = ("change_evidence", "year_ending_evidence", "since_baseline_evidence")
"""A measure's three tested comparisons, as :func:`summarise_measures` names their evidence."""
TESTED_EVIDENCE = (
    "beyond chance",
    "possible change",
    "within noise",
    "below materiality",
    "small numbers",
)
"""The verdicts a test of chance gives (:data:`~pcplib.assessment.evidence.EVIDENCE`);
"below materiality" counts only for a figure that is not counted in full."""


@dataclass(frozen=True)
class ChanceCount:
    """The comparisons a report tested, and how many could pass by chance alone.

    Attributes
    ----------
    tested : int
        Comparisons tested at the 5% level.
    expected : float
        How many of them would be beyond chance if nothing had changed: ``tested`` times
        :data:`~pcplib.assessment.thresholds.SIGNIFICANCE`.
    possible : float
        How many more would reach the "possible change" grade if nothing had changed:
        ``tested`` times the width of that grade, p from
        :data:`~pcplib.assessment.thresholds.SIGNIFICANCE` up to
        :data:`~pcplib.assessment.thresholds.WEAK_EVIDENCE` (about one in twenty). Those
        beyond chance are not counted again: the reports' grade ("possibly worse", "not
        yet clear enough to be sure") holds only the results short of beyond chance, so
        a reader weighs the printed "possible" results against this number.
    """

    tested: int
    expected: float
    possible: float


def count_chance_comparisons(*measures: pd.DataFrame) -> ChanceCount:
    """Count the comparisons tested for a report's measures, and those chance would pass.

    Parameters
    ----------
    *measures : pandas.DataFrame
        The report's measures, as :func:`~pcplib.assessment.measures.summarise_measures`
        gives them (``change_evidence``, ``year_ending_evidence``,
        ``since_baseline_evidence`` and ``administrative``): only those the report's
        audience sees; one frame per strategy for a report across strategies.

    Returns
    -------
    ChanceCount
        The comparisons tested, the number expected beyond chance by chance alone, and
        the number more expected to look a possible change (not beyond chance).
    """
    tested = 0
    for frame in measures:
        if frame.empty:
            continue
        counted = (
            frame["administrative"].astype("boolean").fillna(False).astype(bool)
            if "administrative" in frame.columns
            else pd.Series(False, index=frame.index)
        )
        for column in EVIDENCE_COLUMNS:
            if column not in frame.columns:
                continue
            verdict = frame[column].fillna("").astype(str)
            # An administrative figure's "below materiality" had no test: its change is
            # told against materiality alone.
            tested += int((verdict.isin(TESTED_EVIDENCE) & ~counted).sum())
    # The possible grade is the band between the two levels: counting all of p < 0.10
    # would count the results beyond chance twice.
    return ChanceCount(tested, tested * SIGNIFICANCE, tested * (WEAK_EVIDENCE - SIGNIFICANCE))
