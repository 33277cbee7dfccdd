"""Report content: what the report notebooks show, built as HTML from the assessment.

The report floor is presentation only: tables, banners, charts and wording, built
from the frames of :mod:`pcplib.assessment`. It computes nothing a reader is told
as a judgement. Three rules hold throughout:

- **Text from data is untrusted.** Names, narrative and notes are escaped with
  :func:`html.escape` before they reach HTML (:mod:`pcplib.report.html`); only
  markup written here is raw.
- **Restricted measures never reach public output.** ``audience="public"``
  filters them out in the assessment (and narrative that names them), so no
  notebook has to remember to.
- **Deterministic.** The only clock read is :func:`format_produced_at` when no
  time is given; tables carry no random ids.

Notebooks call everything through this package (``from pcplib import report``),
so the names below are its public interface; each lives in the module named for
what it holds.
"""

from __future__ import annotations

from pcplib import MARKING
from pcplib.assessment.annual import evaluate_year
from pcplib.assessment.measures import summarise_measures
from pcplib.assessment.origins import classify_measure_origins
from pcplib.assessment.overview import build_plan_overview, load_table_one, rebuild_table_one
from pcplib.assessment.quality import list_data_quality_notes
from pcplib.assessment.scope import (
    AUDIENCES,
    SPC_RULE_SETS,
    ParameterError,
    available_period_end,
    check_injected_parameters,
    check_parameters,
    format_produced_at,
    measures_for_audience,
)
from pcplib.assessment.strategy import StrategySummary, summarise_commitments, summarise_strategy
from pcplib.data import AGGREGATIONS
from pcplib.report.annual import format_annual_evaluation
from pcplib.report.commitments import format_commitments
from pcplib.report.headers import (
    build_annual_header,
    build_header,
    build_plan_header,
    build_public_header,
    format_data_availability,
    format_illustrative_banner,
)
from pcplib.report.measures import build_spc_charts, format_measures_table, format_overall_rag
from pcplib.report.narrative import format_narrative
from pcplib.report.overview import (
    format_plan_overview,
    format_plan_overview_caption,
    format_table_one,
    format_table_one_section,
)
from pcplib.report.provenance import (
    build_provenance,
    format_data_quality_notes,
    format_measure_origins,
)
from pcplib.report.public import format_forward_plan, format_public_quarter
from pcplib.report.returns import (
    format_actions,
    format_return_status,
    format_returns_log,
    format_risks,
)

__all__ = [
    "AGGREGATIONS",
    "AUDIENCES",
    "MARKING",
    "ParameterError",
    "SPC_RULE_SETS",
    "StrategySummary",
    "available_period_end",
    "build_annual_header",
    "build_header",
    "build_plan_header",
    "build_plan_overview",
    "build_provenance",
    "build_public_header",
    "build_spc_charts",
    "check_injected_parameters",
    "check_parameters",
    "classify_measure_origins",
    "evaluate_year",
    "format_actions",
    "format_annual_evaluation",
    "format_commitments",
    "format_data_availability",
    "format_data_quality_notes",
    "format_forward_plan",
    "format_illustrative_banner",
    "format_measure_origins",
    "format_measures_table",
    "format_narrative",
    "format_overall_rag",
    "format_plan_overview",
    "format_plan_overview_caption",
    "format_produced_at",
    "format_public_quarter",
    "format_return_status",
    "format_returns_log",
    "format_risks",
    "format_table_one",
    "format_table_one_section",
    "load_table_one",
    "list_data_quality_notes",
    "measures_for_audience",
    "rebuild_table_one",
    "summarise_commitments",
    "summarise_measures",
    "summarise_strategy",
]
