"""Run a Qwen-VL checkpoint in-process with transformers (CPU for tiny models, GPU for real).

Loads through the same Auto classes a downloaded checkpoint uses, from a local directory
or an already cached hub id. Nothing is downloaded: a missing checkpoint is a
:class:`~tools.errors.ConfigError` that says how to fetch one.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.model.backends.base import ChatMessage, ChatRequest, Completion, ImagePart
from screenpilot.model.backends.local_sampling import generate_kwargs
from screenpilot.model.types import Usage
from screenpilot.tools.errors import ConfigError, ModelError

log = logging.getLogger(__name__)

_DTYPES = ("auto", "float32", "float16", "bfloat16")


class LocalBackendConfig(BaseModel):
    """How to load and run the checkpoint.

    Attributes:
        model_path: A checkpoint directory, or a hub id already in the local cache.
        dtype: ``auto`` (the checkpoint's), ``bfloat16``, ``float16`` or ``float32``.
        device_map: ``auto`` spreads over the GPUs (needs ``accelerate``); ``cpu``,
            ``cuda``, ``cuda:1``... pin it; unset keeps transformers' default (CPU).
        attn_implementation: ``sdpa``, ``eager`` or ``flash_attention_2``.
        max_new_tokens: An operator's cap on generated tokens; unset, every request's own
            budget applies (the policy's: 2048 for Instruct, 8192 for Thinking checkpoints).
        min_pixels / max_pixels: The processor's resize bounds; the prompt builder already
            sends images within them, so the processor leaves them as they are.
    """

    model_config = ConfigDict(frozen=True)

    model_path: str = Field(min_length=1)
    dtype: str = "auto"
    device_map: str | None = None
    attn_implementation: str | None = None
    max_new_tokens: int | None = Field(default=None, ge=1)
    min_pixels: int = Field(default=4 * 32 * 32, ge=1)
    max_pixels: int = Field(default=16384 * 32 * 32, ge=1)


def missing_weights_message(path: str) -> str:
    return (
        f"no Qwen-VL checkpoint at {path!r} (and not in the local Hugging Face cache). "
        "Download one on a machine with internet access, for example "
        "'hf download Qwen/Qwen3-VL-8B-Instruct --local-dir ./Qwen3-VL-8B-Instruct', copy the "
        "directory here and pass it with --model-path DIR"
    )


class TransformersBackend:
    """A :class:`~model.backends.base.ChatBackend` over ``AutoModelForImageTextToText``."""

    def __init__(self, config: LocalBackendConfig) -> None:
        self.config = config
        self._lock = threading.Lock()  # generate is not re-entrant; timed-out calls may linger
        self._size = {"shortest_edge": config.min_pixels, "longest_edge": config.max_pixels}
        self.processor, self.model = self._load()

    @property
    def model_id(self) -> str:
        return self.config.model_path

    def _load(self) -> tuple[Any, Any]:
        try:
            import torch
            from transformers import AutoModelForImageTextToText

            from screenpilot.model.backends.hf_processor import load_processor
        except ModuleNotFoundError as e:
            raise ConfigError(
                f"the local backend needs {e.name!r}: pip install 'screenpilot[local]' "
                "(with torch installed first, pinned to your platform)"
            ) from None
        if self.config.dtype not in _DTYPES:
            raise ConfigError(f"dtype must be one of {', '.join(_DTYPES)}, got {self.config.dtype!r}")
        path = self.config.model_path
        local = Path(path).expanduser()
        source = str(local) if local.is_dir() else path
        kwargs: dict[str, Any] = {"local_files_only": True}
        dtype = self.config.dtype if self.config.dtype == "auto" else getattr(torch, self.config.dtype)
        model_kwargs: dict[str, Any] = {**kwargs, "dtype": dtype}
        if self.config.device_map:
            model_kwargs["device_map"] = self.config.device_map
        if self.config.attn_implementation:
            model_kwargs["attn_implementation"] = self.config.attn_implementation
        log.info(
            "loading the checkpoint %s (%s, device map %s)", source, self.config.dtype, self.config.device_map
        )
        try:
            processor = load_processor(source, **kwargs)
            model = AutoModelForImageTextToText.from_pretrained(source, **model_kwargs)
        except OSError:
            raise ConfigError(missing_weights_message(path)) from None
        except (ValueError, ImportError) as e:
            raise ConfigError(f"cannot load {path!r}: {e}") from None
        model.eval()
        return processor, model

    def _hf_messages(self, messages: tuple[ChatMessage, ...]) -> list[dict[str, Any]]:
        out = []
        for m in messages:
            content: list[dict[str, Any]] = []
            for p in m.parts:
                if isinstance(p, ImagePart):
                    content.append({"type": "image", "image": p.image})
                else:
                    content.append({"type": "text", "text": p.text})
            out.append({"role": m.role, "content": content})
        return out

    def complete(self, request: ChatRequest) -> Completion:
        """Generate an answer.

        Raises:
            ModelError: When generation fails (out of memory, a broken checkpoint).
        """
        import torch

        with self._lock:
            try:
                inputs = self.processor.apply_chat_template(
                    self._hf_messages(request.messages),
                    tokenize=True,
                    add_generation_prompt=True,
                    return_dict=True,
                    return_tensors="pt",
                    processor_kwargs={"images_kwargs": {"size": self._size}},
                ).to(self.model.device)
                prompt_len = int(inputs["input_ids"].shape[1])
                kwargs = generate_kwargs(request, prompt_len, self.config.max_new_tokens)
                if request.seed is not None:
                    torch.manual_seed(request.seed)
                with torch.inference_mode():
                    output = self.model.generate(**inputs, **kwargs)
            except (RuntimeError, ValueError) as e:
                raise ModelError(f"local generation failed: {type(e).__name__}: {e}") from None
            new = output[:, prompt_len:]
            text = self.processor.batch_decode(new, skip_special_tokens=True)[0]
        return Completion(
            text=text,
            usage=Usage(input_tokens=prompt_len, output_tokens=int(new.shape[1]), calls=1),
            model=self.config.model_path,
        )
