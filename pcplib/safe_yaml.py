"""YAML parsing that bounds its work: no aliases, no anchors, no repeated keys, a size limit.

A nine-line "billion laughs" document of nested aliases expands to gigabytes once a
reader walks it, and ``yaml.safe_load`` accepts it. No file the project reads needs an
alias, so every YAML input (``dataset.yaml``, the forward plan, parameter files, the
packaged sample framework) is parsed here, where an alias or anchor is refused before any
object is built, with the line it is on; so is nesting deeper than :data:`MAX_YAML_DEPTH`
(thousands of nested brackets ended in a ``RecursionError``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent, NodeEvent

MAX_YAML_DEPTH = 50
"""The deepest nesting of lists and mappings read: the project's files need four."""

MAX_YAML_BYTES = 1_048_576
"""The largest YAML input read (1 MiB): the project's largest, the forward plan, is ~10 KB."""


class _AliasFreeLoader(yaml.SafeLoader):
    """A safe loader whose composer refuses anchors (``&a``) and aliases (``*a``)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102
        event = self.peek_event()
        if self._depth >= MAX_YAML_DEPTH:
            # Each level costs the composer and constructor Python stack frames: a few
            # thousand nested brackets ended in a RecursionError traceback.
            raise ComposerError(
                None,
                None,
                f"values nested at most {MAX_YAML_DEPTH} levels deep (this one goes deeper)",
                cast(Any, event.start_mark),
            )
        if isinstance(event, AliasEvent) or (
            isinstance(event, NodeEvent) and event.anchor is not None
        ):
            kind = "an alias" if isinstance(event, AliasEvent) else "an anchor"
            symbol = "*" if isinstance(event, AliasEvent) else "&"
            raise ComposerError(
                None,
                None,
                f"{kind} ({symbol}{event.anchor}) found; anchors and aliases are not "
                "accepted, write each value out in full",
                # PyYAML's C and Python marks are interchangeable; the stubs type them apart.
                cast(Any, event.start_mark),
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_mapping_node(self, anchor: Any) -> Any:  # noqa: D102
        node = super().compose_mapping_node(anchor)
        seen: set[str] = set()
        for key, _ in node.value:
            # A key given twice silently took the second value (a second forward_plan:
            # line at the end of dataset.yaml won over the one a reader sees first).
            if isinstance(key, yaml.ScalarNode) and key.value in seen:
                raise ComposerError(
                    None,
                    None,
                    f"each key once ({key.value!r} is given again; the later value would "
                    "silently replace the earlier one)",
                    cast(Any, key.start_mark),
                )
            if isinstance(key, yaml.ScalarNode):
                seen.add(key.value)
        return node


def check_yaml_size(text: str) -> None:
    """Refuse YAML text longer than :data:`MAX_YAML_BYTES`.

    Parameters
    ----------
    text : str
        The document.

    Raises
    ------
    yaml.YAMLError
        When the text is longer than the limit, with a problem that states the limit.
    """
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        error = yaml.YAMLError(f"{size:,} bytes; at most {MAX_YAML_BYTES:,} are read")
        error.problem = f"{size:,} bytes, more than the {MAX_YAML_BYTES:,} read"  # type: ignore[attr-defined]
        raise error


def load_yaml_text(text: str) -> Any:
    """Parse YAML text safely, refusing aliases, anchors and oversized documents.

    Parameters
    ----------
    text : str
        The document.

    Returns
    -------
    Any
        The parsed value, as ``yaml.safe_load`` would give it.

    Raises
    ------
    yaml.YAMLError
        For invalid YAML, an alias or anchor (a ``ComposerError`` whose ``problem`` says
        so and whose ``problem_mark`` is its place), or a document past the size limit.
    """
    return _read_yaml(text, lambda loader: loader.get_single_data())


def compose_yaml_text(text: str) -> Any:
    """Compose YAML text into its node graph (for line numbers), refusing aliases.

    Parameters
    ----------
    text : str
        The document.

    Returns
    -------
    yaml.Node or None
        The root node.

    Raises
    ------
    yaml.YAMLError
        As :func:`load_yaml_text`.
    """
    return _read_yaml(text, lambda loader: loader.get_single_node())


def _read_yaml(text: str, read: Callable[[_AliasFreeLoader], Any]) -> Any:
    """Check the size, then read ``text`` with an alias-free loader that is always disposed."""
    check_yaml_size(text)
    loader = _AliasFreeLoader(text)
    try:
        return read(loader)
    finally:
        loader.dispose()
