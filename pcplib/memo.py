"""Results of pure functions kept by their inputs' bytes, so work a report repeats is done once.

A strategy report judges the same figures more than once: its own verdict, the last
meeting's (the same series, a quarter shorter) and its data-quality notes each plan the
same SPC baseline, and each later start of a stable-period search checks a window
another call checked before (issue #25). A :class:`Memo` keeps such a function's
results by a key made of everything the function reads, as bytes
(:func:`key_series`), so an equal key can only mean an equal answer.

Each report's kernel is a fresh process, so nothing is kept from one report to the
next; a long-lived process (the tests) keeps at most ``limit`` results per memo.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import numpy as np
import pandas as pd

__all__ = ["Memo", "key_series"]

T = TypeVar("T")

_MISSING = object()


class Memo:
    """The results of one pure function, by key, at most ``limit`` of them.

    Parameters
    ----------
    limit : int, default 4096
        Results kept; the memo starts afresh when it is full (the results a report
        repeats are close together, so no finer eviction is needed).
    """

    def __init__(self, limit: int = 4096) -> None:
        self._results: dict[Hashable, object] = {}
        self._limit = limit

    def recall(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept for ``key``, or ``compute()``'s, kept for next time.

        Parameters
        ----------
        key : hashable
            Everything the result depends on.
        compute : callable
            Works the result out (called only when ``key`` is new).

        Returns
        -------
        object
            The result; the caller copies a mutable one before handing it on.
        """
        # One lookup, not a test then a read: a run's side thread may use the same memo,
        # and a clear between the two would lose the result.
        found = self._results.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        result = compute()
        if len(self._results) >= self._limit:
            self._results.clear()
        self._results[key] = result
        return result

    def __len__(self) -> int:
        return len(self._results)

    def clear(self) -> None:
        """Forget every result."""
        self._results.clear()


def key_series(values: pd.Series, with_index: bool = True) -> tuple[str, bytes, bytes] | None:
    """A key for a float series: its index's type and bytes, and its values' bytes.

    Parameters
    ----------
    values : pandas.Series
        The series.
    with_index : bool, default True
        Key the index too (a function that reads the dates); False for one that reads
        the values in order only.

    Returns
    -------
    tuple of (str, bytes, bytes) or None
        None when the series is not float64, or its index (when keyed) is not a
        time-zone-naive DatetimeIndex: such a call is worked out every time. Equal keys
        hold bit-identical values (NaN with another payload only gives another key).
    """
    if values.dtype != np.float64:
        return None
    data = values.to_numpy().tobytes()
    if not with_index:
        return ("", b"", data)
    index = values.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is not None:
        return None
    return (str(index.dtype), index.asi8.tobytes(), data)
