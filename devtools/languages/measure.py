"""Measure OCR character accuracy and offline-policy success over the 32-language pages.

    python -m devtools.languages.measure                    # all 32, prints the table
    python -m devtools.languages.measure --langs eng ara tha --markdown table.md

For each language the page is served on 127.0.0.1 and opened in headless Chromium at
1280x800. Character accuracy: every label on the page is matched to the best window of the
text an engine read, and ``1 - edits / length`` is averaged over the page's characters
(text compared in NFC, case-folded, without spaces). Engines: the bundled PP-OCR model,
Tesseract with that language's pack, and ``auto`` (what the offline policy picks for a task
in that language). Offline success: the offline policy with ``ocr=always`` on
observations stripped of elements (pixels only) runs ``click "<send>"`` and
``type "<value>" into "<city>"``; the page's own state decides success.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import partial_ratio_alignment

from devtools.languages.data import Language, by_code
from devtools.languages.page import page_html
from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.environments.base import Environment, SettleResult, StepResult
from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.observation import Observation
from screenpilot.model.offline.policy import OfflinePolicy, OfflinePolicyConfig
from screenpilot.tools.actions import Action
from screenpilot.tools.perception.ocr import OcrEngine, TextBox, TextReader
from screenpilot.tools.perception.ocr_select import AutoOcr
from screenpilot.tools.perception.tesseract import TesseractConfig, TesseractEngine


class LanguageResult(BaseModel):
    """One row of the table."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    rapidocr: float
    tesseract: float
    auto: float
    auto_engine: str
    click: bool
    type: bool
    seconds: float


def _canon(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).casefold().split())


def char_accuracy(truth: tuple[str, ...], lines: list[TextBox]) -> float:
    """Share of the labels' characters read right (best window of any line per label)."""
    got = [_canon(ln.text) for ln in lines]
    correct = total = 0.0
    for label in truth:
        want = _canon(label)
        best = 0.0
        for text in got:
            if not text:
                continue
            window = text
            al = partial_ratio_alignment(want, text) if len(text) > len(want) else None
            if al is not None:
                window = text[al.dest_start : al.dest_end]
            best = max(best, 1.0 - Levenshtein.distance(want, window) / len(want))
        correct += max(0.0, best) * len(want)
        total += len(want)
    return correct / total if total else 0.0


class PixelsOnly:
    """An environment wrapper whose observations carry no elements: the policy must read pixels."""

    def __init__(self, env: Any) -> None:
        self.env = env

    @property
    def capabilities(self) -> Capabilities:
        return self.env.capabilities.model_copy(update={"elements": False})

    def _strip(self, obs: Observation) -> Observation:
        return obs.model_copy(update={"elements": ()})

    def reset(self) -> Observation:
        return self._strip(self.env.observe())

    def observe(self) -> Observation:
        return self._strip(self.env.observe())

    def execute(self, action: Action) -> StepResult:
        result: StepResult = self.env.execute(action)
        return result

    def settle(self, timeout_s: float) -> SettleResult:
        result: SettleResult = self.env.settle(timeout_s)
        return result

    def close(self) -> None:
        """The wrapped environment is closed by its owner."""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not worth a line each."""


@contextlib.contextmanager
def serve_pages(langs: list[Language]) -> Iterator[str]:
    """Write every page into a temporary directory and serve it; yields the base URL."""
    with tempfile.TemporaryDirectory() as tmp:
        for lang in langs:
            (Path(tmp) / f"{lang.code}.html").write_text(page_html(lang), encoding="utf-8")
        handler = functools.partial(_QuietHandler, directory=tmp)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


def _task_outcomes(env: Any, url: str, lang: Language, rapid: OcrEngine) -> tuple[bool, bool]:
    agent_cfg = AgentConfig(max_steps=8, max_seconds=120.0)
    wrapped: Environment = PixelsOnly(env)
    send = lang.buttons[2]
    env.goto(url)
    policy = OfflinePolicy(OfflinePolicyConfig(ocr="always"), engine=rapid)
    Agent(wrapped, policy, agent_cfg, out_dir=None).run(f'click "{send}"', reset=True)
    clicked = send in (env.evaluate("window.__clicked") or [])
    env.goto(url)
    policy = OfflinePolicy(OfflinePolicyConfig(ocr="always"), engine=rapid)
    Agent(wrapped, policy, agent_cfg, out_dir=None).run(f'type "{lang.value}" into "{lang.city_label}"')
    typed = env.evaluate("document.getElementById('city').value") or ""
    return clicked, unicodedata.normalize("NFC", typed) == unicodedata.normalize("NFC", lang.value)


def measure_language(env: Any, base_url: str, lang: Language, rapid: OcrEngine) -> LanguageResult:
    """Accuracy of each engine and the two tasks' outcomes for one language."""
    t0 = time.monotonic()
    url = f"{base_url}/{lang.code}.html"
    env.goto(url)
    shot = env.observe().screenshot
    tess = TesseractEngine(TesseractConfig(lang=lang.code))
    auto = AutoOcr(rapid)
    auto.select_for(" ".join(lang.texts))
    readers: dict[str, TextReader] = {"rapidocr": rapid, "tesseract": tess, "auto": auto}
    acc = {name: char_accuracy(lang.texts, reader.read(shot)) for name, reader in readers.items()}
    clicked, typed = _task_outcomes(env, url, lang, rapid)
    return LanguageResult(
        code=lang.code,
        name=lang.name,
        rapidocr=acc["rapidocr"],
        tesseract=acc["tesseract"],
        auto=acc["auto"],
        auto_engine=auto.chosen,
        click=clicked,
        type=typed,
        seconds=time.monotonic() - t0,
    )


def markdown(rows: list[LanguageResult]) -> str:
    """The results as a Markdown table with a totals line."""
    out = [
        "| language | PP-OCR (bundled) | Tesseract | auto | auto reads with | click | type |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r.name} (`{r.code}`) | {r.rapidocr:.0%} | {r.tesseract:.0%} | {r.auto:.0%} | "
            f"{r.auto_engine} | {'✓' if r.click else '✗'} | {'✓' if r.type else '✗'} |"
        )
    both = sum(r.click and r.type for r in rows)
    out.append(f"\nBoth tasks done in {both} of {len(rows)} languages.")
    return "\n".join(out)


def run(codes: list[str] | None = None) -> list[LanguageResult]:
    """Measure the given languages (all 32 by default) in one Chromium."""
    from screenpilot.agent.registry import create

    langs = by_code(codes)
    rapid = OcrEngine()
    rows = []
    with serve_pages(langs) as base:
        env = create("environments", "browser", {"viewport": "1280x800"})
        try:
            env.reset()
            for lang in langs:
                row = measure_language(env, base, lang, rapid)
                print(
                    f"{lang.code:8} ppocr {row.rapidocr:5.0%} tess {row.tesseract:5.0%} auto {row.auto:5.0%} "
                    f"click {row.click!s:5} type {row.type!s:5} ({row.seconds:.1f} s)",
                    flush=True,
                )
                rows.append(row)
        finally:
            env.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--langs", nargs="*", help="language codes (default: all 32)")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args(argv)
    table = markdown(run(args.langs))
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
