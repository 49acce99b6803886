"""The console in a real Chromium (Debian's package, driven by Playwright): sign in, approve
one candidate from the keyboard, reject another, undo a merge; the graph is checked through
the API after each. Screenshots of each page go where `conftest.screenshot_path` says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.api.test_review import SARA, SARAH
from tests.console.conftest import Tenant, screenshot_path

CHROMIUM = "/usr/bin/chromium"
WAIT = 90_000  # ms; a loaded 2-core machine
expect.set_options(timeout=WAIT)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(WAIT)
    yield opened
    context.close()


def _sign_in(page: Page, console_url: str, key: str, shot: str | None = None) -> None:
    page.goto(console_url)
    page.get_by_label("API key", exact=True).fill(key)
    if shot:
        page.screenshot(path=screenshot_path(shot))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()


def test_a_reviewer_works_the_queue_and_undoes_a_merge(
    page: Page, console_url: str, api_url: str, seeded: Tenant
) -> None:
    first, second = seeded.items[:2]
    _sign_in(page, console_url, seeded.keys["reviewer"], shot="sign-in")
    expect(page.get_by_text(f"item {first['item_id']}")).to_be_visible()
    page.get_by_label("Reason for the decision (kept for the next item)").fill("same device")
    page.get_by_label("Reason for the decision (kept for the next item)").press("Enter")
    page.get_by_role("heading", name="Review queue").click()  # focus off the text field
    page.screenshot(path=screenshot_path("review-queue"))
    page.keyboard.press("a")
    expect(page.get_by_text(f"Approved (merged): {first['item_id']}")).to_be_visible()
    expect(page.get_by_text(f"item {second['item_id']}")).to_be_visible()
    with seeded.api(api_url) as api:
        [merge] = api.get("/v1/merges").json()["events"]
        assert {merge["into"], merge["other"]} == set(first["identity_ids"])
        assert api.get(f"/v1/identities/{merge['other']}").json()["status"] == "merged"
    page.get_by_role("heading", name="Review queue").click()
    page.keyboard.press("x")
    expect(page.get_by_text(f"Rejected (kept apart): {second['item_id']}")).to_be_visible()
    with seeded.api(api_url) as api:
        assert [i["item_id"] for i in api.get("/v1/review", params={"status": "rejected"}
                                               ).json()["items"]] == [second["item_id"]]
        assert api.get("/v1/review").json()["total"] == 1

    page.get_by_role("link", name="Merge audit").click()
    expect(page.get_by_role("heading", name="Merge audit")).to_be_visible()
    page.get_by_label("Reason for the undo").first.fill("a second look: twins")
    page.get_by_label("Reason for the undo").first.press("Enter")
    expect(page.get_by_text("What moved")).to_be_visible()
    page.wait_for_function("document.querySelectorAll('[data-testid=stDataFrame] canvas')"
                           ".length > 0 && !document.querySelector('[data-stale=true]')")
    page.screenshot(path=screenshot_path("merge-audit"))
    page.get_by_role("button", name="Undo this merge").first.click()
    expect(page.get_by_text("Undone: ")).to_be_visible()
    with seeded.api(api_url) as api:
        assert api.get(f"/v1/identities/{merge['other']}").json()["status"] == "active"
        assert [e["kind"] for e in api.get("/v1/merges").json()["events"]] == [
            "unmerge", "merge"]


def test_a_reader_pages_to_a_scored_pair_without_decision_buttons(
    page: Page, console_url: str, api_url: str, seeded: Tenant
) -> None:
    with seeded.api(api_url, "service") as api:  # a close pair, scored by the prior
        for record in (SARAH, SARA):
            api.post("/v1/records", json=record).raise_for_status()
    _sign_in(page, console_url, seeded.keys["reader"])
    expect(page.get_by_role("button", name="Next (N)")).to_be_visible()
    expect(page.get_by_role("button", name="Approve (A)")).to_have_count(0)
    for n in range(2, 5):
        page.get_by_role("heading", name="Review queue").click()
        page.keyboard.press("n")
        expect(page.get_by_text(f"Item {n} of 4 open")).to_be_visible()
    expect(page.get_by_text("final probability")).to_be_visible()
    expect(page.locator(".vega-embed canvas, .vega-embed svg").first).to_be_visible()
    page.screenshot(path=screenshot_path("review-queue-waterfall"), full_page=True)
