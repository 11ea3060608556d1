"""What an environment can do, in the terms its callers ask about.

Callers never branch on a platform's name: a prompt asks how the screen is operated
(:attr:`Capabilities.input`) and which actions exist (the browser tool's verbs, tabs,
system buttons all come from :attr:`Capabilities.actions`); a workflow asks whether the page
can be scripted (:attr:`Capabilities.scripting`). A new driver (VNC, Windows UI
Automation, iOS) states these facts and every caller treats it right without an edit.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.tools.actions import Action

InputKind = Literal["pointer", "touch"]
"""How the screen is operated: a mouse pointer (hover, right click, drag) or a finger
(taps, swipes, long presses)."""


class Capabilities(BaseModel):
    """What an environment can do. Every observation carries its environment's.

    Attributes:
        platform: An informative name for records and messages (``browser``, ``android``,
            a plug-in's own); no behaviour depends on it.
        actions: The ``action`` values it executes. Navigation, tabs and system buttons are
            read from this set.
        input: How the screen is operated; models choose their tool vocabulary from it
            (touch gets the mobile tool, pointer the computer tool).
        elements: Whether observations carry structured elements.
        scripting: Whether the environment evaluates JavaScript in its page (it then
            implements :class:`~screenpilot.environments.base.SupportsEvaluate`), so that
            workflows can answer CSS and text targets through the page.
    """

    model_config = ConfigDict(frozen=True)

    platform: str = Field(min_length=1)
    actions: frozenset[str]
    input: InputKind = "pointer"
    elements: bool = False
    scripting: bool = False

    def supports(self, action: Action) -> bool:
        """Whether ``action``'s kind is one this environment executes."""
        return action.action in self.actions

    @classmethod
    def of_screenshot(cls, platform: str = "screenshot", input: InputKind = "pointer") -> Capabilities:
        """The capabilities of a still screenshot with no environment behind it (grounding
        a file, an uploaded image): nothing can be executed on it."""
        return cls(platform=platform, actions=frozenset(), input=input)
