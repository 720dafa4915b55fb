"""Many analysts on one server: 1, 4 and 8 concurrent browser sessions on the sample store.

The app runs as the browser tests run it (``streamlit run app.py`` on 127.0.0.1, a free
port, a GeoPackage the ingest code filled from data/samples). One headless Chromium
(Debian's, through Playwright's async API) opens N contexts at once, each its own
Streamlit session, and for each N, in one run, measures per session:

- count: from navigation until the sidebar's count is shown (the script's run has reached the
  browser; the server's part);
- paint: from navigation until the map is painted (``window.marsadDrawn`` set inside
  the st_folium iframe, as tests/e2e/app_driver.py waits for it);
- filter: the Dates slider's start thumb moved to the end (the e2e test's change) until
  the sidebar's count shows the new number and the map holds that many features.

Every session of a round starts together; a round of one session is the baseline the others
are compared with, in the same run, because the machine is shared. A warm-up session first
pays what a server start pays once (the gazetteer, the reference layers, the assets). The
table gives the median and the slowest session of every N, and the CPU seconds a session
cost the app's process, the Chromium driving the sessions (its whole process tree: on a team's
server each analyst's browser runs on their own machine, here it shares the app's two cores)
and the rest of the machine (the Playwright driver, and other jobs on a shared machine); the
rows go to bench/out/load-<time>.json.

With ``--compare DIR`` (another checkout of the app, e.g. ``git archive`` of an older
commit), that app is driven the same way right after this one for every N, in the same run,
on the same store: a before/after under the same load of the machine.

Usage::

    .venv/bin/python bench/load.py                     # 1, 4, 8 sessions, 3 rounds each
    .venv/bin/python bench/load.py --sessions 1 8 --rounds 2 --label after
    git archive 3d9c14d | tar -x -C /tmp/before && \
        .venv/bin/python bench/load.py --compare /tmp/before --label caches
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
STARTUP_TIMEOUT_S = 90

# The event features on the map (app_driver.JS_EVENT_IDS, counted): null until drawn.
JS_DRAWN_COUNT = """(selector) => {
  const f = document.querySelector(selector), w = f && f.contentWindow;
  if (!w || !w.map || !w.marsadDrawn) return null;
  const ids = new Set();
  w.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.id && l._marsadIndex !== undefined) ids.add(String(p.id));
  });
  return ids.size;
}"""
JS_METRIC = """() => {
  const m = document.querySelector('[data-testid="stMetricValue"]');
  return m ? m.innerText.trim() : null;
}"""


def sample_store(folder: Path) -> Path:
    """A GeoPackage holding every sample report, written by the real ingest code."""
    from geo.ingest import ingest_paths
    from geo.places.gazetteer import load_gazetteer
    from geo.store import open_store

    path = folder / "samples.gpkg"
    store = open_store(path)
    ingest_paths(sorted((ROOT / "data" / "samples").glob("*.json")), store=store,
                 progress=False, gazetteer=load_gazetteer())
    store.close()
    return path


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds (user + system) used so far by process ``pid``, or by the whole machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    if pid is None:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        busy = sum(int(v) for i, v in enumerate(fields) if i not in (3, 4))   # all but idle, iowait
        return busy / ticks
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / ticks


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def browser_pid(root_pid: int | None = None) -> int | None:
    """The Chromium this process launched (through Playwright's driver): its browser process."""
    root_pid = os.getpid() if root_pid is None else root_pid
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # Chromium rewrites its command line: one string, the switches split by spaces
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").split()
            if not args or not args[0].endswith(b"chromium") or any(a.startswith(b"--type=") for a in args):
                continue
            pid = int(entry.name)
            while pid > 1 and pid != root_pid:
                pid = int(_stat(pid)[1])
        except (OSError, ValueError, IndexError):
            continue
        if pid == root_pid:
            return int(entry.name)
    return None


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of process ``pid`` and all its descendants, those that have exited too.

    Each live process counts its own time and that of the children it has reaped (a context's
    renderer ends when the context closes, and its parent reaps it).
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                children.setdefault(int(_stat(int(entry.name))[1]), []).append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            total += sum(int(v) for v in _stat(current)[11:15])   # utime stime cutime cstime
        except (OSError, ValueError, IndexError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(store: Path, log: Path, root: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """``streamlit run app.py`` (of ``root``) on ``store``; (process, URL) once it answers."""
    port = _free_port()
    env = {**os.environ, "MARSAD_DB": str(store), "PYTHONUNBUFFERED": "1"}
    options = {"server.headless": "true", "server.port": str(port), "server.address": "127.0.0.1",
               "server.fileWatcherType": "none", "browser.gatherUsageStats": "false"}
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py",
                                 *(f"--{k}={v}" for k, v in options.items())],
                                cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(STARTUP_TIMEOUT_S * 4):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as reply:
                if reply.status == 200:
                    return proc, url
        except (urllib.error.URLError, ConnectionError):
            pass
        try:
            proc.wait(timeout=0.25)
            raise SystemExit(f"streamlit exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        except subprocess.TimeoutExpired:
            pass
    stop_app(proc)
    raise SystemExit(f"streamlit did not answer in {STARTUP_TIMEOUT_S} s")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


async def _drawn_count(page, timeout_s: float, *, differs_from: str | None = None) -> int:
    """Wait until the count shows a number (not ``differs_from``) and the map draws that many."""
    handle = await page.wait_for_function(
        f"""([sel, old]) => {{
          const shown = ({JS_METRIC})();
          if (!shown || !/^\\d+$/.test(shown) || shown === old) return null;
          const drawn = ({JS_DRAWN_COUNT})(sel);
          return drawn !== null && drawn === Number(shown) ? drawn : null;
        }}""", arg=[MAP_IFRAME, differs_from], polling=50, timeout=timeout_s * 1000)
    return await handle.json_value()


async def session(browser, url: str, start: asyncio.Event, timeout_s: float) -> dict:
    """One analyst: open the app, wait for the painted map, change the dates, wait again."""
    context = await browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
    page = await context.new_page()
    page.set_default_timeout(timeout_s * 1000)
    row: dict = {}
    try:
        await start.wait()
        t0 = time.perf_counter()
        await page.goto(url)
        await page.wait_for_function(f"() => /^\\d+$/.test(({JS_METRIC})() || '')", polling=50)
        row["count_s"] = time.perf_counter() - t0
        row["features"] = await _drawn_count(page, timeout_s)
        row["paint_s"] = time.perf_counter() - t0
        shown = await page.evaluate(JS_METRIC)
        thumb = page.get_by_test_id("stSlider").filter(has_text="Dates").get_by_role("slider").first
        await thumb.focus()
        t1 = time.perf_counter()
        await thumb.press("End")
        row["features_after"] = await _drawn_count(page, timeout_s, differs_from=shown)
        row["filter_s"] = time.perf_counter() - t1
    except Exception as exc:  # noqa: BLE001 - a timeout is a result here, reported as such
        row["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        print(f"  session failed: {row['error']}", file=sys.stderr)
    finally:
        await context.close()
    return row


async def round_of(browser, url: str, n: int, timeout_s: float) -> list[dict]:
    """``n`` sessions that start navigating at the same moment."""
    start = asyncio.Event()
    tasks = [asyncio.create_task(session(browser, url, start, timeout_s)) for _ in range(n)]
    await asyncio.sleep(0.5)   # every context is open before the first navigation
    start.set()
    return await asyncio.gather(*tasks)


def _stats(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 2), "max": round(max(values), 2)} \
        if values else {"median": None, "max": None}


async def run(apps: dict[str, tuple[str, int]], sessions: list[int], rounds: int,
              timeout_s: float) -> list[dict]:
    """Drive each app (label -> (URL, server pid)) with every N in turn; a row per (N, app)."""
    from playwright.async_api import async_playwright

    results = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        chromium = browser_pid()
        for label, (url, _) in apps.items():
            warm = await round_of(browser, url, 1, timeout_s)
            print(f"warm-up {label}: {json.dumps(warm[0], default=str)}", flush=True)
        for n, (label, (url, server_pid)) in ((n, app) for n in sessions for app in apps.items()):
            rows = []
            browser_cpu = lambda: tree_cpu_seconds(chromium) if chromium else float("nan")  # noqa: E731
            server, own, machine = cpu_seconds(server_pid), browser_cpu(), cpu_seconds()
            for _ in range(rounds):
                rows += await round_of(browser, url, n, timeout_s)
            # Where the time went: the app's process, our Chromium, and the rest of the machine
            # (the Playwright driver, and whatever else a shared machine runs meanwhile).
            server, own, machine = (cpu_seconds(server_pid) - server, browser_cpu() - own,
                                    cpu_seconds() - machine)
            ok = [r for r in rows if "error" not in r]
            result = {"app": label, "sessions": n, "runs": len(rows), "failed": len(rows) - len(ok),
                      "count_s": _stats([r["count_s"] for r in ok]),
                      "paint_s": _stats([r["paint_s"] for r in ok]),
                      "filter_s": _stats([r["filter_s"] for r in ok if "filter_s" in r]),
                      "server_cpu_s_per_session": round(server / len(rows), 2),
                      "browser_cpu_s_per_session": round(own / len(rows), 2),
                      "other_cpu_s_per_session": round((machine - server - own) / len(rows), 2),
                      "features": sorted({r["features"] for r in ok}),
                      "features_after": sorted({r["features_after"] for r in ok if "features_after" in r})}
            results.append(result)
            print(json.dumps(result), flush=True)
        await browser.close()
    return results


def table(results: list[dict]) -> str:
    head = (f"{'app':>8} {'sessions':>8} {'count med':>10} {'paint med':>10} {'paint max':>10} "
            f"{'filter med':>11} {'filter max':>11} {'failed':>7} {'app CPU':>8} {'browser CPU':>12} "
            f"{'other CPU':>10}")
    lines = [head, " " * 18 + "(seconds; CPU seconds per session)"]
    for r in results:
        lines.append(f"{r['app']:>8} {r['sessions']:>8} {r['count_s']['median']!s:>10} "
                     f"{r['paint_s']['median']!s:>10} {r['paint_s']['max']!s:>10} "
                     f"{r['filter_s']['median']!s:>11} {r['filter_s']['max']!s:>11} {r['failed']:>7} "
                     f"{r['server_cpu_s_per_session']:>8} {r.get('browser_cpu_s_per_session')!s:>12} "
                     f"{r['other_cpu_s_per_session']:>10}")
    for app in dict.fromkeys(r["app"] for r in results):
        rows = [r for r in results if r["app"] == app]
        base = next((r for r in rows if r["sessions"] == 1 and r["paint_s"]["median"]), None)
        for r in rows:
            if base and r is not base and r["paint_s"]["median"]:
                lines.append(f"  {app}: {r['sessions']} sessions paint in "
                             f"{r['paint_s']['median'] / base['paint_s']['median']:.2f}x the single "
                             f"session's median ({r['paint_s']['max'] / base['paint_s']['median']:.2f}x at worst)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each N (N sessions each)")
    parser.add_argument("--timeout", type=float, default=120.0, help="browser wait, seconds")
    parser.add_argument("--label", default="", help="a word for the JSON file (before, after)")
    parser.add_argument("--compare", type=Path, default=None,
                        help="another checkout of the app to drive the same way, as the baseline")
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="marsad-bench-load-") as folder:
        store = sample_store(Path(folder))
        roots = {"this": ROOT, **({"compare": args.compare.resolve()} if args.compare else {})}
        procs: dict[str, subprocess.Popen] = {}
        apps: dict[str, tuple[str, int]] = {}
        try:
            for label, root in roots.items():
                procs[label], url = start_app(store, Path(folder) / f"streamlit-{label}.log", root)
                apps[label] = (url, procs[label].pid)
            results = asyncio.run(run(apps, args.sessions, args.rounds, args.timeout))
        finally:
            for proc in procs.values():
                stop_app(proc)
    print()
    print(table(results))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = OUT / f"load-{args.label + '-' if args.label else ''}{stamp}.json"
    path.write_text(json.dumps({"label": args.label, "cores": os.cpu_count(), "rounds": args.rounds,
                                "compare": str(args.compare) if args.compare else None,
                                "results": results}, indent=1))
    print(f"\nwritten: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
