"""Settling by X events on a real X server: a still input costs no grab when the client
that got it is prompt; drawing, late renderers, silent clients and compositors are sampled."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from screenpilot.agent.act import Acted, Actor
from screenpilot.environments.desktop import DesktopConfig, DesktopEnvironment
from screenpilot.environments.desktop.doctor import run_checks
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import Action, Click, KeyPress, MouseMove
from screenpilot.tools.points import CoordSpace, Point
from tests.environments.desktop.x_client import COLOURS

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

CLIENT = Path(__file__).with_name("x_client.py")
BOX = (900, 500, 300, 200)  # the client window: left, top, width, height
INSIDE = Point(x=1050, y=600, space=CoordSpace.SCREEN)
WHITE, BLUE = ((c >> 16, (c >> 8) & 0xFF, c & 0xFF) for c in COLOURS)


@contextmanager
def x_client(child_env: dict[str, str], *args: str) -> Iterator[None]:
    geometry = f"{BOX[2]}x{BOX[3]}+{BOX[0]}+{BOX[1]}"
    proc = subprocess.Popen(
        [sys.executable, str(CLIENT), "--geometry", geometry, *args],
        env=child_env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=5)


class Grabs:
    """Counts the driver's screen grabs."""

    def __init__(self, env: DesktopEnvironment, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = env.capture.grab_frame

        def counted():  # type: ignore[no-untyped-def]
            self.count += 1
            return real()

        monkeypatch.setattr(env.capture, "grab_frame", counted)


def make_env(xvfb: str, **options: object) -> DesktopEnvironment:
    return DesktopEnvironment(DesktopConfig(display=xvfb, abort_hotkey=(), **options))  # type: ignore[arg-type]


@pytest.fixture
def env(xvfb: str) -> Iterator[DesktopEnvironment]:
    driver = make_env(xvfb)
    yield driver
    driver.close()


def colour_at(obs: Observation, point: Point) -> tuple[int, int, int]:
    rgb = obs.screenshot.convert("RGB").getpixel((int(point.x), int(point.y)))
    assert isinstance(rgb, tuple)
    return (int(rgb[0]), int(rgb[1]), int(rgb[2]))


def step(env: DesktopEnvironment, action: Action) -> tuple[Acted, Observation]:
    """One agent step on a fresh observation; the observation after it."""
    acted = Actor(env).act(action, env.observe(), settle_timeout_s=2.0)
    assert acted.ok, acted.error
    return acted, env.observe()


def same_as_screen(env: DesktopEnvironment, obs: Observation) -> bool:
    fresh: Image.Image = env.capture.grab_image()
    return np.array_equal(np.asarray(obs.screenshot.convert("RGB")), np.asarray(fresh.convert("RGB")))


def grabs_for_still_key(env: DesktopEnvironment, monkeypatch: pytest.MonkeyPatch) -> int:
    """Grabs one agent step makes pressing shift (an input that draws nothing), after a
    fresh observation: 0 when X events proved the screen still, 2 or more when sampled."""
    obs = env.observe()
    grabs = Grabs(env, monkeypatch)
    acted = Actor(env).act(KeyPress(keys=("shift",)), obs, settle_timeout_s=2.0)
    assert acted.ok and acted.times.settle_checks >= 1, acted
    return grabs.count


def meet(env: DesktopEnvironment) -> None:
    """First contact with the client under the pointer (the driver checks how it draws)."""
    step(env, MouseMove(at=INSIDE))


def test_a_still_input_to_a_prompt_client_settles_without_grabbing(
    env: DesktopEnvironment, child_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with x_client(child_env):
        meet(env)
        obs = env.observe()
        grabs = Grabs(env, monkeypatch)
        for _ in range(3):
            acted = Actor(env).act(KeyPress(keys=("shift",)), obs, settle_timeout_s=2.0)
            assert acted.ok and acted.times.settle_checks == 1 and acted.times.settle_timeouts == 0
            assert acted.effect is not None and not acted.effect.screen.changed
            obs = env.observe()
        # No grab in three steps: nothing was drawn, so the first observation is the screen.
        assert grabs.count == 0
        assert same_as_screen(env, obs)


def test_a_drawing_response_is_sampled_and_seen(env: DesktopEnvironment, child_env: dict[str, str]) -> None:
    with x_client(child_env):
        meet(env)
        acted, after = step(env, Click(at=INSIDE))
        assert acted.times.settle_checks >= 1
        assert acted.effect is not None and acted.effect.screen.changed
        assert colour_at(after, INSIDE) == BLUE and same_as_screen(env, after)


def test_a_late_renderer_is_sampled_after_every_input(
    env: DesktopEnvironment, child_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Draws exposures and clicks 20 ms after the event, after answering the pings.
    with x_client(child_env, "--delay-ms", "20"):
        meet(env)
        grabs = Grabs(env, monkeypatch)
        acted, after = step(env, Click(at=INSIDE))
        assert grabs.count >= 2  # the settle wait sampled
        assert acted.effect is not None and acted.effect.screen.changed
        assert colour_at(after, INSIDE) == BLUE
        assert grabs_for_still_key(env, monkeypatch) >= 2


def test_a_client_that_reacts_from_a_timer_is_seen_and_then_sampled(
    env: DesktopEnvironment, child_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Draws exposures at once, but answers a click 25 ms later, from a timer.
    with x_client(child_env, "--click-delay-ms", "25"):
        meet(env)
        obs = env.observe()
        first = Actor(env).act(Click(at=INSIDE), obs, settle_timeout_s=2.0)
        assert first.ok and first.times.settle_checks == 1  # a still verdict: nothing drawn yet
        time.sleep(0.1)
        # The late drawing makes the driver grab again: the observation shows it.
        after = env.observe()
        assert colour_at(after, INSIDE) == BLUE and same_as_screen(env, after)
        # From now on the client is sampled, and its response is seen in the step.
        grabs = Grabs(env, monkeypatch)
        second = Actor(env).act(Click(at=INSIDE), after, settle_timeout_s=2.0)
        assert grabs.count >= 2
        assert second.effect is not None and second.effect.screen.changed
        assert colour_at(env.observe(), INSIDE) == WHITE


def test_a_client_that_does_not_answer_pings_is_sampled(
    env: DesktopEnvironment, child_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with x_client(child_env, "--no-ping"):
        meet(env)
        assert grabs_for_still_key(env, monkeypatch) >= 2
        assert same_as_screen(env, env.observe())


def test_a_compositing_manager_turns_the_event_verdict_off(
    env: DesktopEnvironment, xvfb: str, child_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from Xlib import X
    from Xlib.display import Display

    with x_client(child_env):
        meet(env)
        compositor = Display(xvfb)
        try:
            owner = compositor.screen().root.create_window(0, 0, 1, 1, 0, compositor.screen().root_depth)
            selection = compositor.intern_atom(f"_NET_WM_CM_S{compositor.get_default_screen()}")
            owner.set_selection_owner(selection, X.CurrentTime)
            compositor.sync()
            assert grabs_for_still_key(env, monkeypatch) >= 2
            # `screenpilot doctor` says why.
            found = run_checks(DesktopConfig(display=xvfb, abort_hotkey=()), calibrate=False)
            settle = next(c for c in found if c.name == "settle")
            assert settle.level == "warn" and "compositing manager" in settle.detail
        finally:
            compositor.close()


def test_the_event_verdict_can_be_turned_off(
    xvfb: str, child_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sampling = make_env(xvfb, settle_events=False)
    try:
        with x_client(child_env):
            meet(sampling)
            assert grabs_for_still_key(sampling, monkeypatch) >= 2
    finally:
        sampling.close()


def test_what_is_known_of_a_window_goes_with_it(
    env: DesktopEnvironment, child_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # X gives a new client the ids of one that left: the late renderer started after the
    # prompt client closed has the same window id, and must not pass for prompt.
    with x_client(child_env):
        meet(env)
    with x_client(child_env, "--delay-ms", "20"):
        grabs = Grabs(env, monkeypatch)
        acted, after = step(env, Click(at=INSIDE))
        assert grabs.count >= 2
        assert acted.effect is not None and acted.effect.screen.changed
        assert colour_at(after, INSIDE) == BLUE


def test_chromium_is_sampled_and_its_page_change_seen(
    env: DesktopEnvironment, child_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chromium answers pings from its UI thread and draws from its GPU process later: the
    # driver's first look at it finds it late, so every input to it is sampled.
    from screenpilot.environments.browser.config import QUIET_ARGS, find_chromium

    page = tmp_path / "page.html"
    page.write_text(
        "<body style='margin:0;background:#f0f0f0'>"
        "<div style='width:100vw;height:100vh' onclick=\"document.body.style.background="
        "document.body.style.background=='rgb(32, 96, 192)'?'#f0f0f0':'#2060c0'\"></div></body>",
        encoding="utf-8",
    )
    left, top, width, height = BOX
    proc = subprocess.Popen(
        [
            find_chromium(), *QUIET_ARGS, "--app=" + page.as_uri(),
            f"--user-data-dir={tmp_path / 'profile'}", f"--window-position={left},{top}",
            f"--window-size={width},{height}",
        ],
        env=child_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while colour_at(env.observe(), INSIDE) != WHITE:
            assert time.monotonic() < deadline, "Chromium did not show the page"
            time.sleep(0.2)
        meet(env)
        grabs = Grabs(env, monkeypatch)
        acted, after = step(env, Click(at=INSIDE))
        assert grabs.count >= 2
        assert acted.effect is not None and acted.effect.screen.changed
        assert colour_at(after, INSIDE) == BLUE and same_as_screen(env, after)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_input_on_a_window_manager_frame_is_sampled(
    env: DesktopEnvironment, xvfb: str, child_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # This connection plays a window manager: it puts the client in a frame of its own
    # (with a 20 px border) and marks the client with WM_STATE, as managers do.
    from Xlib import X
    from Xlib.display import Display

    manager = Display(xvfb)
    try:
        with x_client(child_env):
            root = manager.screen().root
            client = next(w for w in root.query_tree().children if w.get_wm_name() == "x client")
            left, top, width, height = BOX
            frame = root.create_window(
                left - 20, top - 20, width + 40, height + 40, 0, manager.screen().root_depth,
                background_pixel=0x808080,
            )  # fmt: skip
            frame.map()
            client.reparent(frame, 20, 20)
            state = manager.intern_atom("WM_STATE")
            client.change_property(state, state, 32, [1, X.NONE])
            manager.sync()
            meet(env)  # inside the client: it is prompt
            assert grabs_for_still_key(env, monkeypatch) == 0
            # On the frame's border the manager gets the input: the events prove nothing.
            step(env, MouseMove(at=Point(x=left - 10, y=top + 50, space=CoordSpace.SCREEN)))
            assert grabs_for_still_key(env, monkeypatch) >= 2
    finally:
        manager.close()
