"""Archives on a Dask cluster: the client reads, the workers analyse, the client writes.

``python -m geo.ingest PATH... --workers N`` starts a local cluster of N worker processes on
127.0.0.1 (no dashboard, nothing listening beyond loopback); ``--cluster tcp://HOST:8786`` uses a
team's running scheduler instead. Either way the run is the serial one split in three:

- the client reads the files (folders, .txt, .html, JSON, JSON lines, WARC web archives) with
  the same readers, so a bad file or record is skipped with its file and line as before, and an
  article already stored (or met earlier in the run) is counted and never sent;
- the workers run ``geo.ingest.analyse`` (geoparse, then extract events) on batches of
  ``geo.ingest._BATCH`` articles; a report whose analysis fails is skipped with the reason;
- the client writes each analysed batch in one store transaction (``store.write_articles``),
  so a batch is stored whole or not at all, and only the client ever holds the store's
  credentials or file.

A worker that dies mid-batch loses nothing: the scheduler gives its batches to another worker
(each task is also retried on an error), and as nothing is written until a batch's results
are back, nothing is written twice. A batch that still fails is tried again one article a
task, so one poisonous report cannot take its 24 neighbours with it.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import geo.ingest as ingest
from geo.errors import InputError
from geo.models import Article
from geo.text.reports import MAX_CHARS, BadInput, Skipped, articles_in

logger = logging.getLogger(__name__)

#: Batches in flight per worker thread: enough to keep a worker busy while the client writes
#: the last batch back, few enough that the client never reads far ahead of the workers.
_AHEAD = 3
#: Tries of a batch after the first on an error in the task (a worker's death is handled by the
#: scheduler, which moves the batch to another worker, up to its allowed-failures).
_RETRIES = 2
#: How long to keep trying a scheduler's address before saying it cannot be reached.
_CONNECT_TIMEOUT = "20s"


def _analyse_batch(articles: Sequence[Article], gazetteer) -> list[tuple[bool, object, object]]:
    """On a worker: ``(True, mentions, events)`` or ``(False, reason, None)`` per article."""
    out = []
    for article in articles:
        try:
            # looked up at call time: a worker runs whatever geo.ingest.analyse is there
            mentions, events = ingest.analyse(article, gazetteer=gazetteer)
        except Exception as exc:  # noqa: BLE001 - one report's failure must not stop the run
            logger.exception("analysing article %s failed", article.id)
            out.append((False, f"{type(exc).__name__}: {exc}", None))
            continue
        out.append((True, mentions, events))
    return out


@contextlib.contextmanager
def local_cluster(workers: int):
    """A Dask client on a new cluster of ``workers`` processes (one thread each) on loopback.

    The scheduler, the workers and their nannies listen on 127.0.0.1 only, and no dashboard
    (nor any other HTTP route) is served: an ingest needs no network and opens none.
    """
    from distributed import Client, LocalCluster

    if not isinstance(workers, int) or workers < 1:
        raise InputError(f"workers must be a whole number of at least 1, got {workers!r}")
    import dask

    # Dask starts an HTTP server even with no dashboard; it serves nothing here
    with dask.config.set({"distributed.scheduler.http.routes": [], "distributed.worker.http.routes": []}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None, worker_dashboard_address=None,
                               silence_logs=logging.ERROR)
    with cluster, Client(cluster) as client:
        yield client


@contextlib.contextmanager
def _client(client, address: str | None, workers: int | None):
    if client is not None:
        yield client
    elif address:
        from distributed import Client

        try:
            connected = Client(address, timeout=_CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach a Dask scheduler at {address!r} (expected tcp://HOST:8786): "
                             f"{exc}") from None
        with connected:
            yield connected
    else:
        with local_cluster(workers or 1) as local:
            yield local


def ingest_on_cluster(paths: Sequence[str | Path], *, store, client=None, address: str | None = None,
                      workers: int | None = None, outlet: str | None = None, url: str | None = None,
                      published=None, progress: bool = True, gazetteer=None,
                      encoding: str | None = None, max_chars: int = MAX_CHARS) -> ingest.IngestSummary:
    """Ingest files and folders of reports into ``store``, analysing them on a Dask cluster.

    Parameters
    ----------
    paths : sequence of str or Path
        Files (.txt, .html, .htm, .json, .jsonl, .warc, .warc.gz) and folders to search for them.
    store : EventStore
        Written from this process only, one transaction per batch.
    client : distributed.Client, optional
        A client to use as it is (left open).
    address : str, optional
        A running scheduler (``tcp://HOST:8786``) when no client is given.
    workers : int, optional
        Without a client or an address: a local cluster of this many processes (default 1).
    outlet, url, published, gazetteer, encoding, max_chars, progress
        As for ``geo.ingest.ingest_paths``. The workers get the gazetteer only when it is not
        the shipped one (theirs is loaded once each).

    Returns
    -------
    IngestSummary
        The same counts and skipped records as ``ingest_paths`` on the same files.

    Raises
    ------
    InputError
        For a malformed ``published``, an unknown ``encoding``, or a scheduler that cannot be
        reached.
    StorageError
        When the store fails; batches written before stay intact.

    Examples
    --------
    >>> ingest_on_cluster(["archive.warc.gz"], store=open_store("postgresql://..."),
    ...                   address="tcp://10.0.0.5:8786")  # doctest: +SKIP
    """
    tally = ingest._Tally()
    options = ingest._read_options(tally, outlet=outlet, url=url, published=published,
                                   encoding=encoding, max_chars=max_chars)
    gazetteer = ingest.store_gazetteer(store, gazetteer)
    from geo.places.gazetteer import load_gazetteer

    shipped = gazetteer is load_gazetteer()
    with _client(client, address, workers) as dask:
        run = _Run(dask, store, tally, None if shipped else dask.scatter(gazetteer, broadcast=True, hash=False),
                   progress=progress)
        try:
            for batch in _batches(ingest._expand(paths, tally), options, store, tally):
                run.submit(batch)
            run.drain()
        finally:
            run.close()
    return tally.freeze()


def _batches(files: list[Path], options, store, tally) -> Iterator[list[tuple[str, Article]]]:
    """The new articles of the files, ``_BATCH`` at a time, each with the file it came from."""
    seen: set[str] = set()
    batch: list[tuple[str, Article]] = []
    for path in files:
        try:
            for item, _ in articles_in(path, options):
                if isinstance(item, Skipped):
                    tally.skip(item.source, item.reason)
                elif item.id in seen or store.has_article(item.id):
                    tally.articles_existing += 1   # neither analysed nor written again
                else:
                    seen.add(item.id)
                    batch.append((str(path), item))
                    if len(batch) == ingest._BATCH:
                        yield batch
                        batch = []
            tally.files_read += 1
        except BadInput as exc:
            tally.skip(str(path), str(exc))
        except OSError as exc:
            tally.skip(str(path), f"cannot read: {exc.strerror or exc}")
    if batch:
        yield batch


class _Run:
    """Batches in flight on the cluster, and each one's results written as it comes back."""

    def __init__(self, client, store, tally, gazetteer, *, progress: bool):
        from distributed import as_completed
        from tqdm import tqdm

        self.client, self.tally, self.gazetteer = client, tally, gazetteer
        self.writer = ingest._Writer(store, tally)
        self.done = as_completed()
        self.batches: dict = {}   # future -> its [(file, article)]
        threads = sum(client.nthreads().values()) or 1
        self.limit = _AHEAD * threads
        self.bar = tqdm(unit=" reports", file=sys.stderr, disable=not progress, dynamic_ncols=True)

    def submit(self, batch: list[tuple[str, Article]], *, retries: int = _RETRIES) -> None:
        future = self.client.submit(_analyse_batch, [a for _, a in batch], self.gazetteer,
                                    retries=retries, pure=False)
        self.batches[future] = batch
        self.done.add(future)
        while len(self.batches) >= self.limit:
            self._collect(next(self.done))
        for future in self.done.next_batch(block=False) if self.done.has_ready() else ():
            self._collect(future)

    def drain(self) -> None:
        while self.batches:
            self._collect(next(self.done))

    def _collect(self, future) -> None:
        batch = self.batches.pop(future)
        try:
            results = future.result()
        except Exception as exc:  # noqa: BLE001 - a batch that cannot be analysed is retried alone
            if len(batch) > 1:
                logger.warning("a batch of %d failed (%s: %s); trying its articles one by one",
                               len(batch), type(exc).__name__, exc)
                for one in batch:
                    self.submit([one], retries=0)
                return
            results = [(False, f"{type(exc).__name__}: {exc}", None)]
        for (path, article), (ok, mentions, events) in zip(batch, results):
            if ok:
                self.writer.add(article, mentions, events)
            else:
                self.tally.skip(path, f"analysis failed: {mentions}")
        self.writer.flush()   # the batch in one transaction: all of it or none
        self.bar.update(len(batch))

    def close(self) -> None:
        for future in self.batches:
            future.cancel()
        self.bar.close()
