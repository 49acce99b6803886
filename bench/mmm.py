"""The marketing-mix model against a known truth, over several seeds.

For each seed, a two-year weekly sample (`samples.mmm`: known adstock, saturation and ROI per
channel, storms driving demand and spend) is fitted three ways: calibrated by its lift tests
with the storm control (the product's fit), without the lift tests, and without the storm
control. Prints, per variant:

- coverage: how often the true ROI lies inside the 94% interval (channel x seed cases);
- optimizer: revenue the optimized weekly split earns under the TRUE curves, as a share of
  the true optimum's (same total, same bounds: each channel within 0.5-2x its mean spend);
- the width of the ROI intervals of the lift-tested channels (calibration narrows them);
- fit seconds; predict_roi and optimize_budget seconds (answered from the stored posterior).

`--lift-channels` sets how many channels have a holdout lift test: what the model cannot learn
from two years of weekly data (the returns of small channels) a holdout measures.

Targets: coverage >= 90%; optimizer >= 97% of the true optimum; fit <= 180 s for 104 weeks x
8 channels; predict_roi <= 1 s; optimize_budget <= 30 s.

    .venv/bin/python bench/mmm.py --seeds 5
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import save

from stormops.mmm import MixPosterior, weekly_frame
from stormops.mmm.fit import FitSettings, fit_mix
from stormops.samples.mmm import generate_mmm, true_revenue, weekly_rows

VARIANTS = {"calibrated": (True, True), "no_lift_tests": (False, True),
            "no_storm_control": (True, False)}


def truth_posterior(sample) -> MixPosterior:
    """The true curves as a one-draw posterior: the true optimum comes from the same solver."""
    names = tuple(sample.truth)
    t = [sample.truth[c] for c in names]
    return MixPosterior(names, np.array([[c.lam for c in t]]), np.array([[c.beta for c in t]]),
                        np.array([c.scale for c in t]), np.array([[c.roi for c in t]]),
                        np.array([sample.spend[c].mean() for c in names]))


def run(seed: int, variant: str, args: argparse.Namespace) -> dict:
    sample = generate_mmm(weeks=args.weeks, channels=args.channels, seed=seed,
                          lift_channels=args.lift_channels)
    rows, storms = weekly_rows(sample)
    data = weekly_frame(rows, storms)
    lifts, control = VARIANTS[variant]
    settings = FitSettings(draws=args.draws, tune=args.tune, chains=args.chains, seed=seed,
                           storm_control=control)
    result = fit_mix(data, sample.lift_tests if lifts else [], settings)
    post = result.posterior
    tail = 3.0
    low, high = np.percentile(post.roi, [tail, 100 - tail], axis=0)
    truth = np.array([sample.truth[c].roi for c in post.channels])
    covered = (low <= truth) & (truth <= high)

    started = time.perf_counter()
    post.response(post.current)  # what predict_roi computes
    predict_s = time.perf_counter() - started
    total = float(post.current.sum())
    bounds = {c: (0.5 * post.current[i], 2.0 * post.current[i])
              for i, c in enumerate(post.channels)}
    started = time.perf_counter()
    best = post.optimize(total, bounds)
    optimize_s = time.perf_counter() - started
    truth_post = truth_posterior(sample)
    optimum = truth_post.optimize(total, bounds)
    earned = true_revenue(sample, dict(zip(post.channels, best, strict=True)))
    most = true_revenue(sample, dict(zip(truth_post.channels, optimum, strict=True)))
    tested = [c for c in (t["channel"] for t in sample.lift_tests)]
    widths = {c: float((high - low)[post.channels.index(c)]) for c in tested}
    return {"seed": seed, "variant": variant, "covered": int(covered.sum()),
            "cases": int(covered.size),
            "missed": {c: (round(float(truth[i]), 3), round(float(low[i]), 3),
                           round(float(high[i]), 3))
                       for i, c in enumerate(post.channels) if not covered[i]},
            "optimizer_share": earned / most, "fit_s": result.seconds,
            "predict_s": predict_s, "optimize_s": optimize_s, "lift_widths": widths,
            "diagnostics": result.diagnostics}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--channels", type=int, default=8)
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--tune", type=int, default=500)
    parser.add_argument("--chains", type=int, default=2)
    parser.add_argument("--lift-channels", type=int, default=3,
                        help="channels with a holdout lift test (the first N of the sample's)")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    runs = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        for variant in variants:
            out = run(seed, variant, args)
            runs.append(out)
            print(f"seed {seed} {variant:17} covered {out['covered']}/{out['cases']} "
                  f"optimizer {out['optimizer_share']:.4f} fit {out['fit_s']:.0f}s "
                  f"r-hat {out['diagnostics']['r_hat_max']:.3f} "
                  f"divergences {out['diagnostics']['divergences']} missed {out['missed']}",
                  flush=True)
    figures: dict = {"weeks": args.weeks, "channels": args.channels, "draws": args.draws,
                     "chains": args.chains, "lift_channels": args.lift_channels, "variants": {}}
    print(f"\n{args.weeks} weeks x {args.channels} channels, {args.seeds} seeds, "
          f"{args.draws} draws x {args.chains} chains")
    for variant in variants:
        mine = [r for r in runs if r["variant"] == variant]
        coverage = sum(r["covered"] for r in mine) / sum(r["cases"] for r in mine)
        share = min(r["optimizer_share"] for r in mine)
        widths = np.mean([w for r in mine for w in r["lift_widths"].values()])
        row = {"coverage": coverage, "optimizer_share_min": share,
               "optimizer_share_mean": float(np.mean([r["optimizer_share"] for r in mine])),
               "fit_s_max": max(r["fit_s"] for r in mine),
               "predict_s_max": max(r["predict_s"] for r in mine),
               "optimize_s_max": max(r["optimize_s"] for r in mine),
               "lift_tested_roi_width_mean": float(widths)}
        figures["variants"][variant] = row
        print(f"{variant:17} coverage {coverage:.0%} (target >= 90%)  optimizer min "
              f"{share:.2%} of the true optimum (target >= 97%)  fit max "
              f"{row['fit_s_max']:.0f} s (target <= 180)  predict {row['predict_s_max']:.4f} s "
              f"(<= 1)  optimize {row['optimize_s_max']:.3f} s (<= 30)  lift-tested ROI "
              f"interval width {widths:.3f}")
    figures["runs"] = runs
    print(f"written {save('mmm', figures)}")


if __name__ == "__main__":
    main()
