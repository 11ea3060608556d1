"""The device shell: runs parsed command lines against a :class:`SimDevice`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from screenpilot.environments.android.simulator.commands import COMMANDS
from screenpilot.environments.android.simulator.device import SimDevice
from screenpilot.environments.android.simulator.shparse import Command, ShellSyntaxError, parse


@dataclass
class Result:
    """What a command wrote and how it exited."""

    stdout: bytes = b""
    stderr: bytes = b""
    code: int = 0
    extra: list[bytes] = field(default_factory=list)


Handler = Callable[[SimDevice, list[str], bytes], Result]


def _grep(argv: list[str], stdin: bytes) -> Result:
    args = [a for a in argv[1:] if not a.startswith("-")]
    if not args:
        return Result(stderr=b"usage: grep PATTERN\n", code=2)
    pattern = re.compile(args[0])
    lines = [ln for ln in stdin.decode("utf-8", "replace").splitlines() if pattern.search(ln)]
    return Result(stdout="".join(f"{ln}\n" for ln in lines).encode(), code=0 if lines else 1)


def _run_one(device: SimDevice, cmd: Command, stdin: bytes) -> Result:
    name = cmd.argv[0]
    if name == "grep":
        result = _grep(cmd.argv, stdin)
    elif name in COMMANDS:
        out, err, code = COMMANDS[name](device, cmd.argv, stdin)
        result = Result(out, err, code)
    else:
        result = Result(stderr=f"/system/bin/sh: {name}: inaccessible or not found\n".encode(), code=127)
    if cmd.redirect is not None:
        if cmd.redirect != "/dev/null":
            with device.lock:
                device.state.files[cmd.redirect] = result.stdout
        result.stdout = b""
    return result


def run(device: SimDevice, line: str) -> Result:
    """Run ``line`` as ``sh -c`` would; output of all commands is concatenated."""
    try:
        pipelines = parse(line)
    except ShellSyntaxError as e:
        return Result(stderr=f"/system/bin/sh: {e}\n".encode(), code=2)
    total = Result()
    last = 0
    for pipe in pipelines:
        if (pipe.condition == "&&" and last != 0) or (pipe.condition == "||" and last == 0):
            continue
        data = b""
        result = Result()
        for cmd in pipe.commands:
            result = _run_one(device, cmd, data)
            data = result.stdout
            total.stderr += result.stderr
        total.stdout += result.stdout
        last = result.code
    total.code = last
    return total
