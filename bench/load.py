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

With ``--protocol`` no browser drives the sessions: the server's side alone, as when every
analyst's browser runs on their own machine. Each session is a client of the app's websocket
(``/_stcore/stream``) speaking Streamlit's protocol, the messages ``streamlit.proto`` defines:
it sends the rerun BackMsg the frontend sends on opening the page and reads the ForwardMsgs,
timing the one carrying the st_folium element (map) and the script_finished one (run); then it
sends the Dates slider's change as the frontend does (a rerun with the widget's new value, the
start moved to the end), timing the new map and the run's end (filter). Unless ``--no-files``,
a session first fetches, six at a time and gzip accepted, the files a new browser fetches
before it opens the websocket (the frontend), and the ones after once the map's message has
come (the map iframe's document, Leaflet, the frontend's lazy chunks); those paths are recorded
from one Chromium visit before any timing. A session is "map" once the message and those files
are there; the CPU of this process (the clients) is given too.

With ``--mixed`` one session of each round is a browser's, the others the protocol's (with or
without the files): one analyst's paint while N - 1 others load the server, their browsers
elsewhere.

``--no-omnibox-popup`` starts Chromium without the omnibox popup (a WebUI page in a renderer
of its own) that a new headless window preloads for every context: ~0.65 CPU s a session that
an analyst's browser, one window with tabs, pays once (bench/browser_cpu.py).

With ``--compare DIR`` (another checkout of the app, e.g. ``git archive`` of an older
commit), that app is driven the same way right after this one for every N, in the same run,
on the same store: a before/after under the same load of the machine.

Usage::

    .venv/bin/python bench/load.py                     # 1, 4, 8 sessions, 3 rounds each
    .venv/bin/python bench/load.py --sessions 1 8 --rounds 2 --label after
    .venv/bin/python bench/load.py --protocol                  # no browser; --no-files: no HTTP
    .venv/bin/python bench/load.py --mixed --rounds 4          # one browser, N - 1 protocol clients
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
# A new headless window preloads the omnibox popup, a WebUI page in a renderer of its own, for
# every context: ~0.65 CPU s each, none of it the app's (bench/browser_cpu.py).
OMNIBOX_POPUP_OFF = "--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup"

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


async def round_of(browser, url: str, n: int, timeout_s: float, files=False) -> list[dict]:
    """``n`` sessions that start navigating at the same moment.

    With ``files`` (:func:`page_files`, or None for none), one of them is a browser's and the
    others speak the protocol (:func:`protocol_session`, rows marked ``protocol``).
    """
    start = asyncio.Event()
    tasks = [asyncio.create_task(session(browser, url, start, timeout_s))
             for _ in range(1 if files is not False else n)]
    tasks += [asyncio.create_task(_marked(protocol_session(url, files, start, timeout_s)))
              for _ in range(n - len(tasks))]
    await asyncio.sleep(0.5)   # every context is open before the first navigation
    start.set()
    return await asyncio.gather(*tasks)


def _stats(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 2), "max": round(max(values), 2)} \
        if values else {"median": None, "max": None}


async def _marked(row):
    return {**await row, "protocol": True}


async def run(apps: dict[str, tuple[str, int]], sessions: list[int], rounds: int,
              timeout_s: float, mixed: str | None = None, switches: tuple = ()) -> list[dict]:
    """Drive each app (label -> (URL, server pid)) with every N in turn; a row per (N, app).

    ``mixed`` ("files", "nofiles"): one browser session in each round, the N - 1 others
    speaking the protocol, with or without the files a new browser fetches.
    """
    from playwright.async_api import async_playwright

    results = []
    files: dict = {label: False for label in apps}
    if mixed:
        for label, (url, _) in apps.items():
            files[label] = await page_files(url, timeout_s) if mixed == "files" else None
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [*switches])
        chromium = browser_pid()
        for label, (url, _) in apps.items():
            warm = await round_of(browser, url, 1, timeout_s)
            print(f"warm-up {label}: {json.dumps(warm[0], default=str)}", flush=True)
            if mixed:
                warm = await protocol_round(url, files[label], 1, timeout_s)
                print(f"warm-up {label}, protocol: {json.dumps(warm[0], default=str)}", flush=True)
        for n, (label, (url, server_pid)) in ((n, app) for n in sessions for app in apps.items()):
            rows = []
            browser_cpu = lambda: tree_cpu_seconds(chromium) if chromium else float("nan")  # noqa: E731
            server, own, machine = cpu_seconds(server_pid), browser_cpu(), cpu_seconds()
            for _ in range(rounds):
                rows += await round_of(browser, url, n, timeout_s, files[label])
            # Where the time went: the app's process, our Chromium, and the rest of the machine
            # (the Playwright driver, and whatever else a shared machine runs meanwhile).
            server, own, machine = (cpu_seconds(server_pid) - server, browser_cpu() - own,
                                    cpu_seconds() - machine)
            ok = [r for r in rows if "error" not in r and not r.get("protocol")]
            browsers = [r for r in rows if not r.get("protocol")]
            result = {"app": label, **({"mode": f"mixed ({mixed})"} if mixed else {}),
                      "sessions": n, "runs": len(rows), "browser_runs": len(browsers),
                      "failed": sum("error" in r for r in rows),
                      "count_s": _stats([r["count_s"] for r in ok]),
                      "paint_s": _stats([r["paint_s"] for r in ok]),
                      "filter_s": _stats([r["filter_s"] for r in ok if "filter_s" in r]),
                      "server_cpu_s_per_session": round(server / len(rows), 2),
                      "browser_cpu_s_per_session": round(own / len(browsers), 2),
                      "other_cpu_s_per_session": round((machine - server - own) / len(rows), 2),
                      "features": sorted({r["features"] for r in ok}),
                      "features_after": sorted({r["features_after"] for r in ok if "features_after" in r})}
            results.append(result)
            print(json.dumps(result), flush=True)
        await browser.close()
    return results


# --- protocol mode: the server's side alone, N clients without a browser ----------------------

MAP_COMPONENT = "streamlit_folium.st_folium"


async def page_files(url: str, timeout_s: float) -> dict[str, list[str]]:
    """The app's files a new browser fetches for the map page, recorded from one Chromium visit.

    ``page``: those fetched before the page opens its websocket (the frontend, its fonts, the
    health and host-config checks); ``map``: those after (the st_folium iframe's document,
    Leaflet and the other vendored assets, the frontend's lazy chunks). Same-origin paths with
    their query strings, each once, in the order Chromium asked for them.
    """
    from playwright.async_api import async_playwright

    seen: dict[str, str] = {}
    opened: list[float] = []

    def on_request(request) -> None:
        if request.url.startswith(url) and "/_stcore/stream" not in request.url:
            seen.setdefault(request.url[len(url):] or "/", "map" if opened else "page")

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
        page = await context.new_page()
        page.on("request", on_request)
        page.on("websocket", lambda ws: opened.append(time.perf_counter()))
        await page.goto(url)
        await _drawn_count(page, timeout_s)
        await browser.close()
    return {part: [path for path, where in seen.items() if where == part] for part in ("page", "map")}


async def _fetch_all(client, url: str, paths: list[str]) -> int:
    """GET every path as a browser would (gzip accepted, six at a time); the bytes received."""
    replies = await asyncio.gather(*(client.fetch(url + path, raise_error=False,
                                                  headers={"Accept-Encoding": "gzip"})
                                     for path in paths))
    bad = [(r.effective_url, r.code) for r in replies if r.code != 200]
    if bad:
        raise RuntimeError(f"{len(bad)} files failed, e.g. {bad[0]}")
    return sum(len(r.body) for r in replies)


def _rerun(query: str, widgets: dict | None = None, url: str = ""):
    """The BackMsg the frontend sends to run the script: its URL, and the widgets' new values."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    back = BackMsg()
    state = back.rerun_script
    state.query_string = query
    state.page_script_hash = ""
    state.page_name = ""
    state.context_info.timezone = "UTC"
    state.context_info.locale = "en-GB"
    state.context_info.url = url + "/"
    for widget_id, values in (widgets or {}).items():
        widget = state.widget_states.widgets.add()
        widget.id = widget_id
        widget.double_array_value.data.extend(values)
    return back.SerializeToString()


async def _read_run(ws, t0: float, seen: dict, on_map=None) -> dict:
    """Read ForwardMsgs until the script run finishes; when the map and the count came.

    ``seen`` keeps what later messages need: the query string the app set, the Dates slider.
    """
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    out: dict = {}
    while True:
        data = await ws.read_message()
        if data is None:
            raise ConnectionError("the server closed the websocket")
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "page_info_changed":
            seen["query"] = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "metric" and "count" not in out:
                out["count"] = element.metric.body
            elif which == "slider" and element.slider.label == "Dates":
                seen["dates"] = element.slider
            elif which == "component_instance" and element.component_instance.component_name == MAP_COMPONENT:
                out["map_s"] = time.perf_counter() - t0
                out["map_bytes"] = len(data)
                if on_map:
                    on_map()
        elif kind == "script_finished":
            status = msg.script_finished
            if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                out["finished_s"] = time.perf_counter() - t0
                out["status"] = status
                return out


async def protocol_session(url: str, files: dict[str, list[str]] | None, start: asyncio.Event,
                           timeout_s: float) -> dict:
    """One analyst's session without a browser: the page's files, the first run, a filter change.

    - map: until the message carrying the st_folium element has come (and, with ``files``,
      the files the map's iframe loads have too);
    - finished: until the run's script_finished message;
    - filter: the Dates slider's start moved to its end (what the browser mode's End key does),
      sent as the frontend sends a widget's change, until the new map and the run's end.
    """
    from tornado.httpclient import AsyncHTTPClient
    from tornado.websocket import websocket_connect

    client = AsyncHTTPClient(force_instance=True, max_clients=6)   # a browser's 6 per host
    row: dict = {}
    seen: dict = {"query": ""}
    ws = None
    try:
        await start.wait()
        t0 = time.perf_counter()
        if files:
            row["page_bytes"] = await _fetch_all(client, url, files["page"])
            row["files_s"] = time.perf_counter() - t0
        ws = await asyncio.wait_for(websocket_connect(
            url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
            max_message_size=256 * 2**20), timeout_s)
        await ws.write_message(_rerun("", url=url), binary=True)
        iframe: list[asyncio.Task] = []

        async def map_files() -> tuple[int, float]:
            return await _fetch_all(client, url, files["map"]), time.perf_counter() - t0

        on_map = (lambda: iframe.append(asyncio.ensure_future(map_files()))) if files else None
        first = await asyncio.wait_for(_read_run(ws, t0, seen, on_map), timeout_s)
        if iframe:   # the map is there once its message and its iframe's files both are
            row["map_files_bytes"], fetched = await asyncio.wait_for(iframe[0], timeout_s)
            first["map_s"] = max(first["map_s"], fetched)
        row.update(count=first.get("count"), map_s=first.get("map_s"), finished_s=first["finished_s"],
                   map_bytes=first.get("map_bytes"))
        slider = seen["dates"]
        t1 = time.perf_counter()
        await ws.write_message(_rerun(seen["query"], {slider.id: [slider.max, slider.max]}, url),
                               binary=True)
        after = await asyncio.wait_for(_read_run(ws, t1, seen), timeout_s)
        row.update(count_after=after.get("count"), filter_map_s=after.get("map_s"),
                   filter_s=after["finished_s"])
        if row["map_s"] is None or row["filter_map_s"] is None:
            raise RuntimeError("a run finished without the map")
        if row["count_after"] == row["count"]:
            raise RuntimeError(f"the filter change left the count at {row['count']}")
    except Exception as exc:  # noqa: BLE001 - a timeout is a result here, reported as such
        row["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        print(f"  session failed: {row['error']}", file=sys.stderr)
    finally:
        if ws is not None:
            ws.close()
        client.close()
    return row


async def protocol_round(url: str, files, n: int, timeout_s: float) -> list[dict]:
    """``n`` protocol sessions that start at the same moment."""
    start = asyncio.Event()
    tasks = [asyncio.create_task(protocol_session(url, files, start, timeout_s)) for _ in range(n)]
    await asyncio.sleep(0.1)
    start.set()
    return await asyncio.gather(*tasks)


async def run_protocol(apps: dict[str, tuple[str, int]], sessions: list[int], rounds: int,
                       timeout_s: float, with_files: bool) -> list[dict]:
    """:func:`run` without a browser: every N in turn for each app; a row per (N, app)."""
    results = []
    files = {}
    for label, (url, _) in apps.items():
        files[label] = await page_files(url, timeout_s) if with_files else None
        if files[label]:
            print(f"{label}: a new browser fetches {len(files[label]['page'])} files before the "
                  f"websocket, {len(files[label]['map'])} after", flush=True)
        warm = await protocol_round(url, files[label], 1, timeout_s)
        print(f"warm-up {label}: {json.dumps(warm[0], default=str)}", flush=True)
    for n, (label, (url, server_pid)) in ((n, app) for n in sessions for app in apps.items()):
        rows = []
        server, own, machine = cpu_seconds(server_pid), cpu_seconds(os.getpid()), cpu_seconds()
        for _ in range(rounds):
            rows += await protocol_round(url, files[label], n, timeout_s)
        server, own, machine = (cpu_seconds(server_pid) - server, cpu_seconds(os.getpid()) - own,
                                cpu_seconds() - machine)
        ok = [r for r in rows if "error" not in r]
        result = {"app": label, "mode": "protocol" + ("+files" if with_files else ""),
                  "sessions": n, "runs": len(rows), "failed": len(rows) - len(ok),
                  **{key: _stats([r[key] for r in ok]) for key in
                     ("map_s", "finished_s", "filter_map_s", "filter_s")},
                  "server_cpu_s_per_session": round(server / len(rows), 3),
                  "client_cpu_s_per_session": round(own / len(rows), 3),
                  "other_cpu_s_per_session": round((machine - server - own) / len(rows), 3),
                  "counts": sorted({r["count"] for r in ok}),
                  "counts_after": sorted({r["count_after"] for r in ok})}
        results.append(result)
        print(json.dumps(result), flush=True)
    return results


def protocol_table(results: list[dict]) -> str:
    head = (f"{'app':>8} {'sessions':>8} {'map med':>8} {'map max':>8} {'run med':>8} {'run max':>8} "
            f"{'filter map med':>15} {'filter max':>11} {'failed':>7} {'app CPU':>8} "
            f"{'client CPU':>11} {'other CPU':>10}")
    lines = [head, " " * 18 + "(seconds; CPU seconds per session)"]
    for r in results:
        lines.append(f"{r['app']:>8} {r['sessions']:>8} {r['map_s']['median']!s:>8} "
                     f"{r['map_s']['max']!s:>8} {r['finished_s']['median']!s:>8} "
                     f"{r['finished_s']['max']!s:>8} {r['filter_map_s']['median']!s:>15} "
                     f"{r['filter_s']['max']!s:>11} {r['failed']:>7} {r['server_cpu_s_per_session']:>8} "
                     f"{r['client_cpu_s_per_session']:>11} {r['other_cpu_s_per_session']:>10}")
    for app in dict.fromkeys(r["app"] for r in results):
        rows = [r for r in results if r["app"] == app]
        base = next((r for r in rows if r["sessions"] == 1 and r["map_s"]["median"]), None)
        for r in rows:
            if base and r is not base and r["map_s"]["median"]:
                lines.append(f"  {app}: {r['sessions']} sessions get the map in "
                             f"{r['map_s']['median'] / base['map_s']['median']:.2f}x the single "
                             f"session's median ({r['map_s']['max'] / base['map_s']['median']:.2f}x at worst)")
    return "\n".join(lines)


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
    parser.add_argument("--protocol", action="store_true",
                        help="no browser: clients speak Streamlit's websocket protocol")
    parser.add_argument("--no-files", action="store_true",
                        help="with --protocol or --mixed: skip the HTTP files a new browser fetches")
    parser.add_argument("--no-omnibox-popup", action="store_true",
                        help="Chromium without the omnibox popup each new window preloads")
    parser.add_argument("--mixed", action="store_true",
                        help="one browser session in each round, the others speaking the protocol")
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
            results = asyncio.run(
                run_protocol(apps, args.sessions, args.rounds, args.timeout, not args.no_files)
                if args.protocol else run(apps, args.sessions, args.rounds, args.timeout,
                                          ("nofiles" if args.no_files else "files") if args.mixed
                                          else None,
                                          (OMNIBOX_POPUP_OFF,) if args.no_omnibox_popup else ()))
        finally:
            for proc in procs.values():
                stop_app(proc)
    print()
    print(protocol_table(results) if args.protocol else table(results))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = OUT / f"load-{args.label + '-' if args.label else ''}{stamp}.json"
    path.write_text(json.dumps({"label": args.label, "cores": os.cpu_count(), "rounds": args.rounds,
                                "mode": "protocol" if args.protocol else "mixed" if args.mixed
                                else "browser",
                                "compare": str(args.compare) if args.compare else None,
                                "no_omnibox_popup": args.no_omnibox_popup,
                                "results": results}, indent=1))
    print(f"\nwritten: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
