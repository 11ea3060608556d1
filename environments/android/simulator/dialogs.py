"""System dialogs the simulated phone shows over any screen: a runtime permission prompt and
"app isn't responding". Each is drawn, dumped and hit-tested like the screens under it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from screenpilot.environments.android.simulator.view import ANR_PKG, DIALOG_PKG, Metrics, Node


@dataclass(frozen=True)
class _Button:
    label: str
    rid: str
    action: str


@dataclass(frozen=True)
class _Card:
    """A centred dialog card on a full-screen scrim: a text block, then a column of buttons
    (sizes in dp, measured from the card's top)."""

    pkg: str
    half_height: int
    rid: str
    text: str
    text_rid: str
    text_bottom: int
    buttons_top: int


def _dialog(m: Metrics, card_spec: _Card, buttons: Sequence[_Button]) -> Node:
    pkg = card_spec.pkg
    x0, x1 = m.px(60), m.width - m.px(60)
    y0 = m.height // 2 - m.px(card_spec.half_height)
    y1 = m.height // 2 + m.px(card_spec.half_height)
    scrim = Node("android.widget.FrameLayout", pkg, (0, 0, m.width, m.height), style="scrim")
    card = Node("android.widget.LinearLayout", pkg, (x0, y0, x1, y1), rid=card_spec.rid, style="dialog")
    card.children.append(
        Node(
            "android.widget.TextView",
            pkg,
            (x0 + m.px(40), y0 + m.px(40), x1 - m.px(40), y0 + m.px(card_spec.text_bottom)),
            text=card_spec.text,
            rid=card_spec.text_rid,
            style="text",
        )
    )
    y = y0 + m.px(card_spec.buttons_top)
    for button in buttons:
        card.children.append(
            Node(
                "android.widget.Button",
                pkg,
                (x0 + m.px(40), y, x1 - m.px(40), y + m.px(90)),
                text=button.label,
                rid=button.rid,
                clickable=True,
                focusable=True,
                action=button.action,
                style="button",
            )
        )
        y += m.px(110)
    scrim.children.append(card)
    return scrim


def permission_dialog(m: Metrics) -> Node:
    """The runtime permission prompt (package ``DIALOG_PKG``) for the camera."""
    pkg = DIALOG_PKG
    choices = (
        ("While using the app", "allow_foreground"),
        ("Only this time", "allow_one_time"),
        ("Don't allow", "deny"),
    )
    card = _Card(
        pkg=pkg,
        half_height=300,
        rid=f"{pkg}:id/grant_dialog",
        text="Allow Camera to take pictures and record video?",
        text_rid=f"{pkg}:id/permission_message",
        text_bottom=200,
        buttons_top=240,
    )
    buttons = [_Button(label, f"{pkg}:id/permission_{key}_button", f"perm:{key}") for label, key in choices]
    return _dialog(m, card, buttons)


def anr_dialog(m: Metrics, app: str) -> Node:
    """The "isn't responding" dialog of the system (package ``android``) for the app ``app``."""
    card = _Card(
        pkg=ANR_PKG,
        half_height=220,
        rid="android:id/parentPanel",
        text=f"{app} isn't responding",
        text_rid="android:id/alertTitle",
        text_bottom=160,
        buttons_top=200,
    )
    choices = (("Close app", "close"), ("Wait", "wait"))
    buttons = [_Button(label, f"android:id/aerr_{key}", f"anr:{key}") for label, key in choices]
    return _dialog(m, card, buttons)
