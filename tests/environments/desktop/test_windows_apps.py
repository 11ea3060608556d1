"""Windows (list, focus, active title), open_app, settle-waiting, doctor and calibration."""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path

import pytest

from screenpilot.app.cli.main import main as cli_main
from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment
from screenpilot.environments.desktop.calibration import run_calibration
from screenpilot.environments.desktop.doctor import run_checks
from screenpilot.environments.desktop.windows import X11Windows
from screenpilot.tools.actions import Click, MouseMove, OpenApp, TypeText
from screenpilot.tools.errors import DriverError
from screenpilot.tools.points import Point
from tests.environments.desktop.helpers import TK_APP, TkApp, start_tk_app, start_xvfb, stop

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


def _desktop_entry(folder: Path, state: Path, title: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    exec_line = shlex.join([sys.executable, str(TK_APP), "--state", str(state), "--title", title])
    (folder / "notes-app.desktop").write_text(
        f"[Desktop Entry]\nType=Application\nName=Notes App\nExec={exec_line} %U\n", encoding="utf-8"
    )


def test_open_app_by_desktop_entry_and_focus_windows(
    xvfb: str, child_env: dict[str, str], tmp_path: Path, tk_app: TkApp
) -> None:
    apps = tmp_path / "applications"
    state = tmp_path / "notes.json"
    _desktop_entry(apps, state, "Notes 笔记")
    env = DesktopEnvironment(DesktopConfig(display=xvfb, abort_hotkey=(), app_dirs=(apps,)))
    try:
        result = env.execute(OpenApp(name="notes app"))
        assert "Notes 笔记" in result.message
        titles = [w.title for w in env.list_windows()]
        assert "Notes 笔记" in titles and "Screenpilot Tk test app" in titles
        focused = env.focus_window("test app")
        assert env.active_window() is not None
        assert env.active_window().id == focused.id  # type: ignore[union-attr]
        # Typing goes to the focused window: click its field first, then type.
        env.execute(Click(at=tk_app.center("name")))
        env.execute(TypeText(text="focused"))
        tk_app.wait(lambda s: s["name"] == "focused")
        notes = env.focus_window("笔记")
        assert env.observe().title == "Notes 笔记" == notes.title
    finally:
        env.close()
    # close() ended the program open_app started, and with it its window.
    windows = X11Windows(xvfb)
    try:
        assert all(w.title != "Notes 笔记" for w in windows.list())
    finally:
        windows.close()


def test_open_app_by_command_and_unknown_names(xvfb: str, tmp_path: Path) -> None:
    env = DesktopEnvironment(DesktopConfig(display=xvfb, abort_hotkey=(), app_dirs=()))
    try:
        state = tmp_path / "cmd.json"
        command = shlex.join([sys.executable, str(TK_APP), "--state", str(state), "--title", "By Command"])
        env.execute(OpenApp(name=command))
        assert env.observe().title == "By Command"
        with pytest.raises(DriverError, match="no application"):
            env.execute(OpenApp(name="definitely-not-an-app-xyz"))
    finally:
        env.close()


def test_reset_opens_the_start_app(xvfb: str, tmp_path: Path) -> None:
    command = shlex.join(
        [sys.executable, str(TK_APP), "--state", str(tmp_path / "s.json"), "--title", "Start"]
    )
    env = DesktopEnvironment(DesktopConfig(display=xvfb, abort_hotkey=(), start_app=command))
    try:
        assert env.reset().title == "Start"
    finally:
        env.close()


def test_settle_waits_for_a_still_screen_and_gives_up_on_animation(
    desktop: DesktopEnvironment, child_env: dict[str, str], tmp_path: Path
) -> None:
    still = desktop.settle(2.0)
    assert still.stable and still.elapsed_s < 1.0
    busy = start_tk_app(child_env, tmp_path, "--animate")
    try:
        t0 = time.monotonic()
        result = desktop.settle(0.5)
        assert not result.stable
        assert 0.5 <= result.elapsed_s < 1.0 and time.monotonic() - t0 < 1.5
    finally:
        stop(busy.proc)


def test_calibration_passes_on_xvfb(desktop: DesktopEnvironment) -> None:
    report = run_calibration(desktop)
    assert report.ok, report
    assert len(report.markers) == 5 and all(
        m.error_px is not None and m.error_px <= 1 for m in report.markers
    )


def test_doctor_checks_and_cli_exit_codes(xvfb: str, capsys: pytest.CaptureFixture[str]) -> None:
    checks = run_checks(DesktopConfig(display=xvfb), calibrate=False)
    assert {c.name for c in checks} >= {"display", "capture", "input", "scale", "hotkey", "settle"}
    assert all(c.level == "ok" for c in checks), checks
    assert cli_main(["doctor", "--display", xvfb]) == 0
    out = capsys.readouterr().out
    assert "calibration: 5 markers hit" in out
    assert cli_main(["doctor", "--display", ":1999", "--no-calibration"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  display" in out and "fix: start an X server" in out


def test_two_displays_in_one_process(xvfb: str, tmp_path: Path) -> None:
    """pyautogui was imported for the first display; a second one gets its own connection
    and keycode table, and neither display sees the other's input."""
    proc, second = start_xvfb(800, 600, first=140)
    env2 = DesktopEnvironment(DesktopConfig(display=second, abort_hotkey=()))
    env1 = DesktopEnvironment(DesktopConfig(display=xvfb, abort_hotkey=()))
    try:
        app = start_tk_app({**os.environ, "DISPLAY": second}, tmp_path)
        env1.execute(MouseMove(at=Point(x=700, y=700)))
        env2.execute(Click(at=app.center("name")))
        env2.execute(TypeText(text="second display, 第二"))
        app.wait(lambda s: s["name"] == "second display, 第二")
        assert env2.observe().screenshot.size == (800, 600)
        assert env1.io.position() == (700, 700)
        stop(app.proc)
    finally:
        env1.close()
        env2.close()
        stop(proc)
