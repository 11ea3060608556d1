"""Run a workflow in an environment and record it like an agent run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from screenpilot.agent.guards import Guard
from screenpilot.agent.killswitch import KillSwitch
from screenpilot.agent.popups import PopupHandler
from screenpilot.agent.result import RunResult, RunStatus
from screenpilot.agent.run_recorder import RunRecorder, StepCallback, new_run_id
from screenpilot.agent.secrets import SecretStore
from screenpilot.environments.base import Environment
from screenpilot.model.policy import Grounder
from screenpilot.tools.errors import Aborted, ScreenpilotError
from screenpilot.workflows.frame import Frame, bind_variables
from screenpilot.workflows.loader import LoadedWorkflow
from screenpilot.workflows.lookups import lookups_for
from screenpilot.workflows.resolver import ScreenResolver, TargetResolver
from screenpilot.workflows.step_runner import RETRYABLE, Execution, PolicyProvider, Services


class WorkflowResult(BaseModel):
    """How a workflow run ended.

    Attributes:
        run: The run result, as for an agent run (status, reason, steps, run directory).
        variables: Variables at the end (extracted values included).
        healed: Paths of steps whose target the grounding model found again.
        skipped: Paths of steps that failed and were skipped (``on_fail: skip``).
    """

    model_config = ConfigDict(frozen=True)

    run: RunResult
    variables: dict[str, Any] = Field(default_factory=dict)
    healed: list[str] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)

    @property
    def success(self) -> bool:
        return self.run.success


class WorkflowRunner:
    """Runs workflow files in one environment.

    Args:
        env: Where to act.
        resolver: Finds targets; a :class:`ScreenResolver` over observation elements
            (with ``grounder`` for description targets) when not given.
        grounder: The grounding model for ``description`` targets and ``on_fail: model``.
        secrets: Values of the secrets workflows reference by name.
        policies: Builds the policy of ``agent`` steps.
        out_dir: Where run directories go (``None`` records nothing).
        kill_switch: Trips the run from outside.
        guards: Extra guards every action must pass.
        on_step: Callbacks called after every recorded step.
        record_screenshots: Whether trajectories store screenshots.
        manifest_extra: Extra fields for ``manifest.json``.
        popups: Dismisses popups its rules recognise before a step looks for its target
            (none when ``None``).
    """

    def __init__(
        self,
        env: Environment,
        *,
        resolver: TargetResolver | None = None,
        grounder: Grounder | None = None,
        secrets: SecretStore | None = None,
        policies: PolicyProvider | None = None,
        out_dir: Path | None = Path("runs"),
        kill_switch: KillSwitch | None = None,
        guards: Sequence[Guard] = (),
        on_step: Sequence[StepCallback] = (),
        record_screenshots: bool = True,
        manifest_extra: dict[str, Any] | None = None,
        popups: PopupHandler | None = None,
    ) -> None:
        self.env = env
        self.popups = popups
        self.resolver = resolver
        self.grounder = grounder
        self.secrets = secrets or SecretStore()
        self.policies = policies
        self.out_dir = out_dir
        self.kill_switch = kill_switch or KillSwitch()
        self.guards = list(guards)
        self.on_step = list(on_step)
        self.record_screenshots = record_screenshots
        self.manifest_extra = manifest_extra or {}

    def run(
        self,
        loaded: LoadedWorkflow,
        variables: Mapping[str, Any] | None = None,
        *,
        reset: bool = True,
        run_id: str | None = None,
    ) -> WorkflowResult:
        """Run a loaded workflow; always leaves a readable trajectory.

        Raises:
            ConfigError: Before anything runs, for unknown variables or missing secrets.
            Aborted: When the kill switch fired (after the result is recorded).
        """
        workflow = loaded.workflow
        bound = bind_variables(workflow.variables, variables or {}, what=f"workflow {workflow.name!r}")
        for name in workflow.secrets:
            self.secrets.value(name)  # a missing secret is a usage error: fail before acting
        if self.popups is not None:
            self.popups.start_run()
        record = self._start(loaded, bound, run_id or new_run_id())
        ex = Execution(self._services(loaded), record)
        frame = Frame(loaded=loaded, variables=bound, observers=list(workflow.observers))
        status, reason, aborted = self._execute(ex, frame, reset)
        values = dict(frame.variables)
        extra = {
            "workflow": workflow.name,
            "variables": values,
            "healed": ex.healed,
            "skipped": ex.skipped,
        }
        result = record.finish(status, reason, extra=extra)
        if aborted is not None:
            raise aborted
        return WorkflowResult(run=result, variables=values, healed=ex.healed, skipped=ex.skipped)

    def _start(self, loaded: LoadedWorkflow, variables: dict[str, Any], run_id: str) -> RunRecorder:
        record = RunRecorder(
            run_id, self.out_dir, self.secrets, screenshots=self.record_screenshots, on_step=self.on_step
        )
        record.start(
            f"workflow {loaded.workflow.name}",
            policy="workflow",
            capabilities=self.env.capabilities,
            extra=self._manifest(loaded, variables),
        )
        return record

    def _execute(self, ex: Execution, frame: Frame, reset: bool) -> tuple[RunStatus, str, Aborted | None]:
        try:
            if reset:
                self.env.reset()
            ex.run_steps(frame, frame.loaded.workflow.steps, "steps")
        except Aborted as e:
            return "aborted", str(e), e
        except RETRYABLE as e:
            return "failure", f"{type(e).__name__}: {e}", None
        except ScreenpilotError as e:
            ex.record.failed(e)
            return "error", f"{type(e).__name__}: {e}", None
        except Exception as e:  # a bug: record it so the trajectory explains the crash
            ex.record.crash(e)
            return "error", f"{type(e).__name__}: {e}", None
        return "success", "all steps done", None

    def _services(self, loaded: LoadedWorkflow) -> Services:
        platform = lookups_for(self.env)
        resolver = self.resolver or ScreenResolver(
            loaded.base_dir,
            grounder=self.grounder,
            element_query=platform.element_query,
            text_finder=platform.text_finder,
            read_region=platform.read_region,
            templates=platform.templates,
        )
        return Services(
            env=self.env,
            resolver=resolver,
            secrets=self.secrets,
            guards=self.guards,
            kill_switch=self.kill_switch,
            grounder=self.grounder,
            policies=self.policies,
            popups=self.popups,
        )

    def _manifest(self, loaded: LoadedWorkflow, variables: dict[str, Any]) -> dict[str, Any]:
        return {
            "workflow": loaded.workflow.name,
            "workflow_file": str(loaded.path) if loaded.path else None,
            "variables": variables,
            "secrets": list(loaded.workflow.secrets),
            "grounder": type(self.grounder).__name__ if self.grounder else None,
            **self.manifest_extra,
        }


def run_workflow(
    path: str | Path, env: Environment, variables: Mapping[str, Any] | None = None, **kwargs: Any
) -> WorkflowResult:
    """Load a workflow file and run it (``kwargs`` go to :class:`WorkflowRunner`)."""
    from screenpilot.workflows.loader import load_workflow

    return WorkflowRunner(env, **kwargs).run(load_workflow(path), variables)
