"""A frame's rows as dicts (pcplib.records): what DataFrame.to_dict("records") gives."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pcplib import assessment
from pcplib.records import list_records


def assert_same_records(frame: pd.DataFrame) -> None:
    """Every value of every row is pandas' own, of the same type (NaN and NaT as such)."""
    expected, got = frame.to_dict("records"), list_records(frame)
    assert len(got) == len(expected)
    for want, row in zip(expected, got, strict=True):
        assert list(row) == list(want)
        for key, value in want.items():
            mine = row[key]
            assert type(mine) is type(value), key
            if isinstance(value, float) and math.isnan(value):
                assert math.isnan(mine), key
            elif value is not pd.NaT:
                assert mine is value or mine == value, key


def test_list_records_boxes_every_kind_of_column_as_pandas_does() -> None:
    frame = pd.DataFrame(
        {
            "float": [1.5, np.nan, 3.0],
            "int": [1, 2, 3],
            "bool": [True, False, True],
            "date": pd.to_datetime(["2026-01-01", None, "2026-03-01"]),
            "days": pd.to_timedelta([1, 2, None], unit="D"),
            "numpy scalars": [np.float64(1.0), np.int64(2), pd.NA],
            "text": pd.array(["a", None, "c"], dtype="str"),
            "nullable": pd.array([1, None, 3], dtype="Int64"),
            "category": pd.Categorical(["x", "y", "x"]),
            "objects": [{"k": 1}, None, (1, 2)],
        }
    )
    assert_same_records(frame)
    assert_same_records(frame.iloc[:0])
    assert_same_records(frame[[]])
    # The boxing is pandas': numpy scalars become Python's, pd.NA None.
    first, second, third = list_records(frame)
    assert third["numpy scalars"] is None and second["nullable"] is None
    assert type(first["numpy scalars"]) is float and type(second["numpy scalars"]) is int


@pytest.mark.parametrize("strategy", ["neighbourhood-crime", "police-estate"])
def test_list_records_of_a_reports_verdicts_are_pandas_own(sample, strategy) -> None:
    measures = assessment.summarise_strategy(sample, strategy, "2026-09").measures
    assert len(measures.columns) > 100  # the wide frame the reports read row by row
    assert_same_records(measures)
    assert_same_records(measures[measures["tier"] == "headline"])
