"""Verdicts that chance must not decide: series built to trip review 4's findings.

Each series is made here with its answer worked out from how it was made, and judged by
:func:`pcplib.assessment.measures.summarise_measure` for the quarter ending September
2026 (baseline year 2024/25), as every report judges it. The findings: a run that began
inside the chart's reference period (F23); a target met or missed within chance (F2,
F9), and the record and assurance that go with it (F10, F12); "improved" below
materiality (F8, F13); a Red on an SPC signal that both tests of change contradict (F11).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from pcplib.assessment.measures import summarise_measure

PERIOD_END = "2026-09"
MONTHS = pd.period_range("2020-04", "2026-09", freq="M")
QUARTERS = pd.period_range("2020-04", "2026-07", freq="3M")

CATALOGUE: dict[str, Any] = {
    "measure_id": "m",
    "measure_name": "A measure",
    "strategy_id": "alpha",
    "tier": "headline",
    "unit": "count",
    "good_direction": "lower",
    "frequency": "monthly",
    "aggregation": "sum",
    "source": "Test source",
    "target": None,
    "target_note": "",
    "baseline_year": "2024/25",
    "visibility": "public",
    "target_date": "",
    "seasonal": "no",
}


def judge(
    values: Sequence[float | None],
    numerators: Sequence[float] | None = None,
    denominators: Sequence[float] | None = None,
    **measure: Any,
) -> dict[str, Any]:
    """Judge one measure whose values line up with MONTHS or QUARTERS, as reports do."""
    row = {**CATALOGUE, **measure}
    quarterly = row["frequency"] == "quarterly"
    periods = QUARTERS if quarterly else MONTHS
    assert len(values) == len(periods)
    frame = pd.DataFrame(
        {
            "measure_id": row["measure_id"],
            "period_start": [p.start_time for p in periods],
            "period_end": [
                p.start_time + pd.offsets.MonthEnd(3 if quarterly else 1) for p in periods
            ],
            "value": [np.nan if v is None else float(v) for v in values],
            "numerator": np.nan if numerators is None else list(numerators),
            "denominator": np.nan if denominators is None else list(denominators),
            "area": "LLR",
            "status": "final",
            "definition": "current",
        }
    )
    dataset = SimpleNamespace(observations=frame, primary_area="LLR")
    return summarise_measure(dataset, row, PERIOD_END, "mdc")  # type: ignore[arg-type]


# --- F23: a run that began inside the reference period withholds the verdict -------------


def _run_from_reference_period() -> list[float]:
    """20 stable quarters (2020/21 Q1 to 2024/25 Q4) whose last lies above the mean, then 6
    more above it: a run of 7 whose first point is inside the period that set the limits."""
    stable = [48.0, 52.0, 49.0, 51.0, 47.0, 53.0, 50.5, 49.5, 48.5, 51.5,
              52.0, 48.0, 51.0, 49.0, 47.5, 52.5, 50.0, 49.0, 48.0, 52.5]  # fmt: skip
    return stable + [53.0, 52.0, 54.0, 53.0, 52.0, 53.5]


def test_a_run_that_needs_the_reference_period_s_points_gives_no_spc_verdict():
    # The run of 6 is 2024/25 Q4 (inside the limits period) and the 5 quarters after it:
    # without the reference period's own point it is no run, so it is partly that period's
    # drift and gives no verdict (the rule that withholds savings' verdict, applied alike).
    values = _run_from_reference_period()
    values[-1] = 49.0  # the reporting quarter back below the mean: 5 after, not 6
    row = judge(values, frequency="quarterly", aggregation="mean", good_direction="higher",
                unit="percent")  # fmt: skip
    assert row["spc_status"] == "unstable baseline"
    assert row["spc_variation"] is None
    assert "flag points inside the period that set its limits (2024/25 Q4)" in row["spc_withheld"]
    assert row["assessment"] != "improving"


def test_a_run_the_points_after_the_reference_period_make_alone_stays_a_signal():
    # The reference period's last point lies on the side the later run went (a coin's
    # odds), but the 6 quarters after it are a full run on their own: a signal.
    row = judge(_run_from_reference_period(), frequency="quarterly", aggregation="mean",
                good_direction="higher", unit="percent")  # fmt: skip
    assert row["spc_status"] == "assessed"
    assert row["spc_variation"] == "special_cause_improvement"


def test_a_run_wholly_after_the_reference_period_is_still_a_signal():
    values = _run_from_reference_period()
    values[19] = 47.0  # the reference period's last point below the mean: the run starts after
    row = judge(values, frequency="quarterly", aggregation="mean", good_direction="higher",
                unit="percent")  # fmt: skip
    assert row["spc_status"] == "assessed"
    assert row["spc_variation"] == "special_cause_improvement"
