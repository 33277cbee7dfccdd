"""Every rendered report, checked in Chromium: self-contained, accessible, reflows at 320 px.

Each test looks at every report and names each one that fails, and why.
"""

from __future__ import annotations

import os

import pytest

from pcplib.run.page_checks import REFLOW_WIDTH, PageReport

pytestmark = pytest.mark.browser


def failures(found: dict[str, list[str]]) -> str:
    return "\n".join(
        f"{name}: {problem}" for name, problems in found.items() for problem in problems
    )


# Every page of the sample slot's run and every public report (tests/conftest.py).
SAMPLE_PAGES = {
    "index",
    "neighbourhood-crime",
    "neighbourhood-policing",
    "plan-overview",
    "delivery-board",
    "public-quarterly",
    "public-quarterly-about",
    "annual-evaluation",
    "neighbourhood-policing-public",
}


def test_reports_were_found(page_reports: dict[str, PageReport]) -> None:
    assert page_reports, "no report to check"
    if not os.environ.get("PCP_BROWSER_REPORTS", "").strip():
        assert set(page_reports) == SAMPLE_PAGES


def test_reports_load_offline_without_console_errors(page_reports: dict[str, PageReport]) -> None:
    found = {
        name: report.console_errors + [f"blocked request {u}" for u in report.external_requests]
        for name, report in page_reports.items()
    }
    assert not any(found.values()), failures(found)


def test_reports_have_no_serious_or_critical_axe_violations(
    page_reports: dict[str, PageReport],
) -> None:
    found = {
        name: [
            f"{v['impact']} {v['id']}: {v['help']} at {', '.join(v['targets'][:3])}"
            for v in report.axe_violations
        ]
        for name, report in page_reports.items()
    }
    assert not any(found.values()), failures(found)
    for report in page_reports.values():
        assert "color-contrast" in report.axe_rules_checked


def test_every_image_has_alt_text(page_reports: dict[str, PageReport]) -> None:
    found = {name: report.images_without_alt for name, report in page_reports.items()}
    assert not any(found.values()), failures(found)


def test_rag_cells_read_without_colour_and_contrast(page_reports: dict[str, PageReport]) -> None:
    found = {
        name: report.rag_without_word + report.rag_low_contrast
        for name, report in page_reports.items()
    }
    assert not any(found.values()), failures(found)
    assert sum(report.rag_cells for report in page_reports.values()) > 0, (
        "no element matched .rag in any report: the RAG check would pass vacuously"
    )


def test_no_horizontal_scrolling_at_320_px(page_reports: dict[str, PageReport]) -> None:
    found = {
        name: [f"{REFLOW_WIDTH + report.horizontal_overflow} px wide"]
        for name, report in page_reports.items()
        if report.horizontal_overflow > 1
    }
    assert not found, failures(found)
