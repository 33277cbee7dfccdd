"""Headless Chromium for reports: screenshots, A4 PDFs and in-browser checks.

Reports must be self-contained (an OPCC reader may open them offline, and a
report that fetches anything would leak who reads it), so every page opened
here runs with all requests that leave the machine blocked: only ``file:`` and
``data:`` URLs load. Blocked requests and console errors are recorded, and
:func:`check_page` adds axe-core accessibility results, a reflow check at
320 CSS pixels, alt text and the contrast of RAG cells, so the browser tests
and any command-line check share one implementation.

The browser is the system Chromium (Debian's ``chromium`` package) driven by
Playwright; no browser is ever downloaded.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pcplib import MARKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

__all__ = [
    "AXE_TAGS",
    "CHROMIUM_FLAGS",
    "MARKING",
    "RAG_WORDS",
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
    "run_with_browser",
    "open_report",
    "parse_css_color",
    "print_pdf",
    "print_pdfs",
]

logger = logging.getLogger(__name__)
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

AXE_TAGS: tuple[str, ...] = (
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
)
"""axe-core rule tags run by :func:`check_page`: WCAG 2.0, 2.1 and 2.2 levels A and AA."""

SERIOUS_IMPACTS = frozenset({"serious", "critical"})
RAG_WORDS: tuple[str, ...] = ("Green", "Amber", "Red", "Grey")
"""Words a RAG cell must show so it reads without colour (``Amber/Green`` contains two)."""

MIN_TEXT_CONTRAST = 4.5
REFLOW_WIDTH = 320
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
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=1,
        service_workers="block",
        locale="en-GB",
        timezone_id="Europe/London",
    )
    try:
        page = context.new_page()
        log = guard_page(page)
        page.goto(path.as_uri(), wait_until="load")
        yield page, log
    finally:
        context.close()


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


def _pdf_with(
    browser: Browser, source: Path, pdf_path: Path | str | None, templates: tuple[str, str]
) -> Path:
    target = Path(pdf_path) if pdf_path is not None else source.with_suffix(".pdf")
    header, footer = templates
    with open_report(browser, source) as (page, log):
        page.pdf(
            path=str(target),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template=header,
            footer_template=footer,
            margin=PDF_MARGINS,
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


# --- colour contrast (WCAG 2.x) -------------------------------------------------------

_HEX = re.compile(r"^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$", re.IGNORECASE)
_RGB = re.compile(r"^rgba?\(\s*([^)]*)\)$", re.IGNORECASE)

Color = tuple[float, float, float, float]
_WHITE: Color = (255.0, 255.0, 255.0, 1.0)


def parse_css_color(value: str | Sequence[float]) -> Color:
    """Parse a CSS colour as browsers compute it, or a hex colour, into RGBA.

    Parameters
    ----------
    value : str or sequence of float
        ``"#rgb"``, ``"#rrggbb"`` (with optional alpha), ``"rgb(r, g, b)"``,
        ``"rgba(r, g, b, a)"``, ``"rgb(r g b / a)"``, ``"transparent"``, or an
        ``(r, g, b)`` / ``(r, g, b, a)`` tuple with channels 0-255 and alpha 0-1.

    Returns
    -------
    tuple of float
        ``(r, g, b, a)``, channels 0-255 and alpha 0-1.

    Raises
    ------
    ValueError
        For anything else, naming the value and the formats expected.
    """
    expected = "expected '#rrggbb', 'rgb(r, g, b)', 'rgba(r, g, b, a)' or an (r, g, b[, a]) tuple"
    if not isinstance(value, str):
        channels = [float(c) for c in value]
        if len(channels) == 3:
            channels.append(1.0)
        if len(channels) != 4:
            raise ValueError(f"colour {value!r} has {len(channels)} channels; {expected}")
        return _checked_color(tuple(channels), value, expected)
    text = value.strip().lower()
    if text == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    match = _HEX.match(text)
    if match:
        digits = match.group(1)
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        channels = [int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)]
        alpha = channels[3] / 255 if len(channels) == 4 else 1.0
        return (float(channels[0]), float(channels[1]), float(channels[2]), alpha)
    match = _RGB.match(text)
    if match:
        parts = [p for p in re.split(r"[\s,/]+", match.group(1).strip()) if p]
        if len(parts) in (3, 4):
            try:
                rgb = [_parse_channel(p) for p in parts[:3]]
                alpha = _parse_alpha(parts[3]) if len(parts) == 4 else 1.0
            except ValueError:
                raise ValueError(f"cannot read colour {value!r}: {expected}") from None
            return _checked_color((rgb[0], rgb[1], rgb[2], alpha), value, expected)
    raise ValueError(f"cannot read colour {value!r}: {expected}")


def _parse_channel(part: str) -> float:
    return float(part[:-1]) * 2.55 if part.endswith("%") else float(part)


def _parse_alpha(part: str) -> float:
    return float(part[:-1]) / 100 if part.endswith("%") else float(part)


def _checked_color(color: tuple[float, ...], value: object, expected: str) -> Color:
    r, g, b, a = color
    if not all(0 <= c <= 255 for c in (r, g, b)) or not 0 <= a <= 1:
        raise ValueError(f"colour {value!r} is out of range; {expected} (0-255, alpha 0-1)")
    return (r, g, b, a)


def _blend(top: Color, bottom: Color) -> Color:
    """Composite ``top`` over an opaque ``bottom`` (source-over)."""
    alpha = top[3]
    return (
        top[0] * alpha + bottom[0] * (1 - alpha),
        top[1] * alpha + bottom[1] * (1 - alpha),
        top[2] * alpha + bottom[2] * (1 - alpha),
        1.0,
    )


def _relative_luminance(color: Color) -> float:
    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = color
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(fg: str | Sequence[float], bg: str | Sequence[float]) -> float:
    """WCAG 2.x contrast ratio between a text colour and its background.

    A translucent background is composited over white, and translucent text
    over the background, as a browser would paint them.

    Parameters
    ----------
    fg : str or sequence of float
        Text colour (any form :func:`parse_css_color` reads).
    bg : str or sequence of float
        Background colour.

    Returns
    -------
    float
        From 1 (no contrast) to 21 (black on white). WCAG AA asks 4.5 for body text.

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    """
    background = _blend(parse_css_color(bg), _WHITE)
    text = _blend(parse_css_color(fg), background)
    lighter, darker = sorted(
        (_relative_luminance(text), _relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


# --- in-browser checks ----------------------------------------------------------------


@dataclass
class PageReport:
    """What a report looks like to a browser and to axe-core.

    Attributes
    ----------
    path : str
        The page checked (file path or URL).
    console_errors : list of str
        Console errors and uncaught exceptions while loading and checking.
    external_requests : list of str
        Requests that tried to leave the machine (blocked).
    axe_violations : list of dict
        axe-core violations of serious or critical impact: ``id``, ``impact``,
        ``help``, ``targets`` (CSS selectors of the offending nodes).
    axe_minor : list of dict
        Violations of moderate or minor impact, for information.
    axe_rules_checked : list of str
        Ids of every axe rule that ran (applicable or not).
    horizontal_overflow : int
        CSS pixels the page is wider than a 320 px viewport (0 means no horizontal scrolling).
    images_without_alt : list of str
        ``src`` prefixes of images with no ``alt`` attribute, or inside a
        ``<figure>`` with an empty one.
    rag_cells : int
        Number of RAG elements found.
    rag_without_word : list of str
        RAG elements whose text names no RAG word (colour alone).
    rag_low_contrast : list of str
        RAG elements whose text contrast is under 4.5:1, with the ratio.
    """

    path: str
    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    axe_violations: list[dict[str, Any]] = field(default_factory=list)
    axe_minor: list[dict[str, Any]] = field(default_factory=list)
    axe_rules_checked: list[str] = field(default_factory=list)
    horizontal_overflow: int = 0
    images_without_alt: list[str] = field(default_factory=list)
    rag_cells: int = 0
    rag_without_word: list[str] = field(default_factory=list)
    rag_low_contrast: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """List every failed check as a sentence naming what is wrong.

        Returns
        -------
        list of str
            Empty when the page passes every check.
        """
        found = [f"console error: {e}" for e in self.console_errors]
        found += [f"request leaving the machine (blocked): {u}" for u in self.external_requests]
        found += [
            f"axe {v['impact']} '{v['id']}': {v['help']} at {', '.join(v['targets'][:5])}"
            for v in self.axe_violations
        ]
        if self.horizontal_overflow > 1:
            found.append(
                f"page scrolls horizontally at {REFLOW_WIDTH} px wide "
                f"(by {self.horizontal_overflow} px): wrap wide content in a scrolling container"
            )
        found += [f"image without alt text: {src}" for src in self.images_without_alt]
        found += [f"RAG shown by colour alone: {cell}" for cell in self.rag_without_word]
        found += [f"RAG text contrast below 4.5:1: {cell}" for cell in self.rag_low_contrast]
        return found

    @property
    def ok(self) -> bool:
        """True when :meth:`problems` finds nothing."""
        return not self.problems()


_JS_PAGE_WIDTH = "() => document.documentElement.scrollWidth"

_JS_IMAGES_WITHOUT_ALT = """() => Array.from(document.images)
  .filter(img => !img.hasAttribute('alt')
      || (img.closest('figure') && img.getAttribute('alt').trim() === ''))
  .map(img => (img.getAttribute('src') || '').slice(0, 60))"""

_JS_RAG_COLOURS = """(selector) => Array.from(document.querySelectorAll(selector)).map(el => {
  const backgrounds = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    backgrounds.push(bg);
    const alpha = bg.startsWith('rgba') ? parseFloat(bg.split(',')[3]) : 1;
    if (alpha >= 1) break;
  }
  return {text: (el.innerText || el.textContent || '').trim(),
          html: el.outerHTML.slice(0, 120),
          color: getComputedStyle(el).color, backgrounds: backgrounds};
})"""


def _effective_background(backgrounds: Sequence[str]) -> Color:
    """Composite a chain of backgrounds (element first, ancestors after) over white."""
    color = _WHITE
    for css in reversed(list(backgrounds)):
        color = _blend(parse_css_color(css), color)
    return color


def _run_axe(page: Page) -> dict[str, Any]:
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": list(AXE_TAGS)},
        "resultTypes": ["violations"],
    }
    return Axe().run(page, options=options).response


def _check_loaded_page(page: Page, log: PageLog, name: str, rag_selector: str) -> PageReport:
    report = PageReport(path=name)
    axe = _run_axe(page)
    for violation in axe["violations"]:
        entry = {
            "id": violation["id"],
            "impact": violation.get("impact"),
            "help": violation.get("help", ""),
            "targets": [", ".join(map(str, n.get("target", []))) for n in violation["nodes"]],
        }
        bucket = report.axe_violations if entry["impact"] in SERIOUS_IMPACTS else report.axe_minor
        bucket.append(entry)
    kinds = ("violations", "passes", "incomplete", "inapplicable")
    report.axe_rules_checked = sorted({rule["id"] for kind in kinds for rule in axe.get(kind, [])})
    report.images_without_alt = page.evaluate(_JS_IMAGES_WITHOUT_ALT)
    cells = page.evaluate(_JS_RAG_COLOURS, rag_selector)
    report.rag_cells = len(cells)
    for cell in cells:
        if not any(word.lower() in cell["text"].lower() for word in RAG_WORDS):
            report.rag_without_word.append(cell["html"])
            continue
        ratio = contrast_ratio(cell["color"], _effective_background(cell["backgrounds"]))
        if ratio < MIN_TEXT_CONTRAST:
            report.rag_low_contrast.append(
                f"{cell['text']!r} {cell['color']} on {cell['backgrounds'][0]}: {ratio:.2f}:1"
            )
    original = page.viewport_size or {"width": 1280, "height": 800}
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": original["height"]})
    report.horizontal_overflow = max(0, int(page.evaluate(_JS_PAGE_WIDTH)) - REFLOW_WIDTH)
    page.set_viewport_size(original)
    report.console_errors = list(log.console_errors)
    report.external_requests = list(log.external_requests)
    return report


def check_page(
    page_or_html_path: Page | Path | str,
    *,
    browser: Browser | None = None,
    log: PageLog | None = None,
    rag_selector: str = ".rag",
) -> PageReport:
    """Check a report in a real browser: self-contained, accessible, reflows at 320 px.

    Runs axe-core (bundled with axe-playwright-python, so offline) with the
    WCAG 2.0/2.1/2.2 A and AA rules, finds images without alt text, RAG cells
    without a RAG word or with text contrast under 4.5:1, and measures
    horizontal scrolling at 320 CSS pixels (WCAG 1.4.10 Reflow).

    Parameters
    ----------
    page_or_html_path : playwright.sync_api.Page or pathlib.Path or str
        An already loaded page, or a report's HTML file to open.
    browser : playwright.sync_api.Browser, optional
        Used to open a file; a browser is launched (and closed) when omitted.
    log : PageLog, optional
        For a page given directly: its :func:`guard_page` log, so console
        errors and blocked requests are reported too.
    rag_selector : str, default ".rag"
        CSS selector of RAG cells.

    Returns
    -------
    PageReport
        Every finding; ``report.ok`` is True when there is none.
    """
    if not isinstance(page_or_html_path, str | Path):
        page = page_or_html_path
        return _check_loaded_page(page, log or PageLog(), page.url, rag_selector)
    source = _existing_file(page_or_html_path)

    def check(running: Browser) -> PageReport:
        with open_report(running, source) as (page, page_log):
            return _check_loaded_page(page, page_log, str(page_or_html_path), rag_selector)

    return run_with_browser(browser, check)


def check_reports(
    html_paths: Iterable[Path | str], *, browser: Browser | None = None
) -> list[PageReport]:
    """Check many reports with one browser (see :func:`check_page`).

    Parameters
    ----------
    html_paths : iterable of pathlib.Path or str
        The reports.
    browser : playwright.sync_api.Browser, optional
        A running browser to reuse; one is launched and closed when omitted.

    Returns
    -------
    list of PageReport
        One per report, in order.
    """
    return _run_each(
        html_paths, browser, lambda running, source: check_page(source, browser=running)
    )
