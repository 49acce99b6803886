"""The project's Cypher, one statement per file, loaded by name (package data)."""

from functools import cache
from importlib.resources import files

__all__ = ["chained", "cypher", "statements"]


@cache
def cypher(name: str) -> str:
    """Text of cypher/<name>.cypher; raises FileNotFoundError for an unknown name."""
    return files(__name__).joinpath(f"{name}.cypher").read_text(encoding="utf-8")


def statements(name: str) -> list[str]:
    """The `;`-separated statements of a multi-statement file such as the schema."""
    body = "\n".join(
        line for line in cypher(name).splitlines() if not line.lstrip().startswith("//")
    )
    return [stmt.strip() for stmt in body.split(";") if stmt.strip()]


@cache
def chained(*names: str) -> str:
    """One query running the named queries in turn, each as a unit subquery (`CALL () {}`)
    over the same parameters: a transaction's write steps in one round trip instead of one
    each. None of them may return rows."""
    return "\n".join(f"CALL () {{\n{cypher(name)}\n}}" for name in names)
