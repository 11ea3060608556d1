"""Chat backends: where a rendered prompt is sent and a completion comes back.

``openai_http`` speaks the OpenAI chat-completions protocol (vLLM, SGLang, DashScope,
Ollama); ``transformers_local`` runs a checkpoint in-process. Both take the same neutral
:class:`~model.backends.base.ChatRequest`.
"""

from screenpilot.model.backends.base import (
    ChatBackend,
    ChatMessage,
    ChatRequest,
    Completion,
    ImagePart,
    TextPart,
)

__all__ = ["ChatBackend", "ChatMessage", "ChatRequest", "Completion", "ImagePart", "TextPart"]
