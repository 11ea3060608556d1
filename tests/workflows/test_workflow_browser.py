"""Workflows against a local page in real Chromium (served on 127.0.0.1)."""

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from screenpilot.agent.loop import Agent
from screenpilot.agent.secrets import SecretStore
from screenpilot.agent.trajectory.reader import load_run
from screenpilot.environments.browser import BrowserConfig, BrowserEnvironment
from screenpilot.model.scripted import FunctionPolicy
from screenpilot.tools.actions import Action, Click, Navigate, Terminate, TypeText
from screenpilot.tools.points import CoordSpace, Point
from screenpilot.workflows import LoadedWorkflow, WorkflowRunner, load_workflow
from screenpilot.workflows.compile import compile_run
from tests.workflows.wf_helpers import ScriptedGrounder

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = Path(__file__).parent / "pages"
PASSWORD = "wonderland-canary-4d1e"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(PAGES)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserEnvironment]:
    env = BrowserEnvironment(
        BrowserConfig(executable_path="/usr/bin/chromium", settle_quiet_s=0.1, viewport_width=1000)
    )
    yield env
    env.close()


def runner(env: BrowserEnvironment, tmp_path: Path, **kwargs: object) -> WorkflowRunner:
    kwargs.setdefault("secrets", SecretStore({"password": PASSWORD}))
    return WorkflowRunner(env, out_dir=tmp_path / "runs", **kwargs)  # type: ignore[arg-type]


def write(tmp_path: Path, text: str) -> LoadedWorkflow:
    path = tmp_path / "flow.yaml"
    path.write_text(text, encoding="utf-8")
    return load_workflow(path)


LOGIN = """
name: portal
variables: {base: "", query: "", user: alice}
secrets: [password]
observers:
  - name: cookies
    when: {text: We use cookies}
    steps:
      - click: {element: "#accept"}
steps:
  - navigate: ${base}/portal.html${query}
  - type: ${user}
    into: {text: Username, role: textbox}
  - type: {secret: password}
    into: {text: Password, role: textbox}
  - click: {text: Sign in, role: button}
  - wait_for: "Welcome, ${user}"
"""


def test_csv_rows_a_cookie_observer_and_a_retry_in_chromium(browser, base, tmp_path):
    (tmp_path / "rows.csv").write_text(
        "name,email\nAnn,ann@example.org\nBo,bo@example.org\nCy,cy@example.org\n"
    )
    loaded = write(
        tmp_path,
        LOGIN
        + """
  - click: {element: "#export"}
    name: export
    timeout: 0.2
    retry: {times: 30, interval: 0.3}
  - for_each: {csv: rows.csv}
    as: row
    do:
      - type: ${row.name}
        into: {text: Name, role: textbox}
      - type: ${row.email}
        into: {text: Email, role: textbox}
      - click: Add contact
  - assert: {text_of: {element: "#count"}, contains: "3 contacts"}
  - extract: {element: "#count"}
    save_as: count
    pattern: '(\\d+) contacts'
""",
    )
    result = runner(browser, tmp_path).run(loaded, {"base": base, "query": "?banner=0&export=5000"})
    assert result.success, result.run.reason
    assert browser.evaluate("window.cookiesAccepted") == 1
    items = browser.evaluate(
        "Array.from(document.querySelectorAll('#contacts li')).map(li => li.textContent)"
    )
    assert items == ["Ann <ann@example.org>", "Bo <bo@example.org>", "Cy <cy@example.org>"]
    assert browser.evaluate("document.querySelector('#count').textContent") == "3 contacts"
    assert browser.evaluate("window.exported") == 1
    assert result.variables["count"] == "3"
    export = [e for e in load_run(result.run.run_dir).steps if e["workflow"]["path"].endswith("(export)")]
    assert export[0]["error"].startswith("TargetNotFound") and export[0]["workflow"]["attempt"] == 1
    assert export[-1]["error"] is None and export[-1]["workflow"]["attempt"] >= 2


def test_a_missing_target_names_the_step_and_the_page(browser, base, tmp_path):
    loaded = write(tmp_path, LOGIN + "  - click: {text: Delete everything}\n    timeout: 0.3\n")
    result = runner(browser, tmp_path).run(loaded, {"base": base})
    assert result.run.status == "failure"
    reason = result.run.reason
    assert "step steps[5]: text 'Delete everything' not found within 0.3s" in reason
    assert "on screen: 'Portal' showing" in reason and "'Add contact'" in reason


def test_self_healing_and_the_canary_secret_in_chromium(browser, base, tmp_path):
    def answer(obs, description):
        return next(e.box for e in obs.elements if e.label == "Sign in")

    grounder = ScriptedGrounder(answer)
    text = LOGIN.replace(
        "{text: Sign in, role: button}", "{text: Log in, role: button}\n    timeout: 0.3\n    on_fail: model"
    )
    loaded = write(tmp_path, text)
    result = runner(browser, tmp_path, grounder=grounder).run(loaded, {"base": base})
    assert result.success, result.run.reason
    assert result.healed == ["steps[3]"] and grounder.queries == ["button labelled 'Log in'"]
    assert browser.evaluate("document.querySelector('#pw').value") == PASSWORD  # really typed
    files = [p for p in result.run.run_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".png" for p in files)
    for path in files:
        assert PASSWORD.encode() not in path.read_bytes(), path


def test_an_agent_run_compiled_with_from_run_replays_in_a_fresh_tab(browser, base, tmp_path):
    url = f"{base}/portal.html"
    plan: list[tuple[str, str | None]] = [
        ("navigate", url),
        ("click", "Username"),
        ("type", "alice"),
        ("click", "Password"),
        ("secret", "password"),
        ("click", "Sign in"),
        ("click", "Name"),
        ("type", "Dee"),
        ("click", "Email"),
        ("type", "dee@example.org"),
        ("click", "Add contact"),
        ("done", None),
    ]

    def act(task, obs, history, feedback) -> Action:
        kind, arg = plan[len(history)]
        if kind == "navigate":
            return Navigate(url=arg)
        if kind == "click":
            el = next(e for e in obs.elements if e.label == arg and e.role in ("textbox", "button"))
            c = el.box.center
            return Click(at=Point(x=c.x / 1000 * 1000, y=c.y / 800 * 1000, space=CoordSpace.REL1000))
        if kind == "type":
            return TypeText(text=arg)
        if kind == "secret":
            return TypeText(secret=arg)
        return Terminate(status="success")

    agent = Agent(
        browser, FunctionPolicy(act), secrets=SecretStore({"password": PASSWORD}), out_dir=tmp_path / "agent"
    )
    run = agent.run("sign in and add Dee")
    assert run.success, run.reason
    state = "[document.querySelector('#welcome').textContent, document.querySelector('#contacts').innerText]"
    recorded = browser.evaluate(state)
    assert recorded == ["Welcome, alice", "Dee <dee@example.org>"]

    compiled = compile_run(load_run(run.run_dir))
    path = tmp_path / "replay.yaml"
    path.write_text(compiled.to_yaml())
    assert compiled.data["steps"][0] == {"navigate": url}
    assert compiled.data["steps"][1]["click"]["text"] == "Username"
    result = runner(browser, tmp_path).run(load_workflow(path))  # resets: a fresh tab, no model
    assert result.success, result.run.reason
    assert browser.evaluate(state) == recorded
