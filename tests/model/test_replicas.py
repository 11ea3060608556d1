"""Several replicas of one model: three real servers on 127.0.0.1, one dies, one is slow."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from screenpilot.agent.config import AgentConfig, RetryConfig
from screenpilot.agent.loop import Agent
from screenpilot.agent.registry import create
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.app.cli.common import add_policy_arguments, policy_options
from screenpilot.environments.fake import FakeConfig, FakeEnvironment
from screenpilot.model.backends.base import ChatMessage, ChatRequest
from screenpilot.model.backends.replicas import ReplicaPool
from screenpilot.model.http_options import HTTPOptions
from screenpilot.tools.errors import ConfigError, ModelTransportError
from tests.model.oracle import Oracle
from tests.model.qwen_server import QwenTestServer, Reply, Request
from tests.model.test_qwen_http import PASSWORD, login_plan

SLOW_S = 0.4


def slowed(responder, seconds):
    def answer(request: Request) -> Reply | str:
        time.sleep(seconds)
        return responder(request)

    return answer


def served(servers) -> Counter:
    return Counter({s.url: len(s.requests) for s in servers})


def test_agent_run_survives_a_dead_replica_and_avoids_the_slow_one(tmp_path: Path, caplog) -> None:
    env = FakeEnvironment(FakeConfig())
    oracle = Oracle(login_plan(env), (env.app.width, env.app.height))
    fast = QwenTestServer(oracle)
    slow = QwenTestServer(slowed(oracle, SLOW_S))
    doomed = QwenTestServer(oracle)
    with fast, slow:
        doomed.__enter__()
        policy = create(
            "policies",
            "qwen3vl",
            {
                "endpoint": f"{doomed.url},{slow.url},{fast.url}",
                "model": "Qwen/Qwen3-VL-8B-Instruct",
                "secrets": "PASSWORD",
                "replica_backoff_s": 30,
            },
        )

        def kill_after_first_step(event) -> None:
            if event.index == 0:
                doomed.__exit__(None, None, None)

        agent = Agent(
            env,
            policy,
            AgentConfig(max_steps=12, settle_timeout_s=0, retry=RetryConfig(base_s=0.01, max_s=0.05)),
            secrets=SecretStore({"PASSWORD": PASSWORD}),
            out_dir=tmp_path,
            on_step=[kill_after_first_step],
        )
        with caplog.at_level(logging.INFO, logger="screenpilot.model.backends.replicas"):
            result = agent.run("Sign in as alice")
    env.close()

    assert result.status == "success", result.reason
    assert [s.errors for s in (fast, slow, doomed)] == [[], [], []]
    # No step failed: the agent never saw a transport error, the pool failed over instead.
    run = load_run(result.run_dir)
    assert not [e for e in run.events if e["type"] == "model_retry"]
    usage = result.usage
    assert sum(usage.endpoints.values()) == usage.calls == len(run.steps)
    assert usage.failovers == 1  # the one request that found the dead replica
    assert usage.endpoints.get(doomed.url, 0) == len(doomed.requests) >= 1
    # The slow replica answered once (when every replica was still untried), then the fast one took over.
    assert len(slow.requests) == 1 and usage.endpoints[fast.url] >= usage.calls - 2
    assert any("is out for 30.0s" in r.getMessage() and doomed.url in r.getMessage() for r in caplog.records)
    assert run.result["usage"]["endpoints"] == usage.endpoints


def echo(request: Request) -> Reply:
    return Reply(content="ok")


def ask(pool: ReplicaPool) -> str:
    request = ChatRequest(messages=(ChatMessage.text("user", "hello"),), max_tokens=8)
    return pool.complete(request).text


def test_concurrent_load_shifts_away_from_the_slow_replica_and_the_dead_one(caplog) -> None:
    fast = QwenTestServer(echo, expect_tool=None)
    slow = QwenTestServer(slowed(echo, SLOW_S), expect_tool=None)
    doomed = QwenTestServer(echo, expect_tool=None)
    fast.check = slow.check = doomed.check = lambda request: []  # text-only requests
    with fast, slow:
        doomed.__enter__()
        opts = HTTPOptions(endpoint=[fast.url, slow.url, doomed.url], model="m", replica_backoff_s=0.3)
        pool = opts.backend()
        assert isinstance(pool, ReplicaPool)
        killed = threading.Event()

        def one(i: int) -> str:
            if i == 12 and not killed.is_set():
                killed.set()
                doomed.__exit__(None, None, None)
            return ask(pool)

        with caplog.at_level(logging.INFO, logger="screenpilot.model.backends.replicas"):
            with ThreadPoolExecutor(max_workers=4) as workers:
                answers = list(workers.map(one, range(60)))
            time.sleep(0.35)  # past the back-off: the dead replica is probed again, and fails again
            assert ask(pool) == "ok"
        health = {h.endpoint: h for h in pool.health()}

    assert answers == ["ok"] * 60
    counts = served([fast, slow, doomed])
    # Four requests at a time: the slow replica's queue keeps it from being chosen.
    assert counts[fast.url] > 3 * counts[slow.url] and counts[slow.url] >= 1
    assert health[doomed.url].failures >= 2 and health[doomed.url].consecutive_failures >= 2
    assert not health[doomed.url].healthy and health[doomed.url].calls == len(doomed.requests)
    assert health[fast.url].healthy and health[fast.url].outstanding == 0
    assert health[slow.url].latency_s > SLOW_S * 0.9 > health[fast.url].latency_s
    downs = [r for r in caplog.records if doomed.url in r.getMessage() and r.levelno == logging.WARNING]
    assert len(downs) >= 2 and "0.6s" in downs[1].getMessage()  # the back-off doubled


def test_every_replica_down_is_a_transport_error_naming_them() -> None:
    gone = [QwenTestServer(echo, expect_tool=None) for _ in range(2)]
    urls = [s.url for s in gone]  # bound, then closed: connections are refused
    for s in gone:
        s._httpd.server_close()
    pool = HTTPOptions(
        endpoint=",".join(urls), model="m", connect_timeout_s=1, replica_backoff_s=30
    ).backend()
    with pytest.raises(ModelTransportError) as first:
        ask(pool)
    assert urls[-1] in str(first.value) or urls[0] in str(first.value)
    with pytest.raises(ModelTransportError, match="every model replica is out") as second:
        ask(pool)
    assert all(u in str(second.value) for u in urls) and second.value.retry_after > 1


def test_endpoint_flag_repeats_and_takes_comma_lists() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_policy_arguments(parser, default_policy="x")
    args = parser.parse_args(["--endpoint", "http://a/v1", "--endpoint", "http://b/v1,http://c/v1"])
    opts = HTTPOptions(**policy_options(args), model="m")
    assert opts.endpoints() == ["http://a/v1", "http://b/v1", "http://c/v1"]
    single = parser.parse_args(["--endpoint", "http://a/v1"])
    assert policy_options(single)["endpoint"] == "http://a/v1"
    with pytest.raises(ConfigError, match="listed twice"):
        HTTPOptions(endpoint="http://a/v1,http://a/v1", model="m").backend()
