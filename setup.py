"""Package layout: the repository's top-level folders install under one import name.

``agent/`` becomes ``screenpilot.agent``, ``model/`` becomes ``screenpilot.model`` and so
on; every sub-package is found here, so the list cannot drift from the tree. Everything
else is declared in ``pyproject.toml``.
"""

from setuptools import find_namespace_packages, setup

LAYERS = ("tools", "environments", "model", "agent", "workflows", "benchmarks", "app")

package_dir = {"screenpilot": "screenpilot"}
packages = ["screenpilot"]
for layer in LAYERS:
    package_dir[f"screenpilot.{layer}"] = layer
    # namespace folders too: templates/ and static/ hold package data without an __init__.py
    found = find_namespace_packages(layer, exclude=["*__pycache__*"])
    packages += [f"screenpilot.{layer}"] + [f"screenpilot.{layer}.{p}" for p in found]

setup(package_dir=package_dir, packages=packages)
