"""``screenpilot demo``: the offline policy signs in to a bundled page in headless Chromium.

Everything is local: the page is served from 127.0.0.1, the OCR models ship inside the
``rapidocr`` wheel, and no model weights or network are needed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

DEFAULT_TASK = (
    'Type "ada" into User name, type "lovelace" into Password, check "Keep me signed in" '
    'and click Sign in, then wait until "Welcome, ada" appears, open the Orders tab, '
    'wait until "open orders" appears and answer "signed in as ada"'
)


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "demo",
        help="run the offline policy on a bundled page in headless Chromium",
        description="Serve a bundled sign-in page on 127.0.0.1, open it in headless Chromium and "
        "let the offline policy (OCR + page elements, no model) carry out a multi-step task.",
    )
    p.add_argument("--task", default=DEFAULT_TASK, help="instruction to follow (default: sign in)")
    p.add_argument("--page", default="login.html", help="bundled page to open first (default: login.html)")
    p.add_argument("--ocr", choices=("auto", "always", "off"), default="auto", help="when to read the screen")
    p.add_argument("--headed", action="store_true", help="show the browser window")
    p.add_argument("--max-steps", type=int, default=30)
    p.add_argument("--max-seconds", type=float, default=180.0)
    p.add_argument("--out", type=Path, help="record the run under this directory")
    p.add_argument("--quiet", action="store_true", help="print only the result")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from screenpilot.agent.config import AgentConfig
    from screenpilot.agent.loop import Agent
    from screenpilot.agent.registry import create
    from screenpilot.app.cli.main import EXIT_CODES
    from screenpilot.app.cli.output import StepPrinter, print_result
    from screenpilot.app.demo_site.server import demo_pages, serve_directory

    policy = create("policies", "offline", {"ocr": args.ocr})
    with serve_directory(demo_pages()) as base:
        url = f"{base}/{args.page}"
        env = create("environments", "browser", {"url": url, "headless": not args.headed})
        try:
            if not args.quiet:
                print(f"serving the demo at {url}\ntask: {args.task}", flush=True)
            agent = Agent(
                env,
                policy,
                AgentConfig(max_steps=args.max_steps, max_seconds=args.max_seconds),
                out_dir=args.out,
                on_step=[StepPrinter(quiet=args.quiet)],
                manifest_extra={"environment": "browser", "demo_page": args.page},
            )
            result = agent.run(args.task)
        finally:
            env.close()
    print_result(result)
    return EXIT_CODES[result.status]
