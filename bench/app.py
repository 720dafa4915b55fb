"""The real app at scale: first paint, filter changes and server memory at 10k, 100k and 1M events.

    .venv/bin/python bench/app.py [--sizes 10000 100000 1000000] [--label after] [--timeout 240]
                                  [--index kept|fresh] [--steps]
    git archive 1a2b3c4 | tar -x -C /tmp/before && .venv/bin/python bench/app.py --app /tmp/before --label before

For each size, ``streamlit run app.py`` is started (as bench/load.py starts it: 127.0.0.1, a
free port) with MARSAD_DB on a synthetic GeoPackage of that many events (bench/store.py's
generator, cached under bench/out/store_<n>.gpkg), and Debian's headless Chromium drives it
through Playwright. Measured, in one run, per size:

- cold paint: a fresh server's first session, from navigation until the sidebar's count is
  shown (``count_s`` in the JSON: the server's run has reached the browser) and the map inside the st_folium iframe has painted (``window.marsadDrawn``) with as
  many event features as the count says, or, when the map shows aggregates instead of every
  event, with an aggregate layer standing for that many events (``window.marsadAggregated``);
- type filter: the Event type box set to «attack» (a broad filter, a sixth of the events)
  until the new count is shown and the map has painted again;
- date filter: then the Dates slider's start moved to the last day (a narrow filter);
- warm paint: a second, new session on the same server (what every later analyst sees:
  the store's reads are cached by then);
- server memory: the streamlit process tree's RSS at the end and its peak (VmHWM);
- websocket: the largest frame the browser received from the server and all bytes received,
  from Playwright's ``websocket`` events; a "message size limit" error in the page or the
  server log is a failure.

The app keeps a GeoPackage's event index and widget choices in a file beside it
(``geo/store/index_file.py``), so what a fresh server pays first depends on that file:
``--index kept`` (the default) builds it, untimed, before the server starts (a store some
server or ingest has indexed before, the usual case); ``--index fresh`` deletes it (the first
server ever on the store, which scans the events and writes the file). An app without the file
(``--app`` an older checkout) is measured as it is.

``--steps`` times instead the server's calls for a cold map page one by one in a fresh process
(imports, gazetteer, store, filter choices, index, bins, page, map), without Streamlit or a
browser: where a cold session's server time goes.

10k is the same-run baseline: the table gives every figure's ratio to it, because this
machine's two cores are shared. The rows go to bench/out/app-<label>-<time>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import CHROMIUM, CHROMIUM_ARGS, JS_METRIC, MAP_IFRAME, start_app, stop_app  # noqa: E402

OUT = ROOT / "bench" / "out"
TARGETS = {100_000: {"paint_s": 4.0, "filter_s": 1.5}, 1_000_000: {"paint_s": 6.0, "filter_s": 3.0,
                                                                  "rss_mb": 1536}}
# A run whose server passes this is stopped (the machine is shared): the row says so.
RSS_CEILING_MB = 12_000
SIZE_LIMIT = re.compile(r"exceeds the message size limit|MessageSizeError", re.I)

# The painted map's state, cheap enough to poll: the count shown, whether the iframe's map has
# painted since the mark was cleared, and how many events an aggregate layer stands for.
JS_STATE = """(sel) => {
  const shown = (%s)();
  const f = document.querySelector(sel), w = f && f.contentWindow;
  return {shown: shown, drawn: !!(w && w.map && w.marsadDrawn),
          aggregated: w && w.marsadAggregated !== undefined ? w.marsadAggregated : null};
}""" % JS_METRIC
# The event features the map built (clustered ones included, which eachLayer does not visit).
JS_DRAWN_COUNT = """(sel) => {
  const f = document.querySelector(sel), w = f && f.contentWindow;
  if (!w || !w.map || !w.marsadDrawn) return null;
  return w.map._marsad ? Object.keys(w.map._marsad.records).length : 0;
}"""
JS_CLEAR = """(sel) => {
  const f = document.querySelector(sel), w = f && f.contentWindow;
  if (w) { w.marsadDrawn = null; }
}"""


def ensure_store(n: int) -> Path:
    """bench/store.py's synthetic store of ``n`` events, built once and cached under bench/out."""
    path = OUT / f"store_{n}.gpkg"
    if not path.exists():
        from store import build   # bench/store.py
        print(f"building {path.relative_to(ROOT)} ({n:,} events)", flush=True)
        build(path, n)
    return path


def _children(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def _status_kb(pid: int, field: str) -> int:
    try:
        match = re.search(rf"{field}:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def tree_rss_mb(pid: int, field: str = "VmRSS") -> float:
    """The RSS of ``pid`` and every process under it, in MB (``field="RssAnon"``: without the
    pages of files it maps, such as the store's memory-mapped GeoPackage)."""
    return sum(_status_kb(p, field) for p in _children(pid)) / 1024


class RssWatch:
    """Polls a process tree's RSS every 0.2 s: the peak, and a flag once it passes the ceiling."""

    def __init__(self, pid: int, ceiling_mb: float) -> None:
        self.pid, self.ceiling, self.peak, self.over = pid, ceiling_mb, 0.0, False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            rss = tree_rss_mb(self.pid)
            self.peak = max(self.peak, rss)
            if rss > self.ceiling:
                self.over = True

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


class Frames:
    """The websocket frames a page received: the largest and the total bytes, per phase."""

    def __init__(self, page) -> None:
        self.largest = self.total = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        size = len(payload.encode() if isinstance(payload, str) else payload)
        self.largest = max(self.largest, size)
        self.total += size

    def take(self) -> dict:
        got = {"ws_largest_mb": round(self.largest / 2**20, 2), "ws_total_mb": round(self.total / 2**20, 2)}
        self.largest = self.total = 0
        return got


async def painted(page, t0: float, timeout_s: float, watch: RssWatch, *, differs_from: str | None = None) -> dict:
    """Wait until the count is a number (other than ``differs_from``) and the map has painted it."""
    deadline = t0 + timeout_s
    counted = None
    while True:
        state = await page.evaluate(JS_STATE, MAP_IFRAME)
        shown = state["shown"]
        fresh = bool(shown and re.fullmatch(r"\d+", shown) and shown != differs_from)
        if fresh and counted is None:
            counted = time.perf_counter() - t0   # the server's run has reached the browser
        if fresh and state["drawn"]:
            break
        if watch.over:
            raise RuntimeError(f"server RSS passed {watch.ceiling} MB")
        if await page.get_by_text(SIZE_LIMIT).count():
            raise RuntimeError("message size limit: " + (await page.get_by_text(SIZE_LIMIT).first.inner_text())[:200])
        if time.perf_counter() > deadline:
            raise TimeoutError(f"not painted in {timeout_s:.0f} s (count {shown!r}, drawn {state['drawn']})")
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - t0
    # Checked once, untimed: the map draws every counted event, or an aggregate layer stands for them.
    features = await page.evaluate(JS_DRAWN_COUNT, MAP_IFRAME)
    aggregated = state["aggregated"]
    count = int(shown)
    if features != count and aggregated != count:
        raise RuntimeError(f"the map shows {features} features (aggregated {aggregated}) for a count of {count}")
    return {"s": round(elapsed, 2), "count_s": round(counted, 2), "count": count, "features": features,
            "aggregated": aggregated}


async def _new_page(browser, timeout_s: float):
    context = await browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
    page = await context.new_page()
    page.set_default_timeout(timeout_s * 1000)
    return context, page


async def drive(url: str, pid: int, timeout_s: float) -> dict:
    """One server: a cold session (paint, type filter, date filter), then a warm session's paint."""
    from playwright.async_api import async_playwright

    row: dict = {}
    watch = RssWatch(pid, RSS_CEILING_MB)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context, page = await _new_page(browser, timeout_s)
            frames = Frames(page)
            step = "paint"
            try:
                t0 = time.perf_counter()
                await page.goto(url)
                row["paint"] = {**await painted(page, t0, timeout_s, watch), **frames.take()}
                print(f"  cold paint {row['paint']}", flush=True)

                step = "type"
                shown = await page.evaluate(JS_METRIC)
                box = page.get_by_test_id("stMultiSelect").filter(has_text="Event type")
                await box.locator("input").click()
                await page.keyboard.type("attack")
                await page.evaluate(JS_CLEAR, MAP_IFRAME)
                t1 = time.perf_counter()
                await page.keyboard.press("Enter")
                row["type"] = {**await painted(page, t1, timeout_s, watch, differs_from=shown), **frames.take()}
                await page.keyboard.press("Escape")
                print(f"  type filter {row['type']}", flush=True)

                step = "dates"
                shown = await page.evaluate(JS_METRIC)
                thumb = page.get_by_test_id("stSlider").filter(has_text="Dates").get_by_role("slider").first
                await thumb.focus()
                await page.evaluate(JS_CLEAR, MAP_IFRAME)
                t2 = time.perf_counter()
                await thumb.press("End")
                row["dates"] = {**await painted(page, t2, timeout_s, watch, differs_from=shown), **frames.take()}
                print(f"  date filter {row['dates']}", flush=True)
            except Exception as exc:  # noqa: BLE001 - a failure is a result here, reported as such
                row["error"] = f"{step}: {type(exc).__name__}: {str(exc)[:300]}"
                row["ws_at_error"] = frames.take()
                print(f"  failed: {row['error']}", flush=True)
            finally:
                await context.close()
            if "error" not in row:
                context, page = await _new_page(browser, timeout_s)
                frames = Frames(page)
                try:
                    t0 = time.perf_counter()
                    await page.goto(url)
                    row["warm"] = {**await painted(page, t0, timeout_s, watch), **frames.take()}
                    print(f"  warm paint {row['warm']}", flush=True)
                except Exception as exc:  # noqa: BLE001
                    row["error"] = f"warm: {type(exc).__name__}: {str(exc)[:300]}"
                finally:
                    await context.close()
        finally:
            await browser.close()
            row["rss_end_mb"] = round(tree_rss_mb(pid))
            row["rss_anon_end_mb"] = round(tree_rss_mb(pid, "RssAnon"))
            row["rss_peak_mb"] = round(max(watch.stop(), _status_kb(pid, "VmHWM") / 1024))
    return row


def prepare_index(store: Path, mode: str, app_root: Path) -> str:
    """Leave the file the app keeps beside ``store`` as ``mode`` asks; what the server will find."""
    kept = store.with_name(store.name + ".index.npz")
    if not (app_root / "geo" / "store" / "index_file.py").exists():
        return "none (this app keeps no index file)"
    if mode == "fresh":
        kept.unlink(missing_ok=True)
        return "fresh (no index file)"
    # built by the app's own code, in a process of its own, as a server or an ingest would
    build = ("import sys; from geo.store import GeoPackageStore; from geo.store.summary import event_index; "
             "event_index(GeoPackageStore(sys.argv[1]))")
    subprocess.run([sys.executable, "-c", build, str(store)], cwd=app_root, check=True)
    return "kept (index file current)"


def run_size(n: int, timeout_s: float, folder: Path, app_root: Path = ROOT, index: str = "kept") -> dict:
    store = ensure_store(n)
    log = folder / f"streamlit-{n}.log"
    print(f"\n{n:,} events: {store.relative_to(ROOT)}", flush=True)
    found = prepare_index(store, index, app_root)
    print(f"  index: {found}", flush=True)
    proc, url = start_app(store, log, app_root)
    try:
        row = asyncio.run(drive(url, proc.pid, timeout_s))
    finally:
        stop_app(proc)
    text = log.read_text(errors="replace")
    if SIZE_LIMIT.search(text):
        row["message_size_failure"] = True
        row.setdefault("error", "message size limit (server log)")
    row["server_errors"] = [line[:200] for line in text.splitlines()
                            if "Traceback" in line or "Error" in line][:5]
    return {"events": n, "index": found, **row}


def _cell(row: dict, key: str, base: dict | None) -> str:
    value = (row.get(key) or {}).get("s")
    if value is None:
        return "failed" if key not in row else "-"
    ref = (base or {}).get(key, {}).get("s") if base and base is not row else None
    return f"{value:.2f} s" + (f" ({value / ref:.1f}x)" if ref else "")


def table(rows: list[dict]) -> str:
    base = next((r for r in rows if r["events"] == min(x["events"] for x in rows)), None)
    lines = ["| events | cold paint | type filter | date filter | warm paint | largest ws message "
             "| server RSS end / peak (anonymous at the end) | counts (paint, type, dates) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        largest = max((r.get(k) or {}).get("ws_largest_mb", 0) for k in ("paint", "type", "dates", "warm"))
        largest = max(largest, (r.get("ws_at_error") or {}).get("ws_largest_mb", 0))
        counts = ", ".join(str((r.get(k) or {}).get("count", "-")) + ("*" if (r.get(k) or {}).get("aggregated") else "")
                           for k in ("paint", "type", "dates"))
        lines.append(f"| {r['events']:,} | {_cell(r, 'paint', base)} | {_cell(r, 'type', base)} | "
                     f"{_cell(r, 'dates', base)} | {_cell(r, 'warm', base)} | {largest:.1f} MB | "
                     f"{r['rss_end_mb']:,} / {r['rss_peak_mb']:,} MB ({r.get('rss_anon_end_mb', 0):,}) | {counts} |")
    lines.append("(ratios to the smallest store in the same run; * the map showed aggregates)")
    for r in rows:
        if r.get("index"):
            lines.append(f"{r['events']:,}: index {r['index']}")
        if r.get("error"):
            lines.append(f"{r['events']:,}: FAILED at {r['error']}")
        for limit_key, limit in TARGETS.get(r["events"], {}).items():
            if limit_key == "rss_mb":
                ok, got = r["rss_peak_mb"] < limit, f"{r['rss_peak_mb']:,} MB"
            elif limit_key == "paint_s":
                got_s = (r.get("paint") or {}).get("s")
                ok, got = got_s is not None and got_s < limit, f"{got_s} s"
            else:
                got_s = max(((r.get(k) or {}).get("s") or 1e9) for k in ("type", "dates"))
                ok, got = got_s < limit, f"{got_s if got_s < 1e9 else 'failed'} s (the slower change)"
            lines.append(f"{r['events']:,}: {limit_key} < {limit}: {'met' if ok else 'NOT met'} ({got})")
    return "\n".join(lines)


# The server's work for a cold map page, call by call, in a fresh process of the app's checkout
# (no Streamlit runtime, no browser): where the first session's server time goes.
STEPS = r"""
import sys, time
T = {}
def step(name, fn):
    t = time.perf_counter(); out = fn(); T[name] = time.perf_counter() - t; return out
step("import streamlit", lambda: __import__("streamlit"))
step("import geopandas, folium, streamlit_folium",
     lambda: [__import__(m) for m in ("geopandas", "folium", "streamlit_folium")])
step("import geo.maps, geo.store.summary",
     lambda: [__import__(m) for m in ("geo.maps.build", "geo.maps.bins", "geo.maps.aggregates", "geo.store.summary")])
step("import geo.maps.timeline (altair)", lambda: __import__("geo.maps.timeline"))
from geo.places.gazetteer import load_gazetteer
from geo.store import open_store, summary
from geo.maps.aggregates import bin_area_counts
from geo.maps.build import build_event_map
step("gazetteer", load_gazetteer)
store = step("open the store", lambda: open_store(sys.argv[1]))
step("change key", store.change_key)
# as the app asks, in its order: the index file, when the app keeps one, is as --index left it
step("filter choices", lambda: summary.option_values(store))
index = step("event index", lambda: summary.event_index(store))
at = step("select", lambda: summary.select(store, index))
bins = step("hexagon bins", lambda: summary.hex_bins(index, at))
areas, _ = step("district counts", lambda: bin_area_counts(bins))
page = step("the table's page", lambda: summary.read_page(store, index, at, size=500))
step("weekly counts", lambda: summary.weekly_counts(index, at))
step("build and render the map", lambda: build_event_map(page, areas=areas, bins=bins).get_root().render())
print("\n".join(f"  {k:45s} {v:6.2f} s" for k, v in T.items()))
print(f"  {'total':45s} {sum(T.values()):6.2f} s")
"""


def server_steps(n: int, app_root: Path, index: str) -> None:
    """Print the server's cold work for the map page on the store of ``n`` events, call by call."""
    store = ensure_store(n)
    print(f"\n{n:,} events, index {prepare_index(store, index, app_root)}:", flush=True)
    subprocess.run([sys.executable, "-c", STEPS, str(store)], cwd=app_root, check=True,
                   env={**os.environ, "PYTHONPATH": str(app_root)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--timeout", type=float, default=240.0, help="browser wait per step, seconds")
    parser.add_argument("--label", default="", help="a word for the JSON file (before, after)")
    parser.add_argument("--app", type=Path, default=ROOT,
                        help="the checkout whose app.py runs (e.g. `git archive` of an older commit)")
    parser.add_argument("--index", choices=("kept", "fresh"), default="kept",
                        help="the event index file beside each store: built before the server starts "
                             "(kept) or deleted (fresh: the first server ever on the store)")
    parser.add_argument("--steps", action="store_true",
                        help="only time the server's calls for a cold map page, one by one (no browser)")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.steps:
        for n in args.sizes:
            server_steps(n, args.app.resolve(), args.index)
        return 0
    with tempfile.TemporaryDirectory(prefix="marsad-bench-app-") as folder:
        rows = [run_size(n, args.timeout, Path(folder), args.app.resolve(), args.index) for n in args.sizes]
    print()
    print(table(rows))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = OUT / f"app-{args.label + '-' if args.label else ''}{stamp}.json"
    path.write_text(json.dumps({"label": args.label, "app": str(args.app), "index": args.index,
                                "cores": os.cpu_count(),
                                "rows": rows}, indent=1))
    print(f"\nwritten: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
