"""Live attribution's arithmetic: a journey's share of its storm, and a storm's figures from
the sum of its shares. Pure: rows and dicts in, JSON-ready dicts out.

A share holds everything a journey adds to its storm's live figures, computed from the journey
alone under the tenant's config: its events, conversions, revenue and spend (per channel), the
credit its touches get from the configured method's per-journey part, in revenue and in
conversions, and, when Markov is in the method, its chain transitions and its converted
channel set with its value. All of these add up over journeys, so a storm's state is the sum
of its journeys' shares and updating one journey means subtracting its old share and adding
its new one.

Why that is exact for every method:

- first/last touch, linear, time-decay, position-based and Shapley (the engine's per-journey
  equal split) credit each journey from its own touches: the storm's credit is the sum.
- Markov credits a journey by the storm-wide removal-effect weights w: a converted journey
  with channel set S and value V gives channel c in S the credit V * w_c / sum of w over S
  (an equal split when that sum is 0). The weights come from the chain's transition counts,
  which are additive, so the state keeps the counts and, per distinct channel set, the
  summed value; the dashboard refits the chain from the counts (`fit_markov_counts`, the
  same code the batch fit runs, so the same weights to the last bit) and spreads each set's
  value. A refit is a few small dense solves: cheap at every read.
- hybrid is its weighted blend of the above.

Minutes: the state keeps events and conversions per minute of event time for the last
`WINDOW_MINUTES` minutes up to the newest event; the window only moves forward, so a minute
in it has received every event ever written for it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from stormops.attribution.config import AttributionConfig
from stormops.attribution.engine import encode
from stormops.attribution.methods import (
    CONVERSION_KEY,
    METHODS,
    NULL_KEY,
    START_KEY,
    MarkovModel,
    fit_markov_counts,
    transition_keys,
)
from stormops.graph.attribution import StormArrays

__all__ = ["WINDOW_MINUTES", "chain_weight", "config_key", "empty_state", "fingerprint",
           "journey_shares", "settle", "storm_figures"]

WINDOW_MINUTES = 120
MINUTE_MS = 60_000
START, CONVERSION, NULL = "^", "$conversion", "$null"
_COUNTS = ("journeys", "events", "conversions", "converted", "touch_events")
_AMOUNTS = ("revenue", "spend")
_BY = ("touches", "spend_by", "rev", "cnt", "trans")
_ZERO = 1e-9  # a float figure this close to 0 after updates is 0 (rounding residue)


def config_key(config: AttributionConfig) -> str:
    """The config as canonical JSON: a state is only valid under the config it was built by."""
    return json.dumps(config.as_dict(), sort_keys=True)


def chain_weight(config: AttributionConfig) -> float:
    """The weight of Markov in the configured method (1 for markov, its hybrid weight)."""
    if config.default_method == "markov":
        return 1.0
    if config.default_method == "hybrid":
        return float(config.hybrid_weights.get("markov", 0.0))
    return 0.0


def _local_methods(config: AttributionConfig) -> dict[str, float]:
    """The per-journey methods in the configured method, with their weights."""
    if config.default_method == "hybrid":
        return {m: w for m, w in config.hybrid_weights.items() if m != "markov" and w > 0}
    if config.default_method == "markov":
        return {}
    return {config.default_method: 1.0}


def empty_state(config: AttributionConfig) -> dict[str, Any]:
    """A storm's state before its first journey."""
    state: dict[str, Any] = {"config": config_key(config), "newest": None, "sets": {},
                             "minutes": {}}
    state.update(dict.fromkeys(_COUNTS, 0))
    state.update(dict.fromkeys(_AMOUNTS, 0.0))
    state.update({name: {} for name in _BY})
    return state


def _base_share(events: Iterable[list], revenue: float, converted: bool) -> dict[str, Any]:
    """Counts, spend and minutes of one journey's events ([kind, channel, cost, ts_ms])."""
    touches: Counter[str] = Counter()
    spend_by: Counter[str] = Counter()
    minutes: dict[str, list[int]] = {}
    conversions = count = 0
    spend = 0.0
    newest = None
    for kind, channel, cost, ts_ms in events:
        count += 1
        conversions += kind == "conversion"
        if kind == "touch":
            touches[channel] += 1
        if channel is not None:
            spend_by[channel] += cost
        spend += cost
        newest = ts_ms if newest is None else max(newest, ts_ms)
        minute = minutes.setdefault(str(ts_ms - ts_ms % MINUTE_MS), [0, 0])
        minute[0] += 1
        minute[1] += kind == "conversion"
    return {"journeys": 1, "events": count, "conversions": conversions,
            "converted": int(converted), "touch_events": sum(touches.values()),
            "revenue": float(revenue), "spend": spend, "touches": dict(touches),
            "spend_by": {c: v for c, v in spend_by.items() if v}, "rev": {}, "cnt": {},
            "trans": {}, "sets": {}, "minutes": minutes, "newest": newest}


def _state_name(key: int, channels: tuple[str, ...], order: int) -> str:
    if key == START_KEY:
        return START
    if key == CONVERSION_KEY:
        return CONVERSION
    if key == NULL_KEY:
        return NULL
    if order == 1:
        return channels[key]
    previous, current = divmod(key, len(channels))
    return f"{START if previous == len(channels) else channels[previous]}+{channels[current]}"


def journey_shares(arrays: StormArrays, events: Mapping[str, list[list]],
                   config: AttributionConfig) -> dict[str, dict[str, Any]]:
    """Each journey's share (see the module docstring), computed from the journeys alone.

    Args:
        arrays: the journeys, as `graph.attribution.storm_arrays` builds them.
        events: journey id -> its events as [kind, channel, cost, ts_ms].
        config: the tenant's attribution config.

    Returns:
        journey id -> share (JSON-ready).
    """
    shares = {jid: _base_share(events.get(jid, ()), arrays.revenue[j], arrays.converted[j])
              for j, jid in enumerate(arrays.journey_ids)}
    local = _local_methods(config)
    markov = chain_weight(config) > 0
    for value, field in (("revenue", "rev"), ("conversions", "cnt")):
        storm = encode(arrays, replace(config, value=value))
        journeys = storm.journeys
        if not journeys.n_journeys:
            return shares
        if local:
            credits = sum(weight * METHODS[m](journeys, **config.params(m))
                          for m, weight in local.items())
            n_channels = max(journeys.n_channels, 1)
            totals = np.bincount(journeys.journey_index * n_channels + journeys.channel,
                                 weights=credits, minlength=journeys.n_journeys * n_channels)
            totals = totals.reshape(journeys.n_journeys, n_channels)
            for j, c in zip(*np.nonzero(totals), strict=True):
                shares[storm.journey_ids[j]][field][storm.channels[c]] = float(totals[j, c])
        if markov:
            for j in np.flatnonzero(journeys.payout != 0):
                lo, hi = journeys.offsets[j], journeys.offsets[j + 1]
                key = ",".join(sorted({storm.channels[c] for c in journeys.channel[lo:hi]}))
                sets = shares[storm.journey_ids[j]]["sets"]
                sets.setdefault(key, [0.0, 0.0])[0 if field == "rev" else 1] = float(
                    journeys.payout[j])
    if markov:
        _add_transitions(shares, storm, config.markov_order)
    return shares


def _add_transitions(shares: dict[str, dict], storm: Any, order: int) -> None:
    """Each creditable journey's chain transitions, named by state."""
    journeys = storm.journeys
    source, target = transition_keys(journeys, order=order)
    owner = np.concatenate((journeys.journey_index, np.arange(journeys.n_journeys)))
    for j, s, t in zip(owner.tolist(), source.tolist(), target.tolist(), strict=True):
        name = (f"{_state_name(s, storm.channels, order)}>"
                f"{_state_name(t, storm.channels, order)}")
        trans = shares[storm.journey_ids[j]]["trans"]
        trans[name] = trans.get(name, 0) + 1


def fingerprint(share: Mapping[str, Any]) -> list[float]:
    """[touch events, conversions, revenue, newest ms] of a share, as the graph compares it
    with its journey (live/drifted_journeys)."""
    return [float(share["touch_events"]), float(share["conversions"]), float(share["revenue"]),
            float(share["newest"] or 0)]


def _add(total: dict[str, Any], part: Mapping[str, Any], sign: int) -> None:
    for key, value in part.items():
        new = total.get(key, 0) + sign * value
        if abs(new) > _ZERO:
            total[key] = new
        else:
            total.pop(key, None)


def settle(state: dict[str, Any], changes: Iterable[tuple[dict | None, dict | None]]) -> None:
    """Replace old shares by new ones in a storm's state, in place.

    Args:
        state: the storm's state (`empty_state` for a new storm).
        changes: (old share or None, new share or None) per journey updated.
    """
    changes = list(changes)
    for old, new in changes:
        for share, sign in ((old, -1), (new, 1)):
            if share is None:
                continue
            for name in (*_COUNTS, *_AMOUNTS):
                state[name] += sign * share[name]
            for name in _BY:
                _add(state[name], share[name], sign)
            for key, (rev, cnt) in share["sets"].items():
                rev_total, cnt_total = state["sets"].get(key, (0.0, 0.0))
                rev_total, cnt_total = rev_total + sign * rev, cnt_total + sign * cnt
                if abs(cnt_total) > _ZERO or abs(rev_total) > _ZERO:
                    state["sets"][key] = [rev_total, cnt_total]
                else:
                    state["sets"].pop(key, None)
            if share["newest"] is not None:
                state["newest"] = max(state["newest"] or share["newest"], share["newest"])
    for name in _AMOUNTS:
        state[name] = 0.0 if abs(state[name]) <= _ZERO else state[name]
    if state["newest"] is None:
        return
    start = state["newest"] - state["newest"] % MINUTE_MS - (WINDOW_MINUTES - 1) * MINUTE_MS
    minutes = {m: v for m, v in state["minutes"].items() if int(m) >= start}
    for old, new in changes:
        for share, sign in ((old, -1), (new, 1)):
            for minute, (events, conversions) in (share or {}).get("minutes", {}).items():
                if int(minute) >= start:
                    total = minutes.setdefault(minute, [0, 0])
                    total[0] += sign * events
                    total[1] += sign * conversions
    state["minutes"] = {m: v for m, v in minutes.items() if v[0] or v[1]}


def _state_key(name: str, ids: Mapping[str, int], order: int) -> int:
    if name == START:
        return START_KEY
    if name == CONVERSION:
        return CONVERSION_KEY
    if name == NULL:
        return NULL_KEY
    if order == 1:
        return ids[name]
    previous, current = name.split("+")
    return (len(ids) if previous == START else ids[previous]) * len(ids) + ids[current]


def _chain(state: Mapping[str, Any], channels: tuple[str, ...], order: int) -> MarkovModel:
    """The storm's Markov chain, refitted from its transition counts."""
    ids = {name: pos for pos, name in enumerate(channels)}
    source, target, count = [], [], []
    for name, n in state["trans"].items():
        src, tgt = name.split(">")
        source.append(_state_key(src, ids, order))
        target.append(_state_key(tgt, ids, order))
        count.append(n)
    return fit_markov_counts(np.array(source, dtype=np.int64), np.array(target, dtype=np.int64),
                             np.array(count, dtype=np.int64), n_channels=len(channels),
                             order=order)


def storm_figures(state: Mapping[str, Any], config: AttributionConfig) -> dict[str, Any]:
    """A storm's live figures from its state: totals, and per channel touches, spend, credit
    (in the config's value, in revenue and in conversions), CPA and ROAS.

    CPA is spend over conversions credited to the channel; ROAS is revenue credited over
    spend; each is None where its denominator is 0.
    """
    channels = tuple(config.channels) if config.channels is not None else tuple(
        sorted(state["touches"]))
    rev = {c: state["rev"].get(c, 0.0) for c in channels}
    cnt = {c: state["cnt"].get(c, 0.0) for c in channels}
    weight = chain_weight(config)
    details: dict[str, Any] = {}
    if weight > 0 and state["trans"]:
        model = _chain(state, channels, config.markov_order)
        w = dict(zip(channels, model.weights.tolist(), strict=True))
        for key, (set_rev, set_cnt) in state["sets"].items():
            members = key.split(",")
            total = sum(w[c] for c in members)
            for c in members:
                share = w[c] / total if total > 0 else 1 / len(members)
                rev[c] += weight * set_rev * share
                cnt[c] += weight * set_cnt * share
        details = {"p_conversion": model.p_conversion,
                   "removal_effects": dict(zip(channels, model.removal_effects.tolist(),
                                               strict=True))}
    headline = rev if config.value == "revenue" else cnt
    rows = []
    for c in channels:
        spend = state["spend_by"].get(c, 0.0)
        rows.append({"channel": c, "touches": state["touches"].get(c, 0), "spend": spend,
                     "credit": headline[c], "credit_revenue": rev[c],
                     "credit_conversions": cnt[c],
                     "cpa": spend / cnt[c] if cnt[c] > _ZERO else None,
                     "roas": rev[c] / spend if spend > _ZERO else None})
    return {"method": config.default_method, "value": config.value, "channels": rows,
            "credit": {c: headline[c] for c in channels}, "details": details}
