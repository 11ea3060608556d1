"""Load and check workflow files, with errors that name the file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from screenpilot.tools.errors import ConfigError
from screenpilot.workflows.schema import Workflow, called_files, used_secrets
from screenpilot.workflows.static_checks import check_call_cycles, check_variables
from screenpilot.workflows.steps import STEP_KINDS
from screenpilot.workflows.targets import TARGET_KEYS
from screenpilot.workflows.yaml_lines import MAX_CHARS, MarkedDocument, load_marked, validation_error


@dataclass(frozen=True)
class LoadedWorkflow:
    """A validated workflow and where it came from (relative paths resolve against ``base_dir``)."""

    workflow: Workflow
    path: Path | None
    document: MarkedDocument

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def resolve(self, relative: str) -> Path:
        """A path written in the workflow, resolved against its directory."""
        p = Path(relative).expanduser()
        return p if p.is_absolute() else self.base_dir / p


def parse_workflow(text: str, *, file: str = "<string>", path: Path | None = None) -> LoadedWorkflow:
    """Parse and validate workflow YAML.

    Raises:
        ConfigError: Naming file, line, column and field of every problem.
    """
    doc = load_marked(text, file)
    if not isinstance(doc.data, dict):
        raise ConfigError(f"{file}:1:1: a workflow must be a mapping with 'name' and 'steps'")
    try:
        workflow = Workflow.model_validate(doc.data)
    except ValidationError as e:
        raise validation_error(doc, e, kinds={"step_kind": STEP_KINDS, "target_kind": TARGET_KEYS}) from None
    undeclared = used_secrets(workflow) - set(workflow.secrets)
    if undeclared:
        where = doc.marks.get(("steps",))
        line = f":{where.line}" if where else ""
        raise ConfigError(
            f"{file}{line}: secrets used but not declared under 'secrets': {', '.join(sorted(undeclared))}"
        )
    return LoadedWorkflow(workflow=workflow, path=path, document=doc)


def load_workflow(path: str | Path) -> LoadedWorkflow:
    """Read and validate a workflow file.

    Raises:
        ConfigError: When the file is missing or invalid.
    """
    p = Path(path)
    try:
        if p.stat().st_size > MAX_CHARS * 4:
            raise ConfigError(f"{p}: the file is too large for a workflow ({p.stat().st_size} bytes)")
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"no workflow file at {p}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{p}: not UTF-8 text (byte {e.start}: {e.reason})") from None
    except OSError as e:
        raise ConfigError(f"cannot read {p}: {e.strerror or e}") from None
    return parse_workflow(text, file=str(p), path=p)


def validate_tree(path: str | Path) -> list[LoadedWorkflow]:
    """Load a workflow and every workflow it calls (recursively), checking each: the
    schema, declared secrets and variables, and a call graph without cycles (see
    :mod:`~screenpilot.workflows.static_checks`).

    Raises:
        ConfigError: For the first invalid file, a call to a file that does not exist, an
            undeclared variable, or a call cycle.
    """
    seen: dict[Path, LoadedWorkflow] = {}
    edges: dict[Path, list[Path]] = {}
    pending = [Path(path).resolve()]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        loaded = load_workflow(current)
        check_variables(loaded.workflow, str(current))
        seen[current] = loaded
        edges[current] = []
        for ref in called_files(loaded.workflow):
            if "${" in ref:
                continue  # chosen at run time
            target = loaded.resolve(ref).resolve()
            if not target.is_file():
                raise ConfigError(f"{current}: calls {ref!r}, which does not exist ({target})")
            edges[current].append(target)
            pending.append(target)
    check_call_cycles(edges)
    return list(seen.values())


def tree_secrets(path: str | Path) -> list[str]:
    """Every secret declared by a workflow and the workflows it calls."""
    names: set[str] = set()
    for loaded in validate_tree(path):
        names.update(loaded.workflow.secrets)
    return sorted(names)
