"""Popup rules as data: the shipped rule sets, user rule files, the ``never`` list, the task
guard, the per-run cap, several languages, and OCR lines on dialog windows."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from screenpilot.agent.popups import PopupHandler, PopupRuleSet, default_rules, load_rules, normalize_label
from screenpilot.agent.popups.surfaces import DialogWindowReader
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.geometry import ScreenGeometry
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.points import Box

BROWSER = Capabilities(platform="browser", actions=frozenset({"click"}), elements=True)
DESKTOP = Capabilities(platform="desktop", actions=frozenset({"click"}))


def page(text: str, *labels: str, layer: str = "dialog") -> Observation:
    """A page whose layer shows ``text`` with a button per label (and a button under it)."""
    attrs = {"layer": layer, "layer_id": "1", "layer_text": text}
    buttons = [
        UIElement(
            id=f"b{i}",
            role="button",
            tag="button",
            name=label,
            box=Box(x0=100 * i, y0=500, x1=100 * i + 90, y1=530),
            attributes=attrs,
        )
        for i, label in enumerate(labels)
    ]
    content = UIElement(
        id="c", role="button", tag="button", name="Continue", box=Box(x0=10, y0=10, x1=90, y1=40)
    )
    return Observation(
        screenshot=Image.new("RGB", (1280, 800)),
        geometry=ScreenGeometry.simple(1280, 800),
        capabilities=BROWSER,
        elements=(content, *buttons),
    )


def test_the_shipped_rule_sets() -> None:
    assert default_rules().names() == [
        "cookie-consent",
        "newsletter-signup",
        "later-prompts",
        "android-permission",
        "android-not-responding",
    ]


@pytest.mark.parametrize(
    ("text", "labels", "clicked"),
    [
        ("We use cookies to improve your experience", ("Accept all", "Reject"), "Accept all"),
        ("Wir verwenden Cookies und Datenschutz", ("Einstellungen", "Alle akzeptieren"), "Alle akzeptieren"),
        ("Nous utilisons des cookies", ("Tout accepter", "Paramétrer"), "Tout accepter"),
        ("Utilizamos cookies propias", ("Configurar", "Aceptar todo"), "Aceptar todo"),
        ("当サイトはクッキーを使用します", ("設定", "すべて同意する"), "すべて同意する"),
        ("我们使用 Cookie 改善体验", ("拒绝", "同意"), "同意"),
        ("Get our newsletter every week", ("Subscribe", "×"), "×"),
        ("订阅我们的邮件", ("订阅", "以后再说"), "以后再说"),
        ("Enjoying the app? Rate us!", ("Rate now", "Not now"), "Not now"),
        ("A new version is available", ("Install now", "Maybe later"), "Maybe later"),
        ("发现新版本，是否更新？", ("立即更新", "稍后"), "稍后"),
    ],
)
def test_rules_pick_the_dismissing_choice(text: str, labels: tuple[str, ...], clicked: str) -> None:
    found = PopupHandler().find(page(text, *labels))
    assert found is not None and found.label == clicked
    assert found.action.at.x == pytest.approx(found.box.center.x)


def test_never_clicks_a_committing_choice() -> None:
    assert PopupHandler().find(page("Subscribe to keep reading", "Subscribe")) is None
    assert PopupHandler().find(page("We use cookies", "Delete my account")) is None


def test_content_and_unrelated_layers_are_left_alone() -> None:
    assert PopupHandler().find(page("Shipping address", "Close", "Save")) is None
    obs = page("We use cookies", "Accept all")
    content_only = obs.model_copy(update={"elements": obs.elements[:1]})
    assert PopupHandler().find(content_only) is None


def test_a_popup_the_task_is_about_is_left_to_the_policy() -> None:
    obs = page("We use cookies", "Accept all", "Reject")
    assert PopupHandler().find(obs, context='click "Reject" on the cookie banner') is not None
    assert PopupHandler().find(obs, context='click "Accept all"') is None


def test_the_per_run_cap() -> None:
    handler = PopupHandler(max_per_run=1)
    obs = page("We use cookies", "Accept all")
    assert handler.find(obs) is not None
    handler.count()
    assert handler.find(obs) is None
    handler.start_run()
    assert handler.find(obs) is not None


def test_user_rules_come_first_replace_and_disable(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "never: ['.*manage.*']\n"
        "rules:\n"
        "  - name: cookie-consent\n    when: [cookie]\n    click: ['reject( all)?']\n"
        "  - name: newsletter-signup\n    enabled: false\n"
        "  - name: survey\n    when: ['survey']\n    click: ['no']\n",
        encoding="utf-8",
    )
    rules = load_rules([user])
    assert rules.names()[:2] == ["cookie-consent", "survey"] and "newsletter-signup" not in rules.names()
    handler = PopupHandler(rules)
    found = handler.find(page("We use cookies", "Accept all", "Reject all"))
    assert found is not None and found.label == "Reject all" and found.rule.name == "cookie-consent"
    assert handler.find(page("Get our newsletter", "×")) is None
    assert handler.find(page("A short survey?", "Manage", "No")).label == "No"  # type: ignore[union-attr]
    assert load_rules([user], defaults=False).names() == ["cookie-consent", "survey"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [{name: x, click: ['(']}]", "not a regular expression"),
        ("rules: [{name: x, clik: [a]}]", "clik"),
        ("rules: [", "not valid YAML"),
    ],
)
def test_malformed_rule_files_are_usage_errors(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_rules([bad])
    with pytest.raises(ConfigError, match="cannot read"):
        load_rules([tmp_path / "missing.yaml"])


def test_dialog_windows_are_read_as_lines_and_narrowed_to_the_choice() -> None:
    reads: list[tuple[int, int]] = []

    def reader(image: Image.Image) -> list[tuple[str, Box]]:
        reads.append(image.size)
        return [
            ("Enjoying the app? Please rate it.", Box(x0=20, y0=10, x1=380, y1=30, space="image")),
            ("Rate now  Not now", Box(x0=40, y0=90, x1=380, y1=110, space="image")),
        ]

    extra: dict[str, str | int | float | bool] = {
        "dialog_title": "Rate this app",
        "dialog_x": 300,
        "dialog_y": 200,
        "dialog_w": 420,
        "dialog_h": 150,
    }
    obs = Observation(
        screenshot=Image.new("RGB", (1280, 800)),
        geometry=ScreenGeometry.simple(1280, 800),
        capabilities=DESKTOP,
        extra=extra,
    )
    handler = PopupHandler(reader=reader)
    found = handler.find(obs)
    assert found is not None and found.label == "Not now" and found.rule.name == "later-prompts"
    assert 300 + 40 + 170 < found.box.center.x < 300 + 380  # the right half of the line
    assert reads == [(420, 150)]
    handler.find(obs)
    assert len(reads) == 1  # an unchanged dialog is not read again
    assert DialogWindowReader(reader)(obs.model_copy(update={"extra": {}})) == []


def test_labels_are_normalised() -> None:
    assert normalize_label("  « Accept   All » ") == "accept all"
    assert normalize_label("×") == "×"
    assert PopupRuleSet().names() == []
