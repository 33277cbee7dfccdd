"""Report fragments that carry their own layout: the container and its scoped styles.

Each piece of report HTML a notebook shows (a header, a table, the charts) is wrapped
in ``<div class="pcp-report">`` with one ``<style>`` block scoped to that class, so it
lays out the same wherever it is shown: in JupyterLab (light or dark theme), which does
not load the nbconvert template's stylesheet and floats definition lists and
right-aligns table text of its own accord; in the rendered HTML; and in print. Every
rule starts with ``.pcp-report``, so nothing leaks into JupyterLab's own interface, and
is specific enough to win over JupyterLab's output styles (``.jp-RenderedHTMLCommon``).

Colours that must follow the theme read JupyterLab's CSS variables, with the report's
GOV.UK colours as the fallback outside JupyterLab; panels with a colour of their own
(banners, notices, the chart's panel in a dark theme) set their text colour too, so
they stay legible on a dark background. The page around the fragments (the marking,
the skip link, the A4 page and its margins) stays in the template,
``pcplib/templates/pcp/pcp.css``, which also holds these rules once in its ``<head>``
(:func:`pcplib.run.render.export_html` removes the copies from the outputs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

__all__ = ["FRAGMENT_CLASS", "FRAGMENT_CSS", "FRAGMENT_STYLE", "as_fragment", "wrap_fragment"]

P = ParamSpec("P")

FRAGMENT_CLASS = "pcp-report"

# Written out in full for reading and review; sent collapsed to one line. Why some rules:
# - dl.meta: JupyterLab floats a dl's dt and dd at 20% and 80%, so a label that wraps
#   pushes every later value under the wrong label; a grid pairs them by row whatever wraps.
#   Long unbroken values (commit hashes, digests) wrap rather than widen the page at 320 px.
# - tables: JupyterLab right-aligns every cell and fixes the layout; text reads left-aligned,
#   numbers right-aligned. A number keeps to one line but its note (the period it covers)
#   wraps, so long notes do not widen the column and push others out of view. A wide table
#   scrolls inside its own region, never the page or the output area. JupyterLab's row
#   stripes would cut across the plan overview's row groups, so rows keep the page's colour.
# - figure.chart: charts are drawn on white; in a dark theme they sit on a white panel with
#   their caption, so they read as a picture rather than a glaring box.
_CSS = """
.pcp-report { display: block; max-width: 100%; min-width: 0; }
.pcp-report dl.meta {
  display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.25rem 1rem;
  width: auto; max-width: 48em; margin: 1rem 0; padding: 0; overflow: visible;
}
.pcp-report dl.meta > dt, .pcp-report dl.meta > dd {
  display: block; float: none; clear: none; width: auto; min-width: 0; margin: 0; padding: 0;
  overflow-wrap: anywhere;
}
.pcp-report dl.meta > dt { font-weight: 700; }
.pcp-report .table-wrap {
  display: block; overflow-x: auto; max-width: 100%; margin: 0 0 1.5rem;
  border: 1px solid var(--jp-border-color1, #b1b4b6);
}
.pcp-report .table-wrap:focus {
  outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 0 0 6px #0b0c0c;
}
.pcp-report .table-wrap > table {
  border-collapse: collapse; width: 100%; table-layout: auto; margin: 0;
  color: inherit; font-size: var(--jp-content-font-size1, 1rem);
  font-variant-numeric: tabular-nums;
}
.pcp-report .table-wrap > table > caption {
  text-align: left; font-weight: 700; padding: 0.5rem; caption-side: top;
}
.pcp-report .table-wrap table tbody tr { background: transparent; }
.pcp-report .table-wrap table th, .pcp-report .table-wrap table td {
  border: 0; border-bottom: 1px solid var(--jp-border-color1, #b1b4b6);
  padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; white-space: normal;
  line-height: 1.5; max-width: none;
}
.pcp-report .table-wrap table thead th {
  background: var(--jp-layout-color2, #f3f2f1); border-bottom: 2px solid currentColor;
}
.pcp-report .table-wrap table td.num, .pcp-report .table-wrap table th.num {
  text-align: right; white-space: nowrap;
}
.pcp-report .table-wrap table td.num .small {
  white-space: normal; display: inline-block; max-width: 14em;
}
.pcp-report .small {
  font-size: var(--jp-content-font-size1, 1rem); color: var(--jp-content-font-color2, #484949);
}
.pcp-report .rag {
  display: inline-block; padding: 0.1em 0.5em; font-weight: 700; border-radius: 0.2em;
  white-space: nowrap;
}
.pcp-report .illustrative, .pcp-report .notice {
  border-left: 6px solid #0b0c0c; background: #fff7bf; color: #0b0c0c;
  padding: 0.75rem 1rem; margin: 1rem 0;
}
.pcp-report .notice { background: #f3f2f1; }
.pcp-report .notice.warning {
  border-left-color: #d4351c; border-left-width: 10px; background: #ffffff;
  outline: 2px solid #d4351c;
}
.pcp-report .illustrative p, .pcp-report .notice p { margin: 0.25em 0; color: inherit; }
.pcp-report .illustrative .small, .pcp-report .notice .small { color: #484949; }
.pcp-report figure { display: block; margin: 1rem 0 2rem; max-width: 100%; }
.pcp-report figure img { display: block; max-width: 100%; height: auto; margin: 0; }
.pcp-report figcaption {
  color: var(--jp-content-font-color2, #484949); font-size: var(--jp-content-font-size1, 1rem);
  margin-top: 0.5rem; max-width: 48em;
}
[data-jp-theme-light="false"] .pcp-report figure.chart {
  width: fit-content; padding: 0.5rem; background: #ffffff; color: #0b0c0c;
  border-radius: 4px; box-sizing: border-box;
}
[data-jp-theme-light="false"] .pcp-report figure.chart figcaption { color: #484949; }
@media (max-width: 40rem) {
  .pcp-report dl.meta { grid-template-columns: minmax(0, 1fr); }
  .pcp-report dl.meta > dd { margin-bottom: 0.5rem; }
}
@media print {
  .pcp-report .table-wrap { overflow: visible; border: none; }
  .pcp-report table, .pcp-report figure, .pcp-report dl.meta, .pcp-report .illustrative,
  .pcp-report .notice, .pcp-report tr { break-inside: avoid; page-break-inside: avoid; }
  .pcp-report figure img { max-height: 120mm; }
  .pcp-report .rag { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

FRAGMENT_CSS = " ".join(_CSS.split())
"""The fragments' layout, every rule scoped to ``.pcp-report``, on one line."""

FRAGMENT_STYLE = f"<style>{FRAGMENT_CSS}</style>"
"""The ``<style>`` block each fragment carries, exactly as written into it."""


def wrap_fragment(fragment_html: str) -> str:
    """Wrap report HTML in the container that carries its layout.

    Parameters
    ----------
    fragment_html : str
        HTML built by :mod:`pcplib.report` (already escaped where it holds data).

    Returns
    -------
    str
        ``<div class="pcp-report"><style>...</style>...</div>``, or ``""`` for an empty
        fragment (a banner or warning that does not apply), so that nothing is shown.
    """
    if not fragment_html:
        return ""
    return f'<div class="{FRAGMENT_CLASS}">{FRAGMENT_STYLE}{fragment_html}</div>'


def as_fragment(build: Callable[P, str]) -> Callable[P, str]:
    """Return ``build`` with its HTML wrapped by :func:`wrap_fragment`.

    The report package exports its HTML builders this way, so what a notebook displays
    carries its layout; the modules' own functions stay unwrapped, so builders that
    call each other do not nest containers.

    Parameters
    ----------
    build : callable
        A function returning report HTML.

    Returns
    -------
    callable
        The same function (name, docstring and signature kept), its HTML wrapped.
    """

    @functools.wraps(build)
    def build_fragment(*args: P.args, **kwargs: P.kwargs) -> str:
        return wrap_fragment(build(*args, **kwargs))

    return build_fragment
