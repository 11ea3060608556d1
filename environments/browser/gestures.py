"""Real mouse and keyboard input, as coroutines on Playwright's async page object.

They run through :mod:`screenpilot.environments.browser.pump` so that each one is bounded in time and
can wait behind a JS dialog. Coordinates are CSS pixels of the viewport.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

Xy = tuple[float, float]

_TYPED = frozenset(chr(c) for c in range(0x20, 0x7F)) | {"\n", "\t"}


async def hold(page: Any, keys: Sequence[str]) -> None:
    for key in keys:
        await page.keyboard.down(key)


async def release(page: Any, keys: Sequence[str]) -> None:
    for key in reversed(keys):
        await page.keyboard.up(key)


async def click(page: Any, at: Xy, button: str, count: int, modifiers: Sequence[str]) -> None:
    """Move, then press and release ``count`` times (a real double or triple click)."""
    await hold(page, modifiers)
    try:
        if count == 1:
            # one protocol call for move, press and release: the common case, kept fast
            await page.mouse.click(at[0], at[1], delay=None, button=button, click_count=1)
            return
        await page.mouse.move(at[0], at[1], steps=None)
        for n in range(1, count + 1):
            await page.mouse.down(button=button, click_count=n)
            await page.mouse.up(button=button, click_count=n)
    finally:
        await release(page, modifiers)


async def move(page: Any, at: Xy) -> None:
    await page.mouse.move(at[0], at[1], steps=None)


async def drag(page: Any, path: Sequence[Xy], button: str, hold_s: float, steps: int = 8) -> None:
    """Press at ``path[0]``, move through the rest in small steps, release at the end."""
    await page.mouse.move(path[0][0], path[0][1], steps=None)
    await page.mouse.down(button=button, click_count=1)
    try:
        if hold_s:
            await asyncio.sleep(hold_s)
        for x, y in path[1:]:
            await page.mouse.move(x, y, steps=steps)
    finally:
        await page.mouse.up(button=button, click_count=1)


async def long_press(page: Any, at: Xy, seconds: float) -> None:
    await page.mouse.move(at[0], at[1], steps=None)
    await page.mouse.down(button="left", click_count=1)
    try:
        await asyncio.sleep(seconds)
    finally:
        await page.mouse.up(button="left", click_count=1)


def text_runs(text: str) -> list[tuple[bool, str]]:
    """Split text into runs typed key by key (ASCII) or inserted whole (everything else).

    Keys exist only for ASCII on the US layout Playwright simulates; CJK and emoji are
    inserted as text, as an input method would commit them.
    """
    runs: list[tuple[bool, str]] = []
    for ch in text:
        typed = ch in _TYPED
        if runs and runs[-1][0] == typed:
            runs[-1] = (typed, runs[-1][1] + ch)
        else:
            runs.append((typed, ch))
    return runs


async def type_text(page: Any, text: str, *, select_all: str | None, submit: bool) -> None:
    """Type ``text`` into the focused element; ``select_all`` is the chord that selects first."""
    if select_all is not None:
        modifier, key = select_all.split("+")
        await page.keyboard.down(modifier)
        await page.keyboard.press(key, delay=None)
        await page.keyboard.up(modifier)
        await page.keyboard.press("Backspace", delay=None)
    for typed, run in text_runs(text):
        if typed:
            await page.keyboard.type(run, delay=None)
        else:
            await page.keyboard.insert_text(run)
    if submit:
        await page.keyboard.press("Enter", delay=None)


async def chord(page: Any, keys: Sequence[str]) -> None:
    """All keys down in order, then up in reverse order."""
    await hold(page, keys)
    await release(page, keys)


async def wheel(page: Any, at: Xy | None, dx: float, dy: float) -> None:
    if at is not None:
        await page.mouse.move(at[0], at[1], steps=None)
    await page.mouse.wheel(dx, dy)


async def pause(page: Any, seconds: float) -> None:
    await asyncio.sleep(seconds)
