"""The Neo4j Browser guide and style the API serves, and the server config that allows them."""

from __future__ import annotations

import re

import httpx

from stormops.cli.neo4j_local import layout, write_conf
from stormops.core.settings import Settings


def test_the_guide_has_every_saved_query_as_a_runnable_block(client: httpx.Client) -> None:
    page = client.get("/browser/guide.html")
    assert page.status_code == 200 and page.headers["access-control-allow-origin"] == "*"
    slides = re.findall(r"<slide.*?</slide>", page.text, re.S)
    titles = [re.search(r"<h3>(.*?)</h3>", s).group(1) for s in slides]
    assert {"Open review queue", "Merge log"} <= set(titles)
    queue = slides[titles.index("Open review queue")]
    assert 'class="pre-scrollable code runnable"' in queue and "ReviewItem" in queue
    assert f":style {client.base_url}/browser/style.grass" in page.text
    style = client.get("/browser/style.grass").text
    assert "node.Identity {\n  caption: '{identity_id}';" in style
    assert "node.Identifier {\n  caption: '{value}';" in style


def test_the_server_config_allows_the_api_to_serve_guides(tmp_path) -> None:
    settings = Settings(neo4j_home=tmp_path, api_url="http://127.0.0.1:8123/")
    conf = write_conf(layout(settings), settings).read_text()
    allowed = re.search(r"^browser.remote_content_hostname_whitelist=(.*)$", conf, re.M)
    assert "127.0.0.1" in allowed.group(1).split(",")  # the Browser matches hosts
    assert "http://127.0.0.1:8123/browser/guide.html" in conf
