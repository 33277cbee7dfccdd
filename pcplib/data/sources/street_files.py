"""data.police.uk downloads: finding the street-level crime files among the inputs.

A custom download is a zip with one folder per month,
``YYYY-MM/YYYY-MM-<force>-street.csv`` (plus ``-outcomes.csv`` and
``-stop-and-search.csv`` when asked for). :func:`list_street_files` finds the
street-level files in archives, unpacked folders or single files, and lists every
other file as skipped; :mod:`pcplib.data.sources.police_uk` counts them. Kept apart
from the counting so that each module stays small.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from pcplib.data.problems import Problem

__all__ = [
    "MONTH_PATTERN",
    "PoliceUkError",
    "SkippedFile",
    "StreetFile",
    "list_street_files",
    "match_force",
    "raise_problem",
]

MONTH_PATTERN = r"\d{4}-(?:0[1-9]|1[0-2])"
_STREET_NAME = re.compile(
    rf"^(?P<month>{MONTH_PATTERN})-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*)-street\.csv$"
)
_MONTH_FOLDER = re.compile(rf"^{MONTH_PATTERN}$")
_LAYOUT = "YYYY-MM/YYYY-MM-<force>-street.csv"

STREET_MEMBER_LIMIT = 512 * 1024**2
"""The most one street file of an archive may unpack to (a month of the largest force is
tens of MiB); past it, or far more compressed than text is, it is refused unread."""

STREET_MEMBER_RATIO = 200
"""The most a street file over 16 MiB may be compressed (CSV text packs about 5 to 10
times); a zip bomb packs a thousand times."""


class PoliceUkError(ValueError):
    """A data.police.uk input that cannot be read; the message is one located line.

    Parameters
    ----------
    problem : Problem
        Where the input is wrong and what was expected; also ``.problem``.
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class StreetFile:
    """One street-level crime file of a data.police.uk download.

    Attributes
    ----------
    month : str
        The month it covers, ``YYYY-MM`` (from its name).
    force_slug : str
        The force as its name writes it (``westshire``).
    layout_path : str
        Its path in the download's layout: ``YYYY-MM/YYYY-MM-<force>-street.csv``
        (just the file name for a single file outside a month folder).
    shown : str
        How messages name it: the file's path, or ``archive.zip, member <path>``.
    archive : Path or None
        The zip archive holding it; ``None`` for a file on disk.
    member : str
        Its name inside ``archive`` (empty for a file on disk).
    path : Path or None
        The file on disk; ``None`` for an archive member.
    size : int
        Its uncompressed size in bytes.
    """

    month: str
    force_slug: str
    layout_path: str
    shown: str
    archive: Path | None = None
    member: str = ""
    path: Path | None = None
    size: int = 0


@dataclass(frozen=True)
class SkippedFile:
    """A file found among the inputs that is not read, and why.

    Attributes
    ----------
    shown : str
        The file, as messages name it.
    reason : str
        Why it is skipped, in a few words.
    """

    shown: str
    reason: str


def raise_problem(
    file: str, row: int | None, column: str | None, value: str | None, expected: str
) -> NoReturn:
    """Raise a :class:`PoliceUkError` for one located problem."""
    raise PoliceUkError(Problem(file, row, column, value, expected))


def match_force(name: str) -> str:
    """Return a force's name reduced for matching: ``Westshire Police`` -> ``westshire``.

    Parameters
    ----------
    name : str
        A force as ``Falls within`` writes it, as a file name writes it
        (``avon-and-somerset``) or as a user types it.

    Returns
    -------
    str
        Lower case, words joined by hyphens, ``&`` read as ``and``, without the
        words "police", "constabulary" and "service" around the name.
    """
    words = re.sub(r"[^a-z0-9]+", " ", str(name).lower().replace("&", " and ")).split()
    ignored = {"police", "constabulary", "service", "of"}
    while words and words[0] in ignored:
        words.pop(0)
    while words and words[-1] in ignored:
        words.pop()
    return "-".join(words)


def _classify(name: str) -> str:
    """Return why a file that is not a street-level crime file is skipped."""
    lower = name.lower()
    if lower.endswith("-outcomes.csv"):
        return "outcomes file: not read yet (only street-level crime is)"
    if lower.endswith("-stop-and-search.csv"):
        return "stop and search file: not read yet (only street-level crime is)"
    return "not a data.police.uk street-level crime file (YYYY-MM-<force>-street.csv)"


def _street_file(
    name: str, folder: str | None, shown: str, require_folder: bool
) -> tuple[str, str] | None:
    """Return ``(month, force)`` of a street file's name, or ``None`` for another file.

    Raises :class:`PoliceUkError` for a street file whose month folder does not match
    its name, or (``require_folder``, for archive members) that is not in one.
    """
    match = _STREET_NAME.match(name)
    if match is None:
        if name.endswith("-street.csv"):
            raise_problem(
                shown, None, None, name, f"a street file named as data.police.uk does: {_LAYOUT}"
            )
        return None
    month = match["month"]
    if folder is not None and _MONTH_FOLDER.match(folder):
        if folder != month:
            raise_problem(
                shown,
                None,
                None,
                f"{folder}/{name}",
                f"the file's month {month} to match its folder {folder}/ ({_LAYOUT})",
            )
    elif require_folder:
        raise_problem(shown, None, None, name, f"the data.police.uk layout {_LAYOUT}")
    return month, match["force"]


def _list_archive(archive: Path) -> tuple[list[StreetFile], list[SkippedFile]]:
    """List the street files of a zip archive and the members it skips."""
    street, skipped = [], []
    try:
        with zipfile.ZipFile(archive) as handle:
            members = handle.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise_problem(
            archive.as_posix(), None, None, None, f"a zip archive from data.police.uk ({error})"
        )
    for info in members:
        if info.is_dir():
            continue
        parts = info.filename.split("/")
        shown = f"{archive.as_posix()}, member {info.filename}"
        found = _street_file(parts[-1], parts[-2] if len(parts) > 1 else None, shown, True)
        if found is None:
            skipped.append(SkippedFile(shown, _classify(parts[-1])))
            continue
        month, force = found
        _check_member_size(info, shown)
        street.append(
            StreetFile(
                month=month,
                force_slug=force,
                layout_path=f"{month}/{parts[-1]}",
                shown=shown,
                archive=archive,
                member=info.filename,
                size=info.file_size,
            )
        )
    return street, skipped


def _check_member_size(info: zipfile.ZipInfo, shown: str) -> None:
    """Refuse a street file that would unpack to far more than any real one (a zip bomb)."""
    unpacked, packed = info.file_size, max(info.compress_size, 1)
    if unpacked <= STREET_MEMBER_LIMIT and (
        unpacked <= 16 * 1024**2 or unpacked / packed <= STREET_MEMBER_RATIO
    ):
        return
    raise_problem(
        shown,
        None,
        None,
        None,
        f"a street file that unpacks to at most {STREET_MEMBER_LIMIT // 1024**2:,} MiB, "
        f"packed at most {STREET_MEMBER_RATIO} times (this one unpacks to "
        f"{unpacked / 1024**2:,.0f} MiB from {packed / 1024**2:,.1f} MiB: a zip bomb, or not "
        "a data.police.uk download)",
    )


def _list_disk_file(path: Path) -> tuple[list[StreetFile], list[SkippedFile]]:
    """Classify one file on disk: an archive, a street file, or a skipped file."""
    if path.suffix.lower() == ".zip":
        return _list_archive(path)
    shown = path.as_posix()
    found = _street_file(path.name, path.parent.name, shown, False)
    if found is None:
        return [], [SkippedFile(shown, _classify(path.name))]
    month, force = found
    in_folder = path.parent.name == month
    return [
        StreetFile(
            month=month,
            force_slug=force,
            layout_path=f"{month}/{path.name}" if in_folder else path.name,
            shown=shown,
            path=path,
            size=path.stat().st_size,
        )
    ], []


def list_street_files(paths: Iterable[Path | str]) -> tuple[list[StreetFile], list[SkippedFile]]:
    """Find the street-level crime files among archives, folders and single files.

    Parameters
    ----------
    paths : iterable of path-like
        Zip archives in the data.police.uk layout, folders (searched throughout,
        archives in them included) or single ``*-street.csv`` files.

    Returns
    -------
    street : list of StreetFile
        Every street-level file, by month then force.
    skipped : list of SkippedFile
        Every other file found (outcomes, stop and search, anything else), with why.

    Raises
    ------
    PoliceUkError
        For a path that does not exist, a file that is not a zip archive, a street
        file outside the layout or in another month's folder, or two files for the
        same month and force.
    """
    street: list[StreetFile] = []
    skipped: list[SkippedFile] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            found = [path]
        else:
            raise_problem(
                path.as_posix(), None, None, None, "a zip archive, a folder or a street file"
            )
        for file in found:
            more, also = _list_disk_file(file)
            street += more
            skipped += also
    seen: dict[tuple[str, str], StreetFile] = {}
    for street_file in street:
        key = (street_file.month, street_file.force_slug)
        if key in seen:
            raise_problem(
                street_file.shown,
                None,
                None,
                None,
                f"one street file for {street_file.month} and {street_file.force_slug} "
                f"(it is also {seen[key].shown}); give each month once",
            )
        seen[key] = street_file
    street.sort(key=lambda f: (f.month, f.force_slug))
    return street, skipped
