"""Ingest on a local Dask cluster: reports/s with 1 and 2 workers against one process, same run.

    .venv/bin/python bench/cluster.py [--reports 3000] [--workers 1,2] [--seed ../shared/seeds]

The corpus is bench/ingest.py's: seed-sized variants of the seed report (read at bench time,
never committed), one JSON-lines file. Each run writes into a fresh GeoPackage:

- one process: ``geo.ingest.ingest_paths`` (the baseline);
- N workers: ``geo.ingest.cluster.ingest_on_cluster`` on a LocalCluster of N processes on
  127.0.0.1, started and warmed (gazetteer and parser built) before the clock starts; the
  start-up is printed apart.

Then what bounds the client, which reads every report and writes every batch alone:
reading alone (``articles_in``: JSON, safe text, normalize for the id) and the store alone
(``write_articles`` of already analysed reports, a batch of ``geo.ingest._BATCH`` per
transaction). With ``MARSAD_TEST_PG_URL`` set the store-only line and the widest cluster run
are repeated against PostGIS (a schema of their own, dropped afterwards).

Wall clock and the CPU seconds of this process (the client) are both printed: the machine is
shared, and on 2 cores the client competes with the workers for them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _warm(client) -> None:
    """Each worker loads the gazetteer and builds its parser before the clock starts."""
    from geo.ingest import analyse
    from geo.text.reports import make_article

    def warm():
        analyse(make_article("تحركت قوة من سبها نحو أوباري"))

    client.run(warm)


def _worker_cpu(client) -> float:
    """CPU seconds the workers' processes have spent so far, summed."""
    return sum(client.run(time.process_time).values())


def _line(label: str, n: int, wall: float, cpu: float, base: float | None = None,
          workers_cpu: float | None = None) -> str:
    rate = n / wall
    vs = f"  x{rate / base:4.2f} vs one process" if base else ""
    per_cpu = n / (cpu + (workers_cpu or 0.0))
    workers = f" + workers {workers_cpu:5.1f} s" if workers_cpu is not None else ""
    return (f"  {label:<42} {n:>6} reports {wall:6.1f} s {rate:7.0f} reports/s{vs}\n"
            f"  {'':<42} CPU: client {cpu:5.1f} s{workers} = {per_cpu:4.0f} reports per CPU second")


def _pg_store(url: str):
    from geo.store import PostGISStore

    schema = f"marsad_bench_{uuid.uuid4().hex[:12]}"
    return PostGISStore(url, schema=schema), schema


def _server_cpu(url: str | None) -> float | None:
    """CPU seconds the PostGIS server at ``url`` (this machine's, found by its port) has spent."""
    if not url:
        return None
    import psutil
    from urllib.parse import urlparse

    port = str(urlparse(url).port or 5432)
    for proc in psutil.process_iter(["cmdline"]):
        cmd = proc.info["cmdline"] or []
        if "-p" in cmd and cmd[cmd.index("-p") + 1:cmd.index("-p") + 2] == [port]:
            procs = [proc, *proc.children(recursive=True)]
            return sum(sum(p.cpu_times()[:2]) for p in procs if p.is_running())
    return None


def _drop(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=3000)
    ap.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    ap.add_argument("--store-only", type=int, default=1000, help="reports for the store-only line")
    ap.add_argument("--seed", default=str(ROOT.parent / "shared" / "seeds"))
    args = ap.parse_args()
    widths = [int(w) for w in args.workers.split(",")]
    pg_url = os.environ.get("MARSAD_TEST_PG_URL")

    from ingest import write_corpus   # bench/ingest.py: the same seed variants

    from geo import ingest
    from geo.ingest.cluster import ingest_on_cluster, local_cluster
    from geo.places.gazetteer import load_gazetteer
    from geo.places.geoparse import get_parser
    from geo.store import GeoPackageStore
    from geo.text.reports import ReadOptions, articles_in

    seed_text = sorted(Path(args.seed).glob("*.txt"))[0].read_text(encoding="utf-8")
    n = args.reports
    work = Path(tempfile.mkdtemp(prefix="marsad-cluster-bench-"))
    [corpus] = write_corpus(seed_text, n, work, [n])
    print(f"corpus: {n} reports of ~{len(seed_text)} chars, {corpus.stat().st_size / 2**20:.1f} MB of JSON lines; "
          f"{os.cpu_count()} cores")
    gazetteer = load_gazetteer()
    get_parser(gazetteer)

    print("\nend to end, each into a fresh GeoPackage:")
    t, c = time.perf_counter(), time.process_time()
    with GeoPackageStore(work / "serial.gpkg") as store:
        summary = ingest.ingest_paths([corpus], store=store, progress=False, gazetteer=gazetteer)
    base_wall, base_cpu = time.perf_counter() - t, time.process_time() - c
    assert summary.articles_new == n and not summary.skipped, summary.render()
    base = n / base_wall
    print(_line("one process (ingest_paths)", n, base_wall, base_cpu))
    events = summary.events_written

    for width in widths:
        t = time.perf_counter()
        with local_cluster(width) as client:
            _warm(client)
            up = time.perf_counter() - t
            t, c, w = time.perf_counter(), time.process_time(), _worker_cpu(client)
            with GeoPackageStore(work / f"cluster{width}.gpkg") as store:
                summary = ingest_on_cluster([corpus], store=store, client=client, progress=False)
            wall, cpu, w = time.perf_counter() - t, time.process_time() - c, _worker_cpu(client) - w
        assert summary.articles_new == n and summary.events_written == events, summary.render()
        print(_line(f"{width} worker{'s' * (width > 1)} (ingest_on_cluster)", n, wall, cpu, base, w)
              + f"; cluster start-up {up:.1f} s")

    # ---- what bounds the one client: reading and writing, each alone
    print("\nthe client's share, each alone:")
    t, c = time.perf_counter(), time.process_time()
    articles = [a for a, _ in articles_in(corpus, ReadOptions())]
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    print(_line("reading (articles_in: JSON, normalize)", len(articles), wall, cpu))
    m = min(args.store_only, n)
    analysed = [(a, *ingest.analyse(a, gazetteer=gazetteer)) for a in articles[:m]]
    batches = [analysed[k:k + ingest._BATCH] for k in range(0, m, ingest._BATCH)]
    targets = [("GeoPackage", lambda: (GeoPackageStore(work / "store_only.gpkg"), None))]
    if pg_url:
        targets.append(("PostGIS", lambda: _pg_store(pg_url)))
    for name, make in targets:
        store, schema = make()
        try:
            server = _server_cpu(pg_url if schema else None)
            t, c = time.perf_counter(), time.process_time()
            for batch in batches:
                store.write_articles(batch)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            print(_line(f"store only, {name} ({ingest._BATCH} a transaction)", m, wall, cpu))
            if server is not None:
                server = _server_cpu(pg_url) - server
                print(f"  {'':<42} the PostGIS server's CPU: {server:5.1f} s = {1000 * server / m:.2f} ms a report")
        finally:
            store.close()
            if schema:
                _drop(pg_url, schema)

    if pg_url:
        width = max(widths)
        print(f"\nPostGIS end to end ({width} workers, and one process, each into a fresh schema):")
        for label in ("one process (ingest_paths)", f"{width} workers (ingest_on_cluster)"):
            store, schema = _pg_store(pg_url)
            try:
                if label.startswith("one"):
                    t, c = time.perf_counter(), time.process_time()
                    summary = ingest.ingest_paths([corpus], store=store, progress=False, gazetteer=gazetteer)
                    wall, cpu = time.perf_counter() - t, time.process_time() - c
                    pg_base = n / wall
                else:
                    with local_cluster(width) as client:
                        _warm(client)
                        t, c, w = time.perf_counter(), time.process_time(), _worker_cpu(client)
                        summary = ingest_on_cluster([corpus], store=store, client=client, progress=False)
                        wall, cpu, w = time.perf_counter() - t, time.process_time() - c, _worker_cpu(client) - w
                assert summary.articles_new == n, summary.render()
                print(_line(label, n, wall, cpu, None if label.startswith("one") else pg_base,
                            None if label.startswith("one") else w))
            finally:
                store.close()
                _drop(pg_url, schema)
    shutil.rmtree(work)


if __name__ == "__main__":   # the workers, started by spawn, import this file again
    main()
