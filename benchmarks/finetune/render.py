"""Turn one run into samples with the Qwen3-VL policy's own prompt rendering.

The prompt of each step comes from :meth:`QwenPolicy.render`, the method the policy
itself sends, over a policy whose backend refuses to be called: nothing is re-implemented,
so an export follows any change to the prompt. Settings are the ``qwen3vl`` policy's own
options (style, coordinates, pixel budget, history, tools). Earlier steps are replayed to
later prompts with their synthesised answers, so that history turns read like the model's
own answers.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from screenpilot.agent.result import StepEvent
from screenpilot.agent.trajectory.reader import Trajectory, load_run
from screenpilot.benchmarks.finetune.images import ImageStore
from screenpilot.benchmarks.finetune.replay import ReplayedStep, RunReplay
from screenpilot.benchmarks.finetune.sample import Part, Sample, SampleMeta, Turn
from screenpilot.benchmarks.finetune.sources import SourceRun
from screenpilot.benchmarks.finetune.steps import answer_of, drop_reason
from screenpilot.environments.geometry import Size
from screenpilot.model.backends.base import ChatMessage, ChatRequest, Completion, ImagePart
from screenpilot.model.qwen.factory import QwenPromptOptions
from screenpilot.model.qwen.policy import QwenPolicy
from screenpilot.model.qwen.prompt_settings import RenderedPrompt
from screenpilot.model.qwen.tool_calls import mask_name
from screenpilot.tools.actions import TypeText
from screenpilot.tools.errors import ConfigError
from screenpilot.workflows.loader import load_workflow

PLACEHOLDERS = ("<image>", "<video>")
"""Text the recipe's loader reads as media slots: a prompt holding them cannot be exported."""


class _RenderOnly:
    """A backend for rendering prompts only."""

    def __init__(self, model_id: str) -> None:
        self._model_id = model_id

    @property
    def model_id(self) -> str:
        return self._model_id

    def complete(self, request: ChatRequest) -> Completion:
        raise ConfigError("an export renders prompts and never asks a model")


def export_policy(options: QwenPromptOptions, checkpoint: str, secrets: tuple[str, ...] = ()) -> QwenPolicy:
    """The policy whose prompts an export renders (``secrets`` join the options' names)."""
    config = options.policy_config(checkpoint)
    names = tuple(dict.fromkeys((*config.prompt.secrets, *secrets)))
    # images at the size the model sees: a trainer's processor must not resize them again
    prompt = config.prompt.model_copy(update={"secrets": names, "server_rounds": False})
    config = config.model_copy(update={"prompt": prompt})
    return QwenPolicy(_RenderOnly(checkpoint), config)


def task_text(run: Trajectory) -> str:
    """The instruction: the run's task, or a workflow's description when it has one."""
    manifest = run.manifest
    path = manifest.get("workflow_file")
    if manifest.get("workflow") and isinstance(path, str) and Path(path).is_file():
        try:
            description = load_workflow(path).workflow.description.strip()
        except ConfigError:
            description = ""
        if description:
            return description
    return str(manifest.get("task") or "")


def secret_names(manifest: dict[str, Any], steps: Sequence[StepEvent]) -> tuple[str, ...]:
    """Secrets the run used: the manifest's names, secret typing, and redaction masks."""
    names = [str(n) for n in manifest.get("secrets") or ()]
    for step in steps:
        for o in step.outcomes:
            if isinstance(o.action, TypeText):
                name = o.action.secret or mask_name(o.action.text or "")
                if name:
                    names.append(name)
    return tuple(dict.fromkeys(names))


class RunSamples:
    """Builds the samples of one run.

    Args:
        source: The run.
        options: The ``qwen3vl`` policy options that shape the prompt.
        checkpoint: Checkpoint whose conventions apply (factor, coordinates, budget).
        store: Where images go.
        seen: ``(screenshot, answer)`` pairs already exported (shared across runs).
        allow_unmeasured: Keep steps on environments that record no effects.
    """

    def __init__(
        self,
        source: SourceRun,
        options: QwenPromptOptions,
        checkpoint: str,
        store: ImageStore,
        seen: set[tuple[str, str]],
        *,
        allow_unmeasured: bool = False,
    ) -> None:
        self.source = source
        self.run = load_run(source.run_dir)
        self.replay = RunReplay(self.run)
        steps = [step for _, step in self.replay.events]
        self.policy = export_policy(options, checkpoint, secret_names(self.run.manifest, steps))
        self.task = task_text(self.run)
        self.store = store
        self.seen = seen
        self.allow_unmeasured = allow_unmeasured
        self.dropped: Counter[str] = Counter()

    def build(self) -> list[Sample]:
        """Every kept step as a sample; :attr:`dropped` counts the others by reason."""
        replay = self.replay
        out: list[Sample] = []
        for step in replay.steps():
            rendered = self.policy.render(self.task, step.observation, step.history, step.feedback)
            actions = [o.action for o in step.event.outcomes]
            answer = answer_of(actions, rendered.tools, rendered.mapper)
            if answer is not None:
                replay.answers[step.event.index] = answer
            reason = self._reason(step, rendered, answer)
            if reason is not None:
                self.dropped[reason] += 1
                continue
            assert answer is not None
            out.append(self._sample(step, rendered, answer))
        return out

    def _reason(self, step: ReplayedStep, rendered: RenderedPrompt, answer: str | None) -> str | None:
        reason = drop_reason(step, allow_unmeasured=self.allow_unmeasured)
        if reason is not None:
            return reason
        if answer is None:
            return "not expressible"
        texts = [m.text_content() for m in rendered.messages]
        if any(p in t for t in texts for p in PLACEHOLDERS):
            return "media placeholder in text"
        key = (step.event.screenshot or "", answer)
        if key in self.seen:
            return "duplicate"
        self.seen.add(key)
        return None

    def _sample(self, step: ReplayedStep, rendered: RenderedPrompt, answer: str) -> Sample:
        event = step.event
        assert event.screenshot is not None and event.geometry is not None
        ident = f"{self.source.run_dir.resolve()}#{event.index}"
        return Sample(
            id=hashlib.sha256(ident.encode()).hexdigest()[:16],
            task_key=self.source.task_key,
            turns=tuple(self._turn(m) for m in rendered.messages),
            answer=answer,
            meta=SampleMeta(
                run_dir=str(self.source.run_dir),
                step=event.index,
                screenshot=event.screenshot,
                geometry=event.geometry,
                model_image=Size(width=rendered.model_image.width, height=rendered.model_image.height),
                convention=rendered.mapper.convention,
                tools=rendered.tools,
                secrets=self.policy.config.prompt.secrets,
                actions=tuple(o.action for o in event.outcomes),
            ),
        )

    def _turn(self, message: ChatMessage) -> Turn:
        parts: list[Part] = []
        for p in message.parts:
            if isinstance(p, ImagePart):
                parts.append(Part(image=self.store.put(p.image)))
            else:
                parts.append(Part(text=p.text))
        return Turn(role=message.role, parts=tuple(parts))
