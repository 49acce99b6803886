"""`stormops ingest`, `export` and `match train`: probabilistic matching into the graph."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from neo4j import Driver
from rich.progress import Progress, TaskID

from stormops.cli._common import Tenant, console, err, errors, print_json, say_unfinished, session
from stormops.core.settings import Settings
from stormops.graph import apply_schema
from stormops.graph.records import RecordGraph
from stormops.matching.ingest import Ingest, IngestReport, RecordLinker
from stormops.matching.model import MatchingModel
from stormops.matching.normalize import RECORD_COLUMNS, normalize_records, parse_rename
from stormops.matching.store import ModelStore

match_app = typer.Typer(help="The tenant's matching model.", no_args_is_help=True)

Maps = Annotated[list[str] | None, typer.Option(
    "--map", help="Rename a column onto a canonical one, e.g. --map surname=last_name "
                  "(repeatable). Other unknown columns are kept on the record, not compared.")]
AutoLink = Annotated[float | None, typer.Option(
    help="Tenant threshold: match probability to link automatically (default 0.99).")]
Review = Annotated[float | None, typer.Option(
    help="Tenant threshold: match probability to queue for review (default 0.5).")]


def records_graph(settings: Settings, driver: Driver) -> RecordGraph:
    """The record graph with the settings' database and phone region."""
    return RecordGraph(driver, settings.neo4j_database, settings.phone_region,
                       columns=RECORD_COLUMNS)


def ingest(
    ctx: typer.Context,
    tenant: Tenant,
    input: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CSV of records.")],
    map: Maps = None,
    source: Annotated[str | None, typer.Option(
        help="Source name for records without a source column.")] = None,
    online: Annotated[bool, typer.Option(
        help="Link record by record through the online path, in file order.")] = False,
    retrain: Annotated[bool, typer.Option(
        help="Train a new model on all the tenant's records first.")] = False,
    auto_link: AutoLink = None,
    review: Review = None,
) -> None:
    """Match a CSV of records into the graph: records, identities, scored links, reviews.

    The first ingest of a tenant trains its model. Re-running a file changes nothing.
    """
    with errors(), input.open(newline="", encoding="utf-8-sig") as fh:
        batch = normalize_records(csv.DictReader(fh), rename=parse_rename(map or []),
                                  region=ctx.obj.phone_region)
    with session(ctx) as (settings, driver), progress_bars(input.name) as progress:
        apply_schema(driver, settings.neo4j_database)
        say_unfinished(settings, driver, tenant)
        graph = records_graph(settings, driver)
        models = ModelStore(settings.model_dir)
        if online:
            report = RecordLinker(graph, models).link_records(tenant, batch, source=source,
                                                              progress=progress)
        else:
            model = _with_thresholds(models, tenant, auto_link, review, retrain)
            report = Ingest(graph, models).run(tenant, batch, source=source, retrain=retrain,
                                               model=model, progress=progress)
    print_report(report)


def export(
    ctx: typer.Context,
    tenant: Tenant,
    output: Annotated[Path, typer.Option(dir_okay=False, help="CSV to write.")],
) -> None:
    """Write record_id,identity_id for every record of the tenant."""
    count = 0
    with session(ctx) as (settings, driver):
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["record_id", "identity_id"])
            for record_id, identity_id in records_graph(settings, driver).export(tenant):
                writer.writerow([record_id, identity_id or ""])
                count += 1
    console.print(f"Wrote {count:,} records to {output}.")


@match_app.command("train")
def match_train(
    ctx: typer.Context,
    tenant: Tenant,
    input: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False,
        help="Train on this CSV (default: the tenant's records in the graph).")] = None,
    map: Maps = None,
    auto_link: AutoLink = None,
    review: Review = None,
) -> None:
    """Train the tenant's model without labels and save it as a new versioned file."""
    with session(ctx) as (settings, driver):
        if input is not None:
            with input.open(newline="", encoding="utf-8-sig") as fh:
                records = normalize_records(csv.DictReader(fh), rename=parse_rename(map or []),
                                            region=settings.phone_region).records
        else:
            records = [s.record for s in records_graph(settings, driver).tenant_records(tenant)]
        if not records:
            err.print(f"[red]error:[/red] tenant {tenant!r} has no records; pass --input")
            raise typer.Exit(1)
        model = _new_model(auto_link, review)
        with console.status(f"Training on {len(records):,} records"):
            model.training.fit(records)
        path = ModelStore(settings.model_dir).save(tenant, model)
    console.print(f"Model {model.model_version} saved to {path} "
                  f"(auto_link {model.settings.auto_link}, review {model.settings.review}).")
    console.print("Records keep their identities; new records are linked with this model.")


@match_app.command("show")
def match_show(ctx: typer.Context, tenant: Tenant) -> None:
    """Print the tenant's model version, thresholds and training report as JSON."""
    with errors():
        model = ModelStore(ctx.obj.model_dir).load(tenant)
    print_json({"model_version": model.model_version, "settings": model.settings.as_dict(),
                "training": model.report})


def _new_model(auto_link: float | None, review: float | None) -> MatchingModel:
    """An untrained model with the given thresholds (defaults otherwise)."""
    model = MatchingModel()
    return model if auto_link is None and review is None else MatchingModel(
        model.settings.with_thresholds(auto_link=auto_link, review=review))


def _with_thresholds(models: ModelStore, tenant: str, auto_link: float | None,
                     review: float | None, retrain: bool) -> MatchingModel | None:
    """The model to ingest with when thresholds are given: the tenant's own under them, or a
    new one to train; None to let ingest load or train the default."""
    if auto_link is None and review is None:
        return None
    if retrain or not models.exists(tenant):
        return _new_model(auto_link, review)
    model = models.load(tenant)
    return model.with_settings(model.settings.with_thresholds(auto_link=auto_link,
                                                              review=review))


@contextmanager
def progress_bars(label: str) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback drawing one bar per stage on stderr."""
    with Progress(console=err, transient=False) as bars:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(f"{label}: {stage}", total=total)
            bars.update(tasks[stage], completed=done)

        yield update


def print_report(report: IngestReport) -> None:
    """Counts on stdout; bad values and repeated record ids, by row, on stderr."""
    trained = " (trained this run)" if report.trained else ""
    console.print(
        f"records {report.records:,}, newly linked {report.new_records:,}, identities created "
        f"{report.identities_created:,}, merges {report.merges:,}, review items "
        f"{report.reviews:,}; model {report.model_version}{trained}")
    console.print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items()))
    if report.problems:
        err.print(f"{len(report.problems):,} problems in the input (a bad value is kept as "
                  "empty, a repeated record_id as its last row):")
        for problem in report.problems[:20]:
            err.print(f"  row {problem.row + 2} ({problem.record_id}): {problem.field}: "
                      f"{problem.message}")
