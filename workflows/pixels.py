"""Pixel look-ups for workflow targets: OCR for text, template matching for pictures.

They answer where the environment's elements cannot: a desktop without an accessibility
tree, an Android screen without a UI dump, text painted on a canvas. OCR comes from the
offline grounder (PP-OCR models bundled in ``rapidocr``, results cached per observation),
so a workflow and an offline-policy run share one engine and one cache. Boxes come back
in screen coordinates, like every resolver answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from screenpilot.environments.observation import Observation
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.perception.candidate import Candidate
from screenpilot.tools.points import Box
from screenpilot.workflows.resolver import RegionReader, TemplateFinder, TextFinder, normalize, reading_order

if TYPE_CHECKING:
    from screenpilot.model.offline.grounder import OfflineGrounder

# OCR misreads a character now and then: a fuzzy match this good still counts as the text
_MIN_FUZZY = 0.75


def ocr_text_finder(grounder: OfflineGrounder) -> TextFinder:
    """Text found by reading the pixels; ``exact`` keeps only lines that read as the text."""
    from screenpilot.tools.perception.ocr import find_text

    def find(observation: Observation, text: str, exact: bool) -> list[Candidate]:
        lines = grounder.ocr_lines(observation)
        if exact:
            want = normalize(text)
            lines = [ln for ln in lines if normalize(ln.text) == want]
        return find_text(lines, text, min_score=_MIN_FUZZY)

    return find


def ocr_region_reader(grounder: OfflineGrounder) -> RegionReader:
    """The OCR lines whose centres lie in a screen box, in reading order."""

    def read(observation: Observation, box: Box) -> str:
        inside = [
            ln
            for ln in grounder.ocr_lines(observation)
            if box.x0 <= ln.box.center.x <= box.x1 and box.y0 <= ln.box.center.y <= box.y1
        ]
        inside.sort(key=lambda ln: reading_order(ln.box))
        return " ".join(ln.text for ln in inside)

    return read


def template_finder(grounder: OfflineGrounder) -> TemplateFinder:
    """Multi-scale template matching of a picture file; pictures are loaded once."""
    from screenpilot.tools.perception.templates import TemplateConfig

    cache: dict[Path, Image.Image] = {}

    def find(observation: Observation, path: Path, threshold: float) -> list[Candidate]:
        template = cache.get(path)
        if template is None:
            try:
                with Image.open(path) as im:
                    template = cache[path] = im.convert("RGB")
            except OSError as e:
                raise ConfigError(f"cannot read template image {path}: {e}") from None
        return grounder.find_image(
            observation, template, label=path.name, config=TemplateConfig(min_score=threshold)
        )

    return find


def offline_grounder() -> OfflineGrounder | None:
    """An OCR-backed grounder, or ``None`` when the ``ocr`` extra is not installed."""
    try:
        from screenpilot.model.offline.grounder import OfflineGrounder
    except ModuleNotFoundError:
        return None
    return OfflineGrounder()
