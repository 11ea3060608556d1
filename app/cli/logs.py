"""Logging for the command line: the standard :mod:`logging` module, set up once.

Library modules log through ``logging.getLogger(__name__)`` (all under ``screenpilot``)
and stay quiet unless something takes noticeably long (loading OCR models or a
checkpoint), which they say at ``INFO``. The command shows:

- by default: ``INFO`` and up from screenpilot, warnings from everything else;
- ``-v``: ``DEBUG`` from screenpilot; ``-vv``: ``DEBUG`` from every library too;
- ``--quiet``: warnings and errors only;
- ``--log-file FILE``: everything at ``DEBUG`` with timestamps, whatever the terminal shows.

Secret values are masked in every record before a handler writes it.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from screenpilot.agent.secrets import SecretStore

_HANDLERS: list[logging.Handler] = []
"""The handlers this module added to the root logger: the command line's one piece of
process state, set up by ``main()`` and removed again when it returns."""


class _Redact(logging.Filter):
    def __init__(self, secrets: SecretStore) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.secrets.redact(record.getMessage())
        record.args = None
        return True


def configure_logging(verbosity: int = 0, *, quiet: bool = False, log_file: Path | None = None) -> None:
    """Route log records to stderr (and ``log_file``) at the levels the flags ask for."""
    reset_logging()
    root = logging.getLogger()
    console = logging.StreamHandler(sys.stderr)
    if verbosity >= 1:
        console.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    else:
        console.setFormatter(logging.Formatter("screenpilot: %(message)s"))
    console.setLevel(logging.WARNING if quiet else logging.DEBUG)
    console.addFilter(_Levels(verbosity))
    _HANDLERS.append(console)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.FileHandler(log_file, encoding="utf-8")
        to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        _HANDLERS.append(to_file)
    for handler in _HANDLERS:
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if log_file is not None or verbosity >= 2 else logging.INFO)
    logging.getLogger("screenpilot").setLevel(logging.DEBUG if log_file or verbosity >= 1 else logging.INFO)


class _Levels(logging.Filter):
    """The terminal's share: screenpilot's own records from INFO (DEBUG with ``-v``), other
    libraries' from WARNING (DEBUG with ``-vv``)."""

    def __init__(self, verbosity: int) -> None:
        super().__init__()
        self.own = logging.DEBUG if verbosity >= 1 else logging.INFO
        self.other = logging.DEBUG if verbosity >= 2 else logging.WARNING

    def filter(self, record: logging.LogRecord) -> bool:
        own = record.name == "screenpilot" or record.name.startswith("screenpilot.")
        return record.levelno >= (self.own if own else self.other)


def reset_logging() -> None:
    """Remove what :func:`configure_logging` added (``main()`` calls it on the way out)."""
    root = logging.getLogger()
    for handler in _HANDLERS:
        root.removeHandler(handler)
        handler.close()
    _HANDLERS.clear()


def redact_secrets(secrets: SecretStore) -> None:
    """Mask ``secrets`` in every record the configured handlers write."""
    for handler in _HANDLERS:
        handler.addFilter(_Redact(secrets))
