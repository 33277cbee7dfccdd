"""The data floor: what the plan's data set is, how it is read, checked and scheduled.

Modules, in the order the pipeline uses them:

- :mod:`~pcplib.data.problems`: :class:`Problem` (one located problem with an input)
  and :class:`DataValidationError`, shared by every check below.
- :mod:`~pcplib.data.schemas`: the tables' files and columns (:data:`TABLES`), the
  allowed values, and the pandera schemas.
- :mod:`~pcplib.data.cells`: reading one file's cells, naming what stops it being read.
- :mod:`~pcplib.data.read`: reading a data folder's ``.csv``/``.xlsx`` tables.
- :mod:`~pcplib.data.validate`: every check, one table and across tables;
  :func:`validate_dataset` and ``pcp validate`` (:func:`summarise_validation`).
- :mod:`~pcplib.data.areas`: the force area and its local authorities (``framework/areas``).
- :mod:`~pcplib.data.dataset`: :class:`Dataset` and :func:`load_dataset`.
- :mod:`~pcplib.data.forward_plan`: the board's forward plan (the data set's
  ``forward_plan.yaml``).
- :mod:`~pcplib.data.identity`: whose plan the data set is (``dataset.yaml``).
- :mod:`~pcplib.data.parameter_files`: the papermill parameters files (``params/strategies``).
- :mod:`~pcplib.data.reference`: the reference tables beside the data set (Table One).
- :mod:`~pcplib.data.sample`: the generator of the illustrative sample in ``data/``.
- :mod:`~pcplib.data.sources`: sources that bring data in (data.police.uk).

Everything the reports and notebooks use is importable from ``pcplib.data`` itself.
"""

from pcplib.data.dataset import (
    RUN_TODAY_ENV,
    VALIDATED_DIGEST_ENV,
    Dataset,
    digest_validated_files,
    load_dataset,
    read_run_today,
)
from pcplib.data.parameter_files import check_parameter_files, read_notebook_parameter_names
from pcplib.data.problems import DataValidationError, Problem, summarise_problems
from pcplib.data.schemas import (
    AGGREGATIONS,
    COMMITMENT_STATUSES,
    DATASET_META,
    DEFINITIONS,
    FREQUENCIES,
    NARRATIVE_SECTIONS,
    OBSERVATION_STATUSES,
    RECALCULATION_MIN_POINTS,
    TABLES,
    TIERS,
    VISIBILITIES,
    TableSpec,
    build_schemas,
    parse_recalculation_dates,
)
from pcplib.data.validate import summarise_validation, validate_dataset

__all__ = [
    "AGGREGATIONS",
    "COMMITMENT_STATUSES",
    "DATASET_META",
    "DEFINITIONS",
    "FREQUENCIES",
    "NARRATIVE_SECTIONS",
    "OBSERVATION_STATUSES",
    "RECALCULATION_MIN_POINTS",
    "TABLES",
    "TIERS",
    "RUN_TODAY_ENV",
    "VALIDATED_DIGEST_ENV",
    "VISIBILITIES",
    "DataValidationError",
    "Dataset",
    "Problem",
    "TableSpec",
    "build_schemas",
    "check_parameter_files",
    "digest_validated_files",
    "read_run_today",
    "load_dataset",
    "parse_recalculation_dates",
    "read_notebook_parameter_names",
    "summarise_validation",
    "summarise_problems",
    "validate_dataset",
]
