"""Render pages in Chromium and write grounding samples from DOM ground truth.

Output uses the ScreenSpot-v2 layout (``screenspot_web_v2.json`` plus
``screenspotv2_image/``), with one extra field per item, ``scale_factor`` (the page's
device pixel ratio), so :mod:`screenpilot.benchmarks.grounding.dataset` reads it like the real thing.

Sources: the local pages of :mod:`screenpilot.benchmarks.grounding.pages` (every ``data-gt``
element) and seeded MiniWoB++ task pages (every element ``core.getDOMInfo()`` reports
with a text of its own). Targets whose instruction appears more than once on a screen
are dropped: the instruction would be ambiguous.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.benchmarks.grounding.pages import PAGES, render_page
from screenpilot.benchmarks.miniwob.page import MiniWoBPage
from screenpilot.benchmarks.miniwob.server import StaticServer
from screenpilot.benchmarks.miniwob.tasks import html_dir, list_tasks
from screenpilot.environments.browser.config import QUIET_ARGS
from screenpilot.tools.errors import ConfigError

log = logging.getLogger(__name__)

ANNOTATIONS = "screenspot_web_v2.json"
IMAGES = "screenspotv2_image"
_TARGETS_JS = """() => Array.from(document.querySelectorAll('[data-gt]')).map(e => {
  const r = e.getBoundingClientRect();
  return {instruction: e.dataset.gt, type: e.dataset.type, x: r.left, y: r.top, w: r.width, h: r.height};
})"""


class GeneratorConfig(BaseModel):
    """What to render.

    Attributes:
        out: Output directory.
        page_kinds: Which local pages (form, toolbar, icons, table, text).
        seeds: Variants of each local page.
        scales: Device pixel ratios to render at.
        viewport_width: Viewport width of local pages (logical pixels).
        viewport_height: Viewport height of local pages.
        miniwob_tasks: MiniWoB++ tasks to render (empty for none).
        miniwob_seeds: Seeded episodes per MiniWoB++ task.
        chromium: Browser executable.
    """

    model_config = ConfigDict(frozen=True)

    out: Path
    page_kinds: tuple[str, ...] = tuple(PAGES)
    seeds: int = Field(default=2, ge=0)
    scales: tuple[float, ...] = (1.0, 2.0)
    viewport_width: int = Field(default=800, gt=0)
    viewport_height: int = Field(default=600, gt=0)
    miniwob_tasks: tuple[str, ...] = (
        "click-button",
        "click-link",
        "click-tab",
        "click-checkboxes",
        "enter-text",
    )
    miniwob_seeds: int = Field(default=2, ge=0)
    chromium: str = "/usr/bin/chromium"


def _unique(targets: list[dict[str, Any]], width: float, height: float) -> list[dict[str, Any]]:
    """Targets fully on screen whose instruction is unique on the page."""
    visible = [
        t
        for t in targets
        if t["w"] > 0
        and t["h"] > 0
        and t["x"] >= 0
        and t["y"] >= 0
        and t["x"] + t["w"] <= width
        and t["y"] + t["h"] <= height
        and str(t["instruction"]).strip()
    ]
    counts = Counter(t["instruction"] for t in visible)
    return [t for t in visible if counts[t["instruction"]] == 1]


def _flatten(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children", []):
        yield from _flatten(child)


def miniwob_targets(dom_info: dict[str, Any]) -> list[dict[str, Any]]:
    """Text targets from ``core.getDOMInfo()`` (boxes in CSS pixels)."""
    return [
        {
            "instruction": str(n["text"]).strip(),
            "type": "text",
            "x": n["left"],
            "y": n["top"],
            "w": n["width"],
            "h": n["height"],
        }
        for n in _flatten(dom_info)
        if isinstance(n.get("text"), str) and n["text"].strip()
    ]


class _Writer:
    def __init__(self, out: Path, planned: int = 0) -> None:
        self.out = out
        (out / IMAGES).mkdir(parents=True, exist_ok=True)
        self.items: list[dict[str, Any]] = []
        self.planned = planned
        self.pages = 0

    def add(self, page: Any, name: str, source: str, scale: float, targets: list[dict[str, Any]]) -> None:
        filename = f"{name}.png"
        page.screenshot(path=str(self.out / IMAGES / filename))
        self.pages += 1
        log.info("page %d/%d: %s, %d targets", self.pages, self.planned, name, len(targets))
        for t in targets:
            self.items.append(
                {
                    "img_filename": filename,
                    "bbox": [t["x"] * scale, t["y"] * scale, t["w"] * scale, t["h"] * scale],
                    "instruction": t["instruction"],
                    "data_type": t["type"],
                    "data_source": source,
                    "platform": "web",
                    "scale_factor": scale,
                }
            )

    def finish(self) -> Path:
        path = self.out / ANNOTATIONS
        path.write_text(json.dumps(self.items, ensure_ascii=False, indent=1), encoding="utf-8")
        return path


def _local_pages(browser: Any, config: GeneratorConfig, writer: _Writer) -> None:
    w, h = config.viewport_width, config.viewport_height
    for scale in config.scales:
        context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=scale)
        page = context.new_page()
        for kind in config.page_kinds:
            for seed in range(config.seeds):
                page.set_content(render_page(kind, seed))
                targets = _unique(page.evaluate(_TARGETS_JS), w, h)
                writer.add(page, f"{kind}_s{seed}_dpr{scale:g}", f"generated-{kind}", scale, targets)
        context.close()


def _miniwob_pages(browser: Any, config: GeneratorConfig, writer: _Writer) -> None:
    known = {t.name: t for t in list_tasks()}
    missing = [t for t in config.miniwob_tasks if t not in known]
    if missing:
        raise ConfigError(f"unknown MiniWoB++ tasks: {', '.join(missing)}")
    with StaticServer(html_dir()) as server:
        for scale in config.scales:
            context = browser.new_context(viewport={"width": 160, "height": 210}, device_scale_factor=scale)
            page = context.new_page()
            driver = _PlaywrightDriver(page)
            wob = MiniWoBPage(driver)
            for name in config.miniwob_tasks:
                for seed in range(config.miniwob_seeds):
                    wob.load(urljoin(server.base_url, known[name].path))
                    wob.start(seed, 3_600_000)  # no timeout while we capture
                    targets = _unique(miniwob_targets(wob.dom_info()), 160, 210)
                    writer.add(
                        page, f"miniwob_{name}_s{seed}_dpr{scale:g}", f"miniwob-{name}", scale, targets
                    )
            context.close()


class _PlaywrightDriver:
    """``goto``/``evaluate`` over a raw Playwright page (the generator needs no agent)."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def evaluate(self, js: str, arg: Any = None) -> Any:
        return self.page.evaluate(js, arg)


def generate(config: GeneratorConfig) -> Path:
    """Render everything ``config`` asks for; return the annotation file's path."""
    from screenpilot.environments.browser.driver import playwright_driver

    unknown = [k for k in config.page_kinds if k not in PAGES]
    if unknown:
        raise ConfigError(f"unknown page kinds: {', '.join(unknown)} (known: {', '.join(PAGES)})")
    local = len(config.page_kinds) * config.seeds
    miniwob = len(config.miniwob_tasks) * config.miniwob_seeds
    writer = _Writer(config.out, planned=len(config.scales) * (local + miniwob))
    with playwright_driver() as pw:
        browser = pw.chromium.launch(executable_path=config.chromium, args=list(QUIET_ARGS))
        try:
            _local_pages(browser, config, writer)
            if config.miniwob_tasks and config.miniwob_seeds:
                _miniwob_pages(browser, config, writer)
        finally:
            browser.close()
    return writer.finish()
