"""The review page's evidence table, alone: every fact of a nested evidence object on a row."""

from __future__ import annotations

from stormops.console.views._evidence import evidence_rows


def test_nested_evidence_is_flattened_to_dotted_names_in_order() -> None:
    rows = evidence_rows({"reason": "split_identifiers", "record": {"id": "r1", "email": "a@b"},
                          "shared": {"email": ["a@b", "c@d"]}, "kept_by": None})
    assert rows == [{"evidence": "reason", "value": "split_identifiers"},
                    {"evidence": "record.id", "value": "r1"},
                    {"evidence": "record.email", "value": "a@b"},
                    {"evidence": "shared.email", "value": "a@b, c@d"},
                    {"evidence": "kept_by", "value": "-"}]


def test_a_comparison_reads_as_its_level_and_signed_weight() -> None:
    rows = evidence_rows({"match_weight": 7.5, "comparisons": {
        "dob": {"level": "exact", "weight": 4.2}, "phone": {"level": "else", "weight": -3.0}}})
    assert rows[1:] == [{"evidence": "comparisons.dob", "value": "exact (+4.20 bits)"},
                        {"evidence": "comparisons.phone", "value": "else (-3.00 bits)"}]


def test_a_level_without_a_numeric_weight_is_shown_as_it_is() -> None:
    assert evidence_rows({"dob": {"level": "exact", "weight": None}}) == [
        {"evidence": "dob.level", "value": "exact"}, {"evidence": "dob.weight", "value": "-"}]


def test_empty_evidence_has_no_rows() -> None:
    assert evidence_rows({}) == []
    assert evidence_rows({"shared": {}}) == [{"evidence": "shared", "value": "-"}]
