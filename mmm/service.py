"""The roadmap's MMM: fit a tenant's mix model, predict ROI, optimize the budget.

Spend and revenue are weekly throughout: an allocation is dollars per week per channel, and
its revenue is the steady weekly revenue the channels add at that spend.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from stormops.core.errors import InvalidInput
from stormops.experiments.platform import ExperimentsPlatform
from stormops.graph.mmm import MixDataStore
from stormops.mmm.calibration import holdout_lift_test
from stormops.mmm.data import WeeklyData, weekly_frame
from stormops.mmm.fit import FitSettings, check_lift_tests, fit_mix
from stormops.mmm.posterior import HDI_PROB, RISK, Interval, MixPosterior
from stormops.mmm.store import MixStore


class MarketingMix:
    """One tenant's marketing-mix models.

    Args:
        tenant: the tenant every call acts for.
        data: reads the weekly spend, revenue and storms from the graph.
        store: where the tenant's fits are kept.

    Example:
        >>> mix = MarketingMix("acme", data=MixDataStore(driver, "neo4j"),
        ...                    store=MixStore(model_dir))
        >>> mix.fit_model(months=24)["version"]  # doctest: +SKIP
        '20260101T000000000Z-3f2a9c1d'
        >>> mix.optimize_budget(60_000)["allocation"]["door_knock"]  # doctest: +SKIP
        21450.0
    """

    def __init__(self, tenant: str, *, data: MixDataStore, store: MixStore,
                 experiments: ExperimentsPlatform | None = None) -> None:
        self.tenant = tenant
        self.data = data
        self.store = store
        self.experiments = experiments

    def weekly(self, months: int | None = 24, channels: Iterable[str] | None = None
               ) -> WeeklyData:
        """The weekly frame of the last `months` months of data (all of it when None)."""
        if months is not None and not 1 <= months <= 120:
            raise InvalidInput(f"months: expected 1-120, got {months}", field="months")
        rows = self.data.weekly_touchpoints(self.tenant)
        if rows and months is not None:
            last = max(date.fromisoformat(r["week"]) for r in rows)
            first = last - timedelta(weeks=math.ceil(months * 52 / 12) - 1)
            rows = [r for r in rows if date.fromisoformat(r["week"]) >= first]
        return weekly_frame(rows, self.data.storms(self.tenant), channels)

    def prepare(self, months: int | None = 24, lift_tests: Iterable[Mapping[str, Any]] = (),
                channels: Iterable[str] | None = None,
                holdouts: Mapping[str, float] | None = None
                ) -> tuple[WeeklyData, list[dict[str, Any]]]:
        """The weekly data and the checked lift tests of a fit, before any sampling: a fit
        run in the background is refused up front when its input is bad.

        Args:
            holdouts: {experiment_id: weeks it ran} of the tenant's channel_holdout
                experiments, read as lift tests (`mmm.calibration`) next to `lift_tests`.

        Raises:
            InvalidInput: too few weeks, a channel without spend, a bad lift test or
                experiment; NotFound: an unknown experiment.
        """
        data = self.weekly(months, channels)
        tests = list(lift_tests)
        for experiment_id, weeks in (holdouts or {}).items():
            tests.append(self._holdout(experiment_id, weeks, data))
        return data, check_lift_tests(tests, data.channels)

    def _holdout(self, experiment_id: str, weeks: float, data: WeeklyData) -> dict[str, Any]:
        if self.experiments is None:
            raise InvalidInput("holdouts: experiments are not available here",
                               field="holdouts")
        channel = self.experiments.config(experiment_id).channel
        if channel not in data.channels:
            raise InvalidInput(f"holdouts.{experiment_id}: not a channel holdout of a "
                               "modelled channel", field=f"holdouts.{experiment_id}")
        report = self.experiments.measure_lift(experiment_id)
        return holdout_lift_test(report, channel, data.spend_per_week()[channel], weeks)

    def fit_model(self, months: int | None = 24, lift_tests: Iterable[Mapping[str, Any]] = (),
                  settings: FitSettings | None = None, channels: Iterable[str] | None = None,
                  holdouts: Mapping[str, float] | None = None) -> dict[str, Any]:
        """Fit on the tenant's weekly data and store the fit as its newest version.

        Returns:
            The fit's description: version, data window, channels, diagnostics (r_hat_max,
            ess_bulk_min, divergences), lift tests, settings and fit seconds.

        Raises:
            InvalidInput: too few weeks, a channel without spend, a bad lift test.
        """
        return self.fit_prepared(*self.prepare(months, lift_tests, channels, holdouts),
                                 settings)

    def fit_prepared(self, data: WeeklyData, lift_tests: list[dict[str, Any]],
                     settings: FitSettings | None = None) -> dict[str, Any]:
        """Fit prepared data (`prepare`) and store the fit; see `fit_model`."""
        settings = settings or FitSettings()
        result = fit_mix(data, lift_tests, settings, idata_dir=self.store.folder(self.tenant))
        now = datetime.now(UTC)
        info = {
            "version": f"{now:%Y%m%dT%H%M%S}{now.microsecond // 1000:03d}Z-"
                       f"{secrets.token_hex(4)}",
            "tenant_id": self.tenant, "fitted_at": now.isoformat(),
            "window": {"start": data.start.isoformat(), "end": data.end.isoformat(),
                       "weeks": len(data.frame)},
            "diagnostics": result.diagnostics, "lift_tests": result.lift_tests,
            "settings": asdict(settings), "fit_seconds": round(result.seconds, 1),
            "total_spend": {c: float(data.frame[c].sum()) for c in data.channels},
            "total_revenue": float(data.frame["revenue"].sum()),
        }
        self.store.save(self.tenant, info, result.posterior, result.idata_path)
        return {**info, "channels": list(data.channels)}

    def models(self) -> list[dict[str, Any]]:
        """The tenant's fits, newest first, each with its window and diagnostics."""
        return self.store.versions(self.tenant)

    def roi(self, version: str | None = None, points: int = 25) -> dict[str, Any]:
        """What each channel returned over the fitted window (ROI with its 94% interval),
        the weekly response curves, and the current weekly split."""
        stored = self.store.load(self.tenant, version)
        post = stored.posterior
        return {
            "version": stored.info["version"], "window": stored.info["window"],
            "hdi_prob": HDI_PROB,
            "channels": {c: {"roi": asdict(Interval.of(post.roi[:, i])),
                             "weekly_spend": float(post.current[i])}
                         for i, c in enumerate(post.channels)},
            "curves": post.curves(points),
        }

    def predict_roi(self, allocation: Mapping[str, float] | None = None,
                    version: str | None = None) -> dict[str, Any]:
        """Expected weekly revenue and ROI per channel of a weekly allocation, with 94%
        intervals (the current split when None).

        Raises:
            InvalidInput: an unknown channel or a negative spend; ModelNotTrained: no fit.
        """
        stored = self.store.load(self.tenant, version)
        post = stored.posterior
        spend = post.current if allocation is None else post.vector(allocation)
        return {"version": stored.info["version"], "hdi_prob": HDI_PROB,
                **_prediction(post, spend)}

    def optimize_budget(self, total: float, bounds: Mapping[str, tuple[float, float]] | None
                        = None, version: str | None = None, risk: float | None = None
                        ) -> dict[str, Any]:
        """The weekly split of `total` within `bounds` that maximizes revenue less `risk`
        posterior standard deviations (`MixPosterior.optimize`; None: `RISK`), with its
        expected revenue (94% interval) and the change per channel against the current split
        scaled to the same total.

        Raises:
            InvalidInput: a non-positive total or impossible bounds; ModelNotTrained: no fit.
        """
        stored = self.store.load(self.tenant, version)
        post = stored.posterior
        risk = RISK if risk is None else risk
        best = post.optimize(total, bounds, risk)
        current = post.current * (total / post.current.sum())
        optimized, baseline = _prediction(post, best), _prediction(post, current)
        gain = post.response(best).sum(axis=1) - post.response(current).sum(axis=1)
        return {
            "version": stored.info["version"], "total": total, "risk": risk,
            "hdi_prob": HDI_PROB,
            "allocation": {c: float(best[i]) for i, c in enumerate(post.channels)},
            "current": {c: float(current[i]) for i, c in enumerate(post.channels)},
            "change": {c: float(best[i] - current[i]) for i, c in enumerate(post.channels)},
            "expected_revenue": optimized["revenue"],
            "current_revenue": baseline["revenue"],
            "gain": asdict(Interval.of(gain)),
            "channels": optimized["channels"],
        }


def _prediction(post: MixPosterior, spend: np.ndarray) -> dict[str, Any]:
    draws = post.response(spend)
    channels = {}
    for i, channel in enumerate(post.channels):
        roi = asdict(Interval.of(draws[:, i] / spend[i])) if spend[i] > 0 else None
        channels[channel] = {"spend": float(spend[i]),
                             "revenue": asdict(Interval.of(draws[:, i])), "roi": roi}
    total = float(spend.sum())
    return {"spend": total, "revenue": asdict(Interval.of(draws.sum(axis=1))),
            "roi": asdict(Interval.of(draws.sum(axis=1) / total)) if total > 0 else None,
            "channels": channels}
