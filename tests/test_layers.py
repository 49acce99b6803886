"""The layers run one way and nothing imports in a circle, as `[tool.importlinter]` in
pyproject.toml states: api, cli and console over the domain packages, over graph, over cypher
and core. A new package joins the check when it joins the install."""

from __future__ import annotations

import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def test_imports_keep_every_contract() -> None:
    assert lint_imports(config_filename=str(PYPROJECT), no_cache=True) == 0


def test_every_installed_package_is_checked() -> None:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]
    installed = set(config["setuptools"]["package-dir"])
    assert installed == set(config["importlinter"]["root_packages"])
    acyclic = next(c for c in config["importlinter"]["contracts"]
                   if c["type"] == "acyclic_siblings")
    assert installed - {"stormops.cypher"} == set(acyclic["ancestors"])
