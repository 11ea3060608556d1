"""Logging: ``-v``/``-vv`` and ``--log-file`` through the standard logging module, with
secret values masked, and slow first-time loads announced."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from screenpilot.agent.secrets import SecretStore
from screenpilot.app.cli.logs import configure_logging, redact_secrets, reset_logging
from screenpilot.app.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
LOGIN = ROOT / "examples" / "fake_login.jsonl"
FAKE = ["run", "x", "--env", "fake", "--policy", "script", "-P", f"file={LOGIN}", "--max-steps", "1"]


def test_v_shows_debug_messages_and_the_log_file_gets_them_anyway(tmp_path, capsys):
    log = tmp_path / "logs" / "run.log"
    main([*FAKE, "--out", str(tmp_path / "a"), "--log-file", str(log)])
    err = capsys.readouterr().err
    assert "DEBUG" not in err
    assert "DEBUG screenpilot.app.cli.run: environment 'fake'" in log.read_text()
    main([*FAKE, "--out", str(tmp_path / "b"), "-v"])
    assert "DEBUG screenpilot.app.cli.run: environment 'fake'" in capsys.readouterr().err


def test_secret_values_never_reach_a_log(tmp_path, capsys):
    log = tmp_path / "run.log"
    configure_logging(2, log_file=log)
    try:
        redact_secrets(SecretStore({"password": "wonderland"}))
        logging.getLogger("screenpilot.agent.loop").debug("typed %s into the field", "wonderland")
        logging.getLogger("urllib3").debug("sent wonderland")
    finally:
        reset_logging()
    text, err = log.read_text(), capsys.readouterr().err
    assert "typed [secret:password] into the field" in text and "sent [secret:password]" in text
    assert "wonderland" not in text + err


@pytest.mark.slow
def test_the_first_ocr_load_says_what_it_loads(tmp_path, capsys):
    argv = ["run", 'click "Sign in"', "--env", "fake", "-P", "ocr=always", "--max-steps", "1"]
    main([*argv, "--out", str(tmp_path)])
    assert "screenpilot: loading the OCR models" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.browser
def test_generate_grounding_reports_progress(tmp_path, capsys):
    argv = ["bench", "generate-grounding", "--out", str(tmp_path / "gen"), "--seeds", "1", "--scales", "1"]
    assert main([*argv, "--miniwob-tasks"]) == 0
    err = capsys.readouterr().err
    assert "screenpilot: page 1/5: form_s0_dpr1" in err and "page 5/5:" in err
