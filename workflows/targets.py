"""Targets: how a workflow step says *where* on the screen it acts.

In YAML a target is a mapping with one of the keys ``text``, ``image``, ``element``,
``point``, ``region`` or ``description`` (a bare string is a text target)::

    click: Sign in
    click: {text: Sign in, role: button, exact: true}
    click: {image: images/logo.png, threshold: 0.85}
    click: {element: "#submit"}
    click: {point: [500, 326], space: rel1000}
    click: {description: the blue sign-in button}
    click: {text: Sign in, fallback: {point: [500, 326], space: rel1000}}
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag

from screenpilot.tools.points import CoordSpace

TARGET_KEYS: tuple[str, ...] = ("text", "image", "element", "point", "region", "description")


class _TargetBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    fallback: Target | None = None
    """Tried when this target is not found (``from-run`` keeps the recorded point here)."""


class TextTarget(_TargetBase):
    """Text on the screen: an element's label or text, or OCR text when there are no elements."""

    text: str = Field(min_length=1)
    exact: bool = False
    """Match the whole label (case and spacing ignored) instead of a part of it."""
    role: str | None = None
    """Only elements with this role (button, textbox, link, checkbox...)."""


class ImageTarget(_TargetBase):
    """A template image, found by template matching."""

    image: str = Field(min_length=1)
    """Path of the template (relative to the workflow file)."""
    threshold: float = Field(default=0.8, gt=0.0, le=1.0)


class ElementTarget(_TargetBase):
    """A structural element: CSS selector in the browser, resource-id or text on Android,
    element id elsewhere."""

    element: str = Field(min_length=1)


class PointTarget(_TargetBase):
    """A fixed point in a coordinate space."""

    point: tuple[float, float]
    space: CoordSpace = CoordSpace.SCREEN


class RegionTarget(_TargetBase):
    """A rectangle ``[x0, y0, x1, y1]`` (extract reads the text inside; click hits its centre)."""

    region: tuple[float, float, float, float]
    space: CoordSpace = CoordSpace.SCREEN


class DescriptionTarget(_TargetBase):
    """A natural-language description, located by a grounding model."""

    description: str = Field(min_length=1)


def _shorthand(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


def _kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((f"kind:{k}" for k in TARGET_KEYS if k in value), None)
    if isinstance(value, _TargetBase):
        return f"kind:{target_kind(value)}"
    return None


Target = Annotated[
    Annotated[
        Annotated[TextTarget, Tag("kind:text")]
        | Annotated[ImageTarget, Tag("kind:image")]
        | Annotated[ElementTarget, Tag("kind:element")]
        | Annotated[PointTarget, Tag("kind:point")]
        | Annotated[RegionTarget, Tag("kind:region")]
        | Annotated[DescriptionTarget, Tag("kind:description")],
        Discriminator(
            _kind,
            custom_error_type="target_kind",
            custom_error_message=f"a target needs one of the keys {', '.join(TARGET_KEYS)}",
        ),
    ],
    BeforeValidator(_shorthand),
]
"""Any target; a plain string is a text target."""

AnyTarget = TextTarget | ImageTarget | ElementTarget | PointTarget | RegionTarget | DescriptionTarget

TargetKind = Literal["text", "image", "element", "point", "region", "description"]


def target_kind(target: _TargetBase) -> TargetKind:
    """Which kind of target this is."""
    kinds: dict[type, TargetKind] = {
        TextTarget: "text",
        ImageTarget: "image",
        ElementTarget: "element",
        PointTarget: "point",
        RegionTarget: "region",
        DescriptionTarget: "description",
    }
    return kinds[type(target)]


def describe(target: AnyTarget) -> str:
    """A short phrase for messages and grounding queries."""
    match target:
        case TextTarget(text=t, role=r):
            return f"text {t!r}" + (f" ({r})" if r else "")
        case ImageTarget(image=i):
            return f"image {i}"
        case ElementTarget(element=e):
            return f"element {e!r}"
        case PointTarget(point=(x, y), space=s):
            return f"point ({x:g}, {y:g})@{s.value}"
        case RegionTarget(region=r, space=s):
            return f"region {list(r)}@{s.value}"
        case DescriptionTarget(description=d):
            return repr(d)
    return repr(target)


def grounding_query(target: AnyTarget) -> str:
    """What to ask a grounding model for when healing a step."""
    match target:
        case TextTarget(text=t, role=r):
            return f"{r} labelled {t!r}" if r else f"the element showing {t!r}"
        case ElementTarget(element=e):
            return f"the element matching {e!r}"
        case DescriptionTarget(description=d):
            return d
        case ImageTarget(image=i):
            return f"the icon shown in {i}"
    return describe(target)


for _cls in (TextTarget, ImageTarget, ElementTarget, PointTarget, RegionTarget, DescriptionTarget):
    _cls.model_rebuild()
