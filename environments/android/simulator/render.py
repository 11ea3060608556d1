"""Draw the simulated phone's view tree with PIL."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from screenpilot.environments.android.simulator.layout import Node, Rect

_FONT_FILE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
_WHITE = (255, 255, 255)
_TEXT = (33, 33, 33)
_GREY = (117, 117, 117)
_BLUE = (26, 115, 232)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


class Renderer:
    """Renders trees; owns its font cache (CJK-capable when Noto CJK is installed)."""

    def __init__(self) -> None:
        self._fonts: dict[int, Font] = {}

    def font(self, size: int) -> Font:
        if size not in self._fonts:
            if _FONT_FILE.is_file():
                self._fonts[size] = ImageFont.truetype(str(_FONT_FILE), size)
            else:  # readable Latin text without the optional font package
                self._fonts[size] = ImageFont.load_default(size=size)
        return self._fonts[size]

    def render(self, root: Node, width: int, height: int) -> Image.Image:
        """The screen as an RGB image of ``width`` x ``height`` device pixels."""
        img = Image.new("RGB", (width, height), (250, 250, 250))
        scale = min(width, height) / 720
        for node in root.walk():
            if node.style == "scrim":
                img = Image.blend(img, Image.new("RGB", img.size, (0, 0, 0)), 0.45)
                continue
            self._draw(ImageDraw.Draw(img), node, scale)
        return img

    def _draw(self, d: ImageDraw.ImageDraw, n: Node, s: float) -> None:
        r = n.rect or n.bounds
        size = max(8, round(30 * s))
        style, _, arg = n.style.partition(":")
        if style in ("bg", "toolbar", "status", "nav"):
            d.rectangle(r, fill=n.color)
        elif style in ("title", "statustext", "text", "subtext", "bigtext"):
            self._text(d, r, n.text, style, s)
        elif style == "row":
            d.rectangle(r, fill=_WHITE)
            d.line((r[0], r[3] - 1, r[2], r[3] - 1), fill=(224, 224, 224), width=max(1, round(2 * s)))
        elif style == "switch":
            self._switch(d, r, n.checked)
        elif style == "icon":
            self._icon(d, r, n, s)
        elif style == "edit":
            self._edit(d, r, n, s, size)
        elif style in ("button", "card", "dialog"):
            self._panel(d, r, n, style, s)
        elif style == "navbutton":
            self._nav_button(d, r, arg, s)

    def _text(self, d: ImageDraw.ImageDraw, r: Rect, text: str, style: str, s: float) -> None:
        if style == "title":
            d.text((r[0], r[1]), text, fill=_WHITE, font=self.font(round(40 * s)))
        elif style == "statustext":
            d.text((r[0], r[1] + round(8 * s)), text, fill=_WHITE, font=self.font(round(26 * s)))
        elif style == "bigtext":
            self._centered(d, r, text, _TEXT, round(56 * s))
        else:
            color = _TEXT if style == "text" else _GREY
            d.text((r[0], r[1]), text, fill=color, font=self.font(max(8, round(30 * s))))

    def _panel(self, d: ImageDraw.ImageDraw, r: Rect, n: Node, style: str, s: float) -> None:
        if style == "button":
            d.rounded_rectangle(r, radius=round(20 * s), fill=_BLUE)
            self._centered(d, r, n.text, _WHITE, max(8, round(30 * s)))
        elif style == "card":
            d.rounded_rectangle(r, radius=round(24 * s), fill=(236, 239, 241), outline=n.color, width=4)
            self._centered(d, r, n.text, _TEXT, round(36 * s))
        else:
            d.rounded_rectangle(r, radius=round(28 * s), fill=_WHITE)

    def _centered(
        self, d: ImageDraw.ImageDraw, r: Rect, text: str, fill: tuple[int, int, int], size: int
    ) -> None:
        font = self.font(size)
        x0, y0, x1, y1 = d.textbbox((0, 0), text, font=font)
        d.text(
            ((r[0] + r[2] - (x1 - x0)) / 2 - x0, (r[1] + r[3] - (y1 - y0)) / 2 - y0),
            text,
            fill=fill,
            font=font,
        )

    def _switch(self, d: ImageDraw.ImageDraw, r: Rect, on: bool) -> None:
        h = r[3] - r[1]
        track = _BLUE if on else (189, 189, 189)
        d.rounded_rectangle(r, radius=h // 2, fill=track)
        cx = r[2] - h // 2 if on else r[0] + h // 2
        d.ellipse((cx - h // 2 + 4, r[1] + 4, cx + h // 2 - 4, r[3] - 4), fill=_WHITE)

    def _icon(self, d: ImageDraw.ImageDraw, r: Rect, n: Node, s: float) -> None:
        side = round(110 * s)
        cx = (r[0] + r[2]) // 2
        box = (cx - side // 2, r[1] + round(20 * s), cx + side // 2, r[1] + round(20 * s) + side)
        d.rounded_rectangle(box, radius=side // 4, fill=n.color)
        self._centered(d, box, n.text[:1], _WHITE, round(56 * s))
        self._centered(d, (r[0], box[3] + round(8 * s), r[2], r[3]), n.text, _TEXT, round(28 * s))

    def _edit(self, d: ImageDraw.ImageDraw, r: Rect, n: Node, s: float, size: int) -> None:
        d.rectangle(r, fill=(_WHITE if not n.selected else (200, 220, 250)))
        line = _BLUE if n.focused else _GREY
        d.line((r[0], r[3] - 2, r[2], r[3] - 2), fill=line, width=max(2, round(4 * s)))
        pad = round(16 * s)
        if n.text:
            d.text((r[0] + pad, r[1] + pad), n.text, fill=_TEXT, font=self.font(size))
        else:
            d.text((r[0] + pad, r[1] + pad), n.hint, fill=(158, 158, 158), font=self.font(size))

    def _nav_button(self, d: ImageDraw.ImageDraw, r: Rect, kind: str, s: float) -> None:
        cx, cy = (r[0] + r[2]) // 2, (r[1] + r[3]) // 2
        k = round(22 * s)
        if kind == "back":
            d.polygon([(cx - k, cy), (cx + k, cy - k), (cx + k, cy + k)], fill=_WHITE)
        elif kind == "home":
            d.ellipse((cx - k, cy - k, cx + k, cy + k), outline=_WHITE, width=max(2, round(5 * s)))
        else:
            d.rectangle((cx - k, cy - k, cx + k, cy + k), outline=_WHITE, width=max(2, round(5 * s)))
