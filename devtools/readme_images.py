"""Regenerate the README's screenshots from real runs: ``python -m devtools.readme_images docs/img``.

Records the demo run in the fake environment, writes its report, serves the web UI on a
free local port, grounds a screenshot and plays a live run in it, and captures both pages
with headless Chromium (needs the ``browser`` and ``ui`` extras and ``/usr/bin/chromium``
or Playwright's own Chromium).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from screenpilot.app.report.episode import write_episode_report
from screenpilot.app.report.sample_runs import demo_env, demo_script, record_demo_run
from screenpilot.app.report.summary import write_benchmark_report
from screenpilot.environments.browser.config import QUIET_ARGS
from screenpilot.model.types import Decision


def _script_file(path: Path) -> Path:
    """The demo's actions as a script file for the ``script`` policy."""
    lines = [
        json.dumps(a.model_dump(mode="json"))
        for item in demo_script(demo_env())
        if isinstance(item, Decision)
        for a in item.actions
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _benchmark(root: Path) -> Path:
    """A small benchmark directory: three demo sign-ins and two give-ups on another task."""
    from screenpilot.agent.loop import Agent
    from screenpilot.environments.fake import FakeEnvironment
    from screenpilot.model.scripted import ScriptedPolicy
    from screenpilot.tools.actions import Terminate

    for i in range(3):
        record_demo_run(root / "runs", run_id=f"login-{i}")
    for i in range(2):
        policy = ScriptedPolicy([Terminate(status="failure", reason="no settings tab found")])
        agent = Agent(
            FakeEnvironment(), policy, out_dir=root / "runs", manifest_extra={"task_name": "settings"}
        )
        agent.run("Turn on email notifications", run_id=f"settings-{i}")
    return write_benchmark_report(root)


def capture(out_dir: Path, *, chromium: str | None = "/usr/bin/chromium") -> list[Path]:
    """Write ``report.png``, ``summary.png``, ``ui.png`` and ``ui-live.png`` into ``out_dir``."""
    from screenpilot.app.ui.app import UISettings, create_app
    from screenpilot.app.ui.server import BackgroundServer
    from screenpilot.environments.browser.driver import playwright_driver

    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="screenpilot-shots-"))
    try:
        runs = work / "runs"
        result = record_demo_run(runs, run_id="demo")
        assert result.run_dir is not None
        report = write_episode_report(result.run_dir)
        script = _script_file(work / "demo.jsonl")
        first_step = json.loads((result.run_dir / "events.jsonl").read_text(encoding="utf-8").splitlines()[1])
        shot = result.run_dir / "shots" / f"{first_step['screenshot']}.png"
        settings = UISettings(
            runs_dir=runs,
            default_policy="script",
            default_policy_options={"file": str(script)},
            default_env="fake",
        )
        with playwright_driver() as p, BackgroundServer(create_app(settings)) as server:
            exe = chromium if chromium and Path(chromium).exists() else None
            browser = p.chromium.launch(executable_path=exe, args=list(QUIET_ARGS))
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(report.as_uri())
            page.locator("#step-6 details.raw summary").click()
            page.locator(".chip", has_text="6").click()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(out_dir / "report.png"))
            page.goto(_benchmark(work / "demo-benchmark").as_uri())
            page.screenshot(path=str(out_dir / "summary.png"))
            page.goto(server.url)
            page.wait_for_selector("#ground-policy option[value=script]", state="attached")
            page.set_input_files("#image-input", str(shot))
            page.fill("#instruction", "Click the username field")
            page.click("#ground-btn")
            page.wait_for_selector("#ground-summary")
            page.screenshot(path=str(out_dir / "ui.png"))
            page.click("button[data-tab=run]")
            page.fill("#task", "Sign in as alice")
            page.fill("#env-options", "scale_factor=1.5")
            page.click("#run-btn")
            page.wait_for_selector("#live-report", timeout=30_000)
            page.screenshot(path=str(out_dir / "ui-live.png"))
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [out_dir / n for n in ("report.png", "summary.png", "ui.png", "ui-live.png")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path, nargs="?", default=Path("docs/img"))
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium executable")
    args = parser.parse_args()
    for path in capture(args.out_dir, chromium=args.chromium):
        print(path)


if __name__ == "__main__":
    main()
