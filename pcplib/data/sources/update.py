"""Merging counts from a published source into a data set's observations, safely.

:func:`plan_police_uk_update` turns the tidy counts of
:mod:`pcplib.data.sources.police_uk` into observations for every measure whose
``police_uk_crime_types`` is set: one per month for the force area and one per
local authority of ``framework/areas``. It compares them with the observations
already there (added, changed, unchanged) and lists every conflict, an
observation that another source gave, which only ``--replace`` overwrites.

:func:`check_update` validates the new table with :func:`pcplib.data.load_dataset`
in a copy of the data set, so nothing is lost; :func:`write_update` then replaces
``observations/observations.csv`` atomically (a temporary file in the same folder,
then ``os.replace``). A refused or failed update leaves the
data set byte for byte as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import math
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pcplib.data.areas import FORCE_LEVEL, LOCAL_AUTHORITY_LEVEL, find_primary_area
from pcplib.data.arrivals import FigureToConfirm, mark_arrivals
from pcplib.data.outcomes import ProvisionalMonths, find_provisional_months, parse_outcomes
from pcplib.data.problems import DataValidationError, Problem
from pcplib.data.read import Table, read_folder
from pcplib.data.schemas import TABLES, TO_CONFIRM, parse_crime_types
from pcplib.data.sources.gaps import SourceGap, find_month_gaps, judge_zero
from pcplib.data.sources.police_uk import UNKNOWN_AREA, match_force
from pcplib.data.sources.published import POLICE_UK_SOURCE, describe_police_uk_source
from pcplib.file_safety import name_os_error
from pcplib.periods import last_day_of_month, list_months

__all__ = [
    "same_number",
    "AreaCoverage",
    "UpdatePlan",
    "UpdateRefusedError",
    "check_update",
    "plan_police_uk_update",
    "write_update",
]

OBSERVATIONS = f"{TABLES['observations'].stem}.csv"
# The columns that make an observation's figure: a row whose values here are the same
# is unchanged, whatever its extraction date.
_COMPARED = ("value", "numerator", "denominator", "status", "definition", "source")


class UpdateRefusedError(Exception):
    """The data set cannot be updated as asked; nothing was written.

    Parameters
    ----------
    message : str
        One line saying why.
    problems : list of Problem, optional
        Every located problem (conflicts, or what validation found).
    """

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(message)


@dataclass(frozen=True)
class AreaCoverage:
    """How a force's rows were shared between the force area and its local authorities.

    Attributes
    ----------
    force : str
        The force (``Falls within``).
    force_area : str
        The data set's area for the force (its ``force_area``).
    local_authorities : tuple of str
        The local authorities of ``framework/areas`` (empty without it).
    rows : int
        Every row of the force, each one in the force area's figures.
    no_location : int
        Rows with no LSOA: in the force figure, in no local authority's.
    outside : int
        Rows located in a local authority outside the force area: likewise.
    """

    force: str
    force_area: str
    local_authorities: tuple[str, ...]
    rows: int
    no_location: int
    outside: int


@dataclass
class UpdatePlan:
    """The observations table after an update, and what changed.

    Attributes
    ----------
    root : Path
        The data folder.
    coverage : AreaCoverage
        How the force's rows were allocated to areas.
    columns : tuple of str
        The observation columns, in order.
    rows : list of dict
        Every observation as text, in file order: existing rows in place (changed ones
        rewritten), new ones after them.
    tally : pandas.DataFrame
        One row per measure: ``measure_id``, ``added``, ``changed``, ``unchanged``.
    conflicts : list of Problem
        Observations from another source that the update would overwrite (one per
        row, located in ``observations.csv``); overwritten only with ``replace``.
    replace : bool
        Whether conflicts are overwritten.
    read_sha256 : str
        The observations file's SHA-256 when read, so a file changed since is never
        overwritten.
    gaps : list of SourceGap
        Months the files did not give, written as missing observations (never 0).
    kept : set of tuple
        ``(measure_id, period_start, area)`` of gaps where a figure from another source
        was already in the data set and is kept.
    arrived : set of int
        Positions in ``rows`` of the observations added or changed.
    to_confirm : list of FigureToConfirm
        Arriving figures far outside their series' history, loaded with status
        ``to confirm`` (:mod:`pcplib.data.arrivals`).
    provisional : ProvisionalMonths or None
        For a data set with outcome measures, the latest months whose outcomes are
        still open, written ``provisional`` (:mod:`pcplib.data.outcomes`).
    """

    root: Path
    coverage: AreaCoverage
    columns: tuple[str, ...]
    rows: list[dict[str, str]]
    tally: pd.DataFrame
    conflicts: list[Problem] = field(default_factory=list)
    replace: bool = False
    read_sha256: str = ""
    gaps: list[SourceGap] = field(default_factory=list)
    kept: set[tuple[str, str, str]] = field(default_factory=set)
    arrived: set[int] = field(default_factory=set)
    to_confirm: list[FigureToConfirm] = field(default_factory=list)
    provisional: ProvisionalMonths | None = None

    @property
    def changes(self) -> int:
        """Rows added or changed."""
        return int(self.tally["added"].sum() + self.tally["changed"].sum())


def same_number(old: str, new: str) -> bool:
    """Whether two number cells hold the same number (``1,234`` and ``1234`` do).

    Parameters
    ----------
    old, new : str
        The cells as text; two equal texts (both empty included) are the same.

    Returns
    -------
    bool
        True when equal as text, or as numbers to within 1e-9.
    """
    if old.strip() == new.strip():
        return True
    try:
        a, b = float(old.replace(",", "")), float(new.replace(",", ""))
    except ValueError:
        return False
    return math.isclose(a, b, rel_tol=0.0, abs_tol=1e-9)


def _unchanged(old: Mapping[str, str], new: Mapping[str, str]) -> bool:
    """Whether an existing observation already holds a new one's figure.

    A figure already marked ``to confirm`` that arrives again unchanged stays as it is:
    only a person confirms it (or a different figure replaces it).
    """
    for column in _COMPARED:
        if column == "status" and str(old[column]).strip() == TO_CONFIRM:
            continue
        if column in ("value", "numerator", "denominator"):
            if not same_number(str(old[column]), str(new[column])):
                return False
        elif str(old[column]).strip() != str(new[column]).strip():
            return False
    return True


def _choose_force(counts: pd.DataFrame, areas: pd.DataFrame | None, force: str | None) -> str:
    """Return the force whose rows make the data set's figures, as ``Falls within`` writes it."""
    found = sorted(counts["force"].unique())
    wanted = force
    if areas is not None and not areas.empty:
        listed = str(areas.loc[areas["level"] == FORCE_LEVEL, "force"].iloc[0])
        if wanted and match_force(wanted) != match_force(listed):
            raise UpdateRefusedError(
                f"--force {wanted!r} is not the data set's force: framework/areas names "
                f"{listed!r}; leave --force out, or make framework/areas describe "
                f"{wanted} (its force row and local authorities)"
            )
        if not any(match_force(name) == match_force(listed) for name in found):
            raise UpdateRefusedError(
                f"no street-level rows fall within {listed!r}, the force of framework/areas "
                f"(the files hold {', '.join(found) or 'no rows'}): download that force's "
                "files, or make framework/areas describe the force downloaded (its force "
                "row and local authorities)"
            )
        wanted = listed
    if not wanted:
        if len(found) != 1:
            raise UpdateRefusedError(
                f"the files hold several forces ({', '.join(found)}): name the data set's "
                "with --force, or give it a framework/areas table"
            )
        return found[0]
    matches = [name for name in found if match_force(name) == match_force(wanted)]
    if not matches:
        raise UpdateRefusedError(
            f"no street-level rows fall within {wanted!r}: the files hold "
            f"{', '.join(found) or 'no rows'}"
        )
    return matches[0]


def _figure(crimes: int, population: float | None, unit: str) -> dict[str, str]:
    """Return an observation's value, numerator and denominator cells."""
    if unit == "rate_per_1000":
        assert population is not None and population > 0
        return {
            "value": f"{1000.0 * crimes / population:.3f}",
            "numerator": str(crimes),
            "denominator": str(int(round(population))),
        }
    return {"value": str(int(crimes)), "numerator": "", "denominator": ""}


def plan_police_uk_update(
    root: Path | str,
    counts: pd.DataFrame,
    files: pd.DataFrame,
    force: str | None = None,
    replace: bool = False,
    today: dt.date | None = None,
    outcomes: pd.DataFrame | None = None,
) -> UpdatePlan:
    """Work out the observations a data set gets from data.police.uk counts.

    Parameters
    ----------
    root : path-like
        The data folder.
    counts : pandas.DataFrame
        ``StreetCounts.counts``: ``month, force, local_authority, crime_type, crimes``.
    files : pandas.DataFrame
        ``StreetCounts.files``: which file each month and force came from.
    force : str, optional
        The force to take (``Falls within``, or its short name); by default the
        force of ``framework/areas``, or the only force in the files.
    replace : bool, default False
        Overwrite observations that came from another source.
    today : datetime.date, optional
        The extraction date written on new and changed rows (default today).
    outcomes : pandas.DataFrame, optional
        ``StreetCounts.outcomes``, needed when a measure has ``police_uk_outcomes``:
        its numerator, denominator and share per month, the latest months whose
        outcomes are still open written ``provisional``.

    Returns
    -------
    UpdatePlan
        The observations table after the update and what changed.

    Raises
    ------
    UpdateRefusedError
        When no measure has ``police_uk_crime_types``, the data set has no force
        area, the force is ambiguous or not the data set's, or the observations
        are not a CSV file; nothing is written.
    """
    root = Path(root)
    today = today or dt.date.today()
    folder = read_folder(root)
    blocking = [p for p in folder.list_problems() if p.row is None or p.row == 1]
    if "measures" not in folder.tables or "observations" not in folder.tables or blocking:
        raise UpdateRefusedError(
            f"the data set {root.as_posix()} cannot be read; run `pcp validate` first",
            blocking,
        )
    obs_table = folder.tables["observations"]
    if not obs_table.file.endswith(".csv"):
        raise UpdateRefusedError(
            f"{obs_table.file}: pcp source writes observations.csv; save the observations "
            "as CSV (UTF-8) first"
        )
    measures = folder.tables["measures"].typed
    chosen = measures[measures["police_uk_crime_types"].astype(str).str.strip() != ""]
    if chosen.empty:
        raise UpdateRefusedError(
            f"no measure of {folder.tables['measures'].file} has police_uk_crime_types set, "
            "so no observation would come from data.police.uk"
        )
    areas = folder.tables["areas"].typed if "areas" in folder.tables else None
    force_name = _choose_force(counts, areas, force)
    force_area, locals_, populations = _areas_of(areas, obs_table.typed, folder.meta)
    mine = counts[counts["force"] == force_name]
    _check_areas_match(folder.tables.get("areas"), locals_, mine)
    allocated = mine["local_authority"].isin(locals_)
    no_location = int(mine.loc[mine["local_authority"] == UNKNOWN_AREA, "crimes"].sum())
    outside = int(mine.loc[~allocated & (mine["local_authority"] != UNKNOWN_AREA), "crimes"].sum())
    coverage = AreaCoverage(
        force_name, force_area, tuple(locals_), int(mine["crimes"].sum()), no_location, outside
    )
    sources = _sources_by_month(files, force_name)
    settled = _settle_outcomes(chosen, outcomes, force_name)
    new_rows, gaps = _build_rows(
        chosen, mine, force_area, locals_, populations, sources, today, settled
    )
    plan = _merge(root, obs_table, new_rows, coverage, replace, force_name)
    plan.gaps = gaps
    plan.provisional = settled[1] if settled is not None else None
    shown = {
        str(month): " and ".join(sorted(group["shown"]))
        for month, group in files[files["force"] == force_name].groupby("month")
    }
    # Rows are written in plan order: row n is the file's row n + 2.
    places = {
        n: f"{obs_table.file}, row {n + 2} (from {shown.get(plan.rows[n]['period_start'][:7])})"
        for n in plan.arrived
    }
    counts_of = {str(m["measure_id"]): True for m in chosen.to_dict("records")}
    plan.to_confirm = mark_arrivals(plan.rows, plan.arrived, counts_of, places)
    return plan


def _check_areas_match(table: Table | None, locals_: list[str], mine: pd.DataFrame) -> None:
    """Refuse an update when a local authority of ``areas.csv`` matches no police.uk row.

    A name spelt otherwise than police.uk's LSOA names ("Erewash Borough" for
    "Erewash") would get 0 in every month, silently. An area is refused when, by its
    share of the population, the force's rows would give it enough that none at all is
    implausible (:func:`judge_zero`); a tiny extract may hold no row of a small area.

    Raises
    ------
    UpdateRefusedError
        Naming the file, row and value, and the nearest names found in the files.
    """
    if table is None or not locals_:
        return
    found = sorted(set(mine["local_authority"]) - {UNKNOWN_AREA})
    typed = table.typed
    population = pd.to_numeric(typed.get("population"), errors="coerce")
    of_locals = typed["area"].isin(locals_)
    share_total = float(population[of_locals].sum()) if population is not None else 0.0
    rows = int(mine["crimes"].sum())
    problems = []
    for index, area in zip(typed.index, typed["area"], strict=True):
        if area not in locals_ or area in found:
            continue
        # Only an implausible absence is an error: the rows this area would expect by its
        # share of the population (or an equal share) make no rows at all unlikely.
        people = population.get(index) if population is not None else None
        share = (
            float(people) / share_total
            if share_total > 0 and people is not None and pd.notna(people)
            else 1 / len(locals_)
        )
        if not judge_zero([round(rows * share)]):
            continue
        near = difflib.get_close_matches(str(area), found, n=3, cutoff=0.5)
        hint = f"; nearest: {', '.join(near)}" if near else ""
        problems.append(
            Problem(
                table.file,
                int(index) + 2,
                "area",
                str(area),
                "a local authority as police.uk's LSOA names spell it (no row of the "
                f"force's files is in {area}{hint})",
            )
        )
    if problems:
        raise UpdateRefusedError(
            f"{len(problems)} local authorit{'y' if len(problems) == 1 else 'ies'} of "
            f"{table.file} match no police.uk row, so each would read 0 every month",
            problems,
        )


def _areas_of(
    areas: pd.DataFrame | None, obs: pd.DataFrame, meta: Mapping[str, object]
) -> tuple[str, list[str], dict[str, float | None]]:
    """Return the force area, its local authorities and every area's population."""
    force_area = find_primary_area(
        areas, obs, str(meta.get("force_area") or meta.get("area") or "")
    )
    if not force_area:
        raise UpdateRefusedError(
            "the data set does not say which area is the force area: add framework/areas "
            "(or an 'area' in dataset.yaml)"
        )
    if areas is None or areas.empty:
        return force_area, [], {force_area: None}
    locals_ = list(areas.loc[areas["level"] == LOCAL_AUTHORITY_LEVEL, "area"])
    populations = {
        str(a): (None if pd.isna(p) else float(p))
        for a, p in zip(areas["area"], areas["population"], strict=True)
    }
    return force_area, locals_, populations


def _sources_by_month(files: pd.DataFrame, force: str) -> dict[str, str]:
    """Return each month's observation source: data.police.uk, the force and its files."""
    mine = files[files["force"] == force]
    return {
        str(month): describe_police_uk_source(force, sorted(group["layout_path"]))
        for month, group in mine.groupby("month")
    }


def _build_rows(
    measures: pd.DataFrame,
    counts: pd.DataFrame,
    force_area: str,
    locals_: list[str],
    populations: Mapping[str, float | None],
    sources: Mapping[str, str],
    today: dt.date,
    settled: tuple[pd.DataFrame, ProvisionalMonths] | None = None,
) -> tuple[list[dict[str, str]], list[SourceGap]]:
    """Return the new observations and the months the files did not give.

    Rows run measure by measure, area by area, month by month; a gap is written as a
    missing value with its reason in ``source``, never as 0.
    """
    with_files = sorted(sources)
    months = list_months(with_files[0], with_files[-1]) if with_files else []
    rows: list[dict[str, str]] = []
    gaps: list[SourceGap] = []
    for measure in measures.to_dict("records"):
        types = parse_crime_types(measure["police_uk_crime_types"])
        selected = counts[counts["crime_type"].isin(types)]
        unit = str(measure["unit"])
        since = measure["definition_from"]
        measure_id = str(measure["measure_id"])
        # A measure's month is missing when any of its crime types is: a part is not the whole.
        force_gaps: dict[str, str] = {}
        for crime_type in types:
            monthly = (
                selected[selected["crime_type"] == crime_type].groupby("month")["crimes"].sum()
            )
            for month, reason in find_month_gaps(monthly, months, with_files).items():
                force_gaps.setdefault(month, f"{crime_type}: {reason}")
        force_totals = selected.groupby("month")["crimes"].sum()
        local_totals = selected.groupby(["local_authority", "month"])["crimes"].sum()
        wanted = parse_outcomes(str(measure.get("police_uk_outcomes") or ""))
        if wanted and settled is not None:
            # An outcome measure: the share of its crime types' crimes with those outcomes.
            hits = settled[0][
                settled[0]["crime_type"].isin(types) & settled[0]["outcome"].isin(wanted)
            ]
            force_hits = hits.groupby("month")["crimes"].sum()
            local_hits = hits.groupby(["local_authority", "month"])["crimes"].sum()
        for area in (force_area, *locals_):
            area_gaps = dict(force_gaps)
            if area != force_area:
                mine = (
                    local_totals.xs(area, level=0)
                    if area in local_totals.index.get_level_values(0)
                    else pd.Series(dtype=int)
                )
                for month, reason in find_month_gaps(mine, months, with_files).items():
                    area_gaps.setdefault(month, f"{area}: {reason}")
            for month in months:
                start = f"{month}-01"
                previous = pd.notna(since) and pd.Timestamp(start) < since
                gap = area_gaps.get(month)
                if gap is not None:
                    gaps.append(SourceGap(measure_id, area, month, gap))
                    figure = {"value": "", "numerator": "", "denominator": ""}
                    source = f"{POLICE_UK_SOURCE}: not given ({gap})"
                else:
                    if area == force_area:
                        crimes = int(force_totals.get(month, 0))
                    else:
                        crimes = int(local_totals.get((area, month), 0))
                    figure = _figure(crimes, populations.get(area), unit)
                    if wanted:
                        numerator = int(
                            force_hits.get(month, 0)
                            if area == force_area
                            else local_hits.get((area, month), 0)
                        )
                        share = f"{100.0 * numerator / crimes:.2f}" if crimes else ""
                        figure = {
                            "value": share,
                            "numerator": str(numerator) if crimes else "",
                            "denominator": str(crimes) if crimes else "",
                        }
                    source = sources[month]
                    if wanted and not crimes:
                        # No crime of the types: a share of none is no figure, and says why.
                        source = f"{POLICE_UK_SOURCE}: no share ({month} has no such crime)"
                # data.police.uk publishes each month's crimes once, but their outcomes
                # keep changing: the latest months of an outcome measure are provisional.
                open_months = settled[1].months if wanted and settled is not None else ()
                rows.append(
                    {
                        "measure_id": measure_id,
                        "period_start": start,
                        "period_end": last_day_of_month(month).strftime("%Y-%m-%d"),
                        **figure,
                        "area": area,
                        "status": "provisional" if month in open_months else "final",
                        "definition": "previous" if previous else "current",
                        "source": source,
                        "extracted_on": today.isoformat(),
                    }
                )
    return rows, gaps


def _settle_outcomes(
    measures: pd.DataFrame, outcomes: pd.DataFrame | None, force: str
) -> tuple[pd.DataFrame, ProvisionalMonths] | None:
    """The force's crimes by outcome and its provisional months, for outcome measures."""
    column = measures.get("police_uk_outcomes", pd.Series(dtype=str)).astype(str)
    if not (column.str.strip() != "").any():
        return None
    if outcomes is None or outcomes.empty:
        raise UpdateRefusedError(
            "a measure has police_uk_outcomes but no outcomes were read from the files"
        )
    mine = outcomes[outcomes["force"] == force]
    return mine, find_provisional_months(mine)


def _merge(
    root: Path,
    table: Table,
    new_rows: list[dict[str, str]],
    coverage: AreaCoverage,
    replace: bool,
    force: str,
) -> UpdatePlan:
    """Merge new observations into the existing ones: add, change, keep, or conflict."""
    raw = table.raw
    columns = TABLES["observations"].columns
    existing = [{c: str(v) for c, v in zip(columns, r, strict=True)} for r in raw.itertuples(False)]
    rows_of = [int(i) + 2 for i in raw.index]
    position = {(r["measure_id"], r["period_start"], r["area"]): n for n, r in enumerate(existing)}
    ours = f"{POLICE_UK_SOURCE}, {force},"
    tally: dict[str, dict[str, int]] = {}
    conflicts: list[Problem] = []
    added: list[dict[str, str]] = []
    kept: set[tuple[str, str, str]] = set()
    arrived: set[int] = set()
    for new in new_rows:
        counts = tally.setdefault(new["measure_id"], {"added": 0, "changed": 0, "unchanged": 0})
        n = position.get((new["measure_id"], new["period_start"], new["area"]))
        if n is None:
            arrived.add(len(existing) + len(added))
            added.append(new)
            counts["added"] += 1
            continue
        old = existing[n]
        if _unchanged(old, new):
            counts["unchanged"] += 1
            continue
        if new["value"] == "" and old["value"] != "" and not old["source"].startswith(ours):
            # The files do not give this month: a figure from another source is the
            # better record, so it stays (the summary lists the gap and says so).
            kept.add((new["measure_id"], new["period_start"], new["area"]))
            counts["unchanged"] += 1
            continue
        if not old["source"].startswith(ours):
            conflicts.append(
                Problem(
                    table.file,
                    rows_of[n],
                    "source",
                    old["source"],
                    f"{POLICE_UK_SOURCE} for {new['measure_id']}, {new['area']}, "
                    f"{new['period_start'][:7]}: this row came from another source "
                    f"(value {old['value'] or 'empty'}; data.police.uk gives "
                    f"{new['value']}); --replace overwrites it",
                )
            )
            if not replace:
                continue
        existing[n] = new
        arrived.add(n)
        counts["changed"] += 1
    frame = pd.DataFrame(
        [{"measure_id": k, **v} for k, v in tally.items()],
        columns=["measure_id", "added", "changed", "unchanged"],
    )
    read_sha = hashlib.sha256((root / OBSERVATIONS).read_bytes()).hexdigest()
    return UpdatePlan(
        root, coverage, columns, existing + added, frame, conflicts, replace, read_sha,
        kept=kept, arrived=arrived,
    )  # fmt: skip


def _write_rows(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Write observation rows as UTF-8 CSV with Unix line endings, as the sample is written."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row[c] for c in columns])
        handle.flush()
        os.fsync(handle.fileno())


def _validate_copy(plan: UpdatePlan, today: dt.date) -> None:
    """Validate the updated data set in a temporary copy; raise with every problem."""
    from pcplib.data.dataset import load_dataset

    root = plan.root
    with tempfile.TemporaryDirectory(prefix="pcp-source-check-") as temp:
        copy = Path(temp) / root.name
        for relative in read_folder(root).files:
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / relative, target)
        _write_rows(copy / OBSERVATIONS, plan.columns, plan.rows)
        try:
            load_dataset(copy, today=today)
        except DataValidationError as error:
            shown = copy.as_posix()
            problems = [
                Problem(
                    p.file.replace(shown, root.as_posix(), 1), p.row, p.column, p.value, p.expected
                )
                for p in error.problems
            ]
            raise UpdateRefusedError(
                f"the updated data set would not be valid ({len(problems)} problem(s)); "
                "nothing was written",
                problems,
            ) from None


def check_update(plan: UpdatePlan, today: dt.date | None = None) -> None:
    """Refuse an update with conflicts (unless ``replace``) or that would not be valid.

    Parameters
    ----------
    plan : UpdatePlan
        From :func:`plan_police_uk_update`.
    today : datetime.date, optional
        The date validation checks periods against (default today).

    Raises
    ------
    UpdateRefusedError
        Listing every conflict, or every problem validation found in a copy of the
        data set with the new observations. Nothing is written either way.
    """
    if plan.conflicts and not plan.replace:
        raise UpdateRefusedError(
            f"{len(plan.conflicts)} observation(s) came from another source; nothing was "
            "written (--replace overwrites them)",
            plan.conflicts,
        )
    _validate_copy(plan, today or dt.date.today())


def write_update(plan: UpdatePlan) -> bool:
    """Replace ``observations.csv`` with the plan's rows, atomically.

    Call :func:`check_update` first.

    Parameters
    ----------
    plan : UpdatePlan
        A checked plan.

    Returns
    -------
    bool
        Whether the file was replaced (False when nothing changed).

    Raises
    ------
    UpdateRefusedError
        If the observations file changed since it was read; it is left as it is.
    """
    if plan.changes == 0:
        return False
    target = plan.root / OBSERVATIONS
    if hashlib.sha256(target.read_bytes()).hexdigest() != plan.read_sha256:
        raise UpdateRefusedError(
            f"{target.as_posix()} changed while the update was prepared; nothing was "
            "written (run the command again)"
        )
    handle = tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=".observations.", suffix=".tmp", delete=False
    )
    handle.close()
    temporary = Path(handle.name)
    try:
        _write_rows(temporary, plan.columns, plan.rows)
        # The temporary file is private (0600); the data set's file keeps its own mode.
        os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        # A full disk fails the write with no file name: name the file being replaced.
        raise name_os_error(error, target) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True
