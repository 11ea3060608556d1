"""``screenpilot ask VIDEO_OR_RUN "question"``: ask Qwen3-VL about a run's video."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "ask",
        help="ask a served Qwen3-VL about a run or a video",
        description="Sample a run (or an MP4) to Qwen3-VL's frame and pixel budget, send it as a "
        "video to an OpenAI-compatible server (vLLM), and print the answer with each time it "
        "mentions mapped to the run's step.",
        epilog="examples:\n  screenpilot ask runs/latest 'when did the error dialog appear?' \\\n"
        "      --endpoint http://127.0.0.1:8000/v1 --model Qwen/Qwen3-VL-8B-Instruct --json\n",
    )
    p.add_argument("source", type=Path, metavar="VIDEO_OR_RUN", help="a run directory or an MP4 file")
    p.add_argument("question", help="what to ask, e.g. 'when did the error dialog appear?'")
    p.add_argument("--endpoint", required=True, help="OpenAI-compatible base URL (…/v1)")
    p.add_argument("--model", required=True, help="model name as the server knows it")
    p.add_argument("--api-key-env", metavar="VAR", help="read the API key from this environment variable")
    p.add_argument("--fps", type=float, default=2.0, help="frames per second to sample")
    p.add_argument("--max-frames", type=int, default=64, help="most frames to send")
    p.add_argument("--max-tokens-per-frame", type=int, default=768, help="visual tokens per frame, at most")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the answer")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    import os

    from screenpilot.app.video.ask import ask_video
    from screenpilot.model.backends.openai_http import OpenAIBackendConfig
    from screenpilot.model.backends.video_http import VideoChatBackend
    from screenpilot.model.qwen.video_input import VideoBudget
    from screenpilot.tools.errors import ConfigError

    key = "EMPTY"
    if args.api_key_env:
        if args.api_key_env not in os.environ:
            raise ConfigError(f"--api-key-env {args.api_key_env}: the environment variable is not set")
        key = os.environ[args.api_key_env]
    if not args.source.exists():
        raise ConfigError(f"{args.source} does not exist")
    backend = VideoChatBackend(
        OpenAIBackendConfig(base_url=args.endpoint, model=args.model, api_key=key, timeout_s=args.timeout)
    )
    budget = VideoBudget(fps=args.fps, max_frames=args.max_frames, max_tokens=args.max_tokens_per_frame)
    got = ask_video(args.source, args.question, backend, budget)
    if args.json:
        print(json.dumps(got.model_dump(mode="json"), ensure_ascii=False, indent=1))
        return 0
    print(got.answer.strip())
    for ref in got.times:
        where = f"step {ref.step + 1}" if ref.step is not None else "no step"
        print(f"  {ref.t:g} s -> {where}")
    print(f"({got.frames} frames at {got.fps:.3g} fps, {got.size[0]}x{got.size[1]}, from {got.source})")
    return 0
