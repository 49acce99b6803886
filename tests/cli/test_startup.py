"""The CLI starts without the heavy stack: Splink, DuckDB, numpy, scipy, pandas, the Neo4j
driver, FastAPI and the Kafka client load inside the commands that use them.

Behaviour, not timing (bench/cli_start.py measures the time): a fresh interpreter imports
`stormops.cli.main`, renders help, and says which of those modules it loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("splink", "duckdb", "numpy", "scipy", "pandas", "neo4j", "fastapi", "confluent_kafka")

_PROBE = """
import json, sys
from stormops.cli.main import app
try:
    app(sys.argv[1:], prog_name="stormops")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _loaded(*args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY), *args],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_importing_the_cli_loads_none_of_the_heavy_stack() -> None:
    out = subprocess.run(
        [sys.executable, "-c", f"import sys, stormops.cli.main; "
                               f"print([m for m in {HEAVY!r} if m in sys.modules])"],
        capture_output=True, text=True, check=True, timeout=120).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("args", [["--help"], ["ingest", "--help"], ["events", "load", "--help"],
                                  ["live", "run", "--help"], ["attribute", "storm", "--help"]])
def test_help_loads_none_of_the_heavy_stack(args: list[str]) -> None:
    assert _loaded(*args) == []


def test_a_command_still_loads_what_it_needs() -> None:
    """The probe can see a heavy module: `eval --help` runs the evaluation runner, which
    imports numpy."""
    assert "numpy" in _loaded("eval", "--help")


def test_resolve_loads_the_driver_without_numpy_or_pandas() -> None:
    """A lookup hands the driver no array or frame, so it loads without them
    (`graph.skip_dataframe_types`); whether the server answers does not change the imports."""
    loaded = _loaded("resolve", "-t", "startup-probe", "nobody@example.com")
    assert "neo4j" in loaded
    assert "numpy" not in loaded and "pandas" not in loaded


def test_a_process_that_loaded_numpy_keeps_the_drivers_numpy_support() -> None:
    """A process that loaded numpy may hand its values to the driver, so the driver is left
    to load its real optional dependencies."""
    probe = ("import sys\n"
             "from stormops.graph import skip_dataframe_types\n"
             "import numpy\n"
             "assert not skip_dataframe_types()\n"
             "import neo4j._optional_deps as deps\n"
             "print(deps.np is numpy)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert out.strip() == "True"
