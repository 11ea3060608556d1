"""No library behaviour is keyed on a platform's name; callers ask the capabilities.

A platform name is informative (records, messages). Branching on it would mean a new
driver (VNC, Windows UI Automation, iOS) needs edits wherever the branch is; so every
comparison in library code is checked: none may involve an environment's ``.platform``
(``sys.platform``, the operating system, is another matter) or a built-in environment's
name as a literal.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ("tools", "environments", "model", "agent", "workflows", "benchmarks", "app", "screenpilot")
ENVIRONMENT_NAMES = frozenset({"android", "browser", "desktop", "fake"})


def _is_env_platform(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "platform"
        and not (isinstance(node.value, ast.Name) and node.value.id == "sys")
    )


def _names_an_environment(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in ENVIRONMENT_NAMES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_names_an_environment(e) for e in node.elts)
    return False


def platform_branches(tree: ast.AST) -> list[int]:
    """Line numbers of comparisons and ``match`` statements keyed on a platform name."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            inner = [n for op in operands for n in ast.walk(op)]
            if any(_is_env_platform(n) for n in inner) or any(_names_an_environment(op) for op in operands):
                lines.append(node.lineno)
        elif isinstance(node, ast.Match) and any(_is_env_platform(n) for n in ast.walk(node.subject)):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_detector_sees_name_branches_and_lets_capabilities_pass() -> None:
    flagged = """
if observation.platform == "android": pass
if env.capabilities.platform in ("browser", "webview"): pass
if kind != "desktop": pass
match obs.platform.lower():
    case _: pass
"""
    assert platform_branches(ast.parse(flagged)) == [2, 3, 4, 5]
    allowed = """
if caps.input == "touch" and caps.scripting and "navigate" in caps.actions: pass
if sys.platform == "darwin": pass
label = f"on {caps.platform}"
"""
    assert platform_branches(ast.parse(allowed)) == []


def test_library_code_never_branches_on_a_platform_name() -> None:
    found = []
    for layer in LIBRARY:
        for path in sorted((ROOT / layer).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            found += [f"{path.relative_to(ROOT)}:{line}" for line in platform_branches(tree)]
    assert found == []
