"""Help is part of the interface: every verb explains itself with examples, every flag says
what it does and its default, and a flag name means one thing on every verb."""

from __future__ import annotations

import argparse

import pytest

from screenpilot.app.cli.main import build_parser, main
from screenpilot.app.cli.settings import verb_parsers

VERBS = [(path, p) for path, p in verb_parsers(build_parser()) if path]
IDS = [" ".join(path) for path, _ in VERBS]


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if a.option_strings and not isinstance(a, argparse._HelpAction)]


@pytest.mark.parametrize(("path", "parser"), VERBS, ids=IDS)
def test_every_verb_has_a_description_and_examples(path, parser):
    assert parser.description, f"{' '.join(path)} has no description"
    assert parser.epilog and "examples:" in parser.epilog, f"{' '.join(path)} has no examples"
    assert f"screenpilot {path[0]}" in parser.epilog


@pytest.mark.parametrize(("path", "parser"), VERBS, ids=IDS)
def test_every_flag_has_help_and_shows_its_default(path, parser):
    formatter = parser._get_formatter()
    for action in _options(parser):
        if action.help == argparse.SUPPRESS:
            continue
        assert action.help, f"{' '.join(path)} {action.option_strings} has no help"
        meaningful = action.default not in (None, False, [], argparse.SUPPRESS)
        if meaningful and not isinstance(action, argparse._CountAction):
            shown = formatter._get_help_string(action) or ""
            assert "default" in shown.lower(), f"{' '.join(path)} {action.option_strings} hides its default"


def test_help_states_defaults_and_examples(capsys):
    assert main(["run", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--max-steps MAX_STEPS" in out and "step budget; ends as truncated (default: 30)" in out
    assert "--model-timeout MODEL_TIMEOUT" in out and "(default: 45.0)" in out
    assert "examples:" in out and "--url app/demo_site/login.html" in out


def _flag_meanings() -> dict[str, set[str]]:
    meanings: dict[str, set[str]] = {}
    for _, parser in VERBS:
        for action in _options(parser):
            if action.help == argparse.SUPPRESS:
                continue
            for flag in action.option_strings:
                meanings.setdefault(flag, set()).add(str(action.metavar or action.dest))
    return meanings


def test_out_is_always_a_directory_and_output_always_a_file():
    meanings = _flag_meanings()
    assert meanings["--out"] == {"DIR"}
    assert meanings["--output"] == {"FILE"}
    assert meanings["--secrets-file"] == {"FILE"}


def test_verbs_that_run_share_defaults_and_the_secret_flags():
    verbs = dict(VERBS)
    for path in [("run",), ("workflow", "run")]:
        args = verbs[path].parse_args([*(["x"] if path == ("run",) else ["f.yaml"])])
        assert args.env == "browser" and str(args.out) == "runs", path
        flags = {s for a in _options(verbs[path]) for s in a.option_strings}
        assert {"--secret", "--secrets-file", "--json", "--abort-file"} <= flags, path
    assert verbs[("run",)].parse_args(["x"]).max_steps == verbs[("demo",)].parse_args([]).max_steps == 30
    assert str(verbs[("demo",)].parse_args([]).out) == "runs"
    assert verbs[("ui",)].parse_args([]).policy == "offline"


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["rnu", "x"], "did you mean 'run'?"),
        (["demo", "--ocr", "alwys"], "did you mean 'always'?"),
        (["run", "x", "--max-stpes", "3"], "--max-stpes (did you mean --max-steps?)"),
        (["bench", "grounding", "--data", "d", "--grounder", "g", "--layout", "screenspt"], "'screenspot'?"),
    ],
)
def test_typos_get_a_suggestion_and_exit_2(argv, hint, capsys):
    assert main(argv) == 2
    assert hint in capsys.readouterr().err
