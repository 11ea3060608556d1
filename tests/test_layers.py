"""Imports point one way: a layer imports only itself and the layers below it.

Every import in every module counts, lazy ones inside functions and ``TYPE_CHECKING``
blocks included: a handler that imports upward at run time couples the layers as much as a
module-level import does.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LAYERS = ("tools", "environments", "model", "agent", "workflows", "benchmarks", "app")
"""Low to high; the folder of each is installed as ``screenpilot.<layer>``."""

ALWAYS_ALLOWED = {"screenpilot._version"}
"""The version string: the root package is imported by every sub-package anyway."""


def _layer_folders() -> list[str]:
    return sorted(
        p.parent.name
        for p in ROOT.glob("*/__init__.py")
        if p.parent.name not in {"screenpilot", "tests", "devtools"}
    )


def _imports(path: Path) -> list[tuple[int, str]]:
    """Absolute module names imported by ``path`` (``from x import y`` counts ``x.y`` too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
    return out


def _target_layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "screenpilot" or len(parts) < 2 or module in ALWAYS_ALLOWED:
        return None
    return parts[1] if parts[1] in LAYERS else "screenpilot"


def upward_imports(layer: str, folder: Path, root: Path = ROOT) -> list[str]:
    """``file:line imports module`` for every import of a higher layer (or the root facade)."""
    rank = LAYERS.index(layer)
    bad = []
    for path in sorted(folder.rglob("*.py")):
        for line, module in _imports(path):
            target = _target_layer(module)
            if target is None:
                continue
            if target == "screenpilot" or LAYERS.index(target) > rank:
                bad.append(f"{path.relative_to(root)}:{line} imports {module}")
    return bad


def test_every_package_folder_is_a_known_layer() -> None:
    assert _layer_folders() == sorted(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_no_upward_import(layer: str) -> None:
    assert upward_imports(layer, ROOT / layer) == []


def test_no_module_uses_the_old_top_level_names() -> None:
    old = {*LAYERS, "screenpilot"} - {"screenpilot"}
    offenders = []
    for folder in [*LAYERS, "screenpilot", "tests", "devtools"]:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, module in _imports(path):
                if module.split(".")[0] in old:
                    offenders.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert offenders == []


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "bad.py").write_text(
        "def handler():\n    from screenpilot.app.cli.main import main\n    return main\n"
    )
    (folder / "fine.py").write_text("from screenpilot.tools.actions import Click\nimport os\n")
    assert upward_imports("model", folder, tmp_path) == ["model/bad.py:2 imports screenpilot.app.cli.main"]
