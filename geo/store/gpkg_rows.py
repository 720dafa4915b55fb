"""The GeoPackage's own rows: reports named by their fid, their text compressed; the inserts.

Mentions and events name their report by its fid in ``articles`` (``geo.store.schema``: fids
are AUTOINCREMENT, never reused); the rows of ``geo.store.schema`` carry the report's text id,
and the inserts here swap it for the fid. The report's text is zlib-compressed, as PostgreSQL's
TOAST compresses it on the PostGIS side: Arabic UTF-8 shrinks to about two fifths.
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
#: the rows of ``articles`` that are articles, not stubs (``_keyed``): a stored text is never NULL
STORED = "text_zlib IS NOT NULL"


def compress_text(text: str | None) -> bytes | None:
    """A report's text as stored: zlib of its UTF-8 (None stays None)."""
    return None if text is None else zlib.compress(text.encode("utf-8"), 9)


def decompress_text(blob: bytes | None) -> str | None:
    """The text ``compress_text`` stored, exactly."""
    return None if blob is None else zlib.decompress(blob).decode("utf-8")


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
    """Events (rows with blobs and their article's text id), replacing a stored event of the same id.

    Update, then insert, rather than an UPSERT: SQLite lets the outer statement's conflict
    policy override the R-tree trigger's INSERT OR REPLACE, which then fails.
    """
    event_rows = _keyed(conn, event_rows, _EVENT_ARTICLE)
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
