"""``screenpilot demo``: the offline policy signs in to a bundled page in headless Chromium.

Everything is local: the page is served from 127.0.0.1, the OCR models ship inside the
``rapidocr`` wheel, and no model weights or network are needed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from screenpilot.app.cli.common import DEFAULT_MAX_STEPS, DEFAULT_RUNS
from screenpilot.app.cli.parsing import positive_float, positive_int
from screenpilot.app.demo_site import DEMO_TASK

DEFAULT_TASK = DEMO_TASK

EXAMPLES = """\
examples:
  screenpilot demo                      # sign in, open a tab, answer; recorded under runs/
  screenpilot demo --headed --ocr always
  screenpilot demo --task 'type "ada" into User name and click Sign in'
"""


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "demo",
        help="run the offline policy on a bundled page in headless Chromium",
        description="Serve a bundled sign-in page on 127.0.0.1, open it in headless Chromium and "
        "let the offline policy (OCR + page elements, no model) carry out a multi-step task.",
        epilog=EXAMPLES,
    )
    p.add_argument("--task", default=DEFAULT_TASK, help="instruction to follow (default: sign in)")
    p.add_argument("--page", default="login.html", help="bundled page to open first")
    p.add_argument("--ocr", choices=("auto", "always", "off"), default="auto", help="when to read the screen")
    p.add_argument("--headed", action="store_true", help="show the browser window")
    p.add_argument("--max-steps", type=positive_int, default=DEFAULT_MAX_STEPS, help="step budget")
    p.add_argument("--max-seconds", type=positive_float, default=180.0, help="wall-clock budget")
    p.add_argument(
        "--out", type=Path, default=DEFAULT_RUNS, metavar="DIR", help="directory runs are recorded in"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument("--quiet", action="store_true", help="print only the result")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from screenpilot.agent.config import AgentConfig
    from screenpilot.agent.loop import Agent
    from screenpilot.agent.registry import create
    from screenpilot.app.cli.interrupt import cli_kill_switch
    from screenpilot.app.cli.output import StepPrinter
    from screenpilot.app.cli.runs import finish_run, manifest_facts, run_to_end
    from screenpilot.app.demo_site.server import demo_pages, serve_directory

    kill = cli_kill_switch()
    policy = create("policies", "offline", {"ocr": args.ocr})
    with ExitStack() as stack:
        base = stack.enter_context(serve_directory(demo_pages()))
        url = f"{base}/{args.page}"
        env = create("environments", "browser", {"url": url, "headless": not args.headed})
        stack.callback(env.close)
        if not (args.quiet or args.json):
            print(f"serving the demo at {url}\ntask: {args.task}", flush=True)
        agent = Agent(
            env,
            policy,
            AgentConfig(max_steps=args.max_steps, max_seconds=args.max_seconds),
            kill_switch=kill,
            out_dir=args.out,
            on_step=[StepPrinter(quiet=args.quiet or args.json)],
            manifest_extra=manifest_facts(environment="browser", demo_page=args.page),
        )
        result = run_to_end(agent, args.task)
    return finish_run(args, result)
