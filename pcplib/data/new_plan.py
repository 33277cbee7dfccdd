"""``pcp init DIR``: a new, empty plan for a force to fill in.

Writes ``dataset.yaml`` with every key explained, each table with its header and one
commented example row (a row whose first cell starts with ``#`` is read as blank), an
empty forward plan and a ``README.md`` saying what to fill in, in what order, and which
command checks each step; ``pcp validate DIR`` then lists what is still missing, one
line per item. With ``--from-police-uk ZIP`` the areas table is filled from the
archive's local authorities, with their Census 2021 populations (ONS, Open Government
Licence v3.0; ``pcplib/data/reference_tables/``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pcplib.data.schemas import TABLES

__all__ = ["CENSUS_FILE", "list_police_uk_areas", "write_new_plan"]

CENSUS_FILE = Path(__file__).resolve().parent / "reference_tables" / "census2021_population_lad.csv"
CENSUS_SOURCE = "ONS Census 2021 usual resident population; OGL v3.0"
_EXAMPLES: dict[str, dict[str, str]] = {
    "missions": {
        "mission_id": "# safer-streets",
        "mission_name": "Safer streets",
        "description": "Less crime and anti-social behaviour where people live",
    },
    "strategies": {
        "strategy_id": "# roads",
        "strategy_name": "Safer roads",
        "mission_id": "safer-streets",
        "strategic_objective": "Fewer people killed or seriously injured on the roads",
        "force_senior_owner": "Chief Superintendent, Operations",
        "force_spoc": "Roads Policing Inspector",
        "opcc_senior_owner": "OPCC Chief Executive",
        "opcc_spoc": "OPCC Policy Officer",
    },
    "measures": {
        "measure_id": "# roads-ksi",
        "measure_name": "People killed or seriously injured on the roads",
        "strategy_id": "roads",
        "tier": "headline",
        "unit": "count",
        "good_direction": "lower",
        "frequency": "monthly",
        "aggregation": "sum",
        "source": "Force collision records",
        "comparable": "false",
        "baseline_year": "2024/25",
        "visibility": "public",
        "definition": "People killed or seriously injured in reported road collisions",
        "definition_from": "2020-04-01",
    },
    "areas": {
        "area": "# Westshire",
        "level": "force",
        "force": "Westshire Police",
        "population": "850000",
        "population_source": "ONS Census 2021 (sum of the force area's local authorities)",
    },
    "observations": {
        "measure_id": "# roads-ksi",
        "period_start": "2025-04-01",
        "period_end": "2025-04-30",
        "value": "31",
        "area": "Westshire",
        "status": "final",
        "definition": "current",
        "source": "Force collision records",
        "extracted_on": "2025-05-20",
    },
    "commitments": {
        "commitment_id": "# roads-c01",
        "strategy_id": "roads",
        "commitment": "Run a speed enforcement campaign near every school",
        "status": "on track",
        "due_date": "2026-03-31",
        "owner": "Roads Policing Inspector",
    },
    "narrative": {
        "strategy_id": "# roads",
        "quarter": "2025/26 Q1",
        "section": "progress",
        "text": "What was done this quarter, in a few sentences",
    },
}
_DATASET_YAML = """\
# Whose plan this data set is, and how it describes itself. `pcp validate {folder}`
# lists every key still to fill in. Every report, index, returns workbook and
# `pcp plan` takes its words from here.

# true only for made-up data: every report then says the figures are illustrative.
illustrative: false
# One line describing the data set, shown in every report's provenance.
description: ""
# The office that monitors the plan, named at the top of every report, such as
# "Office of the Police and Crime Commissioner for <force area>".
organisation: ""
# The `area` of framework/areas.csv that is the whole force (its `force` row): every
# judgement is made on its figures.
force_area: "{force_area}"
# The plan: its name as every report's title shows it, and its first and last month.
plan:
  name: ""       # such as "Police and Crime Plan 2030-34"
  start: ""      # YYYY-MM, such as 2030-04
  end: ""        # YYYY-MM, such as 2034-03
# The board that reviews delivery: meeting lines say "<name>, November 2026";
# restricted measures are marked "Restricted: <short_name> only".
board:
  name: ""       # such as "Performance and Accountability Board"
  short_name: "" # such as "PAB"
# The board that meets quarterly and holds each strategy's named owners to account: its
# quarterly view's heading ("<name>: quarterly view, 2031/32 Q2"). Chair optional.
delivery_board:
  name: ""       # such as "Delivery Board"
  chair: ""      # such as "Chief Executive" (optional)
# Who answers questions on the published statistics (optional): the public report and
# the annual evaluation name them; left empty, they name no contact.
statistics_contact:
  name: ""       # a team or the responsible statistician, such as "Performance Team"
  email: ""      # such as "performance@opcc.example" (optional)
# The board's forward plan, relative to this folder.
forward_plan: forward_plan.yaml
"""
_FORWARD_PLAN = """\
# The board's forward plan: which delivery strategies each meeting reviews.
# Each meeting reports the data to the latest quarter end at least data_lag_months
# before it; a slot may give its own period instead, as data_to: YYYY-MM.
data_lag_months: 2
source: ""       # where the plan comes from (a published paper, a board decision)
notes: []
years: []
# Fill in one entry per financial year, such as:
# years:
#   - year: "2025/26"
#     slots:
#       - slot: "2025-06"
#         strategies: [roads]
#       - slot: "2025-08"
#         strategies: [roads]
#         data_to: "2025-06"
"""
_README = """\
# {folder}: a new plan for pcp-monitor

This folder is a whole plan: whose it is (`dataset.yaml`), its framework (missions,
strategies, measures, areas), its figures, commitments and narrative, and the board's
forward plan. Each table has its header and one example row starting with `#`, which is
read as blank: copy it, fill it in and delete it. `data/README.md` in the project is the
dictionary of every column.

Fill it in in this order; after each step, `pcp validate {folder}` lists what is still
missing or wrong, one line per item, and says "is valid" when the step is done.

1. `dataset.yaml`: the organisation, the plan, the board and the force area.
2. `framework/areas.csv`: the force area (level `force`) and its local authorities,
   with their ONS codes and populations (`pcp init --from-police-uk ZIP` fills it from a
   data.police.uk download).
3. `framework/missions.csv`, then `framework/strategies.csv`: the plan's missions and
   its delivery strategies with their owners.
4. `framework/measures.csv`: each strategy's measures, with targets and baselines.
   Measures counted from data.police.uk name their crime types in
   `police_uk_crime_types`.
5. `forward_plan.yaml`: the board's meetings and the strategies each reviews
   (`pcp plan --data {folder}` prints it).
6. The figures: `pcp source police-uk ZIP --data {folder}` fills the police.uk
   measures; `pcp returns template --all --data {folder}` makes the owners' return
   workbooks and `pcp returns load FILE.xlsx --data {folder}` loads them back
   (figures, commitments, narrative); `observations/observations.csv` takes any other.
   The plan is valid with no figures yet, so these can run; a report needs some.
7. `commitments/commitments.csv` and `narrative/narrative.csv` (or the returns).

Then point the project at this folder once (`echo {folder} > .pcp-data` in the
checkout, or `export PCP_DATA={folder}`) and build the reports: `pcp run --default`
(the latest meeting's reports and the public report), `pcp annual --year YYYY/YY`.
"""


def _example_row(name: str) -> list[str]:
    """The table's commented example row, one cell per column."""
    spec = TABLES[name]
    example = _EXAMPLES[name]
    return [example.get(column, "") for column in (*spec.columns, *spec.extra)]


def _csv_text(rows: Sequence[Sequence[str]]) -> str:
    """Rows as CSV text with Unix line endings."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def read_census_populations() -> dict[str, tuple[str, int]]:
    """Return each local authority's ONS code and Census 2021 population, by name.

    Returns
    -------
    dict of str to (str, int)
        Local authority name (as police.uk's LSOA names give it) -> (code, population).
    """
    with CENSUS_FILE.open(encoding="utf-8") as handle:
        return {
            row["lad_name"]: (row["lad_code"], int(row["population_2021"]))
            for row in csv.DictReader(handle)
        }


def list_police_uk_areas(archive: Path, force: str | None = None) -> tuple[str, list[str]]:
    """Return the force and the local authorities of a data.police.uk street-crime archive.

    Parameters
    ----------
    archive : Path
        A data.police.uk download (zip of ``YYYY-MM/YYYY-MM-<force>-street.csv``).
    force : str, optional
        The force (``Falls within``); needed only when the archive holds several.

    Returns
    -------
    force : str
        The force, as ``Falls within`` names it.
    local_authorities : list of str
        The local authorities its located rows fall in (an LSOA name without its last
        word), those with most rows first; authorities with 1% of the rows or fewer (crimes
        a force records just over its boundary) are left out.

    Raises
    ------
    ValueError
        One line: the archive cannot be read, holds no street files, holds several
        forces and none was named, or holds none of the force named.
    """
    counts: dict[str, Counter[str]] = {}
    try:
        with zipfile.ZipFile(archive) as zipped:
            names = [n for n in zipped.namelist() if n.endswith("-street.csv")]
            for name in names:
                with zipped.open(name) as raw:
                    reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig"))
                    for row in reader:
                        lsoa = (row.get("LSOA name") or "").strip()
                        within = (row.get("Falls within") or "").strip()
                        if lsoa and within:
                            counts.setdefault(within, Counter())[lsoa.rsplit(" ", 1)[0]] += 1
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError, csv.Error) as error:
        raise ValueError(f"{archive}: expected a data.police.uk zip download ({error})") from None
    if not counts:
        raise ValueError(f"{archive}: expected data.police.uk *-street.csv files (found none)")
    forces = sorted(counts)
    if force is None and len(forces) > 1:
        raise ValueError(
            f"{archive}: holds {len(forces)} forces; name one with --force ({', '.join(forces)})"
        )
    chosen = force or forces[0]
    if chosen not in counts:
        raise ValueError(
            f"--force {chosen!r}: expected one of the archive's forces ({', '.join(forces)})"
        )
    total = sum(counts[chosen].values())
    authorities = [name for name, n in counts[chosen].most_common() if n * 100 > total]
    return chosen, authorities


def _areas_rows(force: str, authorities: Sequence[str]) -> tuple[str, list[list[str]]]:
    """The areas table's rows: the force area, then each local authority with its population."""
    census = read_census_populations()
    known = [a for a in authorities if a in census]
    area = force.removesuffix(" Police").removesuffix(" Constabulary").strip() or force
    total = sum(census[a][1] for a in known)
    rows = [
        [area, "force", force, "", str(total), f"{CENSUS_SOURCE} (sum of its local authorities)"]
    ]
    rows += [
        [a, "local_authority", force, census[a][0], str(census[a][1]), CENSUS_SOURCE]
        for a in sorted(known)
    ]
    return area, rows


def write_new_plan(
    folder: Path, police_uk: Path | None = None, force: str | None = None
) -> list[Path]:
    """Write a new, empty plan into ``folder``.

    Parameters
    ----------
    folder : Path
        The new data set's folder; it must not exist or be empty.
    police_uk : Path, optional
        A data.police.uk zip download: ``framework/areas.csv`` is filled from its local
        authorities (with their Census 2021 populations) and ``dataset.yaml``'s
        ``force_area`` set.
    force : str, optional
        The force, when the download holds several.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ValueError
        One line: ``folder`` is a file or not empty, or the download cannot be used.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ValueError(f"{folder}: expected a new or empty folder for the plan (it holds files)")
    force_area, area_rows = "", [_example_row("areas")]
    if police_uk is not None:
        force_area, area_rows = _areas_rows(*list_police_uk_areas(police_uk, force))
    files: dict[str, str] = {
        "dataset.yaml": _DATASET_YAML.format(folder=folder.as_posix(), force_area=force_area),
        "forward_plan.yaml": _FORWARD_PLAN,
        "README.md": _README.format(folder=folder.as_posix()),
    }
    for name in (
        "missions",
        "strategies",
        "measures",
        "areas",
        "observations",
        "commitments",
        "narrative",
    ):
        spec = TABLES[name]
        header = [*spec.columns, *spec.extra]
        rows = area_rows if name == "areas" else [_example_row(name)]
        files[f"{spec.stem}.csv"] = _csv_text([header, *rows])
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
