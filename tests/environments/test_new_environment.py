"""Adding an environment takes a module and a registry entry, and nothing else.

The kiosk (tests/environments/kiosk.py) is a made-up touch environment registered through a
real entry point: a distribution's metadata written into a folder on ``sys.path``, found by
:mod:`importlib.metadata` as an installed plug-in would be. With no edit to the library it
is listed, built by name, checked by the contract test, and driven by the agent through the
Qwen-VL policy, which offers the model the mobile tool because the kiosk's input is touch.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import available, create, registry
from screenpilot.app.cli.main import main
from screenpilot.environments.contract import check_environment
from tests.environments.kiosk import HEIGHT, TILES, WIDTH, KioskEnvironment
from tests.environments.test_contract import contract_cases
from tests.model.qwen_server import QwenTestServer, Request


def install_plugin(site: Path, dist: str, entry_points: str) -> None:
    """Write the metadata of an installed distribution ``dist`` into ``site``."""
    info = site / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(entry_points)


@pytest.fixture
def kiosk_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    install_plugin(
        tmp_path,
        "screenpilot-kiosk",
        "[screenpilot.environments]\n"
        "kiosk = tests.environments.kiosk:SPEC\n"
        "kiosk-bare = tests.environments.kiosk:from_options\n",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield
    importlib.invalidate_caches()


def test_without_the_plugin_the_name_is_unknown() -> None:
    assert "kiosk" not in available("environments")
    assert "kiosk" not in {p.id for p in contract_cases()}


@pytest.mark.usefixtures("kiosk_plugin")
def test_a_plugin_environment_is_listed_built_and_contract_checked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    envs = registry("environments")
    assert envs.spec("kiosk").distribution == "screenpilot-kiosk"
    assert envs.resolve("kiosk").summary == "a made-up touch kiosk of three tiles"
    # a bare factory is a spec with no hermetic instance
    assert envs.resolve("kiosk-bare").hermetic is None
    assert isinstance(create("environments", "kiosk-bare", {}), KioskEnvironment)
    # the contract test's cases come from the registry: the kiosk joins them by itself
    assert "kiosk" in {p.id for p in contract_cases()} and "kiosk-bare" not in {
        p.id for p in contract_cases()
    }
    report = check_environment(envs.hermetic("kiosk"))
    assert report.ok, report.problems
    assert "unsupported mouse_move rejected" in report.checks
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "kiosk            plug-in from screenpilot-kiosk" in out


def tap_the_maps_tile(request: Request) -> str:
    """The model's side: tap the Maps tile (from the ground truth), then say it is done."""
    # earlier steps come back as assistant turns, or (the mobile notebook) as "Step 1: ..."
    if any(m["role"] == "assistant" for m in request.messages) or "Step 1:" in request.texts("user")[0]:
        args = '{"action": "terminate", "status": "success"}'
    else:
        box = TILES["Maps"]
        x, y = round(1000 * box.center.x / WIDTH), round(1000 * box.center.y / HEIGHT)
        args = f'{{"action": "click", "coordinate": [{x}, {y}]}}'
    return f'Tap Maps.\n<tool_call>\n{{"name": "mobile_use", "arguments": {args}}}\n</tool_call>'


@pytest.mark.usefixtures("kiosk_plugin")
def test_the_agent_drives_a_plugin_touch_environment_with_the_mobile_tool(tmp_path: Path) -> None:
    env = create("environments", "kiosk", {})
    with QwenTestServer(tap_the_maps_tile, expect_tool="mobile_use") as server:
        policy = create("policies", "qwen3vl", {"endpoint": server.url, "model": "Qwen/Qwen3-VL-8B-Instruct"})
        config = AgentConfig(max_steps=5, settle_timeout_s=0, retry=RetryConfig(base_s=0.01, max_s=0.05))
        result = Agent(env, policy, config, out_dir=tmp_path).run("Open the map")
    assert server.errors == []
    assert result.status == "success", result.reason
    assert env.lit == {"Maps"}
    system = server.requests[0].system
    assert '"name": "mobile_use"' in system and '"name": "computer_use"' not in system
    assert "The user query: Open the map" in server.requests[0].texts("user")[0]
