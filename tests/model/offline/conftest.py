"""Fixtures for the offline policy tests: one OCR engine and a form app with hint cases."""

from __future__ import annotations

import pytest

from screenpilot.environments.fake import AppSpec, Rect, ScreenSpec, Widget
from screenpilot.tools.perception.ocr import OcrEngine


@pytest.fixture(scope="session")
def ocr_engine() -> OcrEngine:
    return OcrEngine()


def _r(x: int, y: int, w: int, h: int) -> Rect:
    return Rect(x=x, y=y, w=w, h=h)


@pytest.fixture(scope="session")
def form_app() -> AppSpec:
    """A contact form whose fields carry no names of their own: labels sit beside or above."""
    widgets = (
        Widget(id="help_top", kind="button", label="Help", rect=_r(680, 70, 90, 34), on_click="goto:done"),
        Widget(id="email_label", kind="label", label="Email", rect=_r(60, 90, 200, 24)),
        Widget(id="email", kind="field", rect=_r(60, 118, 320, 36)),
        Widget(id="phone_label", kind="label", label="Phone", rect=_r(60, 180, 80, 24)),
        Widget(id="phone", kind="field", rect=_r(150, 174, 230, 36)),
        Widget(id="search", kind="field", placeholder="Search orders", rect=_r(420, 118, 300, 36)),
        Widget(id="news", kind="checkbox", label="Send me news", rect=_r(60, 240, 220, 24)),
        Widget(id="edit_1", kind="link", label="Edit", rect=_r(60, 300, 60, 24), on_click="goto:done"),
        Widget(id="edit_2", kind="link", label="Edit", rect=_r(60, 340, 60, 24), on_click="goto:done"),
        Widget(id="edit_3", kind="link", label="Edit", rect=_r(60, 380, 60, 24), on_click="goto:done"),
        Widget(id="send", kind="button", label="Send", rect=_r(60, 440, 120, 40), on_click="submit"),
        Widget(id="help_bottom", kind="button", label="Help", rect=_r(60, 520, 90, 34), on_click="goto:done"),
    )
    form = ScreenSpec(
        name="form",
        title="Contact",
        widgets=widgets,
        requires={"email": "ada@example.com", "phone": "555 0100", "news": "checked"},
        on_success="done",
        error_text="Please fill in the form",
    )
    done = ScreenSpec(
        name="done",
        title="Thanks",
        widgets=(Widget(id="thanks", kind="label", label="Message sent", rect=_r(60, 100, 300, 30)),),
    )
    return AppSpec(name="contact", screens=(form, done), start="form")
