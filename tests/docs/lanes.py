"""Running the documentation's examples in lanes: the blocks of one file run in order (a
later block may use what an earlier one made), different files run side by side."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from tests.docs.fences import Block
from tests.docs.sandbox import Outcome, make_sandbox, run_block, run_until_interrupted

LANES = 2
"""Files run at once; most examples wait on Chromium or a subprocess, so two keep two
cores busy without starving each other."""


class Lanes:
    """Starts every runnable block at once (per file, in order) and hands out outcomes."""

    def __init__(self, blocks: list[Block], root: Path, display: str) -> None:
        self.root = root
        self.display = display
        self._pool = ThreadPoolExecutor(max_workers=LANES, thread_name_prefix="docs")
        self._futures: dict[str, Future[Outcome]] = {}
        by_file: dict[Path, list[Block]] = {}
        for block in blocks:
            if not block.needs:
                by_file.setdefault(block.path, []).append(block)
                self._futures[block.where] = Future()
        for path, file_blocks in by_file.items():
            self._pool.submit(self._run_file, path, file_blocks)

    def _run_file(self, path: Path, blocks: list[Block]) -> None:
        sandbox = make_sandbox(self.root / path.stem)
        for block in blocks:
            future = self._futures[block.where]
            try:
                run = run_until_interrupted if "until-interrupted" in block.words else run_block
                future.set_result(run(block, sandbox, self.display))
            except BaseException as e:  # reported by the block's own test
                future.set_exception(e)

    def outcome(self, block: Block, timeout_s: float) -> Outcome:
        return self._futures[block.where].result(timeout=timeout_s)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
