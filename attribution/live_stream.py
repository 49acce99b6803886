"""The stream's consumer for live attribution (`stormops live run`): batches from the events
topic, grouped by tenant, through `LiveAttribution.process_events`; refused events to the
dead-letter topic with their reason; the group's progress into the graph for dashboards."""

from __future__ import annotations

import logging
from collections.abc import Callable

from stormops.attribution.live import LiveAttribution
from stormops.core.errors import InvalidInput
from stormops.core.settings import Settings
from stormops.graph import transient_failure
from stormops.graph.live import LiveStore
from stormops.stream import BatchConsumer, BatchStats, Envelope, Progress, stream_transient

__all__ = ["LiveConsumer"]

log = logging.getLogger("stormops.live")


class LiveConsumer:
    """One member of the live consumer group.

    Args:
        settings: bootstrap servers, topics and group (read once by the caller).
        live: makes a tenant's live attribution (`Services.live`).
        store: where the group's progress is written (`graph.live.LiveStore`).
        member: this member's name (logs and progress).
        max_batch: most events per batch.
    """

    def __init__(self, settings: Settings, live: Callable[[str], LiveAttribution],
                 store: LiveStore, member: str = "live", max_batch: int = 2_000) -> None:
        self.settings = settings
        self.store = store
        self._make = live
        self._tenants: dict[str, LiveAttribution] = {}
        self.consumer = BatchConsumer(
            settings.kafka_bootstrap, settings.events_topic, settings.dead_letter_topic,
            settings.live_group, max_batch=max_batch, member=member,
            on_progress=self._progress, transient=_outage)

    def live(self, tenant: str) -> LiveAttribution:
        """The tenant's live attribution (one per tenant seen)."""
        if tenant not in self._tenants:
            self._tenants[tenant] = self._make(tenant)
        return self._tenants[tenant]

    def handle(self, envelopes: list[Envelope]) -> list[tuple[Envelope, str]]:
        """Write a batch, tenant by tenant; returns the refused events with their reasons."""
        by_tenant: dict[str, list[Envelope]] = {}
        for envelope in envelopes:
            by_tenant.setdefault(envelope.tenant, []).append(envelope)
        refused = []
        for tenant, items in by_tenant.items():
            try:
                batch = self.live(tenant).process_events([item.event for item in items])
            except InvalidInput as exc:
                if exc.field != "tenant":
                    raise
                refused += [(item, exc.message) for item in items]  # not a tenant id at all
                continue
            refused += [(items[pos], reason) for pos, reason in batch.rejected]
            log.info("tenant %s: %d recorded, %d duplicates, %d refused; storms %s", tenant,
                     batch.recorded, len(batch.outcomes) - batch.recorded, len(batch.rejected),
                     ", ".join(batch.storms) or "-")
        return refused

    def _progress(self, progress: Progress) -> None:
        self.store.write_progress(progress.group, progress.topic, progress.member,
                                  progress.partitions)

    def run(self, should_stop: Callable[[], bool] = lambda: False,
            idle_exit: float | None = None) -> BatchStats:
        """Consume until told to stop (or idle for `idle_exit` seconds), then leave the group."""
        try:
            return self.consumer.run(self.handle, should_stop, idle_exit)
        finally:
            self.consumer.close()


def _outage(exc: BaseException) -> bool:
    """Kafka or Neo4j away or busy: wait it out (anything else is a fault of some event)."""
    return stream_transient(exc) or transient_failure(exc)
