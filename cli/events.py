"""`stormops events load|refresh|sample|show` and `stormops target`: journeys, profiles and
targeting.

Settings come from the main callback (`ctx.obj`), as for every other command.
"""

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from stormops.cli._common import (
    Tenant,
    command_group,
    console,
    err,
    print_json,
    say_unfinished,
    session,
)
from stormops.graph import EVENT_BATCH, WRITERS

if TYPE_CHECKING:  # the driver and the graph layer load inside the commands
    from stormops.graph.journeys import JourneyGraph, LoadResult
    from stormops.services import Services

events_app = command_group("Journey events: load a CSV, finish a cut-short load, write a "
                         "sample, show a journey.")


def load_with_progress(journeys: "JourneyGraph", tenant: str, rows: Iterable[dict], label: str,
                       total: int, batch_size: int = EVENT_BATCH,
                       workers: int = WRITERS) -> "LoadResult":
    """`load_events` with a bar for the events and one for the recomputation that ends it."""
    with Progress(console=err) as progress:
        task = progress.add_task(label, total=total)
        refresh = progress.add_task("Recomputing journeys and profiles", total=None)
        return journeys.load_events(
            tenant, rows, batch_size, workers, progress=lambda n: progress.advance(task, n),
            refreshing=lambda done, of: progress.update(refresh, completed=done, total=of))


def load_events_file(journeys: "JourneyGraph", tenant: str, path: Path, batch_size: int,
                     workers: int) -> None:
    """Stream a CSV of events into the graph with progress bars; print the counts."""
    from stormops.core.events import row_to_event

    with path.open(newline="", encoding="utf-8") as fh:
        total = max(0, sum(1 for _ in fh) - 1)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = (row_to_event(row) for row in csv.DictReader(fh))
        result = load_with_progress(journeys, tenant, rows, f"Loading {path.name}", total,
                                    batch_size, workers)
    console.print(f"recorded {result.recorded:,}, duplicates {result.duplicates:,}, "
                  f"new identities {result.identities_created:,}, "
                  f"rejected {len(result.rejected):,}")
    console.print(f"journeys and their profiles recomputed: {result.journeys_refreshed:,}; "
                  f"seconds: append {result.seconds['append']:.1f}, "
                  f"recompute {result.seconds['recompute']:.1f}")
    for pos, reason in result.rejected[:20]:
        err.print(f"  row {pos + 2}: {reason}")


@events_app.command("load")
def load(
    ctx: typer.Context,
    tenant: Tenant,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                         help="CSV of events (core.events.EVENT_COLUMNS).")],
    storms: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="JSON list of storms to upsert first.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Events per transaction.")] = EVENT_BATCH,
    workers: Annotated[int, typer.Option(min=1, help="Transactions at a time.")] = WRITERS,
) -> None:
    """Bulk-load events: each resolved to an identity, appended to its journey, profile updated.

    Batched transactions; re-loading a file adds nothing (events are unique by event_id).
    """
    with session(ctx) as services:
        services.apply_schema()
        say_unfinished(services, tenant)
        journeys = services.journeys
        if storms is not None:
            count = journeys.upsert_storms(tenant, json.loads(storms.read_text()))
            console.print(f"storms upserted: {count}")
        load_events_file(journeys, tenant, file, batch_size, workers)


@events_app.command("refresh")
def refresh(
    ctx: typer.Context,
    tenant: Tenant,
    workers: Annotated[int, typer.Option(min=1, help="Transactions at a time.")] = WRITERS,
) -> None:
    """Recompute the journeys and profiles a bulk load cut short left Stale.

    Every load ends with this; run it alone after a load was interrupted. Nothing Stale, nothing
    written.
    """
    with session(ctx) as services, Progress(console=err) as progress:
        task = progress.add_task("Recomputing journeys and profiles", total=None)
        done = services.journeys.refresh(
            tenant, workers=workers,
            progress=lambda n, of: progress.update(task, completed=n, total=of))
    console.print(f"journeys and their profiles recomputed: {done:,}")


@events_app.command("sample")
def sample(
    rows: Annotated[int, typer.Option(min=1, help="Homeowner records to build on.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same files.")] = 7,
    output: Annotated[Path, typer.Option(help="Events CSV to write.")] = Path("data/events.csv"),
    storms: Annotated[Path, typer.Option(help="Storms JSON to write.")] = Path("data/storms.json"),
) -> None:
    """Write synthetic events (with ground-truth columns) and their storms."""
    from stormops.samples.journeys import generate_journeys, write_events_csv

    made = generate_journeys(rows, seed)
    output.parent.mkdir(parents=True, exist_ok=True)
    storms.parent.mkdir(parents=True, exist_ok=True)
    write_events_csv(made.events, output)
    storms.write_text(json.dumps(made.storms, indent=2))
    console.print(f"Wrote {len(made.events):,} events to {output} and "
                  f"{len(made.storms)} storms to {storms}.")


@events_app.command("show")
def show(ctx: typer.Context, tenant: Tenant, identity_id: str) -> None:
    """Print an identity's behavioral profile and journeys (events in order) as JSON."""
    with session(ctx, dataframes=False) as services:
        profile = services.profiles.get_profile(tenant, identity_id)
        journeys = services.journeys.journeys(tenant, identity_id)
    print_json({"profile": profile, **journeys})


def target(
    ctx: typer.Context,
    tenant: Tenant,
    min_ltv: Annotated[float, typer.Option(min=0, help="Lifetime value at least this.")] = 0.0,
    segment: Annotated[str | None, typer.Option(help="Only this segment.")] = None,
    storm: Annotated[str | None, typer.Option(help="Only identities in this storm.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Page size.")] = 20,
    cursor: Annotated[str | None, typer.Option(help="next_cursor of the previous page.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the page as JSON.")] = False,
) -> None:
    """Target identities, highest lifetime value first, e.g. `--min-ltv 50000`."""
    from stormops.core.targeting import TargetQuery

    with session(ctx, dataframes=False) as services:
        page = services.profiles.target(
            tenant, TargetQuery(min_ltv=min_ltv, segment=segment, storm_id=storm, limit=limit,
                                cursor=cursor))
    if as_json:
        print_json(page)
        return
    table = Table("identity_id", "lifetime_value", "conversions", "storms", "segment",
                  "primary_channel", "avg_sii", "avg_uplift")
    for p in page["items"]:
        table.add_row(p["identity_id"], f"{p['lifetime_value']:,.2f}",
                      str(p["total_conversions"]), str(p["total_storms"]), str(p["segment"]),
                      str(p["primary_channel"]), _num(p["avg_sii_score"]), _num(p["avg_uplift"]))
    console.print(table)
    if page["next_cursor"]:
        console.print(f"next page: --cursor {page['next_cursor']}")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def demo_journeys(services: "Services", tenant: str, rows: int, seed: int) -> None:
    """The demo's second half: the sample's storms (with the properties each hit), a geo split
    and a door-knock holdout over the storm that hit most homes, assigned from its impacted
    properties before any outreach, then the events as those arms let them happen; where to
    look."""
    from stormops.core.events import row_to_event
    from stormops.core.targeting import TargetQuery
    from stormops.samples.journeys import generate_journeys

    journeys = services.journeys
    journeys.upsert_storms(tenant, generate_journeys(rows, seed, impacted=True).storms)
    storm, withheld = demo_experiments(services, tenant, rows, seed)
    made = generate_journeys(rows, seed, impacted=True, withheld=withheld)
    result = load_with_progress(journeys, tenant, (row_to_event(e) for e in made.events),
                                f"Loading {len(made.events):,} sample events",
                                len(made.events))
    console.print(f"events recorded {result.recorded:,}, duplicates {result.duplicates:,}, "
                  f"rejected {len(result.rejected):,}")
    services.live(tenant).reconcile(storm)  # the cockpit shows it at once
    top = services.profiles.target(tenant, TargetQuery(limit=1))["items"]
    if top:
        print(f"highest lifetime value: {top[0]['identity_id']} "
              f"(${top[0]['lifetime_value']:,.2f}, {top[0]['segment']}); "
              f"`stormops events show -t {tenant} {top[0]['identity_id']}`")
    report = services.incrementality(tenant).generate_report(storm)
    print(f"Incrementality of {storm}: {report['headline']}\n"
          f"  `stormops report -t {tenant} --storm {storm}` writes the HTML report; "
          f"`stormops experiments list -t {tenant} --storm {storm}` shows the arms.")
    print("Saved Browser queries for journeys and merges: cypher/browser/*.cypher; "
          "`stormops target -t TENANT --min-ltv 50000` lists the best customers.")


def demo_experiments(services: "Services", tenant: str, rows: int, seed: int
                     ) -> tuple[str, Callable[[str, str], frozenset[str]]]:
    """A geo split and a door-knock channel holdout over the storm (stored already) that hit
    most homes, assigned from its impacted properties. Returns the storm and what each of its
    homes is withheld: a geo control zip every follow-up channel, a held-out home door knocks.
    """
    from stormops.core.normalize import normalize_token
    from stormops.samples.journeys import FOLLOW_UP_WEIGHTS, generate_journeys

    storms = generate_journeys(rows, seed, impacted=True).storms
    storm = max(storms, key=lambda s: (len(s.get("properties", {})), s["storm_id"]))["storm_id"]
    platform = services.experiments(tenant)
    geo = platform.create_experiment("geo_split", {"name": f"{storm} geo split",
                                                   "storm_id": storm})
    knock = platform.create_experiment("channel_holdout", {
        "name": f"{storm} door-knock holdout", "storm_id": storm, "channel": "door_knock",
        "holdout_share": 0.3})
    for experiment_id in (geo, knock):
        summary = platform.assign_storm(experiment_id)
        console.print(f"experiment {experiment_id} over {storm}: units {summary.units}, "
                      f"properties {summary.properties}")
    geo_arms = platform.store.assignments(tenant, geo)
    knock_arms = platform.store.assignments(tenant, knock)
    everything = frozenset(FOLLOW_UP_WEIGHTS)

    def withheld(storm_id: str, property_id: str) -> frozenset[str]:
        if storm_id != storm:
            return frozenset()
        key = normalize_token(property_id, "property_id")  # as the graph stores it
        held = everything if geo_arms.get(key) == "control" else frozenset()
        return held | ({"door_knock"} if knock_arms.get(key) == "held_out" else set())

    return storm, withheld
