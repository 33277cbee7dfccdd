"""Tests for pcplib.report on a small hand-made data set and on the shipped sample."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pcplib import assessment, report
from pcplib.data import Dataset
from pcplib.data.reference import load_table_one
from pcplib.report.html import format_rag_html
from pcplib.report.narrative import narrative_rows

MONTHS = pd.date_range("2024-04-01", "2026-09-01", freq="MS")


def _monthly(measure_id, values, definition="current", status="final"):
    rows = []
    for start, value in zip(MONTHS, values, strict=True):
        rows.append(
            {
                "measure_id": measure_id,
                "period_start": start,
                "period_end": start + pd.offsets.MonthEnd(0),
                "value": value,
                "numerator": np.nan,
                "denominator": np.nan,
                "area": "LLR",
                "status": status,
                "definition": definition,
                "source": "Test source",
                "extracted_on": pd.Timestamp("2026-10-12"),
            }
        )
    return rows


@pytest.fixture()
def tiny(tmp_path: Path) -> Dataset:
    measure_cols = {
        "strategy_id": "alpha",
        "unit": "count",
        "frequency": "monthly",
        "aggregation": "sum",
        "source": "Test source",
        "comparable": False,
        "national_measure": "",
        "vrn_measure": "",
        "target_note": "",
        "baseline_year": "2024/25",
        "definition": "Counted",
        "definition_from": pd.Timestamp("2020-04-01"),
        "previous_definition": "",
    }
    measures = pd.DataFrame(
        [
            {
                **measure_cols,
                "measure_id": "a-offences",
                "measure_name": "Alpha offences",
                "tier": "headline",
                "good_direction": "lower",
                "target": 100.0,
                "visibility": "public",
            },
            {
                **measure_cols,
                "measure_id": "a-secret",
                "measure_name": "Secret staff morale",
                "tier": "headline",
                "good_direction": "higher",
                "target": np.nan,
                "visibility": "restricted",
                "aggregation": "mean",
            },
            {
                **measure_cols,
                "measure_id": "a-redefined",
                "measure_name": "Redefined thing",
                "tier": "sub",
                "good_direction": "lower",
                "target": np.nan,
                "visibility": "public",
                "definition_from": pd.Timestamp("2025-04-01"),
                "previous_definition": "Old way of counting",
            },
        ]
    )
    n = len(MONTHS)
    offences = [120.0] * 12 + [110.0] * (n - 12)
    offences[20] = np.nan  # a missing month (December 2025)
    obs = _monthly("a-offences", offences)
    obs[-1]["status"] = "provisional"
    obs += _monthly("a-secret", [50.0] * n)
    redefined = _monthly("a-redefined", [10.0] * n)
    for row in redefined[:12]:
        row["definition"] = "previous"
    obs += redefined
    strategies = pd.DataFrame(
        [
            {
                "strategy_id": "alpha",
                "strategy_name": "Alpha & <Omega>",
                "mission_id": "m1",
                "strategic_objective": "Less crime",
                "force_senior_owner": "ACC",
                "force_spoc": "Supt",
                "opcc_senior_owner": "Director",
                "opcc_spoc": "Officer",
            },
            {
                "strategy_id": "empty",
                "strategy_name": "Empty strategy",
                "mission_id": "m1",
                "strategic_objective": "Nothing yet",
                "force_senior_owner": "ACC",
                "force_spoc": "Supt",
                "opcc_senior_owner": "Director",
                "opcc_spoc": "Officer",
            },
        ]
    )
    commitments = pd.DataFrame(
        [
            {
                "commitment_id": f"c{i}",
                "strategy_id": "alpha",
                "commitment": f"Commitment {i}",
                "status": s,
                "due_date": pd.Timestamp("2027-03-31"),
                "owner": "Owner",
            }
            for i, s in enumerate(["complete", "on track", "on track", "at risk"])
        ]
    )
    narrative = pd.DataFrame(
        [
            {
                "strategy_id": "alpha",
                "quarter": "2026/27 Q2",
                "section": "progress",
                "text": "<script>alert(1)</script> went well",
            },
            {
                "strategy_id": "alpha",
                "quarter": "2026/27 Q2",
                "section": "risks",
                "text": "Secret staff morale is falling",
            },
        ]
    )
    return Dataset(
        root=tmp_path,
        missions=pd.DataFrame(
            [{"mission_id": "m1", "mission_name": "Mission one", "description": "d"}]
        ),
        strategies=strategies,
        measures=measures,
        observations=pd.DataFrame(obs),
        commitments=commitments,
        narrative=narrative,
        illustrative=True,
        description="Tiny test data",
        files={"framework/measures.csv": "ab" * 32},
    )


# --- parameters and times ----------------------------------------------------------


def test_format_produced_at():
    assert assessment.format_produced_at("2026-11-23T06:00:00Z") == "23 November 2026 06:00 UTC"
    assert (
        assessment.format_produced_at("2026-11-23T07:30:00+01:00") == "23 November 2026 06:30 UTC"
    )
    assert assessment.format_produced_at("2026-11-23 06:00") == "23 November 2026 06:00 UTC"
    assert assessment.format_produced_at("").endswith(" UTC")
    with pytest.raises(ValueError, match="ISO-8601"):
        assessment.format_produced_at("next tuesday")


def test_read_produced_at_gives_utc_and_produced_month_its_utc_month():
    from pcplib.assessment.scope import produced_month, read_produced_at

    assert read_produced_at("2026-11-23T06:00:00Z") == pd.Timestamp("2026-11-23 06:00", tz="UTC")
    assert read_produced_at("2026-11-23 06:00") == pd.Timestamp("2026-11-23 06:00", tz="UTC")
    assert str(read_produced_at("").tz) == "UTC"
    # 00:30 on 1 December in Paris is still November in UTC.
    assert produced_month("2026-12-01T00:30:00+01:00") == pd.Period("2026-11", "M")
    assert produced_month("2026-12-01T00:30:00") == pd.Period("2026-12", "M")
    with pytest.raises(ValueError, match="ISO-8601"):
        produced_month("next tuesday")


def test_check_parameters_accepts_good_values(tiny):
    assessment.check_parameters(
        tiny,
        strategy="alpha",
        slot="2026-11",
        period_end="2026-09",
        audience="public",
        spc_rules="mdc",
        produced_at="",
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"strategy": "vawgx"}, r"unknown strategy 'vawgx'; expected one of: alpha, empty"),
        ({"period_end": "2026-13"}, r"period_end: cannot read month"),
        ({"period_end": "Sept 2026"}, r"expected a month like"),
        ({"period_end": "2020-03"}, r"before the data; expected a month from 2024-04 onwards"),
        ({"slot": "26-11"}, r"slot: cannot read month"),
        ({"audience": "press"}, r"unknown audience 'press'; expected one of: board, public"),
        ({"spc_rules": "nelson"}, r"expected one of: mdc, plotthedots"),
        ({"quarter": "2026 Q2"}, r"quarter: cannot read quarter"),
        ({"quarter": "2020/21 Q1"}, r"before the data"),
        ({"year": "2025/27"}, r"year: .*not a financial year"),
        ({"year": "2023/24"}, r"not covered by the data"),
    ],
)
def test_check_parameters_says_what_was_expected(tiny, kwargs, message):
    with pytest.raises(ValueError, match=message):
        assessment.check_parameters(tiny, **kwargs)


# --- headers and banners -------------------------------------------------------------


def test_build_header_escapes_and_labels(tiny):
    header = report.build_header(
        tiny, "alpha", "2026-11", "2026-09", "2026-11-23T06:00:00Z", "board"
    )
    assert "<h1>Alpha &amp; &lt;Omega&gt;: delivery strategy report</h1>" in header
    assert "Illustrative data." in header
    # tiny's dataset.yaml names no board: the neutral word, never another plan's board.
    assert "<dd>Board, November 2026</dd>" in header
    assert "2026/27 Q2" in header
    assert "April 2024 to September 2026" in header
    assert "23 November 2026 06:00 UTC" in header
    assert "OFFICIAL" in header
    for owner in ("ACC", "Supt", "Director", "Officer", "Mission one", "Less crime"):
        assert owner in header


def test_no_illustrative_banner_for_real_data(tiny):
    from dataclasses import replace

    real = replace(tiny, illustrative=False)
    assert report.format_illustrative_banner(real) == ""
    assert "Illustrative" not in report.build_plan_header(real, "2026-11", "2026-09", "2026-11-23")


# --- measures ------------------------------------------------------------------------


def test_summarise_measures_sum_measure_compares_quarter_totals(tiny):
    df = assessment.summarise_measures(tiny, "alpha", "2026-09", audience="board").set_index(
        "measure_id"
    )
    offences = df.loc["a-offences"]
    assert offences["aggregation"] == "sum"
    assert offences["latest_period"] == "September 2026"
    # The quarter's total against the same quarter's total a year earlier, like for like.
    assert offences["current"] == pytest.approx(330.0)
    assert offences["current_label"] == "2026/27 Q2"
    assert offences["comparison_basis"] == "same quarter last year"
    assert offences["last_year"] == pytest.approx(330.0)
    assert offences["comparison_value"] == pytest.approx(330.0)
    assert offences["last_year_label"] == "2025/26 Q2"
    assert offences["change"] == "0.0%"
    assert (offences["direction"], offences["arrow"]) == ("no change", "►")
    assert offences["judgement"] == "no change"
    # The baseline is the baseline year's total (12 x 120), not a quarterly average.
    assert offences["baseline"] == pytest.approx(1440.0)
    assert offences["baseline_label"] == "2024/25"
    # The 12 months to September 2026 lack December 2025: no total, so no progress shown.
    assert pd.isna(offences["year_ending"])
    assert offences["year_ending_label"] == (
        "12 months to September 2026: incomplete (11 of 12 months)"
    )
    assert offences["previous_year"] == pytest.approx(6 * 120.0 + 6 * 110.0)
    assert offences["since_baseline_arrow"] == "‡"
    # The target of 100 a month is 300 for the quarter: 330 misses it by 10%.
    assert offences["target"] == pytest.approx(300.0)
    assert offences["target_for_period"] == pytest.approx(300.0)
    assert offences["target_per_period"] == pytest.approx(100.0)
    assert (offences["rag"], offences["rag_basis"]) == ("Red", "target")
    assert "gaps" in offences["quality"] and "provisional figures" in offences["quality"]
    assert offences["spc"] is not None
    redefined = df.loc["a-redefined"]
    # The baseline year is under the previous definition: not joined, so not measurable.
    assert redefined["baseline"] is None or np.isnan(redefined["baseline"])
    assert redefined["baseline_label"] == "2024/25: previous definition, not comparable"
    assert redefined["since_baseline_arrow"] == "‡"
    assert redefined["since_baseline_direction"] == "not measurable"
    assert "definition changed" in redefined["quality"]


def test_summarise_measures_sum_measure_change_on_the_same_quarter(tiny):
    # 2025/26 Q1 (3 x 110) against 2024/25 Q1 (3 x 120): down 8.3%, but on 330 events
    # against 360 the exact test cannot rule out chance (p = 0.27): no real change.
    df = assessment.summarise_measures(tiny, "alpha", "2025-06").set_index("measure_id")
    offences = df.loc["a-offences"]
    assert (offences["current"], offences["last_year"]) == (330.0, 360.0)
    assert (offences["current_label"], offences["last_year_label"]) == ("2025/26 Q1", "2024/25 Q1")
    assert offences["change"] == "-8.3%"
    assert offences["change_value"] == pytest.approx(-100 / 12)
    assert (offences["arrow"], offences["judgement"]) == ("▼", "no evidence of change")
    assert offences["change_evidence"] == "within noise"
    assert offences["change_test"].startswith("exact Poisson, p = 0.27")
    # Since the baseline: the 12 months to June 2025 (9 x 120 + 3 x 110) against 2024/25.
    assert offences["year_ending"] == pytest.approx(1410.0)
    assert offences["since_baseline_change"] == "-2.1%"
    assert offences["since_baseline_judgement"] == "no evidence of change"
    assert offences["sentence"].startswith(
        "Down 8.3% on the same quarter last year (330 against 360)"
    )


def test_summarise_measures_mean_measure_compares_averages(tiny):
    df = assessment.summarise_measures(tiny, "alpha", "2026-09", audience="board").set_index(
        "measure_id"
    )
    level = df.loc["a-secret"]
    assert level["aggregation"] == "mean"
    # Every window of a level is an average of its months (50), never a total (150, 600).
    assert level["current"] == pytest.approx(50.0)
    assert level["current_label"] == "2026/27 Q2"
    assert level["last_year"] == pytest.approx(50.0)
    assert level["year_ending"] == pytest.approx(50.0)
    assert level["baseline"] == pytest.approx(50.0)
    assert level["baseline_label"] == "2024/25"
    assert level["visibility"] == "restricted"
    # An average needs only the months present, and says how many there were.
    early = assessment.summarise_measures(tiny, "alpha", "2025-12").set_index("measure_id")
    assert early.loc["a-secret", "previous_year"] == pytest.approx(50.0)
    assert early.loc["a-secret", "previous_year_label"] == (
        "12 months to December 2024 (9 of 12 months)"
    )


def test_summarise_measures_sum_with_a_missing_month_gives_no_total(tiny):
    # December 2025 is missing: 2025/26 Q3 has two of three months, so no total.
    df = assessment.summarise_measures(tiny, "alpha", "2025-12").set_index("measure_id")
    offences = df.loc["a-offences"]
    assert pd.isna(offences["current"])
    assert offences["current_label"] == "2025/26 Q3: incomplete (2 of 3 months)"
    assert offences["last_year"] == pytest.approx(360.0)
    assert offences["direction"] == "not measurable"
    assert (offences["rag"], offences["rag_basis"]) == ("Grey", "none")
    assert not offences["has_data"]
    assert offences["sentence"].startswith("No figure for the reporting period")


def test_a_run_chart_does_not_claim_limits(tiny):
    row = assessment.summarise_measures(tiny, "alpha", "2025-12").set_index("measure_id")
    redefined = row.loc["a-redefined"]  # nine months under the current definition
    assert redefined["spc_status"] == "too few points"
    # Nine months, six of them before the quarter judged: too few for limits (#26).
    assert redefined["spc_summary"].startswith("No SPC verdict: only 6 points before")
    assert "limits set from" not in redefined["spc_summary"].lower()


def test_summarise_measures_without_spc(tiny):
    from pcplib.report.words import describe_assurance, describe_variation

    df = assessment.summarise_measures(tiny, "alpha", "2026-09", with_spc=False)
    assert df["spc"].isna().all()
    assert set(df["spc_status"]) == {"not assessed"}
    assert df["spc_variation"].isna().all() and df["spc_assurance"].isna().all()
    assert (df["spc_limits_from"] == "").all() and (df["spc_limits_to"] == "").all()
    pairs = zip(df["spc_status"], df["spc_variation"], strict=True)
    assert {describe_variation(s, v) for s, v in pairs} == {"Not assessed"}
    assert describe_assurance("not assessed", None, has_target=True) == "Not assessed"
    # With no SPC an untargeted measure is tested, but the tests alone do not rate it
    # Green (#26): Grey, "no SPC verdict: tests only".
    secret = df.set_index("measure_id").loc["a-secret"]
    assert (secret["rag"], secret["rag_basis"]) == ("Grey", "none")
    assert secret["change_evidence"] != "not tested"
    assert "tests only" in secret["rag_reason"]


def test_summarise_measures_rejects_a_missing_aggregation(tiny):
    measures = tiny.measures.copy()
    measures.loc[0, "aggregation"] = "total"
    bad = type(tiny)(**{**tiny.__dict__, "measures": measures})
    with pytest.raises(ValueError, match=r"aggregation 'total'; expected one of: sum, mean, last"):
        assessment.summarise_measures(bad, "alpha", "2026-09")


def test_available_period_end(tiny):
    assert assessment.available_period_end(tiny, "2026-09") == "2026-09"
    assert assessment.available_period_end(tiny, "2026-08") == "2026-08"
    # Beyond the data: the latest quarter the data cover.
    assert assessment.available_period_end(tiny, "2026-12") == "2026-09"
    assert assessment.available_period_end(tiny, "2027-03") == "2026-09"


def test_available_period_end_uses_the_last_complete_quarter(tiny):
    obs = tiny.observations
    trimmed = obs[obs["period_end"] <= pd.Timestamp("2026-08-31")]
    data = type(tiny)(**{**tiny.__dict__, "observations": trimmed})
    assert assessment.available_period_end(data, "2026-12") == "2026-06"


def test_format_data_availability_warns_beyond_the_data(tiny):
    assert report.format_data_availability(tiny, "2026-09") == ""
    warning = report.format_data_availability(tiny, "2026-12")
    assert "No data has yet been received for this period." in warning
    assert "December 2026 (2026/27 Q3)" in warning
    assert "2026/27 Q2, to the end of September 2026" in warning
    assert 'class="notice warning"' in warning


def test_reports_beyond_the_data_show_the_latest_data_with_a_warning(tiny):
    header = report.build_header(tiny, "alpha", "2027-03", "2026-12", "2026-11-23T06:00:00Z")
    assert header.index("No data has yet been received") < header.index('<dl class="meta">')
    assert "Period requested" in header and "no data received yet" in header
    assert "2026/27 Q2 (data to the end of September 2026)" in header
    data_end = assessment.available_period_end(tiny, "2026-12")
    summary = assessment.summarise_strategy(tiny, "alpha", data_end)
    assert summary.has_data
    table = report.format_measures_table(summary.measures, "Alpha")
    assert "<table" in table and "330" in table
    plan = report.build_plan_header(tiny, "2027-03", "2026-12")
    assert "No data has yet been received" in plan
    public = report.build_public_header(tiny, "2026/27 Q3")
    assert "No data has yet been received" in public
    body = report.format_public_quarter(tiny, "2026/27 Q3")
    assert "Alpha offences" in body


def test_summarise_measures_public_drops_restricted(tiny):
    for_board = assessment.summarise_measures(tiny, "alpha", "2026-09", audience="board")
    public = assessment.summarise_measures(tiny, "alpha", "2026-09", audience="public")
    assert "a-secret" in set(for_board["measure_id"])
    assert "a-secret" not in set(public["measure_id"])


def test_summarise_measures_before_the_data_has_no_data(tiny):
    df = assessment.summarise_measures(tiny, "empty", "2026-09")
    assert df.empty
    html = report.format_measures_table(df, "Empty strategy: headline measures")
    assert "no measures" in html and "<table" not in html


def test_summarise_strategy_roll_up_and_delivery(tiny):
    summary = assessment.summarise_strategy(tiny, "alpha", "2026-09", audience="public")
    assert summary.overall_rag == "Red"
    assert "worst" in summary.overall_explanation
    assert summary.delivery.rating == "Amber/Green"
    assert summary.delivery.percent == pytest.approx(75.0)
    assert summary.has_data


def test_strategy_without_data_for_the_period_says_so(tiny):
    # The tiny data starts in April 2024: nothing falls in a quarter ending before it.
    summary = assessment.summarise_strategy(tiny, "alpha", "2024-03")
    assert not summary.has_data
    assert summary.overall_rag == "Grey"
    assert "No data for this period" in report.format_overall_rag(summary)
    headline = summary.measures[summary.measures["tier"] == "headline"]
    html = report.format_measures_table(headline, "Alpha: headline measures")
    assert "no figures are available for this period" in html and "<table" not in html


def test_format_measures_table_is_accessible_and_deterministic(tiny):
    df = assessment.summarise_measures(tiny, "alpha", "2026-09")
    first = report.format_measures_table(df, "Alpha: headline <measures>", "P&B")
    assert first == report.format_measures_table(df, "Alpha: headline <measures>", "P&B")
    assert "<caption>Alpha: headline &lt;measures&gt;</caption>" in first
    assert 'role="region" tabindex="0" aria-label="Alpha: headline &lt;measures&gt;"' in first
    assert '<th scope="col">Measure</th>' in first
    assert '<th scope="row">Alpha offences</th>' in first
    assert re.search(r'class="rag rag-red"[^>]*>Red</span>', first)
    # The monthly target shown for the quarter, with the per-month figure beside it.
    assert "300 for the quarter" in first and "(100 a month)" in first
    assert "Restricted:</strong> P&amp;B only" in first
    public = assessment.summarise_measures(tiny, "alpha", "2026-09", audience="public")
    assert "Restricted" not in report.format_measures_table(public, "Alpha")


def test_format_measures_table_shows_each_comparison_and_its_basis(tiny):
    df = assessment.summarise_measures(tiny, "alpha", "2026-09")
    html = report.format_measures_table(df, "Alpha")
    heads = re.findall(r'<th scope="col">(.*?)</th>', html)
    # Six columns, so the table fits a 1280-pixel screen and an A4 page.
    assert heads == [
        "Measure", "This quarter", "Same quarter last year", "Target for the period", "RAG",
        "Assessment",
    ]  # fmt: skip
    offences = re.search(r'<th scope="row">Alpha offences</th>(.*?)</tr>', html).group(1)
    assert '<td>330<br><span class="small">2026/27 Q2</span></td>' in offences
    assert '<span class="small">2025/26 Q2</span>' in offences
    assert 'Red</span><br><span class="small">against target</span>' in offences
    assert "<strong>Needs attention</strong>. " + esc_sentence(df, "a-offences") in offences
    secret = re.search(r"Secret staff morale<br>.*?</tr>", html).group(0)
    assert (
        'Green</span><br><span class="small">on the evidence of change (no target)</span>' in secret
    )
    assert not re.search(r"\bnan\b", html, flags=re.IGNORECASE)


def test_format_measures_detail_holds_the_longer_view_spc_and_notes(tiny):
    df = assessment.summarise_measures(tiny, "alpha", "2026-09")
    html = report.format_measures_detail(df, "Alpha: the longer view")
    heads = re.findall(r'<th scope="col">(.*?)</th>', html)
    assert heads == [
        "Measure", "Year ending", "Against the plan&#x27;s baseline year", "SPC", "Data notes"
    ]  # fmt: skip
    offences = re.search(r'<th scope="row">Alpha offences</th>(.*?)</tr>', html).group(1)
    assert "against 1,380 in the 12 months before" in offences
    assert "against 1,440 in the plan&#x27;s baseline year (2024/25)" in offences
    # The assurance words follow the target's record, counted, then what SPC expects.
    spc_words = (
        "Signal of improvement: a real change for the better. Target consistently missed: every"
    )
    assert spc_words in offences
    assert "so it will not be met without a change" in offences
    limits = "limits from the chart&#x27;s reference period (April 2024 to March 2025)"
    assert f'<span class="small">{limits}</span>' in offences
    secret = re.search(r"Secret staff morale<br>.*?</tr>", html).group(0)
    assert (
        "No signal: within the normal variation of the chart&#x27;s reference period. No target"
    ) in secret
    # Codes never leak into the page as "nan" or "None" where words belong.
    assert not re.search(r"\bnan\b", html, flags=re.IGNORECASE)
    assert not re.search(r"<td>None</td>", html)
    plain = report.format_measures_detail(df.assign(quality=""), "Alpha")
    assert "<td>No notes</td>" in plain and "<td>None</td>" not in plain
    without = report.format_measures_detail(
        assessment.summarise_measures(tiny, "alpha", "2026-09", with_spc=False), "Alpha"
    )
    assert "Not assessed" in without and "limits from" not in without
    assert not re.search(r"\bnan\b", without, flags=re.IGNORECASE)
    assert report.format_measures_detail(df.iloc[0:0], "Nothing") == ""


def esc_sentence(df: pd.DataFrame, measure_id: str) -> str:
    from pcplib.report.html import esc

    return esc(df.set_index("measure_id").loc[measure_id, "sentence"])


def test_spc_words_are_read_from_the_codes():
    from pcplib.report.words import describe_assurance, describe_variation

    assert describe_variation("assessed", "special_cause_concern") == (
        "Signal of concern: a real change for the worse"
    )
    assert describe_variation("assessed", "common_cause") == (
        "No signal: within the normal variation of the chart's reference period"
    )
    assert describe_variation("assessed", float("nan")) == "Not enough data to judge"
    assert describe_variation("too few points", None) == "Not enough data to judge"
    assert describe_variation("not assessed", "common_cause") == "Not assessed"
    assert describe_assurance("assessed", "consistent_fail", True) == "Target consistently missed"
    assert describe_assurance("assessed", float("nan"), True) == "Not assessed"
    assert describe_assurance("assessed", None, False) == "No target"
    assert describe_assurance("too few points", "consistent_pass", True) == "Not assessed"


def test_build_spc_charts_has_alt_and_caption(tiny):
    df = assessment.summarise_measures(tiny, "alpha", "2026-09", tier="headline", audience="public")
    html = report.build_spc_charts(df)
    assert html.count("<figure") == 1
    assert re.search(r'alt="XmR \(SPC\) chart of Alpha offences', html)
    assert "<figcaption>Alpha offences:" in html


# --- commitments, narrative, notes, provenance -----------------------------------------


def test_summarise_commitments_counts_every_status(tiny):
    counts = assessment.summarise_commitments(tiny, "alpha").set_index("status")["commitments"]
    assert counts.to_dict() == {
        "complete": 1,
        "on track": 2,
        "at risk": 1,
        "off track": 0,
        "not started": 0,
    }
    html = report.format_commitments(tiny, "alpha", "2026-09")
    assert "Amber/Green" in html and "75% complete or on track" in html
    assert "No commitments" in report.format_commitments(tiny, "empty", "2026-09")


def test_narrative_says_where_it_came_from(tiny):
    # No return loaded: never headed as the owners' submission.
    html = report.format_narrative(tiny, "alpha", "2026/27 Q2")
    assert "no quarterly return from the strategy&#x27;s owners was loaded" in html
    log = pd.DataFrame(
        [
            {
                "file": "returns/alpha-2026-27-q2.xlsx",
                "sha256": "0" * 64,
                "strategy_id": "alpha",
                "quarter": "2026/27 Q2",
                "loaded_at": "2026-10-20T09:00:00Z",
                "rows_added": 3,
                "rows_changed": 0,
                "not_supplied": 0,
            }
        ]
    )
    loaded = type(tiny)(**{**tiny.__dict__, "returns_log": log})
    said = report.describe_narrative_origin(loaded, "alpha", "2026/27 Q2")
    assert said == (
        "From the owners' quarterly return for 2026/27 Q2 (alpha-2026-27-q2.xlsx, "
        "loaded on 2026-10-20)."
    )
    assert "no quarterly return" in report.describe_narrative_origin(loaded, "alpha", "2026/27 Q1")


def test_format_narrative_escapes_text(tiny):
    html = report.format_narrative(tiny, "alpha", "2026/27 Q2")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; went well" in html
    assert "Secret staff morale is falling" in html
    assert "None reported for 2026/27 Q2" in html  # successes and challenges are empty


def test_format_narrative_public_withholds_restricted_names(tiny):
    html = report.format_narrative(tiny, "alpha", "2026/27 Q2", audience="public")
    assert "Secret staff morale" not in html
    assert "1 entry about restricted measures withheld" in html


def test_public_narrative_keeps_only_entries_whose_named_measures_are_all_public(tiny):
    # The text names no measure: only the measures column says what it is about.
    extra = pd.DataFrame(
        [
            {"strategy_id": "alpha", "quarter": "2026/27 Q2", "section": "successes",
             "text": "Morale rose to 5,555.", "measures": "a-offences; a-secret"},
            {"strategy_id": "alpha", "quarter": "2026/27 Q2", "section": "challenges",
             "text": "Offences fell by a tenth.", "measures": "a-offences"},
        ]
    )  # fmt: skip
    narrative = pd.concat([tiny.narrative.assign(measures=""), extra], ignore_index=True)
    tiny = dataclasses.replace(tiny, narrative=narrative)
    rows, withheld = narrative_rows(tiny, "alpha", "2026/27 Q2", "public")
    assert "Morale rose to 5,555." not in set(rows["text"])
    assert "Offences fell by a tenth." in set(rows["text"])
    assert withheld == 2, "the entry naming a-secret and the one whose text names it"
    board, none = narrative_rows(tiny, "alpha", "2026/27 Q2", "board")
    assert none == 0 and "Morale rose to 5,555." in set(board["text"])


def test_format_narrative_when_none(tiny):
    assert "No narrative was submitted" in report.format_narrative(tiny, "alpha", "2025/26 Q1")


def test_list_data_quality_notes(tiny):
    notes = assessment.list_data_quality_notes(tiny, "alpha", "2026-09", audience="public")
    text = " ".join(notes)
    assert notes[0].startswith("All figures are illustrative")
    assert (
        "Redefined thing: definition changed on 1 April 2025: earlier figures are shown "
        "separately and not joined" in text
    )
    assert "Previous definition: Old way of counting." in text
    assert "Alpha offences: no figure for December 2025" in text
    assert "Alpha offences: figures for September 2026 are provisional" in text
    assert "Secret staff morale" not in text


def test_build_provenance_lists_files_and_method(tiny):
    html = report.build_provenance(
        tiny,
        code_version="0123abc",
        spc_rules="mdc",
        sources=["Test source", "<b>x</b>"],
        parameters={"a": "b"},
    )
    assert "framework/measures.csv" in html and "ab" * 32 in html
    assert "pcplib version" in html and "git commit" in html and "<dd>0123abc</dd>" in html
    assert "SPC rule set" in html and "mdc" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    # The method note states the rules the judgements follow, as rebuilt.
    for phrase in (
        "Every comparison is like for like.",
        "is compared with the same quarter a year earlier",
        "the latest 12 months with the baseline year",
        "against a straight line from the baseline year to the target",
        "with no target, SPC against a stable reference period shows no concern",
        "The limits never include the period being judged",
        "A reference period that itself shifted or trended is not used",
        "or a target met with a real deterioration",
        "worst of its rated headline measures",
        "by default the plan&#x27;s baseline year and the months just before it to make at "
        "least 20 points",
        "a possible change, not yet conclusive; otherwise there is no evidence of change",
        "Seasonal series are seasonally adjusted before charting",
        "leaving out those not yet due and not started",
    ):
        assert phrase in html, phrase
    # The rating words' meanings are the one definition every report quotes (issue 26).
    from html import escape

    from pcplib.report.words import format_rag_legend

    assert escape(format_rag_legend("technical"), quote=False) in html
    assert "quarterly average" not in html


# --- Table One back test -------------------------------------------------------------


def test_rebuild_table_one_small():
    ref = pd.DataFrame(
        {
            "theme": ["A", "B", "C", "D"],
            "measure": ["m1", "m2", "m3", "m4"],
            "baseline": ["30", "14,310,294", "", "29%"],
            "current": ["109", "10,284,362", "95550", "61%"],
            "published_trend": ["▲", "▼", "‡", "▼"],
        }
    )
    out = assessment.rebuild_table_one(ref)
    assert list(out["recomputed_trend"]) == ["▲", "▼", "‡", "▲"]
    assert list(out["matches"]) == [True, True, True, False]


def test_rebuild_table_one_requires_columns():
    with pytest.raises(ValueError, match="missing column"):
        assessment.rebuild_table_one(pd.DataFrame({"theme": ["A"]}))


def test_table_one_reference_all_match(repo_root):
    ref = load_table_one(repo_root / "data" / "reference")
    out = assessment.rebuild_table_one(ref)
    assert len(out) == 21
    assert out["matches"].all(), out.loc[~out["matches"], ["measure", "published_trend"]]
    assert list(ref.attrs["files"]) == ["reference/table_one_2021_24.csv"]
    html = report.format_table_one_section(ref)
    assert "All 21 recomputed trends match" in html
    assert "Police and Crime Plan Delivery" in html


def test_load_table_one_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="expected .*table_one_2021_24.csv"):
        load_table_one(tmp_path)


# --- the shipped sample ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_public_quarter(sample: Dataset) -> str:
    """The sample's public report for 2026/27 Q2, built once: every test only reads the text.

    Each build summarises every strategy again; the tests ask the same question of it.
    """
    return report.format_public_quarter(sample, "2026/27 Q2")


@pytest.fixture(scope="module")
def module_plan_overview(sample: Dataset) -> pd.DataFrame:
    """The sample's plan overview to September 2026, worked out once per module."""
    return assessment.build_plan_overview(sample, "2026-09")


@pytest.fixture
def sample_plan_overview(module_plan_overview: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``module_plan_overview``, so no test can change what the next one reads."""
    return module_plan_overview.copy()


def test_every_strategy_summarises_on_the_sample(sample):
    for strategy_id in sample.strategies["strategy_id"]:
        summary = assessment.summarise_strategy(sample, strategy_id, "2026-09")
        assert summary.overall_rag in {"Green", "Amber", "Red", "Grey"}
        assert summary.overall_explanation
        assert not summary.measures.empty


def test_plan_overview_is_public_only(sample, sample_plan_overview):
    overview = sample_plan_overview
    restricted = set(
        sample.measures.loc[sample.measures["visibility"] == "restricted", "measure_name"]
    )
    assert not restricted & set(overview["measure_name"])
    assert set(overview["strategy_id"]) == set(sample.strategies["strategy_id"])
    html = report.format_plan_overview(overview, "Plan")
    # One compact section per mission, one row per strategy (and a header row each).
    missions = list(sample.missions["mission_name"])
    assert re.findall(r"<h3>(.*?)</h3>", html) == missions
    assert html.count("<tr>") == len(sample.strategies) + len(missions)
    assert html.count("<caption>") == len(missions)
    assert all(f"<caption>{esc_text(m)} (" in html for m in missions)


def test_public_quarter_has_no_restricted_names(sample, sample_public_quarter):
    html = sample_public_quarter
    for name in sample.measures.loc[sample.measures["visibility"] == "restricted", "measure_name"]:
        assert name not in html
    assert "What has been achieved" in html and "What still needs attention" in html


def test_evaluate_year_tests_counts_and_proportions(sample):
    evaluation = assessment.evaluate_year(sample, "2025/26")
    restricted = set(
        sample.measures.loc[sample.measures["visibility"] == "restricted", "measure_name"]
    )
    assert not restricted & set(evaluation["measure_name"])
    kinds = set(evaluation["test"])
    # The same tests as every report: exact or quasi-Poisson for counts, Laney or
    # quasi-binomial for proportions, the series' own variation for levels and stocks (the
    # sample's plain two-proportion tests were shares of whole stocks, no longer tested as
    # samples, #26); a figure counted in full (administrative) has none (issue 26, F4/N7).
    assert kinds == {
        "counts (exact conditional)", "counts (quasi-Poisson)",
        "proportions (Laney)", "proportions (quasi-binomial)",
        "level (series' own variation)", "none", "none (equal figures)",
        "none (counted in full)",
    }  # fmt: skip
    proportion = evaluation[evaluation["test"] == "proportions (Laney)"].iloc[0]
    assert "confidence interval" in proportion["finding"] and "CI" in proportion["finding"]
    html = report.format_annual_evaluation(
        assessment.classify_year_changes(sample, evaluation), "2025/26"
    )
    assert "could be tested" in html
    assert "year&#x27;s total" in html or "year's total" in html
    # Tests of counts only for counts of events; levels and stocks are tested on their
    # own point-to-point variation, and a change below materiality is said to be so.
    by_name = evaluation.set_index("measure_name")
    assert by_name.loc["Homicides", "test"] == "counts (exact conditional)"
    headcount = by_name.loc["Police officer headcount"]
    assert headcount["aggregation"] == "last"
    assert headcount["test"] == "none (counted in full)"  # administrative (issue 26, F4/N7)
    assert "below the threshold of a change that matters" in headcount["finding"]
    assert "materiality 2%" in headcount["finding"]
    # A stock's year is its year-end figure: March 2026 against March 2025.
    series = sample.series("wf-officer-headcount").set_index("period_start")["value"]
    assert headcount["current"] == series[pd.Timestamp("2026-03-01")]
    assert headcount["baseline"] == series[pd.Timestamp("2025-03-01")]
    counted = evaluation[evaluation["test"].str.startswith("counts")]
    # Counts of events, or a rate with its numerator (burglaries per 1,000 households).
    assert ((counted["aggregation"] == "sum") | (counted["unit"] == "rate_per_1000")).all()
    assert (counted["unit"] == "rate_per_1000").sum() == 1
    knife = by_name.loc["Knife-enabled serious violence offences"]
    assert "under the previous definition" in knife["finding"]
    # Money from the books is counted in full: no test of chance, only materiality
    # (issue 26, F4/N7: savings had been "possibly improved").
    money = by_name.loc["Savings delivered against the medium-term financial plan"]
    assert money["test"] == "none (counted in full)" and money["verdict"] == ""
    assert money["evidence"] == "counted change" and "no test of chance" in money["finding"]


def test_evaluate_year_sum_totals_need_every_period(tiny):
    evaluation = assessment.evaluate_year(tiny, "2025/26").set_index("measure_name")
    offences = evaluation.loc["Alpha offences"]  # December 2025 is missing
    assert pd.isna(offences["current"])
    assert "needs every period" in offences["finding"]


def test_annual_evaluation_labels_a_stock_as_its_year_end_figure(sample):
    evaluation = assessment.evaluate_year(sample, "2025/26")
    classified = assessment.classify_year_changes(sample, evaluation)
    html = report.format_annual_evaluation(classified, "2025/26")
    row = html[html.index('<th scope="row">Police officer headcount<br>') :]
    row = row[: row.index("</tr>")]
    headcount = evaluation.set_index("measure_name").loc["Police officer headcount"]
    assert headcount["aggregation"] == "last"
    assert f"{headcount['current']:,.0f} (average)" not in row
    assert f"{headcount['baseline']:,.0f} (average)" not in row


def test_format_plan_overview_caption():
    caption = report.format_plan_overview_caption("2026-09")
    assert caption == "2026/27 Q2, data to the end of September 2026"


def test_public_quarter_lists_each_measure_once_in_plain_words(sample, sample_public_quarter):
    body = sample_public_quarter
    assert body.count("Police officer headcount:") == 1
    assert " pp" not in body and "commitment(s)" not in body and "percentage points" not in body
    assert "Strategies:" in body
    # Every public measure is on the page, those with no good direction as trends.
    public = assessment.measures_for_audience(sample, audience="public")
    for name in public["measure_name"]:
        assert esc_text(name) in body, name
    trends = body.split("<summary>Trends (not rated): ")[1:]
    assert trends and "Domestic abuse crimes recorded: " in "".join(trends)
    assert "Not rated: a rise can mean more people report it, not more crime." in body


def esc_text(text: str) -> str:
    from pcplib.report.html import esc

    return esc(text)


def test_forward_plan_table(sample, repo_root):
    from pcplib.data.forward_plan import load_forward_plan

    plan = load_forward_plan(repo_root / "data" / "forward_plan.yaml")
    html = report.format_forward_plan(sample, plan.slots, after="2026-09", limit=3)
    assert "November 2026" in html
    assert "Neighbourhood" in html
    assert html.count("<tr>") == 4
    assert "No further meetings" in report.format_forward_plan(sample, plan.slots, after="2099-01")


# --- SPC limits recalculated from a known change ---------------------------------------


def _stepped(tiny: Dataset, recalculate_from: str = "2025-04-01") -> Dataset:
    """``tiny`` plus a measure that steps up in April 2025 from a known cause."""
    from dataclasses import replace

    first = tiny.measures.iloc[0].to_dict()
    officers = {
        **first,
        "measure_id": "a-officers",
        "measure_name": "Alpha officers",
        "unit": "count",
        "aggregation": "mean",
        "good_direction": "higher",
        "target": 110.0,
        "spc_recalculate_from": recalculate_from,
        "spc_recalculate_note": "Uplift <funded>",
    }
    n = len(MONTHS)
    # The reference year ends below its mean (March 2025 at 99): a last point on the
    # step's side would be flagged inside the limits period and withhold the verdict
    # (review 4, F23), which is not what these tests are about.
    values = [101.0, 99.0] * 6 + [119.0, 121.0] * ((n - 12) // 2)
    measures = pd.concat([tiny.measures, pd.DataFrame([officers])], ignore_index=True)
    measures[["spc_recalculate_from", "spc_recalculate_note"]] = measures[
        ["spc_recalculate_from", "spc_recalculate_note"]
    ].fillna("")
    obs = pd.concat([tiny.observations, pd.DataFrame(_monthly("a-officers", values))])
    return replace(tiny, measures=measures, observations=obs.reset_index(drop=True))


def _officers(dataset: Dataset, period_end: str = "2026-09", **kwargs) -> dict:
    df = assessment.summarise_measures(dataset, "alpha", period_end, **kwargs)
    return df.set_index("measure_id").loc["a-officers"].to_dict()


@pytest.mark.parametrize("rules", ["mdc", "plotthedots"])
def test_recalculation_gives_each_section_its_own_limits(tiny, rules):
    from pcplib.report.words import describe_assurance

    row = _officers(_stepped(tiny), spc_rules=rules)
    points = row["spc"].points
    assert list(points["section"].unique()) == [0, 1]
    assert points.loc[:"2025-03-01", "mean"].eq(100.0).all()
    assert points.loc["2025-04-01":, "mean"].eq(120.0).all()
    # Judged on the new process alone: no signal, and the target of 110 lies below its
    # lower limit, so it is met every month.
    assert row["spc"].variation == "common_cause"
    assert row["spc"].assurance == "consistent_pass"
    # The row carries the codes; the words are applied when the table is written.
    assert (row["spc_status"], row["spc_variation"], row["spc_assurance"]) == (
        "assessed",
        "common_cause",
        "consistent_pass",
    )
    assert describe_assurance(row["spc_status"], row["spc_assurance"], True) == (
        "Target consistently met"
    )
    # The latest limits come from the new section's first 12 points.
    assert (row["spc_limits_from"], row["spc_limits_to"]) == ("2025-04", "2026-03")
    # No point of the quarter judged sets a limit, so never "or all it has" (#26).
    assert (
        "Limits set from April 2024 to March 2025; limits recalculated from April 2025 "
        "(Uplift <funded>), each new section's from its own first 12 points."
    ) in row["spc_summary"]
    assert "limits recalculated from April 2025" in row["quality"]
    normal = (
        "within the normal variation of the chart's reference period (April 2025 to March 2026)"
    )
    assert normal in row["sentence"]


def test_without_recalculation_the_step_is_a_signal(tiny):
    row = _officers(_stepped(tiny, recalculate_from=""))
    assert row["spc"].points["mean"].nunique() == 1
    assert row["spc"].variation == "special_cause_improvement"
    assert "recalculated" not in row["spc_summary"] and "recalculated" not in row["quality"]


def test_recalculation_waits_for_twelve_points(tiny):
    # To September 2025 the new section has only April to June before the quarter judged.
    dataset = _stepped(tiny)
    row = _officers(dataset, "2025-09")
    assert row["spc"].points["mean"].nunique() == 1
    assert row["spc"].variation == "special_cause_improvement"
    note = (
        "limits set from April 2024 to March 2025; limits are not yet recalculated from "
        "April 2025 (Uplift <funded>); the section from April 2025 has 3 of the 12 points "
        "needed before the reporting period, so the baseline limits still apply"
    )
    assert note[0].upper() + note[1:] + "." in row["spc_summary"]
    assert "limits not yet recalculated from April 2025" in row["quality"]
    # Until then the baseline's limits judge the new level: a signal against the baseline.
    assert (row["spc_limits_from"], row["spc_limits_to"]) == ("2024-04", "2025-03")
    notes = assessment.list_data_quality_notes(dataset, "alpha", "2025-09")
    assert f"Alpha officers: SPC {note}." in notes


def test_recalculation_after_the_period_is_not_mentioned(tiny):
    dataset = _stepped(tiny)
    row = _officers(dataset, "2025-03")
    assert row["spc"].points["mean"].nunique() == 1
    assert "recalculated" not in row["spc_summary"]
    assert not any(
        "recalculated" in n for n in assessment.list_data_quality_notes(dataset, "alpha", "2025-03")
    )


def test_recalculation_in_notes_chart_and_not_without_spc(tiny):
    dataset = _stepped(tiny)
    notes = assessment.list_data_quality_notes(dataset, "alpha", "2026-09")
    assert (
        "Alpha officers: SPC limits set from April 2024 to March 2025; limits recalculated "
        "from April 2025 (Uplift <funded>), each new section's from its own first 12 points."
    ) in notes
    assert not any(
        "recalculated" in n
        for n in assessment.list_data_quality_notes(dataset, "alpha", "2026-09", with_spc=False)
    )
    no_spc = _officers(dataset, with_spc=False)
    assert no_spc["spc"] is None and "recalculated" not in no_spc["quality"]
    df = assessment.summarise_measures(dataset, "alpha", "2026-09")
    charts = report.build_spc_charts(df[df["measure_id"] == "a-officers"])
    assert (
        "Limits set from April 2024 to March 2025; limits recalculated from April 2025 "
        "(Uplift &lt;funded&gt;), each new section&#x27;s from its own first 12 points"
    ) in charts


def test_quality_notes_read_the_verdicts_the_report_already_has(tiny):
    # Issue #25: the SPC note reads the report's own verdict, not a second assessment.
    dataset = _stepped(tiny)
    verdicts = assessment.summarise_measures(dataset, "alpha", "2026-09")
    notes = assessment.list_data_quality_notes(dataset, "alpha", "2026-09")
    assert assessment.list_data_quality_notes(dataset, "alpha", "2026-09", verdicts=verdicts) == (
        notes
    )
    withheld = verdicts.assign(
        spc_status="unstable baseline", spc_withheld="no SPC verdict: the verdict passed in"
    )
    told = assessment.list_data_quality_notes(dataset, "alpha", "2026-09", verdicts=withheld)
    assert "Alpha officers: no SPC verdict: the verdict passed in." in told
    assert not any(n.startswith("Alpha officers: SPC limits set") for n in told)


def test_sample_neighbourhood_officers_judged_since_the_uplift(sample):
    df = assessment.summarise_measures(sample, "neighbourhood-policing", "2026-09")
    officers = df.set_index("measure_id").loc["np-officers"]
    points = officers["spc"].points
    assert points["section"].max() == 1
    assert points.loc["2025-04-01":, "mean"].nunique() == 1
    # One set of limits over 2020-2026 would call the new level a signal and the target
    # unreachable; judged since the uplift the process varies normally around the target.
    assert officers["spc"].variation == "common_cause"
    assert officers["spc"].assurance != "consistent_fail"
    assert "Neighbourhood Policing Guarantee uplift" in officers["spc_summary"]
    shoplifting = assessment.summarise_measures(sample, "business-crime", "2026-09")
    row = shoplifting.set_index("measure_id").loc["bc-shoplifting"]
    assert row["spc"].points["section"].max() == 0
    assert "recalculated" not in row["spc_summary"]


def _public_sections(body: str) -> tuple[list[str], list[str]]:
    """The list items under every "What has been achieved" and "needs attention" heading."""
    achieved, attention = [], []
    for part in body.split("<h3>")[1:]:
        # Only the first list under the heading: a mission's lists end where its next
        # section (or the next mission's heading) begins.
        items = re.findall(r"<li>(.*?)</li>", part.split("<h4>")[0].split("</ul>")[0])
        if part.startswith("What has been achieved"):
            achieved += items
        elif part.startswith("What still needs attention"):
            attention += items
    return achieved, attention


def test_public_quarter_lists_follow_the_assessment_and_say_so(sample, sample_public_quarter):
    from pcplib.report.html import esc

    achieved, attention = _public_sections(sample_public_quarter)
    assert achieved and attention
    headcount = [i for i in achieved if i.startswith("Police officer headcount:")]
    assert len(headcount) == 1
    assert headcount[0].endswith("on a year ago. Meets its target of 2,300.")
    # The lists are the measures' own assessments (the Board's), each named once.
    public = assessment.summarise_public_quarter(sample, "2026/27 Q2")
    rows = public.measures.to_dict("records")
    expected_achieved = [
        esc(f"{r['measure_name']}: {r['public_sentence']}")
        for r in rows
        if r["assessment"] in ("on track", "improving")
    ]
    expected_attention = [
        esc(f"{r['measure_name']}: {r['public_sentence']}")
        for r in rows
        if r["assessment"] == "needs attention"
    ]
    # Promise items (counts by status) come from the commitments, not the measures'
    # assessments. An owners' status the figures differ from is the Board's question to
    # them, never told to the public (review 7, F13).
    promise = re.compile(r"\d+ promises? |Promises: ")
    assert [i for i in achieved if not promise.match(i)] == expected_achieved
    assert [i for i in attention if not promise.match(i)] == expected_attention
    assert not [i for i in achieved + attention if i.startswith("The promise &quot;")]
    # Achieved never reads as a miss or a worsening; needing attention always gives why.
    bad_news = (
        "Short of its target", "Above its target", "Behind the course", "A real worsening",
        "Possibly worse", "margin of error of its target", "Too close to its target",
        "Too close to the course", "not yet a worsening", "A real rise in reports",
        "but not reliably", "on a year ago. Worse.",
    )  # fmt: skip

    def worse(r: dict) -> tuple[str, ...]:
        # Beyond its usual level the wrong way (a harm higher, an outcome lower; F20).
        way = {"lower": "Higher", "higher": "Lower"}.get(str(r.get("good_direction")), "Worse")
        return (*bad_news, f"{way} than its usual level")

    told = [(r, esc(r["public_sentence"])) for r in rows]
    achieved_told = [(r, t) for r, t in told if r["assessment"] in ("on track", "improving")]
    attention_told = [(r, t) for r, t in told if r["assessment"] == "needs attention"]
    assert not [t for r, t in achieved_told if any(w in t for w in worse(r))]
    assert not [t for r, t in attention_told if not any(w in t for w in worse(r))]


def _with_levels(tiny: Dataset) -> Dataset:
    """``tiny`` plus two public headline levels (averages of counts), one large, one small."""
    from dataclasses import replace

    first = tiny.measures.iloc[0].to_dict()
    n = len(MONTHS)
    levels = {
        "a-big": ("Big level", [1000.0, 1001.0, 1001.0] * (n // 3), 900.0),
        "a-small": ("Small level", [2.0, 3.0, 3.0] * (n // 3), 2.0),
    }
    rows, obs = [], []
    for measure_id, (name, values, target) in levels.items():
        rows.append(
            {
                **first,
                "measure_id": measure_id,
                "measure_name": name,
                "aggregation": "mean",
                "good_direction": "higher",
                "target": target,
            }
        )
        obs += _monthly(measure_id, values)
    measures = pd.concat([tiny.measures, pd.DataFrame(rows)], ignore_index=True)
    observations = pd.concat([tiny.observations, pd.DataFrame(obs)], ignore_index=True)
    return replace(tiny, measures=measures, observations=observations)


def test_public_quarter_shows_averages_of_counts_as_whole_numbers(tiny, sample_public_quarter):
    # Each quarter averages 1000, 1001 and 1001 (1000.67), or 2, 3 and 3 (2.67).
    body = report.format_public_quarter(_with_levels(tiny), "2026/27 Q2")
    assert "Big level: 1,001, the same as a year ago." in body
    assert "1,000.7" not in body
    assert "Small level: 2.7, the same as a year ago." in body
    # On the sample, no whole-number figure of a hundred or more shows a decimal.
    figures = re.findall(r"<li>[^<:]+: (£?[\d,.]+)", sample_public_quarter)
    numbers = [n.lstrip("£").rstrip(".,") for n in figures]
    large = [n for n in numbers if float(n.replace(",", "")) >= 100]
    assert len(large) > 10 and not [n for n in large if "." in n]
    assert any("." in n for n in numbers if float(n.replace(",", "")) < 100)


def test_plan_overview_numbers_and_notes_fit_the_page(tiny, sample, sample_plan_overview):
    # Progress since the baseline: the 12 months to September 2026 against 2024/25.
    levels = assessment.build_plan_overview(_with_levels(tiny), "2026-09")
    html = report.format_plan_overview(levels, "Plan")
    assert "against 1,001)</span>" in html
    assert "Against the plan&#x27;s baseline year (2024/25): " in html
    assert "1,000.7" not in html
    assert '<span class="small">(2.7 against' in html
    html = report.format_plan_overview(sample_plan_overview, "Plan")

    def total(measure_id: str, first: str, last: str) -> float:
        series = sample.series(measure_id)
        inside = (series["period_start"] >= first) & (series["period_start"] <= last)
        return float(series.loc[inside & (series["definition"] == "current"), "value"].sum())

    energy = total("estate-energy-kwh", "2024-04-01", "2025-03-01")
    assert f"against {energy:,.0f} kWh)</span>" in html
    homicides = total("vv-homicide", "2025-10-01", "2026-07-01")
    # Each measure's rating sits beside it with its basis (finding 10 of issue 26).
    # The rating on its own basis, with that basis's figures (the quarter against the same
    # quarter a year earlier), then the trend since the baseline, labelled as such.
    # 5 against 5 homicides a quarter are small numbers: Grey, "too few to tell", with the
    # counts, never Green (review 7, F5: the rule changed this rating from Green).
    homicide_rating = (
        f"<strong>Homicides</strong>: {format_rag_html('Grey')} "
        '<span class="small">too few to tell: small numbers (5 against 5 on the same quarter'
    )
    homicide_trend = (
        'Against the plan&#x27;s baseline year (2024/25): <span aria-hidden="true">▲</span> '
        "+5, no evidence of change "
        f'<span class="small">({homicides:,.0f} against'
    )
    # 15 against 10 homicides is within chance: not "deteriorated"; and on small numbers
    # (an expected count below 20) the change is a difference, never "+50.0%".
    assert homicide_rating in html and homicide_trend in html
    # A stock's one baseline is its figure at the end of the baseline year (March 2025),
    # the same figure the annual evaluation shows.
    headcount = total("wf-officer-headcount", "2025-03-01", "2025-03-01")
    assert f"against {headcount:,.0f})</span>" in html
    assert "Against March 2025, the end of the plan&#x27;s baseline year (2024/25): " in html
    # Period notes sit in small print, which the style lets wrap.
    assert "Against 2024/25: previous definition" in html and "against no data)" in html
    # The layout travels with the report's HTML (pcplib.report.fragments).
    from pcplib.report.fragments import FRAGMENT_CSS

    rule = re.search(r"td\.num \.small \{([^}]*)\}", FRAGMENT_CSS)
    assert rule and "white-space: normal" in rule.group(1)


def test_a_stock_is_compared_at_a_month_never_over_12_months(sample):
    # Review B6: "Police officer headcount 2,331 (+0.6%) September 2026, against 2,317 in
    # the 12 months before": a headcount is a stock, its comparison the figure at a month.
    df = assessment.summarise_measures(sample, "workforce", "2026-09")
    html = report.format_measures_detail(df, "Workforce")
    head = re.search(r'<th scope="row">Police officer headcount</th>(.*?)</tr>', html).group(1)
    assert "September 2026, against" in head and "in September 2025" in head
    assert "12 months before" not in head and "latest 12 months" not in head
    assert "in March 2025, the end of the plan&#x27;s baseline year (2024/25)" in head
    # A flow keeps its 12 months.
    flow = report.format_measures_detail(
        assessment.summarise_measures(sample, "neighbourhood-crime", "2026-09"), "Crime"
    )
    assert "in the 12 months before" in flow and "latest 12 months (" in flow


def test_the_longer_view_grades_the_change_of_a_measure_with_no_good_direction():
    row = {
        "measure_name": "Stop and searches", "unit": "count", "year_ending": 5400.0,
        "previous_year": 5065.0, "baseline": 4936.0, "year_ending_change": "+6.6%",
        "year_ending_label": "12 months to September 2026", "since_baseline_arrow": "▲",
        "since_baseline_change": "+9.4%", "since_baseline_judgement": "no good direction",
        "since_baseline_words": "a rise beyond chance, no good direction",
        "baseline_label": "2024/25", "spc_status": "assessed",
        "spc_variation": "common_cause", "spc_assurance": "", "target": None, "quality": "",
        "has_data": True, "rate_per_year": "",
    }  # fmt: skip
    html = report.format_measures_detail(pd.DataFrame([row]), "Detail")
    assert "+9.4%" in html and "a rise beyond chance, no good direction" in html


def test_the_main_table_grades_the_quarter_change_of_a_measure_with_no_good_direction():
    from pcplib.report.measures import _direction_note

    row = {"direction": "up", "judgement": "no good direction", "good_direction": "neutral"}
    assert _direction_note({**row, "change_evidence": "beyond chance"}) == (
        "up; a rise beyond chance, no good direction"
    )
    assert _direction_note({**row, "change_evidence": "possible change",
                            "judgement": "possible change"}) == (
        "up; possibly a rise, no good direction"
    )  # fmt: skip
    rated = {"direction": "down", "judgement": "improved", "good_direction": "lower"}
    assert _direction_note({**rated, "change_evidence": "beyond chance"}) == "down; improved"


def test_build_provenance_takes_the_reports_own_method_note(tiny):
    # The annual evaluation makes no quarterly comparison, rating or projected delivery,
    # so it gives its own note in place of the quarterly reports' (review 9, R9-13).
    from pcplib.report.annual import ANNUAL_METHOD_NOTE

    html = report.build_provenance(tiny, code_version="x", method_note=ANNUAL_METHOD_NOTE)
    assert "financial year with the plan&#x27;s baseline year" in html
    assert "Every comparison is like for like." not in html
    assert "Every comparison is like for like." in report.build_provenance(tiny, code_version="x")
