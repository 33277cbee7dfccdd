"""Fixtures for the end-to-end report tests: the session's sample reports, parsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def forked_kernels(fork_server) -> object:
    """Every end-to-end run forks its kernels from the session's one fork server."""
    return fork_server


@pytest.fixture(scope="session")
def rendered_reports(sample_outputs) -> dict[str, Path]:
    """Every report's HTML by name, from the session's one run of the sample data.

    Returns
    -------
    dict of str to Path
        Report name (a strategy id, ``<id>-public``, ``plan-overview``,
        ``public-quarterly``, ``annual-evaluation``) -> its HTML file.
    """
    return sample_outputs.reports


@dataclass
class ParsedPage:
    """What the tests need to know about one HTML page."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text_chunks: list[str] = field(default_factory=list)
    pre_blocks: int = 0

    def all(self, tag: str) -> list[dict[str, str]]:
        """Attributes of every element named ``tag``."""
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def text(self) -> str:
        """The visible text (style contents left out), whitespace collapsed."""
        return " ".join(" ".join(self.text_chunks).split())


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "pre":
            self.page.pre_blocks += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.page.text_chunks.append(data)


@pytest.fixture(scope="session")
def parse_page():
    """Return a function parsing an HTML file into a :class:`ParsedPage`."""

    def parse(path: Path) -> ParsedPage:
        parser = _PageParser()
        parser.feed(Path(path).read_text(encoding="utf-8"))
        parser.close()
        return parser.page

    return parse


@pytest.fixture(scope="session")
def public_report_names(sample_outputs) -> tuple[str, ...]:
    """Names (keys of ``rendered_reports``) of the reports meant for the public."""
    return sample_outputs.public_reports


@pytest.fixture(scope="session")
def restricted_measure_names(data_dir: Path) -> list[str]:
    """Names of the measures marked ``visibility=restricted`` in the sample."""
    import pandas as pd

    measures = pd.read_csv(data_dir / "framework" / "measures.csv", dtype=str)
    return list(measures.loc[measures["visibility"] == "restricted", "measure_name"])
