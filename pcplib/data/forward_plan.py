"""The board's forward plan: which strategies go to which meeting.

The data set's ``forward_plan.yaml`` (``dataset.yaml``'s ``forward_plan``) lists, for
each financial year, the board's meetings ("slots", written ``YYYY-MM``) and the
delivery strategies each one reviews. A slot's data period ends at the latest
financial-quarter end at least ``data_lag_months`` (stated once in the file; default 2)
before the meeting, so that the quarter's data is final enough to report (slot
``2026-11`` reports data to ``2026-09``; ``2026-05`` to ``2026-03``), unless the slot
gives its own ``data_to: YYYY-MM``. A slot whose data period is an earlier slot's has no
new data: :func:`find_first_report_of_data` names the meeting that first reported it.

``resolve_slot`` turns ``latest``, ``next`` or ``YYYY-MM`` into a slot; ``pcp plan``
prints the plan with :func:`pcplib.run.plan_table.print_plan`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pcplib import periods
from pcplib.data.problems import Problem
from pcplib.safe_yaml import compose_yaml_text, load_yaml_text

__all__ = [
    "ForwardPlan",
    "ForwardPlanError",
    "Slot",
    "load_forward_plan",
    "resolve_slot",
    "period_end_for_slot",
    "validate_forward_plan",
    "find_meeting_slot",
    "find_forward_plan",
    "find_first_report_of_data",
    "find_next_release",
    "DEFAULT_DATA_LAG_MONTHS",
]

_YEAR_RE = re.compile(r"^(\d{4})/(\d{2})$")
# Two months between a quarter's end and the meeting that reports it, unless the plan
# says otherwise: the quarter's data are then final enough to report.
DEFAULT_DATA_LAG_MONTHS = 2


class ForwardPlanError(ValueError):
    """The forward plan cannot be read: its message is the one-line :class:`Problem`.

    Parameters
    ----------
    problem : Problem
        Where in the file (its line as ``row``, the key as ``column``) and what was
        expected; also available as ``.problem``.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Slot:
    """One board meeting in the forward plan.

    Attributes
    ----------
    slot : str
        The meeting month, ``YYYY-MM``.
    year : str
        The financial year it belongs to, such as ``2026/27``.
    strategies : tuple of str
        Strategy ids reviewed at the meeting, in the plan's order.
    period_end : str
        The last month of data the meeting's reports cover, ``YYYY-MM``: the slot's
        ``data_to`` when given, else from the plan's ``data_lag_months``.
    """

    slot: str
    year: str
    strategies: tuple[str, ...]
    period_end: str


@dataclass(frozen=True)
class ForwardPlan:
    """The forward plan as loaded from YAML.

    Attributes
    ----------
    path : Path
        The file it was read from.
    source : str
        Where the plan comes from (a published paper).
    notes : tuple of str
        Corrections and assumptions made in transcribing it.
    years : tuple of str
        The financial years covered, in order.
    slots : tuple of Slot
        Every meeting, in date order.
    lines : dict of str to int
        The line in the file where each slot (keyed ``YYYY-MM``) and each year (keyed
        ``YYYY/YY``) is declared, for error messages.
    data_lag_months : int
        The least gap between a quarter's end and the meeting that reports it, for
        slots that give no ``data_to`` (:data:`DEFAULT_DATA_LAG_MONTHS` unless stated).
    """

    path: Path
    source: str
    notes: tuple[str, ...]
    years: tuple[str, ...]
    slots: tuple[Slot, ...]
    lines: dict[str, int] = field(default_factory=dict)
    data_lag_months: int = DEFAULT_DATA_LAG_MONTHS


def period_end_for_slot(slot: str, lag_months: int = DEFAULT_DATA_LAG_MONTHS) -> str:
    """Return the last month of data a slot reports on, when the slot does not say.

    It is the latest financial-quarter end (June, September, December, March) at
    least ``lag_months`` months before the meeting month.

    Parameters
    ----------
    slot : str
        The meeting month, ``YYYY-MM``.
    lag_months : int, default 2
        The plan's ``data_lag_months``.

    Returns
    -------
    str
        ``YYYY-MM``: ``"2026-11"`` gives ``"2026-09"``, ``"2027-01"`` gives ``"2026-09"``,
        ``"2026-05"`` gives ``"2026-03"``.

    Raises
    ------
    ValueError
        If ``slot`` is not ``YYYY-MM``.
    """
    if not periods.is_month_code(slot):
        raise ValueError(f"month {slot!r}: expected YYYY-MM, such as 2026-11")
    return str(periods.quarter_end_on_or_before(slot, months_before=lag_months))


def _line(node: Any) -> int:
    """Return a YAML node's 1-based line number."""
    return int(node.start_mark.line) + 1


def _mapping_get(node: Any, key: str) -> Any:
    """Return the value node for ``key`` in a YAML mapping node, or ``None``."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if key_node.value == key:
            return value_node
    return None


def _read_plan_text(file: Path, fail: Callable[..., ForwardPlanError]) -> str:
    """Return the plan file's text, or raise a one-line error saying why it cannot be read."""
    if file.is_dir():
        raise fail(None, None, None, "a YAML file, not a folder")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise fail(None, None, None, "a forward plan YAML file (it does not exist)") from None
    except OSError as error:
        raise fail(None, None, None, f"a file that can be read ({error.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise fail(
            line,
            None,
            None,
            f"UTF-8 text (save the file as UTF-8): byte 0x{data[error.start]:02X} on line "
            f"{line} is not UTF-8",
        ) from None


def _parse_plan_yaml(
    text: str, fail: Callable[..., ForwardPlanError]
) -> tuple[Any, dict[str, Any]]:
    """The plan's YAML node graph (for line numbers) and its data, which must hold ``years``."""
    try:
        root = compose_yaml_text(text)
        data = load_yaml_text(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise fail(mark.line + 1 if mark else None, None, None, f"valid YAML ({reason})") from None
    if not isinstance(data, dict) or not isinstance(data.get("years"), list):
        raise fail(None, None, None, "a mapping with 'source', 'notes' and a 'years' list")
    return root, data


def _read_data_lag(root: Any, data: dict[str, Any], fail: Callable[..., ForwardPlanError]) -> int:
    """``data_lag_months``: whole months from 0 to 24 (the default when absent)."""
    lag = data.get("data_lag_months", DEFAULT_DATA_LAG_MONTHS)
    if isinstance(lag, bool) or not isinstance(lag, int) or not 0 <= lag <= 24:
        lag_node = _mapping_get(root, "data_lag_months")
        raise fail(
            _line(lag_node) if lag_node is not None else None,
            "data_lag_months",
            lag,
            "a whole number of months from 0 to 24 between a quarter's end and the "
            "meeting that reports it (such as 2)",
        )
    return lag


def _read_slot(
    slot_data: Any,
    slot_node: Any,
    year: str,
    lag: int,
    lines: dict[str, int],
    fail: Callable[..., ForwardPlanError],
) -> Slot:
    """One slot of ``year``: its month (once in the plan, in the year), strategies, data end.

    ``lines`` holds the line of each slot and year read so far, to name a repeat.
    """
    slot_line = _line(slot_node)
    month = str(slot_data.get("slot", "")) if isinstance(slot_data, dict) else ""
    if not periods.is_month_code(month):
        raise fail(slot_line, "slot", month, "a month written YYYY-MM, such as 2026-11")
    if periods.label_financial_year(month) != year:
        raise fail(
            slot_line,
            "slot",
            month,
            f"a month in the financial year {year} (April {year[:4]} to March {int(year[:4]) + 1})",
        )
    if month in lines:
        raise fail(slot_line, "slot", month, f"each meeting once (also at line {lines[month]})")
    strategies = slot_data.get("strategies")
    if (
        not isinstance(strategies, list)
        or not strategies
        or not all(isinstance(s, str) and s.strip() for s in strategies)
    ):
        raise fail(
            slot_line,
            "strategies",
            None if strategies is None else strategies,
            f"a list of strategy ids for slot {month}, such as [safer-streets, roads]",
        )
    data_to = slot_data.get("data_to")
    if data_to is None:
        period_end = period_end_for_slot(month, lag)
    elif not periods.is_month_code(str(data_to)) or str(data_to) > month:
        data_to_node = _mapping_get(slot_node, "data_to")
        raise fail(
            _line(data_to_node) if data_to_node is not None else slot_line,
            "data_to",
            data_to,
            f"the last month of data slot {month} reports, written YYYY-MM, no later "
            "than the meeting (such as 2026-09)",
        )
    else:
        period_end = str(data_to)
    return Slot(
        slot=month,
        year=year,
        strategies=tuple(str(s) for s in strategies),
        period_end=period_end,
    )


def load_forward_plan(path: Path | str) -> ForwardPlan:
    """Read a forward plan (the data set's ``forward_plan.yaml``).

    Parameters
    ----------
    path : path-like
        The YAML file: ``source``, ``notes`` and ``years``, a list of ``{year, slots}``
        where each slot is ``{slot: "YYYY-MM", strategies: [ids]}``.

    Returns
    -------
    ForwardPlan
        Slots in date order, each with its data period end.

    Raises
    ------
    ForwardPlanError
        A ``ValueError`` whose message is one line: the file cannot be read, is not
        UTF-8 or not YAML, or its structure is wrong (a slot outside its financial year,
        a repeated slot, a bad month); ``.problem`` names the line, the key and what
        was expected.
    """
    file = Path(path)
    where = file.as_posix()

    def fail(line: int | None, key: str | None, value: Any, expected: str) -> ForwardPlanError:
        shown = None if value is None else str(value)
        return ForwardPlanError(Problem(where, line, key, shown, expected))

    root, data = _parse_plan_yaml(_read_plan_text(file, fail), fail)
    lag = _read_data_lag(root, data, fail)
    notes = data.get("notes") or []
    if isinstance(notes, str):
        notes = [notes]
    years_node = _mapping_get(root, "years")
    lines: dict[str, int] = {}
    slots: list[Slot] = []
    years: list[str] = []
    for year_data, year_node in zip(data["years"], years_node.value, strict=True):
        line = _line(year_node)
        year = str(year_data.get("year", "")) if isinstance(year_data, dict) else ""
        if not _YEAR_RE.match(year) or (int(year[:4]) + 1) % 100 != int(year[5:]):
            raise fail(line, "year", year, "a financial year written like '2026/27'")
        if year in years:
            raise fail(line, "year", year, "each year once")
        years.append(year)
        lines[year] = line
        slot_list = year_data.get("slots")
        slot_nodes = _mapping_get(year_node, "slots")
        if not isinstance(slot_list, list) or not slot_list:
            raise fail(line, "slots", None, f"a list of slots for {year}")
        for slot_data, slot_node in zip(slot_list, slot_nodes.value, strict=True):
            slot = _read_slot(slot_data, slot_node, year, lag, lines, fail)
            lines[slot.slot] = _line(slot_node)
            slots.append(slot)
    slots.sort(key=lambda s: s.slot)
    return ForwardPlan(
        path=file,
        source=str(data.get("source", "")),
        notes=tuple(str(n) for n in notes),
        years=tuple(years),
        slots=tuple(slots),
        lines=lines,
        data_lag_months=lag,
    )


def resolve_slot(plan: ForwardPlan, spec: str, today: dt.date | None = None) -> Slot:
    """Turn ``latest``, ``next`` or ``YYYY-MM`` into a slot of the plan.

    Parameters
    ----------
    plan : ForwardPlan
        The forward plan.
    spec : str
        ``"latest"``: the last meeting on or before today's month; ``"next"``: the first
        meeting after today's month; or a meeting month ``"YYYY-MM"``.
    today : datetime.date, optional
        The reference date; ``date.today()`` when omitted.

    Returns
    -------
    Slot
        The meeting.

    Raises
    ------
    ValueError
        If there is no such meeting; the message lists the plan's slots.
    """
    known = ", ".join(s.slot for s in plan.slots)
    month = periods.label_month(today or dt.date.today())
    if spec == "latest":
        earlier = [s for s in plan.slots if s.slot <= month]
        if not earlier:
            raise ValueError(f"no slot on or before {month} in the forward plan (slots: {known})")
        return earlier[-1]
    if spec == "next":
        later = [s for s in plan.slots if s.slot > month]
        if not later:
            raise ValueError(f"no slot after {month} in the forward plan (slots: {known})")
        return later[0]
    for slot in plan.slots:
        if slot.slot == spec:
            return slot
    raise ValueError(f"slot {spec!r}: expected 'latest', 'next' or one of {known}")


def find_meeting_slot(plan: ForwardPlan, strategy_id: str, period_end: str) -> Slot | None:
    """Return the meeting that reviews a strategy on the data to ``period_end``, if any.

    A report built outside its slot (``pcp run --all`` or ``--strategy``) belongs to the
    meeting that reviews that strategy with that data period; unlike a slot resolved from
    today's date (:func:`resolve_slot`), the answer does not depend on it.

    Parameters
    ----------
    plan : ForwardPlan
        The forward plan.
    strategy_id : str
        The strategy.
    period_end : str
        The data period's last month, ``YYYY-MM``.

    Returns
    -------
    Slot or None
        The earliest slot that reviews the strategy and reports data to ``period_end``;
        None when the plan has no such meeting.
    """
    for slot in plan.slots:
        if strategy_id in slot.strategies and slot.period_end == period_end:
            return slot
    return None


def validate_forward_plan(plan: ForwardPlan, strategy_ids: list[str]) -> list[Problem]:
    """Check the plan against the data set's strategies.

    Parameters
    ----------
    plan : ForwardPlan
        The forward plan.
    strategy_ids : list of str
        The strategies in ``data/framework/strategies``.

    Returns
    -------
    list of Problem
        A slot naming an unknown strategy; a strategy never scheduled in a financial
        year of the plan. Rows are line numbers in the YAML file.
    """
    file = plan.path.as_posix()
    known = list(strategy_ids)
    problems = []
    if not plan.slots:
        problems.append(
            Problem(
                file,
                None,
                "years",
                None,
                "at least one financial year of meetings, each slot with its strategies "
                "(see the example in the file)",
            )
        )
    for slot in plan.slots:
        for strategy in slot.strategies:
            if strategy not in known:
                problems.append(
                    Problem(
                        file,
                        plan.lines.get(slot.slot),
                        "strategies",
                        strategy,
                        f"a strategy_id from framework/strategies ({', '.join(known)}) in "
                        f"slot {slot.slot}",
                    )
                )
    for year in plan.years:
        scheduled = {s for slot in plan.slots if slot.year == year for s in slot.strategies}
        for strategy in known:
            if strategy not in scheduled:
                problems.append(
                    Problem(
                        file,
                        plan.lines.get(year),
                        "strategies",
                        strategy,
                        f"every strategy scheduled at least once in {year} ({strategy} is "
                        "never scheduled that year)",
                    )
                )
    return problems


def find_forward_plan(data_dir: Path | str, override: Path | str | None = "") -> ForwardPlan | None:
    """Load the forward plan a report uses: ``override`` if given, else the data set's own.

    Notebooks call this with their ``forward_plan`` parameter, so that run by hand with
    no parameters they read the data set's own plan and never another force's.

    Parameters
    ----------
    data_dir : path-like
        The data set folder (its ``dataset.yaml`` names the forward plan).
    override : path-like, optional
        A forward plan to use instead (``""`` or None: the data set's own).

    Returns
    -------
    ForwardPlan or None
        The plan; None when no override is given and the data set has no forward plan.

    Raises
    ------
    ForwardPlanError
        If the plan named cannot be read (one line: file, line, what was expected).
    """
    from pcplib.data.identity import locate_forward_plan

    path = locate_forward_plan(data_dir, override or None)
    if not override and not path.exists():
        return None
    return load_forward_plan(path)


def find_first_report_of_data(plan: ForwardPlan, slot: str) -> Slot | None:
    """Return the earlier meeting that first reported a slot's data, if the slot has none new.

    With a meeting cycle that does not follow the quarters (every two months, say), two
    meetings can report the same quarter; the later one's reports then say so rather
    than repeat the figures silently.

    Parameters
    ----------
    plan : ForwardPlan
        The forward plan.
    slot : str
        The meeting month, ``YYYY-MM``.

    Returns
    -------
    Slot or None
        The earliest slot before ``slot`` with the same data period; None when ``slot``
        brings new data (or is not in the plan).
    """
    mine = next((s for s in plan.slots if s.slot == slot), None)
    if mine is None:
        return None
    earlier = [s for s in plan.slots if s.slot < slot and s.period_end == mine.period_end]
    return earlier[0] if earlier else None


def find_next_release(slots: Iterable[Slot], period_end: str) -> Slot | None:
    """Return the first meeting whose reports bring data past ``period_end``.

    The public report is published with the meeting cycle, so its next release is the
    first meeting of the forward plan to report a later quarter; with none in the plan,
    None, and the report names no date rather than invent one (review 7, F21).

    Parameters
    ----------
    slots : iterable of Slot
        The forward plan's meetings.
    period_end : str
        The last month the report covers, ``YYYY-MM``.

    Returns
    -------
    Slot or None
        The earliest such meeting, by month.
    """
    later = sorted((s for s in slots if s.period_end > period_end), key=lambda s: s.slot)
    return later[0] if later else None
