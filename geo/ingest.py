"""Reports into the store: read files, find places, extract events, write each article once.

``python -m geo.ingest PATH... [--db DB] [--outlet NAME] [--url URL] [--published YYYY-MM-DD]``

Accepted files (folders are searched for them):

- ``.txt``: the report's text, UTF-8; its title is its first line.
- ``.html`` / ``.htm``: the main text is extracted by trafilatura (menus, footers
  and comments left out); title, date, site name and URL come from the page's
  metadata when it has them.
- ``.json``: one object, or a list of objects; ``.jsonl``: one object a line.
  Each object has ``text`` (required) and optionally ``title``, ``outlet``,
  ``url``, ``published`` (``YYYY-MM-DD``).

``--outlet``, ``--url`` and ``--published`` fill in what a JSON record leaves
out, and override what a web page's metadata says. An article's id is the
sha256 of its normalized text, so ingesting the same text twice stores it once.

A file (or a JSON line) that cannot be read is reported and skipped; the rest
go in. The store is ``--db`` if given, else ``$MARSAD_DB``, else
``var/marsad.gpkg`` under the current folder (git-ignored); a
``postgresql://`` URL selects PostGIS. The exit code is 1 only when no article
at all could be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import inspect
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from geo.errors import GeoError, InputError
from geo.models import Article
from geo.text.normalize import normalize

logger = logging.getLogger(__name__)

DEFAULT_DB = Path("var") / "marsad.gpkg"
SUFFIXES = frozenset({".txt", ".html", ".htm", ".json", ".jsonl"})
_SNIFF_BYTES = 8192
_TITLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something that was not ingested: a file, or one record of a file, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ingestion run did."""

    files_read: int = 0
    articles_new: int = 0
    articles_existing: int = 0
    events_written: int = 0
    mentions_written: int = 0
    skipped: tuple[Skipped, ...] = ()

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

    def skip(self, source: str, reason: str) -> None:
        logger.warning("skipped %s: %s", source, reason)
        self.skipped.append(Skipped(source, reason))

    def freeze(self) -> IngestSummary:
        return IngestSummary(self.files_read, self.articles_new, self.articles_existing,
                             self.events_written, self.mentions_written, tuple(self.skipped))


class _BadInput(Exception):
    """A file or record that cannot be ingested; the message is the reason shown."""


def article_id(text: str) -> str:
    """The id of a report: sha256 hex digest of its normalized text.

    Examples
    --------
    >>> article_id("بني  وليد") == article_id("بنى وليد")
    True
    """
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def make_article(text: str, *, title: str = "", outlet: str = "", url: str = "",
                 published: dt.date | None = None) -> Article:
    """An Article for ``text``, with its id and the ingestion time.

    Raises
    ------
    InputError
        When the text is empty once normalized.
    """
    normalized = normalize(text) if isinstance(text, str) else ""   # once: ~1.4 ms on a report
    if not normalized.strip():
        raise InputError(f"an article needs some text, got {text[:40] if isinstance(text, str) else text!r}")
    if not title:
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")[:_TITLE_CHARS]
    digest = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
    return Article(id=digest, text=text, title=title, outlet=outlet, url=url,
                   published=published, ingested_at=dt.datetime.now(dt.timezone.utc))


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
    """The files to read: given files as they are, folders searched for known suffixes."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            tally.skip(str(path), "no such file or folder")
    return files


def _decode(data: bytes) -> str:
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise _BadInput("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _BadInput(f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def _date(value: object, *, what: str) -> dt.date | None:
    """A publication date from 'YYYY-MM-DD' (or an ISO timestamp); None for empty."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise _BadInput(f"{what} must be YYYY-MM-DD, got {value!r}")


@dataclass(frozen=True, slots=True)
class _Defaults:
    outlet: str = ""
    url: str = ""
    published: dt.date | None = None


def _record_article(record: object, defaults: _Defaults) -> Article:
    """An Article from one JSON object; its own fields win over the defaults."""
    if not isinstance(record, dict):
        raise _BadInput(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _BadInput("missing or empty 'text'")
    strings = {}
    for key in ("title", "outlet", "url"):
        value = record.get(key) or ""
        if not isinstance(value, str):
            raise _BadInput(f"'{key}' must be a string, got {value!r}")
        strings[key] = value.strip()
    published = _date(record.get("published"), what="'published'") or defaults.published
    try:
        return make_article(text, title=strings["title"], outlet=strings["outlet"] or defaults.outlet,
                            url=strings["url"] or defaults.url, published=published)
    except InputError as exc:
        raise _BadInput(str(exc)) from None


def _html_article(data: bytes, defaults: _Defaults) -> Article:
    import trafilatura

    if b"\x00" in data[:_SNIFF_BYTES]:
        raise _BadInput("binary file, not HTML")
    # bytes, so trafilatura honours the page's own charset (Arabic sites still use windows-1256)
    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                      include_tables=False)
    text = doc.text if doc is not None else None
    if not text or not text.strip():
        raise _BadInput("no main text found in the page")
    published = defaults.published
    if published is None and doc.date:
        try:
            published = _date(doc.date, what="the page's date")
        except _BadInput:
            logger.warning("ignored the page's date %r", doc.date)
    try:
        return make_article(text, title=(doc.title or "").strip(),
                            outlet=defaults.outlet or (doc.sitename or "").strip(),
                            url=defaults.url or (doc.url or "").strip(), published=published)
    except InputError as exc:
        raise _BadInput(str(exc)) from None


def _articles_in(path: Path, defaults: _Defaults) -> Iterator[Article | Skipped]:
    """The articles of one file, and a Skipped for each bad record; _BadInput for a bad file."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise _BadInput(f"unsupported file type {suffix or '(none)'!r}; expected one of {sorted(SUFFIXES)}")
    if suffix == ".jsonl":
        yield from _jsonl_articles(path, defaults)
        return
    data = path.read_bytes()
    if suffix in (".html", ".htm"):
        yield _html_article(data, defaults)
    elif suffix == ".txt":
        text = _decode(data)
        try:
            yield make_article(text, outlet=defaults.outlet, url=defaults.url, published=defaults.published)
        except InputError:
            raise _BadInput("empty text") from None
    else:
        try:
            value = json.loads(_decode(data))
        except json.JSONDecodeError as exc:
            raise _BadInput(f"bad JSON: {exc}") from None
        records = value if isinstance(value, list) else [value]
        for n, record in enumerate(records):
            try:
                yield _record_article(record, defaults)
            except _BadInput as exc:
                yield Skipped(f"{path}[{n}]", str(exc))


def _jsonl_articles(path: Path, defaults: _Defaults) -> Iterator[Article | Skipped]:
    """One article per line, read line by line so memory stays flat on big files."""
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
        if b"\x00" in head:
            raise _BadInput("binary file, not JSON lines")
        f.seek(0)
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                yield _record_article(json.loads(_decode(raw)), defaults)
            except json.JSONDecodeError as exc:
                yield Skipped(f"{path}:{n}", f"bad JSON line: {exc}")
            except _BadInput as exc:
                yield Skipped(f"{path}:{n}", str(exc))


def ingest_paths(paths: Sequence[str | Path], *, store, outlet: str | None = None,
                 url: str | None = None, published: dt.date | str | None = None,
                 progress: bool = True, gazetteer=None) -> IngestSummary:
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
        Show a tqdm progress bar on stderr.
    gazetteer : Gazetteer, optional
        Loaded once (the shipped one) when not given; the store's added places and aliases
        are used with it.

    Returns
    -------
    IngestSummary
        Files read, articles new and already stored, events written, and
        every file or record skipped with its reason.

    Raises
    ------
    InputError
        For a malformed ``published``.
    StorageError
        When the store fails; articles written before stay intact.

    Examples
    --------
    >>> summary = ingest_paths(["reports/"], store=open_store("var/marsad.gpkg"))  # doctest: +SKIP
    >>> print(summary.render())
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    elif not isinstance(published, dt.date):
        try:
            published = _date(published, what="published")
        except _BadInput as exc:
            raise InputError(str(exc)) from None
    defaults = _Defaults(outlet=outlet or "", url=url or "", published=published)
    gazetteer = store_gazetteer(store, gazetteer)   # the analysts' places and aliases included
    from tqdm import tqdm


    tally = _Tally()
    files = _expand(paths, tally)
    writer = _Writer(store, tally)
    bar = tqdm(files, unit="file", file=sys.stderr, disable=not progress, dynamic_ncols=True)
    for path in bar:
        try:
            for item in _articles_in(path, defaults):
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
                read = tally.articles_new + tally.articles_existing + len(writer.pending)
                if progress and read % 50 == 0:
                    bar.set_postfix(articles=read, refresh=False)
            tally.files_read += 1
        except _BadInput as exc:
            tally.skip(str(path), str(exc))
        except OSError as exc:
            tally.skip(str(path), f"cannot read: {exc.strerror or exc}")
        writer.flush()   # a file's articles are stored before the next file is read
    bar.close()
    return tally.freeze()


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
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: ingest, print the summary, exit 1 only if nothing could be read."""
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
    try:
        summary = ingest_paths(args.paths, store=store, outlet=args.outlet, url=args.url,
                               published=args.published, progress=not args.no_progress,
                               gazetteer=gazetteer)
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"store: {db}")
    print(summary.render())
    return 0 if summary.articles_read else 1


if __name__ == "__main__":
    sys.exit(main())
