"""Reports print to A4 PDFs marked OFFICIAL on every page and screenshot at the right size."""

from __future__ import annotations

import re
import shutil
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from pcplib.browser import MARKING, capture_screenshot, capture_screenshots, print_pdf, print_pdfs

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


@pytest.fixture(scope="module")
def screenshots(pages: dict[str, Path], browser: object) -> dict[str, Path]:
    shots = capture_screenshots(pages.values(), browser=browser)  # type: ignore[arg-type]
    return dict(zip(pages, shots, strict=True))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_pdfs_are_a4_and_sit_next_to_their_report(
    pages: dict[str, Path], pdfs: dict[str, Path]
) -> None:
    for name, pdf in pdfs.items():
        assert pdf == pages[name].with_suffix(".pdf")
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and len(data) > 1000, name
        boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
        assert boxes, f"{name}: no page in the PDF"
        for width, height in boxes:
            assert (float(width), float(height)) == pytest.approx(A4_POINTS, abs=1), name


def test_every_pdf_page_is_marked_official_in_header_and_footer(
    pdfs: dict[str, Path], pdf_pages: Callable[[Path], list[str]]
) -> None:
    for name, pdf in pdfs.items():
        texts = pdf_pages(pdf)
        assert texts, f"{name}: no page text could be read"
        total = len(texts)
        for number, text in enumerate(texts, start=1):
            words = " ".join(text.split())
            # Chromium draws the header, then the footer, after the page's content.
            expected_tail = f"{MARKING} {MARKING} Page {number} of {total}"
            assert words.endswith(expected_tail), (
                f"{name} page {number}: ends {words[-80:]!r}, expected {expected_tail!r}"
            )


def test_pdf_holds_the_report_text(
    pages: dict[str, Path], pdfs: dict[str, Path], pdf_pages
) -> None:
    for name, pdf in pdfs.items():
        text = " ".join(" ".join(pdf_pages(pdf)).split())
        title = re.search(r"<h1[^>]*>(.*?)</h1>", pages[name].read_text(encoding="utf-8"), re.S)
        if title:
            heading = " ".join(re.sub(r"<[^>]+>", "", title.group(1)).split())
            first_words = " ".join(heading.split()[:3])
            assert first_words in text, f"{name}: heading {heading!r} not in the PDF text"


def test_screenshots_are_first_screen_pngs_next_to_the_report(
    pages: dict[str, Path], screenshots: dict[str, Path]
) -> None:
    for name, png in screenshots.items():
        assert png == pages[name].with_suffix(".png")
        assert png_size(png) == (1280, 800), name
        assert png.stat().st_size > 5000, f"{name}: screenshot looks blank"


def test_single_page_helpers_write_where_asked(
    sample_pages: dict[str, Path], tmp_path: Path, browser: object
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
