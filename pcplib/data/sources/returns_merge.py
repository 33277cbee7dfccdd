"""``pcp returns load``: merging checked returns into the data set, atomically.

Each return is read and checked (:func:`~pcplib.data.sources.returns_load.read_return`)
and compared with the data set: new observations, figures that fill a gap, updated
commitment statuses and activity, narrative, risks and actions. A figure already in
the data set with a different value is a *conflict*: listed, and the load refused
unless ``--replace``. Nothing is ever deleted.

The merge writes a complete new copy of the data set, with its changed tables, in a
staging folder inside the data folder (so on the same filesystem), validates that copy
with :func:`pcplib.data.load_dataset`, then swaps each changed file in with
:func:`os.replace`, the returns log last. A refused or failed load leaves every file
byte for byte as it was; a load that would change nothing writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import fcntl
import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pcplib.data.arrivals import FigureToConfirm, mark_arrivals
from pcplib.data.problems import DataValidationError, Problem
from pcplib.data.read import cell_text
from pcplib.data.schemas import TABLES, TO_CONFIRM
from pcplib.data.sources.returns_load import (
    Figure,
    ReturnContent,
    ReturnProblem,
    describe_figure,
    read_return,
)
from pcplib.spreadsheet_safety import neutralise_cell, restore_cell

if TYPE_CHECKING:
    from pcplib.data.dataset import Dataset

__all__ = [
    "Change",
    "LoadOutcome",
    "TextTable",
    "load_returns",
    "run_returns_load",
]

EXIT_DONE, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
# The tables a return can change, in the order they are swapped in; the log goes last,
# so a row in it always means the load before it completed.
_MERGED = ("observations", "commitments", "narrative", "risks", "actions", "returns_log")
_STAGING_PREFIX = ".returns-staging-"


@dataclass
class TextTable:
    """A CSV table held as the text of its cells, so that untouched rows stay byte-identical.

    Rows added are kept at the end of ``rows`` (so indexes never shift) and written
    after the row they were anchored to: a new figure goes after its measure's last row.

    Attributes
    ----------
    name : str
        The table (a key of ``TABLES``).
    relative : str
        Its file inside the data folder.
    header : list of str
        The columns as the file has them (extra columns the return fills are appended).
    rows : list of list of str
        The data rows, as text: the file's, then those added.
    changed : bool
        Whether anything was added or changed.
    """

    name: str
    relative: str
    header: list[str]
    rows: list[list[str]]
    changed: bool = False
    _original: int = field(default=-1, init=False, repr=False)
    _anchors: dict[int, int | None] = field(default_factory=dict, init=False, repr=False)
    _indexes: dict[tuple[str, ...], dict[tuple[str, ...], list[int]]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        self._original = len(self.rows)

    def column(self, name: str) -> int:
        """Return a column's position, appending it (empty in every row) if absent."""
        if name not in self.header:
            self.header.append(name)
            for row in self.rows:
                row.append("")
        return self.header.index(name)

    def _index(self, columns: tuple[str, ...]) -> dict[tuple[str, ...], list[int]]:
        """Return (building it once) the rows of each key of ``columns``."""
        if columns not in self._indexes:
            positions = [self.column(c) for c in columns]
            index: dict[tuple[str, ...], list[int]] = {}
            for n, row in enumerate(self.rows):
                index.setdefault(tuple(row[p] for p in positions), []).append(n)
            self._indexes[columns] = index
        return self._indexes[columns]

    def find(self, **match: str) -> int | None:
        """Return the index of the first row whose columns equal ``match``, or None."""
        found = self._index(tuple(match)).get(tuple(match.values()))
        return found[0] if found else None

    def last_of(self, **match: str) -> int | None:
        """Return the index of the last row of the file whose columns equal ``match``."""
        found = self._index(tuple(match)).get(tuple(match.values()), [])
        original = [n for n in found if n < self._original]
        return original[-1] if original else None

    def set(self, index: int, values: dict[str, str]) -> None:
        """Set some cells of a row (never a key column of an index already built).

        Text a spreadsheet would run as a formula is neutralised: the values come from
        owners' returns and the data set's CSV files are opened in spreadsheets.
        """
        for name, value in values.items():
            self.rows[index][self.column(name)] = neutralise_cell(value)
        self.changed = True

    def insert(self, values: dict[str, str], after: int | None = None) -> None:
        """Add a row, to be written after the file's row ``after`` (or at the end)."""
        row = [""] * len(self.header)
        for name, value in values.items():
            row[self.column(name)] = neutralise_cell(value)
        self.rows.append(row)
        number = len(self.rows) - 1
        self._anchors[number] = after
        for columns, index in self._indexes.items():
            key = tuple(row[self.header.index(c)] for c in columns)
            index.setdefault(key, []).append(number)
        self.changed = True

    def to_text(self) -> str:
        """Return the table as CSV text: UTF-8, LF line endings, minimal quoting."""
        following: dict[int | None, list[list[str]]] = {}
        for number, after in self._anchors.items():
            following.setdefault(after, []).append(self.rows[number])
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header)
        for number in range(self._original):
            writer.writerow(self.rows[number])
            writer.writerows(following.get(number, []))
        writer.writerows(following.get(None, []))
        return buffer.getvalue()


@dataclass(frozen=True)
class Change:
    """One change a return makes, or would make, to the data set.

    Attributes
    ----------
    table : str
        The table changed.
    kind : str
        ``added``, ``changed``, ``unchanged`` or ``conflict``.
    place : str
        The return's cell it comes from.
    words : str
        What it is, in a few words.
    value : str
        For a conflict, the return's figure.
    held : str
        For a conflict, the data set's figure and where it is.
    """

    table: str
    kind: str
    place: str
    words: str
    value: str = ""
    held: str = ""

    def __str__(self) -> str:
        return f"{self.place}: {self.words}"


@dataclass
class LoadOutcome:
    """What ``pcp returns load`` found and did.

    Attributes
    ----------
    problems : list
        Every problem (with a return, or with the merged copy of the data set); any
        problem refuses the whole load.
    changes : dict of str to list of Change
        For each return (by file name), every change compared with the data set.
    not_supplied : dict of str to list of str
        For each return, what it left empty.
    conflicts : list of Change
        Figures that differ from the data set's (refused unless ``replace``).
    written : list of str
        The data set's files replaced (empty for a dry run or a refused load).
    to_confirm : list of FigureToConfirm
        Figures far outside their series' history, loaded with status ``to confirm``
        (:mod:`pcplib.data.arrivals`), each located by the return's cell.
    """

    problems: list[ReturnProblem | Problem] = field(default_factory=list)
    changes: dict[str, list[Change]] = field(default_factory=dict)
    not_supplied: dict[str, list[str]] = field(default_factory=dict)
    conflicts: list[Change] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    to_confirm: list[FigureToConfirm] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """Whether the load was refused (problems, or conflicts not replaced)."""
        return bool(self.problems)


def _number_text(value: float | None) -> str:
    """Write a number as the data set's CSVs do: whole numbers without ``.0``."""
    return "" if value is None else cell_text(float(value))


def _same_number(text: str, value: float | None) -> bool:
    """Whether a CSV cell holds the same number as ``value`` (both empty counts as same)."""
    if value is None or text.strip() == "":
        return value is None and text.strip() == ""
    try:
        held = float(text.replace(",", ""))
    except ValueError:
        return False
    return abs(held - value) <= 1e-9 * max(1.0, abs(value))


def _check_csv_tables(root: Path, dataset: Dataset) -> list[Problem]:
    """Return a problem for each table a return changes that is an Excel workbook."""
    problems = []
    for name in _MERGED:
        stem = TABLES[name].stem
        if f"{stem}.xlsx" in dataset.files:
            problems.append(
                Problem(
                    (root / f"{stem}.xlsx").as_posix(), None, None, None,
                    f"a CSV table ({stem}.csv): returns are merged into CSV files only; save "
                    "the workbook as CSV (UTF-8) and remove the .xlsx",
                )
            )  # fmt: skip
    return problems


def _read_text_table(root: Path, name: str) -> TextTable:
    """Read one table as text, or start it empty when the data set has none yet."""
    spec = TABLES[name]
    relative = f"{spec.stem}.csv"
    path = root / relative
    if not path.is_file():
        return TextTable(name, relative, list((*spec.columns, *spec.extra)), [])
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = (rows[0], rows[1:]) if rows else (list(spec.columns), [])
    return TextTable(name, relative, header, [r + [""] * (len(header) - len(r)) for r in body])


def _merge_figure(
    obs: TextTable, figure: Figure, definition_from: str, today: dt.date, replace: bool
) -> Change:
    """Add or update one figure's observation row."""
    start = f"{figure.period_start:%Y-%m-%d}"
    values = {
        "value": _number_text(figure.value),
        "numerator": _number_text(figure.numerator),
        "denominator": _number_text(figure.denominator),
        "status": figure.status,
        "extracted_on": today.isoformat(),
    }
    index = obs.find(measure_id=figure.measure_id, period_start=start, area=figure.area)
    shown = describe_figure(figure)
    if index is None:
        obs.insert(
            {
                "measure_id": figure.measure_id,
                "period_start": start,
                "period_end": f"{figure.period_end:%Y-%m-%d}",
                "area": figure.area,
                "definition": "previous" if start < definition_from else "current",
                "source": figure.source,
                **values,
            },
            after=obs.last_of(measure_id=figure.measure_id),
        )
        return Change("observations", "added", figure.place, f"{shown} (new)")
    row = obs.rows[index]
    held = {name: row[obs.column(name)] for name in ("value", "numerator", "denominator")}
    if held["value"].strip() == "":
        obs.set(index, values)
        return Change("observations", "added", figure.place, f"{shown} (fills a gap)")
    same = (
        _same_number(held["value"], figure.value)
        and (figure.numerator is None or _same_number(held["numerator"], figure.numerator))
        and (figure.denominator is None or _same_number(held["denominator"], figure.denominator))
    )
    if same and row[obs.column("status")] == figure.status:
        return Change("observations", "unchanged", figure.place, shown)
    if same:
        obs.set(index, {"status": figure.status, "extracted_on": today.isoformat()})
        return Change("observations", "changed", figure.place, f"{shown} (now {figure.status})")
    was = f"the data set has {held['value']}"
    if held["numerator"] or held["denominator"]:
        was += f" ({held['numerator']} / {held['denominator']})"
    where = f"{obs.relative}, row {index + 2}"
    if not replace:
        return Change(
            "observations", "conflict", figure.place, f"{shown}, but {was} ({where})",
            value=_number_text(figure.value), held=f"{held['value']} ({where})",
        )  # fmt: skip
    obs.set(index, values)
    return Change("observations", "changed", figure.place, f"{shown}, replacing {held['value']}")


def _merge_fields(
    table: TextTable,
    key: dict[str, str],
    values: dict[str, str],
    place: str,
    words: str,
    new_row: dict[str, str] | None = None,
) -> Change:
    """Add a row, or update the given non-empty fields of the row with ``key``."""
    index = table.find(**key)
    if index is None:
        table.insert({**key, **(new_row or {}), **values})
        return Change(table.name, "added", place, f"{words} (new)")
    given = {k: v for k, v in values.items() if v != ""}
    differ = {
        k: v for k, v in given.items() if restore_cell(table.rows[index][table.column(k)]) != v
    }
    if not differ:
        return Change(table.name, "unchanged", place, words)
    table.set(index, differ)
    return Change(table.name, "changed", place, f"{words} ({', '.join(differ)} updated)")


def _plan_return(
    content: ReturnContent,
    tables: dict[str, TextTable],
    dataset: Dataset,
    today: dt.date,
    replace: bool,
) -> list[Change]:
    """Apply one return to the text tables and list the changes it makes."""
    since = {
        str(r["measure_id"]): f"{r['definition_from']:%Y-%m-%d}"
        for r in dataset.measures.to_dict("records")
    }
    changes = [
        _merge_figure(tables["observations"], f, since[f.measure_id], today, replace)
        for f in content.figures
    ]
    for c in content.commitments:
        values = {"status": c.status or "", "activity_to_date": c.activity_to_date or ""}
        values["next_steps"] = c.next_steps or ""
        changes.append(
            _merge_fields(
                tables["commitments"], {"commitment_id": c.commitment_id}, values, c.place,
                f"commitment {c.commitment_id}",
            )
        )  # fmt: skip
    key = {"strategy_id": content.strategy_id, "quarter": content.quarter}
    for n in content.narrative:
        changes.append(
            _merge_fields(
                tables["narrative"], {**key, "section": n.section},
                {"text": n.text, "measures": n.measures}, n.place,
                f"narrative: {n.section}",
            )
        )  # fmt: skip
    for r in content.risks:
        values = {
            "description": r.description,
            "likelihood": "" if r.likelihood is None else str(r.likelihood),
            "impact": "" if r.impact is None else str(r.impact),
            "mitigation": r.mitigation,
            "owner": r.owner,
        }
        changes.append(
            _merge_fields(
                tables["risks"], {"risk_id": r.risk_id, "quarter": content.quarter}, values,
                r.place, f"risk {r.risk_id}", new_row={"strategy_id": content.strategy_id},
            )
        )  # fmt: skip
    for a in content.actions:
        values = {
            "agreed_at": a.agreed_at, "action": a.action, "owner": a.owner,
            "due_date": a.due_date, "status": a.status or "open",
        }  # fmt: skip
        changes.append(
            _merge_fields(
                tables["actions"], {"action_id": a.action_id}, values, a.place,
                f"action {a.action_id}", new_row={"strategy_id": content.strategy_id},
            )
        )  # fmt: skip
    return changes


def _mark_figures_to_confirm(
    obs: TextTable, contents: Sequence[ReturnContent], dataset: Dataset
) -> list[FigureToConfirm]:
    """Mark the returns' new or changed figures that lie far outside their history."""
    columns = ("measure_id", "area", "definition", "period_start", "value", "numerator")
    positions = {name: obs.column(name) for name in (*columns, "status")}
    rows = [{name: row[at] for name, at in positions.items()} for row in obs.rows]
    before = dataset.observations.dropna(subset=["value"])
    held_before = {
        (str(m), f"{s:%Y-%m-%d}", str(a)): float(v)
        for m, s, a, v in zip(
            before["measure_id"], before["period_start"], before["area"], before["value"],
            strict=True,
        )
    }  # fmt: skip
    places: dict[int, str] = {}
    for content, figure in ((c, f) for c in contents for f in c.figures):
        start = f"{figure.period_start:%Y-%m-%d}"
        index = obs.find(measure_id=figure.measure_id, period_start=start, area=figure.area)
        # A figure arrives when this load writes it: new, filling a gap, or a new value
        # (not one the data set held already, which may have been confirmed since).
        if index is None or rows[index]["value"] != _number_text(figure.value):
            continue
        if _same_number(_number_text(held_before.get((figure.measure_id, start, figure.area))),
                        figure.value):  # fmt: skip
            continue
        places[index] = f"{content.name}, {figure.place}"
    counted = dataset.measures[
        ((dataset.measures["unit"] == "count") & (dataset.measures["aggregation"] == "sum"))
        | (dataset.measures["unit"] == "rate_per_1000")
    ]
    counts_of = {str(m): True for m in counted["measure_id"]}
    found = mark_arrivals(rows, set(places), counts_of, places)
    for n in places:
        if rows[n]["status"] == TO_CONFIRM:
            obs.set(n, {"status": TO_CONFIRM})
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_file(path: Path, text: str) -> None:
    """Write text and flush it to disk, so the file swapped in is complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _swap_in(
    root: Path, dataset: Dataset, changed: Sequence[TextTable], today: dt.date
) -> list[Problem]:
    """Stage a full copy with the changed tables, validate it, then replace the files.

    Returns the problems that refused the swap (none when the files were replaced).
    """
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=root))
    try:
        for relative in dataset.files:
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / relative, target)
        for table in changed:
            _write_file(staging / table.relative, table.to_text())
        from pcplib.data.dataset import load_dataset

        try:
            load_dataset(staging, today=today)
        except DataValidationError as error:
            prefix = staging.as_posix()
            return [
                Problem(
                    p.file.replace(prefix, root.as_posix(), 1), p.row, p.column, p.value,
                    f"{p.expected} (in the data set as the returns would leave it)",
                )
                for p in error.problems
            ]  # fmt: skip
        moved = [
            relative
            for relative, sha256 in dataset.files.items()
            if not (root / relative).is_file() or _sha256(root / relative) != sha256
        ]
        if moved:
            return [
                Problem(
                    (root / moved[0]).as_posix(), None, None, None,
                    "the file as it was when the load began (it changed meanwhile); load again",
                )
            ]  # fmt: skip
        _replace_all(root, staging, [table.relative for table in changed])
        return []
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _replace_all(root: Path, staging: Path, relatives: Sequence[str]) -> None:
    """Move the staged files into the data set: all of them, or, on a failure, none.

    Each file replaced is first linked aside inside the staging folder (no copy, so
    a full disk cannot stop it), and put back if a later one cannot be moved in.
    """
    kept = staging / ".before"
    done: list[tuple[Path, Path | None]] = []
    try:
        for relative in relatives:
            target = root / relative
            backup: Path | None = None
            if target.exists():
                backup = kept / relative
                backup.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(target, backup)
                except OSError:  # a file system without hard links
                    shutil.copy2(target, backup)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, target)
            done.append((target, backup))
    except OSError:
        for target, backup in reversed(done):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        raise


class _Lock:
    """An exclusive lock on the data folder, so two loads never interleave."""

    def __init__(self, root: Path) -> None:
        self.fd = os.open(root, os.O_RDONLY)

    def __enter__(self) -> _Lock:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _read_returns(
    paths: Iterable[Path | str], dataset: Dataset, today: dt.date
) -> tuple[list[ReturnContent], list[ReturnProblem]]:
    """Read and check each return; a second return for a strategy's quarter is refused."""
    contents: list[ReturnContent] = []
    problems: list[ReturnProblem] = []
    for path in paths:
        content, found = read_return(path, dataset, today=today)
        problems += found
        if content is not None:
            contents.append(content)
    seen: dict[tuple[str, str], str] = {}
    for content in contents:
        key = (content.strategy_id, content.quarter)
        if key in seen:
            problems.append(
                ReturnProblem(
                    content.name, None, None,
                    f"one return per strategy and quarter in a load ({seen[key]} is also "
                    f"{content.strategy_id}, {content.quarter})",
                )
            )  # fmt: skip
        seen[key] = content.name
    return contents, problems


def _describe_conflicts(changes: Mapping[str, Sequence[Change]]) -> list[ReturnProblem]:
    """One problem per figure a return gives that differs from the data set's."""
    return [
        ReturnProblem(
            name, c.place, c.value,
            f"{c.held}, the figure the data set already has for {c.words.split(':')[0]}"
            " (a conflict: check which is right, then load again with --replace to "
            "replace the data set's figure)",
        )
        for name, found in changes.items()
        for c in found
        if c.kind == "conflict"
    ]  # fmt: skip


def load_returns(
    paths: Iterable[Path | str],
    data_dir: Path | str,
    *,
    replace: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> LoadOutcome:
    """Check returns against the data set and merge them in, or say why not.

    Parameters
    ----------
    paths : iterable of path-like
        The returns (``.xlsx``), merged together: if any is refused, none is loaded.
    data_dir : path-like
        The data set's folder.
    replace : bool, default False
        Replace figures that differ from the data set's instead of refusing the load.
    dry_run : bool, default False
        Check and list the changes only; write nothing.
    today : datetime.date, optional
        The date quarters must have ended by and figures are marked extracted on.
    now : datetime.datetime, optional
        The time the log records (UTC); now when omitted.

    Returns
    -------
    LoadOutcome
        The problems, changes, what was not supplied, conflicts and files written.

    Raises
    ------
    DataValidationError
        If the data set itself is not valid before the load.
    BlockingIOError
        If another load holds the data folder.
    """
    from pcplib.data.dataset import load_dataset

    root = Path(data_dir)
    today = today or dt.date.today()
    now = now or dt.datetime.now(dt.UTC)
    outcome = LoadOutcome()
    with _Lock(root):
        dataset = load_dataset(root, today=today)
        outcome.problems += _check_csv_tables(root, dataset)
        if outcome.problems:
            return outcome
        tables = {name: _read_text_table(root, name) for name in _MERGED}
        contents, problems = _read_returns(paths, dataset, today)
        outcome.problems += problems
        if outcome.problems:
            return outcome
        log = tables["returns_log"]
        for content in contents:
            changes = _plan_return(content, tables, dataset, today, replace)
            outcome.changes[content.name] = changes
            outcome.not_supplied[content.name] = content.not_supplied
            outcome.conflicts += [c for c in changes if c.kind == "conflict"]
            added = sum(c.kind == "added" for c in changes)
            changed = sum(c.kind == "changed" for c in changes)
            if added or changed:
                log.insert(
                    {
                        "file": content.name,
                        "sha256": content.sha256,
                        "strategy_id": content.strategy_id,
                        "quarter": content.quarter,
                        "loaded_at": now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "rows_added": str(added),
                        "rows_changed": str(changed),
                        "not_supplied": str(len(content.not_supplied)),
                    }
                )
        outcome.to_confirm = _mark_figures_to_confirm(tables["observations"], contents, dataset)
        if outcome.conflicts:
            outcome.problems += _describe_conflicts(outcome.changes)
            return outcome
        changed_tables = [tables[name] for name in _MERGED if tables[name].changed]
        if dry_run or not changed_tables:
            return outcome
        swap_problems = _swap_in(root, dataset, changed_tables, today)
        outcome.problems += swap_problems
        if not swap_problems:
            outcome.written = [(root / t.relative).as_posix() for t in changed_tables]
    return outcome


def _print_outcome(outcome: LoadOutcome, dry_run: bool, echo: Callable[[str], None]) -> None:
    """Print what each return changes, what it left empty, and the result."""
    for name, changes in outcome.changes.items():
        counts = {kind: sum(c.kind == kind for c in changes) for kind in ("added", "changed")}
        unchanged = sum(c.kind == "unchanged" for c in changes)
        conflicts = sum(c.kind == "conflict" for c in changes)
        clash = f", {conflicts} in conflict with the data set" if conflicts else ""
        echo(
            f"{name}: {counts['added']} added, {counts['changed']} changed, "
            f"{unchanged} unchanged{clash}"
        )
        for change in changes:
            if change.kind in ("added", "changed"):
                echo(f"  {change.kind}: {change}")
        missing = outcome.not_supplied.get(name, [])
        if missing:
            echo(f"  not supplied ({len(missing)}; left as the data set has it):")
            for line in missing:
                echo(f"    {line}")
    if outcome.to_confirm:
        echo(
            f"{len(outcome.to_confirm)} figure(s) to confirm: far outside their series' "
            "history, loaded with status 'to confirm' and not judged in reports until "
            "confirmed (set the status to final once checked; docs/methodology.md):"
        )
        for figure in outcome.to_confirm:
            echo(f"  {figure}")
    for problem in outcome.problems:
        echo(str(problem))
    if outcome.problems:
        echo(f"{len(outcome.problems)} problem(s): nothing was loaded; the data set is unchanged.")
    elif dry_run:
        echo("Dry run: nothing was written.")
    elif outcome.written:
        echo("Loaded. Files replaced: " + ", ".join(outcome.written))
    else:
        echo("Nothing to change: the data set already holds everything these returns supply.")


def run_returns_load(args: argparse.Namespace, echo: Callable[[str], None] = print) -> int:
    """Handle ``pcp returns load``.

    Parameters
    ----------
    args : argparse.Namespace
        ``files``, ``data``, ``dry_run``, ``replace`` and ``today`` (testing aid).
    echo : callable, default print
        Where each line of the summary goes.

    Returns
    -------
    int
        0 when loaded (or nothing to change, or a clean dry run); 1 when a return is
        invalid or the load refused; 2 for a usage error (a file or folder not found,
        a bad ``--today``, the data set busy with another load).
    """
    try:
        today = dt.date.fromisoformat(args.today) if args.today else None
    except ValueError:
        echo(f"--today {args.today!r}: expected a date YYYY-MM-DD")
        return EXIT_USAGE
    for file in (Path(f) for f in args.files):
        if not file.is_file():
            state = (
                "a folder"
                if file.is_dir()
                else "a link to nothing, or a link loop"
                if file.is_symlink()
                else "no such file"
            )
            echo(f"{file.as_posix()}: {state}; expected a return workbook (.xlsx)")
            return EXIT_USAGE
    if not Path(args.data).is_dir():
        state = "a file" if Path(args.data).exists() else "no such data folder"
        echo(f"{Path(args.data).as_posix()}: {state}; expected a data set folder")
        return EXIT_USAGE
    try:
        outcome = load_returns(
            args.files, args.data, replace=args.replace, dry_run=args.dry_run, today=today
        )
    except DataValidationError as error:
        echo(str(error))
        echo("The data set has problems before any return is loaded: run pcp validate.")
        return EXIT_REFUSED
    except BlockingIOError:
        echo(f"{Path(args.data).as_posix()} is being loaded by another pcp returns load")
        return EXIT_USAGE
    except OSError as error:
        # A read-only or full data folder, or a name too long: one line, and the staged
        # copy is already removed, so the data set is as it was.
        where = f" ({error.filename})" if error.filename else ""
        echo(
            f"{Path(args.data).as_posix()}: cannot write the returns into the data set"
            f"{where}: {error.strerror or error}; no return was loaded"
        )
        return EXIT_REFUSED
    _print_outcome(outcome, args.dry_run, echo)
    return EXIT_REFUSED if outcome.refused else EXIT_DONE
