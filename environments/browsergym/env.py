"""A BrowserGym task run as a screenpilot environment.

BrowserGym (``browsergym-core`` and its benchmark packages) wraps each web task in a
Gymnasium environment whose observations are a screenshot, an accessibility tree and
element boxes, and whose actions are calls of its high-level action set. This adapter
turns the observation into an :class:`~environments.observation.Observation` (screenshot,
CSS-pixel geometry, AX-tree elements) and screenpilot actions into BrowserGym action
calls (:mod:`.actions`). The task's reward and ``terminated`` flag are kept for the
benchmark's evaluator. Chromium is the system one with the project's flags (:mod:`.launch`).

BrowserGym's own semantics are kept on purpose, so that results are comparable with
other BrowserGym harnesses: a fresh browser per episode, its wait after each action
(``pre_observation_delay_s``), the task's viewport, ``slow_mo`` and zoom. One repair is
made: the task's viewport is put back after each of BrowserGym's screenshots
(:mod:`.viewport` says why).
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from PIL import Image

from screenpilot.environments.base import Capabilities, SettleResult, StepResult
from screenpilot.environments.browsergym import launch
from screenpilot.environments.browsergym.actions import ACTION_SUBSETS, BROWSERGYM_ACTIONS, to_browsergym
from screenpilot.environments.browsergym.config import BrowserGymConfig
from screenpilot.environments.browsergym.elements import elements_of
from screenpilot.environments.browsergym.viewport import ViewportKeeper
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.environments.observation import Observation, TabInfo
from screenpilot.tools.actions import Action
from screenpilot.tools.errors import ActionRejected, ConfigError, EnvCrashed

CAPABILITIES = Capabilities(platform="browsergym", actions=BROWSERGYM_ACTIONS, input="pointer", elements=True)

SUITE_PACKAGES = {
    "miniwob": "browsergym.miniwob",
    "webarena": "browsergym.webarena",
    "visualwebarena": "browsergym.visualwebarena",
    "workarena": "browsergym.workarena",
    "assistantbench": "browsergym.assistantbench",
}
"""The package that registers each suite's tasks (``miniwob.click-button`` -> ``browsergym.miniwob``)."""


def _import(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ConfigError(
            f"the BrowserGym environment needs {module} (pip install 'screenpilot[browsergym]' "
            f"and BrowserGym's packages, see docs/benchmarks.md): {e}"
        ) from None


class BrowserGymEnvironment:
    """One BrowserGym task at a time; :meth:`load` starts a seeded episode of any task.

    Args:
        config: Which task, and how to launch the browser.
    """

    def __init__(self, config: BrowserGymConfig | None = None) -> None:
        self.config = config or BrowserGymConfig()
        self._executable = self.config.resolved_executable()
        self._gym: Any = None
        self._key: tuple[str, str] | None = None
        self._obs: dict[str, Any] | None = None
        self._playwright: launch.ProjectPlaywright | None = None
        self._viewports = ViewportKeeper()
        self.goal = ""
        self.reward = 0.0
        self.done = False
        self.task_info: dict[str, Any] = {}

    @property
    def capabilities(self) -> Capabilities:
        return CAPABILITIES

    # -- episodes -------------------------------------------------------------------------

    def load(self, task: str, seed: int, task_kwargs: dict[str, Any] | None = None) -> str:
        """Start a seeded episode of ``task`` (``miniwob.click-button``) and return its goal.

        Raises:
            ConfigError: For an unknown task or a missing BrowserGym package.
            EnvCrashed: When the browser or the task's set-up failed.
        """
        gym = _import("gymnasium")
        kwargs = dict(task_kwargs or {})
        key = (task, repr(sorted(kwargs.items())))
        if self._gym is not None and self._key != key:
            self._close_gym()
        if self._playwright is None:
            _import("browsergym.core")
            self._playwright = launch.install(self._executable)
        suite = task.split(".", 1)[0]
        if suite in SUITE_PACKAGES:
            _import(SUITE_PACKAGES[suite])
        if self._gym is None:
            try:
                self._gym = gym.make(f"browsergym/{task}", **self._make_kwargs(kwargs))
            except gym.error.Error as e:
                raise ConfigError(f"BrowserGym has no task {task!r}: {e}") from None
            self._key = key
        launch.point(self._playwright)
        self._viewports.forget()
        try:
            obs, info = self._gym.reset(seed=seed)
            self._viewports.restore(self._gym.unwrapped.page)
        except Exception as e:  # BrowserGym raises whatever its task or Playwright raised
            raise EnvCrashed(
                f"BrowserGym could not start {task} (seed {seed}): {type(e).__name__}: {e}"
            ) from e
        self._obs, self.reward, self.done = obs, 0.0, False
        self.task_info = dict(info.get("task_info") or {})
        self.goal = str(obs.get("goal") or "")
        return self.goal

    def _make_kwargs(self, task_kwargs: dict[str, Any]) -> dict[str, Any]:
        from browsergym.core.action.highlevel import HighLevelActionSet

        actions = HighLevelActionSet(subsets=list(ACTION_SUBSETS), multiaction=True, strict=True)
        out: dict[str, Any] = {
            "headless": self.config.headless,
            "action_mapping": actions.to_python_code,
            "pre_observation_delay": self.config.pre_observation_delay_s,
            "task_kwargs": task_kwargs,
            "disable_env_checker": True,
        }
        if self.config.viewport() is not None:
            out["viewport"] = self.config.viewport()
        if self.config.action_timeout_ms is not None:
            out["timeout"] = self.config.action_timeout_ms
        return out

    # -- the environment protocol -----------------------------------------------------------

    def reset(self) -> Observation:
        kwargs = dict(self.config.task_kwargs)
        if self.config.task == "openended":
            if not self.config.start_url:
                raise ConfigError("the BrowserGym open-ended task needs start_url")
            kwargs.setdefault("start_url", self.config.start_url)
        self.load(self.config.task, self.config.seed, kwargs)
        return self.observe()

    def _page(self) -> Any:
        if self._gym is None or self._obs is None:
            raise EnvCrashed("no BrowserGym episode is loaded (call load() or reset() first)")
        return self._gym.unwrapped.page

    def _viewport(self, image: Image.Image) -> tuple[int, int]:
        size = self._page().viewport_size
        if size:
            return int(size["width"]), int(size["height"])
        return image.width, image.height

    def observe(self) -> Observation:
        """The observation BrowserGym made after the last reset or step."""
        self._page()
        assert self._obs is not None
        image = Image.fromarray(self._obs["screenshot"])
        width, height = self._viewport(image)
        scale = image.width / width
        urls = list(self._obs.get("open_pages_urls") or ())
        titles = list(self._obs.get("open_pages_titles") or ())
        active = int(self._obs["active_page_index"][0]) if "active_page_index" in self._obs else 0
        tabs = tuple(
            TabInfo(index=i, url=u, title=titles[i] if i < len(titles) else "", active=i == active)
            for i, u in enumerate(urls)
        )
        return Observation(
            screenshot=image,
            geometry=ScreenGeometry(
                image_size=Size(width=image.width, height=image.height),
                logical_size=Size(width=width, height=height),
                scale_factor=scale,
            ),
            capabilities=CAPABILITIES,
            elements=elements_of(self._obs, scale),
            url=str(self._obs.get("url") or ""),
            title=titles[active] if active < len(titles) else "",
            tabs=tabs,
        )

    def execute(self, action: Action) -> StepResult:
        """Carry out ``action`` as BrowserGym action calls and keep the task's reward.

        Raises:
            ActionRejected: For an action BrowserGym cannot express.
            EnvCrashed: When BrowserGym itself failed (its browser went away).
        """
        if not CAPABILITIES.supports(action):
            raise ActionRejected(f"{action.action!r} is not available through BrowserGym")
        image = Image.fromarray(self._obs["screenshot"]) if self._obs is not None else None
        self._page()
        assert image is not None
        viewport = self._viewport(image)
        text = to_browsergym(action, scale=image.width / viewport[0], viewport=viewport)
        start = time.monotonic()
        try:
            obs, reward, terminated, _truncated, info = self._gym.step(text)
            self._viewports.restore(self._gym.unwrapped.page)
        except Exception as e:  # BrowserGym lets Playwright's errors out of step() only when broken
            raise EnvCrashed(f"BrowserGym failed during {action.action}: {type(e).__name__}: {e}") from e
        self._obs = obs
        self.reward, self.done = float(reward), bool(terminated)
        self.task_info = dict(info.get("task_info") or {})
        error = str(obs.get("last_action_error") or "")
        return StepResult(ok=not error, message=error, elapsed_s=time.monotonic() - start)

    def deliver_answer(self, text: str) -> None:
        """Send the agent's final answer to BrowserGym's chat (``send_msg_to_user``), where
        answer-judged tasks (WebArena's string matches) read it, and keep the new reward."""
        self._page()
        obs, reward, terminated, _truncated, info = self._gym.step(f"send_msg_to_user({text!r})")
        self._obs, self.reward, self.done = obs, float(reward), bool(terminated)
        self.task_info = dict(info.get("task_info") or {})

    def settle(self, timeout_s: float) -> SettleResult:
        # BrowserGym waited for the page after the step (DOM loaded + its own delay).
        return SettleResult(stable=True, elapsed_s=0.0)

    def _close_gym(self) -> None:
        gym, self._gym, self._key, self._obs = self._gym, None, None, None
        if gym is not None:
            from playwright.sync_api import Error as PlaywrightError

            try:
                gym.close()
            except PlaywrightError:  # closing a browser that already died: nothing left to free
                return

    def close(self) -> None:
        self._close_gym()
        if self._playwright is not None:
            launch.uninstall()
            self._playwright = None
