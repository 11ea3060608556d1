"""Registry entries as small specs, and the one loader every registry uses.

An :class:`EntrySpec` says where a factory lives (``"module:attr"``), which extra installs
what it needs, what it is in one line and, for environments, where a hermetic instance
comes from. A :class:`Registry` holds the built-in specs of one kind plus the plug-ins of
one entry-point group, and imports a target only when an entry is used: listing imports
nothing.

A plug-in's entry point names either a factory (taken as a spec with no extra) or an
:class:`EntrySpec` object, which is followed when the entry is used::

    [project.entry-points."screenpilot.environments"]
    vnc = "screenpilot_vnc.registry:SPEC"    # SPEC = EntrySpec("screenpilot_vnc.env:from_options", ...)
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import importlib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from screenpilot.tools.errors import ConfigError

Factory = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class EntrySpec:
    """One registered name.

    Attributes:
        target: ``"module:attr"`` of the factory ``(options) -> instance``.
        extra: The optional-dependency group that installs what the target imports
            (``browser``, ``desktop``, ``android``, ``http``, ``local``, ``ocr``, ``bench``);
            ``None`` when the core install suffices.
        summary: One line for ``screenpilot list``.
        hermetic: ``"module:attr"`` of a zero-argument factory of a self-contained instance:
            it reaches nothing outside the machine and closing it stops whatever it started.
            The environment contract test runs over every entry that has one.
        distribution: The package that ships the entry (what ``pip install`` names).
        takes_secrets: The factory accepts a ``secrets`` option (the comma-separated names
            the policy may reference, never values); commands pass the run's secret names.
    """

    target: str
    extra: str | None = None
    summary: str = ""
    hermetic: str | None = None
    distribution: str = "screenpilot"
    takes_secrets: bool = False

    def __post_init__(self) -> None:
        for ref in (self.target, self.hermetic):
            if ref is not None:
                _split(ref)

    def install_hint(self) -> str:
        """The command that installs what the entry needs."""
        return (
            f"pip install '{self.distribution}[{self.extra}]'"
            if self.extra
            else f"pip install '{self.distribution}'"
        )


def _split(ref: str) -> tuple[str, str]:
    module, sep, attr = ref.partition(":")
    if not (module and sep and attr):
        raise ConfigError(f"registry target {ref!r} is not of the form 'module:attr'")
    return module, attr


class Registry:
    """The entries of one kind: built-in specs and the plug-ins of an entry-point group.

    Args:
        kind: What an entry is, for messages (``environment``, ``policy``, ``benchmark``).
        builtin: Built-in entries; read on every call, never copied, so that the table
            stays the one place to add to.
        group: The entry-point group plug-ins register in.
    """

    def __init__(self, kind: str, builtin: Mapping[str, EntrySpec], group: str) -> None:
        self.kind = kind
        self.builtin = builtin
        self.group = group

    def entries(self) -> dict[str, EntrySpec]:
        """Every entry by name; a built-in wins over a plug-in of the same name."""
        return {**self._plugins(), **self.builtin}

    def spec(self, name: str) -> EntrySpec:
        """The entry registered as ``name``, as registered (plug-in specs not yet followed).

        Raises:
            ConfigError: For an unknown name; the message lists the known ones.
        """
        entries = self.entries()
        if name not in entries:
            close = difflib.get_close_matches(name, sorted(entries), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"unknown {self.kind} {name!r}; available: {', '.join(sorted(entries))}{hint}")
        return entries[name]

    def resolve(self, name: str) -> EntrySpec:
        """The entry's full spec: a plug-in entry point naming an :class:`EntrySpec` is
        followed (which imports the plug-in's module)."""
        spec = self.spec(name)
        if name in self.builtin:
            return spec
        found = _import(name, spec, spec.target)
        if isinstance(found, EntrySpec):
            return dataclasses.replace(found, distribution=spec.distribution)
        return spec

    def load(self, name: str) -> Factory:
        """The factory registered as ``name``; a missing dependency, at import or when it is
        called, becomes a :class:`ConfigError` naming the entry's extra.

        Raises:
            ConfigError: For an unknown name, a target that does not exist, or a missing
                optional dependency.
        """
        return load_spec(name, self.resolve(name))

    def create(self, name: str, options: Mapping[str, Any]) -> Any:
        """Build the instance registered as ``name`` from ``options``."""
        return self.load(name)(options)

    def hermetic_names(self) -> list[str]:
        """Names of the entries that can build a hermetic instance (plug-in specs followed)."""
        return sorted(name for name in self.entries() if self.resolve(name).hermetic is not None)

    def hermetic(self, name: str) -> Any:
        """A self-contained instance of ``name`` (see :attr:`EntrySpec.hermetic`).

        Raises:
            ConfigError: When the entry has no hermetic factory, or as :meth:`load`.
        """
        spec = self.resolve(name)
        if spec.hermetic is None:
            raise ConfigError(f"{self.kind} {name!r} has no hermetic instance")
        return _guarded(name, spec, _import(name, spec, spec.hermetic))()

    def _plugins(self) -> dict[str, EntrySpec]:
        out: dict[str, EntrySpec] = {}
        for ep in _entry_points(tuple(sys.path)).get(self.group, ()):
            dist = ep.dist.name if ep.dist is not None else "an unknown package"
            out[ep.name] = EntrySpec(ep.value, summary=f"plug-in from {dist}", distribution=dist)
        return out


@functools.lru_cache(maxsize=4)
def _entry_points(path: tuple[str, ...]) -> dict[str, tuple[EntryPoint, ...]]:
    """Every installed entry point by group, read once per ``sys.path`` (a scan of all
    metadata: the registries of one command share it; a plug-in added to the path is seen)."""
    found = entry_points()
    if isinstance(found, dict):  # Python 3.11: a dict of groups (its own items(): no warning)
        return {group: tuple(eps) for group, eps in dict.items(found)}
    groups: dict[str, list[EntryPoint]] = {}
    for ep in found:
        groups.setdefault(ep.group, []).append(ep)
    return {group: tuple(eps) for group, eps in groups.items()}


def load_spec(name: str, spec: EntrySpec) -> Factory:
    """Import ``spec``'s factory, guarded like a registered one (what every registry uses;
    also for a ``"module:attr"`` given on a command line as ``EntrySpec(ref)``).

    Raises:
        ConfigError: For a target that does not exist or a missing optional dependency.
    """
    factory: Factory = _guarded(name, spec, _import(name, spec, spec.target))
    return factory


def _missing(name: str, spec: EntrySpec, error: ModuleNotFoundError) -> ConfigError:
    what = error.name.partition(".")[0] if error.name else str(error)  # the package, not a submodule
    return ConfigError(
        f"{name!r} needs the optional dependency {what!r}; install it with {spec.install_hint()}"
    )


def _import(name: str, spec: EntrySpec, ref: str) -> Any:
    module_name, attr = _split(ref)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name is not None and (module_name + ".").startswith(e.name + "."):
            raise ConfigError(f"{name!r} is registered as {ref!r}, but {e.name!r} does not exist") from e
        raise _missing(name, spec, e) from e
    try:
        return getattr(module, attr)
    except AttributeError:
        raise ConfigError(f"{name!r} is registered as {ref!r}, but {module_name} has no {attr!r}") from None


def _guarded(name: str, spec: EntrySpec, fn: Callable[..., Any]) -> Callable[..., Any]:
    # Factories import their heaviest dependencies when called (the openai SDK, torch), so
    # a missing one surfaces here as often as at import.
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ModuleNotFoundError as e:
            raise _missing(name, spec, e) from e

    return call
