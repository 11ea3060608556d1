"""The exit codes of the ``screenpilot`` command: one table, used by every verb and
printed in the README (a test checks that the two agree)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a ``screenpilot`` process's exit status means."""

    SUCCESS = 0
    FAILURE = 1
    USAGE = 2
    TRUNCATED = 3
    TIMEOUT = 4
    LOOP = 5
    ERROR = 6
    ABORTED = 130


MEANING: dict[ExitCode, str] = {
    ExitCode.SUCCESS: "success",
    ExitCode.FAILURE: "the task failed (also: a benchmark under `--fail-under`, a failed `doctor` check)",
    ExitCode.USAGE: "usage or configuration error: a bad flag or value, an unknown name, a missing "
    "extra, a file that is not there, a port in use, a model server that refuses the key",
    ExitCode.TRUNCATED: "the step budget ran out (`truncated`)",
    ExitCode.TIMEOUT: "the time budget ran out (`timeout`)",
    ExitCode.LOOP: "the agent repeated itself (`loop`)",
    ExitCode.ERROR: "the run could not go on: the model server is unreachable, the environment "
    "broke, an unexpected error (`--debug` shows the traceback)",
    ExitCode.ABORTED: "aborted: Ctrl+C, SIGTERM, `--abort-file` or the desktop's abort hotkey",
}
"""One line per code, as the README's table says it."""

EXIT_CODES: dict[str, int] = {
    "success": ExitCode.SUCCESS,
    "failure": ExitCode.FAILURE,
    "truncated": ExitCode.TRUNCATED,
    "timeout": ExitCode.TIMEOUT,
    "loop": ExitCode.LOOP,
    "error": ExitCode.ERROR,
    "aborted": ExitCode.ABORTED,
}
"""The exit code of a run, by its status."""

EXIT_USAGE = int(ExitCode.USAGE)
