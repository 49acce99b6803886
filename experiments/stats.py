"""Lift of a treatment over a control, with confidence intervals fit for experiment readouts.

Pure functions over counts and numpy arrays: no I/O, no module state, and randomness only
through a seed or generator the caller passes. Each estimate comes back as a frozen
`LiftEstimate`, so the interval, its confidence level and the method that made it travel
together.

Methods, and why:

- one proportion: the Wilson score interval, which stays inside [0, 1] and keeps its
  coverage at the small rates and zero counts experiments produce (the Wald interval does
  neither);
- difference of two rates: Newcombe's hybrid score interval (method 10 of Newcombe 1998),
  built from the two Wilson intervals, so it inherits their behaviour at zero counts;
- relative lift: Koopman's (1984) score interval for the ratio of two binomial proportions,
  solved numerically; it is the Miettinen-Nurminen interval without the N/(N-1) variance
  factor, and unlike log-ratio (Katz) intervals it is defined when an arm has no conversions;
- revenue per unit: Welch's t interval, or a seeded BCa bootstrap for skewed revenue;
- geo (cluster-randomised) experiments: a delta-method interval from cluster totals with a
  t reference, or a cluster bootstrap, because unit-level intervals ignore the correlation
  of units in one zip code and are too narrow.

`srm_check` tests the assignment counts for a sample-ratio mismatch, which makes every lift
estimate from the same experiment suspect.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special, stats

__all__ = [
    "LiftEstimate",
    "SRMResult",
    "clustered_rate_difference",
    "mean_difference",
    "rate_difference",
    "rate_ratio",
    "srm_check",
    "wilson_interval",
]

# Bootstrap resamples are drawn in blocks of about this many indices to bound memory.
_RESAMPLE_BLOCK = 1 << 20
# Stand-in for a ratio estimate of 0 (or 1 / it for inf) where the bound search starts.
_RATIO_FLOOR = 1e-100


@dataclass(frozen=True)
class LiftEstimate:
    """An estimated lift of treatment over control with its two-sided confidence interval.

    Attributes:
        metric: what `estimate` measures: "rate_difference" (p_t - p_c), "relative_lift"
            (p_t / p_c - 1) or "mean_difference" (mean_t - mean_c).
        estimate: the point estimate; for "relative_lift" it is inf when only the control
            arm has no conversions and nan when neither arm has any.
        low: lower confidence bound.
        high: upper confidence bound (inf for "relative_lift" when the control arm has no
            conversions).
        confidence: the confidence level, e.g. 0.95.
        n_treatment: units in the treatment arm.
        n_control: units in the control arm.
        method: the interval method, e.g. "newcombe_hybrid_score".
    """

    metric: str
    estimate: float
    low: float
    high: float
    confidence: float
    n_treatment: int
    n_control: int
    method: str

    def to_dict(self) -> dict[str, float | int | str]:
        """Plain fields for storage next to the experiment; inf and nan are kept as floats."""
        return asdict(self)


@dataclass(frozen=True)
class SRMResult:
    """Outcome of a sample-ratio-mismatch check.

    Attributes:
        chi2: Pearson chi-square statistic of observed against expected counts.
        p_value: its p-value on (groups - 1) degrees of freedom.
        flagged: True when p_value < alpha: the assignment is suspect.
        observed: the observed counts per group.
        expected: the counts the design weights imply for the same total.
    """

    chi2: float
    p_value: float
    flagged: bool
    observed: tuple[int, ...]
    expected: tuple[float, ...]


def wilson_interval(successes: int, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for one proportion.

    The score interval keeps close to nominal coverage at small rates and small n and is
    never empty or outside [0, 1], so it is safe for per-arm conversion rates that may be 0.

    Args:
        successes: number of successes (conversions), 0 <= successes <= n.
        n: number of trials (units); n = 0 gives the uninformative interval (0, 1).
        confidence: two-sided confidence level in (0, 1).

    Returns:
        (low, high) bounds of the interval for the success probability.

    Raises:
        ValueError: for a count outside 0 <= successes <= n or a confidence outside (0, 1).

    Example:
        >>> low, high = wilson_interval(81, 263)
        >>> round(low, 4), round(high, 4)
        (0.2553, 0.3662)
    """
    z = _critical_z(confidence)
    _check_count("n", n, minimum=0)
    _check_count("successes", successes, maximum=n, maximum_name="n")
    if n == 0:
        return 0.0, 1.0
    return _wilson(successes, n, z)


def rate_difference(
    x_t: int, n_t: int, x_c: int, n_c: int, *, confidence: float = 0.95
) -> LiftEstimate:
    """Absolute lift in conversion rate, p_t - p_c, with Newcombe's hybrid score interval.

    Newcombe's method 10 combines the two arms' Wilson intervals. Unlike the Wald interval
    it keeps close to nominal coverage at the low rates of marketing experiments and stays
    defined, inside [-1, 1], when an arm has no conversions.

    Args:
        x_t: conversions in the treatment arm.
        n_t: units in the treatment arm.
        x_c: conversions in the control arm.
        n_c: units in the control arm.
        confidence: two-sided confidence level in (0, 1).

    Returns:
        A LiftEstimate with metric "rate_difference" and method "newcombe_hybrid_score".

    Raises:
        ValueError: naming the argument, for n <= 0, a count outside 0 <= x <= n, or a
            confidence outside (0, 1).

    Example:
        >>> lift = rate_difference(56, 70, 48, 80)
        >>> round(lift.estimate, 4), round(lift.low, 4), round(lift.high, 4)
        (0.2, 0.0524, 0.3339)
    """
    z = _check_two_arms(x_t, n_t, x_c, n_c, confidence)
    p_t, p_c = x_t / n_t, x_c / n_c
    low_t, high_t = _wilson(x_t, n_t, z)
    low_c, high_c = _wilson(x_c, n_c, z)
    estimate = p_t - p_c
    low = estimate - math.hypot(p_t - low_t, high_c - p_c)
    high = estimate + math.hypot(high_t - p_t, p_c - low_c)
    return LiftEstimate(
        "rate_difference", estimate, low, high, confidence, n_t, n_c, "newcombe_hybrid_score"
    )


def rate_ratio(
    x_t: int, n_t: int, x_c: int, n_c: int, *, confidence: float = 0.95
) -> LiftEstimate:
    """Relative lift in conversion rate, p_t / p_c - 1, with Koopman's score interval.

    The interval is every ratio theta = p_t / p_c that a score test does not reject: the
    statistic (p_t - theta * p_c) / se(theta), with the variance evaluated at the maximum
    likelihood rates constrained to p_t = theta * p_c, lies within the normal critical value.
    Because the variance comes from the constrained rates and not the observed ones, the
    bounds stay defined when an arm has no conversions, where log-ratio intervals break
    down. Each bound is found with `scipy.optimize.brentq` on log(theta). The square of the
    statistic is Koopman's Pearson chi-square; the Miettinen-Nurminen interval differs only
    by an N / (N - 1) variance factor, negligible at experiment sizes, and Koopman's is the
    one Fagerland, Lydersen and Laake (2015) recommend for the ratio.

    Zero counts: with no treatment conversions the lower bound is -1 (the ratio can be 0)
    and the estimate is -1; with no control conversions the upper bound is +inf and the
    estimate is +inf; with no conversions in either arm the interval is (-1, inf) and the
    estimate is nan.

    Args and Raises: as for `rate_difference`.

    Returns:
        A LiftEstimate with metric "relative_lift" and method "koopman_score".

    Example:
        >>> lift = rate_ratio(36, 40, 16, 80)
        >>> round(lift.estimate + 1, 3), round(lift.low + 1, 3), round(lift.high + 1, 3)
        (4.5, 2.94, 7.152)
    """
    z = _check_two_arms(x_t, n_t, x_c, n_c, confidence)
    if x_t == 0 and x_c == 0:
        return LiftEstimate(
            "relative_lift", math.nan, -1.0, math.inf, confidence, n_t, n_c, "koopman_score"
        )
    if x_c == 0:
        ratio = math.inf
    else:
        ratio = (x_t / n_t) / (x_c / n_c)
    counts = (x_t, n_t, x_c, n_c)
    low = 0.0 if x_t == 0 else _koopman_bound(counts, z, ratio, upper=False)
    high = math.inf if x_c == 0 else _koopman_bound(counts, z, ratio, upper=True)
    return LiftEstimate(
        "relative_lift", ratio - 1, low - 1, high - 1, confidence, n_t, n_c, "koopman_score"
    )


def mean_difference(
    values_t: ArrayLike,
    values_c: ArrayLike,
    *,
    confidence: float = 0.95,
    method: Literal["welch", "bootstrap"] = "welch",
    n_boot: int = 2000,
    seed: int | np.random.Generator = 0,
) -> LiftEstimate:
    """Difference in mean value per unit (e.g. revenue per homeowner), treatment - control.

    "welch" is the t interval with Welch-Satterthwaite degrees of freedom, which does not
    assume equal variances in the arms. Revenue per unit is zero for most units and heavily
    skewed, so "bootstrap" offers a BCa (bias-corrected and accelerated) bootstrap that
    resamples units within each arm; its acceleration uses the closed-form jackknife of a
    mean. Resampling is seeded, so the same call gives the same interval.

    Args:
        values_t: shape (n_t,), the value of each treatment unit (0 for non-buyers).
        values_c: shape (n_c,), the value of each control unit.
        confidence: two-sided confidence level in (0, 1).
        method: "welch" or "bootstrap".
        n_boot: bootstrap resamples (method "bootstrap" only).
        seed: seed or generator for the bootstrap (method "bootstrap" only).

    Returns:
        A LiftEstimate with metric "mean_difference" and method "welch_t" or
        "bca_bootstrap". When neither arm varies the interval is the point estimate.

    Raises:
        ValueError: for an arm with fewer than 2 values or a non-finite value, an unknown
            method, n_boot < 1, or a confidence outside (0, 1).

    Example:
        >>> lift = mean_difference([0, 0, 1200, 0, 900], [0, 800, 0, 0, 0])
        >>> lift.estimate
        260.0
    """
    _critical_z(confidence)
    _check_choice("method", method, ("welch", "bootstrap"))
    _check_count("n_boot", n_boot, minimum=1)
    t = _values("values_t", values_t)
    c = _values("values_c", values_c)
    estimate = float(t.mean() - c.mean())
    var_t, var_c = t.var(ddof=1) / t.size, c.var(ddof=1) / c.size
    if var_t + var_c == 0:
        low = high = estimate
    elif method == "welch":
        se = math.sqrt(var_t + var_c)
        df = (var_t + var_c) ** 2 / (var_t**2 / (t.size - 1) + var_c**2 / (c.size - 1))
        half = stats.t.ppf(0.5 + confidence / 2, df) * se
        low, high = estimate - half, estimate + half
    else:
        low, high = _bca_mean_difference(t, c, estimate, confidence, n_boot, seed)
    name = "welch_t" if method == "welch" else "bca_bootstrap"
    return LiftEstimate(
        "mean_difference", estimate, float(low), float(high), confidence, t.size, c.size, name
    )


def clustered_rate_difference(
    converted_t: ArrayLike,
    cluster_t: ArrayLike,
    converted_c: ArrayLike,
    cluster_c: ArrayLike,
    *,
    confidence: float = 0.95,
    method: Literal["delta", "bootstrap"] = "delta",
    n_boot: int = 2000,
    seed: int | np.random.Generator = 0,
) -> LiftEstimate:
    """Difference in conversion rate when whole clusters (zip codes) are assigned to an arm.

    Homeowners in one zip share a storm, a canvassing crew and a market, so their outcomes
    are correlated and a unit-level interval is too narrow. Each arm's rate is the ratio
    estimator sum(conversions) / sum(units) over its clusters. "delta" linearizes it: the
    variance is m / (m - 1) * sum((y_j - p * n_j) ** 2) / (sum n_j) ** 2 over the arm's m
    clusters (y_j conversions and n_j units in cluster j), and the interval uses a t
    reference whose degrees of freedom combine the arms' (m - 1) by Welch-Satterthwaite.
    "bootstrap" resamples clusters with replacement within each arm (seeded) and reports
    the percentile interval.

    When no cluster in either arm varies from its arm's rate (e.g. no conversions at all)
    the delta interval collapses to the estimate; `rate_difference` on the totals is then
    the better summary.

    Args:
        converted_t: shape (n_t,), 1 if the treatment unit converted, else 0.
        cluster_t: shape (n_t,), the cluster label (e.g. zip code) of each treatment unit.
        converted_c: shape (n_c,), 1 if the control unit converted, else 0.
        cluster_c: shape (n_c,), the cluster label of each control unit.
        confidence: two-sided confidence level in (0, 1).
        method: "delta" or "bootstrap".
        n_boot: bootstrap resamples (method "bootstrap" only).
        seed: seed or generator for the bootstrap (method "bootstrap" only).

    Returns:
        A LiftEstimate with metric "rate_difference", unit counts per arm, and method
        "cluster_delta_t" or "cluster_bootstrap_percentile".

    Raises:
        ValueError: for mismatched lengths, conversions other than 0/1, an arm with fewer
            than 2 clusters, an unknown method, n_boot < 1, or a confidence outside (0, 1).

    Example:
        >>> lift = clustered_rate_difference(
        ...     [1, 0, 0, 1, 1, 0], ["a", "a", "b", "b", "c", "c"],
        ...     [0, 0, 1, 0, 0, 0], ["d", "d", "e", "e", "f", "f"])
        >>> round(lift.estimate, 4)
        0.3333
    """
    _critical_z(confidence)
    _check_choice("method", method, ("delta", "bootstrap"))
    _check_count("n_boot", n_boot, minimum=1)
    totals_t = _cluster_totals("converted_t", converted_t, "cluster_t", cluster_t)
    totals_c = _cluster_totals("converted_c", converted_c, "cluster_c", cluster_c)
    units_t, units_c = int(totals_t[:, 1].sum()), int(totals_c[:, 1].sum())
    p_t, p_c = totals_t[:, 0].sum() / units_t, totals_c[:, 0].sum() / units_c
    estimate = float(p_t - p_c)
    if method == "delta":
        var_t = _ratio_variance(totals_t, p_t)
        var_c = _ratio_variance(totals_c, p_c)
        if var_t + var_c == 0:
            low = high = estimate
        else:
            df = (var_t + var_c) ** 2 / (
                var_t**2 / (len(totals_t) - 1) + var_c**2 / (len(totals_c) - 1)
            )
            half = stats.t.ppf(0.5 + confidence / 2, df) * math.sqrt(var_t + var_c)
            low, high = estimate - half, estimate + half
        name = "cluster_delta_t"
    else:
        rng = np.random.default_rng(seed)
        boot_t = _bootstrap_totals(totals_t, n_boot, rng)
        boot_c = _bootstrap_totals(totals_c, n_boot, rng)
        diffs = boot_t[:, 0] / boot_t[:, 1] - boot_c[:, 0] / boot_c[:, 1]
        low, high = np.quantile(diffs, [0.5 - confidence / 2, 0.5 + confidence / 2])
        name = "cluster_bootstrap_percentile"
    return LiftEstimate(
        "rate_difference", estimate, float(low), float(high), confidence, units_t, units_c, name
    )


def srm_check(
    observed_counts: Sequence[int], expected_weights: Sequence[float], *, alpha: float = 0.001
) -> SRMResult:
    """Sample-ratio-mismatch check: do the arms hold the share of units the design intended?

    A mismatch (e.g. 50/50 planned, 52/48 observed on 100k units) means assignment or
    logging is broken and every lift from the experiment is suspect. The test is Pearson's
    chi-square goodness of fit; the default alpha of 0.001 is strict because the check runs
    on every experiment, often repeatedly, and a false alarm stops a readout.

    Args:
        observed_counts: units observed in each arm, in a fixed arm order.
        expected_weights: the design's allocation for the same arms (any positive scale,
            e.g. [1, 1] or [0.9, 0.1]).
        alpha: flag the experiment when the p-value is below this, in (0, 1).

    Returns:
        An SRMResult with the statistic, p-value, the flag and both count vectors.

    Raises:
        ValueError: for fewer than 2 arms, mismatched lengths, a negative or non-integer
            count, no units at all, a non-positive weight, or an alpha outside (0, 1).

    Example:
        >>> srm_check([50_600, 49_400], [0.5, 0.5]).flagged
        True
    """
    if len(observed_counts) != len(expected_weights) or len(observed_counts) < 2:
        raise ValueError(
            "need one expected weight per arm and at least 2 arms, got "
            f"{len(observed_counts)} counts and {len(expected_weights)} weights"
        )
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    for count in observed_counts:
        _check_count("observed_counts", count, minimum=0)
    weights = np.asarray(expected_weights, dtype=float)
    if not (np.all(np.isfinite(weights)) and np.all(weights > 0)):
        raise ValueError(f"expected_weights must be positive and finite, got {expected_weights}")
    observed = np.asarray(observed_counts, dtype=float)
    total = observed.sum()
    if total == 0:
        raise ValueError(f"observed_counts must include at least one unit, got {observed_counts}")
    expected = total * weights / weights.sum()
    chi2, p_value = stats.chisquare(observed, expected)
    return SRMResult(
        chi2=float(chi2),
        p_value=float(p_value),
        flagged=bool(p_value < alpha),
        observed=tuple(int(count) for count in observed_counts),
        expected=tuple(float(e) for e in expected),
    )


def _critical_z(confidence: float) -> float:
    """Two-sided standard-normal critical value; validates the confidence level."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    return float(special.ndtri(0.5 + confidence / 2))


def _check_count(
    name: str,
    value: object,
    *,
    minimum: int = 0,
    maximum: int | None = None,
    maximum_name: str = "",
) -> None:
    """Raise ValueError naming `name` unless value is an integer in [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer count, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum_name} ({maximum}), got {value!r}")


def _check_two_arms(x_t: int, n_t: int, x_c: int, n_c: int, confidence: float) -> float:
    """Validate two arms' counts and the confidence; return the critical z."""
    z = _critical_z(confidence)
    _check_count("n_t", n_t, minimum=1)
    _check_count("x_t", x_t, maximum=n_t, maximum_name="n_t")
    _check_count("n_c", n_c, minimum=1)
    _check_count("x_c", x_c, maximum=n_c, maximum_name="n_c")
    return z


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    """Raise ValueError unless value is one of the allowed options."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")


def _wilson(x: int, n: int, z: float) -> tuple[float, float]:
    """Wilson bounds for x of n (n > 0), exactly 0 at x = 0 and 1 at x = n."""
    p = x / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    low = 0.0 if x == 0 else centre - half
    high = 1.0 if x == n else centre + half
    return low, high


def _koopman_score(theta: float, counts: tuple[int, int, int, int]) -> float:
    """Score statistic for H0: p_t = theta * p_c, at the rates constrained by H0."""
    x_t, n_t, x_c, n_c = counts
    # The constrained MLE of p_c is the smaller root of
    # theta*N*p^2 - (theta*(n_t + x_c) + x_t + n_c)*p + (x_t + x_c) = 0, N = n_t + n_c,
    # written in the cancellation-free form 2c / (b + sqrt(b^2 - 4ac)).
    b = theta * (n_t + x_c) + x_t + n_c
    disc = max(b * b - 4 * theta * (n_t + n_c) * (x_t + x_c), 0.0)
    p_c = 2 * (x_t + x_c) / (b + math.sqrt(disc))
    p_t = theta * p_c
    numerator = x_t / n_t - theta * x_c / n_c
    variance = p_t * (1 - p_t) / n_t + theta * theta * p_c * (1 - p_c) / n_c
    if variance <= 0:
        return 0.0 if numerator == 0 else math.copysign(math.inf, numerator)
    return numerator / math.sqrt(variance)


def _koopman_bound(
    counts: tuple[int, int, int, int], z: float, ratio: float, *, upper: bool
) -> float:
    """Ratio where the score statistic crosses -z (upper bound) or +z (lower bound)."""
    target = -z if upper else z

    def excess(log_theta: float) -> float:
        return _koopman_score(math.exp(log_theta), counts) - target

    # The statistic falls as theta grows and is 0 at the estimate (and tends to 0 as theta
    # goes to 0 or inf when the estimate is 0 or inf): walk away from the estimate in
    # doubling steps until the statistic passes the target, then solve in that bracket.
    near = math.log(min(max(ratio, _RATIO_FLOOR), 1 / _RATIO_FLOOR))
    step = math.log(2.0) if upper else -math.log(2.0)
    far = near + step
    while (excess(far) > 0) == upper:
        near, far = far, far + step
        step *= 2
    return math.exp(optimize.brentq(excess, min(near, far), max(near, far), xtol=1e-12))


def _values(name: str, values: ArrayLike) -> np.ndarray:
    """One arm's values as a finite 1-D float array of at least 2 elements."""
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size < 2:
        raise ValueError(f"{name} must be 1-D with at least 2 values, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        bad = int((~np.isfinite(array)).sum())
        raise ValueError(f"{name} must be finite, got {bad} non-finite values")
    return array


def _bca_mean_difference(
    t: np.ndarray,
    c: np.ndarray,
    estimate: float,
    confidence: float,
    n_boot: int,
    seed: int | np.random.Generator,
) -> tuple[float, float]:
    """BCa bounds for mean(t) - mean(c) from n_boot within-arm resamples."""
    rng = np.random.default_rng(seed)
    boot = (
        _bootstrap_totals(t[:, None], n_boot, rng)[:, 0] / t.size
        - _bootstrap_totals(c[:, None], n_boot, rng)[:, 0] / c.size
    )
    below = np.mean(boot < estimate) + 0.5 * np.mean(boot == estimate)
    z0 = special.ndtri(below)
    # Jackknife influence of each unit on a difference of means is (x_i - mean) / n_arm,
    # with the sign of its arm; Efron's acceleration sums over both arms.
    influence_t, influence_c = t - t.mean(), c.mean() - c
    skew = (influence_t**3).sum() / t.size**3 + (influence_c**3).sum() / c.size**3
    spread = (influence_t**2).sum() / t.size**2 + (influence_c**2).sum() / c.size**2
    acceleration = skew / (6 * spread**1.5)
    z_alpha = special.ndtri(np.array([0.5 - confidence / 2, 0.5 + confidence / 2]))
    shifted = z0 + z_alpha
    levels = special.ndtr(z0 + shifted / (1 - acceleration * shifted))
    low, high = np.quantile(boot, levels)
    return float(low), float(high)


def _bootstrap_totals(rows: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Column totals of rows (shape (m, k)) over n_boot resamples of its m rows: (n_boot, k)."""
    m = rows.shape[0]
    totals = np.empty((n_boot, rows.shape[1]))
    block = max(1, _RESAMPLE_BLOCK // m)
    for start in range(0, n_boot, block):
        stop = min(n_boot, start + block)
        totals[start:stop] = rows[rng.integers(0, m, size=(stop - start, m))].sum(axis=1)
    return totals


def _cluster_totals(
    converted_name: str, converted: ArrayLike, cluster_name: str, cluster: ArrayLike
) -> np.ndarray:
    """Per-cluster (conversions, units) of one arm, shape (m, 2), m >= 2 clusters."""
    flags = np.asarray(converted)
    labels = np.asarray(cluster)
    if flags.ndim != 1 or labels.shape != flags.shape:
        raise ValueError(
            f"{converted_name} and {cluster_name} must be 1-D of equal length, got shapes "
            f"{flags.shape} and {labels.shape}"
        )
    if not np.all((flags == 0) | (flags == 1)):
        raise ValueError(f"{converted_name} must hold only 0 and 1, got {np.unique(flags)}")
    _, index = np.unique(labels, return_inverse=True)
    totals = np.column_stack(
        [np.bincount(index, weights=flags.astype(float)), np.bincount(index).astype(float)]
    )
    if len(totals) < 2:
        raise ValueError(f"{cluster_name} must hold at least 2 clusters, got {len(totals)}")
    return totals


def _ratio_variance(totals: np.ndarray, rate: float) -> float:
    """Linearized variance of sum(y) / sum(n) over m clusters, with the m / (m - 1) factor."""
    m = len(totals)
    residuals = totals[:, 0] - rate * totals[:, 1]
    return float(m / (m - 1) * (residuals**2).sum() / totals[:, 1].sum() ** 2)
