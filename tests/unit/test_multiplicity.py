"""The count of tests a report rests on, and the words that weigh a single "real" change.

Review 10, R10-16: the quarterly and public reports called single test results "real"
with no word on how many comparisons were made (about three a measure, some 160 a
quarter across the public measures), while the annual evaluation said "54 measures were
tested, so about 3 could show a change beyond chance by chance alone".
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import pytest

from pcplib.assessment.multiplicity import ChanceCount, count_chance_comparisons
from pcplib.data import Dataset
from pcplib.report.about import format_public_method
from pcplib.report.public import format_reading_guide
from pcplib.report.words import (
    METHOD_NOTE,
    describe_about,
    describe_chance_count,
    format_method_note,
)


def test_a_comparison_counts_when_a_test_of_chance_was_run_on_it() -> None:
    measures = pd.DataFrame(
        {
            "change_evidence": ["beyond chance", "within noise", "counted change", None],
            "year_ending_evidence": [
                "possible change", "below materiality", "below materiality", "not tested",
            ],
            "since_baseline_evidence": [
                "small numbers", "no change", "open outcomes", "beyond chance",
            ],
            # The third is counted in full: its "below materiality" had no test.
            "administrative": [False, False, True, False],
        }
    )  # fmt: skip
    count = count_chance_comparisons(measures)
    assert count.tested == 6
    assert count.expected == pytest.approx(0.3)
    # The "possible" grade (p < 0.10 but not 0.05) is reached by about one test in twenty
    # more by chance alone: those beyond chance are not counted twice (review 15, R15-2).
    assert count.possible == pytest.approx(0.3)
    # One frame per strategy adds up; no frame, or an empty one, tests nothing.
    assert count_chance_comparisons(measures, measures.iloc[:1]).tested == 9
    assert count_chance_comparisons() == ChanceCount(0, 0.0, 0.0)
    assert count_chance_comparisons(measures.iloc[:0]).tested == 0


def test_the_words_give_the_count_and_what_chance_alone_could_pass() -> None:
    assert describe_about(8.1) == "about 8"
    assert describe_about(8.5) == "about 9"  # half up, as a reader rounds
    assert describe_about(0.6) == "on average 0.6"
    public = describe_chance_count(ChanceCount(162, 8.1, 8.1))
    # Review 15, R15-2: the "possible" grade is a second one in twenty, said as more than
    # those that pass, never as one in ten beside them.
    # Review 16, R16-4: "passes" read as "is fine", and a comparison too small to matter
    # is counted but never called real, so chance gives at most the count times the level.
    assert public == (
        "With nothing changed, up to one check in twenty can look like a real change by "
        "chance alone, and one more in twenty like a possible one: of this quarter's 162, at "
        "most about 8 could look real and 8 more possible, so a change only one comparison "
        "shows is the least sure."
    )
    few = describe_chance_count(ChanceCount(12, 0.6, 0.6))
    assert "of this quarter's 12, at most 0.6 on average could look real and 0.6 more" in few
    technical = describe_chance_count(ChanceCount(12, 0.6, 0.6), "technical")
    # Under 20 tests the count is not "many".
    assert technical.startswith(
        "Tests: this report rests on 12 tests of change at the 5% level, so on average 0.6 "
        "could be beyond chance when nothing changed and on average 0.6 more a possible change "
        "(p < 0.10 but not 0.05)"
    )
    many = describe_chance_count(ChanceCount(20, 1.0, 1.0), "technical")
    assert many.startswith("Many tests: this report rests on 20 tests")
    assert describe_chance_count(ChanceCount(0, 0.0, 0.0)) == ""


def test_the_method_note_carries_the_count_after_the_grades_of_change() -> None:
    note = format_method_note(ChanceCount(170, 8.5, 8.5))
    grades = "(real change, possible change, no evidence of change) are used everywhere. "
    assert f"{grades}Many tests: this report rests on 170 tests of change" in note
    assert "so about 9 could be beyond chance when nothing changed and about 9 more a" in note
    # Without a count the note is the one every report printed before.
    assert format_method_note() == METHOD_NOTE and "Many tests" not in METHOD_NOTE


def test_the_public_report_and_its_about_page_give_the_quarters_count(
    sample: Dataset, repo_root: Path
) -> None:
    from pcplib.assessment.public import summarise_public_quarter

    measures = summarise_public_quarter(sample, "2026/27 Q2").measures
    count = count_chance_comparisons(measures)
    # About three tests a public measure, less those counted in full or not measurable.
    assert len(measures) < count.tested <= 3 * len(measures)
    words = (
        f"of this quarter's {count.tested}, at most about {round(count.expected)} could look "
        f"real and {round(count.possible)} more possible"
    )
    assert words in html.unescape(format_reading_guide(count))
    assert words in html.unescape(format_public_method(sample, count))
    assert "one check in twenty" not in format_reading_guide()
    # Each notebook hands its own measures' count to the words, never a number of its own.
    for name, call in (
        ("public_quarterly", "count_chance_comparisons(public.measures)"),
        ("public_quarterly_about", "format_public_method(dataset, chance)"),
        ("delivery_strategy", "chance=assessment.count_chance_comparisons(summary.measures)"),
        ("plan_overview", "count_chance_comparisons(*(s.measures for s in summaries))"),
    ):
        notebook = json.loads((repo_root / "notebooks" / f"{name}.ipynb").read_text())
        assert call in "".join("".join(c["source"]) for c in notebook["cells"]), name
