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
