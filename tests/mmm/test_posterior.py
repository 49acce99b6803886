"""ROI, curves and the budget optimizer on posterior draws: pure numeric core, no sampler."""

from __future__ import annotations

import numpy as np
import pytest

from stormops.core.errors import InvalidInput
from stormops.mmm import MixPosterior
from stormops.samples.mmm import generate_mmm, true_revenue


def _truth_posterior(seed: int = 3, draws: int = 1) -> tuple[MixPosterior, object]:
    """The sample's true curves as a posterior (every draw the truth)."""
    sample = generate_mmm(weeks=52, channels=5, seed=seed)
    names = tuple(sample.truth)
    t = [sample.truth[c] for c in names]
    ones = np.ones((draws, 1))
    post = MixPosterior(names, ones * [c.lam for c in t], ones * [c.beta for c in t],
                        np.array([c.scale for c in t]), ones * [c.roi for c in t],
                        np.array([sample.spend[c].mean() for c in names]))
    return post, sample


def test_optimizer_keeps_bounds_and_total_and_beats_a_grid() -> None:
    post, sample = _truth_posterior()
    total = float(post.current.sum())
    bounds = {"door_knock": (5_000.0, 15_000.0), "social": (1_000.0, 2_000.0)}
    best = post.optimize(total, bounds)
    assert best.sum() == pytest.approx(total, rel=1e-9)
    names = list(post.channels)
    for channel, (low, high) in bounds.items():
        assert low - 1e-6 <= best[names.index(channel)] <= high + 1e-6
    assert (best >= -1e-9).all()
    earned = true_revenue(sample, dict(zip(names, best, strict=True)))
    rng = np.random.default_rng(0)
    for _ in range(300):  # no random feasible split does better
        x = rng.dirichlet(np.ones(len(names))) * total
        lo = np.array([bounds.get(c, (0, total))[0] for c in names])
        hi = np.array([bounds.get(c, (0, total))[1] for c in names])
        if (x < lo).any() or (x > hi).any():
            continue
        assert true_revenue(sample, dict(zip(names, x, strict=True))) <= earned + 1e-6


def test_optimizer_refuses_bad_budgets_and_bounds() -> None:
    post, _ = _truth_posterior()
    for total, bounds, field in [(0.0, None, "total"), (-5.0, None, "total"),
                                 (float("nan"), None, "total"),
                                 (1_000.0, {"door_knock": (2_000.0, 3_000.0)}, "bounds"),
                                 (1_000.0, {"door_knock": (5.0, 1.0)}, "bounds.door_knock"),
                                 (1_000.0, {"nope": (0.0, 1.0)}, "bounds.nope")]:
        with pytest.raises(InvalidInput) as caught:
            post.optimize(total, bounds)
        assert caught.value.field == field


def _twins(draws: int = 400) -> MixPosterior:
    """Two channels with the same mean curve: `sure` knows its ceiling, `unsure` has it spread
    over a wide, right-skewed posterior (what the prior alone says of an untested channel)."""
    rng = np.random.default_rng(5)
    spread = rng.lognormal(0, 0.8, draws)
    beta = np.column_stack([np.full(draws, 10_000.0), 10_000.0 * spread / spread.mean()])
    return MixPosterior(("sure", "unsure"), np.full((draws, 2), 1.5), beta,
                        np.array([5_000.0, 5_000.0]), np.ones((draws, 2)),
                        np.array([2_000.0, 2_000.0]))


def test_risk_moves_budget_to_the_channel_the_model_is_sure_of() -> None:
    post = _twins()
    neutral = post.optimize(4_000.0, risk=0.0)
    averse = post.optimize(4_000.0, risk=2.0)
    assert neutral[0] == pytest.approx(neutral[1], rel=1e-3)  # the same mean curve
    assert averse[0] > 1.2 * averse[1]
    assert averse.sum() == pytest.approx(4_000.0, rel=1e-9)


def test_risk_adjusted_split_beats_every_sampled_split_on_its_own_objective() -> None:
    post = _twins()
    bounds = {"sure": (500.0, 3_500.0)}

    def score(x: np.ndarray) -> float:
        revenue = post.response(x).sum(axis=1)
        return float(revenue.mean() - 2.0 * revenue.std())

    best = score(post.optimize(4_000.0, bounds, risk=2.0))
    for sure in np.linspace(500.0, 3_500.0, 61):
        assert score(np.array([sure, 4_000.0 - sure])) <= best + 1e-6


def test_optimizer_refuses_a_negative_risk() -> None:
    for risk in (-0.5, float("nan")):
        with pytest.raises(InvalidInput) as caught:
            _twins().optimize(4_000.0, risk=risk)
        assert caught.value.field == "risk"


def test_response_curves_and_allocation_vectors() -> None:
    post, sample = _truth_posterior(draws=4)
    curves = post.curves(points=5)
    truth = sample.truth["door_knock"]
    assert curves["door_knock"]["spend"][0] == 0.0
    assert curves["door_knock"]["mean"][-1] == pytest.approx(
        float(truth.curve(2 * truth.scale)))
    assert np.diff(curves["door_knock"]["mean"]).min() > 0  # more spend, more revenue
    assert post.vector({"social": 10.0}).tolist() == [0, 0, 0, 0, 10.0]
    with pytest.raises(InvalidInput) as caught:
        post.vector({"door_knock": -1.0})
    assert caught.value.field == "allocation.door_knock"
