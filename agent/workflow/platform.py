"""Platform-specific target look-ups, chosen from what an environment can do.

The browser environment evaluates JavaScript in its page, so ``element`` targets there are
CSS selectors answered by the page itself (hidden and zero-size nodes left out). Other
platforms answer from observation elements (see :class:`ScreenResolver`).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from agent.workflow.resolver import ElementQuery
from environments.base import Environment
from environments.observation import Observation
from tools.errors import ConfigError, DriverError
from tools.perception.candidate import Candidate
from tools.points import Box

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


@runtime_checkable
class SupportsEvaluate(Protocol):
    """An environment that evaluates JavaScript in its current page."""

    def evaluate(self, expression: str, arg: Any = None) -> Any: ...


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


def element_query_for(env: Environment) -> ElementQuery | None:
    """The platform's own element query, when it has one."""
    if env.capabilities.platform == "browser" and isinstance(env, SupportsEvaluate):
        return css_query(env)
    return None
