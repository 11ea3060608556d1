"""One screenpilot run on the counter page; prints its timings as one JSON object.

Run by the driver (``side_by_side``) in the main environment:
``python -m devtools.perf.browser_use.screenpilot_side --url URL [--clicks 10]``

The agent runs with the defaults a user of ``screenpilot run --out DIR`` gets: the default
:class:`AgentConfig` (settle wait, effect checks, loop detection) and the run recorded under
a temporary ``--out`` (``events.jsonl`` plus a PNG per step). The policy is a script: the
button's centre ``clicks`` times, then ``terminate``.

Times (seconds, ``time.perf_counter``):
- ``launch_s``: ``env.reset()`` before the run: Chromium start, the page load, the first
  observation. Not counted in the step time.
- ``steps_s``: from ``agent.run()`` (it starts with step 1's observation) to the end of the
  last click step (its ``on_step`` callback); ``per_step_ms`` is ``steps_s / clicks``.
- ``run_s``: ``agent.run()`` to its return (the terminate step and the result included).
- ``stages_ms``: the click steps' own stage times per step (observe, predict, act, settle,
  effect), from the recorded steps.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from devtools.perf.browser_use.counter_page import BUTTON_CENTER
from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.result import StageTimes, StepEvent
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.model.scripted import ScriptedPolicy
from screenpilot.tools.actions import Action, Click, Terminate
from screenpilot.tools.points import CoordSpace, Point


def run_once(url: str, clicks: int, executable: str) -> dict[str, object]:
    x, y = BUTTON_CENTER
    script: list[Action] = [Click(at=Point(x=x, y=y, space=CoordSpace.SCREEN)) for _ in range(clicks)]
    script.append(Terminate(status="success", reason=f"clicked Add one {clicks} times"))
    env = BrowserEnvironment(BrowserConfig(executable_path=executable, start_url=url))
    ends: list[float] = []
    stages = StageTimes()

    def on_step(event: StepEvent) -> None:
        nonlocal stages
        ends.append(time.perf_counter())
        if len(ends) <= clicks:
            stages = stages + event.times

    try:
        t0 = time.perf_counter()
        env.reset()
        launch_s = time.perf_counter() - t0
        with tempfile.TemporaryDirectory(prefix="sp-bench-") as out:
            agent = Agent(env, ScriptedPolicy(script), AgentConfig(), out_dir=Path(out), on_step=[on_step])
            t1 = time.perf_counter()
            result = agent.run(f"Click 'Add one' {clicks} times", reset=False)
            run_s = time.perf_counter() - t1
        counter = int(env.page.evaluate("() => document.getElementById('count').textContent"))
    finally:
        env.close()
    steps_s = ends[clicks - 1] - t1 if len(ends) >= clicks else float("nan")
    return {
        "framework": "screenpilot",
        "status": result.status,
        "reason": result.reason,
        "steps": result.steps,
        "clicks": clicks,
        "counter": counter,
        "launch_s": launch_s,
        "steps_s": steps_s,
        "per_step_ms": steps_s / clicks * 1000,
        "run_s": run_s,
        "stages_ms": {k: v * 1000 / clicks for k, v in stages.seconds().items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--clicks", type=int, default=10)
    parser.add_argument("--executable", default="/usr/bin/chromium")
    args = parser.parse_args()
    print(json.dumps(run_once(args.url, args.clicks, args.executable)))


if __name__ == "__main__":
    main()
