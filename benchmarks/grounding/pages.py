"""Local HTML pages with known targets: forms, toolbars, icon grids, dense tables, CJK text.

Every target carries ``data-gt`` (the instruction a grounder gets) and ``data-type``
(``text`` or ``icon``); the generator reads their boxes from the DOM after rendering.
Layouts are drawn from a seeded ``random.Random`` so every seed gives another page.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable

# Simple inline SVG icons (24x24 viewBox), drawn here so nothing is downloaded.
ICONS: dict[str, str] = {
    "search": '<circle cx="10" cy="10" r="6" fill="none" stroke="currentColor" stroke-width="2"/>'
    '<line x1="15" y1="15" x2="21" y2="21" stroke="currentColor" stroke-width="2"/>',
    "settings": '<circle cx="12" cy="12" r="4" fill="none" stroke="currentColor" stroke-width="2"/>'
    '<path d="M12 2v4M12 18v4M2 12h4M18 12h4M5 5l3 3M16 16l3 3M5 19l3-3M16 8l3-3" '
    'stroke="currentColor" stroke-width="2"/>',
    "delete": '<path d="M5 7h14M9 7V4h6v3M7 7l1 13h8l1-13" fill="none" '
    'stroke="currentColor" stroke-width="2"/>',
    "home": '<path d="M3 12l9-8 9 8M6 10v10h12V10" fill="none" stroke="currentColor" stroke-width="2"/>',
    "star": '<path d="M12 3l3 6 6 1-4.5 4 1 6-5.5-3-5.5 3 1-6L3 10l6-1z" fill="currentColor"/>',
    "bell": '<path d="M6 17V11a6 6 0 0112 0v6l2 2H4zM10 21h4" fill="none" '
    'stroke="currentColor" stroke-width="2"/>',
    "add": '<path d="M12 4v16M4 12h16" stroke="currentColor" stroke-width="3"/>',
    "close": '<path d="M5 5l14 14M19 5L5 19" stroke="currentColor" stroke-width="3"/>',
    "download": '<path d="M12 3v12M6 10l6 6 6-6M4 20h16" fill="none" '
    'stroke="currentColor" stroke-width="2"/>',
    "heart": '<path d="M12 20s-8-5-8-11a4 4 0 018-1 4 4 0 018 1c0 6-8 11-8 11z" fill="currentColor"/>',
    "mail": '<rect x="3" y="6" width="18" height="12" fill="none" stroke="currentColor" stroke-width="2"/>'
    '<path d="M3 6l9 7 9-7" fill="none" stroke="currentColor" stroke-width="2"/>',
    "lock": '<rect x="5" y="11" width="14" height="9" fill="currentColor"/>'
    '<path d="M8 11V8a4 4 0 018 0v3" fill="none" stroke="currentColor" stroke-width="2"/>',
}
_ICON_WORDS = {
    "search": "search (magnifying glass icon)",
    "settings": "settings (gear icon)",
    "delete": "delete (trash can icon)",
    "home": "home (house icon)",
    "star": "favourite (star icon)",
    "bell": "notifications (bell icon)",
    "add": "add new (plus icon)",
    "close": "close (X icon)",
    "download": "download (arrow icon)",
    "heart": "like (heart icon)",
    "mail": "messages (envelope icon)",
    "lock": "lock (padlock icon)",
}
_FIELDS_EN = [
    "First name",
    "Last name",
    "Email address",
    "Phone number",
    "Company",
    "City",
    "Postcode",
    "Country",
]
_FIELDS_ZH = ["姓名", "电子邮件", "手机号码", "公司名称", "城市", "邮政编码", "详细地址", "备注"]
_BUTTONS_EN = ["Submit", "Cancel", "Save draft", "Reset", "Continue", "Back"]
_BUTTONS_ZH = ["提交", "取消", "保存草稿", "重置", "下一步", "返回"]
_MENU_EN = ["File", "Edit", "View", "Insert", "Format", "Tools", "Help"]
_MENU_ZH = ["文件", "编辑", "视图", "插入", "格式", "工具", "帮助"]
_NAMES = [
    "Alice Chen",
    "Bob Martin",
    "王芳",
    "李伟",
    "Carla Diaz",
    "张敏",
    "David Kim",
    "刘洋",
    "Eva Novak",
    "陈静",
]
_CITIES = ["Berlin", "上海", "Toronto", "北京", "Lisbon", "深圳", "Osaka", "杭州"]

_STYLE = """<style>
body { font-family: 'Noto Sans', 'Noto Sans CJK SC', sans-serif; margin: 16px; color: #222;
       background: #fafafa; }
.row { display: flex; gap: 8px; align-items: center; margin: 6px 0; flex-wrap: wrap; }
button { font-size: 14px; padding: 6px 12px; }
.icon { width: 28px; height: 28px; color: #444; display: inline-flex; align-items: center;
        justify-content: center; border: 1px solid #ccc; border-radius: 4px; background: white; }
.icon svg { width: 20px; height: 20px; }
table { border-collapse: collapse; font-size: 11px; }
td, th { border: 1px solid #ddd; padding: 2px 6px; }
label { display: inline-block; width: 120px; font-size: 14px; }
input { font-size: 14px; padding: 3px; width: 180px; }
.menu span { padding: 4px 10px; font-size: 14px; }
</style>"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _icon(name: str, instruction: str | None = None) -> str:
    gt = _e(instruction or _ICON_WORDS[name])
    return (
        f'<span class="icon" role="button" aria-label="{_e(name)}" data-gt="{gt}" data-type="icon">'
        f'<svg viewBox="0 0 24 24">{ICONS[name]}</svg></span>'
    )


def _text(tag: str, text: str, instruction: str | None = None, attrs: str = "") -> str:
    gt = _e(instruction or text)
    return f'<{tag} {attrs} data-gt="{gt}" data-type="text">{_e(text)}</{tag}>'


def form_page(rng: random.Random) -> str:
    zh = rng.random() < 0.5
    fields = rng.sample(_FIELDS_ZH if zh else _FIELDS_EN, 5)
    buttons = rng.sample(_BUTTONS_ZH if zh else _BUTTONS_EN, 3)
    rows = "".join(f'<div class="row">{_text("label", f)}<input placeholder="{_e(f)}"></div>' for f in fields)
    btns = "".join(_text("button", b) for b in buttons)
    title = "用户注册" if zh else "Create your account"
    return f"<h2>{_e(title)}</h2>{rows}<div class='row'>{btns}</div>"


def toolbar_page(rng: random.Random) -> str:
    zh = rng.random() < 0.5
    menu = "".join(_text("span", m) for m in (_MENU_ZH if zh else _MENU_EN))
    icons = "".join(_icon(n) for n in rng.sample(sorted(ICONS), 8))
    body = "".join(f"<p>{_e(rng.choice(_NAMES))} — {_e(rng.choice(_CITIES))}</p>" for _ in range(4))
    return f"<div class='row menu'>{menu}</div><div class='row'>{icons}</div>{body}"


def icon_grid_page(rng: random.Random) -> str:
    names = rng.sample(sorted(ICONS), 12)
    cells = "".join(f"<div style='margin:14px'>{_icon(n)}</div>" for n in names)
    return f"<h3>Quick actions</h3><div class='row' style='max-width:520px'>{cells}</div>"


def table_page(rng: random.Random) -> str:
    head = "<tr><th>#</th><th>Name / 姓名</th><th>City / 城市</th><th>Amount</th><th></th></tr>"
    rows = []
    for i in range(1, 19):
        name, city = rng.choice(_NAMES), rng.choice(_CITIES)
        amount = f"{rng.randint(10, 9999)}.{rng.randint(0, 99):02d}"
        action = _icon("delete", f"delete row {i} (trash can icon)") if i % 3 == 0 else ""
        rows.append(
            f"<tr><td>{i}</td><td>{_e(name)}</td><td>{_e(city)}</td>"
            f"<td>{_text('span', amount, f'amount {amount} in row {i}')}</td><td>{action}</td></tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def text_page(rng: random.Random) -> str:
    links_en = ["Privacy policy", "Terms of service", "Contact us", "Careers", "Press"]
    links_zh = ["隐私政策", "服务条款", "联系我们", "加入我们", "新闻中心"]
    links = rng.sample(links_en, 3) + rng.sample(links_zh, 3)
    rng.shuffle(links)
    href = 'href="#"'
    items = "".join(f"<li>{_text('a', t, attrs=href)}</li>" for t in links)
    para = "今天的天气很好，我们一起去公园散步吧。The quick brown fox jumps over the lazy dog."
    return f"<h2>{_e('帮助中心 Help centre')}</h2><p>{_e(para)}</p><ul>{items}</ul>"


PAGES: dict[str, Callable[[random.Random], str]] = {
    "form": form_page,
    "toolbar": toolbar_page,
    "icons": icon_grid_page,
    "table": table_page,
    "text": text_page,
}


def render_page(kind: str, seed: int) -> str:
    """A whole HTML document of ``kind`` drawn with ``seed``."""
    body = PAGES[kind](random.Random(f"{kind}:{seed}"))
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{_STYLE}</head><body>{body}</body></html>"
