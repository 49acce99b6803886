"""Per-tenant fitted mix models, versioned beside the tenant's matching models.

`<model_dir>/<tenant>/mmm/<version>.json` holds what the model is (channels, data window,
diagnostics, lift tests, settings) and `<version>.npz` the posterior draws the questions are
answered from; `<version>.nc` keeps PyMC-Marketing's whole inference data for audit and
re-use. Versions sort by time; the newest answers unless another is named.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from stormops.core.errors import InvalidInput, ModelNotTrained
from stormops.matching.store import ModelStore
from stormops.mmm.posterior import MixPosterior

_VERSION = re.compile(r"^\d{8}T\d{6}\d{3}Z-[0-9a-f]{8}$")


@dataclass(frozen=True)
class StoredMix:
    """A fitted model's description and its posterior."""

    info: dict[str, Any]
    posterior: MixPosterior


class MixStore:
    """Saves, lists and loads each tenant's fitted mix models.

    Example:
        >>> store = MixStore(settings.model_dir)  # doctest: +SKIP
        >>> store.load("acme").info["version"]  # doctest: +SKIP
        '20260101T000000000Z-3f2a9c1d'
    """

    def __init__(self, root: str | Path) -> None:
        self._models = ModelStore(root)

    def folder(self, tenant: str) -> Path:
        """The tenant's mix-model folder."""
        return self._models.folder(tenant) / "mmm"

    def save(self, tenant: str, info: dict[str, Any], posterior: MixPosterior,
             idata_path: Path | None = None) -> Path:
        """Store a fit under `info["version"]`; moves the inference data file beside it."""
        folder = self.folder(tenant)
        folder.mkdir(parents=True, exist_ok=True)
        version = info["version"]
        np.savez_compressed(folder / f"{version}.npz", lam=posterior.lam, beta=posterior.beta,
                            scale=posterior.scale, roi=posterior.roi, current=posterior.current)
        if idata_path is not None:
            idata_path.replace(folder / f"{version}.nc")
        path = folder / f"{version}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({**info, "channels": list(posterior.channels)}, indent=2),
                       encoding="utf-8")
        tmp.replace(path)  # the description last: a listed version is complete
        return path

    def versions(self, tenant: str) -> list[dict[str, Any]]:
        """Descriptions of the tenant's fits, newest first."""
        files = sorted(self.folder(tenant).glob("*.json"), reverse=True)
        return [json.loads(f.read_text(encoding="utf-8")) for f in files]

    def load(self, tenant: str, version: str | None = None) -> StoredMix:
        """The named fit, or the newest.

        Raises:
            ModelNotTrained: the tenant has no fit; InvalidInput: no such version.
        """
        folder = self.folder(tenant)
        if version is None:
            files = sorted(folder.glob("*.json"))
            if not files:
                raise ModelNotTrained(f"tenant {tenant!r} has no fitted mix model; fit one "
                                      "with `stormops mmm fit` or POST /v1/mmm/fits")
            path = files[-1]
        else:
            if not _VERSION.match(version) or not (folder / f"{version}.json").exists():
                raise InvalidInput(f"version: no mix model {version!r} for this tenant",
                                   field="version")
            path = folder / f"{version}.json"
        info = json.loads(path.read_text(encoding="utf-8"))
        with np.load(path.with_suffix(".npz")) as arrays:
            posterior = MixPosterior(tuple(info["channels"]), arrays["lam"], arrays["beta"],
                                     arrays["scale"], arrays["roi"], arrays["current"])
        return StoredMix(info, posterior)
