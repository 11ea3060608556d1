"""The MiniWoB++ page protocol: seeded starts, the instruction, the reward and done flags.

Written against any object with ``goto(url)`` and ``evaluate(js, arg)`` (the browser
environment), so it drives the same browser a user's run gets.
"""

from __future__ import annotations

import json
import time
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from screenpilot.tools.errors import EnvTimeout

_LOADED_JS = (
    "() => typeof core !== 'undefined' && typeof genProblem === 'function'"
    " && document.getElementById('sync-task-cover') !== null"
)
# Seed first: genProblem draws from Math.random inside startEpisodeReal. The time limit
# must be set before the start too, because startEpisodeReal arms the page's timer.
_START_JS = """(a) => {
  Math.seedrandom(a.seed);
  if (a.max_time_ms !== null) { core.EPISODE_MAX_TIME = a.max_time_ms; }
  const limit = core.EPISODE_MAX_TIME;
  core.startEpisodeReal();
  return limit;
}"""
_READY_JS = "() => WOB_TASK_READY === true"
# The harness's own panels are not part of the task's app: the instruction display (the
# policy gets the instruction as text), the reward display and the click canvas beside it.
# data-sp-outside tells the element collector, and so every grounder, to leave them out.
# The page is then scrolled back to the task area (opening a dialog can scroll it away).
_PREPARE_JS = """() => {
  const harness = ['query', 'query-wrap', 'query-pretty', 'reward-reason', 'reward-display', 'click-canvas'];
  for (const id of harness) {
    const el = document.getElementById(id);
    if (el) el.setAttribute('data-sp-outside', id.startsWith('query') ? 'instruction' : 'harness');
  }
  const root = document.scrollingElement || document.documentElement;
  root.scrollLeft = 0;
  root.scrollTop = 0;
  window.scrollTo(0, 0);
  return [root.scrollLeft, root.scrollTop];
}"""
_TASK_AREA_JS = """() => {
  const wrap = document.getElementById('wrap');
  if (!wrap) return null;
  const r = wrap.getBoundingClientRect();
  return [Math.ceil(r.right + window.scrollX), Math.ceil(r.bottom + window.scrollY)];
}"""
_UTTERANCE_JS = "() => core.getUtterance()"
_STATUS_JS = """() => ({
  done: WOB_DONE_GLOBAL === true,
  raw: Number(WOB_RAW_REWARD_GLOBAL),
  reward: Number(WOB_REWARD_GLOBAL),
  reason: WOB_REWARD_REASON === null || WOB_REWARD_REASON === undefined ? '' : String(WOB_REWARD_REASON)
})"""


@runtime_checkable
class PageDriver(Protocol):
    """What this module needs from an environment."""

    def goto(self, url: str) -> Any: ...

    def evaluate(self, js: str, arg: Any = None) -> Any: ...


class EpisodeStatus(BaseModel):
    """The page's reward globals.

    Attributes:
        done: ``WOB_DONE_GLOBAL``.
        raw_reward: ``WOB_RAW_REWARD_GLOBAL`` (success when > 0).
        reward: ``WOB_REWARD_GLOBAL`` (scaled down by elapsed time).
        reason: ``WOB_REWARD_REASON``.
    """

    model_config = ConfigDict(frozen=True)

    done: bool
    raw_reward: float
    reward: float
    reason: str = ""

    @property
    def success(self) -> bool:
        return self.raw_reward > 0


def render_utterance(value: object) -> str:
    """The instruction as text.

    ``core.getUtterance()`` returns a string, except on a few email tasks that return
    ``{"utterance": ..., "fields": {...}}``; the utterance is what the page shows, so that
    is what the policy gets (the fields only when there is no utterance).
    """
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        text = value.get("utterance")
        if isinstance(text, str) and text.strip():
            return text
        fields = value.get("fields") or {}
        if isinstance(fields, dict):
            return "; ".join(f"{k}: {v}" for k, v in fields.items())
    return json.dumps(value, ensure_ascii=False)


class MiniWoBPage:
    """Drives one MiniWoB++ task page.

    Args:
        driver: The browser environment.
        ready_timeout_s: How long to wait for the page to load and the task to be ready.
        poll_s: Polling interval while waiting.
    """

    def __init__(self, driver: PageDriver, *, ready_timeout_s: float = 15.0, poll_s: float = 0.02) -> None:
        self.driver = driver
        self.ready_timeout_s = ready_timeout_s
        self.poll_s = poll_s

    def _wait(self, js: str, what: str) -> None:
        deadline = time.monotonic() + self.ready_timeout_s
        while not self.driver.evaluate(js):
            if time.monotonic() > deadline:
                raise EnvTimeout(f"MiniWoB++ page: {what} not within {self.ready_timeout_s:g}s")
            time.sleep(self.poll_s)

    def load(self, url: str) -> None:
        """Open a task page and wait until its script is ready to start an episode."""
        self.driver.goto(url)
        self._wait(_LOADED_JS, "the task script was not loaded")

    def start(self, seed: int, max_time_ms: int | None = None) -> int:
        """Start a seeded episode and wait for ``WOB_TASK_READY``.

        Args:
            seed: Seed for ``Math.seedrandom``.
            max_time_ms: Replace the page's own time limit (``None`` keeps it).

        Returns:
            The time limit in force, in milliseconds.
        """
        limit = int(self.driver.evaluate(_START_JS, {"seed": seed, "max_time_ms": max_time_ms}))
        self._wait(_READY_JS, "WOB_TASK_READY did not become true")
        return limit

    def task_area(self) -> tuple[int, int] | None:
        """Width and height (CSS px) a viewport needs to show the task area whole."""
        size = self.driver.evaluate(_TASK_AREA_JS)
        if not size:
            return None
        return int(size[0]), int(size[1])

    def prepare(self) -> None:
        """Mark the harness's panels as not part of the app and scroll to the task area."""
        self.driver.evaluate(_PREPARE_JS)

    def instruction(self) -> str:
        return render_utterance(self.driver.evaluate(_UTTERANCE_JS))

    def status(self) -> EpisodeStatus:
        data = self.driver.evaluate(_STATUS_JS)
        return EpisodeStatus(
            done=data["done"], raw_reward=data["raw"], reward=data["reward"], reason=data["reason"]
        )

    def dom_info(self) -> dict[str, Any]:
        """``core.getDOMInfo()``: every visible element with its box (for ground truth)."""
        info: dict[str, Any] = self.driver.evaluate("() => core.getDOMInfo()")
        return info
