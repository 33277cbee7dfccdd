"""data.police.uk street-level crime: finding the files, reading them, counting crimes.

A data.police.uk custom download is a zip with one folder per month,
``YYYY-MM/YYYY-MM-<force>-street.csv`` (plus ``-outcomes.csv`` and
``-stop-and-search.csv`` when asked for). :func:`list_street_files` (from
:mod:`pcplib.data.sources.street_files`) finds the street-level files in archives,
unpacked folders or single files, and lists every other file as skipped;
:func:`count_street_crimes` reads them with DuckDB and returns the tidy monthly
counts ``month, force, local_authority, crime_type, crimes``: every row counted
once (police.uk's convention: one row, one crime), ``force`` from ``Falls within``,
``local_authority`` the LSOA name without its last word, ``unknown`` where a row has
no LSOA; and the same counts by ``Last outcome category`` too, for outcome measures.

Why DuckDB: it reads many CSV files in parallel straight into a streaming
aggregation, so memory depends on the number of groups (months x forces x local
authorities x crime types), not on the number of rows, and a national download of
tens of millions of rows is counted on one machine. Archives are unpacked to a
temporary folder in batches of :data:`BATCH_BYTES` (on worker threads, the next batch
while DuckDB counts the current one), so disk use stays bounded too.

A malformed input stops everything with one line naming the file (or archive
member), the row as a spreadsheet shows it, the column, the value and what was
expected (:class:`PoliceUkError`).
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pandas as pd

from pcplib.data.cells import UTF8_EXPECTED, cell_differs
from pcplib.data.schemas import POLICE_UK_CRIME_TYPES
from pcplib.data.sources.archives import (
    MEMBER_ERRORS,
    MemberUnpacker,
    locate_bad_utf8,
    open_text,
)
from pcplib.data.sources.street_files import (
    MONTH_PATTERN,
    PoliceUkError,
    SkippedFile,
    StreetFile,
    list_street_files,
    match_force,
)
from pcplib.data.sources.street_files import raise_problem as _fail
from pcplib.file_safety import make_folders, name_os_error, remove_made_folders
from pcplib.spreadsheet_safety import neutralise_row

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "BATCH_BYTES",
    "COUNT_COLUMNS",
    "STREET_COLUMNS",
    "UNKNOWN_AREA",
    "PoliceUkError",
    "SkippedFile",
    "StreetCounts",
    "StreetFile",
    "count_street_crimes",
    "list_street_files",
    "match_force",
    "write_counts",
]

STREET_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
"""The header of every data.police.uk street-level crime file, in order."""

OLD_SCHEMA_MARKS = frozenset({"Month", "Reported by", "Falls within", "Crime type"})
"""Columns every data.police.uk street-level layout has had, old or current."""

NEWER_COLUMNS = ("Crime ID", "LSOA code", "LSOA name", "Last outcome category")
"""Columns the early street-level layout lacked; a file with none of them is that layout."""

COUNT_COLUMNS = ("month", "force", "local_authority", "crime_type", "crimes")
"""The columns of the tidy monthly counts, in order."""

UNKNOWN_AREA = "unknown"
"""The local authority of a row with no LSOA (police.uk could not locate the crime)."""

BATCH_BYTES = 256 * 1024 * 1024
"""Uncompressed bytes of CSV read in one DuckDB query: bounds temporary disk and memory."""

# Crime types of street-level files before May 2013, still found in old downloads:
# counted as published, though no measure can list them.
_EARLIER_CRIME_TYPES = ("Violent crime", "Public disorder and weapons")
_KNOWN_CRIME_TYPES = frozenset((*POLICE_UK_CRIME_TYPES, *_EARLIER_CRIME_TYPES))
_MONTH_VALUE = re.compile(rf"^{MONTH_PATTERN}$")
# DuckDB's memory for one query; it spills to the temporary folder beyond this.
_DUCKDB_MEMORY = "512MB"


@dataclass
class StreetCounts:
    """What reading the street-level files found.

    Attributes
    ----------
    counts : pandas.DataFrame
        ``month, force, local_authority, crime_type, crimes``: one row per month,
        force (``Falls within``), local authority and crime type with any crime,
        sorted by those columns.
    files : pandas.DataFrame
        One row per file and force found in it: ``month``, ``force``,
        ``layout_path``, ``shown``, ``rows``, ``no_location`` (rows with no LSOA),
        ``repeated_rows`` (rows whose Crime ID another row of the file repeats) and
        ``repeated_ids`` (how many such IDs).
    skipped : list of SkippedFile
        Files found but not read.
    outcomes : pandas.DataFrame
        ``counts`` by ``Last outcome category`` too: ``month, force, local_authority,
        crime_type, outcome, crimes`` (``outcome`` as published, empty where none).
    """

    counts: pd.DataFrame
    files: pd.DataFrame
    skipped: list[SkippedFile] = field(default_factory=list)
    outcomes: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def rows(self) -> int:
        """Every row read (each one crime or anti-social behaviour incident)."""
        return int(self.files["rows"].sum())


def _batches(files: Sequence[StreetFile], limit: int) -> Iterator[list[StreetFile]]:
    """Split files into runs of at most ``limit`` uncompressed bytes (one file at least)."""
    batch: list[StreetFile] = []
    size = 0
    for file in files:
        if batch and size + file.size > limit:
            yield batch
            batch, size = [], 0
        batch.append(file)
        size += file.size
    if batch:
        yield batch


def _fail_undecodable(path: Path, file: StreetFile, error: Exception) -> None:
    """Raise a located error for bytes that are not UTF-8, naming their row."""
    found = locate_bad_utf8(path)
    if found is None:
        _fail(file.shown, None, None, None, f"a readable CSV file in UTF-8 ({error})")
    line, byte = found
    _fail(
        file.shown,
        line,
        None,
        None,
        f"{UTF8_EXPECTED}: byte 0x{byte:02X} is not UTF-8 (perhaps Windows-1252 or Latin-1)",
    )


def _check_header(path: Path, file: StreetFile) -> None:
    """Check a street file's header row is data.police.uk's street-level columns."""
    with open_text(path) as handle:
        try:
            header = next(csv.reader(handle), None)
        except UnicodeDecodeError as error:
            # The text reader decodes ahead of the header: the bad byte may be rows later.
            _fail_undecodable(path, file, error)
        except (csv.Error, OSError, EOFError, zlib.error) as error:
            _fail(file.shown, 1, None, None, f"a CSV header row in UTF-8 ({error})")
    if header is None:
        _fail(file.shown, 1, None, None, "a header row (the file is empty)")
    found = [column.strip() for column in header]
    expected = ", ".join(STREET_COLUMNS)
    missing = [column for column in STREET_COLUMNS if column not in found]
    if missing and OLD_SCHEMA_MARKS <= set(found) and not set(NEWER_COLUMNS) & set(found):
        # Early data.police.uk files had the place and crime type but none of the ids
        # and outcomes: one line naming the layout, not one per absent column.
        _fail(
            file.shown,
            1,
            None,
            ", ".join(found),
            f"the current data.police.uk street-level columns ({expected}): this file "
            f"has an older layout, without {', '.join(missing)}; download these months "
            "again from data.police.uk",
        )
    for column in missing:
        _fail(
            file.shown,
            1,
            column,
            None,
            f"a column named {column!r} (the columns found are {', '.join(found) or 'none'}; "
            f"expected: {expected})",
        )
    if tuple(found) != STREET_COLUMNS:
        _fail(
            file.shown,
            1,
            None,
            ", ".join(found),
            f"the data.police.uk street-level columns in their order: {expected}",
        )


def _locate_row(path: Path, test: Callable[[list[str]], bool]) -> tuple[int, list[str]] | None:
    """Return the first data row (numbered as a spreadsheet shows it) failing ``test``."""
    with open_text(path) as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for number, record in enumerate(reader, start=2):
            if test(record):
                return number, record
    return None


def _fail_unclosed_quote(path: Path, file: StreetFile) -> None:
    """Raise a located error for a quote that is never closed, if the file has one.

    A quote left open runs into the rows after it: the row it opens in is the one to
    name, not the row where reading finally failed. Street files hold no line breaks
    inside cells, so a record spanning lines is such a quote too.
    """
    with open_text(path) as handle:
        reader = csv.reader(handle, strict=True)
        start = 1
        try:
            for _ in reader:
                if reader.line_num > start:
                    break
                start = reader.line_num + 1
            else:
                return
        except csv.Error:
            pass  # strict reading stopped inside the record that starts on ``start``
    _fail(
        file.shown,
        start,
        None,
        None,
        f"a closing quote: an unclosed quote starting in row {start} runs into the rows "
        "after it; close the quote, or remove it",
    )


def _report_unreadable(
    paths: Sequence[Path], batch: Sequence[StreetFile], error: Exception
) -> NoReturn:
    """Raise a located error for a batch DuckDB could not parse."""
    width = len(STREET_COLUMNS)
    for path, file in zip(paths, batch, strict=True):
        try:
            _fail_unclosed_quote(path, file)
            found = _locate_row(path, lambda record: len(record) != width)
        except UnicodeDecodeError as problem:
            _fail_undecodable(path, file, problem)
        except (csv.Error, OSError, EOFError, zlib.error) as problem:
            _fail(file.shown, None, None, None, f"a readable CSV file in UTF-8 ({problem})")
        if found is not None:
            number, record = found
            _fail(
                file.shown,
                number,
                None,
                ",".join(record)[:120],
                f"{width} fields, as the header has (found {len(record)})",
            )
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
    _fail(batch[0].shown, None, None, None, f"CSV files DuckDB can read ({first_line})")


_QUERY = """
WITH street AS (
    SELECT
        filename,
        "Month" AS month,
        coalesce("Falls within", '') AS force,
        -- The LSOA name without its last word. Names end in a four-character code
        -- ("Charnwood 012B"), cut by position; any other shape is cut by a regular
        -- expression, which gives the same result and costs more.
        CASE
            WHEN "LSOA name" IS NULL OR "LSOA name" = '' THEN '{unknown}'
            WHEN "LSOA name"[-5] = ' ' AND NOT contains("LSOA name"[-4:], ' ')
                THEN rtrim("LSOA name"[:-6])
            ELSE coalesce(
                nullif(regexp_extract(trim("LSOA name"), '^(.*\\S)\\s+\\S+$', 1), ''), '{unknown}'
            )
        END AS local_authority,
        coalesce("LSOA name", '') = '' AS no_location,
        coalesce("Crime type", '') AS crime_type,
        coalesce("Last outcome category", '') AS outcome,
        CASE WHEN "Crime ID" <> '' THEN hash("Crime ID") END AS id_hash
    FROM read_csv(
        $files, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
        columns = {columns}, filename = true
    )
)
-- One scan, two groupings: the counts per file, month, force, local authority and type,
-- and the Crime IDs a file repeats. IDs are grouped by their 64-bit hashes, so memory
-- grows with a batch's rows by about 16 bytes a row, not by the IDs' text.
SELECT
    filename, month, force, local_authority, crime_type, outcome,
    count(*) AS rows, count(*) FILTER (WHERE no_location) AS no_location,
    GROUPING(id_hash) AS is_count
FROM street
GROUP BY GROUPING SETS (
    (filename, month, force, local_authority, crime_type, outcome),
    (filename, id_hash)
)
HAVING GROUPING(id_hash) = 1 OR (id_hash IS NOT NULL AND count(*) > 1)
"""


def _query() -> str:
    """Return the counting query with the street-level columns typed as text."""
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in STREET_COLUMNS) + "}"
    return _QUERY.format(columns=columns, unknown=UNKNOWN_AREA)


def _check_values(
    grouped: pd.DataFrame, paths: Sequence[Path], batch: Sequence[StreetFile]
) -> None:
    """Check each file's months, forces and crime types; raise at the first bad row."""
    month_col, type_col, force_col = (
        STREET_COLUMNS.index(c) for c in ("Month", "Crime type", "Falls within")
    )
    known = ", ".join(POLICE_UK_CRIME_TYPES)
    for index, group in grouped.groupby("file_index", sort=True):
        file, path = batch[int(index)], paths[int(index)]
        bad_month = ~group["month"].fillna("").isin([file.month])
        if bad_month.any():
            value = str(group.loc[bad_month, "month"].fillna("").iloc[0])
            found = _locate_row(path, partial(cell_differs, month_col, file.month))
            expected = (
                f"{file.month}, the month of the file"
                if _MONTH_VALUE.match(value.strip())
                else f"a month written YYYY-MM: this file is for {file.month}"
            )
            _fail(file.shown, found[0] if found else None, "Month", value, expected)
        bad_type = ~group["crime_type"].isin(_KNOWN_CRIME_TYPES)
        if bad_type.any():
            found = _locate_row(path, lambda r: r[type_col] not in _KNOWN_CRIME_TYPES)
            value = str(group.loc[bad_type, "crime_type"].iloc[0])
            _fail(
                file.shown,
                found[0] if found else None,
                "Crime type",
                value,
                f"a data.police.uk crime type ({known})",
            )
        if (group["force"] == "").any():
            found = _locate_row(path, lambda r: not r[force_col])
            _fail(
                file.shown,
                found[0] if found else None,
                "Falls within",
                "",
                "the force whose area the crime falls within (it is required)",
            )


def _on_disk(pending: Future[Path] | Path, file: StreetFile) -> Path:
    """Wait for a member to be on disk; a damaged one stops with its name."""
    if isinstance(pending, Path):
        return pending
    try:
        return pending.result()
    except MEMBER_ERRORS as error:
        _fail(file.shown, None, None, None, f"a readable archive member ({error})")


def _submit(unpacker: MemberUnpacker, batch: Sequence[StreetFile]) -> list[Future[Path] | Path]:
    """Start putting a batch's archive members on disk; files on disk stay where they are."""
    pending: list[Future[Path] | Path] = []
    for file in batch:
        if file.path is not None:
            pending.append(file.path)
        else:
            assert file.archive is not None
            pending.append(unpacker.submit(file.archive, file.member))
    return pending


def _count_batch(
    con: duckdb.DuckDBPyConnection,
    batch: Sequence[StreetFile],
    pending: Sequence[Future[Path] | Path],
    folder: Path,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Count one batch of files: the per-file counts and the repeated Crime IDs."""
    import duckdb

    paths = [_on_disk(item, file) for item, file in zip(pending, batch, strict=True)]
    for path, file in zip(paths, batch, strict=True):
        _check_header(path, file)
    names = [path.as_posix() for path in paths]
    try:
        grouped = con.execute(_query(), {"files": names}).df()
    except duckdb.Error as error:
        _report_unreadable(paths, batch, error)
    index_of = {name: i for i, name in enumerate(names)}
    grouped["file_index"] = grouped["filename"].map(index_of).astype(int)
    counts = grouped[grouped["is_count"] == 1].drop(columns=["is_count", "filename"])
    repeats = grouped.loc[grouped["is_count"] == 0, ["file_index", "rows"]]
    _check_values(counts, paths, batch)
    for path in paths:
        if folder in path.parents:
            path.unlink()
    return counts, repeats


def count_street_crimes(
    files: Sequence[StreetFile],
    skipped: Sequence[SkippedFile] = (),
    batch_bytes: int = BATCH_BYTES,
    threads: int | None = None,
) -> StreetCounts:
    """Count the crimes of street-level files by month, force, local authority and type.

    Parameters
    ----------
    files : sequence of StreetFile
        From :func:`list_street_files`.
    skipped : sequence of SkippedFile, optional
        Carried into the result, so one object says what was and was not read.
    batch_bytes : int, default BATCH_BYTES
        Uncompressed bytes read per DuckDB query (archive members are unpacked to a
        temporary folder one batch at a time).
    threads : int, optional
        DuckDB's threads (default: one per CPU).

    Returns
    -------
    StreetCounts
        The tidy counts and, per file and force, rows, rows with no location and
        repeated Crime IDs (each row is still counted as a crime, as police.uk does).

    Raises
    ------
    PoliceUkError
        At the first malformed file: an unreadable member, a header that is not
        data.police.uk's, a row of the wrong width, a ``Month`` that is not
        ``YYYY-MM`` or not the file's month, an unknown crime type or no force.
    """
    import duckdb

    file_frames, count_frames = [], []
    with tempfile.TemporaryDirectory(prefix="pcp-police-uk-") as temp:
        folder = Path(temp)
        con = duckdb.connect()
        unpacker = MemberUnpacker(folder, workers=threads or os.cpu_count() or 1)
        try:
            con.execute(f"SET memory_limit = '{_DUCKDB_MEMORY}'")
            con.execute(f"SET temp_directory = '{(folder / 'spill').as_posix()}'")
            con.execute("SET preserve_insertion_order = false")
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            offset = 0
            batches = list(_batches(files, batch_bytes))
            pending = _submit(unpacker, batches[0]) if batches else []
            for number, batch in enumerate(batches):
                current = pending
                if number + 1 < len(batches):
                    # Unpack the next batch while DuckDB counts this one.
                    pending = _submit(unpacker, batches[number + 1])
                counts, repeats = _count_batch(con, batch, current, folder)
                counts["file_index"] += offset
                repeats = repeats.assign(file_index=repeats["file_index"] + offset)
                count_frames.append(counts)
                file_frames.append(_summarise_files(counts, repeats, batch, offset))
                offset += len(batch)
        finally:
            unpacker.close()
            con.close()
    return _assemble(count_frames, file_frames, list(skipped))


def _summarise_files(
    counts: pd.DataFrame, repeats: pd.DataFrame, batch: Sequence[StreetFile], offset: int
) -> pd.DataFrame:
    """Return per file and force: rows, rows with no location and repeated Crime IDs."""
    per_file = counts.groupby(["file_index", "force"], as_index=False)[
        ["rows", "no_location"]
    ].sum()
    repeated = repeats.groupby("file_index")["rows"].agg(["sum", "count"])
    per_file["repeated_rows"] = per_file["file_index"].map(repeated["sum"]).fillna(0).astype(int)
    per_file["repeated_ids"] = per_file["file_index"].map(repeated["count"]).fillna(0).astype(int)
    # A file's repeated IDs are reported once, under the force with most of its rows.
    order = per_file.sort_values(["file_index", "rows"], ascending=[True, False], kind="stable")
    later = order.index[order.duplicated("file_index")]
    per_file.loc[later, ["repeated_rows", "repeated_ids"]] = 0
    local = per_file["file_index"] - offset
    per_file["month"] = [batch[i].month for i in local]
    per_file["layout_path"] = [batch[i].layout_path for i in local]
    per_file["shown"] = [batch[i].shown for i in local]
    return per_file


def _assemble(
    count_frames: list[pd.DataFrame], file_frames: list[pd.DataFrame], skipped: list[SkippedFile]
) -> StreetCounts:
    """Combine the batches' counts into the tidy table and the per-file summary."""
    file_columns = ["month", "force", "layout_path", "shown", "rows", "no_location"]
    file_columns += ["repeated_rows", "repeated_ids"]
    if not count_frames:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in COUNT_COLUMNS})
        return StreetCounts(
            empty.astype({"crimes": int}), pd.DataFrame(columns=file_columns), skipped
        )
    keys = ["month", "force", "local_authority", "crime_type"]
    outcomes = (
        pd.concat(count_frames, ignore_index=True)
        .groupby([*keys, "outcome"], as_index=False)["rows"]
        .sum()
        .rename(columns={"rows": "crimes"})
        .sort_values([*keys, "outcome"], kind="stable")
        .reset_index(drop=True)
    )
    outcomes["crimes"] = outcomes["crimes"].astype(int)
    counts = outcomes.groupby(keys, as_index=False, sort=True)["crimes"].sum()
    files = pd.concat(file_frames, ignore_index=True).sort_values(["month", "force", "layout_path"])
    files = files[file_columns].reset_index(drop=True)
    for column in ("rows", "no_location", "repeated_rows", "repeated_ids"):
        files[column] = files[column].astype(int)
    for column in ("month", "force", "layout_path", "shown"):
        files[column] = files[column].astype(str)
    for column in [*keys, "outcome"]:
        outcomes[column] = outcomes[column].astype(str)
    counts = counts.astype({column: str for column in keys}).astype({"crimes": int})
    return StreetCounts(counts[list(COUNT_COLUMNS)], files, skipped, outcomes)


def write_counts(counts: pd.DataFrame, path: Path | str) -> Path:
    """Write the tidy counts as CSV, atomically (a temporary file, then a rename).

    Parameters
    ----------
    counts : pandas.DataFrame
        ``StreetCounts.counts``.
    path : path-like
        The CSV file to write; its folder is created if needed.

    Returns
    -------
    Path
        The file written.
    """
    target = Path(path)
    # A failure leaves nothing: not the temporary file, nor the folders made for it.
    made = make_folders(target.parent)
    try:
        handle = tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="",
            dir=target.parent,
            prefix=f".{target.name}.",
            delete=False,
        )
    except OSError as error:
        remove_made_folders(made)
        raise name_os_error(error, target) from error
    try:
        with handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COUNT_COLUMNS)
            # LSOA names and crime types come from the archive: no cell may run as a formula.
            writer.writerows(
                neutralise_row(row)
                for row in counts[list(COUNT_COLUMNS)].itertuples(index=False, name=None)
            )
        Path(handle.name).replace(target)
    except OSError as error:
        Path(handle.name).unlink(missing_ok=True)
        remove_made_folders(made)
        raise name_os_error(error, target) from error
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        remove_made_folders(made)
        raise
    return target
