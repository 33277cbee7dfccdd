"""The words readers are given (issue 26, presentation): one definition of each rating, a
public report that folds its caveats and keeps its key short.

Every report and key says what Green, Amber, Red and Grey mean in the words of one
function (:func:`pcplib.report.words.describe_rag_meanings`), built from the thresholds
that decide the ratings; the public report's groups are defined once
(:data:`pcplib.report.public.GROUP_MEANINGS`) for its key and its About page.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from pcplib.assessment import thresholds
from pcplib.data import Dataset
from pcplib.report import words
from pcplib.report.about import format_public_method
from pcplib.report.public import (
    GROUP_MEANINGS,
    RECORDED_CRIME_SUMMARY,
    format_public_mission,
    format_reading_guide,
    format_recorded_crime_caveat,
)
from pcplib.report.words import (
    METHOD_NOTE,
    RAG_WORDS,
    describe_rag_meanings,
    format_rag_legend,
    format_rating_method,
)
from pcplib.run.index import RAG_KEY


def test_each_rating_word_has_one_meaning_for_each_audience() -> None:
    for audience in ("public", "technical"):
        meanings = describe_rag_meanings(audience)
        assert tuple(meanings) == RAG_WORDS
        assert all(m and not m.endswith(".") and m[0].islower() for m in meanings.values())
    with pytest.raises(ValueError, match="audience 'board'"):
        describe_rag_meanings("board")


def test_the_meanings_come_from_the_thresholds_that_decide_the_rating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tolerance = f"{thresholds.RAG_TOLERANCE * 100:g}%"
    assert f"no more than {tolerance} of it" in describe_rag_meanings("public")["Amber"]
    technical = describe_rag_meanings("technical")
    assert f"up to {tolerance}" in technical["Amber"]
    assert f"p < {thresholds.WEAK_EVIDENCE:g}" in technical["Amber"]
    assert f"p < {thresholds.SIGNIFICANCE:g}" in technical["Red"]
    # A different tolerance changes the words: they are not written out a second time.
    monkeypatch.setattr(words, "RAG_TOLERANCE", 0.1)
    assert "no more than 10% of it" in describe_rag_meanings("public")["Amber"]


def test_each_printed_rating_rule_is_the_rule_the_code_applies() -> None:
    # The key and the method notes once said an SPC concern was Red, that only a survey
    # could be too close to its target, and that an improvement needed an "exact" test;
    # the code rates an unconfirmed run Amber, gives every figure an allowance for chance
    # and accepts quasi-Poisson, Laney and quasi-binomial tests. Each rule, as the code
    # applies it, beside the words the reports print for it.
    from pcplib.assessment.chance import TargetChance
    from pcplib.assessment.targets import TargetForPeriod, rate_measure

    technical, public = describe_rag_meanings("technical"), describe_rag_meanings("public")
    flat = TargetForPeriod(90.0, 30.0, "target", "", 30.0)
    noise = TargetChance(18.0, "Poisson")
    # Met by less than chance allows: Green ("also when met by less than chance allows").
    assert rate_measure(84.0, flat, "lower", "common_cause", chance=noise).rag == "Green"
    assert "also when met by less than chance allows" in technical["Green"]
    assert "even if only just" in public["Green"]
    # Short by less than chance allows, any kind of figure: Amber, not only a survey.
    assert rate_measure(96.0, flat, "lower", "common_cause", chance=noise).rag == "Amber"
    assert "a figure short of its target by less than chance allows" in technical["Amber"]
    assert "by too little to tell from the usual ups and downs" in public["Amber"]
    assert "survey figure too close" not in public["Amber"]
    # An administrative figure has no allowance for chance, but its record is read: met
    # while the record shows it usually missed is Amber, met but not reliably (R14-3).
    hours = TargetForPeriod(360.0, 360.0, "target", "", 360.0)
    assert rate_measure(361.0, hours, "higher", "common_cause", counted=True).rag == "Green"
    usually_missed = ("missed", "it was met in 4 of 20 months")
    assert rate_measure(361.0, hours, "higher", "common_cause", counted=True,
                        record=usually_missed).rag == "Amber"  # fmt: skip
    assert "has no allowance for chance" in technical["Green"]
    assert "is met exactly" not in technical["Green"]
    assert "(met, but not reliably)" in technical["Amber"]
    assert "a target met this time but missed most of the time before" in public["Amber"]
    # Which record shows the process's side (review 10, R10-5 and R10-6).
    # Where the record starts after a shift, and what that does to its test (R14-7).
    assert (
        "the record counts from the latest shift on the chart, starting at the first point "
        "of the run that signalled it, so its sign test is then approximate, once a year for "
        "a rolling figure, and never the waves of a panel survey"
    ) in technical["Green"]
    # No target: an SPC concern from runs the tests do not confirm is Amber; a point
    # beyond the limits is Red.
    none = TargetForPeriod(None, None, "", "", None)
    runs = rate_measure(500.0, none, "lower", "special_cause_concern", evidence_known=True)
    beyond = rate_measure(500.0, none, "lower", "special_cause_concern", evidence_known=True,
                          beyond_limits=True)  # fmt: skip
    assert (runs.rag, beyond.rag) == ("Amber", "Red")
    assert (
        "an SPC concern from runs or trends alone that the tests of change do not confirm"
        in (technical["Amber"])
    )
    assert "an SPC concern in the period with a point beyond the limits" in technical["Red"]
    # Counts are tested with an over-dispersion-aware test, never called "exact" alone.
    for text in (METHOD_NOTE, *technical.values()):
        assert "an exact test" not in text and "on an exact" not in text
    assert "quasi-Poisson" in METHOD_NOTE and "whichever p is larger" in METHOD_NOTE


def test_every_key_quotes_the_one_definition_of_amber(sample: Dataset) -> None:
    public = describe_rag_meanings("public")
    technical = format_rag_legend("technical")
    assert dict(RAG_KEY) == public  # the index's key
    assert technical in METHOD_NOTE  # the Board's method note
    assert html.escape(technical, quote=False) in format_rating_method()
    legend = html.escape(format_rag_legend("public"), quote=False)
    assert legend in format_reading_guide()  # the public report's key
    assert legend in format_public_method(sample)  # its About page
    # No other wording of Amber is left in the reports' fixed text.
    for text in (METHOD_NOTE, format_reading_guide(), format_public_method(sample)):
        assert text.count("Amber means") + text.count("Amber:") <= 1
        assert "narrowly missed, or recovering" not in text


def test_the_method_notes_say_a_change_in_per_cent_is_from_unrounded_figures(
    sample: Dataset,
) -> None:
    # "0.497 against 0.498, down 0.3%": the per cent is the unrounded figures', so a
    # reader's sum on the printed ones can be a digit out; the strategy reports' method
    # note and the public About page say so (review 13). The public report itself, at its
    # height limit, leaves it to its About page.
    assert (
        "A change in per cent is worked out from the unrounded figures, so it may differ in "
        "the last digit from one worked out from the rounded figures shown." in METHOD_NOTE
    )
    about = format_public_method(sample)
    assert "We work out a change in per cent from the figures before they are rounded" in about
    assert "worked out from the unrounded" not in format_reading_guide()


def test_the_strategy_notebook_quotes_the_one_definition(repo_root: Path) -> None:
    notebook = json.loads((repo_root / "notebooks" / "delivery_strategy.ipynb").read_text())
    text = "".join("".join(c["source"]) for c in notebook["cells"])
    assert "report.format_rating_method()" in text
    assert "Amber missed by up to" not in text  # no second wording in the notebook
    public = json.loads((repo_root / "notebooks" / "public_quarterly.ipynb").read_text())
    public_text = "".join("".join(c["source"]) for c in public["cells"])
    assert "report.format_reading_guide(" in public_text
    assert "**achieved**" not in public_text


def test_the_reading_guide_defines_each_group_once_as_the_about_page_does(
    sample: Dataset,
) -> None:
    guide = format_reading_guide()
    about = format_public_method(sample)
    for group, meaning in GROUP_MEANINGS.items():
        assert f"<dt>{group.capitalize()}</dt><dd>{html.escape(meaning, quote=False)}.</dd>" in (
            guide.replace("&#x27;", "'")
        )
        assert html.escape(f"{group.capitalize()}: {meaning}.", quote=False) in about
    # The colours are folded under a line that says what they are.
    assert "<details><summary>What the colours of the strategies' ratings mean</summary>" in (
        guide.replace("&#x27;", "'")
    )


def test_the_recorded_crime_caveat_is_folded_under_a_line_that_says_why() -> None:
    caveat = format_recorded_crime_caveat(["Homicides"])
    assert caveat.startswith(f'<details class="caveat"><summary>{RECORDED_CRIME_SUMMARY}')
    assert "a rise is not always more crime" in RECORDED_CRIME_SUMMARY
    assert "This figure is crimes recorded by the police: Homicides." in caveat
    assert caveat.endswith("</details>")


def test_a_mission_reads_chart_achieved_attention_then_the_rest(sample: Dataset) -> None:
    from pcplib.assessment.public import summarise_public_quarter

    public = summarise_public_quarter(sample, "2026/27 Q2")
    mission = str(public.measures["mission_id"].iloc[0])
    section = format_public_mission(public, mission)
    body = section[section.index('<div class="mission-body">') :]
    order = ["<figure", "What has been achieved", "What still needs attention", "Steady: "]
    places = [body.index(words) for words in order]
    assert places == sorted(places)
    assert '<details class="caveat">' in body
    assert body.index('<details class="caveat">') < body.index('<details class="steady">')
    # The steady measures are folded under a line that counts them.
    assert re.search(r'<details class="steady"><summary>Steady: \d+ measures? with no', body)


BOARD_JARGON = (
    "XmR", "special cause", "special_cause", "common cause", "common_cause", " pp", "p =",
    "p <", "quasi", "z-test", "Laney", "Poisson", "binomial", "rule:", "mdc",
    "Making Data Count", "plotthedots", "Western Electric", "dispersion",
)  # fmt: skip
"""Words the Board's "Why" never uses: the statistics stay in judgements.csv's rag_reason."""


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"rag": "Red", "rag_basis": "target", "current": 55.8, "target_for_period": 60.0,
          "unit": "percent"}, "target missed (55.8% against 60.0%)"),
        ({"rag": "Green", "rag_basis": "target", "current": 368, "target_for_period": 360,
          "unit": "count"}, "target met (368 against 360)"),
        ({"rag": "Amber", "rag_basis": "target", "rag_capped": True, "current": 368,
          "target_for_period": 360, "unit": "count"},
         "target met (368 against 360), but it got worse by more than chance"),
        ({"rag": "Green", "rag_basis": "trajectory", "current": 10.2,
          "target_for_period": 8.7, "unit": "percent"},
         "on track for its trajectory (10.2% against 8.7% expected by now)"),
        ({"rag": "Red", "rag_basis": "evidence"},
         "no target, and it got worse by more than chance"),
        ({"rag": "Amber", "rag_basis": "evidence"},
         "no target, and it may be getting worse: the evidence is not yet clear"),
        ({"rag": "Grey", "rag_basis": "none", "good_direction": "neutral"},
         "not rated: no right way for it to go, so reported as a trend"),
        ({"rag": "Grey", "rag_basis": "none", "has_data": False},
         "not rated: no figure for the period"),
    ],
)  # fmt: skip
def test_the_boards_why_says_the_verdict_in_plain_words(row, expected) -> None:
    from pcplib.assessment.exceptions import describe_rating_plainly

    why = describe_rating_plainly(row)
    assert why == expected
    assert not [w for w in BOARD_JARGON if w in why]


def test_the_since_last_meeting_why_column_uses_no_jargon(sample: Dataset) -> None:
    from pcplib.assessment.continuity import compare_with_previous_meeting, find_previous_meeting
    from pcplib.assessment.strategy import summarise_strategy
    from pcplib.data.forward_plan import find_forward_plan

    plan = find_forward_plan(sample.root, "")
    whys = []
    # The rating changes the sample shows at its November 2026 meeting (recomputed).
    for strategy in ("neighbourhood-policing", "neighbourhood-crime"):
        summary = summarise_strategy(sample, strategy, "2026-09")
        previous = find_previous_meeting(strategy, "2026-11", plan)
        continuity = compare_with_previous_meeting(sample, summary, previous)
        whys += [str(r) for r in continuity.changes["reason"]]
    assert whys, "the sample's meetings show no change to check"
    found = {w: [y for y in whys if w in y] for w in BOARD_JARGON}
    assert not any(found.values()), {w: ys[:2] for w, ys in found.items() if ys}


def test_a_trajectory_names_its_target_month_in_words() -> None:
    # Review 1, B5: "on the line to 2029-03" beside "August 2023 to March 2025".
    from pcplib.report.measures import _target_cell

    row = {"unit": "percent", "rate_per": "", "target": 8.7, "target_basis": "trajectory",
           "target_date": "2029-03", "target_per_period": None, "target_note": "",
           "frequency": "monthly"}  # fmt: skip
    cell = _target_cell(row)
    assert "on the line to March 2029" in cell and "2029-03" not in cell


def test_the_public_charts_bars_show_the_change_not_the_verdict() -> None:
    # Review 1, B3: a red bar for a fall read as "this fall is bad" when the Red rested on
    # a target or a longer comparison; the group is the word under the name instead.
    import pandas as pd
    from matplotlib.colors import to_hex

    from pcplib.report.change_charts import BAR_COLOUR, GROUP_COLOURS, plot_changes

    rows = pd.DataFrame(
        [
            {"measure_name": "Rural offences", "unit": "count", "change_value": -2.7,
             "group": "needs attention"},
            {"measure_name": "Burglary", "unit": "count", "change_value": -7.9,
             "group": "achieved"},
            {"measure_name": "Confidence", "unit": "percent", "change_value": 1.2,
             "group": "needs attention"},
        ]
    )  # fmt: skip
    fig = plot_changes(rows, "Change")
    bars = {to_hex(p.get_facecolor()) for ax in fig.axes for p in ax.patches}
    assert bars == {BAR_COLOUR}
    labels = {to_hex(t.get_color()) for ax in fig.axes for t in ax.get_yticklabels()}
    assert labels == {GROUP_COLOURS["needs attention"], GROUP_COLOURS["achieved"]}


def test_needs_attention_covers_a_possible_worsening() -> None:
    # Review 1, B2: "Possibly worse" measures are listed under "needs attention".
    assert "possibly" in GROUP_MEANINGS["needs attention"]
    assert "on course for a later one" in GROUP_MEANINGS["achieved"]


def test_a_public_strategy_report_says_it_is_the_boards_report_with_restrictions_removed(
    sample: Dataset,
) -> None:
    # Review 1, B7: the public copy of a strategy report speaks the Board's language; it
    # says so, and its risk note no longer contradicts the owners' narrative on risks.
    from pcplib.report.headers import build_header
    from pcplib.report.returns import format_risks

    public = build_header(sample, "neighbourhood-policing", "2026-11", "2026-09", audience="public")
    assert "report, in its terms, with restricted measures, the risk register and the" in (
        public.replace("&#x27;", "'")
    )
    board = build_header(sample, "neighbourhood-policing", "2026-11", "2026-09")
    assert "restricted measures, the risk register" not in board
    note = format_risks(sample, "neighbourhood-policing", "2026/27 Q2", "public")
    assert "The risk register (each risk's scores, mitigation and owner) is reported" in note
    assert "Risks to delivery are" not in note


def test_a_public_strategy_report_says_the_owners_words_on_risks_are_published(
    sample: Dataset, repo_root: Path
) -> None:
    # Review 9, R9-7: "Risks are for the Board only and are not published" stood above
    # the owners' published narrative "Risks to delivery". The register is the Board's;
    # the owners' words are published as theirs, and the report says so.
    from pcplib.report.returns import format_risks

    note = html.unescape(format_risks(sample, "neighbourhood-policing", "2026/27 Q2", "public"))
    assert "The risk register (each risk's scores, mitigation and owner) is reported" in note
    assert "Risks are" not in note
    assert (
        "the owners' own account of the risks is published as theirs, under \"Risks to "
        "delivery, in the owners' own words\" in their narrative below."
    ) in note
    board = html.unescape(format_risks(sample, "neighbourhood-policing", "2026/27 Q2", "board"))
    assert (
        "The register is for the Board only and is not published; the owners' own words on "
        'risks, under "Risks to delivery" in their narrative below, are published as theirs.'
    ) in board


def test_a_public_strategy_report_prints_only_the_withheld_line_for_risks_and_actions(
    sample: Dataset, repo_root: Path
) -> None:
    # Review 10, R10-12: the public report described the risk table ("Likelihood and
    # impact are each scored ...") and the action log ("An action neither done nor
    # dropped ...") and then said neither was published. The words for each audience
    # come from pcplib, so the public one prints only the line that withholds them.
    from pcplib.report.narrative import format_narrative
    from pcplib.report.returns import format_actions, format_risks

    strategy, quarter = "neighbourhood-policing", "2026/27 Q2"
    risks = {
        a: html.unescape(format_risks(sample, strategy, quarter, a)) for a in ("board", "public")
    }
    actions = {
        a: html.unescape(format_actions(sample, strategy, a, "2026-09", "2026-11"))
        for a in ("board", "public")
    }
    assert "Likelihood and impact are each scored" in risks["board"]
    assert "neither done nor dropped" in actions["board"]
    assert "Likelihood and impact" not in risks["public"]
    assert "highest score first" not in risks["public"]
    assert "neither done nor dropped" not in actions["public"]
    assert "latest meeting first" not in actions["public"]
    assert actions["public"] == (
        "<p>Actions agreed by the Board are reported to the Corporate Governance Board only "
        "and not published.</p>"
    )
    # The owners' narrative on risks stays, headed as their own account.
    public = html.unescape(format_narrative(sample, strategy, quarter, "public"))
    board = html.unescape(format_narrative(sample, strategy, quarter, "board"))
    assert "<h3>Risks to delivery, in the owners' own words</h3>" in public
    assert "<h3>Risks to delivery</h3>" in board
    notebook = json.loads((repo_root / "notebooks" / "delivery_strategy.ipynb").read_text())
    text = " ".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert "Risks are for the Board only" not in text
    assert "Likelihood and impact" not in text and "neither done nor dropped" not in text


def test_a_commitment_on_a_restricted_measures_subject_stays_public_without_the_measure(
    sample: Dataset,
) -> None:
    # Review 9, R9-7, the OPCC's decision: commitments come from the published plan, so
    # "Limit abstractions of neighbourhood officers" is public; no restricted measure's
    # name or figure is, even where the commitment is tied to one.
    import dataclasses

    from pcplib.assessment import summarise_strategy
    from pcplib.assessment.scope import find_restricted_mentions, restricted_terms
    from pcplib.report.commitments import format_commitments

    commitments = sample.commitments.copy()
    tied = commitments["commitment"].str.startswith("Limit abstractions")
    assert tied.sum() == 1
    commitments.loc[tied, "measure_id"] = "np-abstraction-hours"
    data = dataclasses.replace(sample, commitments=commitments)
    verdicts = summarise_strategy(data, "neighbourhood-policing", "2026-09", "public").measures
    page = format_commitments(
        data, "neighbourhood-policing", "2026-09", audience="public", verdicts=verdicts
    )
    assert "Limit abstractions of neighbourhood officers to response duties" in page
    assert find_restricted_mentions(page, restricted_terms(data)) == []
    board = summarise_strategy(data, "neighbourhood-policing", "2026-09", "board").measures
    hours = board.loc[board["measure_id"] == "np-abstraction-hours", "current"].iloc[0]
    assert f"{hours:,.0f}" not in html.unescape(page)


def test_method_texts_quote_the_thresholds_in_force(monkeypatch) -> None:
    import importlib

    from pcplib.assessment import thresholds
    from pcplib.report import words

    assert "p < 0.05" in words.METHOD_NOTE and "(2%, or 1 percentage point)" in words.METHOD_NOTE
    assert "90% or more Green, 75% Amber/Green" in words.METHOD_NOTE
    assert "under 25% Red." in words.METHOD_NOTE
    # A changed threshold changes what readers are told.
    monkeypatch.setattr(thresholds, "SIGNIFICANCE", 0.01)
    monkeypatch.setattr(thresholds, "MATERIAL_CHANGE_PP", 2.0)
    changed = importlib.reload(words)
    try:
        assert "p < 0.01" in changed.ANNUAL_TESTS_NOTE
        assert "2 percentage points" in changed.ANNUAL_TESTS_NOTE
    finally:
        monkeypatch.undo()
        importlib.reload(words)


SUMMARY_JARGON = ("SPC", "special cause", "XmR", "p =", "p <", " pp", "quasi", "Poisson")
"""Terms a public strategy report's first screen never uses (tests/e2e/test_plain_words.py
holds the full list for the public pages)."""


def test_a_public_strategy_reports_summary_is_in_plain_words(sample: Dataset) -> None:
    # Issue 26 (note 4): the public version of a strategy report opened with "an SPC
    # signal of concern" and "no SPC verdict (...), tests only". Every strategy of the
    # sample, its rating line, needs attention and what improved, in the public's words.
    from pcplib.assessment.exceptions import list_exceptions, list_improvements
    from pcplib.assessment.strategy import summarise_strategy

    told = {"board": [], "public": []}
    for strategy in sample.strategies["strategy_id"]:
        for audience in ("board", "public"):
            summary = summarise_strategy(sample, strategy, "2026-09", audience)
            reasons = [
                *list_exceptions(sample, summary, audience)["reason"],
                *list_improvements(summary)["reason"],
            ]
            told[audience] += [summary.overall_explanation, *reasons]
    public = " ".join(told["public"])
    assert not [word for word in SUMMARY_JARGON if word in public]
    # The Board keeps its terms: the public words are the public's only.
    assert "SPC" in " ".join(told["board"])
    assert "by more than chance" in public


def test_the_about_page_glosses_the_usual_level_without_a_chart(sample: Dataset) -> None:
    # The public sentences say "its usual level of ..." (review 4, F20); the residents'
    # part of the About page says the same and never sends them to a chart they lack.
    about = format_public_method(sample)
    residents = about.split("technical annex", 1)[0]
    assert "its usual level over a settled stretch of earlier months" in about
    assert "reference period" not in residents


def test_a_real_rise_in_reports_to_action_fraud_is_not_called_a_worsening() -> None:
    # Reports to Action Fraud depend on reporting even more than recorded crime does
    # (assessment.caveats), so a real rise is one in reports (review 9, R9-18).
    from pcplib.assessment.public import _basis_words

    row = {
        "source": "Action Fraud (National Fraud Intelligence Bureau)",
        "unit": "count",
        "good_direction": "lower",
        "judgement": "no evidence of change",
        "year_ending_judgement": "no evidence of change",
        "since_baseline_judgement": "deteriorated",
        "current_year": 779.0,
        "baseline": 686.0,
        "administrative": "no",
    }
    words, basis = _basis_words(row, better=False)
    assert basis == "since"
    assert words.startswith("A real rise in reports since the plan began")
    assert "more reporting as well as more crime" in words and "worsening" not in words
    recorded = {**row, "source": "Police recorded crime"}
    assert _basis_words(recorded, better=False)[0].startswith("A real worsening since")


def test_a_red_rise_in_reports_to_action_fraud_reads_the_same_on_every_page(
    sample: Dataset,
) -> None:
    # Review 12, R12-1: the public plan overview said "Cyber crime reports from
    # organisations (sub-measure) is Red" beside a key where Red is "things really getting
    # worse", while the public report said the rise "may be more reporting as well as
    # more crime". One flag (caveats.is_rise_in_reports) words it on every page.
    from pcplib.assessment.public import summarise_public_quarter
    from pcplib.assessment.strategy import note_hidden_by_rating, summarise_strategy

    rise = "is Red: more reports, which may be more reporting;"
    notes = {
        audience: summarise_strategy(sample, "business-crime", "2026-09", audience).rating_note
        for audience in ("board", "public")
    }
    # The Board's view, the CGB report and both plan overviews carry the one note.
    assert notes["board"] == notes["public"]
    assert f"Cyber crime reports from organisations (sub-measure) {rise}" in notes["public"]
    assert "Robbery of business property (sub-measure) is Red;" in notes["public"]
    sentence = (
        summarise_public_quarter(sample, "2026/27 Q2")
        .measures.set_index("measure_id")
        .loc["bc-business-cyber", "public_sentence"]
    )
    assert "A real rise in reports since the plan began" in sentence
    assert "which may be more reporting as well as more crime" in sentence
    # The keys that say what Red and "needs attention" mean cover it.
    for meaning in (
        describe_rag_meanings("public")["Red"],
        describe_rag_meanings("technical")["Red"],
    ):
        assert "Action Fraud, more reports, which may be more reporting)" in meaning
    assert "or had more reports, which may be more reporting" in (GROUP_MEANINGS["needs attention"])
    # Only a rise with no target: a missed target, or recorded crime, is Red as before.
    red = pd.DataFrame(
        [
            {"measure_name": "Reports", "tier": "sub", "rag": "Red", "rag_basis": "evidence",
             "source": "Action Fraud", "good_direction": "lower"},
            {"measure_name": "Reports against target", "tier": "sub", "rag": "Red",
             "rag_basis": "target", "source": "Action Fraud", "good_direction": "lower"},
            {"measure_name": "Robbery", "tier": "sub", "rag": "Red", "rag_basis": "evidence",
             "source": "Police recorded crime", "good_direction": "lower"},
        ]
    )  # fmt: skip
    commitments = pd.DataFrame({"status": ["on track"], "due_date": ["2027-03-31"]})
    assert note_hidden_by_rating("Amber", red, commitments, "2026-09") == (
        "But: Reports (sub-measure) is Red: more reports, which may be more reporting; "
        "Reports against target (sub-measure) is Red; Robbery (sub-measure) is Red."
    )


def test_the_printed_methods_say_figures_counted_in_full_are_not_tested() -> None:
    # The tables call a counted-in-full change "improved" with no test (#26, F4/N7): the
    # printed method and the annual's annex say so (review 10, R10-18).
    from pcplib.report.words import ANNUAL_TESTS_NOTE, METHOD_NOTE

    assert "counts in full itself (opening hours, officers in post, money in its" in METHOD_NOTE
    assert "is not tested: a material change in it is called improved" in METHOD_NOTE
    assert "(headcounts, opening hours, money in its accounts) are not tested" in (
        ANNUAL_TESTS_NOTE
    )
    assert "count every member, so they are not tested as samples" not in ANNUAL_TESTS_NOTE


def test_the_revisions_policy_names_only_the_provisional_figures() -> None:
    # Most figures are final, and an annual evaluation of a closed year has none
    # provisional: the policy never says every figure is (review 10, R10-17).
    from pcplib.report.release import REVISIONS_POLICY

    assert "figures are provisional" not in REVISIONS_POLICY
    assert "only figures listed as provisional may be revised" in REVISIONS_POLICY


def test_the_public_key_and_roll_up_words_match_what_is_listed() -> None:
    # "Needs attention" holds a run the comparisons do not confirm (watched, R9-11): the
    # key says so, never only "got worse" (review 11, R11-4). A lone Amber stands, as in
    # the code and the Board's words (R10-1): the public words say so too (R11-2).
    from pcplib.report.public import GROUP_MEANINGS
    from pcplib.report.words import describe_roll_up

    assert "lately ran worse than usual" in GROUP_MEANINGS["needs attention"]
    assert describe_roll_up("public").endswith("unless one is Amber or Red.")
    assert "unless a rated one is Amber or Red" in describe_roll_up("technical")


def test_every_method_text_says_a_seasonal_measure_is_tested_net_of_season(
    sample: Dataset,
) -> None:
    # The tests of change size a seasonal measure's noise net of season (what decides
    # rural offences' Red); each method text a reader has says so, not only the charts'
    # adjustment (docs/methodology.md, "Seasonal series"; review R18-6).
    assert "for a seasonal measure, one its chart adjusts, that variation net of its season" in (
        METHOD_NOTE
    )
    assert "that variation is taken net of its season" in words.ANNUAL_TESTS_NOTE
    about = html.unescape(format_public_method(sample))
    assert "rises and falls with the seasons, leaving out that seasonal swing" in about


def test_the_public_grey_key_names_only_a_dated_target_met_before_the_plan() -> None:
    # Review 22, R22-9: "a target already met before the plan began" beside six such
    # measures Green and achieved; only a target for a later date is Grey for it.
    grey = describe_rag_meanings("public")["Grey"]
    assert "a target for a later date already met before the plan began" in grey
