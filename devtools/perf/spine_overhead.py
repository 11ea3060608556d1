"""CLI start-up time and the agent loop's per-step overhead on the fake environment.

Run: ``python -m devtools.perf.spine_overhead [--runs N] [--steps N]``

Per-step overhead is the agent's time per step minus the time the same environment
calls take without the agent (observe + execute), measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from screenpilot.agent.config import AgentConfig, LoopConfig
from screenpilot.agent.loop import Agent
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.tools.actions import KeyPress

TAB = KeyPress(keys=("tab",))


def cli_startup(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "screenpilot.app.cli.main", "--help"], check=True, capture_output=True
        )
        times.append(time.perf_counter() - t0)
    return times


def bare_env(steps: int) -> float:
    env = FakeEnvironment()
    env.reset()
    t0 = time.perf_counter()
    for _ in range(steps):
        env.observe()
        env.execute(TAB)
    return (time.perf_counter() - t0) / steps


def agent_steps(steps: int, out_dir: Path | None) -> float:
    config = AgentConfig(
        max_steps=steps,
        settle_timeout_s=0.0,
        loop=LoopConfig(enabled=True, stop_after=steps + 1, nudge_after=steps + 1, window=8),
    )
    agent = Agent(FakeEnvironment(), FunctionPolicy(lambda *a: TAB), config, out_dir=out_dir)
    t0 = time.perf_counter()
    result = agent.run("tab")
    assert result.steps == steps, result
    return (time.perf_counter() - t0) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    startup = cli_startup(args.runs)
    print(
        f"screenpilot --help: median {statistics.median(startup) * 1000:.0f} ms "
        f"over {args.runs} runs (min {min(startup) * 1000:.0f} ms)"
    )
    bare, unrecorded, recorded = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            bare.append(bare_env(args.steps))
            unrecorded.append(agent_steps(args.steps, None))
            recorded.append(agent_steps(args.steps, Path(tmp) / str(i)))
    b, u, r = (statistics.median(x) * 1000 for x in (bare, unrecorded, recorded))
    print(f"fake env observe+execute alone: {b:.2f} ms/step")
    print(f"agent loop, no recording:       {u:.2f} ms/step (overhead {u - b:.2f} ms, x{u / b:.2f})")
    print(f"agent loop, full trajectory:    {r:.2f} ms/step (overhead {r - b:.2f} ms, x{r / b:.2f})")


if __name__ == "__main__":
    main()
