"""``screenpilot list``: the registered environments and policies."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("list", help="list environments, policies and grounders")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from screenpilot.agent.registry import available

    for kind in ("environments", "policies", "grounders"):
        print(f"{kind}:")
        for name, target in sorted(available(kind).items()):
            print(f"  {name:<16} {target}")
    return 0
