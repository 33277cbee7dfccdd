"""Every published word is spelled right: a spell check of what readers are shown.

The words a report prints are the notebooks' markdown and the string literals of the
assessment and report floors (their sentences, reasons, headings and notes) and of the
page templates; docstrings and comments are for analysts and are left out. Each word is
looked up in pyspellchecker's English word list, which ships with the package (no
download), and then in the project's own list, ``tests/spelling-words.txt``: British
spellings the American-leaning list lacks, the domain's terms, and the few fragments of
markup that string literals carry. A new word that is neither is a misspelling until it
is added there, on purpose.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

spellchecker = pytest.importorskip("spellchecker", reason="pyspellchecker is a dev dependency")

REPO = Path(__file__).resolve().parents[1]
WORD_LIST = Path(__file__).with_name("spelling-words.txt")
# The floors whose literals readers see, and the page templates.
SOURCES = ("pcplib/assessment", "pcplib/report")
TEMPLATES = "pcplib/templates"
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[A-Za-z][a-z]+")


def _docstring_ids(tree: ast.AST) -> set[int]:
    """The ids of the nodes that are docstrings: left out, as analysts read them."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
        # A module attribute's docstring (a string just after an assignment) likewise.
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for before, after in zip(body, body[1:], strict=False):
                if isinstance(before, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr):
                    if isinstance(after.value, ast.Constant):
                        found.add(id(after.value))
    return found


def read_published_text() -> Iterator[tuple[str, str]]:
    """Each piece of published text with the file it comes from."""
    for notebook in sorted((REPO / "notebooks").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                yield notebook.name, "".join(cell["source"])
    for folder in SOURCES:
        for path in sorted((REPO / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstring_ids(tree)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in skip
                    and " " in node.value
                ):
                    yield str(path.relative_to(REPO)), node.value
    for path in sorted((REPO / TEMPLATES).rglob("*.j2")):
        yield str(path.relative_to(REPO)), path.read_text(encoding="utf-8")


def list_words(text: str) -> set[str]:
    """The words of a piece of text, markup left out, in lower case."""
    return {w.lower() for w in WORD.findall(TAG.sub(" ", text))}


def read_word_list() -> set[str]:
    """The project's own words (one per line; ``#`` starts a comment)."""
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    return {line.split("#", 1)[0].strip().lower() for line in lines} - {""}


def test_every_published_word_is_spelled_right() -> None:
    checker = spellchecker.SpellChecker(language="en")
    ours = read_word_list()
    where: dict[str, str] = {}
    for source, text in read_published_text():
        for word in list_words(text):
            where.setdefault(word, source)
    unknown = sorted(checker.unknown(set(where) - ours))
    assert not unknown, "misspelt, or add to tests/spelling-words.txt: " + "; ".join(
        f"{w} ({where[w]})" for w in unknown
    )


def test_the_check_finds_a_misspelling() -> None:
    checker = spellchecker.SpellChecker(language="en")
    words = list_words('<p class="small">The figure is recieved and <b>definately</b> met.</p>')
    assert checker.unknown(words - read_word_list()) == {"recieved", "definately"}


def test_the_project_word_list_holds_no_word_the_dictionary_knows() -> None:
    # A word the dictionary already knows need not be listed: the list stays what only
    # this project needs, so it can be read in full.
    checker = spellchecker.SpellChecker(language="en")
    known = read_word_list() - checker.unknown(read_word_list())
    assert not known, f"already in the dictionary: {sorted(known)}"
