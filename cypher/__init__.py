"""The project's Cypher, one statement per file, loaded by name (package data).

A query that starts with `CYPHER replan=skip` keeps its cached plan however the statistics
move. Neo4j otherwise replans a query when a count it was planned on changes enough (a load
into a new tenant, or deleting one, does), and replanning costs 30-320 ms a query: a stall
for the request or stream batch that meets it (on `POST /v1/records` enough to double its
p99 under load). The queries of a record's link and of the event path keep theirs. Only a
query whose plan is index seeks from its parameters whatever the counts may keep it (an
unhinted lookup planned while its label was nearly empty can come out as an index scan);
tests/cypher/test_plans.py checks each of them on the test server.
"""

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
