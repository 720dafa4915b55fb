"""Files of reports into Articles: every format, encoding and oddity a report arrives in.

Each reader yields an Article, or a ``Skipped`` naming the file (and the line or the record
index) and the reason, so one bad record never stops the others. ``make_article`` is the edge
where outside text enters Marsad: it is made safe for every store there (``geo.text.safe``).
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

from geo.errors import InputError
from geo.models import Article
from geo.text.files import decode_text, utf16_without_bom
from geo.text.normalize import normalize
from geo.text.safe import safe_text

logger = logging.getLogger(__name__)

SUFFIXES = frozenset({".txt", ".html", ".htm", ".json", ".jsonl", ".warc", ".warc.gz"})
_SNIFF_BYTES = 8192
_TITLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something that was not ingested: a file, or one record of a file, and why."""

    source: str
    reason: str


class BadInput(Exception):
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
    # the edge: what comes from outside is made safe for every store before anything else
    text, title, outlet, url = (safe_text(v) if isinstance(v, str) else v for v in (text, title, outlet, url))
    normalized = normalize(text) if isinstance(text, str) else ""   # once: ~1.4 ms on a report
    if not normalized.strip():
        raise InputError(f"an article needs some text, got {text[:40] if isinstance(text, str) else text!r}")
    if not title:
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")[:_TITLE_CHARS]
    digest = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
    return Article(id=digest, text=text, title=title, outlet=outlet, url=url,
                   published=published, ingested_at=dt.datetime.now(dt.timezone.utc))


def _decode(data: bytes, options: "ReadOptions", source: str) -> str:
    """The text of a file's bytes; a file not in UTF-8 is noted with the encoding it was read in."""
    try:
        text, encoding = decode_text(data, options.encoding)
    except InputError as exc:
        raise BadInput(str(exc)) from None
    if encoding != "UTF-8" and options.decoded is not None:
        options.decoded.append((source, encoding))
    return text


def _json(text: str, what: str = "JSON") -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"bad {what}: {exc}") from None
    except RecursionError:
        raise BadInput(f"bad {what}: nested too deep") from None


def parse_date(value: object, *, what: str) -> dt.date | None:
    """A publication date from 'YYYY-MM-DD' (or an ISO timestamp); None for empty."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise BadInput(f"{what} must be YYYY-MM-DD, got {value!r}")


#: Reports longer than this (in characters) are refused: such a text is an archive or a dump
#: of many reports, and analysing it as one would join claims that never met.
MAX_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class ReadOptions:
    outlet: str = ""
    url: str = ""
    published: dt.date | None = None
    encoding: str | None = None
    max_chars: int = MAX_CHARS
    decoded: list | None = None   # where files read in another encoding than UTF-8 are noted


def _sized(text: str, options: ReadOptions) -> str:
    if len(text) > options.max_chars:
        raise BadInput(f"a report of {len(text):,} characters is over the limit of {options.max_chars:,} "
                        "(--max-chars); split the file into its reports")
    return text


def _record_article(record: object, options: ReadOptions) -> Article:
    """An Article from one JSON object; its own fields win over the options."""
    if not isinstance(record, dict):
        raise BadInput(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInput("missing or empty 'text'")
    strings = {}
    for key in ("title", "outlet", "url"):
        value = record.get(key) or ""
        if not isinstance(value, str):
            raise BadInput(f"'{key}' must be a string, got {str(value)[:60]!r}")
        strings[key] = value.strip()
    published = parse_date(record.get("published"), what="'published'") or options.published
    try:
        return make_article(_sized(text, options), title=strings["title"],
                            outlet=strings["outlet"] or options.outlet,
                            url=strings["url"] or options.url, published=published)
    except InputError as exc:
        raise BadInput(str(exc)) from None


class _TextOnly(HTMLParser):
    """The text of a page outside scripts and styles, at any nesting depth."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = self.max_depth = self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)
        self._skip += tag in ("script", "style")
        if tag in ("p", "div", "br", "li", "h1", "h2", "h3", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)
        self._skip = max(0, self._skip - (tag in ("script", "style")))

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


# libxml2, under trafilatura, stops building the tree 256 elements deep and drops the text below.
_LXML_DEPTH = 250


def _html_article(data: bytes, options: ReadOptions) -> Article:
    import trafilatura

    if b"\x00" in data[:_SNIFF_BYTES]:
        raise BadInput("binary file, not HTML")
    # bytes, so trafilatura honours the page's own charset (Arabic sites still use windows-1256)
    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                      include_tables=False)
    text = doc.text if doc is not None else None
    shallow = _TextOnly()
    try:
        shallow.feed(trafilatura.utils.decode_file(data))
        shallow.close()
    except Exception:  # noqa: BLE001 - the fallback reader is only asked when it can help
        shallow.max_depth = 0
    if shallow.max_depth > _LXML_DEPTH:
        text = shallow.text()   # nested past what lxml keeps: read every level ourselves
    if not text or not text.strip():
        raise BadInput("no main text found in the page")
    published = options.published
    if published is None and doc is not None and doc.date:
        try:
            published = parse_date(doc.date, what="the page's date")
        except BadInput:
            logger.warning("ignored the page's date %r", doc.date)
    meta = doc or trafilatura.settings.Document()
    try:
        return make_article(_sized(text, options), title=(meta.title or "").strip(),
                            outlet=options.outlet or (meta.sitename or "").strip(),
                            url=options.url or (meta.url or "").strip(), published=published)
    except InputError as exc:
        raise BadInput(str(exc)) from None


def report_suffix(path: Path) -> str:
    """The suffix that says how a file is read: ``.warc.gz`` for a compressed web archive."""
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def _suffix(path: Path, head: bytes) -> str:
    """The file's type: its suffix, or for a stream without one (``/dev/fd/63``) its first bytes."""
    suffix = report_suffix(path)
    if suffix or path.is_file():
        return suffix
    if head.startswith(b"WARC/"):
        return ".warc"
    if head.startswith(b"\x1f\x8b"):   # gzip: of what we read, only a web archive comes compressed
        return ".warc.gz"
    first = head.lstrip()[:1]
    return ".jsonl" if first == b"{" else ".json" if first == b"[" else ".html" if first == b"<" else ".txt"


def articles_in(path: Path, options: ReadOptions) -> Iterator[tuple[Article | Skipped, int]]:
    """(article or Skipped, bytes of the file read so far) for one file; BadInput for a bad file."""
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
        suffix = _suffix(path, head)
        if suffix not in SUFFIXES:
            raise BadInput(f"unsupported file type {suffix or '(none)'!r}; expected one of {sorted(SUFFIXES)}")
        if suffix == ".jsonl":
            yield from _jsonl_articles(f, head, path, options)
            return
        if suffix in (".warc", ".warc.gz"):
            yield from _warc_articles(f, head, path, options)
            return
        data = head + f.read()
    if suffix in (".html", ".htm"):
        yield _html_article(data, options), len(data)
    elif suffix == ".txt":
        text = _sized(_decode(data, options, str(path)), options)
        try:
            yield make_article(text, outlet=options.outlet, url=options.url, published=options.published), len(data)
        except InputError:
            raise BadInput("empty text") from None
    else:
        value = _json(_decode(data, options, str(path)))
        records = value if isinstance(value, list) else [value]
        for n, record in enumerate(records):
            try:
                yield _record_article(record, options), len(data)
            except BadInput as exc:
                yield Skipped(f"{path}[{n}]", str(exc)), len(data)


def _utf16_lines(head: bytes) -> bool:
    """Whether JSON lines are UTF-16: a BOM, or NULs in every other byte from the start.

    JSON's braces, quotes and keys are ASCII, so UTF-16 JSON lines have a NUL in a good share
    of the bytes of one parity and none in the other; a UTF-8 file whose first line merely
    opens on a NUL (a corrupt record) is not UTF-16, and its good lines still go in.
    """
    start = head.lstrip()
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    # the NULs all on one parity (utf16_without_bom), and in a quarter of its bytes at least
    return (start.startswith((b"{\x00", b"\x00{")) and utf16_without_bom(start) is not None
            and start.count(0) >= max(2, len(start) // 8))


def _jsonl_articles(f, head: bytes, path: Path, options: ReadOptions) -> Iterator[tuple[Article | Skipped, int]]:
    """One article per line, read line by line so memory stays flat on big files."""
    utf16 = _utf16_lines(head)
    # no binary test for the whole file: a line with a NUL is that line's problem, the others go in
    if utf16:   # UTF-16 lines are decoded whole: a line break is two bytes there
        text = _decode(head + f.read(), options, str(path))
        rows = ((line.encode("utf-8"), line) for line in text.splitlines())
    else:
        rows = ((raw, None) for raw in _chained(head, f))
    done = 0
    for n, (raw, text) in enumerate(rows, start=1):
        done += len(raw) + (text is not None)
        if not raw.strip():
            continue
        try:
            line = text if text is not None else _line_text(raw, options.encoding)
            yield _record_article(_json(line, "JSON line"), options), done
        except BadInput as exc:
            yield Skipped(f"{path}:{n}", str(exc)), done


_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _warc_articles(f, head: bytes, path: Path, options: ReadOptions) -> Iterator[tuple[Article | Skipped, int]]:
    """One article per archived HTML page (a response with status 200), read by the same HTML
    reader as an .html file; the page's address is the record's target URI unless ``--url``
    says otherwise. Requests, metadata, revisits, redirects, images and scripts are no reports
    and pass unremarked; a page with no readable text is skipped as ``file@offset``."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(io.BufferedReader(_Prefixed(head, f)) if head else f)
    offset = 0
    try:
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
            if record.http_headers.get_statuscode() != "200" or kind not in _HTML_TYPES:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            data = record.content_stream().read()
            offset = records.get_record_offset()   # only once read: asking first skips the content
            if getattr(record.raw_stream, "limit", 0) > 0:   # a gzip member cut short reads as a short page
                raise BadInput(f"bad web archive: it ends inside the record at byte {offset} ({uri})")
            page_options = replace(options, url=options.url or uri)
            try:
                yield _html_article(data, page_options), offset
            except BadInput as exc:
                yield Skipped(f"{path}@{offset}", f"{uri}: {exc}"), offset
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        # what came before stays read; the broken rest of the archive is the file's problem
        raise BadInput(f"bad web archive after byte {offset}: {exc}") from None


def _line_text(raw: bytes, encoding: str | None) -> str:
    """A JSON line's text: UTF-8, as JSON is, unless ``--encoding`` says otherwise."""
    try:
        return raw.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"not {encoding or 'UTF-8'} (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None


def _chained(head: bytes, f) -> Iterator[bytes]:
    """The lines of a file whose first bytes were already read (a FIFO cannot seek back)."""
    rest = io.BufferedReader(_Prefixed(head, f)) if head else f
    yield from rest


class _Prefixed(io.RawIOBase):
    """``head`` then the rest of ``f``: a stream read once, its sniffed start put back."""

    def __init__(self, head: bytes, f):
        self.head, self.f = head, f

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        chunk = self.f.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)
