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
- **Deterministic.** The only clock read is
  :func:`pcplib.assessment.scope.format_produced_at` when no
  time is given; tables carry no random ids.

Notebooks display everything through this package (``from pcplib import report``)
and take the judgements from :mod:`pcplib.assessment`, which this package does not
re-export, so the names below are its public interface; each lives in the module named for
what it holds. The HTML builders are exported wrapped as report fragments
(:mod:`pcplib.report.fragments`): what a notebook displays carries its own scoped
layout, so it looks the same in JupyterLab as in the rendered report.
"""

from __future__ import annotations

from pcplib import MARKING
from pcplib.data import AGGREGATIONS
from pcplib.report import (
    about,
    annual,
    board,
    commitments,
    comparisons,
    continuity,
    headers,
    html,
    measures,
    narrative,
    overview,
    provenance,
    public,
    release,
    returns,
    spc_summary,
    summary,
    words,
)
from pcplib.report.annual import ANNUAL_METHOD_NOTE, describe_theory_of_change
from pcplib.report.chart_text import describe_chart
from pcplib.report.charts import plot_spc
from pcplib.report.fragments import as_fragment
from pcplib.report.measures import plot_measure
from pcplib.report.narrative import describe_narrative_origin
from pcplib.report.overview import format_plan_overview_caption, format_rating_basis
from pcplib.report.release import describe_next_evaluation

# The HTML builders a notebook displays, each wrapped as a fragment that carries its layout.
format_annual_evaluation = as_fragment(annual.format_annual_evaluation)
format_annual_summary = as_fragment(annual.format_annual_summary)
format_annual_technical_annex = as_fragment(annual.format_annual_technical_annex)
format_annual_targets = as_fragment(annual.format_annual_targets)
format_annual_synthesis = as_fragment(annual.format_annual_synthesis)
format_evidence_limits = as_fragment(annual.format_evidence_limits)
format_commitments = as_fragment(commitments.format_commitments)
format_area_comparison = as_fragment(comparisons.format_area_comparison)
format_area_comparison_words = as_fragment(comparisons.format_area_comparison_words)
format_area_comparisons = as_fragment(comparisons.format_area_comparisons)
build_annual_header = as_fragment(headers.build_annual_header)
build_header = as_fragment(headers.build_header)
build_plan_header = as_fragment(headers.build_plan_header)
format_no_new_data = as_fragment(headers.format_no_new_data)
build_public_about_header = as_fragment(headers.build_public_about_header)
build_public_header = as_fragment(headers.build_public_header)
format_data_availability = as_fragment(headers.format_data_availability)
format_illustrative_banner = as_fragment(headers.format_illustrative_banner)
build_spc_charts = as_fragment(measures.build_spc_charts)
format_measures_detail = as_fragment(measures.format_measures_detail)
format_measures_table = as_fragment(measures.format_measures_table)
format_overall_rag = as_fragment(measures.format_overall_rag)
format_narrative = as_fragment(narrative.format_narrative)
format_plan_overview = as_fragment(overview.format_plan_overview)
format_table_one = as_fragment(overview.format_table_one)
format_table_one_section = as_fragment(overview.format_table_one_section)
build_provenance = as_fragment(provenance.build_provenance)
format_data_quality_notes = as_fragment(provenance.format_data_quality_notes)
format_measure_origins = as_fragment(provenance.format_measure_origins)
format_about_link = as_fragment(public.format_about_link)
format_public_method = as_fragment(about.format_public_method)
format_technical_annex = as_fragment(about.format_technical_annex)
format_forward_plan = as_fragment(public.format_forward_plan)
format_next_meetings = as_fragment(public.format_next_meetings)
format_public_missions = as_fragment(public.format_public_missions)
format_public_quarter = as_fragment(public.format_public_quarter)
format_public_summary = as_fragment(public.format_public_summary)
format_release_notes = as_fragment(release.format_release_notes)
format_rating_method = as_fragment(words.format_rating_method)
format_reading_guide = as_fragment(public.format_reading_guide)
format_actions = as_fragment(returns.format_actions)
format_return_status = as_fragment(returns.format_return_status)
format_returns_log = as_fragment(returns.format_returns_log)
format_risks = as_fragment(returns.format_risks)
format_board_summary = as_fragment(summary.format_board_summary)
format_since_last_meeting = as_fragment(continuity.format_since_last_meeting)
build_board_header = as_fragment(board.build_board_header)
format_board_owners = as_fragment(board.format_board_owners)
format_board_missions = as_fragment(board.format_board_missions)
format_collapsed = as_fragment(html.format_collapsed)
format_spc_summary = as_fragment(spc_summary.format_spc_summary)

__all__ = [
    "ANNUAL_METHOD_NOTE",
    "format_area_comparison",
    "format_area_comparison_words",
    "format_area_comparisons",
    "AGGREGATIONS",
    "MARKING",
    "build_annual_header",
    "build_board_header",
    "build_header",
    "build_plan_header",
    "format_no_new_data",
    "build_provenance",
    "build_public_about_header",
    "build_public_header",
    "build_spc_charts",
    "describe_chart",
    "describe_next_evaluation",
    "describe_theory_of_change",
    "format_actions",
    "format_board_missions",
    "format_board_owners",
    "format_board_summary",
    "format_collapsed",
    "format_since_last_meeting",
    "format_spc_summary",
    "format_about_link",
    "format_public_method",
    "format_technical_annex",
    "format_annual_evaluation",
    "format_annual_summary",
    "format_annual_technical_annex",
    "format_annual_targets",
    "format_annual_synthesis",
    "format_evidence_limits",
    "format_commitments",
    "format_data_availability",
    "format_data_quality_notes",
    "format_forward_plan",
    "format_illustrative_banner",
    "format_measure_origins",
    "format_measures_detail",
    "format_measures_table",
    "format_narrative",
    "describe_narrative_origin",
    "format_next_meetings",
    "format_overall_rag",
    "format_plan_overview",
    "format_rating_basis",
    "format_plan_overview_caption",
    "format_public_missions",
    "format_public_quarter",
    "format_public_summary",
    "format_release_notes",
    "format_rating_method",
    "format_reading_guide",
    "format_return_status",
    "format_returns_log",
    "format_risks",
    "format_table_one",
    "format_table_one_section",
    "plot_measure",
    "plot_spc",
]
