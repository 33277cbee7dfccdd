"""Projected delivery is one definition that every report repeats (issue 26, findings 1 and 9)."""

from __future__ import annotations

import copy
import re
from dataclasses import fields
from html import unescape
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pcplib import assessment, report
from pcplib.assessment.delivery import DELIVERY_STATES, assess_delivery, classify_commitments
from pcplib.assessment.overview import build_plan_overview
from pcplib.assessment.public import (
    PublicQuarter,
    count_public_groups,
    summarise_public_quarter,
)
from pcplib.assessment.scope import strategy_commitments
from pcplib.assessment.targets import (
    RATING_COLUMNS,
    RATING_RULES,
    Rating,
    TargetForPeriod,
    rate_measure,
    tabulate_rating,
)
from pcplib.data import Dataset
from pcplib.labels import format_figures
from pcplib.report.html import format_rag_html
from pcplib.report.public import format_public_mission, format_public_summary

PERIOD_END = "2026-09"


def frame(rows: list[tuple[str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["status", "due_date"])


def test_classify_commitments_tells_overdue_and_not_yet_due_apart() -> None:
    states = classify_commitments(
        frame(
            [
                ("Complete", "2026-01-31"),  # complete stays complete, even past its date
                ("on track", "2026-09-30"),  # due on the period's last day: overdue
                ("on track", "2026-10-01"),  # due after it: on track
                ("at risk", "2026-06-30"),  # past its date: overdue, not "at risk"
                ("off track", "2027-03-31"),
                ("not started", "2027-03-31"),  # not yet due
                ("not started", None),  # no date: its status stands
            ]
        ),
        PERIOD_END,
    )
    assert list(states) == [
        "complete",
        "overdue",
        "on track",
        "overdue",
        "off track",
        "not yet due",
        "not started",
    ]


def test_classify_commitments_rejects_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="unknown commitment status 'done'"):
        classify_commitments(frame([("done", "2026-01-31")]), PERIOD_END)


def test_assess_delivery_counts_overdue_against_and_leaves_out_not_yet_due() -> None:
    delivery = assess_delivery(
        frame(
            [
                ("complete", "2026-01-31"),
                ("on track", "2026-08-31"),  # overdue: not delivered
                ("on track", "2027-01-31"),
                ("at risk", "2027-01-31"),
                ("not started", "2028-03-31"),  # not yet due: left out
            ]
        ),
        PERIOD_END,
    )
    assert set(delivery.counts) == set(DELIVERY_STATES)
    assert (delivery.total, delivery.counted, delivery.delivered) == (5, 4, 2)
    assert (delivery.overdue, delivery.at_risk, delivery.not_yet_due) == (1, 1, 1)
    assert delivery.percent == pytest.approx(50.0)
    assert delivery.rating == "Amber"
    assert delivery.explanation.startswith("Amber: 2 of 4 commitments (50%)")
    assert "1 overdue" in delivery.explanation
    assert delivery.explanation.endswith(
        "1 commitment is not yet due and not started, so not counted."
    )


def test_assess_delivery_is_grey_with_nothing_to_count() -> None:
    none = assess_delivery(frame([]), PERIOD_END)
    assert (none.rating, none.percent, none.total) == ("Grey", None, 0)
    assert "no commitments are recorded" in none.explanation
    waiting = assess_delivery(frame([("not started", "2028-03-31")]), PERIOD_END)
    assert (waiting.rating, waiting.not_yet_due) == ("Grey", 1)
    assert "no commitment is due or started yet" in waiting.explanation


@pytest.fixture(scope="module")
def module_overview(sample: Dataset) -> pd.DataFrame:
    """The sample's plan overview to September 2026, worked out once per module."""
    return build_plan_overview(sample, PERIOD_END)


@pytest.fixture
def overview(module_overview: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``module_overview``, so no test can change what the next one reads."""
    return module_overview.copy()


@pytest.fixture(scope="module")
def module_public_quarter(sample: Dataset) -> PublicQuarter:
    """The sample's public 2026/27 Q2 (``summarise_public_quarter``), worked out once."""
    return summarise_public_quarter(sample, "2026/27 Q2")


@pytest.fixture
def public_quarter(module_public_quarter: PublicQuarter) -> PublicQuarter:
    """A deep copy of ``module_public_quarter``, so no test can change the next one's."""
    return copy.deepcopy(module_public_quarter)


def test_every_report_gives_a_strategy_one_delivery_figure(
    sample: Dataset, overview: pd.DataFrame
) -> None:
    overview = overview.drop_duplicates("strategy_id")
    html = report.format_plan_overview(overview, "Plan")
    for row in overview.to_dict("records"):
        strategy = row["strategy_id"]
        delivery = assess_delivery(strategy_commitments(sample, strategy), PERIOD_END)
        summary = assessment.summarise_strategy(sample, strategy, PERIOD_END, "public")
        assert summary.delivery == delivery, strategy
        assert (row["delivery_rag"], row["commitments"]) == (delivery.rating, delivery.counted)
        assert row["overdue"] == delivery.overdue
        first_screen = report.format_board_summary(summary, pd.DataFrame(), pd.DataFrame())
        body = report.format_commitments(sample, strategy, PERIOD_END, list_each=False)
        share = f"{delivery.percent:.0f}%"
        # The summary, the body and the overview: the same word and the same share.
        for place in (first_screen, body):
            assert format_rag_html(delivery.rating) in place, strategy
            assert share in place, strategy
        assert f"{format_rag_html(delivery.rating)} {share}" in html
        assert f"of {delivery.counted} commitments counted" in html or delivery.counted == 1


def test_the_public_promise_count_covers_every_commitment_and_says_overdue(
    sample: Dataset, public_quarter: PublicQuarter
) -> None:
    public = public_quarter
    counts = count_public_groups(public)
    assert int(counts["commitments"].sum()) == len(sample.commitments)
    states = classify_commitments(sample.commitments, PERIOD_END)
    overdue = int((states == "overdue").sum())
    late = int((states == "at risk").sum())
    off_track = int((states == "off track").sum())
    assert overdue > 0 and off_track > 0  # the sample holds both, so the test can fail
    assert int(counts["overdue"].sum()) == overdue
    assert int(counts["stuck"].sum()) == late
    assert int(counts["off_track"].sum()) == off_track
    text = unescape(re.sub(r"<[^>]+>", "", format_public_summary(public)))
    assert f"of {len(sample.commitments)} promises have been kept" in text
    # Off track is not folded into "at risk of being late" (review 4, F24).
    assert (
        f"{late} are at risk of being late, {off_track} are not expected on time and "
        f"{overdue} " in text
    )
    assert "overdue" in text


def test_a_public_rolling_figure_says_it_is_a_12_months_one(public_quarter: PublicQuarter) -> None:
    # The survey of public confidence is a rolling 12-month figure; the page promises "a
    # figure is the quarter's unless it says otherwise", so it says so (review 13). The
    # sickness figure's own name says it already, and is not said twice.
    measures = public_quarter.measures.set_index("measure_id")
    confidence = measures.loc["np-confidence", "public_sentence"]
    assert confidence.startswith(
        "55.8% in the 12 months to September 2026, down from 58.3% a year ago."
    )
    sickness = measures.loc["wf-officer-sickness", "public_sentence"]
    assert "12 months to" not in sickness.split(".")[0]
    officers = measures.loc["np-officers", "public_sentence"]
    assert "12 months to" not in officers.split(",")[0]


def test_a_public_mission_section_reads_its_counts_from_the_assessment(
    public_quarter: PublicQuarter,
) -> None:
    # Issue 20, F13: the section formats count_public_groups' row, it never recounts.
    public = public_quarter
    counts = count_public_groups(public)
    mission = str(counts["mission_id"].iloc[0])
    text = unescape(re.sub(r"<[^>]+>", "", format_public_mission(public, mission)))
    row = counts.iloc[0]
    assert f"{row['measures']} measures: {row['achieved']} achieved" in text
    told = counts.copy()
    told.loc[0, ["measures", "achieved", "stuck"]] = [97, 98, 99]
    text = unescape(re.sub(r"<[^>]+>", "", format_public_mission(public, mission, told)))
    assert "97 measures: 98 achieved" in text and "Promises: 99 at risk of being late" in text


def test_the_plan_overview_shows_each_rating_with_its_basis_and_what_it_hides(
    overview: pd.DataFrame,
) -> None:
    html = report.format_plan_overview(overview, "Plan")
    text = unescape(re.sub(r"<[^>]+>", "", html))
    for m in overview[overview["measure_name"] != ""].to_dict("records"):
        basis = report.format_rating_basis(m)
        assert basis, m["measure_name"]
        assert f"{m['measure_name']}: {m['rag']} {basis}" in text
    noted = overview.drop_duplicates("strategy_id")
    noted = noted[noted["rating_note"].astype(bool)]
    assert not noted.empty
    for r in noted.to_dict("records"):
        # A rating on too few headline measures says so between it and its note (F12).
        scope = f"{r['rating_scope']} " if r.get("rating_scope") else ""
        assert f"{r['current_rag']} {scope}{r['rating_note']}" in text


def test_the_overview_shows_each_rating_beside_the_figures_of_its_own_basis(
    overview: pd.DataFrame,
) -> None:
    # Issue 26 finding 10: a rating beside figures of another basis read as a contradiction
    # ("Green" beside "+50.0%"); a change in a percentage is in points, never "pp".
    text = unescape(re.sub(r"<[^>]+>", "", report.format_plan_overview(overview, "Plan")))
    assert " pp" not in text and "percentage points" not in text
    rows = overview[overview["measure_name"] != ""].set_index("measure_name")
    for name, m in rows.iterrows():
        # The trend since the baseline is labelled as such, apart from the rating's basis;
        # a year to date against the same month a year earlier (review 7, F16).
        if "year-to-date" in str(m["baseline_words"]):
            assert f"Against {m['year_before_label']} (a year-to-date figure" in text, name
        else:
            assert f"Against {m['baseline_words']}: " in text, name
        reason = str(m["rag_reason"])
        if m["rag_rule"] == "harm_spc_unconfirmed" and m["rag_comparison"]:
            # A possible rise a test found, beside the chart's concern (review 18, R18-8).
            words = "test of change: a possible rise against the plan's baseline year, and an"
            assert f"{m['rag']} {words} SPC concern this quarter (limits: " in text, name
        elif m["rag_rule"] == "harm_spc_unconfirmed":
            # An SPC concern the tests do not confirm (review 4, F11): Amber, said so.
            words = "SPC: a concern this quarter the tests of change do not confirm (limits: "
            assert f"{m['rag']} {words}" in text, name
        elif "SPC concern" in reason:
            assert f"{m['rag']} SPC: a concern this quarter (limits: " in text, name
        elif "the quarter on the same quarter a year earlier" in reason or reason.startswith(
            "no target"
        ):
            quarter = format_figures([m["quarter"]], str(m["unit"]))[0]
            assert f"({quarter} against " in text, name
    assert (rows["rag_basis"] == "target").any() and (rows["rag_basis"] == "evidence").any()


_QUARTER_TEST = (
    "the quarter on the same quarter a year earlier: quasi-Poisson, p = 0.046 (below 0.05), "
    "dispersion 2.7"
)


def _basis(
    current: float | None,
    target: TargetForPeriod | None = None,
    *,
    good: str = "higher",
    unit: str = "",
    **evidence: Any,
) -> str:
    """The overview's basis of a rating made by the assessment's rule, from its fields."""
    target = target or TargetForPeriod(None, None, "", "", None)
    rating = rate_measure(current, target, good, evidence.pop("variation", None), unit=unit,
                          **evidence)  # fmt: skip
    row = tabulate_rating(rating)
    row.update(
        rag=rating.rag, rag_basis=rating.basis, unit=unit, target_on_year=target.on_year,
        target_baseline_met=target.baseline_met, target_date=target.due,
    )  # fmt: skip
    return report.format_rating_basis(row)


def _flat(value: float, basis: str = "target", **kwargs: Any) -> TargetForPeriod:
    return TargetForPeriod(value, value, basis, kwargs.pop("due", ""), value, **kwargs)


def test_format_rating_basis_gives_the_figures_from_the_rules_fields() -> None:
    assert _basis(10.0, good="lower", worsening="real", worsening_reason=_QUARTER_TEST) == (
        "test of change: rose beyond chance on the same quarter a year earlier"
    )
    assert _basis(368.0, _flat(360.0)) == "target: 368 against 360, met"
    assert _basis(55.8, _flat(60.0)) == "target: 55.8 against 60, missed by 7.0%"
    assert _basis(10.2, _flat(8.72, "trajectory", due="2029-03"), good="higher") == (
        "trajectory: 10.2 against 8.72 expected by now, met"
    )
    assert _basis(5.0, variation="common_cause") == "no target; tests and SPC: no deterioration"
    assert _basis(
        5.0, worsening="real",
        worsening_reason="the year ending on the year before: quasi-binomial, p = 0.025",
    ) == "test of change: fell beyond chance over the year ending"  # fmt: skip
    assert _basis(
        5.0, good="lower", worsening="real",
        worsening_reason="the year ending on the baseline year: quasi-Poisson, p < 0.001",
    ) == "test of change: rose beyond chance against the plan's baseline year"  # fmt: skip
    assert _basis(52.4, _flat(55.0), unit="percent") == (
        "target: 52.4% against 55.0%, missed by 2.6 points"
    )
    # Review 3, #5: a survey's shortfall inside its margin of error is not "missed" on
    # the Board's page while the public page says "may in fact have been met".
    assert _basis(52.4, _flat(55.0), unit="percent", margin=5.1) == (
        "target: 52.4% against 55.0%, 2.6 points short, within the survey's margin of error "
        "(+/- 5.1 points), so not shown to be missed"
    )
    assert _basis(5.0, variation="special_cause_concern") == "SPC: a concern this quarter"
    assert report.format_rating_basis({}) == ""


def test_format_rating_basis_on_course_and_capped_targets() -> None:
    # A dated target the baseline year already met is on course, never "met" before its
    # date; a met target capped by a real deterioration names what capped it.
    on_course = _flat(13_800_000.0, "trajectory", due="2029-03", baseline_met=True)
    assert _basis(12_028_951.0, on_course, good="lower") == (
        "12,028,951 is within the target of 13,800,000; not due until March 2029, "
        "and the baseline year already met it, so it is on course, not yet met"
    )
    assert _basis(368.0, _flat(360.0), variation="special_cause_concern") == (
        "target: 368 against 360, met; capped: SPC: a concern this quarter"
    )
    assert _basis(
        368.0, _flat(360.0), good="higher", worsening="real", worsening_reason=_QUARTER_TEST
    ) == (
        "target: 368 against 360, met; capped: test of change: fell beyond chance on the "
        "same quarter a year earlier"
    )


def test_tabulate_rating_gives_every_basis_field_as_a_column() -> None:
    basis = {f.name for f in fields(Rating)} - {"rag", "basis", "capped", "reason"}
    assert {c.removeprefix("rag_") for c in RATING_COLUMNS} == basis
    rating = rate_measure(52.4, _flat(55.0), "higher", None, unit="percent", margin=5.1)
    assert tabulate_rating(rating) == {
        "rag_rule": "target", "rag_figure": "52.4%", "rag_goal": "55.0%",
        "rag_shortfall": pytest.approx(2.6), "rag_margin": 5.1, "rag_comparison": "",
        "rag_change": "", "rag_cap": "", "rag_chance": None, "rag_close": False,
        "rag_settled": None,
    }  # fmt: skip


def test_every_rating_rule_has_a_basis_in_the_overview() -> None:
    # A rule the assessment adds without a basis here fails, instead of printing its prose.
    made = {
        "trend": _basis(5.0, good="neutral"),
        "no_figure": _basis(None),
        "harm_possible": _basis(5.0, worsening="possible", worsening_reason=_QUARTER_TEST),
        "tests_improvement": _basis(
            5.0, improvement_reason=_QUARTER_TEST.split(":")[0] + " improved beyond chance (x)"
        ),
        "tests_only": _basis(5.0, evidence_known=True),
        "not_rated": _basis(5.0),
        "outcomes_open": report.format_rating_basis({"rag_rule": "outcomes_open"}),
    }
    assert made["tests_improvement"] == (
        "no SPC verdict: tests only, and no target; improved beyond chance on the same "
        "quarter a year earlier"
    )
    assert made["tests_only"] == "no SPC verdict: tests only"
    assert all(made.values()), made
    made["harm_spc_unconfirmed"] = _basis(
        5.0, variation="special_cause_concern", evidence_known=True
    )
    assert made["harm_spc_unconfirmed"].startswith("SPC: a concern this quarter the tests")
    # With a possible rise a test found, the basis the strategy report gives (review 18,
    # R18-8: shoplifting's "a concern ... the tests of change do not confirm").
    since = "the year ending on the baseline year: quasi-Poisson, p = 0.07 (below 0.1)"
    possible = _basis(
        5.0, good="lower", variation="special_cause_concern", evidence_known=True,
        worsening="possible", worsening_reason=since,
    )  # fmt: skip
    assert possible == (
        "test of change: a possible rise against the plan's baseline year, and an SPC "
        "concern this quarter"
    )
    # A figure counted in full met while its record shows it usually missed: a cap on
    # the target rule, whose basis says so (review 14, R14-3).
    made["record_missed"] = _basis(
        361.0, _flat(360.0), counted=True, record=("missed", "met in 4 of 20 months")
    )
    assert made["record_missed"].startswith("target: 361 against 360, met, but not reliably")
    covered = {*made, "target", "harm_test", "harm_spc", "no_deterioration"}
    assert covered == set(RATING_RULES)


@pytest.mark.parametrize(("good", "move"), [("higher", "fall"), ("lower", "rise")])
def test_a_possible_worsening_is_told_the_measures_worse_way(good: str, move: str) -> None:
    # Review 10, R10-14: "a possible rise" was printed for a fall where higher is good.
    basis = _basis(5.0, good=good, worsening="possible", worsening_reason=_QUARTER_TEST)
    assert basis == f"a possible {move}"


def test_next_meetings_are_never_in_the_past_of_the_production_date(
    sample: Dataset, repo_root: Path
) -> None:
    from pcplib.data.forward_plan import load_forward_plan

    plan = load_forward_plan(repo_root / "data" / "forward_plan.yaml")
    months = sorted(str(s.slot) for s in plan.slots if str(s.slot) > PERIOD_END)
    assert len(months) >= 2
    first, second = months[0], months[1]
    before = report.format_next_meetings(sample, plan.slots, after=PERIOD_END)
    produced = f"{second}-15T09:00:00Z"
    after = report.format_next_meetings(sample, plan.slots, after=PERIOD_END, produced_at=produced)
    first_words = pd.Period(first, "M").strftime("%B %Y")
    assert first_words in before
    # Produced after the first meeting's month: that meeting is past, never "next".
    assert first_words not in after
    assert pd.Period(second, "M").strftime("%B %Y") in after


def test_list_measure_events_finds_definition_changes_and_completed_commitments(
    sample: Dataset,
) -> None:
    events = assessment.list_measure_events(sample, sample.measures["measure_id"])
    changed = {m for m, e in events.items() if ("Definition changed" in {t for _, t in e})}
    observations = sample.observations
    expected = {
        m
        for m, rows in observations.groupby("measure_id")
        if (rows["definition"] != "current").any() and (rows["definition"] == "current").any()
    }
    assert changed and changed <= expected
    # A complete commitment marks the charts of the measure it names, and only those,
    # with its own first words (review 5, N2).
    marked = {
        m for m, e in events.items() if any(t.startswith("Commitment complete") for _, t in e)
    }
    done = sample.commitments[sample.commitments["status"] == "complete"]
    assert marked == set(done["measure_id"].dropna()) - {""}
    assert len(marked) >= 3  # the sample links several, so the test can fail
    energy = [t for _, t in events["estate-energy-kwh"]]
    assert "Commitment complete: Complete the solar array at…" in energy
    assert not any(t.startswith("Commitment complete") for _, t in events["res-savings"])
    for found in events.values():
        assert [w for w, _ in found] == sorted(w for w, _ in found)
