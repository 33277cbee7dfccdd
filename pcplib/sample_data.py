"""The sample data generator, at its former path: see :mod:`pcplib.data.sample`.

Kept so that ``python -m pcplib.sample_data data`` (the command ``data/dataset.yaml``
records) and ``from pcplib.sample_data import ...`` go on working.
"""

import sys

from pcplib.data.framework_files import (
    COMMITMENTS,
    MEASURES,
    MISSIONS,
    NARRATIVE,
    NARRATIVE_QUARTERS,
    STRATEGIES,
    Gen,
    MeasureSpec,
)
from pcplib.data.sample import (
    FIRST_MONTH,
    LAST_MONTH,
    SEED,
    build_commitment_rows,
    build_narrative_rows,
    generate_observations,
    list_periods,
    main,
    write_sample,
)

__all__ = [
    "COMMITMENTS",
    "FIRST_MONTH",
    "LAST_MONTH",
    "MEASURES",
    "MISSIONS",
    "NARRATIVE",
    "NARRATIVE_QUARTERS",
    "SEED",
    "STRATEGIES",
    "Gen",
    "MeasureSpec",
    "build_commitment_rows",
    "build_narrative_rows",
    "generate_observations",
    "list_periods",
    "main",
    "write_sample",
]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
