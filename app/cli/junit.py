"""JUnit XML for CI systems: one test case per benchmark episode."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from screenpilot.benchmarks.outcome import EpisodeOutcome


def junit_xml(outcomes: Sequence[EpisodeOutcome], *, suite: str) -> ET.ElementTree:
    """A ``<testsuites>`` document: a case per episode, ``<failure>`` for a task failure and
    ``<error>`` for an infrastructure failure that outlasted its retries."""
    failures = sum(o.kind == "failure" for o in outcomes)
    errors = sum(o.kind == "infra_error" for o in outcomes)
    total_s = sum(o.elapsed_s for o in outcomes)
    root = ET.Element("testsuites", name=suite, tests=str(len(outcomes)))
    node = ET.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(outcomes)),
        failures=str(failures),
        errors=str(errors),
        time=f"{total_s:.3f}",
    )
    for o in outcomes:
        case = ET.SubElement(
            node,
            "testcase",
            classname=f"{suite}.{o.task_id}",
            name=f"{o.task_id}#{o.index} (seed {o.seed})",
            time=f"{o.elapsed_s:.3f}",
        )
        if o.kind == "failure":
            ET.SubElement(case, "failure", message=o.reason, type=o.run_status or "failure").text = o.reason
        elif o.kind == "infra_error":
            ET.SubElement(case, "error", message=o.reason, type=o.error_type or "infra_error").text = o.reason
        if o.run_dir:
            ET.SubElement(case, "system-out").text = f"trajectory: {o.run_dir}"
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(path: Path, outcomes: Sequence[EpisodeOutcome], *, suite: str) -> Path:
    """Write :func:`junit_xml` to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_xml(outcomes, suite=suite).write(path, encoding="utf-8", xml_declaration=True)
    return path
