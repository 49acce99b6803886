"""The console in a real Chromium: first paint of every page and reviewer decision latency.

Seeds a tenant through the graph layer's bulk path (`IdentityGraph.link_properties`: batches
of rows, several transactions at a time): `--identities` people (default 100,000, three to
a property), then `--items` + `--merges` records that each name two of them, every one a
review item (default 10,000 left open). `--merges` of them are approved through the
reviewer's own path (`IdentityGraph.decide_review`) so the merge log has history. Then it
starts the API and the console as `stormops console` does and, beside them, a blank
two-page Streamlit app (the baseline: what Streamlit itself costs to draw a page), and
measures, for each page:

- browser: Debian's chromium driven by Playwright, from the click (sign-in or the navigation
  link) to the page's content drawn; the first of them (a cold start of every cache) apart;
- script: the page's script run headless (Streamlit's AppTest) against the same API, i.e.
  the API calls it makes plus Streamlit's rerun, without a browser (AppTest's own cost per
  run is the blank script's row);
- api: the page's API calls straight over HTTP.

So browser - script is the browser's share (websocket, layout, paint), script - api the
rerun's. The browser's waits check the page at every animation frame (`_shown`): Playwright's
`expect` polls at growing intervals (0, 20, 50, 100, 100, then every 500 ms), so a page drawn
at 300 ms would be seen at 770 ms, and a figure would tell the polling, not the console.
The decision is timed from pressing `A` to the next item drawn with the merge written (the
page shows the API's answer only after the transaction committed), beside the same POST
straight over HTTP. Targets: first paint <= 1.5 s p95 per page; decision <= 300 ms
p95. The machine is shared: read the ratios to the blank page as much as the absolute times.
Seeding 100k takes minutes: `--keep` keeps the tenant, `--tenant NAME` measures it again.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np
from _common import free_port, save
from playwright.sync_api import Page, expect, sync_playwright
from streamlit.logger import set_log_level
from streamlit.testing.v1 import AppTest

from stormops.cli.console import console_stack, process
from stormops.core.settings import Settings
from stormops.graph import IdentityGraph, apply_schema, delete_tenant, open_driver
from stormops.graph.api_keys import create_api_key

BLANK = '''
import streamlit as st

def first():
    st.title("Blank")
    st.write("blank page one drawn")

def second():
    st.title("Other")
    st.write("blank page two drawn")

st.navigation([st.Page(first, title="One", url_path="one", default=True),
               st.Page(second, title="Two", url_path="two")]).run()
'''


def stats(seconds: list[float]) -> dict[str, float]:
    arr = np.asarray(seconds) * 1000.0
    return {"p50_ms": round(float(np.percentile(arr, 50)), 1),
            "p95_ms": round(float(np.percentile(arr, 95)), 1), "n": int(arr.size)}


def seed(graph: IdentityGraph, tenant: str, identities: int, items: int) -> None:
    """`identities` people; the first 2 x `items` in pairs a record then names both of."""
    rows = ({"property_id": f"P{n // 3}", "email": f"p{n}@example.com", "device_id": f"d{n}"}
            for n in range(identities))
    graph.link_properties(tenant, rows, batch_size=2_000)
    graph.link_properties(tenant, ({"email": f"p{2 * n}@example.com",
                                    "device_id": f"d{2 * n + 1}"} for n in range(items)),
                          batch_size=1_000)


def approve(graph: IdentityGraph, api: httpx.Client, tenant: str, count: int) -> None:
    """Approve the oldest `count` items as a reviewer does (history for the merge log)."""
    left = count
    while left:
        page = api.get("/v1/review", params={"limit": min(left, 200)}).json()["items"]
        for item in page:
            graph.decide_review(tenant, item["item_id"], "approve", "key:seed", "seeded")
        left -= len(page)


def _view(module: str) -> None:
    """One console page as the app runs it once signed in (AppTest's script)."""
    import importlib

    from stormops.console import session

    if session.signed_in():
        importlib.import_module(module).PAGE.render()


def _blank() -> None:
    """The script baseline: what one AppTest run costs with no API call."""
    import streamlit as st

    st.title("Blank")


def script_times(key: str, module: str | None, rounds: int,
                 prepare: Callable[[AppTest], None]) -> list[float]:
    """A page's script run headless, fresh session each time (its API calls included); with
    no module, the blank script."""
    times = []
    for _ in range(rounds):
        app = (AppTest.from_function(_blank, default_timeout=120) if module is None else
               AppTest.from_function(_view, args=(f"stormops.console.views.{module}",),
                                     default_timeout=120))
        app.session_state["api_key"] = key
        prepare(app)
        start = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - start)
        assert not app.exception, app.exception
    return times


def api_times(api: httpx.Client, calls: Callable[[httpx.Client], None], rounds: int
              ) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        calls(api)
        times.append(time.perf_counter() - start)
    return times


def review_calls(api: httpx.Client) -> None:
    """What the review page asks on its first run: the key, the queue page, the first item."""
    api.get("/v1/me").raise_for_status()
    first = api.get("/v1/review", params={"limit": 20}).json()["items"][0]
    api.get(f"/v1/review/{first['item_id']}").raise_for_status()


def audit_calls(api: httpx.Client) -> None:
    api.get("/v1/me").raise_for_status()
    api.get("/v1/merges", params={"limit": 50}).raise_for_status()


def identity_calls(api: httpx.Client, email: str) -> None:
    api.get("/v1/me").raise_for_status()
    found = api.get("/v1/identities/search", params={"q": email}).json()["identity_id"]
    for path in ("", "/neighbourhood", "/profile", "/journeys"):
        api.get(f"/v1/identities/{found}{path}").raise_for_status()


def storms_calls(api: httpx.Client) -> None:
    api.get("/v1/me").raise_for_status()
    api.get("/v1/storms").raise_for_status()


def _timed(page: Page, click: Callable[[], None], drawn: Callable[[], None]) -> float:
    start = time.perf_counter()
    click()
    drawn()
    return time.perf_counter() - start


def _shown(page: Page, text: str, present: bool = True) -> None:
    """Wait until `text` is on the page (or, with `present=False`, no longer is), checked at
    every animation frame."""
    page.wait_for_function("([text, present]) => document.body.innerText.includes(text) "
                           "=== present", arg=[text, present], polling="raf", timeout=60_000)


def _caption(page: Page) -> str:
    text = page.get_by_text("· queued").first.inner_text()
    return text.split("·")[0].removeprefix("item").strip()


# Each page: its link in the navigation and the text that shows it drawn (its data, not its
# title).
PAGES: dict[str, tuple[str, str]] = {
    "audit": ("Merge audit", "newest first"),
    "identity": ("Identity", "Any identifier"),
    "experiments": ("Experiments", "no storm yet"),
    "incrementality": ("Incrementality", "no storm yet"),
    "attribution": ("Attribution", "no storm yet"),
    "cockpit": ("Storm cockpit", "no storm yet"),
}


def browser_times(console_url: str, blank_url: str, key: str, email: str, rounds: int
                  ) -> dict[str, list[float]]:
    """First paints and decisions in Chromium; the blank app's page load and page switch."""
    times: dict[str, list[float]] = {name: [] for name in
                                     ("blank_load", "blank_switch", "review", *PAGES,
                                      "identity_search", "decision")}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        expect.set_options(timeout=60_000)
        for _ in range(rounds):  # the baseline: a blank Streamlit app
            times["blank_load"].append(_timed(
                page, lambda: page.goto(blank_url),
                lambda: _shown(page, "blank page one drawn")))
            times["blank_switch"].append(_timed(
                page, lambda: page.get_by_role("link", name="Two").click(),
                lambda: _shown(page, "blank page two drawn")))
        for _ in range(rounds):  # sign-in -> the review queue drawn
            page.goto(console_url)
            page.get_by_label("API key", exact=True).fill(key)
            times["review"].append(_timed(
                page, lambda: page.get_by_role("button", name="Sign in").click(),
                lambda: _shown(page, "· queued")))
        for _ in range(rounds):  # every other page from the navigation, and back
            for name, (link, drawn) in PAGES.items():
                times[name].append(_timed(
                    page, lambda link=link: page.get_by_role("link", name=link).click(),
                    lambda drawn=drawn: _shown(page, drawn)))
            page.get_by_role("link", name="Identity").click()
            page.get_by_label("Any identifier").fill(email)
            times["identity_search"].append(_timed(
                page, lambda: page.get_by_role("button", name="Find").click(),
                lambda: _shown(page, "Identifiers and link strengths")))
            page.get_by_role("link", name="Review queue").click()
            expect(page.get_by_text("· queued").first).to_be_visible()
        page.get_by_label("Reason for the decision (kept for the next item)").fill("bench")
        page.get_by_label("Reason for the decision (kept for the next item)").press("Enter")
        for _ in range(rounds):
            page.get_by_role("heading", name="Review queue").click()
            item = _caption(page)
            times["decision"].append(_timed(
                page, lambda: page.keyboard.press("a"),
                lambda item=item: (_shown(page, f"Approved (merged): {item}"),
                                   _shown(page, f"item {item} ·", present=False))))
            page.wait_for_timeout(300)  # a reviewer reads the next item before deciding
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "bench-console-review.png"),
                        full_page=True)
        browser.close()
    return times


def measure(console_url: str, blank_url: str, api_url: str, key: str, rounds: int
            ) -> dict[str, dict]:
    email = "p4@example.com"

    def approved(api: httpx.Client) -> int:
        return api.get("/v1/review", params={"status": "approved", "limit": 1}).json()["total"]

    with httpx.Client(base_url=api_url, headers={"X-API-Key": key}, timeout=60) as api:
        before = approved(api)
        browser = browser_times(console_url, blank_url, key, email, rounds)
        assert approved(api) == before + rounds, "every decision in the browser was written"
    os.environ["STORMOPS_API_URL"] = api_url  # AppTest runs the console in this process
    set_log_level("error")  # its runs outside a server warn on every cached call
    with httpx.Client(base_url=api_url, headers={"X-API-Key": key}, timeout=60) as api:
        api_side = {
            "review": api_times(api, review_calls, rounds),
            "audit": api_times(api, audit_calls, rounds),
            "identity_search": api_times(api, lambda a: identity_calls(a, email), rounds),
            **{name: api_times(api, storms_calls, rounds)
               for name in ("experiments", "incrementality", "attribution", "cockpit")},
        }
        decisions = []
        for _ in range(rounds):
            first = api.get("/v1/review", params={"limit": 1}).json()["items"][0]
            start = time.perf_counter()
            api.post(f"/v1/review/{first['item_id']}",
                     json={"decision": "approve", "reason": "bench"}).raise_for_status()
            decisions.append(time.perf_counter() - start)
        api_side["decision"] = decisions

    def nothing(app: AppTest) -> None:
        return None

    def searched(app: AppTest) -> None:
        app.query_params["q"] = email

    script_side = {name: script_times(key, module, rounds, prepare) for name, module, prepare
                   in (("blank", None, nothing), ("review", "review", nothing),
                       ("audit", "audit", nothing),
                       ("identity_search", "profile", searched),
                       ("experiments", "experiments", nothing),
                       ("incrementality", "incrementality", nothing),
                       ("attribution", "attribution", nothing),
                       ("cockpit", "cockpit", nothing))}
    return {"browser": browser, "script": script_side, "api": api_side}


def report(times: dict[str, dict]) -> dict[str, dict]:
    """p50/p95 per page and step, the ratio to the blank page; prints the table."""
    browser, script, api = times["browser"], times["script"], times["api"]
    blank = stats(browser["blank_switch"])
    print(f"blank Streamlit page: load p50 {stats(browser['blank_load'])['p50_ms']:.0f} ms, "
          f"page switch p50 {blank['p50_ms']:.0f} / p95 {blank['p95_ms']:.0f} ms; a blank "
          f"script's AppTest run p50 {stats(script['blank'])['p50_ms']:.0f} ms")
    print(f"{'page':16} {'browser p50/p95':>17} {'first':>6} {'script p50':>10} "
          f"{'api p50':>8} {'x blank p95':>11}  target")
    figures: dict[str, dict] = {"blank_load": stats(browser["blank_load"]),
                                "blank_switch": blank, "blank_script": stats(script["blank"])}
    for name in ("review", *PAGES, "identity_search", "decision"):
        seen = stats(browser[name][1:] if len(browser[name]) > 1 else browser[name])
        row = {"browser": seen, "browser_first_ms": round(browser[name][0] * 1000, 1),
               "script": stats(script[name]) if name in script else None,
               "api": stats(api[name]) if name in api else None}
        figures[name] = row
        target = 300 if name == "decision" else 1500
        sp = f"{row['script']['p50_ms']:.0f}" if row["script"] else "-"
        ap = f"{row['api']['p50_ms']:.0f}" if row["api"] else "-"
        print(f"{name:16} {seen['p50_ms']:7.0f} /{seen['p95_ms']:7.0f} ms "
              f"{row['browser_first_ms']:6.0f} {sp:>10} {ap:>8} "
              f"{seen['p95_ms'] / blank['p95_ms']:11.1f}  p95 <= {target}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--identities", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=10_000,
                        help="open review items left when the measuring starts")
    parser.add_argument("--merges", type=int, default=500,
                        help="items approved while seeding (the merge log's history)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--tenant", help="measure this tenant, seeded by an earlier run with "
                                         "--keep, instead of seeding a new one")
    parser.add_argument("--keep", action="store_true",
                        help="keep the seeded tenant (its name is printed) for --tenant")
    args = parser.parse_args()
    settings = Settings()
    tenant = args.tenant or f"bench-console-{uuid.uuid4().hex[:8]}"
    logs = Path(tempfile.mkdtemp(prefix="bench-console-"))
    blank_app = logs / "blank.py"
    blank_app.write_text(BLANK)
    with open_driver(settings) as driver:
        apply_schema(driver, settings.neo4j_database)
        graph = IdentityGraph(driver, settings.neo4j_database)
        try:
            start = time.perf_counter()
            if not args.tenant:
                seed(graph, tenant, args.identities, args.items + args.merges)
            seeded = time.perf_counter() - start
            key = create_api_key(driver, settings.neo4j_database, tenant, "reviewer")
            blank_port = free_port()
            with console_stack(free_port(), free_port(), logs) as (url, api_url), process(
                    [sys.executable, "-m", "streamlit", "run", str(blank_app),
                     "--server.port", str(blank_port), "--server.headless", "true",
                     "--browser.gatherUsageStats", "false"],
                    f"http://127.0.0.1:{blank_port}/_stcore/health", "the blank app",
                    logs / "blank.log", {}):
                with httpx.Client(base_url=api_url, headers={"X-API-Key": key},
                                  timeout=60) as api:
                    start = time.perf_counter()
                    approve(graph, api, tenant, args.merges)
                    approving = time.perf_counter() - start
                made = ("reused (seeded by an earlier run)" if args.tenant else
                        f"seeded {args.identities:,} identities and "
                        f"{args.items + args.merges:,} review items in {seeded:.0f} s "
                        "(link_properties)")
                print(f"tenant {tenant}: {made}, approved {args.merges:,} in {approving:.0f} s")
                times = measure(url, f"http://127.0.0.1:{blank_port}", api_url, key,
                                args.rounds)
        finally:
            if not (args.keep or args.tenant):
                delete_tenant(driver, settings.neo4j_database, tenant)
    figures = report(times)
    figures["setup"] = {"identities": args.identities, "items": args.items,
                        "merges": args.merges, "rounds": args.rounds,
                        "load": os.getloadavg()}
    print(f"load average {os.getloadavg()[0]:.1f}; screenshot of the review page: "
          f"{Path(tempfile.gettempdir()) / 'bench-console-review.png'}")
    print(f"saved {save('console', figures)}")


if __name__ == "__main__":
    main()
