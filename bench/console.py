"""The console in a real Chromium: first paint of each page and reviewer decision latency.

Seeds a tenant (by default 20,000 identities and 2,000 open review items; `--identities`,
`--items` for the issue's 100k / 10k), starts the API and the console as `stormops console`
does, and drives Debian's chromium with Playwright:

- first paint: from the click (sign-in, or a navigation link) to the page's content drawn
  (the review item under review, the merge log's table), per page;
- decision: from pressing `A` to the item gone from the page with the merge written (the
  page shows the API's answer only after the transaction committed).

Targets: first paint <= 1.5 s p95 per page; decision <= 300 ms p95. Beside them, the same
reads and the same decision straight over HTTP in the same run (the API's share), as a ratio.
The machine is shared: read the ratios as much as the absolute times.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import numpy as np
from _common import save
from playwright.sync_api import Page, expect, sync_playwright

from stormops.cli.console import console_stack
from stormops.core.settings import Settings
from stormops.graph import IdentityGraph, apply_schema, delete_tenant, open_driver
from stormops.graph.api_keys import create_api_key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def p95_ms(seconds: list[float]) -> dict[str, float]:
    arr = np.asarray(seconds) * 1000.0
    return {"p50_ms": round(float(np.percentile(arr, 50)), 1),
            "p95_ms": round(float(np.percentile(arr, 95)), 1), "n": int(arr.size)}


def seed(graph: IdentityGraph, tenant: str, identities: int, items: int) -> None:
    """`identities` people; the first 2 x `items` in pairs a record then names both of."""
    rows = [{"property_id": f"P{n // 3}", "email": f"p{n}@example.com",
             "device_id": f"d{n}"} for n in range(identities)]
    graph.link_properties(tenant, rows)
    graph.link_properties(tenant, [{"email": f"p{2 * n}@example.com",
                                    "device_id": f"d{2 * n + 1}"} for n in range(items)])


def _caption(page: Page) -> str:
    text = page.get_by_text("· queued").first.inner_text()
    return text.split("·")[0].removeprefix("item").strip()


def measure(console_url: str, api_url: str, key: str, rounds: int) -> dict:
    paint = {"review": [], "audit": []}
    decisions: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        expect.set_options(timeout=60_000)
        for _ in range(rounds):  # sign-in -> the review queue drawn
            page.goto(console_url)
            page.get_by_label("API key", exact=True).fill(key)
            start = time.perf_counter()
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_text("· queued").first).to_be_visible()
            paint["review"].append(time.perf_counter() - start)
        for _ in range(rounds):  # navigation between pages
            start = time.perf_counter()
            page.get_by_role("link", name="Merge audit").click()
            expect(page.get_by_text("newest first").first).to_be_visible()
            paint["audit"].append(time.perf_counter() - start)
            page.get_by_role("link", name="Review queue").click()
            expect(page.get_by_text("· queued").first).to_be_visible()
        page.get_by_label("Reason for the decision (kept for the next item)").fill("bench")
        page.get_by_label("Reason for the decision (kept for the next item)").press("Enter")
        for _ in range(rounds):
            page.get_by_role("heading", name="Review queue").click()
            item = _caption(page)
            start = time.perf_counter()
            page.keyboard.press("a")
            expect(page.get_by_text(f"Approved (merged): {item}")).to_be_visible()
            expect(page.get_by_text(f"item {item} ·")).to_have_count(0)  # the next one drawn
            decisions.append(time.perf_counter() - start)
        browser.close()
    with httpx.Client(base_url=api_url, headers={"X-API-Key": key}) as api:
        approved = api.get("/v1/review", params={"status": "approved", "limit": 200}).json()
        assert approved["total"] == rounds, "every decision was written"
        reads, raw = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            first = api.get("/v1/review", params={"limit": 20}).json()["items"][0]
            api.get(f"/v1/review/{first['item_id']}").raise_for_status()
            reads.append(time.perf_counter() - start)
            start = time.perf_counter()
            api.post(f"/v1/review/{first['item_id']}",
                     json={"decision": "approve", "reason": "bench"}).raise_for_status()
            raw.append(time.perf_counter() - start)
    return {"first_paint": {page: p95_ms(s) for page, s in paint.items()},
            "decision": p95_ms(decisions), "api_queue_read": p95_ms(reads),
            "api_decision": p95_ms(raw)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--identities", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    settings = Settings()
    tenant = f"bench-console-{uuid.uuid4().hex[:8]}"
    with open_driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        graph = IdentityGraph(driver, settings.neo4j_database)
        try:
            start = time.perf_counter()
            seed(graph, tenant, args.identities, args.items)
            print(f"seeded {args.identities:,} identities, {args.items:,} open items in "
                  f"{time.perf_counter() - start:.0f} s")
            key = create_api_key(driver, settings.neo4j_database, tenant, "reviewer")
            logs = Path(tempfile.mkdtemp(prefix="bench-console-"))
            with console_stack(free_port(), free_port(), logs) as (url, api_url):
                figures = measure(url, api_url, key, args.rounds)
        finally:
            delete_tenant(driver, settings.neo4j_database, tenant)
    figures.update(identities=args.identities, items=args.items,
                   targets={"first_paint_p95_ms": 1500, "decision_p95_ms": 300})
    for page, fig in figures["first_paint"].items():
        print(f"first paint {page:7} p95 {fig['p95_ms']:7.0f} ms (target 1500)")
    d, r = figures["decision"], figures["api_decision"]
    print(f"decision        p95 {d['p95_ms']:7.0f} ms (target 300); the API alone "
          f"{r['p95_ms']:.0f} ms (x{d['p95_ms'] / r['p95_ms']:.1f})")
    q = figures["api_queue_read"]
    print(f"queue read over HTTP p95 {q['p95_ms']:.0f} ms (first paint x"
          f"{figures['first_paint']['review']['p95_ms'] / q['p95_ms']:.1f})")
    print(f"saved {save('console', figures)}")


if __name__ == "__main__":
    main()
