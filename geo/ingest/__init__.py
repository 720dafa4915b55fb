"""Reports into the store: read files, find places, extract events, write each article once.

``python -m geo.ingest PATH... [--db DB] [--outlet NAME] [--url URL] [--published YYYY-MM-DD]
[--workers N | --cluster tcp://HOST:8786]``

Accepted files (folders are searched for them):

- ``.txt``: the report's text, UTF-8; its title is its first line.
- ``.html`` / ``.htm``: the main text is extracted by trafilatura (menus, footers
  and comments left out); title, date, site name and URL come from the page's
  metadata when it has them.
- ``.json``: one object, or a list of objects; ``.jsonl``: one object a line.
  Each object has ``text`` (required) and optionally ``title``, ``outlet``,
  ``url``, ``published`` (``YYYY-MM-DD``).
- ``.warc`` / ``.warc.gz``: a web archive; each HTML page it holds (a response with status
  200) is read as an .html file is, its address being the record's target URI.

``--workers N`` analyses on a local Dask cluster of N processes, ``--cluster`` on a running
scheduler's workers; this process still reads the files and writes the store, a batch per
transaction (``geo.ingest.cluster``).

``--outlet``, ``--url`` and ``--published`` fill in what a JSON record leaves
out, and override what a web page's metadata says. An article's id is the
sha256 of its normalized text, so ingesting the same text twice stores it once.

Text files and JSON may be UTF-8, UTF-16 or one of the Arabic code pages (Windows-1256,
ISO-8859-6): the summary says which encoding a file was read in; ``--encoding`` names it when
the guess is wrong. Text is made safe for every store once, here (``geo.text.safe``).

A file (or a record of one) that cannot be read is reported with its file and line and
skipped; the rest go in. The store is ``--db`` if given, else ``$MARSAD_DB``, else
``var/marsad.gpkg`` under the current folder (git-ignored); a ``postgresql://`` URL selects
PostGIS. The exit code is 0 when every record went in (or was already stored), 3 when some
were skipped and the rest went in, and 1 when no article at all could be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from geo.errors import GeoError, InputError
from geo.models import Article
from geo.text.files import decode_text
from geo.text.reports import (  # noqa: F401 - article_id, make_article and Skipped are ingest's API too
    MAX_CHARS, SUFFIXES, BadInput, ReadOptions, Skipped, article_id, articles_in, make_article, parse_date,
    report_suffix)
from geo.text.safe import safe_text

logger = logging.getLogger(__name__)

DEFAULT_DB = Path("var") / "marsad.gpkg"


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ingestion run did."""

    files_read: int = 0
    articles_new: int = 0
    articles_existing: int = 0
    events_written: int = 0
    mentions_written: int = 0
    skipped: tuple[Skipped, ...] = ()
    decoded: tuple[tuple[str, str], ...] = ()   # (file, encoding) for files not in UTF-8

    @property
    def articles_read(self) -> int:
        return self.articles_new + self.articles_existing

    def render(self) -> str:
        """The summary as a few lines of plain text, as the CLI prints it."""
        lines = [
            f"files read: {self.files_read}",
            f"articles: {self.articles_new} new, {self.articles_existing} already stored",
            f"places found: {self.mentions_written}",
            f"events written: {self.events_written}",
            f"skipped: {len(self.skipped)}",
        ]
        lines += [f"  {s.source}: {s.reason}" for s in self.skipped]
        lines += [f"read as {encoding}: {source}" for source, encoding in self.decoded]
        return "\n".join(lines)


@dataclass(slots=True)
class _Tally:
    """Counts as a run goes; frozen into an IngestSummary at the end."""

    files_read: int = 0
    articles_new: int = 0
    articles_existing: int = 0
    events_written: int = 0
    mentions_written: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    decoded: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, source: str, reason: str) -> None:
        logger.warning("skipped %s: %s", source, reason)
        self.skipped.append(Skipped(source, reason))

    def freeze(self) -> IngestSummary:
        return IngestSummary(self.files_read, self.articles_new, self.articles_existing,
                             self.events_written, self.mentions_written, tuple(self.skipped),
                             tuple(self.decoded))


# --------------------------------------------------------------------------- the pipeline

@cache
def _extract_takes_mentions() -> bool:
    from geo.events.extract import extract_events
    return "mentions" in inspect.signature(extract_events).parameters


def analyse(article: Article, *, gazetteer=None) -> tuple[list, list]:
    """The mentions and events of one article (``find_places`` then ``extract_events``)."""
    from geo.events.extract import extract_events
    from geo.places.geoparse import find_places

    mentions = find_places(article.text, gazetteer=gazetteer)
    if _extract_takes_mentions():
        events = extract_events(article, mentions=mentions, gazetteer=gazetteer)
    else:
        events = extract_events(article, gazetteer=gazetteer)
    return mentions, events


def _ingest(store, article: Article, gazetteer) -> tuple[bool, int, int]:
    """(new?, mentions written, events written) for one article."""
    if store.has_article(article.id):   # skip the parsing as well as the write
        return False, 0, 0
    mentions, events = analyse(article, gazetteer=gazetteer)
    if not store.write_article(article, mentions, events):
        return False, 0, 0   # another writer stored it meanwhile
    return True, len(mentions), len(events)


# Articles analysed before one store transaction writes them all: each commit costs
# about as much as a whole article's rows, and a crash loses at most this many
# analyses (never stored data; the next run redoes them).
_BATCH = 25


class _Writer:
    """Collects analysed articles and writes them a batch per transaction."""

    def __init__(self, store, tally: _Tally):
        self.store, self.tally = store, tally
        self.pending: list[tuple[Article, list, list]] = []
        self.pending_ids: set[str] = set()
        self.batched = hasattr(store, "write_articles")

    def add(self, article: Article, mentions: list, events: list) -> None:
        self.pending.append((article, mentions, events))
        self.pending_ids.add(article.id)
        if len(self.pending) >= _BATCH or not self.batched:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        items, self.pending = self.pending, []
        self.pending_ids.clear()
        try:
            written = self.store.write_articles(items) if self.batched else None
        except InputError:
            written = None   # one bad item stops the whole batch: write them one by one
        if written is None:
            written = []
            for article, mentions, events in items:
                try:
                    written.append(self.store.write_article(article, mentions, events))
                except InputError as exc:
                    self.tally.skip(article.url or article.id, f"not stored: {exc}")
                    written.append(None)
        for (_, mentions, events), new in zip(items, written):
            if new is None:
                continue
            if new:
                self.tally.articles_new += 1
                self.tally.mentions_written += len(mentions)
                self.tally.events_written += len(events)
            else:
                self.tally.articles_existing += 1   # another writer stored it meanwhile


def ingest_article(store, article: Article, *, gazetteer=None) -> bool:
    """Geoparse one article, extract its events and store all of it in one transaction.

    Parameters
    ----------
    store : EventStore
    article : Article
    gazetteer : Gazetteer, optional
        Defaults to the shipped gazetteer.

    Returns
    -------
    bool
        True when the article was new; False (and no work done) when its id is
        already stored.

    Raises
    ------
    StorageError
        When the store cannot be written; nothing of the article is stored.

    Examples
    --------
    >>> ingest_article(store, make_article("تحركت قوة من سبها نحو أوباري"))  # doctest: +SKIP
    True
    """
    return _ingest(store, article, gazetteer)[0]


def store_gazetteer(store, base=None):
    """The gazetteer extraction uses for ``store``: the shipped one with the analysts' additions.

    Built anew only when the additions change (a new Gazetteer means a new matcher, ~0.4 s).
    """
    if base is None:
        from geo.places.gazetteer import load_gazetteer
        base = load_gazetteer()
    additions = store.user_places() if hasattr(store, "user_places") else []
    if not additions:
        return base
    key = (id(base), repr([(a["place_id"], a["aliases"], a["geometry"] and a["geometry"].wkb) for a in additions]))
    cached = _GAZETTEERS.get(key)
    if cached is None:
        _GAZETTEERS.clear()   # one combined gazetteer at a time: the additions only grow
        cached = _GAZETTEERS[key] = base.with_additions(additions)
    return cached


_GAZETTEERS: dict[tuple, object] = {}


# --------------------------------------------------------------------------- reading files

def _expand(paths: Iterable[str | Path], tally: _Tally) -> list[Path]:
    """The files to read: given files as they are, folders searched for known suffixes.

    A named path that is not a regular file but can be read (a FIFO, ``<(zcat reports.jsonl.gz)``)
    is read as a stream; a folder's FIFOs and devices are left alone.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and report_suffix(p) in SUFFIXES)
        elif path.exists():
            files.append(path)
        else:
            tally.skip(str(path), "no such file or folder")
    return files


def ingest_paths(paths: Sequence[str | Path], *, store, outlet: str | None = None,
                 url: str | None = None, published: dt.date | str | None = None,
                 progress: bool = True, gazetteer=None, encoding: str | None = None,
                 max_chars: int = MAX_CHARS, on_progress=None) -> IngestSummary:
    """Ingest files and folders of reports into ``store``.

    Parameters
    ----------
    paths : sequence of str or Path
        Files (.txt, .html, .htm, .json, .jsonl) and folders to search for them.
    store : EventStore
    outlet, url : str, optional
        Fill in what a JSON record leaves out; override a web page's metadata.
    published : date or 'YYYY-MM-DD', optional
        The publication date, on the same terms.
    progress : bool, default True
        Show a tqdm progress bar on stderr (it moves by the bytes read, within a file too).
    gazetteer : Gazetteer, optional
        Loaded once (the shipped one) when not given; the store's added places and aliases
        are used with it.
    encoding : str, optional
        The text files' encoding; guessed per file when not given (``geo.text.files``).
    max_chars : int, default MAX_CHARS
        A longer report is skipped with the reason.
    on_progress : callable, optional
        ``on_progress(bytes_done, bytes_total)`` after every record (the app's progress bar).

    Returns
    -------
    IngestSummary
        Files read, articles new and already stored, events written, and
        every file or record skipped with its reason.

    Raises
    ------
    InputError
        For a malformed ``published`` or an unknown ``encoding``.
    StorageError
        When the store fails; articles written before stay intact.

    Examples
    --------
    >>> summary = ingest_paths(["reports/"], store=open_store("var/marsad.gpkg"))  # doctest: +SKIP
    >>> print(summary.render())
    """
    tally = _Tally()
    options = _read_options(tally, outlet=outlet, url=url, published=published, encoding=encoding,
                            max_chars=max_chars)
    gazetteer = store_gazetteer(store, gazetteer)   # the analysts' places and aliases included
    from tqdm import tqdm

    files = _expand(paths, tally)
    sizes = [_size(path) for path in files]
    total = sum(sizes)
    writer = _Writer(store, tally)
    bar = tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, disable=not progress,
               dynamic_ncols=True)
    done = 0
    for path, size in zip(files, sizes):
        seen = 0
        bar.set_postfix_str(path.name[-40:], refresh=False)
        try:
            for item, seen_now in articles_in(path, options):
                bar.update(max(0, min(seen_now, size or seen_now) - seen))
                seen = max(seen, min(seen_now, size or seen_now))
                if on_progress is not None:
                    on_progress(done + seen, total)
                if isinstance(item, Skipped):
                    tally.skip(item.source, item.reason)
                    continue
                if item.id in writer.pending_ids or store.has_article(item.id):
                    tally.articles_existing += 1   # skip the parsing as well as the write
                    continue
                try:
                    mentions, events = analyse(item, gazetteer=gazetteer)
                except Exception as exc:  # noqa: BLE001 - one report's failure must not stop the run
                    logger.exception("analysing an article of %s failed", path)
                    tally.skip(str(path), f"analysis failed: {type(exc).__name__}: {exc}")
                    continue
                writer.add(item, mentions, events)
            tally.files_read += 1
        except BadInput as exc:
            tally.skip(str(path), str(exc))
        except OSError as exc:
            tally.skip(str(path), f"cannot read: {exc.strerror or exc}")
        writer.flush()   # a file's articles are stored before the next file is read
        bar.update(max(0, size - seen))
        done += size
        if on_progress is not None:
            on_progress(done, total)
    bar.close()
    return tally.freeze()


def _read_options(tally: _Tally, *, outlet, url, published, encoding, max_chars) -> ReadOptions:
    """The readers' options from a run's arguments; InputError for a bad date or encoding name."""
    if isinstance(published, dt.datetime):
        published = published.date()
    elif not isinstance(published, dt.date):
        try:
            published = parse_date(published, what="published")
        except BadInput as exc:
            raise InputError(str(exc)) from None
    if encoding:
        decode_text(b"", encoding)   # an unknown name fails here, once, not on every file
    return ReadOptions(outlet=safe_text(outlet or ""), url=safe_text(url or ""), published=published,
                       encoding=encoding, max_chars=max_chars, decoded=tally.decoded)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


# --------------------------------------------------------------------------- CLI

def resolve_db(db: str | None, environ: dict | None = None) -> str:
    """``--db`` beats ``$MARSAD_DB`` beats ``var/marsad.gpkg`` under the current folder."""
    environ = os.environ if environ is None else environ
    return db or environ.get("MARSAD_DB") or str(DEFAULT_DB)


def _published_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo.ingest",
        description="Ingest Arabic news reports (.txt, .html, .json, .jsonl, or folders of them) "
                    "into the Marsad store.")
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--db", help="GeoPackage path or postgresql:// URL "
                                     f"(default: $MARSAD_DB, else {DEFAULT_DB})")
    parser.add_argument("--outlet", help="the outlet that published the reports")
    parser.add_argument("--url", help="the report's address")
    parser.add_argument("--published", type=_published_arg, metavar="YYYY-MM-DD",
                        help="the publication date")
    parser.add_argument("--gazetteer", help="a gazetteer GeoJSON file (default: the shipped one)")
    parser.add_argument("--encoding", help="the text files' encoding (default: UTF-8, UTF-16, Windows-1256 "
                                           "or ISO-8859-6, told apart per file)")
    parser.add_argument("--max-chars", type=int, default=MAX_CHARS, metavar="N",
                        help=f"skip a report longer than N characters (default {MAX_CHARS:,})")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_workers_arg, metavar="N",
                       help="analyse on a local Dask cluster of N processes (loopback only)")
    where.add_argument("--cluster", metavar="tcp://HOST:8786",
                       help="analyse on a running Dask scheduler's workers; this process reads and writes")
    return parser


def _workers_arg(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def _keep_index(db) -> None:
    """Leave the app's event index beside a GeoPackage the ingest wrote (geo.store.index_file),
    so the first server on it reads the index instead of scanning every event (seconds at a
    million). Built after the ingest's close, on a store only read, so the file's stamp is the
    store's state the next opener sees; any failure leaves the app to build it as before."""
    from geo.store import open_store
    from geo.store.gpkg import GeoPackageStore
    from geo.store.summary import event_index

    try:
        store = open_store(db)
    except GeoError:
        return
    try:
        if isinstance(store, GeoPackageStore):
            event_index(store)
    except GeoError:
        pass
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ingest, print the summary; exit 0, 3 when some were skipped, 1 when
    nothing could be read."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    from geo.places.gazetteer import load_gazetteer
    from geo.store import open_store

    db = resolve_db(args.db)
    try:
        gazetteer = load_gazetteer(args.gazetteer)
        store = open_store(db)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    run = ingest_paths
    if args.workers or args.cluster:
        from functools import partial

        from geo.ingest.cluster import ingest_on_cluster
        logging.getLogger("distributed").setLevel(logging.ERROR)   # its INFO lines bury the summary
        run = partial(ingest_on_cluster, workers=args.workers, address=args.cluster)
    try:
        summary = run(args.paths, store=store, outlet=args.outlet, url=args.url,
                      published=args.published, progress=not args.no_progress,
                      gazetteer=gazetteer, encoding=args.encoding, max_chars=args.max_chars)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    _keep_index(db)
    print(f"store: {db}")
    print(summary.render())
    if not summary.articles_read:
        return 1
    return 3 if summary.skipped else 0

