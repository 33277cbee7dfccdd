"""A change since the plan began that continues one under way before it, told as such.

The plan's baseline year is tested against the year before it with the test of the change
since the baseline (:func:`pcplib.assessment.changes.weigh_year_before_plan`); a real
change the same way on both sets one flag (``since_baseline_continues``), and every place
that gives the verdict since the plan began words it from that flag: the public sentences,
the measure's sentence, the plan overview and the annual evaluation. The public report's
About page and each public strategy page say what a change since the plan began cannot
show: that the plan caused it.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest

from pcplib import metrics, report
from pcplib.assessment.changes import (
    compare_figures,
    name_continued_change,
    weigh_year_before_plan,
)
from pcplib.assessment.evidence import Evidence
from pcplib.assessment.figures import compute_figures
from pcplib.assessment.measures import regular_frame
from pcplib.assessment.public import write_public_sentence
from pcplib.assessment.sentences import write_measure_sentence
from pcplib.assessment.vocabulary import say_continued_change
from pcplib.periods import month_number
from pcplib.report.annual import describe_year_outcome
from pcplib.report.words import PUBLIC_CAUSE_WORDS

SEP_2026 = month_number("2026-09")
MEASURE = {
    "measure_id": "m", "unit": "count", "good_direction": "lower", "frequency": "monthly",
    "aggregation": "sum", "baseline_year": "2024/25",
}  # fmt: skip


def _rows(by_year: dict[str, float]) -> pd.DataFrame:
    """A monthly count, each financial year (from 2022/23) at one level a month."""
    values: list[float] = []
    for start, level in by_year.items():
        months = 6 if start == "2026" else 12
        values += [level] * months
        assert start in {"2022", "2023", "2024", "2025", "2026"}
    starts = pd.date_range("2022-04-01", periods=len(values), freq="MS")
    return pd.DataFrame(
        {
            "period_start": starts,
            "period_end": starts + pd.offsets.MonthEnd(0),
            "value": values,
            "status": "final",
        }
    )


def _flag(by_year: dict[str, float], measure: dict[str, Any] = MEASURE) -> str:
    rows = _rows(by_year)
    figures = compute_figures(rows, measure, SEP_2026)
    changes = compare_figures(figures, regular_frame(rows, "monthly"), rows, measure)
    return name_continued_change(
        changes.since, changes.since_evidence, changes.before_plan, changes.before_plan_evidence
    )


def test_a_fall_already_real_in_the_baseline_year_is_flagged_as_continuing():
    # Anti-social behaviour's shape: -8% in the year before the plan, the same after.
    falling = {"2022": 2300, "2023": 2130, "2024": 1950, "2025": 1820, "2026": 1790}
    assert _flag(falling) == "fall"
    # A rise, for a measure where lower is good, is a worsening continuing a rise.
    rising = {"2022": 1650, "2023": 1800, "2024": 1990, "2025": 2150, "2026": 2215}
    assert _flag(rising) == "rise"


def test_a_change_that_began_with_the_plan_is_not_flagged():
    # Level before the plan, a fall since: the fall is not said to predate the plan.
    assert _flag({"2022": 2000, "2023": 2000, "2024": 2000, "2025": 1800, "2026": 1780}) == ""
    # A rise before the plan, a fall since: a turn, not a continuation.
    assert _flag({"2022": 1800, "2023": 1800, "2024": 2000, "2025": 1800, "2026": 1780}) == ""
    # A fall before the plan but none since: no verdict since the plan to qualify.
    assert _flag({"2022": 2300, "2023": 2130, "2024": 1950, "2025": 1950, "2026": 1950}) == ""


def test_the_year_before_the_plan_is_weighed_like_the_change_since():
    rows = _rows({"2022": 2300, "2023": 2130, "2024": 1950, "2025": 1820, "2026": 1790})
    figures = compute_figures(rows, MEASURE, SEP_2026)
    change, evidence = weigh_year_before_plan(
        figures.baseline, regular_frame(rows, "monthly"), rows, MEASURE
    )
    assert change is not None
    assert (change.baseline, change.current) == (2130 * 12, 1950 * 12)
    assert (change.direction, change.judgement) == ("down", "improved")
    assert evidence.real and evidence.test in ("exact Poisson", "quasi-Poisson")
    # No baseline year: nothing to weigh.
    assert weigh_year_before_plan(None, regular_frame(rows, "monthly"), rows, MEASURE) == (
        None,
        Evidence("not tested", reason="no baseline year"),
    )


def test_only_real_changes_the_same_way_are_continued():
    real = Evidence("beyond chance", "exact Poisson", 0.001, material=True)
    weak = Evidence("possible change", "exact Poisson", 0.07, material=True)
    fall = metrics.Change(100, 92, -8.0, None, "down", "▼", "improved", "-8.0%")
    rise = metrics.Change(100, 108, 8.0, None, "up", "▲", "deteriorated", "+8.0%")
    assert name_continued_change(fall, real, fall, real) == "fall"
    assert name_continued_change(rise, real, rise, real) == "rise"
    assert name_continued_change(fall, real, fall, weak) == ""
    assert name_continued_change(fall, weak, fall, real) == ""
    assert name_continued_change(fall, real, rise, real) == ""
    assert name_continued_change(fall, real, None, real) == ""


def _achieved_row(**extra: Any) -> dict[str, Any]:
    """Anti-social behaviour in 2026/27 Q2: Green on its fall since the baseline year."""
    row = {
        "measure_name": "Anti-social behaviour incidents", "unit": "count", "current": 6034.0,
        "last_year": 6175.0, "change": "-2.3%", "change_value": -2.3, "direction": "down",
        "judgement": "no evidence of change", "good_direction": "lower",
        "assessment": "improving", "rag": "Green", "rag_basis": "evidence",
        "rag_rule": "tests_improvement", "year_ending_judgement": "no evidence of change",
        "since_baseline_judgement": "improved", "year_ending": 21675.0, "baseline": 23401.0,
        "year_ending_label": "12 months to September 2026",
        "baseline_words": "the plan's baseline year (2024/25)", "spc_variation": None,
        "rag_comparison": "the year ending on the baseline year",
        "since_baseline_change": "-7.4%", "before_plan_change": "-8.3%",
        "comparison_basis": "same quarter last year", "comparison_value": 6175.0,
        "change_evidence": "within noise", "spc_status": "unstable baseline",
        "since_baseline_continues": "fall",
    }  # fmt: skip
    return row | extra


def test_every_sentence_since_the_plan_began_says_the_fall_began_before_it():
    row = _achieved_row()
    assert "A real improvement since the plan began, continuing a fall that began before it: " in (
        write_public_sentence(row)
    )
    assert write_measure_sentence(row).endswith(
        "rated Green for a real fall since the plan's baseline year (-7.4%, beyond chance), "
        "continuing a fall that began before the plan (-8.3% in the baseline year on the year "
        "before, beyond chance)."
    )
    # Without the flag, neither says it.
    plain = _achieved_row(since_baseline_continues="")
    assert "began before" not in write_public_sentence(plain)
    assert "began before" not in write_measure_sentence(plain)
    assert say_continued_change(plain) == ""
    assert say_continued_change({"since_baseline_continues": "rise"}, before="it") == (
        "continuing a rise that began before it"
    )


def test_the_annual_evaluation_says_a_change_continues_one_before_the_plan():
    row = {"outcome": "better", "test": "counts (quasi-Poisson)", "evidence": "beyond chance",
           "direction": "down", "small_numbers": False, "finding": "",
           "since_baseline_continues": "fall"}  # fmt: skip
    assert describe_year_outcome(row) == (
        "Better by more than chance, continuing a fall that began before the plan"
    )
    assert describe_year_outcome(row | {"since_baseline_continues": ""}) == (
        "Better by more than chance"
    )


@pytest.fixture(scope="module")
def public_quarter(sample: Any) -> str:
    return report.format_public_quarter(sample, "2026/27 Q2")


def test_the_public_report_does_not_credit_the_plan_with_anti_social_behaviours_fall(
    public_quarter: str,
) -> None:
    # Anti-social behaviour fell 8.3% in the year before the plan (25,527 to 23,401), as
    # fast as since: "What has been achieved" must not read as the plan's doing.
    items = re.findall(r"<li>(.*?)</li>", public_quarter, re.S)
    asb = [i for i in items if i.startswith("Anti-social behaviour incidents:")]
    assert len(asb) == 1
    assert (
        "A real improvement since the plan began, continuing a fall that began before it"
        in (asb[0])
    )
    achieved = public_quarter.split("<h3>What has been achieved</h3>")[1].split("</ul>")[0]
    assert "Anti-social behaviour incidents:" in achieved


def test_the_public_pages_say_what_a_change_since_the_plan_began_cannot_show(
    sample: Any,
) -> None:
    about = report.format_public_method(sample)
    assert "<h2>What the figures cannot show</h2>" in about
    assert "They do not show that the plan&#x27;s work made a figure better" in about
    header = report.build_header(
        sample, "neighbourhood-crime", "2026-11", "2026-09", audience="public"
    )
    assert "What the figures cannot show" in header
    assert PUBLIC_CAUSE_WORDS.split(".")[0] in header
    # The Board's copy has its own method section, and no residents' caveat in its facts.
    board = report.build_header(sample, "neighbourhood-crime", "2026-11", "2026-09")
    assert "What the figures cannot show" not in board


def test_judgements_csv_carries_the_flag_and_the_test_behind_it(sample: Any) -> None:
    from pcplib.assessment.judgements import tabulate_judgements
    from pcplib.assessment.strategy import summarise_strategy

    summary = summarise_strategy(sample, "neighbourhood-crime", "2026-09")
    rows = tabulate_judgements([summary], "neighbourhood-crime").set_index("measure_id")
    asb = rows.loc["nc-asb-incidents"]
    assert asb["since_baseline_continues"] == "fall"
    assert (asb["before_plan_change_shown"], asb["before_plan_evidence"]) == (
        "-8.3%",
        "beyond chance",
    )
    assert "began before the plan" in asb["sentence"]
    # A measure whose baseline year was no real change on the year before has no flag.
    assert rows.loc["nc-neighbourhood-crime", "since_baseline_continues"] == ""
