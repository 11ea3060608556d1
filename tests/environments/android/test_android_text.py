"""Text input: shell escaping of ``input text``, and non-ASCII through ADB Keyboard or the clipboard."""

from __future__ import annotations

import pytest
from android_helpers import element
from hypothesis import given, settings
from hypothesis import strategies as st

from screenpilot.environments.android.env import AndroidEnvironment
from screenpilot.environments.android.simulator import AdbSimulator, SimDevice
from screenpilot.environments.android.simulator.catalog import LATIN_IME
from screenpilot.environments.android.simulator.shell import run
from screenpilot.environments.android.textinput import input_text_commands, is_typable_ascii
from screenpilot.tools.actions import Click, OpenApp, TypeText
from screenpilot.tools.errors import DriverError

pytestmark = pytest.mark.android

TRICKY = [
    "hello world",
    "it's",
    'say "hi"',
    "100%s sure",
    "%s%s %",
    "50% off",
    "$HOME `id` $(id) ; & && | || < > ( ) * ? ~ # ! { } [ ]",
    "back\\slash \\' \\\"",
    "  leading and trailing  ",
    "-v --help",
]


def _type_on_device(text: str) -> str:
    device = SimDevice()
    device.launch("com.example.form")
    device.state.focus = "name"
    for command in input_text_commands(text):
        result = run(device, command)
        assert result.code == 0, result.stderr
    return device.state.fields["name"]


@pytest.mark.parametrize("text", TRICKY)
def test_input_text_escaping_survives_the_device_shell(text: str) -> None:
    assert _type_on_device(text) == text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_any_printable_ascii_round_trips(text: str) -> None:
    assert _type_on_device(text) == text


def test_non_ascii_is_not_sent_through_input_text() -> None:
    assert is_typable_ascii("tab\tnew\nline")
    assert not is_typable_ascii("café")


def _focus_name(env: AndroidEnvironment) -> None:
    env.reset()
    env.execute(OpenApp(name="Form"))
    env.execute(Click(at=element(env.observe(), "Enter your name").box.center))


def test_escaped_text_through_the_real_client(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    _focus_name(env)
    text = TRICKY[6] + " " + TRICKY[7]
    env.execute(TypeText(text=text))
    assert sim.device.state.fields["name"] == text


def test_newline_is_an_enter_key(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    _focus_name(env)
    env.execute(TypeText(text="Ada\nfirst programmer"))
    assert sim.device.state.fields == {"name": "Ada", "message": "first programmer"}


NON_ASCII = "Grüße, 世界 🙂 — ñ"


def test_non_ascii_through_adb_keyboard_restores_the_ime(make_sim, make_env) -> None:  # type: ignore[no-untyped-def]
    sim = make_sim(adb_keyboard=True, clipper=True)
    env = make_env(sim)
    _focus_name(env)
    result = env.execute(TypeText(text=NON_ASCII))
    assert "adb keyboard" in result.message
    assert sim.device.state.fields["name"] == NON_ASCII
    assert any(r.startswith("shell,v2:am broadcast -a ADB_INPUT_B64") for r in sim.requests)
    env.close()
    assert sim.device.state.ime == LATIN_IME


def test_non_ascii_through_the_clipboard(make_sim, make_env) -> None:  # type: ignore[no-untyped-def]
    sim = make_sim(clipper=True)
    env = make_env(sim)
    _focus_name(env)
    assert "clipboard" in env.execute(TypeText(text=NON_ASCII)).message
    assert sim.device.state.fields["name"] == NON_ASCII
    assert sim.device.state.clipboard == NON_ASCII


def test_non_ascii_without_helpers_is_a_clear_error(sim: AdbSimulator, env: AndroidEnvironment) -> None:
    _focus_name(env)
    with pytest.raises(DriverError, match="ADB Keyboard") as info:
        env.execute(TypeText(text=NON_ASCII))
    assert "Clipper" in str(info.value)
    assert sim.device.state.fields["name"] == ""


def test_forced_method_that_is_missing_is_an_error(sim: AdbSimulator, make_env) -> None:  # type: ignore[no-untyped-def]
    env = make_env(sim, text_input="adb_keyboard")
    _focus_name(env)
    with pytest.raises(DriverError, match="ADB Keyboard"):
        env.execute(TypeText(text="plain"))
