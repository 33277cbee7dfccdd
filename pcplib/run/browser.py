"""Headless Chromium for reports: finding and launching it, offline pages, screenshots and A4 PDFs.

Reports must be self-contained (an OPCC reader may open them offline, and a
report that fetches anything would leak who reads it), so every page opened
here runs with all requests that leave the machine blocked: only ``file:`` and
``data:`` URLs load. Blocked requests and console errors are recorded; the checks
run on an open page (accessibility, reflow, RAG contrast) are in
:mod:`pcplib.run.page_checks`.

The browser is the system Chromium (Debian's ``chromium`` package) driven by
Playwright; no browser is ever downloaded.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pcplib import MARKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

__all__ = [
    "CHROMIUM_FLAGS",
    "MARKING",
    "PageLog",
    "build_pdf_templates",
    "capture_screenshot",
    "capture_screenshots",
    "open_screenshot_page",
    "find_chromium",
    "guard_page",
    "open_browser",
    "run_with_browser",
    "open_report",
    "print_pdf",
    "print_pdfs",
]

# Named as when this module was pcplib.browser: under "pcplib.run" its warnings would
# reach the handlers a run attaches there (run.log and standard error).
logger = logging.getLogger("pcplib.browser")
T = TypeVar("T")


CHROMIUM_FLAGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
"""Flags for a quiet, offline, container-friendly headless Chromium."""

CHROMIUM_CANDIDATES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = "Chromium not found: install it with `apt-get install -y chromium`"

ALLOWED_SCHEMES = ("file:", "data:", "about:", "blob:")

# mm margins leave room for the marking header and the page-number footer.
PDF_MARGINS = {"top": "18mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}
_HEADER_STYLE = (
    "font-family:Arial,Helvetica,sans-serif;font-size:9px;font-weight:bold;"
    "width:100%;margin:0 14mm;color:#000;"
)


def find_chromium() -> Path | None:
    """Locate the Chromium executable used for screenshots, PDFs and browser tests.

    Looks at the ``PCP_CHROMIUM`` environment variable first, then
    ``/usr/bin/chromium``, then ``chromium``, ``chromium-browser`` and
    ``google-chrome`` on ``PATH``.

    Returns
    -------
    pathlib.Path or None
        The executable, or ``None`` when none is installed. A ``PCP_CHROMIUM``
        that names a missing file is ignored (with a warning) so the search goes on.
    """
    override = os.environ.get("PCP_CHROMIUM", "").strip()
    if override:
        candidate = Path(override)
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
        logger.warning("PCP_CHROMIUM=%s is not an executable file; searching elsewhere", override)
    if DEFAULT_CHROMIUM.is_file() and os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


@contextmanager
def open_browser(executable: Path | None = None) -> Iterator[Browser]:
    """Launch the system Chromium headless through Playwright.

    Parameters
    ----------
    executable : pathlib.Path, optional
        The Chromium binary; :func:`find_chromium` when omitted.

    Yields
    ------
    playwright.sync_api.Browser
        A running browser, closed (with the Playwright driver) on exit.

    Raises
    ------
    RuntimeError
        When no Chromium is installed, saying how to install it.
    """
    path = executable if executable is not None else find_chromium()
    if path is None or not Path(path).is_file():
        raise RuntimeError(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(path), headless=True, args=list(CHROMIUM_FLAGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def run_with_browser(browser: Browser | None, work: Callable[[Browser], T]) -> T:
    """Run ``work`` with the given browser, or with one launched for it.

    Playwright's synchronous API refuses to start inside a running asyncio loop
    (a Jupyter kernel, or another Playwright session in this thread), so there
    the browser is launched in a worker thread instead.

    Parameters
    ----------
    browser : playwright Browser or None
        A running browser to reuse; ``None`` launches one for this call.
    work : callable
        Called with the browser; its result is returned.

    Returns
    -------
    object
        What ``work`` returned.
    """
    if browser is not None:
        return work(browser)

    def launch_and_work() -> T:
        with open_browser() as own:
            return work(own)

    if _loop_running():
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcp-browser") as pool:
            return pool.submit(launch_and_work).result()
    return launch_and_work()


def _run_each(
    html_paths: Iterable[Path | str],
    browser: Browser | None,
    work: Callable[[Browser, Path], T],
) -> list[T]:
    """Run ``work`` on each existing report with one browser; ``[]`` for no reports."""
    sources = [_existing_file(path) for path in html_paths]
    if not sources:
        return []
    return run_with_browser(browser, lambda running: [work(running, s) for s in sources])


@dataclass
class PageLog:
    """What a page did while it loaded: console errors and blocked requests.

    Attributes
    ----------
    console_errors : list of str
        Console messages of type ``error`` and uncaught page exceptions.
    external_requests : list of str
        URLs the page tried to fetch from outside the machine (all were blocked).
    """

    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)


def guard_page(page: Page) -> PageLog:
    """Block every request leaving the machine and record console errors on a page.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A fresh page, before it navigates anywhere.

    Returns
    -------
    PageLog
        Filled in as the page runs.
    """
    log = PageLog()

    def handle_route(route: Route) -> None:
        url = route.request.url
        if url.startswith(ALLOWED_SCHEMES):
            route.continue_()
        else:
            log.external_requests.append(url)
            route.abort("blockedbyclient")

    page.route("**/*", handle_route)
    page.on("console", lambda msg: _record_console(log, msg))
    page.on("pageerror", lambda error: log.console_errors.append(f"page error: {error}"))
    return log


def _record_console(log: PageLog, message: Any) -> None:
    if message.type == "error":
        location = message.location or {}
        where = location.get("url", "")
        log.console_errors.append(f"{message.text} ({where})" if where else message.text)


@contextmanager
def open_report(
    browser: Browser, html_path: Path | str, *, width: int = 1280, height: int = 800
) -> Iterator[tuple[Page, PageLog]]:
    """Open a report in a fresh, offline browser context.

    Parameters
    ----------
    browser : playwright.sync_api.Browser
        From :func:`open_browser`.
    html_path : pathlib.Path or str
        The report's HTML file.
    width, height : int, default 1280, 800
        Viewport in CSS pixels.

    Yields
    ------
    tuple of (playwright.sync_api.Page, PageLog)
        The loaded page and what it logged; the context is closed on exit.

    Raises
    ------
    FileNotFoundError
        When ``html_path`` does not exist.
    """
    path = _existing_file(html_path)
    context = _new_context(browser, width, height)
    try:
        page = context.new_page()
        log = guard_page(page)
        page.goto(path.as_uri(), wait_until="load")
        yield page, log
    finally:
        context.close()


def _new_context(browser: Any, width: int, height: int) -> Any:
    """Open a page context as every report is read in.

    The size given, one pixel a pixel, no service workers, British English and London
    time (so dates print as in the report).
    """
    return browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=1,
        service_workers="block",
        locale="en-GB",
        timezone_id="Europe/London",
    )


def _existing_file(html_path: Path | str) -> Path:
    path = Path(html_path).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"report not found: {path} (expected an HTML file)")
    return path


def _warn_if_not_self_contained(path: Path, log: PageLog) -> None:
    for url in log.external_requests:
        logger.warning("%s: blocked a request leaving the machine: %s", path.name, url)
    for error in log.console_errors:
        logger.warning("%s: console error: %s", path.name, error)


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise ValueError(f"screenshot size must be positive pixels, got {width}x{height}")


def _screenshot_with(
    browser: Browser, source: Path, png_path: Path | str | None, width: int, height: int
) -> Path:
    target = Path(png_path) if png_path is not None else source.with_suffix(".png")
    with open_report(browser, source, width=width, height=height) as (page, log):
        page.screenshot(path=str(target), full_page=False, type="png", animations="disabled")
        _warn_if_not_self_contained(source, log)
    return target


def capture_screenshot(
    html_path: Path | str,
    png_path: Path | str | None = None,
    *,
    width: int = 1280,
    height: int = 800,
    browser: Browser | None = None,
) -> Path:
    """Save a PNG of a report's first screen (the viewport only).

    Parameters
    ----------
    html_path : pathlib.Path or str
        The report.
    png_path : pathlib.Path or str, optional
        Where to write; next to the report (``<report>.png``) when omitted.
    width, height : int, default 1280, 800
        Viewport, hence image, size in pixels.
    browser : playwright.sync_api.Browser, optional
        A running browser to reuse (from :func:`open_browser`); one is launched
        and closed when omitted.

    Returns
    -------
    pathlib.Path
        The PNG written.
    """
    _check_size(width, height)
    source = _existing_file(html_path)
    return run_with_browser(
        browser, lambda running: _screenshot_with(running, source, png_path, width, height)
    )


@contextmanager
def open_screenshot_page(
    browser: Browser, *, width: int = 1280, height: int = 800
) -> Iterator[Callable[[Path | str], Path]]:
    """One offline page that screenshots report after report, each PNG beside its report.

    A fresh browser context per report (as :func:`capture_screenshots` opens) took
    about three times as long per screenshot as navigating one page from report to
    report (1.5-1.8 s against 0.5 s on busy cores, measured); the reports are static
    pages, so each loads into the page as a new document, at the same viewport, with
    the same offline guard (:func:`guard_page`).

    Parameters
    ----------
    browser : playwright.sync_api.Browser
        From :func:`open_browser`.
    width, height : int, default 1280, 800
        Viewport, hence image, size in pixels.

    Yields
    ------
    callable
        Given a report's HTML path, saves ``<report>.png`` beside it and returns its path.

    Raises
    ------
    ValueError
        When the size is not positive.
    """
    _check_size(width, height)
    context = _new_context(browser, width, height)
    try:
        page = context.new_page()
        log = guard_page(page)

        def shoot(html_path: Path | str) -> Path:
            source = _existing_file(html_path)
            target = source.with_suffix(".png")
            log.console_errors.clear()
            log.external_requests.clear()
            page.goto(source.as_uri(), wait_until="load")
            page.screenshot(path=str(target), full_page=False, type="png", animations="disabled")
            _warn_if_not_self_contained(source, log)
            return target

        yield shoot
    finally:
        context.close()


def capture_screenshots(
    html_paths: Iterable[Path | str],
    *,
    width: int = 1280,
    height: int = 800,
    browser: Browser | None = None,
) -> list[Path]:
    """Screenshot many reports with one browser, each PNG next to its report.

    Parameters
    ----------
    html_paths : iterable of pathlib.Path or str
        The reports.
    width, height : int, default 1280, 800
        Viewport, hence image, size in pixels.
    browser : playwright.sync_api.Browser, optional
        A running browser to reuse (from :func:`open_browser`); one is launched
        and closed when omitted.

    Returns
    -------
    list of pathlib.Path
        The PNGs written, in the order of ``html_paths``.
    """
    _check_size(width, height)
    return _run_each(
        html_paths,
        browser,
        lambda running, source: _screenshot_with(running, source, None, width, height),
    )


def build_pdf_templates(marking: str = MARKING) -> tuple[str, str]:
    """Header and footer templates for Chromium's print to PDF.

    Parameters
    ----------
    marking : str, default "OFFICIAL"
        The security marking, shown in the header and the footer of every page.

    Returns
    -------
    tuple of str
        ``(header, footer)`` HTML; the footer also holds "Page X of Y".

    Raises
    ------
    ValueError
        If ``marking`` is empty.
    """
    if not marking or not marking.strip():
        raise ValueError("marking must be a non-empty security marking such as 'OFFICIAL'")
    text = html.escape(marking.strip())
    header = f'<div style="{_HEADER_STYLE}text-align:center;">{text}</div>'
    footer = (
        f'<div style="{_HEADER_STYLE}display:flex;justify-content:space-between;">'
        f"<span>{text}</span>"
        '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span>'
        "</div>"
    )
    return header, footer


# The reports' own print CSS puts the marking and page numbers in the page margins (for a
# reader printing from a browser); Chromium also draws the header and footer templates
# there, so a PDF printed here would say OFFICIAL twice. The templates carry the marking
# asked for, so the page's own margin boxes are emptied for these PDFs.
EMPTY_MARGIN_BOXES = "@page { " + " ".join(
    f"@{box} {{ content: none; }}"
    for box in (
        "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
        "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right",
        "bottom-right-corner", "left-top", "left-middle", "left-bottom", "right-top",
        "right-middle", "right-bottom",
    )
) + " }"  # fmt: skip


def _pdf_with(
    browser: Browser, source: Path, pdf_path: Path | str | None, templates: tuple[str, str]
) -> Path:
    target = Path(pdf_path) if pdf_path is not None else source.with_suffix(".pdf")
    header, footer = templates
    with open_report(browser, source) as (page, log):
        page.add_style_tag(content=EMPTY_MARGIN_BOXES)
        # Paper cannot be clicked open: what a report folds (<details>) is printed open.
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.pdf(
            path=str(target),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template=header,
            footer_template=footer,
            margin=cast(Any, PDF_MARGINS),
            prefer_css_page_size=False,
            tagged=True,
            outline=True,
        )
        _warn_if_not_self_contained(source, log)
    return target


def print_pdf(
    html_path: Path | str,
    pdf_path: Path | str | None = None,
    *,
    marking: str = MARKING,
    browser: Browser | None = None,
) -> Path:
    """Print a report to an A4 PDF through headless Chromium.

    Every page carries the security marking in its header and footer, and
    "Page X of Y" in its footer; backgrounds (RAG colours) are printed.

    Parameters
    ----------
    html_path : pathlib.Path or str
        The report.
    pdf_path : pathlib.Path or str, optional
        Where to write; next to the report (``<report>.pdf``) when omitted.
    marking : str, default "OFFICIAL"
        The security marking.
    browser : playwright.sync_api.Browser, optional
        A running browser to reuse (from :func:`open_browser`); one is launched
        and closed when omitted.

    Returns
    -------
    pathlib.Path
        The PDF written.
    """
    templates = build_pdf_templates(marking)
    source = _existing_file(html_path)
    return run_with_browser(
        browser, lambda running: _pdf_with(running, source, pdf_path, templates)
    )


def print_pdfs(
    html_paths: Iterable[Path | str], *, marking: str = MARKING, browser: Browser | None = None
) -> list[Path]:
    """Print many reports to A4 PDFs with one browser, each PDF next to its report.

    Parameters
    ----------
    html_paths : iterable of pathlib.Path or str
        The reports.
    marking : str, default "OFFICIAL"
        The security marking for every page's header and footer.
    browser : playwright.sync_api.Browser, optional
        A running browser to reuse (from :func:`open_browser`); one is launched
        and closed when omitted.

    Returns
    -------
    list of pathlib.Path
        The PDFs written, in the order of ``html_paths``.
    """
    templates = build_pdf_templates(marking)
    return _run_each(
        html_paths, browser, lambda running, source: _pdf_with(running, source, None, templates)
    )
