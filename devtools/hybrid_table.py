"""Model calls and success per task: the hybrid policy against the plain ``qwen3vl`` policy.

Run: ``python -m devtools.hybrid_table [--tasks ID ...] [--out FILE]``

Every task of the hybrid task set (``tests/model/hybrid/tasks.py``: 24 tasks on 6 local
pages, easy, hard, visual and mixed phrasings) runs in headless Chromium twice: with
``--policy qwen3vl`` and with ``--policy hybrid`` (the offline policy first, the same
Qwen3-VL where it gives up). The model is a scripted Qwen3-VL server on 127.0.0.1 that
answers from the page's ground truth (``tests/model/hybrid/oracle.py``), so the counts
measure how often each policy needs a model, not how good a real model is. Success is the
run's status *and* every operation of the task holding on the final page. Prints a
Markdown table for docs/models.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from screenpilot.environments.browser import BrowserConfig
from screenpilot.environments.browser.driver import shared_browser
from tests.model.hybrid.harness import Outcome, run_task, serve_pages
from tests.model.hybrid.tasks import TASKS, HybridTask

POLICIES = ("qwen3vl", "hybrid")


def run_all(tasks: list[HybridTask]) -> list[tuple[HybridTask, Outcome, Outcome]]:
    rows = []
    with shared_browser(BrowserConfig(executable_path="/usr/bin/chromium")), serve_pages() as base:
        for task in tasks:
            plain, hybrid = (run_task(task, p, base, Path(tempfile.mkdtemp())) for p in POLICIES)
            print(f"  {task.id}: qwen3vl {plain.model_calls} calls, hybrid {hybrid.model_calls}", flush=True)
            rows.append((task, plain, hybrid))
    return rows


def who(outcome: Outcome) -> str:
    offline = sum(1 for d in outcome.decided_by if d == "hybrid/offline")
    model = sum(1 for d in outcome.decided_by if d.startswith("hybrid/") and d != "hybrid/offline")
    return f"{offline} offline / {model} model"


def table(rows: list[tuple[HybridTask, Outcome, Outcome]]) -> str:
    def ok(o: Outcome) -> str:
        return "yes" if o.success else f"**no** ({o.status})"

    lines = [
        "| task | phrasing | qwen3vl calls | qwen3vl success | hybrid calls | hybrid success "
        "| hybrid steps decided by |",
        "|---|---|---|---|---|---|---|",
    ]
    for task, plain, hybrid in rows:
        lines.append(
            f"| `{task.id}` | {task.kind} | {plain.model_calls} | {ok(plain)} | {hybrid.model_calls} | "
            f"{ok(hybrid)} | {who(hybrid)} |"
        )
    n = len(rows)
    plain_calls = sum(p.model_calls for _, p, _ in rows)
    hybrid_calls = sum(h.model_calls for _, _, h in rows)
    plain_ok = sum(p.success for _, p, _ in rows)
    hybrid_ok = sum(h.success for _, _, h in rows)
    lines.append(
        f"| **all {n}** | | **{plain_calls / n:.2f}** per task | **{plain_ok}/{n}** | "
        f"**{hybrid_calls / n:.2f}** per task | **{hybrid_ok}/{n}** | |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="*", help="task ids (default: all)")
    parser.add_argument("--out", type=Path, help="also write the table here")
    args = parser.parse_args()
    tasks = [t for t in TASKS if not args.tasks or t.id in args.tasks]
    start = time.monotonic()
    rows = run_all(tasks)
    text = table(rows)
    print(text)
    print(f"\n{len(tasks)} tasks x {len(POLICIES)} policies in {time.monotonic() - start:.0f}s")
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
