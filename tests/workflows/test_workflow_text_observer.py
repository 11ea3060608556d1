"""A workflow's text observer does not OCR a screen that has not changed since its last read."""

from __future__ import annotations

import pytest

from screenpilot.environments.fake import FakeEnvironment
from screenpilot.model.offline.grounder import GrounderConfig, OfflineGrounder
from screenpilot.tools.perception.ocr import OcrEngine
from screenpilot.workflows import WorkflowRunner, parse_workflow
from screenpilot.workflows.pixels import ocr_region_reader, ocr_text_finder
from screenpilot.workflows.resolver import ScreenResolver

WORKFLOW = """
name: unchanged
defaults: {settle_timeout: 0}
steps:
  - click: Username
  - click: Username
  - click: Username
  - click: Username
observers:
  - name: cookies
    when: {text: We use cookies}
    steps: [{click: Accept}]
"""


@pytest.mark.slow
def test_text_observer_reads_an_unchanged_screen_once() -> None:
    engine = OcrEngine()
    # incremental off: without the unchanged-screen skip every look would be a full read
    grounder = OfflineGrounder(GrounderConfig(incremental=False), engine=engine)
    resolver = ScreenResolver(text_finder=ocr_text_finder(grounder), read_region=ocr_region_reader(grounder))
    result = WorkflowRunner(FakeEnvironment(), resolver=resolver).run(parse_workflow(WORKFLOW))
    assert result.success and result.run.steps == 4
    assert engine.calls == 1 and grounder.ocr_reads == 1
