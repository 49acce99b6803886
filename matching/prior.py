"""The prior model: what a tenant is matched with before it has a model of its own.

A new tenant with a small file has too little data to train on (EM needs many pairs of the
same person to learn from, and a file without a single duplicate has none). Until it has
enough, its records are linked by exact identifiers (the graph's deterministic rules), and
this prior finds the close pairs exact rules cannot settle (same phone, birth date and
address, a different email: Sarah Connor and Sara Conner) and queues them for review with the
evidence; it never links on its own. Once the tenant holds `MIN_TRAINING_RECORDS` records,
the next ingest trains the tenant's own model, and says so.

The prior is the default model trained without labels on the project's synthetic sample
(`samples.homeowners`, `PRIOR_ROWS` rows, seed `PRIOR_SEED`), shipped as package data
(`matching/prior.json`, a model file like any tenant's): its m and u probabilities per
comparison level and its lambda. No term frequencies are shipped: a tenant's names are not
the sample's, so an exact agreement weighs its average.

Rebuild it after changing the comparisons (`matching/_settings.py`):

    python -m stormops.matching.prior
"""

from __future__ import annotations

import argparse
import hashlib
import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from stormops.matching.model import MatchingModel
from stormops.matching.normalize import normalize_records

__all__ = ["MIN_TRAINING_RECORDS", "PRIOR_ROWS", "PRIOR_SEED", "build_prior", "prior_model"]

PRIOR_ROWS = 20_000
PRIOR_SEED = 7
MIN_TRAINING_RECORDS = 1_000
"""Records a tenant needs before its own model is trained: below it, models trained on the
sample scored worse than the prior on held-out sample records (bench/cold_start.py)."""
_FILE = "prior.json"
_TRUTH = ("person_id", "household_id", "storm_id", "channel")


@cache
def prior_model() -> MatchingModel:
    """The shipped prior, read once per process.

    Example:
        >>> prior_model().model_version  # doctest: +SKIP
        'prior-3f2a9c1d7e'
    """
    text = files("stormops.matching").joinpath(_FILE).read_text(encoding="utf-8")
    return MatchingModel.from_dict(json.loads(text), _FILE)


def build_prior(rows: int = PRIOR_ROWS, seed: int = PRIOR_SEED) -> dict[str, Any]:
    """Train the prior on the synthetic sample: the model file's content.

    Args:
        rows: sample rows to train on.
        seed: sample seed.

    Returns:
        A model file document with the version "prior-<content hash>", no term frequencies,
        and how it was built in its training report.
    """
    from stormops.samples.homeowners import generate_records

    raw = [{k: v for k, v in row.items() if k not in _TRUTH}
           for row in generate_records(rows, seed)]
    model = MatchingModel()
    model.training.fit(normalize_records(raw).records)
    document = model.as_dict()
    document["term_frequencies"] = {column: {} for column in document["term_frequencies"]}
    document["training"] = {**document["training"], "prior": {
        "sample": "stormops.samples.homeowners", "rows": rows, "seed": seed,
        "rebuild": "python -m stormops.matching.prior"}}
    content = json.dumps(document["splink"], sort_keys=True)
    document["model_version"] = "prior-" + hashlib.sha256(content.encode()).hexdigest()[:10]
    return document


def main(argv: list[str] | None = None) -> int:
    """Rebuild matching/prior.json from the sample."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=PRIOR_ROWS)
    parser.add_argument("--seed", type=int, default=PRIOR_SEED)
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name(_FILE))
    args = parser.parse_args(argv)
    document = build_prior(args.rows, args.seed)
    args.output.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n",
                           encoding="utf-8")
    print(f"prior {document['model_version']} written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
