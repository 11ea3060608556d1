"""Draw a simulated GUI with PIL."""

from __future__ import annotations

from functools import cache

from PIL import Image, ImageDraw, ImageFont

from screenpilot.environments.fake.spec import AppSpec, DialogSpec, Rect, Widget
from screenpilot.environments.fake.state import FakeState

_BLUE = (37, 99, 235)
_GREY = (229, 231, 235)
_DARK = (17, 24, 39)
_RED = (185, 28, 28)


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def dialog_rect(app: AppSpec) -> Rect:
    w, h = 420, 200
    return Rect(x=(app.width - w) // 2, y=(app.height - h) // 2, w=w, h=h)


def dialog_button_rects(app: AppSpec, dialog: DialogSpec) -> list[tuple[str, Rect]]:
    box = dialog_rect(app)
    out = []
    for i, label in enumerate(dialog.buttons):
        out.append((label, Rect(x=box.x + 20 + i * 130, y=box.y + box.h - 60, w=120, h=40)))
    return out


def widget_rect_on_screen(widget: Widget, state: FakeState) -> Rect:
    r = widget.rect
    return Rect(x=r.x, y=r.y - state.scroll_y, w=r.w, h=r.h)


def render(app: AppSpec, state: FakeState, scale: float) -> Image.Image:
    """Render the current state at ``scale`` image pixels per logical pixel."""
    img = Image.new("RGB", (app.width, app.height), "white")
    d = ImageDraw.Draw(img)
    screen = app.screen(state.screen)
    for w in screen.widgets:
        _draw_widget(d, w, widget_rect_on_screen(w, state), state)
    d.rectangle([0, 0, app.width, 56], fill=_DARK)
    d.text((20, 16), f"{app.name} · {screen.title}", fill="white", font=font(20))
    if state.error:
        d.text((250, 110), state.error, fill=_RED, font=font(16))
    if state.dialog_open and app.dialog is not None:
        _draw_dialog(d, img, app, app.dialog)
    if scale != 1.0:
        size = (round(app.width * scale), round(app.height * scale))
        img = img.resize(size, Image.Resampling.LANCZOS)
    return img


def _draw_widget(d: ImageDraw.ImageDraw, w: Widget, r: Rect, state: FakeState) -> None:
    box = [r.x, r.y, r.x + r.w, r.y + r.h]
    f = font(16)
    if w.kind == "button":
        d.rounded_rectangle(box, radius=6, fill=_BLUE)
        _centered(d, r, w.label, "white")
    elif w.kind == "field":
        focused = state.focus == w.id
        d.rectangle(
            box, fill="white", outline=_BLUE if focused else (156, 163, 175), width=2 if focused else 1
        )
        value = state.values.get(w.id, "")
        shown = "•" * len(value) if w.password else value
        if shown:
            d.text((r.x + 8, r.y + r.h / 2), shown, fill=_DARK, font=f, anchor="lm")
        elif w.placeholder:
            d.text((r.x + 8, r.y + r.h / 2), w.placeholder, fill=(156, 163, 175), font=f, anchor="lm")
        if focused:
            caret_x = r.x + 8 + d.textlength(shown, font=f) + 1
            d.line([caret_x, r.y + 8, caret_x, r.y + r.h - 8], fill=_DARK, width=1)
    elif w.kind == "checkbox":
        d.rectangle([r.x, r.y + 2, r.x + 20, r.y + 22], outline=_DARK, width=2)
        if state.checked.get(w.id, False):
            d.line([r.x + 4, r.y + 12, r.x + 9, r.y + 18, r.x + 17, r.y + 5], fill=_DARK, width=3)
        d.text((r.x + 30, r.y + 12), w.label, fill=_DARK, font=f, anchor="lm")
    elif w.kind == "link":
        d.text((r.x, r.y + r.h / 2), w.label, fill=_BLUE, font=f, anchor="lm")
        width = d.textlength(w.label, font=f)
        d.line([r.x, r.y + r.h - 3, r.x + width, r.y + r.h - 3], fill=_BLUE, width=1)
    else:
        d.text((r.x, r.y + r.h / 2), w.label, fill=_DARK, font=f, anchor="lm")


def _centered(d: ImageDraw.ImageDraw, r: Rect, text: str, fill: str) -> None:
    d.text((r.x + r.w / 2, r.y + r.h / 2), text, fill=fill, font=font(16), anchor="mm")


def _draw_dialog(d: ImageDraw.ImageDraw, img: Image.Image, app: AppSpec, dialog: DialogSpec) -> None:
    shade = Image.new("RGB", img.size, (0, 0, 0))
    img.paste(Image.blend(img, shade, 0.35))
    box = dialog_rect(app)
    d.rectangle([box.x, box.y, box.x + box.w, box.y + box.h], fill="white", outline=_DARK, width=2)
    d.text((box.x + 20, box.y + 20), dialog.title, fill=_DARK, font=font(20))
    d.text((box.x + 20, box.y + 60), dialog.text, fill=_DARK, font=font(14))
    for label, r in dialog_button_rects(app, dialog):
        d.rounded_rectangle([r.x, r.y, r.x + r.w, r.y + r.h], radius=6, fill=_GREY, outline=_DARK)
        _centered(d, r, label, "black")
