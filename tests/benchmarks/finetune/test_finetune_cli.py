"""``screenpilot export finetune|grounding`` from the command line, and what grounding writes."""

from __future__ import annotations

import json
import math

import pytest
from PIL import Image

from screenpilot.app.cli.main import main
from screenpilot.benchmarks.grounding.dataset import load_samples
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.model.coords import CoordConvention, CoordinateMapper
from screenpilot.model.qwen.grounder import read_location
from screenpilot.tools.points import Box, Point
from tests.benchmarks.finetune.recipe import build_messages
from tests.benchmarks.finetune.runs import CANARY

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_export_finetune_prints_its_report(recorded, tmp_path, capsys):
    out = tmp_path / "set"
    argv = ["export", "finetune", str(recorded["miniwob"]), str(recorded["workflow"]), "--out", str(out)]
    assert main([*argv, "--format", "chat", "--max-per-task", "2", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["samples"]["train"] + report["samples"]["val"] > 0
    assert report["dropped"]["capped"] > 0
    assert (out / "train.jsonl").is_file() and (out / "meta.jsonl").is_file()
    assert main([*argv, "--val-fraction", "0"]) == 0
    text = capsys.readouterr().out
    assert "samples (train" in text and "val 0 from 0 tasks" in text and f"MB in {out}" in text
    assert json.loads((out / "export.json").read_text())["settings"]["format"] == "qwen-vl"


def test_export_without_runs_is_a_usage_error(tmp_path, capsys):
    assert main(["export", "finetune", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "holds no run" in capsys.readouterr().err
    assert main(["export", "finetune", str(tmp_path), "--out", str(tmp_path), "--val-fraction", "1"]) == 2


def test_grounding_samples_read_back_as_screenspot_and_as_qwen_answers(recorded, tmp_path, capsys):
    out = tmp_path / "grounding"
    qwen = recorded["qwen"]
    argv = ["export", "grounding", str(recorded["miniwob"]), str(recorded["workflow"]), str(qwen.success)]
    assert main([*argv, "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    samples = load_samples(out)
    assert len(samples) == report["targets"] > 0
    labels = {s.instruction for s in samples}
    assert {"Username", "Password", "Sign in"} <= labels
    for s in samples:
        with Image.open(s.image) as img:
            x0, y0, x1, y1 = s.box
            assert 0 <= x0 < x1 <= img.width and 0 <= y0 < y1 <= img.height
    assert s.platform == "web"
    records = json.loads((out / "qwen_grounding.json").read_text(encoding="utf-8"))
    assert len(records) == report["samples"] == 2 * report["targets"]
    by_id = {s.sample_id: s for s in samples}
    checked = 0
    for item in records:
        messages = build_messages(item, out)
        assert [m["role"] for m in messages] == ["user", "assistant"]
        sample_id, _, mode = item["id"].rpartition(":")
        target = by_id[sample_id]
        assert messages[0]["content"][1]["text"].endswith(f"Description: {target.instruction}")
        with Image.open(out / item["image"]) as img:
            seen = Size(width=img.width, height=img.height)
        with Image.open(target.image) as shot:
            geometry = ScreenGeometry.simple(shot.width, shot.height)
        mapper = CoordinateMapper(CoordConvention.REL1000, geometry, seen)
        found = read_location(item["conversations"][1]["value"], mapper)
        assert isinstance(found, Box if mode == "bbox" else Point)
        checked += _close(found, target.box, geometry)
    assert checked == len(records)
    for path in out.rglob("*"):
        assert not path.is_file() or CANARY.encode() not in path.read_bytes()


def _close(found: Point | Box, box: tuple[float, float, float, float], geometry: ScreenGeometry) -> int:
    """1 when ``found`` (relative 0..1000) lies within a pixel of the recorded box or its centre."""
    scale_x, scale_y = geometry.image_size.width / 1000, geometry.image_size.height / 1000
    if isinstance(found, Box):
        got = (found.x0 * scale_x, found.y0 * scale_y, found.x1 * scale_x, found.y1 * scale_y)
        assert all(abs(a - b) <= 1.0 for a, b in zip(got, box, strict=True)), (got, box)
    else:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        assert math.hypot(found.x * scale_x - cx, found.y * scale_y - cy) <= 1.0
    return 1
