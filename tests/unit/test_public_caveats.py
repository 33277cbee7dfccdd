"""What residents are told beside the figures (issue 26, items 13 and the public words).

The recorded-crime caveat where a measure is police recorded crime, a survey's range,
one unit per axis of the public charts of change, and an "About these figures" page
written for residents with the technical detail in an annex.
"""

from __future__ import annotations

from dataclasses import replace
from html import unescape

import pandas as pd
import pytest

from pcplib.assessment.caveats import is_recorded_crime, is_survey_estimate, list_caveats
from pcplib.assessment.public import write_public_sentence
from pcplib.data import Dataset
from pcplib.data.identity import PlanIdentity
from pcplib.report.about import ANNEX_ID, format_public_method, format_technical_annex
from pcplib.report.change_charts import (
    AXIS_LABELS,
    build_change_chart,
    plot_changes,
    split_by_unit,
)
from pcplib.report.public import format_recorded_crime_caveat


@pytest.mark.parametrize(
    ("source", "unit", "crime"),
    [
        ("Police recorded crime (Force crime recording system)", "count", True),
        ("Police recorded crime; households from ONS mid-year estimates", "rate_per_1000", True),
        ("Police recorded crime (Home Office Homicide Index return)", "count", True),
        # Outcomes are what was done with the crimes recorded, not how many there were.
        ("Police recorded crime outcomes", "percent", False),
        ("Force incident recording system", "count", False),  # incidents, not crimes
        # Crimes reported to Action Fraud depend on reporting even more (review 4, F20).
        ("Action Fraud (National Fraud Intelligence Bureau)", "count", True),
        ("National Fraud Intelligence Bureau", "rate_per_1000", True),
        ("Action Fraud (National Fraud Intelligence Bureau)", "percent", False),
        ("Crime Survey for England and Wales", "percent", False),
    ],
)
def test_recorded_crime_is_known_by_its_source(source, unit, crime) -> None:
    assert is_recorded_crime({"source": source, "unit": unit}) is crime


def test_survey_estimates_are_percentages_from_a_survey() -> None:
    assert is_survey_estimate({"source": "Force victim satisfaction survey", "unit": "percent"})
    assert not is_survey_estimate({"source": "Force staff survey", "unit": "count"})
    assert not is_survey_estimate({"source": "Force crime file audit", "unit": "percent"})


def test_each_caveat_names_its_measures_in_order_of_kind(sample: Dataset) -> None:
    caveats = list_caveats(sample.measures)
    assert list(dict.fromkeys(caveats["kind"])) == ["recorded crime", "survey", "rate"]
    by_kind = caveats.groupby("kind")["measure_id"].apply(set)
    assert {"vv-homicide", "nc-burglary-rate", "bc-shoplifting"} <= by_kind["recorded crime"]
    assert "bc-shoplifting-positive-outcome" not in by_kind["recorded crime"]
    assert "np-confidence" in by_kind["survey"]
    rate = caveats[caveats["kind"] == "rate"]
    assert list(rate["detail"]) == ["households a month"]
    # Its parts, which the About page sets in its own sentence, are columns of their own.
    assert rate[["population", "period"]].values.tolist() == [["households", "a month"]]


def test_crimes_reported_to_action_fraud_get_the_caveat_on_every_public_page(
    sample: Dataset,
) -> None:
    # Review 4/5, F20: "Cyber crime reports from organisations" was called "a real
    # worsening" with no caveat, and the About page's crime list left it out.
    caveats = list_caveats(sample.measures)
    crime = caveats[caveats["kind"] == "recorded crime"].set_index("measure_id")
    assert "bc-business-cyber" in crime.index
    assert crime.loc["bc-business-cyber", "detail"] == "reported to Action Fraud"
    assert crime.loc["bc-shoplifting", "detail"] == ""
    html = unescape(format_public_method(sample))
    # Review 15, R15-5: listed apart from crimes recorded by the police, with the main
    # page's words, as the main page lists them.
    police = html[html.index("crimes recorded by the police: ") :]
    police = police[: police.index(". ")]
    assert "Shoplifting" in police and "Cyber crime reports" not in police
    assert (
        "Cyber crime reports from organisations: reports to Action Fraud, not crimes "
        "recorded by the police here. Most fraud and cyber crime is never reported" in html
    )
    assert "national centre for reports of fraud and cyber crime" in html


def test_the_recorded_crime_caveat_says_what_a_rise_can_mean() -> None:
    assert format_recorded_crime_caveat([]) == ""
    html = format_recorded_crime_caveat(["Homicides", "Burglary & theft", "Homicides"])
    assert "Homicides; Burglary &amp; theft." in html  # each once, escaped
    assert "report" in html and "record" in html
    assert "a rise does not always mean more crime" in html


def test_a_survey_sentence_gives_its_range_in_everyday_words() -> None:
    row = {
        "unit": "percent", "current": 55.8, "last_year": 58.3, "change": "-2.5 pp",
        "change_value": -2.5, "direction": "down", "assessment": "needs attention",
        "rag": "Red", "rag_basis": "target", "rag_capped": False, "target_for_period": 60.0,
        "target_date": "", "spc_variation": "common_cause", "measure_name": "Confidence",
        "margin_of_error": 3.7,
    }  # fmt: skip
    sentence = write_public_sentence(row)
    assert "It is from a survey, so the true figure is likely between 52.1% and 59.5%." in (
        sentence
    )
    assert "percentage points" not in sentence
    assert "survey" not in write_public_sentence({**row, "margin_of_error": None})
    # A target outside the range is missed for sure; one inside it may have been met.
    assert "may in fact" not in sentence
    # Too close to say (the Board's rating is within the margin): it may have been met.
    near = write_public_sentence(
        {**row, "target_for_period": 58.0, "rag": "Amber", "target_within_margin": True}
    )
    assert near.endswith(
        "Within the survey's margin of error of its target of 58.0%. The target is inside "
        "that range, so it may in fact have been met."
    )
    # Inside the range but rated missed on the survey's record: told as missed, never
    # "it may in fact have been met" beside the Board's "missed" (one target rule).
    missed = write_public_sentence({**row, "target_for_period": 58.0})
    assert "may in fact" not in missed
    assert missed.endswith(
        "The target is inside that range, but the figure has been below it in most surveys, "
        "so it is counted as missed."
    )
    # With the record that settled it (``rag_settled``): the record is said, in the words
    # every public sentence and the plan overview use (review 9, R9-9).
    settled = write_public_sentence(
        {**row, "target_for_period": 58.0, "rag_settled": 3.7,
         "target_record": "met in 1 of 26 quarters"}
    )  # fmt: skip
    assert settled.endswith(
        "Short of its target of 58.0%: within that range, but met in only 1 of 26 quarters, "
        "so counted as missed."
    ), settled


def _changes() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"measure_name": "Burglary", "unit": "count", "change_value": -7.9, "group": "steady"},
            {"measure_name": "Confidence", "unit": "percent", "change_value": 2.2,
             "group": "achieved"},
            {"measure_name": "Spend", "unit": "gbp", "change_value": 12.0, "group": "trend"},
        ]
    )  # fmt: skip


def test_per_cent_and_points_are_never_on_one_axis() -> None:
    groups = split_by_unit(_changes())
    assert [(unit, list(part["measure_name"])) for unit, part in groups] == [
        ("per cent", ["Burglary", "Spend"]),
        ("points", ["Confidence"]),
    ]
    fig = plot_changes(_changes(), "Change on a year ago")
    labels = [ax.get_xlabel() for ax in fig.axes]
    assert labels == [AXIS_LABELS["per cent"], AXIS_LABELS["points"]]
    assert [len(ax.patches) for ax in fig.axes] == [2, 1]  # each bar on its unit's axis
    only_counts = plot_changes(_changes().iloc[[0, 2]], "Change")
    assert [ax.get_xlabel() for ax in only_counts.axes] == [AXIS_LABELS["per cent"]]


def test_a_chart_with_two_scales_says_so_in_its_caption() -> None:
    html = build_change_chart(_changes(), "the measures", "Change", "The measures.")
    assert "a scale of their own" in html
    one = build_change_chart(_changes().iloc[[0]], "the measures", "Change", "The measures.")
    assert "a scale of their own" not in one


def test_the_about_page_speaks_to_residents_and_links_its_annex(sample: Dataset) -> None:
    html = format_public_method(sample)
    for jargon in ("XmR", "2.66", "SHA", "checksum", "rule set", "SPC", "percentage points",
                   "special cause", "p <", "statistically"):  # fmt: skip
        assert jargon not in html, jargon
    assert "Homicides" in html and "crimes recorded by the police" in html
    assert "People who agree the local police do a good or excellent job" in html  # a survey
    assert "the number in a month for every 1,000 households" in html
    assert f'href="#{ANNEX_ID}"' in html
    assert f'id="{ANNEX_ID}"' in format_technical_annex()


def test_a_rate_with_no_population_named_reads_as_a_sentence(sample: Dataset) -> None:
    # The About page sets a rate's period and population in its own sentence, from the
    # caveat's columns: with no population named, "in a month for every 1,000", never
    # "in a a month".
    measures = sample.measures.copy()
    rate = measures["measure_id"] == "nc-burglary-rate"
    measures.loc[rate, ["measure_name", "definition"]] = ["Burglary rate", "Per 1,000."]
    html = format_public_method(replace(sample, measures=measures))
    assert "Burglary rate is a rate: the number in a month for every 1,000." in html
    assert "in a a " not in html


def test_the_about_page_names_the_data_sets_organisation_and_plan(sample: Dataset) -> None:
    html = format_public_method(sample)
    opening = f"{sample.identity.organisation} publishes this report every quarter"
    assert opening in html and f"how the {sample.identity.plan_name} is going" in html
    other = PlanIdentity(organisation="Office of the Commissioner for Elsewhere",
                         plan_name="Safer Streets Plan 2030-34")  # fmt: skip
    elsewhere = format_public_method(replace(sample, identity=other))
    assert "The Office of the Commissioner for Elsewhere publishes" in elsewhere
    assert "how the Safer Streets Plan 2030-34 is going" in elsewhere
    assert sample.identity.organisation not in elsewhere
    assert sample.identity.plan_name not in elsewhere


def test_a_public_strategy_report_carries_the_recorded_crime_caveat(sample: Dataset) -> None:
    from pcplib.assessment.quality import list_data_quality_notes

    public = list_data_quality_notes(sample, "business-crime", "2026-09", audience="public")
    caveat = [n for n in public if "crimes recorded by the police, which" in n]
    assert len(caveat) == 1 and caveat[0].startswith("Shoplifting offences recorded;")
    assert "Shoplifting offences with a positive outcome" not in caveat[0]  # an outcome rate
    # Review 15, R15-5: reports to Action Fraud are named apart, not as police recorded
    # crime, on the flag the public report reads.
    assert "Cyber crime reports" not in caveat[0]
    assert (
        "Cyber crime reports from organisations: reports to Action Fraud, not crimes "
        "recorded by the police here. Most fraud and cyber crime is never reported, so these "
        "depend on reporting even more."
    ) in public
    board = list_data_quality_notes(sample, "business-crime", "2026-09")
    assert not any("crimes recorded by the police" in n for n in board)
    # A strategy with no recorded-crime measure has no such note.
    estate = list_data_quality_notes(sample, "police-estate", "2026-09", audience="public")
    assert not any("crimes recorded by the police" in n for n in estate)


def test_the_year_ending_prints_alike_in_both_cells_of_the_detail_table() -> None:
    from pcplib.report.measures import format_measures_detail

    row = {
        "measure_name": "999 calls", "unit": "percent", "year_ending": 91.41666666,
        "previous_year": 90.7, "baseline": 91.675, "year_ending_change": "+0.7 pp",
        "year_ending_label": "12 months to September 2026", "since_baseline_arrow": "▼",
        "since_baseline_change": "-0.3 pp", "since_baseline_judgement": "no real change",
        "baseline_label": "2024/25", "spc_status": "assessed",
        "spc_variation": "common_cause", "spc_assurance": "", "target": None, "quality": "",
        "has_data": True, "rate_per_year": "",
    }  # fmt: skip
    html = format_measures_detail(pd.DataFrame([row]), "Detail")
    # ... and to one decimal, as the unit carries (review 1, B1: "91.417%" was spurious).
    assert "91.4% (+0.7 pp)" in html and "latest 12 months (91.4%) against 91.7%" in html


def test_reports_to_action_fraud_are_listed_apart_from_crimes_recorded_by_the_police(
    sample: Dataset,
) -> None:
    # Review 14, R14-9: the public quarterly listed "Cyber crime reports from
    # organisations" among "crimes recorded by the police"; Action Fraud reports are not
    # police recorded crime.
    from pcplib.assessment.public import summarise_public_quarter
    from pcplib.report.public import format_public_mission

    public = summarise_public_quarter(sample, "2026/27 Q2")
    measures = public.measures.set_index("measure_id")
    assert measures.loc["bc-business-cyber", "reported_to_action_fraud"]
    assert not measures.loc["bc-shoplifting", "reported_to_action_fraud"]
    mission = str(measures.loc["bc-business-cyber", "mission_id"])
    page = unescape(format_public_mission(public, mission))
    police = page[page.index("crimes recorded by the police: ") :]
    police = police[: police.index(". ")]
    assert "Shoplifting" in police and "Cyber crime reports" not in police
    assert (
        "Cyber crime reports from organisations: reports to Action Fraud, not crimes "
        "recorded by the police here." in page
    )
    alone = format_recorded_crime_caveat(["Fraud reports"], ["Fraud reports"])
    assert "crimes recorded by the police:" not in alone
    assert "Fraud reports: reports to Action Fraud" in alone
