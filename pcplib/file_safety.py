"""Writing files so that a failure leaves nothing half-written, and says where it failed.

A full disk, a read-only folder or a name too long for the file system must give one
line naming the path, and leave no empty folder or temporary file behind. Python's
``OSError`` for a write that fails while a file is flushed or closed carries no file
name ("No space left on device"), and ``mkdir(parents=True)`` leaves the folders it
made when the write that follows fails; these helpers close both gaps.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

__all__ = [
    "describe_long_name",
    "describe_write_error",
    "find_link_outside",
    "list_missing_folders",
    "make_folders",
    "name_os_error",
    "remove_made_folders",
]

NAME_MAX = 255
"""The longest file or folder name, in bytes, of common file systems (ext4, XFS, NTFS)."""

PATH_MAX = 4096
"""The longest path, in bytes, Linux accepts."""


def describe_long_name(path: Path | str) -> str:
    """Say what is too long in a path for the file system, before anything is written.

    Parameters
    ----------
    path : path-like
        A file or folder to be written.

    Returns
    -------
    str
        Empty when every name in the path fits; otherwise such as ``a name of at most
        255 bytes ('xxxx…' has 304)``. Checked here because ``Path.is_dir()`` and
        ``exists()`` raise ``ENAMETOOLONG`` rather than answer.
    """
    text = str(path)
    if len(os.fsencode(text)) > PATH_MAX:
        return f"a path of at most {PATH_MAX:,} bytes (this one has {len(os.fsencode(text)):,})"
    limit = NAME_MAX
    for part in Path(text).parts:
        size = len(os.fsencode(part))
        if size > limit:
            return f"a name of at most {limit} bytes ('{part[:20]}…' has {size})"
    return ""


def make_folders(folder: Path) -> list[Path]:
    """Create a folder and any missing parents; return those this call created.

    Parameters
    ----------
    folder : Path
        The folder wanted.

    Returns
    -------
    list of Path
        The folders created, outermost first (empty when it existed), for
        :func:`remove_made_folders` to remove again after a failure.
    """
    missing: list[Path] = []
    current = Path(folder)
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    made: list[Path] = []
    for path in reversed(missing):
        path.mkdir()
        made.append(path)
    return made


def remove_made_folders(made: list[Path]) -> None:
    """Remove the folders :func:`make_folders` created, innermost first, if still empty.

    Parameters
    ----------
    made : list of Path
        From :func:`make_folders`.
    """
    for path in reversed(made):
        try:
            path.rmdir()
        except OSError:
            return  # not empty, or cannot be removed: what is above it stays too


def name_os_error(error: OSError, path: Path | str) -> OSError:
    """Return the error with a file name, so its message can say where it happened.

    Parameters
    ----------
    error : OSError
        The error raised while writing ``path``.
    path : path-like
        The file being written.

    Returns
    -------
    OSError
        ``error`` itself when it names a file; otherwise an ``OSError`` of the same
        ``errno`` and reason naming ``path``.
    """
    if error.filename:
        return error
    code = error.errno if error.errno is not None else errno.EIO
    return OSError(code, error.strerror or str(error) or type(error).__name__, str(path))


def describe_write_error(error: OSError) -> str:
    """Say in one line what could not be written and why.

    Parameters
    ----------
    error : OSError
        A write's error (with :func:`name_os_error` applied, so it names the path).

    Returns
    -------
    str
        Such as ``cannot write data/counts.csv: No space left on device (the disk is
        full)``; a read-only file system, a permission refused and a name too long each
        get their own hint.
    """
    hints = {
        errno.ENOSPC: " (the disk is full: free some space and run again)",
        errno.EDQUOT: " (the disk quota is used up)",
        errno.EROFS: " (the folder is on a read-only file system)",
        errno.EACCES: " (this user may not write there)",
        errno.EPERM: " (this user may not write there)",
        errno.ENAMETOOLONG: " (a file or folder name is too long for the file system: "
        "choose a shorter one)",
    }
    where = f" {error.filename}" if error.filename else ""
    reason = error.strerror or str(error) or type(error).__name__
    return f"cannot write{where}: {reason}{hints.get(error.errno or 0, '')}"


def list_missing_folders(path: Path) -> list[Path]:
    """Return ``path`` and those of its parents that do not exist yet, outermost first.

    What a command that creates ``path`` with its parents later will have made, so that
    after a failure :func:`remove_made_folders` can remove those still empty.

    Parameters
    ----------
    path : Path
        A folder a command will create if missing.

    Returns
    -------
    list of Path
        The folders missing now; empty when ``path`` exists.
    """
    missing = []
    while not (path.exists() or path.is_symlink()) and path != path.parent:
        missing.append(path)
        path = path.parent
    return missing[::-1]


def find_link_outside(root: Path, path: Path) -> str | None:
    """Say why a file of the data set is refused when it is a link to a file outside it.

    A data set is what its folder holds: a table that is a symbolic link (or sits in a
    linked folder) reaching out of it would read, hash and publish a file that someone
    else controls, and that ``pcp returns load`` would not write back to.

    Parameters
    ----------
    root : Path
        The data folder.
    path : Path
        A file in it.

    Returns
    -------
    str or None
        The expectation, naming where the link leads, or None when the file is inside
        the folder (or is a link loop or a broken link, which reading names).
    """
    try:
        target = path.resolve(strict=True)
        inside = target.is_relative_to(root.resolve(strict=True))
    except (OSError, RuntimeError):
        return None
    if inside:
        return None
    return (
        f"a file inside the data set folder (this is a link to {target.as_posix()}, outside "
        "it: copy the file into the data set instead)"
    )
