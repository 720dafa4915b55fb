"""Store reads at scale: GeoPackageStore.read against geopandas.read_file on the same file.

    .venv/bin/python bench/store.py [--sizes 100000 1000000] [--repeats 5] [--rebuild]

For each size a synthetic GeoPackage store is built once and cached under bench/out/
(``store_<n>.gpkg``; ``--rebuild`` makes it again). Its events are bench/map.py's synthetic
events (points, lines and areas over Libya, three years of dates, ~150-character Arabic
quotes), written in batches of 100,000 through the store's own event insert (the same SQL,
blobs and R-tree triggers as ``GeoPackageStore.write``, without building an ``Event`` per
row). The store is then opened as the app opens it, so an older cached file also shows what
opening costs when the store has indexes to add.

Measured in one run, each figure the median of ``--repeats`` runs, ours and the baseline
alternating so both see the same machine:

- filtered read, one month and a bbox (the target: < 0.3 s at 1M): ``store.read(since, until,
  bbox)`` against ``geopandas.read_file(bbox=..., where=...)`` (GDAL's own R-tree and SQL);
- three more filters an analyst uses (one month; three types in a bbox; one actor), ours only;
- full read (the target: no slower than geopandas): ``store.read()`` against
  ``geopandas.read_file(layer="events")`` (pyogrio, its default), and, for reference, the same
  with ``use_arrow=True``;
- the query plan SQLite chose for the filtered read (EXPLAIN QUERY PLAN), and each full read's
  peak memory in a fresh process.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from geo.store import GeoPackageStore  # noqa: E402
from geo.store.areas import split_areas  # noqa: E402
from geo.store.frames import EVENT_COLUMNS  # noqa: E402
from geo.store.gpkg_geometry import gpkg_blobs  # noqa: E402

OUT = ROOT / "bench" / "out"
BATCH = 100_000
MONTH = ("2023-06-01", "2023-06-30")
BBOX = (13.0, 25.5, 16.5, 28.5)   # the Fezzan around Sabha: ~6 % of the events' extent
TYPES = ["attack", "movement", "presence"]
ACTOR = "الكتيبة 5"   # one of bench/map.py's 97 brigades: ~0.5 % of the events
# Columns bench/map.py's frame leaves out, as a fresh extraction writes them.
DEFAULTS = {"modality": "asserted", "sub_type": "", "same_as": "", "counts": "[]", "fatalities": None}


def build(path: Path, n: int) -> float:
    """Write n synthetic events into a new store at ``path``; seconds taken."""
    from map import synthetic_events  # bench/map.py: the events every bench shares

    start = time.perf_counter()
    tmp = path.with_name(path.stem + ".building.gpkg")
    for stale in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
        stale.unlink(missing_ok=True)
    with GeoPackageStore(tmp) as store:
        for first in range(0, n, BATCH):
            frame = synthetic_events(min(BATCH, n - first), seed=7 + first // BATCH)
            k = range(first, first + len(frame))
            frame["id"] = [f"ev{i:07d}" for i in k]
            frame["article_id"] = [f"art{i // 3:07d}" for i in k]
            frame["event_date"] = frame["event_date"].dt.strftime("%Y-%m-%d")
            for column, value in DEFAULTS.items():
                frame[column] = value
            values = frame[list(EVENT_COLUMNS)].astype(object).where(frame[list(EVENT_COLUMNS)].notna(), None)
            # polygons go to the shared areas as the store's writer sends them (each one distinct
            # here: the worst case for a read, which fetches them apart)
            kept, ids, areas = split_areas(list(frame.geometry))
            blobs = gpkg_blobs(kept + list(areas.values()))
            rows = [(blob, *row, key) for blob, row, key in
                    zip(blobs, values.itertuples(index=False, name=None), ids)]
            area_rows = list(zip(areas, blobs[len(kept):]))
            store._transaction(lambda conn: (store._insert_areas(conn, area_rows),
                                             store._insert_events(conn, rows)))
            print(f"  built {first + len(frame):,} events, {time.perf_counter() - start:.0f} s", flush=True)
    tmp.rename(path)
    return time.perf_counter() - start


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_pair(ours, theirs, repeats: int) -> tuple[list[float], list[float], int, int]:
    """Times of ``ours`` and ``theirs`` alternated ``repeats`` times, and their row counts."""
    a, b, n_a, n_b = [], [], 0, 0
    for _ in range(repeats):
        t, frame = timed(ours)
        a.append(t)
        n_a = len(frame)
        del frame
        if theirs is not None:
            t, frame = timed(theirs)
            b.append(t)
            n_b = len(frame)
            del frame
    return a, b, n_a, n_b


def query_plan(store: GeoPackageStore, **filters) -> list[str]:
    """The plan SQLite picks for ``store.read(**filters)``'s query (caught as it runs)."""
    seen: list[str] = []
    store._conn.set_trace_callback(seen.append)
    try:
        store.read(**filters)
    finally:
        store._conn.set_trace_callback(None)
    sql = next(s for s in seen if s.lstrip().upper().startswith("SELECT E.GEOM"))
    with sqlite3.connect(f"file:{store.path}?mode=ro", uri=True) as conn:
        return [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]


# VmHWM rather than ru_maxrss, which Linux carries over from the parent across exec.
_PEAK = """
import re, sys, geopandas as gpd
sys.path.insert(0, {root!r})
from geo.store import GeoPackageStore
def hwm():
    return int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
before = hwm()
{read}
print(hwm() - before, len(frame))
"""


def peak_mb(read: str) -> float:
    """Peak memory one read adds, in a fresh process (imports already counted out)."""
    out = subprocess.run([sys.executable, "-c", _PEAK.format(root=str(ROOT), read=read)],
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]) / 1024


def fmt(times: list[float]) -> str:
    return f"{statistics.median(times):.3f} s" if times else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--full-repeats", type=int, default=3, help="repeats of the full reads")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory processes")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        path = OUT / f"store_{n}.gpkg"
        if args.rebuild or not path.exists():
            print(f"building {path.relative_to(ROOT)} ({n:,} events)", flush=True)
            print(f"  {build(path, n):.0f} s, {path.stat().st_size / 2**20:.0f} MB", flush=True)
        opened, store = timed(lambda: GeoPackageStore(path))
        print(f"\n{path.relative_to(ROOT)}: {n:,} events, {path.stat().st_size / 2**20:.0f} MB, "
              f"opened in {opened:.2f} s")
        db = str(path)
        where = f"event_date >= '{MONTH[0]}' AND event_date <= '{MONTH[1]}'"
        rows = []
        with store:
            store.read(since=MONTH[0], until=MONTH[1], bbox=BBOX)   # warm the page cache
            for line in query_plan(store, since=MONTH[0], until=MONTH[1], bbox=BBOX):
                print(f"  plan: {line}")
            a, b, n_a, n_b = median_pair(
                lambda: store.read(since=MONTH[0], until=MONTH[1], bbox=BBOX),
                lambda: gpd.read_file(db, layer="events", bbox=BBOX, where=where), args.repeats)
            rows.append(("one month, a bbox", a, b, n_a, n_b))
            a, _, n_a, _ = median_pair(lambda: store.read(since=MONTH[0], until=MONTH[1]), None, args.repeats)
            rows.append(("one month", a, [], n_a, None))
            a, _, n_a, _ = median_pair(lambda: store.read(bbox=BBOX, event_types=TYPES), None, args.repeats)
            rows.append(("three types, a bbox", a, [], n_a, None))
            a, _, n_a, _ = median_pair(lambda: store.read(actors=[ACTOR]), None, args.repeats)
            rows.append(("one actor (JSON list, no index)", a, [], n_a, None))
            a, b, n_a, n_b = median_pair(lambda: store.read(),
                                         lambda: gpd.read_file(db, layer="events"), args.full_repeats)
            rows.append(("full read", a, b, n_a, n_b))
            b, _, n_b, _ = median_pair(lambda: gpd.read_file(db, layer="events", use_arrow=True), None,
                                       args.full_repeats)
            rows.append(("full read, geopandas use_arrow=True (reference)", [], b, None, n_b))
        memory = ""
        if not args.no_memory:
            ours = peak_mb(f"frame = GeoPackageStore({db!r}).read()")
            theirs = peak_mb(f"frame = gpd.read_file({db!r}, layer='events')")
            memory = f"peak memory of a full read: ours {ours:,.0f} MB, geopandas {theirs:,.0f} MB"
        print(f"\n| {n:,} events | ours | rows | geopandas (same run) | rows | ours / geopandas |")
        print("|---|---|---|---|---|---|")
        for label, a, b, n_a, n_b in rows:
            ratio = f"{statistics.median(a) / statistics.median(b):.2f}" if a and b else "-"
            print(f"| {label} | {fmt(a)} | {'' if n_a is None else f'{n_a:,}'} | {fmt(b)} | "
                  f"{'' if n_b is None else f'{n_b:,}'} | {ratio} |")
        if memory:
            print(memory)
        results.append((n, rows))
    print(f"\nmedians of {args.repeats} (filtered) and {args.full_repeats} (full) runs; "
          f"peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
