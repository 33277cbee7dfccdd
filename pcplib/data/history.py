"""What each meeting was told: the append-only history of published runs.

``pcp run`` keeps, for every run published for a meeting of the forward plan, a copy of
its ``judgements.csv`` and of the commitments and actions the reports showed, in
``<output folder>/history/<slot>/<run>/`` (:mod:`pcplib.run.history` writes it). This
module reads it back: the "since the last meeting" section and the Delivery Board's
quarterly view compare today's judgements with what an earlier meeting was told.

A meeting's record is its latest published run (the one the Board read); nothing in
the history is ever rewritten, so an earlier run stays on file beside it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pcplib.spreadsheet_safety import restore_frame

__all__ = [
    "HISTORY_FILES",
    "MeetingRecord",
    "list_meeting_records",
    "list_meeting_runs",
    "read_meeting_record",
    "select_meeting_records",
]

HISTORY_FILES = ("judgements.csv", "commitments.csv", "actions.csv", "record.json")
"""The files of one run's record; ``record.json`` holds the slot, data period and time."""


@dataclass(frozen=True)
class MeetingRecord:
    """What one published run told a meeting.

    Attributes
    ----------
    slot : str
        The meeting (``YYYY-MM``).
    period_end : str
        The last month of the data period the meeting was shown (``YYYY-MM``).
    produced_at : str
        When the run was produced (ISO-8601).
    folder : Path
        The record's folder.
    judgements : pandas.DataFrame
        The run's ``judgements.csv`` (every column read as text, as written).
    commitments, actions : pandas.DataFrame
        The commitments and the Board's actions as the run showed them.
    """

    slot: str
    period_end: str
    produced_at: str
    folder: Path
    judgements: pd.DataFrame
    commitments: pd.DataFrame
    actions: pd.DataFrame


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame()
    try:
        return restore_frame(pd.read_csv(path, dtype=str, keep_default_na=False))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable CSV file of the meeting history ({exc})") from exc


def read_meeting_record(folder: Path) -> MeetingRecord:
    """Read one run's record from the history.

    Parameters
    ----------
    folder : Path
        ``<history>/<slot>/<run>/``.

    Returns
    -------
    MeetingRecord
        The record.

    Raises
    ------
    ValueError
        If ``record.json`` or a CSV file cannot be read (the message names the file).
    """
    meta_path = folder / "record.json"
    try:
        if meta_path.stat().st_size > _RECORD_LIMIT:
            # A record is a few lines: a huge one is not read whole into memory.
            raise ValueError(f"it is over {_RECORD_LIMIT:,} bytes")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        slot, period_end = str(meta["slot"]), str(meta["period_end"])
    # RecursionError: JSON nested thousands deep ("[[[[...") ended the report in a traceback.
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ValueError(
            f"{meta_path}: expected a JSON object with 'slot' and 'period_end' ({exc})"
        ) from exc
    return MeetingRecord(
        slot=slot,
        period_end=period_end,
        produced_at=str(meta.get("produced_at", "")),
        folder=folder,
        judgements=_read_csv(folder / "judgements.csv"),
        commitments=_read_csv(folder / "commitments.csv"),
        actions=_read_csv(folder / "actions.csv"),
    )


_RECORD_LIMIT = 1024**2
"""The most bytes a meeting's ``record.json`` may hold (it holds a few short keys)."""


def _list_run_folders(history_dir: Path | None) -> list[list[Path]]:
    """Each meeting's run folders with a complete record, oldest meeting and run first.

    None, or a folder that does not exist, holds none; a meeting with no complete run is
    left out.
    """
    if history_dir is None or not Path(history_dir).is_dir():
        return []
    slots = (
        sorted(p for p in slot_dir.iterdir() if p.is_dir() and (p / "record.json").is_file())
        for slot_dir in sorted(p for p in Path(history_dir).iterdir() if p.is_dir())
    )
    return [runs for runs in slots if runs]


def list_meeting_records(history_dir: Path | None) -> list[MeetingRecord]:
    """Return each meeting's record (its latest run), oldest meeting first.

    Parameters
    ----------
    history_dir : Path or None
        The history folder; None, or a folder that does not exist, holds no records.

    Returns
    -------
    list of MeetingRecord
        One per slot that has a complete record.
    """
    return [read_meeting_record(runs[-1]) for runs in _list_run_folders(history_dir)]


def list_meeting_runs(history_dir: Path | None) -> list[MeetingRecord]:
    """Return every published run's record, oldest first (by meeting, then run).

    A meeting's record is its latest run (:func:`list_meeting_records`); the earlier runs
    stay on file, and a second view of a quarter compares with the first one published
    (:func:`pcplib.assessment.board_changes.find_first_view`).

    Parameters
    ----------
    history_dir : Path or None
        The history folder; None, or a folder that does not exist, holds no runs.

    Returns
    -------
    list of MeetingRecord
        One per run that has a complete record.
    """
    return [read_meeting_record(run) for runs in _list_run_folders(history_dir) for run in runs]


def select_meeting_records(runs: Sequence[MeetingRecord]) -> list[MeetingRecord]:
    """Return each meeting's record from every run already read, oldest meeting first.

    The same records as :func:`list_meeting_records`, for a reader that needs every run
    as well (the Delivery Board's view), so the history is read once.

    Parameters
    ----------
    runs : sequence of MeetingRecord
        Every published run, oldest first by meeting, then run
        (:func:`list_meeting_runs`).

    Returns
    -------
    list of MeetingRecord
        One per meeting: its latest run.
    """
    # A meeting is its slot's folder, as list_meeting_records groups them.
    latest = {run.folder.parent: run for run in runs}
    return list(latest.values())
