"""Prompt styles reproduce their sources byte for byte (golden text in golden/reference/).

Sources (see golden/reference/README.md for each file):
* cookbook: QwenLM/Qwen3-VL @ 96588727e44c78b25ba03ea03b8e12f7e64fd0da,
  cookbooks/computer_use.ipynb + cookbooks/utils/agent_function_call.py, and
  cookbooks/mobile_agent.ipynb;
* osworld: mrwwk/DeskCraft @ ba3cee3f58f35f5c2dc5f818eca7a0cb3ae48c13,
  mm_agents/qwen3vl_agent.py (an OSWorld fork).
"""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from screenpilot.environments.capabilities import Capabilities
from screenpilot.environments.geometry import ScreenGeometry, convert
from screenpilot.environments.observation import Observation
from screenpilot.model.backends.base import ChatMessage, ImagePart, TextPart
from screenpilot.model.backends.openai_http import to_openai_messages
from screenpilot.model.qwen.action_map import MapContext, to_actions
from screenpilot.model.qwen.factory import QwenPromptOptions
from screenpilot.model.qwen.parser import parse_response
from screenpilot.model.qwen.policy import QwenPolicyConfig
from screenpilot.model.qwen.styles.choose import make_style
from screenpilot.model.types import Feedback, HistoryStep
from screenpilot.tools.actions import Click, TypeText
from screenpilot.tools.points import CoordSpace, Point

REF = Path(__file__).parent / "golden" / "reference"
GOLDEN = Path(__file__).parent / "golden"
DESKTOP = Capabilities(platform="desktop", actions=frozenset({"click", "type", "key", "scroll"}))
BROWSER = Capabilities(platform="browser", actions=frozenset({"click", "type", "navigate", "back"}))
PHONE = Capabilities(platform="android", actions=frozenset({"click", "swipe"}), input="touch")
OSWORLD_ANSWERS = [
    ("Click the username field.", {"action": "left_click", "coordinate": [500, 300]}),
    ("Type the user name.", {"action": "type", "text": "alice"}),
    ("Click the password field.", {"action": "left_click", "coordinate": [500, 400]}),
    ("Type the password.", {"action": "type", "text": "secret"}),
    ("Click Sign in.", {"action": "left_click", "coordinate": [500, 500]}),
]


def ref(name: str) -> str:
    return (REF / name).read_text(encoding="utf-8")


def config(model: str = "Qwen/Qwen3-VL-8B-Instruct", **options: object) -> QwenPolicyConfig:
    return QwenPromptOptions.model_validate(options).policy_config(model)


def style(**options: object):  # type: ignore[no-untyped-def]
    c = config(**options)
    return make_style(c.style, c.prompt, c.template)


def shot(n: int, size: tuple[int, int] = (1280, 800)) -> Image.Image:
    return Image.new("RGB", size, (n, 0, 0))


def observation(
    caps: Capabilities = DESKTOP, size: tuple[int, int] = (1280, 800), n: int = 0, **extra: object
) -> Observation:
    return Observation(
        screenshot=shot(n, size),
        geometry=ScreenGeometry.simple(*size),
        capabilities=caps,
        **extra,  # type: ignore[arg-type]
    )


def transcript(messages: tuple[ChatMessage, ...]) -> str:
    """Messages as the reference harness printed them: images named ``shotN`` by colour."""
    out = []
    for m in messages:
        body = "".join(
            f"<image shot{p.image.getpixel((0, 0))[0]}>" if isinstance(p, ImagePart) else p.text
            for p in m.parts
        )
        out.append(f"=== {m.role}\n{body}")
    return "\n".join(out) + "\n"


def osworld_history() -> list[HistoryStep]:
    steps = []
    for i, (action, args) in enumerate(OSWORLD_ANSWERS):
        raw = (
            f"Action: {action}\n<tool_call>\n"
            + json.dumps({"name": "computer_use", "arguments": args})
            + "\n</tool_call>"
        )
        act = (
            TypeText(text="x")
            if args["action"] == "type"
            else Click(at=Point(x=1, y=1, space=CoordSpace.REL999))
        )
        steps.append(HistoryStep(index=i, raw=raw, actions=(act,), screenshot=shot(i)))
    return steps


def test_cookbook_computer_use_first_step_is_the_cookbook() -> None:
    s = style()
    obs = observation(size=(2560, 1440))
    prompt = s.build("open the first issue", obs)
    system, user = prompt.messages
    assert system.role == "system" and system.text_content() == ref("cookbook_computer_use_system.txt")
    # the screenshot first, then the query as written; native size (Qwen's processor keeps 2560x1440)
    assert [type(p) for p in user.parts] == [ImagePart, TextPart]
    assert user.parts[0].size == (2560, 1440)  # type: ignore[union-attr]
    assert user.text_content() == "open the first issue"
    wire = to_openai_messages(prompt.messages, encode=lambda img: "IMG")
    assert wire[0] == {"role": "system", "content": ref("cookbook_computer_use_system.txt")}
    assert wire[1]["content"] == [
        {"type": "image_url", "image_url": {"url": "IMG"}},
        {"type": "text", "text": "open the first issue"},
    ]
    assert prompt.mapper.display.width == 1000 and prompt.mapper.convention.value == "rel1000"


def test_mobile_use_is_the_mobile_notebook() -> None:
    s = style()
    step = HistoryStep(
        index=0,
        raw='Thought: Open X.\nAction: "I opened the X app from the home screen."\n<tool_call>\n'
        '{"name": "mobile_use", "arguments": {"action": "open", "text": "X"}}\n</tool_call>',
        actions=(Click(at=Point(x=1, y=1, space=CoordSpace.REL999)),),
        screenshot=shot(1, (1440, 3120)),
    )
    obs = observation(PHONE, size=(1440, 3120), n=2)
    prompt = s.build("Search for Musk in X and go to his homepage to open the first post.", obs, (step,))
    system, user = prompt.messages
    assert system.text_content() == ref("mobile_notebook_system.txt")
    # the text first, then the screenshot; no earlier screenshot
    assert [type(p) for p in user.parts] == [TextPart, ImagePart]
    assert user.parts[0].text == ref("mobile_notebook_user.txt")  # type: ignore[union-attr]
    assert prompt.mapper.display.width == 999


def test_the_mobile_notebook_answer_lands_where_the_notebook_draws_it() -> None:
    s = style()
    obs = observation(PHONE, size=(1440, 3120))
    prompt = s.build("Search for Musk", obs)
    parsed = parse_response(ref("mobile_notebook_answer.txt"))
    (action,) = to_actions(parsed.calls, MapContext(mapper=prompt.mapper, tools=prompt.tools))
    assert isinstance(action, Click)
    px = convert(action.at, CoordSpace.IMAGE, obs.geometry)
    # the notebook: rescale_coordinates -> round(447 / 999 * 1440), round(81 / 999 * 3120)
    assert (round(px.x), round(px.y)) == (644, 253)


def test_osworld_first_step_and_history_are_the_agents() -> None:
    s = style(prompt="osworld")
    first = s.build("Sign in as alice", observation(n=0))
    assert first.messages[0].text_content() == ref("osworld_system.txt")
    assert transcript(first.messages) == ref("osworld_first_step.txt")
    sixth = s.build("Sign in as alice", observation(n=5), osworld_history())
    assert transcript(sixth.messages) == ref("osworld_history.txt")
    # OSWorld announces 1000x1000 and divides by 999
    assert first.mapper.display.width == 1000 and first.mapper.convention.space is CoordSpace.REL999


def test_extras_follow_the_reference_content_and_can_be_turned_off() -> None:
    obs = observation(BROWSER, url="http://127.0.0.1/login")
    feedback = (Feedback(kind="action_error", message="the click hit nothing"),)
    plain = style(prompt_extras=False, secrets="PIN").build("open the first issue", obs, (), feedback)
    assert plain.messages[0].text_content() == ref("cookbook_computer_use_system.txt")
    assert plain.messages[1].text_content() == "open the first issue" and plain.tools == ("computer_use",)
    extra = style(secrets="PIN").build("open the first issue", obs, (), feedback)
    system = extra.messages[0].text_content()
    assert extra.tools == ("computer_use", "browser_use")
    head = ref("cookbook_computer_use_system.txt").split("\n</tools>")[0]
    assert system.startswith(head + '\n{"type": "function", "function": {"name": "browser_use"')
    assert system.endswith("Available secrets: PIN.")
    user = extra.messages[1]
    assert user.parts[1].text == "open the first issue"  # type: ignore[union-attr]
    assert "The previous action failed: the click hit nothing" in user.parts[2].text  # type: ignore[union-attr]
    assert "Current URL: http://127.0.0.1/login" in user.parts[2].text  # type: ignore[union-attr]


def test_cookbook_history_continues_as_a_function_calling_conversation() -> None:
    s = style(history_images=2)
    prompt = s.build("Sign in as alice", observation(n=5), osworld_history())
    # pinned: each answer, then its screen as a <tool_response>; older screens left out
    assert (
        transcript(prompt.messages).split("=== user", 1)[1] == (GOLDEN / "cookbook_history.txt").read_text()
    )
    assert prompt.image_count == 3
