"""The Qwen-VL policy: render the prompt, ask the backend, parse, return a decision."""

from __future__ import annotations

import time
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatBackend, ChatRequest
from screenpilot.model.imaging import visual_tokens
from screenpilot.model.qwen.action_map import MapContext, to_actions
from screenpilot.model.qwen.grounder import GroundingMode, QwenGrounder
from screenpilot.model.qwen.parser import parse_response
from screenpilot.model.qwen.prompt import PromptBuilder, PromptSettings, RenderedPrompt
from screenpilot.model.qwen.prompt_text import DEFAULT_TEMPLATE, load_prompt_text
from screenpilot.model.qwen.registry import CheckpointSpec
from screenpilot.model.types import Decision, Feedback, HistoryStep
from screenpilot.tools.errors import ModelOutputError
from screenpilot.tools.points import Box, Point


class QwenPolicyConfig(BaseModel):
    """Settings of a :class:`QwenPolicy`.

    Attributes:
        spec: The checkpoint's conventions (from :func:`screenpilot.model.qwen.registry.lookup`).
        prompt: Prompt settings (budget, coordinates, history, tools, secrets).
        template: Name of the prompt-text file under ``model/qwen/templates``.
        max_tokens: Cap on generated tokens (thinking checkpoints need more).
        temperature: Sampling temperature; 0 is greedy.
        top_p: Nucleus sampling, when set.
        grounding: How :meth:`QwenPolicy.locate` asks: a click point or a ``bbox_2d``.
    """

    model_config = ConfigDict(frozen=True)

    spec: CheckpointSpec
    prompt: PromptSettings
    template: str = DEFAULT_TEMPLATE
    max_tokens: int = Field(default=1024, ge=1)
    temperature: float = Field(default=0.0, ge=0.0)
    top_p: float | None = Field(default=None, gt=0.0, le=1.0)
    grounding: GroundingMode = "point"


class QwenPolicy:
    """A :class:`~model.policy.Policy` (and :class:`~model.policy.Grounder`) over any backend.

    Attributes:
        model_id: The model the backend talks to (written to run manifests).
        prompt_version: Version of the prompt text (written to run manifests).
    """

    def __init__(self, backend: ChatBackend, config: QwenPolicyConfig) -> None:
        self.backend = backend
        self.config = config
        self.text = load_prompt_text(config.template)
        self.builder = PromptBuilder(self.text, config.prompt)
        self.model_id = backend.model_id
        self.prompt_version = self.text.version
        self._grounder = QwenGrounder(
            backend, self.builder, mode=config.grounding, max_tokens=config.max_tokens
        )

    @property
    def name(self) -> str:
        return f"qwen3vl:{self.model_id}"

    def render(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> RenderedPrompt:
        """The prompt :meth:`predict` would send (for inspection and tests)."""
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
            ModelOutputError: The answer has no usable tool call (``raw`` holds it).
            ModelTransportError: The backend could not be reached (retried by the agent).
        """
        start = time.monotonic()
        rendered = self.render(task, observation, history, feedback)
        request = ChatRequest(
            messages=rendered.messages,
            max_tokens=self.config.max_tokens,
            temperature=self.config.temperature,
            top_p=self.config.top_p,
        )
        completion = self.backend.complete(request)
        text, reasoning = completion.text, completion.reasoning
        if not text.strip() and reasoning and "<tool_call>" in reasoning:
            # a server's reasoning parser can swallow the whole answer when </think> is missing
            text, reasoning = reasoning, None
        parsed = parse_response(text, reasoning)
        ctx = MapContext(mapper=rendered.mapper, tools=rendered.tools, secrets=self.config.prompt.secrets)
        try:
            actions = to_actions(parsed.calls, ctx)
        except ModelOutputError as e:
            raise ModelOutputError(str(e), raw=text) from None
        images = [img for m in rendered.messages for img in m.images]
        image_tokens = sum(
            visual_tokens(Size(width=img.width, height=img.height), self.config.spec.factor) for img in images
        )
        usage = completion.usage.model_copy(update={"image_tokens": image_tokens, "calls": 1})
        thought = parsed.thought or parsed.action_text
        return Decision(
            actions=actions,
            thought=thought,
            raw=text,
            usage=usage,
            latency_s=time.monotonic() - start,
            model=self.model_id,
        )

    def locate(self, observation: Observation, description: str) -> Point | Box:
        """Where ``description`` is on the screen (see :class:`QwenGrounder`)."""
        return self._grounder.locate(observation, description)
