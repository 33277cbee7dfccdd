"""The calendar and catalogue row on which the verdict tests judge their made-up series.

Shared by ``tests/unit/test_verdicts.py``, ``test_panel_verdicts.py`` and
``test_chance_verdicts.py``; importable as ``verdict_series`` because pytest puts
``tests/`` on the path (``pythonpath`` in ``pyproject.toml``: the suite imports test
files with ``--import-mode=importlib``, so they cannot import one another). Each series
lines up with :data:`MONTHS` (or :data:`QUARTERS`) and is judged for the quarter ending
:data:`PERIOD_END`, with the plan's baseline year 2024/25, as every report judges it.
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
AT = {str(m): i for i, m in enumerate(MONTHS)}
"""A month ``YYYY-MM``'s position in :data:`MONTHS`."""
QAT = {str(q.start_time.to_period("M")): i for i, q in enumerate(QUARTERS)}
"""A quarter's first month ``YYYY-MM``'s position in :data:`QUARTERS`."""

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
    "seasonal": "",
}
"""A catalogue row of one measure; each test overrides what it is about."""


def observations(
    values: Sequence[float | None],
    row: dict[str, Any],
    numerators: Sequence[float] | None = None,
    denominators: Sequence[float] | None = None,
) -> pd.DataFrame:
    """The observations of one measure whose values line up with MONTHS or QUARTERS."""
    periods = QUARTERS if row["frequency"] == "quarterly" else MONTHS
    step = 3 if row["frequency"] == "quarterly" else 1
    assert len(values) == len(periods)
    return pd.DataFrame(
        {
            "measure_id": row["measure_id"],
            "period_start": [p.start_time for p in periods],
            "period_end": [p.start_time + pd.offsets.MonthEnd(step) for p in periods],
            "value": [np.nan if v is None else float(v) for v in values],
            "numerator": np.nan if numerators is None else list(numerators),
            "denominator": np.nan if denominators is None else list(denominators),
            "area": "LLR",
            "status": "final",
            "definition": "current",
        }
    )


def judge_series(
    values: Sequence[float | None],
    row: dict[str, Any],
    period_end: str = PERIOD_END,
    spc_rules: str | None = "mdc",
    numerators: Sequence[float] | None = None,
    denominators: Sequence[float] | None = None,
) -> dict[str, Any]:
    """Judge one measure's series (``row`` its whole catalogue row) as every report does."""
    frame = observations(values, row, numerators, denominators)
    dataset = SimpleNamespace(observations=frame, primary_area="LLR")
    return summarise_measure(dataset, row, period_end, spc_rules)  # type: ignore[arg-type]
