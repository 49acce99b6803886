"""Path credit vs calibrated incremental credit, on journeys with known per-channel effects.

A generator with a known truth: each property is exposed to each channel independently (a
random share is held out of each channel: the channel holdouts), and converts with
probability base + the sum of the effects of the channels it saw. A channel's true share of
incremental conversions is effect x exposed units over the total. Path methods credit the
conversions that happened, baseline ones included; the calibrated credit shares the measured
incremental conversions by each channel's holdout lift. Prints the mean absolute error of
credit share (points) per method.

Target: calibrated incremental credit MAE <= 2 points (path methods: about 9).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import save

from stormops.attribution.incremental import calibrated_shares
from stormops.attribution.methods import Journeys, by_channel, last_touch, linear, markov, shapley
from stormops.experiments.stats import rate_difference

CHANNELS = ("door_knock", "sms", "email", "paid_search", "social", "direct_mail")
EXPOSURE = np.array([0.35, 0.6, 0.7, 0.3, 0.5, 0.4])
EFFECT = np.array([0.06, 0.01, 0.004, 0.02, 0.008, 0.012])
BASE = 0.04
HOLDOUT = 0.1


def simulate(units: int, seed: int) -> dict:
    """Exposures, holdouts, conversions and journeys of `units` properties."""
    rng = np.random.default_rng(seed)
    held = rng.random((units, len(CHANNELS))) < HOLDOUT
    exposed = ~held & (rng.random((units, len(CHANNELS))) < EXPOSURE)
    p = BASE + exposed @ EFFECT
    converted = rng.random(units) < p
    touched = exposed.any(axis=1)
    paths, outcome = [], []
    for row in np.flatnonzero(touched):
        channels = np.flatnonzero(exposed[row])
        repeats = rng.integers(1, 3, size=channels.size)  # some channels touch twice
        path = np.repeat(channels, repeats)
        rng.shuffle(path)
        paths.append(path.tolist())
        outcome.append(bool(converted[row]))
    return {"held": held, "exposed": exposed, "converted": converted,
            "journeys": Journeys.from_lists(paths, outcome, n_channels=len(CHANNELS))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    sim = simulate(args.units, args.seed)
    journeys, exposed, held, converted = (sim["journeys"], sim["exposed"], sim["held"],
                                          sim["converted"])
    incremental_truth = EFFECT * exposed.sum(axis=0)
    truth = incremental_truth / incremental_truth.sum()

    shares = {}
    for name, method in (("last_touch", last_touch), ("linear", linear),
                         ("markov", markov), ("shapley", shapley)):
        credit = by_channel(method(journeys), journeys)
        shares[name] = credit / credit.sum()
    measured = {}
    for c, channel in enumerate(CHANNELS):
        in_c, out_c = ~held[:, c], held[:, c]
        lift = rate_difference(int(converted[in_c].sum()), int(in_c.sum()),
                               int(converted[out_c].sum()), int(out_c.sum()))
        measured[channel] = lift.estimate * in_c.sum()
    fractional = dict(zip(CHANNELS, shares["shapley"], strict=True))
    calibrated = calibrated_shares(fractional, measured)
    shares["calibrated_incremental"] = np.array([calibrated[c] for c in CHANNELS])
    elapsed = time.perf_counter() - start

    mae = {name: float(np.mean(np.abs(s - truth)) * 100) for name, s in shares.items()}
    print(f"{args.units:,} properties, {journeys.offsets.size - 1:,} journeys, "
          f"{int(converted.sum()):,} conversions ({elapsed:.1f} s)")
    print(f"{'channel':<14}{'truth':>8}" + "".join(f"{n:>24}" for n in shares))
    for c, channel in enumerate(CHANNELS):
        print(f"{channel:<14}{truth[c] * 100:>7.1f}%"
              + "".join(f"{s[c] * 100:>23.1f}%" for s in shares.values()))
    print("mean absolute error of share (points): "
          + ", ".join(f"{n} {v:.2f}" for n, v in mae.items())
          + " (target: calibrated <= 2; path methods about 9)")
    print(f"saved {save('incrementality', {'units': args.units, 'mae_points': mae})}")


if __name__ == "__main__":
    main()
