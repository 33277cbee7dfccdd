"""The reference tables shipped beside the data set (``data/reference/``).

Published tables a report rebuilds and checks itself against, read here so the
assessment floor stays free of I/O: Table One of the plan's last delivery report
(``table_one_2021_24.csv``), rebuilt by
:func:`pcplib.assessment.overview.rebuild_table_one`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

__all__ = ["TABLE_ONE_FILE", "load_table_one"]

TABLE_ONE_FILE = "table_one_2021_24.csv"


def load_table_one(reference_dir: str | Path) -> pd.DataFrame:
    """Read the previous plan's published Table One from the reference folder.

    Parameters
    ----------
    reference_dir : str or Path
        The folder holding ``table_one_2021_24.csv`` (``data/reference``).

    Returns
    -------
    pandas.DataFrame
        The table as published (text cells kept as text); ``attrs["files"]`` maps
        the file's path (relative to the folder's parent) to its SHA-256, for the
        provenance section.

    Raises
    ------
    FileNotFoundError
        If the file is missing, naming where it was expected.
    """
    folder = Path(reference_dir)
    path = folder / TABLE_ONE_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"Table One reference not found: expected {path} (reference_dir={str(reference_dir)!r})"
        )
    raw = path.read_bytes()
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    table.attrs["files"] = {f"{folder.name}/{TABLE_ONE_FILE}": hashlib.sha256(raw).hexdigest()}
    return table
