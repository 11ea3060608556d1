"""YAML loading that remembers the line of every value, so errors can name it.

``yaml.safe_load`` forgets where values came from. Here the document is composed into
nodes (which carry start marks), converted to plain Python while recording the mark of
every mapping value and list item by its path, and validation errors are mapped back
through those paths.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from screenpilot.tools.errors import ConfigError

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass(frozen=True)
class MarkedDocument:
    """Plain data parsed from YAML plus the mark of every value by its path.

    Attributes:
        data: The document as dicts, lists and scalars.
        marks: Path (keys and list indexes from the root) -> where that value starts.
        key_marks: Path -> where the mapping key naming that value starts.
        file: The file name used in messages.
    """

    data: Any
    marks: dict[PathKey, Mark] = field(default_factory=dict)
    key_marks: dict[PathKey, Mark] = field(default_factory=dict)
    file: str = "<string>"

    def locate(self, loc: Sequence[str | int]) -> tuple[PathKey, Mark | None]:
        """The deepest existing path along a validation ``loc``, and its mark.

        Components that do not exist in the data (pydantic's union tags, or a missing
        field) are skipped, so a missing field reports the line of its parent.
        """
        node: Any = self.data
        path: PathKey = ()
        for part in loc:
            if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node, path = node[part], (*path, part)
                continue
            if isinstance(node, dict) and part in node:
                node, path = node[part], (*path, part)
        mark = self.key_marks.get(path) or self.marks.get(path)
        return path, mark


def _mark(node: yaml.Node) -> Mark:
    return Mark(line=node.start_mark.line + 1, column=node.start_mark.column + 1)


def load_marked(text: str, file: str = "<string>") -> MarkedDocument:
    """Parse one YAML document, recording marks.

    Raises:
        ConfigError: On a YAML syntax error or a duplicate key, naming file and line.
    """
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        doc = MarkedDocument(data=None, file=file)
        data = _convert(loader, root, (), doc) if root is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else file
        raise ConfigError(f"{where}: invalid YAML: {e.problem or e.context}") from None
    finally:
        loader.dispose()
    return MarkedDocument(data=data, marks=doc.marks, key_marks=doc.key_marks, file=file)


def _convert(loader: yaml.SafeLoader, node: yaml.Node, path: PathKey, doc: MarkedDocument) -> Any:
    doc.marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # merge keys (<<) become ordinary entries
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in out:
                m = _mark(key_node)
                raise ConfigError(f"{doc.file}:{m.line}:{m.column}: duplicate key {key!r}")
            doc.key_marks[(*path, key)] = _mark(key_node)
            out[key] = _convert(loader, value_node, (*path, key), doc)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, (*path, i), doc) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def format_path(path: PathKey) -> str:
    """``('steps', 2, 'click', 'text')`` -> ``steps[2].click.text``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _hint(err: Any, kinds: Mapping[str, Sequence[str]]) -> str:
    """For an unknown step or target kind: the keys found, and the nearest known key."""
    data = err.get("input")
    if err["type"] not in kinds or not isinstance(data, dict):
        return ""
    known = list(kinds[err["type"]])
    found = ", ".join(str(k) for k in data)
    close = [m for k in data for m in difflib.get_close_matches(str(k), known, n=1)]
    return f" (found: {found}" + (f"; did you mean {close[0]!r}?)" if close else ")")


def validation_error(
    doc: MarkedDocument, error: ValidationError, *, kinds: Mapping[str, Sequence[str]] | None = None
) -> ConfigError:
    """A :class:`ConfigError` listing every problem as ``file:line:col: field: message``.

    ``kinds`` maps a custom discriminator error type to the keys it accepts, for hints.
    """
    lines = []
    for err in error.errors():
        path, mark = doc.locate(err["loc"])
        missing = [p for p in err["loc"] if p not in path and not str(p).startswith("kind:")]
        where = f"{doc.file}:{mark.line}:{mark.column}" if mark else doc.file
        field_name = format_path(path)
        if err["type"] == "missing" and missing:
            field_name = f"{field_name}.{missing[-1]}" if path else str(missing[-1])
        lines.append(f"{where}: {field_name}: {err['msg']}{_hint(err, kinds or {})}")
    return ConfigError("invalid workflow:\n  " + "\n  ".join(lines))
