"""A small real fit (PyMC-Marketing sampled with nutpie): stored, listed, reloaded, answered.

Kept small (a year, two channels, few draws) so it takes seconds; recovery of the truth over
full-size data and many seeds is measured by bench/mmm.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from stormops.core.errors import InvalidInput, ModelNotTrained
from stormops.mmm import FitSettings, MixStore, weekly_frame
from stormops.mmm.fit import fit_mix
from stormops.samples.mmm import generate_mmm, weekly_rows

SMALL = FitSettings(draws=100, tune=100, chains=2, seed=1)


@pytest.fixture(scope="module")
def fitted():
    sample = generate_mmm(weeks=52, channels=2, seed=11)
    data = weekly_frame(*weekly_rows(sample))
    return sample, data, fit_mix(data, sample.lift_tests[:1], SMALL)


def test_fit_gives_posterior_curves_diagnostics_and_a_calibrated_lift(fitted) -> None:
    sample, data, result = fitted
    post = result.posterior
    assert post.channels == ("call_center", "door_knock")
    assert post.roi.shape == (200, 2) and np.isfinite(post.roi).all()
    assert set(result.diagnostics) >= {"r_hat_max", "ess_bulk_min", "divergences"}
    assert result.diagnostics["draws"] == 100 and result.diagnostics["chains"] == 2
    # the lift test pins door_knock's curve: the model's lift at the tested spend matches
    # what was measured, within a few of its standard errors
    test = sample.lift_tests[0]
    i = post.channels.index("door_knock")
    at = np.zeros(2)
    at[i] = test["x"]
    model_lift = -post.response(at)[:, i].mean()
    assert abs(model_lift - test["delta_y"]) < 4 * test["sigma"]
    # ROI over the window: revenue added per dollar; the curve's weekly response at the
    # current split is positive for every channel
    assert (post.response(post.current).mean(axis=0) > 0).all()


def test_stored_fit_reloads_and_answers(fitted, tmp_path) -> None:
    _, data, result = fitted
    store = MixStore(tmp_path)
    with pytest.raises(ModelNotTrained):
        store.load("acme")
    info = {"version": "20260101T000000000Z-0000abcd", "window": {"weeks": len(data.frame)},
            "diagnostics": result.diagnostics}
    store.save("acme", info, result.posterior)
    loaded = store.load("acme")
    assert loaded.info["channels"] == list(result.posterior.channels)
    assert np.array_equal(loaded.posterior.lam, result.posterior.lam)
    assert store.versions("acme")[0]["version"] == info["version"]
    with pytest.raises(InvalidInput) as caught:
        store.load("acme", "../../etc/passwd")
    assert caught.value.field == "version"
    with pytest.raises(ModelNotTrained):
        store.load("another")


def test_bad_lift_tests_are_refused_before_sampling() -> None:
    sample = generate_mmm(weeks=30, channels=2, seed=2)
    data = weekly_frame(*weekly_rows(sample))
    good = {"channel": "door_knock", "x": 100.0, "delta_x": -100.0, "delta_y": -50.0,
            "sigma": 5.0}
    for bad, field in [({**good, "channel": "sms"}, "lift_tests.0.channel"),
                       ({**good, "sigma": 0}, "lift_tests.0.sigma"),
                       ({**good, "delta_x": 0}, "lift_tests.0.delta_x"),
                       ({**good, "x": "lots"}, "lift_tests.0.x"),
                       ({k: v for k, v in good.items() if k != "delta_y"},
                        "lift_tests.0.delta_y")]:
        with pytest.raises(InvalidInput) as caught:
            fit_mix(data, [bad], SMALL)
        assert caught.value.field == field
