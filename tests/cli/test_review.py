"""`stormops review list|decide` and `merge --override-cannot-link` from a terminal."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from stormops.cli.main import app
from stormops.graph import IdentityGraph

runner = CliRunner()


def test_review_list_and_decide(graph: IdentityGraph, tenant: str) -> None:
    a = graph.link_property(tenant, None, {"email": "a@x.co", "device_id": "d-a"})
    b = graph.link_property(tenant, None, {"email": "b@x.co", "device_id": "d-b"})
    graph.link_property(tenant, None, {"email": "a@x.co", "device_id": "d-b"})
    listed = runner.invoke(app, ["review", "list", "-t", tenant, "--json"])
    assert listed.exit_code == 0, listed.output
    [item] = json.loads(listed.output)["items"]
    assert item["reason"] == "split_identifiers" and sorted(item["identity_ids"]) == sorted(
        [a, b])
    bad = runner.invoke(app, ["review", "list", "-t", tenant, "--reason", "vibes"])
    assert bad.exit_code == 1 and "reason: expected one of" in bad.output
    decided = runner.invoke(app, ["review", "decide", "-t", tenant, item["item_id"], "reject",
                                  "--reason", "twins"])
    assert decided.exit_code == 0 and json.loads(decided.output)["status"] == "rejected"
    again = runner.invoke(app, ["review", "decide", "-t", tenant, item["item_id"], "approve",
                                "--reason", "oops"])
    assert again.exit_code == 1 and "already rejected" in again.output
    refused = runner.invoke(app, ["merge", "-t", tenant, "--into", a, "--other", b,
                                  "--reason", "x"])
    assert refused.exit_code == 1 and "override_cannot_link" in refused.output
    merged = runner.invoke(app, ["merge", "-t", tenant, "--into", a, "--other", b,
                                 "--reason", "proof", "--override-cannot-link"])
    assert merged.exit_code == 0, merged.output
    assert graph.get_profile(tenant, b)["status"] == "merged"
