"""Build the ``hybrid`` policy from option mappings.

``--policy hybrid --endpoint URL --model NAME`` runs the offline policy with a served
Qwen3-VL (the ``qwen3vl`` entry) as the fallback. Options:

* ``fallback``: the registered policy asked where the offline policy gives up
  (default ``qwen3vl``; ``none`` for no model policy);
* ``fallback_grounder``: a registered grounder used when there is no fallback policy;
* ``offline.KEY``: an option of the offline policy (``-P offline.ocr=off``);
* every other option goes to the fallback policy (and grounder, except ``secrets``).

The registry is handed in by the caller (the agent layer's entry), so this module never
imports upward.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from screenpilot.model.hybrid.policy import HybridPolicy

Create = Callable[[str, str, Mapping[str, Any]], Any]
"""``create(kind, name, options)``: builds a registered policy or grounder."""


def split_options(options: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str, str | None]:
    """``(offline options, fallback options, fallback name, grounder name)``."""
    offline = {k.removeprefix("offline."): v for k, v in options.items() if k.startswith("offline.")}
    rest = {k: v for k, v in options.items() if not k.startswith("offline.")}
    fallback = str(rest.pop("fallback", "qwen3vl"))
    grounder = rest.pop("fallback_grounder", None)
    return offline, rest, fallback, (str(grounder) if grounder else None)


def build(options: Mapping[str, Any], create: Create) -> HybridPolicy:
    """A :class:`HybridPolicy` whose parts come from ``create``."""
    offline_opts, rest, fallback, grounder_name = split_options(options)
    offline = create("policies", "offline", offline_opts)
    model = None if fallback == "none" else create("policies", fallback, rest)
    # a grounder only points; the secret names are for the policy that types
    grounder_opts = {k: v for k, v in rest.items() if k != "secrets"}
    grounder = create("grounders", grounder_name, grounder_opts) if grounder_name else None
    return HybridPolicy(offline, model, grounder)
