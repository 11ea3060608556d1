import pytest

from screenpilot.environments.base import Environment
from screenpilot.environments.fake import (
    AppSpec,
    DialogSpec,
    FakeConfig,
    FakeEnvironment,
    FaultSpec,
    login_app,
)
from screenpilot.tools.actions import Click, KeyPress, Scroll, TypeText
from screenpilot.tools.errors import DriverError, EnvCrashed
from screenpilot.tools.points import CoordSpace, Point


def click(env: FakeEnvironment, widget: str) -> Click:
    x, y = env.center_of(widget)
    return Click(at=Point(x=x, y=y))


def test_is_an_environment_and_observes_elements():
    env = FakeEnvironment()
    assert isinstance(env, Environment)
    obs = env.reset()
    assert obs.screenshot.size == (800, 600)
    labels = {e.label for e in obs.elements}
    assert {"Username", "Password", "Sign in", "Remember me"} <= labels
    sign_in = next(e for e in obs.elements if e.name == "Sign in")
    assert sign_in.role == "button" and sign_in.box.width == 140


def test_login_flow_reaches_the_dashboard():
    env = FakeEnvironment()
    env.reset()
    env.execute(click(env, "username"))
    env.execute(TypeText(text="alice"))
    env.execute(KeyPress(keys=("tab",)))
    env.execute(TypeText(text="wonderland"))
    env.execute(click(env, "remember"))
    assert env.state.checked["remember"] is True
    env.execute(click(env, "sign_in"))
    assert env.state.screen == "dashboard"


def test_wrong_password_shows_an_error_and_masks_the_value():
    env = FakeEnvironment()
    env.reset()
    env.execute(click(env, "password"))
    env.execute(TypeText(text="nope"))
    env.execute(KeyPress(keys=("enter",)))
    assert env.state.screen == "login"
    assert env.state.error == "Wrong username or password"
    pw = next(e for e in env.observe().elements if e.id == "password")
    assert pw.value == "••••"


def test_hidpi_clicks_use_image_pixels():
    env = FakeEnvironment(FakeConfig(scale_factor=2.0))
    obs = env.reset()
    assert obs.screenshot.size == (1600, 1200)
    x, y = env.center_of("remember")
    env.execute(Click(at=Point(x=x * 2, y=y * 2, space=CoordSpace.IMAGE)))
    assert env.state.checked["remember"]


def test_dialog_blocks_clicks_until_dismissed():
    app = login_app().model_copy(update={"dialog": DialogSpec(at_steps=(1,))})
    env = FakeEnvironment(FakeConfig(app=app))
    env.reset()
    env.execute(click(env, "username"))
    assert env.state.dialog_open
    env.execute(click(env, "remember"))
    assert env.state.checked["remember"] is False
    x, y = env.dialog_button_center("Accept")
    env.execute(Click(at=Point(x=x, y=y)))
    assert not env.state.dialog_open and env.state.dialog_choice == "Accept"


def test_scroll_moves_long_screens():
    env = FakeEnvironment()
    env.reset()
    env._goto("invoices")
    before = env.center_of("invoice_10")
    env.execute(Scroll(direction="down", amount=2))
    assert env.center_of("invoice_10")[1] == before[1] - 80


def test_injected_faults_raise_project_errors():
    app = AppSpec.model_validate(
        login_app().model_dump() | {"faults": FaultSpec(driver_error_at=(0,), crash_at=(1,))}
    )
    env = FakeEnvironment(FakeConfig(app=app))
    env.reset()
    with pytest.raises(DriverError):
        env.execute(KeyPress(keys=("tab",)))
    with pytest.raises(EnvCrashed):
        env.execute(KeyPress(keys=("tab",)))


def test_closed_environment_reports_crash():
    env = FakeEnvironment()
    env.close()
    with pytest.raises(EnvCrashed):
        env.observe()
