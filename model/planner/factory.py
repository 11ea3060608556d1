"""Build the ``planner`` policy from option mappings.

Roles, each as an endpoint plus a model or as one ``MODEL@ENDPOINT`` string:

* ``planner_endpoint`` + ``planner_model`` (or ``planner=MODEL@URL``): any
  OpenAI-compatible chat model; ``vision=true`` also sends it the screenshot; on a screen
  without elements the listing holds OCR lines (``ocr=false`` turns that off);
* ``grounder_endpoint`` + ``grounder_model`` (or ``grounder=MODEL@URL``): a Qwen3-VL
  server grounds descriptions; ``grounder=offline`` (the default without an endpoint)
  uses the embedded offline grounder; ``grounder=NAME`` any registered grounder;
* ``grounder.KEY``: an option of the grounder (``-P grounder.budget=medium``);
* ``api_key``, ``timeout_s``, ``retries``: connection options of both servers.

The registry is handed in by the caller (the agent layer), so nothing here imports upward.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.model.http_options import HTTPOptions
from screenpilot.model.planner.ocr_lines import OcrLines
from screenpilot.model.planner.policy import PlannerConfig, PlannerGrounderPolicy
from screenpilot.model.sampling import Sampling
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.options import validate_options

Create = Callable[[str, str, Mapping[str, Any]], Any]


def split_role(value: str) -> tuple[str, str | None]:
    """``"MODEL@URL"`` into ``(MODEL, URL)``; a bare name has no URL."""
    model, sep, url = value.partition("@")
    return (model, url) if sep and url else (value, None)


class PlannerOptions(BaseModel):
    """Options of the ``planner`` policy (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    planner: str | None = None
    planner_endpoint: str | None = None
    planner_model: str | None = None
    grounder: str | None = None
    grounder_endpoint: str | None = None
    grounder_model: str | None = None
    vision: bool = False
    ocr: bool = True
    api_key: str = "EMPTY"
    timeout_s: float = Field(default=120.0, gt=0.0)
    retries: int = Field(default=2, ge=0, le=10)
    max_tokens: int = Field(default=1024, ge=1)
    temperature: float = Field(default=0.0, ge=0.0)
    secrets: str = ""
    endpoint: str | None = None
    model: str | None = None

    def planner_http(self) -> HTTPOptions:
        model, url = split_role(self.planner) if self.planner else (None, None)
        endpoint = self.planner_endpoint or url or self.endpoint
        name = self.planner_model or model or self.model
        if not endpoint or not name:
            raise ConfigError(
                "the planner policy needs a planning model: --planner-endpoint URL --planner-model NAME "
                "(or -P planner=MODEL@URL)"
            )
        return HTTPOptions(
            endpoint=endpoint,
            model=name,
            api_key=self.api_key,
            timeout_s=self.timeout_s,
            retries=self.retries,
        )

    def grounder_choice(self) -> tuple[str, dict[str, Any]]:
        """The registered grounder's name and its connection options."""
        model, url = split_role(self.grounder) if self.grounder else (None, None)
        endpoint = self.grounder_endpoint or url
        if endpoint:
            name = self.grounder_model or model
            if not name:
                raise ConfigError("--grounder-endpoint needs --grounder-model (or -P grounder=MODEL@URL)")
            conn = {"endpoint": endpoint, "model": name, "api_key": self.api_key, "timeout_s": self.timeout_s}
            return "qwen3vl", conn
        return (model or "offline"), {}


def build(options: Mapping[str, Any], create: Create) -> PlannerGrounderPolicy:
    """A :class:`PlannerGrounderPolicy` whose grounder comes from ``create``."""
    grounder_opts = {k.removeprefix("grounder."): v for k, v in options.items() if k.startswith("grounder.")}
    own = {k: v for k, v in options.items() if not k.startswith("grounder.")}
    opts = validate_options(PlannerOptions, own, what="the planner policy")
    name, conn = opts.grounder_choice()
    grounder = create("grounders", name, {**conn, **grounder_opts})
    secrets = tuple(s.strip() for s in opts.secrets.split(",") if s.strip())
    config = PlannerConfig(
        vision=opts.vision,
        sampling=Sampling(temperature=opts.temperature, max_tokens=opts.max_tokens),
        secrets=secrets,
        grounder_is_model=name != "offline",
    )
    ocr = OcrLines() if opts.ocr else None
    return PlannerGrounderPolicy(opts.planner_http().backend(), grounder, config, ocr=ocr)
