"""The hot queries' lookups cannot be planned as scans (docs/architecture.md, cypher/):
a lookup by a unique key says `USING INDEX SEEK`, and the far end of a LINK, OWNS or
RESIDES_AT carries no label. Planned while an index was still counted empty, an unhinted or
plainly hinted lookup scanned the Identifier index per key (a bulk load 12x slower), and
such nested plans do not show in EXPLAIN, so the text is what is checked.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from stormops.cypher import cypher

# The areas on a record's, an event's and a review decision's path.
HOT = ("identity", "journey", "profile", "live", "matching", "review")
UNIQUE = {"Identity": "identity_id", "Identifier": "key", "Property": "key",
          "Touchpoint": "key", "Journey": "journey_id", "Storm": "key", "Record": "key",
          "ReviewItem": "key", "Profile": "identity_id", "MergeEvent": "event_id"}
_LOOKUP = re.compile(r"MATCH \((\w+):(\w+) \{(\w+): ")
# A labelled far end with no property map: the planner may scan the label instead.
_LABELLED_END = re.compile(r"-\[\w*:LINK[^\]]*\]->\(\w*:Identity\)"
                           r"|\(\w*:Identity\)-\[\w*:(?:OWNS|RESIDES_AT)")


def _hot() -> list[str]:
    base = Path(str(files("cypher")))
    return sorted(str(p.relative_to(base).with_suffix("")) for area in HOT
                  for p in (base / area).glob("*.cypher"))


def _code(name: str) -> list[str]:
    return [line.split("//")[0] for line in cypher(name).splitlines()]


@pytest.mark.parametrize("name", _hot())
def test_unique_key_lookups_are_hinted_seeks(name: str) -> None:
    lines = _code(name)
    for pos, line in enumerate(lines):
        for match in _LOOKUP.finditer(line):
            variable, label, key = match.groups()
            if UNIQUE.get(label) != key:
                continue
            hint = f"USING INDEX SEEK {variable}:{label}({key})"
            assert hint in line or hint in "".join(lines[pos + 1:pos + 2]), (
                f"{name}: line {pos + 1} looks {label} up by {key} without `{hint}`")


@pytest.mark.parametrize("name", _hot())
def test_link_and_tie_far_ends_carry_no_label(name: str) -> None:
    for pos, line in enumerate(_code(name)):
        assert not _LABELLED_END.search(line), (
            f"{name}: line {pos + 1} labels the far end of a LINK/OWNS/RESIDES_AT: {line.strip()}")


def test_the_checks_catch_what_they_guard() -> None:
    assert _LOOKUP.search("MATCH (t:Touchpoint {key: key})")
    assert _LABELLED_END.search("MATCH (i)-[:LINK]->(owner:Identity)")
    assert _LABELLED_END.search("OPTIONAL MATCH (o:Identity)-[:OWNS]->(p)")
    assert not _LABELLED_END.search("MATCH (c)-[:LINK]->(i:Identity {status: 'active'})")
