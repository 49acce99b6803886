"""What every command shares: consoles, the tenant option, the services, one-line errors."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from stormops.core.errors import StormOpsError

if TYPE_CHECKING:
    from stormops.services import Services

console = Console()
err = Console(stderr=True)
Tenant = Annotated[str, typer.Option("--tenant", "-t", help="Tenant the data belongs to.")]


def command_group(help: str, **options: object) -> typer.Typer:
    """A group of commands whose help prints as plain text: typer's rich help would import
    and render Markdown and tables on every `--help`, a tenth of a second of each start."""
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None, **options)


@contextmanager
def errors() -> Iterator[None]:
    """Errors raised on purpose, and an unreachable server, become a one-line message and
    exit code 1."""
    from neo4j.exceptions import ServiceUnavailable  # here: a command may not need the driver

    try:
        yield
    except StormOpsError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    except ServiceUnavailable as exc:
        err.print(f"[red]error:[/red] Neo4j is not reachable ({exc}); "
                  "start it with `stormops neo4j start`")
        raise typer.Exit(1) from None


@contextmanager
def session(ctx: typer.Context, *, dataframes: bool = True) -> Iterator[Services]:
    """The services (`stormops.services`) over the settings the main callback read, inside
    `errors()`; closed after. `dataframes=False` for a command that never hands numpy or
    pandas values to the driver: it starts half a second sooner."""
    from stormops.services import Services

    services = Services(ctx.obj, dataframes=dataframes)  # before `errors()` imports the driver
    with errors(), services:
        yield services


def _finite(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def print_json(value: object) -> None:
    """JSON on stdout: datetimes as text, inf and NaN (which JSON lacks) as null."""
    console.print_json(json.dumps(_finite(value), default=str))


def say_unfinished(services: Services, tenant: str) -> None:
    """Say so when an earlier load of the tenant was cut short; this run finishes it."""
    left = services.check.unfinished(tenant)
    if left["records_without_link"]:
        err.print(f"An earlier ingest of {tenant!r} was cut short: "
                  f"{left['records_without_link']:,} stored records have no link yet; "
                  "this run links them.")
    if left["stale_journeys"]:
        err.print(f"An earlier events load of {tenant!r} was cut short: "
                  f"{left['stale_journeys']:,} journeys are stale; this run recomputes them.")
