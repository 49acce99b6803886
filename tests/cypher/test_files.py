"""Every .cypher file compiles on the real server; every name used exists; every file is used."""

from __future__ import annotations

import ast
from importlib.resources import files
from pathlib import Path

import pytest
from neo4j import Driver

from stormops.cypher import statements

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "graph", "matching", "attribution", "experiments", "api", "cli")


def _cypher_names() -> set[str]:
    base = Path(str(files("cypher")))
    return {str(p.relative_to(base).with_suffix("")) for p in base.rglob("*.cypher")}


BROWSER = {n for n in _cypher_names() if n.startswith("browser/")}  # for analysts, not code


def _names_used_in_code(names: set[str]) -> set[str]:
    """String literals in the project's Python that name a query (area/verb_noun)."""
    areas = {n.split("/")[0] for n in names if "/" in n}
    used = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    head, _, tail = node.value.partition("/")
                    if head in areas and tail and " " not in node.value:
                        used.add(node.value)
    return used


def test_every_query_name_in_code_exists_and_every_file_is_used() -> None:
    names = _cypher_names()
    used = _names_used_in_code(names) | {"schema"}
    assert used - names == set(), "code names queries that have no file"
    assert names - used - BROWSER == set(), "query files that no code uses"


@pytest.mark.parametrize("name", sorted(_cypher_names() - {"schema"}))
def test_query_compiles(driver: Driver, settings, name: str) -> None:
    with driver.session(database=settings.neo4j_database) as session:
        for stmt in statements(name):
            session.run(f"EXPLAIN {stmt}").consume()
