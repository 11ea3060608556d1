"""A run that steps forever, for the SIGKILL test (run as a subprocess)."""

import sys
import time
from pathlib import Path

from screenpilot.agent.config import AgentConfig, LoopConfig
from screenpilot.agent.loop import Agent
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.tools.actions import KeyPress


def slow_tab(task, obs, history, feedback):
    time.sleep(0.05)
    return KeyPress(keys=("tab",))


if __name__ == "__main__":
    config = AgentConfig(max_steps=100_000, settle_timeout_s=0, loop=LoopConfig(enabled=False))
    Agent(FakeEnvironment(), FunctionPolicy(slow_tab), config, out_dir=Path(sys.argv[1])).run(
        "tab forever", run_id="victim"
    )
