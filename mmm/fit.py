"""Fitting PyMC-Marketing's Bayesian mix model, sampled with nutpie.

The model: revenue per week = intercept + channels (geometric adstock over `L_MAX` weeks, then
logistic saturation) + storm pressure (the control: demand follows the weather, and a model
without it credits a storm to whatever channel ran that week) + yearly seasonality + noise.
Lift tests (what a channel holdout measured) condition each tested channel's saturation curve.

Each channel's saturation ceiling has a prior per dollar of its spend, pooled over the
channels (`mmm.priors`), so a channel the data cannot pin is not promised a large return.

PyMC is imported only when a fit runs (here and by `mmm.priors`): answering from a stored fit
never loads it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stormops.core.errors import InvalidInput
from stormops.mmm.data import CONTROL, TARGET, WeeklyData
from stormops.mmm.posterior import MixPosterior

L_MAX = 8
LIFT_COLUMNS = ("channel", "x", "delta_x", "delta_y", "sigma")


@dataclass(frozen=True)
class FitSettings:
    """How a model is fitted; stored with every fit so it can be repeated."""

    draws: int = 500
    tune: int = 500
    chains: int = 2
    seed: int = 0
    yearly_seasonality: int = 2
    storm_control: bool = True
    target_accept: float = 0.9


@dataclass
class FitResult:
    """The posterior, the diagnostics and where the inference data were written."""

    posterior: MixPosterior
    diagnostics: dict[str, Any]
    seconds: float
    idata_path: Path | None = None
    lift_tests: list[dict[str, Any]] = field(default_factory=list)


def check_lift_tests(rows: Iterable[Mapping[str, Any]], channels: Iterable[str]
                     ) -> list[dict[str, Any]]:
    """Validated lift tests {channel, x, delta_x, delta_y, sigma} for the modelled channels.

    Raises:
        InvalidInput: naming the test and field (`lift_tests.0.sigma`).
    """
    known = set(channels)
    out = []
    for pos, row in enumerate(rows):
        where = f"lift_tests.{pos}."
        missing = [c for c in LIFT_COLUMNS if row.get(c) in (None, "")]
        if missing:
            raise InvalidInput(f"{where}{missing[0]}: required", field=where + missing[0])
        if row["channel"] not in known:
            raise InvalidInput(f"{where}channel: {row['channel']!r} is not a modelled channel",
                               field=where + "channel")
        test: dict[str, Any] = {"channel": row["channel"]}
        for name in LIFT_COLUMNS[1:]:
            try:
                test[name] = float(row[name])
            except (TypeError, ValueError):
                raise InvalidInput(f"{where}{name}: expected a number, got {row[name]!r}",
                                   field=where + name) from None
            if not np.isfinite(test[name]):
                raise InvalidInput(f"{where}{name}: expected a finite number",
                                   field=where + name)
        if test["x"] < 0 or test["x"] + test["delta_x"] < 0:
            raise InvalidInput(f"{where}x: spend before and after the test must be >= 0",
                               field=where + "x")
        if test["delta_x"] == 0:
            raise InvalidInput(f"{where}delta_x: a test must change the spend",
                               field=where + "delta_x")
        if test["sigma"] <= 0:
            raise InvalidInput(f"{where}sigma: expected > 0", field=where + "sigma")
        out.append(test)
    return out


def fit_mix(data: WeeklyData, lift_tests: Iterable[Mapping[str, Any]] = (),
            settings: FitSettings | None = None, idata_dir: Path | None = None) -> FitResult:
    """Fit the mix model to the weekly data.

    Args:
        data: the weekly frame (`mmm.data.weekly_frame`).
        lift_tests: measured lifts {channel, x, delta_x, delta_y, sigma} (weekly spend and
            weekly revenue); a channel holdout has delta_x = -x.
        settings: sampler and model settings.
        idata_dir: where to write the inference data (NetCDF); not written when None.

    Returns:
        The posterior draws, r-hat / ESS / divergences, and the fit's wall time.

    Raises:
        InvalidInput: a bad lift test.
    """
    settings = settings or FitSettings()
    tests = check_lift_tests(lift_tests, data.channels)
    started = time.perf_counter()
    model, x, y = build_mix(data, tests, settings)
    model.fit(x, y, nuts_sampler="nutpie", draws=settings.draws, tune=settings.tune,
              chains=settings.chains, random_seed=settings.seed, progressbar=False,
              target_accept=settings.target_accept)
    posterior = _posterior(model, data)
    diagnostics = _diagnostics(model.idata)
    path = None
    if idata_dir is not None:
        idata_dir.mkdir(parents=True, exist_ok=True)
        path = idata_dir / f"fit-{time.time_ns()}.nc"
        model.save(str(path), engine="h5netcdf")
    return FitResult(posterior, diagnostics, time.perf_counter() - started, path, tests)


def build_mix(data: WeeklyData, lift_tests: list[dict[str, Any]], settings: FitSettings
              ) -> tuple[Any, pd.DataFrame, pd.Series]:
    """The PyMC-Marketing model with its checked lift tests, built and not yet sampled, and
    the frames it is fitted to."""
    logging.getLogger("pymc").setLevel(logging.ERROR)
    logging.getLogger("pymc_marketing").setLevel(logging.ERROR)
    from pymc_marketing.mmm import GeometricAdstock, LogisticSaturation
    from pymc_marketing.mmm.multidimensional import MMM

    from stormops.mmm.priors import pooled_ceiling_prior

    controls = [CONTROL] if settings.storm_control else None
    model = MMM(date_column="date", channel_columns=list(data.channels), target_column=TARGET,
                control_columns=controls, adstock=GeometricAdstock(l_max=L_MAX),
                saturation=LogisticSaturation(priors={"beta": pooled_ceiling_prior(data)}),
                yearly_seasonality=settings.yearly_seasonality or None)
    x = data.frame[["date", *data.channels, *([CONTROL] if controls else [])]]
    y = data.frame[TARGET].rename(TARGET)
    model.build_model(x, y)
    model.add_original_scale_contribution_variable(var=["channel_contribution"])
    if lift_tests:
        model.add_lift_test_measurements(pd.DataFrame(lift_tests, columns=list(LIFT_COLUMNS)))
    return model, x, y


def _posterior(model: Any, data: WeeklyData) -> MixPosterior:
    """Channel curves in dollars, and each channel's ROI over the window, per draw."""
    post = model.idata.posterior.stack(sample=("chain", "draw"))
    channels = list(data.channels)
    target_scale = float(np.asarray(model.scalers._target).squeeze())
    channel_scale = np.asarray(model.scalers._channel.sel(channel=channels)).reshape(-1)
    lam = post["saturation_lam"].sel(channel=channels).transpose("sample", "channel").values
    beta = post["saturation_beta"].sel(channel=channels).transpose("sample", "channel").values
    contribution = (post["channel_contribution_original_scale"].sel(channel=channels)
                    .sum("date").transpose("sample", "channel").values)
    spend = data.frame[channels].sum().to_numpy()
    return MixPosterior(tuple(channels), lam, beta * target_scale, channel_scale,
                        contribution / spend, data.frame[channels].mean().to_numpy())


def _diagnostics(idata: Any) -> dict[str, Any]:
    """Worst r-hat, least bulk ESS and the divergences, over every free parameter."""
    import arviz as az

    names = [v for v in idata.posterior.data_vars
             if not v.endswith(("_contribution", "_original_scale")) and v not in ("mu", "y")
             and "contribution" not in v]
    summary = az.summary(idata, var_names=names, kind="diagnostics")
    divergences = int(idata.sample_stats["diverging"].sum()) \
        if "diverging" in idata.sample_stats else 0
    r_hat, ess = float(summary["r_hat"].max()), float(summary["ess_bulk"].min())
    return {"r_hat_max": r_hat if math.isfinite(r_hat) else None,  # one chain has no r-hat
            "ess_bulk_min": ess if math.isfinite(ess) else None,
            "divergences": divergences,
            "draws": int(idata.posterior.sizes["draw"]),
            "chains": int(idata.posterior.sizes["chain"])}
