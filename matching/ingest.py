"""Matching into the graph: batch ingest of a file, and online linking of one record.

Batch (`Ingest.run`): normalize -> store Record nodes -> train (first time) or load the
tenant's model -> predict -> cluster, with each existing identity held together and reviewers'
cannot-links kept apart -> write new identities, record links with evidence, identifier links,
property ties, audited merges and review items. A re-run of the same file writes nothing new:
every record is linked already, and clustering reproduces the same identities.

A run with the tenant's model as it is is incremental: only the batch's neighbourhood is
predicted and clustered (the stored records sharing a blocking key with a batch record, found
through the graph's block-slot indexes, and the other records of their identities), so its
cost follows the batch, not the tenant. Blocking is a pure function of a pair and the term
frequencies come from the model, so every pair a full run would score with a batch record is
scored the same; identities outside the neighbourhood cannot be reached by a new link and are
left alone. A run that trains, or re-decides every pair under other thresholds, is full.

Cold start: a tenant without a model of its own and fewer than `MIN_TRAINING_RECORDS` records
(or whose data has nothing to learn from) is linked by exact identifiers, with close pairs
queued for review by the shipped prior (`matching.exact`); the report says which path ran.

Online (`RecordLinker.link_record`): normalize -> one transaction that stores the record,
reads its candidates by blocking key (plus their identities' other records), scores them with
the saved model (no Splink linker), decides with `choose_identity` and writes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Literal

from stormops.core.columns import check_rename
from stormops.core.errors import InvalidRow, ModelNotTrained, NothingToLearn
from stormops.core.records import Policy, check_policy, normalize_row
from stormops.graph import Batch, write_in_order
from stormops.graph.records import Assignment, Candidates, OnlineRecord, RecordGraph, combine
from stormops.matching._splink import Engine
from stormops.matching.assignment import (
    assign_batch,
    assign_online,
    reviewer_pairs,
)
from stormops.matching.exact import ExactLinker
from stormops.matching.model import MatchingModel
from stormops.matching.normalize import NormalizedBatch, Problem, with_derived
from stormops.matching.online import choose_identity
from stormops.matching.prior import MIN_TRAINING_RECORDS
from stormops.matching.store import ModelStore

__all__ = ["Ingest", "IngestReport", "LinkedRecord", "RecordLinker"]

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
"""(stage, done, total): called as a long run advances."""
_WRITE_RECORDS = 5_000
_WRITERS = 2
_TOGETHER = 64  # most online records one transaction links together
_GATHER = 0.003  # under concurrent posts, a leader waits while records keep arriving this
_GATHER_MAX = 0.012  # often, but no longer than this, before it links the queue
_CONCURRENT = 1.0  # seconds a batch of several records marks a tenant's posts concurrent


@dataclass
class IngestReport:
    """What an ingest did.

    Attributes:
        records: rows read.
        new_records: records linked for the first time.
        identities_created: new identities.
        merges: identities merged into others (audited auto_merge events).
        reviews: review items newly queued (an identity pair queued before is not again).
        problems: values that could not be normalized (nulled; the row was kept), and
            record ids repeated in the input.
        rejected: problems of the rows refused (never written), each row's together.
        compared: records matched this run: the whole tenant on a full run, the batch's
            neighbourhood on an incremental one.
        model_version: the model used.
        trained: whether this run trained the model.
        model_note: which model linked the records and why, in words.
        seconds: wall time per stage.
    """

    records: int = 0
    new_records: int = 0
    identities_created: int = 0
    merges: int = 0
    reviews: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    compared: int = 0
    model_version: str = ""
    trained: bool = False
    model_note: str = ""
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
        full: bool = False,
        progress: Progress | None = None,
        engine: Engine | None = None,
    ) -> IngestReport:
        """Ingest one normalized batch.

        With the tenant's model as it is, the run is incremental: the batch (and any record a
        load cut short left unlinked) is compared only with the stored records that share a
        blocking key with it and the rest of their identities, found through the graph's
        block-slot indexes; the identities those records hold are clustered again and nothing
        else is read. Its result is that of the full run over every record of the tenant.
        A run that trains, or applies other thresholds, compares every record.

        Args:
            tenant: the tenant.
            batch: normalized records (`matching.normalize_records`).
            source: fills `source` on the batch's records that have none (in place).
            retrain: train a new model on all the tenant's records first (also done when the
                tenant holds twice the records its model was trained on).
            model: a model to use (trained, or to train) and save for the tenant, e.g. under
                other thresholds.
            full: compare every record of the tenant, even when the run could be incremental.
            progress: progress callback.
            engine: where the pairs are scored (DuckDB in this process when None, or
                `matching.spark.SparkEngine`); the identities are the same. Clustering runs
                here and the graph is written from here either way.

        Returns:
            The report.
        """
        report = IngestReport(records=len(batch.records), problems=list(batch.problems),
                              rejected=list(batch.rejected))
        clock = _Clock(report)
        incoming = batch.records
        if source is not None:  # in place: a million records are not copied for one column
            for record in incoming:
                record["source"] = record.get("source") or source
        ids = [str(r["record_id"]) for r in incoming]
        known = self.graph.stored_links(tenant, ids)
        held = self.graph.count_records(tenant)
        chosen, report.model_note = self._model(tenant, held + len(set(ids) - set(known)),
                                                model, retrain)
        # Into a tenant holding less than the batch, reading every record costs no more.
        if (not full and model is None and chosen is not None and chosen.trained
                and held > len(ids)):
            report.model_version = chosen.model_version
            clock.lap("read")
            return self._incremental(tenant, batch, chosen, known, report, clock, progress,
                                     engine)
        stored = {str(s.record["record_id"]): s for s in self.graph.tenant_records(tenant)}
        records = {**{record_id: s.record for record_id, s in stored.items()},
                   **{str(r["record_id"]): r for r in incoming}}
        clock.lap("read")
        if chosen is not None and not chosen.trained:
            log.info("training the matching model of %s on %d records", tenant, len(records))
            try:
                chosen.training.fit(list(records.values()))
                report.trained = True
            except NothingToLearn as exc:
                log.warning("%s: %s", tenant, exc.message)
                chosen = self.models.load(tenant) if self.models.exists(tenant) else None
                report.model_note = f"training found nothing to learn: {exc.message}" + (
                    f"; the tenant's model {chosen.model_version} is used" if chosen else "")
        if chosen is None:
            return self._exact(tenant, batch, report, clock, progress)
        if report.trained:
            self.models.save(tenant, chosen)
        report.model_version = chosen.model_version
        clock.lap("train")
        # A new model may block differently: then every record's keys are rewritten (their
        # extra columns and lines are kept where none are given).
        self._store(tenant, batch, chosen,
                    list(records.values()) if report.trained else incoming, progress)
        clock.lap("store")
        ordered = list(records.values())
        current = [stored[str(r["record_id"])].identity_id if str(r["record_id"]) in stored
                   else None for r in ordered]
        report.compared = len(ordered)
        self._match(tenant, chosen, ordered, current, report, clock, progress, engine)
        return report

    def _incremental(self, tenant: str, batch: NormalizedBatch, model: MatchingModel,
                     known: Mapping[str, str | None], report: IngestReport, clock: _Clock,
                     progress: Progress | None, engine: Engine | None) -> IngestReport:
        """Store the batch, then match it (with any record left unlinked) against its
        neighbourhood only: the records a full run would pair with it, and their identities.

        The records are ordered as the full run orders them (stored ones by key, then the
        batch's new ones in file order), so links of equal strength are taken in the same
        order and the clusters are the same."""
        self._store(tenant, batch, model, batch.records, progress)
        clock.lap("store")
        fresh = {str(r["record_id"]): r for r in batch.records}
        changed = sorted(set(fresh) | set(self.graph.unlinked_records(tenant)))
        neighbours = self.graph.neighbourhood(tenant, changed) if changed else []
        before = [s for s in neighbours
                  if s.record["record_id"] not in fresh or s.record["record_id"] in known]
        new = [record_id for record_id in fresh if record_id not in known]
        ordered = [fresh.get(str(s.record["record_id"]), s.record) for s in before] + [
            fresh[record_id] for record_id in new]
        current = [s.identity_id for s in before] + [None] * len(new)
        report.compared = len(ordered)
        clock.lap("neighbourhood")
        if ordered:
            self._match(tenant, model, ordered, current, report, clock, progress, engine)
        return report

    def _store(self, tenant: str, batch: NormalizedBatch, model: MatchingModel,
               records: Sequence[Mapping[str, str | None]], progress: Progress | None) -> None:
        """Store records with the model's blocking slots, the batch's extra columns and
        lines where it has them."""
        extras = {str(r["record_id"]): extra
                  for r, extra in zip(batch.records, batch.extras, strict=True)}
        lines = {str(r["record_id"]): line
                 for r, line in zip(batch.records, batch.lines, strict=True)}
        self.graph.save_records(
            tenant, records, [extras.get(str(r["record_id"]), {}) for r in records],
            [model.blocking_slots(r) for r in records],
            lines=[lines.get(str(r["record_id"])) for r in records],
            progress=_stage(progress, "records", len(records)))

    def _match(self, tenant: str, model: MatchingModel,
               ordered: Sequence[Mapping[str, str | None]], current: Sequence[str | None],
               report: IngestReport, clock: _Clock, progress: Progress | None,
               engine: Engine | None) -> None:
        """Predict (on `engine`), cluster (identities held together, cannot-links kept apart)
        and write."""
        new_id = self.graph.new_identity_ids(tenant)
        predictions = model.inference.predict(ordered, engine=engine)
        clock.lap("predict")
        must, cannot = reviewer_pairs([str(r["record_id"]) for r in ordered], current,
                                      self.graph.cannot_link(tenant))
        clusters = model.clustering.cluster(predictions, must_link=must, cannot_link=cannot)
        assignments = assign_batch(predictions, clusters, current, new_id=new_id)
        clock.lap("cluster")
        self._write(tenant, assignments, list(current).count(None), report.model_version,
                    report, progress)
        clock.lap("write")
        log.info("ingest %s: %d records, %d new, %d identities created, %d merges, "
                 "%d review items, %d records compared, model %s", tenant, report.records,
                 report.new_records, report.identities_created, report.merges, report.reviews,
                 report.compared, report.model_version)

    def _model(self, tenant: str, records: int, given: MatchingModel | None,
               retrain: bool) -> tuple[MatchingModel | None, str]:
        """The model to use, and why: the one given, the tenant's own, a new one to train, or
        None (too few records to train on: the exact path).

        A tenant's model is retrained (under the same thresholds) once the tenant holds twice
        the records it was trained on: a model trained on little data learns better from more.
        """
        current = self.models.load(tenant) if self.models.exists(tenant) else None
        if given is not None and given.trained:
            return given, f"the tenant's model {given.model_version}"
        wanted = given is not None or retrain or current is None or (
            records >= 2 * int(current.report.get("records", 0)))
        if not wanted:
            return current, f"the tenant's model {current.model_version}"  # type: ignore[union-attr]
        if records < MIN_TRAINING_RECORDS:
            few = (f"{records:,} records, fewer than the {MIN_TRAINING_RECORDS:,} a model of "
                   "its own is trained on")
            return current, (few if current is None else
                             f"the tenant's model {current.model_version} ({few} again)")
        model = given or MatchingModel(current.settings if current else None)
        return model, f"trained on the tenant's {records:,} records this run"

    def _exact(self, tenant: str, batch: NormalizedBatch, report: IngestReport,
               clock: _Clock, progress: Progress | None) -> IngestReport:
        """The cold-start path: exact links, close pairs queued with the prior's judgement."""
        counts = ExactLinker(self.graph, self.models).link(
            tenant, zip(batch.records, batch.extras, batch.lines, strict=True),
            progress=_stage(progress, "records", len(batch.records)))
        report.new_records = counts.linked + counts.created
        report.identities_created = counts.created
        report.reviews = counts.reviews
        report.model_version = counts.model_version
        report.model_note = (f"no model of its own yet ({report.model_note}): linked by exact "
                             "identifiers, close pairs queued for review with the shipped "
                             f"prior {counts.model_version}")
        clock.lap("link")
        return report

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
                combined = combine(group)
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
        problems: values nulled because they could not be normalized (under the `null`
            policy).
        extra: names of the columns kept in `extra` (not canonical, or nulled values' text).
        model_version: the model that linked it (the prior, for a tenant without its own).
        policy: the validation policy it was read under.
    """

    record_id: str
    identity_id: str
    outcome: Literal["linked", "created", "queued", "unchanged"]
    merged: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    extra: tuple[str, ...] = ()
    model_version: str = ""
    policy: Policy = "null"


@dataclass(eq=False)
class _Waiting:
    """A record waiting to be linked online, and then its outcome (`linked` or `error`)."""

    record: Mapping[str, str | None]
    extra: Mapping[str, str]
    line: int | None = None
    problems: Sequence[Problem] = ()
    lead: bool = False
    done: threading.Event = field(default_factory=threading.Event)
    linked: LinkedRecord | None = None
    error: Exception | None = None


def _linked(item: _Waiting, existing: str | None, assignment: Assignment,
            model_version: str) -> LinkedRecord:
    """Where a record linked with the model went."""
    record_id = str(item.record["record_id"])
    said = {"problems": tuple(item.problems), "extra": tuple(sorted(item.extra)),
            "model_version": model_version}
    if existing is not None:
        return LinkedRecord(record_id, existing, "unchanged", **said)
    link = assignment.links[0]
    outcome = ("queued" if assignment.reviews else
               "created" if assignment.new_identities else "linked")
    return LinkedRecord(record_id, link.identity_id, outcome,
                        merged=tuple(other for _, other, _ in assignment.merges), **said)


class RecordLinker:
    """Online linking of one record at a time, against the graph, with the tenant's model; a
    tenant without one has its records linked by exact identifiers, close pairs queued for
    review by the shipped prior (`matching.exact`).

    Args:
        graph: the record graph.
        models: the model store.
        max_candidates: most records found by blocking key.
        max_members: most further records read from each candidate identity.
        policy: the validation policy of a call that does not name one.

    Example:
        >>> linker = RecordLinker(records_graph, ModelStore(".models"))  # doctest: +SKIP
        >>> linker.link_record("acme", {"record_id": "w-1", "email": "Ann@X.com"})
        ... # doctest: +SKIP
        LinkedRecord(record_id='w-1', identity_id='5e0c...', outcome='linked', ...)
    """

    def __init__(self, graph: RecordGraph, models: ModelStore, *, max_candidates: int = 50,
                 max_members: int = 20, policy: Policy = "null") -> None:
        self.graph = graph
        self.policy = check_policy(policy)
        self.models = models
        self.max_candidates = max_candidates
        self.max_members = max_members
        self.exact = ExactLinker(graph, models)
        self._queued = threading.Lock()
        self._queues: dict[str, list[_Waiting]] = {}
        self._leading: set[str] = set()
        self._together: dict[str, float] = {}

    def link_record(
        self,
        tenant: str,
        row: Mapping[str, object],
        *,
        rename: Mapping[str, str] | None = None,
        source: str | None = None,
        policy: Policy | None = None,
    ) -> LinkedRecord:
        """Link one raw record (canonical columns, or renamed by `rename`; others kept in
        extra), under the validation policy.

        Args:
            tenant: the tenant.
            row: the raw record.
            rename: source column -> canonical column.
            source: fills `source` when the record has none.
            policy: "null" links the record without its bad values (reported in `problems`);
                "reject" refuses a record with any; None: the linker's default.

        Raises:
            InvalidRow: the record identifies nobody, or (reject) has bad values: every one
                is named.
            InvalidInput: the rename mapping is invalid.
        """
        policy = check_policy(policy or self.policy)
        out = normalize_row(row, rename=check_rename(rename or {}),
                            country=self.graph.phone_region, policy=policy)
        if out.rejected:
            raise InvalidRow([(problem.field, problem.message) for problem in out.problems])
        record = with_derived({**out.record, "source": out.record["source"] or source})
        try:
            self.models.load(tenant)
        except ModelNotTrained:
            linked = self._link_exact(tenant, record, out.extra, None, out.problems)
        else:
            linked = self._link_together(tenant, _Waiting(record, out.extra, None, out.problems))
        return replace(linked, policy=policy)

    def _link(self, tenant: str, model: MatchingModel,
              items: Sequence[_Waiting]) -> list[LinkedRecord]:
        """Link normalized records (distinct record ids) with the tenant's model, in one
        transaction, each decided as if linked after the ones before it."""
        scorer = model.scorer()

        def decide(position: int, candidates: Candidates) -> Assignment:
            record = items[position].record
            scores = scorer.score(record, candidates.records)
            decision = choose_identity(scores, candidates.identities,
                                       apart=candidates.kept_apart, record=record,
                                       candidates=candidates.records, scorer=scorer)
            return assign_online(record, scores, candidates.records, decision,
                                 candidates.identities,
                                 new_id=lambda _: candidates.new_identity_id)

        written = self.graph.link_online(
            tenant, [OnlineRecord(item.record, item.extra, model.blocking_slots(item.record),
                                  item.line) for item in items],
            decide, model_version=model.model_version, max_candidates=self.max_candidates,
            max_members=self.max_members)
        return [_linked(item, existing, assignment, model.model_version)
                for item, (existing, assignment) in zip(items, written, strict=True)]

    def _link_together(self, tenant: str, item: _Waiting) -> LinkedRecord:
        """Link one record with the tenant's model together with the tenant's other records
        posted meanwhile: the first caller links its own; callers arriving while a link runs
        queue, and the next of them links every queued record in one transaction. Records
        of one person would otherwise wait for each other's transactions one by one."""
        with self._queued:
            queue = self._queues.setdefault(tenant, [])
            queue.append(item)
            item.lead = len(queue) == 1 and tenant not in self._leading
            if item.lead:
                self._leading.add(tenant)
        if not item.lead:
            item.done.wait()
        if item.lead:
            self._lead(tenant)
        if item.error is not None:
            raise item.error
        assert item.linked is not None
        return item.linked

    def _lead(self, tenant: str) -> None:
        """Link the queued records (the first of each record id; at most `_TOGETHER`), then
        hand the queue to the next caller waiting in it."""
        self._gather(tenant)
        with self._queued:
            queue, batch, ids = self._queues[tenant], [], set()
            for item in queue:
                if item.record["record_id"] not in ids and len(batch) < _TOGETHER:
                    batch.append(item)
                    ids.add(item.record["record_id"])
            self._queues[tenant] = [item for item in queue if item not in batch]
            if len(batch) > 1:
                self._together[tenant] = time.monotonic()
        try:
            self._settle(tenant, batch)
        finally:
            with self._queued:
                if queue := self._queues[tenant]:
                    queue[0].lead = True
                    queue[0].done.set()
                else:
                    del self._queues[tenant]
                    self._leading.discard(tenant)
            for item in batch:
                item.done.set()

    def _gather(self, tenant: str) -> None:
        """While a tenant's posts arrive together (a batch of several linked in the last
        `_CONCURRENT` seconds), wait while records keep arriving (each within `_GATHER` of
        the one before, for at most `_GATHER_MAX`): callers posting at once then share one
        transaction instead of the first linking alone while the rest queue behind it.
        Posts one after another never wait."""
        if time.monotonic() - self._together.get(tenant, -_CONCURRENT) >= _CONCURRENT:
            return
        deadline = time.monotonic() + _GATHER_MAX
        seen = -1
        while time.monotonic() < deadline:
            with self._queued:
                waiting = len(self._queues[tenant])
            if waiting == seen or waiting >= _TOGETHER:
                return
            seen = waiting
            time.sleep(_GATHER)

    def _settle(self, tenant: str, batch: list[_Waiting]) -> None:
        """Link a batch, giving each item its outcome or error; a batch that fails is
        linked record by record, so one bad record fails alone."""
        try:
            for item, linked in zip(batch, self._link(tenant, self.models.load(tenant), batch),
                                    strict=True):
                item.linked = linked
        except Exception as error:  # noqa: BLE001 - each item gets its own outcome below
            if len(batch) == 1:
                batch[0].error = error
                return
            for item in batch:
                self._settle(tenant, [item])

    def _link_exact(self, tenant: str, record: Mapping[str, str | None],
                    extra: Mapping[str, str], line: int | None,
                    problems: Sequence[Problem]) -> LinkedRecord:
        """Link one record of a tenant without a model: exact identifiers, close pairs
        queued with the prior's judgement."""
        link, version = self.exact.link_one(tenant, record, extra, line)
        return LinkedRecord(link.record_id, link.identity_id,
                            "queued" if link.queued else link.outcome,  # type: ignore[arg-type]
                            problems=tuple(problems), extra=tuple(sorted(extra)),
                            model_version=version)

    def link_records(
        self, tenant: str, batch: NormalizedBatch, *, source: str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Link a normalized batch online, in order: with a model, `_TOGETHER` records per
        transaction, each decided as if linked after the ones before it (as `link_record`
        one at a time would); without one, by exact identifiers one record at a time."""
        try:
            model: MatchingModel | None = self.models.load(tenant)
        except ModelNotTrained:
            model = None
        report = IngestReport(records=len(batch.records), problems=list(batch.problems),
                              rejected=list(batch.rejected))
        clock = _Clock(report)
        advance = _stage(progress, "records", len(batch.records))
        items = [_Waiting(dict(record, source=record.get("source") or source), extra, line)
                 for record, extra, line in zip(batch.records, batch.extras, batch.lines,
                                                strict=True)]
        for chunk in _distinct_chunks(items, _TOGETHER if model else 1):
            linked_chunk = (self._link(tenant, model, chunk) if model else
                            [self._link_exact(tenant, item.record, item.extra, item.line, ())
                             for item in chunk])
            for linked in linked_chunk:
                report.model_version = linked.model_version
                if linked.outcome != "unchanged":
                    report.new_records += 1
                    report.identities_created += linked.outcome == "created"
                    report.merges += len(linked.merged)
                    report.reviews += linked.outcome == "queued"
            if advance:
                advance(len(chunk))
        report.model_note = (f"the tenant's model {model.model_version}" if model else
                             "no model of its own yet: linked by exact identifiers, close "
                             f"pairs queued for review with the shipped prior "
                             f"{report.model_version}")
        clock.lap("link")
        return report


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


def _distinct_chunks(items: Sequence[_Waiting], size: int) -> Iterator[list[_Waiting]]:
    """Consecutive runs of at most `size` items, a run ending before a repeated record id."""
    chunk: list[_Waiting] = []
    ids: set[object] = set()
    for item in items:
        if len(chunk) == size or item.record["record_id"] in ids:
            yield chunk
            chunk, ids = [], set()
        chunk.append(item)
        ids.add(item.record["record_id"])
    if chunk:
        yield chunk


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
