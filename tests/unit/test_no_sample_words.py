"""No code or notebook names the sample's force, plan, board or strategies.

The project serves any force: a force's words live in its data set (``dataset.yaml``,
the framework tables, the forward plan), never in ``pcplib/`` or ``notebooks/``. Only
the sample's own files (its generator and the framework it generates from) may name it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

# The sample's own files: the generator and the framework it writes the sample from.
SAMPLE_OWN = ("pcplib/data/sample.py", "pcplib/data/sample_framework/")
# The force, its areas, the plan and the board of the sample, as written in its data set.
SAMPLE_WORDS = [
    "Leicestershire",
    "Leicester",
    "Rutland",
    "LLR",
    "CGB",
    # The sample's board short name was the code's word for the board's audience.
    "cgb",
    "Corporate Governance Board",
    "2025-29",
    "2021-24",
]
# Strategy ids that are plain English words ("workforce", "resources") are left out:
# any plan may say them.
GENERIC_IDS = {"workforce", "resources"}


def list_sample_ids(data_dir: Path) -> list[str]:
    """The sample's strategy ids that no other plan would write by chance."""
    with (data_dir / "framework" / "strategies.csv").open(encoding="utf-8") as handle:
        ids = [row["strategy_id"] for row in csv.DictReader(handle)]
    return [i for i in ids if i not in GENERIC_IDS]


def list_identity_words(data_dir: Path) -> list[str]:
    """The sample's own names as its ``dataset.yaml`` gives them: the organisation, the
    plan, the board that reviews each strategy and the quarterly delivery board."""
    from pcplib.data.identity import PlanIdentity, read_identity

    identity, neutral = read_identity(data_dir), PlanIdentity()
    names = [
        identity.organisation,
        identity.plan_name,
        identity.board_name,
        identity.board_short_name,
        identity.delivery_board_name,
    ]
    # A name the sample leaves at the neutral default is any plan's word.
    return [n for n in names if n and n not in neutral.__dict__.values()]


def list_code_files(repo_root: Path) -> list[Path]:
    files = [
        p
        for folder in ("pcplib", "notebooks", "benchmarks")
        for p in sorted((repo_root / folder).rglob("*"))
        if p.is_file() and p.suffix in {".py", ".ipynb", ".j2", ".css", ".yaml", ".tpl", ".html"}
    ]
    # The build is the project's too: `make help` spoke of the sample's board. Benchmarks
    # are code a second force runs on its own data set. (Tests run on the sample, so they
    # may name it.)
    files += [repo_root / "Makefile", repo_root / "pyproject.toml"]
    return [p for p in files if not p.relative_to(repo_root).as_posix().startswith(SAMPLE_OWN)]


def find_sample_words(text: str, words: list[str]) -> list[str]:
    """Every sample word in ``text``, as whole words (``LLR`` not inside ``ALLRED``)."""
    found = []
    for word in words:
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
            found.append(word)
    return found


def test_find_sample_words_matches_whole_words_only() -> None:
    assert find_sample_words("the CGB meets", ["CGB"]) == ["CGB"]
    assert find_sample_words("ALLRED and vawg-dvpo", ["LLR", "vawg"]) == []
    assert find_sample_words("strategy: road-safety.", ["road-safety"]) == ["road-safety"]


def test_the_sample_identity_is_among_the_words_looked_for(data_dir: Path) -> None:
    # The delivery board's name lives in the identity since it was folded in there: a
    # second force's data set names its own, and code never names the sample's.
    words = list_identity_words(data_dir)
    assert len(words) == 5 and all(words)
    assert "Police and Crime Plan" not in words


def test_no_code_or_notebook_names_the_sample(repo_root: Path, data_dir: Path) -> None:
    words = SAMPLE_WORDS + list_sample_ids(data_dir) + list_identity_words(data_dir)
    files = list_code_files(repo_root)
    assert len(files) > 100  # the package and the notebooks were found
    hits = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for word in find_sample_words(line, words):
                hits.append(f"{path.relative_to(repo_root)}:{number}: {word!r}")
    if hits:
        pytest.fail(f"{len(hits)} line(s) name the sample:\n" + "\n".join(hits[:60]))
