"""Frame sequences for the OCR latency benchmark, recorded in headless Chromium at 1280x800.

``sign-in`` walks the bundled demo pages; the others are pages of this file's own making:
typing into a field of a long form, ticking checkboxes, opening a menu, and scrolling a
little (a large change: almost every line moves).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from PIL import Image

from screenpilot.app.demo_site.server import demo_pages, serve_directory
from screenpilot.environments.browser.config import QUIET_ARGS

WIDTH, HEIGHT = 1280, 800

_FIELDS = "".join(
    f'<label>{name}<input id="f{i}" placeholder="Enter {name.lower()}"></label>'
    for i, name in enumerate(
        [
            "First name",
            "Last name",
            "Street address",
            "City",
            "Postal code",
            "Country",
            "Phone",
            "Email",
            "Company",
            "Job title",
            "Website",
            "Referral code",
        ]
    )
)
_BOXES = "".join(
    f'<label class="c"><input type="checkbox" id="c{i}"> {t}</label>'
    for i, t in enumerate(
        ["Send me the newsletter", "Share usage data", "Remember this device", "Accept the terms of service"]
    )
)
_PARAS = "".join(
    f"<p>Paragraph {i}: the quick brown fox jumps over the lazy dog, line {i}.</p>" for i in range(40)
)
FORM = f"""<!doctype html><html><head><style>
body {{ font: 16px sans-serif; margin: 24px 48px; }}
label {{ display: block; margin: 10px 0; }} input {{ margin-left: 12px; font-size: 16px; width: 320px; }}
.c input {{ width: auto; }}
#menu {{ display: none; position: absolute; background: white; border: 1px solid #888; width: 220px;
 padding: 4px; }}
#menu.open {{ display: block; }} #menu div {{ padding: 6px; }}
</style></head><body><h1>Account details</h1>
<button id="more" onclick="document.getElementById('menu').classList.toggle('open')">More actions</button>
<div id="menu"><div>Duplicate entry</div><div>Export as CSV</div><div>Archive account</div></div>
{_FIELDS}{_BOXES}{_PARAS}</body></html>"""

Shot = Callable[[], Image.Image]


def _typing(page: Any, shot: Shot) -> list[Image.Image]:
    page.click("#f4")
    out = [shot()]
    for word in ["Ada", " Byron", " Lovelace", " 1815"]:
        page.keyboard.type(word)
        out.append(shot())
    return out


def _checkbox(page: Any, shot: Shot) -> list[Image.Image]:
    out = [shot()]
    for sel in ["#c0", "#c2", "#c0", "#c3"]:
        page.click(sel)
        out.append(shot())
    return out


def _menu(page: Any, shot: Shot) -> list[Image.Image]:
    out = [shot()]
    for _ in range(3):
        page.click("#more")
        out.append(shot())
    return out


def _scroll(page: Any, shot: Shot) -> list[Image.Image]:
    out = [shot()]
    for _ in range(3):
        page.mouse.wheel(0, 60)
        page.wait_for_timeout(100)
        out.append(shot())
    return out


def _sign_in(page: Any, shot: Shot, base: str) -> list[Image.Image]:
    page.goto(f"{base}/login.html")
    out = [shot()]
    page.click("#user")
    page.keyboard.type("ada")
    out.append(shot())
    page.click("#password")
    page.keyboard.type("lovelace")
    out.append(shot())
    page.click("#remember")
    out.append(shot())
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard.html*")
    out.append(shot())
    page.click("#tab-orders")
    out.append(shot())
    return out


def record() -> dict[str, list[Image.Image]]:
    """Every sequence's screenshots, first frame first."""
    from screenpilot.environments.browser.driver import playwright_driver

    out: dict[str, list[Image.Image]] = {}
    with serve_directory(demo_pages()) as base, playwright_driver() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=list(QUIET_ARGS))
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})

        def shot() -> Image.Image:
            return Image.open(io.BytesIO(page.screenshot())).convert("RGB")

        out["sign-in"] = _sign_in(page, shot, base)
        for name, fn in [("typing", _typing), ("checkbox", _checkbox), ("menu", _menu), ("scroll", _scroll)]:
            page.set_content(FORM)
            out[name] = fn(page, shot)
        browser.close()
    return out
