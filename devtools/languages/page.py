"""One HTML page per language: a labelled form whose clicks and typing the page records.

The page sets ``lang`` and ``dir`` so Chromium picks the right Noto glyphs and lays
right-to-left languages out from the right. ``window.__clicked`` holds the labels of the
buttons clicked, the inputs hold what was typed: the success checks read those, not the
policy's claims.
"""

from __future__ import annotations

import html

from devtools.languages.data import Language

# Noto for the scripts (fonts-noto-ui-core, fonts-noto-cjk); Latin, Greek, Cyrillic and
# Hebrew from DejaVu Sans, the system's sans-serif.
_FONTS = (
    '"DejaVu Sans", "Noto Sans Arabic UI", "Noto Sans Devanagari UI", "Noto Sans Bengali UI", '
    '"Noto Sans Thai UI", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC", '
    '"Noto Sans CJK TC", sans-serif'
)


def page_html(lang: Language) -> str:
    """The test page of ``lang``."""
    e = html.escape
    buttons = "".join(
        f'<button type="button" data-label="{e(b)}" onclick="window.__clicked.push(this.dataset.label)">'
        f"{e(b)}</button>"
        for b in lang.buttons
    )
    cjk = {"ja": "CJK JP", "ko": "CJK KR", "zh-Hans": "CJK SC", "zh-Hant": "CJK TC"}.get(lang.html_lang)
    fonts = f'"Noto Sans {cjk}", {_FONTS}' if cjk else _FONTS
    return f"""<!doctype html>
<html lang="{e(lang.html_lang)}" dir="{"rtl" if lang.rtl else "ltr"}"><head><meta charset="utf-8">
<title>{e(lang.name)}</title>
<style>
body {{ font-family: {fonts}; font-size: 18px; margin: 48px 64px; background: #fff; color: #111; }}
.field {{ margin: 0 0 28px; }}
label {{ display: block; margin: 0 0 8px; }}
input {{ font: inherit; width: 360px; padding: 8px 10px; border: 1px solid #888; border-radius: 4px; }}
.buttons {{ margin-top: 40px; display: flex; gap: 40px; }}
button {{ font: inherit; padding: 10px 22px; border: 1px solid #456; border-radius: 6px;
  background: #eef3f8; }}
</style></head><body>
<script>window.__clicked = [];</script>
<div class="field"><label for="name">{e(lang.name_label)}</label><input id="name" autocomplete="off"></div>
<div class="field"><label for="city">{e(lang.city_label)}</label><input id="city" autocomplete="off"></div>
<div class="buttons">{buttons}</div>
</body></html>
"""
