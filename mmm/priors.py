"""The mix model's prior on each channel's saturation ceiling: per dollar, and pooled.

PyMC-Marketing's default ceiling prior is flat in revenue: the same for a channel spending $800
a week as for one spending $60,000, so a channel the data say little about (a small one, or one
whose spend hardly varies) keeps a prior that promises it a large return per dollar, and an
optimizer maximizing expected revenue spends on that promise. Here every ceiling is measured in
its channel's largest weekly spend, and those per-dollar ceilings share one partially pooled
prior: a channel the data cannot pin borrows the returns the others show.

Imported by a fit only (it loads PyMC's prior classes).
"""

from __future__ import annotations

from typing import Any

import xarray as xr
from pymc_extras.deserialize import deserialize, register_deserialization
from pymc_extras.prior import Prior, Scaled

from stormops.mmm.data import TARGET, WeeklyData


class ChannelScaled(Scaled):
    """A prior times a constant per channel; serializable, as PyMC-Marketing writes every
    prior into the inference data's attributes, and registered so a saved model reads back."""

    def __init__(self, dist: Prior, channels: list[str], factor: list[float]) -> None:
        super().__init__(dist, xr.DataArray(factor, dims=("channel",),
                                            coords={"channel": channels}))
        self.channels, self.factors = list(channels), list(factor)

    def to_dict(self) -> dict[str, Any]:
        return {"class": "ChannelScaled", "data": {"dist": self.dist.to_dict(),
                                                   "channels": self.channels,
                                                   "factor": self.factors}}


register_deserialization(
    is_type=lambda d: isinstance(d, dict) and d.get("class") == "ChannelScaled",
    deserialize=lambda d: ChannelScaled(deserialize(d["data"]["dist"]), d["data"]["channels"],
                                        d["data"]["factor"]))


def pooled_ceiling_prior(data: WeeklyData) -> ChannelScaled:
    """The prior of every channel's ceiling on the model's scaled target (revenue / its max).

    ceiling_c = r_c * largest weekly spend_c / largest weekly revenue, with log r_c ~
    Normal(mu, sigma): mu ~ Normal(0, 1) puts the typical ceiling near one largest week's spend
    (within e^2 either way), sigma ~ HalfNormal(0.5) lets channels' ceilings per dollar differ
    a few times; non-centred, so the sampler meets no funnel at a small sigma.
    """
    channels = list(data.channels)
    per_dollar = data.frame[channels].max().to_numpy() / float(data.frame[TARGET].max())
    pooled = Prior("Normal", mu=Prior("Normal", mu=0, sigma=1),
                   sigma=Prior("HalfNormal", sigma=0.5), dims="channel", centered=False,
                   transform="exp")
    return ChannelScaled(pooled, channels, per_dollar.tolist())
