"""Every template validates its settings and names the field at fault."""

from __future__ import annotations

import pytest

from stormops.core.errors import InvalidInput
from stormops.experiments.templates import TEMPLATES, configure


def test_six_templates_with_their_designs() -> None:
    assert set(TEMPLATES) == {"geo_split", "holdout", "channel_holdout", "policy_test",
                              "model_ab", "creative_test"}
    assert TEMPLATES["geo_split"].unit == "zip"
    assert TEMPLATES["policy_test"].stratify_by == "uplift_band"
    assert TEMPLATES["policy_test"].variants == ("aggressive", "moderate", "conservative")
    assert TEMPLATES["creative_test"].stratify_by == "persona"
    for template in TEMPLATES.values():
        assert template.control in template.variants
        assert abs(sum(template.weights) - 1) < 1e-9


def test_settings_shape_the_config() -> None:
    holdout = configure("holdout", {"name": "Q3 holdout", "control_share": 0.2})
    assert holdout.weights == pytest.approx((0.8, 0.2))
    held = configure("channel_holdout", {"name": "no knocks", "channel": "door_knock",
                                         "holdout_share": 0.25})
    assert held.channel == "door_knock" and held.weights == pytest.approx((0.75, 0.25))
    custom = configure("model_ab", {"name": "m", "weights": [3, 1], "salt": "v2"})
    assert custom.weights == pytest.approx((0.75, 0.25)) and custom.salt == "v2"


@pytest.mark.parametrize(
    ("template", "config", "field"),
    [
        ("nope", {"name": "x"}, "template"),
        ("geo_split", {}, "name"),
        ("geo_split", {"name": "x", "colour": "red"}, "colour"),
        ("geo_split", {"name": "x", "weights": [1]}, "weights"),
        ("geo_split", {"name": "x", "weights": [1, -1]}, "weights"),
        ("holdout", {"name": "x", "control_share": 1.5}, "control_share"),
        ("channel_holdout", {"name": "x"}, "channel"),
        ("channel_holdout", {"name": "x", "channel": "sms", "holdout_share": 0}, "holdout_share"),
        ("policy_test", {"name": "x", "salt": 7}, "salt"),
    ],
)
def test_bad_settings_name_their_field(template: str, config: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        configure(template, config)
    assert err.value.field == field
