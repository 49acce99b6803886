"""Record matching: normalization, the Splink model, batch and online linking, evaluation.

Public API (import from here; `_`-prefixed modules are internal):

- `normalize_records`, `normalize_record`, `with_derived`, `parse_rename`,
  `CANONICAL_COLUMNS`, `RECORD_COLUMNS`, `NormalizedBatch`, `Problem` (matching.normalize; the
  normalizer itself is `core.records`)
- `MatchSettings` (thresholds and sampling, stored in every model file)
- `MatchingModel` with `.training.fit`, `.inference.predict`, `.clustering.cluster`,
  `.save`, `.load`, `.scorer`, `.blocking_keys`; results `Predictions`, `Clusters`,
  `ReviewItem` (matching.model)
- `Scorer`, `PairScores` (matching.scoring): one record against candidates, online
- `choose_identity`, `OnlineDecision`, `OnlineLinker`, `CandidateIndex` (matching.online)
- `prior_model`, `MIN_TRAINING_RECORDS` (matching.prior): the shipped cold-start model;
  `ExactLinker`, `close_pair_judge` (matching.exact): exact links with close pairs reviewed
- metrics and the `stormops eval` runner in `matching.evaluate`
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stormops.matching._settings import MatchSettings
    from stormops.matching.exact import ExactLinker, close_pair_judge
    from stormops.matching.model import Clusters, MatchingModel, Predictions, ReviewItem
    from stormops.matching.normalize import (
        CANONICAL_COLUMNS,
        RECORD_COLUMNS,
        NormalizedBatch,
        Problem,
        normalize_record,
        normalize_records,
        parse_rename,
        with_derived,
    )
    from stormops.matching.online import (
        CandidateIndex,
        OnlineDecision,
        OnlineLinker,
        choose_identity,
    )
    from stormops.matching.prior import MIN_TRAINING_RECORDS, prior_model
    from stormops.matching.scoring import PairScores, Scorer

# Imported on first use, so importing `stormops.matching.normalize` alone does not load
# Splink and DuckDB.
_HOMES = {
    "MatchSettings": "stormops.matching._settings",
    **dict.fromkeys(("Clusters", "MatchingModel", "Predictions", "ReviewItem"),
                    "stormops.matching.model"),
    **dict.fromkeys(("CANONICAL_COLUMNS", "RECORD_COLUMNS", "NormalizedBatch", "Problem",
                     "normalize_record", "normalize_records", "parse_rename", "with_derived"),
                    "stormops.matching.normalize"),
    **dict.fromkeys(("MIN_TRAINING_RECORDS", "prior_model"), "stormops.matching.prior"),
    **dict.fromkeys(("ExactLinker", "close_pair_judge"), "stormops.matching.exact"),
    **dict.fromkeys(("CandidateIndex", "OnlineDecision", "OnlineLinker", "choose_identity"),
                    "stormops.matching.online"),
    **dict.fromkeys(("PairScores", "Scorer"), "stormops.matching.scoring"),
}

__all__ = [
    "CANONICAL_COLUMNS", "MIN_TRAINING_RECORDS", "RECORD_COLUMNS", "CandidateIndex", "Clusters",
    "ExactLinker", "MatchSettings", "MatchingModel", "NormalizedBatch", "OnlineDecision",
    "OnlineLinker", "PairScores", "Predictions", "Problem", "ReviewItem", "Scorer",
    "choose_identity", "close_pair_judge", "normalize_record", "normalize_records",
    "parse_rename", "prior_model", "with_derived",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first access."""
    if name not in _HOMES:
        raise AttributeError(f"module 'matching' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
