"""Unit tests of the screenshots taken while a run goes on (``pcplib.run.pictures``)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from pcplib.run import browser, pictures


@pytest.fixture
def reports(tmp_path) -> list[Path]:
    paths = [tmp_path / f"r{n}.html" for n in range(3)]
    for path in paths:
        path.write_text("<p>report</p>")
    return paths


@pytest.fixture
def fake_browser(monkeypatch) -> dict[str, object]:
    """A browser that writes a PNG per report, in the thread it was launched in."""
    seen: dict[str, object] = {"launches": 0, "threads": set(), "fail_on": None}

    def run_with_browser(running, work):
        seen["launches"] = int(seen["launches"]) + 1  # type: ignore[call-overload]
        return work("browser")

    def shoot(path):
        seen["threads"].add(threading.current_thread().name)  # type: ignore[attr-defined]
        if seen["fail_on"] == path.name:
            raise RuntimeError("browser crashed")
        png = path.with_suffix(".png")
        png.write_bytes(b"\x89PNG")
        return png

    @contextmanager
    def open_page(running):
        seen["pages"] = int(seen.get("pages", 0)) + 1  # type: ignore[call-overload]
        yield shoot

    monkeypatch.setattr(browser, "find_chromium", lambda: Path("/usr/bin/chromium"))
    monkeypatch.setattr(browser, "run_with_browser", run_with_browser)
    monkeypatch.setattr(browser, "open_screenshot_page", open_page)
    return seen


def test_each_report_is_taken_as_it_is_added_with_one_browser(reports, fake_browser) -> None:
    taker = pictures.ScreenshotTaker()
    for path in reports:
        taker.add(path)
    assert taker.finish(reports) == (True, "")
    assert all(p.with_suffix(".png").is_file() for p in reports)
    assert fake_browser["launches"] == 1 and fake_browser["pages"] == 1
    assert fake_browser["threads"] == {"pcp-screenshots"}


def test_a_report_never_added_means_no_screenshots_kept(reports, fake_browser) -> None:
    taker = pictures.ScreenshotTaker()
    taker.add(reports[0])
    assert taker.finish(reports) == (False, "")
    assert not list(reports[0].parent.glob("*.png"))


def test_without_chromium_nothing_is_taken_and_the_run_is_told(reports, monkeypatch) -> None:
    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    taker = pictures.ScreenshotTaker()
    for path in reports:
        taker.add(path)
    assert taker.finish(reports) == (False, pictures.SCREENSHOTS_SKIPPED)
    assert not list(reports[0].parent.glob("*.png"))


def test_a_failing_browser_keeps_no_screenshot_and_says_why(reports, fake_browser) -> None:
    fake_browser["fail_on"] = "r1.html"
    taker = pictures.ScreenshotTaker()
    for path in reports:
        taker.add(path)
    assert taker.finish(reports) == (False, "screenshots skipped: RuntimeError: browser crashed")
    assert not list(reports[0].parent.glob("*.png"))


def test_discard_removes_what_was_taken_and_stops(reports, fake_browser) -> None:
    taker = pictures.ScreenshotTaker()
    taker.add(reports[0])
    taker.discard()
    assert not reports[0].with_suffix(".png").exists()
    pictures.ScreenshotTaker().discard()  # never started: nothing to stop


def test_finish_pictures_without_screenshots_or_pdfs_does_nothing(reports, fake_browser) -> None:
    assert pictures.finish_pictures(reports, None, pdf=False) == (False, "")
    taker = pictures.ScreenshotTaker()
    for path in reports:
        taker.add(path)
    assert pictures.finish_pictures(reports, taker, pdf=False) == (True, "")
    # PDFs printed afterwards never remove the screenshots already taken.
    assert all(p.with_suffix(".png").is_file() for p in reports)
