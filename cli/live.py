"""`stormops live run|replay|show|reconcile|rebuild`: live attribution over the event stream."""

import logging
import os
import signal
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from stormops.cli._common import Tenant, command_group, console, err, print_json, session

if TYPE_CHECKING:  # Kafka, numpy and the driver load inside the commands
    from stormops.attribution.live import LiveAttribution

live_app = command_group("Live attribution: consume the event stream, replay a storm onto "
                            "it, show a storm's live figures.")


@live_app.command("run")
def run(
    ctx: typer.Context,
    member: Annotated[str | None, typer.Option(
        help="This consumer's name (default host-pid).")] = None,
    max_batch: Annotated[int, typer.Option(min=1, max=50_000,
                                           help="Most events per batch.")] = 2_000,
    idle_exit: Annotated[float | None, typer.Option(
        min=0, help="Stop after this many seconds without an event (default: run on).")] = None,
) -> None:
    """Consume the events topic as a member of the live consumer group.

    Each batch goes through the event path (identities resolved, journeys and profiles
    updated), then each storm touched gets its live attribution updated; offsets are committed
    after that. Bad events go to the dead-letter topic with the reason. Run more of these for
    more throughput: the group splits the topic's partitions. Stops cleanly on Ctrl-C or
    SIGTERM (the batch in hand is finished first).
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: "
                                                   "%(message)s")
    stopping = {"now": False}

    def stop(signum: int, frame: object) -> None:
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    from stormops.attribution.live_stream import LiveConsumer
    from stormops.core.heap import settle_heap
    from stormops.stream import ensure_topics

    name = member or f"{socket.gethostname()}-{os.getpid()}"
    with session(ctx) as services:
        settings = services.settings
        services.apply_schema()
        ensure_topics(settings.kafka_bootstrap, {settings.events_topic: settings.events_partitions,
                                                 settings.dead_letter_topic: 1})
        err.print(f"{name}: consuming {settings.events_topic} at {settings.kafka_bootstrap} "
                  f"in group {settings.live_group}; dead letters to "
                  f"{settings.dead_letter_topic}")
        consumer = LiveConsumer(settings, services.live, services.live_store, name, max_batch)
        settle_heap()  # a long run: its full collections skip what start-up made
        stats = consumer.run(lambda: stopping["now"], idle_exit)
    rate = stats.messages / stats.seconds if stats.seconds else 0.0
    console.print(f"{name}: {stats.messages:,} events in {stats.batches:,} batches "
                  f"({rate:,.0f}/s), dead-lettered {stats.dead_lettered:,}, "
                  f"retried failures {stats.failures:,}")


@live_app.command("replay")
def replay(
    ctx: typer.Context,
    tenant: Tenant,
    storm: Annotated[str, typer.Option(help="Storm id of the sample to replay.")],
    rate: Annotated[float, typer.Option(min=0, help="Events per second (0: as fast as "
                                                    "possible).")] = 200.0,
    rows: Annotated[int, typer.Option(min=10, help="Sample homeowner records.")] = 5_000,
    seed: Annotated[int, typer.Option(help="Sample seed (the demo's is 7).")] = 7,
    limit: Annotated[int | None, typer.Option(min=1, help="Stop after this many.")] = None,
    retime: Annotated[bool, typer.Option(
        help="Stamp events with the time they are sent (the storm happens now).")] = False,
) -> None:
    """Publish a sample storm's events (samples.journeys) onto the events topic at a rate.

    The sample is the one `stormops events sample --rows N --seed S` writes; its storms are
    upserted first. Events keep their ids, so replaying twice counts nothing twice.
    """
    from rich.progress import Progress

    from stormops.core.events import row_to_event
    from stormops.samples.journeys import generate_journeys
    from stormops.stream import EventPublisher, ensure_topics

    made = generate_journeys(rows, seed)
    events = [row_to_event(e) for e in made.events if e["storm_id"] == storm][:limit]
    if not events:
        storms = ", ".join(s["storm_id"] for s in made.storms)
        err.print(f"[red]error:[/red] the sample ({rows} rows, seed {seed}) has no storm "
                  f"{storm!r}; its storms: {storms}")
        raise typer.Exit(1)
    with session(ctx) as services:
        settings = services.settings
        services.apply_schema()
        services.journeys.upsert_storms(
            tenant, [s for s in made.storms if s["storm_id"] == storm])
        ensure_topics(settings.kafka_bootstrap, {settings.events_topic: settings.events_partitions,
                                                 settings.dead_letter_topic: 1})
        with EventPublisher(settings.kafka_bootstrap, settings.events_topic,
                            linger_ms=5) as publisher, Progress(console=err) as progress:
            task = progress.add_task(f"Replaying {storm} onto {settings.events_topic}",
                                     total=len(events))
            started = time.monotonic()
            for pos, event in enumerate(events):
                if rate:
                    ahead = started + pos / rate - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)
                if retime:
                    event = {**event, "ts": datetime.now(UTC).isoformat()}
                publisher.send(tenant, event)
                if pos % 100 == 99:
                    progress.advance(task, 100)
            publisher.flush()
            progress.update(task, completed=len(events))
    seconds = time.monotonic() - started
    console.print(f"published {len(events):,} events of {storm} for tenant {tenant!r} in "
                  f"{seconds:.1f}s ({len(events) / seconds:,.0f}/s)")


@contextmanager
def _live(ctx: typer.Context, tenant: str) -> Iterator["LiveAttribution"]:
    """The tenant's LiveAttribution over a fresh driver."""
    with session(ctx) as services:
        yield services.live(tenant)


@live_app.command("show")
def show(ctx: typer.Context, tenant: Tenant,
         storm: Annotated[str, typer.Option(help="Storm id.")]) -> None:
    """Print a storm's live dashboard as JSON (what GET /v1/live/storms/{id} returns)."""
    with _live(ctx, tenant) as live:
        print_json(live.get_live_dashboard(storm))


@live_app.command("reconcile")
def reconcile(ctx: typer.Context, tenant: Tenant,
              storm: Annotated[str, typer.Option(help="Storm id.")]) -> None:
    """Catch a storm's live attribution up with journeys changed outside the event path (a
    bulk `events load`, a merge or unmerge)."""
    with _live(ctx, tenant) as live:
        count = live.reconcile(storm)
    console.print(f"journeys brought up to date: {count:,}")


@live_app.command("rebuild")
def rebuild(ctx: typer.Context, tenant: Tenant,
            storm: Annotated[str, typer.Option(help="Storm id.")]) -> None:
    """Compute a storm's live attribution again from all its journeys."""
    with _live(ctx, tenant) as live:
        count = live.rebuild(storm)
    console.print(f"live attribution rebuilt from {count:,} journeys")

