"""The set-up contract: pyproject.toml and environment.yml agree; the layout is as documented."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

# Conda-forge spells a few packages differently from PyPI; Quarto is conda-only (optional renderer).
CONDA_ONLY = {"python", "quarto", "pip"}


def normalise_name(requirement: str) -> str:
    """Return the package name of a requirement string, normalised as PEP 503 does."""
    name = re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pyproject(repo_root: Path) -> dict:
    return tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))


def read_conda_names(repo_root: Path) -> tuple[set[str], set[str]]:
    env = yaml.safe_load((repo_root / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = set(), set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip |= {normalise_name(p) for p in dep.get("pip", []) if not p.startswith("-")}
        else:
            conda.add(normalise_name(dep))
    return conda - CONDA_ONLY, pip


def test_environment_yml_names_the_same_runtime_dependencies(repo_root: Path) -> None:
    runtime = {normalise_name(d) for d in read_pyproject(repo_root)["project"]["dependencies"]}
    conda, _ = read_conda_names(repo_root)
    missing = runtime - conda
    assert not missing, f"environment.yml lacks runtime dependencies of pyproject.toml: {missing}"


def test_environment_yml_names_every_optional_dependency(repo_root: Path) -> None:
    extras = read_pyproject(repo_root)["project"]["optional-dependencies"]
    optional = {normalise_name(d) for group in extras.values() for d in group}
    runtime = {normalise_name(d) for d in read_pyproject(repo_root)["project"]["dependencies"]}
    conda, pip = read_conda_names(repo_root)
    assert optional <= conda | pip, f"environment.yml lacks extras: {optional - conda - pip}"
    assert conda | pip <= runtime | optional, (
        "environment.yml names packages pyproject.toml does not: "
        f"{(conda | pip) - runtime - optional}"
    )


def test_environment_yml_offers_quarto_for_optional_rendering(repo_root: Path) -> None:
    env = yaml.safe_load((repo_root / "environment.yml").read_text(encoding="utf-8"))
    assert "quarto" in env["dependencies"]


def test_console_script_and_python_version(repo_root: Path) -> None:
    project = read_pyproject(repo_root)["project"]
    assert project["scripts"]["pcp"] == "pcplib.cli:main"
    assert project["requires-python"] == ">=3.11"


def test_layout_of_the_brief(repo_root: Path) -> None:
    for folder in ["notebooks", "pcplib", "params", "data", "outputs", "tests", "benchmarks"]:
        assert (repo_root / folder).is_dir(), folder
    for name in ["environment.yml", "README.md", "pyproject.toml", "Makefile", "CHANGELOG.md"]:
        assert (repo_root / name).is_file(), name
    assert (repo_root / "outputs" / ".gitkeep").is_file()
    assert "outputs/*" in (repo_root / ".gitignore").read_text(encoding="utf-8")


def test_ci_runs_make_test(repo_root: Path) -> None:
    script = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in script
    assert "set -euo pipefail" in script


def test_makefile_offers_the_documented_targets(repo_root: Path) -> None:
    makefile = (repo_root / "Makefile").read_text(encoding="utf-8")
    for target in ["report", "test", "lab", "lint", "clean", "setup"]:
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    assert "ipykernel install" in makefile and "--name $(KERNEL)" in makefile


def list_imported_packages(package_dir: Path) -> set[str]:
    """The top-level names of the modules outside the standard library ``pcplib`` imports."""
    import ast
    import sys

    names: set[str] = set()
    for path in package_dir.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"pcplib"}


def test_every_imported_package_is_declared(repo_root: Path) -> None:
    from importlib.metadata import packages_distributions

    project = read_pyproject(repo_root)["project"]
    declared = {normalise_name(d) for d in project["dependencies"]}
    declared |= {
        normalise_name(d) for group in project["optional-dependencies"].values() for d in group
    }
    providers = packages_distributions()
    undeclared = {
        name: providers.get(name)
        for name in list_imported_packages(repo_root / "pcplib")
        if not {normalise_name(d) for d in providers.get(name, [name])} & declared
    }
    assert not undeclared, f"imported by pcplib but not declared in pyproject.toml: {undeclared}"


def test_changelog_has_one_section_per_kind_per_release(repo_root: Path) -> None:
    text = (repo_root / "CHANGELOG.md").read_text(encoding="utf-8")
    for release in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        kinds = re.findall(r"^### (.+)$", release, flags=re.MULTILINE)
        heading = release.splitlines()[0]
        assert len(kinds) == len(set(kinds)), f"{heading}: a kind twice in {kinds}"
        assert set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_the_lock_pins_every_declared_dependency(repo_root: Path) -> None:
    lines = (repo_root / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^=\s]+", pin) for pin in pins), pins
    locked = {normalise_name(pin) for pin in pins}
    project = read_pyproject(repo_root)["project"]
    groups = [project["dependencies"], *project["optional-dependencies"].values()]
    declared = {normalise_name(d) for group in groups for d in group}
    assert declared <= locked, f"requirements.lock lacks {declared - locked}: run make lock"
    assert "requirements.lock" in (repo_root / "Makefile").read_text(encoding="utf-8")
