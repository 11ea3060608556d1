"""The combined grounder resolves role, ordinal, position and label hints."""

from __future__ import annotations

import pytest

from screenpilot.environments.fake import AppSpec, FakeConfig, FakeEnvironment
from screenpilot.environments.observation import Observation
from screenpilot.model.offline.grounder import GrounderConfig, OfflineGrounder
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.perception.ocr import OcrEngine


def _obs(app: AppSpec, *, elements: bool) -> tuple[FakeEnvironment, Observation]:
    env = FakeEnvironment(FakeConfig(app=app, expose_elements=elements))
    return env, env.reset()


def _hit(env: FakeEnvironment, obs: Observation, grounder: OfflineGrounder, query: str, **kw: str) -> str:
    """The widget id under the best candidate's centre."""
    found = grounder.find(obs, query, **kw)
    assert found, f"nothing found for {query!r}"
    c = found[0].box.center
    for w in env.app.screen(env.state.screen).widgets:
        if w.rect.contains(c.x, c.y):
            return w.id
    raise AssertionError(f"{query!r} -> {c} is on no widget ({found[0].why})")


ELEMENT_CASES = [
    ("the second link", {}, "edit_2"),
    ("the last link", {}, "edit_3"),
    ("the first Edit link", {}, "edit_1"),
    ("第二个链接", {}, "edit_2"),
    ("the field below Email", {}, "email"),
    ("Email", {"role": "textbox"}, "email"),  # label above an unnamed field
    ("Phone field", {}, "phone"),  # label left of an unnamed field
    ("the input to the right of Phone", {}, "phone"),
    ("Search orders", {"role": "textbox"}, "search"),  # placeholder
    ("Help in the top right", {}, "help_top"),
    ("the Help button at the bottom left", {}, "help_bottom"),
    ("右上角的按钮", {}, "help_top"),
    ("Send me news", {"role": "checkbox"}, "news"),
    ("send", {"role": "button"}, "send"),
]


@pytest.mark.parametrize(("query", "kw", "widget"), ELEMENT_CASES)
def test_hints_with_elements(form_app: AppSpec, query: str, kw: dict[str, str], widget: str) -> None:
    env, obs = _obs(form_app, elements=True)
    grounder = OfflineGrounder(GrounderConfig(ocr="off"))
    assert _hit(env, obs, grounder, query, **kw) == widget


OCR_CASES = [
    ("the field below Email", {}, "email"),
    ("Email", {"role": "textbox"}, "email"),
    ("Phone", {"role": "textbox"}, "phone"),
    ("Search orders", {"role": "textbox"}, "search"),
    ("Help in the top right", {}, "help_top"),
    ("Help at the bottom", {}, "help_bottom"),
    ("the third Edit", {}, "edit_3"),
    ("Send me news", {"role": "checkbox"}, "news"),
]


@pytest.fixture(scope="module")
def ocr_grounder(ocr_engine: OcrEngine) -> OfflineGrounder:
    # Shared: its incremental reader sees the same pixels every case and reads them once.
    return OfflineGrounder(GrounderConfig(ocr="auto"), engine=ocr_engine)


@pytest.mark.slow
@pytest.mark.parametrize(("query", "kw", "widget"), OCR_CASES)
def test_hints_from_pixels_only(
    form_app: AppSpec, ocr_grounder: OfflineGrounder, query: str, kw: dict[str, str], widget: str
) -> None:
    env, obs = _obs(form_app, elements=False)
    assert _hit(env, obs, ocr_grounder, query, **kw) == widget


def test_locate_explains_what_it_saw(form_app: AppSpec) -> None:
    _, obs = _obs(form_app, elements=True)
    grounder = OfflineGrounder(GrounderConfig(ocr="off"))
    with pytest.raises(ModelOutputError) as info:
        grounder.locate(obs, "Delete account")
    message = str(info.value)
    assert "Delete account" in message and "'Send'" in message


def test_wrong_role_is_not_returned(form_app: AppSpec) -> None:
    _, obs = _obs(form_app, elements=True)
    grounder = OfflineGrounder(GrounderConfig(ocr="off"))
    assert grounder.find(obs, "Send", role="textbox") == []


def test_find_image_returns_screen_boxes_on_a_hidpi_screen() -> None:
    from screenpilot.environments.fake import login_app

    env = FakeEnvironment(FakeConfig(app=login_app(), scale_factor=2.0))
    obs = env.reset()
    button = obs.screenshot.crop((500, 700, 780, 780))  # "Sign in" in image pixels (2x)
    found = OfflineGrounder(GrounderConfig(ocr="off")).find_image(obs, button, label="sign in")
    assert found
    c = found[0].box.center
    assert env.widget("sign_in").rect.contains(c.x, c.y)  # logical (screen) coordinates
