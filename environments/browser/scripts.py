"""The JavaScript the environment runs in pages, read once from the files beside this module."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent


@cache
def _read(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


def elements_script() -> str:
    """A function expression ``(opts) => {elements, viewport}`` for ``frame.evaluate``."""
    return _read("elements.js")


def effects_script() -> str:
    """A function expression ``({phase, point}) => ...`` that hit-tests a point (``begin``)
    and reports what changed in the page since (``end``)."""
    return _read("effects.js")


@cache
def probe_begin_script() -> str:
    """A function expression ``(arg) => {effect, look}``: the effect probe's ``begin`` and
    the settle wait's look at the page, in one round trip before an action."""
    return f"(arg) => ({{ effect: (\n{effects_script()}\n)(arg), look: (\n{settle_script()}\n)() }})"


@cache
def settle_peek_script() -> str:
    """A function expression ``() => {look, effect}``: the settle wait's look and what the
    action changed so far (the effect probe's ``end`` without forgetting its baseline), in
    one round trip: the look that ends the wait also measures the action's effect."""
    return (
        f"() => ({{ look: (\n{settle_script()}\n)(), "
        f"effect: (\n{effects_script()}\n)({{ phase: 'peek', point: null }}) }})"
    )


def settle_script() -> str:
    """A function expression ``() => state | null``: what the settle wait looks at in a page."""
    return _read("settle_check.js")


def init_script(*, select_overlay: bool) -> str:
    """The script installed in every frame before page scripts run."""
    return _read("page_init.js").replace("__SP_SELECT_OVERLAY__", "true" if select_overlay else "false")


MASK_SELECTOR = "input[type=password], [data-sp-secret]"
"""Fields covered in screenshots: password inputs, and inputs that ever were one."""

FRAME_ORIGIN_JS = """(el) => {
  const r = el.getBoundingClientRect();
  const cs = getComputedStyle(el);
  const x = r.left + el.clientLeft + parseFloat(cs.paddingLeft || '0');
  const y = r.top + el.clientTop + parseFloat(cs.paddingTop || '0');
  return [x, y, x + el.clientWidth - parseFloat(cs.paddingLeft || '0') - parseFloat(cs.paddingRight || '0'),
          y + el.clientHeight - parseFloat(cs.paddingTop || '0') - parseFloat(cs.paddingBottom || '0')];
}"""
"""The content box of an ``<iframe>`` element in its parent frame's viewport (CSS px)."""
