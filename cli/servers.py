"""`stormops neo4j|kafka assemble|start|stop|status`: one command group per local server."""

from __future__ import annotations

from types import ModuleType

import typer

from stormops.cli._common import console, errors


def server_app(server: ModuleType, label: str, pom: str, timeout: float,
               help: str) -> typer.Typer:
    """The commands of a local server module (`layout`, `assemble`, `start`, `stop`,
    `status`, as `cli.neo4j_local` and `cli.kafka_local` have them)."""
    app = typer.Typer(help=help, no_args_is_help=True)

    @app.command("assemble")
    def assemble(ctx: typer.Context) -> None:
        with errors():
            server.assemble(server.layout(ctx.obj), log=console.print)

    @app.command("start")
    def start(ctx: typer.Context, timeout: float = timeout) -> None:
        with errors():
            console.print(server.start(ctx.obj, timeout, log=console.print).describe())

    @app.command("stop")
    def stop(ctx: typer.Context) -> None:
        with errors():
            server.stop(ctx.obj, log=console.print)

    @app.command("status")
    def status(ctx: typer.Context) -> None:
        console.print(server.status(ctx.obj).describe())

    assemble.__doc__ = f"Fetch {label}'s jars from Maven Central (only when {pom} changed)."
    start.__doc__ = (f"Assemble (once) and start {label} on 127.0.0.1; a running one is left "
                     "as it is.")
    stop.__doc__ = f"Stop {label} started by `start`; a stopped one is left as it is."
    status.__doc__ = "Running or stopped, version, ports and data folder."
    return app
