"""`stormops experiments create|assign|lift` and `stormops report`: experiments and reports."""

import csv
import json
from pathlib import Path
from typing import Annotated

import typer

from stormops.cli._common import Tenant, command_group, console, print_json, session

experiments_app = command_group("Experiments: create from a template, assign, read lift.")


@experiments_app.command("create")
def create(
    ctx: typer.Context, tenant: Tenant,
    template: Annotated[str, typer.Argument(help="geo_split, holdout, channel_holdout, "
                                                 "policy_test, model_ab or creative_test")],
    config: Annotated[str, typer.Option(help='JSON settings, e.g. \'{"name": "Q3 holdout", '
                                             '"storm_id": "S1", "control_share": 0.1}\'')],
) -> None:
    """Create an experiment; prints its id."""
    try:
        settings_ = json.loads(config)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"not JSON: {exc}", param_hint="--config") from None
    with session(ctx) as services:
        console.print(services.experiments(tenant).create_experiment(template, settings_))


@experiments_app.command("assign")
def assign(
    ctx: typer.Context, tenant: Tenant, experiment_id: str,
    input: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False,
        help="CSV with property_id, zip, uplift_band, persona.")] = None,
    storm: Annotated[str | None, typer.Option(
        help="Assign the properties this storm hit instead of a CSV's (the experiment's "
             "storm when given without a CSV).")] = None,
) -> None:
    """Assign properties to arms, from a CSV or straight from a storm's impacted properties
    (the default without --input); prints arm sizes and the SRM check."""
    if input is not None and storm is not None:
        raise typer.BadParameter("give --input or --storm, not both", param_hint="--storm")
    rows = None
    if input is not None:
        with input.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    with session(ctx) as services:
        platform = services.experiments(tenant)
        summary = (platform.assign_properties(experiment_id, rows) if rows is not None
                   else platform.assign_storm(experiment_id, storm))
    print_json({"units": summary.units, "properties": summary.properties,
                "srm": summary.srm.__dict__ if summary.srm else None,
                "rejected": summary.rejected[:20]})


@experiments_app.command("list")
def list_(ctx: typer.Context, tenant: Tenant,
          storm: Annotated[str | None, typer.Option(help="Only this storm's.")] = None) -> None:
    """The tenant's experiments with arms, assignment counts and SRM, as JSON."""
    with session(ctx) as services:
        print_json(services.experiments(tenant).list_experiments(storm))


@experiments_app.command("lift")
def lift(ctx: typer.Context, tenant: Tenant, experiment_id: str,
         storm: Annotated[str | None, typer.Option(help="Storm; default the experiment's.")] = None,
         ) -> None:
    """Lift of each arm over control with 95% intervals, as JSON."""
    with session(ctx) as services:
        print_json(services.experiments(tenant).measure_lift(experiment_id, storm))


def report(
    ctx: typer.Context, tenant: Tenant,
    storm: Annotated[str, typer.Option(help="The storm to report on.")],
    output: Annotated[Path, typer.Option(help="HTML file to write.")] = Path(
        "reports/incrementality.html"),
) -> None:
    """Write a storm's incrementality report as a self-contained HTML page."""
    from stormops.experiments.reporting import render_html

    with session(ctx) as services:
        body = services.incrementality(tenant).generate_report(storm)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_html(body), encoding="utf-8")
    console.print(body["headline"])
    console.print(f"Report written to {output}")
