"""A real change its chart does not bear out: no signal, or one month beyond the limits.

The columns are computed once with the measure's verdict
(:mod:`pcplib.assessment.chart_caveats`) and worded beside the change on the public
quarterly, the annual evaluation, the Delivery Board and the plan overview.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from verdict_series import AT, CATALOGUE, MONTHS, judge_series

from pcplib.assessment.chart_caveats import (
    CHART_NO_SIGNAL_CHART,
    CHART_NO_SIGNAL_PUBLIC,
    MOST,
    has_chart_no_signal,
    say_quarter_spike,
)
from pcplib.assessment.public import summarise_public_quarter, write_public_sentence

SPIKE = "most of it in July 2026 (178, above its usual range); August and September were within it"


def _steady(level: float = 100.0) -> np.ndarray:
    """Monthly counts about ``level`` that alternate above and below it: a stable chart
    (no run, no trend), its limits about 24 either side."""
    wobble = [6, -5, 3, -7, 4, -2, 5]
    return level + np.resize(np.array(wobble, dtype=float), len(MONTHS))


def _quarter(values: np.ndarray, now: list[float], before: list[float]) -> np.ndarray:
    """Set July to September 2026 and the same months of 2025."""
    out = values.copy()
    out[AT["2026-07"] : AT["2026-09"] + 1] = now
    out[AT["2025-07"] : AT["2025-09"] + 1] = before
    return out


def _judge(values: np.ndarray, **measure: Any) -> dict[str, Any]:
    return judge_series(values, {**CATALOGUE, **measure})


# --- one month beyond the limits -----------------------------------------------------


def test_a_quarters_rise_that_rests_on_one_month_is_flagged_with_the_month() -> None:
    values = _quarter(_steady(), [178, 104, 106], [100, 98, 101])
    row = _judge(values)
    assert row["judgement"] == "deteriorated"  # a real rise on the quarter
    assert row["quarter_spike_month"] == "2026-07"
    assert row["quarter_spike_value"] == 178
    assert row["quarter_spike_side"] == "above"
    assert row["quarter_spike_others"] == "2026-08;2026-09"
    assert row["quarter_spike_share"] >= MOST
    assert say_quarter_spike(row) == SPIKE
    assert "above the chart's usual range" in say_quarter_spike(row, "the chart's usual range")


def test_a_rise_in_every_month_of_the_quarter_rests_on_no_one_month() -> None:
    values = _quarter(_steady(), [119, 118, 119], [100, 98, 101])
    row = _judge(values)
    assert row["judgement"] == "deteriorated"
    assert row["quarter_spike_month"] == ""
    assert say_quarter_spike(row) == ""


def test_two_months_beyond_the_limits_are_not_one_month() -> None:
    values = _quarter(_steady(), [178, 175, 104], [100, 98, 101])
    assert _judge(values)["quarter_spike_month"] == ""


def test_a_month_beyond_the_limits_that_holds_less_than_half_the_change_is_not_flagged() -> None:
    # July is beyond the limits, but the rise on a year earlier is mostly August's and
    # September's (each 28 above a low year-earlier month).
    values = _quarter(_steady(), [150, 118, 119], [110, 90, 91])
    row = _judge(values)
    assert row["judgement"] == "deteriorated"
    assert row["quarter_spike_month"] == ""


def test_a_month_that_holds_a_bare_majority_of_the_change_is_not_most_of_it() -> None:
    # July is the one month beyond the limits and holds 50 of the quarter's rise of 90
    # (56%); August and September, within them, hold the other 40 (review 22, R22-3: 52%).
    values = _quarter(_steady(), [150, 118, 119], [100, 98, 99])
    row = _judge(values)
    assert row["judgement"] == "deteriorated"
    assert "a month outside its chart's limits" in row["spc_signal"]
    assert row["year_ending_judgement"] != "deteriorated"  # nothing else settles it
    assert row["since_baseline_judgement"] != "deteriorated"
    assert 0.5 < 50 / 90 < MOST
    assert row["quarter_spike_month"] == ""
    assert say_quarter_spike(row) == ""


def test_a_month_beside_a_real_change_in_the_12_months_the_same_way_is_not_a_spike() -> None:
    # The nine months before the quarter ran 14 higher than a year earlier: the 12 months
    # show a real rise, so July's 178, though it holds all the quarter's rise, is no
    # single spike (review 22, R22-3: DVPOs up for 18 months).
    values = _steady()
    values[AT["2025-10"] : AT["2026-07"]] += 14
    row = _judge(_quarter(values, [178, 96, 98], [100, 98, 101]))
    assert row["judgement"] == "deteriorated"
    assert row["spc_signal"] == "a month outside its chart's limits"  # no run in the quarter
    assert row["year_ending_judgement"] == "deteriorated"
    assert row["quarter_spike_month"] == ""
    assert say_quarter_spike(row) == ""


def test_a_month_within_a_run_on_the_chart_is_not_a_spike() -> None:
    # March to September 2026 all lie above the centre line: the chart's verdict rests on
    # a run as well as on July, a shift in the process rather than one month.
    values = _steady()
    values[AT["2026-03"] : AT["2026-07"]] = [103, 104, 102, 103]
    row = _judge(_quarter(values, [178, 104, 106], [100, 98, 101]))
    assert row["judgement"] == "deteriorated"
    assert "a run of months above its chart's centre line" in row["spc_signal"]
    assert row["year_ending_judgement"] != "deteriorated"
    assert row["quarter_spike_month"] == ""


def test_a_real_change_in_the_12_months_the_other_way_keeps_the_spike() -> None:
    # The nine months before the quarter ran 14 lower: the 12 months' change is the other
    # way, so it shows no lasting rise, and July's rise still rests on July.
    values = _steady()
    values[AT["2025-10"] : AT["2026-07"]] -= 14
    row = _judge(_quarter(values, [178, 96, 98], [100, 98, 101]))
    assert row["judgement"] == "deteriorated"
    assert row["year_ending_judgement"] != "deteriorated"
    assert row["quarter_spike_month"] == "2026-07"


def test_a_quarter_with_no_real_change_is_never_flagged() -> None:
    values = _quarter(_steady(), [150, 90, 92], [100, 98, 101])
    row = _judge(values)
    assert row["judgement"] != "deteriorated"
    assert row["quarter_spike_month"] == ""


def test_the_public_sentence_says_the_month_beside_the_quarters_change() -> None:
    row = _judge(_quarter(_steady(), [178, 104, 106], [100, 98, 101]))
    sentence = write_public_sentence(row)
    assert sentence.startswith("388, up 29.8% on a year ago, " + SPIKE + ".")
    assert "A real worsening on a year ago." in sentence


# --- no signal on the chart -------------------------------------------------------------

_QUIET = {"spc_status": "assessed", "spc_variation": "common_cause", "spc_recent": ""}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (_QUIET, True),
        ({**_QUIET, "administrative": True}, False),  # counted in full: no "real" to question
        ({**_QUIET, "spc_variation": "special_cause_concern"}, False),
        ({**_QUIET, "spc_recent": "a signal in March 2026"}, False),
        ({**_QUIET, "spc_immaterial": "a run too small to matter"}, False),
        ({**_QUIET, "spc_status": "unstable baseline", "spc_variation": None}, False),
    ],
)
def test_the_chart_shows_no_signal_only_on_stable_limits_with_nothing_flagged(
    row: dict[str, Any], expected: bool
) -> None:
    assert has_chart_no_signal(row) is expected


# --- the sample's two cases (review 21, R21-1 and R21-2) ---------------------------------


@pytest.fixture(scope="module")
def public_rows(sample: Any) -> Any:
    return summarise_public_quarter(sample, "2026/27 Q2").measures.set_index("measure_id")


def test_robberys_public_sentence_says_its_chart_shows_no_change(public_rows: Any) -> None:
    row = public_rows.loc["bc-business-robbery"]
    assert row["chart_no_signal"]
    assert row["evidence_disagreement"].startswith("The chart shows no signal")
    sentence = row["public_sentence"]
    assert (
        "A real worsening since the plan began: 219 in the 12 months to September 2026 against "
        f"159 in the plan's baseline year (2024/25), {CHART_NO_SIGNAL_PUBLIC}." in sentence
    )
    assert row["rag"] == "Red"  # the rating follows its printed rule
    # The words follow the column, not the measure.
    without = write_public_sentence({**row.to_dict(), "chart_no_signal": False})
    assert CHART_NO_SIGNAL_PUBLIC not in without


def test_complaints_public_sentence_says_the_rise_rests_on_july(public_rows: Any) -> None:
    row = public_rows.loc["sl-complaints"]
    assert row["quarter_spike_month"] == "2026-07"
    assert row["public_sentence"].startswith(f"416, up 27.6% on a year ago, {SPIKE}.")
    assert not row["chart_no_signal"]  # July is a signal


def test_dvpos_lasting_rise_is_not_told_as_one_month(public_rows: Any) -> None:
    # July 2026 (42) holds 52% of the quarter's rise, and the 12 months show a real rise
    # the same way (review 22, R22-3).
    row = public_rows.loc["vawg-dvpo"]
    assert row["judgement"] == "improved"
    assert row["year_ending_judgement"] == "improved"
    assert row["quarter_spike_month"] == ""
    assert row["public_sentence"].startswith("99, up 45.6% on a year ago. A real improvement")


def test_complaints_board_and_overview_rows_say_the_rise_rests_on_july(sample: Any) -> None:
    from pcplib.assessment.change_evidence import describe_rating_evidence
    from pcplib.assessment.measures import summarise_measures
    from pcplib.assessment.overview import build_plan_overview
    from pcplib.report.overview import _basis_figures

    rows = summarise_measures(sample, "scrutiny-and-legitimacy", "2026-09")
    row = rows.set_index("measure_id").loc["sl-complaints"].to_dict()
    words = describe_rating_evidence(row)
    assert words == (
        "no target; 2026/27 Q2 416 against 326 in 2025/26 Q2, a real rise, most of it in July "
        "2026 (178, above the chart's usual range); August and September were within it"
    )
    overview = build_plan_overview(sample, "2026-09")
    m = overview[overview["measure_name"] == "Public complaints recorded"].iloc[0].to_dict()
    assert _basis_figures(m) == (
        "416 against 326 a year earlier; most of it in July 2026 (178, above the chart's "
        "usual range); August and September were within it"
    )


def test_the_overview_says_a_trends_verdict_once_where_the_rating_rests_on_it(
    sample: Any,
) -> None:
    # Rural offences are Red on their rise against the plan's baseline year: the basis says
    # so, and the trend beside it gives the figures without saying "deteriorated" again.
    from pcplib.assessment.overview import build_plan_overview
    from pcplib.report.overview import _overview_measure

    overview = build_plan_overview(sample, "2026-09")
    m = overview[overview["measure_name"] == "Offences recorded in rural areas"].iloc[0]
    html = _overview_measure(m.to_dict())
    assert "rose beyond chance against the plan&#x27;s baseline year" in html
    assert "+4.7%" in html and "deteriorated" not in html


def test_the_annual_says_robberys_chart_shows_no_change(sample: Any) -> None:
    from pcplib.assessment.annual import classify_year_changes, evaluate_year
    from pcplib.report.annual import describe_year_outcome

    classified = classify_year_changes(sample, evaluate_year(sample, "2025/26"))
    rows = classified.set_index("measure_id")
    robbery = rows.loc["bc-business-robbery"].to_dict()
    assert robbery["outcome"] == "worse" and robbery["chart_no_signal"]
    assert describe_year_outcome(robbery) == f"Worse by more than chance, {CHART_NO_SIGNAL_CHART}"
    # A worsening its chart does show keeps the plain words.
    video = rows.loc["sl-body-worn-video"].to_dict()
    assert video["outcome"] == "worse" and not video["chart_no_signal"]
    assert describe_year_outcome(video) == "Worse by more than chance"


def test_judgements_csv_carries_the_charts_two_flags(sample: Any) -> None:
    from pcplib.assessment.judgements import tabulate_judgements
    from pcplib.assessment.strategy import summarise_strategy

    summaries = [
        summarise_strategy(sample, strategy, "2026-09")
        for strategy in ("business-crime", "scrutiny-and-legitimacy")
    ]
    rows = tabulate_judgements(summaries, "test").set_index("measure_id")
    assert rows.loc["bc-business-robbery", "chart_no_signal"]
    assert rows.loc["bc-business-robbery", "quarter_spike_month"] == ""
    assert not rows.loc["sl-complaints", "chart_no_signal"]
    assert rows.loc["sl-complaints", "quarter_spike_month"] == "2026-07"
    assert rows.loc["sl-complaints", "quarter_spike_value"] == 178
