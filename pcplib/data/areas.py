"""The areas a data set's figures cover: the force area and the local authorities in it.

``framework/areas`` is an optional table: one row for the police force area
(``level`` ``force``) and one per local authority in it (``level``
``local_authority``), each with its population, so figures can be compared area
by area and as rates per 1,000 people. Every judgement of the plan is made on the
force area's figures (:func:`find_primary_area`); local-authority rows are for
comparisons between areas.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pcplib.data.problems import Problem
from pcplib.data.schemas import POLICE_UK_MEASURE_UNITS, TABLES

__all__ = ["FORCE_LEVEL", "LOCAL_AUTHORITY_LEVEL", "check_areas", "find_primary_area"]

FORCE_LEVEL = "force"
LOCAL_AUTHORITY_LEVEL = "local_authority"


def find_primary_area(
    areas: pd.DataFrame | None, observations: pd.DataFrame | None, meta_area: str = ""
) -> str:
    """Return the area every judgement is made on: the force area.

    Parameters
    ----------
    areas : pandas.DataFrame or None
        ``framework/areas`` (``None`` or empty when the data set has none).
    observations : pandas.DataFrame or None
        The observations, for a data set without areas.
    meta_area : str, default ""
        The ``area`` of ``dataset.yaml``, if it gives one.

    Returns
    -------
    str
        The area of the ``force`` row of ``areas``; else ``meta_area``; else the one
        area the observations have; ``""`` when none of these settles it (several
        areas and nothing naming the force area's, which validation reports).
    """
    if areas is not None and not areas.empty:
        force = areas.loc[areas["level"] == FORCE_LEVEL, "area"]
        if len(force) >= 1:
            return str(force.iloc[0])
    if meta_area:
        return meta_area
    if observations is not None and not observations.empty:
        found = pd.unique(observations["area"])
        if len(found) == 1:
            return str(found[0])
    return ""


def check_areas(
    typed: dict[str, pd.DataFrame],
    raw: dict[str, pd.DataFrame],
    shown: dict[str, str],
    meta: dict[str, Any],
    meta_file: str,
) -> list[Problem]:
    """Check the areas table and the areas the observations and measures use.

    Parameters
    ----------
    typed, raw : dict of str to pandas.DataFrame
        The tables read, typed and as written, by table name.
    shown : dict of str to str
        Each table's file as reported.
    meta : dict
        ``dataset.yaml`` as read.
    meta_file : str
        ``dataset.yaml`` as reported.

    Returns
    -------
    list of Problem
        With ``framework/areas``: exactly one force row; local authorities of that
        force, each with its ONS code; populations with their source; every
        observation's area listed. Without it: the observations name one area, or
        ``dataset.yaml`` says which is the force area's. Measures counted from
        police.uk rows must be monthly counts or rates, and rates need populations.
    """
    problems: list[Problem] = []
    # ``force_area`` names it; ``area`` is the older spelling, still read.
    key = "force_area" if "force_area" in meta else "area"
    meta_area = meta.get(key, "")
    if meta_area is None or not isinstance(meta_area, str):
        if key == "area":  # ``force_area``'s shape is checked with the plan's identity
            problems.append(
                Problem(meta_file, None, key, str(meta_area), "the force area's name, as text")
            )
        meta_area = ""
    areas, obs, measures = typed.get("areas"), typed.get("observations"), typed.get("measures")
    if areas is not None and areas.empty:
        # An optional table with no file (or no rows) loads as an empty frame: a data set
        # without areas, judged as one area as before.
        areas = None
    if areas is not None:
        problems += _areas_table_problems(areas, raw["areas"], shown["areas"])
        force_rows = list(areas.loc[areas["level"] == FORCE_LEVEL, "area"])
        if meta_area.strip() and len(force_rows) == 1 and meta_area.strip() != force_rows[0]:
            problems.append(
                Problem(
                    meta_file,
                    None,
                    key,
                    meta_area,
                    f"the area of the force row of {TABLES['areas'].stem} ({force_rows[0]!r})",
                )
            )
        if obs is not None:
            known = set(areas["area"])
            listed = ", ".join(areas["area"])
            bad = ~obs["area"].isin(known) & (obs["area"] != "")
            for i in bad[bad].index:
                problems.append(
                    Problem(
                        shown["observations"],
                        int(i) + 2,
                        "area",
                        raw["observations"].at[i, "area"],
                        f"an area of {TABLES['areas'].stem} ({listed})",
                    )
                )
    elif obs is not None and not meta_area:
        found = list(pd.unique(obs.loc[obs["area"] != "", "area"]))
        if len(found) > 1:
            problems.append(
                Problem(
                    shown["observations"],
                    None,
                    "area",
                    ", ".join(map(str, found[:10])),
                    f"one area, or a {TABLES['areas'].stem} table (or dataset.yaml's "
                    "force_area) saying which is the force area's: every judgement is made "
                    "on its figures",
                )
            )
    if measures is not None:
        problems += _police_uk_measure_problems(measures, raw["measures"], shown["measures"], areas)
    return problems


def _areas_table_problems(areas: pd.DataFrame, raw: pd.DataFrame, file: str) -> list[Problem]:
    """Check the rows of ``framework/areas`` against one another."""
    problems: list[Problem] = []
    force_rows = areas.index[areas["level"] == FORCE_LEVEL]
    if len(force_rows) != 1:
        rows = ", ".join(str(int(i) + 2) for i in force_rows) or "none"
        problems.append(
            Problem(
                file,
                None,
                "level",
                None,
                f"exactly one row with level 'force', the police force area (rows: {rows})",
            )
        )
    force = str(areas.at[force_rows[0], "force"]) if len(force_rows) else ""
    for i in areas.index:
        row = int(i) + 2
        level = areas.at[i, "level"]
        if level == LOCAL_AUTHORITY_LEVEL:
            if force and areas.at[i, "force"] != force:
                problems.append(
                    Problem(
                        file,
                        row,
                        "force",
                        raw.at[i, "force"],
                        f"{force!r}, the force of the force area: a data set covers one force",
                    )
                )
            if not str(areas.at[i, "local_authority_code"]).strip():
                problems.append(
                    Problem(
                        file,
                        row,
                        "local_authority_code",
                        "",
                        "the local authority's ONS code (such as E06000016)",
                    )
                )
        if pd.notna(areas.at[i, "population"]) and not str(areas.at[i, "population_source"]):
            problems.append(
                Problem(
                    file,
                    row,
                    "population_source",
                    "",
                    "where the population comes from (such as 'ONS Census 2021')",
                )
            )
    return problems


def _police_uk_measure_problems(
    measures: pd.DataFrame, raw: pd.DataFrame, file: str, areas: pd.DataFrame | None
) -> list[Problem]:
    """Check that measures counted from police.uk rows can be: monthly counts or rates."""
    column = "police_uk_crime_types"
    if column not in measures.columns:
        return []
    problems: list[Problem] = []
    populated = areas is not None and areas["population"].notna().any()
    outcomes = measures.get("police_uk_outcomes", pd.Series("", index=measures.index))
    for i in measures.index[outcomes.astype(str).str.strip() != ""]:
        # An outcome measure is a share of its crime types' crimes: a percentage of them.
        types = str(measures.at[i, column]).strip()
        if measures.at[i, "unit"] != "percent" or not types or "Anti-social" in types:
            problems.append(
                Problem(
                    file, int(i) + 2, "police_uk_outcomes", str(outcomes[i]),
                    "outcomes only on a 'percent' measure whose police_uk_crime_types "
                    "are crime types (anti-social behaviour has no outcomes): measure "
                    f"{measures.at[i, 'measure_id']}",
                )
            )  # fmt: skip
    for i in measures.index[measures[column].astype(str).str.strip() != ""]:
        measure_id = measures.at[i, "measure_id"]
        if measures.at[i, "frequency"] != "monthly":
            problems.append(
                Problem(
                    file,
                    int(i) + 2,
                    "frequency",
                    raw.at[i, "frequency"],
                    f"'monthly': measure {measure_id} is counted from data.police.uk's "
                    "monthly files (police_uk_crime_types is set)",
                )
            )
        unit = measures.at[i, "unit"]
        if str(outcomes[i]).strip():
            continue
        if unit not in POLICE_UK_MEASURE_UNITS:
            problems.append(
                Problem(
                    file,
                    int(i) + 2,
                    "unit",
                    raw.at[i, "unit"],
                    "'count' or 'rate_per_1000' (per 1,000 people): measure "
                    f"{measure_id} is counted from data.police.uk rows",
                )
            )
        elif unit == "rate_per_1000" and not populated:
            problems.append(
                Problem(
                    file,
                    int(i) + 2,
                    "unit",
                    raw.at[i, "unit"],
                    f"'count', or populations in {TABLES['areas'].stem}: measure "
                    f"{measure_id} is a rate per 1,000 people counted from data.police.uk rows",
                )
            )
    return problems
