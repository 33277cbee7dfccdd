"""Reports print to A4 PDFs marked OFFICIAL on every page and screenshot at the right size."""

from __future__ import annotations

import html
import re
import shutil
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pcplib.run.browser import (
    MARKING,
    capture_screenshot,
    capture_screenshots,
    print_pdf,
    print_pdfs,
)

pytestmark = pytest.mark.browser

A4_POINTS = (595.92, 842.88)  # Chromium rounds 210 x 297 mm to these


@pytest.fixture(scope="module", params=["sample", "reports"])
def pages(
    request: pytest.FixtureRequest,
    sample_pages: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path]:
    """The accessible sample page, then every real report (copies in a scratch folder)."""
    if request.param == "sample":
        folder = tmp_path_factory.mktemp("print-sample")
        copy = folder / "good.html"
        shutil.copyfile(sample_pages["good"], copy)
        return {"sample": copy}
    return request.getfixturevalue("reports")


@pytest.fixture(scope="module")
def pdfs(pages: dict[str, Path], browser: object) -> dict[str, Path]:
    printed = print_pdfs(pages.values(), browser=browser)  # type: ignore[arg-type]
    return dict(zip(pages, printed, strict=True))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_pdfs_are_a4_and_sit_next_to_their_report(
    pages: dict[str, Path], pdfs: dict[str, Path], pdf_pages: Callable[[Path], list[Any]]
) -> None:
    for name, pdf in pdfs.items():
        assert pdf == pages[name].with_suffix(".pdf")
        printed = pdf_pages(pdf)
        assert printed, f"{name}: no page in the PDF"
        for page in printed:
            assert (page.width, page.height) == pytest.approx(A4_POINTS, abs=1), name


def test_every_pdf_page_is_marked_official_in_header_and_footer(
    pdfs: dict[str, Path], pdf_pages: Callable[[Path], list[Any]]
) -> None:
    for name, pdf in pdfs.items():
        printed = pdf_pages(pdf)
        total = len(printed)
        for number, page in enumerate(printed, start=1):
            where = f"{name} page {number} of {total}"
            # Once each: the report's own print CSS marks its margins too, and a PDF that
            # printed both read "OFFICIAL OFFICIAL".
            assert page.top.split().count(MARKING) == 1, f"{where}: header reads {page.top!r}"
            assert page.bottom.split().count(MARKING) == 1, f"{where}: footer reads {page.bottom!r}"
            assert f"Page {number} of {total}" in page.bottom, f"{where}: footer {page.bottom!r}"


def test_pdf_holds_the_report_text(
    pages: dict[str, Path], pdfs: dict[str, Path], pdf_pages: Callable[[Path], list[Any]]
) -> None:
    for name, pdf in pdfs.items():
        text = " ".join(" ".join(page.text for page in pdf_pages(pdf)).split())
        title = re.search(r"<h1[^>]*>(.*?)</h1>", pages[name].read_text(encoding="utf-8"), re.S)
        assert title, f"{name}: no <h1>"
        heading = " ".join(html.unescape(re.sub(r"<[^>]+>", "", title.group(1))).split())
        first_words = " ".join(heading.split()[:3])
        assert first_words in text, f"{name}: heading {heading!r} not in the PDF text"


def test_screenshots_can_be_made_next_to_the_page(
    sample_pages: dict[str, Path], tmp_path: Path, browser: object
) -> None:
    page = tmp_path / "good.html"
    shutil.copyfile(sample_pages["good"], page)
    (png,) = capture_screenshots([page], browser=browser)  # type: ignore[arg-type]
    assert png == page.with_suffix(".png")
    assert png_size(png) == (1280, 800)
    assert png.stat().st_size > 5000, "screenshot looks blank"


def test_one_page_screenshots_report_after_report_as_a_fresh_page_would(
    sample_pages: dict[str, Path], tmp_path: Path, browser: object
) -> None:
    from PIL import Image

    from pcplib.run.browser import open_screenshot_page

    fresh, reused = tmp_path / "fresh", tmp_path / "reused"
    for folder in (fresh, reused):
        folder.mkdir()
        for name in ("bad", "good"):
            shutil.copyfile(sample_pages[name], folder / f"{name}.html")
    expected = capture_screenshots(  # type: ignore[arg-type]
        [fresh / "bad.html", fresh / "good.html"], browser=browser
    )
    with open_screenshot_page(browser) as shoot:  # type: ignore[arg-type]
        taken = [shoot(reused / "bad.html"), shoot(reused / "good.html")]
    assert taken == [reused / "bad.png", reused / "good.png"]
    for mine, theirs in zip(taken, expected, strict=True):
        assert png_size(mine) == (1280, 800)
        # The same pixels: the second report shows nothing of the first.
        assert Image.open(mine).tobytes() == Image.open(theirs).tobytes(), mine.name


def test_the_runner_saved_a_first_screen_screenshot_beside_every_report(
    report_sources: dict[str, Path],
) -> None:
    # Indexes are not screenshotted; they show the reports' screenshots as thumbnails.
    for name, report in report_sources.items():
        if report.name == "index.html":
            continue
        png = report.with_suffix(".png")
        assert png.is_file(), f"{name}: no {png.name} beside the report (built --no-screenshots?)"
        assert png_size(png) == (1280, 800), name
        assert png.stat().st_size > 5000, f"{name}: screenshot looks blank"


def test_single_page_helpers_write_where_asked(
    sample_pages: dict[str, Path],
    tmp_path: Path,
    browser: object,
    pdf_pages: Callable[[Path], list[Any]],
) -> None:
    # No browser passed: the call launches its own, in a worker thread because the
    # session's Playwright already runs an event loop in this one.
    png = capture_screenshot(sample_pages["good"], tmp_path / "shot.png", width=320, height=640)
    assert png == tmp_path / "shot.png" and png_size(png) == (320, 640)
    pdf = print_pdf(
        sample_pages["good"],
        tmp_path / "print.pdf",
        marking="OFFICIAL-SENSITIVE",
        browser=browser,  # type: ignore[arg-type]
    )
    assert pdf == tmp_path / "print.pdf" and pdf.read_bytes().startswith(b"%PDF-")
    printed = pdf_pages(pdf)
    for number, page in enumerate(printed, start=1):
        assert page.top == "OFFICIAL-SENSITIVE"
        assert page.bottom == f"OFFICIAL-SENSITIVE Page {number} of {len(printed)}"
