"""Where articles, mentions and events live: a GeoPackage file or a PostGIS database.

``EventStore`` is the small interface the app, the exports and the ingestion
use. ``GeoPackageStore`` is the embedded default: one SQLite file that QGIS,
GDAL and geopandas open as a GeoPackage with three layers (``articles``, an
attribute table; ``mentions`` and ``events``, feature tables of any geometry
type). ``PostGISStore`` keeps the same tables on a shared server.
``open_store`` picks one from a URL or a path.

Both backends hold the same columns (lists travel as JSON text, as in
``geo.frames``) and share the filter semantics: SQL narrows by columns and by
bounding boxes, then one exact shapely test decides what meets a bbox or a
circle, so a filter means the same thing on either side.

Nothing here reads environment variables; callers pass paths and URLs in.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sqlite3
import struct
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError, StorageError
from geo.frames import EVENT_COLUMNS
from geo.models import EVENT_TYPES, Article, Event, Mention

SCHEMA_VERSION = 1
CRS = "EPSG:4326"

ARTICLE_COLUMNS = ("id", "title", "outlet", "url", "published", "language", "ingested_at")
MENTION_COLUMNS = (
    "article_id", "start_char", "end_char", "surface", "place_id", "qualifier",
    "anchor_id", "second_anchor_id", "direction", "precision", "confidence",
    "candidates", "phrase_start", "phrase_end",
)

# Column types, one list for both backends (GeoPackage types; PostGIS maps them below).
_ARTICLE_TYPES = {
    "id": "TEXT", "title": "TEXT", "outlet": "TEXT", "url": "TEXT", "published": "DATE",
    "language": "TEXT", "ingested_at": "DATETIME", "text": "TEXT",
}
_MENTION_TYPES = {
    "article_id": "TEXT", "start_char": "INTEGER", "end_char": "INTEGER", "surface": "TEXT",
    "place_id": "TEXT", "qualifier": "TEXT", "anchor_id": "TEXT", "second_anchor_id": "TEXT",
    "direction": "TEXT", "precision": "INTEGER", "confidence": "REAL", "candidates": "TEXT",
    "phrase_start": "INTEGER", "phrase_end": "INTEGER", "geom_is_place": "BOOLEAN",
}
# A mention of a place as such (no qualifier) has the place's own geometry, and a
# country or continent polygon is large: it is stored once in ``places`` and the
# mention row points at it (geom_is_place), instead of once per mention.
_PLACE_TYPES = {"place_id": "TEXT", "name_ar": "TEXT", "name_en": "TEXT", "kind": "TEXT"}
_EVENT_TYPES_SQL = {
    "id": "TEXT", "article_id": "TEXT", "type": "TEXT", "actors": "TEXT", "places": "TEXT",
    "geo_precision": "INTEGER", "event_date": "DATE", "date_precision": "TEXT",
    "speaker": "TEXT", "speaker_role": "TEXT", "source_type": "TEXT", "cited_outlet": "TEXT",
    "publisher": "TEXT", "url": "TEXT", "quote": "TEXT", "quote_start": "INTEGER",
    "quote_end": "INTEGER", "denied": "BOOLEAN", "confidence": "REAL", "review": "TEXT",
    "note": "TEXT",
}
assert tuple(_EVENT_TYPES_SQL) == EVENT_COLUMNS
# json.dumps(..., ensure_ascii=False) builds a new encoder on every call; one encoder
# with the same settings writes the same text.
_json = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What a store holds: row counts, the span of event dates, events per type."""

    articles: int
    mentions: int
    events: int
    first_event_date: dt.date | None
    last_event_date: dt.date | None
    events_by_type: dict[str, int] = field(default_factory=dict)


@runtime_checkable
class EventStore(Protocol):
    """The storage contract every backend fulfils (see the module docstring)."""

    schema_version: int

    def write_article(self, article: Article, mentions: Sequence[Mention],
                      events: Sequence[Event]) -> bool: ...

    def write_articles(self, items: Sequence[tuple[Article, Sequence[Mention], Sequence[Event]]]) -> list[bool]: ...

    def write(self, events: Sequence[Event]) -> int: ...

    def read(self, *, bbox=None, since=None, until=None, event_types=None, actors=None,
             outlets=None, speakers=None, near=None, precision=None,
             include_denied: bool = True) -> gpd.GeoDataFrame: ...

    def articles(self, *, with_text: bool = False) -> pd.DataFrame: ...

    def has_article(self, article_id: str) -> bool: ...

    def mentions(self, article_id: str | None = None) -> gpd.GeoDataFrame: ...

    def stats(self) -> StoreStats: ...

    def close(self) -> None: ...


def open_store(url_or_path: str | Path, **options: Any) -> EventStore:
    """Open the store a URL or a path names.

    Parameters
    ----------
    url_or_path : str or Path
        ``postgresql://user@host:port/db`` (or ``postgres://``,
        ``postgresql+psycopg://``) opens a PostGIS store; anything else is the
        path of a GeoPackage file, created if missing.
    **options
        Passed to the store's constructor (``schema=`` for PostGIS).

    Returns
    -------
    EventStore

    Raises
    ------
    InputError
        When the value is empty.
    StorageError
        When the file or the server cannot be opened.

    Examples
    --------
    >>> store = open_store("var/marsad.gpkg")          # doctest: +SKIP
    >>> store.read(event_types=["movement"], near=(31.76, 13.98, 50))  # حول بني وليد
    """
    text = str(url_or_path).strip()
    if not text:
        raise InputError(f"a store needs a path or a postgresql:// URL, got {url_or_path!r}")
    if re.match(r"^postgres(ql)?(\+\w+)?://", text):
        return PostGISStore(text, **options)
    return GeoPackageStore(text, **options)


# --------------------------------------------------------------------------- filters

@dataclass(frozen=True, slots=True)
class _Filters:
    """Validated read filters, shared by both backends."""

    bbox: tuple[float, float, float, float] | None
    since: dt.date | None
    until: dt.date | None
    event_types: tuple[str, ...] | None
    actors: tuple[str, ...] | None
    outlets: tuple[str, ...] | None
    speakers: tuple[str, ...] | None
    area: BaseGeometry | None          # the exact shape a geometry must meet (bbox ∩ circle)
    precision: tuple[int, ...] | None   # the geo_precision levels wanted
    include_denied: bool

    @property
    def envelope(self) -> tuple[float, float, float, float] | None:
        """(minx, miny, maxx, maxy) every match's bounds must overlap."""
        return None if self.area is None else tuple(self.area.bounds)


def _as_date(name: str, value: Any) -> dt.date | None:
    """A date from a date, datetime, pandas Timestamp or 'YYYY-MM-DD' string."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise InputError(f"{name} must be a date or 'YYYY-MM-DD', got {value!r}")


def _as_names(name: str, value: Any) -> tuple[str, ...] | None:
    """A tuple of non-empty strings from one string or an iterable of them."""
    if value is None:
        return None
    items = (value,) if isinstance(value, str) else tuple(value) if isinstance(value, Iterable) else None
    if items is None or not all(isinstance(v, str) and v for v in items):
        raise InputError(f"{name} must be a string or a list of non-empty strings, got {value!r}")
    return items


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
        and math.isfinite(value)


def _is_seq(value: Any) -> bool:
    return isinstance(value, (Sequence, np.ndarray)) and not isinstance(value, str)


def _check_filters(*, bbox, since, until, event_types, actors, outlets, speakers, near,
                   precision, include_denied) -> _Filters:
    """Validate every read filter at the entry point; InputError quotes the bad value."""
    area = None
    if bbox is not None:
        if not (_is_seq(bbox) and len(bbox) == 4 and all(_finite(v) for v in bbox)):
            raise InputError(f"bbox must be (min_lon, min_lat, max_lon, max_lat), got {bbox!r}")
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise InputError(
                f"bbox must be (min_lon, min_lat, max_lon, max_lat) with min <= max inside "
                f"[-180, 180] x [-90, 90], got {bbox!r}")
        bbox = (minx, miny, maxx, maxy)
        area = box(*bbox)
    if near is not None:
        if not (_is_seq(near) and len(near) == 3 and all(_finite(v) for v in near)):
            raise InputError(f"near must be (lat, lon, radius_km), got {near!r}")
        lat, lon, radius = (float(v) for v in near)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and radius >= 0):
            raise InputError(f"near must be (lat, lon, radius_km) with radius_km >= 0, got {near!r}")
        from geo.spatial import circle  # geo.spatial is light; imported here to keep store import cheap
        disc = circle(lat, lon, radius)
        area = disc if area is None else area.intersection(disc)
    since_d, until_d = _as_date("since", since), _as_date("until", until)
    if since_d and until_d and since_d > until_d:
        raise InputError(f"since must not be after until, got since={since!r}, until={until!r}")
    types = _as_names("event_types", event_types)
    if types is not None:
        unknown = [t for t in types if t not in EVENT_TYPES]
        if unknown:
            raise InputError(f"event_types must be among {list(EVENT_TYPES)}, got {unknown!r}")
    levels = None
    if precision is not None:
        # An int is a ceiling (1 = only named places); a list is the set of levels wanted.
        single = isinstance(precision, (int, np.integer))
        items = (precision,) if single else \
            tuple(precision) if _is_seq(precision) or isinstance(precision, (set, frozenset)) else ()
        if not items or not all(isinstance(p, (int, np.integer)) and not isinstance(p, bool)
                                and p in (1, 2, 3) for p in items):
            raise InputError(f"precision must be 1, 2 or 3 or a list of them, got {precision!r}")
        levels = tuple(range(1, int(precision) + 1)) if single else tuple(sorted({int(p) for p in items}))
    return _Filters(
        bbox=bbox, since=since_d, until=until_d, event_types=types,
        actors=_as_names("actors", actors), outlets=_as_names("outlets", outlets),
        speakers=_as_names("speakers", speakers), area=area, precision=levels,
        include_denied=bool(include_denied),
    )


def _check_article(article: Article) -> None:
    """Raise InputError for an article that cannot be stored."""
    if not isinstance(article, Article):
        raise InputError(f"write_article needs an Article, got {type(article).__name__!r}")
    if not article.id:
        raise InputError(f"an article needs an id, got {article.id!r}")


def _check_events(events: Sequence[Event], article_id: str | None = None) -> None:
    """Raise InputError for a non-Event, or an event of another article."""
    for e in events:
        if not isinstance(e, Event):
            raise InputError(f"expected Event objects, got {type(e).__name__!r}")
        if article_id is not None and e.article_id != article_id:
            raise InputError(f"event {e.id!r} belongs to article {e.article_id!r}, not {article_id!r}")


# --------------------------------------------------------------------------- rows and frames

def _article_row(article: Article) -> tuple:
    return (
        article.id, article.title, article.outlet, article.url,
        article.published.isoformat() if article.published else None,
        article.language,
        _iso_datetime(article.ingested_at) if article.ingested_at else None,
        article.text,
    )


def _iso_datetime(value: dt.datetime) -> str:
    """GeoPackage DATETIME text: UTC, milliseconds, a trailing Z."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="milliseconds") + "Z"


def _mention_geometry(m: Mention) -> tuple[BaseGeometry | None, bool]:
    """(geometry to store in the mention row, whether it is the place's own geometry instead)."""
    if m.place is not None and m.geometry is not None and (
            m.geometry is m.place.geometry or m.geometry.equals_exact(m.place.geometry, 0.0)):
        return None, True
    return m.geometry, False


def _mention_row(article_id: str, m: Mention) -> tuple[BaseGeometry | None, tuple]:
    """(geometry for the mention row, the row's other columns in ``_MENTION_TYPES`` order)."""
    geometry, is_place = _mention_geometry(m)
    return geometry, (
        article_id, m.start, m.end, m.surface, m.place.id if m.place else None, m.qualifier,
        m.anchor.id if m.anchor else None, m.second_anchor.id if m.second_anchor else None,
        m.direction, m.precision, float(m.confidence),
        _json(list(m.candidates)), m.phrase_start, m.phrase_end, is_place,
    )


def _new_places(mentions: Sequence[Mention], known: set[str]) -> dict[str, Any]:
    """The places whose geometry the mentions borrow and the store may not hold yet."""
    return {m.place.id: m.place for m in mentions
            if m.place is not None and m.place.id not in known and _mention_geometry(m)[1]}


def _event_row(event: Event) -> tuple:
    """An event's columns in ``EVENT_COLUMNS`` order, as ``geo.frames.event_record`` writes them.

    Built directly rather than through the record dict: a report has a dozen
    events or more, and this runs on every one of them.
    """
    a = event.attribution
    places = [{"role": p.role, "place_id": p.place_id, "name": p.name, "precision": p.precision,
               "start": p.start, "end": p.end, "qualifier": p.qualifier} for p in event.places]
    return (event.id, event.article_id, event.type, _json(list(event.actors)), _json(places),
            event.geo_precision, event.event_date.isoformat() if event.event_date else None,
            event.date_precision, a.speaker, a.speaker_role, a.source_type, a.cited_outlet, a.publisher,
            a.url, event.quote, event.quote_start, event.quote_end, bool(event.denied),
            float(event.confidence), event.review, event.note)


def _events_frame(rows: list[tuple], wkbs: list[bytes | None]) -> gpd.GeoDataFrame:
    """The store's event frame from plain rows in ``EVENT_COLUMNS`` order and ISO WKB."""
    frame = pd.DataFrame.from_records(rows, columns=list(EVENT_COLUMNS)) if rows else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_COLUMNS})
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["geo_precision"] = frame["geo_precision"].astype("Int64")
    frame["quote_start"] = frame["quote_start"].astype("int64")
    frame["quote_end"] = frame["quote_end"].astype("int64")
    frame["denied"] = frame["denied"].astype(bool)
    frame["confidence"] = frame["confidence"].astype("float64")
    geometry = shapely.from_wkb(np.array(wkbs, dtype=object)) if wkbs else np.array([], dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


def _mentions_frame(rows: list[tuple], wkbs: list[bytes | None]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(MENTION_COLUMNS)) if rows else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS})
    for c in ("precision", "phrase_start", "phrase_end"):
        frame[c] = frame[c].astype("Int64")
    for c in ("start_char", "end_char"):
        frame[c] = frame[c].astype("int64")
    frame["confidence"] = frame["confidence"].astype("float64")
    geometry = shapely.from_wkb(np.array(wkbs, dtype=object)) if wkbs else np.array([], dtype=object)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


def _articles_frame(rows: list[tuple], columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(columns)) if rows else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame["published"] = pd.to_datetime(frame["published"])
    frame["ingested_at"] = pd.to_datetime(frame["ingested_at"], utc=True, format="ISO8601")
    return frame


def _exact(frame: gpd.GeoDataFrame, filters: _Filters) -> gpd.GeoDataFrame:
    """Keep the rows whose geometry really meets the filter's area (SQL only compared boxes)."""
    if filters.area is None or frame.empty:
        return frame
    keep = frame.geometry.intersects(filters.area).to_numpy(dtype=bool)
    return frame[keep].reset_index(drop=True)


# --------------------------------------------------------------------------- GeoPackage

# Envelope sizes by the header's envelope-contents indicator (GeoPackage 1.3, 2.1.3).
_ENVELOPE_BYTES = (0, 32, 48, 48, 64)
_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_GPKG_USER_VERSION = 10300
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)


def gpkg_blob(geometry: BaseGeometry | None) -> bytes | None:
    """A GeoPackage geometry blob: the 'GP' header with an xy envelope, then ISO WKB.

    Little-endian, SRS 4326; an empty geometry gets the empty flag and a NaN
    envelope, as the standard asks. None stays None (a NULL geometry).
    """
    return gpkg_blobs([geometry])[0]


def gpkg_blobs(geometries: Sequence[BaseGeometry | None]) -> list[bytes | None]:
    """``gpkg_blob`` for many geometries at once (shapely's vectorised WKB and bounds)."""
    if not geometries:
        return []
    array = np.empty(len(geometries), dtype=object)
    array[:] = geometries
    wkbs = shapely.to_wkb(array, byte_order=1, flavor="iso")
    bounds = shapely.bounds(array)
    empty = shapely.is_empty(array)
    out: list[bytes | None] = []
    for wkb, (minx, miny, maxx, maxy), is_empty in zip(wkbs, bounds.tolist(), empty.tolist()):
        if wkb is None:
            out.append(None)
            continue
        flags = 0b0000_0011 | (0b1_0000 if is_empty else 0)
        out.append(struct.pack("<2sBBi4d", b"GP", 0, flags, 4326, minx, maxx, miny, maxy) + wkb)
    return out


def _wkb_of(blob: bytes | None) -> bytes | None:
    """The WKB inside a GeoPackage blob (the header's length depends on its flags)."""
    if blob is None:
        return None
    return blob[8 + _ENVELOPE_BYTES[(blob[3] >> 1) & 0b111]:]


def _blob_bounds(blob: bytes) -> tuple[float, float, float, float]:
    """(minx, maxx, miny, maxy) of a blob, from its envelope or else from its WKB."""
    if (blob[3] >> 1) & 0b111:
        order = "<" if blob[3] & 1 else ">"
        return struct.unpack_from(order + "4d", blob, 8)
    minx, miny, maxx, maxy = shapely.from_wkb(_wkb_of(blob)).bounds
    return minx, maxx, miny, maxy


def _blob_is_empty(blob: bytes | None) -> int | None:
    return None if blob is None else (blob[3] >> 4) & 1


_LE_BOUNDS = struct.Struct("<4d")


class _TriggerBounds:
    """ST_MinX, ST_MaxX, ST_MinY, ST_MaxY for the GeoPackage R-tree triggers.

    The insert trigger asks for a row's four bounds one by one; the blob's
    bounds are unpacked once and kept until another blob comes (one instance
    per connection, used under the store's lock).
    """

    __slots__ = ("_blob", "_bounds")

    def __init__(self) -> None:
        self._blob: bytes | None = None
        self._bounds: tuple[float, float, float, float] | None = None

    def _of(self, blob: bytes | None) -> tuple[float, float, float, float] | None:
        if blob != self._blob:
            self._blob = blob
            if blob is None or (blob[3] >> 4) & 1:
                self._bounds = None
            elif blob[3] == 0b0000_0011:   # what gpkg_blobs writes: little-endian, xy envelope
                self._bounds = _LE_BOUNDS.unpack_from(blob, 8)
            else:
                self._bounds = _blob_bounds(blob)
        return self._bounds

    def functions(self) -> dict:
        def bound(index: int):
            def read(blob):
                bounds = self._of(blob)
                return None if bounds is None else bounds[index]
            return read
        return {"ST_IsEmpty": _blob_is_empty, "ST_MinX": bound(0), "ST_MaxX": bound(1),
                "ST_MinY": bound(2), "ST_MaxY": bound(3)}


def _rtree_sql(table: str, column: str = "geom", fid: str = "fid") -> list[str]:
    """The R-tree table and its maintenance triggers (GeoPackage rtree extension, F.3)."""
    rt = f"rtree_{table}_{column}"
    bounds = (f"ST_MinX(NEW.{column}), ST_MaxX(NEW.{column}), "
              f"ST_MinY(NEW.{column}), ST_MaxY(NEW.{column})")
    return [
        f"CREATE VIRTUAL TABLE {rt} USING rtree(id, minx, maxx, miny, maxy)",
        f"""CREATE TRIGGER {rt}_insert AFTER INSERT ON {table}
            WHEN (NEW.{column} NOT NULL AND NOT ST_IsEmpty(NEW.{column}))
            BEGIN INSERT OR REPLACE INTO {rt} VALUES (NEW.{fid}, {bounds}); END""",
        f"""CREATE TRIGGER {rt}_update1 AFTER UPDATE OF {column} ON {table}
            WHEN OLD.{fid} = NEW.{fid} AND (NEW.{column} NOTNULL AND NOT ST_IsEmpty(NEW.{column}))
            BEGIN INSERT OR REPLACE INTO {rt} VALUES (NEW.{fid}, {bounds}); END""",
        f"""CREATE TRIGGER {rt}_update2 AFTER UPDATE OF {column} ON {table}
            WHEN OLD.{fid} = NEW.{fid} AND (NEW.{column} IS NULL OR ST_IsEmpty(NEW.{column}))
            BEGIN DELETE FROM {rt} WHERE id = OLD.{fid}; END""",
        f"""CREATE TRIGGER {rt}_update3 AFTER UPDATE ON {table}
            WHEN OLD.{fid} != NEW.{fid} AND (NEW.{column} NOTNULL AND NOT ST_IsEmpty(NEW.{column}))
            BEGIN DELETE FROM {rt} WHERE id = OLD.{fid};
                  INSERT OR REPLACE INTO {rt} VALUES (NEW.{fid}, {bounds}); END""",
        f"""CREATE TRIGGER {rt}_update4 AFTER UPDATE ON {table}
            WHEN OLD.{fid} != NEW.{fid} AND (NEW.{column} IS NULL OR ST_IsEmpty(NEW.{column}))
            BEGIN DELETE FROM {rt} WHERE id IN (OLD.{fid}, NEW.{fid}); END""",
        f"""CREATE TRIGGER {rt}_delete AFTER DELETE ON {table}
            WHEN OLD.{column} NOT NULL
            BEGIN DELETE FROM {rt} WHERE id = OLD.{fid}; END""",
        f"""INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
            VALUES ('{table}', '{column}', 'gpkg_rtree_index',
                    'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')""",
    ]


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
        f"{_columns_sql(_ARTICLE_TYPES, unique='id')})",
        f"CREATE TABLE mentions (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
        f"{_columns_sql(_MENTION_TYPES)})",
        "CREATE INDEX mentions_article_id ON mentions(article_id)",
        f"CREATE TABLE places (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
        f"{_columns_sql(_PLACE_TYPES, unique='place_id')})",
        f"CREATE TABLE events (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, "
        f"{_columns_sql(_EVENT_TYPES_SQL, unique='id')})",
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


class _Connection:
    """Closing and the with-statement, shared by both stores (each has _conn and _lock).

    Closing a GeoPackage connection also checkpoints its WAL back into the file.
    """

    _conn: Any
    _lock: Any

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class GeoPackageStore(_Connection):
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
            _check_article(article)
            _check_events(events, article.id)
            for m in mentions:
                if not isinstance(m, Mention):
                    raise InputError(f"expected Mention objects, got {type(m).__name__!r}")
            mention_parts = [_mention_row(article.id, m) for m in mentions]
            places = _new_places(mentions, known)
            known.update(places)
            blobs = iter(gpkg_blobs([g for g, _ in mention_parts] + [e.geometry for e in events]
                                    + [p.geometry for p in places.values()]))
            mention_rows = [(next(blobs), *row) for _, row in mention_parts]
            event_rows = [(next(blobs), *_event_row(e)) for e in events]
            place_rows = [(next(blobs), p.id, p.name_ar, p.name_en, p.kind) for p in places.values()]
            prepared.append((_article_row(article), place_rows, mention_rows, event_rows))
        if not prepared:
            return []

        def work(conn: sqlite3.Connection) -> list[bool]:
            written = []
            for article_row, place_rows, mention_rows, event_rows in prepared:
                cur = conn.execute(
                    f"INSERT OR IGNORE INTO articles ({', '.join(_ARTICLE_TYPES)}) "
                    f"VALUES ({', '.join('?' * len(_ARTICLE_TYPES))})", article_row)
                if cur.rowcount == 0:
                    written.append(False)
                    continue
                conn.executemany(
                    f"INSERT OR IGNORE INTO places (geom, {', '.join(_PLACE_TYPES)}) "
                    f"VALUES ({', '.join('?' * (len(_PLACE_TYPES) + 1))})", place_rows)
                conn.executemany(
                    f"INSERT INTO mentions (geom, {', '.join(_MENTION_TYPES)}) "
                    f"VALUES ({', '.join('?' * (len(_MENTION_TYPES) + 1))})", mention_rows)
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
        _check_events(events)
        rows = [(blob, *_event_row(e)) for blob, e in zip(gpkg_blobs([e.geometry for e in events]), events)]
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
             include_denied: bool = True) -> gpd.GeoDataFrame:
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
            Keep events whose geometry meets the circle (``geo.spatial.circle``).
        precision : {1, 2, 3} or list of them, optional
            An int keeps events with ``geo_precision`` at most this (1 = the
            place itself); a list keeps exactly those levels.
        include_denied : bool, default True
            False leaves out events the source denied.

        Returns
        -------
        geopandas.GeoDataFrame
            Exactly ``geo.frames.EVENT_COLUMNS`` plus ``geometry``, EPSG:4326,
            ordered by event date then id.

        Raises
        ------
        InputError
            For a malformed filter (quoted in the message), or since > until.
        StorageError
            When the file cannot be read.
        """
        f = _check_filters(bbox=bbox, since=since, until=until, event_types=event_types,
                           actors=actors, outlets=outlets, speakers=speakers, near=near,
                           precision=precision, include_denied=include_denied)
        if f.area is not None and f.area.is_empty:   # a bbox and a circle that do not meet
            return _events_frame([], [])
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
        sql = (f"SELECT e.geom, {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM events e"
               + (f" WHERE {' AND '.join(where)}" if where else "")
               + " ORDER BY e.event_date IS NULL, e.event_date, e.id")
        rows = self._query(sql, params)
        frame = _events_frame([r[1:] for r in rows], [_wkb_of(r[0]) for r in rows])
        return _exact(frame, f)

    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored."""
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def articles(self, *, with_text: bool = False) -> pd.DataFrame:
        """Stored articles (``ARTICLE_COLUMNS``, plus ``text`` if asked), oldest ingestion first."""
        columns = (*ARTICLE_COLUMNS, "text") if with_text else ARTICLE_COLUMNS
        rows = self._query(f"SELECT {', '.join(columns)} FROM articles ORDER BY fid")
        return _articles_frame(rows, columns)

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
        return _mentions_frame([r[1:] for r in rows], [_wkb_of(r[0]) for r in rows])

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


# --------------------------------------------------------------------------- PostGIS

_PG_TYPES = {"TEXT": "text", "INTEGER": "integer", "REAL": "double precision", "DATE": "date",
             "DATETIME": "timestamptz", "BOOLEAN": "boolean"}
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class PostGISStore(_Connection):
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
                    f"{cols(_ARTICLE_TYPES, 'id')})",
                    f"CREATE TABLE {self._t('mentions')} (fid bigserial PRIMARY KEY, "
                    f"geom geometry(Geometry, 4326), {cols(_MENTION_TYPES)})",
                    f"CREATE INDEX ON {self._t('mentions')} (article_id)",
                    f"CREATE INDEX ON {self._t('mentions')} USING gist (geom)",
                    f"CREATE TABLE {self._t('places')} (fid bigserial PRIMARY KEY, "
                    f"geom geometry(Geometry, 4326), {cols(_PLACE_TYPES, 'place_id')})",
                    f"CREATE INDEX ON {self._t('places')} USING gist (geom)",
                    f"CREATE TABLE {self._t('events')} (fid bigserial PRIMARY KEY, "
                    f"geom geometry(Geometry, 4326), {cols(_EVENT_TYPES_SQL, 'id')})",
                    f"CREATE INDEX ON {self._t('events')} (article_id)",
                    f"CREATE INDEX ON {self._t('events')} (event_date)",
                    f"CREATE INDEX ON {self._t('events')} USING gist (geom)",
                    f"CREATE TABLE {self._t('marsad_meta')} (key text PRIMARY KEY, value text NOT NULL)",
                ):
                    self._conn.execute(statement)
                self._conn.execute(f"INSERT INTO {self._t('marsad_meta')} VALUES ('schema_version', %s)",
                                   (str(SCHEMA_VERSION),))
            version = int(self._conn.execute(
                f"SELECT value FROM {self._t('marsad_meta')} WHERE key = 'schema_version'").fetchone()[0])
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

    def _insert_events(self, cur, events: Sequence[Event]) -> None:
        updates = ", ".join(f"{c} = excluded.{c}" for c in ("geom", *EVENT_COLUMNS) if c != "id")
        cur.executemany(
            f"INSERT INTO {self._t('events')} (geom, {', '.join(EVENT_COLUMNS)}) "
            f"VALUES (ST_GeomFromWKB(%s, 4326), {', '.join(['%s'] * len(EVENT_COLUMNS))}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            [(self._wkb(e.geometry), *_event_row(e)) for e in events])

    def write_article(self, article: Article, mentions: Sequence[Mention],
                      events: Sequence[Event]) -> bool:
        """Same contract as ``GeoPackageStore.write_article``."""
        return self.write_articles([(article, mentions, events)])[0]

    def write_articles(self, items: Sequence[tuple[Article, Sequence[Mention], Sequence[Event]]]) -> list[bool]:
        """Same contract as ``GeoPackageStore.write_articles``."""
        prepared = []
        for article, mentions, events in items:
            _check_article(article)
            _check_events(events, article.id)
            for m in mentions:
                if not isinstance(m, Mention):
                    raise InputError(f"expected Mention objects, got {type(m).__name__!r}")
            row = list(_article_row(article))
            row[6] = article.ingested_at  # timestamptz takes the datetime itself
            prepared.append((article, row, mentions, events, _new_places(mentions, set())))
        if not prepared:
            return []

        def one(cur, article, row, mentions, events, places) -> bool:
            cur.execute(
                f"INSERT INTO {self._t('articles')} ({', '.join(_ARTICLE_TYPES)}) "
                f"VALUES ({', '.join(['%s'] * len(_ARTICLE_TYPES))}) ON CONFLICT (id) DO NOTHING", row)
            if cur.rowcount == 0:
                return False
            if places:
                cur.executemany(
                    f"INSERT INTO {self._t('places')} (geom, {', '.join(_PLACE_TYPES)}) "
                    f"VALUES (ST_GeomFromWKB(%s, 4326), %s, %s, %s, %s) ON CONFLICT (place_id) DO NOTHING",
                    [(self._wkb(p.geometry), p.id, p.name_ar, p.name_en, p.kind) for p in places.values()])
            if mentions:
                rows = []
                for m in mentions:
                    geometry, values = _mention_row(article.id, m)
                    rows.append((self._wkb(geometry), *values))
                cur.executemany(
                    f"INSERT INTO {self._t('mentions')} (geom, {', '.join(_MENTION_TYPES)}) "
                    f"VALUES (ST_GeomFromWKB(%s, 4326), {', '.join(['%s'] * len(_MENTION_TYPES))})", rows)
            if events:
                self._insert_events(cur, events)
            return True

        return self._transaction(lambda cur: [one(cur, *item) for item in prepared])

    def write(self, events: Sequence[Event]) -> int:
        """Same contract as ``GeoPackageStore.write``."""
        events = list(events)
        if not events:
            return 0
        _check_events(events)
        self._transaction(lambda cur: self._insert_events(cur, events))
        return len(events)

    def read(self, *, bbox=None, since=None, until=None, event_types=None, actors=None,
             outlets=None, speakers=None, near=None, precision=None,
             include_denied: bool = True) -> gpd.GeoDataFrame:
        """Same contract as ``GeoPackageStore.read``."""
        f = _check_filters(bbox=bbox, since=since, until=until, event_types=event_types,
                           actors=actors, outlets=outlets, speakers=speakers, near=near,
                           precision=precision, include_denied=include_denied)
        if f.area is not None and f.area.is_empty:   # a bbox and a circle that do not meet
            return _events_frame([], [])
        where, params = [], []
        if f.envelope is not None:
            where.append("e.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)")
            params += list(f.envelope)
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
            where.append(f"(e.publisher = ANY(%s) OR e.cited_outlet = ANY(%s) OR EXISTS "
                         f"(SELECT 1 FROM {self._t('articles')} a WHERE a.id = e.article_id "
                         f"AND a.outlet = ANY(%s)))")
            params += [list(f.outlets)] * 3
        if f.precision is not None:
            where.append("e.geo_precision = ANY(%s)")
            params.append(list(f.precision))
        if not f.include_denied:
            where.append("NOT e.denied")
        sql = (f"SELECT ST_AsBinary(e.geom), {', '.join('e.' + c for c in EVENT_COLUMNS)} "
               f"FROM {self._t('events')} e"
               + (f" WHERE {' AND '.join(where)}" if where else "")
               + " ORDER BY e.event_date ASC NULLS LAST, e.id")
        rows = self._query(sql, params)
        frame = _events_frame([r[1:] for r in rows], [_bytes(r[0]) for r in rows])
        return _exact(frame, f)

    def has_article(self, article_id: str) -> bool:
        """True when an article with this id is stored."""
        return bool(self._query(f"SELECT 1 FROM {self._t('articles')} WHERE id = %s", (article_id,)))

    def articles(self, *, with_text: bool = False) -> pd.DataFrame:
        """Same contract as ``GeoPackageStore.articles``."""
        columns = (*ARTICLE_COLUMNS, "text") if with_text else ARTICLE_COLUMNS
        rows = self._query(f"SELECT {', '.join(columns)} FROM {self._t('articles')} ORDER BY fid")
        rows = [tuple(_iso_datetime(v) if isinstance(v, dt.datetime) else v for v in r) for r in rows]
        return _articles_frame(rows, columns)

    def mentions(self, article_id: str | None = None) -> gpd.GeoDataFrame:
        """Same contract as ``GeoPackageStore.mentions``."""
        sql = (f"SELECT ST_AsBinary(CASE WHEN m.geom_is_place THEN p.geom ELSE m.geom END), "
               f"{', '.join('m.' + c for c in MENTION_COLUMNS)} FROM {self._t('mentions')} m "
               f"LEFT JOIN {self._t('places')} p ON m.geom_is_place AND p.place_id = m.place_id")
        params: tuple = ()
        if article_id is not None:
            sql += " WHERE m.article_id = %s"
            params = (article_id,)
        rows = self._query(sql + " ORDER BY m.fid", params)
        return _mentions_frame([r[1:] for r in rows], [_bytes(r[0]) for r in rows])

    def stats(self) -> StoreStats:
        """Same contract as ``GeoPackageStore.stats``."""
        (n_articles,), = self._query(f"SELECT count(*) FROM {self._t('articles')}")
        (n_mentions,), = self._query(f"SELECT count(*) FROM {self._t('mentions')}")
        (n_events, first, last), = self._query(
            f"SELECT count(*), min(event_date), max(event_date) FROM {self._t('events')}")
        by_type = dict(self._query(
            f"SELECT type, count(*) FROM {self._t('events')} GROUP BY type ORDER BY type"))
        return StoreStats(n_articles, n_mentions, n_events, first, last, by_type)


def _bytes(value: Any) -> bytes | None:
    """psycopg hands bytea back as memoryview or bytes; shapely wants bytes."""
    return None if value is None else bytes(value)
