"""Ingestion throughput end to end: JSON-lines files of reports into a fresh GeoPackage.

    .venv/bin/python bench/ingest.py [--reports 10000] [--seed ../shared/seeds] [--keep]

The corpus is seed-sized reports made from the seed report (read at bench time,
never committed) by swapping its town names for others in the gazetteer and
varying its numbers, so every report has its own id. They are written to
JSON-lines files split at the checkpoints (10 %, 50 %, 100 %: 1k, 5k, 10k), and
``geo.ingest.ingest_paths`` ingests them one after another into one fresh
GeoPackage: read, normalize, geoparse, extract events, then one transaction per
batch of analysed articles (``geo.ingest._BATCH``; each article all or nothing). Throughput and resident memory are printed at each checkpoint.

In the same run, on the first 1,000 reports, three baselines make the figures
comparable on a shared, noisy machine:

- analysis only: ``find_places`` + ``extract_events`` with no store;
- store only: ``write_article`` of the already-analysed reports;
- geopandas: the same events appended article by article with ``to_file`` (what
  the store would cost on GDAL's GeoPackage driver), on fewer reports.

Then filtered reads over the full store: ``GeoPackageStore.read`` (sqlite3 +
vectorised shapely) against ``geopandas.read_file`` (pyogrio) with the same bbox.
One process, one core.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOWNS = ["سبها", "أوباري", "غات", "مرزق", "درنة", "طبرق", "مصراتة", "زليتن", "غريان", "هون",
         "ودان", "أجدابيا", "البيضاء", "نالوت", "يفرن", "الزنتان", "غدامس", "براك", "تراغن",
         "القطرون", "زلة"]
OUTLETS = ["الوسط", "ليبيا الأحرار", "بوابة الوسط", "المرصد"]


def variant(seed_text: str, i: int) -> str:
    """Report i: the seed with its two towns swapped and its numbers varied (unique per i)."""
    a = TOWNS[i % len(TOWNS)]
    b = TOWNS[(i // len(TOWNS) + 1 + i) % len(TOWNS)]
    if a == b:
        b = TOWNS[(TOWNS.index(b) + 1) % len(TOWNS)]
    return (seed_text.replace("بني وليد", a).replace("سرت", b)
            .replace("700", str(100 + i)).replace("2016", str(2010 + i % 15)))


def write_corpus(seed_text: str, n: int, folder: Path, checkpoints: list[int]) -> list[Path]:
    """JSON-lines files holding reports [0, c1), [c1, c2), ... for the checkpoints."""
    files, start = [], 0
    for k, stop in enumerate(checkpoints):
        path = folder / f"reports_{k + 1}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i in range(start, stop):
                day = 1 + i % 28
                f.write(json.dumps({"text": variant(seed_text, i), "outlet": OUTLETS[i % len(OUTLETS)],
                                    "url": f"https://example.org/report/{i}",
                                    "published": f"2024-{1 + i % 12:02d}-{day:02d}"},
                                   ensure_ascii=False) + "\n")
        files.append(path)
        start = stop
    return files


def rss_mb() -> float:
    """Resident memory now (not the peak), in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--baseline", type=int, default=1000, help="reports for the baselines")
    ap.add_argument("--seed", default=str(ROOT.parent / "shared" / "seeds"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    args = ap.parse_args()

    seed_text = sorted(Path(args.seed).glob("*.txt"))[0].read_text(encoding="utf-8")
    n = args.reports
    checkpoints = sorted({max(1, n // 10), max(1, n // 2), n})
    work = Path(tempfile.mkdtemp(prefix="marsad-bench-"))

    from geo import ingest
    from geo.places.gazetteer import load_gazetteer
    from geo.places.geoparse import get_parser
    from geo.store import GeoPackageStore

    t = time.perf_counter()
    files = write_corpus(seed_text, n, work, checkpoints)
    print(f"corpus: {n} reports of ~{len(seed_text)} chars, {sum(f.stat().st_size for f in files) / 2**20:.1f} MB "
          f"of JSON lines, made in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    gazetteer = load_gazetteer()
    get_parser(gazetteer)
    print(f"start-up: gazetteer ({len(gazetteer)} places) + parser in {time.perf_counter() - t:.2f} s, "
          f"RSS {rss_mb():.0f} MB")

    # ---- end to end, checkpoint by checkpoint
    db = work / "bench.gpkg"
    store = GeoPackageStore(db)
    print(f"\nend to end into {db.name}:")
    print(f"{'reports':>8} {'chunk s':>8} {'chunk rep/s':>12} {'total rep/s':>12} {'RSS MB':>7} {'peak MB':>8} "
          f"{'events':>7}")
    total_s, cpu_s, done, rss_first = 0.0, 0.0, 0, None
    for path, stop in zip(files, checkpoints):
        t, c = time.perf_counter(), time.process_time()
        summary = ingest.ingest_paths([path], store=store, progress=False, gazetteer=gazetteer)
        dt_s = time.perf_counter() - t
        total_s += dt_s
        cpu_s += time.process_time() - c
        assert summary.articles_new == stop - done and not summary.skipped, summary.render()
        done = stop
        rss = rss_mb()
        rss_first = rss_first or rss
        print(f"{stop:>8} {dt_s:>8.1f} {summary.articles_new / dt_s:>12.0f} {done / total_s:>12.0f} "
              f"{rss:>7.0f} {peak_mb():>8.0f} {store.stats().events:>7}")
    stats = store.stats()
    # The store runs in WAL mode: until a checkpoint, recent pages live in the -wal file, which
    # keeps its size (up to the autocheckpoint's ~16 MB) once written; the file an analyst keeps
    # is the one after the checkpoint that closing makes.
    size_mb = sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists()) / 2**20
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    kept_kb = db.stat().st_size / 1024
    # CPU time as well: on a shared machine the wall clock also counts other people's work.
    print(f"end to end: {n} reports in {total_s:.1f} s = {n / total_s:.0f} reports/s "
          f"({n / cpu_s:.0f} reports per CPU second); "
          f"{stats.events} events, {stats.mentions} mentions; file {size_mb:.1f} MB with its WAL "
          f"= {size_mb * 2**20 / n / 1024:.1f} KB per report ({kept_kb / n:.1f} KB once checkpointed); "
          f"RSS grew {rss_mb() - rss_first:+.0f} MB from the first checkpoint to the last")
    try:   # where the checkpointed bytes go: SQLite's dbstat, pages per table and index
        pages = store._conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
        print("  KB per report by table and index: "
              + ", ".join(f"{name} {size / n / 1024:.2f}" for name, size in pages[:8]))
    except sqlite3.OperationalError:   # an SQLite built without dbstat
        pass

    # ---- baselines on the first reports
    b = min(args.baseline, n)
    with files[0].open(encoding="utf-8") as f:
        records = [json.loads(line) for _, line in zip(range(b), f)]
    if len(records) < b:   # the first chunk is smaller than the baseline size
        with files[1].open(encoding="utf-8") as f:
            records += [json.loads(line) for _, line in zip(range(b - len(records)), f)]
    articles = [ingest.make_article(r["text"], outlet=r["outlet"], url=r["url"]) for r in records]
    print(f"\nbaselines on {len(articles)} reports:")
    # each line: reports per second of wall clock, and per CPU second (the figure a shared
    # machine does not blur)
    t, c = time.perf_counter(), time.process_time()
    analysed = [(a, *ingest.analyse(a, gazetteer=gazetteer)) for a in articles]
    a_s, a_c = time.perf_counter() - t, time.process_time() - c
    print(f"  analysis only (find_places + extract_events): {len(articles) / a_s:8.0f} reports/s "
          f"{len(articles) / a_c:8.0f} per CPU s")

    t, c = time.perf_counter(), time.process_time()
    with GeoPackageStore(work / "store_only.gpkg") as s2:
        for a, mentions, events in analysed:
            s2.write_article(a, mentions, events)
    w_s, w_c = time.perf_counter() - t, time.process_time() - c
    print(f"  store only (write_article, one transaction each): {len(articles) / w_s:8.0f} reports/s "
          f"{len(articles) / w_c:8.0f} per CPU s")
    t, c = time.perf_counter(), time.process_time()
    with GeoPackageStore(work / "store_batched.gpkg") as s2:
        for k in range(0, len(analysed), ingest._BATCH):
            s2.write_articles(analysed[k:k + ingest._BATCH])
    wb_s, wb_c = time.perf_counter() - t, time.process_time() - c
    batched = work / "store_batched.gpkg"
    kb = sum(p.stat().st_size for p in (batched, batched.with_name(batched.name + "-wal")) if p.exists()) / 1024
    print(f"  store only (write_articles, {ingest._BATCH} a transaction): {len(articles) / wb_s:8.0f} reports/s "
          f"{len(articles) / wb_c:8.0f} per CPU s; {kb / len(articles):.1f} KB per report")
    print(f"  analysis + batched store, summed: {len(articles) / (a_s + wb_s):8.0f} reports/s "
          f"{len(articles) / (a_c + wb_c):8.0f} per CPU s "
          f"(end to end above adds reading, JSON and normalizing for the id)")

    from geo.store.frames import events_to_frame
    g = min(200, len(analysed))
    t = time.perf_counter()
    for k, (_, _, events) in enumerate(analysed[:g]):
        frame = events_to_frame(events)
        if len(frame):
            frame.to_file(work / "geopandas.gpkg", layer="events", driver="GPKG",
                          mode="a" if k else "w")
    gp_s = time.perf_counter() - t
    print(f"  geopandas to_file append, one call per article ({g} reports): {g / gp_s:8.0f} reports/s")

    # ---- filtered reads over the full store
    import geopandas as gpd

    bbox = (12.0, 25.0, 16.0, 28.0)   # the Fezzan around Sabha and Ubari
    print(f"\nreads over {stats.events} events:")
    for label, fn in [
        ("store.read()", lambda: store.read()),
        (f"store.read(bbox={bbox})", lambda: store.read(bbox=bbox)),
        ("store.read(near=Sabha 50 km, types=[presence])",
         lambda: store.read(near=(27.04, 14.43, 50), event_types=["presence"])),
        ("store.read(since=2024-06-01, until=2024-06-30)",
         lambda: store.read(since="2024-06-01", until="2024-06-30")),
        ("geopandas.read_file(layer=events)", lambda: gpd.read_file(db, layer="events")),
        ("geopandas.read_file(layer=events, bbox=...)", lambda: gpd.read_file(db, layer="events", bbox=bbox)),
    ]:
        fn()   # warm the page cache
        t = time.perf_counter()
        rows = len(fn())
        print(f"  {label:<52} {rows:>7} rows {1000 * (time.perf_counter() - t):8.0f} ms")
    store.close()
    print(f"\npeak RSS {peak_mb():.0f} MB")
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
