"""Where and how a documentation example runs: a scratch directory per doc file that looks
like a checkout (``examples/``, ``app/``, ``scripts/`` ... are links to the real ones), the
project's virtual environment first on ``PATH``, no user configuration, a private X server."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.docs.fences import PYTHON, ROOT, Block, shell_script

LINKED = ("examples", "app", "scripts", "devtools", "tests", ".venv", "pyproject.toml")
"""What a block may refer to by a path relative to the checkout."""

TIMEOUT_S = 300
_URL = re.compile(r"https?://[\w.\[\]:-]+(?::\d+)?/?\S*")


@dataclass
class Outcome:
    returncode: int
    output: str
    seconds: float


def make_sandbox(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = path / name
        if not link.exists() and (ROOT / name).exists():
            link.symlink_to(ROOT / name)
    return path


def block_environ(sandbox: Path, display: str | None) -> dict[str, str]:
    """The environment a block runs in: a user's shell with no screenpilot settings of its own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SCREENPILOT_", "OPENAI_", "PYTEST_")) and k not in {"DISPLAY", "PYTHONPATH"}
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_CONFIG_HOME"] = str(sandbox / ".config")
    env["PYTHONUNBUFFERED"] = "1"
    if display:
        env["DISPLAY"] = display
    return env


def run_block(block: Block, sandbox: Path, display: str | None) -> Outcome:
    """Run a shell block with bash (stopping at the first failing command) or a Python block
    with the project's interpreter, in ``sandbox``."""
    name = f"example_{block.path.stem}_{block.line}"
    if block.lang in PYTHON:
        script = sandbox / f"{name}.py"
        script.write_text(block.code, encoding="utf-8")
        argv = [sys.executable, script.name]
    else:
        script = sandbox / f"{name}.sh"
        script.write_text("set -eo pipefail\n" + shell_script(block), encoding="utf-8")
        argv = ["bash", script.name]
    t0 = time.monotonic()
    proc = subprocess.Popen(
        argv,
        cwd=sandbox,
        env=block_environ(sandbox, display),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        out += f"\n[timed out after {TIMEOUT_S}s]"
    finally:
        _kill_leftovers(proc.pid)
    return Outcome(proc.returncode, out, time.monotonic() - t0)


def run_until_interrupted(block: Block, sandbox: Path, display: str | None) -> Outcome:
    """Start a serving command, wait for the URL it announces, fetch it, then press Ctrl+C
    (SIGINT to its process group, as a terminal does)."""
    t0 = time.monotonic()
    proc = subprocess.Popen(
        ["bash", "-c", shell_script(block)],
        cwd=sandbox,
        env=block_environ(sandbox, display),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        url = None
        while url is None:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            found = _URL.search(line)
            url = found.group(0).rstrip(".,;)") if found else None
        if url is not None:
            with urllib.request.urlopen(url, timeout=30) as response:
                lines.append(f"[GET {url} -> {response.status}]\n")
        os.killpg(proc.pid, signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
        lines.append(rest)
    except (subprocess.TimeoutExpired, OSError) as e:
        os.killpg(proc.pid, signal.SIGKILL)
        lines.append(f"[{type(e).__name__}: {e}]")
        proc.wait()
    finally:
        _kill_leftovers(proc.pid)
    return Outcome(proc.returncode, "".join(lines), time.monotonic() - t0)


def _kill_leftovers(session: int) -> None:
    """Stop whatever a block left running in its session (a server started with ``&``)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(session, signal.SIGKILL)
