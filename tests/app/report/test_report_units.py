"""Marks, step views, run discovery, the progress bar and the UI's input checks."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from screenpilot.agent.progress import Progress
from screenpilot.app.report.action_marks import action_marks, target_marks
from screenpilot.app.report.discover import find_episodes
from screenpilot.app.report.steps import step_view
from screenpilot.app.ui.browse import resolve_inside
from screenpilot.app.ui.grounding import decode_image
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.tools.actions import Click, Drag, Swipe, TypeText
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.points import Box, CoordSpace, Point

HIDPI = ScreenGeometry.simple(800, 600, scale_factor=2.0)  # image 1600 x 1200


def test_relative_click_maps_to_image_pixels() -> None:
    (mark,) = action_marks(Click(at=Point(x=250, y=500, space=CoordSpace.REL1000)), HIDPI)
    assert mark.kind == "point" and mark.points == ((400.0, 600.0),)


def test_screen_click_with_monitor_offset_maps_to_image_pixels() -> None:
    g = ScreenGeometry(
        image_size=Size(width=1000, height=500), logical_size=Size(width=2000, height=1000), offset_x=1920
    )
    (mark,) = action_marks(Click(at=Point(x=1920 + 400, y=100)), g)
    assert mark.points == ((200.0, 50.0),)


def test_out_of_range_points_yield_no_mark() -> None:
    assert action_marks(Click(at=Point(x=1200, y=10, space=CoordSpace.REL1000)), HIDPI) == []


def test_paths_boxes_and_unlocated_actions() -> None:
    drag = Drag(path=(Point(x=0, y=0), Point(x=400, y=300), Point(x=800, y=600)))
    (mark,) = action_marks(drag, HIDPI, ok=False)
    assert mark.kind == "path" and mark.points[-1] == (1600.0, 1200.0) and not mark.ok
    (swipe,) = action_marks(Swipe(start=Point(x=10, y=10), end=Point(x=10, y=500)), HIDPI)
    assert swipe.points == ((20.0, 20.0), (20.0, 1000.0))
    assert action_marks(TypeText(text="hi"), HIDPI) == []
    (box,) = target_marks(Box(x0=10, y0=20, x1=30, y1=40), HIDPI)
    assert box.kind == "box" and box.points == ((20.0, 40.0), (60.0, 80.0))


def test_step_view_without_geometry_falls_back_to_the_image_size() -> None:
    event = {
        "type": "step",
        "index": 0,
        "screenshot": "abc",
        "outcomes": [{"action": {"action": "click", "at": {"x": 5, "y": 6, "space": "screen"}}, "ok": True}],
    }
    view = step_view(event, image_size=(100, 50))
    assert view.approximate and view.marks[0].points == ((5.0, 6.0),)
    assert view.actions[0].text == "click(at=(5, 6))"


def test_step_seconds_leave_out_the_settle_counts_and_old_steps_read_without_them() -> None:
    from screenpilot.agent.result import StepEvent

    times = {"act_s": 0.25, "settle_s": 0.5, "settle_checks": 40, "settle_timeouts": 1}
    assert step_view({"index": 0, "times": times}, None).seconds == 0.75
    old = StepEvent.model_validate({"index": 0, "times": {"act_s": 0.25, "settle_s": 0.5}})
    assert old.times.settle_checks == 0 and old.times.settle_timeouts == 0


def test_step_view_keeps_unknown_actions_as_text() -> None:
    event = {"index": 2, "outcomes": [{"action": {"action": "teleport"}, "ok": False, "message": "no"}]}
    view = step_view(event, None)
    assert view.marks == () and not view.ok and "teleport" in view.actions[0].text


def test_find_episodes_merges_results_rows(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / "runs" / name).mkdir(parents=True)
        (tmp_path / "runs" / name / "manifest.json").write_text("{}")
    (tmp_path / "results.jsonl").write_text(json.dumps({"run_dir": "runs/b", "success": True}) + "\n")
    eps = find_episodes(tmp_path)
    assert [e.run_dir.name for e in eps] == ["a", "b"]
    assert eps[0].result_row == {} and eps[1].result_row["success"] is True


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_progress_in_ci_logs_prints_every_ten_percent_and_on_time() -> None:
    out, clock = io.StringIO(), Clock()
    bar = Progress(total=40, desc="bench", stream=out, every_percent=10, every_seconds=30, clock=clock)
    for i in range(40):
        clock.t += 0.1
        bar.update(ok=i % 10 != 0, note=f"task{i}")
    bar.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 10  # 10 %, 20 %, ... 100 %; the final state is not repeated
    assert "\r" not in out.getvalue()
    assert lines[0].startswith("bench 4/40  10%") and lines[-1].startswith("bench 40/40 100% 4 failed")
    slow, clock2 = io.StringIO(), Clock()
    bar2 = Progress(total=1000, stream=slow, every_percent=50, every_seconds=30, clock=clock2)
    clock2.t = 31
    bar2.update()
    assert "1/1000" in slow.getvalue() and "ETA" in slow.getvalue()


def test_progress_on_a_terminal_redraws_in_place() -> None:
    out, clock = io.StringIO(), Clock()
    with Progress(total=4, stream=out, tty=True, width=4, clock=clock) as bar:
        for _ in range(4):
            clock.t += 1
            bar.update()
    text = out.getvalue()
    assert text.count("\r") == 4 and text.endswith("\n")
    assert "[####] 4/4 100%" in text


def test_progress_without_total_counts() -> None:
    out = io.StringIO()
    with Progress(stream=out, desc="steps") as bar:
        bar.update(3)
    assert out.getvalue().startswith("steps 3 ")


def test_decode_image_accepts_data_urls_and_rejects_junk() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (7, 5), "red").save(buf, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    assert decode_image(url).size == (7, 5)
    with pytest.raises(ConfigError):
        decode_image("not base64!")
    with pytest.raises(ConfigError):
        decode_image(base64.b64encode(b"plain text").decode())


def test_resolve_inside_refuses_to_leave_the_runs_directory(tmp_path: Path) -> None:
    (tmp_path / "runs" / "r1").mkdir(parents=True)
    assert resolve_inside(tmp_path / "runs", "r1") == (tmp_path / "runs" / "r1").resolve()
    with pytest.raises(ConfigError):
        resolve_inside(tmp_path / "runs", "../runs/../..")


def test_cli_start_up_does_not_import_the_ui_stack() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from screenpilot.app.cli.main import build_parser; build_parser(); "
        "heavy = ('starlette', 'uvicorn', 'playwright', 'screenpilot.app.ui.app'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
