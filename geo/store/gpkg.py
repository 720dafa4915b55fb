"""The embedded store: one GeoPackage file that QGIS, GDAL and geopandas open.

Three layers: ``articles`` (an attribute table), ``mentions`` and ``events``
(feature tables of any geometry type), written through sqlite3 in transactions.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.errors import InputError, StorageError
from geo.models import Article, Event, Mention
from geo.store.frames import EVENT_COLUMNS
from geo.store.gpkg_geometry import (
    _GPKG_APPLICATION_ID,
    _GPKG_USER_VERSION,
    _WGS84_WKT,
    _rtree_sql,
    _TriggerBounds,
    _wkb_of,
    gpkg_blobs,
)
from geo.store.schema import (
    ARTICLE_COLUMNS,
    ARTICLE_TYPES,
    EVENT_TYPES_SQL,
    MENTION_COLUMNS,
    MENTION_TYPES,
    MIGRATIONS,
    PLACE_TYPES,
    SCHEMA_VERSION,
    Closing,
    StoreStats,
    article_row,
    articles_frame,
    check_article,
    check_events,
    check_filters,
    event_row,
    events_frame,
    exact_filter,
    mention_row,
    mentions_frame,
    migrate,
    new_places,
)


def _columns_sql(types: dict[str, str], unique: str | None = None) -> str:
    cols = [f"{name} {sqltype}" + (" NOT NULL UNIQUE" if name == unique else "")
            for name, sqltype in types.items()]
    return ", ".join(cols)


def _gpkg_schema() -> list[str]:
    """Every statement that makes an empty Marsad GeoPackage (schema version 1)."""
    now = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
    return [
        f"PRAGMA application_id = {_GPKG_APPLICATION_ID}",
        f"PRAGMA user_version = {_GPKG_USER_VERSION}",
        """CREATE TABLE gpkg_spatial_ref_sys (
            srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
            organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)""",
        """INSERT INTO gpkg_spatial_ref_sys VALUES
            ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
            ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')""",
        f"INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{_WGS84_WKT}', "
        "'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        f"""CREATE TABLE gpkg_contents (
            table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
            description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT ({now}),
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
        """CREATE TABLE gpkg_geometry_columns (
            table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
            srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
        """CREATE TABLE gpkg_extensions (
            table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
            definition TEXT NOT NULL, scope TEXT NOT NULL,
            CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))""",
        f"CREATE TABLE articles (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
        f"{_columns_sql(ARTICLE_TYPES, unique='id')})",
        f"CREATE TABLE mentions (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
        f"{_columns_sql(MENTION_TYPES)})",
        "CREATE INDEX mentions_article_id ON mentions(article_id)",
        f"CREATE TABLE places (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
        f"{_columns_sql(PLACE_TYPES, unique='place_id')})",
        f"CREATE TABLE events (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
        f"{_columns_sql(EVENT_TYPES_SQL, unique='id')})",
        "CREATE INDEX events_article_id ON events(article_id)",
        "CREATE INDEX events_date ON events(event_date)",
        "CREATE INDEX events_type ON events(type)",
        """INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
            ('articles', 'attributes', 'articles', 'Ingested reports, one row per normalized text', 0),
            ('mentions', 'features', 'mentions', 'Places found in the reports', 4326),
            ('places', 'features', 'places', 'Gazetteer places the reports mention', 4326),
            ('events', 'features', 'events', 'Reported events with their place, date and source', 4326)""",
        """INSERT INTO gpkg_geometry_columns VALUES
            ('mentions', 'geom', 'GEOMETRY', 4326, 0, 0),
            ('places', 'geom', 'GEOMETRY', 4326, 0, 0),
            ('events', 'geom', 'GEOMETRY', 4326, 0, 0)""",
        # No R-tree on mentions: they are read by article, never by area, and the index
        # cost a sixth of every write. Files made before keep theirs, still maintained.
        *_rtree_sql("places"),
        *_rtree_sql("events"),
        "CREATE TABLE marsad_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"INSERT INTO marsad_meta VALUES ('schema_version', '{SCHEMA_VERSION}')",
    ]


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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                         timeout=30.0)
            # The GeoPackage R-tree triggers call these; GDAL and QGIS define them in their own
            # connections, we define them in ours so both keep the index up to date.
            for name, fn in _TriggerBounds().functions().items():
                self._conn.create_function(name, 1, fn, deterministic=True)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            # checkpoints (the only fsyncs in WAL mode) every ~16 MB of WAL rather than 4 MB
            self._conn.execute("PRAGMA wal_autocheckpoint = 4000")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self.schema_version = self._ensure_schema()
            self._known_places = {r[0] for r in self._conn.execute("SELECT place_id FROM places")}
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the GeoPackage {str(self.path)!r}: {exc}") from exc

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
                version = migrate(version, conn.execute, lambda name: name, lambda kind: kind)
                conn.execute("UPDATE marsad_meta SET value = ? WHERE key = 'schema_version'", (str(version),))
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
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work(conn)
                    conn.execute(
                        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                        "WHERE table_name IN ('articles', 'mentions', 'places', 'events')")
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
        known = set(self._known_places)
        prepared = []
        for article, mentions, events in items:
            check_article(article)
            check_events(events, article.id)
            for m in mentions:
                if not isinstance(m, Mention):
                    raise InputError(f"expected Mention objects, got {type(m).__name__!r}")
            mention_parts = [mention_row(article.id, m) for m in mentions]
            places = new_places(mentions, known)
            known.update(places)
            blobs = iter(gpkg_blobs([g for g, _ in mention_parts] + [e.geometry for e in events]
                                    + [p.geometry for p in places.values()]))
            mention_rows = [(next(blobs), *row) for _, row in mention_parts]
            event_rows = [(next(blobs), *event_row(e)) for e in events]
            place_rows = [(next(blobs), p.id, p.name_ar, p.name_en, p.kind) for p in places.values()]
            prepared.append((article_row(article), place_rows, mention_rows, event_rows))
        if not prepared:
            return []

        def work(conn: sqlite3.Connection) -> list[bool]:
            written = []
            for article_values, place_rows, mention_rows, event_rows in prepared:
                cur = conn.execute(
                    f"INSERT OR IGNORE INTO articles ({', '.join(ARTICLE_TYPES)}) "
                    f"VALUES ({', '.join('?' * len(ARTICLE_TYPES))})", article_values)
                if cur.rowcount == 0:
                    written.append(False)
                    continue
                conn.executemany(
                    f"INSERT OR IGNORE INTO places (geom, {', '.join(PLACE_TYPES)}) "
                    f"VALUES ({', '.join('?' * (len(PLACE_TYPES) + 1))})", place_rows)
                conn.executemany(
                    f"INSERT INTO mentions (geom, {', '.join(MENTION_TYPES)}) "
                    f"VALUES ({', '.join('?' * (len(MENTION_TYPES) + 1))})", mention_rows)
                self._insert_events(conn, event_rows)
                written.append(True)
            return written

        written = self._transaction(work)
        self._known_places = known   # only once committed
        return written

    @staticmethod
    def _insert_events(conn: sqlite3.Connection, event_rows: list[tuple]) -> None:
        # Update, then insert, rather than an UPSERT: SQLite lets the outer statement's
        # conflict policy override the R-tree trigger's INSERT OR REPLACE, which then fails.
        ids = [row[1] for row in event_rows]
        stored: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            stored.update(r[0] for r in conn.execute(
                f"SELECT id FROM events WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
        columns = ("geom", *EVENT_COLUMNS)
        if stored:
            conn.executemany(
                f"UPDATE events SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                [(*row, row[1]) for row in event_rows if row[1] in stored])
        conn.executemany(
            f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [row for row in event_rows if row[1] not in stored])

    def write(self, events: Sequence[Event]) -> int:
        """Store events, replacing any stored event with the same id (a review, a fix).

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
        rows = [(blob, *event_row(e)) for blob, e in zip(gpkg_blobs([e.geometry for e in events]), events)]
        self._transaction(lambda conn: self._insert_events(conn, rows))
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
             include_denied: bool = True, include_repeats: bool = False) -> gpd.GeoDataFrame:
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
                           include_repeats=include_repeats)
        if f.area is not None and f.area.is_empty:   # a bbox and a circle that do not meet
            return events_frame([], [])
        where, params = [], []
        if f.envelope is not None:
            minx, miny, maxx, maxy = f.envelope
            where.append("e.fid IN (SELECT id FROM rtree_events_geom "
                         "WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)")
            params += [maxx, minx, maxy, miny]
        if f.since is not None:
            where.append("e.event_date >= ?")
            params.append(f.since.isoformat())
        if f.until is not None:
            where.append("e.event_date <= ?")
            params.append(f.until.isoformat())
        for column, values in (("e.type", f.event_types), ("e.speaker", f.speakers)):
            if values is not None:
                where.append(f"{column} IN ({', '.join('?' * len(values))})")
                params += values
        if f.actors is not None:
            where.append(f"EXISTS (SELECT 1 FROM json_each(e.actors) "
                         f"WHERE json_each.value IN ({', '.join('?' * len(f.actors))}))")
            params += f.actors
        if f.outlets is not None:
            marks = ", ".join("?" * len(f.outlets))
            where.append(f"(e.publisher IN ({marks}) OR e.cited_outlet IN ({marks}) OR EXISTS "
                         f"(SELECT 1 FROM articles a WHERE a.id = e.article_id AND a.outlet IN ({marks})))")
            params += f.outlets * 3
        if f.precision is not None:
            where.append(f"e.geo_precision IN ({', '.join('?' * len(f.precision))})")
            params += f.precision
        if not f.include_denied:
            where.append("NOT e.denied")
        if not f.include_repeats:
            where.append("coalesce(e.same_as, '') = ''")   # a claim told twice is shown once
        sql = (f"SELECT e.geom, {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM events e"
               + (f" WHERE {' AND '.join(where)}" if where else "")
               + " ORDER BY e.event_date IS NULL, e.event_date, e.id")
        rows = self._query(sql, params)
        frame = events_frame([r[1:] for r in rows], [_wkb_of(r[0]) for r in rows])
        return exact_filter(frame, f)

    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored."""
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def articles(self, *, with_text: bool = False) -> pd.DataFrame:
        """Stored articles (``ARTICLE_COLUMNS``, plus ``text`` if asked), oldest ingestion first."""
        columns = (*ARTICLE_COLUMNS, "text") if with_text else ARTICLE_COLUMNS
        rows = self._query(f"SELECT {', '.join(columns)} FROM articles ORDER BY fid")
        return articles_frame(rows, columns)

    def mentions(self, article_id: str | None = None) -> gpd.GeoDataFrame:
        """Stored mentions (``MENTION_COLUMNS`` plus ``geometry``), of one article if given."""
        sql = (f"SELECT CASE WHEN m.geom_is_place THEN p.geom ELSE m.geom END, "
               f"{', '.join('m.' + c for c in MENTION_COLUMNS)} FROM mentions m "
               f"LEFT JOIN places p ON m.geom_is_place AND p.place_id = m.place_id")
        params: tuple = ()
        if article_id is not None:
            sql += " WHERE m.article_id = ?"
            params = (article_id,)
        rows = self._query(sql + " ORDER BY m.fid", params)
        return mentions_frame([r[1:] for r in rows], [_wkb_of(r[0]) for r in rows])

    def stats(self) -> StoreStats:
        """Row counts, the first and last event date, and events per type."""
        (n_articles,), = self._query("SELECT count(*) FROM articles")
        (n_mentions,), = self._query("SELECT count(*) FROM mentions")
        (n_events, first, last), = self._query(
            "SELECT count(*), min(event_date), max(event_date) FROM events")
        by_type = dict(self._query("SELECT type, count(*) FROM events GROUP BY type ORDER BY type"))
        return StoreStats(n_articles, n_mentions, n_events,
                          dt.date.fromisoformat(first) if first else None,
                          dt.date.fromisoformat(last) if last else None, by_type)
