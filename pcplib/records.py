"""A frame's rows as dicts, exactly as ``DataFrame.to_dict("records")`` gives them, quicker.

pandas makes each row by taking every column as a Series of its own; a measures frame
has over a hundred columns, most of them strings (a block each), so each call cost
about 3.5 ms whatever its rows, and a strategy report makes a dozen such calls on its
verdicts (issue #25). :func:`list_records` reads the frame once as objects and boxes
the values as pandas does, in about a fifth of the time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

# The boxing to_dict("records") applies to object and extension columns (numpy scalars
# to Python's, pd.NA to None): pandas' own, so the two cannot drift apart.
from pandas.core.dtypes.cast import maybe_box_native

__all__ = ["list_records"]


def list_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows, each a dict by column name, as ``frame.to_dict("records")``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame (a repeated column name keeps its last value, as in pandas).

    Returns
    -------
    list of dict
        One dict per row, in order: Python floats, ints and bools for numpy columns,
        Timestamps for dates, and object and extension columns' values boxed as pandas
        boxes them.
    """
    columns = frame.columns.tolist()
    boxed = [
        i
        for i, dtype in enumerate(frame.dtypes.to_numpy())
        if dtype == np.dtype(object) or isinstance(dtype, pd.api.extensions.ExtensionDtype)
    ]
    rows = frame.to_numpy(dtype=object).tolist() if len(frame) else []
    for row in rows:
        for i in boxed:
            row[i] = maybe_box_native(row[i])
    return [dict(zip(columns, row, strict=True)) for row in rows]
