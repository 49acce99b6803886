"""`stormops`: run the local Neo4j, load data, resolve, merge and audit identities."""

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from stormops.cli import _files
from stormops.cli._common import Tenant, command_group, console, err, errors, print_json, session
from stormops.cli.attribution import attribution_app
from stormops.cli.console import run_console
from stormops.cli.events import events_app, target
from stormops.cli.experiments import experiments_app, report
from stormops.cli.live import live_app
from stormops.cli.matching import export, ingest, match_app
from stormops.cli.mmm import mmm_app
from stormops.cli.review import review_app
from stormops.cli.servers import server_app
from stormops.core.local import LOCAL_PASSWORD
from stormops.graph import LINK_BATCH

app = command_group(__doc__, pretty_exceptions_enable=False)
neo4j_app = server_app("stormops.cli.neo4j_local", "Neo4j", "deploy/pom.xml", 180.0,
                       "The local Neo4j server (assembled from Maven Central).")
kafka_app = server_app("stormops.cli.kafka_local", "Kafka", "deploy/kafka-pom.xml", 120.0,
                       "The local Kafka broker (KRaft, assembled from Maven Central); `start` "
                       "also creates the event topics.")
db_app = command_group("Database schema.")
keys_app = command_group("API keys: each maps to one tenant and one role.")
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(kafka_app, name="kafka")
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(events_app, name="events")
app.add_typer(experiments_app, name="experiments")
app.add_typer(attribution_app, name="attribute")
app.add_typer(live_app, name="live")
app.add_typer(match_app, name="match")
app.add_typer(review_app, name="review")
app.add_typer(mmm_app, name="mmm")
app.command()(ingest)
app.command("console")(run_console)
app.command()(export)
app.command()(report)
app.command()(target)



@app.callback()
def main(ctx: typer.Context) -> None:
    """Settings come from the environment: NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, STORMOPS_*."""
    from stormops.core.settings import Settings

    try:
        ctx.obj = Settings()
    except ValueError as exc:
        err.print(f"[red]error:[/red] bad settings: {exc}")
        raise typer.Exit(2) from None


@app.command("backup")
def backup_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option(dir_okay=False, help="Archive to write (.tar.gz).")],
    stop: Annotated[bool, typer.Option(
        help="Stop the local Neo4j for the dump and start it again (Community edition "
             "dumps only a stopped database).")] = False,
) -> None:
    """Back up the graph (neo4j-admin dump), the matching models and the configuration into
    one archive."""
    from stormops.cli.backup import backup

    with errors():
        manifest = backup(ctx.obj, output, stop, log=err.print)
    graph = manifest["graph"] or {}
    console.print(f"Backed up to {output}: {graph.get('nodes', '?')} nodes, "
                  f"{graph.get('relationships', '?')} relationships, "
                  f"{sum(n.startswith('models/') for n in manifest['files'])} model files.")


@app.command("restore")
def restore_command(
    ctx: typer.Context,
    archive: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                            help="Archive written by `stormops backup`.")],
    stop: Annotated[bool, typer.Option(
        help="Stop the local Neo4j for the load and start it again.")] = False,
) -> None:
    """Restore an archive: the database replaced by its dump, the models by its models."""
    from stormops.cli.backup import restore

    with errors():
        manifest = restore(ctx.obj, archive, stop, log=err.print)
    saved, loaded = manifest["graph"], manifest.get("restored")
    if saved and loaded and saved != loaded:
        err.print(f"[red]error:[/red] the restored graph differs from the backup: "
                  f"{loaded} != {saved}")
        raise typer.Exit(1)
    console.print(f"Restored {archive} (backed up {manifest['created_at']}); graph digest "
                  f"{'identical' if saved and saved == loaded else 'not compared'}.")


@db_app.command("init")
def db_init(ctx: typer.Context) -> None:
    """Apply constraints and indexes (safe to repeat)."""
    with session(ctx) as services:
        count = services.apply_schema()
    console.print(f"Schema applied ({count} statements).")


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
    tenant: Tenant,
    role: Annotated[str, typer.Option(
        help="reader (every read), service (+ records and events), reviewer (+ merges and "
             "the review queue) or admin (+ keys, configuration, erasure).")] = "service",
    label: Annotated[str | None, typer.Option(help="Whose key it is, shown by `keys list`.")]
    = None,
) -> None:
    """Create an API key; it is printed once, alone on the last line, and stored hashed."""
    with session(ctx, dataframes=False) as services:
        services.apply_schema()
        key = services.create_key(tenant, role, label)
    err.print(f"API key for tenant {tenant!r}, role {role!r} (shown once; keep it safe):")
    print(key)


@keys_app.command("list")
def keys_list(ctx: typer.Context, tenant: Tenant) -> None:
    """The tenant's keys, oldest first: id, role, label, created, revoked (never secrets)."""
    with session(ctx, dataframes=False) as services:
        keys = services.keys(tenant)
    table = Table("key_id", "role", "label", "created_at", "revoked_at")
    for key in keys:
        table.add_row(key["key_id"], key["role"], key["label"] or "",
                      key["created_at"].isoformat(timespec="seconds"),
                      key["revoked_at"].isoformat(timespec="seconds") if key["revoked_at"]
                      else "")
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(ctx: typer.Context, tenant: Tenant,
                key_id: Annotated[str, typer.Argument(help="The key's id (`keys list`).")]) -> None:
    """Revoke a key: every API worker refuses it within seconds."""
    with session(ctx, dataframes=False) as services:
        key = services.revoke_key(tenant, key_id)
    console.print(f"Key {key['key_id']} ({key['role']}) revoked at "
                  f"{key['revoked_at'].isoformat(timespec='seconds')}.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "warning",
) -> None:
    """Run the HTTP API (OpenAPI at /docs)."""
    import uvicorn

    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="stormops-metrics-")
    err.print(f"StormOps API listening on http://{host}:{port} - docs at "
              f"http://{host}:{port}/docs ({workers} worker{'s' if workers > 1 else ''})",
              soft_wrap=True)  # one line, whatever the width: logs and scripts read it
    uvicorn.run("stormops.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, access_log=False)


@app.command("eval", context_settings={"allow_extra_args": True,
                                      "ignore_unknown_options": True, "help_option_names": []})
def evaluate(ctx: typer.Context) -> None:
    """Score matching against ground truth: febrl3, febrl4 or sample (`eval --help`)."""
    from stormops.matching.evaluate import main as run_evaluation

    raise typer.Exit(run_evaluation(ctx.args))


@app.command()
def sample(
    rows: Annotated[int, typer.Option(min=1, help="Number of records.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same file.")] = 7,
    output: Annotated[Path, typer.Option(help="CSV to write.")] = Path("data/sample.csv"),
    households: Annotated[bool, typer.Option(
        "--households", help="Household-heavy, with people changing phone, email or home.")
    ] = False,
) -> None:
    """Write a synthetic homeowner dataset with a ground-truth person_id column."""
    from stormops.samples.homeowners import generate_records, write_csv

    output.parent.mkdir(parents=True, exist_ok=True)
    write_csv(generate_records(rows, seed, households=households), output)
    console.print(f"Wrote {rows:,} records to {output}.")


@app.command()
def link(
    ctx: typer.Context,
    tenant: Tenant,
    input: _files.Input,
    map: _files.Maps = None,
    encoding: _files.Encoding = None,
    delimiter: _files.Delimiter = None,
    invalid: _files.Invalid = None,
    country: _files.Country = None,
    source: _files.Source = None,
    close_pairs: Annotated[bool, typer.Option(
        help="Queue close pairs the exact rules left apart for review (judged by the "
             "tenant's model, or the shipped prior).")] = True,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per transaction.")] = LINK_BATCH,
    problems: _files.Problems = None,
) -> None:
    """Link records by exact identifiers (email, phone, device, national id, name + birth
    date or property), streaming the file in batched transactions, with progress.

    Each row is stored as a Record (unmapped columns in extra, its line kept) linked to its
    identity; close pairs are queued for review. Columns are mapped as for `ingest`.
    """
    from rich.progress import Progress

    from stormops.matching.normalize import with_derived

    with session(ctx) as services, _files.open_input(
            services.settings, input, map, encoding, delimiter, invalid, country) as (intake, rows):
        services.apply_schema()
        linker = services.exact
        label = source or input.name
        with Progress(console=err) as progress:
            task = progress.add_task(f"Linking {input.name}", total=None)
            counts = linker.link(
                tenant, ((with_derived({**row.record, "source": row.record["source"] or label}),
                          row.extra, row.line) for row in rows),
                close_pairs=close_pairs, batch_size=batch_size,
                progress=lambda n: progress.advance(task, n))
    console.print(f"linked {counts.linked:,}, created {counts.created:,}, unchanged "
                  f"{counts.unchanged:,}, queued for review {counts.queued:,} (review items "
                  f"{counts.reviews:,}); close pairs judged by "
                  f"{'the shipped prior ' if counts.prior else ''}{counts.model_version}")
    _files.refuse_if_empty(intake, problems)
    _files.print_intake(intake, problems)


@app.command()
def resolve(
    ctx: typer.Context,
    tenant: Tenant,
    value: Annotated[str, typer.Argument(help="Email, phone, device, property or identity id.")],
    type: Annotated[str | None, typer.Option(help="Identifier type; guessed if omitted.")] = None,
) -> None:
    """Print the identity an identifier resolves to (exit 1 when none)."""
    with session(ctx, dataframes=False) as services:
        found = services.identities.resolve_identity(tenant, value, type)
    if found is None:
        err.print(f"no identity for {value!r}")
        raise typer.Exit(1)
    console.print(found)


@app.command()
def profile(ctx: typer.Context, tenant: Tenant, identity_id: str) -> None:
    """Print an identity with its identifiers, properties and history as JSON."""
    with session(ctx, dataframes=False) as services:
        found = services.identities.get_profile(tenant, identity_id)
    print_json(found)


@app.command()
def merge(
    ctx: typer.Context, tenant: Tenant,
    into: Annotated[str, typer.Option(help="The identity that survives.")],
    other: Annotated[str, typer.Option(help="The identity merged into it.")],
    reason: Annotated[str, typer.Option(help="Why, for the audit trail.")],
    actor: Annotated[str, typer.Option(help="Who.")] = "cli",
    override_cannot_link: Annotated[bool, typer.Option(
        help="Merge even though a reviewer marked them as different people (audited).")] = False,
) -> None:
    """Merge two identities; prints the merge event id."""
    with session(ctx, dataframes=False) as services:
        console.print(services.identities.merge_identities(
            tenant, into, other, actor, reason, override_cannot_link=override_cannot_link))


@app.command()
def unmerge(
    ctx: typer.Context, tenant: Tenant, event_id: str,
    reason: Annotated[str, typer.Option(help="Why, for the audit trail.")],
    actor: Annotated[str, typer.Option(help="Who.")] = "cli",
) -> None:
    """Undo a merge event; prints the unmerge event id."""
    with session(ctx, dataframes=False) as services:
        console.print(services.identities.unmerge(tenant, event_id, actor, reason))


@app.command()
def check(
    ctx: typer.Context, tenant: Tenant,
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Check the tenant's graph: every record on one active identity, no orphans, nothing
    dangling or stale, reviews consistent with merges. Exit 1 when a problem is found."""
    with session(ctx, dataframes=False) as services:
        report = services.check.run(tenant)
    if as_json:
        print_json({"clean": report.clean, "problems": report.problems, "notes": report.notes})
    else:
        table = Table("check", "count", "")
        for name, count in report.problems.items():
            table.add_row(name, f"{count:,}", "[red]problem[/red]" if count else "ok")
        for name, count in report.notes.items():
            table.add_row(name, f"{count:,}", "note")
        console.print(table)
        console.print("clean" if report.clean else "[red]problems found[/red] (see "
                      "`stormops check --help`; a cut-short load is finished by re-running it)")
    if not report.clean:
        raise typer.Exit(1)


@app.command()
def forget(
    ctx: typer.Context, tenant: Tenant,
    identity_id: Annotated[str, typer.Argument(help="Any id of the person (merged ids too).")],
    reason: Annotated[str, typer.Option(help="Why, for the audit trail.")],
    actor: Annotated[str, typer.Option(help="Who.")] = "cli",
) -> None:
    """Erase a person: records, identifiers, journeys, profile; prints what was removed."""
    with session(ctx, dataframes=False) as services:
        print_json(services.erasure.forget(tenant, identity_id, actor, reason))


@app.command()
def history(ctx: typer.Context, tenant: Tenant, identity_id: str) -> None:
    """Print an identity's merge/unmerge events, newest first, as JSON."""
    with session(ctx, dataframes=False) as services:
        events = services.identities.history(tenant, identity_id)
    print_json(events)


_TRUTH = ("person_id", "household_id")  # the sample's answers, kept out of the graph
_BROWSER_QUERY = (
    "MATCH (p:Property)<-[t:OWNS|RESIDES_AT]-(n:Identity {tenant_id: $tenant})"
    "<-[l:LINK]-(i:Identifier) WITH p, count(DISTINCT n) AS people WHERE people > 1 "
    "MATCH path = (p)<-[:OWNS|RESIDES_AT]-(:Identity)<-[:LINK]-(:Identifier) "
    "RETURN path LIMIT 60"
)


@app.command()
def demo(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Option(help="Tenant to load the sample into.")] = "demo",
    rows: Annotated[int, typer.Option(min=10, help="Sample records.")] = 5_000,
    seed: Annotated[int, typer.Option(help="Sample seed.")] = 7,
) -> None:
    """Match a synthetic sample into the graph, resolve a few identifiers, say where to look."""
    from stormops.cli.events import demo_journeys
    from stormops.cli.matching import print_report, progress_bars
    from stormops.cli.mmm import load_sample
    from stormops.matching.normalize import normalize_records
    from stormops.samples.homeowners import generate_records

    settings = ctx.obj
    records = generate_records(rows, seed)
    with session(ctx) as services:
        services.apply_schema()
        graph = services.identities
        batch = normalize_records([{k: v for k, v in r.items() if k not in _TRUTH}
                                   for r in records], region=settings.phone_region)
        with progress_bars(f"{rows:,} sample records") as progress:
            report = services.ingest.run(tenant, batch, progress=progress)
        print_report(report)
        demo_journeys(services, tenant, rows, seed)  # storms, events, profiles
        load_sample(services, f"{tenant}-mmm")  # two years of weekly marketing
        shown, example = 0, ""
        for record in records:
            if shown == 4 or not record["email"]:
                continue
            example = example or record["email"].strip()
            found = graph.resolve_identity(tenant, record["email"])
            print(f"resolve {record['email']!r:40} -> {found}  (truth {record['person_id']})")
            shown += 1
        key = services.create_key(tenant, "reviewer")
    password = "$NEO4J_PASSWORD" if "NEO4J_PASSWORD" in os.environ else LOCAL_PASSWORD
    print(  # plain text: the query and the key must survive copy and paste unwrapped
        f"\nNeo4j Browser: http://127.0.0.1:{settings.http_port}/browser/  "
        f"(connect to {settings.neo4j_uri} as {settings.neo4j_user} / {password})\n"
        "Households with their people and identifiers, to paste into the Browser:\n"
        f"  :param tenant => {json.dumps(tenant)}\n  {_BROWSER_QUERY}\n\n"
        "Console (review queue, merge audit, profiles, experiments, incrementality, storm "
        "cockpit): `make console` (or .venv/bin/stormops console), then "
        "http://127.0.0.1:8501, signed in with the key below\n"
        "HTTP API: `make serve` (or .venv/bin/stormops serve), then "
        "http://127.0.0.1:8000/docs\n"
        f"  a reviewer key for tenant {tenant!r}: {key}\n"
        "  curl -s -X POST http://127.0.0.1:8000/v1/resolve -H 'Content-Type: application/json' "
        f"-H 'X-API-Key: {key}' -d '{{\"type\": \"email\", \"value\": \"{example}\"}}'\n"
        "Live attribution (Kafka is up): `stormops live run` in one terminal, then "
        f"`stormops live replay -t {tenant}-live --storm S2024-HAIL-DFW --rate 200 --retime` "
        f"in another, and `stormops live show -t {tenant}-live --storm S2024-HAIL-DFW` (a key "
        f"of tenant {tenant}-live reads GET /v1/live/storms/S2024-HAIL-DFW and its /stream)\n"
        f"Marketing mix (two years of weekly spend, storms and revenue with a known truth): "
        f"`stormops mmm fit -t {tenant}-mmm`, then `stormops mmm roi -t {tenant}-mmm` and "
        f"`stormops mmm optimize -t {tenant}-mmm --total 60000`"
    )


if __name__ == "__main__":
    sys.exit(app())
