"""The plan's identity: whose plan a data set is, and the words every output uses.

A data set folder is a whole plan. Its ``dataset.yaml`` names the organisation that
monitors it, the force area judgements are made on, the plan (name, first and last
month), the board that reviews delivery, the board that holds the owners to account
each quarter, and where the forward plan is:

.. code-block:: yaml

    organisation: "Office of the Police and Crime Commissioner for ..."
    force_area: "..."              # an area of framework/areas.csv (level force)
    plan: {name: "Police and Crime Plan 20XX-YY", start: "YYYY-04", end: "YYYY-03"}
    board: {name: "... Board", short_name: "..."}
    delivery_board: {name: "... Delivery Board", chair: "..."}   # chair optional
    forward_plan: forward_plan.yaml   # relative to the data set (the default)
    statistics_contact: {name: "...", email: "..."}   # optional; email optional

Every title, heading, meeting line, restricted-measure marking, index, manifest and
returns workbook takes its words from here, so that nothing of one force's plan
appears in another's outputs. A key left out takes a neutral wording (a data set made
before these keys existed still loads); a key given but empty or of the wrong shape
is a one-line problem, so ``pcp validate`` on a plan made by ``pcp init`` lists
exactly what is still to fill in.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pcplib.data.cells import UTF8_EXPECTED
from pcplib.data.problems import Problem
from pcplib.data.schemas import DATASET_META
from pcplib.file_safety import find_link_outside
from pcplib.safe_yaml import load_yaml_text

__all__ = [
    "DEFAULT_FORWARD_PLAN",
    "PlanIdentity",
    "check_identity",
    "load_dataset_meta",
    "read_identity",
    "find_forward_plan_outside",
    "locate_forward_plan",
    "find_default_data",
    "DATA_ENV",
    "DATA_FILE",
]

DEFAULT_FORWARD_PLAN = "forward_plan.yaml"
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class PlanIdentity:
    """Whose plan a data set is, in the words the reports use.

    Attributes
    ----------
    organisation : str
        The office that monitors the plan, as headings name it.
    force_area : str
        The ``area`` of ``framework/areas.csv`` that is the whole force (``""`` when
        ``dataset.yaml`` does not say; the areas table's force row then settles it).
    plan_name : str
        Such as ``"Police and Crime Plan 2030-34"``.
    plan_start, plan_end : str
        The plan's first and last month, ``YYYY-MM`` (``""`` when not given).
    board_name : str
        The board that reviews delivery, such as ``"Performance Board"``.
    board_short_name : str
        Its short name, used where space is short (``"Restricted: <it> only"``).
    delivery_board_name : str
        The board that meets quarterly and holds the strategies' named owners to account
        (the heading of its quarterly view), such as ``"Delivery Board"``.
    delivery_board_chair : str
        Who chairs it (``""`` when ``dataset.yaml`` does not say).
    forward_plan : str
        The forward plan's path, relative to the data set unless absolute.
    statistics_contact : str
        Who answers questions on the published statistics (a team or the responsible
        statistician), named on the public report and the annual evaluation (``""``: no
        contact line).
    statistics_email : str
        Their email address (``""`` when not given).
    """

    organisation: str = "Office of the Police and Crime Commissioner"
    force_area: str = ""
    plan_name: str = "Police and Crime Plan"
    plan_start: str = ""
    plan_end: str = ""
    board_name: str = "Board"
    board_short_name: str = "Board"
    delivery_board_name: str = "Delivery Board"
    delivery_board_chair: str = ""
    forward_plan: str = DEFAULT_FORWARD_PLAN
    statistics_contact: str = ""
    statistics_email: str = ""


def _text(value: Any) -> str | None:
    """Return a YAML scalar as stripped text, or None when it is not one."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return None
    return str(value).strip()


_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_contact(meta: dict[str, Any], file: str, found: dict[str, str]) -> list[Problem]:
    """Read the optional ``statistics_contact`` block into ``found``; say what is wrong.

    Both keys are optional (a plan made by ``pcp init`` leaves them empty, and its
    reports then name no contact), but a block that is not a mapping, a name that is
    not text, or an email that is not an address is a problem.
    """
    if "statistics_contact" not in meta or meta["statistics_contact"] is None:
        return []
    block = meta["statistics_contact"]
    if not isinstance(block, dict):
        return [
            Problem(file, None, "statistics_contact", str(block), "a mapping with name and email")
        ]
    problems = []
    name, email = block.get("name"), block.get("email")
    if name not in (None, ""):
        text = _text(name)
        if text:
            found["statistics_contact"] = text
        else:
            problems.append(
                Problem(
                    file, None, "statistics_contact.name", str(name),
                    "who answers questions on the statistics, such as 'Performance and "
                    "Insight Team' or the responsible statistician's name",
                )
            )  # fmt: skip
    if email not in (None, ""):
        text = _text(email) or ""
        if _EMAIL_RE.match(text):
            found["statistics_email"] = text
        else:
            problems.append(
                Problem(
                    file, None, "statistics_contact.email", str(email),
                    "an email address, such as 'performance@opcc.example'",
                )
            )  # fmt: skip
    return problems


def check_identity(meta: dict[str, Any], file: str) -> tuple[PlanIdentity, list[Problem]]:
    """Read the identity keys of ``dataset.yaml`` and say what is wrong with them.

    Parameters
    ----------
    meta : dict
        ``dataset.yaml`` as read.
    file : str
        Its path as messages show it.

    Returns
    -------
    identity : PlanIdentity
        The identity; a key absent or unusable keeps its neutral default.
    problems : list of Problem
        One per key given but empty or of the wrong shape (column is the key, such as
        ``plan.start``).
    """
    defaults = PlanIdentity()
    found: dict[str, str] = {}
    problems: list[Problem] = []

    def take(key: str, value: Any, expected: str, month: bool = False) -> None:
        text = _text(value)
        if text and (not month or _MONTH_RE.match(text)):
            found[key.replace(".", "_")] = text
            return
        shown = None if value is None else str(value)
        problems.append(Problem(file, None, key, shown, expected))

    simple = {
        "organisation": "the organisation that monitors the plan, such as 'Office of the "
        "Police and Crime Commissioner for <force area>'",
        "force_area": "the area of framework/areas.csv that is the whole force",
        "forward_plan": "the forward plan's file, relative to the data set "
        "(such as forward_plan.yaml)",
    }
    for key, expected in simple.items():
        if key in meta:
            take(key, meta[key], expected)
    nested = {
        "plan": {
            "name": ("the plan's name, such as 'Police and Crime Plan 2030-34'", False),
            "start": ("the plan's first month, YYYY-MM", True),
            "end": ("the plan's last month, YYYY-MM", True),
        },
        "board": {
            "name": ("the board that reviews delivery, such as 'Performance Board'", False),
            "short_name": ("the board's short name, such as 'PB'", False),
        },
        "delivery_board": {
            "name": (
                "the name of the board that holds the owners to account each quarter, "
                "such as 'Delivery Board'",
                False,
            ),
        },
    }
    for group, keys in nested.items():
        if group not in meta:
            continue
        block = meta[group]
        if not isinstance(block, dict):
            problems.append(
                Problem(
                    file,
                    None,
                    group,
                    None if block is None else str(block),
                    f"a mapping with {', '.join(keys)}",
                )
            )
            continue
        for key, (expected, month) in keys.items():
            take(f"{group}.{key}", block.get(key), expected, month)
    # The delivery board's chair is optional (left empty, the view names none); given,
    # it is text.
    chair = (
        meta["delivery_board"].get("chair")
        if isinstance(meta.get("delivery_board"), dict)
        else None
    )
    if chair is not None and chair != "":
        take(
            "delivery_board.chair",
            chair,
            "who chairs the delivery board, such as 'Chief Executive'",
        )
    problems += _check_contact(meta, file, found)
    start, end = found.get("plan_start", ""), found.get("plan_end", "")
    if start and end and end < start:
        problems.append(Problem(file, None, "plan.end", end, f"a month after plan.start ({start})"))
    # ``area`` is the older spelling of ``force_area``; both are read.
    if "force_area" not in found and _text(meta.get("area")):
        found["force_area"] = str(_text(meta.get("area")))
    if "board_short_name" not in found and "board_name" in found:
        found["board_short_name"] = found["board_name"]
    values = {**defaults.__dict__, **found}
    return PlanIdentity(**values), problems


def load_dataset_meta(root: Path, file: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Read a data set's ``dataset.yaml`` as a mapping: the one reader of that file.

    Parameters
    ----------
    root : Path
        The data set folder.
    file : str
        The file's name as problems show it.

    Returns
    -------
    tuple of (dict or None, list of Problem)
        The mapping, or None with the one problem that stopped it being read: a folder,
        a missing file, a link out of the data set, bytes that are not UTF-8, YAML that
        does not parse, or YAML that is not a mapping.
    """
    path = root / DATASET_META
    wanted = "a dataset.yaml with 'illustrative' (true or false) and 'description' (one line)"
    if path.is_dir():
        return None, [Problem(file, None, None, None, f"{wanted}: this is a folder")]
    if not path.is_file():
        return None, [Problem(file, None, None, None, wanted)]
    outside = find_link_outside(root, path)
    if outside is not None:
        return None, [Problem(file, None, None, None, outside)]
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except OSError as error:
        return None, [
            Problem(file, None, None, None, f"a file that can be read ({error.strerror})")
        ]
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                file,
                line,
                None,
                None,
                f"{UTF8_EXPECTED.replace('CSV UTF-8', 'UTF-8')}: byte 0x{data[error.start]:02X} "
                f"on line {line} is not UTF-8",
            )
        ]
    try:
        meta = load_yaml_text(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        mark_line = mark.line + 1 if mark is not None else None
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, [Problem(file, mark_line, None, None, f"valid YAML ({reason})")]
    if not isinstance(meta, dict):
        return None, [
            Problem(file, None, None, None, "a YAML mapping with illustrative and description")
        ]
    return meta, []


def read_identity(data_dir: Path | str) -> PlanIdentity:
    """Return a data set's identity from its ``dataset.yaml``, without reading the tables.

    The runner and the command line need the board's name and the forward plan's
    place before (or without) loading the data; problems are left to validation.

    Parameters
    ----------
    data_dir : path-like
        The data set folder.

    Returns
    -------
    PlanIdentity
        The identity; the neutral defaults when ``dataset.yaml`` is missing or unreadable.
    """
    root = Path(data_dir)
    try:
        meta, _ = load_dataset_meta(root, DATASET_META)
    except Exception:  # noqa: BLE001 - validation reports why it cannot be read
        return PlanIdentity()
    if meta is None:
        return PlanIdentity()
    return check_identity(meta, (root / DATASET_META).as_posix())[0]


def locate_forward_plan(data_dir: Path | str, override: Path | str | None = None) -> Path:
    """Return the forward plan a command uses: the override, else the data set's own.

    Parameters
    ----------
    data_dir : path-like
        The data set folder.
    override : path-like, optional
        ``--forward-plan`` when given.

    Returns
    -------
    Path
        ``override``; else ``dataset.yaml``'s ``forward_plan`` (relative to the data
        set unless absolute), by default ``<data_dir>/forward_plan.yaml``.
    """
    if override is not None and str(override).strip():
        return Path(override)
    named = read_identity(data_dir).forward_plan
    if find_forward_plan_outside(Path(data_dir), named) is not None:
        # Nothing outside the data set is read on its word: validation names the key.
        return Path(data_dir) / DEFAULT_FORWARD_PLAN
    return Path(data_dir) / named


def find_forward_plan_outside(data_dir: Path, named: str) -> str | None:
    """Say why ``dataset.yaml``'s ``forward_plan`` is refused when it leads outside the data set.

    A data set is what its folder holds (its tables may not link out of it either): a
    forward plan named by an absolute path, by ``..`` or through a link leading out would
    have every run read, hash and publish a file someone else controls (any file this
    user can read), and a copy of the folder would run on another plan. A plan kept
    elsewhere is given for one run with ``--forward-plan``.

    Parameters
    ----------
    data_dir : Path
        The data set folder.
    named : str
        ``forward_plan`` as ``dataset.yaml`` gives it.

    Returns
    -------
    str or None
        What was expected, or None when the plan is inside the folder.
    """
    expected = (
        "the forward plan's file inside the data set folder, relative to it (such as "
        "forward_plan.yaml): {why}; a plan kept elsewhere is given with --forward-plan PATH"
    )
    if Path(named).is_absolute() or os.path.normpath(named).split(os.sep)[0] == "..":
        return expected.format(why="this path leads outside it")
    try:
        # A link on the way (the file, or a folder holding it) is followed.
        target = (data_dir / named).resolve()
        inside = target.is_relative_to(data_dir.resolve())
    except (OSError, RuntimeError):
        return None  # a link loop: reading the plan names it
    if inside:
        return None
    return expected.format(why=f"it is a link to {target.as_posix()}, outside it")


DATA_ENV = "PCP_DATA"
DATA_FILE = ".pcp-data"
SAMPLE_DATA = Path("data")


def find_default_data(start: Path | str | None = None) -> Path:
    """Return the data set the project points at when a command names none.

    A force that adopts the project names its data set once: the ``PCP_DATA``
    environment variable, else the first line of a ``.pcp-data`` file (git ignores
    it) in the working folder or a folder above it, a path relative to that file's
    folder unless absolute; else the shipped sample, ``data``.

    Parameters
    ----------
    start : path-like, optional
        Where to look for ``.pcp-data`` from; the working folder when omitted.

    Returns
    -------
    Path
        The data set folder (not checked here: validation says what is wrong with it).
    """
    import os

    named = os.environ.get(DATA_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    here = Path(start) if start is not None else Path.cwd()
    for folder in (here, *here.resolve().parents):
        marker = folder / DATA_FILE
        if marker.is_file():
            lines = marker.read_text(encoding="utf-8-sig").strip().splitlines()
            if lines and lines[0].strip():
                path = Path(lines[0].strip()).expanduser()
                # Resolved, so messages name "/work/our-plan", not "/work/x/../our-plan".
                return path if path.is_absolute() else (folder / path).resolve()
        if (folder / ".git").exists():
            break  # the checkout's own top: a .pcp-data above it belongs to no one here
    return SAMPLE_DATA
