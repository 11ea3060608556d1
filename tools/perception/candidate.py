"""A ranked guess at where something is on the screen."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.tools.points import Box

CandidateSource = Literal["element", "ocr", "template", "model"]


class Candidate(BaseModel):
    """One place on the screen that may be what was asked for.

    Attributes:
        box: Where it is, in screen (driver) coordinates unless stated.
        score: Confidence in 0..1; lists of candidates are sorted best first.
        source: Which perception produced it.
        text: The text it matched (OCR text, element label), if any.
        role: The element's role when known (button, link, textbox, checkbox...).
        element_id: The environment's element id when it came from one.
        why: A short explanation for logs and "not found" messages.
    """

    model_config = ConfigDict(frozen=True)

    box: Box
    score: float = Field(ge=0.0, le=1.0)
    source: CandidateSource
    text: str = ""
    role: str = ""
    element_id: str | None = None
    why: str = ""
