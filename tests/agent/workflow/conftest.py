from collections.abc import Callable
from pathlib import Path

import pytest

from agent.secrets import SecretStore
from agent.workflow import LoadedWorkflow, WorkflowRunner, load_workflow
from environments.fake import FakeConfig, FakeEnvironment
from environments.observation import Observation
from tools.errors import ModelOutputError
from tools.points import Box, Point

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "workflows"


class ScriptedGrounder:
    """A grounding model for tests: answers from a function of (observation, description)."""

    def __init__(self, answer: Callable[[Observation, str], Point | Box | None]) -> None:
        self.answer = answer
        self.queries: list[str] = []

    def locate(self, observation: Observation, description: str) -> Point | Box:
        self.queries.append(description)
        where = self.answer(observation, description)
        if where is None:
            raise ModelOutputError(f"nothing like {description!r}")
        return where


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
