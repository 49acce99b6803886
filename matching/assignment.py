"""From matching decisions to what the graph writes: identities, record links, merges, reviews.

Pure: no I/O. Identity ids are stable, and new ones come from the caller's `new_id`, given
the id of the record that founds the identity (its smallest record id), so the same input
gives the same ids. A cluster that holds records of an existing identity
keeps that identity's id; a cluster holding records of several existing identities keeps the
one with most records and merges the others into it (an audited `auto_merge`); only a cluster
of new records gets a new id. Every new record's link carries the evidence of its strongest
linked pair, or says it founded its identity; its strength is the pair's match probability,
or 1.0 when an exact strong identifier (email, national id, device) links the pair.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from stormops.graph.records import FOUNDED, Assignment, RecordLink
from stormops.matching._rules import LINK
from stormops.matching.model import Clusters, Predictions, ReviewItem
from stormops.matching.online import OnlineDecision
from stormops.matching.scoring import PairScores

__all__ = ["FOUNDED", "assign_batch", "assign_online", "reviewer_pairs"]

_MAX_MERGE_EVIDENCE = 10
_REVIEWS_PER_ASSIGNMENT = 1_000


def reviewer_pairs(
    record_ids: Sequence[str],
    identities: Sequence[str | None],
    cannot_link: Sequence[tuple[str, str]],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Clustering constraints from the graph: (must_link, cannot_link) record-id pairs.

    Records of one existing identity are chained together (an identity is never split by a
    later run; an approved review made them one), and one record of each side of a
    reviewer's cannot-link stands for its identity (clusters are kept apart as wholes).

    Example:
        >>> reviewer_pairs(["a", "b", "c"], ["I1", "I1", "I2"], [("I1", "I2")])
        ([('a', 'b')], [('a', 'c')])
    """
    first: dict[str, str] = {}
    must: list[tuple[str, str]] = []
    for record_id, identity in zip(record_ids, identities, strict=True):
        if identity is None:
            continue
        if identity in first:
            must.append((first[identity], record_id))
        else:
            first[identity] = record_id
    cannot = [(first[a], first[b]) for a, b in cannot_link if a in first and b in first]
    return must, cannot


def assign_batch(
    predictions: Predictions,
    clusters: Clusters,
    current: Sequence[str | None],
    *,
    new_id: Callable[[str], str],
) -> Iterator[Assignment]:
    """One Assignment per cluster that has something to write, then the review items.

    A generator: each assignment's evidence is built when it is reached, so a large batch is
    never held as writes in memory all at once.

    Args:
        predictions: the scored pairs (records by position).
        clusters: the clustering of those predictions.
        current: identity each record is linked to already, by position (None: new record).
        new_id: founding record id -> new identity id.

    Yields:
        Assignments, to be written in order (reviews come last, when every identity they
        name exists).
    """
    records = predictions.records
    labels = clusters.labels
    members: dict[int, list[int]] = defaultdict(list)
    for position, label in enumerate(labels.tolist()):
        members[label].append(position)
    identity_of: dict[int, str] = {}
    planned: list[tuple[list[int], list[str], str]] = []
    for label, positions in members.items():
        existing = Counter(current[p] for p in positions if current[p] is not None)
        ranked = sorted(existing, key=lambda identity: (-existing[identity], identity))
        if ranked:
            identity_of[label] = ranked[0]
        if any(current[p] is None for p in positions) or len(ranked) > 1:
            identity_of[label] = ranked[0] if ranked else new_id(
                min(str(records[p]["record_id"]) for p in positions))
            planned.append((positions, ranked, identity_of[label]))
    best = _best_links(predictions, clusters.links)
    for positions, ranked, survivor in planned:
        assignment = Assignment()
        if ranked:
            evidence = _merge_evidence(predictions, clusters.links, positions)
            assignment.merges = [(survivor, other, evidence) for other in ranked[1:]]
        else:
            named = next((records[p] for p in positions if records[p].get("last_name")),
                         records[positions[0]])
            assignment.new_identities.append({"identity_id": survivor,
                                              "first_name": named.get("first_name"),
                                              "last_name": named.get("last_name")})
        for position in positions:
            if current[position] is None:
                record_id = str(records[position]["record_id"])
                assignment.records[record_id] = records[position]
                assignment.links.append(
                    _pair_link(predictions, record_id, survivor, best.get(position)))
        yield assignment
    position_of = {str(record_id): position
                   for position, record_id in enumerate(predictions.record_ids.tolist())}
    reviews = (_review(identity_of, labels, position_of, item) for item in clusters.review)
    pending = [review for review in reviews if review is not None]
    for start in range(0, len(pending), _REVIEWS_PER_ASSIGNMENT):
        yield Assignment(reviews=pending[start:start + _REVIEWS_PER_ASSIGNMENT])


def assign_online(
    record: Mapping[str, str | None],
    scores: PairScores,
    candidates: Sequence[Mapping[str, str | None]],
    decision: OnlineDecision,
    identities: Sequence[str],
    *,
    new_id: Callable[[str], str],
) -> Assignment:
    """What one online record writes, from `matching.online.choose_identity`'s decision.

    Args:
        record: the normalized record.
        scores: its scores against the candidates.
        candidates: the candidate records, in scored order.
        decision: the decision taken.
        identities: identity of each candidate.
        new_id: founding record id -> new identity id.
    """
    record_id = str(record["record_id"])
    if decision.action == "new":
        identity = new_id(record_id)
        assignment = _founded(record, identity)
    else:
        identity = decision.identity
        assignment = Assignment(records={record_id: record})
        strongest = max(decision.links, key=lambda i: (
            bool(scores.decisions.deterministic[i]), float(scores.match_weight[i])))
        assignment.links.append(_scored_link(
            record_id, identity, scores.evidence(strongest),
            str(candidates[strongest]["record_id"]), float(scores.match_probability[strongest]),
            bool(scores.decisions.deterministic[strongest]),
            phone_holder=scores.decisions.status[strongest] != LINK))
        merge_evidence = {"reason": "a new record links to both identities",
                          "record_id": record_id,
                          "links": [{"record_id": str(candidates[i]["record_id"]),
                                     "identity_id": identities[i],
                                     "match_probability": float(scores.match_probability[i])}
                                    for i in decision.links]}
        assignment.merges = [(identity, other, merge_evidence) for other in decision.merge]
    for position, reason in decision.review:
        other = identities[position]
        if other == identity:
            continue
        assignment.reviews.append({
            "identity_ids": [identity, other],
            "evidence": {**scores.evidence(position), "reason": reason,
                         "record_ids": [record_id, str(candidates[position]["record_id"])],
                         "kept_by": identity},
        })
    return assignment


def _founded(record: Mapping[str, str | None], identity: str) -> Assignment:
    """A new identity founded by one record."""
    record_id = str(record["record_id"])
    return Assignment(
        new_identities=[{"identity_id": identity, "first_name": record.get("first_name"),
                         "last_name": record.get("last_name")}],
        links=[RecordLink(record_id, identity, "deterministic", 1.0, None, None, FOUNDED)],
        records={record_id: record})


def _best_links(predictions: Predictions, links: np.ndarray) -> dict[int, int]:
    """Position -> its strongest linked pair (deterministic first, then by weight)."""
    strength = predictions.match_weight[links] + np.where(
        predictions.decisions.deterministic[links], 1e6, 0.0)
    best: dict[int, int] = {}
    for index in np.argsort(-strength, kind="stable"):
        pair = int(links[index])
        for position in (int(predictions.left[pair]), int(predictions.right[pair])):
            best.setdefault(position, pair)
    return best


def _pair_link(
    predictions: Predictions, record_id: str, identity: str, pair: int | None
) -> RecordLink:
    """The link of a batch record: its strongest pair, or founding its identity."""
    if pair is None:
        return RecordLink(record_id, identity, "deterministic", 1.0, None, None, FOUNDED)
    left, right = (str(predictions.record_ids[predictions.left[pair]]),
                   str(predictions.record_ids[predictions.right[pair]]))
    return _scored_link(record_id, identity, predictions.evidence(pair),
                        right if left == record_id else left,
                        float(predictions.match_probability[pair]),
                        bool(predictions.decisions.deterministic[pair]),
                        phone_holder=predictions.decisions.status[pair] != LINK)


def _scored_link(
    record_id: str, identity: str, evidence: dict[str, Any], matched: str, probability: float,
    deterministic: bool, *, phone_holder: bool,
) -> RecordLink:
    """A link by a scored pair; one the pair's weight alone would not link was made by the
    phone-holder rule (`matching._rules`), and its evidence says so."""
    if phone_holder:
        evidence = {**evidence, "rule": "phone_holder"}
    return RecordLink(
        record_id=record_id, identity_id=identity,
        method="deterministic" if deterministic else "splink",
        strength=1.0 if deterministic else probability, match_probability=probability,
        match_weight=float(evidence["match_weight"]),
        evidence={**evidence, "matched_record_id": matched},
    )


def _merge_evidence(predictions: Predictions, links: np.ndarray,
                    positions: Sequence[int]) -> dict[str, Any]:
    """The linked pairs inside a cluster that joined existing identities (strongest first)."""
    inside = set(positions)
    pairs = [int(pair) for pair in links if int(predictions.left[pair]) in inside]
    pairs.sort(key=lambda pair: -float(predictions.match_weight[pair]))
    return {
        "reason": "the matching model linked records of these identities",
        "model_version": predictions.model_version,
        "links": [{"record_ids": [str(predictions.record_ids[predictions.left[pair]]),
                                  str(predictions.record_ids[predictions.right[pair]])],
                   "match_probability": float(predictions.match_probability[pair])}
                  for pair in pairs[:_MAX_MERGE_EVIDENCE]],
    }


def _review(
    identity_of: Mapping[int, str], labels: np.ndarray, position_of: Mapping[str, int],
    item: ReviewItem,
) -> dict[str, Any] | None:
    """The merge candidate of a review pair, or None when both records ended in one identity."""
    a = identity_of[int(labels[position_of[item.record_id_l]])]
    b = identity_of[int(labels[position_of[item.record_id_r]])]
    if a == b:
        return None
    return {"identity_ids": [a, b],
            "evidence": {**item.evidence, "reason": item.reason,
                         "record_ids": [item.record_id_l, item.record_id_r]}}
