"""Finding a step's target on the screen.

:class:`TargetResolver` is the seam: the runner asks it for candidates and never looks
at pixels or elements itself. :class:`ScreenResolver` answers from the observation's
elements first and from pluggable perception (OCR, template matching, a platform's own
element query, a grounding model) where elements cannot answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

from screenpilot.environments.geometry import box_to_space, check_in_range, convert
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.policy import Grounder
from screenpilot.tools.errors import ConfigError, CoordinateOutOfRange, ModelOutputError
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.points import Box, CoordSpace, Point
from screenpilot.workflows.targets import (
    AnyTarget,
    DescriptionTarget,
    ElementTarget,
    ImageTarget,
    PointTarget,
    RegionTarget,
    TextTarget,
)

ElementQuery = Callable[[Observation, str], list[Candidate]]
"""A platform's own element look-up (a CSS selector in the browser)."""
TextFinder = Callable[[Observation, str, bool], list[Candidate]]
"""Text the elements do not carry (page text, OCR): ``(observation, text, exact) -> candidates``."""
RegionReader = Callable[[Observation, Box], str]
"""The text inside a screen box, read from the pixels."""
TemplateFinder = Callable[[Observation, Path, float], list[Candidate]]
"""Template matching: ``(observation, template path, threshold) -> candidates``."""


@runtime_checkable
class TargetResolver(Protocol):
    """Finds targets on an observation. Candidates' boxes are in screen coordinates."""

    def find(self, observation: Observation, target: AnyTarget) -> list[Candidate]:
        """Every place the target may be, best first; empty when it is not on the screen.

        Raises:
            ConfigError: When the target kind cannot be resolved with what is configured.
        """
        ...

    def text_in(self, observation: Observation, box: Box) -> str:
        """The text shown inside a screen box, in reading order."""
        ...


def normalize(text: str) -> str:
    """Case-folded with runs of whitespace collapsed (labels differ in spacing and case)."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def text_score(query: str, label: str, *, exact: bool) -> float:
    """1.0 for the same text, 0.9 for a prefix, 0.8 for a part; 0 for no match."""
    q, t = normalize(query), normalize(label)
    if not q or not t:
        return 0.0
    if q == t:
        return 1.0
    if exact:
        return 0.0
    if t.startswith(q):
        return 0.9
    return 0.8 if q in t else 0.0


def reading_order(box: Box) -> tuple[int, float]:
    """Sort key for text on a screen: rows (8 px bands) top to bottom, then left to right."""
    return round(box.y0 / 8), box.x0


def element_text(element: UIElement) -> str:
    """What an element shows: a field's value, else its text or label."""
    if element.editable and element.value:
        return element.value
    return element.text or element.label


def _on_screen(obs: Observation, box: Box) -> bool:
    try:
        check_in_range(box.center, obs.geometry)
    except CoordinateOutOfRange:
        return False
    return True


def _from_element(el: UIElement, score: float, why: str) -> Candidate:
    # disabled elements (behind a modal dialog) rank below enabled ones
    return Candidate(
        box=el.box,
        score=score if el.enabled else score * 0.5,
        source="element",
        text=element_text(el),
        role=el.role,
        element_id=el.id,
        why=why,
    )


def _ranked(cands: list[Candidate]) -> list[Candidate]:
    return sorted(cands, key=lambda c: -c.score)


def screen_box(obs: Observation, point: Point | Box) -> Box:
    """A point (as an empty box) or box converted into screen coordinates."""
    if isinstance(point, Box):
        return box_to_space(point, CoordSpace.SCREEN, obs.geometry)
    p = convert(point, CoordSpace.SCREEN, obs.geometry)
    return Box(x0=p.x, y0=p.y, x1=p.x, y1=p.y)


class ScreenResolver:
    """The default resolver: elements first, then the configured perception.

    Args:
        base_dir: Where relative template paths are resolved.
        grounder: Locates ``description`` targets (a model).
        element_query: The platform's element look-up for ``element`` targets.
        text_finder: Finds text the observation's elements do not carry (the page's text in
            the browser, OCR on the pixels elsewhere).
        read_region: Reads the text in a box from the pixels (for ``extract`` of a region).
        templates: Template matching for ``image`` targets.
    """

    def __init__(
        self,
        base_dir: Path | None = None,
        *,
        grounder: Grounder | None = None,
        element_query: ElementQuery | None = None,
        text_finder: TextFinder | None = None,
        read_region: RegionReader | None = None,
        templates: TemplateFinder | None = None,
    ) -> None:
        self.base_dir = base_dir or Path.cwd()
        self.grounder = grounder
        self.element_query = element_query
        self.text_finder = text_finder
        self.read_region = read_region
        self.templates = templates

    def find(self, observation: Observation, target: AnyTarget) -> list[Candidate]:
        match target:
            case TextTarget():
                return self._text(observation, target)
            case ElementTarget(element=selector):
                return self._element(observation, selector)
            case ImageTarget(image=image, threshold=threshold):
                return self._image(observation, image, threshold)
            case PointTarget(point=(x, y), space=space):
                box = screen_box(observation, Point(x=x, y=y, space=space))
                return [Candidate(box=box, score=1.0, source="model", why="fixed point")]
            case RegionTarget(region=(x0, y0, x1, y1), space=space):
                box = screen_box(observation, Box(x0=x0, y0=y0, x1=x1, y1=y1, space=space))
                return [Candidate(box=box, score=1.0, source="model", why="fixed region")]
            case DescriptionTarget(description=d):
                return self._describe(observation, d)
        raise ConfigError(f"cannot resolve {target!r}")

    def text_in(self, observation: Observation, box: Box) -> str:
        inside = [
            e
            for e in observation.elements
            if e.visible and box.x0 <= e.box.center.x <= box.x1 and box.y0 <= e.box.center.y <= box.y1
        ]
        if inside:
            inside.sort(key=lambda e: reading_order(e.box))
            return " ".join(t for t in (element_text(e) for e in inside) if t)
        if self.read_region is not None:
            return self.read_region(observation, box)
        return ""

    def _text(self, obs: Observation, target: TextTarget) -> list[Candidate]:
        role = target.role.casefold() if target.role else None
        out = []
        for el in obs.elements:
            if not el.visible or (role and role not in (el.role.casefold(), el.tag.casefold())):
                continue
            score = max(text_score(target.text, s, exact=target.exact) for s in (el.label, el.text))
            if score and _on_screen(obs, el.box):
                out.append(_from_element(el, score, f"element {el.id} labelled {el.label!r}"))
        if not out and self.text_finder is not None and role is None:
            out = [c for c in self.text_finder(obs, target.text, target.exact) if _on_screen(obs, c.box)]
        return _ranked(out)

    def _element(self, obs: Observation, selector: str) -> list[Candidate]:
        if self.element_query is not None:
            return self.element_query(obs, selector)
        key = selector.removeprefix("#")
        out = []
        for el in obs.elements:
            ids = (el.id, el.attributes.get("resource-id", ""), el.attributes.get("id", ""))
            if not el.visible:
                continue
            if key in ids or selector in ids:
                out.append(_from_element(el, 1.0, f"element id {el.id}"))
            elif el.label and el.label == selector:
                out.append(_from_element(el, 0.9, f"element text {el.label!r}"))
        return _ranked([c for c in out if _on_screen(obs, c.box)])

    def _image(self, obs: Observation, image: str, threshold: float) -> list[Candidate]:
        if self.templates is None:
            raise ConfigError("image targets need template matching (pip install 'screenpilot[ocr]')")
        path = Path(image) if Path(image).is_absolute() else self.base_dir / image
        if not path.is_file():
            raise ConfigError(f"template image {path} does not exist")
        return self.templates(obs, path, threshold)

    def _describe(self, obs: Observation, description: str) -> list[Candidate]:
        if self.grounder is None:
            raise ConfigError("description targets need a grounding model; none is configured")
        try:
            where = self.grounder.locate(obs, description)
        except ModelOutputError:
            return []
        box = screen_box(obs, where)
        return [Candidate(box=box, score=0.7, source="model", why=f"grounded {description!r}")]
