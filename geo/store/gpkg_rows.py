"""The GeoPackage's own row forms: reports named by their fid, their text compressed; the inserts.

A report's id is 64 hex characters (sha256 of its text). Written in each of its events and
mentions, and again in the two indexes that find them by report, it was a fifth of the file:
the GeoPackage names the report by its integer fid instead and keeps the text id once, in
``articles`` (fids are AUTOINCREMENT, never reused). The report's text is zlib-compressed, as
PostgreSQL's TOAST compresses it on the PostGIS side: Arabic UTF-8 shrinks to about two fifths.
The shared rows of ``geo.store.schema`` still carry the text id; the inserts here swap it.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Sequence

from geo.errors import InputError
from geo.models import Article
from geo.store.schema import ARTICLE_TYPES, EVENT_STORED_TYPES, MENTION_TYPES, PLACE_TYPES, article_row


def _renamed(types: dict[str, str], old: str, new: str, kind: str) -> dict[str, str]:
    """``types`` with column ``old`` become ``new`` of type ``kind``, in the same place."""
    return {(new if name == old else name): (kind if name == old else t) for name, t in types.items()}


ARTICLE_TYPES_GPKG = _renamed(ARTICLE_TYPES, "text", "text_zlib", "BLOB")
MENTION_TYPES_GPKG = _renamed(MENTION_TYPES, "article_id", "article_fid", "INTEGER")
EVENT_TYPES_GPKG = _renamed(EVENT_STORED_TYPES, "article_id", "article_fid", "INTEGER")
EVENT_STORED_GPKG = tuple(EVENT_TYPES_GPKG)
# The rows' article column: first of a mention's (after its blob), second of an event's.
_MENTION_ARTICLE, _EVENT_ARTICLE = 1, 2
#: the rows of ``articles`` that are articles, not stubs (``_keyed``): a stored text is never NULL
STORED = "text_zlib IS NOT NULL"
#: an events row's article id as SQL (``geo.store.edits.Sql.article_id``)
EVENT_ARTICLE_ID_SQL = "(SELECT a.id FROM articles a WHERE a.fid = events.article_fid)"


def of_articles(marks: str) -> str:
    """The condition that an events or mentions row belongs to the articles of these ids."""
    return f"article_fid IN (SELECT fid FROM articles WHERE id IN ({marks}))"


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


def article_ids_by_fid(query, fids: Sequence[int | None]) -> list[str | None]:
    """The text id of each article fid (None for None); ``query(sql, params)`` runs a SELECT.

    Looked up per read rather than kept: one string per report, shared by its events' rows
    (SQLite made one per row before), and nothing to hold between reads.
    """
    wanted = [f for f in set(fids) if f is not None]
    ids: dict[int, str] = {}
    if len(wanted) > 5000:   # most of a large store: one walk of the id index beats many lookups
        ids.update(query("SELECT fid, id FROM articles", ()))
    else:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            ids.update(query(f"SELECT fid, id FROM articles WHERE fid IN ({', '.join('?' * len(chunk))})", chunk))
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
        f"INSERT INTO mentions (geom, {', '.join(MENTION_TYPES_GPKG)}) "
        f"VALUES ({', '.join('?' * (len(MENTION_TYPES_GPKG) + 1))})", _keyed(conn, mention_rows, _MENTION_ARTICLE))


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
    columns = ("geom", *EVENT_STORED_GPKG)
    if stored:
        conn.executemany(
            f"UPDATE events SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
            [(*row, row[1]) for row in event_rows if row[1] in stored])
    conn.executemany(
        f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [row for row in event_rows if row[1] not in stored])
