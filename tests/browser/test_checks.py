"""The browser checks themselves: they pass an accessible page and catch every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcplib.run.browser import guard_page, open_report
from pcplib.run.page_checks import AXE_TAGS, PageReport, check_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def good(sample_pages: dict[str, Path], browser: object) -> PageReport:
    return check_page(sample_pages["good"], browser=browser)


@pytest.fixture(scope="module")
def bad(sample_pages: dict[str, Path], browser: object) -> PageReport:
    return check_page(sample_pages["bad"], browser=browser)


def test_an_accessible_self_contained_page_passes(good: PageReport) -> None:
    assert good.problems() == []
    assert good.rag_cells == 4


def test_axe_runs_offline_with_the_wcag_rules(good: PageReport) -> None:
    # axe-core is injected from the package, so nothing is fetched (blocked requests are recorded).
    assert good.external_requests == []
    for rule in ("color-contrast", "image-alt", "html-has-lang", "document-title", "list"):
        assert rule in good.axe_rules_checked
    assert "wcag22aa" in AXE_TAGS


def test_blocked_request_and_console_error_are_reported(bad: PageReport) -> None:
    assert bad.external_requests == ["https://example.com/logo.png"]
    assert any("boom from the report" in error for error in bad.console_errors)


def test_axe_finds_serious_violations(bad: PageReport) -> None:
    found = {violation["id"] for violation in bad.axe_violations}
    assert {"image-alt", "html-has-lang", "color-contrast"} <= found
    assert all(v["impact"] in {"serious", "critical"} for v in bad.axe_violations)


def test_figure_images_need_real_alt_text(bad: PageReport) -> None:
    assert len(bad.images_without_alt) == 2
    assert all(src.startswith("data:image/png") for src in bad.images_without_alt)


def test_rag_by_colour_alone_and_low_contrast_are_caught(bad: PageReport) -> None:
    assert bad.rag_cells == 2
    assert len(bad.rag_without_word) == 1 and "rag-red" in bad.rag_without_word[0]
    assert len(bad.rag_low_contrast) == 1 and bad.rag_low_contrast[0].startswith("'Amber'")
    assert "2.78:1" in bad.rag_low_contrast[0]


def test_horizontal_scrolling_at_320_px_is_caught(bad: PageReport) -> None:
    # The 900 px table has no scrolling wrapper, so the whole page scrolls sideways.
    assert bad.horizontal_overflow >= 900 - 320
    assert not bad.ok


def test_check_page_accepts_a_loaded_page(sample_pages: dict[str, Path], browser: object) -> None:
    with open_report(browser, sample_pages["bad"]) as (page, log):  # type: ignore[arg-type]
        report = check_page(page, log=log)
    assert report.path.startswith("file://")
    assert report.external_requests == ["https://example.com/logo.png"]


def test_guard_page_blocks_scripted_requests(browser: object, tmp_path: Path) -> None:
    page_file = tmp_path / "fetch.html"
    page_file.write_text(
        "<!DOCTYPE html><html lang='en'><title>f</title><body><script>"
        "fetch('http://198.51.100.7/track').catch(() => {});"
        "</script></body></html>"
    )
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        log = guard_page(page)
        page.goto(page_file.as_uri())
        page.wait_for_timeout(200)
    finally:
        context.close()
    assert log.external_requests == ["http://198.51.100.7/track"]
