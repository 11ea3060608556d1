"""``screenpilot.run()``: the short Python entry point takes ``str`` or ``Path`` everywhere."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

import screenpilot
from screenpilot import demo_page, run
from screenpilot.tools.errors import ConfigError, ModelTransportError


def test_fake_environment_with_str_and_path_output_dirs(tmp_path, monkeypatch):
    task = 'type "alice" into Username, type "wonderland" into Password and click Sign in'
    monkeypatch.chdir(tmp_path)
    result = run(task, env="fake")  # out_dir "runs" as a str, relative to the working directory
    assert result.status == "success", result.reason
    assert result.run_dir is not None and result.run_dir.parent == Path("runs")
    again = run(task, env="fake", out_dir=tmp_path / "other", max_steps=2)
    assert again.status == "truncated" and again.run_dir is not None
    assert again.run_dir.parent == tmp_path / "other"


@pytest.mark.slow
@pytest.mark.browser
def test_a_local_page_given_as_a_path_is_served_for_the_run(tmp_path):
    result = run(
        'type "ada" into User name, type "lovelace" into Password and click Sign in, '
        'then wait until "Welcome, ada" appears',
        url=demo_page("login.html"),
        out_dir=str(tmp_path),
    )
    assert result.status == "success", result.reason


def test_mistakes_are_the_projects_errors(tmp_path):
    with pytest.raises(ConfigError, match="did you mean 'offline'"):
        run("x", env="fake", policy="ofline", out_dir=None)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/v1"
    with pytest.raises(ModelTransportError, match=f"cannot reach the model server at {url}"):
        run("x", env="fake", endpoint=url, model="m", out_dir=None)


def test_the_api_is_typed_and_listed():
    assert {"run", "demo_page", "Agent", "AgentConfig", "create"} <= set(screenpilot.__all__)
    assert run.__annotations__["url"] == "str | Path | None"
    assert demo_page().name == "login.html" and demo_page().is_file()
