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


MAX_CHARS = 1_000_000
"""Largest workflow text accepted (a long workflow is a few thousand characters)."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists."""

MAX_VALUES = 100_000
"""Most values a document may hold once aliases are expanded (a YAML "billion laughs"
expands a few hundred bytes into billions of values)."""


def load_marked(text: str, file: str = "<string>") -> MarkedDocument:
    """Parse one YAML document, recording marks.

    The text is checked before anything is built: its size, then its nesting depth on the
    parser's event stream (no recursion), then the number of values it expands to.

    Raises:
        ConfigError: On a YAML syntax error, a duplicate key, or a document past the
            limits above, naming file and line.
    """
    if len(text) > MAX_CHARS:
        raise ConfigError(f"{file}: the file has {len(text)} characters; at most {MAX_CHARS} are read")
    try:
        _check_depth(text, file)
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            doc = MarkedDocument(data=None, file=file)
            if root is not None:
                _check_expansion(root, file)
            data = _convert(loader, root, (), doc) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else file
        raise ConfigError(f"{where}: invalid YAML: {e.problem or e.context}") from None
    except yaml.YAMLError as e:  # a reader error (a control character) has no problem mark
        raise ConfigError(f"{file}: invalid YAML: {e}") from None
    return MarkedDocument(data=data, marks=doc.marks, key_marks=doc.key_marks, file=file)


# libyaml scans deep flow nesting in linear time; PyYAML's own scanner does not
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_depth(text: str, file: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_FAST_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                m = event.start_mark
                where = f"{file}:{m.line + 1}:{m.column + 1}" if m is not None else file
                raise ConfigError(f"{where}: nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_expansion(root: yaml.Node, file: str) -> None:
    """Refuse a document whose aliases expand to more than :data:`MAX_VALUES` values, nest
    deeper than :data:`MAX_DEPTH` once expanded, or refer to themselves.

    Aliases are shared nodes in the composed graph; the expanded size and depth of each
    node are computed once (bottom-up, no recursion), so the check costs the graph's size,
    not the expansion's."""
    size: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in size:
            continue
        kids = _children(node)
        if not children_done:
            if id(node) in open_nodes:
                raise ConfigError(f"{_where(file, node)}: a value contains itself (a recursive alias)")
            open_nodes.add(id(node))
            stack.append((node, True))
            for kid in kids:
                if id(kid) in open_nodes:
                    raise ConfigError(f"{_where(file, kid)}: a value contains itself (a recursive alias)")
                if id(kid) not in size:
                    stack.append((kid, False))
            continue
        open_nodes.discard(id(node))
        count = 1 + sum(size[id(k)][0] for k in kids)
        depth = 1 + max((size[id(k)][1] for k in kids), default=0)
        if count > MAX_VALUES:
            raise ConfigError(
                f"{_where(file, node)}: the document expands to more than {MAX_VALUES} values "
                "(aliases that repeat aliases?)"
            )
        if depth > MAX_DEPTH:
            raise ConfigError(f"{_where(file, node)}: nested deeper than {MAX_DEPTH} levels")
        size[id(node)] = (count, depth)


def _where(file: str, node: yaml.Node) -> str:
    m = _mark(node)
    return f"{file}:{m.line}:{m.column}"


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


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
