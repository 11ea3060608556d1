"""The transformers backend on a tiny randomly initialised Qwen3-VL (real processor, real generate)."""

from __future__ import annotations

from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.environments.fake.spec import login_app
from screenpilot.model.backends.base import ChatMessage, ChatRequest, ImagePart, TextPart
from screenpilot.model.qwen.parser import parse_response
from screenpilot.model.qwen.policy import QwenPolicy
from screenpilot.tools.errors import ConfigError, ModelOutputError

pytestmark = [pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def local_policy(tiny_qwen_dir: Path) -> QwenPolicy:
    policy = create(
        "policies",
        "qwen3vl-local",
        {"model_path": str(tiny_qwen_dir), "max_new_tokens": 12, "budget": "medium", "dtype": "float32"},
    )
    assert isinstance(policy, QwenPolicy)
    return policy


def test_generate_on_a_real_screenshot(local_policy: QwenPolicy) -> None:
    env = FakeEnvironment(FakeConfig(app=login_app().model_copy(update={"width": 1280, "height": 800})))
    prompt = local_policy.render("Sign in", env.observe())
    completion = local_policy.backend.complete(ChatRequest(messages=prompt.messages, max_tokens=12))
    # the processor kept the client-side size: 1280x800 is 40x25 tokens of 32x32 pixels
    assert completion.usage.input_tokens > 1000
    assert 1 <= completion.usage.output_tokens <= 12
    # random weights do not produce a tool call: a clean, re-askable error
    with pytest.raises(ModelOutputError) as info:
        parse_response(completion.text)
    assert info.value.raw == completion.text


def test_image_tokens_match_the_processor(local_policy: QwenPolicy) -> None:
    from PIL import Image

    processor = local_policy.backend.processor  # type: ignore[attr-defined]
    image = local_policy.style.model_image(Image.new("RGB", (1920, 1080), "white"))
    assert image.size == (1504, 832)  # "medium": at most 1,280 tokens
    msgs = [{"role": "user", "content": [{"type": "image", "image": image}, {"type": "text", "text": "x"}]}]
    inputs = processor.apply_chat_template(msgs, tokenize=True, return_dict=True, return_tensors="pt")
    t, h, w = inputs["image_grid_thw"][0].tolist()
    assert (t, h * 16, w * 16) == (1, 832, 1504)
    assert (h // 2) * (w // 2) == 1222


def test_random_output_ends_the_run_cleanly_through_the_agent(
    local_policy: QwenPolicy, tmp_path: Path
) -> None:
    env = FakeEnvironment()
    config = AgentConfig(max_steps=1, max_output_retries=1, max_consecutive_failures=1, settle_timeout_s=0)
    result = Agent(env, local_policy, config, out_dir=tmp_path).run("Sign in as alice")
    assert result.status == "error"
    assert "consecutive failed steps" in result.reason
    run = load_run(result.run_dir)
    assert not [e for e in run.events if e["type"] == "crash"]
    assert [e["type"] for e in run.events].count("invalid_output") == 2  # asked, then re-asked
    assert all(s["error"].startswith("ModelOutputError") for s in run.steps)
    assert run.manifest["prompt_version"] == "qwen3vl-cookbook/1"


def test_missing_checkpoint_says_how_to_get_weights(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="hf download Qwen/Qwen3-VL-8B-Instruct"):
        create("policies", "qwen3vl-local", {"model_path": str(tmp_path / "nowhere")})
    with pytest.raises(ConfigError, match="hf download"):
        create("policies", "qwen3vl-local", {"model_path": "Qwen/Qwen3-VL-2B-Instruct-not-cached"})


def test_history_images_reach_the_model(local_policy: QwenPolicy) -> None:
    from PIL import Image

    a, b = Image.new("RGB", (640, 416), "red"), Image.new("RGB", (640, 416), "blue")
    request = ChatRequest(
        messages=(
            ChatMessage.text("system", "s"),
            ChatMessage(role="user", parts=(ImagePart(image=a), TextPart(text="one"))),
            ChatMessage.text("assistant", "ok"),
            ChatMessage(role="user", parts=(ImagePart(image=b),)),
        ),
        max_tokens=2,
    )
    completion = local_policy.backend.complete(request)
    # two images of 20x13 tokens each are in the prompt
    assert completion.usage.input_tokens > 2 * 20 * 13


def test_processor_bounds_follow_the_budget(tiny_qwen_dir: Path) -> None:
    from PIL import Image

    from screenpilot.model.backends.transformers_local import LocalBackendConfig, TransformersBackend

    backend = TransformersBackend(
        LocalBackendConfig(
            model_path=str(tiny_qwen_dir), min_pixels=16 * 1024, max_pixels=64 * 1024, max_new_tokens=1
        )
    )
    image = ImagePart(image=Image.new("RGB", (1280, 800)))
    completion = backend.complete(
        ChatRequest(messages=(ChatMessage(role="user", parts=(image, TextPart(text="x"))),), max_tokens=1)
    )
    # at most 64 visual tokens (the processor's own resize), plus a handful of text tokens
    assert 40 < completion.usage.input_tokens < 64 + 16


def test_the_policys_token_budget_reaches_generate(tiny_qwen_dir: Path) -> None:
    """No 512-token cap: a Thinking trace gets the budget the policy asks for."""
    from PIL import Image

    policy = create(
        "policies",
        "qwen3vl-local",
        {"model_path": str(tiny_qwen_dir), "dtype": "float32", "max_tokens": 520, "sampling": "greedy"},
    )
    assert isinstance(policy, QwenPolicy)
    image = ImagePart(image=Image.new("RGB", (320, 224), "white"))
    messages = (ChatMessage(role="user", parts=(image, TextPart(text="hi"))),)
    request = ChatRequest(messages=messages, **policy.config.sampling.request_fields())
    assert request.max_tokens == 520
    # greedy decoding of the seeded random weights on this prompt never reaches end-of-turn
    # (deterministic): every budgeted token comes, past the 512 the backend used to cap at
    assert policy.backend.complete(request).usage.output_tokens == 520


def test_sampling_settings_reach_generate(local_policy: QwenPolicy) -> None:
    from PIL import Image

    image = ImagePart(image=Image.new("RGB", (64, 64), "white"))
    messages = (ChatMessage(role="user", parts=(image, TextPart(text="hi"))),)

    def text(**sampling: object) -> str:
        request = ChatRequest(messages=messages, max_tokens=12, **sampling)  # type: ignore[arg-type]
        return local_policy.backend.complete(request).text

    qwen = {"temperature": 0.7, "top_p": 0.8, "top_k": 20, "presence_penalty": 1.5}
    assert text(**qwen, seed=1) == text(**qwen, seed=1)  # seeded sampling is reproducible
    samples = {text(**qwen, seed=s) for s in range(2, 5)}
    assert len(samples) > 1  # and it samples
    assert text(temperature=0.0, seed=2) == text(temperature=0.0, seed=3)  # greedy ignores the seed


def test_presence_penalty_applies_to_generated_tokens_only() -> None:
    import torch

    from screenpilot.model.backends.local_sampling import PresencePenalty

    ids = torch.tensor([[5, 6, 7, 7, 2]])  # prompt 5 6 7, generated 7 2
    scores = torch.zeros(1, 10)
    out = PresencePenalty(1.5, prompt_len=3)(ids, scores)
    assert out[0].tolist() == [0, 0, -1.5, 0, 0, 0, 0, -1.5, 0, 0]
    assert PresencePenalty(1.5, prompt_len=5)(ids, scores).abs().sum() == 0
