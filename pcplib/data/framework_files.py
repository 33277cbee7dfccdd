"""The illustrative sample's framework, read from its YAML files.

``pcplib/data/sample_framework/*.yaml`` holds the missions, strategies, measures (with
the parameters that generate their observations), commitments, narrative templates,
risks and actions of the illustrative sample; this module reads and checks them, so
the generator (:mod:`pcplib.data.sample`) stays small and the framework is data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from pcplib.data.schemas import NARRATIVE_SECTIONS, TABLES
from pcplib.safe_yaml import load_yaml_text

FRAMEWORK_FOLDER = "sample_framework"
"""The folder of package data, beside this module, holding the framework's YAML files."""


@dataclass(frozen=True)
class Gen:
    """How one measure's illustrative series is generated.

    Attributes
    ----------
    kind : str
        ``count`` (Poisson around a level), ``proportion`` (binomial numerator over a
        denominator, value in percent), ``rate`` (count numerator over a fixed
        population, value per 1,000) or ``level`` (a continuous quantity with normal noise).
    base : float
        Level in April 2020: the mean count per period, the percentage, or the quantity.
    trend : float
        Yearly change: compound fraction for counts and levels, percentage points for
        proportions.
    trend_until : date or None
        After this date the trend stops (a level reached and held).
    steps : tuple of (date, float)
        Sustained shifts from a date: multipliers for counts and levels, percentage
        points for proportions.
    noise : float
        Extra variation: log-scale sd for counts, sd in points for proportions, sd in
        the measure's unit for levels.
    seasonal : float
        Relative seasonal amplitude, peaking in July (negative: peaking in January).
    lockdown : float
        How strongly COVID-19 lockdowns depressed the measure (0 none, 1 fully).
    denominator : float
        Mean denominator per period (proportions) or the population (rates).
    denominator_from : str
        A measure generated earlier whose figure at the same period end serves as this
        proportion's denominator: a count's drawn count, or a level (a headcount) at the
        quarter's last month for a quarterly share of it.
    denominator_share : float
        The fraction of ``denominator_from``'s figure counted in the denominator (the
        officers who declare their ethnicity, of the officers in post), so the share's
        base is never larger than the population it is part of.
    decimals : int
        Decimals written for the value.
    missing : tuple of date
        Periods whose value is missing (row present, value empty).
    provisional : int
        How many of the latest periods are provisional.
    minimum : float or None
        Floor for levels that cannot go below a value.
    census : bool
        For proportions of a whole population (a fleet, a workforce): the denominator is
        fixed and the numerator is the percentage of it, without sampling noise.
    """

    kind: str
    base: float
    trend: float = 0.0
    trend_until: date | None = None
    steps: tuple[tuple[date, float], ...] = ()
    noise: float = 0.0
    seasonal: float = 0.0
    lockdown: float = 0.0
    denominator: float = 0.0
    denominator_from: str = ""
    denominator_share: float = 1.0
    decimals: int = 0
    missing: tuple[date, ...] = ()
    provisional: int = 0
    minimum: float | None = None
    census: bool = False


@dataclass(frozen=True)
class MeasureSpec:
    """A measure of the framework with how its sample series is generated.

    Attributes
    ----------
    row : dict
        The measure's row in ``measures.csv``, every column as the text written.
    gen : Gen
        How its observations are generated.
    extracted_on : date
        When the series was last extracted from its source.
    row_source : str
        The source written on each observation row (the measure's ``source`` unless
        ``measures.yaml`` gives an ``observation_source``).
    """

    row: dict[str, str]
    gen: Gen
    extracted_on: date
    row_source: str = ""


def read_framework_file(name: str) -> Any:
    """Read one YAML file of the sample framework (package data, so installs carry it).

    Parameters
    ----------
    name : str
        The file name, such as ``"measures.yaml"``.

    Returns
    -------
    Any
        The parsed YAML.
    """
    path = resources.files("pcplib.data").joinpath(FRAMEWORK_FOLDER).joinpath(name)
    return load_yaml_text(path.read_text(encoding="utf-8"))


def _cell(value: Any, where: str) -> str:
    """Return a framework value as the text its CSV cell holds.

    Text is copied as it is, dates are written ISO and booleans ``true``/``false``;
    numbers must be quoted in the YAML, so that ``9.0`` is not written ``9``.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    raise ValueError(f"{where}: {value!r} must be quoted text, so that it is written as given")


def _check_keys(item: dict[str, Any], allowed: Sequence[str], where: str) -> None:
    """Raise if a framework entry has a key it should not (most likely a typo)."""
    unknown = [key for key in item if key not in allowed]
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; expected {allowed}")


def _rows_of(name: str, table: str) -> list[tuple[str, ...]]:
    """Read a framework file that is a list of a table's rows, keyed by its columns."""
    columns = TABLES[table].columns
    rows = []
    for n, item in enumerate(read_framework_file(name), start=1):
        where = f"{FRAMEWORK_FOLDER}/{name} entry {n}"
        _check_keys(item, columns, where)
        missing = [column for column in columns if column not in item]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        rows.append(tuple(_cell(item[column], f"{where}, {column}") for column in columns))
    return rows


def _build_gen(fields: dict[str, Any], where: str) -> Gen:
    """Return a measure's :class:`Gen` from its ``generation`` mapping."""
    _check_keys(fields, [f.name for f in dataclasses.fields(Gen)], f"{where}, generation")
    values = dict(fields)
    # YAML has lists; Gen's are tuples, of (date, change) pairs for the steps.
    if "steps" in values:
        values["steps"] = tuple((when, change) for when, change in values["steps"])
    if "missing" in values:
        values["missing"] = tuple(values["missing"])
    return Gen(**values)


def load_measures() -> tuple[list[MeasureSpec], dict[tuple[int, int], float]]:
    """Read ``measures.yaml``: each measure's catalogue row and generator, and the lockdowns.

    A measure gives the columns of ``measures.csv`` that differ from the file's
    ``defaults``. ``aggregation`` defaults to ``sum`` for counts and money (events and
    flows in a period) and ``mean`` for every other unit (levels, percentages, rates,
    averages); stocks counted in people, such as headcounts, give ``mean``.
    ``spc_recalculate_from`` (with its cause in ``spc_recalculate_note``) is set only
    where a simulated step has a known cause, so the SPC limits are recalculated from
    it; other steps stay as real signals for the reports to find.

    Returns
    -------
    measures : list of MeasureSpec
        In the file's order, which is the order the random numbers are drawn in.
    lockdown : dict of (int, int) to float
        ``(year, month)`` -> the share of normal volume recorded that month.
    """
    framework = read_framework_file("measures.yaml")
    columns = (*TABLES["measures"].columns, *TABLES["measures"].extra)
    defaults = framework["defaults"]
    extracted = framework["extracted_on"]
    measures = []
    for item in framework["measures"]:
        where = f"{FRAMEWORK_FOLDER}/measures.yaml, measure {item.get('measure_id')}"
        _check_keys(item, [*columns, "observation_source", "generation"], where)
        values = {**defaults, **item}
        if "aggregation" not in values:
            values["aggregation"] = "sum" if values.get("unit") in ("count", "gbp") else "mean"
        missing = [column for column in columns if column not in values]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        row = {column: _cell(values[column], f"{where}, {column}") for column in columns}
        spec = MeasureSpec(
            row=row,
            gen=_build_gen(item["generation"], where),
            extracted_on=extracted[row["frequency"]],
            row_source=_cell(values.get("observation_source", row["source"]), where),
        )
        measures.append(spec)
    lockdown = {
        (int(month[:4]), int(month[5:])): share for month, share in framework["lockdown"].items()
    }
    return measures, lockdown


def _numbered_rows(name: str, table: str, prefix: str) -> list[dict[str, str]]:
    """Read a framework file of strategy -> entries into a table's rows, ids numbered.

    Each entry gives the table's columns other than its id and ``strategy_id``; the id is
    ``<strategy>-<prefix>NN`` in the file's order within each strategy. Extra columns
    (``TableSpec.extra``) may be left out and are then empty.
    """
    spec = TABLES[table]
    id_column = spec.columns[0]
    given = [c for c in (*spec.columns, *spec.extra) if c not in (id_column, "strategy_id")]
    rows = []
    for strategy, items in read_framework_file(name).items():
        for n, item in enumerate(items, start=1):
            where = f"{FRAMEWORK_FOLDER}/{name}, {strategy} entry {n}"
            _check_keys(item, given, where)
            missing = [c for c in given if c not in item and c not in spec.extra]
            if missing:
                raise ValueError(f"{where}: missing {', '.join(missing)}")
            row = {id_column: f"{strategy}-{prefix}{n:02d}", "strategy_id": strategy}
            row.update({c: _cell(item.get(c, ""), f"{where}, {c}") for c in given})
            rows.append(row)
    return rows


def load_risks() -> list[dict[str, str]]:
    """Read ``risks.yaml``: each strategy's risks, one row per risk and quarter reported.

    Returns
    -------
    list of dict
        Rows keyed by the risks columns, strategy by strategy, then quarter by quarter in
        the order they first appear, then risk by risk; ids are ``<strategy>-rNN``.
    """
    keys = ("description", "mitigation", "owner", "quarters")
    rows = []
    for strategy, items in read_framework_file("risks.yaml").items():
        by_quarter: dict[str, list[dict[str, str]]] = {}
        for n, item in enumerate(items, start=1):
            where = f"{FRAMEWORK_FOLDER}/risks.yaml, {strategy} risk {n}"
            _check_keys(item, keys, where)
            for quarter, (likelihood, impact) in item["quarters"].items():
                by_quarter.setdefault(quarter, []).append(
                    {
                        "risk_id": f"{strategy}-r{n:02d}",
                        "strategy_id": strategy,
                        "quarter": quarter,
                        "description": _cell(item["description"], f"{where}, description"),
                        "likelihood": str(int(likelihood)),
                        "impact": str(int(impact)),
                        "mitigation": _cell(item["mitigation"], f"{where}, mitigation"),
                        "owner": _cell(item["owner"], f"{where}, owner"),
                    }
                )
        for quarter in sorted(by_quarter):
            rows += by_quarter[quarter]
    return rows


def load_narrative() -> dict[str, dict[str, tuple[str, str, str, str]]]:
    """Read ``narrative.yaml``: strategy -> quarter -> the text of each section.

    Returns
    -------
    dict
        strategy -> quarter -> texts in the order of ``NARRATIVE_SECTIONS``.

    Raises
    ------
    ValueError
        If a strategy's quarters differ from the first strategy's, or a quarter lacks a
        section or has one that is not a narrative section.
    """
    narrative: dict[str, dict[str, tuple[str, str, str, str]]] = {}
    expected_quarters: list[str] | None = None
    for strategy, quarters in read_framework_file("narrative.yaml").items():
        expected_quarters = expected_quarters or list(quarters)
        if list(quarters) != expected_quarters:
            raise ValueError(
                f"{FRAMEWORK_FOLDER}/narrative.yaml, {strategy}: expected the quarters "
                f"{', '.join(expected_quarters)}, as every strategy has"
            )
        narrative[strategy] = {}
        for quarter, texts in quarters.items():
            where = f"{FRAMEWORK_FOLDER}/narrative.yaml, {strategy} {quarter}"
            if list(texts) != list(NARRATIVE_SECTIONS):
                raise ValueError(f"{where}: expected the sections {', '.join(NARRATIVE_SECTIONS)}")
            progress, successes, challenges, risks = (
                _cell(texts[section], f"{where}, {section}") for section in NARRATIVE_SECTIONS
            )
            narrative[strategy][quarter] = (progress, successes, challenges, risks)
    return narrative


# The framework, read once when the generator is imported.
MISSIONS: list[tuple[str, ...]] = _rows_of("missions.yaml", "missions")
STRATEGIES: list[tuple[str, ...]] = _rows_of("strategies.yaml", "strategies")
# The force area and its local authorities with their Census 2021 populations: real
# published figures (ONS), unlike the rest of the sample.
AREAS: list[tuple[str, ...]] = _rows_of("areas.yaml", "areas")
MEASURES, LOCKDOWN = load_measures()
COMMITMENTS = _numbered_rows("commitments.yaml", "commitments", "c")
NARRATIVE = load_narrative()
RISKS = load_risks()
ACTIONS = _numbered_rows("actions.yaml", "actions", "a")
# The quarters with narrative (load_narrative checks every strategy has the same ones).
NARRATIVE_QUARTERS = tuple(next(iter(NARRATIVE.values())))
