"""Pictures of a run's reports: first-screen screenshots and, with ``--pdf``, A4 PDFs.

One headless Chromium (:mod:`pcplib.run.browser`) takes them all, after every
report's HTML is written. Screenshots are a convenience: without Chromium, or when
it fails, they are skipped with a warning. PDFs were asked for: a PDF that cannot
be printed fails the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pcplib import MARKING

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
    if not taken:
        for path in html_paths:
            path.with_suffix(".png").unlink(missing_ok=True)
    return taken, warning.splitlines()[0] if warning else ""
