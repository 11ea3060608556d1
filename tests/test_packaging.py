"""The wheel installs one import name, ``screenpilot``, and nothing from the maintainer tools."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("screenpilot-*.whl")
    return path


@pytest.mark.slow
def test_the_wheel_has_one_top_level_import_name(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        top_level = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
        assert top_level == {"screenpilot"}
        info = next(n for n in names if n.endswith(".dist-info/top_level.txt"))
        assert z.read(info).decode().split() == ["screenpilot"]
    for layer in ("tools", "environments", "model", "agent", "workflows", "benchmarks", "app"):
        assert f"screenpilot/{layer}/__init__.py" in names
    assert "screenpilot/app/cli/main.py" in names
    assert "screenpilot/app/report/templates/page.html" in names
    assert "screenpilot/py.typed" in names
    assert not [n for n in names if "devtools" in n or "/perf/" in n or n.startswith("tests/")]


@pytest.mark.slow
def test_the_installed_wheel_imports_and_runs(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "import screenpilot, screenpilot.agent.loop as loop, screenpilot.app.cli.main as cli; "
        "print(screenpilot.__version__, loop.__file__.startswith(sys.argv[1]), cli.main(['list']))"
    )
    # Run outside the checkout, with only the wheel's files on the path for screenpilot.
    out = subprocess.run(
        [sys.executable, "-I", "-c", "import sys; sys.path.insert(0, sys.argv[1]); " + code, str(target)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1].endswith("True 0")
