"""Step events from ``events.jsonl`` turned into what a page shows.

Shared by the HTML report and the web UI's live view, so both draw the same marks.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from screenpilot.app.report.action_marks import Mark, marks_for
from screenpilot.environments.effects import Effect
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.tools.actions import Action, parse_action


class ActionLine(BaseModel):
    """One executed (or refused) action of a step, with what it hit and changed."""

    model_config = ConfigDict(frozen=True)

    text: str
    ok: bool
    message: str = ""
    error_type: str | None = None
    effect: str = ""


class StepView(BaseModel):
    """A step as pages show it.

    Attributes:
        approximate: The event carried no geometry (runs recorded before it was added); marks
            assume screen pixels equal image pixels.
    """

    model_config = ConfigDict(frozen=True)

    index: int
    screenshot: str | None = None
    image_size: tuple[int, int] | None = None
    marks: tuple[Mark, ...] = ()
    approximate: bool = False
    thought: str = ""
    actions: tuple[ActionLine, ...] = ()
    raw: str = ""
    error: str | None = None
    feedback: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    url: str | None = None
    title: str | None = None
    times: dict[str, float] = Field(default_factory=dict)
    usage: dict[str, int] = Field(default_factory=dict)
    invalid_outputs: int = 0
    transport_retries: int = 0
    popup: str | None = None
    """Why the popup handler took this step (the rule and what it clicked)."""
    run_failed: str | None = None
    """On the last step of a run that did not succeed: how the run ended."""

    @property
    def ok(self) -> bool:
        return self.error is None and self.run_failed is None and all(a.ok for a in self.actions)

    @property
    def stage_seconds(self) -> dict[str, float]:
        """The stages' seconds by name (``observe_s`` ..), without the settle counts."""
        return {k: v for k, v in self.times.items() if k.endswith("_s")}

    @property
    def seconds(self) -> float:
        return sum(self.stage_seconds.values())


def _geometry(
    event: dict[str, Any], image_size: tuple[int, int] | None
) -> tuple[ScreenGeometry | None, bool]:
    raw = event.get("geometry")
    if raw:
        try:
            return ScreenGeometry.model_validate(raw), False
        except ValidationError:
            pass  # an unreadable geometry falls back to the image size below
    if image_size is None:
        return None, False
    w, h = image_size
    return ScreenGeometry(image_size=Size(width=w, height=h), logical_size=Size(width=w, height=h)), True


def _actions(event: dict[str, Any]) -> list[tuple[Action | None, dict[str, Any]]]:
    out: list[tuple[Action | None, dict[str, Any]]] = []
    for outcome in event.get("outcomes") or []:
        try:
            action: Action | None = parse_action(outcome.get("action") or {})
        except ValidationError:
            action = None  # an action from a newer version: shown as JSON, not drawn
        out.append((action, outcome))
    return out


def _effect_text(outcome: dict[str, Any], action: Action | None) -> str:
    raw = outcome.get("effect")
    if not raw:
        return ""
    try:
        effect = Effect.model_validate(raw)
    except ValidationError:
        return ""
    verb = {"click": "click", "long_press": "press", "drag": "drag"}.get(
        action.action if action else "", "action"
    )
    return effect.summary(verb)


def step_view(event: dict[str, Any], image_size: tuple[int, int] | None = None) -> StepView:
    """Build the view of one ``step`` event.

    Args:
        event: The event as read from ``events.jsonl``.
        image_size: Size of the screenshot file, used only when the event has no geometry.
    """
    geometry, approximate = _geometry(event, image_size)
    pairs = _actions(event)
    marks = (
        marks_for(((a, bool(o.get("ok"))) for a, o in pairs if a is not None), geometry) if geometry else []
    )
    lines = tuple(
        ActionLine(
            text=a.describe() if a is not None else str(o.get("action")),
            ok=bool(o.get("ok")),
            message=str(o.get("message") or ""),
            error_type=o.get("error_type"),
            effect=_effect_text(o, a),
        )
        for a, o in pairs
    )
    popup = event.get("popup") or None
    size = (geometry.image_size.width, geometry.image_size.height) if geometry else image_size
    return StepView(
        index=int(event.get("index", 0)),
        screenshot=event.get("screenshot"),
        image_size=size,
        marks=tuple(marks),
        approximate=approximate,
        thought=str(event.get("thought") or ""),
        actions=lines,
        raw=str(event.get("raw") or ""),
        error=event.get("error"),
        feedback=tuple(event.get("feedback") or ()),
        notices=tuple(event.get("notices") or ()),
        url=event.get("url"),
        title=event.get("title"),
        times={k: float(v) for k, v in (event.get("times") or {}).items()},
        # counts only: usage also carries per-endpoint calls of a replica pool (a mapping)
        usage={k: int(v) for k, v in (event.get("usage") or {}).items() if isinstance(v, int | float)},
        invalid_outputs=int(event.get("invalid_outputs") or 0),
        transport_retries=int(event.get("transport_retries") or 0),
        popup=str(popup.get("reason") or popup.get("rule")) if isinstance(popup, dict) else None,
    )
