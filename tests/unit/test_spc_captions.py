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
