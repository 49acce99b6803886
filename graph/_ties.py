"""Property ties through merges and unmerges, kept exact in any order of undo.

A tie `(:Identity)-[:OWNS|RESIDES_AT {sources}]->(:Property)` lists in `sources` the
identities whose own records tied it (a tie made by linking has its identity alone). A merge
adds the other identity's ties, sources and all, to the survivor's; the merge event records
which sources it moved. Undoing it takes exactly those sources back from wherever they are
now, whatever was merged or undone in between: a tie is on an identity while some source
holds it there. Pure: the graph reads and writes are in `identities`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Ties = dict[tuple[str, str], set[str]]  # (property key, OWNS|RESIDES_AT) -> source identities


def ties_of(rows: Iterable[Mapping], identity_id: str) -> Ties:
    """One identity's ties from identity/read_ties rows (of any identities)."""
    ties: Ties = {}
    for row in rows:
        if row["identity_id"] == identity_id:
            ties.setdefault((row["key"], row["rel"]), set()).update(row["sources"])
    return ties


def merged(into: Ties, other: Ties) -> tuple[Ties, list[dict]]:
    """The survivor's ties after a merge, and what the merge moved (for its event)."""
    result = {tie: set(sources) for tie, sources in into.items()}
    for tie, sources in other.items():
        result.setdefault(tie, set()).update(sources)
    moved = [{"key": key, "rel": rel, "sources": sorted(sources)}
             for (key, rel), sources in sorted(other.items())]
    return result, moved


def unmerged(live: Ties, moved: Iterable[Mapping], other: str) -> tuple[Ties, Ties]:
    """(live's ties, the other identity's ties) once a merge's moved sources go back.

    `moved` rows are {key, rel, sources}; an event written before sources were kept has
    {key, rel, created} instead, undone as it was then.
    """
    live = {tie: set(sources) for tie, sources in live.items()}
    returned: Ties = {}
    for row in moved:
        tie = (row["key"], row["rel"])
        if "sources" not in row:  # as undone before: the tie back, and off the survivor
            returned.setdefault(tie, set()).add(other)       # when the merge had made it
            if row.get("created"):
                live.pop(tie, None)
            continue
        present = live.get(tie, set()) & set(row["sources"])
        live[tie] = live.get(tie, set()) - present
        if present:
            returned.setdefault(tie, set()).update(present)
    return live, returned


def tie_rows(identity_id: str, ties: Ties, keys: Iterable[str]) -> list[dict]:
    """identity/set_ties rows: the identity's ties to each property in `keys`, as wanted."""
    return [{"identity_id": identity_id, "key": key,
             "ties": [{"rel": rel, "sources": sorted(ties[(key, rel)])}
                      for rel in ("OWNS", "RESIDES_AT") if ties.get((key, rel))]}
            for key in sorted(set(keys))]
