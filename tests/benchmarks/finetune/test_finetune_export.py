"""``export finetune`` on real runs: a MiniWoB++ benchmark solved by the offline policy, a
workflow and a scripted Qwen3-VL run, all recorded in Chromium by the session fixtures."""

from __future__ import annotations

import itertools
import json
import math
import shutil
from pathlib import Path

import pytest
from PIL import Image

from screenpilot.agent.trajectory.reader import load_run
from screenpilot.benchmarks.finetune.export import ExportReport, FinetuneExportConfig, export_finetune
from screenpilot.environments.geometry import ScreenGeometry, Size, to_screen_float
from screenpilot.environments.observation import image_digest
from screenpilot.model.imaging import resize_for_model, resized_size
from screenpilot.model.qwen.imaging import budget
from screenpilot.tools.actions import TypeText, parse_action, points_of
from screenpilot.tools.errors import ConfigError
from tests.benchmarks.finetune.helpers import answer_actions, chat_lines, entries, every_file, metas
from tests.benchmarks.finetune.recipe import build_messages
from tests.benchmarks.finetune.runs import CANARY, MINIWOB_TASKS, QwenRuns

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _sources(recorded: dict[str, object]) -> list[Path]:
    qwen = recorded["qwen"]
    assert isinstance(qwen, QwenRuns)
    return [recorded["miniwob"], recorded["workflow"], qwen.success, qwen.failure]  # type: ignore[list-item]


@pytest.fixture(scope="module")
def qwen_vl(
    recorded: dict[str, object], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, ExportReport]:
    out = tmp_path_factory.mktemp("qwen-vl")
    return out, export_finetune(_sources(recorded), FinetuneExportConfig(out=out, val_fraction=0.34))


@pytest.fixture(scope="module")
def chat(recorded: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExportReport]:
    out = tmp_path_factory.mktemp("chat")
    config = FinetuneExportConfig(out=out, format="chat", val_fraction=0.34)
    return out, export_finetune(_sources(recorded), config)


def test_every_kind_of_run_becomes_samples_and_failed_runs_none(qwen_vl, recorded):
    out, report = qwen_vl
    kinds = {"miniwob": 0, "workflow": 0, "qwen": 0}
    qwen = recorded["qwen"]
    for meta in metas(out).values():
        run = Path(meta["run_dir"])
        if run == qwen.success:
            kinds["qwen"] += 1
        elif run == recorded["workflow"]:
            kinds["workflow"] += 1
        else:
            assert recorded["miniwob"] in run.parents
            kinds["miniwob"] += 1
        assert run != qwen.failure
    assert all(n > 0 for n in kinds.values()), kinds
    assert report.runs_skipped == {"unsuccessful": 1}
    assert report.runs_used == report.runs - 1 == sum(MINIWOB_TASKS.values()) + 2
    # the qwen run: navigate, 4 field steps, submit, terminate; all verified
    assert kinds["qwen"] == 7
    assert (out / "export.json").is_file() and report.bytes > 0
    # what the replay relies on: benchmark steps measure effects, steps keep their tabs,
    # manifests say how the screen is operated
    episode = next((recorded["miniwob"] / "episodes").iterdir())
    clicks = [o for s in load_run(episode).steps for o in s["outcomes"] if o["action"]["action"] == "click"]
    assert clicks and all(o["effect"] is not None for o in clicks)
    run = load_run(qwen.success)
    assert run.manifest["input"] == "pointer"
    assert all(s["tabs"][0]["url"] == s["url"] for s in run.steps[1:])


def test_the_recipes_loader_accepts_every_entry(qwen_vl):
    out, report = qwen_vl
    found = entries(out)
    assert len(found) == report.total
    for _, item in found.values():
        messages = build_messages(item, out)
        roles = [m["role"] for m in messages]
        assert roles[0] == "user" and roles[-1] == "assistant"
        assert all(a != b for a, b in itertools.pairwise(roles)), roles  # turns alternate
        first = messages[0]["content"]
        assert first[0]["type"] == "text" and first[0]["text"].startswith("You are a helpful assistant.")
        assert "<tools>" in first[0]["text"]  # the system prompt opens the first human turn
        images = [p["image"] for m in messages for p in m["content"] if p["type"] == "image"]
        assert images and all(Path(p).is_file() for p in images)
        assert messages[-1]["content"][0]["text"].startswith("<tool_call>\n{")


def test_chat_jsonl_holds_the_same_samples_with_a_system_turn(qwen_vl, chat):
    vl = entries(qwen_vl[0])
    lines = chat_lines(chat[0])
    assert lines.keys() == vl.keys()
    for key, (split, line) in lines.items():
        assert split == vl[key][0]
        messages = line["messages"]
        assert messages[0]["role"] == "system" and "# Tools" in messages[0]["content"]
        assert messages[-1] == {"role": "assistant", "content": vl[key][1]["conversations"][-1]["value"]}
        parts = [p for m in messages if m["role"] == "user" for p in m["content"]]
        assert {p["type"] for p in parts} == {"image_url", "text"}
        urls = [p["image_url"]["url"] for p in parts if p["type"] == "image_url"]
        images = vl[key][1]["image"]
        assert urls == ([images] if isinstance(images, str) else images)
        assert all((chat[0] / u).is_file() for u in urls)


def test_images_are_the_size_the_policy_sends(qwen_vl):
    out, _ = qwen_vl
    found = entries(out)
    for key, meta in metas(out).items():
        image = found[key][1]["image"]
        current = image if isinstance(image, str) else image[-1]
        geometry = ScreenGeometry.model_validate(meta["geometry"])
        expected = resized_size(geometry.image_size, 32, budget("native"))
        with Image.open(out / current) as img:
            assert img.size == (expected.width, expected.height) == tuple(meta["model_image"].values())


def test_answers_land_within_a_pixel_of_the_recorded_action(qwen_vl):
    out, _ = qwen_vl
    found = entries(out)
    pointer_checks = 0
    for key, meta in metas(out).items():
        answer = found[key][1]["conversations"][-1]["value"]
        geometry = ScreenGeometry.model_validate(meta["geometry"])
        recorded = [parse_action(a) for a in meta["actions"]]
        parsed = [
            a for a in answer_actions(answer, meta) if a.action != "key" or recorded[-1].action == "key"
        ]
        assert [a.action for a in parsed] == [a.action for a in recorded], (answer, recorded)
        for want, got in zip(recorded, parsed, strict=True):
            for p, q in zip(points_of(want), points_of(got), strict=True):
                (x0, y0), (x1, y1) = to_screen_float(p, geometry), to_screen_float(q, geometry)
                assert math.hypot(x1 - x0, y1 - y0) <= 1.0, (answer, want)
                pointer_checks += 1
            if isinstance(want, TypeText):
                assert isinstance(got, TypeText) and (got.text, got.secret) == (want.text, want.secret)
    assert pointer_checks >= 10


def test_no_secret_reaches_any_exported_file(qwen_vl, chat):
    files = every_file(qwen_vl[0], chat[0])
    assert any(p.suffix == ".png" for p in files)
    for path in files:
        assert CANARY.encode() not in path.read_bytes(), path
    typed = [
        e for _, e in entries(qwen_vl[0]).values() if "{{secret:password}}" in e["conversations"][-1]["value"]
    ]
    assert len(typed) == 2  # the workflow's and the Qwen run's password step
    assert all("{{secret:NAME}}" in e["conversations"][0]["value"] for e in typed)  # the secrets note


def test_the_conversation_is_the_one_the_policy_sent(chat, recorded):
    """The Qwen run answered exactly as an export writes answers, so its prompts must come
    back verbatim: every turn's text, and every image pixel for pixel as the model saw it."""
    out, _ = chat
    qwen = recorded["qwen"]
    lines = chat_lines(out)
    by_step = {
        m["step"]: lines[k][1]["messages"][:-1]
        for k, m in metas(out).items()
        if Path(m["run_dir"]) == qwen.success
    }
    assert sorted(by_step) == list(range(len(qwen.requests))) == list(range(7))
    for step, messages in by_step.items():
        sent = qwen.requests[step].messages
        assert [m.role for m in sent] == [m["role"] for m in messages]
        for m, line in zip(sent, messages, strict=True):
            parts = line["content"] if isinstance(line["content"], list) else [{"text": line["content"]}]
            assert m.text_content() == "".join(p.get("text", "") for p in parts)
            urls = [p["image_url"]["url"] for p in parts if "image_url" in p]
            # the server rounds what the policy sent at its own size; the export rounds it
            as_seen = [resize_for_model(img, 32, budget("native")) for img in m.images]
            assert [image_digest(img) for img in as_seen] == [Path(u).stem for u in urls]


def test_tasks_are_wholly_in_train_or_validation(qwen_vl):
    out, report = qwen_vl
    split_of: dict[str, set[str]] = {}
    for meta in metas(out).values():
        split_of.setdefault(meta["task"], set()).add(meta["split"])
    assert all(len(s) == 1 for s in split_of.values()), split_of
    assert report.samples["val"] > 0 and report.samples["train"] > 0
    assert report.tasks["train"] + report.tasks["val"] == len(split_of)


def test_identical_screens_and_answers_are_kept_once_and_tasks_capped(recorded, tmp_path):
    report = export_finetune([recorded["miniwob"]], FinetuneExportConfig(out=tmp_path, max_per_task=1))
    found = metas(tmp_path)
    tasks = [m["task"] for m in found.values()]
    assert len(tasks) == len(set(tasks)) == len(MINIWOB_TASKS)
    assert report.dropped["capped"] > 0
    pairs = [
        (m["screenshot"], entries(tmp_path)[k][1]["conversations"][-1]["value"]) for k, m in found.items()
    ]
    assert len(pairs) == len(set(pairs))
    # nothing left in images/ that no sample uses
    used = {
        p
        for _, e in entries(tmp_path).values()
        for p in ([e["image"]] if isinstance(e["image"], str) else e["image"])
    }
    assert {f"images/{p.name}" for p in (tmp_path / "images").iterdir()} == used


def test_runs_recorded_without_geometry_are_refused(recorded, tmp_path):
    broken = tmp_path / "old-run"
    shutil.copytree(recorded["workflow"], broken)
    events = load_run(broken).events
    lines = [json.dumps({**e, "geometry": None} if e["type"] == "step" else e) for e in events]
    (broken / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="without its screen geometry"):
        export_finetune([broken], FinetuneExportConfig(out=tmp_path / "a"))
    report = export_finetune([broken, recorded["workflow"]], FinetuneExportConfig(out=tmp_path / "b"))
    assert report.runs_skipped == {"refused": 1} and report.total > 0


def test_model_images_match_a_smaller_budget_and_the_image_convention(recorded, tmp_path):
    qwen = recorded["qwen"]
    config = FinetuneExportConfig(out=tmp_path, prompt={"budget": "tiny", "coords": "image"})
    export_finetune([qwen.success], config)
    for key, meta in metas(tmp_path).items():
        assert meta["convention"] == "image"
        size = Size.model_validate(meta["model_image"])
        assert size.width * size.height <= 256 * 32 * 32
        answer = entries(tmp_path)[key][1]["conversations"][-1]["value"]
        geometry = ScreenGeometry.model_validate(meta["geometry"])
        for want, got in zip(map(parse_action, meta["actions"]), answer_actions(answer, meta), strict=False):
            for p, q in zip(points_of(want), points_of(got), strict=True):
                (x0, y0), (x1, y1) = to_screen_float(p, geometry), to_screen_float(q, geometry)
                # one pixel of the downscaled image is more than one screen pixel
                assert math.hypot(x1 - x0, y1 - y0) <= geometry.image_size.width / size.width
