"""The project's Cypher, one statement per file, loaded by name (package data).

The queries the code runs keep their cached plan however the statistics move
(`CYPHER replan=skip`, added here). They are key-driven: unique-key or hinted index seeks, so
EXPLAIN of each on an empty database and on one of 120k nodes gave the same plan. Neo4j would
otherwise replan a query whenever a count it was planned on changed enough (creating or
deleting a tenant does), at 30-320 ms a query, 1.4 s for the event path's: a stall for the
stream batch or request that met it, and nothing gained. A restart or a schema change still
plans afresh. The analysts' saved queries (`browser/`) are shown as written and planned as
Neo4j chooses.
"""

from functools import cache
from importlib.resources import files

__all__ = ["KEEP_PLAN", "chained", "cypher", "statements"]

KEEP_PLAN = "CYPHER replan=skip\n"


def _text(name: str) -> str:
    return files(__name__).joinpath(f"{name}.cypher").read_text(encoding="utf-8")


@cache
def cypher(name: str) -> str:
    """The query of cypher/<name>.cypher, as run (see the module docstring); raises
    FileNotFoundError for an unknown name."""
    text = _text(name)
    return text if name.startswith("browser/") else KEEP_PLAN + text


def statements(name: str) -> list[str]:
    """The `;`-separated statements of a multi-statement file such as the schema, as written."""
    body = "\n".join(
        line for line in _text(name).splitlines() if not line.lstrip().startswith("//")
    )
    return [stmt.strip() for stmt in body.split(";") if stmt.strip()]


@cache
def chained(*names: str) -> str:
    """One query running the named queries in turn, each as a unit subquery (`CALL () {}`)
    over the same parameters: a transaction's write steps in one round trip instead of one
    each. None of them may return rows."""
    return KEEP_PLAN + "\n".join(f"CALL () {{\n{_text(name)}\n}}" for name in names)
