"""Fixtures for the end-to-end report tests: every notebook run once on the sample data."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

PRODUCED_AT = "2026-11-23T06:00:00Z"
STRATEGIES = (
    "police-estate",
    "workforce",
    "violence-and-vulnerability",
    "vawg",
    "rural-crime",
    "business-crime",
    "neighbourhood-crime",
    "neighbourhood-policing",
    "road-safety",
    "resources",
    "scrutiny-and-legitimacy",
    "supporting-victims",
    "effective-criminal-justice",
)
PUBLIC_STRATEGY = "neighbourhood-policing"


def _jobs() -> dict[str, tuple[str, dict[str, str]]]:
    """Report name -> (notebook stem, parameters)."""
    jobs: dict[str, tuple[str, dict[str, str]]] = {}
    for strategy in STRATEGIES:
        jobs[strategy] = (
            "delivery_strategy",
            {"strategy": strategy, "slot": "2026-11", "period_end": "2026-09"},
        )
    jobs[f"{PUBLIC_STRATEGY}-public"] = (
        "delivery_strategy",
        {
            "strategy": PUBLIC_STRATEGY,
            "slot": "2026-11",
            "period_end": "2026-09",
            "audience": "public",
        },
    )
    jobs["plan-overview"] = ("plan_overview", {"slot": "2026-11", "period_end": "2026-09"})
    jobs["public-quarterly"] = ("public_quarterly", {"quarter": "2026/27 Q2"})
    jobs["annual-evaluation"] = ("annual_evaluation", {"year": "2025/26"})
    return jobs


PUBLIC_REPORTS = (
    f"{PUBLIC_STRATEGY}-public",
    "plan-overview",
    "public-quarterly",
    "annual-evaluation",
)


@pytest.fixture(scope="session")
def rendered_reports(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Execute every report notebook on the sample data and render its HTML.

    Returns
    -------
    dict of str to Path
        Report name (a strategy id, ``<id>-public``, ``plan-overview``,
        ``public-quarterly``, ``annual-evaluation``) -> its HTML file.
    """
    from pcplib.render import execute_notebook, render_html

    out = tmp_path_factory.mktemp("reports")

    def run(item: tuple[str, tuple[str, dict[str, str]]]) -> tuple[str, Path]:
        name, (stem, parameters) = item
        executed = out / f"{name}.ipynb"
        execute_notebook(
            repo_root / "notebooks" / f"{stem}.ipynb",
            executed,
            {**parameters, "produced_at": PRODUCED_AT},
            cwd=repo_root,
        )
        return name, render_html(executed, out / f"{name}.html")

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, _jobs().items()))


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
def public_report_names() -> tuple[str, ...]:
    """Names (keys of ``rendered_reports``) of the reports meant for the public."""
    return PUBLIC_REPORTS


@pytest.fixture(scope="session")
def restricted_measure_names(data_dir: Path) -> list[str]:
    """Names of the measures marked ``visibility=restricted`` in the sample."""
    import pandas as pd

    measures = pd.read_csv(data_dir / "framework" / "measures.csv", dtype=str)
    return list(measures.loc[measures["visibility"] == "restricted", "measure_name"])
