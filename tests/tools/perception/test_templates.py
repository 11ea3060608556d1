"""Multi-scale template matching."""

from __future__ import annotations

from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.tools.perception.shapes import find_shapes
from screenpilot.tools.perception.templates import TemplateConfig, iou, match_template
from screenpilot.tools.points import Box, CoordSpace


def test_finds_a_cut_out_button_at_another_scale() -> None:
    shot = FakeEnvironment(FakeConfig()).reset().screenshot
    button = Box(x0=250, y0=350, x1=390, y1=390, space=CoordSpace.IMAGE)  # "Sign in"
    template = shot.crop((250, 350, 390, 390))
    bigger = template.resize((175, 50))  # as if cut from a 1.25x screen
    found = match_template(shot, bigger, TemplateConfig(min_score=0.7), label="sign in")
    assert found
    assert found[0].source == "template"
    assert iou(found[0].box, button) > 0.7


def test_no_match_returns_nothing() -> None:
    shot = FakeEnvironment(FakeConfig()).reset().screenshot
    from PIL import Image, ImageDraw

    odd = Image.new("RGB", (40, 40), "white")
    ImageDraw.Draw(odd).ellipse((5, 5, 35, 35), fill=(255, 0, 255))
    assert match_template(shot, odd, TemplateConfig(min_score=0.9)) == []


def test_outlines_find_fields_and_checkboxes() -> None:
    shot = FakeEnvironment(FakeConfig()).reset().screenshot
    shapes = find_shapes(shot)
    fields = [s.box for s in shapes if s.kind == "field"]
    boxes = [s.box for s in shapes if s.kind == "checkbox"]
    username = Box(x0=250, y0=178, x1=550, y1=214, space=CoordSpace.IMAGE)
    assert any(iou(f, username) > 0.8 for f in fields)
    assert any(b.x0 < 280 and 305 < b.center.y < 340 for b in boxes)
