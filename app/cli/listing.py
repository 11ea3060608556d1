"""``screenpilot list``: the registered environments, policies, grounders and benchmarks.

Only the registries' specs are read (names, summaries, extras); no target is imported.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from screenpilot.agent.entries import EntrySpec


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "list",
        help="list environments, policies, grounders and benchmarks",
        description="List every registered environment, policy, grounder and benchmark (plug-ins "
        "included) with a one-line summary, and say which extra installs what is missing.",
        epilog="examples:\n  screenpilot list\n",
    )
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from screenpilot.agent.registry import available
    from screenpilot.benchmarks.registry import available_benchmarks

    sections = {kind: available(kind) for kind in ("environments", "policies", "grounders")}
    sections["benchmarks"] = available_benchmarks()
    for kind, entries in sections.items():
        print(f"{kind}:")
        for name, spec in sorted(entries.items()):
            print(f"  {name:<16} {spec.summary}{_install_note(spec)}")
    return 0


def _install_note(spec: EntrySpec) -> str:
    from screenpilot.agent.extras import missing_requirements

    if spec.extra is None:
        return ""
    missing = missing_requirements(spec.extra, spec.distribution)
    return f"  (not installed: {spec.install_hint()})" if missing else ""
