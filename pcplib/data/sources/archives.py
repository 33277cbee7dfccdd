"""Zip archives for DuckDB: each member put on disk the cheapest way, ahead of time.

DuckDB reads gzip files but not zip archives. A zip member stored with DEFLATE
(as data.police.uk's are) holds the same compressed stream a gzip file does, so
:func:`copy_as_gzip` wraps its bytes in a gzip header and trailer (the zip's
CRC-32 and size) without inflating them: DuckDB then inflates them on its own
threads, outside Python. Members stored any other way are unpacked with
:mod:`zipfile`. :class:`MemberUnpacker` does either on worker threads, so the
next batch of members is ready while DuckDB counts the current one.
"""

from __future__ import annotations

import gzip
import shutil
import struct
import threading
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO

__all__ = ["MEMBER_ERRORS", "MemberUnpacker", "copy_as_gzip", "locate_bad_utf8", "open_text"]

MEMBER_ERRORS = (zipfile.BadZipFile, OSError, EOFError, KeyError, struct.error)
"""What reading a damaged or missing archive member can raise."""

_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_LOCAL_SIGNATURE = 0x04034B50
# gzip: magic, deflate, no flags, no time, no extra flags, unknown OS.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def copy_as_gzip(archive: Path, info: zipfile.ZipInfo, target: Path) -> None:
    """Write a deflated zip member's compressed bytes as a gzip file, without inflating them.

    Parameters
    ----------
    archive : Path
        The zip archive.
    info : zipfile.ZipInfo
        The member (stored with ``ZIP_DEFLATED``, not encrypted).
    target : Path
        The ``.gz`` file to write.

    Raises
    ------
    zipfile.BadZipFile, EOFError
        If the member's local header is missing or the archive ends inside it.
    """
    with archive.open("rb") as raw, target.open("wb") as sink:
        raw.seek(info.header_offset)
        fields = _LOCAL_HEADER.unpack(raw.read(_LOCAL_HEADER.size))
        if fields[0] != _LOCAL_SIGNATURE:
            raise zipfile.BadZipFile(f"no local file header at byte {info.header_offset}")
        raw.seek(info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10])
        sink.write(_GZIP_HEADER)
        remaining = info.compress_size
        while remaining > 0:
            chunk = raw.read(min(remaining, 1024 * 1024))
            if not chunk:
                raise EOFError("the archive ends inside this member")
            sink.write(chunk)
            remaining -= len(chunk)
        sink.write(struct.pack("<II", info.CRC, info.file_size & 0xFFFFFFFF))


def open_text(path: Path) -> IO[str]:
    """Open a CSV file, plain or gzip, as UTF-8 text for Python's csv module.

    Parameters
    ----------
    path : Path
        A ``.csv`` or ``.csv.gz`` file.

    Returns
    -------
    file object
        Text, with a byte-order mark dropped.
    """
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def locate_bad_utf8(path: Path) -> tuple[int, int] | None:
    """Find the first line of a CSV file, plain or gzip, holding bytes that are not UTF-8.

    Python's text reader reports a decoding error by its position in a block it read
    ahead, which names no row; this finds the line to name.

    Parameters
    ----------
    path : Path
        A ``.csv`` or ``.csv.gz`` file.

    Returns
    -------
    tuple of (int, int) or None
        The 1-based line and the first bad byte's value, or None when it is all UTF-8.
    """
    opened = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")
    with opened as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                return number, line[error.start]
    return None


class MemberUnpacker:
    """Puts archive members on disk for DuckDB, on worker threads.

    Parameters
    ----------
    folder : Path
        Where the files go (a temporary folder the caller removes).
    workers : int
        Worker threads; each keeps its own open ``ZipFile`` per archive.
    """

    def __init__(self, folder: Path, workers: int) -> None:
        self.folder = folder
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="unpack")
        self.local = threading.local()
        self.handles: list[zipfile.ZipFile] = []
        self.lock = threading.Lock()
        self.count = 0

    def _open(self, archive: Path) -> zipfile.ZipFile:
        """Return this thread's open handle on ``archive``."""
        handles = getattr(self.local, "handles", None)
        if handles is None:
            handles = self.local.handles = {}
        if archive not in handles:
            handles[archive] = zipfile.ZipFile(archive)
            with self.lock:
                self.handles.append(handles[archive])
        return handles[archive]

    def _unpack(self, archive: Path, member: str, number: int) -> Path:
        """Put one member on disk: its bytes as gzip when deflated, else unpacked."""
        handle = self._open(archive)
        info = handle.getinfo(member)
        if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1:
            target = self.folder / f"{number:06d}.csv.gz"
            copy_as_gzip(archive, info, target)
            return target
        target = self.folder / f"{number:06d}.csv"
        with handle.open(member) as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, 1024 * 1024)
        return target

    def submit(self, archive: Path, member: str) -> Future[Path]:
        """Start putting one member on disk.

        Parameters
        ----------
        archive : Path
            The zip archive.
        member : str
            The member's name in it.

        Returns
        -------
        concurrent.futures.Future
            Its path on disk; ``result()`` raises one of :data:`MEMBER_ERRORS` for a
            damaged or missing member.
        """
        self.count += 1
        return self.pool.submit(self._unpack, archive, member, self.count)

    def close(self) -> None:
        """Stop the workers and close every archive handle."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        for handle in self.handles:
            handle.close()
