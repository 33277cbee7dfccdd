"""Unit tests of pcplib.run.browser that need no browser: finding Chromium, contrast, findings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pcplib.run import browser
from pcplib.run.browser import build_pdf_templates, find_chromium
from pcplib.run.page_checks import PageReport, contrast_ratio, parse_css_color


def make_executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def no_system_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No PCP_CHROMIUM, no /usr/bin/chromium, and an empty PATH folder."""
    monkeypatch.delenv("PCP_CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "DEFAULT_CHROMIUM", tmp_path / "missing" / "chromium")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return empty


def test_find_chromium_prefers_the_environment_override(
    no_system_chromium: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_executable(no_system_chromium / "chromium")
    chosen = make_executable(tmp_path / "my-chrome")
    monkeypatch.setenv("PCP_CHROMIUM", str(chosen))
    assert find_chromium() == chosen


def test_find_chromium_ignores_an_override_that_is_not_a_file(
    no_system_chromium: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    on_path = make_executable(no_system_chromium / "chromium-browser")
    monkeypatch.setenv("PCP_CHROMIUM", str(tmp_path / "nowhere"))
    assert find_chromium() == on_path


def test_find_chromium_uses_the_debian_path_before_path(
    no_system_chromium: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_executable(no_system_chromium / "google-chrome")
    debian = make_executable(tmp_path / "usr-bin-chromium")
    monkeypatch.setattr(browser, "DEFAULT_CHROMIUM", debian)
    assert find_chromium() == debian


@pytest.mark.parametrize("name", ["chromium", "chromium-browser", "google-chrome"])
def test_find_chromium_searches_path(no_system_chromium: Path, name: str) -> None:
    found = make_executable(no_system_chromium / name)
    assert find_chromium() == found


def test_find_chromium_returns_none_when_absent(no_system_chromium: Path) -> None:
    assert find_chromium() is None


def test_open_browser_without_chromium_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    with pytest.raises(RuntimeError) as error:
        with browser.open_browser():
            pass
    assert str(error.value) == ("Chromium not found: install it with `apt-get install -y chromium`")


def test_open_browser_rejects_a_missing_executable(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="apt-get install -y chromium"):
        with browser.open_browser(tmp_path / "no-chromium"):
            pass


def test_chromium_flags_keep_the_browser_offline_and_headless_friendly() -> None:
    for flag in (
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ):
        assert flag in browser.CHROMIUM_FLAGS


@pytest.mark.parametrize(
    ("fg", "bg", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#000000", 21.0),
        ("#777777", "#777777", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey passing AA on white
        ("#777777", "#ffffff", 4.48),  # one step lighter fails
        ("#595959", "#ffffff", 7.0),  # the lightest grey passing AAA on white
        ("#0000ff", "#ffffff", 8.59),
        ("rgb(255, 0, 0)", "rgb(255, 255, 255)", 4.0),
        ("#008000", "#fff", 5.14),
    ],
)
def test_contrast_ratio_matches_known_values(fg: str, bg: str, expected: float) -> None:
    assert contrast_ratio(fg, bg) == pytest.approx(expected, abs=0.01)


def test_contrast_ratio_composites_translucent_colours() -> None:
    # Half-transparent black on white paints as the grey halfway between them.
    assert contrast_ratio("rgba(0, 0, 0, 0.5)", "#ffffff") == pytest.approx(
        contrast_ratio((127.5, 127.5, 127.5), "#ffffff")
    )
    assert contrast_ratio("#000", "rgba(0, 0, 0, 0.5)") == pytest.approx(
        contrast_ratio("#000", (127.5, 127.5, 127.5))
    )
    # A transparent background shows the white page beneath.
    assert contrast_ratio("#000", "transparent") == pytest.approx(21.0)


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        ("#fff", (255.0, 255.0, 255.0, 1.0)),
        ("#00703C", (0.0, 112.0, 60.0, 1.0)),
        ("#00000080", (0.0, 0.0, 0.0, 128 / 255)),
        ("rgb(1, 2, 3)", (1.0, 2.0, 3.0, 1.0)),
        ("rgba(1, 2, 3, 0.25)", (1.0, 2.0, 3.0, 0.25)),
        ("rgb(1 2 3 / 50%)", (1.0, 2.0, 3.0, 0.5)),
        ("transparent", (0.0, 0.0, 0.0, 0.0)),
        ((10, 20, 30), (10.0, 20.0, 30.0, 1.0)),
    ],
)
def test_parse_css_color(css: str | tuple[int, ...], expected: tuple[float, ...]) -> None:
    assert parse_css_color(css) == pytest.approx(expected)


@pytest.mark.parametrize("bad", ["red", "#12", "rgb(300, 0, 0)", "rgb(a, b, c)", (1, 2)])
def test_parse_css_color_rejects_bad_input_naming_it(bad: object) -> None:
    with pytest.raises(ValueError, match="expected"):
        parse_css_color(bad)  # type: ignore[arg-type]


def test_pdf_templates_mark_header_and_footer_and_number_pages() -> None:
    header, footer = build_pdf_templates()
    assert "OFFICIAL" in header
    assert "OFFICIAL" in footer
    assert 'class="pageNumber"' in footer and 'class="totalPages"' in footer
    assert "font-size" in header  # Chromium's default header text is unreadably small


def test_pdf_templates_escape_the_marking_and_refuse_an_empty_one() -> None:
    header, _ = build_pdf_templates("OFFICIAL-SENSITIVE <b>")
    assert "OFFICIAL-SENSITIVE &lt;b&gt;" in header
    with pytest.raises(ValueError, match="non-empty security marking"):
        build_pdf_templates("  ")


def test_print_and_screenshot_refuse_bad_input_before_starting_a_browser(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text("<!DOCTYPE html><title>t</title>")
    with pytest.raises(FileNotFoundError, match="missing.html"):
        browser.print_pdf(tmp_path / "missing.html")
    with pytest.raises(ValueError, match="OFFICIAL"):
        browser.print_pdfs([report], marking="")
    with pytest.raises(ValueError, match="0x800"):
        browser.capture_screenshot(report, width=0)
    with pytest.raises(FileNotFoundError, match="expected an HTML file"):
        browser.capture_screenshots([report, tmp_path / "gone.html"])
    assert browser.capture_screenshots([]) == []
    assert browser.print_pdfs([]) == []
    assert not list(tmp_path.glob("*.p*"))


def test_page_report_lists_every_problem() -> None:
    clean = PageReport(path="a.html", rag_cells=3)
    assert clean.ok and clean.problems() == []
    report = PageReport(
        path="b.html",
        console_errors=["boom"],
        external_requests=["https://example.com/x.js"],
        axe_violations=[
            {"id": "image-alt", "impact": "critical", "help": "Images need alt", "targets": ["img"]}
        ],
        horizontal_overflow=200,
        images_without_alt=["data:image/png;base64,AAA"],
        rag_without_word=['<span class="rag"></span>'],
        rag_low_contrast=["'Amber' on orange: 2.86:1"],
    )
    problems = report.problems()
    assert not report.ok
    assert len(problems) == 7
    assert any("image-alt" in p for p in problems)
    assert any("320 px" in p and "200 px" in p for p in problems)


def test_page_report_tolerates_one_pixel_of_rounding() -> None:
    assert PageReport(path="c.html", horizontal_overflow=1).ok


def test_environment_is_left_alone(no_system_chromium: Path) -> None:
    find_chromium()
    assert "PCP_CHROMIUM" not in os.environ
