"""Attribution benchmark: our methods vs ChannelAttribution, and reading a storm from Neo4j.

    .venv/bin/python bench/attribution.py --sizes 100000 1000000 --graph-touches 1000000

For each size: synthetic journeys over 8 channels (fixed seed), time per method, then in the
same run ChannelAttribution's `markov_model` (order 1, `max_step` well above the longest
path, tight convergence) and `heuristic_models` on the same journeys aggregated by path:
credit per channel side by side, the max relative difference and the time ratio. Then the
time to read `--graph-touches` touchpoints of one storm from Neo4j into arrays.

ChannelAttribution is optional (`.venv/bin/pip install channelattribution matplotlib`); it is
not a project dependency. Results go to bench/results/attribution-<commit>-<time>.json.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np
from _common import save

from stormops.attribution.methods import (
    Journeys,
    by_channel,
    first_touch,
    fit_markov,
    hybrid,
    last_touch,
    linear,
    markov,
    position_based,
    shapley,
    shapley_values,
    time_decay,
    total_by_channel,
)

CHANNELS = ("door_knock", "sms", "email", "paid_search", "social", "direct_mail", "referral",
            "call_center")
LIFT = np.array([0.10, 0.03, 0.02, 0.04, 0.02, 0.03, 0.12, 0.06])
POPULARITY = np.array([0.18, 0.22, 0.20, 0.08, 0.10, 0.08, 0.04, 0.10])
MAX_LENGTH = 12


def synthetic(n_journeys: int, seed: int = 11) -> Journeys:
    """Journeys of 1..12 touches (geometric, mean ~2.5) over 8 channels; conversion odds
    rise with each distinct channel's lift; value 1 (conversions)."""
    rng = np.random.default_rng(seed)
    lengths = np.minimum(rng.geometric(0.4, n_journeys), MAX_LENGTH)
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    n_touches = int(offsets[-1])
    channel = rng.choice(len(CHANNELS), n_touches, p=POPULARITY)
    journey = np.repeat(np.arange(n_journeys), lengths)
    present = np.zeros((n_journeys, len(CHANNELS)), dtype=bool)
    present[journey, channel] = True
    p = 1 - 0.96 * np.prod(np.where(present, 1 - LIFT, 1.0), axis=1)
    ts = 1.7e9 + np.cumsum(rng.exponential(86_400.0, n_touches))
    return Journeys(channel=channel, ts=ts, offsets=offsets,
                    converted=rng.random(n_journeys) < p, value=np.ones(n_journeys),
                    conversion_ts=np.full(n_journeys, np.nan), n_channels=len(CHANNELS))


def _timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def our_methods(journeys: Journeys) -> dict[str, dict[str, Any]]:
    """Best-of-3 seconds of each method, and its credit per channel (conversions)."""
    total = float(journeys.payout.sum())
    runs: dict[str, Callable[[], np.ndarray]] = {
        "first_touch": lambda: by_channel(first_touch(journeys), journeys),
        "last_touch": lambda: by_channel(last_touch(journeys), journeys),
        "linear": lambda: by_channel(linear(journeys), journeys),
        "time_decay": lambda: by_channel(time_decay(journeys, half_life_days=7), journeys),
        "position_based": lambda: by_channel(position_based(journeys), journeys),
        "markov_o1_fit": lambda: total_by_channel(fit_markov(journeys, order=1), total),
        "markov_o1_credit": lambda: by_channel(markov(journeys, order=1), journeys),
        "markov_o2_fit": lambda: total_by_channel(fit_markov(journeys, order=2), total),
        "shapley_exact": lambda: shapley_values(journeys, method="exact").values,
        "shapley_credit": lambda: by_channel(shapley(journeys), journeys),
        "hybrid": lambda: by_channel(hybrid(journeys, weights={"markov": 0.5,
                                                               "last_touch": 0.5}), journeys),
    }
    out = {}
    for name, run in runs.items():
        seconds, credit = _timed(run)
        out[name] = {"seconds": seconds, "credit": dict(zip(CHANNELS, credit.tolist(),
                                                            strict=True))}
    return out


def _path_table(journeys: Journeys) -> Any:
    """Journeys aggregated by path, as ChannelAttribution wants them."""
    import pandas as pd

    names = np.array(CHANNELS, dtype=object)[journeys.channel]
    bounds = journeys.offsets
    paths = [" > ".join(names[bounds[j]:bounds[j + 1]]) for j in range(journeys.n_journeys)]
    frame = pd.DataFrame({"path": paths, "conv": journeys.converted.astype(np.int64)})
    frame["null"] = 1 - frame["conv"]
    return frame.groupby("path", as_index=False)[["conv", "null"]].sum()


def _rel_diff(ours: dict[str, float], theirs: dict[str, float]) -> float:
    return max(abs(ours[c] - theirs[c]) / max(abs(theirs[c]), 1e-12) for c in theirs)


def versus_channelattribution(journeys: Journeys, ours: dict[str, dict[str, Any]],
                              nsim: float, conv_par: float) -> dict[str, Any] | None:
    """ChannelAttribution on the same journeys, side by side with ours; None if missing."""
    try:
        import ChannelAttribution as ca
    except ImportError as exc:
        print(f"ChannelAttribution not available ({exc}); install it into the venv for the "
              "comparison: .venv/bin/pip install channelattribution matplotlib")
        return None
    agg_start = time.perf_counter()
    table = _path_table(journeys)
    aggregate_s = time.perf_counter() - agg_start
    max_step = int(journeys.lengths.max()) * 10 + 20  # well above the longest path
    start = time.perf_counter()
    result = ca.markov_model(table, "path", "conv", var_null="null", order=1,
                             max_step=max_step, nsim_start=nsim, conv_par=conv_par,
                             verbose=False, flg_pro=False)
    ca_markov_s = time.perf_counter() - start
    frame = result[0] if isinstance(result, list | tuple) else result
    theirs = dict(zip(frame["channel_name"], frame["total_conversions"].astype(float),
                      strict=True))
    start = time.perf_counter()
    heuristics = ca.heuristic_models(table, "path", "conv", flg_pro=False)
    ca_heur_s = time.perf_counter() - start
    heur = {row["channel_name"]: row for row in heuristics.to_dict("records")}
    mine = ours["markov_o1_fit"]
    out = {
        "aggregate_paths_seconds": aggregate_s, "paths": len(table), "max_step": max_step,
        "markov": {
            "ours_seconds": mine["seconds"], "theirs_seconds": ca_markov_s,
            "speedup": ca_markov_s / mine["seconds"],
            "max_rel_diff": _rel_diff(mine["credit"], theirs),
            "per_channel": {c: {"ours": mine["credit"][c], "theirs": theirs[c]}
                            for c in theirs},
        },
        "heuristics": {"theirs_seconds": ca_heur_s,
                       "ours_seconds": sum(ours[m]["seconds"] for m in
                                           ("first_touch", "last_touch", "linear"))},
    }
    for ours_name, their_col in (("first_touch", "first_touch"), ("last_touch", "last_touch"),
                                 ("linear", "linear_touch")):
        theirs_h = {c: float(heur[c][their_col]) for c in heur}
        out["heuristics"][ours_name] = {"max_rel_diff": _rel_diff(ours[ours_name]["credit"],
                                                                  theirs_h)}
    return out


def graph_read(n_touches: int) -> dict[str, Any]:
    """Write one storm of synthetic journeys holding ~n_touches touches (directly as Journey
    nodes: the event path is benchmarked elsewhere), time reading it into arrays, clean up."""
    from stormops.core.settings import Settings
    from stormops.graph import apply_schema, delete_tenant, open_driver
    from stormops.graph.attribution import AttributionStore

    settings = Settings()
    journeys = synthetic(int(n_touches / 2.5) + 1, seed=3)
    cut = min(int(np.searchsorted(journeys.offsets, n_touches)), journeys.n_journeys)
    tenant, storm = f"bench-{uuid.uuid4().hex[:8]}", "S-BENCH"
    # Bench-only data load, parameterized; product code writes journeys through graph/.
    query = ("UNWIND $rows AS row CREATE (j:Journey {journey_id: row.id, tenant_id: $tenant, "
             "storm_id: $storm, channels: row.channels, converted: row.converted, "
             "revenue: row.revenue, touch_ts: [ms IN row.ms | datetime({epochMillis: ms})]})")
    names = np.array(CHANNELS, dtype=object)
    with open_driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        try:
            start = time.perf_counter()
            for lo in range(0, cut, 20_000):
                rows = []
                for j in range(lo, min(lo + 20_000, cut)):
                    a, b = journeys.offsets[j], journeys.offsets[j + 1]
                    rows.append({"id": f"{tenant}|{j}", "channels": names[journeys.channel[a:b]]
                                 .tolist(), "ms": (journeys.ts[a:b] * 1000).astype(np.int64)
                                 .tolist(), "converted": bool(journeys.converted[j]),
                                 "revenue": 1.0 if journeys.converted[j] else 0.0})
                driver.execute_query(query, rows=rows, tenant=tenant, storm=storm,
                                     database_=settings.neo4j_database)
            write_s = time.perf_counter() - start
            store = AttributionStore(driver, settings.neo4j_database)
            store.read_storm(tenant, storm)  # warm the page cache and the plan
            read_s, arrays = _timed(lambda: store.read_storm(tenant, storm), repeat=2)
        finally:
            delete_tenant(driver, settings.neo4j_database, tenant)
    return {"journeys": arrays.n_journeys, "touches": arrays.n_touches,
            "write_seconds": write_s, "read_seconds": read_s,
            "touches_per_second": arrays.n_touches / read_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--graph-touches", type=int, default=1_000_000,
                        help="touchpoints to read from Neo4j (0 to skip)")
    parser.add_argument("--ca-nsim", type=float, default=1e7,
                        help="ChannelAttribution nsim_start")
    parser.add_argument("--ca-conv-par", type=float, default=0.002,
                        help="ChannelAttribution convergence parameter (default 0.05 there)")
    args = parser.parse_args()
    figures: dict[str, Any] = {"channels": list(CHANNELS), "sizes": {}}
    for size in args.sizes:
        journeys = synthetic(size)
        ours = our_methods(journeys)
        versus = versus_channelattribution(journeys, ours, args.ca_nsim, args.ca_conv_par)
        figures["sizes"][str(size)] = {"touches": int(journeys.channel.size),
                                       "converted": int(journeys.converted.sum()),
                                       "methods": ours, "channelattribution": versus}
        print(f"\n== {size:,} journeys, {journeys.channel.size:,} touches, "
              f"{int(journeys.converted.sum()):,} conversions")
        for name, run in ours.items():
            print(f"  {name:18} {run['seconds'] * 1000:9.1f} ms")
        if versus:
            m = versus["markov"]
            print(f"  ChannelAttribution markov_model (max_step={versus['max_step']}): "
                  f"{m['theirs_seconds']:.2f} s vs ours {m['ours_seconds'] * 1000:.1f} ms "
                  f"-> {m['speedup']:.0f}x; max rel diff {m['max_rel_diff']:.4%}")
            print(f"  {'channel':14}{'ours':>14}{'theirs':>14}")
            for c, pair in m["per_channel"].items():
                print(f"  {c:14}{pair['ours']:14.1f}{pair['theirs']:14.1f}")
            h = versus["heuristics"]
            print(f"  heuristic_models {h['theirs_seconds']:.2f} s vs ours "
                  f"{h['ours_seconds'] * 1000:.1f} ms; max rel diff first "
                  f"{h['first_touch']['max_rel_diff']:.2e}, last "
                  f"{h['last_touch']['max_rel_diff']:.2e}, linear "
                  f"{h['linear']['max_rel_diff']:.2e}")
    if args.graph_touches:
        figures["graph_read"] = graph_read(args.graph_touches)
        g = figures["graph_read"]
        print(f"\n== Neo4j: read {g['touches']:,} touches in {g['journeys']:,} journeys into "
              f"arrays in {g['read_seconds']:.2f} s ({g['touches_per_second']:,.0f}/s; "
              f"written in {g['write_seconds']:.1f} s)")
    print(f"\nsaved {save('attribution', figures)}")


if __name__ == "__main__":
    main()
