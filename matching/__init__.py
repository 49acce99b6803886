"""Record matching: normalization, the Splink model, batch and online linking, evaluation.

Public API (import from here; `_`-prefixed modules are internal):

- `normalize_records`, `normalize_record`, `parse_rename`, `CANONICAL_COLUMNS`,
  `RECORD_COLUMNS`, `NormalizedBatch`, `Problem` (matching.normalize)
- `MatchSettings` (thresholds and sampling, stored in every model file)
- `MatchingModel` with `.training.fit`, `.inference.predict`, `.clustering.cluster`,
  `.save`, `.load`, `.scorer`, `.blocking_keys`; results `Predictions`, `Clusters`,
  `ReviewItem` (matching.model)
- `Scorer`, `PairScores` (matching.scoring): one record against candidates, online
- `choose_identity`, `OnlineDecision`, `OnlineLinker`, `CandidateIndex` (matching.online)
- metrics and the `stormops eval` runner in `matching.evaluate`
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stormops.matching._settings import MatchSettings
    from stormops.matching.model import Clusters, MatchingModel, Predictions, ReviewItem
    from stormops.matching.normalize import (
        CANONICAL_COLUMNS,
        RECORD_COLUMNS,
        NormalizedBatch,
        Problem,
        normalize_record,
        normalize_records,
        parse_rename,
    )
    from stormops.matching.online import (
        CandidateIndex,
        OnlineDecision,
        OnlineLinker,
        choose_identity,
    )
    from stormops.matching.scoring import PairScores, Scorer

# Imported on first use, so importing `stormops.matching.normalize` alone does not load
# Splink and DuckDB.
_HOMES = {
    "MatchSettings": "stormops.matching._settings",
    **dict.fromkeys(("Clusters", "MatchingModel", "Predictions", "ReviewItem"),
                    "stormops.matching.model"),
    **dict.fromkeys(("CANONICAL_COLUMNS", "RECORD_COLUMNS", "NormalizedBatch", "Problem",
                     "normalize_record", "normalize_records", "parse_rename"),
                    "stormops.matching.normalize"),
    **dict.fromkeys(("CandidateIndex", "OnlineDecision", "OnlineLinker", "choose_identity"),
                    "stormops.matching.online"),
    **dict.fromkeys(("PairScores", "Scorer"), "stormops.matching.scoring"),
}

__all__ = [
    "CANONICAL_COLUMNS", "RECORD_COLUMNS", "CandidateIndex", "Clusters", "MatchSettings",
    "MatchingModel", "NormalizedBatch", "OnlineDecision", "OnlineLinker", "PairScores",
    "Predictions", "Problem", "ReviewItem", "Scorer", "choose_identity", "normalize_record",
    "normalize_records", "parse_rename",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first access."""
    if name not in _HOMES:
        raise AttributeError(f"module 'matching' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
