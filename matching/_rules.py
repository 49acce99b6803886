"""The pair decision shared by batch and online linking: link, review, or neither.

Pure numpy, no I/O. A pair is linked when
  - its match weight reaches `auto_link` AND its person-level evidence (the positive weight
    from first name, date of birth, email, national id, device, and the given name agreeing at
    a shared home) reaches `min_person_weight`: a household (same address, property,
    landline, zip, surname) alone is not a person; or
  - it agrees exactly on a strong identifier (email, national id, device): the deterministic
    link, strength 1.0.
With `strict_households`, a given name that only nearly matches does not count as person-level
evidence when the pair shares a home (Daniel and Daniela live together).
Neither rule applies to a conflicting pair, whose person-level disagreement reaches
`conflict_weight` (e.g. different first name and different date of birth): it is never linked
and keeps the two records' clusters apart. A pair that is not linked goes to review when it
reaches `review` and does not conflict, or when it shares a strong identifier (e.g. a family
email between two people who conflict).

A shared phone is household-level evidence: a landline is everyone's at a home. But a number
that only one named person's records give is that person's (a mobile, or the line of someone
living alone), so a record without a given name that shares it with that one identity, and
disagrees with none of its records, is theirs; if two named identities give the number, the
record could be either's. That is an identity-level rule, applied by batch clustering
(`matching.model`) and online (`matching.online`) to the pairs `decide` marks `same_phone`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NONE, REVIEW, LINK = 0, 1, 2


@dataclass(frozen=True)
class DecisionRule:
    """Thresholds and the comparison roles the decision needs.

    Attributes:
        auto_weight: match weight at or above which a pair may link.
        review_weight: match weight at or above which an unlinked pair is reviewed.
        min_person_weight: positive person-level weight (bits) a probabilistic link needs.
        conflict_weight: negative person-level weight (bits, given positive) marking a conflict.
        person: column indices (into the comparison axis) of person-level comparisons.
        against: column indices of the comparisons whose disagreement adds up to a conflict
            (None: the person-level ones).
        weak_with: person-level columns whose positive weight does not count either when a
            `weak_at_home` level applies (the household term, which a near name also sets).
        strong_exact: (column index, gamma value of its exact level) per strong identifier.
        home: (column index, gamma values) of the levels meaning the pair shares a home.
        weak_at_home: (column index, gamma value) of person-level levels whose positive
            weight does not count as person-level evidence at a shared home.
        shared_phone: (column index, gamma values) of the levels meaning the pair gives the
            same phone, for the phone-holder rule; None: no such rule.
    """

    auto_weight: float
    review_weight: float
    min_person_weight: float
    conflict_weight: float
    person: tuple[int, ...]
    strong_exact: tuple[tuple[int, int], ...]
    home: tuple[int, tuple[int, ...]] | None = None
    weak_at_home: tuple[tuple[int, int], ...] = ()
    against: tuple[int, ...] | None = None
    weak_with: tuple[int, ...] = ()
    shared_phone: tuple[int, tuple[int, ...]] | None = None


@dataclass(frozen=True)
class PairDecisions:
    """Per-pair outcome of `decide` (all arrays of shape (n_pairs,)).

    Attributes:
        status: NONE (0), REVIEW (1) or LINK (2).
        deterministic: linked (or held for review) by an exact strong identifier.
        conflict: person-level evidence says these are different people.
        household_only: reached `auto_link` on household-level evidence alone.
        person_weight: positive person-level weight, bits.
        same_phone: gives the same phone and does not disagree (below) (for the phone-holder
            rule; never, without the rule's phone levels).
        disagrees: disagrees on anything about the person (a given name, birth date, email,
            national id or device; or conflicts): the two are not one person by a phone alone.
    """

    status: np.ndarray
    deterministic: np.ndarray
    conflict: np.ndarray
    household_only: np.ndarray
    person_weight: np.ndarray
    same_phone: np.ndarray
    disagrees: np.ndarray


def decide(
    rule: DecisionRule, match_weight: np.ndarray, contribution: np.ndarray, gamma: np.ndarray
) -> PairDecisions:
    """Classify scored pairs.

    Args:
        rule: thresholds and comparison roles.
        match_weight: shape (n,), total match weight per pair (bits).
        contribution: shape (n, k), weight each comparison added (bits, TF included).
        gamma: shape (n, k), comparison level per pair (-1 = missing).

    Returns:
        The decisions.

    Example:
        >>> rule = DecisionRule(6.6, 0.0, 4.0, 10.0, person=(0,), strong_exact=())
        >>> decide(rule, np.array([8.0]), np.array([[5.0, 3.0]]), np.array([[3, 2]])).status
        array([2], dtype=int8)
    """
    person = contribution[:, list(rule.person)] if rule.person else np.zeros((len(gamma), 0))
    against = person if rule.against is None else contribution[:, list(rule.against)]
    conflict = np.minimum(against, 0.0).sum(axis=1) <= -rule.conflict_weight
    if rule.home is not None and rule.weak_at_home:
        at_home = np.isin(gamma[:, rule.home[0]], rule.home[1])
        person = person.copy()
        for column, level in rule.weak_at_home:
            weak = at_home & (gamma[:, column] == level)
            for discounted in (column, *rule.weak_with):
                person[weak, rule.person.index(discounted)] = 0.0
    person_weight = np.maximum(person, 0.0).sum(axis=1)
    exact = np.zeros(len(gamma), dtype=bool)
    for column, level in rule.strong_exact:
        exact |= gamma[:, column] == level
    strong = match_weight >= rule.auto_weight
    probabilistic = strong & (person_weight >= rule.min_person_weight)
    link = (probabilistic | exact) & ~conflict
    review = ~link & (((match_weight >= rule.review_weight) & ~conflict) | exact)
    disagrees = conflict | (np.minimum(against, 0.0).min(axis=1, initial=0.0) < 0)
    same_phone = np.zeros(len(gamma), dtype=bool)
    if rule.shared_phone is not None:
        same_phone = np.isin(gamma[:, rule.shared_phone[0]], rule.shared_phone[1]) & ~disagrees
    status = np.where(link, LINK, np.where(review, REVIEW, NONE)).astype(np.int8)
    return PairDecisions(
        status=status,
        deterministic=exact,
        conflict=conflict,
        household_only=strong & ~probabilistic & ~exact,
        person_weight=person_weight,
        same_phone=same_phone,
        disagrees=disagrees,
    )

