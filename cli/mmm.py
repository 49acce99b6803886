"""`stormops mmm sample|fit|models|roi|optimize`: the marketing-mix model."""

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stormops.cli._common import Tenant, command_group, console, err, errors, print_json, session
from stormops.core.errors import InvalidInput

if TYPE_CHECKING:  # the driver, pandas and the model load inside the commands
    from stormops.services import Services

mmm_app = command_group("Marketing-mix model: fit, ROI per channel, the best budget split.")
Version = Annotated[str | None, typer.Option(help="A fit's version; default the newest.")]


def _json_option(text: str | None, name: str) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise typer.BadParameter(f"not JSON: {exc}", param_hint=name) from None


def read_lift_tests(path: Path) -> list[dict[str, Any]]:
    """Lift tests from a JSON list or a CSV with channel, x, delta_x, delta_y, sigma."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"lift_tests: {path} is not JSON ({exc})",
                               field="lift_tests") from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InvalidInput("lift_tests: expected a JSON list of objects",
                               field="lift_tests")
        return rows
    return list(csv.DictReader(text.splitlines()))


def load_sample(services: "Services", tenant: str, weeks: int = 104, channels: int = 8,
                seed: int = 0) -> Any:
    """A known-truth sample's storms and events loaded through the event path; returns it."""
    from stormops.samples.mmm import generate_mmm, to_events

    made = generate_mmm(weeks=weeks, channels=channels, seed=seed)
    journeys = services.journeys
    journeys.upsert_storms(tenant, [{k: v for k, v in s.items() if k != "week"}
                                    for s in made.storms])
    result = journeys.load_events(tenant, to_events(made))
    err.print(f"mix-model sample for {tenant!r}: events recorded {result.recorded:,}, "
              f"rejected {len(result.rejected):,}")
    return made


@mmm_app.command("sample")
def sample(
    ctx: typer.Context, tenant: Tenant,
    weeks: Annotated[int, typer.Option(min=26, max=520, help="Weeks of data.")] = 104,
    channels: Annotated[int, typer.Option(min=1, max=8, help="Channels.")] = 8,
    seed: Annotated[int, typer.Option(help="Sample seed.")] = 0,
    lift_tests: Annotated[Path | None, typer.Option(
        help="Write the sample's lift tests here (JSON), for `mmm fit --lift-tests`.")] = None,
) -> None:
    """Load a known-truth sample (weekly spend, storms, revenue) through the event path;
    prints the true ROI per channel."""
    with session(ctx) as services:
        made = load_sample(services, tenant, weeks, channels, seed)
    if lift_tests is not None:
        lift_tests.write_text(json.dumps(made.lift_tests, indent=2), encoding="utf-8")
    print_json({"tenant": tenant, "weeks": weeks, "true_roi": {
        c: round(t.roi, 4) for c, t in made.truth.items()}})


@mmm_app.command("fit")
def fit(
    ctx: typer.Context, tenant: Tenant,
    months: Annotated[int, typer.Option(min=1, max=120, help="Months of data, back from the "
                                                             "latest week.")] = 24,
    lift_tests: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="Lift tests (JSON list or CSV: channel, x, delta_x, "
                                          "delta_y, sigma; weekly spend and revenue).")] = None,
    holdout: Annotated[list[str] | None, typer.Option(
        help="A channel_holdout experiment as a lift test: EXPERIMENT_ID:WEEKS (how many "
             "weeks it ran); repeatable.")] = None,
    channels: Annotated[str | None, typer.Option(
        help="Comma-separated channels; default every channel with spend.")] = None,
    draws: Annotated[int, typer.Option(min=50, max=5000)] = 500,
    tune: Annotated[int, typer.Option(min=50, max=5000)] = 500,
    chains: Annotated[int, typer.Option(min=1, max=8)] = 2,
    seed: Annotated[int, typer.Option()] = 0,
    storm_control: Annotated[bool, typer.Option(help="Storm pressure as a control.")] = True,
) -> None:
    """Fit the tenant's mix model (PyMC-Marketing, nutpie) and store it as its newest version;
    prints the version, data window and diagnostics."""
    with errors():
        tests = read_lift_tests(lift_tests) if lift_tests else []
    names = [c.strip() for c in channels.split(",") if c.strip()] if channels else None
    holdouts = {}
    for item in holdout or []:
        experiment_id, _, weeks = item.rpartition(":")
        try:
            holdouts[experiment_id] = float(weeks)
        except ValueError:
            raise typer.BadParameter(f"expected EXPERIMENT_ID:WEEKS, got {item!r}",
                                     param_hint="--holdout") from None
    from stormops.mmm import FitSettings

    with session(ctx) as services:
        console.print(f"Fitting {tenant!r} ({draws} draws x {chains} chains) ...")
        info = services.mix(tenant).fit_model(
            months, tests, FitSettings(draws=draws, tune=tune, chains=chains, seed=seed,
                                       storm_control=storm_control), names, holdouts)
    print_json(info)


@mmm_app.command("models")
def models(ctx: typer.Context, tenant: Tenant) -> None:
    """The tenant's fits, newest first, with data window and diagnostics."""
    with session(ctx) as services:
        print_json(services.mix(tenant).models())


@mmm_app.command("roi")
def roi(
    ctx: typer.Context, tenant: Tenant, version: Version = None,
    allocation: Annotated[str | None, typer.Option(
        help='Weekly spend per channel as JSON, e.g. \'{"door_knock": 20000}\': the expected '
             'revenue and ROI of that split. Without it: ROI over the fitted window.')] = None,
) -> None:
    """ROI per channel with 94% intervals."""
    split = _json_option(allocation, "--allocation")
    with session(ctx) as services:
        mix = services.mix(tenant)
        if split is None:
            body = mix.roi(version)
            body.pop("curves")
        else:
            if not isinstance(split, dict):
                raise typer.BadParameter("expected a JSON object", param_hint="--allocation")
            body = mix.predict_roi(split, version)
    print_json(body)


@mmm_app.command("optimize")
def optimize(
    ctx: typer.Context, tenant: Tenant,
    total: Annotated[float, typer.Option(help="Weekly budget to split.")],
    bounds: Annotated[str | None, typer.Option(
        help='Weekly bounds per channel as JSON, e.g. \'{"door_knock": [5000, 30000]}\'.')]
        = None,
    version: Version = None,
    risk: Annotated[float | None, typer.Option(
        min=0, help="Posterior standard deviations of revenue given up for certainty: the "
                    "split maximizes mean - risk * sd (0: expected revenue). Default 2.")]
        = None,
) -> None:
    """The split of a weekly budget that earns the most revenue the model is sure of,
    against the current split."""
    limits = _json_option(bounds, "--bounds")
    if limits is not None and not (isinstance(limits, dict) and all(
            isinstance(v, list) and len(v) == 2 for v in limits.values())):
        raise typer.BadParameter("expected {channel: [low, high]}", param_hint="--bounds")
    with session(ctx) as services:
        print_json(services.mix(tenant).optimize_budget(
            total, {k: tuple(v) for k, v in (limits or {}).items()}, version, risk))
