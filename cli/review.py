"""`stormops review list|decide`: the review queue from a terminal."""

from typing import Annotated

import typer
from rich.table import Table

from stormops.cli._common import Tenant, command_group, console, print_json, session
from stormops.core.reasons import REVIEW_REASONS

review_app = command_group("The review queue: merge candidates, oldest first.")


def _sides(item: dict) -> str:
    names = []
    for side in item["sides"]:
        record = (side["records"] or [{}])[0]
        name = " ".join(filter(None, (record.get("first_name"), record.get("last_name"))))
        names.append(f"{side['identity_id']} ({name or '-'})")
    return "\n".join(names)


@review_app.command("list")
def list_items(
    ctx: typer.Context, tenant: Tenant,
    status: Annotated[str, typer.Option(help="open, approved or rejected.")] = "open",
    reason: Annotated[str | None, typer.Option(
        help=f"Only this reason code: {', '.join(REVIEW_REASONS)}.")] = None,
    identity: Annotated[str | None, typer.Option(help="Only items naming this identity.")
                        ] = None,
    min_probability: Annotated[float | None, typer.Option(min=0.0, max=1.0)] = None,
    max_probability: Annotated[float | None, typer.Option(min=0.0, max=1.0)] = None,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the page as JSON.")] = False,
) -> None:
    """List review items, oldest first, with both sides and the reason."""
    from stormops.graph.review import QueueFilter

    with session(ctx, dataframes=False) as services:
        where = QueueFilter(status, reason, identity, min_probability, max_probability)
        items, total = services.review.queue(tenant, where, offset, limit)
    if as_json:
        print_json({"items": items, "total": total})
        return
    table = Table("item", "created", "reason", "p", "identities", title=f"{total} {status}")
    for item in items:
        p = item["match_probability"]
        table.add_row(item["item_id"], str(item["created_at"])[:19], item["reason"],
                      "-" if p is None else f"{p:.3f}", _sides(item))
    console.print(table)


@review_app.command("decide")
def decide(
    ctx: typer.Context, tenant: Tenant, item_id: str,
    decision: Annotated[str, typer.Argument(help="approve (merge) or reject (different "
                                                 "people).")],
    reason: Annotated[str, typer.Option(help="Why, for the audit trail.")],
    actor: Annotated[str, typer.Option(help="Who.")] = "cli",
) -> None:
    """Approve or reject one review item; prints the decision as JSON."""
    with session(ctx, dataframes=False) as services:
        result = services.identities.decide_review(tenant, item_id, decision, actor, reason)
    print_json(result)
