"""What needs the Board's attention and what improved (pcplib.assessment.exceptions)."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pandas as pd

from pcplib.assessment.exceptions import (
    EXCEPTION_COLUMNS,
    HIGH_RISK_SCORE,
    list_exceptions,
    list_improvements,
)
from pcplib.assessment.risks import (
    ALREADY_HIGH,
    NEW,
    NO_EARLIER_SCORE,
    list_high_risks,
    list_new_high_risks,
    rate_risks,
)
from pcplib.assessment.strategy import summarise_strategy
from pcplib.data import Dataset
from pcplib.report.summary import format_board_summary


def test_exceptions_name_measures_commitments_and_why(sample: Dataset) -> None:
    summary = summarise_strategy(sample, "neighbourhood-policing", "2026-09")
    found = list_exceptions(sample, summary)
    assert list(found.columns) == EXCEPTION_COLUMNS
    by_name = found.set_index("name")
    confidence = by_name.loc["People who agree the local police do a good or excellent job"]
    assert confidence["kind"] == "measure" and confidence["rag"] == "Red"
    assert confidence["reason"] == "target missed (55.8% against 60.0%)"
    calls = by_name.loc["101 calls answered within 3 minutes"]
    assert "an SPC signal of concern: worse than the chart's reference period (" in calls["reason"]
    assert "its baseline" not in calls["reason"] and calls["tier"] == "sub"
    assert by_name.loc["Bring 101 call answering back to 85% within 3 minutes", "reason"] == (
        "off track, due 31 March 2027"
    )
    # Most serious first: Red measures, then commitments off track, then at risk.
    assert list(found["kind"]) == ["measure", "measure", "commitment", "commitment"]
    assert list(found["severity"]) == sorted(found["severity"])
    # Every measure needing attention is listed, and nothing else.
    attention = summary.measures[summary.measures["assessment"] == "needs attention"]
    assert set(found.loc[found["kind"] == "measure", "item_id"]) == set(attention["measure_id"])


def test_a_miss_within_chance_settled_by_its_record_says_so_on_the_first_screen(
    sample: Dataset,
) -> None:
    # Review 9, R9-9: "target narrowly missed (21.9% against 22.0%)" alone, in the Board's
    # and the public's first screen, while every sentence says it rests on the record.
    for audience in ("board", "public"):
        summary = summarise_strategy(sample, "business-crime", "2026-09", audience)
        found = list_exceptions(sample, summary, audience=audience).set_index("name")
        assert found.loc["Shoplifting offences with a positive outcome", "reason"] == (
            "target narrowly missed (21.9% against 22.0%): within the usual ups and downs "
            "this quarter, but met in only 12 of 38 months, so counted as missed"
        ), audience
        # Neighbourhood crime's target is undated (a straight course to March 2028 would
        # set its low July to September quarter against a course with no seasons), so
        # it is judged now: a narrow miss the record settles, by the same rule.
        summary = summarise_strategy(sample, "neighbourhood-crime", "2026-09", audience)
        found = list_exceptions(sample, summary, audience=audience).set_index("name")
        assert found.loc["Neighbourhood crime offences", "reason"] == (
            "target narrowly missed (3,495 against 3,450): within the usual ups and downs "
            "this quarter, but met in only 6 of 38 months, so counted as missed"
        ), audience


def test_an_overdue_commitment_is_an_exception(sample: Dataset) -> None:
    summary = summarise_strategy(sample, "business-crime", "2026-09")
    reasons = list_exceptions(sample, summary)["reason"]
    assert "overdue: due 30 September 2026 and off track" in set(reasons)


def test_new_high_risks_come_from_the_risks_table_when_there_is_one(sample: Dataset) -> None:
    # The sample's own risks table: its high risks are rows of it, scored 15 or more.
    found = list_high_risks(sample, "vawg", "2026-09")
    assert set(found["risk_id"]) <= set(sample.risks["risk_id"])
    assert (found["score"] >= 15).all()
    risks = pd.DataFrame(
        [
            # New and high: 4 x 4 this quarter, not in the return of the quarter before.
            ("vawg-r01", "vawg", "2026/27 Q2", "Refuge places close", 4, 4, "Bid for funds"),
            # High in both quarters: not new.
            ("vawg-r02", "vawg", "2026/27 Q1", "Court backlog", 5, 3, ""),
            ("vawg-r02", "vawg", "2026/27 Q2", "Court backlog", 5, 3, ""),
            # Became high this quarter.
            ("vawg-r03", "vawg", "2026/27 Q1", "Staff leave", 2, 3, ""),
            ("vawg-r03", "vawg", "2026/27 Q2", "Staff leave", 3, 5, ""),
            # Not high; another strategy's.
            ("vawg-r04", "vawg", "2026/27 Q2", "Data late", 2, 2, ""),
            ("rc-r01", "rural-crime", "2026/27 Q2", "Fuel theft", 5, 5, ""),
        ],
        columns=[
            "risk_id", "strategy_id", "quarter", "description", "likelihood", "impact",
            "mitigation",
        ],
    )  # fmt: skip
    with_risks = replace(sample, risks=risks) if "risks" in Dataset.__dataclass_fields__ else None
    if with_risks is None:
        # The data set has no risks field yet: a stand-in with one, as the returns add it.
        with_risks = type("WithRisks", (), {})()
        for name in ("commitments", "strategies", "measures", "observations"):
            setattr(with_risks, name, getattr(sample, name))
        with_risks.risks = risks
    new = list_new_high_risks(with_risks, "vawg", "2026-09")
    assert list(new["risk_id"]) == ["vawg-r01", "vawg-r03"]
    assert (new["score"] >= HIGH_RISK_SCORE).all()
    summary = summarise_strategy(with_risks, "vawg", "2026-09")
    assert summary.risk_rag == "Red"
    found = list_exceptions(with_risks, summary)
    risk_rows = found[found["kind"] == "risk"]
    # Every high risk is listed, the one high in both quarters too (review 14, R14-1).
    assert list(risk_rows["name"]) == ["Refuge places close", "Court backlog", "Staff leave"]
    assert risk_rows["reason"].tolist() == [
        "new high risk: likelihood 4 × impact 4 = 16 (high from 15)",
        "high risk, also high in 2026/27 Q1: likelihood 5 × impact 3 = 15 (high from 15)",
        "new high risk: likelihood 3 × impact 5 = 15 (high from 15)",
    ]
    assert risk_rows["rag"].tolist() == ["Red", "Amber", "Red"]
    # Risks are for the Board only.
    public = list_exceptions(with_risks, summary, audience="public")
    assert "risk" not in set(public["kind"])


def test_a_high_risk_with_no_earlier_return_on_file_is_never_called_new(
    sample: Dataset,
) -> None:
    # Review 13, R13-4: the sample holds no 2026/27 Q1 risk return for VAWG, so its
    # 16-scoring risk was called new (Red, "new high risk") from the absence of a record.
    assert not (
        (sample.risks["strategy_id"] == "vawg") & (sample.risks["quarter"] == "2026/27 Q1")
    ).any()
    high = list_high_risks(sample, "vawg", "2026-09")
    assert high[["risk_id", "novelty"]].values.tolist() == [["vawg-r01", NO_EARLIER_SCORE]]
    assert list_new_high_risks(sample, "vawg", "2026-09").empty
    summary = summarise_strategy(sample, "vawg", "2026-09")
    assert summary.risk_rag == "Amber"
    assert "1 high risk with no earlier score on file (highest score 16" in summary.rating_note
    assert "new high risk" not in summary.rating_note
    found = list_exceptions(sample, summary)
    risk = found[found["kind"] == "risk"].iloc[0]
    assert risk["reason"] == (
        "high risk (no earlier score on file): likelihood 4 × impact 4 = 16 (high from 15)"
    )
    assert risk["rag"] == "Amber"


def test_the_risk_rating_reads_whether_a_high_risk_is_known_new() -> None:
    def frame(*novelties: str) -> pd.DataFrame:
        return pd.DataFrame({"score": [16] * len(novelties), "novelty": list(novelties)})

    assert rate_risks(frame(NEW, NO_EARLIER_SCORE), True) == "Red"
    assert rate_risks(frame(NO_EARLIER_SCORE), True) == "Amber"
    assert rate_risks(frame(ALREADY_HIGH), True) == "Amber"
    assert rate_risks(frame(), True) == "Green"
    assert rate_risks(frame(), False) == "Grey"


def test_improvements_are_real_improvements_then_targets_met(sample: Dataset) -> None:
    summary = summarise_strategy(sample, "neighbourhood-policing", "2026-09")
    improved = list_improvements(summary)
    # Officers' signal (one month at 380) averages +1.0% over the quarter on the chart's
    # centre line, below the 2% materiality, so it is no improvement (review 4, F13); and
    # a headcount met within limits that straddle 360, down on a year ago, is met only
    # within its usual variation, so not listed either (review 16, R16-2).
    assert list(improved["name"]) == ["999 calls answered within 10 seconds"]
    # +2.2 points on a year earlier is within the series' own (over-dispersed) variation,
    # so it is no longer told as "better than a year earlier".
    assert list(improved["reason"]) == ["target met"]
    # Burglary's and anti-social behaviour's baselines hold runs the chart itself flags
    # (stable only by the chart's own rules, #26), so no SPC improvement is told of them;
    # burglary's real fall since the plan's baseline year is (review 3: it was "steady"),
    # and so is anti-social behaviour's, beyond chance once its noise is net of season.
    crime = list_improvements(summarise_strategy(sample, "neighbourhood-crime", "2026-09"))
    assert list(crime["item_id"]) == ["nc-burglary-rate", "nc-asb-incidents"]
    assert (
        list(crime["reason"])
        # Both fell as fast in the year before the plan (review 20, R20-2).
        == [
            "a real improvement: better than the plan's baseline year by more than chance, "
            "continuing a fall that began before the plan"
        ]
        * 2
    )
    signal = "an SPC signal of improvement: better than the chart's reference period ("
    victims = list_improvements(summarise_strategy(sample, "supporting-victims", "2026-09"))
    reasons = dict(zip(victims["item_id"], victims["reason"], strict=True))
    assert reasons["sv-referrals"].startswith(signal)
    # With no SPC verdict (a baseline not stable), the test of change speaks.
    withheld = SimpleNamespace(
        measures=pd.DataFrame(
            [{"measure_id": "m", "measure_name": "M", "assessment": "improving",
              "spc_variation": None, "rag": "Green", "tier": "sub", "sentence": "s",
              "rag_basis": "evidence", "judgement": "improved"}]
        )
    )  # fmt: skip
    assert list(list_improvements(withheld)["reason"]) == [  # type: ignore[arg-type]
        "a real improvement: better than a year earlier by more than chance"
    ]


def test_an_improvement_counted_in_full_is_never_called_real(sample: Dataset) -> None:
    # Savings +4.0% on a year ago: counted in full, so not tested, and within their usual
    # quarter-to-quarter swings; "a real improvement" is kept for a change beyond chance
    # (review 13).
    resources = list_improvements(summarise_strategy(sample, "resources", "2026-09"))
    reasons = dict(zip(resources["item_id"], resources["reason"], strict=True))
    assert reasons["res-savings"] == (
        "better than a year earlier: up 4.0% (counted in full, not tested)"
    )
    assert not any("real" in reason for reason in reasons.values())


def test_every_change_counted_in_full_is_worded_by_one_function(sample: Dataset) -> None:
    # Review 14, R14-6: savings "+4.0% (counted in full, not tested)", overtime "a real
    # rise" (untested; its "real" rested on a chart the words did not cite) and opening
    # hours "better than a year earlier" bare, in one report family.
    from pcplib.assessment.change_evidence import describe_rating_evidence
    from pcplib.assessment.exceptions import _better_than_a_year_earlier
    from pcplib.assessment.vocabulary import describe_counted_change

    measures = summarise_strategy(sample, "resources", "2026-09").measures
    overtime = measures.set_index("measure_id").loc["res-overtime"].to_dict()
    assert describe_counted_change(overtime) == "up 10.3% (counted in full, not tested)"
    assert describe_rating_evidence(overtime) == (
        "no target; 2026/27 Q2 £3,240,154 against £2,937,661 in 2025/26 Q2, up 10.3% "
        "(counted in full, not tested); its chart shows a signal of concern"
    )
    hours = {"administrative": True, "change": "+2.1%"}
    assert _better_than_a_year_earlier(hours) == (
        "better than a year earlier: up 2.1% (counted in full, not tested)"
    )
    assert describe_counted_change({"administrative": True, "change": "-0.4%"}) == (
        "down 0.4% (counted in full, not tested)"
    )
    # A tested measure keeps its own words.
    assert describe_counted_change({"administrative": False, "change": "+2.1%"}) == ""
    assert _better_than_a_year_earlier({"change": "+2.1%"}) == "better than a year earlier"


def _signal_row(**overrides: object) -> dict:
    row = {
        "measure_id": "m", "measure_name": "Thefts of farm machinery", "unit": "count",
        "assessment": "stable", "spc_variation": "special_cause_improvement", "rag": "Green",
        "tier": "sub", "sentence": "s", "rag_basis": "evidence", "judgement":
        "no evidence of change", "good_direction": "lower", "direction": "up",
        "change": "+17.9%", "current": 99.0, "last_year": 84.0, "spc_limits_from": "2023-08",
        "spc_limits_to": "2025-03", "spc_status": "assessed",
    }  # fmt: skip
    row.update(overrides)
    return row


def test_every_spc_signal_of_improvement_is_listed_under_what_improved() -> None:
    # Review A7: "What improved (0)" above a table with "Signal of improvement" rows. A
    # signal whose row is not "improving" (up on a year ago) is still listed, with what
    # holds it back, from the same row the SPC table reads; one that needs attention is
    # listed there only, never in both lists (review 4, F8).
    mixed = SimpleNamespace(
        measures=pd.DataFrame(
            [
                _signal_row(),
                _signal_row(measure_id="n", measure_name="Confidence", assessment=
                            "needs attention", rag="Red", rag_reason="target missed"),
                _signal_row(measure_id="o", spc_variation="common_cause"),
            ]
        )
    )  # fmt: skip
    found = list_improvements(mixed)  # type: ignore[arg-type]
    assert list(found["item_id"]) == ["m"]
    assert found.iloc[0]["reason"] == (
        "an SPC signal of improvement against the chart's reference period (August 2023 to "
        "March 2025), though up 17.9% on a year ago (99 against 84): a mixed picture"
    )


def test_every_signal_of_improvement_in_the_sample_is_in_what_improved(sample: Dataset) -> None:
    for strategy_id in sample.strategies["strategy_id"]:
        summary = summarise_strategy(sample, strategy_id, "2026-09")
        measures = summary.measures
        signals = measures[
            (measures["spc_variation"] == "special_cause_improvement")
            & (measures["assessment"] != "needs attention")
        ]
        listed = set(list_improvements(summary)["item_id"])
        assert set(signals["measure_id"]) <= listed, strategy_id


def test_a_target_met_within_its_usual_variation_is_not_what_improved(sample: Dataset) -> None:
    # Review 10, R10-4 and review 11: "What improved" listed front office hours (361
    # against 360, met in 7 of 33 months, its chart showing no change) as "target met and
    # better than a year earlier", and the killed or seriously injured count met by less
    # than chance allows, moves "Since the last meeting" calls "not progress".
    ksi = list_improvements(summarise_strategy(sample, "road-safety", "2026-09"))
    assert "rs-ksi" not in set(ksi["item_id"])
    # Review 14, R14-3: front office hours, counted in full, meet 360 this quarter (361)
    # but were met in only 4 of 20 months since the shift in February 2025 (sign test,
    # p = 0.012): met, but not reliably, so under Needs attention, never What improved.
    estate_summary = summarise_strategy(sample, "police-estate", "2026-09")
    assert "estate-front-counter-hours" not in set(list_improvements(estate_summary)["item_id"])
    attention = list_exceptions(sample, estate_summary).set_index("item_id")
    assert attention.loc["estate-front-counter-hours", "reason"] == (
        "target met (361 hours against 360 hours), but not reliably: met in only 4 of 20 "
        "months since the shift in February 2025"
    )
    # Headcount, met in 36 of 38 months, more often than chance: still Green.
    workforce = summarise_strategy(sample, "workforce", "2026-09").measures
    headcount = workforce.set_index("measure_id").loc["wf-officer-headcount"]
    assert headcount["rag"] == "Green" and not headcount["rag_capped"]
    # Review 16, R16-2: the two headcounts stand alike (counted in full, no change on
    # their charts, limits straddling their targets, not better than a year earlier), so
    # one rule leaves both out, whatever their records (36 of 38; 18 of 18, which settles
    # neighbourhood officers' assurance as consistently met), and neither rating moves.
    policing = summarise_strategy(sample, "neighbourhood-policing", "2026-09")
    officers = policing.measures.set_index("measure_id").loc["np-officers"]
    assert officers["spc_assurance"] == "consistent_pass"  # the record's, as printed
    assert officers["spc_limits_assurance"] == "inconsistent"  # the limits straddle 360
    assert officers["rag"] == "Green" and officers["assessment"] == "on track"
    assert officers["judgement"] != "improved"
    assert "np-officers" not in set(list_improvements(policing)["item_id"])
    workforce_summary = summarise_strategy(sample, "workforce", "2026-09")
    assert "wf-officer-headcount" not in set(list_improvements(workforce_summary)["item_id"])
    page = format_board_summary(
        summarise_strategy(sample, "road-safety", "2026-09"), ksi.iloc[0:0], ksi
    )
    assert "meets its target beyond its usual variation this quarter" in page
    # The printed rule says what the list does (it had said "meeting their target").
    from pcplib.report.words import format_rating_method

    assert "or meeting their target by more than its usual variation" in format_rating_method()
    # The mixed-picture exclusion is printed (review 18, R18-2: "What improved (0)" above
    # farm machinery thefts "rated Green for a real fall").
    assert (
        "lists the measures showing a real improvement (not a mixed picture, one whose "
        "quarter went the wrong way on a year earlier, unless its chart shows a signal of "
        "improvement, then said as mixed)" in format_rating_method()
    )
    # The record does not lift a pass out of its usual range (review 16, R16-2).
    assert (
        "while its chart shows no change and its limits straddle the target, whatever its "
        "record, is listed only if the measure is also better than a year earlier"
    ) in format_rating_method()


def test_the_board_summary_formats_the_rating_exceptions_and_improvements(
    sample: Dataset,
) -> None:
    summary = summarise_strategy(sample, "neighbourhood-policing", "2026-09")
    html = format_board_summary(
        summary, list_exceptions(sample, summary), list_improvements(summary)
    )
    assert "<strong>Overall RAG:</strong>" in html and summary.overall_explanation in html
    assert "<h3>Needs attention (4)</h3>" in html and "<h3>What improved (1)</h3>" in html
    assert "Projected delivery:</strong>" in html and "complete or on track" in html
    assert "Commitment: Bring 101 call answering back to 85% within 3 minutes" in html
    empty = format_board_summary(
        summary, list_exceptions(sample, summary).iloc[0:0], list_improvements(summary).iloc[0:0]
    )
    assert "Nothing needs the Board&#x27;s attention this quarter." in empty


def test_a_rise_in_reports_to_action_fraud_needs_attention_as_more_reports(
    sample: Dataset,
) -> None:
    # Review 20, R20-4: "Red Cyber crime reports from organisations (sub-measure): an SPC
    # signal of concern: worse than ...; a rise beyond chance in the tests of change", while
    # the "But:" beside the rating says "more reports, which may be more reporting".
    told = "a rise beyond chance in the tests of change: more reports, which may be more reporting"
    for audience in ("board", "public"):
        summary = summarise_strategy(sample, "business-crime", "2026-09", audience)
        found = list_exceptions(sample, summary, audience=audience).set_index("name")
        reason = found.loc["Cyber crime reports from organisations", "reason"]
        assert reason.endswith(told), audience
        # Recorded crime is not reports: its rise is told as before.
        assert found.loc["Robbery of business property", "reason"] == (
            "a rise beyond chance in the tests of change"
        ), audience


def test_a_possible_rise_in_reports_says_what_it_would_be_if_real() -> None:
    from pcplib.assessment.exceptions import _measure_reasons

    reports = _signal_row(
        assessment="needs attention", rag="Amber", spc_variation="common_cause",
        worsening="possible", source="Action Fraud", rag_rule="harm_test_possible",
    )  # fmt: skip
    assert _measure_reasons(reports) == [
        "a possible rise: material, but the evidence is not yet conclusive: if real, more "
        "reports, which may be more reporting"
    ]
    recorded = {**reports, "source": "Police recorded crime"}
    assert _measure_reasons(recorded) == [
        "a possible rise: material, but the evidence is not yet conclusive"
    ]
