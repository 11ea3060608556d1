"""Chromium's launch flags are written down once, in ``environments/browser/config.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from screenpilot.environments.browser.config import QUIET_ARGS, BrowserConfig

ROOT = Path(__file__).resolve().parents[3]
HOME = ROOT / "environments" / "browser" / "config.py"
SKIPPED_DIRS = {"__pycache__", "node_modules", "build", "dist"}
"""Generated trees; hidden folders (``.git``, ``.venv``, caches) are skipped as well."""


def repository_files(root: Path = ROOT) -> Iterator[Path]:
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.name in SKIPPED_DIRS or path.name.endswith(".egg-info"):
            continue
        if path.is_dir() and not path.is_symlink():
            yield from repository_files(path)
        elif path.is_file() and path.stat().st_size < 5_000_000:
            yield path


def test_no_other_file_spells_the_launch_flags() -> None:
    flags = [flag.encode() for flag in QUIET_ARGS]
    scanned, spelled = 0, []
    for path in repository_files():
        scanned += 1
        data = path.read_bytes()
        found = [f.decode() for f in flags if f in data]
        if found and path != HOME:
            spelled.append(f"{path.relative_to(ROOT)}: {', '.join(found)}")
    assert spelled == [], "use screenpilot.environments.browser.config.QUIET_ARGS instead"
    assert scanned > 200  # the walk did reach the repository's files
    assert all(f in HOME.read_bytes() for f in flags)


def test_the_environment_launches_with_them_and_the_extras_after() -> None:
    config = BrowserConfig(launch_args=("--lang=de",))
    assert config.launch_arguments() == [*QUIET_ARGS, "--lang=de"]
