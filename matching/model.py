"""The matching model: train, save/load, predict, cluster, and score online.

`MatchingModel` is a facade over Splink 5 (DuckDB backend) with namespaces like Splink's own
linker:

    model = MatchingModel(MatchSettings(auto_link=0.99, review=0.5))
    model.training.fit(records)                       # unsupervised: lambda, u, m
    path = model.save(model_dir)                      # versioned JSON file
    model = MatchingModel.load(model_dir)             # newest file in the folder
    predictions = model.inference.predict(records)    # scored blocked pairs + evidence
    clusters = model.clustering.cluster(predictions)  # identities + review queue
    scores = model.scorer().score(record, candidates) # one record online, no Splink linker

Records are normalized records (`matching.normalize`). The comparisons follow the columns the
training data has; household-level identifiers are one comparison (`place`) and a link needs
person-level evidence besides the match probability (see `matching._rules`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np

from stormops.core.errors import InvalidInput, ModelNotTrained
from stormops.matching._clustering import cluster_links, one_to_one
from stormops.matching._inference import Predictions, predict, records_table
from stormops.matching._parameters import (
    ModelParameters,
    parameters_document,
    read_parameters,
    stored_parameters,
)
from stormops.matching._rules import (
    LINK,
    REVIEW,
    DecisionRule,
    PairDecisions,
)
from stormops.matching._settings import LinkType, MatchSettings, blocking_keys
from stormops.matching._splink import Engine
from stormops.matching._training import train
from stormops.matching.normalize import records_columns
from stormops.matching.scoring import Scorer

__all__ = ["Clusters", "MatchingModel", "Predictions", "ReviewItem"]

FILE_FORMAT = "stormops.matching.model/1"
# Before two clusters join, pairs across them are scored for conflicts, up to this many
# members a side (identities are small; the cap bounds the cost of a runaway cluster).
_MAX_CHECKED_MEMBERS = 50
ReviewReason = Literal[
    "between_thresholds", "household_only", "conflicting_identifiers", "fits_two_identities",
    "shared_phone", "unnamed_link"]


@dataclass(frozen=True)
class ReviewItem:
    """A pair a reviewer should decide, with why it was not linked automatically.

    Attributes:
        record_id_l: one record.
        record_id_r: the other.
        reason: "between_thresholds" (review <= p < auto_link), "household_only" (p reached
            auto_link on household-level evidence alone), "conflicting_identifiers" (an exact
            strong identifier, but person-level evidence says different people),
            "fits_two_identities" (a strong link refused because it would join two identities
            known to be different people), "shared_phone" (a record without a given name
            shares a phone with several people's records; see `matching._rules`), or, online
            only, "unnamed_link" (a strong link reaching an identity only through its records
            without a given name, whose named records differ from the new one; see
            `matching.online.choose_identity`).
        match_probability: the pair's match probability.
        evidence: per-comparison evidence (see `Predictions.evidence`).
    """

    record_id_l: str
    record_id_r: str
    reason: ReviewReason
    match_probability: float
    evidence: dict[str, Any]


@dataclass(frozen=True)
class Clusters:
    """Identities found in a batch.

    Attributes:
        record_ids: shape (n_records,), record_id by position (as in the predictions).
        labels: shape (n_records,), cluster index per record; equal labels = one identity.
        links: indices of the prediction pairs that were linked (within one cluster).
        review: pairs for the review queue.
    """

    record_ids: np.ndarray
    labels: np.ndarray
    links: np.ndarray
    review: list[ReviewItem]

    def cluster_of(self) -> dict[str, int]:
        """record_id -> cluster index, e.g. to write identities.

        Returns:
            The mapping (when linking two files with shared ids, the second file's wins).

        Example:
            >>> clusters.cluster_of()["R0000001"]  # doctest: +SKIP
            0
        """
        return dict(zip(self.record_ids.tolist(), self.labels.tolist(), strict=True))


@dataclass(frozen=True)
class _Trained:
    """The trained state, as stored in a model file."""

    model_version: str
    trained_at: str
    link_type: LinkType
    columns: tuple[str, ...]
    splink: dict[str, Any]
    term_frequencies: dict[str, dict[str, float]]
    report: dict[str, Any]
    parameters: dict[str, Any] | None = None  # as saved (`_parameters.parameters_document`)


class MatchingModel:
    """A record-matching model: unsupervised Splink training, batch and online linking.

    Attributes:
        settings: the tenant's MatchSettings (thresholds, sampling).
        training: `fit` (namespace).
        inference: `predict` (namespace).
        clustering: `cluster` (namespace).
    """

    def __init__(self, settings: MatchSettings | None = None) -> None:
        """An untrained model.

        Args:
            settings: matching settings; defaults to `MatchSettings()`.
        """
        self.settings = settings or MatchSettings()
        self._trained: _Trained | None = None
        self.training = ModelTraining(self)
        self.inference = ModelInference(self)
        self.clustering = ModelClustering(self)

    @property
    def trained(self) -> bool:
        """Whether the model has parameters (trained or loaded)."""
        return self._trained is not None

    @property
    def model_version(self) -> str:
        """Version id of the trained model ("<UTC time>-<content hash>").

        Raises:
            ModelNotTrained: the model has not been trained or loaded.
        """
        return self._state.model_version

    @property
    def report(self) -> dict[str, Any]:
        """What training did: record count, lambda, EM blocks, bounded levels."""
        return self._state.report

    @cached_property
    def parameters(self) -> ModelParameters:
        """The trained parameters as arrays (for scoring and explanation)."""
        state = self._state
        return stored_parameters(state.parameters, state.splink) or read_parameters(
            state.splink)

    @property
    def decision_rule(self) -> DecisionRule:
        """The pair decision rule under the current settings."""
        return self.parameters.decision_rule(self.settings)

    def with_settings(self, settings: MatchSettings) -> MatchingModel:
        """The same trained parameters under other settings (e.g. a tenant's thresholds).

        Args:
            settings: the settings to use.

        Returns:
            A new model sharing the trained state.

        Example:
            >>> strict = model.with_settings(model.settings.with_thresholds(auto_link=0.999))
            ... # doctest: +SKIP
        """
        other = MatchingModel(settings)
        other._trained = self._trained
        return other

    def save(self, directory: str | Path) -> Path:
        """Write the model to `<directory>/model-<model_version>.json`.

        Args:
            directory: folder for the tenant's models (created if missing).

        Returns:
            The path written.

        Raises:
            ModelNotTrained: nothing to save.

        Example:
            >>> model.save(tmp_path).name  # doctest: +SKIP
            'model-20250101T120000Z-3f2a9c1d7e.json'
        """
        document = self.as_dict()
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"model-{document['model_version']}.json"
        partial = path.with_name(f".{path.name}.partial")  # not matched by model-*.json
        partial.write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")
        partial.replace(path)  # whole or absent: a service reading the folder never sees half
        return path

    def as_dict(self) -> dict[str, Any]:
        """The model file's content: version, settings, training report, Splink parameters
        and term frequencies (read back by `from_dict`).

        Raises:
            ModelNotTrained: the model has not been trained or loaded.
        """
        state = self._state
        return {
            "format": FILE_FORMAT,
            "model_version": state.model_version,
            "trained_at": state.trained_at,
            "link_type": state.link_type,
            "columns": list(state.columns),
            "settings": self.settings.as_dict(),
            "training": state.report,
            "splink": state.splink,
            "term_frequencies": state.term_frequencies,
            "parameters": parameters_document(self.parameters, state.splink),
        }

    @classmethod
    def load(cls, path: str | Path) -> MatchingModel:
        """Read a model file, or the newest model file in a folder.

        Args:
            path: a file written by `save`, or the folder it was saved in.

        Returns:
            The trained model, with the settings it was saved with.

        Raises:
            ModelNotTrained: the folder holds no model file, or the path does not exist.
            InvalidInput: the file is not a model file of this format.

        Example:
            >>> MatchingModel.load(model_dir).model_version  # doctest: +SKIP
            '20250101T120000Z-3f2a9c1d7e'
        """
        location = Path(path)
        if location.is_dir():
            files = sorted(location.glob("model-*.json"))
            if not files:
                raise ModelNotTrained(f"no model file in {location}")
            location = files[-1]
        if not location.is_file():
            raise ModelNotTrained(f"no model file at {location}")
        return cls.from_dict(json.loads(location.read_text(encoding="utf-8")), str(location))

    @classmethod
    def from_dict(cls, document: Mapping[str, Any], origin: str = "model") -> MatchingModel:
        """A trained model from a model file's content (`as_dict`).

        Raises:
            InvalidInput: not a model file of this format (`origin` names it).
        """
        if document.get("format") != FILE_FORMAT:
            raise InvalidInput(
                f"{origin}: expected a {FILE_FORMAT} file, got format "
                f"{document.get('format')!r}", field="model")
        model = cls(MatchSettings.from_dict(document["settings"]))
        model._trained = _Trained(
            model_version=document["model_version"],
            trained_at=document["trained_at"],
            link_type=document["link_type"],
            columns=tuple(document["columns"]),
            splink=document["splink"],
            term_frequencies=document["term_frequencies"],
            report=document["training"],
            parameters=document.get("parameters"),
        )
        return model

    def scorer(self) -> Scorer:
        """The online scorer with this model's parameters and thresholds (thread-safe; built
        once).

        Returns:
            A `matching.scoring.Scorer`.

        Raises:
            ModelNotTrained: the model has not been trained or loaded.

        Example:
            >>> model.scorer().score(record, candidates).match_weight  # doctest: +SKIP
            array([23.4, -12.1])
        """
        return self._scorer

    @cached_property
    def _scorer(self) -> Scorer:
        """The scorer, built once per trained state (compiling its levels takes a while)."""
        return Scorer(self.parameters, self._state.term_frequencies, self.decision_rule)

    def blocking_keys(self, record: Mapping[str, str | None]) -> list[str]:
        """The candidate keys of a record: records sharing one are compared with it.

        The same keys generate batch candidate pairs, so an index (in memory or in the graph)
        over them finds the candidates batch prediction would compare.

        Args:
            record: a normalized record.

        Returns:
            Keys like "email=a@b.com" or "first_name,last_name=ann|lee", one per blocking key
            whose columns are all present in the record.

        Example:
            >>> model.blocking_keys({"email": "a@b.com", "dob": None})  # doctest: +SKIP
            ['email=a@b.com']
        """
        return [key for key in self.blocking_slots(record) if key is not None]

    def blocking_slots(self, record: Mapping[str, str | None]) -> list[str | None]:
        """`blocking_keys` by position: one slot per blocking key of the model, None where the
        record lacks a column, so equal slots of two records are the same kind of key (the
        graph indexes each slot).

        Example:
            >>> model.blocking_slots({"email": "a@b.com", "dob": None})[:2]  # doctest: +SKIP
            ['email=a@b.com', None]
        """
        slots: list[str | None] = []
        for key in blocking_keys(self.settings, set(self._state.columns)):
            values = [record.get(column) for column in key]
            slots.append(f"{','.join(key)}={'|'.join(values)}"  # type: ignore[arg-type]
                         if all(values) else None)
        return slots

    @property
    def _state(self) -> _Trained:
        """The trained state; raises ModelNotTrained before training or loading."""
        if self._trained is None:
            raise ModelNotTrained("the matching model has not been trained or loaded")
        return self._trained


class ModelTraining:
    """Training namespace: `model.training.fit(...)`."""

    def __init__(self, model: MatchingModel) -> None:
        """Bind the namespace to its model."""
        self._model = model

    def fit(
        self,
        records: Sequence[Mapping[str, str | None]],
        *,
        link_to: Sequence[Mapping[str, str | None]] | None = None,
    ) -> dict[str, Any]:
        """Train without labels: lambda from deterministic keys, u by sampling, m by EM.

        Replaces any parameters the model had and gives it a new model_version.

        Args:
            records: normalized records to deduplicate (or the first file when linking).
            link_to: a second file to link `records` to (each file free of duplicates).

        Returns:
            The training report (also `model.report`).

        Raises:
            InvalidInput: record ids missing or repeated, or no column to compare.

        Example:
            >>> MatchingModel().training.fit(records)["em_blocks"]  # doctest: +SKIP
            ['l."dob" = r."dob"', 'l."first_name" = r."first_name" AND ...']
        """
        parts = [records] if link_to is None else [records, link_to]
        _check_ids(parts)
        tables = [records_table(part) for part in parts]
        columns = set().union(*(records_columns(part) for part in (records, link_to or ())))
        columns.discard("record_id")
        columns.discard("source")
        if not columns:
            raise InvalidInput("no column to compare: every record is empty", field="records")
        link_type: LinkType = "dedupe_only" if link_to is None else "link_only"
        trained = train(tables, self._model.settings, columns, link_type)
        content = json.dumps([trained.splink, trained.term_frequencies], sort_keys=True)
        now = datetime.now(UTC)
        version = (f"{now:%Y%m%dT%H%M%S}{now.microsecond // 1000:03d}Z-"
                   f"{hashlib.sha256(content.encode()).hexdigest()[:10]}")
        self._model._trained = _Trained(
            model_version=version,
            trained_at=now.isoformat(),
            link_type=link_type,
            columns=tuple(sorted(columns)),
            splink=trained.splink,
            term_frequencies=trained.term_frequencies,
            report=trained.report,
        )
        self._model.__dict__.pop("parameters", None)
        self._model.__dict__.pop("_scorer", None)
        return trained.report


class ModelInference:
    """Inference namespace: `model.inference.predict(...)`."""

    def __init__(self, model: MatchingModel) -> None:
        """Bind the namespace to its model."""
        self._model = model

    def predict(
        self,
        records: Sequence[Mapping[str, str | None]],
        *,
        link_to: Sequence[Mapping[str, str | None]] | None = None,
        engine: Engine | None = None,
    ) -> Predictions:
        """Score every blocked pair of a batch with the trained model.

        Args:
            records: normalized records to deduplicate (or the first file when linking).
            link_to: a second file; when given, only pairs across the two files are scored.
            engine: where the pairs are scored: DuckDB in this process when None, or e.g.
                `matching.spark.SparkEngine`; the scores are the same.

        Returns:
            The scored pairs, with levels, contributions and link/review decisions.

        Raises:
            ModelNotTrained: the model has not been trained or loaded.
            InvalidInput: record ids missing or repeated.

        Example:
            >>> predictions = model.inference.predict(records)  # doctest: +SKIP
            >>> predictions.evidence(0)["match_weight"]  # doctest: +SKIP
            17.3
        """
        model = self._model
        state = model._state
        parts = [records] if link_to is None else [records, link_to]
        _check_ids(parts)
        return predict(state.splink, state.term_frequencies, model.parameters,
                       model.decision_rule, state.model_version, parts, engine)


class ModelClustering:
    """Clustering namespace: `model.clustering.cluster(...)`."""

    def __init__(self, model: MatchingModel) -> None:
        """Bind the namespace to its model."""
        self._model = model

    def cluster(
        self,
        predictions: Predictions,
        *,
        must_link: Iterable[tuple[str, str]] = (),
        cannot_link: Iterable[tuple[str, str]] = (),
    ) -> Clusters:
        """Group linked pairs into identities, and collect the pairs to review.

        Links are applied strongest first (deterministic links first), and two clusters are
        never joined while a pair between them conflicts: a blocked pair known to conflict, a
        reviewer's cannot-link, or, checked just before the join, any pair across the two
        clusters scored with the model. So one weak pair cannot chain two people. When linking
        two files, each record keeps at most its best link.

        Args:
            predictions: output of `inference.predict`.
            must_link: reviewer-approved record_id pairs, joined first.
            cannot_link: reviewer-rejected record_id pairs, never in one cluster.
                (When linking two files, record ids name the first file's record if both
                files use the same id.)

        Returns:
            Cluster labels per record, the linked pairs, and the review queue.

        Raises:
            InvalidInput: a reviewer pair names a record not in the predictions.

        Example:
            >>> clusters = model.clustering.cluster(predictions)  # doctest: +SKIP
            >>> len(set(clusters.labels)), len(clusters.review)  # doctest: +SKIP
            (40211, 312)
        """
        decisions = predictions.decisions
        position: dict[str, int] = {}
        for index, record_id in enumerate(predictions.record_ids.tolist()):
            position.setdefault(record_id, index)
        linked = np.flatnonzero(decisions.status == LINK)
        # Deterministic links first, then by weight.
        strength = predictions.match_weight[linked] + np.where(
            decisions.deterministic[linked], 1e6, 0.0)
        n = len(predictions.record_ids)
        left, right = predictions.left[linked], predictions.right[linked]
        rejected = [_positions(pair, position) for pair in cannot_link]
        approved = [_positions(pair, position) for pair in must_link]
        if predictions.link_only:
            # Reviewer decisions first: approved pairs claim their records, rejected go.
            keep = ~np.isin(_pair_codes(left, right, n), _pair_codes(*_columns(rejected), n))
            approved_left, approved_right = _columns(approved)
            linked = np.r_[np.full(len(approved), -1), linked[keep]]
            result = one_to_one(n, np.r_[approved_left, left[keep]],
                                np.r_[approved_right, right[keep]],
                                np.r_[np.full(len(approved), np.inf), strength[keep]])
        else:
            conflict = np.flatnonzero(decisions.conflict)
            conflicts = list(zip(predictions.left[conflict].tolist(),
                                 predictions.right[conflict].tolist(), strict=True))
            result = cluster_links(n, left, right, strength, conflicts + rejected, approved,
                                   conflicting=self._conflict_check(predictions))
        labels, held = result.labels, np.zeros(0, dtype=np.int64)
        shared = held
        if not predictions.link_only:
            labels, held, shared = self._phone_holders(predictions, labels, rejected)
        same = labels[predictions.left] == labels[predictions.right]
        refused = linked[result.refused]
        review = [self._item(predictions, int(pair), "fits_two_identities")
                  for pair in refused[refused >= 0]]
        for pair in np.flatnonzero((decisions.status == REVIEW) & ~same):
            review.append(self._item(predictions, int(pair), _reason(decisions, int(pair))))
        review += [self._item(predictions, int(pair), "shared_phone") for pair in shared]
        linked = linked[linked >= 0]
        return Clusters(record_ids=predictions.record_ids, labels=labels,
                        links=np.r_[linked[same[linked]], held], review=review)

    def _phone_holders(
        self, predictions: Predictions, labels: np.ndarray, rejected: list[tuple[int, int]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Clusters without a given name join the one named cluster that gives their phone.

        A cluster none of whose records gives a given name joins another when its records share
        a phone with records of exactly one named cluster, that cluster gives no other number
        (someone giving two numbers may have shared the home line), and no pair across the two,
        scored in batch or now, disagrees on the person (`matching._rules.decide`) or
        was rejected by a reviewer. One that shares it with several named clusters, or with
        one giving other numbers too, could be any of theirs: its strongest pair with each goes
        to review ("shared_phone") unless already there.

        Returns:
            The new labels (numbered by first member), the prediction pairs that joined, and
            the prediction pairs to review.
        """
        records = predictions.records
        named = np.zeros(int(labels.max(initial=-1)) + 1, dtype=bool)
        given = np.array([bool(record.get("first_name")) for record in records], dtype=bool)
        named[labels[given]] = True
        phone, disagrees = predictions.decisions.same_phone, predictions.decisions.disagrees
        left, right = labels[predictions.left], labels[predictions.right]
        apart = {(int(a), int(b)) for a, b in zip(left[disagrees], right[disagrees], strict=True)}
        apart |= {(int(labels[a]), int(labels[b])) for a, b in rejected}
        holders: dict[int, dict[int, list[int]]] = {}
        for pair in np.flatnonzero(phone & (left != right)):
            for own, other in ((int(left[pair]), int(right[pair])),
                               (int(right[pair]), int(left[pair]))):
                if not named[own] and named[other]:
                    holders.setdefault(own, {}).setdefault(other, []).append(int(pair))
        members: dict[int, list[int]] = {}
        for position, label in enumerate(labels.tolist()):
            members.setdefault(label, []).append(position)
        joined = labels.copy()
        held: list[int] = []
        review: list[int] = []
        scorer = self._model.scorer()
        for own, found in holders.items():
            (holder,) = found if len(found) == 1 else (None,)
            if holder is None or not sole_number([records[other] for other in members[holder]]):
                review += [max(pairs, key=lambda pair: predictions.match_weight[pair])
                           for pairs in found.values()]
                continue
            if (own, holder) in apart or (holder, own) in apart:
                continue
            others = [records[other] for other in members[holder][:_MAX_CHECKED_MEMBERS]]
            if any(scorer.score(records[position], others).decisions.disagrees.any()
                   for position in members[own][:_MAX_CHECKED_MEMBERS]):
                continue
            joined[members[own]] = holder
            held += found[holder]
        _, first, inverse = np.unique(joined, return_index=True, return_inverse=True)
        review = [pair for pair in review if predictions.decisions.status[pair] != REVIEW]
        return (np.argsort(np.argsort(first))[inverse], np.array(held, dtype=np.int64),
                np.array(review, dtype=np.int64))

    def _conflict_check(
        self, predictions: Predictions
    ) -> Callable[[Sequence[int], Sequence[int]], bool]:
        """Whether a pair across two clusters conflicts, scoring the pairs blocking skipped.

        Blocked pairs are already scored (their conflicts are known), so only the others are
        scored here, with the online scorer, up to `_MAX_CHECKED_MEMBERS` members a side.
        """
        scorer = self._model.scorer()
        records = predictions.records
        n = len(records)
        scored = set(_pair_codes(predictions.left, predictions.right, n).tolist())

        def conflicting(a: Sequence[int], b: Sequence[int]) -> bool:
            """Any unscored pair across the two clusters conflicts."""
            others = b[:_MAX_CHECKED_MEMBERS]
            for position in a[:_MAX_CHECKED_MEMBERS]:
                unscored = [other for other in others
                            if min(position, other) * n + max(position, other) not in scored]
                if unscored and scorer.score(
                        records[position], [records[other] for other in unscored]
                ).decisions.conflict.any():
                    return True
            return False

        return conflicting

    @staticmethod
    def _item(predictions: Predictions, pair: int, reason: ReviewReason) -> ReviewItem:
        """A review item for one prediction pair."""
        return ReviewItem(
            record_id_l=str(predictions.record_ids[predictions.left[pair]]),
            record_id_r=str(predictions.record_ids[predictions.right[pair]]),
            reason=reason,
            match_probability=float(predictions.match_probability[pair]),
            evidence=predictions.evidence(pair),
        )


def sole_number(records: Sequence[Mapping[str, str | None]]) -> bool:
    """Whether the records give one phone number between them (an identity's own line)."""
    return len({record.get("phone") for record in records} - {None}) == 1


def _reason(decisions: PairDecisions, pair: int) -> ReviewReason:
    """Why an unlinked pair at review level was not linked."""
    if decisions.household_only[pair]:
        return "household_only"
    if decisions.deterministic[pair] and decisions.conflict[pair]:
        return "conflicting_identifiers"
    return "between_thresholds"


def _columns(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) arrays of position pairs."""
    array = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    return array[:, 0], array[:, 1]


def _pair_codes(left: np.ndarray, right: np.ndarray, n: int) -> np.ndarray:
    """One integer per unordered position pair."""
    return np.minimum(left, right) * n + np.maximum(left, right)


def _positions(pair: tuple[str, str], position: Mapping[str, int]) -> tuple[int, int]:
    """Record positions of a reviewer's record_id pair."""
    try:
        return position[pair[0]], position[pair[1]]
    except KeyError as exc:
        raise InvalidInput(f"reviewer pair {pair}: record {exc.args[0]!r} is not in this batch",
                           field="record_id") from None


def _check_ids(parts: Sequence[Sequence[Mapping[str, str | None]]]) -> None:
    """Every record has a record_id, unique within its input."""
    for part in parts:
        ids = [record.get("record_id") for record in part]
        if not all(ids):
            raise InvalidInput("every record needs a record_id", field="record_id")
        if len(set(ids)) != len(ids):
            raise InvalidInput("record_id values repeat within one input", field="record_id")
