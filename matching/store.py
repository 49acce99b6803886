"""Per-tenant model files: `<model_dir>/<tenant>/model-<version>.json`, newest wins.

A tenant's thresholds (`auto_link`, `review`) are part of its model file's settings: set them
when training (`stormops match train --auto-link 0.995 --review 0.6`), and every batch and
online link of the tenant uses them.
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path

from stormops.core.errors import ModelNotTrained
from stormops.matching.model import MatchingModel
from stormops.matching.prior import prior_model

__all__ = ["ModelStore"]

_SAFE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class ModelStore:
    """Finds, caches and saves each tenant's matching model.

    Loading is cached by file name, so a service sees a newly trained model on its next call
    without a restart, and reads a file once.

    Example:
        >>> store = ModelStore(tmp_path)  # doctest: +SKIP
        >>> store.save("acme", model); store.load("acme").model_version  # doctest: +SKIP
        '20260101T000000000Z-3f2a9c1d7e'
    """

    def __init__(self, root: str | Path) -> None:
        """Args:
            root: the folder holding one sub-folder per tenant.
        """
        self.root = Path(root)
        self._cache: dict[Path, MatchingModel] = {}
        self._listed: dict[Path, tuple[int, Path | None]] = {}
        self._lock = threading.Lock()

    def folder(self, tenant: str) -> Path:
        """The tenant's model folder (a digest when the tenant id is not a safe file name)."""
        name = tenant if _SAFE.match(tenant) and tenant not in (".", "..") else (
            "t-" + hashlib.sha256(tenant.encode()).hexdigest()[:16])
        return self.root / name

    def load(self, tenant: str) -> MatchingModel:
        """The tenant's newest model.

        Raises:
            ModelNotTrained: the tenant has no model yet.
        """
        newest = self._newest_file(self.folder(tenant))
        if newest is None:
            raise ModelNotTrained(
                f"tenant {tenant!r} has no matching model of its own (its records are linked "
                "by exact identifiers, close pairs judged by the shipped prior); one is "
                "trained by `stormops ingest` or `stormops match train` once it has enough "
                "records")
        return self._load(newest)

    def _newest_file(self, folder: Path) -> Path | None:
        """The folder's newest model file, listed again only when the folder has changed
        since (one stat per call instead of a listing: every online record asks)."""
        try:
            changed = folder.stat().st_mtime_ns
        except FileNotFoundError:
            return None
        with self._lock:
            known = self._listed.get(folder)
        if known is not None and known[0] == changed:
            return known[1]
        files = sorted(folder.glob("model-*.json"))
        newest = files[-1] if files else None
        with self._lock:
            self._listed[folder] = (changed, newest)
        return newest

    def load_or_prior(self, tenant: str) -> tuple[MatchingModel, bool]:
        """The model that judges the tenant's pairs: its own, or the shipped prior (True)."""
        try:
            return self.load(tenant), False
        except ModelNotTrained:
            return prior_model(), True

    def _load(self, path: Path) -> MatchingModel:
        """A model file, read once."""
        with self._lock:
            model = self._cache.get(path)
            if model is None:
                model = self._cache[path] = MatchingModel.load(path)
            return model

    def warm(self, limit: int = 20) -> int:
        """Load the newest model (and its scorer) of the `limit` tenants trained most
        recently, so their first online record does not pay for it; returns how many."""
        folders = sorted((p for p in self.root.glob("*") if p.is_dir()),
                         key=lambda p: p.stat().st_mtime, reverse=True)[:limit] \
            if self.root.is_dir() else []
        loaded = 0
        for folder in folders:
            files = sorted(folder.glob("model-*.json"))
            if files:
                self._load(files[-1]).scorer()
                loaded += 1
        return loaded

    def exists(self, tenant: str) -> bool:
        """Whether the tenant has a model."""
        return any(self.folder(tenant).glob("model-*.json"))

    def save(self, tenant: str, model: MatchingModel) -> Path:
        """Save a trained model as the tenant's newest; returns its path."""
        return model.save(self.folder(tenant))
