"""Parsing device output: raw and PNG screenshots, dumpsys, wm, UI dumps, launcher queries."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from screenpilot.environments.android import apps
from screenpilot.environments.android.hierarchy import parse_hierarchy
from screenpilot.environments.android.screen import (
    decode_png,
    decode_raw,
    parse_density,
    parse_focus,
    parse_rotation,
    parse_size,
)
from screenpilot.tools.errors import DriverError

# A dump in the format real devices write (Android 13 Settings, shortened).
REAL_DUMP = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">"
    '<node index="0" text="" resource-id="" class="android.widget.FrameLayout" '
    'package="com.android.settings" '
    'content-desc="" checkable="false" checked="false" clickable="false" enabled="true" focusable="false" '
    'focused="false" scrollable="false" long-clickable="false" password="false" selected="false" '
    'bounds="[0,0][1080,2400]">'
    '<node index="0" text="Search settings" resource-id="com.android.settings:id/search_action_bar_title" '
    'class="android.widget.TextView" package="com.android.settings" content-desc="" checkable="false" '
    'checked="false" clickable="false" enabled="true" focusable="false" focused="false" scrollable="false" '
    'long-clickable="false" password="false" selected="false" bounds="[189,252][539,311]" />'
    '<node index="1" text="" resource-id="android:id/switch_widget" class="android.widget.Switch" '
    'package="com.android.settings" content-desc="" checkable="true" checked="true" clickable="true" '
    'enabled="true" focusable="true" focused="false" scrollable="false" long-clickable="false" '
    'password="false" selected="false" bounds="[900,400][1032,480]" />'
    '<node index="2" text="" resource-id="android:id/switch_widget" class="android.widget.Switch" '
    'package="com.android.settings" content-desc="" checkable="true" checked="false" clickable="true" '
    'enabled="false" focusable="true" focused="false" scrollable="false" long-clickable="false" '
    'password="false" selected="false" bounds="[900,500][1032,580]" />'
    '<node index="3" text="secret" resource-id="" class="android.widget.EditText" '
    'package="com.android.settings" content-desc="" checkable="false" checked="false" clickable="true" '
    'enabled="true" focusable="true" focused="true" scrollable="false" long-clickable="true" '
    'password="true" selected="false" bounds="[0,600][0,700]" />'
    "</node></hierarchy>"
)


def test_real_format_dump() -> None:
    els = parse_hierarchy("UI hierchary dumped to: /dev/tty\n" + REAL_DUMP)
    assert [e.id for e in els] == ["search_action_bar_title", "switch_widget", "switch_widget#2"]
    title, on, off = els
    assert title.role == "text" and title.text == "Search settings"
    assert (title.box.x0, title.box.y0, title.box.x1, title.box.y1) == (189, 252, 539, 311)
    assert on.role == "switch" and on.checked is True and on.enabled
    assert off.checked is False and not off.enabled


def test_dump_refuses_entities_and_garbage() -> None:
    with pytest.raises(DriverError):
        parse_hierarchy('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><hierarchy/>')
    with pytest.raises(DriverError):
        parse_hierarchy("ERROR: could not get idle state.")


@pytest.mark.parametrize(("header", "fmt"), [(12, 1), (16, 1), (16, 5)])
def test_raw_screencap_layouts(header: int, fmt: int) -> None:
    pixels = bytes([10, 20, 30, 255]) * 6
    data = struct.pack("<III", 3, 2, fmt) + b"\0" * (header - 12) + pixels
    img = decode_raw(data)
    assert img.size == (3, 2)
    assert img.getpixel((0, 0)) == ((10, 20, 30) if fmt == 1 else (30, 20, 10))


def test_bad_screenshots_are_driver_errors() -> None:
    with pytest.raises(DriverError):
        decode_raw(struct.pack("<III", 100, 100, 1) + b"\0" * 10)
    with pytest.raises(DriverError):
        decode_png(b"not a png")
    buf = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buf, format="PNG")
    assert decode_png(buf.getvalue()).size == (4, 3)


def test_dumpsys_and_wm_output() -> None:
    activity = "org.chromium.chrome.browser.ChromeTabbedActivity"
    focus = f"  mCurrentFocus=Window{{be9b7c2 u0 com.android.chrome/{activity}}}"
    assert parse_focus(focus) == ("com.android.chrome", activity)
    assert parse_focus("mCurrentFocus=null") == (None, None)
    assert parse_rotation("    SurfaceOrientation: 3") == 3
    assert parse_size("Physical size: 1080x2400\nOverride size: 720x1600") == (720, 1600)
    assert parse_density("Physical density: 420") == 420


def test_launcher_labels_from_package_manager() -> None:
    out = (
        "2 activities found:\n  Activity #0:\n    ActivityInfo:\n      name=com.a.Main\n"
        "      packageName=com.a\n      labelRes=0x0 nonLocalizedLabel=My App icon=0x7f\n"
        "  Activity #1:\n    ActivityInfo:\n      name=com.b.Main\n      packageName=com.b\n"
        "      labelRes=0x7f01 nonLocalizedLabel=null icon=0x7f\n"
    )
    labels = apps.labels_from_query(out)
    assert labels == {"com.a": "My App"}
    assert apps.find_by_label(labels, "my app") == "com.a"
    assert apps.find_by_package_tail(["com.android.deskclock", "com.android.camera2"], "DeskClock") == (
        "com.android.deskclock"
    )
