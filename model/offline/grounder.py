"""The offline grounder: environment elements and OCR, ranked by text, role and position.

It implements :class:`screenpilot.model.policy.Grounder` and a richer :meth:`OfflineGrounder.find`
that returns every plausible candidate best first, so a policy can explain what it saw
when nothing fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.geometry import box_to_space
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline import spatial
from screenpilot.model.offline.hints import ROLE_WORDS, TargetSpec, parse_target
from screenpilot.model.offline.sources import (
    containing_element,
    containing_shape,
    element_candidates,
    element_role,
    element_texts,
    ocr_to_screen,
    role_factor,
    shapes_to_screen,
)
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.perception.incremental_ocr import IncrementalOcr
from screenpilot.tools.perception.ocr import OcrConfig, OcrEngine, TextBox, TextReader, find_text
from screenpilot.tools.perception.shapes import Shape, find_shapes
from screenpilot.tools.perception.templates import TemplateConfig, iou, match_template
from screenpilot.tools.perception.text_match import compact, text_score
from screenpilot.tools.points import Box, CoordSpace

OcrMode = Literal["auto", "always", "off"]


class GrounderConfig(BaseModel):
    """Options of :class:`OfflineGrounder`.

    Attributes:
        ocr: ``auto`` reads the screen when elements are missing or do not match well,
            ``always`` merges OCR in every time, ``off`` never runs it.
        ocr_config: Engine options (language, thresholds).
        incremental: Re-read only the regions that changed since the last screen.
        min_score: Candidates scoring below this are not returned.
        element_trust: An element match at least this good makes ``auto`` skip OCR.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ocr: OcrMode = "auto"
    ocr_config: OcrConfig = OcrConfig()
    incremental: bool = True
    min_score: float = Field(default=0.6, ge=0.0, le=1.0)
    element_trust: float = Field(default=0.85, ge=0.0, le=1.0)


class _Frame:
    """OCR lines and outlines of one observation, computed on first use."""

    def __init__(self, key: tuple[int, float]) -> None:
        self.key = key
        self.lines: list[TextBox] | None = None
        self.shapes: list[Shape] | None = None


class OfflineGrounder:
    """Finds described targets with no model: elements first, OCR and outlines as needed.

    Args:
        config: Options.
        engine: A shared OCR engine (tests share one; loading costs about a second).
    """

    def __init__(self, config: GrounderConfig | None = None, *, engine: TextReader | None = None) -> None:
        self.config = config or GrounderConfig()
        self._engine = engine
        self._incremental: IncrementalOcr | None = None
        self._frame: _Frame | None = None

    # -- public ---------------------------------------------------------------------------

    def locate(self, observation: Observation, description: str) -> Box:
        """The best match's box in screen space.

        Raises:
            ModelOutputError: When nothing matches; the message lists what was seen.
        """
        found = self.find(observation, description)
        if not found:
            raise ModelOutputError(f"nothing matches {description!r}; {self.seen(observation)}")
        return found[0].box

    def find(self, observation: Observation, query: str, *, role: str | None = None) -> list[Candidate]:
        """Every candidate for ``query`` on ``observation``, best first (screen space).

        Args:
            observation: The screen.
            query: A description: text, optionally with role, ordinal and position hints.
            role: A role to require on top of what the description says.
        """
        spec = parse_target(query)
        wanted = _canonical_role(role) or spec.role
        spec = spec.model_copy(update={"role": wanted})
        if spec.text:
            cands = self._text_candidates(observation, spec.text, wanted)
        else:
            cands = sorted(self._role_candidates(observation, wanted, spec), key=lambda c: -c.score)
        if spec.relation and spec.anchor:
            cands = self._apply_relation(observation, cands, spec)
        if spec.vregion or spec.hregion:
            cands = self._apply_region(observation, cands, spec)
        if spec.ordinal is not None:
            cands = spatial.pick_ordinal(cands, spec.ordinal)
        return cands

    def find_image(
        self,
        observation: Observation,
        template: Image.Image,
        *,
        label: str = "template",
        config: TemplateConfig | None = None,
    ) -> list[Candidate]:
        """Where a picture of the target (an icon, a cut-out button) is, best first (screen space)."""
        found = match_template(observation.screenshot, template, config, label=label)
        g = observation.geometry
        return [c.model_copy(update={"box": box_to_space(c.box, CoordSpace.SCREEN, g)}) for c in found]

    def find_text_anywhere(self, observation: Observation, text: str) -> Candidate | None:
        """Where ``text`` appears inside any element label or OCR line (containment counts)."""
        want = compact(text)
        if not want:
            return None
        for el in observation.elements:
            if el.visible and any(want in compact(t) for t, _ in element_texts(el)):
                return _cand(
                    el.box, 1.0, "element", el.label, element_role(el), el.id, f"element {el.id} shows it"
                )
        if self.config.ocr == "off":
            return None
        for ln in self.ocr_lines(observation):
            if want in compact(ln.text):
                return _cand(ln.box, ln.score, "ocr", ln.text, "", None, f"OCR read {ln.text!r}")
        return None

    def ocr_lines(self, observation: Observation) -> list[TextBox]:
        """OCR lines of the observation in screen space (cached per observation)."""
        frame = self._frame_for(observation)
        if frame.lines is None:
            frame.lines = ocr_to_screen(self._reader().read(observation.screenshot), observation.geometry)
        return frame.lines

    def seen(self, observation: Observation, limit: int = 12) -> str:
        """A short list of what is on the screen, for "not found" messages."""
        labels = [
            f"{element_role(e) or 'element'} {e.label!r}"
            for e in observation.elements
            if e.visible and e.label
        ]
        if not labels and self.config.ocr != "off":
            labels = [f"text {ln.text!r}" for ln in self.ocr_lines(observation)]
        if not labels:
            return "the screen shows no readable text"
        more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
        return "saw " + ", ".join(labels[:limit]) + more

    @property
    def last_ocr_stats(self) -> object:
        """What the incremental reader did last (for benchmarks)."""
        return self._incremental.last if self._incremental else None

    # -- sources --------------------------------------------------------------------------

    def reset_ocr(self) -> None:
        """Forget cached OCR lines (the reading engine changed)."""
        self._incremental = None
        self._frame = None

    def _reader(self) -> IncrementalOcr:
        if self._incremental is None:
            engine = self._engine or OcrEngine(self.config.ocr_config)
            self._incremental = IncrementalOcr(engine)
        if not self.config.incremental:
            self._incremental.reset()
        return self._incremental

    def _frame_for(self, observation: Observation) -> _Frame:
        key = (id(observation.screenshot), observation.timestamp)
        if self._frame is None or self._frame.key != key:
            self._frame = _Frame(key)
        return self._frame

    def _shapes(self, observation: Observation) -> list[Shape]:
        frame = self._frame_for(observation)
        if frame.shapes is None:
            raw = find_shapes(observation.screenshot, scale=observation.geometry.image_per_logical_x)
            frame.shapes = shapes_to_screen(raw, observation.geometry)
        return frame.shapes

    def _use_ocr(self, observation: Observation, best_element: float) -> bool:
        if self.config.ocr == "off":
            return False
        return self.config.ocr == "always" or best_element < self.config.element_trust

    def _text_candidates(self, obs: Observation, text: str, role: str | None) -> list[Candidate]:
        elements = [e for e in obs.elements if e.visible]
        cands = element_candidates(elements, text, role)
        if role in ("textbox", "combobox", "checkbox", "radio"):
            cands += self._labelled_elements(elements, text, role)
        best = max((c.score for c in cands), default=0.0)
        if self._use_ocr(obs, best):
            for c in find_text(self.ocr_lines(obs), text, min_score=self.config.min_score):
                cands.extend(self._from_ocr(obs, c, role, elements))
        return _dedupe([c for c in cands if c.score >= self.config.min_score])

    def _labelled_elements(self, elements: list[UIElement], text: str, role: str) -> list[Candidate]:
        """Controls named by a separate label element ("Email" above an unnamed input)."""
        controls = [e for e in elements if role_factor(role, element_role(e)) >= 0.9]
        out = []
        for label in elements:
            if label in controls:
                continue
            score = max((text_score(text, t) for t in (label.name, label.text) if t), default=0.0)
            if score < self.config.min_score:
                continue
            boxes = [c.box for c in controls]
            near = (
                spatial.checkbox_near_label(label.box, boxes)
                if role in ("checkbox", "radio")
                else spatial.field_near_label(label.box, boxes)
            )
            if near is not None:
                el = controls[boxes.index(near)]
                out.append(
                    _cand(
                        el.box,
                        score * 0.95,
                        "element",
                        el.label or label.label,
                        element_role(el),
                        el.id,
                        f"{element_role(el)} {el.id} labelled {label.label!r}",
                    )
                )
        return out

    def _from_ocr(
        self, obs: Observation, c: Candidate, role: str | None, elements: list[UIElement]
    ) -> list[Candidate]:
        el = containing_element(c.box, elements)
        if el is not None:
            have = element_role(el)
            return [
                _cand(
                    el.box,
                    c.score * role_factor(role, have),
                    "ocr",
                    c.text,
                    have,
                    el.id,
                    f"{c.why} inside {have} {el.id}",
                )
            ]
        if role in ("textbox", "combobox"):
            fields = [s.box for s in self._shapes(obs) if s.kind == "field"]
            near = spatial.field_near_label(c.box, fields)
            if near is not None:
                inside = containing_shape(c.box, self._shapes(obs)) is not None
                return [
                    _cand(
                        near,
                        c.score * (1.0 if inside else 0.96),
                        "ocr",
                        c.text,
                        "textbox",
                        None,
                        f"{c.why}; field {'holding' if inside else 'next to'} it",
                    )
                ]
        if role in ("checkbox", "radio"):
            boxes = [s.box for s in self._shapes(obs) if s.kind == "checkbox"]
            near = spatial.checkbox_near_label(c.box, boxes)
            if near is not None:
                return [_cand(near, c.score, "ocr", c.text, role, None, f"{c.why}; box beside it")]
        return [c.model_copy(update={"score": c.score * role_factor(role, "")})]

    def _role_candidates(self, obs: Observation, role: str | None, spec: TargetSpec) -> list[Candidate]:
        """Candidates when no text was given: everything of the role (or everything)."""
        elements = [e for e in obs.elements if e.visible]
        if role is not None:
            cands = [c for c in element_candidates(elements, "", role) if c.score >= 0.75 * 0.9]
            if (
                not cands
                and self.config.ocr != "off"
                and role in ("textbox", "checkbox", "combobox", "radio")
            ):
                kind = "field" if role in ("textbox", "combobox") else "checkbox"
                cands = [
                    _cand(s.box, 0.7, "ocr", "", role, None, f"outlined {kind}")
                    for s in self._shapes(obs)
                    if s.kind == kind
                ]
            return cands
        cands = [
            _cand(e.box, 0.7, "element", e.label, element_role(e), e.id, f"element {e.id}")
            for e in elements
            if e.label or e.editable
        ]
        if not cands and self.config.ocr != "off":
            cands = [
                _cand(ln.box, 0.7, "ocr", ln.text, "", None, f"OCR read {ln.text!r}")
                for ln in self.ocr_lines(obs)
            ]
        return cands

    # -- hints ----------------------------------------------------------------------------

    def _apply_relation(self, obs: Observation, cands: list[Candidate], spec: TargetSpec) -> list[Candidate]:
        assert spec.anchor is not None and spec.relation is not None
        anchors = self._text_candidates(obs, spec.anchor, None)
        if not anchors:
            return []
        # A label and its field's placeholder often say the same: the label comes first.
        top = [a for a in anchors if a.score >= anchors[0].score - 0.05]
        anchor = min(top, key=lambda a: spatial.reading_key(a.box)).box
        ranked = []
        for c in cands:
            if iou(c.box, anchor) > 0.5:
                continue
            d = spatial.relation_distance(c.box, anchor, spec.relation)
            if d is not None:
                ranked.append((d, c))
        ranked.sort(key=lambda dc: dc[0] - 40 * dc[1].score)
        return [c.model_copy(update={"why": f"{c.why}; {spec.relation} {spec.anchor!r}"}) for _, c in ranked]

    def _apply_region(self, obs: Observation, cands: list[Candidate], spec: TargetSpec) -> list[Candidate]:
        g = obs.geometry
        inside = [c for c in cands if spatial.in_region(c.box, g, spec.vregion, spec.hregion)]
        return sorted(
            inside,
            key=lambda c: (-round(c.score, 1), spatial.corner_distance(c.box, g, spec.vregion, spec.hregion)),
        )


def _canonical_role(role: str | None) -> str | None:
    if role is None:
        return None
    return ROLE_WORDS.get(role.lower(), role.lower())


def _cand(  # noqa: PLR0917 (a private constructor shorthand)
    box: Box,
    score: float,
    source: Literal["element", "ocr"],
    text: str,
    role: str,
    element_id: str | None,
    why: str,
) -> Candidate:
    return Candidate(
        box=box,
        score=max(0.0, min(1.0, score)),
        source=source,
        text=text,
        role=role,
        element_id=element_id,
        why=why,
    )


def _dedupe(cands: Sequence[Candidate]) -> list[Candidate]:
    """Best first; a candidate on the same element or box as a better one is dropped."""
    out: list[Candidate] = []
    for c in sorted(cands, key=lambda c: -c.score):
        if any((c.element_id and c.element_id == o.element_id) or iou(c.box, o.box) > 0.6 for o in out):
            continue
        out.append(c)
    return out
