"""Target look-ups chosen from what an environment can do (never from its name).

An environment whose page can be scripted (``capabilities.scripting``, the browser's) answers
``element`` targets as CSS selectors through the page itself (hidden and zero-size nodes left
out), and text from the page's text. Others answer from observation elements (see
:class:`ScreenResolver`) and read text the elements do not carry from the pixels with OCR.
Image targets are matched against the screenshot everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from screenpilot.environments.base import Environment, SupportsEvaluate
from screenpilot.environments.observation import Observation
from screenpilot.tools.errors import ConfigError, DriverError
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.points import Box
from screenpilot.workflows.pixels import ocr_region_reader, ocr_text_finder, offline_grounder, template_finder
from screenpilot.workflows.resolver import ElementQuery, RegionReader, TemplateFinder, TextFinder

# Returns the visible matches of a selector with their viewport rectangles (CSS pixels,
# the browser environment's screen space) and text; a bad selector comes back as an error.
_QUERY_JS = """(sel) => {
  let nodes;
  try { nodes = document.querySelectorAll(sel); } catch (e) { return {error: String(e.message || e)}; }
  const out = [];
  for (const e of nodes) {
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    if (r.width <= 0 || r.height <= 0 || s.visibility === 'hidden' || s.display === 'none') continue;
    const value = 'value' in e && typeof e.value === 'string' ? e.value : '';
    const text = value || e.innerText || e.textContent || '';
    out.push({x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, text: text.trim().slice(0, 2000),
              role: e.getAttribute('role') || e.tagName.toLowerCase(), id: e.id || ''});
  }
  return {matches: out};
}"""


# Visible text of the page (not only interactive elements): the smallest elements whose
# text matches, scored like ScreenResolver's element matching.
_TEXT_JS = """(args) => {
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim().toLowerCase();
  const q = norm(args.text);
  const vw = innerWidth, vh = innerHeight;
  const score = (t) => t === q ? 1.0 : (args.exact ? 0 : (t.startsWith(q) ? 0.9 : (t.includes(q) ? 0.8 : 0)));
  const hits = new Map();
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || hits.has(el) || !n.textContent.trim()) continue;
    const s = score(norm(el.innerText));
    if (!s) continue;
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    if (r.width <= 0 || r.height <= 0 || st.visibility === 'hidden' || r.bottom <= 0 || r.right <= 0
        || r.left >= vw || r.top >= vh) continue;
    hits.set(el, {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom, score: s,
                  text: el.innerText.trim().slice(0, 2000), role: el.tagName.toLowerCase()});
  }
  const els = Array.from(hits.keys());
  return els.filter((e) => !els.some((o) => o !== e && e.contains(o))).map((e) => hits.get(e));
}"""

# The text of every visible text node whose centre lies inside a viewport rectangle.
_REGION_JS = """(b) => {
  const out = [];
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.textContent.replace(/\\s+/g, ' ').trim();
    if (!t) continue;
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
    if (r.width > 0 && cx >= b[0] && cx <= b[2] && cy >= b[1] && cy <= b[3]) out.push([r.top, r.left, t]);
  }
  out.sort((a, c) => Math.round(a[0] / 8) - Math.round(c[0] / 8) || a[1] - c[1]);
  return out.map((x) => x[2]).join(' ');
}"""


def css_query(env: SupportsEvaluate) -> ElementQuery:
    """An element query that answers CSS selectors through the page."""

    def query(observation: Observation, selector: str) -> list[Candidate]:
        answer = env.evaluate(_QUERY_JS, selector)
        if not isinstance(answer, dict):
            raise DriverError(f"the page answered {type(answer).__name__} to a selector query")
        if "error" in answer:
            raise ConfigError(f"bad CSS selector {selector!r}: {answer['error']}")
        return [
            Candidate(
                box=Box(x0=m["x0"], y0=m["y0"], x1=m["x1"], y1=m["y1"]),
                score=1.0,
                source="element",
                text=m["text"],
                role=m["role"],
                element_id=m["id"] or None,
                why=f"CSS {selector!r}",
            )
            for m in answer.get("matches", [])
        ]

    return query


def dom_text(env: SupportsEvaluate) -> TextFinder:
    """A text finder over all visible text of the page (headings, paragraphs, banners)."""

    def find(observation: Observation, text: str, exact: bool) -> list[Candidate]:
        matches = env.evaluate(_TEXT_JS, {"text": text, "exact": exact})
        return sorted(
            (
                Candidate(
                    box=Box(x0=m["x0"], y0=m["y0"], x1=m["x1"], y1=m["y1"]),
                    score=m["score"],
                    source="element",
                    text=m["text"],
                    role=m["role"],
                    why=f"page text {m['text'][:40]!r}",
                )
                for m in matches or []
            ),
            key=lambda c: -c.score,
        )

    return find


def dom_region(env: SupportsEvaluate) -> RegionReader:
    """Reads the page text inside a screen box."""

    def read(observation: Observation, box: Box) -> str:
        return str(env.evaluate(_REGION_JS, [box.x0, box.y0, box.x1, box.y1]) or "")

    return read


@dataclass(frozen=True)
class PlatformLookups:
    """What an environment's own look-ups add to :class:`ScreenResolver`."""

    element_query: ElementQuery | None = None
    text_finder: TextFinder | None = None
    read_region: RegionReader | None = None
    templates: TemplateFinder | None = None


def lookups_for(env: Environment) -> PlatformLookups:
    """The page's own look-ups where it can be scripted, else OCR; templates everywhere
    (both need the `ocr` extra; without it image targets are a usage error)."""
    grounder = offline_grounder()
    templates = template_finder(grounder) if grounder is not None else None
    if env.capabilities.scripting and isinstance(env, SupportsEvaluate):
        return PlatformLookups(
            element_query=css_query(env),
            text_finder=dom_text(env),
            read_region=dom_region(env),
            templates=templates,
        )
    if grounder is None:
        return PlatformLookups()
    return PlatformLookups(
        text_finder=ocr_text_finder(grounder), read_region=ocr_region_reader(grounder), templates=templates
    )
