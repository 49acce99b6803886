"""`stormops attribute`: run attribution over a storm, compare methods, manage the config."""

import json
from typing import Annotated

import typer

from stormops.cli._common import Tenant, command_group, console, print_json, session

attribution_app = command_group("Attribution: run over a storm, compare methods, config.")


@attribution_app.command("storm")
def storm(
    ctx: typer.Context, tenant: Tenant,
    storm_id: Annotated[str, typer.Argument(help="The storm to attribute.")],
    method: Annotated[list[str] | None, typer.Option(
        "--method", "-m", help="A method to run (repeatable); default all enabled.")] = None,
    dry_run: Annotated[bool, typer.Option(help="Compute only; store nothing.")] = False,
) -> None:
    """Run attribution over a storm and store the results (replacing earlier runs); prints
    credit per channel per method as JSON."""
    with session(ctx) as services:
        services.apply_schema()
        engine = services.attribution(tenant)
        print_json(engine.attribute_storm(storm_id, method or None, persist=not dry_run))


@attribution_app.command("compare")
def compare(ctx: typer.Context, tenant: Tenant,
            storm_id: Annotated[str, typer.Argument(help="The storm.")]) -> None:
    """Credit per channel under every enabled method, side by side (computed, not stored)."""
    with session(ctx) as services:
        report = services.attribution(tenant).compare_methods(storm_id)
    methods = list(report["methods"])
    console.print("channel".ljust(14) + "".join(m.rjust(16) for m in methods))
    for row in report["table"]:
        console.print(row["channel"].ljust(14) + "".join(f"{row[m]:16,.2f}" for m in methods))


@attribution_app.command("journey")
def journey(ctx: typer.Context, tenant: Tenant,
            journey_id: Annotated[str, typer.Argument(help="identity_id|storm_id")],
            method: Annotated[str | None, typer.Option(help="Default: the tenant's.")] = None,
            ) -> None:
    """Credit one journey, data-driven methods fitted on its storm, as JSON."""
    with session(ctx) as services:
        print_json(services.attribution(tenant).attribute_journey(journey_id, method))


@attribution_app.command("config")
def config(ctx: typer.Context, tenant: Tenant,
           set_: Annotated[str | None, typer.Option(
               "--set", help='Replace the config with this JSON, e.g. \'{"default_method": '
                             '"linear", "lookback_days": 30}\'')] = None) -> None:
    """Print the tenant's attribution config, or replace it with --set."""
    from stormops.attribution.engine import read_tenant_config, save_tenant_config

    raw = None
    if set_ is not None:
        try:
            raw = json.loads(set_)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(f"not JSON: {exc}", param_hint="--set") from None
    with session(ctx) as services:
        if raw is None:
            print_json(read_tenant_config(tenant, store=services.attribution_store))
        else:
            services.apply_schema()
            print_json(save_tenant_config(tenant, raw, store=services.attribution_store))
