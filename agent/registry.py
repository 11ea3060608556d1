"""Named environments, policies and grounders, as :class:`~screenpilot.agent.entries.EntrySpec`.

Each spec names a factory ``(options: Mapping[str, Any]) -> Environment | Policy | Grounder``
as ``"module:attr"``, imported only when the entry is used. Third-party packages add their
own through the entry-point groups ``screenpilot.environments``, ``screenpilot.policies``
and ``screenpilot.grounders`` (see :mod:`screenpilot.agent.entries`). An environment with a
``hermetic`` factory is checked by the environment contract test automatically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from screenpilot.agent.entries import EntrySpec, Registry

ENVIRONMENTS: dict[str, EntrySpec] = {
    "fake": EntrySpec(
        "screenpilot.environments.fake.factory:from_options",
        summary="a simulated app in memory with ground truth, for testing policies and workflows",
        hermetic="screenpilot.environments.fake.env:FakeEnvironment",
    ),
    "browser": EntrySpec(
        "screenpilot.environments.browser.factory:from_options",
        extra="browser",
        summary="Chromium through Playwright: pages, tabs, DOM elements, scripting",
        hermetic="screenpilot.environments.browser.hermetic:local_page",
    ),
    "android": EntrySpec(
        "screenpilot.environments.android.factory:from_options",
        extra="android",
        summary="an Android device or emulator over adb, with uiautomator elements (touch)",
        hermetic="screenpilot.environments.android.hermetic:simulated_phone",
    ),
    "desktop": EntrySpec(
        "screenpilot.environments.desktop.factory:from_options",
        extra="desktop",
        summary="the X11 desktop through mss and pyautogui",
        hermetic="screenpilot.environments.desktop.hermetic:private_display",
    ),
    "browsergym": EntrySpec(
        "screenpilot.environments.browsergym.factory:from_options",
        extra="browsergym",
        summary="a BrowserGym task (MiniWoB++, WebArena, WorkArena...) with its reward",
        hermetic="screenpilot.environments.browsergym.hermetic:local_page",
    ),
}

POLICIES: dict[str, EntrySpec] = {
    "script": EntrySpec(
        "screenpilot.model.script_file:from_options", summary="replays actions from a JSON or JSONL file"
    ),
    "qwen3vl": EntrySpec(
        "screenpilot.model.qwen.factory:from_http_options",
        extra="http",
        summary="Qwen3-VL behind an OpenAI-compatible server (vLLM, SGLang, DashScope, Ollama)",
        takes_secrets=True,
    ),
    "qwen3vl-local": EntrySpec(
        "screenpilot.model.qwen.factory:from_local_options",
        extra="local",
        summary="Qwen3-VL in this process through transformers",
        takes_secrets=True,
    ),
    "offline": EntrySpec(
        "screenpilot.model.offline.policy:from_options",
        extra="ocr",
        summary="embedded OCR and element matching for literal instructions; no model weights",
    ),
    "dom-match": EntrySpec(
        "screenpilot.model.dom_match:from_options",
        summary="model-free baseline: clicks or fills the elements quoted in the instruction",
    ),
    "uitars": EntrySpec(
        "screenpilot.model.uitars.factory:from_options",
        extra="http",
        summary="UI-TARS-1.5 (or 1.0) behind an OpenAI-compatible server",
        takes_secrets=True,
    ),
    "hybrid": EntrySpec(
        "screenpilot.agent.composed_entries:hybrid_from_options",
        extra="ocr",
        summary="offline first; a model policy (qwen3vl by default) only for what it cannot do",
        takes_secrets=True,
    ),
    "planner": EntrySpec(
        "screenpilot.agent.composed_entries:planner_from_options",
        extra="http",
        summary="a chat model plans each step, a grounder (Qwen3-VL or offline) finds its target",
        takes_secrets=True,
    ),
}

GROUNDERS: dict[str, EntrySpec] = {
    "center": EntrySpec(
        "screenpilot.model.center_grounder:center_from_options",
        summary="model-free floor: always the centre of the screen",
    ),
    "offline": EntrySpec(
        "screenpilot.model.offline.policy:from_options",
        extra="ocr",
        summary="finds described text and elements with embedded OCR",
    ),
    "qwen3vl": EntrySpec(
        "screenpilot.model.qwen.factory:from_http_options",
        extra="http",
        summary="Qwen3-VL behind an OpenAI-compatible server",
    ),
    "qwen3vl-local": EntrySpec(
        "screenpilot.model.qwen.factory:from_local_options",
        extra="local",
        summary="Qwen3-VL in this process through transformers",
    ),
}

_REGISTRIES = {
    "environments": Registry("environment", ENVIRONMENTS, "screenpilot.environments"),
    "policies": Registry("policy", POLICIES, "screenpilot.policies"),
    "grounders": Registry("grounder", GROUNDERS, "screenpilot.grounders"),
}


def registry(kind: str) -> Registry:
    """The registry of ``kind``: ``"environments"``, ``"policies"`` or ``"grounders"``."""
    return _REGISTRIES[kind]


def available(kind: str) -> dict[str, EntrySpec]:
    """Built-in and plug-in entries of ``kind``, by name."""
    return registry(kind).entries()


def load_factory(kind: str, name: str) -> Callable[[Mapping[str, Any]], Any]:
    """Import the factory registered as ``name``.

    Raises:
        ConfigError: For an unknown name (the message lists the known ones) or a factory
            whose optional dependencies are not installed (the message names its extra).
    """
    return registry(kind).load(name)


def with_secret_names(name: str, options: Mapping[str, Any], secrets: Sequence[str]) -> dict[str, Any]:
    """``options`` for policy ``name``, with the run's secret names added to its ``secrets``
    option when the policy takes one (:attr:`EntrySpec.takes_secrets`); values never travel."""
    opts = dict(options)
    spec = available("policies").get(name)
    if not secrets or spec is None or not spec.takes_secrets:
        return opts
    given = opts.get("secrets", ())
    listed = [s.strip() for s in given.split(",")] if isinstance(given, str) else list(given)
    opts["secrets"] = ",".join(dict.fromkeys([*(s for s in listed if s), *secrets]))
    return opts


def create(kind: str, name: str, options: Mapping[str, Any]) -> Any:
    """Build the environment, policy or grounder registered as ``name`` from ``options``."""
    return registry(kind).create(name, options)
