"""Pictures of a run's reports: first-screen screenshots and, with ``--pdf``, A4 PDFs.

One headless Chromium (:mod:`pcplib.run.browser`) takes them all, after every
report's HTML is written. Screenshots are a convenience: without Chromium, or when
it fails, they are skipped with a warning. PDFs were asked for: a PDF that cannot
be printed fails the run.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pcplib import MARKING
from pcplib.run.log import logger

SCREENSHOTS_SKIPPED = (
    "screenshots skipped: Chromium not found; install it with apt-get install -y chromium"
)


def picture_reports(
    html_paths: Sequence[Path], *, screenshots: bool, pdf: bool
) -> tuple[bool, str]:
    """Save first-screen screenshots and/or A4 PDFs of the reports, with one browser.

    Parameters
    ----------
    html_paths : sequence of Path
        The reports; ``<report>.png`` and ``<report>.pdf`` are written beside each.
    screenshots : bool
        Save screenshots (skipped, with a warning, when Chromium is missing or fails).
    pdf : bool
        Print PDFs (a failure is an error: the user asked for them).

    Returns
    -------
    tuple of (bool, str)
        Whether every screenshot was saved, and a one-line warning when they were skipped.

    Raises
    ------
    RuntimeError
        When PDFs were asked for and could not be printed.
    """
    if not html_paths or not (screenshots or pdf):
        return False, ""
    from pcplib.run import browser

    if browser.find_chromium() is None:
        if pdf:
            raise RuntimeError(
                "--pdf needs Chromium, which is not installed: apt-get install -y chromium"
            )
        return False, SCREENSHOTS_SKIPPED

    def capture(running: Any) -> tuple[bool, str]:
        taken, warning = False, ""
        if screenshots:
            try:
                browser.capture_screenshots(html_paths, browser=running)
                taken = True
            except Exception as exc:  # pictures are a convenience; the reports stand
                warning = f"screenshots skipped: {type(exc).__name__}: {exc}"
        if pdf:
            browser.print_pdfs(html_paths, marking=MARKING, browser=running)
        return taken, warning

    try:
        # run_with_browser moves Playwright to a worker thread when an asyncio loop is
        # running here (a Jupyter kernel, or a caller's own Playwright session).
        taken, warning = browser.run_with_browser(None, capture)
    except Exception as exc:
        if pdf:
            # Playwright's messages run to dozens of lines (the browser's command line and
            # log); the first says what happened.
            first = (str(exc).strip().splitlines() or [""])[0]
            raise RuntimeError(f"PDFs could not be printed: {type(exc).__name__}: {first}") from exc
        taken, warning = False, f"screenshots skipped: {type(exc).__name__}: {exc}"
    if screenshots and not taken:
        for path in html_paths:
            path.with_suffix(".png").unlink(missing_ok=True)
    return taken, warning.splitlines()[0] if warning else ""


class ScreenshotTaker:
    """First-screen screenshots taken while the run goes on, as each report is written.

    Taking them all after the last report was 33-36% of a run's time (measured on 2
    busy cores); here one headless Chromium, in a thread of its own, saves each
    report's ``<report>.png`` as soon as its HTML exists, while the other reports still
    run, so only the last report's screenshot is left when the reports are done. The
    pictures are those :func:`picture_reports` takes (one browser, the same viewport),
    with one page loading report after report
    (:func:`pcplib.run.browser.open_screenshot_page`).

    Call :meth:`add` for each report written, then :meth:`finish` (every report
    succeeded) or :meth:`discard` (a run that is not published keeps no screenshots).
    """

    def __init__(self) -> None:
        import queue
        import threading

        self._queue: queue.Queue[Path | None] = queue.Queue()
        self._taken: list[Path] = []
        self._error: Exception | None = None
        self._missing = False
        self._thread = threading.Thread(target=self._work, name="pcp-screenshots", daemon=True)
        self._started = False

    def add(self, html_path: Path) -> None:
        """Screenshot a report whose HTML is written (the browser starts with the first).

        Parameters
        ----------
        html_path : Path
            The report; its PNG goes beside it.
        """
        if not self._started:
            self._started = True
            self._thread.start()
        self._queue.put(html_path)

    def _work(self) -> None:
        """Take the queued screenshots with one browser until told to stop."""
        from pcplib.run import browser

        if browser.find_chromium() is None:
            self._missing = True
            self._drain()
            return

        def take(running: Any) -> None:
            with browser.open_screenshot_page(running) as shoot:
                while (source := self._queue.get()) is not None:
                    if self._error is None:
                        self._taken.append(shoot(source))

        try:
            browser.run_with_browser(None, take)
        except Exception as exc:  # pictures are a convenience; the reports stand
            self._error = exc
            self._drain()

    def _drain(self) -> None:
        """Take nothing more: empty the queue until told to stop."""
        while self._queue.get() is not None:
            pass

    def _stop(self) -> None:
        """Wait for the screenshots queued so far, and the browser to close."""
        if self._started:
            self._queue.put(None)
            self._thread.join()

    def finish(self, expected: Sequence[Path]) -> tuple[bool, str]:
        """Wait for the last screenshots and say whether every report has one.

        Parameters
        ----------
        expected : sequence of Path
            Every report of the run (each should have been added).

        Returns
        -------
        tuple of (bool, str)
            As :func:`picture_reports`: whether every screenshot was saved, and a
            one-line warning when they were skipped (then none is kept).
        """
        self._stop()
        if not expected:
            return False, ""
        warning = ""
        if self._missing:
            warning = SCREENSHOTS_SKIPPED
        elif self._error is not None:
            warning = f"screenshots skipped: {type(self._error).__name__}: {self._error}"
        taken = not warning and {p.with_suffix(".png") for p in expected} <= set(self._taken)
        if not taken:
            self.discard()
        return taken, warning.splitlines()[0] if warning else ""

    def discard(self) -> None:
        """Stop, and remove every screenshot taken (a run that is not published)."""
        self._stop()
        for png in self._taken:
            png.unlink(missing_ok=True)
        self._taken = []


def finish_pictures(
    html_paths: Sequence[Path], taker: ScreenshotTaker | None, *, pdf: bool
) -> tuple[bool, str]:
    """Wait for the run's last screenshots, then print PDFs if asked (every report succeeded).

    Parameters
    ----------
    html_paths : sequence of Path
        The reports.
    taker : ScreenshotTaker or None
        The screenshots taken while the reports ran; None when none were asked for.
    pdf : bool
        Print each report to an A4 PDF beside it.

    Returns
    -------
    tuple
        ``(screenshots saved, warning or "")``.

    Raises
    ------
    RuntimeError
        When PDFs were asked for and cannot be printed.
    """
    started = time.perf_counter()
    screenshots, warning = taker.finish(html_paths) if taker is not None else (False, "")
    try:
        picture_reports(html_paths, screenshots=False, pdf=pdf)
    except RuntimeError as exc:
        logger.error("%s", exc)
        raise
    if warning:
        logger.warning("%s", warning)
    logger.info(
        "screenshots %s, PDFs %s, in %.1f s",
        "saved" if screenshots else "not saved",
        "printed" if pdf else "not asked for",
        time.perf_counter() - started,
    )
    return screenshots, warning
