"""``pcp source csv``: merging a CSV of observations into a data set, checked on arrival.

A force's analyst often sends new or corrected figures as a CSV with the columns of
``observations/observations.csv``. :func:`plan_csv_update` compares each row with the
data set (added, filling a gap, unchanged, or a *conflict*: a different figure for the
same measure, period and area, overwritten only with ``--replace``) and checks every
figure that arrives against its series' history (:mod:`pcplib.data.arrivals`): one far
outside anything the series has shown is loaded with status ``to confirm`` and listed
with the CSV's row. The update is then validated in a copy and written atomically, as
``pcp source police-uk`` does (:func:`~pcplib.data.sources.update.check_update`,
:func:`~pcplib.data.sources.update.write_update`).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd

from pcplib.data.arrivals import mark_arrivals
from pcplib.data.problems import Problem
from pcplib.data.read import read_folder
from pcplib.data.schemas import TABLES
from pcplib.data.sources.update import (
    OBSERVATIONS,
    AreaCoverage,
    UpdatePlan,
    UpdateRefusedError,
    same_number,
)

__all__ = ["plan_csv_update"]

_FIGURE = ("value", "numerator", "denominator")


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Read the CSV's rows as text; refuse a file that is not the observations' shape."""
    shown = path.as_posix()
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UpdateRefusedError(
            f"{shown}: expected a CSV file in UTF-8 with the columns of observations.csv ({error})"
        ) from None
    if not records:
        raise UpdateRefusedError(f"{shown}, row 1: expected a header row (the file is empty)")
    header = [name.strip() for name in records[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise UpdateRefusedError(
            f"{shown}, row 1, column {missing[0]}: expected the columns of observations.csv "
            f"({', '.join(columns)})"
        )
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise UpdateRefusedError(
                f"{shown}, row {number}: expected {len(header)} fields, as the header has "
                f"(found {len(record)})"
            )
        given = dict(zip(header, record, strict=True))
        rows.append({c: given[c].strip() for c in columns} | {"_row": str(number)})
    return rows


def plan_csv_update(root: Path | str, csv_path: Path | str, replace: bool = False) -> UpdatePlan:
    """Work out what a CSV of observations changes in a data set, and mark arrivals.

    Parameters
    ----------
    root : path-like
        The data folder.
    csv_path : path-like
        A CSV with the columns of ``observations/observations.csv``.
    replace : bool, default False
        Overwrite figures the data set already holds with different ones.

    Returns
    -------
    UpdatePlan
        The observations after the update (``coverage`` is not used), what changed,
        the conflicts, and the figures to confirm (``to_confirm``, located by the
        CSV's row).

    Raises
    ------
    UpdateRefusedError
        For a data set that cannot be read or whose observations are not a CSV, or a
        CSV that is not the observations' shape; nothing is written.
    """
    root, csv_path = Path(root), Path(csv_path)
    folder = read_folder(root)
    blocking = [p for p in folder.list_problems() if p.row is None or p.row == 1]
    if "observations" not in folder.tables or "measures" not in folder.tables or blocking:
        raise UpdateRefusedError(
            f"the data set {root.as_posix()} cannot be read; run `pcp validate` first", blocking
        )
    table = folder.tables["observations"]
    if not table.file.endswith(".csv"):
        raise UpdateRefusedError(f"{table.file}: save the observations as CSV (UTF-8) first")
    columns = TABLES["observations"].columns
    existing = [
        {c: str(v) for c, v in zip(columns, r, strict=True)} for r in table.raw.itertuples(False)
    ]
    position = {(r["measure_id"], r["period_start"], r["area"]): n for n, r in enumerate(existing)}
    tally: dict[str, dict[str, int]] = {}
    conflicts: list[Problem] = []
    arrived: set[int] = set()
    places: dict[int, str] = {}
    for new in _read_rows(csv_path, columns):
        where = f"{csv_path.as_posix()}, row {new.pop('_row')}"
        counts = tally.setdefault(new["measure_id"], {"added": 0, "changed": 0, "unchanged": 0})
        n = position.get((new["measure_id"], new["period_start"], new["area"]))
        if n is None:
            n = len(existing)
            existing.append(new)
            position[(new["measure_id"], new["period_start"], new["area"])] = n
            counts["added"] += 1
        else:
            old = existing[n]
            same = all(same_number(old[c], new[c]) for c in _FIGURE)
            if same and old["status"] == new["status"]:
                counts["unchanged"] += 1
                continue
            if not same and old["value"].strip() and not replace:
                conflicts.append(
                    Problem(
                        table.file, n + 2, "value", old["value"],
                        f"the figure {new['value'] or 'empty'} of {where} for "
                        f"{new['measure_id']}, {new['area']}, {new['period_start']}: a "
                        "different figure; check which is right (--replace overwrites)",
                    )
                )  # fmt: skip
                continue
            existing[n] = new
            counts["changed"] += 1
            if same:
                continue  # only the status changed: nothing new arrives
        arrived.add(n)
        places[n] = where
    measures = folder.tables["measures"].typed
    counted = (measures["unit"] == "count") & (measures["aggregation"] == "sum")
    counted |= measures["unit"] == "rate_per_1000"
    counts_of = {str(m): True for m in measures.loc[counted, "measure_id"]}
    to_confirm = mark_arrivals(existing, arrived, counts_of, places)
    frame = pd.DataFrame(
        [{"measure_id": k, **v} for k, v in tally.items()],
        columns=["measure_id", "added", "changed", "unchanged"],
    )
    read_sha = hashlib.sha256((root / OBSERVATIONS).read_bytes())
    coverage = AreaCoverage("", "", (), 0, 0, 0)
    return UpdatePlan(
        root, coverage, columns, existing, frame, conflicts, replace, read_sha.hexdigest(),
        arrived=arrived, to_confirm=to_confirm,
    )  # fmt: skip
