"""Browser environment pieces that need no browser: keys, text runs, allowlist, options."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenpilot.environments.browser.allowlist import normalize_url, url_allowed
from screenpilot.environments.browser.config import BrowserConfig, find_chromium
from screenpilot.environments.browser.dialogs import layout
from screenpilot.environments.browser.factory import BrowserOptions, from_options
from screenpilot.environments.browser.gestures import text_runs
from screenpilot.environments.browser.keymap import playwright_key
from screenpilot.tools.errors import ConfigError, DriverError
from screenpilot.tools.keys import CANONICAL_KEYS


@pytest.mark.parametrize(
    ("canonical", "name"),
    [
        ("ctrl", "Control"),
        ("meta", "Meta"),
        ("enter", "Enter"),
        ("pagedown", "PageDown"),
        ("up", "ArrowUp"),
        ("space", "Space"),
        ("a", "KeyA"),
        ("7", "Digit7"),
        ("/", "/"),
        ("f5", "F5"),
        ("contextmenu", "ContextMenu"),
    ],
)
def test_key_names(canonical: str, name: str) -> None:
    assert playwright_key(canonical) == name


def test_every_canonical_key_maps_or_is_refused_clearly() -> None:
    refused = set()
    for key in CANONICAL_KEYS:
        try:
            assert playwright_key(key)
        except DriverError:
            refused.add(key)
    assert refused == {"fn"} | {f"f{i}" for i in range(13, 25)}


def test_text_runs_split_ascii_from_the_rest() -> None:
    assert text_runs("ab 你好\nc😀") == [(True, "ab "), (False, "你好"), (True, "\nc"), (False, "😀")]
    assert "".join(run for _, run in text_runs("Zoë x")) == "Zoë x"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.com/a", True),
        ("https://shop.example.com/", True),
        ("https://example.com.evil.org/", False),
        ("http://127.0.0.1:8000/x", True),
        ("http://localhost:8000/x", False),
        ("about:blank", True),
        ("data:text/html,hi", True),
        ("file:///etc/passwd", False),
    ],
)
def test_allowlist(url: str, allowed: bool) -> None:
    assert url_allowed(url, ("example.com", "127.0.0.1")) is allowed


def test_allowlist_wildcards_and_empty() -> None:
    assert url_allowed("https://a.b.test/", ("*.test",))
    assert url_allowed("https://anything.org/", ())


def test_normalize_url() -> None:
    assert normalize_url("example.com/x") == "https://example.com/x"
    assert normalize_url("localhost:8000") == "http://localhost:8000"
    assert normalize_url("127.0.0.1/a") == "http://127.0.0.1/a"
    assert normalize_url("about:blank") == "about:blank"


def test_options_map_onto_config() -> None:
    opts = BrowserOptions.model_validate(
        {"url": "http://127.0.0.1/", "allowed_domains": "127.0.0.1, example.com", "viewport": "800x600"}
    )
    config = opts.to_config()
    assert config.allowed_domains == ("127.0.0.1", "example.com")
    assert (config.viewport_width, config.viewport_height) == (800, 600)
    assert config.start_url == "http://127.0.0.1/"


def test_bad_options_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="viewport"):
        from_options({"viewport": "big"})
    with pytest.raises(ConfigError, match="nonsense"):
        from_options({"nonsense": 1})
    with pytest.raises(ConfigError, match="outside allowed_domains"):
        from_options({"url": "https://elsewhere.org", "allowed_domains": "example.com"})


def test_executable_lookup() -> None:
    assert find_chromium() == "/usr/bin/chromium"
    assert Path(find_chromium(("/nonexistent/chrome",))).is_file()  # falls back to PATH
    with pytest.raises(ConfigError):
        BrowserConfig(executable_path="/nonexistent/chrome").resolved_executable()


def test_dialog_layout_has_buttons_inside_the_frame() -> None:
    lay = layout("prompt", (1280, 800))
    assert lay.cancel is not None and lay.field is not None
    for rect in (lay.ok, lay.cancel, lay.field):
        assert lay.frame[0] <= rect[0] < rect[2] <= lay.frame[2]
        assert lay.frame[1] <= rect[1] < rect[3] <= lay.frame[3]
    assert layout("alert", (1280, 800)).cancel is None
