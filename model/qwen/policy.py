"""The Qwen-VL policy: render the prompt, ask the backend, parse, return a decision."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from screenpilot.environments.geometry import Size
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatBackend, ChatRequest, Completion
from screenpilot.model.imaging import resized_size, visual_tokens
from screenpilot.model.qwen.action_map import MapContext, to_actions
from screenpilot.model.qwen.grounder import GroundingMode, QwenGrounder
from screenpilot.model.qwen.parser import parse_response
from screenpilot.model.qwen.prompt_settings import PromptSettings, RenderedPrompt
from screenpilot.model.qwen.prompt_text import DEFAULT_TEMPLATE
from screenpilot.model.qwen.registry import CheckpointSpec
from screenpilot.model.qwen.styles.base import PromptStyle
from screenpilot.model.qwen.styles.choose import StyleName, make_style
from screenpilot.model.sampling import Sampling
from screenpilot.model.types import Decision, Feedback, HistoryStep
from screenpilot.tools.errors import ModelOutputError, TooManyImages
from screenpilot.tools.points import Box, Point

log = logging.getLogger(__name__)


class QwenPolicyConfig(BaseModel):
    """Settings of a :class:`QwenPolicy`.

    Attributes:
        spec: The checkpoint's conventions (from :func:`screenpilot.model.qwen.registry.lookup`).
        prompt: Prompt settings (budget, coordinates, history, tools, secrets).
        style: Prompt style: ``cookbook`` (default), ``osworld`` or ``screenpilot``.
        template: Name of the ``screenpilot`` style's text file under ``model/qwen/templates``.
        sampling: Generation settings (Qwen's published ones for the checkpoint kind by
            default; see :mod:`screenpilot.model.qwen.sampling`).
        grounding: How :meth:`QwenPolicy.locate` asks: a click point or a ``bbox_2d``.
    """

    model_config = ConfigDict(frozen=True)

    spec: CheckpointSpec
    prompt: PromptSettings
    style: StyleName = "cookbook"
    template: str = DEFAULT_TEMPLATE
    sampling: Sampling = Sampling()
    grounding: GroundingMode = "point"

    @property
    def max_tokens(self) -> int:
        return self.sampling.max_tokens


class QwenPolicy:
    """A :class:`~model.policy.Policy` (and :class:`~model.policy.Grounder`) over any backend.

    When the server refuses a prompt for holding too many images (vLLM's
    ``--limit-mm-per-prompt``), the policy replays fewer earlier screenshots from then on,
    says so in the decision's notices, and asks again instead of failing the run.

    Attributes:
        model_id: The model the backend talks to (written to run manifests).
        prompt_version: Version of the prompt text (written to run manifests).
    """

    def __init__(self, backend: ChatBackend, config: QwenPolicyConfig) -> None:
        self.backend = backend
        self.config = config
        self.style: PromptStyle = make_style(config.style, config.prompt, config.template)
        self.model_id = backend.model_id
        self.prompt_version = self.style.version
        self._notices: list[str] = []
        self._grounder = QwenGrounder(
            backend, self.style, mode=config.grounding, max_tokens=config.sampling.max_tokens
        )

    @property
    def name(self) -> str:
        return f"qwen3vl:{self.model_id}"

    @property
    def history_images(self) -> int:
        """Earlier screenshots replayed per prompt (lowered after a too-many-images refusal)."""
        return self.style.settings.history_images

    def render(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep] = (),
        feedback: Sequence[Feedback] = (),
    ) -> RenderedPrompt:
        """The prompt :meth:`predict` would send (for inspection and tests)."""
        return self.style.build(task, observation, history, feedback)

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
            TooManyImages: The server refuses even a prompt with the current screenshot only.
        """
        start = time.monotonic()
        rendered, completion = self._ask(task, observation, history, feedback)
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
        image_tokens = sum(self._tokens(img.width, img.height) for img in images)
        usage = completion.usage.model_copy(update={"image_tokens": image_tokens, "calls": 1})
        notices, self._notices = tuple(self._notices), []
        return Decision(
            actions=actions,
            thought=parsed.thought or parsed.action_text,
            raw=text,
            usage=usage,
            latency_s=time.monotonic() - start,
            model=self.model_id,
            notices=notices,
        )

    def locate(self, observation: Observation, description: str) -> Point | Box:
        """Where ``description`` is on the screen (see :class:`QwenGrounder`)."""
        return self._grounder.locate(observation, description)

    # -- internals ------------------------------------------------------------------------

    def _tokens(self, width: int, height: int) -> int:
        """Visual tokens of an image as sent: the server's processor rounds an image that was
        sent at its own size (see :func:`~screenpilot.model.imaging.resize_for_model`)."""
        s = self.style.settings
        return visual_tokens(
            resized_size(Size(width=width, height=height), s.factor, s.budget, s.align), s.factor
        )

    def _ask(
        self,
        task: str,
        observation: Observation,
        history: Sequence[HistoryStep],
        feedback: Sequence[Feedback],
    ) -> tuple[RenderedPrompt, Completion]:
        while True:
            rendered = self.render(task, observation, history, feedback)
            request = ChatRequest(messages=rendered.messages, **self.config.sampling.request_fields())
            try:
                return rendered, self.backend.complete(request)
            except TooManyImages as e:
                self._fewer_images(e, rendered.image_count)

    def _fewer_images(self, error: TooManyImages, sent: int) -> None:
        """Lower ``history_images`` below what the server refused, for the rest of the run."""
        current = self.style.settings.history_images
        allowed = error.limit if error.limit is not None else sent - 1
        if current == 0 or sent <= 1 or allowed < 1:
            raise error  # the current screenshot alone is refused: nothing left to drop
        # the current screenshot always goes; earlier ones fill what is left
        lowered = min(current - 1, allowed - 1)
        settings = self.style.settings.model_copy(update={"history_images": lowered})
        self.style = make_style(self.config.style, settings, self.config.template)
        self._grounder = QwenGrounder(
            self.backend, self.style, mode=self.config.grounding, max_tokens=self.config.sampling.max_tokens
        )
        notice = (
            f"the model server refused a prompt with {sent} images ({error}); "
            f"replaying {lowered} earlier screenshot(s) per step from now on"
        )
        log.warning(notice)
        self._notices.append(notice)
