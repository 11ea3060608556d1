"""A model server that accepts the connection and never answers: the run gives up on a
bounded schedule and says, while it waits, that it is waiting."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.app.cli.main import main
from screenpilot.environments.fake import FakeEnvironment

MODELS = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"data":[]}'


@pytest.fixture(scope="module")
def silent() -> Iterator[str]:
    """``http://127.0.0.1:PORT/v1`` of a server that lists its models (so the CLI's probe
    finds it up) but accepts every completion request and says nothing."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            if conn.recv(4096).startswith(b"GET "):
                conn.sendall(MODELS)
                conn.close()
            else:
                held.append(conn)  # kept open, never answered

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    sock.close()
    for conn in held:
        conn.close()


def test_defaults_give_up_within_about_a_minute() -> None:
    config = AgentConfig()
    assert config.retry.give_up_s <= 60 and config.model_timeout_s <= config.retry.give_up_s
    assert config.retry.say_every_s <= 15


def test_silent_server_gives_up_on_schedule_and_says_it_waits(silent: str, tmp_path: Path) -> None:
    policy = create("policies", "qwen3vl", {"endpoint": silent, "model": "m", "timeout_s": 30})
    retry = RetryConfig(give_up_s=2.0, say_every_s=0.4, base_s=0.05, max_s=0.1)
    config = AgentConfig(max_steps=3, model_timeout_s=1.2, retry=retry)
    said: list[str] = []
    started = time.monotonic()
    result = Agent(FakeEnvironment(), policy, config, out_dir=tmp_path, on_wait=[said.append]).run("t")
    elapsed = time.monotonic() - started
    assert result.status == "error" and "ModelTimeout" in result.reason
    assert "gave up after 2 attempts" in result.reason
    assert elapsed < retry.give_up_s + 1.5
    assert any("waiting for the model" in s for s in said)
    assert any("retrying in" in s for s in said)


def test_cli_prints_that_it_is_waiting(
    silent: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["run", "do something", "--env", "fake", "--policy", "qwen3vl", "-P", f"endpoint={silent}"]
    args += ["-P", "model=m", "--model-timeout", "0.3", "--out", str(tmp_path)]
    started = time.monotonic()
    code = main(args)
    out = capsys.readouterr()
    assert time.monotonic() - started < 15
    assert code != 0
    assert "retrying in" in out.err and "Traceback" not in out.err
    assert "ModelTimeout" in out.out
