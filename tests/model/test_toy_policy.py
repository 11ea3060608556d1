"""A second answer format runs on the family-neutral plumbing alone.

The toy family (:mod:`tests.model.toy_policy`) answers ``click(x, y)`` in 0..1000. It talks
to a real OpenAI-compatible server on 127.0.0.1 and signs in on the fake GUI and on a page
in headless Chromium at device scale factor 2, where screenshot pixels, the model's
resized image and the driver's logical pixels all differ.
"""

from __future__ import annotations

import ast
import functools
import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.base import Capabilities, Environment, SettleResult, StepResult
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.environments.observation import Observation
from screenpilot.model.coords import CoordConvention, CoordinateMapper
from screenpilot.model.imaging import PixelBudget, resized_size
from screenpilot.tools.actions import Action, Click, Terminate, TypeText
from screenpilot.tools.errors import ConfigError, ModelOutputError
from screenpilot.tools.points import CoordSpace
from tests.model import toy_policy
from tests.model.qwen_server import QwenTestServer, Reply, Request

PAGES = Path(__file__).parent / "pages"
TOY_SOURCE = Path(toy_policy.__file__)
BUDGET = PixelBudget(min_tokens=64, max_tokens=1024)


# -- the toy imports nothing of the Qwen family --------------------------------------------


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative imports would hide what the toy depends on"
            assert node.module is not None
            out.add(node.module)
            out.update(f"{node.module}.{alias.name}" for alias in node.names)
    return out


def test_toy_module_imports_nothing_from_the_qwen_family() -> None:
    modules = _imported_modules(TOY_SOURCE)
    qwen = [m for m in modules if m == "screenpilot.model.qwen" or m.startswith("screenpilot.model.qwen.")]
    assert qwen == []
    neutral = {"screenpilot.model.coords", "screenpilot.model.imaging", "screenpilot.model.http_options"}
    assert neutral <= modules


def test_toy_module_loads_without_loading_the_qwen_family() -> None:
    code = (
        "import sys, tests.model.toy_policy; "
        "print(sorted(m for m in sys.modules if m.startswith('screenpilot.model.qwen')))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the answer format -----------------------------------------------------------------------


def _mapper(scale: float = 2.0) -> CoordinateMapper:
    geometry = ScreenGeometry(
        image_size=Size(width=round(800 * scale), height=round(600 * scale)),
        logical_size=Size(width=800, height=600),
        scale_factor=scale,
    )
    return CoordinateMapper(CoordConvention.REL1000, geometry, Size(width=1036, height=784))


def test_parses_the_three_actions_and_keeps_the_thought() -> None:
    thought, click = toy_policy.parse_answer("The field is on the left.\nclick(500, 250)", _mapper())
    assert thought == "The field is on the left."
    assert isinstance(click, Click)
    assert (click.at.x, click.at.y, click.at.space) == (500, 250, CoordSpace.REL1000)
    _, typed = toy_policy.parse_answer('type("say \\"hi\\"")', _mapper())
    assert isinstance(typed, TypeText) and typed.text == 'say "hi"'
    _, done = toy_policy.parse_answer("done()", _mapper())
    assert isinstance(done, Terminate) and done.status == "success"


@pytest.mark.parametrize(
    "answer",
    ["", "I would click the button.", "click(1200, 10)", "click(5)", "__import__('os').system('true')"],
)
def test_rejects_what_is_not_an_action(answer: str) -> None:
    with pytest.raises(ModelOutputError):
        toy_policy.parse_answer(answer, _mapper())


def test_options_are_the_neutral_http_options_plus_the_toy_ones() -> None:
    policy = toy_policy.from_options(
        {"endpoint": "http://127.0.0.1:9/v1", "model": "toy-1", "retries": "0", "factor": "14"}
    )
    assert policy.options.factor == 14 and policy.options.retries == 0
    assert policy.name == "toy:toy-1"
    with pytest.raises(ConfigError, match="accepted: endpoint, model"):
        toy_policy.from_options({"endpoint": "http://127.0.0.1:9/v1", "model": "toy-1", "coords": "rel999"})


# -- end to end against a real server ------------------------------------------------------


class Watched:
    """Delegates to an environment and keeps its last observation for the oracle.

    ``probe`` runs after each executed action (the fake test reads the pointer there).
    """

    def __init__(self, env: Environment, probe: Callable[[Action], None] | None = None) -> None:
        self.env = env
        self.probe = probe
        self.last: Observation | None = None

    @property
    def capabilities(self) -> Capabilities:
        return self.env.capabilities

    def reset(self) -> Observation:
        self.last = self.env.reset()
        return self.last

    def observe(self) -> Observation:
        self.last = self.env.observe()
        return self.last

    def execute(self, action: Action) -> StepResult:
        result = self.env.execute(action)
        if self.probe is not None:
            self.probe(action)
        return result

    def settle(self, timeout_s: float) -> SettleResult:
        return self.env.settle(timeout_s)

    def close(self) -> None:
        self.env.close()


def element_center(obs: Observation, name: str) -> tuple[float, float]:
    """Centre of the element ``name`` (fake widget id or DOM id), in logical pixels."""
    for e in obs.elements:
        if name in (e.id, e.attributes.get("id")):
            return (e.box.x0 + e.box.x1) / 2, (e.box.y0 + e.box.y1) / 2
    raise AssertionError(f"no element {name!r} on the screen")


@dataclass
class ToyOracle:
    """Plays a well-behaved toy model: ``script`` in order, targets read from the ground truth.

    Entries are ``("click", element)``, ``("type", text)`` or ``("done", "")``.
    """

    watched: Watched
    script: list[tuple[str, str]]
    malformed_at: tuple[int, ...] = ()
    answers: list[str] = field(default_factory=list)
    requests: int = 0

    def __call__(self, request: Request) -> Reply:
        n, self.requests = self.requests, self.requests + 1
        if n in self.malformed_at:
            self.answers.append("I think the Sign in button is next.")
            return Reply(content=self.answers[-1])
        verb, arg = self.script.pop(0)
        if verb == "click":
            obs = self.watched.last
            assert obs is not None
            x, y = element_center(obs, arg)
            size = obs.geometry.logical_size
            line = f"click({round(1000 * x / size.width)}, {round(1000 * y / size.height)})"
        elif verb == "type":
            line = f"type({json.dumps(arg)})"
        else:
            line = "done()"
        self.answers.append(f"Next: {verb} {arg}.\n{line}")
        return Reply(content=self.answers[-1])


class ToyServer(QwenTestServer):
    """The scripted server, checking requests the way the toy format defines them."""

    def check(self, request: Request) -> list[str]:
        problems = []
        if not request.messages or request.messages[0]["role"] != "system":
            problems.append("the first message is not a system turn")
        elif "click(x, y)" not in request.system or "1000x1000" not in request.system:
            problems.append("the system turn does not describe the toy format at 1000x1000")
        if len(request.images) != 1:
            problems.append(f"expected one screenshot, got {len(request.images)}")
        elif self.expect_size is not None and request.images[0].size != self.expect_size():
            problems.append(f"screenshot is {request.images[0].size}, expected {self.expect_size()}")
        return problems


def expected_size(watched: Watched, factor: int = 28) -> Callable[[], tuple[int, int]]:
    def size() -> tuple[int, int]:
        assert watched.last is not None
        s = resized_size(watched.last.geometry.image_size, factor, BUDGET)
        return s.width, s.height

    return size


def run_toy(watched: Watched, oracle: ToyOracle, tmp_path: Path) -> tuple[Any, ToyServer]:
    with ToyServer(oracle, expect_size=expected_size(watched)) as server:
        policy = toy_policy.from_options({"endpoint": server.url, "model": "toy-1", "retries": 0})
        config = AgentConfig(max_steps=12, settle_timeout_s=0, retry=RetryConfig(base_s=0.01, max_s=0.05))
        result = Agent(watched, policy, config, out_dir=tmp_path).run("Sign in as alice")
    return result, server


@pytest.mark.parametrize("scale", [1.0, 2.0], ids=["dpr1", "dpr2"])
def test_toy_policy_signs_in_on_the_fake_screen(scale: float, tmp_path: Path) -> None:
    env = FakeEnvironment(FakeConfig(scale_factor=scale))
    pointers: list[tuple[float, float]] = []

    def probe(action: Action) -> None:
        if isinstance(action, Click):
            pointers.append(env.state.pointer)

    watched = Watched(env, probe)
    script = [
        ("click", "username"),
        ("type", "alice"),
        ("click", "password"),
        ("type", "wonderland"),
        ("click", "sign_in"),
        ("done", ""),
    ]
    targets = [env.center_of(name) for verb, name in script if verb == "click"]
    oracle = ToyOracle(watched, list(script), malformed_at=(2,))
    result, server = run_toy(watched, oracle, tmp_path)

    assert server.errors == []
    assert result.status == "success", result.reason
    assert env.state.screen == "dashboard"
    # every click hit the logical pixel the model meant, to the rounding of 0..1000
    tolerance = env.app.width / 1000
    assert len(pointers) == len(targets)
    for (px, py), (tx, ty) in zip(pointers, targets, strict=True):
        assert abs(px - tx) <= tolerance and abs(py - ty) <= tolerance, (px, py, tx, ty)
    # the model saw a screenshot resized for factor 28, not the screen's own pixels
    shown = server.requests[0].images[0].size
    assert shown == expected_size(watched)()
    assert shown[0] % 28 == 0 and shown[1] % 28 == 0
    if scale == 2.0:
        assert shown != (env.geometry.image_size.width, env.geometry.image_size.height)
    # the malformed answer was fed back, and the record holds the toy's raw answers
    assert "Note:" in str(server.requests[3].messages[-1]["content"])
    run = load_run(result.run_dir)
    assert any(e["type"] == "invalid_output" for e in run.events)
    last_lines = [s["raw"].splitlines()[-1] for s in run.steps]
    assert last_lines[:2] == [oracle.answers[0].splitlines()[-1], 'type("alice")']


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(PAGES))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.browser
@pytest.mark.slow
def test_toy_policy_signs_in_in_chromium_at_scale_2(pages: str, tmp_path: Path) -> None:
    from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment

    env = BrowserEnvironment(
        BrowserConfig(
            executable_path="/usr/bin/chromium",
            device_scale_factor=2.0,
            start_url=f"{pages}/signin.html",
            settle_quiet_s=0.1,
        )
    )
    watched = Watched(env)
    script = [
        ("click", "user"),
        ("type", "alice"),
        ("click", "pw"),
        ("type", "wonderland"),
        ("click", "go"),
        ("done", ""),
    ]
    oracle = ToyOracle(watched, list(script))
    try:
        result, server = run_toy(watched, oracle, tmp_path)
        clicks = env.evaluate("window.clicks")
        boxes = env.evaluate(
            "() => ['user', 'pw', 'go'].map((id) => { const r = document.getElementById(id)"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })"
        )
        signed_in = env.evaluate("window.signedIn === true")
    finally:
        env.close()
    assert server.errors == []
    assert result.status == "success", result.reason
    assert signed_in
    assert [c[2] for c in clicks] == ["user", "pw", "go"]
    # CSS pixels of each click against the element's centre (1280 px wide: 1.28 px per unit)
    for (cx, cy, _), (bx, by) in zip(clicks, boxes, strict=True):
        assert abs(cx - bx) <= 1.28 and abs(cy - by) <= 0.8, (cx, cy, bx, by)
    want = resized_size(Size(width=2560, height=1600), 28, BUDGET)
    assert server.requests[0].images[0].size == (want.width, want.height)
