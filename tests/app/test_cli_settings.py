"""Defaults from ``screenpilot.toml``, ``~/.config/screenpilot/config.toml`` and environment
variables: flag > environment > project file > user file > built-in default."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from screenpilot.app.cli.common import choose_policy, policy_options
from screenpilot.app.cli.main import build_parser, main
from screenpilot.app.cli.settings import apply_settings, load_layers
from screenpilot.tools.errors import ConfigError


def parse(argv: list[str], cwd: Path, environ: dict[str, str]) -> argparse.Namespace:
    parser = build_parser()
    apply_settings(parser, load_layers(cwd, environ))
    args = parser.parse_args(argv)
    if "default_policy" in vars(args):
        args.policy = choose_policy(args)
    return args


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    project, config = tmp_path / "project", tmp_path / "xdg"
    project.mkdir()
    (config / "screenpilot").mkdir(parents=True)
    return project, {"XDG_CONFIG_HOME": str(config)}


def write_user(environ: dict[str, str], text: str) -> None:
    (Path(environ["XDG_CONFIG_HOME"]) / "screenpilot" / "config.toml").write_text(text)


def test_precedence_flag_env_project_user_default(places):
    project, environ = places
    assert parse(["run", "x"], project, environ).max_steps == 30  # built-in
    write_user(environ, "max-steps = 11\nmodel = 'user-model'\n[run]\nenv = 'fake'\n")
    args = parse(["run", "x"], project, environ)
    assert (args.max_steps, args.model, args.env) == (11, "user-model", "fake")
    (project / "screenpilot.toml").write_text("[run]\nmax_steps = 12\n\n[bench.miniwob]\nworkers = 3\n")
    assert parse(["run", "x"], project, environ).max_steps == 12
    assert parse(["bench", "miniwob", "--out", "o"], project, environ).workers == 3
    assert (
        parse(["bench", "run", "fake", "--out", "o"], project, environ).workers is None
    )  # other verb: default
    with_env = {**environ, "SCREENPILOT_MODEL": "env-model"}
    assert parse(["run", "x"], project, with_env).model == "env-model"
    assert parse(["run", "x", "--model", "flag-model"], project, with_env).model == "flag-model"
    assert parse(["run", "x", "--max-steps", "13"], project, with_env).max_steps == 13


def test_an_endpoint_in_the_file_chooses_the_served_model(places):
    project, environ = places
    (project / "screenpilot.toml").write_text(
        'endpoint = "http://127.0.0.1:8000/v1"\nmodel = "Qwen/Qwen3-VL-8B-Instruct"\n'
        'policy-opt = {budget = "small"}\n'
    )
    args = parse(["ground", "shot.png", "the button"], project, environ)
    assert args.policy == "qwen3vl"
    opts = policy_options(args)
    assert opts["endpoint"] == "http://127.0.0.1:8000/v1" and opts["budget"] == "small"
    flags = parse(["ground", "s.png", "b", "-P", "budget=tiny"], project, environ)
    assert policy_options(flags)["budget"] == "tiny"  # a flag's option wins over the file's


def test_openai_variables_are_the_last_resort_of_served_policies(places, monkeypatch):
    project, environ = places
    monkeypatch.setenv("OPENAI_BASE_URL", "http://openai-base/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    offline = parse(["run", "x"], project, environ)
    assert offline.policy == "offline" and "endpoint" not in policy_options(offline)
    served = parse(["run", "x", "--policy", "qwen3vl", "--model", "m"], project, environ)
    assert policy_options(served) == {"endpoint": "http://openai-base/v1", "model": "m", "api_key": "sk-test"}
    (project / "screenpilot.toml").write_text('endpoint = "http://file/v1"\n')
    assert policy_options(parse(["run", "x"], project, environ))["endpoint"] == "http://file/v1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max_step = 3\n", "unknown setting 'max_step'; did you mean 'max_steps'?"),
        ("[rn]\nenv = 'fake'\n", "unknown section [rn]; did you mean 'run'?"),
        ("[report]\nendpoint = 'x'\n", "[report] has no setting 'endpoint'"),
        ("[demo]\nocr = 'alwys'\n", "ocr = 'alwys' is not one of auto, always, off; did you mean 'always'?"),
        ("max-steps = \n", "is not valid TOML"),
    ],
)
def test_mistakes_in_the_file_name_the_file_and_the_fix(places, text, message):
    project, environ = places
    (project / "screenpilot.toml").write_text(text)
    with pytest.raises(ConfigError, match=r".*") as info:
        parse(["run", "x"], project, environ)
    assert message in str(info.value) and "screenpilot.toml" in str(info.value)


def test_the_command_reads_the_project_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "screenpilot.toml").write_text('[run]\nenv = "fake"\npolicy = "script"\nmax-steps = 1\n')
    script = tmp_path / "s.jsonl"
    script.write_text('{"action": "key", "keys": ["tab"]}\n' * 3)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    assert main(["run", "x", "-P", f"file={script}", "--json"]) == 3  # one step, then truncated
    assert '"status": "truncated"' in capsys.readouterr().out
