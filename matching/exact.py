"""Exact linking with a model's eye on close pairs: how records get in before a tenant has a
matching model of its own, and how `stormops link` links.

Records are linked by exact identifiers (the graph's deterministic rules); a model, the tenant's
own or else the shipped prior (`matching.prior`), only judges which pairs the exact rules left
apart are close enough for a reviewer: never links on its own. A pair is close when its match
weight reaches the review threshold, whatever its person-level conflicts (two emails for one
Sarah Connor is exactly what a reviewer should see), or when it shares a strong identifier.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

import numpy as np

from stormops.graph.records import CloseJudge, ExactLink, RecordGraph
from stormops.matching.model import MatchingModel
from stormops.matching.store import ModelStore

__all__ = ["ExactCounts", "ExactLinker", "close_pair_judge"]

BATCH = 2_500


@dataclass
class ExactCounts:
    """What an exact run did.

    Attributes:
        linked: records linked to an identity their identifiers name.
        created: records that founded an identity.
        unchanged: records linked already.
        queued: records linked or created with a review item queued.
        reviews: review items created.
        model_version: the model that judged close pairs (and whose blocking keys were stored).
        prior: whether that model is the shipped prior (the tenant has none of its own).
    """

    linked: int = 0
    created: int = 0
    unchanged: int = 0
    queued: int = 0
    reviews: int = 0
    model_version: str = ""
    prior: bool = False

    def add(self, links: Sequence[ExactLink], reviews: int) -> None:
        """Count one batch's links."""
        for link in links:
            setattr(self, link.outcome, getattr(self, link.outcome) + 1)
            self.queued += link.queued
        self.reviews += reviews


def close_pair_judge(model: MatchingModel) -> CloseJudge:
    """The close-pair judgement of a model: candidates at or above its review threshold, or
    sharing a strong identifier, with the evidence.

    Example:
        >>> judge = close_pair_judge(prior_model())  # doctest: +SKIP
        >>> judge(sara, [sarah])[0][1]["reason"]  # doctest: +SKIP
        'close_pair'
    """
    scorer = model.scorer()
    bar = scorer.rule.review_weight

    def judge(record: Mapping[str, str | None], candidates: Sequence[Mapping[str, str | None]]
              ) -> list[tuple[int, dict]]:
        scores = scorer.score(record, candidates)
        close = (scores.match_weight >= bar) | scores.decisions.deterministic
        return [(int(i), {**scores.evidence(int(i)), "reason": "close_pair",
                          "conflict": bool(scores.decisions.conflict[i]),
                          "model_version": model.model_version})
                for i in np.flatnonzero(close)]

    return judge


class ExactLinker:
    """Links records by exact identifiers and queues close pairs for review.

    Args:
        graph: the record graph.
        models: the model store (the tenant's model judges when it has one, else the prior).

    Example:
        >>> counts = ExactLinker(records_graph, ModelStore(".models")).link(
        ...     "acme", records, extras, lines)  # doctest: +SKIP
    """

    def __init__(self, graph: RecordGraph, models: ModelStore) -> None:
        self.graph = graph
        self.models = models

    def judge(self, tenant: str) -> tuple[MatchingModel, bool]:
        """The model that judges close pairs: the tenant's own, or the prior (True)."""
        return self.models.load_or_prior(tenant)

    def link_one(self, tenant: str, record: Mapping[str, str | None],
                 extra: Mapping[str, str], line: int | None = None) -> tuple[ExactLink, str]:
        """Link one record (with derived columns), in one transaction; returns where it went
        and the version of the model that judged its close pairs."""
        model, _ = self.judge(tenant)
        links, _ = self.graph.link_exact(
            tenant, [record], [extra], [model.blocking_slots(record)], lines=[line],
            close_pairs=close_pair_judge(model), model_version=model.model_version)
        return links[0], model.model_version

    def link(
        self,
        tenant: str,
        rows: Iterable[tuple[Mapping[str, str | None], Mapping[str, str], int | None]],
        *,
        close_pairs: bool = True,
        model: MatchingModel | None = None,
        batch_size: int = BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> ExactCounts:
        """Link records batch by batch, one transaction each, streaming `rows`.

        Args:
            tenant: the tenant.
            rows: (record with the derived columns, its extra columns, its source line).
            close_pairs: queue close pairs for review (off: exact links only).
            model: the judging model; default `judge(tenant)`.
            batch_size: records per transaction.
            progress: called with the number of records done after each batch.

        Returns:
            The counts.
        """
        prior = False
        if model is None:
            model, prior = self.judge(tenant)
        counts = ExactCounts(model_version=model.model_version, prior=prior)
        judge = close_pair_judge(model) if close_pairs else None
        batches = iter(rows)
        while batch := list(islice(batches, batch_size)):
            records = [record for record, _, _ in batch]
            links, reviews = self.graph.link_exact(
                tenant, records, [extra for _, extra, _ in batch],
                [model.blocking_slots(record) for record in records],
                lines=[line for _, _, line in batch], close_pairs=judge,
                model_version=model.model_version)
            counts.add(links, reviews)
            if progress:
                progress(len(batch))
        return counts
