"""The attribution engine: a tenant's configured methods over storms read from the graph.

`AttributionEngine(tenant, config, store=...)` reads a storm's journeys in one streaming
query (`graph.attribution.AttributionStore.read_storm`), encodes them into a `Journeys` table
under the config (channel list, lookback window, revenue or conversion counts), and runs the
pure methods of `attribution.methods` over it. Data-driven methods are fitted on the whole
storm first and then credit single journeys: Markov removal-effect weights come from the
storm's chain, so `attribute_journey` credits one journey exactly as `attribute_storm` does.

Which touches count (`encode`):

- touches on channels outside `config.channels` (when set) are ignored;
- a converted journey's touches after its conversion are ignored;
- with `lookback_days`, touches more than that before the conversion (for journeys that did
  not convert: before their last touch) are ignored;
- a journey left without touches (a conversion with no recorded touch) cannot be credited:
  it is counted in `skipped` and, if it converted, its value in `unattributed_value`.

Only converted journeys carry credit, so only they get a persisted result per method.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from stormops.attribution.config import ALL_METHODS, AttributionConfig, parse_config
from stormops.attribution.methods import (
    METHODS,
    Journeys,
    MarkovModel,
    by_channel,
    fit_markov,
    shapley_values,
    total_by_channel,
)
from stormops.core.errors import InvalidInput, NotFound
from stormops.graph.attribution import AttributionStore, JourneyRow, StormArrays

__all__ = ["AttributionEngine", "EncodedStorm", "MethodRun", "encode", "read_tenant_config",
           "save_tenant_config"]

DAY_SECONDS = 86_400.0


@dataclass(frozen=True, eq=False)
class EncodedStorm:
    """A storm's journeys as the methods read them, with the ids to map credits back.

    Attributes:
        storm_id: the storm.
        journeys: the creditable journeys (each with at least one touch that counts).
        journey_ids: id of each journey of `journeys`, in order.
        channels: channel names, indexed by the channel ids of `journeys`.
        skipped: journeys read but left without a touch that counts.
        unattributed_value: value of converted journeys among `skipped`.
    """

    storm_id: str
    journeys: Journeys
    journey_ids: list[str]
    channels: tuple[str, ...]
    skipped: int
    unattributed_value: float


@dataclass(frozen=True, eq=False)
class MethodRun:
    """One method's credit over an encoded storm.

    Attributes:
        method: the method name.
        credits: float64, shape (n_touches,): credit per touch, aligned with the journeys.
        by_channel: channel name -> total credit (sums to the converted value).
        details: method-specific figures (Markov removal effects, exact Shapley values).
    """

    method: str
    credits: np.ndarray
    by_channel: dict[str, float]
    details: dict[str, Any]


def encode(arrays: StormArrays, config: AttributionConfig, storm_id: str = "") -> EncodedStorm:
    """Encode a storm read from the graph under a config (see the module docstring).

    Args:
        arrays: the storm as `AttributionStore.read_storm` returns it.
        config: the tenant's config (channels, lookback_days, value).
        storm_id: the storm's id, carried along for reports.

    Returns:
        The `EncodedStorm`.
    """
    if config.channels is not None:
        channels = tuple(config.channels)
    else:
        channels = tuple(sorted(arrays.channel_names))
    position = {name: pos for pos, name in enumerate(channels)}
    remap = np.array([position.get(name, -1) for name in arrays.channel_names] or [-1],
                     dtype=np.int64)
    lengths = np.diff(arrays.offsets)
    journey_of = np.repeat(np.arange(arrays.n_journeys), lengths)
    code = remap[arrays.channel] if arrays.n_touches else np.zeros(0, dtype=np.int64)
    conversion = np.where(arrays.converted, arrays.conversion_ts, np.nan)
    last_ts = np.full(arrays.n_journeys, np.nan)
    has_touch = lengths > 0
    last_ts[has_touch] = arrays.ts[arrays.offsets[1:][has_touch] - 1]
    reference = np.where(np.isnan(conversion), last_ts, conversion)

    keep = code >= 0
    touch_reference = reference[journey_of]
    keep &= ~(arrays.converted[journey_of] & (arrays.ts > touch_reference))
    if config.lookback_days is not None:
        keep &= arrays.ts >= touch_reference - config.lookback_days * DAY_SECONDS

    kept_lengths = np.bincount(journey_of[keep], minlength=arrays.n_journeys)
    creditable = kept_lengths > 0
    value_all = (arrays.revenue if config.value == "revenue"
                 else np.ones(arrays.n_journeys, dtype=np.float64))
    skipped_converted = arrays.converted & ~creditable
    journeys = Journeys(
        channel=code[keep],
        ts=arrays.ts[keep],
        offsets=np.concatenate(([0], np.cumsum(kept_lengths[creditable]))),
        converted=arrays.converted[creditable],
        value=value_all[creditable],
        conversion_ts=conversion[creditable],
        n_channels=len(channels),
    )
    ids = [arrays.journey_ids[j] for j in np.flatnonzero(creditable)]
    return EncodedStorm(storm_id, journeys, ids, channels, int((~creditable).sum()),
                        float(value_all[skipped_converted].sum()))


def _check_method(method: str, config: AttributionConfig) -> str:
    if method not in ALL_METHODS:
        raise InvalidInput(f"method: unknown method {method!r}; expected one of "
                           f"{list(ALL_METHODS)}", field="method")
    if method not in config.methods:
        raise InvalidInput(f"method: {method!r} is not enabled for this tenant; enabled: "
                           f"{list(config.methods)}", field="method")
    return method


class AttributionEngine:
    """A tenant's attribution: configured methods over storms read through the graph.

    Args:
        tenant: the tenant whose journeys are read and whose results are written.
        config: the tenant's config (an `AttributionConfig`, or JSON data, validated here);
            None reads the tenant's stored config (defaults when it has none).
        store: the graph access (`graph.attribution.AttributionStore`).

    Raises:
        InvalidInput: a bad config, naming its field.

    Example:
        >>> engine = AttributionEngine("acme", store=AttributionStore(driver, "neo4j"))
        >>> report = engine.attribute_storm("S2024-HAIL-DFW")
        >>> report["methods"]["markov"]["channels"]
        {'door_knock': 41250.0, 'sms': 10320.5, ...}
    """

    def __init__(self, tenant: str, config: AttributionConfig | Mapping[str, Any] | None = None,
                 *, store: AttributionStore) -> None:
        self.tenant = tenant
        self.store = store
        if config is None:
            config = store.get_config(tenant)
        self.config = config if isinstance(config, AttributionConfig) else parse_config(config)

    # -- reading and crediting ------------------------------------------------------------

    def load_storm(self, storm_id: str) -> EncodedStorm:
        """Read and encode a storm. Raises NotFound when the tenant has no journey in it."""
        arrays = self.store.read_storm(self.tenant, storm_id)
        if arrays.n_journeys == 0:
            raise NotFound(f"storm {storm_id} has no journeys", field="storm_id")
        return encode(arrays, self.config, storm_id)

    def fit(self, storm: EncodedStorm) -> MarkovModel | None:
        """The storm's Markov model, when markov (alone or in the hybrid) is enabled."""
        needs = "markov" in self.config.methods or (
            "hybrid" in self.config.methods and self.config.hybrid_weights.get("markov", 0) > 0)
        return fit_markov(storm.journeys, order=self.config.markov_order) if needs else None

    def credit(self, journeys: Journeys, method: str, model: MarkovModel | None) -> np.ndarray:
        """Credit per touch of `journeys` by `method`, Markov weights taken from `model`."""
        if method == "markov":
            return METHODS["markov"](journeys, model=model)
        if method == "hybrid":
            weights = {m: w for m, w in self.config.hybrid_weights.items() if w > 0}
            params = {m: (self.config.params(m) if m != "markov" else {"model": model})
                      for m in weights}
            return METHODS["hybrid"](journeys, weights=weights, params=params)
        return METHODS[method](journeys, **self.config.params(method))

    def run_method(self, storm: EncodedStorm, method: str,
                   model: MarkovModel | None = None) -> MethodRun:
        """One method over an encoded storm (fitting Markov if no model is given)."""
        _check_method(method, self.config)
        if model is None and method in ("markov", "hybrid"):
            model = fit_markov(storm.journeys, order=self.config.markov_order)
        credits = self.credit(storm.journeys, method, model)
        totals = by_channel(credits, storm.journeys)
        details: dict[str, Any] = {}
        if method == "markov" and model is not None:
            details = {
                "order": model.order,
                "p_conversion": model.p_conversion,
                "removal_effects": dict(zip(storm.channels, model.removal_effects.tolist(),
                                            strict=True)),
                "channel_level": dict(zip(storm.channels, total_by_channel(
                    model, float(storm.journeys.payout.sum())).tolist(), strict=True)),
            }
        elif method == "shapley":
            result = shapley_values(storm.journeys, rng=np.random.default_rng(0))
            details = {"exact": result.exact,
                       "std_error": dict(zip(storm.channels, result.std_error.tolist(),
                                             strict=True))}
        return MethodRun(method, credits, dict(zip(storm.channels, totals.tolist(),
                                                   strict=True)), details)

    # -- the roadmap's three operations ---------------------------------------------------

    def attribute_storm(self, storm_id: str, methods: Iterable[str] | None = None, *,
                        persist: bool = True) -> dict[str, Any]:
        """Run methods over a storm and (by default) persist the results, replacing old ones.

        Args:
            storm_id: the storm.
            methods: the methods to run (each must be enabled); default all enabled ones.
            persist: write per-journey results and the storm summary to the graph.

        Returns:
            {storm_id, channels, journeys, attributed, converted, total_value, skipped,
            unattributed_value, default_method, methods: {method: {channels: {channel:
            credit}, details, written?, deleted?}}}.

        Raises:
            InvalidInput: an unknown or disabled method.
            NotFound: the tenant has no journey in the storm.
        """
        chosen = list(self.config.methods if methods is None else methods)
        for method in chosen:
            _check_method(method, self.config)
        storm = self.load_storm(storm_id)
        model = self.fit(storm)
        report = self._storm_header(storm)
        report["methods"] = {}
        for method in chosen:
            run = self.run_method(storm, method, model)
            entry: dict[str, Any] = {"channels": run.by_channel, "details": run.details}
            if persist:
                summary = {key: report[key] for key in
                           ("journeys", "attributed", "converted", "total_value", "skipped")}
                summary.update(channels=run.by_channel, details=run.details,
                               config=self.config.as_dict())
                entry.update(self.store.write_run(self.tenant, storm_id, method,
                                                  self._rows(storm, run), summary))
            report["methods"][method] = entry
        return report

    def attribute_journey(self, journey_id: str, method: str | None = None) -> dict[str, Any]:
        """Credit one journey, with data-driven methods fitted on its whole storm.

        Args:
            journey_id: the journey (identity_id|storm_id).
            method: an enabled method; default the config's default method.

        Returns:
            {journey_id, storm_id, method, converted, value, credits: {channel: credit},
            touches: [{channel, ts, credit}]} (no touches when none counts).

        Raises:
            NotFound: the tenant has no such journey.
            InvalidInput: an unknown or disabled method.
        """
        method = _check_method(method or self.config.default_method, self.config)
        storm_id = self.store.journey_storm(self.tenant, journey_id)
        if storm_id is None:
            raise NotFound(f"journey {journey_id} not found", field="journey_id")
        storm = self.load_storm(storm_id)
        out = {"journey_id": journey_id, "storm_id": storm_id, "method": method,
               "converted": False, "value": 0.0, "credits": {}, "touches": []}
        if journey_id not in storm.journey_ids:
            return out
        j = storm.journey_ids.index(journey_id)
        model = self.fit(storm) if method in ("markov", "hybrid") else None
        journeys = storm.journeys
        lo, hi = int(journeys.offsets[j]), int(journeys.offsets[j + 1])
        single = Journeys(channel=journeys.channel[lo:hi], ts=journeys.ts[lo:hi],
                          offsets=[0, hi - lo], converted=journeys.converted[j:j + 1],
                          value=journeys.value[j:j + 1],
                          conversion_ts=journeys.conversion_ts[j:j + 1],
                          n_channels=journeys.n_channels)
        credits = self.credit(single, method, model)
        out.update(converted=bool(single.converted[0]), value=float(single.payout[0]),
                   credits=self._channel_credits(storm.channels, single.channel, credits),
                   touches=[{"channel": storm.channels[c], "ts": float(t), "credit": float(x)}
                            for c, t, x in zip(single.channel, single.ts, credits, strict=True)])
        return out

    def compare_methods(self, storm_id: str) -> dict[str, Any]:
        """Credit per channel under every enabled method, side by side (not persisted).

        Returns:
            {storm_id, channels, ..., table: [{channel, <method>: credit, ...}],
            methods: {method: {channel: credit}}}.

        Raises:
            NotFound: the tenant has no journey in the storm.
        """
        report = self.attribute_storm(storm_id, persist=False)
        table = [{"channel": channel, **{m: report["methods"][m]["channels"][channel]
                                         for m in report["methods"]}}
                 for channel in report["channels"]]
        report["methods"] = {m: entry["channels"] for m, entry in report["methods"].items()}
        report["table"] = table
        return report

    # -- stored results -------------------------------------------------------------------

    def stored_results(self, storm_id: str, method: str | None = None, skip: int = 0,
                       limit: int = 100) -> dict[str, Any]:
        """The persisted run of one method (default: the config's) with a page of journeys.

        Raises:
            NotFound: the method has not been run on the storm.
        """
        method = method or self.config.default_method
        if method not in ALL_METHODS:
            raise InvalidInput(f"method: unknown method {method!r}; expected one of "
                               f"{list(ALL_METHODS)}", field="method")
        runs = self.store.read_runs(self.tenant, storm_id, method)
        if not runs:
            raise NotFound(f"no {method} attribution stored for storm {storm_id}; run it first",
                           field="storm_id")
        journeys = self.store.read_results(self.tenant, storm_id, method, skip, limit)
        return {**runs[0], "skip": skip, "limit": limit, "results": journeys}

    def stored_comparison(self, storm_id: str) -> dict[str, Any]:
        """Credit per channel of every persisted method of the storm, side by side.

        Raises:
            NotFound: nothing has been run on the storm.
        """
        runs = self.store.read_runs(self.tenant, storm_id)
        if not runs:
            raise NotFound(f"no attribution stored for storm {storm_id}; run it first",
                           field="storm_id")
        channels = sorted({c for run in runs for c in run["channels"]})
        methods = {run["method"]: run["channels"] for run in runs}
        return {"storm_id": storm_id, "channels": channels,
                "calculated_at": {run["method"]: run["calculated_at"] for run in runs},
                "methods": methods,
                "table": [{"channel": c, **{m: v.get(c, 0.0) for m, v in methods.items()}}
                          for c in channels]}

    # -- helpers --------------------------------------------------------------------------

    def _storm_header(self, storm: EncodedStorm) -> dict[str, Any]:
        journeys = storm.journeys
        return {"storm_id": storm.storm_id, "channels": list(storm.channels),
                "default_method": self.config.default_method,
                "journeys": journeys.n_journeys + storm.skipped,
                "attributed": journeys.n_journeys,
                "converted": int(journeys.converted.sum()),
                "total_value": float(journeys.payout.sum()),
                "skipped": storm.skipped, "unattributed_value": storm.unattributed_value}

    @staticmethod
    def _channel_credits(channels: tuple[str, ...], codes: np.ndarray,
                         credits: np.ndarray) -> dict[str, float]:
        totals = np.bincount(codes, weights=credits, minlength=len(channels))
        return {channels[c]: float(totals[c]) for c in np.unique(codes)}

    def _rows(self, storm: EncodedStorm, run: MethodRun) -> list[JourneyRow]:
        journeys = storm.journeys
        rows = []
        offsets = journeys.offsets
        for j in np.flatnonzero(journeys.converted):
            lo, hi = int(offsets[j]), int(offsets[j + 1])
            codes, credits = journeys.channel[lo:hi], run.credits[lo:hi]
            rows.append(JourneyRow(storm.journey_ids[j],
                                   self._channel_credits(storm.channels, codes, credits),
                                   credits.tolist(), float(journeys.value[j])))
        return rows


def read_tenant_config(tenant: str, *, store: AttributionStore) -> dict[str, Any]:
    """The tenant's effective config as JSON data, and whether it was stored or is default.

    Returns:
        {config: {...every field...}, stored: bool}.
    """
    raw = store.get_config(tenant)
    return {"config": parse_config(raw).as_dict(), "stored": raw is not None}


def save_tenant_config(tenant: str, raw: Mapping[str, Any], *,
                       store: AttributionStore) -> dict[str, Any]:
    """Validate and store a tenant's config (missing fields take defaults); returns it.

    Raises:
        InvalidInput: a bad config, naming the field; nothing is stored.
    """
    config = parse_config(raw).as_dict()
    store.set_config(tenant, config)
    return {"config": config, "stored": True}
