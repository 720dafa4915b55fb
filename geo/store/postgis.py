"""The shared store: the same tables in a PostGIS database (psycopg imported on open)."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError, StorageError
from geo.models import Article, Event, Mention
from geo.store import edits
from geo.store.areas import split_areas, used_ids, with_areas
from geo.store.frames import EVENT_COLUMNS
from geo.store.schema import (
    ARTICLE_COLUMNS,
    ARTICLE_TYPES,
    EVENT_STORED,
    EVENT_STORED_TYPES,
    MENTION_COLUMNS,
    MENTION_STORED_TYPES,
    MIGRATIONS,
    PLACE_TYPES,
    SCHEMA_VERSION,
    Closing,
    StoreStats,
    analysis_rows,
    article_row,
    articles_frame,
    check_article,
    check_events,
    check_filters,
    event_row,
    events_frame,
    exact_filter,
    iso_datetime,
    mentions_frame,
    migrate,
    new_places,
)

_PG_TYPES = {"TEXT": "text", "INTEGER": "integer", "REAL": "double precision", "DATE": "date",
             "DATETIME": "timestamptz", "BOOLEAN": "boolean", "ID64": "bigint"}
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class PostGISStore(Closing):
    """The shared store: the same three tables in a PostGIS database.

    ``geom`` columns are ``geometry(Geometry, 4326)`` with GiST indexes; lists
    stay JSON text, as in the GeoPackage, so both read back the same frame.
    psycopg is imported when the store is opened, not before.

    Parameters
    ----------
    url : str
        ``postgresql://user:password@host:port/database``.
    schema : str, default "public"
        The PostgreSQL schema holding the tables (created when missing).

    Raises
    ------
    InputError
        For a schema name that is not a plain lower-case identifier.
    StorageError
        When the server cannot be reached or PostGIS is missing.
    """

    def __init__(self, url: str, *, schema: str = "public"):
        if not _IDENT.match(schema):
            raise InputError(f"schema must be a lower-case identifier, got {schema!r}")
        try:
            import psycopg
        except ImportError as exc:  # an optional dependency
            raise StorageError("the PostGIS store needs psycopg: pip install 'psycopg[binary]'") from exc
        self._psycopg = psycopg
        self.url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)
        self.schema = schema
        self._lock = threading.RLock()
        try:
            self._conn = psycopg.connect(self.url, autocommit=True)
            self.schema_version = self._ensure_schema()
        except psycopg.Error as exc:
            raise StorageError(f"cannot open the PostGIS store {self._safe_url()!r}: {exc}") from exc

    def _safe_url(self) -> str:
        return re.sub(r"//([^:@/]+):[^@/]*@", r"//\1:***@", self.url)

    def __repr__(self) -> str:
        return f"PostGISStore({self._safe_url()!r}, schema={self.schema!r})"

    def _t(self, table: str) -> str:
        return f'"{self.schema}".{table}'

    def _ensure_schema(self) -> int:
        s = self.schema

        def cols(types: dict[str, str], unique: str | None = None) -> str:
            return ", ".join(f"{n} {_PG_TYPES[t]}" + (" NOT NULL UNIQUE" if n == unique else "")
                             for n, t in types.items())

        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext('marsad_schema'))")
            exists = self._conn.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = 'marsad_meta'",
                (s,)).fetchone()
            if not exists:
                self._conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                self._conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{s}"')
                for statement in (
                    f"CREATE TABLE {self._t('articles')} (fid bigserial PRIMARY KEY, "
                    f"{cols(ARTICLE_TYPES, 'id')})",
                    f"CREATE TABLE {self._t('mentions')} (fid bigserial PRIMARY KEY, "
                    f"geom geometry(Geometry, 4326), {cols(MENTION_STORED_TYPES)})",
                    f"CREATE INDEX mentions_article_fid ON {self._t('mentions')} (article_fid)",
                    f"CREATE INDEX ON {self._t('mentions')} USING gist (geom)",
                    f"CREATE TABLE {self._t('places')} (fid bigserial PRIMARY KEY, "
                    f"geom geometry(Geometry, 4326), {cols(PLACE_TYPES, 'place_id')})",
                    f"CREATE INDEX ON {self._t('places')} USING gist (geom)",
                    f"CREATE TABLE {self._t('events')} (fid bigserial PRIMARY KEY, "
                    f"geom geometry(Geometry, 4326), {cols(EVENT_STORED_TYPES, 'id')})",
                    f"CREATE INDEX events_article_fid ON {self._t('events')} (article_fid)",
                    f"CREATE INDEX ON {self._t('events')} (event_date)",
                    f"CREATE INDEX ON {self._t('events')} USING gist (geom)",
                    f"CREATE TABLE {self._t('marsad_meta')} (key text PRIMARY KEY, value text NOT NULL)",
                ):
                    self._conn.execute(statement)
                self._conn.execute(f"INSERT INTO {self._t('marsad_meta')} VALUES ('schema_version', %s)",
                                   (str(SCHEMA_VERSION),))
            for statement in (   # version 3's tables, for new stores and older ones alike
                f"CREATE TABLE IF NOT EXISTS {self._t('edits')} (fid bigserial PRIMARY KEY, "
                f"{cols(edits.AUDIT_TYPES)})",
                f"CREATE INDEX IF NOT EXISTS edits_target ON {self._t('edits')} (target_id)",
                f"CREATE TABLE IF NOT EXISTS {self._t('user_places')} (fid bigserial PRIMARY KEY, "
                f"geom geometry(Geometry, 4326), {cols(edits.USER_PLACE_TYPES, 'place_id')})",
                # the filters' indexes, for new stores and older ones alike: the read order
                # (event_date ASC NULLS LAST, id, a btree's own order), the type, and the
                # actors' JSON for ``?|`` (GIN)
                f"CREATE INDEX IF NOT EXISTS events_date_id ON {self._t('events')} (event_date, id)",
                f"CREATE INDEX IF NOT EXISTS events_type ON {self._t('events')} (type)",
                f"CREATE INDEX IF NOT EXISTS events_actors ON {self._t('events')} USING gin ((actors::jsonb))",
            ):
                self._conn.execute(statement)
            version = int(self._conn.execute(
                f"SELECT value FROM {self._t('marsad_meta')} WHERE key = 'schema_version'").fetchone()[0])
            if version in MIGRATIONS:
                # The schema lock above keeps two servers' first opens from migrating at once.
                version = migrate(version, self._conn.execute, self._t, lambda kind: _PG_TYPES.get(kind, kind))
                self._conn.execute(f"UPDATE {self._t('marsad_meta')} SET value = %s WHERE key = 'schema_version'",
                                   (str(version),))
            for statement in (   # version 5's shared areas (geo.store.areas), once events have area_id
                f"CREATE TABLE IF NOT EXISTS {self._t('areas')} (id bigint PRIMARY KEY, geom geometry(Geometry, 4326))",
                f"CREATE INDEX IF NOT EXISTS areas_geom ON {self._t('areas')} USING gist (geom)",
                f"CREATE INDEX IF NOT EXISTS events_area_id ON {self._t('events')} (area_id) "
                f"WHERE area_id IS NOT NULL",
            ):
                self._conn.execute(statement)
        if version != SCHEMA_VERSION:
            raise StorageError(f"{self!r} has schema version {version!r}; "
                               f"this Marsad reads version {SCHEMA_VERSION}")
        return version

    def _transaction(self, work) -> Any:
        with self._lock:
            if self._conn is None:
                raise StorageError(f"{self!r} is closed")
            try:
                with self._conn.transaction():
                    with self._conn.cursor() as cur:
                        return work(cur)
            except self._psycopg.Error as exc:
                raise StorageError(f"writing to {self!r} failed: {exc}") from exc

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            if self._conn is None:
                raise StorageError(f"{self!r} is closed")
            try:
                return self._conn.execute(sql, params).fetchall()
            except self._psycopg.Error as exc:
                raise StorageError(f"reading {self!r} failed: {exc}") from exc

    @staticmethod
    def _wkb(geometry: BaseGeometry | None) -> bytes | None:
        return None if geometry is None else shapely.to_wkb(geometry, byte_order=1, flavor="iso")

    def _insert_events(self, cur, rows: Sequence[tuple]) -> None:
        """Event rows (geometry, the ``EVENT_STORED`` columns), replacing a stored event of the same id."""
        updates = ", ".join(f"{c} = excluded.{c}" for c in ("geom", *EVENT_STORED) if c != "id")
        cur.executemany(
            f"INSERT INTO {self._t('events')} (geom, {', '.join(EVENT_STORED)}) "
            f"VALUES (ST_GeomFromWKB(%s, 4326), {', '.join(['%s'] * len(EVENT_STORED))}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            [(self._wkb(g), *values) for g, *values in rows])

    def _fids(self, cur, article_ids: Sequence[str]) -> dict[str, int]:
        """The fids of these articles; one not stored (``write`` takes events alone) gets a stub row
        holding only its id, no article to ``has_article``, ``articles`` or ``stats`` (its text is
        NULL), which writing the article fills in."""
        ids = list(dict.fromkeys(article_ids))
        if not all(isinstance(key, str) and key for key in ids):
            raise InputError(f"an event needs its article's id, got {ids!r}")
        cur.execute(f"INSERT INTO {self._t('articles')} (id) SELECT unnest(%s::text[]) ON CONFLICT (id) DO NOTHING",
                    (ids,))
        cur.execute(f"SELECT id, fid FROM {self._t('articles')} WHERE id = ANY(%s)", (ids,))
        return dict(cur.fetchall())

    def _insert_areas(self, cur, areas: dict) -> None:
        """Shared areas by id; one already stored is left as it is (same id, same shape)."""
        if areas:
            cur.executemany(
                f"INSERT INTO {self._t('areas')} (id, geom) VALUES (%s, ST_GeomFromWKB(%s, 4326)) "
                f"ON CONFLICT (id) DO NOTHING", [(key, self._wkb(g)) for key, g in areas.items()])

    def _insert_analysis(self, cur, fid: int, mentions: Sequence[Mention], events: Sequence[Event],
                         places: dict, *, keep: set[str] = frozenset()) -> int:
        """The mentions and events (but those in ``keep``) of the article of this fid, the places
        whose geometry the mentions borrow and the areas both share; returns the events written."""
        if places:
            cur.executemany(
                f"INSERT INTO {self._t('places')} (geom, {', '.join(PLACE_TYPES)}) "
                f"VALUES (ST_GeomFromWKB(%s, 4326), %s, %s, %s, %s) ON CONFLICT (place_id) DO NOTHING",
                [(self._wkb(p.geometry), p.id, p.name_ar, p.name_en, p.kind) for p in places.values()])
        events = [e for e in events if e.id not in keep]
        mention_rows, event_rows, areas = analysis_rows(fid, mentions, events)
        self._insert_areas(cur, areas)
        if mention_rows:
            cur.executemany(
                f"INSERT INTO {self._t('mentions')} (geom, {', '.join(MENTION_STORED_TYPES)}) "
                f"VALUES (ST_GeomFromWKB(%s, 4326), {', '.join(['%s'] * len(MENTION_STORED_TYPES))})",
                [(self._wkb(g), *values) for g, *values in mention_rows])
        if event_rows:
            self._insert_events(cur, [(g, key, fid, *rest) for g, key, _, *rest in event_rows])
        return len(event_rows)

    def write_article(self, article: Article, mentions: Sequence[Mention],
                      events: Sequence[Event]) -> bool:
        """Same contract as ``GeoPackageStore.write_article``."""
        return self.write_articles([(article, mentions, events)])[0]

    def write_articles(self, items: Sequence[tuple[Article, Sequence[Mention], Sequence[Event]]]) -> list[bool]:
        """Same contract as ``GeoPackageStore.write_articles``."""
        prepared = []
        for article, mentions, events in items:
            check_article(article)
            check_events(events, article.id)
            for m in mentions:
                if not isinstance(m, Mention):
                    raise InputError(f"expected Mention objects, got {type(m).__name__!r}")
            row = list(article_row(article))
            row[6] = article.ingested_at  # timestamptz takes the datetime itself
            prepared.append((article, row, mentions, events, new_places(mentions, set())))
        if not prepared:
            return []

        # a stub row (``_fids``) is filled in; a stored article is left as it is
        insert = (f"INSERT INTO {self._t('articles')} AS a ({', '.join(ARTICLE_TYPES)}) "
                  f"VALUES ({', '.join(['%s'] * len(ARTICLE_TYPES))}) ON CONFLICT (id) DO UPDATE SET "
                  + ", ".join(f"{c} = excluded.{c}" for c in ARTICLE_TYPES if c != "id")
                  + " WHERE a.text IS NULL RETURNING fid")

        def one(cur, article, row, mentions, events, places) -> bool:
            cur.execute(insert, row)
            found = cur.fetchone()
            if found is None:
                return False
            self._insert_analysis(cur, found[0], mentions, events, places)
            return True

        return self._transaction(lambda cur: [one(cur, *item) for item in prepared])

    def write(self, events: Sequence[Event]) -> int:
        """Same contract as ``GeoPackageStore.write``."""
        events = list(events)
        if not events:
            return 0
        check_events(events)
        kept, ids, areas = split_areas([e.geometry for e in events])

        def work(cur) -> None:
            self._insert_areas(cur, areas)
            fids = self._fids(cur, [e.article_id for e in events])
            rows = [(g, *event_row(e), key) for g, e, key in zip(kept, events, ids)]
            self._insert_events(cur, [(g, key, fids[article], *rest) for g, key, article, *rest in rows])

        self._transaction(work)
        return len(events)

    def read(self, *, bbox=None, since=None, until=None, event_types=None, actors=None,
             outlets=None, speakers=None, near=None, precision=None,
             include_denied: bool = True, include_repeats: bool = False, review=None, ids=None,
             article_ids=None) -> gpd.GeoDataFrame:
        """Same contract as ``GeoPackageStore.read``."""
        f = check_filters(bbox=bbox, since=since, until=until, event_types=event_types,
                           actors=actors, outlets=outlets, speakers=speakers, near=near,
                           precision=precision, include_denied=include_denied,
                           include_repeats=include_repeats, review=review, ids=ids,
                           article_ids=article_ids)
        if f.area is not None and f.area.is_empty:   # a bbox and a circle that do not meet
            return events_frame([], [])
        where, params = [], []
        for column, values in (("coalesce(e.review, 'auto')", f.review), ("e.id", f.ids), ("r.id", f.article_ids)):
            if values is not None:
                where.append(f"{column} = ANY(%s)")
                params.append(list(values))
        if f.envelope is not None:
            # An event's own geometry, or the shared area it names. ANY(ARRAY(...)) rather than
            # IN (...): the areas become one parameter, and the planner ORs the geometry's GiST
            # index with the area_id index instead of filtering every event.
            where.append("(e.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) OR e.area_id = ANY(ARRAY("
                         f"SELECT id FROM {self._t('areas')} WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326))))")
            params += list(f.envelope) * 2
        if f.since is not None:
            where.append("e.event_date >= %s")
            params.append(f.since)
        if f.until is not None:
            where.append("e.event_date <= %s")
            params.append(f.until)
        for column, values in (("e.type", f.event_types), ("e.speaker", f.speakers)):
            if values is not None:
                where.append(f"{column} = ANY(%s)")
                params.append(list(values))
        if f.actors is not None:
            where.append("e.actors::jsonb ?| %s")
            params.append(list(f.actors))
        if f.outlets is not None:
            where.append("(e.publisher = ANY(%s) OR e.cited_outlet = ANY(%s) OR r.outlet = ANY(%s))")
            params += [list(f.outlets)] * 3
        if f.precision is not None:
            where.append("e.geo_precision = ANY(%s)")
            params.append(list(f.precision))
        if not f.include_denied:
            where.append("NOT e.denied")
        if not f.include_repeats:
            where.append("coalesce(e.same_as, '') = ''")   # a claim told twice is shown once
        # the article's id from its row (events name it by fid; a hash join, one pass over articles)
        columns = ", ".join("r.id" if c == "article_id" else f"e.{c}" for c in EVENT_COLUMNS)
        sql = (f"SELECT ST_AsBinary(e.geom), e.area_id, {columns} FROM {self._t('events')} e "
               f"LEFT JOIN {self._t('articles')} r ON r.fid = e.article_fid"
               + (f" WHERE {' AND '.join(where)}" if where else "")
               + " ORDER BY e.event_date ASC NULLS LAST, e.id")
        rows = self._query(sql, params)
        area_ids = [r[1] for r in rows]
        ids = used_ids(area_ids)
        areas = dict(self._query(f"SELECT id, ST_AsBinary(geom) FROM {self._t('areas')} WHERE id = ANY(%s)",
                                 (ids,))) if ids else {}
        geometries = with_areas([_bytes(r[0]) for r in rows], area_ids,
                                {key: _bytes(wkb) for key, wkb in areas.items()})
        frame = events_frame([r[2:] for r in rows], geometries)
        return exact_filter(frame, f)

    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored."""
        return bool(self._query(f"SELECT 1 FROM {self._t('articles')} WHERE id = %s AND text IS NOT NULL",
                                (article_id,)))

    def articles(self, *, with_text: bool = False, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Same contract as ``GeoPackageStore.articles``."""
        columns = (*ARTICLE_COLUMNS, "text") if with_text else ARTICLE_COLUMNS
        where, params = ("", ()) if ids is None else (" AND id = ANY(%s)", (list(ids),))
        rows = self._query(f"SELECT {', '.join(columns)} FROM {self._t('articles')} WHERE text IS NOT NULL{where} "
                           f"ORDER BY fid", params)
        rows = [tuple(iso_datetime(v) if isinstance(v, dt.datetime) else v for v in r) for r in rows]
        return articles_frame(rows, columns)

    def mentions(self, article_id: str | None = None) -> gpd.GeoDataFrame:
        """Same contract as ``GeoPackageStore.mentions``."""
        columns = ", ".join("r.id" if c == "article_id" else f"m.{c}" for c in MENTION_COLUMNS)
        sql = (f"SELECT ST_AsBinary(CASE WHEN m.geom_is_place THEN p.geom ELSE coalesce(m.geom, a.geom) END), "
               f"{columns} FROM {self._t('mentions')} m "
               f"LEFT JOIN {self._t('places')} p ON m.geom_is_place AND p.place_id = m.place_id "
               f"LEFT JOIN {self._t('areas')} a ON a.id = m.area_id "
               f"LEFT JOIN {self._t('articles')} r ON r.fid = m.article_fid")
        params: tuple = ()
        if article_id is not None:
            sql += " WHERE r.id = %s"
            params = (article_id,)
        rows = self._query(sql + " ORDER BY m.fid", params)
        return mentions_frame([r[1:] for r in rows], [_bytes(r[0]) for r in rows])

    def stats(self) -> StoreStats:
        """Same contract as ``GeoPackageStore.stats``."""
        (n_articles,), = self._query(f"SELECT count(*) FROM {self._t('articles')} WHERE text IS NOT NULL")
        (n_mentions,), = self._query(f"SELECT count(*) FROM {self._t('mentions')}")
        (n_events, first, last), = self._query(
            f"SELECT count(*), min(event_date), max(event_date) FROM {self._t('events')}")
        by_type = dict(self._query(
            f"SELECT type, count(*) FROM {self._t('events')} GROUP BY type ORDER BY type"))
        return StoreStats(n_articles, n_mentions, n_events, first, last, by_type)

    def change_key(self) -> tuple[int, ...]:
        """Same contract as ``GeoPackageStore.change_key`` (bigserial fids are never reused)."""
        t = self._t
        return tuple(self._query(
            f"SELECT (SELECT count(*) FROM {t('articles')}), (SELECT coalesce(max(fid), 0) FROM {t('articles')}), "
            f"(SELECT count(*) FROM {t('events')}), (SELECT coalesce(max(fid), 0) FROM {t('events')}), "
            f"(SELECT coalesce(max(fid), 0) FROM {t('edits')}), "
            f"(SELECT coalesce(max(fid), 0) FROM {t('user_places')})")[0])

    # ---- the analyst's edits (shared statements in geo.store.edits)

    def _sql(self, cur) -> edits.Sql:
        def rows(sql: str, params: Sequence) -> list[tuple]:
            cur.execute(sql, list(params))
            return cur.fetchall() if cur.description else []
        return edits.Sql(mark="%s", table=self._t, rows=rows,
                         geometry=lambda g: ("ST_GeomFromWKB(%s, 4326)", self._wkb(g)),
                         now=lambda: dt.datetime.now(dt.timezone.utc))

    def edit_event(self, event_id: str, changes: dict, *, who: str, note: str = "") -> list[str]:
        """Same contract as ``GeoPackageStore.edit_event``."""
        return self._transaction(lambda cur: edits.edit_event(self._sql(cur), event_id, changes,
                                                               who=who, note=note))

    def save_place(self, place_id: str, *, who: str, note: str = "", aliases: Sequence[str] = (),
                   new=None) -> None:
        """Same contract as ``GeoPackageStore.save_place``."""
        self._transaction(lambda cur: edits.save_place(self._sql(cur), place_id, who=who, note=note,
                                                       aliases=aliases, new=new))

    def user_places(self) -> list[dict]:
        """Same contract as ``GeoPackageStore.user_places``."""
        rows = self._query(f"SELECT ST_AsBinary(geom), {', '.join(edits.USER_PLACE_COLUMNS)} "
                           f"FROM {self._t('user_places')} ORDER BY fid")
        rows = [(r[0], *(iso_datetime(v) if isinstance(v, dt.datetime) else v for v in r[1:])) for r in rows]
        return edits.user_place_records([r[1:] for r in rows],
                                        [shapely.from_wkb(_bytes(r[0])) if r[0] else None for r in rows])

    def audit(self, *, target_id: str | None = None) -> pd.DataFrame:
        """Same contract as ``GeoPackageStore.audit``."""
        where, params = ("WHERE target_id = %s", (target_id,)) if target_id else ("", ())
        rows = self._query(f"SELECT {', '.join(edits.AUDIT_COLUMNS)} FROM {self._t('edits')} "
                           f"{where} ORDER BY fid", params)
        return edits.audit_frame([tuple(iso_datetime(v) if isinstance(v, dt.datetime) else v for v in r)
                                  for r in rows])

    def delete_articles(self, article_ids: Sequence[str], *, who: str, note: str = "") -> int:
        """Same contract as ``GeoPackageStore.delete_articles``."""
        return self._transaction(lambda cur: edits.delete_articles(self._sql(cur), article_ids,
                                                                   who=who, note=note))

    def replace_analysis(self, article_id: str, mentions: Sequence[Mention], events: Sequence[Event]) -> int:
        """Same contract as ``GeoPackageStore.replace_analysis``."""
        check_events(events, article_id)
        places = new_places(mentions, set())

        def work(cur) -> int:
            cur.execute(f"SELECT fid FROM {self._t('articles')} WHERE id = %s AND text IS NOT NULL", (article_id,))
            found = cur.fetchone()
            if not found:
                raise InputError(f"no article with id {article_id!r} in the store")
            kept = edits.touched_ids(self._sql(cur), article_id)
            cur.execute(f"DELETE FROM {self._t('mentions')} WHERE article_fid = %s", found)
            cur.execute(f"DELETE FROM {self._t('events')} WHERE article_fid = %s AND NOT id = ANY(%s)",
                        (found[0], list(kept)))
            return self._insert_analysis(cur, found[0], mentions, events, places, keep=kept)

        return self._transaction(work)


def _bytes(value: Any) -> bytes | None:
    """psycopg hands bytea back as memoryview or bytes; shapely wants bytes."""
    return None if value is None else bytes(value)
