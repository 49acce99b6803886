"""The close-pair judgement of the cold-start path, with the shipped prior (no graph)."""

from __future__ import annotations

from stormops.core.records import normalize_row
from stormops.matching.exact import close_pair_judge
from stormops.matching.normalize import with_derived
from stormops.matching.prior import prior_model

SARAH = {"first_name": "Sarah", "last_name": "Connor", "dob": "03/14/1965",
         "email": "sarah.connor@cyberdyne.com", "phone": "(512) 555-0142",
         "address": "12 Oak Street", "zip": "78701"}


def _record(**values: str) -> dict[str, str | None]:
    return with_derived(normalize_row(values).record)


def test_the_prior_is_shipped_without_term_frequencies() -> None:
    prior = prior_model()
    assert prior.model_version.startswith("prior-") and prior.trained
    assert not any(prior.as_dict()["term_frequencies"].values())
    assert prior.report["prior"]["rebuild"] == "python -m stormops.matching.prior"


def test_the_prior_finds_the_close_pair_and_leaves_housemates_alone() -> None:
    judge = close_pair_judge(prior_model())
    sara = _record(**{**SARAH, "first_name": "Sara", "last_name": "Conner",
                      "email": "sconner@gmail.com", "phone": "512-555-0142",
                      "address": "12 Oak St."})
    husband = _record(**{**SARAH, "first_name": "Kyle", "last_name": "Reese", "dob": "1960-02-01",
                         "email": "kyle@example.com"})
    same_email = _record(email="SARAH.CONNOR@cyberdyne.com", first_name="S")
    found = dict(judge(_record(**SARAH), [sara, husband, same_email]))
    assert set(found) == {0, 2}
    assert found[0]["reason"] == "close_pair" and found[0]["conflict"]  # two emails: a reviewer
    assert found[0]["comparisons"]["dob"]["level"] == "exact"
    assert found[2]["deterministic"] and found[0]["model_version"] == prior_model().model_version
