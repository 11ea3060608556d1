"""JavaScript dialogs (alert, confirm, prompt, beforeunload), answered by a rule or by the policy.

With the ``policy`` rule the dialog stays open: the page is frozen behind it (it cannot
even be screenshotted), so the observation shows the last screenshot with the dialog drawn
on top, and the dialog's buttons as elements. A click on OK or Cancel, typing into a prompt,
Enter or Escape answers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Dialog
from playwright.sync_api import Error as PlaywrightError

from screenpilot.environments.browser.config import DialogPolicy
from screenpilot.environments.browser.notices import NoticeBoard
from screenpilot.environments.browser.pump import Pending
from screenpilot.environments.observation import UIElement
from screenpilot.tools.points import Box

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class DialogLayout:
    """Where the drawn dialog and its parts are, in viewport CSS pixels."""

    frame: Rect
    ok: Rect
    cancel: Rect | None
    field: Rect | None


def layout(kind: str, viewport: tuple[int, int]) -> DialogLayout:
    width, height = 440.0, 170.0 if kind == "prompt" else 130.0
    x0 = max(0.0, (viewport[0] - width) / 2)
    y0 = 40.0
    bottom = y0 + height
    ok = (x0 + width - 100, bottom - 44, x0 + width - 16, bottom - 12)
    cancel = (ok[0] - 96, ok[1], ok[0] - 12, ok[3]) if kind != "alert" else None
    field = (x0 + 16, y0 + 78, x0 + width - 16, y0 + 108) if kind == "prompt" else None
    return DialogLayout(frame=(x0, y0, x0 + width, bottom), ok=ok, cancel=cancel, field=field)


def _inside(rect: Rect | None, x: float, y: float) -> bool:
    return rect is not None and rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


class DialogWatch:
    """Answers dialogs by rule, or keeps one pending for the policy."""

    def __init__(self, policy: DialogPolicy, notices: NoticeBoard) -> None:
        self.policy = policy
        self.notices = notices
        self.pending: Dialog | None = None
        self.prompt_text = ""
        self.signal: Pending | None = None
        """Resolved when a dialog opens, to wake an action that is waiting behind it."""
        self.opened = 0
        """Dialogs opened so far (action effects count them)."""

    def handle(self, dialog: Dialog) -> None:
        """The ``page.on("dialog")`` handler."""
        kind, message = dialog.type, dialog.message
        self.opened += 1
        if self.policy == "policy":
            self.pending, self.prompt_text = dialog, dialog.default_value
            buttons = "OK" if kind == "alert" else "OK or Cancel"
            self.notices.add(f"a JavaScript {kind} dialog is open: {message!r}; answer it with {buttons}")
            if self.signal is not None and not self.signal.done():
                self.signal.set_result(None)
            return
        try:
            if self.policy == "accept":
                dialog.accept(dialog.default_value if kind == "prompt" else "")
            else:
                dialog.dismiss()
        except PlaywrightError:
            return  # the page closed with the dialog open; nothing is left to answer
        verb = "accepted" if self.policy == "accept" else "dismissed"
        self.notices.add(f"a JavaScript {kind} dialog said {message!r} and was {verb}")

    def answer(self, accept: bool) -> str:
        """Answer the pending dialog; returns what was done."""
        dialog = self.pending
        if dialog is None:
            return "no dialog is open"
        self.pending = None
        try:
            if accept:
                dialog.accept(self.prompt_text if dialog.type == "prompt" else "")
            else:
                dialog.dismiss()
        except PlaywrightError:
            return "the dialog had already gone"
        verb = "accepted" if accept else "dismissed"
        return f"the {dialog.type} dialog {dialog.message!r} was {verb}"

    def click(self, x: float, y: float, viewport: tuple[int, int]) -> tuple[bool, str]:
        """A click on the drawn dialog: ``(handled, message)``."""
        assert self.pending is not None
        lay = layout(self.pending.type, viewport)
        if _inside(lay.ok, x, y):
            return True, self.answer(True)
        if _inside(lay.cancel, x, y):
            return True, self.answer(False)
        if _inside(lay.field, x, y):
            return True, "the prompt's text field is focused"
        return False, "a JavaScript dialog is open: click its OK or Cancel button first"

    def elements(self, viewport: tuple[int, int]) -> tuple[UIElement, ...]:
        """The drawn dialog's parts as elements (boxes in viewport CSS pixels)."""
        dialog = self.pending
        if dialog is None:
            return ()
        lay = layout(dialog.type, viewport)
        out = [
            UIElement(
                id="dialog", role="alertdialog", tag="dialog", text=dialog.message, box=_box(lay.frame)
            ),
            UIElement(id="dialog.ok", role="button", tag="button", name="OK", text="OK", box=_box(lay.ok)),
        ]
        if lay.cancel is not None:
            out.append(
                UIElement(
                    id="dialog.cancel", role="button", tag="button", name="Cancel", box=_box(lay.cancel)
                )
            )
        if lay.field is not None:
            out.append(
                UIElement(
                    id="dialog.input",
                    role="textbox",
                    tag="input",
                    value=self.prompt_text,
                    editable=True,
                    box=_box(lay.field),
                )
            )
        return tuple(out)

    def draw(self, image: Image.Image, viewport: tuple[int, int]) -> Image.Image:
        """``image`` dimmed, with the pending dialog drawn where :func:`layout` puts it."""
        dialog = self.pending
        if dialog is None:
            return image
        sx, sy = image.width / viewport[0], image.height / viewport[1]
        out = Image.blend(image.convert("RGB"), Image.new("RGB", image.size, (0, 0, 0)), 0.35)
        d = ImageDraw.Draw(out)
        lay = layout(dialog.type, viewport)

        def px(r: Rect) -> list[float]:
            return [r[0] * sx, r[1] * sy, r[2] * sx, r[3] * sy]

        d.rectangle(px(lay.frame), fill="white", outline=(60, 60, 60), width=max(1, round(sx)))
        font = _font(round(14 * sy))
        d.text(
            (px(lay.frame)[0] + 16 * sx, px(lay.frame)[1] + 16 * sy),
            "This page says",
            fill="black",
            font=font,
        )
        d.text(
            (px(lay.frame)[0] + 16 * sx, px(lay.frame)[1] + 42 * sy),
            dialog.message[:60],
            fill="black",
            font=font,
        )
        for rect, label in ((lay.ok, "OK"), (lay.cancel, "Cancel")):
            if rect is not None:
                d.rounded_rectangle(px(rect), radius=4 * sx, fill=(26, 115, 232))
                c = ((rect[0] + rect[2]) / 2 * sx, (rect[1] + rect[3]) / 2 * sy)
                d.text(c, label, fill="white", font=font, anchor="mm")
        if lay.field is not None:
            d.rectangle(px(lay.field), outline=(120, 120, 120), width=max(1, round(sx)))
            d.text(
                (lay.field[0] * sx + 6 * sx, (lay.field[1] + lay.field[3]) / 2 * sy),
                self.prompt_text,
                fill="black",
                font=font,
                anchor="lm",
            )
        return out


def _box(r: Rect) -> Box:
    return Box(x0=r[0], y0=r[1], x1=r[2], y1=r[3])
