"""In a real Chromium (Debian's, driven by Playwright): sign in with a reader key, open a
person's profile and read a storm's incrementality page; what each shows is what the graph
holds. Screenshots go where `conftest.screenshot_path` says."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from stormops.cli.console import process, streamlit_command
from tests.console import marketing_fixtures
from tests.console.conftest import screenshot_path
from tests.console.marketing_fixtures import Seeded, api

seeded = marketing_fixtures.seeded  # the module's fixture
WAIT = 120_000  # ms: the shared machine is slow


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def console_url(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _port()
    log = tmp_path_factory.mktemp("console") / "console.log"
    with process(streamlit_command(port), f"http://127.0.0.1:{port}/_stcore/health",
                 "the console", log, {"STORMOPS_API_URL": seeded.api_url}):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def page(console_url: str, seeded: Seeded) -> Iterator[Page]:
    """A browser page signed in with the reader key."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.set_default_timeout(WAIT)
        tab.goto(console_url)
        tab.get_by_label("API key", exact=True).fill(seeded.keys["reader"])
        tab.get_by_role("button", name="Sign in").click()
        expect(tab.get_by_text(f"{seeded.tenant}", exact=False).first).to_be_visible()
        try:
            yield tab
        finally:
            browser.close()


def _drawn(page: Page, *, charts: int, tables: int) -> None:
    """Wait until the charts and tables have drawn (each is a canvas), so the screenshot
    shows them."""
    page.wait_for_function(f"document.querySelectorAll('canvas').length >= {charts + tables}",
                           timeout=WAIT)
    page.wait_for_timeout(1000)


def test_open_a_profile(page: Page, seeded: Seeded) -> None:
    with api(seeded) as http:
        found = http.get("/v1/identities/search", params={"q": seeded.email}).json()
        identity = http.get(f"/v1/identities/{found['identity_id']}").json()
        profile = http.get(f"/v1/identities/{found['identity_id']}/profile").json()
    page.get_by_role("link", name="Identity").click()
    page.get_by_label("Any identifier", exact=True).fill(seeded.email)
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text(f"Identity {found['identity_id']}")).to_be_visible()
    expect(page.get_by_text(f"${profile['lifetime_value'] or 0:,.2f}")).to_be_visible()
    expect(page.get_by_text("Journeys per storm")).to_be_visible()
    emails = [i["value"] for i in identity["identifiers"] if i["type"] == "email"]
    assert seeded.email.strip().lower() in emails  # the identifier found is the person's
    _drawn(page, charts=2, tables=2)
    page.screenshot(path=screenshot_path("identity"), full_page=True)


def test_read_the_incrementality_page(page: Page, seeded: Seeded) -> None:
    with api(seeded) as http:
        report = http.get(f"/v1/reports/storms/{seeded.storm}").json()
    page.get_by_role("link", name="Incrementality").click()
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=re.compile(re.escape(f"({seeded.storm})"))).click()
    expect(page.get_by_text(report["headline"])).to_be_visible()
    overall = report["overall"]
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(
        f"{overall['estimate'] * 100:+.1f} pts")
    expect(page.get_by_text("Lift by channel")).to_be_visible()
    expect(page.get_by_text("Lift by play")).to_be_visible()
    expect(page.get_by_role("button", name="Download the HTML report")).to_be_visible()
    _drawn(page, charts=3, tables=2)
    page.screenshot(path=screenshot_path("incrementality"), full_page=True)


def test_read_the_mix_page_and_optimize(page: Page, seeded: Seeded) -> None:
    with api(seeded) as http:
        best = http.post("/v1/mmm/optimize", json={
            "total": sum(c["weekly_spend"] for c in http.get("/v1/mmm/roi").json()[
                "channels"].values())}).json()
    page.get_by_role("link", name="Marketing mix").click()
    expect(page.get_by_text("ROI per channel (94% interval)")).to_be_visible()
    expect(page.get_by_text("Weekly response curves")).to_be_visible()
    page.get_by_role("button", name="Optimize").click()
    expect(page.get_by_text("Expected weekly revenue")).to_be_visible()
    # the console's default budget is the current total rounded to the dollar
    expect(page.get_by_test_id("stMetricValue").filter(
        has_text=re.compile(r"^\$[\d,]+$")).first).to_be_visible()
    assert best["risk"] == 2.0
    _drawn(page, charts=3, tables=3)
    page.screenshot(path=screenshot_path("mix"), full_page=True)
    page.get_by_text("Against the current split").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=screenshot_path("mix-optimizer"))
