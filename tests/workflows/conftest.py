from collections.abc import Callable
from pathlib import Path

import pytest

from screenpilot.agent.secrets import SecretStore
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.workflows import LoadedWorkflow, WorkflowRunner, load_workflow


@pytest.fixture
def write_workflow(tmp_path: Path) -> Callable[..., LoadedWorkflow]:
    def write(text: str, name: str = "flow.yaml") -> LoadedWorkflow:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return load_workflow(path)

    return write


@pytest.fixture
def make_runner(tmp_path: Path) -> Callable[..., WorkflowRunner]:
    def make(env: FakeEnvironment, **kwargs: object) -> WorkflowRunner:
        kwargs.setdefault("secrets", SecretStore({"password": "wonderland"}))
        kwargs.setdefault("out_dir", tmp_path / "runs")
        return WorkflowRunner(env, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def env() -> FakeEnvironment:
    return FakeEnvironment(FakeConfig())
