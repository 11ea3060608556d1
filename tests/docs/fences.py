"""The runnable examples of README.md and docs/*.md: fenced shell and Python blocks.

A fenced block's info string is its language, optionally followed by words:

- ``needs-<what>`` (``needs-gpu``, ``needs-server``, ``needs-phone``, ``needs-internet``,
  ``needs-root``, ``needs-minutes``): the example needs something a test machine does not
  have; it is listed as skipped, never silently dropped;
- ``until-interrupted``: the command serves until Ctrl+C (the web UI); the test starts it,
  waits for the URL it prints, fetches it and stops it with SIGINT.

Shell blocks are ``bash``, ``sh``, ``shell`` and ``console`` (in a ``console`` block only
the lines after a ``$`` prompt are commands; the rest is sample output). Python blocks are
``python``. Other languages (``yaml``, ``text``, ``toml``, ``json``) are not run, and every
fence must name its language, so that a command cannot hide in an unlabelled block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHELL = frozenset({"bash", "sh", "shell", "console"})
PYTHON = frozenset({"python"})
MODES = frozenset({"until-interrupted"})
NEEDS = frozenset(
    {"needs-gpu", "needs-server", "needs-phone", "needs-internet", "needs-root", "needs-minutes"}
)
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)(?P<info>.*)$")


@dataclass(frozen=True)
class Block:
    """One fenced block."""

    path: Path
    line: int
    lang: str
    words: tuple[str, ...]
    code: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}"

    @property
    def needs(self) -> tuple[str, ...]:
        return tuple(w for w in self.words if w.startswith("needs-"))

    @property
    def runnable(self) -> bool:
        return self.lang in SHELL or self.lang in PYTHON


def doc_files(root: Path = ROOT) -> list[Path]:
    """README.md and every docs/*.md, in a stable order."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, with the line its opening fence is on."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        fence, indent = m["fence"], len(m["indent"])
        info = m["info"].strip().split()
        body: list[str] = []
        start = i + 1
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][indent:] if lines[i][:indent].isspace() else lines[i])
            i += 1
        out.append(Block(path, start, info[0] if info else "", tuple(info[1:]), "\n".join(body) + "\n"))
        i += 1
    return out


def shell_script(block: Block) -> str:
    """The commands of a shell block (a ``console`` block's prompted lines and their continuations)."""
    if block.lang != "console":
        return block.code
    commands: list[str] = []
    continued = False
    for line in block.code.splitlines():
        if continued:
            commands.append(line)
        elif line.startswith("$ "):
            commands.append(line[2:])
        else:
            continue
        continued = line.rstrip().endswith("\\")
    return "\n".join(commands) + "\n"


def runnable_blocks(root: Path = ROOT) -> list[Block]:
    """The shell and Python blocks of every doc file, in document order."""
    return [b for path in doc_files(root) for b in blocks(path) if b.runnable]
