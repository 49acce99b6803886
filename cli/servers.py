"""`stormops neo4j|kafka assemble|start|stop|status`: one command group per local server."""

from importlib import import_module

import typer

from stormops.cli._common import command_group, console, errors


def server_app(module: str, label: str, pom: str, timeout: float, help: str) -> typer.Typer:
    """The commands of a local server module (`layout`, `assemble`, `start`, `stop`,
    `status`, as `cli.neo4j_local` and `cli.kafka_local` have them), imported when one of
    them runs: the other commands start without the JVM helpers."""
    app = command_group(help)

    @app.command("assemble")
    def assemble(ctx: typer.Context) -> None:
        server = import_module(module)
        with errors():
            server.assemble(server.layout(ctx.obj), log=console.print)

    @app.command("start")
    def start(ctx: typer.Context, timeout: float = timeout) -> None:
        with errors():
            started = import_module(module).start(ctx.obj, timeout, log=console.print)
        console.print(started.describe())

    @app.command("stop")
    def stop(ctx: typer.Context) -> None:
        with errors():
            import_module(module).stop(ctx.obj, log=console.print)

    @app.command("status")
    def status(ctx: typer.Context) -> None:
        console.print(import_module(module).status(ctx.obj).describe())

    assemble.__doc__ = f"Fetch {label}'s jars from Maven Central (only when {pom} changed)."
    start.__doc__ = (f"Assemble (once) and start {label} on 127.0.0.1; a running one is left "
                     "as it is.")
    stop.__doc__ = f"Stop {label} started by `start`; a stopped one is left as it is."
    status.__doc__ = "Running or stopped, version, ports and data folder."
    return app
