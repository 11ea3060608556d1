"""The offline grounder: environment elements and OCR, ranked by text, role and position.

It implements :class:`screenpilot.model.policy.Grounder` and a richer :meth:`OfflineGrounder.find`
that returns every plausible candidate best first, so a policy can explain what it saw
when nothing fits.
"""

from __future__ import annotations

from typing import Literal

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.geometry import box_to_space
from screenpilot.environments.observation import Observation, UIElement
from screenpilot.model.offline import spatial
from screenpilot.model.offline.areas import (
    app_elements,
    containers,
    in_any,
    keep_inside,
    outside_boxes,
    records_of,
)
from screenpilot.model.offline.hints import TargetSpec, parse_target
from screenpilot.model.offline.ranking import dedupe, kind_words_first, outermost, pagination
from screenpilot.model.offline.roles import CLOSE_GLYPHS, ROLE_WORDS
from screenpilot.model.offline.sources import (
    containing_element,
    containing_shape,
    element_candidates,
    element_kind,
    element_role,
    element_texts,
    ocr_to_screen,
    role_factor,
    shapes_to_screen,
)
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.perception.fingerprint import LastScreen
from screenpilot.tools.perception.incremental_ocr import IncrementalConfig, IncrementalOcr
from screenpilot.tools.perception.ocr import OcrConfig, OcrEngine, TextBox, TextReader, find_text
from screenpilot.tools.perception.shapes import Shape, find_shapes
from screenpilot.tools.perception.templates import TemplateConfig, iou, match_template
from screenpilot.tools.perception.text_match import compact, text_score
from screenpilot.tools.points import Box, CoordSpace

OcrMode = Literal["auto", "always", "off"]
LABELLED_ROLES = frozenset(
    {
        "textarea",
        "textbox",
        "combobox",
        "checkbox",
        "radio",
        "spinbutton",
        "date",
        "time",
        "slider",
        "listbox",
        "color",
    }
)
"""Kinds of controls a separate label element can name."""


class GrounderConfig(BaseModel):
    """Options of :class:`OfflineGrounder`.

    Attributes:
        ocr: ``auto`` reads the screen when elements are missing or do not match well,
            ``always`` merges OCR in every time, ``off`` never runs it.
        ocr_config: Engine options (language, thresholds).
        incremental: Re-read only the regions that changed since the last screen.
        skip_unchanged: Give a screen pixel-identical to the last one read the last read's
            lines without any OCR (a digest of the screenshot decides; a few ms).
        min_score: Candidates scoring below this are not returned.
        element_trust: An element match at least this good makes ``auto`` skip OCR.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ocr: OcrMode = "auto"
    ocr_config: OcrConfig = OcrConfig()
    incremental: bool = True
    skip_unchanged: bool = True
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
        self._last_screen: LastScreen[list[TextBox]] = LastScreen()
        self.ocr_reads = 0

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

    def find(
        self,
        observation: Observation,
        query: str,
        *,
        role: str | None = None,
        scope: str | None = None,
        offset: int = 0,
    ) -> list[Candidate]:
        """Every candidate for ``query`` on ``observation``, best first (screen space).

        Args:
            observation: The screen.
            query: A description: text, optionally with role, ordinal, position and
                container hints.
            role: A role to use when the description names none (the description's own
                role noun wins: "check the 1st radio button" asks for a radio button).
            scope: Text of the record (row, post, card) the target must lie in.
        """
        spec = parse_target(query)
        wanted = spec.role or _canonical_role(role)
        spec = spec.model_copy(update={"role": wanted})
        if spec.text and spec.text.strip() in CLOSE_GLYPHS and wanted in (None, "button", "icon"):
            cands = self._close_candidates(observation)
        elif spec.text:
            cands = self._text_candidates(observation, spec.text, wanted, ignore=scope)
        else:
            cands = sorted(self._role_candidates(observation, wanted, spec), key=lambda c: -c.score)
        if spec.within:
            boxes = containers(
                observation, spec.within, lambda t: self._text_candidates(observation, t, None)
            )
            cands = keep_inside(observation, cands, boxes) if boxes else cands
        if scope:
            anchors = [a for a in self.anchors(observation, scope) if a.score >= 0.8]
            cands = keep_inside(observation, cands, records_of(observation, anchors))
        if spec.relation and spec.anchor:
            cands = self._apply_relation(observation, cands, spec)
        if spec.vregion or spec.hregion:
            cands = self._apply_region(observation, cands, spec)
        if spec.ordinal is not None:
            # ``offset``: matches on earlier pages ("the 7th result", now on page 3 of 3 a page)
            wanted_n = spec.ordinal - offset if spec.ordinal > 0 else spec.ordinal
            cands = spatial.pick_ordinal(cands, wanted_n) if wanted_n != 0 else []
        return cands

    def anchors(self, observation: Observation, text: str) -> list[Candidate]:
        """Where ``text`` is, scrolled out of sight or not: a record's anchor ("@leo")."""
        # the collector leaves out what lies inside a marked region by the DOM, so an anchor
        # that is only scrolled behind such a region (an instruction panel above a feed) counts
        elements = [e for e in observation.elements if element_kind(e) != "outside"]
        found = element_candidates(elements, text, None, hidden=True)
        return sorted(found, key=lambda c: -c.score) or self._text_candidates(observation, text, None)

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
        for el in app_elements(observation):
            if element_role(el) != "group" and any(want in compact(t) for t, _ in element_texts(el)):
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
        """OCR lines of the observation in screen space (cached per observation).

        Lines inside regions the page marks as not part of the app are left out.
        """
        frame = self._frame_for(observation)
        if frame.lines is None:
            lines = ocr_to_screen(self._read_image(observation.screenshot), observation.geometry)
            out = outside_boxes(observation)
            frame.lines = [ln for ln in lines if not in_any(ln.box, out)]
        return frame.lines

    def seen(self, observation: Observation, limit: int = 12) -> str:
        """A short list of what is on the screen, for "not found" messages."""
        labels = [
            f"{element_role(e) or 'element'} {e.label!r}"
            for e in app_elements(observation)
            if e.label and element_role(e) != "group"
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
        self._last_screen.forget()

    def _read_image(self, image: Image.Image) -> list[TextBox]:
        """OCR lines of a screenshot in image space; an unchanged screen is not read again."""
        if self.config.skip_unchanged:
            return self._last_screen.read(image, self._ocr)
        return self._ocr(image)

    def _ocr(self, image: Image.Image) -> list[TextBox]:
        self.ocr_reads += 1
        return self._reader().read(image)

    def _reader(self) -> IncrementalOcr:
        if self._incremental is None:
            engine = self._engine or OcrEngine(self.config.ocr_config)
            # an unchanged screen never reaches the reader (``_read_image`` returns the last
            # lines first), so the reader does not fingerprint each frame a second time
            self._incremental = IncrementalOcr(engine, IncrementalConfig(skip_unchanged=False))
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
        if self.config.ocr == "always":
            return True
        # An element tree that lists the page's text blocks already holds every word OCR
        # could read (and reads them exactly): OCR would only cost time there.
        return best_element < self.config.element_trust and not _lists_text(observation)

    def _text_candidates(
        self, obs: Observation, text: str, role: str | None, *, ignore: str | None = None
    ) -> list[Candidate]:
        elements = app_elements(obs)
        cands = element_candidates(elements, text, role, ignore=ignore)
        if role in LABELLED_ROLES:
            cands += self._labelled_elements(elements, text, role)
        best = max((c.score for c in cands), default=0.0)
        if self._use_ocr(obs, best):
            for c in find_text(self.ocr_lines(obs), text, min_score=self.config.min_score):
                cands.extend(self._from_ocr(obs, c, role, elements))
        return dedupe([c for c in cands if c.score >= self.config.min_score])

    def _labelled_elements(self, elements: list[UIElement], text: str, role: str) -> list[Candidate]:
        """Controls named by a separate label element ("Email" above an unnamed input)."""
        # a custom dropdown is often a plain clickable box beside its label
        loose = ("clickable",) if role in ("combobox", "listbox") else ()
        controls = [
            e for e in elements if role_factor(role, element_role(e)) >= 0.9 or element_role(e) in loose
        ]
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
        if role in ("textbox", "textarea", "combobox"):
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

    def _close_candidates(self, obs: Observation) -> list[Candidate]:
        """Close controls: a button or icon named close/dismiss/x/×, by text, name or class."""
        out = []
        for el in app_elements(obs):
            have = element_role(el)
            if have in ("group", "text"):
                continue
            words = " ".join(t for t, _ in element_texts(el)).casefold()
            named = any(
                w in words.split() or w == words.strip()
                for w in ("close", "dismiss", "x", "×", "✕", "✖", "关闭")
            )
            if named:
                score = 0.95 if have in ("button", "icon", "clickable", "link") else 0.8
                out.append(_cand(el.box, score, "element", el.label, have, el.id, f"close control {el.id}"))
        if not out and self.config.ocr != "off" and not _lists_text(obs):
            for ln in self.ocr_lines(obs):
                if ln.text.strip() in CLOSE_GLYPHS:
                    out.append(
                        _cand(ln.box, 0.8 * ln.score, "ocr", ln.text, "", None, f"OCR read {ln.text!r}")
                    )
        # the smallest first: a dialog's title bar also says "Close" in its text
        return sorted(out, key=lambda c: (-round(c.score, 1), c.box.width * c.box.height))

    def _role_candidates(self, obs: Observation, role: str | None, spec: TargetSpec) -> list[Candidate]:
        """Candidates when no text was given: everything of the role (or everything)."""
        elements = app_elements(obs)
        if role is not None:
            pages = pagination(elements)
            cands = [
                c
                for c in element_candidates(elements, "", role)
                if c.score >= 0.75 * 0.9 and c.element_id not in pages
            ]
            if role == "paragraph" and not cands:
                # no block reads like a paragraph (no <p>, no sentences): any text block does
                cands = [c for c in element_candidates(elements, "", "text") if c.score >= 0.75 * 0.9]
            if role in ("text", "paragraph"):
                cands = outermost(cands)
            cands = kind_words_first(cands, elements, role)
            if (
                not cands
                and self.config.ocr != "off"
                and not _lists_text(obs)
                and role in ("textbox", "textarea", "checkbox", "combobox", "radio")
            ):
                kind = "field" if role in ("textbox", "textarea", "combobox") else "checkbox"
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
        if not cands and self.config.ocr != "off" and not _lists_text(obs):
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


def _lists_text(observation: Observation) -> bool:
    """Whether the element tree lists the screen's text (``extra["text_listed"]``, or text items)."""
    if not observation.elements:
        return False  # the tree was withheld or is empty: only pixels tell
    if observation.extra.get("text_listed") is True:
        return True
    return any(e.attributes.get("sp-kind") == "text" for e in observation.elements)


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
