"""Matching into the graph: batch ingest of a file, and online linking of one record.

Batch (`Ingest.run`): normalize -> store Record nodes -> train (first time) or load the
tenant's model -> predict over all of the tenant's records -> cluster, with each existing
identity held together and reviewers' cannot-links kept apart -> write new identities, record
links with evidence, identifier links, property ties, audited merges and review items. A
re-run of the same file writes nothing new: every record is linked already, and clustering
reproduces the same identities.

Online (`RecordLinker.link_record`): normalize -> one transaction that stores the record,
reads its candidates by blocking key (plus their identities' other records), scores them with
the saved model (no Splink linker), decides with `choose_identity` and writes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

from stormops.core.errors import InvalidInput, NothingToLearn
from stormops.graph import Batch, write_in_order
from stormops.graph.records import Assignment, Candidates, RecordGraph
from stormops.matching.assignment import (
    assign_batch,
    assign_online,
    assign_singletons,
    reviewer_pairs,
)
from stormops.matching.model import MatchingModel
from stormops.matching.normalize import NormalizedBatch, Problem, normalize_record
from stormops.matching.online import choose_identity
from stormops.matching.store import ModelStore

__all__ = ["Ingest", "IngestReport", "LinkedRecord", "RecordLinker"]

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
"""(stage, done, total): called as a long run advances."""
_WRITE_RECORDS = 5_000
_WRITERS = 2


@dataclass
class IngestReport:
    """What an ingest did.

    Attributes:
        records: rows read.
        new_records: records linked for the first time.
        identities_created: new identities.
        merges: identities merged into others (audited auto_merge events).
        reviews: review items newly queued (an identity pair queued before is not again).
        problems: values that could not be normalized (nulled; the row was kept).
        model_version: the model used.
        trained: whether this run trained the model.
        seconds: wall time per stage.
    """

    records: int = 0
    new_records: int = 0
    identities_created: int = 0
    merges: int = 0
    reviews: int = 0
    problems: list[Problem] = field(default_factory=list)
    model_version: str = ""
    trained: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


class Ingest:
    """Batch matching of a normalized file into a tenant's graph.

    Example:
        >>> Ingest(records_graph, ModelStore(".models")).run("acme", batch)  # doctest: +SKIP
        IngestReport(records=10000, new_records=10000, identities_created=6123, ...)
    """

    def __init__(self, graph: RecordGraph, models: ModelStore) -> None:
        self.graph = graph
        self.models = models

    def run(
        self,
        tenant: str,
        batch: NormalizedBatch,
        *,
        source: str | None = None,
        retrain: bool = False,
        model: MatchingModel | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest one normalized batch.

        Args:
            tenant: the tenant.
            batch: normalized records (`matching.normalize_records`).
            source: fills `source` on the batch's records that have none (in place).
            retrain: train a new model on all the tenant's records first (also done when the
                tenant holds twice the records its model was trained on).
            model: a model to use (trained, or to train) and save for the tenant, e.g. under
                other thresholds.
            progress: progress callback.

        Returns:
            The report.
        """
        report = IngestReport(records=len(batch.records),
                              problems=[*batch.problems, *_repeated_ids(batch.records)])
        clock = _Clock(report)
        incoming = batch.records
        if source is not None:  # in place: a million records are not copied for one column
            for record in incoming:
                record["source"] = record.get("source") or source
        extras = {str(r["record_id"]): extra
                  for r, extra in zip(incoming, batch.extras, strict=True)}
        stored = {str(s.record["record_id"]): s for s in self.graph.tenant_records(tenant)}
        records = {**{record_id: s.record for record_id, s in stored.items()},
                   **{str(r["record_id"]): r for r in incoming}}
        clock.lap("read")
        model = self._model(tenant, len(records), model, retrain)
        if model is not None and not model.trained:
            log.info("training the matching model of %s on %d records", tenant, len(records))
            try:
                model.training.fit(list(records.values()))
                report.trained = True
            except NothingToLearn as exc:
                log.warning("%s: %s; each new record founds its own identity for now",
                            tenant, exc.message)
                model = None
        if report.trained:
            self.models.save(tenant, model)
        report.model_version = model.model_version if model is not None else ""
        clock.lap("train")
        # A new model may block differently: then every record's keys are rewritten.
        to_save = list(records.values()) if report.trained else incoming
        self.graph.save_records(
            tenant, to_save, [extras.get(str(r["record_id"]), {}) for r in to_save],
            [model.blocking_slots(r) if model is not None else [] for r in to_save],
            progress=_stage(progress, "records", len(to_save)))
        clock.lap("store")
        ordered = list(records.values())
        current = [stored[str(r["record_id"])].identity_id if str(r["record_id"]) in stored
                   else None for r in ordered]
        new_id = self.graph.new_identity_ids(tenant)
        if model is None:
            assignments: Iterable[Assignment] = assign_singletons(
                [r for r, c in zip(ordered, current, strict=True) if c is None], new_id=new_id)
        else:
            predictions = model.inference.predict(ordered)
            clock.lap("predict")
            must, cannot = reviewer_pairs([str(r["record_id"]) for r in ordered], current,
                                          self.graph.cannot_link(tenant))
            clusters = model.clustering.cluster(predictions, must_link=must,
                                                cannot_link=cannot)
            assignments = assign_batch(predictions, clusters, current, new_id=new_id)
            clock.lap("cluster")
        self._write(tenant, assignments, current.count(None), report.model_version or None,
                    report, progress)
        clock.lap("write")
        log.info("ingest %s: %d records, %d new, %d identities created, %d merges, "
                 "%d review items, model %s", tenant, report.records, report.new_records,
                 report.identities_created, report.merges, report.reviews,
                 report.model_version)
        return report

    def _model(self, tenant: str, records: int, given: MatchingModel | None,
               retrain: bool) -> MatchingModel | None:
        """The model to use: the one given, the tenant's own, or a new one to train.

        A tenant's model is retrained (under the same thresholds) once the tenant holds twice
        the records it was trained on: a model trained on little data, or on one file
        without duplicates, learns better from more.
        """
        if given is not None:
            return given
        if not self.models.exists(tenant):
            return MatchingModel()
        current = self.models.load(tenant)
        if retrain or records >= 2 * int(current.report.get("records", 0)):
            return MatchingModel(current.settings)
        return current

    def _write(self, tenant: str, assignments: Iterable[Assignment], total: int,
               model_version: str | None, report: IngestReport,
               progress: Progress | None) -> None:
        """Write assignments (`total` record links in all) grouped into transactions of about
        `_WRITE_RECORDS` records, two in flight so the next group is prepared while one
        commits. A group waits for an earlier one it shares an identity, identifier or
        property with (the result is that of writing them in order, run after run); review
        items, which name identities of any group, wait for every group before them."""
        advance = _stage(progress, "links", total)

        def settle(combined: Assignment, reviews: int) -> None:
            report.reviews += reviews
            report.new_records += len(combined.links)
            report.identities_created += len(combined.new_identities)
            report.merges += len(combined.merges)
            if advance:
                advance(len(combined.links))

        def batches() -> Iterator[Batch]:
            for group in _groups(assignments, _WRITE_RECORDS):
                combined = _combine(group)
                keys = None if combined.reviews else self.graph.assignment_keys(tenant, combined)
                yield Batch(partial(self.graph.write_assignment, tenant, combined, model_version),
                            keys, combined)

        write_in_order(batches(), settle, _WRITERS)


@dataclass(frozen=True)
class LinkedRecord:
    """Where one online record went.

    Attributes:
        record_id: the record.
        identity_id: its identity.
        outcome: "linked" (to an existing identity), "created" (a new identity), "queued"
            (created or linked, and a review item queued), or "unchanged" (already linked).
        merged: identities merged into `identity_id` because the record links to them too.
        problems: values that could not be normalized.
    """

    record_id: str
    identity_id: str
    outcome: Literal["linked", "created", "queued", "unchanged"]
    merged: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


class RecordLinker:
    """Online linking of one record at a time, against the graph, with the tenant's model.

    Args:
        graph: the record graph.
        models: the model store.
        max_candidates: most records found by blocking key.
        max_members: most further records read from each candidate identity.

    Example:
        >>> linker = RecordLinker(records_graph, ModelStore(".models"))  # doctest: +SKIP
        >>> linker.link_record("acme", {"record_id": "w-1", "email": "Ann@X.com"})
        ... # doctest: +SKIP
        LinkedRecord(record_id='w-1', identity_id='5e0c...', outcome='linked', ...)
    """

    def __init__(self, graph: RecordGraph, models: ModelStore, *, max_candidates: int = 50,
                 max_members: int = 20) -> None:
        self.graph = graph
        self.models = models
        self.max_candidates = max_candidates
        self.max_members = max_members

    def link_record(
        self,
        tenant: str,
        row: Mapping[str, object],
        *,
        rename: Mapping[str, str] | None = None,
        source: str | None = None,
        strict: bool = False,
    ) -> LinkedRecord:
        """Link one raw record (canonical columns, or renamed by `rename`).

        Args:
            tenant: the tenant.
            row: the raw record.
            rename: source column -> canonical column.
            source: fills `source` when the record has none.
            strict: refuse a value that cannot be normalized instead of linking without it.

        Raises:
            ModelNotTrained: the tenant has no model yet.
            InvalidInput: the rename mapping is invalid, the record has nothing to compare,
                or (strict) a value is malformed; `field` names the column.
        """
        model = self.models.load(tenant)
        record, extra, problems = normalize_record(row, rename=rename,
                                                   region=self.graph.phone_region)
        if strict and problems:
            raise InvalidInput(problems[0].message, field=problems[0].field)
        if not any(value for column, value in record.items()
                   if column not in ("record_id", "source")):
            raise InvalidInput("identifiers: the record has no value to match on",
                               field="identifiers")
        return self._link(tenant, model, dict(record, source=record.get("source") or source),
                          extra, problems)

    def _link(self, tenant: str, model: MatchingModel, record: Mapping[str, str | None],
              extra: Mapping[str, str], problems: Sequence[Problem]) -> LinkedRecord:
        """Link one normalized record with the tenant's model."""
        scorer = model.scorer()

        def decide(candidates: Candidates) -> Assignment:
            scores = scorer.score(record, candidates.records)
            decision = choose_identity(scores, candidates.identities,
                                       apart=candidates.kept_apart)
            return assign_online(record, scores, candidates.records, decision,
                                 candidates.identities,
                                 new_id=lambda _: candidates.new_identity_id)

        existing, assignment = self.graph.link_online(
            tenant, record, extra, model.blocking_slots(record), decide,
            model_version=model.model_version, max_candidates=self.max_candidates,
            max_members=self.max_members)
        record_id = str(record["record_id"])
        if existing is not None:
            return LinkedRecord(record_id, existing, "unchanged", problems=tuple(problems))
        link = assignment.links[0]
        outcome = ("queued" if assignment.reviews else
                   "created" if assignment.new_identities else "linked")
        return LinkedRecord(record_id, link.identity_id, outcome,
                            merged=tuple(other for _, other, _ in assignment.merges),
                            problems=tuple(problems))

    def link_records(
        self, tenant: str, batch: NormalizedBatch, *, source: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Feed a normalized batch through `link_record`, one record at a time, in order."""
        model = self.models.load(tenant)
        report = IngestReport(records=len(batch.records), problems=list(batch.problems),
                              model_version=model.model_version)
        clock = _Clock(report)
        advance = _stage(progress, "records", len(batch.records))
        for record, extra in zip(batch.records, batch.extras, strict=True):
            linked = self._link(tenant, model, dict(record, source=record.get("source") or source),
                                extra, ())
            if linked.outcome != "unchanged":
                report.new_records += 1
                report.identities_created += linked.outcome == "created"
                report.merges += len(linked.merged)
                report.reviews += linked.outcome == "queued"
            if advance:
                advance(1)
        clock.lap("link")
        return report


def _repeated_ids(records: Sequence[Mapping[str, str | None]]) -> list[Problem]:
    """A record_id met again in one file: the later row replaces the earlier, said per row."""
    first: dict[str, int] = {}
    problems = []
    for row, record in enumerate(records):
        record_id = str(record["record_id"])
        if record_id in first:
            problems.append(Problem(row, record_id, "record_id",
                                    f"record_id repeats row {first[record_id] + 2}; this row "
                                    "replaces it"))
        else:
            first[record_id] = row
    return problems


def _groups(assignments: Iterable[Assignment], size: int) -> Iterable[list[Assignment]]:
    """Consecutive assignments holding about `size` record links together."""
    group: list[Assignment] = []
    count = 0
    for assignment in assignments:
        group.append(assignment)
        count += len(assignment.links) + len(assignment.reviews)
        if count >= size:
            yield group
            group, count = [], 0
    if group:
        yield group


def _combine(group: Sequence[Assignment]) -> Assignment:
    """One assignment holding a group's writes."""
    combined = Assignment()
    for assignment in group:
        combined.new_identities += assignment.new_identities
        combined.links += assignment.links
        combined.records.update(assignment.records)
        combined.reviews += assignment.reviews
        combined.merges += assignment.merges
    return combined


def _stage(progress: Progress | None, stage: str, total: int) -> Callable[[int], None] | None:
    """A per-stage advance callback over `progress`."""
    if progress is None:
        return None
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        progress(stage, done, total)

    progress(stage, 0, total)
    return advance


class _Clock:
    """Stage timings into a report."""

    def __init__(self, report: IngestReport) -> None:
        self._report = report
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self._report.seconds[stage] = round(now - self._last, 3)
        self._last = now
