"""``screenpilot ground IMAGE DESCRIPTION``: ask a model where an element is."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from screenpilot.app.cli.common import add_policy_arguments, policy_options
from screenpilot.app.cli.parsing import positive_float

DEFAULT_POLICY = "offline"

EXAMPLES = """\
examples:
  screenpilot ground shot.png "the Sign in button" --save marked.png     # the offline policy (OCR)
  screenpilot ground shot.png "the blue Submit button" --endpoint http://127.0.0.1:8000/v1 \\
      --model Qwen/Qwen3-VL-8B-Instruct --json
"""


def add_parser(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "ground",
        help="locate a described element in a screenshot",
        description="Ask a grounding-capable policy where DESCRIPTION is in IMAGE; prints the "
        "point (or box) in the model's space and in image pixels.",
        epilog=EXAMPLES,
    )
    p.add_argument("image", type=Path, help="screenshot file (PNG, JPEG...)")
    p.add_argument("description", help="the element, in plain words")
    p.add_argument("--scale-factor", type=positive_float, default=1.0, help="image pixels per logical pixel")
    p.add_argument("--save", type=Path, metavar="OUT", help="write the image with the location drawn")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    add_policy_arguments(p, default_policy=DEFAULT_POLICY)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from PIL import Image, UnidentifiedImageError

    from screenpilot.agent.registry import create
    from screenpilot.environments.capabilities import Capabilities
    from screenpilot.environments.geometry import ScreenGeometry, Size, box_to_space, to_image
    from screenpilot.environments.observation import Observation
    from screenpilot.model.policy import Grounder
    from screenpilot.tools.errors import ConfigError, ModelError
    from screenpilot.tools.points import Box, CoordSpace

    try:
        image = Image.open(args.image)
        image.load()
    except (OSError, UnidentifiedImageError) as e:
        raise ConfigError(f"cannot read image {args.image}: {e}") from None
    size = Size(width=image.width, height=image.height)
    logical = Size(
        width=round(image.width / args.scale_factor), height=round(image.height / args.scale_factor)
    )
    geometry = ScreenGeometry(image_size=size, logical_size=logical, scale_factor=args.scale_factor)
    observation = Observation(
        screenshot=image.convert("RGB"), geometry=geometry, capabilities=Capabilities.of_screenshot()
    )
    from screenpilot.app.cli.probe import probe_policy

    options = policy_options(args)
    probe_policy(options)
    policy = create("policies", args.policy, options)
    if not isinstance(policy, Grounder):
        raise ConfigError(f"policy {args.policy!r} cannot ground descriptions")
    try:
        found = policy.locate(observation, args.description)
    except ModelError as e:
        print(f"screenpilot: the model gave no usable location: {e}")
        return 1
    if isinstance(found, Box):
        pixels_box = box_to_space(found, CoordSpace.IMAGE, geometry)
        centre = to_image(found.center, geometry)
        out: dict[str, Any] = {
            "box": found.model_dump(mode="json"),
            "box_pixels": [round(v) for v in (pixels_box.x0, pixels_box.y0, pixels_box.x1, pixels_box.y1)],
            "pixel": list(centre),
        }
    else:
        centre = to_image(found, geometry)
        out = {"point": found.model_dump(mode="json"), "pixel": list(centre)}
    if args.save:
        _draw(image.convert("RGB"), centre, out.get("box_pixels"), args.save)
        out["saved"] = str(args.save)
    print(json.dumps(out) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


def _draw(image: Any, centre: tuple[int, int], box: list[int] | None, path: Path) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    r = max(6, min(image.size) // 60)
    x, y = centre
    if box:
        draw.rectangle(box, outline=(0, 160, 255), width=3)
    draw.ellipse([x - r, y - r, x + r, y + r], outline=(255, 0, 0), width=3)
    draw.line([x - 2 * r, y, x + 2 * r, y], fill=(255, 0, 0), width=2)
    draw.line([x, y - 2 * r, x, y + 2 * r], fill=(255, 0, 0), width=2)
    image.save(path)
