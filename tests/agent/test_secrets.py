"""Redaction masks secret values in free text and leaves keys, digests and paths whole."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from screenpilot.agent.secrets import SecretStore
from screenpilot.tools.actions import Action, TypeText

FIELD_NAMES = ("text", "secret", "type", "step", "screenshot", "action", "path", "message", "ok")
KEPT = {
    "type",
    "screenshot",
    "thumbnail_digest",
    "config_hash",
    "run_dir",
    "path",
    "file",
    "action",
    "status",
}
"""Fields of the test record whose string values must come back unchanged."""

MASK = re.compile(r"\[secret:S\d+\]")


def digest(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, Any]]:
    """Secrets (digest fragments, field names, any text) and a record that contains them."""
    digests = draw(st.lists(st.binary(max_size=8).map(digest), min_size=1, max_size=3, unique=True))
    fragment = st.tuples(st.sampled_from(digests), st.integers(0, 60), st.integers(2, 10)).map(
        lambda t: t[0][t[1] : t[1] + t[2]]
    )
    value = st.one_of(fragment, st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=6))
    values = draw(st.lists(value, min_size=1, max_size=4))
    secrets = {f"S{i}": v for i, v in enumerate(values)}
    piece = st.one_of(st.sampled_from(list(secrets.values())), st.sampled_from(digests), st.text(max_size=6))
    free = st.lists(piece, max_size=5).map("".join)
    typed = {"action": "type", "text": draw(free), "secret": None, "clear_first": False, "submit": False}
    record = {
        "type": "step",
        "t": 1712.5,
        "index": 2024,
        "screenshot": digests[0],
        "thumbnail_digest": digests,
        "digest_like": draw(free),
        "config_hash": digests[-1],
        "run_dir": "/runs/" + draw(free),
        "thought": draw(free),
        "raw": draw(free),
        "url": "http://127.0.0.1/?q=" + draw(free),
        "text": draw(free),
        "secret": draw(free),
        "outcomes": [{"action": typed, "ok": True, "message": draw(free), "error_type": None}],
        "feedback": (draw(free), draw(free)),
        "workflow": {"path": "steps[1]." + draw(free), "file": "/flows/" + draw(free) + ".yaml"},
        "result": {"status": "success", "reason": draw(free)},
    }
    return secrets, record


def shape(data: Any) -> Any:
    """Every key at every level (values left out)."""
    if isinstance(data, dict):
        return {k: shape(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [shape(v) for v in data]
    return type(data).__name__


def leaves(data: Any, key: str = "") -> list[tuple[str, Any]]:
    """``(field, value)`` for every scalar, ``field`` being the nearest dict key above it."""
    if isinstance(data, dict):
        return [leaf for k, v in data.items() for leaf in leaves(v, k)]
    if isinstance(data, list | tuple):
        return [leaf for v in data for leaf in leaves(v, key)]
    return [(key, data)]


@settings(max_examples=300, deadline=None)
@given(cases())
def test_redaction_keeps_keys_digests_and_paths_and_masks_everything_else(
    case: tuple[dict[str, str], dict[str, Any]],
) -> None:
    secrets, record = case
    redacted = SecretStore(secrets).redact(record)

    assert shape(redacted) == shape(record)
    for (field, before), (_, after) in zip(leaves(record), leaves(redacted), strict=True):
        if not isinstance(before, str):
            assert after == before
        elif field in KEPT:
            assert after == before, field
        else:
            outside_masks = MASK.split(after)
            leaked = [v for v in secrets.values() for part in outside_masks if v in part]
            assert leaked == [], (field, before, after)
    # the recorded action still reads back as the action it was
    TypeAdapter(Action).validate_python(redacted["outcomes"][0]["action"])
    # records are redacted more than once (the agent redacts the task, the recorder the
    # manifest that holds it): a second pass changes nothing
    assert SecretStore(secrets).redact(redacted) == redacted


def test_a_secret_inside_a_digest_leaves_the_digest_alone() -> None:
    shot = "9f3a2024be" + "0" * 54
    store = SecretStore({"pin": "2024"})
    event = store.redact({"type": "step", "screenshot": shot, "thought": "The PIN is 2024.", "n": 2024})
    assert event == {"type": "step", "screenshot": shot, "thought": "The PIN is [secret:pin].", "n": 2024}


def test_free_text_that_looks_like_a_digest_is_still_masked() -> None:
    # hypothesis found this one: four copies of a secret make 40 hex digits, a SHA-1's length
    store = SecretStore({"pin": "e3b0c44298"})
    assert store.redact({"reason": "e3b0c44298" * 4}) == {"reason": "[secret:pin]" * 4}


def test_secrets_named_like_fields_do_not_corrupt_recorded_actions() -> None:
    store = SecretStore({"a": "text", "b": "secret", "c": "type"})
    action = TypeText(text="my text is secret").model_dump(mode="json")
    redacted = store.redact({"type": "step", "action": action})
    assert redacted["type"] == "step"
    assert set(redacted["action"]) == set(action)
    assert redacted["action"]["action"] == "type"
    assert redacted["action"]["text"] == "my [secret:a] is [secret:b]"
    assert TypeAdapter(Action).validate_python(redacted["action"]) == TypeText(
        text="my [secret:a] is [secret:b]"
    )


def test_paths_and_hash_suffixed_fields_are_identifiers() -> None:
    store = SecretStore({"user": "alice"})
    data = {
        "run_dir": "/home/alice/runs/1",
        "out_dir": "/home/alice/out",
        "report_path": "/home/alice/r.html",
        "config_hash": "alice-hash",
        "message": "saved to /home/alice/r.html",
    }
    assert store.redact(data) == {**data, "message": "saved to /home/[secret:user]/r.html"}


def test_longer_secrets_win_and_masks_are_not_rewritten() -> None:
    store = SecretStore({"short": "se", "long": "secret-sauce"})
    assert store.redact("a secret-sauce, a second") == "a [secret:long], a [secret:short]cond"
    assert store.redact(["se", ("x", "se")]) == ["[secret:short]", ["x", "[secret:short]"]]
    assert SecretStore().redact({"k": "se"}) == {"k": "se"}


def test_redacting_twice_keeps_the_first_masks() -> None:
    store = SecretStore({"pin": "2024", "key": "secret", "name": "pin"})
    once = store.redact("the secret pin is 2024")
    assert once == "the [secret:key] [secret:name] is [secret:pin]"
    assert store.redact(once) == once


def _encodings(value: str) -> dict[str, str]:
    import base64
    import html
    import json
    from urllib.parse import quote, quote_plus

    raw = value.encode()
    forms = {
        "url": quote(value, safe=""),
        "url-lower-hex": re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), quote(value, safe="")),
        "url-plus": quote_plus(value),
        "html": html.escape(value),
        "html-decimal": "".join(f"&#{ord(c)};" for c in value),
        "json": json.dumps(value)[1:-1],
        "json-ascii": json.dumps(value, ensure_ascii=True)[1:-1],
    }
    for shift in range(3):
        # a secret inside a longer base64 text, at each of its three alignments
        forms[f"base64+{shift}"] = base64.b64encode(b"ab"[:shift] + raw + b"yz").decode()
        forms[f"base64url+{shift}"] = base64.urlsafe_b64encode(b"ab"[:shift] + raw + b"yz").decode()
    return forms


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=6, max_size=24))
def test_every_encoding_of_a_secret_is_masked(value: str) -> None:
    store = SecretStore({"pw": value})
    for name, form in _encodings(value).items():
        if name.startswith("base64") and len(value.encode()) < 8:
            continue  # too few bytes for a base64 run that could not occur by chance
        out = store.redact(f"before {form} after")
        assert "[secret:pw]" in out, (name, form, out)
        if not name.startswith("base64"):
            assert form not in out or form in "before  after", (name, out)


def test_the_observation_a_policy_sees_is_redacted() -> None:
    from screenpilot.environments.fake import FakeEnvironment
    from screenpilot.environments.observation import TabInfo

    obs = FakeEnvironment().observe()
    url = "http://127.0.0.1/welcome?user=alice&pw=K9canary%21x"
    leaky = obs.model_copy(
        update={
            "url": url,
            "title": "Welcome K9canary!x",
            "tabs": (TabInfo(index=0, url=url, title="K9canary&#33;x", active=True),),
            "notices": ("navigation to " + url,),
            "elements": tuple(
                e.model_copy(update={"text": "your password is K9canary!x", "attributes": {"href": url}})
                for e in obs.elements[:2]
            ),
        }
    )
    seen = SecretStore({"pw": "K9canary!x"}).redact_observation(leaky)
    text = seen.model_dump_json()
    assert "K9canary" not in text and text.count("[secret:pw]") >= 7
    assert seen.screenshot is leaky.screenshot


SERVED = {"endpoint": "http://127.0.0.1:9/v1", "model": "m"}


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("qwen3vl", SERVED),
        ("uitars", SERVED),
        ("planner", {"planner": "chat-model@http://127.0.0.1:9/v1", "grounder": "center"}),
        ("hybrid", SERVED),
        ("hybrid", {"fallback": "none", "fallback_grounder": "offline"}),
    ],
)
def test_every_model_policy_is_told_the_runs_secret_names(name: str, options: dict[str, str]) -> None:
    """``--secret`` reaches whatever policy the run uses: the names (never values) are added
    to its options, and the policy builds with them."""
    from screenpilot.agent.registry import create, with_secret_names

    opts = with_secret_names(name, {**options, "secrets": "pin"}, ["password", "pin"])
    assert opts["secrets"] == "pin,password"
    assert create("policies", name, opts) is not None
    assert "secrets" not in with_secret_names("offline", {}, ["password"])
