"""The plan's data set (``data/``) as typed tables, and how to load it.

The data set is a folder of tables (see ``data/README.md`` for the dictionary):

- ``framework/missions``, ``framework/strategies``, ``framework/measures``
- ``framework/areas`` (optional: the force area and its local authorities, with populations)
- ``observations/observations``
- ``commitments/commitments``
- ``narrative/narrative``
- optionally, what the owners' quarterly returns carry: ``returns/risks``,
  ``returns/actions`` and ``returns/returns-log`` (empty frames when absent)
- ``dataset.yaml`` (whether the data is illustrative, a one-line description, and the
  plan's identity: organisation, force area, plan, board, forward plan)

:func:`load_dataset` reads it (:mod:`pcplib.data.read`), checks it
(:mod:`pcplib.data.validate`) and returns a :class:`Dataset`; it raises a
:class:`~pcplib.data.problems.DataValidationError` listing every problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pcplib.data.areas import find_primary_area
from pcplib.data.identity import PlanIdentity, check_identity
from pcplib.data.problems import DataValidationError
from pcplib.data.read import build_empty_table, read_folder
from pcplib.data.schemas import DATASET_META, TABLES, TIERS
from pcplib.data.snapshot import read_snapshot
from pcplib.data.validate import check_folder
from pcplib.stage_times import time_stage

__all__ = [
    "RUN_TODAY_ENV",
    "Dataset",
    "VALIDATED_DIGEST_ENV",
    "digest_validated_files",
    "load_dataset",
    "read_run_today",
]


def _empty_frame(name: str) -> pd.DataFrame:
    """Return an optional table with no rows, its columns typed as loading types them."""
    spec = TABLES[name]
    return build_empty_table(spec, f"{spec.stem}.csv").typed


@dataclass(frozen=True, eq=False)
class Dataset:
    """The plan's data set, typed and validated (see ``data/README.md``).

    Attributes
    ----------
    root : Path
        The data folder.
    missions, strategies, measures, observations, commitments, narrative : pd.DataFrame
        The tables. Text columns hold ``""`` when empty; dates are ``datetime64``;
        ``value``, ``numerator``, ``denominator`` and ``target`` are floats (NaN when
        empty); ``comparable`` is bool.
    illustrative : bool
        True for the shipped sample (from ``dataset.yaml``).
    description : str
        One line describing the data set (from ``dataset.yaml``).
    files : dict of str to str
        Each input file read, relative to ``root`` (POSIX form) -> its SHA-256.
    risks, actions, returns_log : pd.DataFrame
        The optional tables the owners' quarterly returns fill (see ``data/README.md``):
        each strategy's risks by quarter, the board's action log, and one row per
        return loaded. Empty frames, with their columns, when the data set has none.
    areas : pd.DataFrame
        ``framework/areas``: the force area and its local authorities, with their
        populations; no rows when the data set has no such table.
    area : str
        The force area named by ``dataset.yaml``'s ``force_area`` (or its older
        spelling ``area``), if it gives one.
    identity : PlanIdentity
        Whose plan it is: organisation, plan, board and forward plan (``dataset.yaml``;
        see :mod:`pcplib.data.identity`).
    """

    root: Path
    missions: pd.DataFrame
    strategies: pd.DataFrame
    measures: pd.DataFrame
    observations: pd.DataFrame
    commitments: pd.DataFrame
    narrative: pd.DataFrame
    illustrative: bool
    description: str
    files: dict[str, str] = field(default_factory=dict)
    risks: pd.DataFrame = field(default_factory=lambda: _empty_frame("risks"))
    actions: pd.DataFrame = field(default_factory=lambda: _empty_frame("actions"))
    returns_log: pd.DataFrame = field(default_factory=lambda: _empty_frame("returns_log"))
    areas: pd.DataFrame = field(default_factory=lambda: _empty_frame("areas"))
    area: str = ""
    identity: PlanIdentity = field(default_factory=PlanIdentity)

    @property
    def primary_area(self) -> str:
        """The area every judgement is made on: the police force area.

        Returns
        -------
        str
            The ``force`` row of ``areas``; without areas, ``dataset.yaml``'s ``area``
            or else the one area of the observations (``""`` if none settles it).
        """
        return find_primary_area(self.areas, self.observations, self.area)

    def strategy(self, strategy_id: str) -> pd.Series:
        """Return one strategy's row.

        Parameters
        ----------
        strategy_id : str
            Such as ``"safer-streets"``.

        Returns
        -------
        pd.Series
            The strategy's columns (name, mission, objective, owners).

        Raises
        ------
        ValueError
            If the id is unknown; the message lists the valid ids.
        """
        match = self.strategies[self.strategies["strategy_id"] == strategy_id]
        if match.empty:
            valid = ", ".join(self.strategies["strategy_id"])
            raise ValueError(f"unknown strategy {strategy_id!r}: expected one of {valid}")
        return match.iloc[0]

    def measures_for(
        self, strategy_id: str, tier: str | None = None, public_only: bool = False
    ) -> pd.DataFrame:
        """Return a strategy's measures in catalogue order.

        Parameters
        ----------
        strategy_id : str
            The strategy.
        tier : {"headline", "sub"}, optional
            Only measures of this tier.
        public_only : bool, default False
            Leave out restricted measures (for anything public).

        Returns
        -------
        pd.DataFrame
            Rows of ``measures`` with a fresh index.

        Raises
        ------
        ValueError
            For an unknown strategy or tier.
        """
        self.strategy(strategy_id)
        if tier is not None and tier not in TIERS:
            raise ValueError(f"unknown tier {tier!r}: expected one of {', '.join(TIERS)}")
        keep = self.measures["strategy_id"] == strategy_id
        if tier is not None:
            keep &= self.measures["tier"] == tier
        if public_only:
            keep &= self.measures["visibility"] == "public"
        return self.measures[keep].reset_index(drop=True)

    def series(self, measure_id: str) -> pd.DataFrame:
        """Return one measure's observations for the force area, oldest period first.

        Judgements are made on these: a measure with figures for several areas
        (the force area and its local authorities) is judged on the force area's
        alone (:attr:`primary_area`); :meth:`series_by_area` gives every area's.

        Parameters
        ----------
        measure_id : str
            The measure.

        Returns
        -------
        pd.DataFrame
            Rows of ``observations`` for :attr:`primary_area`, sorted by
            ``period_start``, fresh index.

        Raises
        ------
        ValueError
            If the measure is not in the catalogue.
        """
        rows = self.series_by_area(measure_id)
        area = self.primary_area
        if area:
            rows = rows[rows["area"] == area].reset_index(drop=True)
        return rows

    def series_by_area(self, measure_id: str) -> pd.DataFrame:
        """Return one measure's observations for every area, oldest period first.

        Parameters
        ----------
        measure_id : str
            The measure.

        Returns
        -------
        pd.DataFrame
            Rows of ``observations`` sorted by ``period_start`` then ``area``, fresh
            index: the force area's and each local authority's, for comparisons.

        Raises
        ------
        ValueError
            If the measure is not in the catalogue.
        """
        if not (self.measures["measure_id"] == measure_id).any():
            raise ValueError(
                f"unknown measure {measure_id!r}: expected a measure_id from "
                "framework/measures (see Dataset.measures)"
            )
        rows = self.observations[self.observations["measure_id"] == measure_id]
        return rows.sort_values(["period_start", "area"], kind="stable").reset_index(drop=True)


VALIDATED_DIGEST_ENV = "PCP_VALIDATED_SHA256"
"""Environment variable through which ``pcp run`` tells its kernels which bytes it validated."""

RUN_TODAY_ENV = "PCP_RUN_TODAY"
"""Environment variable through which ``pcp run`` tells its kernels the date it validated for.

``pcp run --today`` validates the data set for that date; its kernels take the same date
as today, so they load the run's validated data set instead of validating it again
for the machine's date (which they did, every one of them, whenever the two differed).
"""


def read_run_today(environ: Mapping[str, str] | None = None) -> dt.date | None:
    """Return the date ``pcp run`` validated the data set for, when this is one of its kernels.

    Parameters
    ----------
    environ : mapping, optional
        Where :data:`RUN_TODAY_ENV` is read; ``os.environ`` when omitted.

    Returns
    -------
    datetime.date or None
        The date; None when it is not set or is not a date ``YYYY-MM-DD`` (the
        machine's date is then used, as outside a run).
    """
    text = (os.environ if environ is None else environ).get(RUN_TODAY_ENV, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def digest_validated_files(files: dict[str, str], today: dt.date) -> str:
    """Return the digest that identifies one validated state of the data set.

    ``pcp run`` validates the data set once, then sets :data:`VALIDATED_DIGEST_ENV`
    to this digest for its kernels; :func:`load_dataset` skips its own schema pass
    only when the files it reads give exactly the same digest.

    Parameters
    ----------
    files : dict
        Each data file's path relative to the data folder, to its SHA-256 (as in
        ``Dataset.files``).
    today : datetime.date
        The date the validation was made against (periods must have ended by then),
        so a validation made on another day never stands in for today's.

    Returns
    -------
    str
        The SHA-256 hex digest over the date and the sorted ``(path, sha256)`` list.
    """
    digest = hashlib.sha256(f"today {today.isoformat()}\n".encode())
    for relative, sha256 in sorted(files.items()):
        digest.update(f"{relative}\t{sha256}\n".encode())
    return digest.hexdigest()


def load_dataset(path: Path | str, validate: bool = True, today: dt.date | None = None) -> Dataset:
    """Load the data set from a folder (timed as ``data load`` for ``pcp run --profile``).

    Parameters
    ----------
    path : path-like
        The data folder (``data`` in the repository).
    validate : bool, default True
        Check every table and raise if anything is wrong. With ``False`` the tables are
        only parsed (unparseable cells become NaN/NaT); a missing table still raises.
        The check is skipped, as already done, when the environment variable
        ``PCP_VALIDATED_SHA256`` equals :func:`digest_validated_files` of the files read
        (``pcp run`` sets it for its kernels after validating those exact bytes); and
        the folder is not read at all when ``PCP_DATA_SNAPSHOT`` names ``pcp run``'s
        snapshot of exactly this folder's bytes for ``today``
        (:mod:`pcplib.data.snapshot`).
    today : datetime.date, optional
        The date periods must have ended by; when omitted, the date the run validated
        for in one of ``pcp run``'s kernels (:data:`RUN_TODAY_ENV`), else ``date.today()``.

    Returns
    -------
    Dataset
        The typed tables, with fresh indexes, plus the description and file hashes.

    Raises
    ------
    DataValidationError
        If a table is missing or, with ``validate``, anything is wrong; ``.problems``
        lists every problem.
    """
    with time_stage("data load"):
        root = Path(path)
        today = today or read_run_today() or dt.date.today()
        # ``pcp run`` validated this folder already: its snapshot is used only for the
        # same bytes and date (see pcplib.data.snapshot), else the folder is read.
        validated = read_snapshot(root, today)
        if validated is not None:
            return validated
        return read_dataset(root, validate, today)


def read_dataset(root: Path, validate: bool, today: dt.date) -> Dataset:
    """Read, and unless already validated validate, the data set (see :func:`load_dataset`).

    Parameters
    ----------
    root : Path
        The data folder.
    validate : bool
        Whether to check every table.
    today : datetime.date
        The date periods must have ended by.

    Returns
    -------
    Dataset
        The typed tables.

    Raises
    ------
    DataValidationError
        If a table is missing or, with ``validate``, anything is wrong.
    """
    folder = read_folder(root)
    validated = os.environ.get(VALIDATED_DIGEST_ENV, "").strip()
    if validate and validated:
        # The file hashes are computed while reading anyway; the checks are skipped
        # only when these exact bytes were validated (by ``pcp run``) for this date.
        validate = digest_validated_files(folder.files, today) != validated
    problems = check_folder(folder, today) if validate else folder.list_problems()
    blocking = [p for p in problems if validate or p.row is None]
    missing = [name for name, spec in TABLES.items() if name not in folder.tables and spec.required]
    if blocking or missing:
        raise DataValidationError(blocking or problems, root)
    tables = {name: table.typed.reset_index(drop=True) for name, table in folder.tables.items()}
    identity = check_identity(folder.meta, (root / DATASET_META).as_posix())[0]
    return Dataset(
        root=root,
        missions=tables["missions"],
        strategies=tables["strategies"],
        measures=tables["measures"],
        observations=tables["observations"],
        commitments=tables["commitments"],
        narrative=tables["narrative"],
        illustrative=bool(folder.meta.get("illustrative", False)),
        description=str(folder.meta.get("description", "")),
        files=dict(sorted(folder.files.items())),
        risks=tables["risks"],
        actions=tables["actions"],
        returns_log=tables["returns_log"],
        areas=tables.get("areas", _empty_frame("areas")),
        area=identity.force_area,
        identity=identity,
    )
