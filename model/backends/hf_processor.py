"""Loading a Qwen-VL processor, with or without torchvision.

transformers builds a Qwen-VL processor from three parts: the image processor, the
tokenizer and the video processor. Its video processors need torchvision, and on a CPU-only
machine torchvision's wheels (built against CUDA torch) do not load. Screens are images, so
when torchvision is missing the processor is built from the image processor (the PIL
backend) and the tokenizer alone; image inputs and token counts are the same either way.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from screenpilot.tools.errors import ConfigError

# model_type in config.json -> the processor class transformers uses for it
_PROCESSORS = {
    "qwen3_vl": "Qwen3VLProcessor",
    "qwen3_vl_moe": "Qwen3VLProcessor",
    "qwen2_5_vl": "Qwen2_5_VLProcessor",
    "qwen2_vl": "Qwen2VLProcessor",
}


def has_torchvision() -> bool:
    return importlib.util.find_spec("torchvision") is not None


def image_only(base: Any) -> Any:
    """A subclass of the processor class ``base`` whose parts are the image processor and
    the tokenizer (transformers reads a processor's parts from its ``__init__`` signature)."""

    def __init__(
        self: Any,
        image_processor: Any = None,
        tokenizer: Any = None,
        chat_template: Any = None,
        **kwargs: Any,
    ) -> None:
        base.__init__(self, image_processor, tokenizer, None, chat_template=chat_template, **kwargs)

    # the base's name, so that a saved processor names the class transformers knows
    return type(base.__name__, (base,), {"__init__": __init__})


def processor_class_name(source: str, **kwargs: Any) -> str | None:
    """The processor class of a checkpoint (a directory or a cached hub id), from its config.

    Raises:
        OSError: When there is no checkpoint there.
    """
    from transformers import AutoConfig

    return _PROCESSORS.get(str(AutoConfig.from_pretrained(source, **kwargs).model_type))


def load_processor(source: str, **kwargs: Any) -> Any:
    """The checkpoint's processor: the full one with torchvision, else image-only.

    Raises:
        ConfigError: When torchvision is missing and the model family is not a known Qwen-VL.
    """
    import transformers

    if has_torchvision():
        return transformers.AutoProcessor.from_pretrained(source, **kwargs)
    name = processor_class_name(source, **kwargs)
    if name is None:
        raise ConfigError(
            f"cannot build a processor for {source!r} without torchvision; install torchvision "
            "matching your torch build"
        )
    return image_only(getattr(transformers, name)).from_pretrained(source, **kwargs)
