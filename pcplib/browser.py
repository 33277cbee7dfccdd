"""Headless Chromium for reports, now :mod:`pcplib.run.browser` and :mod:`pcplib.run.page_checks`.

This module re-exports both, so ``from pcplib.browser import check_page`` keeps working.
Patch :mod:`pcplib.run.browser` (or :mod:`pcplib.run.page_checks`) in tests: names set
on this module are not the ones the runner looks up.
"""

from __future__ import annotations

from typing import Any

from pcplib.run import browser as _browser
from pcplib.run import page_checks as _page_checks
from pcplib.run.browser import (
    ALLOWED_SCHEMES,
    CHROMIUM_CANDIDATES,
    CHROMIUM_FLAGS,
    DEFAULT_CHROMIUM,
    MARKING,
    MISSING_CHROMIUM,
    PDF_MARGINS,
    PageLog,
    build_pdf_templates,
    capture_screenshot,
    capture_screenshots,
    find_chromium,
    guard_page,
    open_browser,
    open_report,
    print_pdf,
    print_pdfs,
    run_with_browser,
)
from pcplib.run.page_checks import (
    AXE_TAGS,
    MIN_TEXT_CONTRAST,
    RAG_WORDS,
    REFLOW_WIDTH,
    SERIOUS_IMPACTS,
    Color,
    PageReport,
    check_page,
    check_reports,
    contrast_ratio,
    parse_css_color,
)

__all__ = [
    "ALLOWED_SCHEMES",
    "AXE_TAGS",
    "CHROMIUM_CANDIDATES",
    "CHROMIUM_FLAGS",
    "DEFAULT_CHROMIUM",
    "MARKING",
    "MIN_TEXT_CONTRAST",
    "MISSING_CHROMIUM",
    "PDF_MARGINS",
    "RAG_WORDS",
    "REFLOW_WIDTH",
    "SERIOUS_IMPACTS",
    "Color",
    "PageLog",
    "PageReport",
    "build_pdf_templates",
    "capture_screenshot",
    "capture_screenshots",
    "check_page",
    "check_reports",
    "contrast_ratio",
    "find_chromium",
    "guard_page",
    "open_browser",
    "open_report",
    "parse_css_color",
    "print_pdf",
    "print_pdfs",
    "run_with_browser",
]


def __getattr__(name: str) -> Any:
    """Look up any other name in :mod:`pcplib.run.browser`, then :mod:`pcplib.run.page_checks`.

    Parameters
    ----------
    name : str
        The attribute.

    Returns
    -------
    Any
        The attribute.

    Raises
    ------
    AttributeError
        When neither module has it.
    """
    for module in (_browser, _page_checks):
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
