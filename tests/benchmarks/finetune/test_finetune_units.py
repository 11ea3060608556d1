"""The export's choices on runs of the fake environment (no browser): unmeasured effects,
secrets, the per-task cap and the split by task."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.secrets import SecretStore
from screenpilot.benchmarks.finetune.export import (
    FinetuneExportConfig,
    cap_per_task,
    export_finetune,
    split_tasks,
)
from screenpilot.benchmarks.finetune.sample import Sample, SampleMeta, Turn
from screenpilot.environments.fake import FakeEnvironment
from screenpilot.environments.geometry import ScreenGeometry, Size
from screenpilot.model.coords import CoordConvention
from screenpilot.model.scripted import ScriptedPolicy
from screenpilot.tools.actions import Click, KeyPress, Terminate, TypeText
from screenpilot.tools.errors import ConfigError
from screenpilot.tools.points import CoordSpace, Point
from tests.benchmarks.finetune.helpers import every_file, metas

SECRET = "fake-canary-93b1"


def _rel(x: float, y: float) -> Point:
    return Point(x=x, y=y, space=CoordSpace.REL1000)


@pytest.fixture(scope="module")
def fake_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A successful sign-in on the fake app (it records no effects) and a failed one."""
    runs = tmp_path_factory.mktemp("fake-runs")
    script = [
        Click(at=_rel(500, 326)),
        TypeText(text="alice"),
        KeyPress(keys=("tab",)),
        TypeText(text=SECRET),  # typed in plain: the record holds [secret:password]
        KeyPress(keys=("enter",)),
        Terminate(status="success"),
    ]
    config = AgentConfig(settle_timeout_s=0)
    secrets = SecretStore({"password": SECRET})
    for items in (script, [Terminate(status="failure")]):
        Agent(FakeEnvironment(), ScriptedPolicy(items), config, secrets=secrets, out_dir=runs).run("Sign in")
    return runs


def test_unmeasured_steps_stay_out_unless_allowed(fake_runs, tmp_path):
    strict = export_finetune([fake_runs], FinetuneExportConfig(out=tmp_path / "strict"))
    assert strict.dropped == {"unmeasured": 5}  # all but the final terminate
    assert strict.runs_skipped == {"unsuccessful": 1}
    loose = export_finetune([fake_runs], FinetuneExportConfig(out=tmp_path / "loose", allow_unmeasured=True))
    assert loose.total == 6 and loose.dropped == {}
    answers = [json.loads(line) for line in (tmp_path / "loose" / "meta.jsonl").read_text().splitlines()]
    assert [m["step"] for m in answers] == list(range(6))


def test_a_secret_typed_in_plain_text_becomes_its_reference(fake_runs, tmp_path):
    out = tmp_path / "set"
    export_finetune([fake_runs], FinetuneExportConfig(out=out, allow_unmeasured=True, format="chat"))
    for path in every_file(out):
        assert SECRET.encode() not in path.read_bytes(), path
    lines = [json.loads(line) for line in (out / "train.jsonl").read_text().splitlines()]
    typed = [m for m in lines if '"text": "{{secret:password}}"' in m["messages"][-1]["content"]]
    assert len(typed) == 1
    assert "{{secret:NAME}}" in typed[0]["messages"][0]["content"]  # the secrets note tells how
    assert all(m["secrets"] == ["password"] for m in metas(out).values())


def test_bad_prompt_options_are_a_config_error(fake_runs, tmp_path):
    with pytest.raises(ConfigError, match="coords"):
        export_finetune([fake_runs], FinetuneExportConfig(out=tmp_path, prompt={"coords": "polar"}))


def _sample(task: str, run: int, step: int) -> Sample:
    meta = SampleMeta(
        run_dir=f"r{run}",
        step=step,
        screenshot="0" * 64,
        geometry=ScreenGeometry.simple(10, 10),
        model_image=Size(width=32, height=32),
        convention=CoordConvention.REL1000,
        tools=("computer_use",),
        actions=(Terminate(),),
    )
    return Sample(
        id=f"{task}-{run}-{step}", task_key=task, turns=(Turn(role="user", parts=()),), answer="", meta=meta
    )


def test_the_cap_takes_samples_from_every_run_in_turn():
    runs = [[_sample("a", r, s) for s in range(n)] for r, n in enumerate((5, 1, 2))] + [[_sample("b", 9, 0)]]
    kept, left_out = cap_per_task(runs, 4)
    # one from each run of "a", then a second from the longest, kept in run order
    assert [s.id for s in kept] == ["a-0-0", "a-0-1", "a-1-0", "a-2-0", "b-9-0"]
    assert left_out == 4
    assert cap_per_task(runs, None) == ([s for r in runs for s in r], 0)


def test_the_split_holds_out_whole_tasks_by_a_seeded_hash():
    tasks = [f"miniwob/task-{i}" for i in range(20)]
    val = split_tasks(tasks, 0.1, seed=0)
    assert len(val) == 2 and val <= set(tasks)
    assert split_tasks(tasks, 0.1, seed=0) == val != split_tasks(tasks, 0.1, seed=1)
    assert split_tasks(["a", "b"], 0.1, seed=0) and len(split_tasks(["a", "b"], 0.9, seed=0)) == 1
    assert split_tasks(["a"], 0.5, seed=0) == set() == split_tasks(tasks, 0.0, seed=0)
