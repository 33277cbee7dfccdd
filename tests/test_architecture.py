"""The package's shape: pcplib's modules import each other without cycles, and stay small.

The import graph is read from the source with ``ast``, so it covers every module
under ``pcplib/`` whether or not a test imports it. Imports inside functions count
(a cycle through a deferred import still ties the two modules together), and so do
imports under ``if TYPE_CHECKING:``: a module that needs another's types for its
annotations depends on it as surely as one that calls it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "pcplib"
MAX_LINES = 800

# The floors of the pipeline, lowest first: a module may import its own floor and those
# below, never one above (docs/architecture.md).
FLOORS = (
    ("core", ("pcplib", "pcplib.periods", "pcplib.metrics", "pcplib.stats", "pcplib.spc",
              "pcplib.rag", "pcplib.funnel", "pcplib.funnel_checks", "pcplib.labels")),
    ("data", ("pcplib.data",)),
    ("assessment", ("pcplib.assessment",)),
    ("report", ("pcplib.report",)),
    ("run", ("pcplib.run", "pcplib.cli", "pcplib.notebook", "pcplib.forkserver")),
)  # fmt: skip


def name_module(path: Path, root: Path) -> str:
    """The dotted name of a module file: ``pcplib/run/__init__.py`` is ``pcplib.run``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def find_modules(package_dir: Path) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    root = package_dir.parent
    return {name_module(path, root): path for path in sorted(package_dir.rglob("*.py"))}


def walk_imports(nodes: Iterable[ast.AST]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement in ``nodes``, ``if TYPE_CHECKING:`` bodies included."""
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        else:
            yield from walk_imports(ast.iter_child_nodes(node))


def resolve_module(name: str, modules: set[str]) -> str | None:
    """The longest prefix of ``name`` that is one of ``modules`` (None outside them)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def find_imported(source: str, module: str, is_package: bool, modules: set[str]) -> set[str]:
    """The modules of ``modules`` that ``module`` (given as source) imports."""
    imported: set[str] = set()
    for node in walk_imports([ast.parse(source)]):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                # A relative import counts from the package: the module itself for an
                # __init__, its parent otherwise, then one level up per extra dot.
                anchor = module.split(".")
                drop = node.level - 1 if is_package else node.level
                anchor = anchor[: len(anchor) - drop]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from package import name`` imports the submodule when there is one.
            names = [f"{base}.{alias.name}" for alias in node.names]
            names = [name if name in modules else base for name in names]
        for name in names:
            target = resolve_module(name, modules)
            if target is not None and target != module:
                imported.add(target)
    return imported


def build_import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Each module of the package to the modules of the package it imports."""
    modules = find_modules(package_dir)
    names = set(modules)
    return {
        module: find_imported(
            path.read_text(encoding="utf-8"), module, path.name == "__init__.py", names
        )
        for module, path in modules.items()
    }


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def describe_cycle(component: list[str], graph: dict[str, set[str]]) -> str:
    """The edges inside a cycle, one ``a -> b`` per line."""
    members = set(component)
    return "\n".join(
        f"  {source} -> {target}"
        for source in component
        for target in sorted(graph[source] & members)
    )


def test_pcplib_modules_import_each_other_without_cycles() -> None:
    graph = build_import_graph(PACKAGE_DIR)
    assert "pcplib.cli" in graph  # the graph covers the package
    cycles = find_cycles(graph)
    assert not cycles, "import cycles between pcplib modules:\n" + "\n\n".join(
        describe_cycle(component, graph) for component in cycles
    )


def test_no_pcplib_module_is_over_800_lines() -> None:
    root = PACKAGE_DIR.parent
    too_long = {
        path.relative_to(root).as_posix(): lines
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"modules over {MAX_LINES} lines (split them by what they hold): " + (
        ", ".join(f"{path} ({lines})" for path, lines in too_long.items())
    )


def floor_of(module: str) -> int:
    """The floor (0 core ... 4 run) of a pcplib module, by its longest listed prefix."""
    best, floor = -1, -1
    for number, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, floor = len(prefix), number
    if floor < 0:
        raise AssertionError(f"{module} is on no floor: add it to FLOORS")
    return floor


def test_no_module_imports_a_higher_floor() -> None:
    graph = build_import_graph(PACKAGE_DIR)
    upward = sorted(
        f"{source} ({FLOORS[floor_of(source)][0]}) -> {target} ({FLOORS[floor_of(target)][0]})"
        for source, targets in graph.items()
        for target in targets
        if floor_of(target) > floor_of(source)
    )
    assert not upward, "imports from a higher floor:\n  " + "\n  ".join(upward)


def test_every_module_is_on_a_floor() -> None:
    for module in build_import_graph(PACKAGE_DIR):
        floor_of(module)


# Console output belongs to the run floor (the command line). What still prints below it,
# each with why; docs/architecture.md says the same.
PRINTING_BELOW_RUN = {
    # `pcp returns template`'s handler: to move to the run floor as `pcp source`'s did.
    "pcplib.data.sources.returns_template",
}


def list_printing_modules(package_dir: Path) -> dict[str, int]:
    """Each pcplib module that calls ``print``, with the line of its first call."""
    found = {}
    for module, path in find_modules(package_dir).items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
        ]
        if calls:
            found[module] = min(calls)
    return found


def test_nothing_below_the_run_floor_prints() -> None:
    run_floor = len(FLOORS) - 1
    below = {
        module: line
        for module, line in list_printing_modules(PACKAGE_DIR).items()
        if floor_of(module) < run_floor
    }
    unexpected = sorted(
        f"{m} (line {line})" for m, line in below.items() if m not in PRINTING_BELOW_RUN
    )
    assert not unexpected, "print() below the run floor (return values or log instead):\n  " + (
        "\n  ".join(unexpected)
    )
    # A leftover that no longer prints comes off the list, so the list stays true.
    assert set(below) == PRINTING_BELOW_RUN


WHY_RED_HEADING = "## Why is this measure Red?"
MAX_WHY_RED_STEPS = 5


def read_why_red_section() -> str:
    """The "Why is this measure Red?" section of docs/architecture.md."""
    text = (PACKAGE_DIR.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert WHY_RED_HEADING in text, f"docs/architecture.md has no {WHY_RED_HEADING!r} section"
    section = text.split(WHY_RED_HEADING, 1)[1]
    return section.split("\n## ", 1)[0]


def test_the_why_is_this_red_path_is_short_and_true() -> None:
    import re

    section = read_why_red_section()
    steps = re.findall(r"^\d+\. ", section, flags=re.MULTILINE)
    assert 0 < len(steps) <= MAX_WHY_RED_STEPS, f"{len(steps)} steps; at most {MAX_WHY_RED_STEPS}"
    root = PACKAGE_DIR.parent
    files = re.findall(r"`(pcplib/[\w/]+\.py)`", section)
    assert files, "the path names no file"
    for file in files:
        assert (root / file).is_file(), f"docs/architecture.md names {file}, which does not exist"
    # "`file`, `function`" says where a step's function is: it must be defined there.
    for file, function in re.findall(r"`(pcplib/[\w/]+\.py)`, `(\w+)`", section):
        tree = ast.parse((root / file).read_text(encoding="utf-8"))
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert function in defined, f"{function} is not defined in {file}"
    # The first step is the judgements' own columns: they must hold what it names.
    from pcplib.assessment.judgements import JUDGEMENT_COLUMNS

    for column in re.findall(r"`(rag\w*)`", section):
        assert column in JUDGEMENT_COLUMNS, f"judgements.csv has no column {column}"


# --- the checker itself -------------------------------------------------------------------


@pytest.fixture
def toy_package(tmp_path: Path) -> Path:
    package = tmp_path / "toy"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from toy.sub import helper\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "helper.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from toy import late\n"
        "def work():\n"
        "    from .. import early\n"
    )
    (package / "early.py").write_text("import toy.sub.helper\nimport json\n")
    (package / "late.py").write_text("from toy.sub.helper import work\n")
    return package


def test_the_graph_counts_deferred_and_type_checking_imports(toy_package) -> None:
    graph = build_import_graph(toy_package)
    assert graph == {
        "toy": {"toy.sub.helper"},
        "toy.early": {"toy.sub.helper"},
        "toy.late": {"toy.sub.helper"},
        "toy.sub": set(),
        "toy.sub.helper": {"toy.early", "toy.late"},
    }
    assert find_cycles(graph) == [["toy.early", "toy.late", "toy.sub.helper"]]


def test_floors_read_the_longest_prefix() -> None:
    assert floor_of("pcplib") == 0
    assert floor_of("pcplib.spc.rules") == 0
    assert floor_of("pcplib.data.sources") == 1
    assert floor_of("pcplib.assessment.measures") == 2
    assert floor_of("pcplib.report.charts") == 3
    assert floor_of("pcplib.run.render") == 4
    with pytest.raises(AssertionError, match="on no floor"):
        floor_of("elsewhere.module")
