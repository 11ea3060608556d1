"""Every shell and Python example in README.md and docs/*.md runs as written.

Examples run in document order, one scratch directory per doc file (so a later block can
use what an earlier one recorded), with a private X server as ``$DISPLAY``. Examples that
need a GPU, a model server, a phone, the internet or root are marked in their fence
(```` ```bash needs-server ````, see ``tests/docs/fences.py``) and listed as skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.docs import fences
from tests.docs.lanes import Lanes

BLOCKS = fences.runnable_blocks()
SKIPPED: list[str] = []
"""``where (needs)`` of every skipped example, printed at the end of the session."""


@pytest.fixture(scope="module")
def lanes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lanes]:
    from screenpilot.environments.desktop.xvfb import PrivateDisplay

    chosen = {
        item.callspec.params["block"].where
        for item in request.session.items
        if hasattr(item, "callspec") and "block" in item.callspec.params
    }  # with -k, only the selected ones
    xvfb = PrivateDisplay.start(1280, 800)
    blocks = [b for b in BLOCKS if b.where in chosen]
    running = Lanes(blocks, tmp_path_factory.mktemp("docs-examples"), xvfb.name)
    try:
        yield running
    finally:
        running.close()
        xvfb.stop()


def test_every_fence_names_a_language_and_known_words() -> None:
    problems = []
    for path in fences.doc_files():
        for block in fences.blocks(path):
            if not block.lang:
                problems.append(f"{block.where}: the fence names no language")
            unknown = [w for w in block.words if w not in fences.NEEDS | fences.MODES]
            if unknown:
                problems.append(f"{block.where}: unknown fence words {unknown}")
    assert problems == []


MAX_SKIPPED = 28
"""A ratchet: what no test machine has (GPUs, model servers, phones, installs, minutes of
measurements). Lower it when an example becomes runnable; raise it only for a new example
that needs one of those (the model-server recipes in docs/models.md and docs/video.md, the
GPU training run in docs/finetune.md), never to hide one that could run here."""


def test_few_examples_are_skipped() -> None:
    skipped = [b.where for b in BLOCKS if b.needs]
    assert len(BLOCKS) >= 45
    assert len(skipped) <= MAX_SKIPPED, skipped


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.desktop
@pytest.mark.android
@pytest.mark.parametrize("block", BLOCKS, ids=[b.where for b in BLOCKS])
def test_example_runs_as_written(block: fences.Block, lanes: Lanes) -> None:
    if block.needs:
        SKIPPED.append(f"{block.where} ({', '.join(block.needs)})")
        pytest.skip(f"{block.where} {' '.join(block.needs)}")
    outcome = lanes.outcome(block, timeout_s=1800)
    if "until-interrupted" in block.words:
        assert "GET http" in outcome.output, outcome.output
        assert outcome.returncode == 130, outcome.output
    else:
        assert outcome.returncode == 0, f"{block.where} exited {outcome.returncode}:\n{outcome.output}"
    assert "Traceback" not in outcome.output, outcome.output
