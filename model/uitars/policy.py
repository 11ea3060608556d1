"""The UI-TARS policy: render, ask the backend, parse, map, decide."""

from __future__ import annotations

import time
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatBackend, ChatRequest
from screenpilot.model.imaging import visual_tokens
from screenpilot.model.sampling import Sampling
from screenpilot.model.types import Decision, Feedback, HistoryStep
from screenpilot.model.uitars.actions import TarsContext, to_actions
from screenpilot.model.uitars.parser import parse_answer
from screenpilot.model.uitars.prompt import TarsPrompt, TarsPromptBuilder, TarsPromptSettings
from screenpilot.tools.errors import ModelOutputError

GREEDY = Sampling(temperature=0.0, max_tokens=1000)
"""UI-TARS's deployment example decodes greedily (``temperature=0.0``); its thoughts are
a few sentences, so 1,000 tokens leave room (the example allows 400)."""


class UITarsConfig(BaseModel):
    """Settings of a :class:`UITarsPolicy`."""

    model_config = ConfigDict(frozen=True)

    prompt: TarsPromptSettings = TarsPromptSettings()
    sampling: Sampling = GREEDY


class UITarsPolicy:
    """A :class:`~model.policy.Policy` for UI-TARS checkpoints over any chat backend.

    Attributes:
        model_id: The model the backend talks to (written to run manifests).
        prompt_version: Version of the prompt text (written to run manifests).
    """

    def __init__(self, backend: ChatBackend, config: UITarsConfig | None = None) -> None:
        self.backend = backend
        self.config = config or UITarsConfig()
        self.builder = TarsPromptBuilder(self.config.prompt)
        self.model_id = backend.model_id
        self.prompt_version = self.builder.text.version

    @property
    def name(self) -> str:
        return f"uitars:{self.model_id}"

    def render(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> TarsPrompt:
        """The prompt :meth:`predict` would send."""
        return self.builder.build(task, observation, history, feedback)

    def predict(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback] = (),
    ) -> Decision:
        """Ask the model for the next step.

        Raises:
            ModelOutputError: The answer holds no usable action (``raw`` holds it).
            ModelTransportError: The backend could not be reached.
        """
        start = time.monotonic()
        prompt = self.render(task, observation, history, feedback)
        request = ChatRequest(messages=prompt.messages, **self.config.sampling.request_fields())
        completion = self.backend.complete(request)
        text = completion.text
        answer = parse_answer(text)
        ctx = TarsContext(mapper=prompt.mapper, secrets=self.config.prompt.secrets)
        try:
            actions = to_actions(answer.calls, ctx)
        except ModelOutputError as e:
            raise ModelOutputError(str(e), raw=text) from None
        factor = self.config.prompt.factor
        image_tokens = sum(
            visual_tokens(Size(width=img.width, height=img.height), factor)
            for m in prompt.messages
            for img in m.images
        )
        return Decision(
            actions=actions,
            thought=answer.thought or answer.reflection,
            raw=text,
            usage=completion.usage.model_copy(update={"image_tokens": image_tokens, "calls": 1}),
            latency_s=time.monotonic() - start,
            model=self.model_id,
        )
