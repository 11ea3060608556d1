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

from screenpilot.model.backends.base import ChatBackend
from screenpilot.model.backends.openai_http import OpenAIBackend, OpenAIBackendConfig
from screenpilot.model.backends.replicas import ReplicaPool, ReplicaPoolConfig

ServerKind = Literal["auto", "vllm", "sglang", "dashscope", "openai", "ollama"]
"""Which server answers; ``auto`` guesses from the endpoint."""


class HTTPOptions(BaseModel):
    """Connection options of an HTTP policy.

    Attributes:
        endpoint: Base URL including ``/v1``; several replicas of the same model as a
            comma-separated list (requests are spread over them, see
            :class:`~model.backends.replicas.ReplicaPool`).
        model: Model name on the server.
        api_key: Bearer key (``EMPTY`` for vLLM / SGLang without auth).
        timeout_s / connect_timeout_s: Request limits.
        retries: Transient-failure retries inside the backend.
        server: ``dashscope`` adds ``vl_high_resolution_images`` so the API keeps the
            client-side size; the others need nothing extra.
        extras: JSON object merged into each request body.
        image_format: ``png`` or ``jpeg``.
        replica_backoff_s: With several endpoints, how long a replica whose transport
            failed is left out (doubling with each consecutive failure).
    """

    model_config = ConfigDict(extra="forbid")

    endpoint: str = Field(min_length=1)
    model: str = Field(min_length=1)
    api_key: str = "EMPTY"
    timeout_s: float = Field(default=45.0, gt=0.0)
    connect_timeout_s: float = Field(default=10.0, gt=0.0)
    retries: int = Field(default=2, ge=0, le=10)
    server: ServerKind = "auto"
    extras: dict[str, Any] = Field(default_factory=dict)
    image_format: Literal["png", "jpeg"] = "png"
    replica_backoff_s: float = Field(default=5.0, ge=0.0)

    @field_validator("extras", mode="before")
    @classmethod
    def _json(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError as e:
                raise ValueError(f"extras must be a JSON object: {e}") from None
        return value

    @field_validator("endpoint", mode="before")
    @classmethod
    def _join(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ",".join(str(v) for v in value)
        return value

    def endpoints(self) -> list[str]:
        """Every replica's base URL, in the order given."""
        return [e.strip() for e in self.endpoint.split(",") if e.strip()]

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

    def backend_config(
        self, endpoint: str | None = None, *, retries: int | None = None
    ) -> OpenAIBackendConfig:
        """The HTTP backend's settings (for ``endpoint``, default the first one)."""
        return OpenAIBackendConfig(
            base_url=endpoint or self.endpoints()[0],
            model=self.model,
            api_key=self.api_key,
            timeout_s=self.timeout_s,
            connect_timeout_s=self.connect_timeout_s,
            retries=self.retries if retries is None else retries,
            extra_body=self.extra_body(),
            image_format=self.image_format,
            # OpenAI's own API rejects fields it does not know, such as top_k
            extra_sampling=self.server_kind() != "openai",
        )

    def backend(self) -> ChatBackend:
        """A backend connected as these options say (needs the ``openai`` package): one
        endpoint's, or a replica pool over several."""
        endpoints = self.endpoints()
        if len(endpoints) == 1:
            return OpenAIBackend(self.backend_config(endpoints[0]))
        # Each replica tries once; the pool fails over to the next replica instead.
        replicas = [(e, OpenAIBackend(self.backend_config(e, retries=0))) for e in endpoints]
        return ReplicaPool(replicas, ReplicaPoolConfig(backoff_s=self.replica_backoff_s))
