"""What every command shares: consoles, the tenant option, a driver, one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from neo4j import Driver
from rich.console import Console

from core.errors import StormOpsError
from core.settings import Settings
from graph import open_driver

console = Console()
err = Console(stderr=True)
Tenant = Annotated[str, typer.Option("--tenant", "-t", help="Tenant the data belongs to.")]


@contextmanager
def session(ctx: typer.Context) -> Iterator[tuple[Settings, Driver]]:
    """The settings (read once by the main callback) and a driver. Errors raised on purpose
    become a one-line message and exit code 1."""
    settings: Settings = ctx.obj
    try:
        with open_driver(settings) as driver:
            yield settings, driver
    except StormOpsError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
