"""The SPC words a report prints: one verdict in the caption, the summary and the rating.

Review 9 (R9-8, R9-23): the SPC summary forecast on a record alone; a chart caption called
a run the tests do not confirm "a real change in the wrong direction" beside a summary
and rating that did not; a flagged point overruled by the materiality rule was shown
with no word why; "p = 0.050, below 0.05".
"""

from __future__ import annotations

import re
from typing import Any

from pcplib.assessment.strategy import summarise_strategy


def _row(sample: Any, strategy: str, measure: str) -> dict[str, Any]:
    rows = summarise_strategy(sample, strategy, "2026-09", "board").measures
    return dict(rows.set_index("measure_id").loc[measure].to_dict())


def test_a_p_value_is_printed_to_the_side_of_its_threshold(sample: Any) -> None:
    summary = _row(sample, "business-crime", "bc-shoplifting")["spc_summary"]
    assert "a straight-line trend (p = 0.0497, below 0.05)" in summary
    for shown in re.findall(r"p = (0\.\d+), below 0\.05", summary):
        assert float(shown) < 0.05, summary


def test_an_assurance_the_record_settled_is_never_told_as_a_forecast(sample: Any) -> None:
    from pcplib.report.spc_summary import format_spc_summary

    rows = summarise_strategy(sample, "neighbourhood-policing", "2026-09", "board").measures
    officers = rows[rows["measure_id"] == "np-officers"]
    assert officers["spc_assurance_basis"].iloc[0] == "record"
    page = format_spc_summary(officers, "SPC summary")
    assert "The target will be met if nothing changes" not in page
    assert (
        "Met every month (18 of 18) since April 2025; its limits do not rule out a miss, so "
        "this is a record, not a forecast."
    ) in page
    # Limits wholly on one side still forecast: the 101 calls' target is missed by them.
    calls = rows[rows["measure_id"] == "np-101-answered-3min"]
    assert calls["spc_assurance_basis"].iloc[0] == "limits"
    assert "The target will not be met unless the process changes." in format_spc_summary(
        calls, "SPC summary"
    )


def test_a_caption_settled_by_the_record_is_no_forecast(sample: Any) -> None:
    summary = _row(sample, "effective-criminal-justice", "cj-file-quality")["spc_summary"]
    assert "the target of 70.0% is consistently missed (it lies within the process limits, " in (
        summary
    )
    assert "will not be met" not in summary


def test_an_unconfirmed_concern_has_one_verdict_in_caption_summary_and_rating(
    sample: Any,
) -> None:
    import html

    import pandas as pd

    from pcplib.assessment.spc_words import UNCONFIRMED_CONCERN
    from pcplib.report.measures import build_spc_charts
    from pcplib.report.spc_summary import format_spc_summary

    row = _row(sample, "business-crime", "bc-shoplifting")
    assert row["rag_rule"] == "harm_spc_unconfirmed"
    assert row["spc_summary"].startswith(
        f"{UNCONFIRMED_CONCERN}: two of three months close to its chart's upper limit in "
        "July 2026, September 2026 (no point outside the limits)."
    )
    assert "a real change in the wrong direction" not in row["spc_summary"]
    frame = pd.DataFrame([row | {"measure_id": "bc-shoplifting"}])
    assert UNCONFIRMED_CONCERN in html.unescape(format_spc_summary(frame, "SPC summary"))
    chart = html.unescape(build_spc_charts(frame))
    alt = chart.split('alt="', 1)[1].split('"', 1)[0]
    assert UNCONFIRMED_CONCERN in alt and "real change in the wrong direction" not in chart


def test_a_flagged_point_overruled_by_materiality_says_so_where_shown(sample: Any) -> None:
    # Review 10, R10-9: "No signal" with "The signal's change ..." in one cell, against
    # the chart's point above the upper limit. One wording, a signal too small to matter,
    # heads the SPC summary, leads the caption and the alt text, and is the sentence's.
    import html

    import pandas as pd

    from pcplib.report.measures import build_spc_charts, format_measures_detail
    from pcplib.report.spc_summary import format_spc_summary

    row = _row(sample, "neighbourhood-policing", "np-officers")
    # The +1.0% that decides is the quarter's average (371, 380, 368), said as such, with
    # August's own +2.9% beside it (review 16, R16-1).
    why = (
        "Signal (August 2026 above the upper limit), but too small to matter (the quarter "
        "averages +1.0% on the centre line, below 2%; August 2026 itself +2.9%), so not "
        "called a change"
    )
    assert row["spc_immaterial"] == why
    assert row["spc_variation"] == "common_cause"  # no improvement rests on it
    # Kept when the record settled the assurance (the caption was rebuilt without it).
    assert row["spc_assurance_basis"] == "record"
    assert row["spc_summary"].startswith(f"{why}; the target of 360 is consistently met")
    assert "no signal" not in row["spc_summary"].lower()
    frame = pd.DataFrame([row | {"measure_id": "np-officers"}])
    summary = html.unescape(format_spc_summary(frame, "SPC summary"))
    assert f"<strong>{why}</strong>" in summary and "No signal" not in summary
    # The longer view's SPC cell too.
    detail = html.unescape(format_measures_detail(frame, "Longer view"))
    assert f"{why}. Target consistently met" in detail and "No signal" not in detail
    chart = html.unescape(build_spc_charts(frame))
    assert "August 2026: 380, above the upper limit" in chart
    alt = chart.split('alt="', 1)[1].split('"', 1)[0]
    caption = chart.split("<figcaption>", 1)[1]
    assert why in alt and caption.startswith(f"Officers and PCSOs in neighbourhood teams: {why};")
    assert f"a {why[0].lower()}{why[1:]}" in row["sentence"]
    assert "within the normal variation" not in row["sentence"]
    # Several flagged points: the furthest is given beside the average.
    rate = _row(sample, "effective-criminal-justice", "cj-charge-rate")["spc_immaterial"]
    assert rate.endswith(
        "but too small to matter (the quarter averages +0.7 points on the centre line, below "
        "1 point; the furthest, August 2026, +1.0 points), so not called a change"
    )


def test_the_sentence_of_an_unconfirmed_concern_is_not_worse_by_more_than_chance(
    sample: Any,
) -> None:
    # Shoplifting: two of three months near the upper limit, the tests only possibly
    # worse (rural offences' run is now confirmed by its baseline-year test, issue 26).
    sentence = _row(sample, "business-crime", "bc-shoplifting")["sentence"]
    assert "by more than chance" not in sentence
    assert (
        "a signal of concern against the chart's reference period (October 2023 to March "
        "2025), from two of three months close to its chart's upper limit with no point "
        "outside the limits, that the tests of change do not confirm: the latest 12 months "
        "are only possibly worse"
    ) in sentence


def test_the_printed_method_says_a_signal_below_materiality_is_not_a_change() -> None:
    # Review 10, R10-9: the printed definition ("A signal is a point outside the limits,
    # ...") must be the rule the reports follow, materiality included.
    from pcplib.report.words import METHOD_NOTE

    rule = METHOD_NOTE.split("A signal is a point outside the limits", 1)[1].split(". ", 1)[0]
    # It reads the period's average, as describe_immaterial_signal does (review 16, R16-1).
    assert (
        "a signal whose points in the period, on average, differ from the centre line by "
        "less than the materiality of the tests of change (2%, or 1 percentage point) is too "
        "small to matter, however far one point lies, so it is not called a change"
    ) in rule


def test_a_signal_below_materiality_is_no_real_rise_with_no_good_direction(
    sample: Any,
) -> None:
    # Review 17, R17-1: domestic abuse crimes recorded (no good direction) were "higher
    # than the chart's reference period by more than chance" and "a real rise" on a
    # quarter whose seasonally adjusted average sat on the centre line (July +0.4%).
    import pandas as pd

    from pcplib.report.spc_summary import format_spc_summary

    row = _row(sample, "vawg", "vawg-da-crimes")
    assert row["good_direction"] == "neutral"
    why = (
        "Signal (a run of months above its chart's centre line in July 2026), but too small "
        "to matter (the quarter averages +0.0% on the centre line, below 2%; July 2026 "
        "itself +0.4%), so not called a change"
    )
    assert row["spc_immaterial"] == why
    assert row["spc_variation"] == "common_cause"
    assert row["spc_summary"].startswith(f"{why}.")
    assert "by more than chance" not in row["sentence"]
    assert f"a {why[0].lower()}{why[1:]}" in row["sentence"]
    summary = format_spc_summary(pd.DataFrame([row | {"measure_id": "vawg-da-crimes"}]), "S")
    assert "real rise" not in summary
