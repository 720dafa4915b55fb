"""The GeoPackage's own rows: reports named by their fid, their text compressed, events'
quotes and places stored short; the inserts.

Mentions and events name their report by its fid in ``articles`` (``geo.store.schema``: fids
are AUTOINCREMENT, never reused); the rows of ``geo.store.schema`` carry the report's text id,
and the inserts here swap it for the fid. The report's text is zlib-compressed, as PostgreSQL's
TOAST compresses it on the PostGIS side: Arabic UTF-8 shrinks to about two fifths.

Since schema 7 an event's quote that is the report's text at the event's span (nearly every
one) is not stored again (``SPAN``), and its places are kept without their JSON keys
(``compact_places``); reads give back the same text (``span_quotes``, ``expand_all``). PostGIS
keeps both as they are written.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Sequence

from geo.errors import InputError
from geo.models import Article
from geo.store.schema import (
    ARTICLE_TYPES,
    EVENT_STORED,
    MENTION_STORED_TYPES,
    PLACE_TYPES,
    _renamed,
    article_row,
)

ARTICLE_TYPES_GPKG = _renamed(ARTICLE_TYPES, "text", "text_zlib", "BLOB")
# The rows' article column: first of a mention's (after its blob), second of an event's.
_MENTION_ARTICLE, _EVENT_ARTICLE = 1, 2
# An event row's quote, its span and its places (after its blob).
_QUOTE, _PLACES = 1 + EVENT_STORED.index("quote"), 1 + EVENT_STORED.index("places")
#: what an event's quote column holds when the quote is its report's text from ``quote_start``
#: to ``quote_end``: an empty BLOB, which no quote (text, or NULL) is stored as
SPAN = b""
#: the rows of ``articles`` that are articles, not stubs (``_keyed``): a stored text is never NULL
STORED = "text_zlib IS NOT NULL"


def compress_text(text: str | None) -> bytes | None:
    """A report's text as stored: zlib of its UTF-8 (None stays None)."""
    return None if text is None else zlib.compress(text.encode("utf-8"), 9)


def decompress_text(blob: bytes | None) -> str | None:
    """The text ``compress_text`` stored, exactly."""
    return None if blob is None else zlib.decompress(blob).decode("utf-8")


def with_spans(event_rows: list[tuple], text: str | None) -> list[tuple]:
    """Event rows (blob first), ``SPAN`` in place of each quote that is ``text`` at the event's
    span; ``text`` is the report's as stored (None: not stored, every quote kept)."""
    if text is None:
        return event_rows
    q = _QUOTE
    return [(*row[:q], SPAN, *row[q + 1:]) if text[row[q + 1]:row[q + 2]] == row[q] else row
            for row in event_rows]


def span_quotes(query, fids: Sequence[int], quotes: Sequence, starts: Sequence[int],
                ends: Sequence[int]) -> Sequence:
    """The events' quotes, each ``SPAN`` read from its report's text (the report of ``fids``,
    read, decompressed and dropped 500 reports at a time); ``query(sql, params)`` runs a SELECT."""
    at: dict[int, list[int]] = {}
    for i, quote in enumerate(quotes):
        if quote.__class__ is bytes:
            at.setdefault(fids[i], []).append(i)
    if not at:
        return quotes
    out = list(quotes)
    keys = list(at)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        for fid, blob in query(f"SELECT fid, text_zlib FROM articles WHERE fid IN ({', '.join('?' * len(chunk))})",
                               chunk):
            text = decompress_text(blob)
            for i in at[fid]:
                out[i] = text[starts[i]:ends[i]]
    return out


# An event's places as ``geo.store.schema.event_row`` writes them, a JSON list of objects with
# the keys of ``geo.models.PlaceRole`` in order, are stored with the text between the values
# (the keys) each made one control character, which JSON text never holds raw.
_OPEN, _CLOSE = '[{"role": "', '"}]'
_PLACE_JOINS = (('", "place_id": "', "\x01"), ('", "name": "', "\x02"), ('", "precision": ', "\x03"),
                (', "start": ', "\x04"), (', "end": ', "\x05"), (', "qualifier": "', "\x06"),
                ('"}, {"role": "', "\x07"))


def compact_places(places: str | None) -> str | None:
    """The places JSON as stored: short when it expands back exactly (never starting with '['),
    else as it is (a JSON list starts with '[': an analyst's own keys, no places)."""
    if places is None or not places.startswith(_OPEN) or not places.endswith(_CLOSE):
        return places
    short = places[len(_OPEN):-len(_CLOSE)]
    for join, mark in _PLACE_JOINS:
        short = short.replace(join, mark)
    return short if not short.startswith("[") and expand_places(short) == places else places


def expand_places(stored: str | None) -> str | None:
    """The places JSON ``compact_places`` stored, exactly (``places_sql`` does the same in SQL)."""
    if stored is None or stored.startswith("["):
        return stored
    for join, mark in _PLACE_JOINS:
        stored = stored.replace(mark, join)
    return _OPEN + stored + _CLOSE


def expand_all(values: Sequence[str | None]) -> list[str | None]:
    """``expand_places`` of each value, a value met again (events of a report often name the same
    places) taken from the first: in Python, with this memo, a read spends a fraction of what
    ``places_sql`` costs SQLite (seven string replacements on every row)."""
    memo: dict[str, str] = {}
    out = []
    for value in values:
        if value is None or value.startswith("["):
            out.append(value)
        elif (known := memo.get(value)) is not None:
            out.append(known)
        else:
            memo[value] = known = expand_places(value)
            out.append(known)
    return out


def places_sql(column: str) -> str:
    """The SQL of ``expand_places`` of ``column``, for the events' view and corrections."""
    expanded = column
    for join, mark in _PLACE_JOINS:
        expanded = f"replace({expanded}, char({ord(mark)}), '{join}')"
    return f"CASE WHEN substr({column}, 1, 1) <> '[' THEN '{_OPEN}' || {expanded} || '{_CLOSE}' ELSE {column} END"


def article_values(article: Article) -> tuple:
    """An article's row in ``ARTICLE_TYPES_GPKG`` order."""
    *row, text = article_row(article)
    return (*row, compress_text(text))


#: a new article's row; one stored as a stub (``_keyed``) is filled in, a stored article left as it is
INSERT_ARTICLE = (f"INSERT INTO articles ({', '.join(ARTICLE_TYPES_GPKG)}) "
                  f"VALUES ({', '.join('?' * len(ARTICLE_TYPES_GPKG))}) ON CONFLICT (id) DO UPDATE SET "
                  + ", ".join(f"{c} = excluded.{c}" for c in ARTICLE_TYPES_GPKG if c != "id")
                  + " WHERE articles.text_zlib IS NULL")


def article_fids(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, int]:
    """The fids of the stored articles among ``ids``."""
    ids = list(dict.fromkeys(ids))
    found: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(conn.execute(f"SELECT id, fid FROM articles WHERE id IN ({', '.join('?' * len(chunk))})",
                                  chunk))
    return found


def _keyed(conn: sqlite3.Connection, rows: list[tuple], at: int) -> list[tuple]:
    """``rows`` with the article id at ``at`` swapped for its fid.

    An article not stored (``write`` takes events alone) gets a stub row holding only its id,
    so its events keep naming it; the stub is no article to ``has_article``, ``articles`` or
    ``stats`` (its text is NULL: ``STORED``), and writing the article later fills it in.
    """
    if not rows:
        return rows
    fids = article_fids(conn, (row[at] for row in rows))
    if missing := [key for key in dict.fromkeys(row[at] for row in rows) if key not in fids]:
        if any(not isinstance(key, str) or not key for key in missing):
            raise InputError(f"an event or mention needs its article's id, got {missing[0]!r}")
        conn.executemany("INSERT INTO articles (id) VALUES (?)", [(key,) for key in missing])
        fids.update(article_fids(conn, missing))
    return [(*row[:at], fids[row[at]], *row[at + 1:]) for row in rows]


class ArticleIds:
    """The text ids of articles by fid, for reads (events name their article by fid).

    Kept between reads, since a fid is never reused and an article's id never changes: a
    repeated read maps its fids from memory, and a new one looks up only fids not seen yet
    (about 1 µs each). Each read maps from a dict of its own, so a read in another thread that
    empties the kept ids (past ``cap``, to bound memory) changes nothing here.
    """

    __slots__ = ("_ids", "cap")

    def __init__(self, cap: int = 200_000) -> None:
        self._ids: dict[int, str] = {}
        self.cap = cap

    def of(self, query, fids: Sequence[int | None]) -> list[str | None]:
        """The id of each fid (None for None); ``query(sql, params)`` runs a SELECT."""
        kept = self._ids
        ids = {f: kept.get(f) for f in set(fids) if f is not None}
        if missing := [f for f, key in ids.items() if key is None]:
            if len(missing) > 20_000:   # most of a large store: one walk of the table beats lookups
                found = dict(query("SELECT fid, id FROM articles", ()))
            else:
                found = {}
                for start in range(0, len(missing), 500):
                    chunk = missing[start:start + 500]
                    found.update(query(f"SELECT fid, id FROM articles WHERE fid IN ({', '.join('?' * len(chunk))})",
                                       chunk))
            new = {f: found[f] for f in missing if f in found}
            ids.update(new)
            if len(kept) + len(new) > self.cap:
                self._ids = kept = {}
            kept.update(new)
        get = ids.get
        return [get(f) for f in fids]


# ---------------------------------------------------------------------------- inserts

def insert_areas(conn: sqlite3.Connection, area_rows: list[tuple]) -> None:
    """Shared areas (id, blob); one another writer stored already is left as it is (same id,
    same shape)."""
    conn.executemany("INSERT OR IGNORE INTO areas (fid, geom) VALUES (?, ?)", area_rows)


def insert_places(conn: sqlite3.Connection, place_rows: list[tuple]) -> None:
    """The places whose geometry mentions borrow (rows with blobs)."""
    conn.executemany(
        f"INSERT OR IGNORE INTO places (geom, {', '.join(PLACE_TYPES)}) "
        f"VALUES ({', '.join('?' * (len(PLACE_TYPES) + 1))})", place_rows)


def insert_mentions(conn: sqlite3.Connection, mention_rows: list[tuple]) -> None:
    """Mentions (rows with blobs and their article's text id, as ``geo.store.schema.mention_row``)."""
    conn.executemany(
        f"INSERT INTO mentions (geom, {', '.join(MENTION_STORED_TYPES)}) "
        f"VALUES ({', '.join('?' * (len(MENTION_STORED_TYPES) + 1))})", _keyed(conn, mention_rows, _MENTION_ARTICLE))


def insert_events(conn: sqlite3.Connection, event_rows: list[tuple]) -> None:
    """Events (rows with blobs and their article's text id), replacing a stored event of the same id;
    their places stored short (``compact_places``).

    Update, then insert, rather than an UPSERT: SQLite lets the outer statement's conflict
    policy override the R-tree trigger's INSERT OR REPLACE, which then fails.
    """
    p = _PLACES
    event_rows = [(*row[:p], compact_places(row[p]), *row[p + 1:])
                  for row in _keyed(conn, event_rows, _EVENT_ARTICLE)]
    ids = [row[1] for row in event_rows]
    stored: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        stored.update(r[0] for r in conn.execute(
            f"SELECT id FROM events WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
    columns = ("geom", *EVENT_STORED)
    if stored:
        conn.executemany(
            f"UPDATE events SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            [(*row, row[1]) for row in event_rows if row[1] in stored])
    conn.executemany(
        f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [row for row in event_rows if row[1] not in stored])
