"""The view trees of the simulated screens, one builder per screen."""

from __future__ import annotations

from screenpilot.environments.android.simulator.catalog import APPS, app_by_package
from screenpilot.environments.android.simulator.state import SETTINGS_ROWS, SimState
from screenpilot.environments.android.simulator.view import SYSUI, Metrics, Node, Rect


def settings_limits(m: Metrics) -> tuple[int, int]:
    """Row height and the largest scroll offset of the settings list."""
    row_h = m.px(130)
    visible = m.content_bottom - m.toolbar_bottom
    return row_h, max(0, row_h * len(SETTINGS_ROWS) - visible)


def _toolbar(m: Metrics, pkg: str, title: str) -> Node:
    bar = Node(
        "android.view.ViewGroup",
        pkg,
        (0, m.status_h, m.width, m.toolbar_bottom),
        rid=f"{pkg}:id/toolbar",
        style="toolbar",
        color=(33, 33, 33),
    )
    bar.children.append(
        Node(
            "android.widget.TextView",
            pkg,
            (m.px(40), m.status_h + m.px(40), m.width - m.px(40), m.status_h + m.px(100)),
            text=title,
            rid=f"{pkg}:id/title",
            style="title",
        )
    )
    return bar


def system_bars(m: Metrics) -> list[Node]:
    status = Node(
        "android.widget.FrameLayout",
        SYSUI,
        (0, 0, m.width, m.status_h),
        style="status",
        color=(0, 0, 0),
        rid=f"{SYSUI}:id/status_bar",
    )
    status.children.append(
        Node(
            "android.widget.TextView",
            SYSUI,
            (m.px(24), 0, m.px(140), m.status_h),
            text="12:00",
            rid=f"{SYSUI}:id/clock",
            style="statustext",
        )
    )
    nav = Node(
        "android.widget.FrameLayout",
        SYSUI,
        (0, m.content_bottom, m.width, m.height),
        style="nav",
        color=(0, 0, 0),
        rid=f"{SYSUI}:id/navigation_bar_frame",
    )
    third = m.width // 3
    for i, (desc, code) in enumerate((("Back", 4), ("Home", 3), ("Overview", 187))):
        nav.children.append(
            Node(
                "android.widget.ImageView",
                SYSUI,
                (i * third, m.content_bottom, (i + 1) * third, m.height),
                desc=desc,
                rid=f"{SYSUI}:id/{desc.lower()}",
                clickable=True,
                action=f"key:{code}",
                style=f"navbutton:{desc.lower()}",
            )
        )
    return [status, nav]


def launcher(state: SimState, m: Metrics, pkg: str) -> list[Node]:
    nodes = [
        Node(
            "android.widget.TextView",
            pkg,
            (0, m.status_h + m.px(60), m.width, m.status_h + m.px(200)),
            text="Monday, 23 November",
            rid=f"{pkg}:id/date",
            style="bigtext",
        )
    ]
    cols = 4
    cell_w = m.width // cols
    cell_h = m.px(200)
    top = m.status_h + m.px(300)
    for i, app in enumerate(APPS):
        x0 = (i % cols) * cell_w
        y0 = top + (i // cols) * cell_h
        nodes.append(
            Node(
                "android.widget.TextView",
                pkg,
                (x0, y0, x0 + cell_w, y0 + cell_h),
                text=app.label,
                desc=app.label,
                rid=f"{pkg}:id/icon",
                clickable=True,
                long_clickable=True,
                focusable=True,
                action=f"open:{app.package}",
                style="icon",
                color=app.color,
            )
        )
    return nodes


def recents(state: SimState, m: Metrics, pkg: str) -> list[Node]:
    nodes = [_toolbar(m, pkg, "Recent apps")]
    y = m.toolbar_bottom + m.px(30)
    for package in reversed(state.recents):
        app = app_by_package(package)
        if app is None:
            continue
        nodes.append(
            Node(
                "android.widget.FrameLayout",
                pkg,
                (m.px(40), y, m.width - m.px(40), y + m.px(160)),
                text=app.label,
                desc=app.label,
                rid=f"{pkg}:id/snapshot",
                clickable=True,
                action=f"open:{package}",
                style="card",
                color=app.color,
            )
        )
        y += m.px(190)
    nodes.append(
        Node(
            "android.widget.Button",
            pkg,
            (
                m.width // 2 - m.px(140),
                m.content_bottom - m.px(120),
                m.width // 2 + m.px(140),
                m.content_bottom - m.px(40),
            ),
            text="Clear all",
            rid=f"{pkg}:id/clear_all",
            clickable=True,
            action="clear_recents",
            style="button",
        )
    )
    return nodes


def settings(state: SimState, m: Metrics, pkg: str) -> list[Node]:
    row_h, limit = settings_limits(m)
    offset = min(state.scroll.get("settings", 0), limit)
    top, bottom = m.toolbar_bottom, m.content_bottom
    lst = Node(
        "androidx.recyclerview.widget.RecyclerView",
        pkg,
        (0, top, m.width, bottom),
        rid=f"{pkg}:id/recycler_view",
        scrollable=True,
        focusable=True,
    )
    for i, (key, title, toggle) in enumerate(SETTINGS_ROWS):
        y0 = top + i * row_h - offset
        y1 = y0 + row_h
        if y1 <= top or y0 >= bottom:
            continue
        clip = (0, max(y0, top), m.width, min(y1, bottom))
        action = f"toggle:{key}" if toggle else ("open_about" if key == "about" else f"row:{key}")
        row = Node(
            "android.widget.LinearLayout",
            pkg,
            clip,
            clickable=True,
            focusable=True,
            action=action,
            style="row",
            rect=(0, y0, m.width, y1),
        )
        title_rect = (m.px(40), y0 + m.px(40), m.width - m.px(200), y1 - m.px(40))
        row.children.append(
            Node(
                "android.widget.TextView",
                pkg,
                _clip(title_rect, top, bottom),
                text=title,
                rid="android:id/title",
                style="text",
                rect=title_rect,
            )
        )
        if toggle:
            sw = (m.width - m.px(160), y0 + m.px(35), m.width - m.px(40), y1 - m.px(35))
            row.children.append(
                Node(
                    "android.widget.Switch",
                    pkg,
                    _clip(sw, top, bottom),
                    rid="android:id/switch_widget",
                    checkable=True,
                    checked=state.toggles.get(key, False),
                    focusable=True,
                    desc=title,
                    style="switch",
                    rect=sw,
                )
            )
        lst.children.append(row)
    return [lst, _toolbar(m, pkg, "Settings")]


def _clip(r: Rect, top: int, bottom: int) -> Rect:
    return (r[0], max(r[1], top), r[2], max(min(r[3], bottom), r[1], top))


def about(state: SimState, m: Metrics, pkg: str) -> list[Node]:
    nodes = [_toolbar(m, pkg, "About phone")]
    y = m.toolbar_bottom + m.px(30)
    for label, value in (
        ("Device name", "Pixel Sim"),
        ("Model", "sdk_gphone64_x86_64"),
        ("Android version", "14"),
        ("Build number", "SP1A.210812.sim"),
    ):
        nodes.append(
            Node(
                "android.widget.TextView",
                pkg,
                (m.px(40), y, m.width - m.px(40), y + m.px(50)),
                text=label,
                rid="android:id/title",
                style="text",
            )
        )
        nodes.append(
            Node(
                "android.widget.TextView",
                pkg,
                (m.px(40), y + m.px(50), m.width - m.px(40), y + m.px(100)),
                text=value,
                rid="android:id/summary",
                style="subtext",
            )
        )
        y += m.px(140)
    return nodes


def form(state: SimState, m: Metrics, pkg: str) -> list[Node]:
    nodes = [_toolbar(m, pkg, "Form")]
    y = m.toolbar_bottom + m.px(40)
    for key, label, hint in (("name", "Name", "Enter your name"), ("message", "Message", "Say something")):
        nodes.append(
            Node(
                "android.widget.TextView",
                pkg,
                (m.px(40), y, m.width - m.px(40), y + m.px(50)),
                text=label,
                rid=f"{pkg}:id/{key}_label",
                style="text",
            )
        )
        y += m.px(60)
        focused = state.focus == key
        nodes.append(
            Node(
                "android.widget.EditText",
                pkg,
                (m.px(40), y, m.width - m.px(40), y + m.px(100)),
                text=state.fields[key],
                hint=hint,
                rid=f"{pkg}:id/{key}",
                clickable=True,
                long_clickable=True,
                focusable=True,
                focused=focused,
                selected=focused and state.select_all,
                action=f"focus:{key}",
                style="edit",
            )
        )
        y += m.px(140)
    nodes.append(
        Node(
            "android.widget.Button",
            pkg,
            (m.px(40), y, m.px(320), y + m.px(100)),
            text="Submit",
            rid=f"{pkg}:id/submit",
            clickable=True,
            focusable=True,
            action="submit",
            style="button",
        )
    )
    if state.submitted:
        last = state.submitted[-1]
        nodes.append(
            Node(
                "android.widget.TextView",
                pkg,
                (m.px(40), y + m.px(140), m.width - m.px(40), y + m.px(200)),
                text=f"Submitted: {last['name']}",
                rid=f"{pkg}:id/result",
                style="text",
            )
        )
    return nodes


def camera(state: SimState, m: Metrics, pkg: str) -> list[Node]:
    grant = state.permissions.get("camera", "not asked")
    top = m.toolbar_bottom
    return [
        _toolbar(m, pkg, "Camera"),
        Node(
            "android.widget.TextView",
            pkg,
            (m.px(40), top + m.px(60), m.width - m.px(40), top + m.px(120)),
            text=f"Camera permission: {grant}",
            rid=f"{pkg}:id/status",
            style="text",
        ),
        Node(
            "android.widget.Button",
            pkg,
            (m.px(40), top + m.px(160), m.px(360), top + m.px(260)),
            text="Take photo",
            rid=f"{pkg}:id/shutter",
            clickable=True,
            focusable=True,
            action="photo",
            style="button",
        ),
        Node(
            "android.widget.TextView",
            pkg,
            (m.px(40), top + m.px(300), m.width - m.px(40), top + m.px(360)),
            text=f"Photos: {state.photos}",
            rid=f"{pkg}:id/count",
            style="text",
        ),
    ]


def clock(state: SimState, m: Metrics, pkg: str) -> list[Node]:
    return [
        _toolbar(m, pkg, "Clock"),
        Node(
            "android.widget.TextClock",
            pkg,
            (0, m.toolbar_bottom + m.px(200), m.width, m.toolbar_bottom + m.px(400)),
            text="12:00",
            rid=f"{pkg}:id/digital_clock",
            style="bigtext",
        ),
    ]


BUILDERS = {
    "launcher": launcher,
    "recents": recents,
    "settings": settings,
    "about": about,
    "form": form,
    "camera": camera,
    "clock": clock,
}
"""Screen id -> builder of its content (system bars and dialogs are added by the layout)."""
