"""The graph's own consistency check for one tenant (`stormops check`).

Every count in `Report.problems` must be zero in a healthy tenant:

    records_without_link                 stored records an ingest has not linked yet (a load
                                         cut short: the next ingest of the tenant links them)
    records_not_on_one_active_identity   records with two links, or linked to a merged identity
    identifiers_not_on_one_active_identity
    orphan_identities                    active identities nothing links to
    merged_without_survivor              merged identities whose merge chain ends nowhere live
    journeys_without_profile             active identities with journeys but no profile
    merged_with_journeys_or_profile      merged identities still holding journeys or a profile
    dangling_journeys                    journeys without a live identity, a storm or events
    stale_journeys                       journeys not recomputed since events landed (an
                                         events load cut short: the next load, or `stormops
                                         events refresh`, finishes them)
    dangling_touchpoints                 events on no journey, or on two
    properties_with_two_owners
    approved_reviews_not_merged          approved review items whose identities are still apart

`Report.notes` are worth knowing but not wrong: open review items whose identities were since
merged by other means (`open_reviews_already_one_identity`).
"""

from __future__ import annotations

from dataclasses import dataclass

from stormops.graph._identifiers import check_tenant
from stormops.graph._store import GraphStore

NOTES = ("open_reviews_already_one_identity",)


@dataclass(frozen=True)
class Report:
    """Counts by check: `problems` (each should be 0) and `notes`."""

    problems: dict[str, int]
    notes: dict[str, int]

    @property
    def clean(self) -> bool:
        return not any(self.problems.values())


class GraphCheck(GraphStore):
    """Consistency checks over one tenant's part of the graph.

    Example:
        >>> GraphCheck(driver, "neo4j").run("acme").clean
        True
    """

    def run(self, tenant: str) -> Report:
        """Every check (read-only; a full pass over the tenant's nodes)."""
        check_tenant(tenant)
        [row] = self._rows("check/tenant", {"tenant": tenant, "prefix": f"{tenant}|"},
                           timeout=600)
        return Report({k: v for k, v in row.items() if k not in NOTES},
                      {k: row[k] for k in NOTES})

    def unfinished(self, tenant: str) -> dict[str, int]:
        """What a load cut short left: records without a link, stale journeys (cheap)."""
        check_tenant(tenant)
        return self._rows("check/unfinished", {"tenant": tenant})[0]
