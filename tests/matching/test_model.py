import json
from dataclasses import replace

import numpy as np
import pytest

from stormops.core.errors import InvalidInput, ModelNotTrained
from stormops.matching._parameters import read_parameters
from stormops.matching._rules import LINK, NONE, REVIEW
from stormops.matching._settings import MatchSettings, blocking_keys, comparisons
from stormops.matching.evaluate import (
    Dataset,
    _scores,
    cluster_metrics,
    false_positive_link_rate,
    link_rate,
)
from stormops.matching.model import Clusters, MatchingModel, Predictions
from stormops.matching.normalize import normalize_records
from stormops.matching.store import ModelStore


def _m_probability(model: MatchingModel, comparison: str, label: str) -> float:
    for entry in model._state.splink["comparisons"]:
        if entry["output_column_name"] == comparison:
            for level in entry["comparison_levels"]:
                if level.get("label_for_charts") == label:
                    return level["m_probability"]
    raise KeyError((comparison, label))


def test_training_blocks_admit_no_households(homeowner_model: MatchingModel) -> None:
    report = homeowner_model.report
    assert report["em_blocks"] == [
        'l."dob" = r."dob"', 'l."first_name" = r."first_name" AND l."last_name" = r."last_name"']
    assert not any(word in rule for rule in report["em_blocks"]
                   for word in ("zip", "address", "phone", "property"))


def test_em_learns_people_not_households(homeowner_model: MatchingModel) -> None:
    # A model that learned households has m(first name exact) near 0.5 (housemates differ).
    assert _m_probability(homeowner_model, "first_name", "exact") > 0.75
    assert _m_probability(homeowner_model, "dob", "exact") > 0.9
    comparison = next(c for c in homeowner_model.parameters.comparisons if c.name == "place")
    place = {comparison.labels[g]: w for g, w in comparison.weights.items()}
    # Address, property and phone are one comparison: a shared home counts once.
    assert max(place.values()) < 16


def test_prior_is_close_to_the_true_share_of_matching_pairs(homeowners: Dataset,
                                                            homeowner_model: MatchingModel) -> None:
    _, counts = np.unique(homeowners.truth, return_counts=True)
    n = len(homeowners.truth)
    truth = (counts * (counts - 1) / 2).sum() / (n * (n - 1) / 2)
    estimate = homeowner_model.report["probability_two_random_records_match"]
    assert truth / 2 < estimate < truth * 2


def test_comparisons_follow_the_columns_present() -> None:
    names = [c["output_column_name"] for c in comparisons({"first_name", "last_name", "zip"})]
    assert names == ["first_name", "last_name", "place"]
    place = comparisons({"phone", "address", "street_number", "property_id", "zip"})[0]
    labels = [level["label_for_charts"] for level in place["comparison_levels"]]
    assert labels[:4] == ["missing", "same phone and home", "same phone", "same home"]


def test_a_mistyped_street_is_still_a_candidate_through_number_and_zip() -> None:
    # "ainsworthstreet" shares no key with "ainsworth street" but for its number and zip;
    # the given name and surname are swapped, so no name key joins them either.
    rows = [{"first_name": "lucy", "last_name": "fitzpatrick", "street_number": "264",
             "address": "ainsworth street", "zip": "3500", "dob": "1921-02-22"},
            {"first_name": "fitzpatrick", "last_name": "lucy", "street_number": "264",
             "address": "ainsworthstreet", "zip": "3500", "dob": "1922-02-22"}]
    keys = blocking_keys(MatchSettings(), set(rows[0]))
    shared = [key for key in keys if all(rows[0][c] == rows[1][c] for c in key)]
    assert shared == [("street_number", "zip")]
    # Appended last, so the graph's existing block slots keep their meaning.
    assert keys[-1] == ("street_number", "zip")


def test_febrl3_clusters_meet_the_target(febrl3: Dataset, febrl3_model: MatchingModel,
                                         febrl3_predictions: Predictions) -> None:
    clusters = febrl3_model.clustering.cluster(febrl3_predictions)
    metrics = cluster_metrics(febrl3.truth, clusters.labels)
    assert metrics.precision >= 0.999
    assert metrics.f1 >= 0.998


def test_homeowner_links_are_precise_and_households_stay_apart(
        homeowners: Dataset, homeowner_predictions: Predictions,
        homeowner_clusters: Clusters) -> None:
    truth = np.asarray(homeowners.truth)
    house = np.asarray(homeowners.households)
    left = homeowner_predictions.left[homeowner_clusters.links]
    right = homeowner_predictions.right[homeowner_clusters.links]
    assert (truth[left] == truth[right]).mean() >= 0.99
    assert false_positive_link_rate(truth, homeowner_clusters.labels) < 0.001
    assert link_rate(truth, homeowner_clusters.labels) >= 0.94
    # No identity holds two named people of one household; a record without a given name
    # that the phone-holder rule joined may be a housemate's, rarely.
    named = np.array([bool(record.get("first_name")) for record in homeowners.records])
    people_in_identity: dict[tuple[int, str], set[str]] = {}
    for label, person, household in zip(homeowner_clusters.labels[named], truth[named],
                                        house[named], strict=True):
        people_in_identity.setdefault((label, household), set()).add(person)
    assert max(len(people) for people in people_in_identity.values()) == 1
    scores = _scores(homeowners.truth, homeowner_clusters.labels, left, right,
                     homeowners.households)
    assert scores["household_false_cluster_pair_rate"] <= 0.005


def test_household_members_are_not_linked_by_address_phone_and_property(
        homeowner_model: MatchingModel) -> None:
    home = {"street_number": "812", "address": "oak st", "city": "plano", "zip": "75023",
            "property_id": "P77", "phone": "972-555-0100"}
    rows = [
        {"record_id": "wife-1", "first_name": "Maria", "last_name": "Garcia",
         "dob": "1970-02-03", **home},
        {"record_id": "husband", "first_name": "Jose", "last_name": "Garcia",
         "dob": "1968-07-09", "email": "jgarcia@example.com", **home},
        {"record_id": "son", "first_name": "Luis", "last_name": "Garcia", **home},
        {"record_id": "wife-2", "first_name": "maria", "last_name": "garcia",
         "dob": "02/03/1970", "email": "maria.g@example.com", **home},
        {"record_id": "someone", "last_name": "GARCIA", **home},
    ]
    wife, husband, son, wife_again, someone = normalize_records(rows).records
    scores = homeowner_model.scorer().score(wife, [husband, son, wife_again, someone])
    decisions = scores.decisions
    # Each of them shares address, property, landline and surname with her.
    assert [scores.evidence(i)["comparisons"]["place"]["level"] for i in range(4)] == [
        "same phone and home"] * 4
    assert decisions.status.tolist() == [NONE, NONE, LINK, REVIEW]
    assert decisions.conflict[0]  # different first name and birth date: different people
    assert decisions.person_weight[3] == 0  # nothing says who "someone" is: a reviewer does


def test_strict_households_keep_near_identical_housemates_apart(
        homeowner_model: MatchingModel) -> None:
    home = {"street_number": "3596", "address": "cherry rd", "zip": "76031",
            "property_id": "P900"}
    father, daughter = normalize_records([
        {"record_id": "f", "first_name": "Daniel", "last_name": "Washington", **home},
        {"record_id": "d", "first_name": "Daniela", "last_name": "Washington", **home},
    ]).records
    default = homeowner_model.scorer().score(father, [daughter])
    assert default.evidence(0)["comparisons"]["first_name"]["level"] == "typo"
    assert default.decisions.status.tolist() == [LINK]  # a name typo looks just like this
    strict = homeowner_model.with_settings(
        replace(homeowner_model.settings, strict_households=True))
    decisions = strict.scorer().score(father, [daughter]).decisions
    assert decisions.status.tolist() == [REVIEW] and decisions.household_only[0]


def test_review_queue_carries_reasons_and_evidence(homeowner_clusters: Clusters) -> None:
    reasons = {item.reason for item in homeowner_clusters.review}
    assert "household_only" in reasons and "between_thresholds" in reasons
    item = homeowner_clusters.review[0]
    assert {"match_weight", "match_probability", "comparisons", "model_version"} <= set(
        item.evidence)
    assert all(set(v) == {"level", "weight"} for v in item.evidence["comparisons"].values())


def test_evidence_explains_the_weight(homeowner_predictions: Predictions) -> None:
    pair = int(np.argmax(homeowner_predictions.match_weight))
    evidence = homeowner_predictions.evidence(pair)
    total = sum(v["weight"] for v in evidence["comparisons"].values())
    prior = homeowner_predictions.parameters.prior_weight
    assert total + prior == pytest.approx(evidence["match_weight"], abs=0.01)


def test_reviewer_decisions_are_respected(homeowner_model: MatchingModel,
                                          homeowner_predictions: Predictions,
                                          homeowner_clusters: Clusters) -> None:
    ids = homeowner_predictions.record_ids
    linked = int(homeowner_clusters.links[0])
    a, b = ids[homeowner_predictions.left[linked]], ids[homeowner_predictions.right[linked]]
    labels = homeowner_clusters.labels
    apart = next(i for i in range(len(ids)) if labels[i] != labels[homeowner_predictions.left[
        linked]])
    again = homeowner_model.clustering.cluster(
        homeowner_predictions, cannot_link=[(a, b)], must_link=[(a, ids[apart])])
    where = again.cluster_of()
    assert where[a] != where[b]
    assert where[a] == where[ids[apart]]
    with pytest.raises(InvalidInput):
        homeowner_model.clustering.cluster(homeowner_predictions, must_link=[(a, "nope")])


def test_model_round_trips_through_its_file(tmp_path, febrl3: Dataset,
                                            febrl3_model: MatchingModel,
                                            febrl3_predictions: Predictions) -> None:
    path = febrl3_model.save(tmp_path)
    assert path.name == f"model-{febrl3_model.model_version}.json"
    document = json.loads(path.read_text())
    assert document["format"] == "stormops.matching.model/1"
    assert document["term_frequencies"]["first_name"]
    loaded = MatchingModel.load(tmp_path)
    assert loaded.model_version == febrl3_model.model_version
    assert loaded.settings == febrl3_model.settings
    again = loaded.inference.predict(febrl3.records)
    assert np.array_equal(again.left, febrl3_predictions.left)
    assert np.allclose(again.match_weight, febrl3_predictions.match_weight)


def test_newest_model_in_a_folder_wins(tmp_path, febrl3_model: MatchingModel) -> None:
    febrl3_model.save(tmp_path)
    (tmp_path / "model-99990101T000000000Z-ffffffffff.json").write_text(
        (tmp_path / f"model-{febrl3_model.model_version}.json").read_text().replace(
            febrl3_model.model_version, "99990101T000000000Z-ffffffffff"))
    assert MatchingModel.load(tmp_path).model_version == "99990101T000000000Z-ffffffffff"


def test_saved_parameters_are_used_only_with_the_settings_they_came_from(
        tmp_path, febrl3_model: MatchingModel) -> None:
    path = febrl3_model.save(tmp_path)
    document = json.loads(path.read_text())
    assert document["parameters"]["comparisons"]  # saved, so a service need not re-read them
    fresh = read_parameters(document["splink"])
    loaded = MatchingModel.load(path).parameters
    assert loaded.comparisons == fresh.comparisons and loaded.tf_levels == fresh.tf_levels
    assert np.array_equal(loaded.level_weights, fresh.level_weights)
    assert loaded.prior_weight == fresh.prior_weight
    # Someone edits a level's m probability in the file: the saved parameters no longer apply.
    level = next(level for c in document["splink"]["comparisons"]
                 for level in c["comparison_levels"] if "m_probability" in level)
    level["m_probability"] = level["m_probability"] / 2
    path.write_text(json.dumps(document))
    edited = MatchingModel.load(path).parameters
    assert not np.array_equal(edited.level_weights, fresh.level_weights)
    assert np.array_equal(edited.level_weights,
                          read_parameters(document["splink"]).level_weights)


def test_store_sees_a_model_saved_after_it_loaded_one(tmp_path,
                                                    febrl3_model: MatchingModel) -> None:
    store = ModelStore(tmp_path)
    with pytest.raises(ModelNotTrained):
        store.load("acme")
    store.save("acme", febrl3_model)
    assert store.load("acme") is store.load("acme")  # read once, then cached
    newer = "99990101T000000000Z-ffffffffff"
    (store.folder("acme") / f"model-{newer}.json").write_text(
        (store.folder("acme") / f"model-{febrl3_model.model_version}.json").read_text()
        .replace(febrl3_model.model_version, newer))
    assert store.load("acme").model_version == newer
    assert sorted(p.name for p in store.folder("acme").iterdir()) == [
        f"model-{febrl3_model.model_version}.json", f"model-{newer}.json"]


def test_versions_differ_between_trainings(febrl3: Dataset, febrl3_model: MatchingModel) -> None:
    other = MatchingModel(MatchSettings(u_max_pairs=2e5))
    other.training.fit(febrl3.records[:1500])
    assert other.model_version != febrl3_model.model_version


def test_missing_or_foreign_model_files_are_refused(tmp_path) -> None:
    with pytest.raises(ModelNotTrained):
        MatchingModel.load(tmp_path)
    with pytest.raises(ModelNotTrained):
        MatchingModel().scorer()
    (tmp_path / "model-x.json").write_text('{"format": "something-else"}')
    with pytest.raises(InvalidInput):
        MatchingModel.load(tmp_path / "model-x.json")


def test_record_ids_must_be_unique(febrl3_model: MatchingModel) -> None:
    records = normalize_records([{"record_id": "1", "email": "a@b.co"},
                                 {"record_id": "1", "email": "c@b.co"}]).records
    with pytest.raises(InvalidInput, match="repeat"):
        febrl3_model.inference.predict(records)


def test_settings_validate_thresholds() -> None:
    with pytest.raises(ValueError, match="review <= auto_link"):
        MatchSettings(auto_link=0.5, review=0.9)
    assert MatchSettings.from_dict(MatchSettings(blocking_keys=(("email",),)).as_dict()) == (
        MatchSettings(blocking_keys=(("email",),)))
    with pytest.raises(ValueError, match="at most 16 blocking keys"):
        MatchSettings(blocking_keys=tuple((f"c{i}",) for i in range(17)))


def test_blocking_slots_keep_each_key_in_its_place(febrl3_model: MatchingModel) -> None:
    full = {"first_name": "ann", "last_name": "lee", "dob": "1980-01-02", "zip": "2600",
            "national_id": "123", "street_number": "4", "address": "oak st"}
    partial = {"first_name": "ann", "dob": "1980-01-02"}
    slots, fewer = febrl3_model.blocking_slots(full), febrl3_model.blocking_slots(partial)
    assert len(slots) == len(fewer) and None not in slots
    # A key the partial record has sits where the full record has it; the rest are empty.
    kept = [(i, slot) for i, slot in enumerate(fewer) if slot is not None]
    assert kept and len(kept) < len(slots)
    assert all(slots[i] == slot for i, slot in kept)
    assert febrl3_model.blocking_keys(partial) == [slot for _, slot in kept]
