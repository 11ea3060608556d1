"""Registry specs: lazy loading, plug-ins, and missing dependencies named by their extra."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from screenpilot.agent.entries import EntrySpec, Registry
from screenpilot.agent.extras import missing_requirements
from screenpilot.agent.registry import ENVIRONMENTS, GROUNDERS, POLICIES, available, create, registry
from screenpilot.app.cli.main import main
from screenpilot.benchmarks.registry import BENCHMARKS
from screenpilot.tools.errors import ConfigError
from tests.environments.test_new_environment import install_plugin

ROOT = Path(__file__).resolve().parents[2]
EXTRAS = {"browser", "desktop", "android", "ocr", "http", "local", "bench", "browsergym"}


def test_every_builtin_entry_is_a_complete_spec() -> None:
    for table in (ENVIRONMENTS, POLICIES, GROUNDERS, BENCHMARKS):
        for name, spec in table.items():
            assert isinstance(spec, EntrySpec), name
            assert spec.summary and "\n" not in spec.summary, name
            assert spec.extra is None or spec.extra in EXTRAS, name
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert all(f"\n{extra} = [" in pyproject for extra in EXTRAS)
    assert {ENVIRONMENTS[n].extra for n in ("browser", "desktop", "android")} == {
        "browser",
        "desktop",
        "android",
    }
    assert POLICIES["qwen3vl"].extra == "http" and POLICIES["qwen3vl-local"].extra == "local"
    assert BENCHMARKS["miniwob"].extra == "bench"


def test_unknown_names_and_bad_targets_are_config_errors() -> None:
    with pytest.raises(ConfigError, match=r"unknown environment 'nope'; available: .*browser.*fake"):
        create("environments", "nope", {})
    with pytest.raises(ConfigError, match="not of the form 'module:attr'"):
        EntrySpec("no_colon_here")
    broken = Registry(
        "widget",
        {
            "gone": EntrySpec("screenpilot.no_such_module:make"),
            "typo": EntrySpec("screenpilot.agent.registry:no_such_factory"),
        },
        "screenpilot.widgets",
    )
    with pytest.raises(ConfigError, match=re.escape("'screenpilot.no_such_module' does not exist")):
        broken.load("gone")
    with pytest.raises(ConfigError, match=re.escape("has no 'no_such_factory'")):
        broken.load("typo")
    with pytest.raises(ConfigError, match=re.escape("environment 'fake' has no hermetic instance")):
        Registry("environment", {"fake": EntrySpec(ENVIRONMENTS["fake"].target)}, "x").hermetic("fake")


def test_a_missing_builtin_dependency_names_the_entrys_extra() -> None:
    # A fresh interpreter where the drivers' and SDK's packages cannot be imported, as on an
    # install without the extras.
    code = """
import json, sys
for blocked in ("mss", "pyautogui", "playwright", "adbutils", "openai"):
    sys.modules[blocked] = None
from screenpilot.agent.registry import create
from screenpilot.tools.errors import ConfigError
out = {}
for kind, name, options in [
    ("environments", "desktop", {}),
    ("environments", "browser", {}),
    ("environments", "android", {}),
    ("policies", "qwen3vl", {"endpoint": "http://127.0.0.1:9/v1", "model": "Qwen/Qwen3-VL-8B-Instruct"}),
]:
    try:
        create(kind, name, options)
    except ConfigError as e:
        out[name] = str(e)
print(json.dumps(out))
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    messages = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "pip install 'screenpilot[desktop]'" in messages["desktop"]
    assert "'mss'" in messages["desktop"] or "'pyautogui'" in messages["desktop"]
    assert (
        "pip install 'screenpilot[browser]'" in messages["browser"] and "'playwright'" in messages["browser"]
    )
    assert "pip install 'screenpilot[android]'" in messages["android"] and "'adbutils'" in messages["android"]
    # the SDK is imported when the factory runs, not when its module is: named all the same
    assert "pip install 'screenpilot[http]'" in messages["qwen3vl"] and "'openai'" in messages["qwen3vl"]


def test_a_plugin_spec_names_its_own_distribution_and_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sp_vnc_registry.py").write_text(
        "from screenpilot.agent.entries import EntrySpec\n"
        "SPEC = EntrySpec('sp_vnc_env:from_options', extra='vnc', summary='a VNC screen',"
        " distribution='ignored')\n"
    )
    (tmp_path / "sp_vnc_env.py").write_text("import vnc_sdk_that_is_not_installed\n")
    install_plugin(tmp_path, "screenpilot-vnc", "[screenpilot.environments]\nvnc = sp_vnc_registry:SPEC\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    try:
        assert available("environments")["vnc"].summary == "plug-in from screenpilot-vnc"
        spec = registry("environments").resolve("vnc")
        assert (spec.summary, spec.extra, spec.distribution) == ("a VNC screen", "vnc", "screenpilot-vnc")
        with pytest.raises(ConfigError) as info:
            create("environments", "vnc", {})
        assert "'vnc_sdk_that_is_not_installed'" in str(info.value)
        assert "pip install 'screenpilot-vnc[vnc]'" in str(info.value)
    finally:
        for name in ("sp_vnc_registry", "sp_vnc_env"):
            sys.modules.pop(name, None)
        importlib.invalidate_caches()


def test_listing_imports_no_target() -> None:
    code = (
        "import sys\n"
        "from screenpilot.app.cli.main import main\n"
        "assert main(['list']) == 0\n"
        "loaded = [m for m in sys.modules if m.startswith(('screenpilot.environments', 'screenpilot.model',"
        " 'screenpilot.benchmarks.miniwob', 'playwright', 'torch', 'openai', 'adbutils', 'mss'))]\n"
        "print('LOADED', loaded)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert "LOADED []" in proc.stdout, proc.stdout + proc.stderr
    assert "environments:" in proc.stdout and "benchmarks:" in proc.stdout
    assert "Chromium through Playwright" in proc.stdout


def test_listing_names_the_install_command_of_an_incomplete_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    info = tmp_path / "screenpilot_vnc-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: screenpilot-vnc\nVersion: 0.1\n"
        "Provides-Extra: vnc\nProvides-Extra: img\n"
        'Requires-Dist: vnc-sdk-not-installed-here>=1; extra == "vnc"\n'
        'Requires-Dist: pillow; extra == "img"\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    assert missing_requirements("vnc", "screenpilot-vnc") == ("vnc-sdk-not-installed-here",)
    assert missing_requirements("img", "screenpilot-vnc") == ()
    assert missing_requirements("nope", "screenpilot-vnc") is None
    assert missing_requirements("vnc", "no-such-distribution-here") is None
    assert missing_requirements("browser") == ()  # this test install has every extra
    vnc = EntrySpec(
        "sp_vnc_env:from_options", extra="vnc", summary="a VNC screen", distribution="screenpilot-vnc"
    )
    img = EntrySpec(
        "sp_img_env:from_options", extra="img", summary="an image", distribution="screenpilot-vnc"
    )
    monkeypatch.setitem(ENVIRONMENTS, "vnc", vnc)
    monkeypatch.setitem(ENVIRONMENTS, "img", img)
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  vnc              a VNC screen  (not installed: pip install 'screenpilot-vnc[vnc]')" in lines
    assert "  img              an image" in lines
    assert not [line for line in lines if "browser" in line and "not installed" in line]
