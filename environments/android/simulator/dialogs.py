"""System dialogs the simulated phone shows over any screen: a runtime permission prompt and
"app isn't responding". Each is drawn, dumped and hit-tested like the screens under it."""

from __future__ import annotations

from screenpilot.environments.android.simulator.view import ANR_PKG, DIALOG_PKG, Metrics, Node


def permission_dialog(m: Metrics) -> Node:
    pkg = DIALOG_PKG
    x0, x1 = m.px(60), m.width - m.px(60)
    y0 = m.height // 2 - m.px(300)
    y1 = m.height // 2 + m.px(300)
    scrim = Node("android.widget.FrameLayout", pkg, (0, 0, m.width, m.height), style="scrim")
    card = Node(
        "android.widget.LinearLayout", pkg, (x0, y0, x1, y1), rid=f"{pkg}:id/grant_dialog", style="dialog"
    )
    card.children.append(
        Node(
            "android.widget.TextView",
            pkg,
            (x0 + m.px(40), y0 + m.px(40), x1 - m.px(40), y0 + m.px(200)),
            text="Allow Camera to take pictures and record video?",
            rid=f"{pkg}:id/permission_message",
            style="text",
        )
    )
    labels = (
        ("While using the app", "allow_foreground"),
        ("Only this time", "allow_one_time"),
        ("Don't allow", "deny"),
    )
    y = y0 + m.px(240)
    for label, key in labels:
        card.children.append(
            Node(
                "android.widget.Button",
                pkg,
                (x0 + m.px(40), y, x1 - m.px(40), y + m.px(90)),
                text=label,
                rid=f"{pkg}:id/permission_{key}_button",
                clickable=True,
                focusable=True,
                action=f"perm:{key}",
                style="button",
            )
        )
        y += m.px(110)
    scrim.children.append(card)
    return scrim


def anr_dialog(m: Metrics, app: str) -> Node:
    """The "isn't responding" dialog of the system (package ``android``) for the app ``app``."""
    pkg = ANR_PKG
    x0, x1 = m.px(60), m.width - m.px(60)
    y0 = m.height // 2 - m.px(220)
    y1 = m.height // 2 + m.px(220)
    scrim = Node("android.widget.FrameLayout", pkg, (0, 0, m.width, m.height), style="scrim")
    card = Node(
        "android.widget.LinearLayout", pkg, (x0, y0, x1, y1), rid="android:id/parentPanel", style="dialog"
    )
    card.children.append(
        Node(
            "android.widget.TextView",
            pkg,
            (x0 + m.px(40), y0 + m.px(40), x1 - m.px(40), y0 + m.px(160)),
            text=f"{app} isn't responding",
            rid="android:id/alertTitle",
            style="text",
        )
    )
    y = y0 + m.px(200)
    for label, key in (("Close app", "close"), ("Wait", "wait")):
        card.children.append(
            Node(
                "android.widget.Button",
                pkg,
                (x0 + m.px(40), y, x1 - m.px(40), y + m.px(90)),
                text=label,
                rid=f"android:id/aerr_{key}",
                clickable=True,
                focusable=True,
                action=f"anr:{key}",
                style="button",
            )
        )
        y += m.px(110)
    scrim.children.append(card)
    return scrim
