"""Channel holdout: one channel is withheld from a random share of properties."""

from collections.abc import Mapping
from typing import Any

from stormops.core.errors import InvalidInput
from stormops.experiments.templates._base import Template, share


def _extra(config: Mapping[str, Any]) -> dict[str, Any]:
    channel = config.get("channel")
    if not isinstance(channel, str) or not channel.strip() or len(channel) > 64:
        raise InvalidInput("channel: expected the channel to hold back, e.g. door_knock",
                           field="channel")
    held = share(config, "holdout_share", 0.1)
    return {"channel": channel.strip(), "weights": (1 - held, held)}


TEMPLATE = Template(
    name="channel_holdout", description="Hold one channel back from a random share",
    unit="property", variants=("exposed", "held_out"), weights=(0.9, 0.1), control="held_out",
    extra=_extra, extra_keys=frozenset({"channel", "holdout_share"}),
)
