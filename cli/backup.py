"""`stormops backup` and `stormops restore`: the graph, the matching models and the
configuration in one archive.

Neo4j Community dumps and loads a database only while it is stopped, so both commands stop
the local server (`stormops neo4j start`), do their work and start it again; they refuse to
unless told `--stop`, since clients see the server unavailable meanwhile. The server is
started again whatever happens in between. The archive (`.tar.gz`) holds:

    manifest.json      when, Neo4j version, database, the graph's digest (graph/digest.py)
                       as dumped, and the SHA-256 of every other member
    neo4j.dump         `neo4j-admin database dump` of the database
    models/<tenant>/   every tenant's matching model files
    config/neo4j.conf  the server configuration; config/settings.json the runtime settings
                       (never the password)

A restore checks every member against the manifest before touching anything, loads the dump
over the database, puts the models back (the models it replaces are kept beside the folder),
starts the server and compares the graph's digest with the manifest's.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stormops.cli import _jvm, neo4j_local
from stormops.cli._jvm import LocalServerError
from stormops.cli.neo4j_local import ADMIN_TOOL
from stormops.core.settings import Settings
from stormops.services import Services

FORMAT = "stormops.backup/1"
_SETTINGS = ("neo4j_database", "bolt_port", "http_port", "neo4j_heap", "neo4j_pagecache",
             "phone_region", "max_body_bytes", "env")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under root."""
    return {str(p.relative_to(root)): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _admin(settings: Settings, *args: str) -> None:
    layout = neo4j_local.layout(settings)
    _jvm.run_tool(layout, ADMIN_TOOL, ["database", *args], f"neo4j-admin database {args[0]}",
                  env=neo4j_local._java_env(layout))


@contextmanager
def _stopped(settings: Settings, stop: bool, log: Callable[[str], None]) -> Iterator[None]:
    """The local server stopped for the block (when it ran), and started again after it."""
    running = neo4j_local.status(settings).running
    if running and not stop:
        raise LocalServerError(
            "Neo4j Community dumps and loads only a stopped database: pass --stop to stop the "
            "local server for the duration (clients see it unavailable) and start it again")
    if running:
        log("Stopping Neo4j for the duration ...")
        neo4j_local.stop(settings, log=log)
    started = time.monotonic()
    try:
        yield
    finally:
        if running:
            neo4j_local.start(settings, timeout=600, log=log)  # recovery is slow on a busy host
            log(f"Neo4j was unavailable for {time.monotonic() - started:.0f} s.")


def backup(settings: Settings, output: Path, stop: bool,
           log: Callable[[str], None] = print) -> dict[str, Any]:
    """Write the archive; returns its manifest."""
    layout = neo4j_local.layout(settings)
    with tempfile.TemporaryDirectory(prefix="stormops-backup-") as tmp:
        root = Path(tmp)
        if neo4j_local.status(settings).running:
            with Services(settings) as services:
                graph = services.digest()
        else:
            graph = None  # read after the dump, from the server started for it
        with _stopped(settings, stop, log):
            _admin(settings, "dump", settings.neo4j_database, f"--to-path={root}",
                   "--overwrite-destination=true")
        (root / f"{settings.neo4j_database}.dump").rename(root / "neo4j.dump")
        if settings.model_dir.is_dir():
            shutil.copytree(settings.model_dir, root / "models")
        (root / "config").mkdir()
        if (layout.conf / "neo4j.conf").exists():
            shutil.copy2(layout.conf / "neo4j.conf", root / "config" / "neo4j.conf")
        (root / "config" / "settings.json").write_text(json.dumps(
            {name: str(getattr(settings, name)) for name in _SETTINGS}, indent=2))
        manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(),
                    "neo4j_version": neo4j_local.version(layout),
                    "database": settings.neo4j_database, "graph": graph,
                    "files": _files(root)}
        (root / "manifest.json").write_text(json.dumps(manifest, indent=2))
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            for path in sorted(root.iterdir()):
                archive.add(path, arcname=path.name)
        partial.replace(output)  # never a half-written archive under the real name
    return manifest


def restore(settings: Settings, archive: Path, stop: bool,
            log: Callable[[str], None] = print) -> dict[str, Any]:
    """Load an archive written by `backup`; returns its manifest with the graph as loaded
    (`restored`).

    Raises:
        LocalServerError: a member does not match the manifest (nothing was changed), or the
            server could not be stopped, loaded or started.
    """
    with tempfile.TemporaryDirectory(prefix="stormops-restore-") as tmp:
        root = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(root, filter="data")
        manifest = json.loads((root / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise LocalServerError(f"{archive} is not a stormops backup ({FORMAT})")
        found = {name: digest for name, digest in _files(root).items() if name != "manifest.json"}
        if found != manifest["files"]:
            bad = sorted(set(found.items()) ^ set(manifest["files"].items()))
            raise LocalServerError(f"{archive} is damaged: {bad[0][0]} does not match its "
                                  "manifest; nothing was restored")
        dumps = root / "dumps"
        dumps.mkdir()
        (root / "neo4j.dump").rename(dumps / f"{settings.neo4j_database}.dump")
        with _stopped(settings, stop, log):
            _admin(settings, "load", settings.neo4j_database, f"--from-path={dumps}",
                   "--overwrite-destination=true")
            _replace_models(settings.model_dir, root / "models", log)
        if neo4j_local.status(settings).running:
            with Services(settings) as services:
                manifest["restored"] = services.digest()
    return manifest


def _replace_models(model_dir: Path, saved: Path, log: Callable[[str], None]) -> None:
    """Put the archive's models in place; the ones replaced are kept beside the folder."""
    if model_dir.exists():
        kept = model_dir.with_name(f"{model_dir.name}.before-restore-"
                                   f"{datetime.now(UTC):%Y%m%dT%H%M%S}")
        model_dir.rename(kept)
        log(f"Models replaced; the previous ones are in {kept}.")
    if saved.is_dir():
        shutil.copytree(saved, model_dir)
    else:
        model_dir.mkdir(parents=True)
