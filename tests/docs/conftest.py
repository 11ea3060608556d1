"""Prints the documentation examples that were skipped, and why."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.docs.test_docs_examples import SKIPPED

    if SKIPPED:
        terminalreporter.write_sep("-", f"documentation examples skipped ({len(SKIPPED)})")
        for line in SKIPPED:
            terminalreporter.write_line(line)
