"""Where a browser session's CPU goes: Chromium's CPU seconds per new context, by what it opens.

bench/load.py finds that the headless Chromium driving the sessions spends 5-7 CPU seconds
on each, against 0.4-0.5 for the app. This splits that figure. The app runs on the sample
store as bench/load.py runs it; one headless Chromium (Debian's, through Playwright) opens
one new context at a time (a new analyst: no cache, no compiled code) and this process
measures the CPU seconds of Chromium's whole process tree from before the context is made
until after it is closed (its renderer's exit included), for:

- blank: ``about:blank``, what a new context costs Chromium whatever it shows;
- map alone: the map of the sample events as one HTML file (``geo.maps.offline.
  standalone_html``, Leaflet and the layers inlined; no Streamlit) until ``window.marsadDrawn``;
- page, no map: the app's map page with an empty document for the st_folium iframe (the page
  gets the map's message, but nothing loads Leaflet or draws it), until the sidebar's count is
  shown;
- map page: the app's map page until the map is painted (bench/load.py's ``paint``).

Each page is then left ``--settle`` seconds before the context closes, as a reader would.
The variants take turns, one context each, for ``--rounds`` rounds, after one warm-up of
each; the table gives the median CPU seconds and seconds to ready.

With ``--features-off LIST`` the same is run again with ``--disable-features=LIST`` added to
Chromium's switches, in the same run: a new headless window preloads the omnibox popup, a
WebUI page in a renderer of its own (chrome://omnibox-popup.top-chrome), for every context.

Usage::

    .venv/bin/python bench/browser_cpu.py --rounds 4
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  (bench/load.py: the app's start, the sample store, the waits)

OMNIBOX_POPUP = load.OMNIBOX_POPUP_OFF.split("=", 1)[1]
EMPTY_FRAME = "<!doctype html><title>no map</title>"   # what the map's iframe gets instead
VARIANTS = ("blank", "map alone", "page, no map", "map page")


def map_file(store: Path, folder: Path) -> Path:
    """The sample store's map as the app's first view draws it, as one self-contained file."""
    from geo.maps.aggregates import area_counts
    from geo.maps.build import build_event_map, fit_view
    from geo.maps.offline import standalone_html
    from geo.store import open_store

    events = open_store(store).read()
    center, zoom, bounds = fit_view(events)
    m = build_event_map(events, center=center, zoom=zoom, bounds=bounds,
                        areas=area_counts(events)[0])
    path = folder / "map.html"
    path.write_text(standalone_html(m), encoding="utf-8")
    return path


async def one(browser, chromium: int, variant: str, url: str, page_file: Path,
              settle_s: float, timeout_s: float) -> dict:
    """One new context showing ``variant``; Chromium's CPU seconds and the seconds to ready."""
    cpu = load.tree_cpu_seconds(chromium)
    context = await browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
    page = await context.new_page()
    page.set_default_timeout(timeout_s * 1000)
    t0 = time.perf_counter()
    if variant == "blank":
        await page.goto("about:blank")
    elif variant == "map alone":
        await page.goto(page_file.as_uri())
        await page.wait_for_function("() => window.marsadDrawn", polling=50)
    elif variant == "page, no map":
        await page.route("**/component/streamlit_folium.st_folium/**",
                         lambda route: route.fulfill(body=EMPTY_FRAME, content_type="text/html"))
        await page.goto(url)
        await page.wait_for_function(f"() => /^\\d+$/.test(({load.JS_METRIC})() || '')", polling=50)
    else:
        await page.goto(url)
        await load._drawn_count(page, timeout_s)
    ready = time.perf_counter() - t0
    await asyncio.sleep(settle_s)
    await context.close()
    await asyncio.sleep(0.5)   # the context's renderer exits and is reaped
    return {"variant": variant, "cpu_s": load.tree_cpu_seconds(chromium) - cpu, "ready_s": ready}


async def run(url: str, page_file: Path, rounds: int, settle_s: float, timeout_s: float,
              switch_sets: dict[str, list[str]]) -> list[dict]:
    from playwright.async_api import async_playwright

    results = []
    async with async_playwright() as pw:
        for label, extra in switch_sets.items():
            browser = await pw.chromium.launch(executable_path=load.CHROMIUM,
                                               args=load.CHROMIUM_ARGS + extra)
            chromium = load.browser_pid()
            await asyncio.sleep(2)   # the browser's own start settles
            rows = []
            for r in range(rounds + 1):   # round 0 warms up the server and the OS's caches
                for variant in VARIANTS[r % len(VARIANTS):] + VARIANTS[:r % len(VARIANTS)]:
                    row = await one(browser, chromium, variant, url, page_file, settle_s, timeout_s)
                    if r:
                        rows.append(row)
            await browser.close()
            for variant in VARIANTS:
                mine = [r for r in rows if r["variant"] == variant]
                result = {"chromium": label, "variant": variant, "contexts": len(mine),
                          "cpu_s": round(statistics.median(r["cpu_s"] for r in mine), 2),
                          "cpu_s_all": [round(r["cpu_s"], 2) for r in mine],
                          "ready_s": round(statistics.median(r["ready_s"] for r in mine), 2)}
                results.append(result)
                print(json.dumps(result), flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds a page stays open")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--features-off", default=OMNIBOX_POPUP,
                        help="Chromium features the second pass disables ('' for no second pass)")
    args = parser.parse_args(argv)

    switch_sets = {"default": []}
    if args.features_off:
        switch_sets["features off"] = [f"--disable-features={args.features_off}"]
    load.OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="marsad-bench-browser-") as folder:
        store = load.sample_store(Path(folder))
        page_file = map_file(store, Path(folder))
        proc, url = load.start_app(store, Path(folder) / "streamlit.log")
        try:
            results = asyncio.run(run(url, page_file, args.rounds, args.settle, args.timeout,
                                      switch_sets))
        finally:
            load.stop_app(proc)
    print(f"\n{'chromium':>13} {'variant':>14} {'CPU s':>6} {'ready s':>8}   (medians of {args.rounds})")
    for r in results:
        print(f"{r['chromium']:>13} {r['variant']:>14} {r['cpu_s']:>6} {r['ready_s']:>8}")
    path = load.OUT / f"browser-cpu-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"rounds": args.rounds, "settle_s": args.settle,
                                "features_off": args.features_off, "results": results}, indent=1))
    print(f"\nwritten: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
