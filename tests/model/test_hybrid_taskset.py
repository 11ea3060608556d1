"""A sample of the hybrid task set through the same code as ``python -m devtools.hybrid_table``
(Chromium, local pages, a scripted Qwen3-VL server): the full table is in docs/models.md."""

from __future__ import annotations

import pytest

from devtools.hybrid_table import run_all, table
from tests.model.hybrid.tasks import TASKS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE = ("notes-easy", "notes-mixed")


def test_hybrid_needs_fewer_model_calls_and_succeeds_as_often() -> None:
    tasks = [t for t in TASKS if t.id in SAMPLE]
    rows = run_all(tasks)
    by_id = {task.id: (plain, hybrid) for task, plain, hybrid in rows}
    for plain, hybrid in by_id.values():
        assert plain.success and hybrid.success, (plain, hybrid)
    easy_plain, easy_hybrid = by_id["notes-easy"]
    assert easy_hybrid.model_calls == 0 < easy_plain.model_calls  # the offline policy did it all
    assert set(easy_hybrid.decided_by) <= {"hybrid/offline", "hybrid"}
    mixed_plain, mixed_hybrid = by_id["notes-mixed"]
    assert 0 < mixed_hybrid.model_calls < mixed_plain.model_calls  # the model only for the hard part
    deciders = mixed_hybrid.decided_by
    assert deciders[0] == "hybrid/offline" and deciders[-1].startswith("hybrid/qwen3vl:")
    assert "| `notes-mixed` | mixed |" in table(rows)


def test_the_task_set_is_well_formed() -> None:
    assert len(TASKS) >= 20 and len({t.id for t in TASKS}) == len(TASKS)
    assert {t.kind for t in TASKS} >= {"easy", "hard", "mixed", "visual"}
    assert len({t.page for t in TASKS}) >= 6
    for task in TASKS:
        for part in task.parts:
            assert part.phrase in task.text  # the scripted model finds every part by its phrase
