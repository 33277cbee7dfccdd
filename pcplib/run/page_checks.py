"""Checks of a report in a real browser: self-contained, accessible, reflows at 320 px.

:func:`check_page` adds axe-core accessibility results, a reflow check at 320 CSS
pixels, alt text and the contrast of RAG cells to what :func:`pcplib.run.browser.guard_page`
records (console errors, blocked requests), so the browser tests and any
command-line check share one implementation. Contrast is computed as WCAG 2.x says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcplib.run.browser import PageLog, _existing_file, open_report, run_with_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = [
    "AXE_TAGS",
    "RAG_WORDS",
    "PageReport",
    "check_page",
    "contrast_ratio",
    "parse_css_color",
]


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
