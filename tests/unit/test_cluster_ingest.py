"""Ingest on a Dask cluster (geo.ingest.cluster) stores what the serial run stores.

One LocalCluster of two worker processes on 127.0.0.1 serves the module, the way
``--workers 2`` starts one; ``--cluster`` is driven against its scheduler's address. The
corpus mixes every reader: the samples (JSON), the golden cases' texts as JSON lines with
two bad lines, and a web archive of pages built from the samples with warcio.
"""

from __future__ import annotations

import json
import os
import signal
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from geo import ingest
from geo.ingest.cluster import ingest_on_cluster, local_cluster
from geo.store import GeoPackageStore
from web_archive import html_page, write_warc

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("cluster-corpus")
    cases = sorted((ROOT / "tests" / "golden" / "cases").glob("*.json"))
    lines = [json.dumps({"text": json.loads(p.read_text(encoding="utf-8"))["text"], "outlet": "golden",
                         "published": "2024-03-01"}, ensure_ascii=False) for p in cases]
    lines.insert(5, "{not json")
    lines.insert(40, json.dumps({"title": "no text"}))
    (folder / "cases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    samples = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.json"))]
    # the samples' texts with a line more, so the archive's pages are reports of their own
    write_warc(folder / "site.warc.gz", [
        (f"https://example.org/archive/{n}", 200, "text/html; charset=utf-8",
         html_page(s["title"], s["text"] + "\nوأكد مصدر محلي الخبر.")) for n, s in enumerate(samples[:12])
    ] + [("https://example.org/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n")])
    return [SAMPLES, folder / "cases.jsonl", folder / "site.warc.gz"]


def _contents(db: Path) -> dict:
    """What a store holds, row order and ingestion times aside."""
    with GeoPackageStore(db) as store:
        articles = store.articles().drop(columns=["ingested_at"], errors="ignore")
        events = store.read()
        mentions = store.mentions()
        stats = store.stats()
    events = pd.DataFrame(events).assign(geometry=events.geometry.to_wkb(hex=True)).drop(
        columns=["ingested_at"], errors="ignore")
    mentions = pd.DataFrame(mentions).assign(geometry=mentions.geometry.to_wkb(hex=True))
    return {
        "articles": articles.sort_values("id").astype(str).values.tolist(),
        "events": events.sort_values("id").astype(str).values.tolist(),
        "mentions": sorted(map(str, mentions.astype(str).values.tolist())),
        "stats": stats,
    }


def _counts(summary: ingest.IngestSummary) -> tuple:
    return (summary.files_read, summary.articles_new, summary.articles_existing, summary.events_written,
            summary.mentions_written, sorted((s.source, s.reason) for s in summary.skipped))


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory) -> tuple[ingest.IngestSummary, dict, Path]:
    db = tmp_path_factory.mktemp("serial") / "serial.gpkg"
    with GeoPackageStore(db) as store:
        summary = ingest.ingest_paths(corpus, store=store, progress=False)
    return summary, _contents(db), db


@pytest.fixture(scope="module")
def client():
    with local_cluster(2) as dask:
        yield dask


def test_the_cluster_listens_on_loopback_only_and_serves_no_dashboard(client):
    import psutil

    info = client.scheduler_info()
    assert len(info["workers"]) == 2
    addresses = [client.scheduler.address, *info["workers"], *(w["nanny"] for w in info["workers"].values())]
    assert all(a.startswith("tcp://127.0.0.1:") for a in addresses), addresses
    # the HTTP servers Dask always starts (scheduler, workers) answer nothing: no dashboard, no status
    http_ports = [info["services"]["dashboard"], *(w["services"]["dashboard"] for w in info["workers"].values())]
    for port in http_ports:
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=5)
    # every socket the worker processes listen on, and the scheduler's and nannies' in this one
    ours = {int(a.rsplit(":", 1)[1]) for a in addresses[:1] + addresses[len(info["workers"]) + 1:]}
    ours |= set(http_ports[:1])
    listening = [(c.laddr.ip, c.laddr.port) for c in psutil.Process().net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN and c.laddr.port in ours]
    for pid in client.run(os.getpid).values():
        listening += [(c.laddr.ip, c.laddr.port) for c in psutil.Process(pid).net_connections(kind="inet")
                      if c.status == psutil.CONN_LISTEN]
    assert len(listening) >= len(ours) + 2 * len(info["workers"]), listening
    assert {ip for ip, _ in listening} == {"127.0.0.1"}, listening


def test_cluster_ingest_stores_what_the_serial_run_stores(corpus, serial, client, tmp_path):
    summary, stored, _ = serial
    assert summary.articles_new > 150 and summary.events_written > 100   # the corpus is read at all
    assert [s.source.rsplit("/", 1)[-1] for s in summary.skipped] == ["cases.jsonl:6", "cases.jsonl:41"]
    db = tmp_path / "cluster.gpkg"
    with GeoPackageStore(db) as store:
        on_cluster = ingest_on_cluster(corpus, store=store, client=client, progress=False)
    assert _counts(on_cluster) == _counts(summary)
    assert _contents(db) == stored

    # a re-run reads every article, analyses and writes none
    with GeoPackageStore(db) as store:
        again = ingest_on_cluster(corpus, store=store, client=client, progress=False)
    assert (again.articles_new, again.articles_existing) == (0, summary.articles_read)
    assert again.events_written == again.mentions_written == 0
    assert _contents(db) == stored


def _keys(articles, events) -> tuple:
    """What both backends must agree on, their column types aside."""
    return (sorted(zip(articles["id"], articles["url"], articles["title"])),
            sorted(zip(events["id"], events["article_id"], events["type"], events.geometry.to_wkb(hex=True))))


@pytest.mark.parametrize("event_store", ["postgis"], indirect=True)
def test_cluster_ingest_into_postgis_stores_what_the_serial_run_stores(corpus, serial, client, event_store,
                                                                         tmp_path):
    summary, stored, serial_db = serial
    on_cluster = ingest_on_cluster(corpus, store=event_store, client=client, progress=False)
    assert _counts(on_cluster) == _counts(summary)
    assert event_store.stats() == stored["stats"]
    with GeoPackageStore(serial_db) as serial_store:
        assert _keys(event_store.articles(), event_store.read()) == _keys(serial_store.articles(), serial_store.read())


def _kill_this_worker_on_the_third_article(marker: str) -> None:
    """On a worker: geo.ingest.analyse dies (SIGKILL, no cleanup) on the third article this
    process sees, if no worker has died yet; the marker file says one has."""
    real = ingest.analyse
    seen = []

    def analyse(article, **options):
        seen.append(article.id)
        if len(seen) == 3:
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                pass
            else:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(article, **options)

    ingest.analyse = analyse


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(corpus, serial, client, tmp_path):
    summary, stored, _ = serial
    marker = tmp_path / "killed"
    before = set(client.scheduler_info()["workers"])
    client.run(_kill_this_worker_on_the_third_article, str(marker))
    db = tmp_path / "killed.gpkg"
    with GeoPackageStore(db) as store:
        on_cluster = ingest_on_cluster(corpus, store=store, client=client, progress=False)
    assert marker.exists()   # a worker did die in the middle of a batch
    client.wait_for_workers(2, timeout=60)
    assert set(client.scheduler_info()["workers"]) != before   # its nanny started a new one
    assert _counts(on_cluster) == _counts(summary)
    assert _contents(db) == stored


def test_the_command_line_on_a_running_scheduler_exits_3_naming_the_bad_lines(corpus, client, tmp_path, capsys):
    db = tmp_path / "cli.gpkg"
    code = ingest.main([str(corpus[1]), "--db", str(db), "--cluster", client.scheduler.address, "--no-progress"])
    out = capsys.readouterr().out
    assert code == 3
    assert f"{corpus[1]}:6: bad JSON line" in out and f"{corpus[1]}:41: missing or empty 'text'" in out
    with GeoPackageStore(db) as store:   # every golden case is one report; the two bad lines none
        assert store.stats().articles == len(list((ROOT / "tests" / "golden" / "cases").glob("*.json")))


def test_an_unreachable_scheduler_is_an_error_in_words(tmp_path, capsys, monkeypatch):
    from geo.ingest import cluster

    monkeypatch.setattr(cluster, "_CONNECT_TIMEOUT", "1s")
    code = ingest.main([str(SAMPLES), "--db", str(tmp_path / "x.gpkg"), "--cluster", "tcp://127.0.0.1:9",
                        "--no-progress"])
    assert code == 1
    assert "cannot reach a Dask scheduler at 'tcp://127.0.0.1:9'" in capsys.readouterr().err
