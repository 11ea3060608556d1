"""Open applications by desktop-entry name or by command.

``open_app("Text Editor")`` looks for a ``.desktop`` entry whose file name or ``Name=``
matches (case-insensitive) in the ``applications/`` folders of the XDG data directories,
and runs its ``Exec=`` line with the field codes (``%f``, ``%U`` ...) removed. Anything
else is split like a shell command line (no shell is involved) and must name a program
on ``PATH``.
"""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from screenpilot.tools.errors import DriverError

_FIELD_CODES = {"%f", "%F", "%u", "%U", "%d", "%D", "%n", "%N", "%i", "%c", "%k", "%v", "%m"}


def default_app_dirs(environ: Mapping[str, str]) -> tuple[Path, ...]:
    """``applications/`` under ``$XDG_DATA_HOME`` and ``$XDG_DATA_DIRS`` (with their defaults)."""
    home = Path(environ.get("XDG_DATA_HOME") or Path(environ.get("HOME", "~")).expanduser() / ".local/share")
    dirs = environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    return tuple(p / "applications" for p in [home, *(Path(d) for d in dirs.split(":") if d)])


def read_desktop_entry(path: Path) -> dict[str, str]:
    """The ``[Desktop Entry]`` group of a ``.desktop`` file (empty when unreadable)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    try:
        parser.read_string(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, configparser.Error):
        return {}
    return dict(parser["Desktop Entry"]) if parser.has_section("Desktop Entry") else {}


def exec_argv(exec_line: str) -> list[str]:
    """The argument list of an ``Exec=`` value, field codes removed, ``%%`` unescaped."""
    return [a.replace("%%", "%") for a in shlex.split(exec_line) if a not in _FIELD_CODES]


def find_desktop_entry(name: str, dirs: Sequence[Path]) -> dict[str, str] | None:
    """The entry whose file stem or ``Name`` equals ``name`` (case-insensitive)."""
    wanted = name.casefold().removesuffix(".desktop")
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.desktop")):
            entry = read_desktop_entry(path)
            if not entry or entry.get("Type", "Application") != "Application" or "Exec" not in entry:
                continue
            if wanted in (path.stem.casefold(), entry.get("Name", "").casefold()):
                return entry
    return None


def resolve_command(name: str, dirs: Sequence[Path]) -> list[str]:
    """The argv that opens ``name``.

    Raises:
        DriverError: When ``name`` is neither a desktop entry nor a program on ``PATH``.
    """
    entry = find_desktop_entry(name, dirs)
    if entry is not None:
        argv = exec_argv(entry["Exec"])
        if argv:
            return argv
    try:
        argv = shlex.split(name)
    except ValueError as e:
        raise DriverError(f"cannot parse the command {name!r}: {e}") from e
    if not argv or shutil.which(argv[0]) is None:
        raise DriverError(f"no application or program named {name!r} (searched {len(dirs)} folders and PATH)")
    return argv


def launch(argv: list[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """Start a program detached from our terminal (its own session; output discarded)."""
    try:
        return subprocess.Popen(
            argv,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as e:
        raise DriverError(f"could not start {argv[0]!r}: {e}") from e
