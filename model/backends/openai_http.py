"""OpenAI-compatible chat completions over HTTP (vLLM, SGLang, DashScope, Ollama, ...).

Images travel as data URLs at the size the prompt builder chose, so a server that would
resize them has nothing left to change. Each image is encoded once: a screenshot the driver
delivered as PNG travels as those very bytes, any other image is encoded on first use
(:mod:`screenpilot.environments.encoded`), and the backend keeps each image's data URL
while the image recurs as history, so a step encodes at most its one new screenshot.

The raw ``content`` is returned verbatim: servers' tool-call parsers (vLLM ``hermes``) are
known to mangle Qwen's calls, so the policy parses the text itself. Transient failures
(network, timeouts, 408/409/425/429/5xx) are retried here with exponential backoff that
honours ``Retry-After``; once retries are spent they surface as
:class:`~tools.errors.ModelTransportError` for the agent's own retry policy.
"""

from __future__ import annotations

import base64
import email.utils
import inspect
import io
import json
import random
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from screenpilot.environments.encoded import png_of
from screenpilot.model.backends.base import ChatMessage, ChatRequest, Completion, ImagePart
from screenpilot.model.backends.cache import IdentityCache
from screenpilot.model.backends.image_limit import too_many_images
from screenpilot.model.backends.json_body import SplicedBody
from screenpilot.model.types import Usage
from screenpilot.tools.errors import (
    ConfigError,
    ModelError,
    ModelOutputError,
    ModelTimeout,
    ModelTransportError,
)

_TRANSIENT_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
_CONFIG_STATUS = frozenset({401, 403, 404})


class OpenAIBackendConfig(BaseModel):
    """Connection settings.

    Attributes:
        base_url: Server root including ``/v1`` (``http://localhost:8000/v1``).
        model: Model name as the server knows it.
        api_key: Key sent as a bearer token (vLLM and SGLang accept any value).
        timeout_s: Limit for one request (read timeout); a timeout is not retried here.
        connect_timeout_s: Limit for opening the connection.
        retries: Retries after a transient failure.
        backoff_s: First retry delay; doubles each time, with jitter.
        max_backoff_s: Cap on one delay; a longer ``Retry-After`` is handed to the agent.
        extra_body: Server-specific fields merged into the request (vLLM
            ``mm_processor_kwargs``, DashScope ``vl_high_resolution_images``...).
        image_format: How screenshots are encoded.
        jpeg_quality: Quality for JPEG.
        extra_sampling: Send ``top_k`` and ``repetition_penalty`` as extra body fields
            (vLLM, SGLang, DashScope and Ollama read them; OpenAI's own API rejects them).
    """

    model_config = ConfigDict(frozen=True)

    base_url: str = Field(min_length=1)
    model: str = Field(min_length=1)
    api_key: str = "EMPTY"
    timeout_s: float = Field(default=45.0, gt=0.0)
    connect_timeout_s: float = Field(default=10.0, gt=0.0)
    retries: int = Field(default=2, ge=0, le=10)
    backoff_s: float = Field(default=1.0, ge=0.0)
    max_backoff_s: float = Field(default=30.0, ge=0.0)
    extra_body: dict[str, Any] = Field(default_factory=dict)
    image_format: Literal["png", "jpeg"] = "png"
    jpeg_quality: int = Field(default=90, ge=1, le=100)
    extra_sampling: bool = True


def data_url(image: Image.Image, fmt: Literal["png", "jpeg"] = "png", quality: int = 90) -> str:
    """``data:image/...;base64,...`` for an image (PNG: the image's one shared encoding)."""
    if fmt == "jpeg":
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="JPEG", quality=quality)
        data = buf.getvalue()
    else:
        data = png_of(image)
    return f"data:image/{fmt};base64,{base64.b64encode(data).decode('ascii')}"


def to_openai_messages(
    messages: tuple[ChatMessage, ...],
    fmt: Literal["png", "jpeg"] = "png",
    quality: int = 90,
    encode: Callable[[Image.Image], str] | None = None,
) -> list[dict[str, Any]]:
    """Chat-completions messages: text-only turns as strings, others as content parts."""
    encode = encode or (lambda img: data_url(img, fmt, quality))
    out: list[dict[str, Any]] = []
    for m in messages:
        if not m.images:
            out.append({"role": m.role, "content": m.text_content()})
            continue
        parts: list[dict[str, Any]] = []
        for p in m.parts:
            if isinstance(p, ImagePart):
                parts.append({"type": "image_url", "image_url": {"url": encode(p.image)}})
            else:
                parts.append({"type": "text", "text": p.text})
        out.append({"role": m.role, "content": parts})
    return out


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):  # neither seconds nor an HTTP date: ignore the header
        return None
    return max(0.0, when.timestamp() - time.time())


class OpenAIBackend:
    """A :class:`~model.backends.base.ChatBackend` using the ``openai`` SDK."""

    def __init__(self, config: OpenAIBackendConfig, *, sleep: Any = time.sleep) -> None:
        import openai
        from openai.types.chat import ChatCompletion

        self.config = config
        self._openai = openai
        self._completion_type = ChatCompletion
        self._sleep = sleep
        # data URLs of the images that recur as history (1 current + 4 history per agent;
        # room for a few agents sharing the backend)
        self._urls: IdentityCache[Image.Image, bytes] = IdentityCache(
            lambda img: data_url(img, config.image_format, config.jpeg_quality).encode("ascii"), size=32
        )
        self._client = openai.OpenAI(
            base_url=config.base_url,
            api_key=config.api_key,
            max_retries=0,  # retries are ours, so that they are classified and counted
            timeout=openai.Timeout(config.timeout_s, connect=config.connect_timeout_s),
        )
        # whether ``post`` sends raw bytes (``content``, in recent SDKs)
        self._post_content = "content" in inspect.signature(self._client.post).parameters

    @property
    def model_id(self) -> str:
        return self.config.model

    def complete(self, request: ChatRequest) -> Completion:
        """Send ``request``; retry transient failures.

        Raises:
            ModelTimeout / ModelTransportError: Transient failures after the retries.
            ConfigError: 401/403/404 (wrong key, model name or URL).
            TooManyImages: A 400 refusing the prompt's number of images.
            ModelError: Any other refusal (400, 413, 422...).
        """
        payload = self.body(request)  # encoded once, retries included
        attempt = 0
        while True:
            try:
                return self._once(payload, request.image_count)
            except ModelTimeout:
                raise  # a silent server: the agent's schedule decides whether to wait again
            except ModelTransportError as e:
                if attempt >= self.config.retries:
                    raise
                delay = self._delay(attempt, e.retry_after)
                if delay is None:
                    raise
                attempt += 1
                self._sleep(delay)

    def body(self, request: ChatRequest) -> dict[str, Any] | bytes:
        """The request's body as it is sent: JSON bytes with every image's data URL (each
        encoded once per image, see the module's note), or a dict for an SDK that takes no
        raw body."""
        if self._post_content:
            spliced = SplicedBody()
            return spliced.encode(self._payload(request, spliced.placeholder))
        return self._payload(request, lambda url: url.decode("ascii"))

    # -- internals ------------------------------------------------------------------------

    def _payload(self, request: ChatRequest, image: Callable[[bytes], str]) -> dict[str, Any]:
        """The request's JSON body; ``image`` gives the string that stands for a data URL."""
        payload: dict[str, Any] = {
            "model": self.config.model,
            "messages": to_openai_messages(request.messages, encode=lambda img: image(self._urls(img))),
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
        }
        for key in ("top_p", "presence_penalty", "seed"):
            value = getattr(request, key)
            if value is not None:
                payload[key] = value
        if request.stop:
            payload["stop"] = list(request.stop)
        # top_k and repetition_penalty are not OpenAI parameters: they go at the top level
        # of the JSON body, where vLLM and SGLang read them, like the server's own extras.
        if self.config.extra_sampling:
            for key in ("top_k", "repetition_penalty"):
                value = getattr(request, key)
                if value is not None:
                    payload[key] = value
        payload.update(self.config.extra_body)
        return payload

    def _delay(self, attempt: int, retry_after: float | None) -> float | None:
        if retry_after is not None:
            return retry_after if retry_after <= self.config.max_backoff_s else None
        base = min(self.config.max_backoff_s, self.config.backoff_s * (2**attempt))
        return base * (0.5 + random.random() / 2)

    def _once(self, payload: dict[str, Any] | bytes, images: int) -> Completion:
        """One request with ``payload``: the encoded JSON body, or the body as a dict whose
        ``extra_body`` fields go to its top level.

        The body goes through the SDK's plain ``post`` (its documented call for any
        endpoint), not ``chat.completions.create``: ``create`` walks every field of the
        messages against its typed schema, which changes nothing in these plain dicts and
        costs about as much as encoding the body; errors, timeouts and the parsed
        ``ChatCompletion`` are the same.
        """
        oa = self._openai
        if isinstance(payload, bytes):
            send: dict[str, Any] = {"content": payload}
        else:
            extra = dict(payload.get("extra_body") or {})
            send = {"body": {k: v for k, v in payload.items() if k != "extra_body"} | extra}
        try:
            response = self._client.post("/chat/completions", cast_to=self._completion_type, **send)
        except oa.APITimeoutError:
            raise ModelTimeout(
                f"{self.config.base_url} did not answer within {self.config.timeout_s:g}s"
            ) from None
        except oa.APIConnectionError as e:
            raise ModelTransportError(f"cannot reach {self.config.base_url}: {e}") from None
        except oa.APIStatusError as e:
            raise self._status_error(e, images) from None
        except (oa.APIError, json.JSONDecodeError) as e:  # unreadable: a proxy's HTML page...
            raise ModelTransportError(f"{self.config.base_url} sent an unreadable answer: {e}") from None
        return self._completion(response)

    def _status_error(self, e: Any, images: int) -> Exception:
        status = int(getattr(e, "status_code", 0) or 0)
        detail = str(getattr(e, "message", "") or e)
        limited = too_many_images(status, detail, images)
        if limited is not None:
            return limited
        if status in _TRANSIENT_STATUS:
            headers = getattr(getattr(e, "response", None), "headers", None)
            return ModelTransportError(
                f"{self.config.base_url} answered {status}: {detail}",
                retry_after=retry_after_seconds(headers),
            )
        if status in _CONFIG_STATUS:
            return ConfigError(
                f"{self.config.base_url} answered {status} for model {self.config.model!r}: {detail} "
                "(check the endpoint, the model name and the API key)"
            )
        return ModelError(f"{self.config.base_url} refused the request ({status}): {detail}")

    def _completion(self, response: Any) -> Completion:
        """The answer of a 200 response, whatever its shape.

        A server may send a well-formed HTTP answer whose body is not a completion (no
        choices, a ``null`` choice, no message, ``content`` as a list of parts, token
        counts that are not numbers, lone surrogates in the text). Shapes that still hold
        text are read; the others are a :class:`ModelOutputError`, so the step re-asks.
        """
        choices = getattr(response, "choices", None)
        first = choices[0] if isinstance(choices, list) and choices else None
        message = _field(first, "message")
        if message is None:
            raise ModelOutputError("the server returned no answer (no choice with a message)")
        extra = _field(message, "model_extra")
        reasoning = (
            _field(message, "reasoning_content")
            or (extra.get("reasoning_content") if isinstance(extra, dict) else None)
            or (extra.get("reasoning") if isinstance(extra, dict) else None)
        )
        usage = getattr(response, "usage", None)
        model = getattr(response, "model", None)
        return Completion(
            text=_clean(_content_text(_field(message, "content"))),
            reasoning=_clean(reasoning) if isinstance(reasoning, str) else None,
            usage=Usage(
                input_tokens=_count(_field(usage, "prompt_tokens")),
                output_tokens=_count(_field(usage, "completion_tokens")),
                calls=1,
            ),
            model=_clean(model) if isinstance(model, str) and model else self.config.model,
        )


def _field(obj: Any, name: str) -> Any:
    """``obj.name`` or ``obj[name]`` (the SDK builds unvalidated objects), else ``None``."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _content_text(content: Any) -> str:
    """``content`` as text: a string, or the text parts of a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [_field(part, "text") for part in content]
        return "".join(t for t in texts if isinstance(t, str))
    return ""


def _count(value: Any) -> int:
    """A token count; anything that is not a plain non-negative integer counts as 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return int(value) if 0 <= value < 2**53 else 0


_SURROGATES = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """``text`` with lone surrogates (an unpaired ``\\ud800`` escape in the JSON) replaced:
    they cannot be written as UTF-8."""
    return _SURROGATES.sub("\ufffd", text)
