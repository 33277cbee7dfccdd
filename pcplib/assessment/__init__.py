"""The assessment floor: pure functions from a ``Dataset`` to tidy frames of judgements.

What a reader is told (a change, a RAG rating, an SPC signal, a roll-up, the annual
evaluation) is decided here, once, and only formatted by :mod:`pcplib.report`.
Nothing in this package writes HTML or reads files other than the data set it is
given.

Modules, in the order a report uses them:

- :mod:`~pcplib.assessment.scope`: parameter checks, the audience's measures, the
  data period;
- :mod:`~pcplib.assessment.thresholds`: the numbers that decide ratings;
- :mod:`~pcplib.assessment.measures`: each measure's figures and judgement;
- :mod:`~pcplib.assessment.strategy`: a strategy's roll-up and delivery confidence;
- :mod:`~pcplib.assessment.quality`: the caveats a reader needs;
- :mod:`~pcplib.assessment.overview`, :mod:`~pcplib.assessment.public`,
  :mod:`~pcplib.assessment.annual`: the plan overview, the public report's lists and
  the annual evaluation.

Notebooks call the judgements through this package (``from pcplib import
assessment``) and display them through :mod:`pcplib.report`, so a reader asking where
a rating comes from is sent to this floor; the names below are its public interface.
"""

from __future__ import annotations

from pcplib.assessment.annual import (
    classify_year_changes,
    count_chance_findings,
    describe_comparisons,
    evaluate_year,
    find_commitments_status_month,
    list_evidence_limits,
    summarise_year_by_mission,
    summarise_year_by_strategy,
)
from pcplib.assessment.board import summarise_board_quarter
from pcplib.assessment.comparisons import compare_areas, compare_strategy_areas
from pcplib.assessment.continuity import compare_with_previous_meeting, find_previous_meeting
from pcplib.assessment.defaults import fill_report_parameters
from pcplib.assessment.events import list_measure_events
from pcplib.assessment.exceptions import list_exceptions, list_improvements
from pcplib.assessment.judgements import (
    JUDGEMENT_COLUMNS,
    TABLE_COLUMNS,
    label_columns,
    tabulate_judgements,
)
from pcplib.assessment.measures import summarise_measures
from pcplib.assessment.multiplicity import ChanceCount, count_chance_comparisons
from pcplib.assessment.narrative_checks import check_narrative_numbers
from pcplib.assessment.origins import classify_measure_origins
from pcplib.assessment.overview import (
    build_plan_overview,
    rebuild_table_one,
    summarise_plan,
    tabulate_plan_overview,
)
from pcplib.assessment.public import summarise_public_quarter, tabulate_public_quarter
from pcplib.assessment.quality import list_data_quality_notes
from pcplib.assessment.scope import (
    AUDIENCES,
    SPC_RULE_SETS,
    available_period_end,
    check_parameters,
    format_produced_at,
    measures_for_audience,
)
from pcplib.assessment.strategy import StrategySummary, summarise_commitments, summarise_strategy
from pcplib.assessment.year_targets import judge_year_targets

__all__ = [
    "fill_report_parameters",
    "AUDIENCES",
    "JUDGEMENT_COLUMNS",
    "SPC_RULE_SETS",
    "ChanceCount",
    "StrategySummary",
    "TABLE_COLUMNS",
    "available_period_end",
    "build_plan_overview",
    "check_narrative_numbers",
    "check_parameters",
    "classify_measure_origins",
    "classify_year_changes",
    "judge_year_targets",
    "compare_areas",
    "compare_strategy_areas",
    "compare_with_previous_meeting",
    "count_chance_comparisons",
    "count_chance_findings",
    "describe_comparisons",
    "evaluate_year",
    "find_commitments_status_month",
    "find_previous_meeting",
    "format_produced_at",
    "label_columns",
    "list_data_quality_notes",
    "list_evidence_limits",
    "list_exceptions",
    "list_improvements",
    "list_measure_events",
    "measures_for_audience",
    "rebuild_table_one",
    "summarise_board_quarter",
    "summarise_commitments",
    "summarise_measures",
    "summarise_plan",
    "summarise_public_quarter",
    "summarise_strategy",
    "summarise_year_by_mission",
    "summarise_year_by_strategy",
    "tabulate_judgements",
    "tabulate_plan_overview",
    "tabulate_public_quarter",
]
