"""Looking at the screen: observers, waiting for targets, and self-healing."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from screenpilot.agent.killswitch import KillSwitch
from screenpilot.agent.run_recorder import RunRecorder
from screenpilot.environments.base import Environment
from screenpilot.environments.observation import Observation
from screenpilot.model.policy import Grounder
from screenpilot.tools.errors import ModelOutputError, TargetNotFound
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.workflows.frame import Frame
from screenpilot.workflows.resolver import TargetResolver, screen_box
from screenpilot.workflows.schema import Observer
from screenpilot.workflows.targets import AnyTarget, describe, grounding_query

FoundBy = Literal["found", "fallback", "healed"]
RunObserverSteps = Callable[[Frame, Observer], None]
ClearPopups = Callable[[Observation, str], Observation]
"""Dismisses popups on an observation (the text says what the step looks for); the screen after."""

_SUMMARY_ITEMS = 15


@dataclass(frozen=True)
class Found:
    """A target located on an observation."""

    obs: Observation
    candidate: Candidate
    how: FoundBy


def screen_summary(obs: Observation) -> str:
    """What was on the screen, for "not found" messages: title and visible labels."""
    labels: list[str] = []
    for el in obs.elements:
        label = el.label.strip()
        if el.visible and label and label not in labels:
            labels.append(label)
    where = obs.title or obs.url or obs.app or "the screen"
    if not labels:
        return f"{where!r} (no element text available)"
    shown = ", ".join(repr(x[:40]) for x in labels[:_SUMMARY_ITEMS])
    more = f" and {len(labels) - _SUMMARY_ITEMS} more" if len(labels) > _SUMMARY_ITEMS else ""
    return f"{where!r} showing {shown}{more}"


@dataclass
class Locator:
    """Observes the environment, fires observers, and waits for targets.

    Attributes:
        env: Where to look.
        resolver: Finds targets on observations.
        record: Where observer firings are written.
        run_observer: Runs an observer's steps (the runner's step executor).
        grounder: Re-finds targets when a step heals (``on_fail: model``).
        kill_switch: Checked while waiting.
        clear_popups: Dismisses popups the popup handler recognises, after observers ran.
        poll_override: Seconds between looks when set (tests); else the workflow's default.
    """

    env: Environment
    resolver: TargetResolver
    record: RunRecorder
    run_observer: RunObserverSteps
    grounder: Grounder | None = None
    kill_switch: KillSwitch | None = None
    clear_popups: ClearPopups | None = None
    in_observer: bool = False
    counts: dict[int, int] = field(default_factory=dict)
    last_obs: Observation | None = None
    looking_for: str = ""
    """What the current step looks for (popups naming it are left alone)."""

    def observe(self, frame: Frame) -> Observation:
        """A fresh observation, after any observer whose target is showing has run and the
        popups the popup handler recognises were dismissed."""
        obs = self.last_obs = self.env.observe()
        if self.in_observer:
            return obs
        for _ in range(sum(o.max_times for o in frame.observers) + 1):
            fired = self._fire_one(frame, obs)
            if not fired:
                break
            obs = self.last_obs = self.env.observe()
        if self.clear_popups is not None:
            obs = self.last_obs = self.clear_popups(obs, self.looking_for)
        return obs

    def observer_showing(self, frame: Frame) -> bool:
        """Look at the screen now: whether an observer would fire (it fires at the next look)."""
        obs = self.last_obs = self.env.observe()
        return not self.in_observer and any(
            self.counts.get(id(o), 0) < o.max_times and self.resolver.find(obs, o.when)
            for o in frame.observers
        )

    def _fire_one(self, frame: Frame, obs: Observation) -> bool:
        for observer in frame.observers:
            key = id(observer)
            if self.counts.get(key, 0) >= observer.max_times:
                continue
            if not self.resolver.find(obs, observer.when):
                continue
            self.counts[key] = self.counts.get(key, 0) + 1
            self.record.event("observer_fired", observer=observer.name, times=self.counts[key])
            self.in_observer = True
            try:
                self.run_observer(frame, observer)
            finally:
                self.in_observer = False
            return True
        return False

    def wait_for(self, frame: Frame, target: AnyTarget, timeout: float, *, step: str) -> Found:
        """Wait until ``target`` is on the screen; then its fallback; then give up.

        Raises:
            TargetNotFound: Naming the step, the target and what was on the screen.
        """
        deadline = time.monotonic() + timeout
        self.looking_for = describe(target)
        obs = self.observe(frame)
        while True:
            found = self.resolver.find(obs, target)
            if found:
                return Found(obs, found[0], "found")
            if time.monotonic() >= deadline:
                break
            self._sleep(min(frame.defaults.poll_interval, max(0.0, deadline - time.monotonic())))
            obs = self.observe(frame)
        fallback = target.fallback
        while fallback is not None:
            found = self.resolver.find(obs, fallback)
            if found:
                return Found(obs, found[0], "fallback")
            fallback = fallback.fallback
        raise TargetNotFound(
            f"step {step}: {describe(target)} not found within {timeout:g}s; on screen: {screen_summary(obs)}"
        )

    def wait_gone(self, frame: Frame, target: AnyTarget, timeout: float) -> tuple[bool, Observation]:
        """Wait until ``target`` is no longer on the screen; ``(gone, last observation)``."""
        deadline = time.monotonic() + timeout
        while True:
            obs = self.observe(frame)
            if not self.resolver.find(obs, target):
                return True, obs
            if time.monotonic() >= deadline:
                return False, obs
            self._sleep(min(frame.defaults.poll_interval, max(0.0, deadline - time.monotonic())))

    def heal(self, frame: Frame, target: AnyTarget, *, step: str) -> Found:
        """Ask the grounding model where the target went.

        Raises:
            TargetNotFound: When no grounder is configured or it finds nothing.
        """
        obs = self.observe(frame)
        if self.grounder is None:
            raise TargetNotFound(
                f"step {step}: cannot heal {describe(target)}: no grounding model configured"
            )
        query = grounding_query(target)
        try:
            where = self.grounder.locate(obs, query)
        except ModelOutputError as e:
            raise TargetNotFound(
                f"step {step}: the model could not find {describe(target)} ({e}); "
                f"on screen: {screen_summary(obs)}"
            ) from None
        box = screen_box(obs, where)
        return Found(obs, Candidate(box=box, score=0.5, source="model", why=f"healed: {query}"), "healed")

    def _sleep(self, seconds: float) -> None:
        if self.kill_switch is not None:
            self.kill_switch.sleep(seconds)
        else:
            time.sleep(seconds)
