"""experiments/stats.py: published worked examples, SciPy cross-checks, invariants, coverage.

The coverage tests simulate thousands of experiments from a seeded generator. Intervals are
computed once per distinct outcome (a pair of counts for a fixed n), so the root-finding in
the ratio interval costs a few thousand solves at most.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from stormops.experiments.stats import (
    LiftEstimate,
    clustered_rate_difference,
    mean_difference,
    rate_difference,
    rate_ratio,
    srm_check,
    wilson_interval,
)

Z95 = stats.norm.ppf(0.975)


# Published worked examples ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
     (1, 29, 0.0061, 0.1718)],
)
def test_wilson_matches_newcombe_1998_single_proportion(successes, n, low, high) -> None:
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I,
    # method 3 (score interval without continuity correction).
    assert [round(bound, 4) for bound in wilson_interval(successes, n)] == [low, high]


def test_wilson_without_trials_is_uninformative() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("x_t", "n_t", "x_c", "n_c", "estimate", "low", "high"),
    [
        (56, 70, 48, 80, 0.2000, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.6000, 0.1705, 0.8090),
        # The brief quoted 0.0753 to 0.8138 here; method 10 built from the Wilson intervals
        # (0.4869, 0.9743) and (0.0822, 0.6411) gives 0.0582 to 0.8062, by hand as in code.
        (6, 7, 2, 7, 0.5714, 0.0582, 0.8062),
        (5, 56, 0, 29, 0.0893, -0.0381, 0.1926),
        (0, 10, 0, 20, 0.0, -0.1611, 0.2775),
        (10, 10, 0, 20, 1.0, 0.6791, 1.0),
    ],
)
def test_rate_difference_matches_newcombe_1998_method_10(
    x_t, n_t, x_c, n_c, estimate, low, high
) -> None:
    # Newcombe (1998), "Interval estimation for the difference between independent
    # proportions: comparison of eleven methods", Table II, method 10 (hybrid score).
    lift = rate_difference(x_t, n_t, x_c, n_c)
    assert [round(v, 4) for v in (lift.estimate, lift.low, lift.high)] == [estimate, low, high]
    assert (lift.metric, lift.method) == ("rate_difference", "newcombe_hybrid_score")


def test_rate_ratio_matches_koopman_1984_example() -> None:
    # Koopman (1984) 36/40 vs 16/80; the score limits 2.940 and 7.152 are as recomputed by
    # Nam (1995, Biom. J. 37: 375-379) from the closed-form cubic.
    lift = rate_ratio(36, 40, 16, 80)
    assert lift.estimate == pytest.approx(3.5)
    assert round(lift.low + 1, 3) == 2.940
    assert round(lift.high + 1, 3) == 7.152
    assert (lift.metric, lift.method) == ("relative_lift", "koopman_score")


def test_rate_ratio_all_converted_matches_closed_form() -> None:
    # With every unit converted in both arms the score limits have the closed form
    # n_t / (n_t + z^2) and (n_c + z^2) / n_c (Nam 1995).
    lift = rate_ratio(10, 10, 20, 20)
    assert lift.low + 1 == pytest.approx(10 / (10 + Z95**2), rel=1e-9)
    assert lift.high + 1 == pytest.approx((20 + Z95**2) / 20, rel=1e-9)


def _koopman_chi2(theta: float, x_t: int, n_t: int, x_c: int, n_c: int) -> float:
    """Koopman's Pearson statistic at theta, with the constrained MLE found numerically."""

    def negative_loglik(p_c: float) -> float:
        return -(stats.binom.logpmf(x_t, n_t, theta * p_c) + stats.binom.logpmf(x_c, n_c, p_c))

    upper = min(1.0, 1.0 / theta)
    p_c = optimize.minimize_scalar(
        negative_loglik, bounds=(1e-12, upper - 1e-12), method="bounded",
        options={"xatol": 1e-13},
    ).x
    p_t = theta * p_c
    return (x_t - n_t * p_t) ** 2 / (n_t * p_t * (1 - p_t)) + (x_c - n_c * p_c) ** 2 / (
        n_c * p_c * (1 - p_c)
    )


@pytest.mark.parametrize(
    "counts", [(36, 40, 16, 80), (3, 200, 7, 200), (200, 2000, 160, 2000), (0, 200, 3, 200),
               (5, 20, 0, 10)],
)
def test_rate_ratio_bounds_are_where_the_score_statistic_hits_the_critical_value(counts) -> None:
    # The defining property, checked with an independent computation: Koopman's chi-square
    # with the constrained MLE found by maximizing the likelihood, not by the quadratic.
    lift = rate_ratio(*counts)
    low, high = lift.low + 1, lift.high + 1
    if low > 0:
        assert _koopman_chi2(low, *counts) == pytest.approx(Z95**2, rel=1e-5)
        assert _koopman_chi2(low * 0.99, *counts) > Z95**2 > _koopman_chi2(low * 1.01, *counts)
    if high < math.inf:
        assert _koopman_chi2(high, *counts) == pytest.approx(Z95**2, rel=1e-5)
        assert _koopman_chi2(high * 0.99, *counts) < Z95**2 < _koopman_chi2(high * 1.01, *counts)


@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
def test_welch_matches_scipy_ttest_ind(confidence) -> None:
    rng = np.random.default_rng(3)
    values_t = rng.lognormal(4.0, 1.0, size=40)
    values_c = rng.lognormal(3.8, 0.6, size=65)
    lift = mean_difference(values_t, values_c, confidence=confidence)
    reference = stats.ttest_ind(values_t, values_c, equal_var=False).confidence_interval(
        confidence_level=confidence
    )
    assert lift.estimate == pytest.approx(values_t.mean() - values_c.mean())
    assert (lift.low, lift.high) == pytest.approx((reference.low, reference.high), rel=1e-10)
    assert (lift.n_treatment, lift.n_control, lift.method) == (40, 65, "welch_t")


def test_bca_bootstrap_agrees_with_scipy_bootstrap() -> None:
    rng = np.random.default_rng(4)
    values_t = rng.lognormal(3.0, 1.2, size=300)
    values_c = rng.lognormal(2.8, 1.0, size=200)
    lift = mean_difference(values_t, values_c, method="bootstrap", n_boot=20_000)
    reference = stats.bootstrap(
        (values_t, values_c), lambda t, c, axis: t.mean(axis) - c.mean(axis),
        n_resamples=20_000, method="BCa", rng=np.random.default_rng(1), batch=2_000,
    ).confidence_interval
    width = reference.high - reference.low
    assert lift.low == pytest.approx(reference.low, abs=0.03 * width)
    assert lift.high == pytest.approx(reference.high, abs=0.03 * width)
    assert lift.method == "bca_bootstrap"


def test_bootstrap_is_reproducible_from_its_seed() -> None:
    rng = np.random.default_rng(5)
    values_t, values_c = rng.exponential(50, 80), rng.exponential(40, 90)
    first = mean_difference(values_t, values_c, method="bootstrap", seed=11)
    again = mean_difference(values_t, values_c, method="bootstrap", seed=11)
    other = mean_difference(values_t, values_c, method="bootstrap", seed=12)
    assert first == again
    assert (first.low, first.high) != (other.low, other.high)


def test_srm_check_matches_pearson_chi_square() -> None:
    balanced = srm_check([50_600, 49_400], [0.5, 0.5])
    assert balanced.chi2 == pytest.approx(2 * 600**2 / 50_000)
    assert balanced.p_value == pytest.approx(stats.chi2.sf(14.4, df=1))
    assert balanced.flagged
    assert (balanced.observed, balanced.expected) == ((50_600, 49_400), (50_000.0, 50_000.0))
    assert not srm_check([50_421, 49_579], [1, 1]).flagged  # p = 0.008 > 0.001
    skewed = srm_check([9_050, 950, 1_000], [90, 10, 10])
    assert skewed.expected == pytest.approx((9_000.0, 1_000.0, 1_000.0))
    assert skewed.p_value == pytest.approx(stats.chi2.sf(skewed.chi2, df=2))


# Invariants ---------------------------------------------------------------------------

GRID = [
    (0, 50, 0, 50), (0, 50, 3, 50), (3, 50, 0, 50), (50, 50, 0, 50), (0, 50, 50, 50),
    (50, 50, 50, 50), (1, 1, 0, 1), (7, 1_000, 9, 1_200), (300, 10_000, 250, 9_000),
    (49, 50, 1, 50),
]


@pytest.mark.parametrize("counts", GRID)
@pytest.mark.parametrize("function", [rate_difference, rate_ratio])
def test_intervals_contain_the_estimate_and_are_defined(function, counts) -> None:
    lift = function(*counts)
    assert not math.isnan(lift.low) and not math.isnan(lift.high)
    assert lift.low <= lift.high
    if not math.isnan(lift.estimate):
        assert lift.low <= lift.estimate <= lift.high
    if function is rate_difference:
        assert -1 <= lift.low and lift.high <= 1
    else:
        assert lift.low >= -1


def test_rate_ratio_zero_counts_follow_the_documented_convention() -> None:
    no_treatment = rate_ratio(0, 200, 6, 200)
    assert (no_treatment.estimate, no_treatment.low) == (-1.0, -1.0)
    assert -1 < no_treatment.high < math.inf
    no_control = rate_ratio(6, 200, 0, 200)
    assert (no_control.estimate, no_control.high) == (math.inf, math.inf)
    assert -1 < no_control.low < math.inf
    neither = rate_ratio(0, 200, 0, 200)
    assert math.isnan(neither.estimate)
    assert (neither.low, neither.high) == (-1.0, math.inf)


def _width(lift: LiftEstimate) -> float:
    return lift.high - lift.low


def test_intervals_narrow_as_the_sample_grows() -> None:
    scales = [1, 2, 4, 8, 16]
    wilson = [high - low for low, high in (wilson_interval(3 * k, 100 * k) for k in scales)]
    difference = [_width(rate_difference(4 * k, 100 * k, 3 * k, 100 * k)) for k in scales]
    ratio = [_width(rate_ratio(4 * k, 100 * k, 3 * k, 100 * k)) for k in scales]
    rng = np.random.default_rng(6)
    values_t, values_c = rng.exponential(60, 50), rng.exponential(50, 50)
    welch = [_width(mean_difference(np.tile(values_t, k), np.tile(values_c, k))) for k in scales]
    converted, clusters = np.array([1, 0, 0, 1, 1, 0, 0, 0]), np.array([0, 0, 1, 1, 2, 2, 3, 3])
    clustered = [
        _width(clustered_rate_difference(
            np.tile(converted, k), np.tile(clusters, k) + np.repeat(np.arange(k), 8) * 4,
            np.tile(1 - converted, k), np.tile(clusters, k) + np.repeat(np.arange(k), 8) * 4,
        ))
        for k in scales
    ]
    for widths in (wilson, difference, ratio, welch, clustered):
        assert all(np.diff(widths) < 0), widths


def test_higher_confidence_gives_wider_intervals() -> None:
    for function in (rate_difference, rate_ratio):
        widths = [_width(function(12, 400, 7, 400, confidence=c)) for c in (0.8, 0.95, 0.99)]
        assert widths[0] < widths[1] < widths[2]


def test_to_dict_round_trips() -> None:
    lift = rate_difference(56, 70, 48, 80, confidence=0.9)
    assert LiftEstimate(**lift.to_dict()) == lift
    assert lift.to_dict()["confidence"] == 0.9


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: rate_difference(5, 0, 1, 10), "n_t must be >= 1, got 0"),
        (lambda: rate_difference(11, 10, 1, 10), r"x_t must be <= n_t \(10\), got 11"),
        (lambda: rate_ratio(1, 10, -1, 10), "x_c must be >= 0, got -1"),
        (lambda: rate_ratio(1, 10, 1.5, 10), "x_c must be an integer count, got 1.5"),
        (lambda: rate_difference(1, 10, 1, 10, confidence=95), "confidence must be in"),
        (lambda: wilson_interval(3, 2), r"successes must be <= n \(2\), got 3"),
        (lambda: mean_difference([1.0], [1.0, 2.0]), "values_t must be 1-D with at least 2"),
        (lambda: mean_difference([1.0, math.nan], [1.0, 2.0]), "values_t must be finite"),
        (lambda: mean_difference([1, 2], [1, 2], method="anova"), "method must be one of"),
        (lambda: clustered_rate_difference([1, 2], [0, 1], [0, 1], [0, 1]),
         "converted_t must hold only 0 and 1"),
        (lambda: clustered_rate_difference([1, 0], [0, 0], [0, 1], [0, 1]),
         "cluster_t must hold at least 2 clusters, got 1"),
        (lambda: srm_check([10, 10], [1, 0]), "expected_weights must be positive"),
        (lambda: srm_check([10], [1]), "at least 2 arms"),
    ],
)
def test_invalid_input_names_the_argument_and_value(call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# Simulated coverage -------------------------------------------------------------------

N_EXPERIMENTS = 4_000


def _coverage(function, n: int, p_t: float, p_c: float, truth: float) -> tuple[float, int]:
    """Share of simulated experiments whose interval covers truth, and zero-count outcomes."""
    rng = np.random.default_rng(20_240_601)
    outcomes = np.column_stack(
        [rng.binomial(n, p_t, N_EXPERIMENTS), rng.binomial(n, p_c, N_EXPERIMENTS)]
    )
    pairs, index = np.unique(outcomes, axis=0, return_inverse=True)
    bounds = np.array([
        (lift.low, lift.high)
        for lift in (function(int(x_t), n, int(x_c), n) for x_t, x_c in pairs)
    ])
    assert not np.isnan(bounds).any(), "an interval is undefined"
    covered = (bounds[:, 0] <= truth) & (truth <= bounds[:, 1])
    zero_arm = int((pairs == 0).any(axis=1)[index.ravel()].sum())
    return float(covered[index.ravel()].mean()), zero_arm


@pytest.mark.parametrize(
    ("n", "p_t", "p_c", "floor", "ceiling"),
    [(200, 0.03, 0.03, 0.93, 1.0), (200, 0.04, 0.03, 0.93, 1.0),
     (2_000, 0.10, 0.08, 0.935, 0.965)],
)
@pytest.mark.parametrize("function", [rate_difference, rate_ratio])
def test_95_percent_intervals_cover(function, n, p_t, p_c, floor, ceiling) -> None:
    truth = p_t - p_c if function is rate_difference else p_t / p_c - 1
    coverage, zero_arm = _coverage(function, n, p_t, p_c, truth)
    assert floor <= coverage <= ceiling, f"{function.__name__} coverage {coverage:.4f}"
    if n == 200 and p_t == 0.03:
        assert zero_arm > 0, "the small-rate case should include arms with no conversions"


def _geo_arm(rng: np.random.Generator, rate: float, n_zips: int) -> tuple[np.ndarray, ...]:
    """Unit-level outcomes of one arm: zips of 20-300 homes, zip rates ~ Beta(mean=rate)."""
    sizes = rng.integers(20, 300, size=n_zips)
    zip_rates = rng.beta(rate * 40, (1 - rate) * 40, size=n_zips)  # intra-zip corr. 1/41
    conversions = rng.binomial(sizes, zip_rates)
    runs = np.column_stack([conversions, sizes - conversions]).ravel()
    converted = np.repeat(np.tile([1, 0], n_zips), runs)
    return converted, np.repeat(np.arange(n_zips), sizes)


def test_clustered_interval_covers_where_the_unit_level_interval_does_not() -> None:
    rng = np.random.default_rng(8)
    p_t, p_c, n_experiments = 0.06, 0.05, 2_000
    clustered = naive = 0
    for _ in range(n_experiments):
        converted_t, zip_t = _geo_arm(rng, p_t, 60)
        converted_c, zip_c = _geo_arm(rng, p_c, 60)
        lift = clustered_rate_difference(converted_t, zip_t, converted_c, zip_c)
        clustered += lift.low <= p_t - p_c <= lift.high
        unit_level = rate_difference(
            int(converted_t.sum()), converted_t.size, int(converted_c.sum()), converted_c.size
        )
        naive += unit_level.low <= p_t - p_c <= unit_level.high
    clustered_coverage, naive_coverage = clustered / n_experiments, naive / n_experiments
    assert 0.92 <= clustered_coverage <= 0.98, clustered_coverage
    assert naive_coverage < clustered_coverage - 0.10, (naive_coverage, clustered_coverage)


def test_cluster_bootstrap_covers() -> None:
    rng = np.random.default_rng(9)
    p_t, p_c, n_experiments = 0.06, 0.05, 400
    covered = 0
    for seed in range(n_experiments):
        converted_t, zip_t = _geo_arm(rng, p_t, 60)
        converted_c, zip_c = _geo_arm(rng, p_c, 60)
        lift = clustered_rate_difference(
            converted_t, zip_t, converted_c, zip_c, method="bootstrap", seed=seed
        )
        covered += lift.low <= p_t - p_c <= lift.high
        assert lift.method == "cluster_bootstrap_percentile"
    assert covered / n_experiments >= 0.90, covered / n_experiments
