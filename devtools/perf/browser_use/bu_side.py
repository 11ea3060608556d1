"""One browser-use run on the counter page; prints its timings as one JSON object.

Runs in a separate environment that has browser-use (see README.md), from the checkout's
root: ``/tmp/bu/bin/python -m devtools.perf.browser_use.bu_side --url URL [--clicks 10]``
(it imports nothing from screenpilot).

browser-use's ``Agent`` runs with its defaults (vision on, judge on, loop detection on,
planning on, 5 actions per step at most) except the model: :class:`ScriptedChatModel`
answers every step without a network, clicking the button's element index (read from the
page state browser-use sends to the model, the ``[N]<button`` line) ``clicks`` times and
then calling ``done``. The browser is Debian's Chromium, headless, viewport 1280x800.
Telemetry and cloud sync are off (``ANONYMIZED_TELEMETRY=false``), logging stays at its
default (INFO, to stderr, which the driver shows only when a run fails): nothing here reaches a
network.

Times (seconds, ``time.perf_counter``):
- ``launch_s``: ``agent.run()`` to the first step's ``on_step_start`` hook: browser start
  and the page load. Not counted in the step time.
- ``steps_s``: the first step's ``on_step_start`` to the ``on_step_end`` of the last click
  step; ``per_step_ms`` is ``steps_s / clicks``.
- ``run_s``: ``agent.run()`` to its return (launch, the done step and the judge included).
- ``waits_ms``: browser-use's fixed waits during the click steps (``asyncio.sleep`` calls
  and ``asyncio.wait_for`` timeouts that expired, see ``wait_log``), per call site, in
  milliseconds per step (sites that waited at least once per click step).
"""

# browser_use is installed only in the benchmark's own environment, not in the project's;
# the project's type check (ignore_missing_imports) sees its names as Any.
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import time
from typing import Any

os.environ.setdefault("ANONYMIZED_TELEMETRY", "false")

from browser_use import Agent, BrowserProfile, BrowserSession
from browser_use.llm.views import ChatInvokeCompletion

from devtools.perf.browser_use.wait_log import WaitLog

BUTTON = re.compile(r"\[(\d+)\]<button[^>]*>\s*Add one")


def _text(message: Any) -> str:
    content = getattr(message, "content", "")
    if isinstance(content, str):
        return content
    return "".join(getattr(part, "text", "") for part in content or ())


class ScriptedChatModel:
    """browser-use's ``BaseChatModel`` protocol, answering from a script instead of a model.

    Agent steps (``output_format`` with an ``action`` field) get ``click`` on the element
    index of the "Add one" button until ``clicks`` clicks were asked for, then ``done``.
    The judge and any other structured call get a successful verdict; plain text calls get
    a short text.
    """

    model = "scripted"
    _verified_api_keys = True

    def __init__(self, clicks: int) -> None:
        self.clicks = clicks
        self.asked = 0

    @property
    def provider(self) -> str:
        return "scripted"

    @property
    def name(self) -> str:
        return "scripted"

    @property
    def model_name(self) -> str:
        return self.model

    async def ainvoke(self, messages: list[Any], output_format: Any = None, **kwargs: Any) -> Any:
        if output_format is None:
            return ChatInvokeCompletion(completion="ok", usage=None)
        if "action" in output_format.model_fields:
            return ChatInvokeCompletion(
                completion=output_format.model_validate(self._step(messages)), usage=None
            )
        answer = {"reasoning": "scripted", "verdict": True, "failure_reason": "", "impossible_task": False}
        fields = output_format.model_fields
        return ChatInvokeCompletion(
            completion=output_format.model_validate({k: v for k, v in answer.items() if k in fields}),
            usage=None,
        )

    def _step(self, messages: list[Any]) -> dict[str, Any]:
        brain = {
            "evaluation_previous_goal": "scripted",
            "memory": f"{self.asked} clicks",
            "next_goal": "click",
        }
        if self.asked >= self.clicks:
            return {**brain, "action": [{"done": {"text": f"clicked {self.clicks} times", "success": True}}]}
        # the page state is in the last user message that has one (nudges may follow it)
        found = next((m for m in map(BUTTON.search, map(_text, reversed(messages))) if m), None)
        if found is None:
            raise RuntimeError("the page state sent to the model has no [N]<button> Add one")
        self.asked += 1
        return {**brain, "action": [{"click": {"index": int(found.group(1))}}]}


async def run_once(url: str, clicks: int, executable: str) -> dict[str, object]:
    waits = WaitLog("browser_use")
    waits.install()
    profile = BrowserProfile(
        executable_path=executable, headless=True, viewport={"width": 1280, "height": 800}
    )
    llm = ScriptedChatModel(clicks)
    agent = Agent(
        task=f"Open {url} and click the 'Add one' button {clicks} times.",
        llm=llm,
        browser_session=BrowserSession(browser_profile=profile),
    )
    starts: list[float] = []
    ends: list[float] = []
    counter: list[int] = []

    async def on_start(a: Any) -> None:
        starts.append(time.perf_counter())
        waits.on = len(starts) <= clicks

    async def on_end(a: Any) -> None:
        ends.append(time.perf_counter())
        waits.on = False
        if len(ends) < clicks:  # read the counter only once the clicks are over (not timed)
            return
        page = await a.browser_session.get_current_page()
        counter.append(int(await page.evaluate("() => document.getElementById('count').textContent")))

    t0 = time.perf_counter()
    history = await agent.run(max_steps=clicks + 5, on_step_start=on_start, on_step_end=on_end)
    run_s = time.perf_counter() - t0
    steps_s = ends[clicks - 1] - starts[0] if len(ends) >= clicks else float("nan")
    return {
        "framework": "browser-use",
        "status": "success" if history.is_successful() else "failure",
        "steps": len(ends),
        "clicks": clicks,
        "clicks_asked": llm.asked,
        "counter": counter[-1] if counter else None,
        "launch_s": starts[0] - t0 if starts else float("nan"),
        "steps_s": steps_s,
        "per_step_ms": steps_s / clicks * 1000,
        "run_s": run_s,
        "waits_ms": waits.per_step_ms(clicks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--clicks", type=int, default=10)
    parser.add_argument("--executable", default="/usr/bin/chromium")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run_once(args.url, args.clicks, args.executable))))


if __name__ == "__main__":
    main()
