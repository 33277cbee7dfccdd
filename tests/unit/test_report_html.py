"""The report floor's HTML building blocks: RAG badges."""

from __future__ import annotations

import re

import pytest

from pcplib.rag import RATINGS
from pcplib.report.html import RAG_COLOURS, format_rag_html


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_rag_colours_have_accessible_contrast():
    assert set(RAG_COLOURS) == set(RATINGS)
    for rating, colours in RAG_COLOURS.items():
        lighter, darker = sorted(
            (_luminance(colours["background"]), _luminance(colours["text"])), reverse=True
        )
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, rating


def test_format_rag_html():
    assert format_rag_html("Green") == (
        '<span class="rag rag-green" style="background-color:#00703c;color:#ffffff;'
        'padding:0 0.3em;border-radius:2px">Green</span>'
    )
    badge = format_rag_html("amber/red")
    assert 'class="rag rag-amber-red"' in badge
    assert re.search(r">Amber/Red</span>$", badge)
    assert ">Amber</span>" in format_rag_html("Yellow")
    for rating in RATINGS:
        assert f">{rating}</span>" in format_rag_html(rating)
    with pytest.raises(ValueError, match="unknown RAG rating '<b>'"):
        format_rag_html("<b>")
