"""The embedded store: one GeoPackage file that QGIS, GDAL and geopandas open.

Three layers: ``articles`` (an attribute table), ``mentions`` and ``events``
(feature tables of any geometry type), written through sqlite3 in transactions.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.errors import InputError, StorageError
from geo.models import Article, Event, Mention
from geo.store import edits
from geo.store.areas import split_areas, used_ids, with_areas
from geo.store.frames import EVENT_COLUMNS
from geo.store.gpkg_geometry import _TriggerBounds, _wkb_of, analysis_blobs, gpkg_blobs
from geo.store.gpkg_query import collector_paused, events_sql
from geo.store.gpkg_rows import (
    INSERT_ARTICLE,
    STORED,
    ArticleIds,
    article_values,
    decompress_text,
    expand_all,
    insert_areas,
    insert_events,
    insert_mentions,
    insert_places,
    places_sql,
    span_quotes,
    with_spans,
)
from geo.store.gpkg_schema import (
    _event_indexes,
    _gpkg_schema,
    _v3_tables,
    area_tables,
    column_type,
    compact_events,
    compress_texts,
    events_view,
)
from geo.store.schema import (
    ARTICLE_COLUMNS,
    MENTION_COLUMNS,
    MIGRATIONS,
    SCHEMA_VERSION,
    Closing,
    StoreStats,
    articles_frame,
    check_article,
    check_events,
    check_filters,
    event_row,
    events_columns_frame,
    events_frame,
    exact_filter,
    iso_datetime,
    mentions_frame,
    migrate,
)


_QUOTE, _PLACES = EVENT_COLUMNS.index("quote"), EVENT_COLUMNS.index("places")   # quote_start, quote_end next
_CHANGE_KEY_SQL = ("SELECT (SELECT count(*) FROM articles), (SELECT coalesce(max(fid), 0) FROM articles), "
                   "(SELECT count(*) FROM events), (SELECT coalesce(max(fid), 0) FROM events), "
                   "(SELECT coalesce(max(fid), 0) FROM edits), "
                   "(SELECT coalesce(max(fid), 0) FROM user_places)")


def _writable(path: Path) -> bool:
    """Whether an existing store can be written: the file, and its folder (for the WAL files)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


class GeoPackageStore(Closing):
    """The embedded store: one GeoPackage file (layers ``articles``, ``mentions``, ``events``).

    Writes go through sqlite3 in one ``BEGIN IMMEDIATE ... COMMIT`` per call, in
    WAL mode: a process killed mid-write leaves the last committed state, and a
    half-written article is rolled back when the file is next opened. With
    ``synchronous=NORMAL`` a power cut may lose the last few commits, never
    consistency.

    Parameters
    ----------
    path : str or Path
        The file; it and its folder are created when missing.

    Raises
    ------
    StorageError
        When the file cannot be opened or is not a Marsad GeoPackage of a
        known schema version.

    Examples
    --------
    >>> store = GeoPackageStore("var/marsad.gpkg")   # doctest: +SKIP
    >>> store.read(since="2024-01-01", actors=["داعش"]).shape
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn = None
        self.read_only = self.path.exists() and not _writable(self.path)
        try:
            if not self.path.exists():
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StorageError(f"cannot create the GeoPackage {str(self.path)!r}: "
                                       f"{exc.strerror or exc}") from None
                if not os.access(self.path.parent, os.W_OK):
                    raise StorageError(f"cannot create the GeoPackage {str(self.path)!r}: "
                                       f"its folder is not writable")
            try:
                self._open()
            except sqlite3.OperationalError as exc:
                if self.read_only or not self.path.exists() or "readonly" not in str(exc) and "unable to open" not in str(exc):
                    raise
                self.close()   # read-only media the permission bits did not show: read it as such
                self.read_only = True
                self._open()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the GeoPackage {str(self.path)!r}: {exc}") from exc

    def _open(self) -> None:
        if self.read_only:
            # immutable: no lock or WAL index files, which a read-only folder could not hold
            uri = f"file:{urllib.parse.quote(str(self.path.resolve()))}?mode=ro&immutable=1"
            self._conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                         timeout=30.0)
        # The GeoPackage R-tree triggers call these; GDAL and QGIS define them in their own
        # connections, we define them in ours so both keep the index up to date.
        for name, fn in _TriggerBounds().functions().items():
            self._conn.create_function(name, 1, fn, deterministic=True)
        if not self.read_only:
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            # checkpoints (the only fsyncs in WAL mode) every ~16 MB of WAL rather than 4 MB
            self._conn.execute("PRAGMA wal_autocheckpoint = 4000")
        self._conn.execute("PRAGMA foreign_keys = ON")
        # reads copy pages straight from the mapped file rather than through read() calls:
        # a fifth off a full read of a large store (SQLite caps the size at its own limit)
        self._conn.execute("PRAGMA mmap_size = 2147483648")
        self.schema_version = self._read_schema() if self.read_only else self._ensure_schema()
        self._known_places = {r[0] for r in self._conn.execute("SELECT place_id FROM places")}
        self._known_areas = {r[0] for r in self._conn.execute("SELECT fid FROM areas")}
        self._article_ids = ArticleIds()

    def _read_schema(self) -> int:
        row = self._conn.execute("SELECT value FROM marsad_meta WHERE key='schema_version'").fetchone()
        version = int(row[0]) if row else None
        if version != SCHEMA_VERSION:
            raise StorageError(f"{str(self.path)!r} is read-only and has schema version {version!r}; this "
                               f"Marsad reads version {SCHEMA_VERSION}: copy it somewhere writable to upgrade it")
        return version

    def __repr__(self) -> str:
        return f"GeoPackageStore({str(self.path)!r})"

    # ---- schema

    def _ensure_schema(self) -> int:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "marsad_meta" not in tables:
                if tables:
                    raise StorageError(
                        f"{str(self.path)!r} holds tables but is not a Marsad store "
                        f"(no marsad_meta table); choose another file")
                for statement in _gpkg_schema():
                    conn.execute(statement)
            version = int(conn.execute(
                "SELECT value FROM marsad_meta WHERE key='schema_version'").fetchone()[0])
            if version in MIGRATIONS:
                conn.execute("DROP VIEW IF EXISTS events_full")   # made again below, of the new columns
                for statement in _v3_tables():
                    conn.execute(statement)
                if version < 6:
                    compress_texts(conn)
                old, version = version, migrate(version, conn.execute, lambda name: name, column_type)
                if old < 7:
                    compact_events(conn)
                # after the migration gave events their area_id and their article's fid
                for statement in area_tables() if "areas" not in tables else events_view():
                    conn.execute(statement)
                conn.execute("UPDATE marsad_meta SET value = ? WHERE key = 'schema_version'", (str(version),))
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'events_date_id'"
                                ).fetchone():
                for statement in _event_indexes():   # a store made before the read-order index
                    conn.execute(statement)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        if version != SCHEMA_VERSION:
            raise StorageError(f"{str(self.path)!r} has schema version {version!r}; "
                               f"this Marsad reads version {SCHEMA_VERSION}")
        return version

    # ---- writes

    def _transaction(self, work) -> Any:
        """Run ``work(conn)`` inside one immediate transaction; sqlite errors become StorageError."""
        with self._lock:
            if self._conn is None:
                raise StorageError(f"{self!r} is closed")
            if self.read_only:
                raise StorageError(f"the store {str(self.path)!r} is read-only (its file or folder cannot be "
                                   "written): browsing and exports work, changes cannot be saved")
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work(conn)
                    conn.execute(
                        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                        "WHERE table_name IN ('articles', 'mentions', 'places', 'events', 'edits', 'user_places')")
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise StorageError(f"writing to {str(self.path)!r} failed: {exc}") from exc
            return result

    def write_article(self, article: Article, mentions: Sequence[Mention],
                      events: Sequence[Event]) -> bool:
        """Store an article with its mentions and events in one transaction.

        Parameters
        ----------
        article : Article
        mentions : sequence of Mention
            Places found in ``article.text``.
        events : sequence of Event
            Each with ``article_id == article.id``.

        Returns
        -------
        bool
            True when the article was new and written; False (nothing written)
            when its id is already stored.

        Raises
        ------
        InputError
            For a non-Article, or an event of another article.
        StorageError
            When the write fails; nothing of the article is then stored.
        """
        return self.write_articles([(article, mentions, events)])[0]

    def write_articles(self, items: Sequence[tuple[Article, Sequence[Mention], Sequence[Event]]]) -> list[bool]:
        """Store several articles, each with its mentions and events, in one transaction.

        Each article is all or nothing, as with :meth:`write_article`, and so is
        the batch: a failure or a crash stores none of it and leaves what was
        there. One commit for many articles writes each touched index page once
        instead of once per article, which is most of the cost of a small write.

        Parameters
        ----------
        items : sequence of (Article, mentions, events)

        Returns
        -------
        list of bool
            For each item, True when the article was new and written, False when
            its id was already stored (or came earlier in the batch).

        Raises
        ------
        InputError
            For a non-Article, a non-Mention, or an event of another article;
            nothing is then written.
        StorageError
            When the write fails; nothing of the batch is then stored.
        """
        known, known_areas = set(self._known_places), set(self._known_areas)
        prepared = []
        for article, mentions, events in items:
            check_article(article)
            check_events(events, article.id)
            for m in mentions:
                if not isinstance(m, Mention):
                    raise InputError(f"expected Mention objects, got {type(m).__name__!r}")
            place_rows, area_rows, mention_rows, event_rows, places = analysis_blobs(
                article.id, mentions, events, known, known_areas)
            known.update(places)
            prepared.append((article_values(article), place_rows, area_rows, mention_rows,
                             with_spans(event_rows, article.text)))
        if not prepared:
            return []

        def work(conn: sqlite3.Connection) -> list[bool]:
            written = []
            for article_row, place_rows, area_rows, mention_rows, event_rows in prepared:
                # The places and areas first, even for an article stored already: a later one
                # of the batch counts on them (they were new when the rows were built).
                self._insert_places(conn, place_rows)
                self._insert_areas(conn, area_rows)
                cur = conn.execute(INSERT_ARTICLE, article_row)
                if cur.rowcount == 0:
                    written.append(False)
                    continue
                self._insert_mentions(conn, mention_rows)
                self._insert_events(conn, event_rows)
                written.append(True)
            return written

        written = self._transaction(work)
        self._known_places, self._known_areas = known, known_areas   # only once committed
        return written

    # the inserts of geo.store.gpkg_rows (bench/store.py builds its stores through them)
    _insert_areas = staticmethod(insert_areas)
    _insert_places = staticmethod(insert_places)
    _insert_mentions = staticmethod(insert_mentions)
    _insert_events = staticmethod(insert_events)

    def write(self, events: Sequence[Event]) -> int:
        """Store events, replacing any stored event with the same id (a review, a fix).

        An event whose report is not stored keeps its ``article_id``: a stub row in ``articles``
        names it (no article to ``has_article``, filled in when the report is written).

        Parameters
        ----------
        events : sequence of Event

        Returns
        -------
        int
            How many events were written; 0 (and no transaction) for none.

        Raises
        ------
        InputError
            For an item that is not an Event.
        StorageError
            When the write fails; none of the events is then stored.
        """
        events = list(events)
        if not events:
            return 0
        check_events(events)
        kept, ids, areas = split_areas([e.geometry for e in events])
        known_areas = set(self._known_areas)
        fresh = {key: g for key, g in areas.items() if key not in known_areas}
        blobs = gpkg_blobs(kept + list(fresh.values()))
        rows = [(blob, *event_row(e), key) for blob, e, key in zip(blobs, events, ids)]
        area_rows = list(zip(fresh, blobs[len(events):]))

        def work(conn: sqlite3.Connection) -> None:
            self._insert_areas(conn, area_rows)
            self._insert_events(conn, rows)

        self._transaction(work)
        self._known_areas = known_areas | set(fresh)
        return len(rows)

    # ---- reads

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            if self._conn is None:
                raise StorageError(f"{self!r} is closed")
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise StorageError(f"reading {str(self.path)!r} failed: {exc}") from exc

    def read(self, *, bbox=None, since=None, until=None, event_types=None, actors=None,
             outlets=None, speakers=None, near=None, precision=None,
             include_denied: bool = True, include_repeats: bool = False, review=None, ids=None,
             article_ids=None) -> gpd.GeoDataFrame:
        """Events that pass every given filter, as a GeoDataFrame.

        Parameters
        ----------
        bbox : (min_lon, min_lat, max_lon, max_lat), optional
            Keep events whose geometry meets this box.
        since, until : date or 'YYYY-MM-DD', optional
            Inclusive bounds on ``event_date``; events without a date are left out.
        event_types, actors, outlets, speakers : str or list of str, optional
            Keep events of one of these types / naming one of these actors /
            published by or citing one of these outlets / said by one of
            these speakers (exact strings).
        near : (lat, lon, radius_km), optional
            Keep events whose geometry meets the circle (``geo.places.spatial.circle``).
        precision : {1, 2, 3} or list of them, optional
            An int keeps events with ``geo_precision`` at most this (1 = the
            place itself); a list keeps exactly those levels.
        include_denied : bool, default True
            False leaves out events the source denied.
        include_repeats : bool, default False
            True also returns events that repeat an earlier event of their report
            (``same_as`` set); by default a claim told twice is read once.
        review : str or list of str, optional
            The review states to keep; by default ``auto`` and ``confirmed`` (an event an
            analyst rejected is read only when asked for).
        ids, article_ids : str or list of str, optional
            Keep these events / the events of these reports.

        Returns
        -------
        geopandas.GeoDataFrame
            Exactly ``geo.store.frames.EVENT_COLUMNS`` plus ``geometry``, EPSG:4326,
            ordered by event date then id.

        Raises
        ------
        InputError
            For a malformed filter (quoted in the message), or since > until.
        StorageError
            When the file cannot be read.
        """
        f = check_filters(bbox=bbox, since=since, until=until, event_types=event_types,
                           actors=actors, outlets=outlets, speakers=speakers, near=near,
                           precision=precision, include_denied=include_denied,
                           include_repeats=include_repeats, review=review, ids=ids,
                           article_ids=article_ids)
        if f.area is not None and f.area.is_empty:   # a bbox and a circle that do not meet
            return events_frame([], [])
        sql, params = events_sql(f)
        with collector_paused():
            rows = self._query(sql, params)
            geoms, area_ids, *columns = zip(*rows) if rows else [()] * (len(EVENT_COLUMNS) + 2)
            del rows   # the row tuples; each column's values go as soon as it is converted
            geometries = with_areas([_wkb_of(b) for b in geoms], area_ids, self._area_wkbs(used_ids(area_ids)))
            q = _QUOTE
            columns[q] = span_quotes(self._query, columns[1], columns[q], columns[q + 1], columns[q + 2])
            columns[_PLACES] = expand_all(columns[_PLACES])
            columns[1] = self._article_ids.of(self._query, columns[1])   # the stored fids, as the articles' ids
            frame = events_columns_frame(columns, geometries)
        return exact_filter(frame, f)

    def _area_wkbs(self, ids: list[int]) -> dict[int, bytes]:
        """The WKB of these shared areas, by id."""
        found: dict[int, bytes] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update((key, _wkb_of(blob)) for key, blob in self._query(
                f"SELECT fid, geom FROM areas WHERE fid IN ({', '.join('?' * len(chunk))})", chunk))
        return found

    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored."""
        return bool(self._query(f"SELECT 1 FROM articles WHERE id = ? AND {STORED}", (article_id,)))

    def articles(self, *, with_text: bool = False, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Stored articles (``ARTICLE_COLUMNS``, plus ``text`` if asked), oldest ingestion first."""
        columns = (*ARTICLE_COLUMNS, "text_zlib") if with_text else ARTICLE_COLUMNS
        where, params = "", ()
        if ids is not None:
            params = tuple(ids)
            where = f" AND id IN ({', '.join('?' * len(params))})" if params else " AND 0"
        rows = self._query(f"SELECT {', '.join(columns)} FROM articles WHERE {STORED}{where} ORDER BY fid", params)
        if with_text:
            rows = [(*row[:-1], decompress_text(row[-1])) for row in rows]
        return articles_frame(rows, (*ARTICLE_COLUMNS, "text") if with_text else columns)

    def mentions(self, article_id: str | None = None) -> gpd.GeoDataFrame:
        """Stored mentions (``MENTION_COLUMNS`` plus ``geometry``), of one article if given."""
        columns = ", ".join("r.id" if c == "article_id" else f"m.{c}" for c in MENTION_COLUMNS)
        sql = (f"SELECT CASE WHEN m.geom_is_place THEN p.geom ELSE coalesce(m.geom, a.geom) END, "
               f"{columns} FROM mentions m "
               f"LEFT JOIN places p ON m.geom_is_place AND p.place_id = m.place_id "
               f"LEFT JOIN areas a ON a.fid = m.area_id LEFT JOIN articles r ON r.fid = m.article_fid")
        params: tuple = ()
        if article_id is not None:
            sql += " WHERE m.article_fid = (SELECT fid FROM articles WHERE id = ?)"
            params = (article_id,)
        rows = self._query(sql + " ORDER BY m.fid", params)
        return mentions_frame([r[1:] for r in rows], [_wkb_of(r[0]) for r in rows])

    def stats(self) -> StoreStats:
        """Row counts, the first and last event date, and events per type."""
        (n_articles,), = self._query(f"SELECT count(*) FROM articles WHERE {STORED}")
        (n_mentions,), = self._query("SELECT count(*) FROM mentions")
        (n_events, first, last), = self._query(
            "SELECT count(*), min(event_date), max(event_date) FROM events")
        by_type = dict(self._query("SELECT type, count(*) FROM events GROUP BY type ORDER BY type"))
        return StoreStats(n_articles, n_mentions, n_events,
                          dt.date.fromisoformat(first) if first else None,
                          dt.date.fromisoformat(last) if last else None, by_type)

    def change_key(self) -> tuple[int, ...]:
        """A cheap value that changes whenever the stored data does (``EventStore.change_key``).

        Counts and largest fids of articles and events, and the largest fids of the edits
        and the analysts' places: fids are AUTOINCREMENT, so never reused, so a write, a
        correction (its audit row), a re-extraction and a deletion each move one of them.
        """
        return self._query(_CHANGE_KEY_SQL)[0]

    # ---- the analyst's edits (shared statements in geo.store.edits)

    def _sql(self, conn: sqlite3.Connection) -> edits.Sql:
        return edits.Sql(
            mark="?", table=lambda name: name, rows=lambda q, p: conn.execute(q, list(p)).fetchall(),
            geometry=lambda g: ("?", gpkg_blobs([g])[0]),
            now=lambda: iso_datetime(dt.datetime.now(dt.timezone.utc)),
            column=lambda name: places_sql("e.places") if name == "places" else f"e.{name}")

    def edit_event(self, event_id: str, changes: dict, *, who: str, note: str = "") -> list[str]:
        """Correct one event (fields of ``geo.store.edits.EDITABLE``, and ``geometry``).

        Every changed field is written with an audit row (who, when, before → after, note) in one
        transaction; a correction confirms the event unless it sets the review state itself.

        Returns
        -------
        list of str
            The fields that changed (empty when the values were already stored).

        Raises
        ------
        InputError
            For an unknown event, a field that cannot be corrected, a bad value, or no ``who``.
        """
        return self._transaction(lambda conn: edits.edit_event(self._sql(conn), event_id, changes,
                                                                who=who, note=note))

    def save_place(self, place_id: str, *, who: str, note: str = "", aliases: Sequence[str] = (),
                   new=None) -> None:
        """Add aliases to a place, or a new place (``new``, a Place); used at the next extraction."""
        self._transaction(lambda conn: edits.save_place(self._sql(conn), place_id, who=who, note=note,
                                                        aliases=aliases, new=new))

    def user_places(self) -> list[dict]:
        """The analysts' places and aliases (``edits.USER_PLACE_COLUMNS`` plus ``geometry``)."""
        rows = self._query(f"SELECT geom, {', '.join(edits.USER_PLACE_COLUMNS)} FROM user_places ORDER BY fid")
        wkbs = [_wkb_of(r[0]) for r in rows]
        return edits.user_place_records([r[1:] for r in rows],
                                        [shapely.from_wkb(w) if w else None for w in wkbs])

    def audit(self, *, target_id: str | None = None) -> pd.DataFrame:
        """The audit log (``edits.AUDIT_COLUMNS``), oldest first; of one event or place if given."""
        where, params = ("WHERE target_id = ?", (target_id,)) if target_id else ("", ())
        return edits.audit_frame(self._query(
            f"SELECT {', '.join(edits.AUDIT_COLUMNS)} FROM edits {where} ORDER BY fid", params))

    def delete_articles(self, article_ids: Sequence[str], *, who: str, note: str = "") -> int:
        """Delete articles, their mentions and events in one transaction, with an audit row each
        (``geo.store.edits.delete_articles``). Returns the number of articles deleted."""
        return self._transaction(lambda conn: edits.delete_articles(self._sql(conn), article_ids,
                                                                    who=who, note=note))

    def replace_analysis(self, article_id: str, mentions: Sequence[Mention], events: Sequence[Event]) -> int:
        """Store a re-extraction of a stored article: new mentions, and new events except where an
        analyst reviewed or corrected one (their events stay as they are). Returns events written."""
        check_events(events, article_id)
        known_areas = set(self._known_areas)
        place_rows, area_rows, mention_rows, event_rows, places = analysis_blobs(
            article_id, mentions, events, set(self._known_places), known_areas)

        def work(conn: sqlite3.Connection) -> int:
            found = conn.execute(f"SELECT text_zlib FROM articles WHERE id = ? AND {STORED}", (article_id,)).fetchone()
            if not found:
                raise InputError(f"no article with id {article_id!r} in the store")
            sql = self._sql(conn)
            kept = edits.touched_ids(sql, article_id)
            conn.execute(f"DELETE FROM mentions WHERE {sql.of_articles('?')}", (article_id,))
            keep = f" AND id NOT IN ({', '.join('?' * len(kept))})" if kept else ""
            conn.execute(f"DELETE FROM events WHERE {sql.of_articles('?')}{keep}", (article_id, *kept))
            self._insert_places(conn, place_rows)
            self._insert_areas(conn, area_rows)
            self._insert_mentions(conn, mention_rows)
            fresh = with_spans([row for row in event_rows if row[1] not in kept], decompress_text(found[0]))
            self._insert_events(conn, fresh)
            return len(fresh)

        written = self._transaction(work)
        self._known_places |= set(places)
        self._known_areas = known_areas
        return written
