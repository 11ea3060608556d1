"""One training sample: a step's conversation as the policy rendered it, and its answer.

A sample is format-neutral and light: its turns hold text and the relative paths of
images already written under the export's ``images/``; :mod:`.formats` writes it as the
fine-tuning recipe's JSON or as chat JSONL. Its :class:`SampleMeta` keeps what a reader
needs to check it (where it came from, the screen's geometry, the size of the image the
model saw, the coordinate convention and the recorded actions) and goes to ``meta.jsonl``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.model.coords import CoordConvention
from screenpilot.tools.actions import Action

Split = Literal["train", "val"]


class Part(BaseModel):
    """Text, or an image by its path relative to the export directory."""

    model_config = ConfigDict(frozen=True)

    text: str | None = None
    image: str | None = None


class Turn(BaseModel):
    """One message of the conversation."""

    model_config = ConfigDict(frozen=True)

    role: Literal["system", "user", "assistant"]
    parts: tuple[Part, ...]

    @property
    def text(self) -> str:
        """The text parts joined, as a chat template concatenates them."""
        return "".join(p.text for p in self.parts if p.text is not None)


class SampleMeta(BaseModel):
    """Where a sample came from and what its answer's numbers refer to.

    Attributes:
        run_dir: The run directory.
        step: The step's index in the run.
        screenshot: The recorded screenshot's content hash.
        geometry: The step's screen geometry (recorded screenshot to input space).
        model_image: Size of the current screenshot as the model sees it.
        convention: Coordinate convention of the answer.
        tools: Tools offered, primary first.
        secrets: Secret names the prompt offers.
        actions: The recorded actions the answer expresses.
    """

    model_config = ConfigDict(frozen=True)

    run_dir: str
    step: int
    screenshot: str
    geometry: ScreenGeometry
    model_image: Size
    convention: CoordConvention
    tools: tuple[str, ...]
    secrets: tuple[str, ...] = ()
    actions: tuple[Action, ...]


class Sample(BaseModel):
    """A prompt and the answer to train on.

    Attributes:
        id: Unique within the export: ``<task>#<run>#<step>``, hashed to stay short.
        task_key: The task (for the per-task cap and the split).
        split: ``train`` or ``val``.
        turns: The prompt: system turn, history, current screenshot.
        answer: The assistant turn to learn: the step's tool call(s).
    """

    model_config = ConfigDict(frozen=True)

    id: str
    task_key: str
    split: Split = "train"
    turns: tuple[Turn, ...]
    answer: str
    meta: SampleMeta

    @property
    def images(self) -> list[str]:
        """Image paths in the order they appear."""
        return [p.image for t in self.turns for p in t.parts if p.image is not None]

    def meta_record(self) -> dict[str, Any]:
        """The line of ``meta.jsonl``."""
        head = {"id": self.id, "split": self.split, "task": self.task_key}
        return head | self.meta.model_dump(mode="json")
