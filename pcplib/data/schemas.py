"""What the data set's tables are: their files, columns and types, and the rules for each value.

:data:`TABLES` says where each table lives (``.csv`` or ``.xlsx``) and which of its
columns are numbers, dates or booleans; :func:`build_schemas` declares, as pandera
schemas, the allowed values and ranges checked one table at a time (see
``data/README.md`` for the dictionary). Checks that span tables are in
:mod:`pcplib.data.validate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pcplib.metrics import GOOD_DIRECTIONS, UNITS
from pcplib.periods import FREQUENCY_MONTHS
from pcplib.rag import STATUSES as COMMITMENT_STATUSES

__all__ = [
    "ACTION_STATUSES",
    "ADMINISTRATIVE_CHOICES",
    "AGGREGATIONS",
    "AREA_LEVELS",
    "COMMITMENT_STATUSES",
    "DATASET_META",
    "MEASURE_LIST_SEPARATOR",
    "DEFINITIONS",
    "FREQUENCIES",
    "FREQUENCY_MONTHS",
    "NARRATIVE_SECTIONS",
    "OBSERVATION_STATUSES",
    "TO_CONFIRM",
    "QUARTER_PATTERN",
    "POLICE_UK_CRIME_TYPES",
    "POLICE_UK_MEASURE_UNITS",
    "RECALCULATION_MIN_POINTS",
    "RECALCULATION_PATTERN",
    "RISK_SCORES",
    "TABLES",
    "TIERS",
    "VISIBILITIES",
    "TableSpec",
    "build_schemas",
    "parse_crime_types",
    "parse_recalculation_dates",
    "split_measure_list",
]

TIERS = ("headline", "sub")
FREQUENCIES = tuple(FREQUENCY_MONTHS)
AGGREGATIONS = ("sum", "mean", "last")
SEASONAL_CHOICES = ("auto", "yes", "no")
ROLLING_CHOICES = ("auto", "yes", "no")
"""A measure's optional ``rolling`` column: whether each figure is a rolling 12-month one."""
ADMINISTRATIVE_CHOICES = ("auto", "yes", "no")
"""A measure's optional ``administrative`` column: whether its figure is an exact count of
something the organisation itself sets (opening hours, officers in post), which meets or
misses a target exactly, with no allowance for chance
(:func:`pcplib.assessment.chance.is_administrative`)."""
MONTH_PATTERN = r"^(\d{4}-(0[1-9]|1[0-2]))?$"
VISIBILITIES = ("public", "restricted")
OBSERVATION_STATUSES = ("provisional", "final")
TO_CONFIRM = "to confirm"
"""The status of a figure that arrived far outside its history (:mod:`pcplib.data.arrivals`):
loaded but not judged until someone confirms it (status ``final`` or ``provisional``)."""
DEFINITIONS = ("current", "previous")
NARRATIVE_SECTIONS = ("progress", "successes", "challenges", "risks")
# A financial quarter as the narrative, risks and returns write it: "2026/27 Q3".
QUARTER_PATTERN = r"^\d{4}/\d{2} Q[1-4]$"
# Likelihood and impact of a risk, each on the usual five-point scale (1 lowest).
RISK_SCORES = (1, 2, 3, 4, 5)
ACTION_STATUSES = ("open", "in progress", "done", "dropped")
# An area of framework/areas: the whole police force area, or one local authority in it.
AREA_LEVELS = ("force", "local_authority")
# The crime types of data.police.uk's street-level files since May 2013, as its
# `Crime type` column writes them (anti-social behaviour is one of them).
POLICE_UK_CRIME_TYPES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
# Units a measure counted from police.uk rows can have: the count itself, or the
# count per 1,000 people of the area (populations from framework/areas).
POLICE_UK_MEASURE_UNITS = ("count", "rate_per_1000")

_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID_EXPECTED = "an id of lower-case letters, digits and single hyphens (such as 'safer-streets')"
# Making Data Count: a recalculated section of an XmR chart needs at least 12 points.
RECALCULATION_MIN_POINTS = 12
# The shape of a spc_recalculate_from cell; parse_recalculation_dates checks the dates are real.
RECALCULATION_PATTERN = r"^$|^\s*\d{4}-\d{2}-\d{2}\s*(;\s*\d{4}-\d{2}-\d{2}\s*)*$"


@dataclass(frozen=True)
class TableSpec:
    """Where a table lives and how its columns are typed.

    Attributes
    ----------
    name : str
        The table's name (the ``Dataset`` attribute).
    stem : str
        Path inside the data folder without the suffix (``.csv`` or ``.xlsx``).
    columns : tuple of str
        The required columns, in order.
    numbers, dates, booleans : tuple of str
        Columns parsed as numbers, ISO dates (``YYYY-MM-DD``) and booleans; the rest
        are text (empty text is ``""``).
    optional : tuple of str
        Columns a file may leave out (they then load as empty text); files written
        before the column existed stay valid.
    extra : tuple of str
        Further columns a file may add or leave out (empty text when absent), after
        ``columns``: settings most measures do not need, such as a target date.
    required : bool
        Whether the table's file must exist. An optional table (the owners' risks,
        the action log, the returns log) loads as an empty frame when it has no file,
        so a data set made before the table existed stays valid.
    """

    name: str
    stem: str
    columns: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    booleans: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    required: bool = True


MEASURE_LIST_SEPARATOR = ";"
"""What separates the measure ids of a narrative entry's ``measures`` cell."""


def split_measure_list(cell: str) -> list[str]:
    """Return the measure ids a narrative entry's ``measures`` cell names.

    Parameters
    ----------
    cell : str
        Such as ``"vawg-dvpo; vawg-outcomes"``; empty when the entry names no measure.

    Returns
    -------
    list of str
        The ids, stripped, in the order written, empty ones left out.
    """
    return [part.strip() for part in str(cell).split(MEASURE_LIST_SEPARATOR) if part.strip()]


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("missions", "framework/missions", ("mission_id", "mission_name", "description")),
        TableSpec(
            "strategies",
            "framework/strategies",
            (
                "strategy_id",
                "strategy_name",
                "mission_id",
                "strategic_objective",
                "force_senior_owner",
                "force_spoc",
                "opcc_senior_owner",
                "opcc_spoc",
            ),
        ),
        TableSpec(
            "measures",
            "framework/measures",
            (
                "measure_id",
                "measure_name",
                "strategy_id",
                "tier",
                "unit",
                "good_direction",
                "frequency",
                "aggregation",
                "source",
                "comparable",
                "national_measure",
                "vrn_measure",
                "target",
                "target_note",
                "baseline_year",
                "visibility",
                "definition",
                "definition_from",
                "previous_definition",
                "spc_recalculate_from",
                "spc_recalculate_note",
            ),
            numbers=("target",),
            dates=("definition_from",),
            booleans=("comparable",),
            optional=("spc_recalculate_from", "spc_recalculate_note"),
            extra=(
                "target_date",
                "spc_baseline_from",
                "spc_baseline_to",
                "seasonal",
                "rolling",
                "police_uk_crime_types",
                "police_uk_outcomes",
                "administrative",
                "denominator_within",
            ),
        ),
        TableSpec(
            "areas",
            "framework/areas",
            ("area", "level", "force", "local_authority_code", "population", "population_source"),
            numbers=("population",),
            required=False,
        ),
        TableSpec(
            "observations",
            "observations/observations",
            (
                "measure_id",
                "period_start",
                "period_end",
                "value",
                "numerator",
                "denominator",
                "area",
                "status",
                "definition",
                "source",
                "extracted_on",
            ),
            numbers=("value", "numerator", "denominator"),
            dates=("period_start", "period_end", "extracted_on"),
        ),
        TableSpec(
            "commitments",
            "commitments/commitments",
            ("commitment_id", "strategy_id", "commitment", "status", "due_date", "owner"),
            dates=("due_date",),
            # What the owners report each quarter beside a commitment (seed 004's
            # "Activity to date"); files written before the returns existed lack them.
            # ``measure_id``: the measure whose target the commitment delivers, so that an
            # owner's status the measure's data contradict is flagged; optional, as most
            # commitments have no measure and older files lack the column.
            extra=("activity_to_date", "next_steps", "measure_id"),
        ),
        TableSpec(
            "narrative",
            "narrative/narrative",
            ("strategy_id", "quarter", "section", "text"),
            # The measures an entry speaks of, so that public reports keep only entries
            # about public measures by construction; files made before it stay valid.
            extra=("measures",),
        ),
        TableSpec(
            "risks",
            "returns/risks",
            (
                "risk_id",
                "strategy_id",
                "quarter",
                "description",
                "likelihood",
                "impact",
                "mitigation",
                "owner",
            ),
            numbers=("likelihood", "impact"),
            required=False,
        ),
        TableSpec(
            "actions",
            "returns/actions",
            ("action_id", "strategy_id", "agreed_at", "action", "owner", "due_date", "status"),
            dates=("due_date",),
            required=False,
        ),
        TableSpec(
            "returns_log",
            "returns/returns-log",
            (
                "file",
                "sha256",
                "strategy_id",
                "quarter",
                "loaded_at",
                "rows_added",
                "rows_changed",
                "not_supplied",
            ),
            numbers=("rows_added", "rows_changed", "not_supplied"),
            required=False,
        ),
    )
}
# Whether the data set is illustrative, and its one-line description.
DATASET_META = "dataset.yaml"


def parse_recalculation_dates(text: str) -> list[pd.Timestamp]:
    """Parse a measure's ``spc_recalculate_from`` cell into dates.

    Parameters
    ----------
    text : str
        Empty, or ISO dates (``YYYY-MM-DD``) separated by ``;``, such as
        ``"2022-01-01;2025-04-01"``; spaces around the separators are allowed.

    Returns
    -------
    list of pandas.Timestamp
        The dates in the order written; empty for an empty cell.

    Raises
    ------
    ValueError
        If a part is not a real date written ``YYYY-MM-DD``; the message names it.
    """
    if not isinstance(text, str):
        raise ValueError(
            f"spc_recalculate_from must be text of dates separated by ';', not {text!r}"
        )
    if not text.strip():
        return []
    dates = []
    for part in (p.strip() for p in text.split(";")):
        try:
            if len(part) != 10:
                raise ValueError(part)
            dates.append(pd.Timestamp(dt.date.fromisoformat(part)))
        except ValueError:
            raise ValueError(
                f"spc_recalculate_from: {part!r} is not a date written YYYY-MM-DD "
                "(such as 2025-04-01); separate several dates with ';'"
            ) from None
    return dates


def parse_crime_types(text: str) -> list[str]:
    """Split a measure's ``police_uk_crime_types`` cell into crime types.

    Parameters
    ----------
    text : str
        Empty, or police.uk crime types separated by ``;``, such as
        ``"Burglary;Robbery"``; spaces around the separators are allowed.

    Returns
    -------
    list of str
        The types in the order written; empty for an empty cell.
    """
    return [part.strip() for part in str(text).split(";") if part.strip()]


def _known_crime_types(cells: pd.Series) -> pd.Series:
    """Whether every crime type listed in each cell is a police.uk crime type."""
    known = set(POLICE_UK_CRIME_TYPES)
    return cells.map(lambda text: all(part in known for part in parse_crime_types(text)))


def _known_outcomes(cells: pd.Series) -> pd.Series:
    """Whether every outcome (or group) listed in each cell is police.uk's."""
    from pcplib.data.outcomes import OUTCOME_GROUPS, parse_outcomes

    return cells.map(lambda text: all(part in OUTCOME_GROUPS for part in parse_outcomes(text)))


def build_schemas() -> dict[str, Any]:
    """Build the pandera schema of each table (column types, allowed values, ranges).

    Each check's ``error`` text is what a :class:`Problem` reports as expected.

    Returns
    -------
    dict of str to pandera.DataFrameSchema
        Keyed by table name; validate typed frames with ``lazy=True``.
    """
    return {
        **_build_framework_schemas(),
        "areas": _build_areas_schema(),
        "observations": _build_observations_schema(),
        **_build_delivery_schemas(),
        "returns_log": _build_returns_log_schema(),
    }


# The column builders below import pandera when a schema is first built, not at module
# import: pandera takes about 1.1 s to import beyond pandas (measured with -X importtime on
# this machine), and most commands never validate.


def _text(*checks: Any, required: bool = True) -> Any:
    """A text column; a required one must not be empty."""
    import pandera.pandas as pa

    all_checks = list(checks)
    if required:
        all_checks.insert(0, pa.Check.str_length(min_value=1, error="a value (it is required)"))
    return pa.Column(str, all_checks, nullable=False)


def _ident() -> Any:
    """An identifier column: lower-case letters, digits and hyphens."""
    import pandera.pandas as pa

    return _text(pa.Check.str_matches(_ID_PATTERN, error=_ID_EXPECTED))


def _one_of(values: Iterable[str]) -> Any:
    """A required text column holding one of ``values``."""
    import pandera.pandas as pa

    allowed = tuple(values)
    return _text(pa.Check.isin(allowed, error="one of " + ", ".join(repr(v) for v in allowed)))


def _pattern(regex: str, expected: str, *, required: bool = True) -> Any:
    """A text column matching ``regex``; ``expected`` is what a problem says was expected."""
    import pandera.pandas as pa

    return _text(pa.Check.str_matches(regex, error=expected), required=required)


def _date(required: bool = True) -> Any:
    """A date column (read as datetime64); an optional one may be empty."""
    import pandera.pandas as pa

    return pa.Column("datetime64[ns]", nullable=not required)


def _number(*checks: Any) -> Any:
    """A number column, empty allowed."""
    import pandera.pandas as pa

    return pa.Column(float, list(checks), nullable=True)


def _non_negative() -> Any:
    """The check of a number that cannot be below zero."""
    import pandera.pandas as pa

    return pa.Check.ge(0, error="a number of 0 or more")


def _quarter() -> Any:
    """A financial quarter written like ``2026/27 Q2``."""
    return _pattern(QUARTER_PATTERN, "a quarter written like '2026/27 Q2'")


def _optional_month() -> Any:
    """Empty, or a month written ``YYYY-MM``."""
    return _pattern(MONTH_PATTERN, "empty, or a month written YYYY-MM", required=False)


def _score() -> Any:
    """A risk score: empty, or a whole number from 1 to 5."""
    import pandera.pandas as pa

    return _number(
        pa.Check.isin(
            [float(s) for s in RISK_SCORES],
            error="empty, or a whole number from 1 (lowest) to 5 (highest)",
        )
    )


def _count() -> Any:
    """A required whole number of 0 or more."""
    import pandera.pandas as pa

    whole = pa.Check(lambda s: (s >= 0) & (s == s.round()), error="a whole number of 0 or more")
    return pa.Column(float, [whole], nullable=False)


def _build_framework_schemas() -> dict[str, Any]:
    """The plan's framework: its missions, strategies and measures."""
    import pandera.pandas as pa

    return {
        "missions": pa.DataFrameSchema(
            {"mission_id": _ident(), "mission_name": _text(), "description": _text(required=False)}
        ),
        "strategies": pa.DataFrameSchema(
            {
                "strategy_id": _ident(),
                "strategy_name": _text(),
                "mission_id": _text(),
                "strategic_objective": _text(),
                "force_senior_owner": _text(),
                "force_spoc": _text(),
                "opcc_senior_owner": _text(),
                "opcc_spoc": _text(),
            }
        ),
        "measures": pa.DataFrameSchema(
            {**_list_measure_definition_columns(), **_list_measure_method_columns()}
        ),
    }


def _list_measure_definition_columns() -> dict[str, Any]:
    """A measure's columns up to its definition: what it is, its unit, target and audience."""
    import pandera.pandas as pa

    return {
        "measure_id": _ident(),
        "measure_name": _text(),
        "strategy_id": _text(),
        "tier": _one_of(TIERS),
        "unit": _one_of(UNITS),
        "good_direction": _one_of(GOOD_DIRECTIONS),
        "frequency": _one_of(FREQUENCIES),
        "aggregation": _one_of(AGGREGATIONS),
        "source": _text(),
        "comparable": pa.Column(bool),
        "national_measure": _text(required=False),
        "vrn_measure": _text(required=False),
        "target": _number(),
        "target_note": _text(required=False),
        "baseline_year": _pattern(r"^\d{4}/\d{2}$", "a financial year written like 2024/25"),
        "visibility": _one_of(VISIBILITIES),
        "definition": _text(),
        "definition_from": _date(),
        "previous_definition": _text(required=False),
    }


def _list_measure_method_columns() -> dict[str, Any]:
    """A measure's optional method columns: SPC sections and baseline, season, police.uk."""
    import pandera.pandas as pa

    return {
        "spc_recalculate_from": _pattern(
            RECALCULATION_PATTERN,
            "empty, or dates written YYYY-MM-DD separated by ';' (such as 2022-01-01;2025-04-01)",
            required=False,
        ),
        "spc_recalculate_note": _text(required=False),
        "target_date": _optional_month(),
        "spc_baseline_from": _optional_month(),
        "spc_baseline_to": _optional_month(),
        "seasonal": pa.Column(
            str,
            pa.Check.isin(("", *SEASONAL_CHOICES), error="empty, auto, yes or no"),
            required=False,
        ),
        # A rolling 12-month figure gets no XmR verdict; "auto" (or empty) reads the
        # measure's name, definition and source (pcplib.assessment.spc_verdict.is_rolling).
        "rolling": pa.Column(
            str,
            pa.Check.isin(("", *ROLLING_CHOICES), error="empty, auto, yes or no"),
            required=False,
        ),
        # An exact count of what the organisation sets meets its target exactly; "auto"
        # (or empty) makes a whole stock counted at the period end one (a headcount:
        # pcplib.assessment.chance.is_administrative).
        "administrative": pa.Column(
            str,
            pa.Check.isin(("", *ADMINISTRATIVE_CHOICES), error="empty, auto, yes or no"),
            required=False,
        ),
        # The measure whose figure at the same date bounds this share's denominator (a
        # part of its population); checked by pcplib.data.coherence, a warning, not an error.
        "denominator_within": _pattern(
            r"^([a-z0-9]+(-[a-z0-9]+)*)?$",
            "empty, or the measure_id of the measure whose population the denominator is part of",
            required=False,
        ),
        "police_uk_crime_types": pa.Column(
            str,
            pa.Check(
                _known_crime_types,
                error=(
                    "empty, or data.police.uk crime types separated by ';' ("
                    + ", ".join(POLICE_UK_CRIME_TYPES)
                    + ")"
                ),
            ),
            required=False,
        ),
        "police_uk_outcomes": pa.Column(
            str,
            pa.Check(
                _known_outcomes,
                error=(
                    "empty, 'charged or summonsed', or data.police.uk outcome "
                    "categories separated by '|' (see docs/methodology.md)"
                ),
            ),
            required=False,
        ),
    }


def _build_areas_schema() -> Any:
    """The areas table: each area's level, force, ONS code and population."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "area": _text(),
            "level": _one_of(AREA_LEVELS),
            "force": _text(),
            "local_authority_code": _pattern(
                r"^([EWSN]\d{8})?$",
                "empty, or an ONS local authority code such as E06000016",
                required=False,
            ),
            "population": _number(pa.Check.gt(0, error="a population above 0")),
            "population_source": _text(required=False),
        }
    )


def _build_observations_schema() -> Any:
    """The observations table: one figure per measure, period and area."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "measure_id": _text(),
            "period_start": _date(),
            "period_end": _date(),
            "value": _number(),
            "numerator": _number(_non_negative()),
            "denominator": _number(_non_negative()),
            "area": _text(),
            "status": _one_of((*OBSERVATION_STATUSES, TO_CONFIRM)),
            "definition": _one_of(DEFINITIONS),
            "source": _text(),
            "extracted_on": _date(),
        }
    )


def _build_delivery_schemas() -> dict[str, Any]:
    """What strategies report besides figures: commitments, narrative, risks and actions."""
    import pandera.pandas as pa

    return {
        "commitments": pa.DataFrameSchema(
            {
                "commitment_id": _ident(),
                "strategy_id": _text(),
                "commitment": _text(),
                "status": _one_of(COMMITMENT_STATUSES),
                "due_date": _date(),
                "owner": _text(),
                "activity_to_date": _text(required=False),
                "next_steps": _text(required=False),
                "measure_id": _text(required=False),
            }
        ),
        "narrative": pa.DataFrameSchema(
            {
                "strategy_id": _text(),
                "quarter": _quarter(),
                "section": _one_of(NARRATIVE_SECTIONS),
                "text": _text(),
                "measures": _text(required=False),
            }
        ),
        "risks": pa.DataFrameSchema(
            {
                "risk_id": _ident(),
                "strategy_id": _text(),
                "quarter": _quarter(),
                "description": _text(),
                "likelihood": _score(),
                "impact": _score(),
                "mitigation": _text(required=False),
                "owner": _text(required=False),
            }
        ),
        "actions": pa.DataFrameSchema(
            {
                "action_id": _ident(),
                "strategy_id": _text(),
                "agreed_at": _pattern(
                    r"^\d{4}-(0[1-9]|1[0-2])$",
                    "the month of the meeting that agreed it, written YYYY-MM",
                ),
                "action": _text(),
                "owner": _text(required=False),
                "due_date": _date(required=False),
                "status": _one_of(ACTION_STATUSES),
            }
        ),
    }


def _build_returns_log_schema() -> Any:
    """The returns log: one row per return loaded, with its digest and counts."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "file": _text(),
            "sha256": _pattern(r"^[0-9a-f]{64}$", "a SHA-256 digest (64 hex digits)"),
            "strategy_id": _text(),
            "quarter": _quarter(),
            "loaded_at": _pattern(
                r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
                "a UTC time written like 2026-12-01T09:30:00Z",
            ),
            "rows_added": _count(),
            "rows_changed": _count(),
            "not_supplied": _count(),
        }
    )
