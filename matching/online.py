"""Online linking of one record at a time: candidates by blocking key, score, decide.

`choose_identity` is the decision the graph path uses too: given the scores of a new record
against candidates and the identity each candidate belongs to, it links the record to the best
identity it links to, proposes merging other identities it also links to (unless they are known
to be different people), and sends the rest to review. Candidates should be the records found
by the new record's blocking keys plus the other records of their identities, so a conflict
with any member of an identity is seen. `OnlineLinker` runs that loop in memory (for
evaluation, and as the reference the graph implementation follows): its `CandidateIndex` plays
the part of the graph's indexed identifier lookups.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from stormops.matching._clustering import Forest
from stormops.matching._rules import LINK, REVIEW
from stormops.matching.model import MatchingModel, sole_number
from stormops.matching.scoring import PairScores, Scorer

__all__ = ["Added", "CandidateIndex", "OnlineDecision", "OnlineLinker", "choose_identity"]

Record = Mapping[str, str | None]


@dataclass(frozen=True)
class OnlineDecision:
    """What to do with a new record.

    Attributes:
        action: "link" to `identity`, or "new" identity.
        identity: the identity linked to (None for "new").
        merge: other identities the record links to as well; linking joins them to `identity`
            (a merge, to be audited as such).
        links: candidate positions (into the scored list) linked to the record.
        review: (candidate position, reason) pairs for the review queue; reasons as in
            `matching.model.ReviewItem`.
    """

    action: Literal["link", "new"]
    identity: Any
    merge: tuple[Any, ...] = ()
    links: tuple[int, ...] = ()
    review: tuple[tuple[int, str], ...] = ()


def choose_identity(
    scores: PairScores,
    identities: Sequence[Any],
    *,
    apart: Callable[[Any, Any], bool] | None = None,
    record: Record | None = None,
    candidates: Sequence[Record] = (),
    scorer: Scorer | None = None,
) -> OnlineDecision:
    """Decide where a new record goes, from its scores against candidates.

    An identity with any conflicting candidate (person-level evidence of a different person)
    is excluded. Among the others, the record links to the identity with the strongest linked
    candidate (deterministic links first); each other identity it links to is merged into it,
    unless `apart` says it and an identity already chosen are different people. Linked
    candidates in identities not joined, and review-level candidates of identities the record
    does not join, go to review. Given the record and its candidates, the phone-holder rule of
    batch clustering applies too (`matching._rules`): a record without a given name joins the
    one named identity giving its phone, when that identity gives no other number and none of
    its records disagrees with it (one named record giving the number is enough, as in batch
    clustering; a housemate who gives the number later does not move the record); a named
    record joining an identity takes in the identities without a given name that give its
    number, when no other named identity does and no record of theirs disagrees with a
    record of the identity (scored with `scorer`).

    An identity the record links to only through records without a given name, while it
    disagrees with one of the identity's named records, is not joined: those records may be
    a housemate's that the phone-holder rule placed there before the housemate's own records
    came (batch clustering, which sees the whole file, would have placed them with the
    housemate). The pair goes to review ("unnamed_link").

    Args:
        scores: `Scorer.score(record, candidates)`.
        identities: identity of each candidate, same order (any hashable id).
        apart: (identity, identity) -> whether they are known to be different people (a
            reviewer's cannot-link, or an earlier conflict); None if nothing is known.
        record: the new record, for the phone-holder rule (None: no such rule).
        candidates: the candidate records, same order as the scores.
        scorer: scores the records of identities the phone-holder rule would join against
            each other (None: they are not checked).

    Returns:
        The decision.

    Example:
        >>> decision = choose_identity(scorer.score(record, candidates), ["I1", "I2"])
        ... # doctest: +SKIP
        >>> decision.action, decision.identity  # doctest: +SKIP
        ('link', 'I1')
    """
    decisions = scores.decisions
    unnamed = set() if record is None else _unnamed_links(decisions, identities, candidates)
    conflicted = {identities[i] for i in np.flatnonzero(decisions.conflict)} | unnamed
    strength = scores.match_weight + np.where(decisions.deterministic, 1e6, 0.0)
    best: dict[Any, float] = {}
    for i in np.flatnonzero(decisions.status == LINK):
        identity = identities[i]
        if identity not in conflicted:
            best[identity] = max(best.get(identity, -np.inf), float(strength[i]))
    joined: list[Any] = []
    for identity in sorted(best, key=lambda identity: -best[identity]):
        if apart is None or not any(apart(identity, other) for other in joined):
            joined.append(identity)
    held, shared = ([], []) if record is None else _phone_holders(
        scores, identities, record, candidates, joined, apart, scorer)
    joined += held
    review: list[tuple[int, str]] = [(i, "shared_phone") for i in shared]
    for i in np.flatnonzero(decisions.status >= REVIEW):
        if identities[i] in joined:
            continue
        if decisions.status[i] == LINK and identities[i] in unnamed:
            reason = "unnamed_link"
        elif decisions.status[i] == LINK:
            reason = "fits_two_identities"
        elif decisions.household_only[i]:
            reason = "household_only"
        elif decisions.deterministic[i] and decisions.conflict[i]:
            reason = "conflicting_identifiers"
        else:
            reason = "between_thresholds"
        review.append((int(i), reason))
    if not joined:
        return OnlineDecision(action="new", identity=None, review=tuple(review))
    links = tuple(i for i, identity in enumerate(identities) if identity in joined and (
        decisions.status[i] == LINK or (identity in held and decisions.same_phone[i])))
    return OnlineDecision(action="link", identity=joined[0], merge=tuple(joined[1:]),
                          links=links, review=tuple(review))


def _unnamed_links(decisions: Any, identities: Sequence[Any],
                   candidates: Sequence[Record]) -> set[Any]:
    """Identities the record links to only through records without a given name, and
    disagrees with a named record of."""
    linked: set[Any] = set()
    named_link: set[Any] = set()
    against: set[Any] = set()
    for i, (identity, candidate) in enumerate(zip(identities, candidates, strict=True)):
        link = decisions.status[i] == LINK
        if link:
            linked.add(identity)
        if candidate.get("first_name"):
            if link:
                named_link.add(identity)
            if decisions.disagrees[i]:
                against.add(identity)
    return (linked - named_link) & against


def _phone_holders(
    scores: PairScores, identities: Sequence[Any], record: Record,
    candidates: Sequence[Record], joined: Sequence[Any],
    apart: Callable[[Any, Any], bool] | None, scorer: Scorer | None,
) -> tuple[list[Any], list[int]]:
    """Identities the record joins by the phone-holder rule, besides `joined`, and the
    candidates to review because the phone could be any of several people's."""
    decisions = scores.decisions
    named: dict[Any, bool] = {}
    members: dict[Any, list[Record]] = defaultdict(list)
    for identity, candidate in zip(identities, candidates, strict=True):
        named[identity] = named.get(identity, False) or bool(candidate.get("first_name"))
        members[identity].append(candidate)
    disagreeing = {identities[i] for i in np.flatnonzero(decisions.disagrees)}
    giving = {identities[i] for i in np.flatnonzero(decisions.same_phone)} - disagreeing
    holders = {identity for identity in giving if named[identity]}
    if not record.get("first_name"):
        if joined or not holders:
            return [], []
        holder = next(iter(holders))
        if len(holders) > 1 or not sole_number(members[holder]):
            # several people give the number, or its holder gives others too: review each
            strongest: dict[Any, int] = {}
            for i in np.flatnonzero(decisions.same_phone):
                if identities[i] in holders and (identities[i] not in strongest or
                        scores.match_weight[i] > scores.match_weight[strongest[identities[i]]]):
                    strongest[identities[i]] = int(i)
            return [], [i for i in strongest.values() if decisions.status[i] < REVIEW]
        return [holder], []
    if not joined:
        # The first named record giving the number: one sighting is too little to call the
        # number its own (the rest of the household may give it later).
        return [], []
    target = joined[0]
    if holders - {target} or not sole_number([record, *members[target]]):
        return [], []
    # As in batch clustering, no record of a nameless identity may disagree with a record of
    # the identity it joins (the new record's own pairs are scored already).
    joining = [member for identity in joined for member in members[identity]]
    return [identity for identity in giving if not named[identity] and identity not in joined
            and not (apart is not None and apart(target, identity))
            and not (scorer is not None and _disagree(scorer, members[identity], joining))], []


def _disagree(scorer: Scorer, records: Sequence[Record], others: Sequence[Record]) -> bool:
    """Whether any record disagrees about the person with any of `others`."""
    return bool(others) and any(scorer.score(record, others).decisions.disagrees.any()
                                for record in records)


@dataclass(frozen=True)
class Added:
    """A record added to an `OnlineLinker`.

    Attributes:
        position: its position (order of arrival).
        candidates: positions of the candidates it was scored against.
        decision: what was decided; `decision.links` index into `candidates`.
    """

    position: int
    candidates: tuple[int, ...]
    decision: OnlineDecision


@dataclass
class CandidateIndex:
    """In-memory blocking-key index: key -> positions of the records that have it.

    Attributes:
        max_candidates: most candidates returned per record (records sharing the most keys
            first, then the most recent).
    """

    max_candidates: int = 50
    _postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def candidates(self, keys: Sequence[str]) -> list[int]:
        """Positions of records sharing at least one key, best first.

        Args:
            keys: the new record's blocking keys (`MatchingModel.blocking_keys`).

        Returns:
            At most `max_candidates` positions.

        Example:
            >>> index = CandidateIndex(); index.add(["email=a@b.co"], 0)
            >>> index.candidates(["email=a@b.co", "dob=1970-01-01"])
            [0]
        """
        shared: Counter[int] = Counter()
        for key in keys:
            shared.update(self._postings.get(key, ()))
        ranked = sorted(shared, key=lambda position: (-shared[position], -position))
        return ranked[: self.max_candidates]

    def add(self, keys: Sequence[str], position: int) -> None:
        """Index a record's keys under its position.

        Args:
            keys: the record's blocking keys.
            position: the record's position.
        """
        for key in keys:
            self._postings[key].append(position)


class OnlineLinker:
    """Links records one at a time against everything linked before, in memory.

    Each new record is scored against the records sharing a blocking key with it and against
    every other record of those records' identities (up to `max_members` each), so a conflict
    with any member of an identity keeps the record out of it. The graph path does the same:
    candidates by indexed identifiers, then their identities' records.

    Example:
        >>> linker = OnlineLinker(model)  # doctest: +SKIP
        >>> added = [linker.add(record) for record in records]  # doctest: +SKIP
        >>> linker.labels()[:3]  # doctest: +SKIP
        array([0, 1, 0])
    """

    def __init__(
        self, model: MatchingModel, *, max_candidates: int = 50, max_members: int = 20
    ) -> None:
        """Start empty.

        Args:
            model: a trained model.
            max_candidates: most records taken from the blocking-key index per record.
            max_members: most records taken from each candidate identity.
        """
        self._model = model
        self._scorer = model.scorer()
        self._index = CandidateIndex(max_candidates=max_candidates)
        self._max_members = max_members
        self._records: list[Record] = []
        self._forest = Forest()

    def add(self, record: Record) -> Added:
        """Link one normalized record; it becomes a candidate for the records after it.

        Args:
            record: a normalized record.

        Returns:
            The record's position, the positions it was scored against and the decision
            taken (identities are cluster roots, i.e. record positions).
        """
        forest = self._forest
        keys = self._model.blocking_keys(record)
        candidates = self._index.candidates(keys)
        for root in sorted({forest.find(position) for position in candidates}):
            candidates += [member for member in forest.members(root)[: self._max_members]
                           if member not in candidates]
        scores = self._scorer.score(record, [self._records[p] for p in candidates])
        decision = choose_identity(scores, [forest.find(p) for p in candidates],
                                   apart=forest.apart, record=record,
                                   candidates=[self._records[p] for p in candidates],
                                   scorer=self._scorer)
        position = forest.add()
        self._records.append(record)
        if decision.action == "link":
            for identity in (decision.identity, *decision.merge):
                forest.union(identity, position)
        for candidate in np.flatnonzero(scores.decisions.conflict):
            forest.forbid(position, candidates[candidate])
        self._index.add(keys, position)
        return Added(position=position, candidates=tuple(candidates), decision=decision)

    def labels(self) -> np.ndarray:
        """Identity of each record added (numbered by first record), in order added."""
        return self._forest.labels()
