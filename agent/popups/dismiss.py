"""Dismissing popups through an act pipeline, one recorded step per dismissal.

Shared by the agent loop (before the policy is asked) and workflows (before a step looks
for its target).
"""

from __future__ import annotations

from collections.abc import Callable

from screenpilot.agent.act import Acted, Actor
from screenpilot.agent.popups.handler import Dismissal, PopupHandler
from screenpilot.environments.observation import Observation

RecordDismissal = Callable[[Observation, Dismissal, Acted], None]
"""Records one dismissal: the screen it acted on, the decision, what acting did."""

MAX_IN_A_ROW = 3
"""Dismissals on one screen before the handler lets the caller go on."""


def clear_popups(
    handler: PopupHandler,
    actor: Actor,
    obs: Observation,
    *,
    observe: Callable[[], Observation],
    record: RecordDismissal,
    settle_s: float,
    context: str = "",
) -> tuple[Observation, list[Dismissal]]:
    """Dismiss the popups on ``obs`` that rules recognise; the screen after them.

    Each dismissal is one click through ``actor`` (guards apply), recorded with
    ``record``, then the screen is observed again. Stops when no rule matches, after
    :data:`MAX_IN_A_ROW` dismissals, at the handler's cap, or when a click failed.
    """
    done: list[Dismissal] = []
    for _ in range(MAX_IN_A_ROW):
        found = handler.find(obs, context=context)
        if found is None:
            break
        handler.count()
        acted = actor.act(found.action, obs, settle_timeout_s=settle_s)
        record(obs, found, acted)
        done.append(found)
        obs = observe()
        if not acted.ok:
            break
    return obs, done
