"""What the command prints and returns when something goes wrong: one line naming the
cause and the fix, and the exit code of the failure's type (never of its message).

Classes map to codes in :data:`EXIT_BY_TYPE`; the most specific class of an error's MRO
that is listed wins, so a new error class inherits its parent's code and a verb that
needs another code for its own class adds one line here.
"""

from __future__ import annotations

import sys
import traceback
from typing import TextIO

from pydantic import ValidationError

from screenpilot.app.cli.exit_codes import ExitCode
from screenpilot.app.cli.extras_hint import install_hint
from screenpilot.tools import errors

EXIT_BY_TYPE: dict[type[BaseException], ExitCode] = {
    KeyboardInterrupt: ExitCode.ABORTED,
    errors.Aborted: ExitCode.ABORTED,
    errors.ConfigError: ExitCode.USAGE,
    ValidationError: ExitCode.USAGE,
    ModuleNotFoundError: ExitCode.USAGE,
    FileNotFoundError: ExitCode.USAGE,
    IsADirectoryError: ExitCode.USAGE,
    NotADirectoryError: ExitCode.USAGE,
    PermissionError: ExitCode.USAGE,
    errors.ScreenpilotError: ExitCode.ERROR,
    BaseException: ExitCode.ERROR,
}


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit code of ``error``: that of the most specific listed class in its MRO."""
    for cls in type(error).__mro__:
        if cls in EXIT_BY_TYPE:
            return EXIT_BY_TYPE[cls]
    return ExitCode.ERROR


def error_class(name: str | None) -> type[BaseException] | None:
    """The class of screenpilot's error tree called ``name`` (as runs record it), if any."""
    found = getattr(errors, name or "", None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def describe(error: BaseException) -> str:
    """One line: what went wrong, and how to fix it where the error says."""
    if isinstance(error, KeyboardInterrupt):
        return "aborted: interrupted"
    if isinstance(error, errors.Aborted):
        return f"aborted: {error}"
    if isinstance(error, ModuleNotFoundError):
        return f"this needs {error.name or 'a module'!r}, which is not installed: {install_hint(error.name)}"
    if isinstance(error, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in error.errors()
        )
        return f"invalid {error.title}: {problems}"
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.strerror or type(error).__name__}: {error.filename}"
    text = " ".join(str(error).split())
    if isinstance(error, errors.ScreenpilotError):
        return text or type(error).__name__
    return f"unexpected {type(error).__name__}: {text} (run with --debug for the traceback)"


def report(error: BaseException, *, debug: bool, stream: TextIO | None = None) -> int:
    """Print ``error`` (one line; the traceback too with ``debug``) and return its exit code."""
    out = stream or sys.stderr
    if debug and not isinstance(error, KeyboardInterrupt):
        traceback.print_exception(error, file=out)
    prefix = "" if exit_code_for(error) == ExitCode.ABORTED else "error: "
    print(f"screenpilot: {prefix}{describe(error)}", file=out, flush=True)
    return int(exit_code_for(error))
