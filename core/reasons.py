"""Why a pair waits for a reviewer: stable codes, each with the sentence a person reads.

Matching and linking write the code into a review item's evidence (`reason`); the API and
the console show the sentence beside it, and the queue filters by the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REVIEW_REASONS: dict[str, str] = {
    "between_thresholds": "The match probability lies between the review and auto-link "
                          "thresholds.",
    "household_only": "Only household-level evidence (address, landline, property) links "
                      "them; spouses and adult children share it.",
    "conflicting_identifiers": "They share a strong identifier, but person-level evidence "
                               "says different people.",
    "fits_two_identities": "A strong link would join two identities a reviewer marked as "
                           "different people.",
    "shared_phone": "A record without a given name shares a phone with more than one "
                    "person's records (a home line): it could be any of theirs.",
    "unnamed_link": "The record links strongly only to records without a given name in an "
                    "identity whose named records differ from it: those records may be a "
                    "housemate's.",
    "close_pair": "A new record is close to another identity's record without sharing an "
                  "exact identifier.",
    "split_identifiers": "One record's identifiers are linked to different identities.",
}
UNKNOWN_REASON = "other"
# Sentences older items carry instead of a code.
_LEGACY = {"one record's identifiers are linked to different identities": "split_identifiers"}


def reason_code(evidence: Mapping[str, Any]) -> str:
    """The stable code of a review item's evidence (`other` when it names none we know)."""
    reason = str(evidence.get("reason") or "")
    reason = _LEGACY.get(reason, reason)
    return reason if reason in REVIEW_REASONS else UNKNOWN_REASON


def reason_text(code: str) -> str:
    """The sentence for a reason code."""
    return REVIEW_REASONS.get(code, "The pair was queued for review.")
