"""Accessible HTML building blocks.

Escaped text, tables with captions and scoped headers in scrollable regions, notes,
lists, definition lists and RAG badges (the word, coloured; every colour pair has a
text contrast of at least 4.5:1). Text from data is untrusted: every value is escaped
here before it reaches HTML; only markup written in this package is raw.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pcplib.rag import normalise_rating


def esc(value: Any) -> str:
    """Escape any value for HTML text or attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def slug(text: str) -> str:
    """A lower-case, hyphenated id made from text (``"table"`` when nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "table"


def build_table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    caption: str,
    *,
    numeric: Sequence[bool] | None = None,
    row_headers: bool = True,
) -> str:
    """Build an accessible table: caption, scoped headers, in a scrollable region.

    Cells are given as HTML already escaped by the caller.
    """
    numeric = list(numeric or [False] * len(head))
    body: list[str] = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = ' class="num"' if numeric[i] else ""
            if i == 0 and row_headers:
                cells.append(f'<th scope="row"{cls}>{cell}</th>')
            else:
                cells.append(f"<td{cls}>{cell}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return wrap_table_rows(head, body, caption, numeric)


def wrap_table_rows(
    head: Sequence[str], body: Iterable[str], caption: str, numeric: Sequence[bool] | None = None
) -> str:
    """Wrap table rows (``<tr>`` HTML) with the caption and column headers in a scrollable region.

    The region is labelled with the caption and the table's id derives from it.
    """
    numeric = list(numeric or [False] * len(head))
    head_html = "".join(
        '<th scope="col"' + (' class="num"' if numeric[i] else "") + f">{esc(h)}</th>"
        for i, h in enumerate(head)
    )
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{esc(caption)}">'
        f'<table id="{esc(slug(caption))}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head_html}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def with_note(main_html: str, note: Any) -> str:
    """Follow a cell's HTML with a small-print line (escaped here)."""
    return f'{main_html}<br><span class="small">{esc(note)}</span>'


def arrow_cell(arrow: Any, text: Any, note: Any) -> str:
    """A direction arrow (hidden from screen readers, which read ``text``) and a note."""
    return with_note(f'<span aria-hidden="true">{esc(arrow)}</span> {esc(text)}', note)


def bullets(items: Iterable[Any]) -> str:
    """An HTML list of items, each escaped."""
    return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>"


def meta_list(facts: Iterable[tuple[str, Any]]) -> str:
    """A definition list of (term, value) facts, each escaped."""
    return (
        '<dl class="meta">'
        + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
        + "</dl>"
    )


def format_collapsed(summary: str, body_html: str) -> str:
    """Fold a section a reader seldom needs behind a line they can open.

    Parameters
    ----------
    summary : str
        The line shown (escaped here).
    body_html : str
        HTML already escaped where it holds data.

    Returns
    -------
    str
        A ``<details>`` element, closed, with ``summary`` as its ``<summary>``; printed
        pages and screen readers still reach its content.
    """
    return f"<details><summary>{esc(summary)}</summary>{body_html}</details>"


def notice(text_html: str, cls: str = "notice") -> str:
    """A note panel (``role="note"``) around HTML already escaped."""
    return f'<div class="{cls}" role="note">{text_html}</div>'


# GOV.UK design system palette; text colours chosen for contrast >= 4.5:1 (WCAG 2.2 AA).
RAG_COLOURS: dict[str, dict[str, str]] = {
    "Green": {"background": "#00703c", "text": "#ffffff"},
    "Amber/Green": {"background": "#85994b", "text": "#0b0c0c"},
    "Amber": {"background": "#ffdd00", "text": "#0b0c0c"},
    "Amber/Red": {"background": "#f47738", "text": "#0b0c0c"},
    "Red": {"background": "#d4351c", "text": "#ffffff"},
    "Grey": {"background": "#505a5f", "text": "#ffffff"},
}


def format_rag_html(rating: str) -> str:
    """Return an accessible HTML badge for a rating: the word, coloured.

    Parameters
    ----------
    rating : str
        A rating word (any letter case; ``Yellow`` reads as Amber).

    Returns
    -------
    str
        Such as ``<span class="rag rag-green" style="background-color:#00703c;
        color:#ffffff">Green</span>``; the word is always present, so colour is
        never the only carrier of the rating.

    Raises
    ------
    ValueError
        If ``rating`` is not a rating word.
    """
    word = normalise_rating(rating)
    colours = RAG_COLOURS[word]
    slug = word.lower().replace("/", "-")
    return (
        f'<span class="rag rag-{slug}" style="background-color:{colours["background"]};'
        f'color:{colours["text"]};padding:0 0.3em;border-radius:2px">'
        f"{html.escape(word)}</span>"
    )
