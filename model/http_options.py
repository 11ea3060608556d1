"""Options of a policy that talks to an OpenAI-compatible server, for any model family.

Every HTTP policy needs the same connection settings (where, which model, which key, how
long to wait, how often to retry) and the same knowledge of server quirks; a family's
options class inherits them and adds its own prompt settings. Options arrive from the CLI
as strings, which pydantic coerces. Nothing here reads environment variables: the CLI edge
passes ``api_key`` in.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from screenpilot.model.backends.openai_http import OpenAIBackend, OpenAIBackendConfig

ServerKind = Literal["auto", "vllm", "sglang", "dashscope", "openai", "ollama"]
"""Which server answers; ``auto`` guesses from the endpoint."""


class HTTPOptions(BaseModel):
    """Connection options of an HTTP policy.

    Attributes:
        endpoint: Base URL including ``/v1``.
        model: Model name on the server.
        api_key: Bearer key (``EMPTY`` for vLLM / SGLang without auth).
        timeout_s / connect_timeout_s: Request limits.
        retries: Transient-failure retries inside the backend.
        server: ``dashscope`` adds ``vl_high_resolution_images`` so the API keeps the
            client-side size; the others need nothing extra.
        extras: JSON object merged into each request body.
        image_format: ``png`` or ``jpeg``.
    """

    model_config = ConfigDict(extra="forbid")

    endpoint: str = Field(min_length=1)
    model: str = Field(min_length=1)
    api_key: str = "EMPTY"
    timeout_s: float = Field(default=120.0, gt=0.0)
    connect_timeout_s: float = Field(default=10.0, gt=0.0)
    retries: int = Field(default=2, ge=0, le=10)
    server: ServerKind = "auto"
    extras: dict[str, Any] = Field(default_factory=dict)
    image_format: Literal["png", "jpeg"] = "png"

    @field_validator("extras", mode="before")
    @classmethod
    def _json(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError as e:
                raise ValueError(f"extras must be a JSON object: {e}") from None
        return value

    def server_kind(self) -> ServerKind:
        """``server``, with ``auto`` resolved from the endpoint."""
        if self.server == "auto" and "dashscope" in self.endpoint:
            return "dashscope"
        return self.server

    def extra_body(self) -> dict[str, Any]:
        """Fields merged into every request: the server's needs, then ``extras``."""
        # DashScope downscales large images unless asked not to, which would move clicks.
        dashscope = self.server_kind() == "dashscope"
        base: dict[str, Any] = {"vl_high_resolution_images": True} if dashscope else {}
        return {**base, **self.extras}

    def backend_config(self) -> OpenAIBackendConfig:
        """The HTTP backend's settings."""
        return OpenAIBackendConfig(
            base_url=self.endpoint,
            model=self.model,
            api_key=self.api_key,
            timeout_s=self.timeout_s,
            connect_timeout_s=self.connect_timeout_s,
            retries=self.retries,
            extra_body=self.extra_body(),
            image_format=self.image_format,
            # OpenAI's own API rejects fields it does not know, such as top_k
            extra_sampling=self.server_kind() != "openai",
        )

    def backend(self) -> OpenAIBackend:
        """A backend connected as these options say (needs the ``openai`` package)."""
        return OpenAIBackend(self.backend_config())
