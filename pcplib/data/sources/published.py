"""Recognising figures that came from a real published source, with their attribution.

An observation's ``source`` says where its figure came from. Rows written by a
source module of this package (such as :mod:`pcplib.data.sources.police_uk`)
start with that source's fixed name, so reports can tell, measure by measure,
which figures are real published data and carry the licence attribution the
publisher asks for, and which are the illustrative sample's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "POLICE_UK_ATTRIBUTION",
    "POLICE_UK_SOURCE",
    "PublishedSource",
    "describe_police_uk_source",
    "recognise_published_source",
]

POLICE_UK_SOURCE = "data.police.uk street-level crime"
"""How every observation counted from data.police.uk's street-level files begins."""

POLICE_UK_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(data.police.uk)"
)
"""The attribution data.police.uk's licence (the Open Government Licence v3.0) asks for."""

# "data.police.uk street-level crime, <force>, <files>. <attribution>"
_POLICE_UK_PATTERN = re.compile(rf"^{re.escape(POLICE_UK_SOURCE)}, (?P<force>[^,]+),")


@dataclass(frozen=True)
class PublishedSource:
    """A real published source an observation's figure came from.

    Attributes
    ----------
    name : str
        The source without its file names, such as
        ``"data.police.uk street-level crime, Westshire Police"``.
    attribution : str
        The licence attribution reports must carry.
    """

    name: str
    attribution: str


def describe_police_uk_source(force: str, files: list[str]) -> str:
    """Return the ``source`` of an observation counted from data.police.uk files.

    Parameters
    ----------
    force : str
        The force, as ``Falls within`` names it (``"Westshire Police"``).
    files : list of str
        The street-level files counted, as laid out in the download
        (``"2024-05/2024-05-westshire-street.csv"``).

    Returns
    -------
    str
        Such as ``"data.police.uk street-level crime, Westshire Police,
        2024-05/2024-05-westshire-street.csv. Contains public sector information
        licensed under the Open Government Licence v3.0 (data.police.uk)"``.
    """
    return f"{POLICE_UK_SOURCE}, {force}, {' and '.join(files)}. {POLICE_UK_ATTRIBUTION}"


def recognise_published_source(source: str) -> PublishedSource | None:
    """Return the published source an observation's ``source`` names, if it is one.

    Parameters
    ----------
    source : str
        An observation's ``source`` cell.

    Returns
    -------
    PublishedSource or None
        The source and its attribution; ``None`` for any other source (the data
        set's own figures, or the illustrative sample's).
    """
    match = _POLICE_UK_PATTERN.match(str(source))
    if match is None:
        return None
    return PublishedSource(f"{POLICE_UK_SOURCE}, {match['force']}", POLICE_UK_ATTRIBUTION)
