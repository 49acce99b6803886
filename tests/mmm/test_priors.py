"""The ceiling prior: the same per dollar in every channel, and it survives a model's save."""

from __future__ import annotations

import json

import numpy as np
import pymc as pm
from pymc_extras.deserialize import deserialize

from stormops.mmm import FitSettings, weekly_frame
from stormops.mmm.fit import build_mix
from stormops.mmm.priors import pooled_ceiling_prior
from stormops.samples.mmm import generate_mmm, weekly_rows


def test_the_built_model_expects_the_same_ceiling_per_dollar_of_every_channel() -> None:
    # email spends ~1/25 of door_knock: a prior flat in revenue (PyMC-Marketing's default
    # HalfNormal(2) on the scaled ceiling) expects ~25x its ceiling per dollar, and the
    # optimizer spends on that expectation where the data cannot correct it
    data = weekly_frame(*weekly_rows(generate_mmm(weeks=52, channels=8, seed=3)))
    model, _, _ = build_mix(data, [], FitSettings())
    beta = pm.draw(model.model["saturation_beta"], draws=4000, random_seed=1)
    per_dollar = beta * data.frame["revenue"].max() / data.frame[data.channels].max().to_numpy()
    medians = np.median(per_dollar, axis=0)
    # equal in distribution; 4000 draws put each median within ~3% (its standard error)
    assert medians.max() / medians.min() < 1.15
    assert 0.5 < np.median(medians) < 2  # about one largest week's spend


def test_the_prior_serializes_and_reads_back() -> None:
    data = weekly_frame(*weekly_rows(generate_mmm(weeks=30, channels=3, seed=2)))
    prior = pooled_ceiling_prior(data)
    back = deserialize(json.loads(json.dumps(prior.to_dict())))
    assert back.to_dict() == prior.to_dict()
    assert back.channels == list(data.channels)
