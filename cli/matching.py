"""`stormops ingest`, `export` and `match train`: probabilistic matching into the graph."""

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, TaskID

from stormops.cli._common import (
    Tenant,
    command_group,
    console,
    err,
    errors,
    print_json,
    say_unfinished,
    session,
)
from stormops.cli._files import (
    Country,
    Delimiter,
    Encoding,
    Input,
    Invalid,
    Maps,
    Problems,
    Source,
    open_input,
    print_intake,
    refuse_if_empty,
)

if TYPE_CHECKING:  # Splink, DuckDB and the driver load inside the commands that use them
    from stormops.core.settings import Settings
    from stormops.matching._splink import Engine
    from stormops.matching.ingest import IngestReport
    from stormops.matching.model import MatchingModel
    from stormops.matching.store import ModelStore

match_app = command_group("The tenant's matching model.")

AutoLink = Annotated[float | None, typer.Option(
    help="Tenant threshold: match probability to link automatically (default 0.99).")]
Review = Annotated[float | None, typer.Option(
    help="Tenant threshold: match probability to queue for review (default 0.5).")]


class EngineName(StrEnum):
    """Where a batch's pairs are scored."""

    duckdb = "duckdb"
    spark = "spark"


@contextmanager
def _engine(name: EngineName, master: str | None) -> "Iterator[Engine | None]":
    """The Spark engine for the run (pyspark loads only here), or None for DuckDB."""
    if name is not EngineName.spark:
        yield None
        return
    from stormops.matching.spark import LOCAL_MASTER, SparkEngine

    with SparkEngine(master or LOCAL_MASTER) as spark:
        err.print(f"Pairs are scored on Spark at {master or LOCAL_MASTER}.")
        yield spark


def ingest(
    ctx: typer.Context,
    tenant: Tenant,
    input: Input,
    map: Maps = None,
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    invalid: Invalid = None,
    country: Country = None,
    source: Source = None,
    online: Annotated[bool, typer.Option(
        help="Link record by record through the online path, in file order.")] = False,
    retrain: Annotated[bool, typer.Option(
        help="Train a new model on all the tenant's records first.")] = False,
    full: Annotated[bool, typer.Option(
        help="Compare every record of the tenant, not only the file's neighbourhood.")
    ] = False,
    auto_link: AutoLink = None,
    review: Review = None,
    problems: Problems = None,
    engine: Annotated[EngineName, typer.Option(
        help="Where pairs are scored: duckdb in this process, or spark (local mode, or "
             "--spark-master). The model and the identities are the same.")
    ] = EngineName.duckdb,
    spark_master: Annotated[str | None, typer.Option(
        help="Spark master URL for --engine spark (default local[2]).")] = None,
) -> None:
    """Match a CSV of records into the graph: records, identities, scored links, reviews.

    Columns are mapped by name and content (shown before anything is written). A tenant
    with fewer than 1,000 records is linked by exact identifiers, close pairs queued for
    review by the shipped prior model; from then on it trains a model of its own. A file
    into a tenant with a model is compared with the records it may match only (found through
    the graph's indexes), so its cost follows the file, not the tenant. Re-running a file
    changes nothing.
    """
    from stormops.matching.normalize import NormalizedBatch, with_derived

    settings: Settings = ctx.obj
    with errors(), open_input(settings, input, map, encoding, delimiter, invalid,
                              country) as (intake, rows):
        batch = NormalizedBatch([], [])
        for row in rows:
            batch.records.append(with_derived(row.record))
            batch.extras.append(row.extra)
            batch.lines.append(row.line)
    batch.problems, batch.rejected = intake.problems, intake.rejected
    refuse_if_empty(intake, problems)
    if online and engine is not EngineName.duckdb:
        raise typer.BadParameter("--online links record by record: it takes no --engine.")
    with (session(ctx) as services, progress_bars(input.name) as progress,
          _engine(engine, spark_master) as scoring):
        services.apply_schema()
        say_unfinished(services, tenant)
        if online:
            report = services.linker.link_records(
                tenant, batch, source=source or input.name, progress=progress)
        else:
            model = _with_thresholds(services.models, tenant, auto_link, review, retrain)
            report = services.ingest.run(tenant, batch, source=source or input.name,
                                         retrain=retrain, model=model, full=full,
                                         progress=progress, engine=scoring)
    print_report(report)
    print_intake(intake, problems)


def export(
    ctx: typer.Context,
    tenant: Tenant,
    output: Annotated[Path, typer.Option(dir_okay=False, help="CSV to write.")],
    column: Annotated[list[str] | None, typer.Option(
        "--column", "-c", help="Add a column: a record column (email, phone, ...), or the "
                               "name of a column of the source file kept in extra (repeatable)."
    )] = None,
) -> None:
    """Write record_id, identity_id, source and line (the record's line in its file) for every
    record of the tenant, plus any --column, to join results back to the source files."""
    columns = ["source", "line", *(column or [])]
    count = 0
    with session(ctx, dataframes=False) as services:
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["record_id", "identity_id", *columns])
            for record_id, identity_id, values in services.records.export_rows(
                    tenant, columns):
                writer.writerow([record_id, identity_id or "",
                                 *("" if value is None else value for value in values)])
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
    encoding: Encoding = None,
    delimiter: Delimiter = None,
    country: Country = None,
    auto_link: AutoLink = None,
    review: Review = None,
) -> None:
    """Train the tenant's model without labels and save it as a new versioned file.

    Training needs at least 1,000 records with some duplicates among them; with fewer the
    tenant stays on exact links with the shipped prior judging close pairs, and this says so.
    """
    from stormops.matching.normalize import with_derived
    from stormops.matching.prior import MIN_TRAINING_RECORDS, prior_model

    with session(ctx) as services:
        graph = services.records
        stored = [s.record for s in graph.tenant_records(tenant)]
        if input is not None:
            with open_input(services.settings, input, map, encoding, delimiter, None,
                            country) as (_, rows):
                records = [with_derived(row.record) for row in rows]
        else:
            records = stored
        if len(records) < MIN_TRAINING_RECORDS:
            count = f"{len(records):,} record{'' if len(records) == 1 else 's'}"
            err.print(f"[red]error:[/red] {count}: a model is trained on at "
                      f"least {MIN_TRAINING_RECORDS:,} (fewer give estimates that are noise). "
                      "Until then the tenant's records are linked by exact identifiers and "
                      f"the shipped prior model {prior_model().model_version} queues close "
                      "pairs for review; ingest more records first.")
            raise typer.Exit(1)
        model = _new_model(auto_link, review)
        with console.status(f"Training on {len(records):,} records"):
            model.training.fit(records)
        path = services.models.save(tenant, model)
        # The new model may block on other keys: stored records take its slots, so a later
        # ingest and the online path find their candidates by them.
        with console.status(f"Writing the blocking keys of {len(stored):,} stored records"):
            graph.save_records(tenant, stored, [{}] * len(stored),
                               [model.blocking_slots(r) for r in stored])
    console.print(f"Model {model.model_version} saved to {path} "
                  f"(auto_link {model.settings.auto_link}, review {model.settings.review}).")
    console.print("Records keep their identities; new records are linked with this model.")


@match_app.command("show")
def match_show(ctx: typer.Context, tenant: Tenant) -> None:
    """Print the tenant's model version, thresholds and training report as JSON."""
    from stormops.matching.prior import MIN_TRAINING_RECORDS, prior_model
    from stormops.services import Services

    models = Services(ctx.obj).models  # a file store: no connection opened
    if not models.exists(tenant):
        err.print(f"tenant {tenant!r} has no matching model of its own: its records are linked "
                  "by exact identifiers and the shipped prior model "
                  f"{prior_model().model_version} queues close pairs for review (it trains "
                  f"its own at {MIN_TRAINING_RECORDS:,} records: `stormops ingest`, or "
                  "`stormops match train`)")
        raise typer.Exit(1)
    with errors():
        model = models.load(tenant)
    print_json({"model_version": model.model_version, "settings": model.settings.as_dict(),
                "training": model.report})


def _new_model(auto_link: float | None, review: float | None) -> "MatchingModel":
    """An untrained model with the given thresholds (defaults otherwise)."""
    from stormops.matching.model import MatchingModel

    model = MatchingModel()
    return model if auto_link is None and review is None else MatchingModel(
        model.settings.with_thresholds(auto_link=auto_link, review=review))


def _with_thresholds(models: "ModelStore", tenant: str, auto_link: float | None,
                     review: float | None, retrain: bool) -> "MatchingModel | None":
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


def print_report(report: "IngestReport") -> None:
    """Counts and which model linked the records, on stdout."""
    console.print(
        f"records {report.records:,}, newly linked {report.new_records:,}, identities created "
        f"{report.identities_created:,}, merges {report.merges:,}, review items "
        f"{report.reviews:,}" + (f", records compared {report.compared:,}"
                                 if report.compared else ""))
    console.print(f"model: {report.model_note or report.model_version}")
    console.print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items()))
