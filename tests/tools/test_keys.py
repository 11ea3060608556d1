import pytest

from screenpilot.tools.actions import KeyPress
from screenpilot.tools.keys import CANONICAL_KEYS, UnknownKeyError, normalize_key, split_combo


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Ctrl", "ctrl"),
        ("control", "ctrl"),
        ("CONTROL", "ctrl"),
        ("cmd", "meta"),
        ("Command", "meta"),
        ("super", "meta"),
        ("win", "meta"),
        ("Return", "enter"),
        ("enter", "enter"),
        ("Esc", "escape"),
        ("escape", "escape"),
        ("ArrowLeft", "left"),
        ("Up", "up"),
        ("PgDn", "pagedown"),
        ("Page_Up", "pageup"),
        ("F5", "f5"),
        ("f12", "f12"),
        ("A", "a"),
        ("KeyB", "b"),
        ("Digit7", "7"),
        ("Del", "delete"),
        ("BackSpace", "backspace"),
        ("spacebar", "space"),
        (" ", "space"),
        ("option", "alt"),
        ("plus", "+"),
    ],
)
def test_aliases_map_to_one_canonical_name(alias, canonical):
    assert normalize_key(alias) == canonical
    assert canonical in CANONICAL_KEYS


def test_unknown_key_is_rejected_with_suggestions():
    with pytest.raises(UnknownKeyError) as err:
        normalize_key("entr")
    assert "enter" in str(err.value)
    with pytest.raises(UnknownKeyError):
        normalize_key("")


def test_key_press_normalises_its_keys():
    assert KeyPress(keys=("Control", "Shift", "T")).keys == ("ctrl", "shift", "t")


@pytest.mark.parametrize(
    ("combo", "keys"),
    [
        ("ctrl+c", ["ctrl", "c"]),
        ("Ctrl+Shift+Esc", ["ctrl", "shift", "escape"]),
        ("ctrl-a", ["ctrl", "a"]),
        ("ctrl++", ["ctrl", "+"]),
        ("Return", ["enter"]),
        ("-", ["-"]),
    ],
)
def test_split_combo(combo, keys):
    assert split_combo(combo) == keys
