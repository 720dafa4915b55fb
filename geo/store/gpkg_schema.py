"""The GeoPackage store's tables: the statements that make an empty Marsad GeoPackage."""

from __future__ import annotations

from geo.store import edits
from geo.store.gpkg_geometry import (
    _GPKG_APPLICATION_ID,
    _GPKG_USER_VERSION,
    _WGS84_WKT,
    _rtree_sql,
)
from geo.store.gpkg_rows import ARTICLE_TYPES_GPKG, compact_places, compress_text, decompress_text, places_sql
from geo.store.schema import (
    EVENT_STORED,
    EVENT_STORED_TYPES,
    MENTION_STORED_TYPES,
    PLACE_TYPES,
    SCHEMA_VERSION,
)


def _columns_sql(types: dict[str, str], unique: str | None = None) -> str:
    cols = [f"{name} {column_type(sqltype)}" + (" NOT NULL UNIQUE" if name == unique else "")
            for name, sqltype in types.items()]
    return ", ".join(cols)


def column_type(kind: str) -> str:
    """The GeoPackage type of a schema type: a 64-bit id is a plain INTEGER (64 bits in SQLite)."""
    return "INTEGER" if kind == "ID64" else kind


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
        f"{_columns_sql(ARTICLE_TYPES_GPKG, unique='id')})",
        f"CREATE TABLE mentions (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
        f"{_columns_sql(MENTION_STORED_TYPES)})",
        "CREATE INDEX mentions_article_fid ON mentions(article_fid)",
        f"CREATE TABLE places (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
        f"{_columns_sql(PLACE_TYPES, unique='place_id')})",
        f"CREATE TABLE events (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
        f"{_columns_sql(EVENT_STORED_TYPES, unique='id')})",
        "CREATE INDEX events_article_fid ON events(article_fid)",
        *_event_indexes(),
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
        *_v3_tables(),
        *area_tables(),
        "CREATE TABLE marsad_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"INSERT INTO marsad_meta VALUES ('schema_version', '{SCHEMA_VERSION}')",
    ]


def _v3_tables() -> list[str]:
    """The audit log (an attribute table) and the analyst's places (a feature table), when missing."""
    return [
        f"CREATE TABLE IF NOT EXISTS edits (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
        f"{_columns_sql(edits.AUDIT_TYPES)})",
        "CREATE INDEX IF NOT EXISTS edits_target ON edits(target_id)",
        f"CREATE TABLE IF NOT EXISTS user_places (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
        f"{_columns_sql(edits.USER_PLACE_TYPES, unique='place_id')})",
        """INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
            ('edits', 'attributes', 'edits', 'Every analyst edit: who, when, field, before and after', 0),
            ('user_places', 'features', 'user_places', 'Places and aliases the analysts added', 4326)""",
        "INSERT OR IGNORE INTO gpkg_geometry_columns VALUES ('user_places', 'geom', 'GEOMETRY', 4326, 0, 0)",
    ]


def area_tables() -> list[str]:
    """The shared areas (``geo.store.areas``): a feature table with its R-tree, the index that
    finds the events of an area, and a view of the events with their areas filled in, which
    QGIS and GDAL open as a layer (in ``events`` itself an area's events have no geometry)."""
    return [
        "CREATE TABLE areas (fid INTEGER PRIMARY KEY, geom GEOMETRY)",
        """INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
            ('areas', 'features', 'areas', 'Derived areas, each stored once and named by mentions and events', 4326)""",
        "INSERT INTO gpkg_geometry_columns VALUES ('areas', 'geom', 'GEOMETRY', 4326, 0, 0)",
        *_rtree_sql("areas"),
        # partial: most events have their own geometry, and "area_id IN (...)" implies NOT NULL
        "CREATE INDEX events_area_id ON events(area_id) WHERE area_id IS NOT NULL",
        *events_view(),
        """INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
            ('events_full', 'features', 'events_full', 'The events with their shared areas (a view)', 4326)""",
        "INSERT INTO gpkg_geometry_columns VALUES ('events_full', 'geom', 'GEOMETRY', 4326, 0, 0)",
    ]


def events_view() -> list[str]:
    """The view of the events with their areas, their article's text id and their places' JSON
    filled in, made again after each migration so it lists the events' columns of the schema
    version. A quote kept as its span (``geo.store.gpkg_rows.SPAN``) is NULL there: the text it
    comes from is compressed."""
    special = {"article_fid": "r.id AS article_id", "places": f"{places_sql('e.places')} AS places",
               "quote": "CASE WHEN typeof(e.quote) = 'blob' THEN NULL ELSE e.quote END AS quote"}
    columns = ", ".join(special.get(c, f"e.{c}") for c in EVENT_STORED)
    return [
        "DROP VIEW IF EXISTS events_full",
        f"""CREATE VIEW events_full AS SELECT e.fid AS fid, coalesce(e.geom, a.geom) AS geom, {columns}
            FROM events e LEFT JOIN areas a ON a.fid = e.area_id LEFT JOIN articles r ON r.fid = e.article_fid""",
    ]


def compress_texts(conn) -> None:
    """Version 6's own step for a GeoPackage: the article text zlib-compressed (``geo.store.gpkg_rows``),
    inside the opener's transaction. The freed pages are reused by later writes; the file itself
    shrinks only with VACUUM."""
    conn.create_function("marsad_compress_text", 1, compress_text, deterministic=True)
    for statement in (
        "ALTER TABLE articles ADD COLUMN text_zlib BLOB",
        "UPDATE articles SET text_zlib = marsad_compress_text(text)",
        "ALTER TABLE articles DROP COLUMN text",
    ):
        conn.execute(statement)


def compact_events(conn) -> None:
    """Version 7's own step for a GeoPackage, inside the opener's transaction: each event's places
    stored short, and its quote kept as its span where it is its report's text there
    (``geo.store.gpkg_rows``); reports are decompressed one at a time."""
    conn.create_function("marsad_compact_places", 1, compact_places, deterministic=True)
    conn.execute("UPDATE events SET places = marsad_compact_places(places) "
                 "WHERE substr(places, 1, 11) = '[{\"role\": \"'")   # not the many '[]'
    spans, last, text = [], None, None
    for fid, quote, start, end, article in conn.execute(
            "SELECT fid, quote, quote_start, quote_end, article_fid FROM events "
            "WHERE typeof(quote) = 'text' ORDER BY article_fid"):
        if article != last:
            last = article
            stored = conn.execute("SELECT text_zlib FROM articles WHERE fid = ?", (article,)).fetchone()
            text = decompress_text(stored[0]) if stored else None
        if text is not None and text[start:end] == quote:
            spans.append((fid,))
    conn.executemany("UPDATE events SET quote = X'' WHERE fid = ?", spans)


def _event_indexes() -> list[str]:
    """The events' column indexes, for new stores and, at open, for older ones.

    (event_date, id) is the read order, so a full read walks the index instead of sorting
    every row in a temporary b-tree, and a date range starts from it; it replaces the
    plain date index older files have.
    """
    return [
        "CREATE INDEX IF NOT EXISTS events_date_id ON events(event_date, id)",
        "DROP INDEX IF EXISTS events_date",
        "CREATE INDEX IF NOT EXISTS events_type ON events(type)",
    ]
