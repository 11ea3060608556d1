"""What ``bench miniwob`` / ``bench run`` add around the runner: task selection with commas
and suggestions, an executor that stops the run when the model server is gone, and the
ending (summary, ``--fail-under``, ``--junit``)."""

from __future__ import annotations

import argparse
import fnmatch
import logging
import sys
from collections.abc import Sequence
from typing import Any

from screenpilot.app.cli.probe import probe_policy
from screenpilot.benchmarks.executor import Executor, JobResult
from screenpilot.benchmarks.runner import RunReport, select_tasks
from screenpilot.benchmarks.spec import TaskSpec
from screenpilot.benchmarks.worker import EpisodeJob, WorkerSpec
from screenpilot.tools.errors import ConfigError

log = logging.getLogger(__name__)


def split_globs(values: Sequence[str]) -> list[str]:
    """``["a,b", "c"]`` -> ``["a", "b", "c"]``: globs may come space- or comma-separated."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def select(tasks: Sequence[TaskSpec], include: Sequence[str], exclude: Sequence[str]) -> list[TaskSpec]:
    """The tasks ``--tasks``/``--exclude`` choose.

    Raises:
        ConfigError: For a pattern that matches no task, with the closest task names.
    """
    from difflib import get_close_matches

    ids = [t.task_id for t in tasks]
    for pattern in split_globs(include):
        if not fnmatch.filter(ids, pattern):
            close = get_close_matches(pattern, ids, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else "; see 'screenpilot bench list'"
            raise ConfigError(f"no task matches {pattern!r}{hint}")
    return select_tasks(tasks, split_globs(include), split_globs(exclude))


class ProbingExecutor:
    """Wraps an executor; after an infrastructure failure it asks the model server whether it
    is still there and stops the whole run when it is not, instead of retrying every episode
    against a server that is gone."""

    def __init__(self, inner: Executor, policy_options: dict[str, Any]) -> None:
        self.inner = inner
        self.policy_options = policy_options

    @property
    def capacity(self) -> int:
        return self.inner.capacity

    def start(self, spec: WorkerSpec) -> None:
        self.inner.start(spec)

    def submit(self, job: EpisodeJob) -> None:
        self.inner.submit(job)

    def next_result(self) -> JobResult:
        result = self.inner.next_result()
        if result.outcome.kind == "infra_error":
            log.debug("infrastructure failure (%s); probing the model server", result.outcome.reason)
            probe_policy(self.policy_options)  # raises ModelTransportError when it is down
        return result

    def close(self) -> None:
        self.inner.close()


def executor_for(inner: Executor, policy_options: dict[str, Any]) -> Executor:
    """``inner``, wrapped so that a model server that has gone away stops the whole run."""
    return ProbingExecutor(inner, policy_options) if policy_options.get("endpoint") else inner


def finish_bench(args: argparse.Namespace, report: RunReport, benchmark: str) -> int:
    """Write the summary files, print the table, and judge ``--fail-under``."""
    from screenpilot.app.cli.junit import write_junit
    from screenpilot.benchmarks.report import to_table, write_reports

    if report.partial:
        print(
            f"resumed: {len(report.partial)} interrupted attempts moved to {args.out / 'partial'}",
            file=sys.stderr,
        )
    json_path, md_path = write_reports(report.summary, args.out)
    print(to_table(report.summary))
    print(f"\nran {report.ran}, skipped {report.skipped} already finished; wrote {md_path} and {json_path}")
    if args.junit is not None:
        print(f"wrote {write_junit(args.junit, report.outcomes, suite=benchmark)}")
    rate = report.summary.overall.success_rate
    if args.fail_under is not None and rate < args.fail_under:
        print(
            f"success rate {100 * rate:.1f}% is under --fail-under {100 * args.fail_under:g}%",
            file=sys.stderr,
        )
        return 1
    return 0
