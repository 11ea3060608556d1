"""The popup handler: recognises a blocking popup by rule and says how to dismiss it.

:meth:`PopupHandler.find` is pure (it looks, it never acts): callers carry the click out
through their act pipeline, so guards (approval included) apply and each dismissal is a
recorded step (:func:`~screenpilot.agent.popups.dismiss.clear_popups` does both).
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass

from screenpilot.agent.popups.rules import PopupRule, PopupRuleSet, default_rules
from screenpilot.agent.popups.surfaces import Control, DialogWindowReader, Surface, TextReader, surfaces_of
from screenpilot.agent.result import PopupRecord
from screenpilot.environments.observation import Observation
from screenpilot.tools.actions import Click
from screenpilot.tools.points import Box, CoordSpace, Point

_EDGES = " \t\r\n.,;:!?'\"()[]{}<>«»“”‘’-–—_/\\|*·•"


def normalize_label(label: str) -> str:
    """A label as rules see it: spaces collapsed, outer punctuation removed, case folded."""
    return " ".join(label.split()).strip(_EDGES).casefold()


@dataclass(frozen=True)
class Dismissal:
    """What the handler decided: which rule, which control, where to click."""

    rule: PopupRule
    label: str
    box: Box
    surface: Surface

    @property
    def action(self) -> Click:
        c = self.box.center
        return Click(at=Point(x=c.x, y=c.y, space=CoordSpace.SCREEN))

    @property
    def reason(self) -> str:
        what = self.rule.description or self.rule.name
        return f"{what} ({self.surface.describe()}): clicked {self.label!r} (rule {self.rule.name})"

    def record(self) -> PopupRecord:
        return PopupRecord(rule=self.rule.name, label=self.label, reason=self.reason)


class PopupHandler:
    """Recognises popups with rules, within a per-run cap.

    Args:
        rules: The rules (the shipped ones when ``None``).
        max_per_run: Dismissals allowed in one run; past it popups are left to the policy.
        reader: Reads text on platforms without an element tree (desktop dialog windows);
            the bundled OCR is used when ``None`` and it is installed.
    """

    def __init__(
        self, rules: PopupRuleSet | None = None, *, max_per_run: int = 5, reader: TextReader | None = None
    ) -> None:
        self.rules = rules if rules is not None else default_rules()
        self.max_per_run = max_per_run
        self.used = 0
        self._never = [re.compile(p, re.IGNORECASE) for p in self.rules.never]
        self._compiled = {
            r.name: [re.compile(p, re.IGNORECASE) for p in r.click] for r in self.rules.rules if r.enabled
        }
        self._when = {
            r.name: [re.compile(p, re.IGNORECASE) for p in r.when] for r in self.rules.rules if r.enabled
        }
        self._windows = DialogWindowReader(reader) if reader is not None else None
        self._reader_given = reader is not None

    def start_run(self) -> None:
        """Reset the per-run count."""
        self.used = 0

    @property
    def exhausted(self) -> bool:
        return self.used >= self.max_per_run

    def find(self, obs: Observation, *, context: str = "") -> Dismissal | None:
        """The dismissal a rule calls for on ``obs``, or ``None``.

        Args:
            obs: The screen.
            context: What the run is about (the task); a popup whose control it names is
                left alone, since the task is about that popup.
        """
        if self.exhausted:
            return None
        mentioned = context.casefold()
        for surface in reversed(self.surfaces(obs)):
            found = self._match(surface, obs.platform)
            if found is None:
                continue
            if len(normalize_label(found.label)) > 1 and normalize_label(found.label) in mentioned:
                continue
            return found
        return None

    def count(self) -> None:
        """Count one dismissal against the cap."""
        self.used += 1

    def surfaces(self, obs: Observation) -> list[Surface]:
        """The blocking surfaces of ``obs`` (reading dialog windows with OCR when needed)."""
        if not obs.elements and "dialog_w" in obs.extra and self._windows is None and not self._reader_given:
            self._windows = _ocr_reader()
        return surfaces_of(obs, self._windows)

    # -- matching -------------------------------------------------------------------------

    def _match(self, surface: Surface, platform: str) -> Dismissal | None:
        for rule in self.rules.rules:
            if not rule.applies_to(platform) or (rule.packages and surface.package not in rule.packages):
                continue
            when = self._when[rule.name]
            if when and not any(p.search(surface.text) for p in when):
                continue
            for pattern in self._compiled[rule.name]:
                hit = self._control(surface.controls, pattern)
                if hit is not None:
                    return Dismissal(rule=rule, label=hit[0], box=hit[1], surface=surface)
        return None

    def _control(self, controls: tuple[Control, ...], pattern: re.Pattern[str]) -> tuple[str, Box] | None:
        for control in controls:
            if control.line:
                found = _search_line(control, pattern)
                if found is not None and not self._forbidden(found[0]):
                    return found
                continue
            label = normalize_label(control.label)
            if pattern.fullmatch(label) and not self._forbidden(label):
                return control.label, control.box
        return None

    def _forbidden(self, label: str) -> bool:
        norm = normalize_label(label)
        return any(p.fullmatch(norm) for p in self._never)


def _search_line(control: Control, pattern: re.Pattern[str]) -> tuple[str, Box] | None:
    """A whole-word match of ``pattern`` inside an OCR line, its box narrowed to the match."""
    text = control.label
    bounded = re.compile(rf"(?<!\w)(?:{pattern.pattern})(?!\w)", re.IGNORECASE)
    m = bounded.search(text)
    if m is None or not text:
        return None
    b = control.box
    w = b.width / len(text)
    box = Box(x0=b.x0 + m.start() * w, y0=b.y0, x1=b.x0 + m.end() * w, y1=b.y1, space=b.space)
    return m.group(0), box


def _ocr_reader() -> DialogWindowReader | None:
    """A dialog-window reader on the bundled OCR, or ``None`` when OCR is not installed."""
    if importlib.util.find_spec("rapidocr") is None:
        return None
    from screenpilot.tools.perception.ocr import OcrEngine

    engine = OcrEngine()
    return DialogWindowReader(lambda image: [(t.text, t.box) for t in engine.read(image)])
