"""What both stores share: the columns, the read filters, the row and frame helpers.

Both backends hold the same columns (lists travel as JSON text, as in
``geo.store.frames``) and share the filter semantics: SQL narrows by columns and by
bounding boxes, then one exact shapely test decides what meets a bbox or a
circle, so a filter means the same thing on either side.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geo.errors import InputError
from geo.models import EVENT_TYPES, REVIEW_STATES, Article, Event, Mention
from geo.store.areas import split_areas
from geo.store.frames import EVENT_COLUMNS

SCHEMA_VERSION = 7
# What each older schema version lacks, as (table, column, type); an old store gains the columns
# when it is opened, and its events get the modality their ``denied`` and source imply.
# Version 3 added two tables (the audit log, the analyst's places): each backend creates
# them when missing, so the step from 2 adds no column.
# Version 4 added the counts a claim gives (JSON) and ACLED's fatalities beside them.
# Version 5 keeps each derived area once (``geo.store.areas``): mentions and events name it by
# ``area_id``; each backend creates the ``areas`` table when missing. Rows written before keep
# their own geometry (a NULL area_id), and reads take whichever a row has.
# Version 6 names each mention's and event's article by its integer fid in ``articles`` instead
# of its 64-character id (``article_key_migration``), and the GeoPackage zlib-compresses the
# article text (``geo.store.gpkg_rows``; PostgreSQL's TOAST compresses it already).
# Version 7 changes no column: the GeoPackage stores an event's quote that is its report's text at
# its span as that span, and its places without their JSON keys (``geo.store.gpkg_rows``); its
# rows are rewritten so when it is opened. PostGIS stores both as they are written.
MIGRATIONS = {1: (("events", "modality", "TEXT"), ("events", "sub_type", "TEXT"), ("events", "same_as", "TEXT")),
              2: (),
              3: (("events", "counts", "TEXT"), ("events", "fatalities", "INTEGER")),
              4: (("mentions", "area_id", "ID64"), ("events", "area_id", "ID64")),
              5: (),
              6: ()}
MIGRATION_FILL = {1: ("UPDATE {events} SET modality = CASE WHEN denied THEN 'denied' "
                      "WHEN coalesce(speaker, '') <> '' OR coalesce(cited_outlet, '') <> '' THEN 'reported' "
                      "ELSE 'asserted' END, sub_type = '', same_as = ''",),
                  3: ("UPDATE {events} SET counts = '[]'",)}
CRS = "EPSG:4326"

ARTICLE_COLUMNS = ("id", "title", "outlet", "url", "published", "language", "ingested_at")
MENTION_COLUMNS = (
    "article_id", "start_char", "end_char", "surface", "place_id", "qualifier",
    "anchor_id", "second_anchor_id", "direction", "precision", "confidence",
    "candidates", "phrase_start", "phrase_end",
)

# Column types, one list for both backends (GeoPackage types; PostGIS maps them below).
ARTICLE_TYPES = {
    "id": "TEXT", "title": "TEXT", "outlet": "TEXT", "url": "TEXT", "published": "DATE",
    "language": "TEXT", "ingested_at": "DATETIME", "text": "TEXT",
}
MENTION_TYPES = {
    "article_id": "TEXT", "start_char": "INTEGER", "end_char": "INTEGER", "surface": "TEXT",
    "place_id": "TEXT", "qualifier": "TEXT", "anchor_id": "TEXT", "second_anchor_id": "TEXT",
    "direction": "TEXT", "precision": "INTEGER", "confidence": "REAL", "candidates": "TEXT",
    "phrase_start": "INTEGER", "phrase_end": "INTEGER", "geom_is_place": "BOOLEAN", "area_id": "ID64",
}
# A mention of a place as such (no qualifier) has the place's own geometry, and a
# country or continent polygon is large: it is stored once in ``places`` and the
# mention row points at it (geom_is_place), instead of once per mention.
PLACE_TYPES = {"place_id": "TEXT", "name_ar": "TEXT", "name_en": "TEXT", "kind": "TEXT"}
EVENT_TYPES_SQL = {
    "id": "TEXT", "article_id": "TEXT", "type": "TEXT", "actors": "TEXT", "places": "TEXT",
    "geo_precision": "INTEGER", "event_date": "DATE", "date_precision": "TEXT",
    "speaker": "TEXT", "speaker_role": "TEXT", "source_type": "TEXT", "cited_outlet": "TEXT",
    "publisher": "TEXT", "url": "TEXT", "quote": "TEXT", "quote_start": "INTEGER",
    "quote_end": "INTEGER", "denied": "BOOLEAN", "confidence": "REAL", "review": "TEXT",
    "note": "TEXT", "modality": "TEXT", "sub_type": "TEXT", "same_as": "TEXT", "counts": "TEXT",
    "fatalities": "INTEGER",
}
assert tuple(EVENT_TYPES_SQL) == EVENT_COLUMNS


def _renamed(types: dict[str, str], old: str, new: str, kind: str) -> dict[str, str]:
    """``types`` with column ``old`` become ``new`` of type ``kind``, in the same place."""
    return {(new if name == old else name): (kind if name == old else t) for name, t in types.items()}


# The stored columns of mentions and events: the frame's, but the article named by its fid in
# ``articles`` (the 64-character id in every row and in the two by-article indexes was a fifth of
# a GeoPackage), and for events the id of the shared area a row's geometry is
# (``geo.store.areas``). ID64 is a 64-bit integer: INTEGER in a GeoPackage, bigint in PostGIS.
# Rows are built with the article's id in that place (``mention_row``, ``event_row``); each
# backend puts the fid there as it writes them.
MENTION_STORED_TYPES = _renamed(MENTION_TYPES, "article_id", "article_fid", "ID64")
EVENT_STORED_TYPES = {**_renamed(EVENT_TYPES_SQL, "article_id", "article_fid", "ID64"), "area_id": "ID64"}
EVENT_STORED = tuple(EVENT_STORED_TYPES)
# json.dumps(..., ensure_ascii=False) builds a new encoder on every call; one encoder
# with the same settings writes the same text.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _json(items: list) -> str:
    """A list as JSON text; an empty one (most counts, many actors and candidates) without the
    encoder, which costs as much for ``[]`` as for a short list."""
    return _encode(items) if items else "[]"


def migrate(version: int, execute, table, column_type) -> int:
    """Bring a store's tables from schema ``version`` to ``SCHEMA_VERSION`` and return it.

    ``execute(sql)`` runs one statement inside the caller's transaction, ``table(name)`` gives
    a table's (or an index's) qualified name and ``column_type(sql_type)`` the backend's type;
    the caller records the returned version in marsad_meta.
    """
    while version in MIGRATIONS:
        for name, column, kind in MIGRATIONS[version]:
            execute(f"ALTER TABLE {table(name)} ADD COLUMN {column} {column_type(kind)}")
        for statement in MIGRATION_FILL.get(version, ()):
            execute(statement.format(events=table("events")))
        if version == 5:
            for statement in article_key_migration(table, column_type):
                execute(statement)
        version += 1
    return version


def article_key_migration(table, column_type) -> list[str]:
    """Version 6's statements for both backends: mentions and events name their article by fid.

    A mention or event whose article was never stored (``write`` takes events alone) first gets
    a stub article row holding only its id, so none loses its report's id. The old index on the
    text id goes with its column (a GeoPackage's by name, PostgreSQL's with the column).
    """
    articles = table("articles")
    statements = [f"INSERT INTO {articles} (id) SELECT article_id FROM {table('events')} WHERE article_id IS NOT NULL "
                  f"UNION SELECT article_id FROM {table('mentions')} WHERE article_id IS NOT NULL "
                  f"ON CONFLICT (id) DO NOTHING"]
    for name in ("mentions", "events"):
        statements += [
            f"ALTER TABLE {table(name)} ADD COLUMN article_fid {column_type('ID64')}",
            f"UPDATE {table(name)} SET article_fid = (SELECT r.fid FROM {articles} r WHERE r.id = {name}.article_id)",
            f"DROP INDEX IF EXISTS {table(name + '_article_id')}",
            f"ALTER TABLE {table(name)} DROP COLUMN article_id",
            f"CREATE INDEX {name}_article_fid ON {table(name)} (article_fid)",
        ]
    return statements


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What a store holds: row counts, the span of event dates, events per type."""

    articles: int
    mentions: int
    events: int
    first_event_date: dt.date | None
    last_event_date: dt.date | None
    events_by_type: dict[str, int] = field(default_factory=dict)



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
    include_repeats: bool = False
    review: tuple[str, ...] = ("auto", "confirmed")   # rejected events are read only when asked
    ids: tuple[str, ...] | None = None
    article_ids: tuple[str, ...] | None = None

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


def check_filters(*, bbox, since, until, event_types, actors, outlets, speakers, near,
                   precision, include_denied, include_repeats=False, review=None, ids=None,
                   article_ids=None) -> _Filters:
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
        from geo.places.spatial import (
            circle,  # geo.places.spatial is light; imported here to keep store import cheap
        )
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
    states = _as_names("review", review) if review is not None else ("auto", "confirmed")
    if unknown := [s for s in states if s not in REVIEW_STATES]:
        raise InputError(f"review must be among {sorted(REVIEW_STATES)}, got {unknown!r}")
    return _Filters(
        review=tuple(states), ids=_as_names("ids", ids), article_ids=_as_names("article_ids", article_ids),
        bbox=bbox, since=since_d, until=until_d, event_types=types,
        actors=_as_names("actors", actors), outlets=_as_names("outlets", outlets),
        speakers=_as_names("speakers", speakers), area=area, precision=levels,
        include_denied=bool(include_denied), include_repeats=bool(include_repeats),
    )


def check_article(article: Article) -> None:
    """Raise InputError for an article that cannot be stored."""
    if not isinstance(article, Article):
        raise InputError(f"write_article needs an Article, got {type(article).__name__!r}")
    if not article.id:
        raise InputError(f"an article needs an id, got {article.id!r}")


def check_events(events: Sequence[Event], article_id: str | None = None) -> None:
    """Raise InputError for a non-Event, or an event of another article."""
    for e in events:
        if not isinstance(e, Event):
            raise InputError(f"expected Event objects, got {type(e).__name__!r}")
        if article_id is not None and e.article_id != article_id:
            raise InputError(f"event {e.id!r} belongs to article {e.article_id!r}, not {article_id!r}")


# --------------------------------------------------------------------------- rows and frames

def article_row(article: Article) -> tuple:
    return (
        article.id, article.title, article.outlet, article.url,
        article.published.isoformat() if article.published else None,
        article.language,
        iso_datetime(article.ingested_at) if article.ingested_at else None,
        article.text,
    )


def iso_datetime(value: dt.datetime) -> str:
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


def mention_row(article_id: str, m: Mention) -> tuple[BaseGeometry | None, tuple]:
    """(geometry for the mention row, the row's other columns in ``MENTION_STORED_TYPES`` order but
    the last, ``area_id``; the article's id, or fid, where the fid goes)."""
    geometry, is_place = _mention_geometry(m)
    return geometry, (
        article_id, m.start, m.end, m.surface, m.place.id if m.place else None, m.qualifier,
        m.anchor.id if m.anchor else None, m.second_anchor.id if m.second_anchor else None,
        m.direction, m.precision, float(m.confidence),
        _json(list(m.candidates)), m.phrase_start, m.phrase_end, is_place,
    )


def analysis_rows(article_id: str, mentions: Sequence[Mention], events: Sequence[Event]
                  ) -> tuple[list[tuple], list[tuple], dict[int, BaseGeometry]]:
    """(mention rows, event rows, shared areas by id) of one article's analysis.

    Each row is (geometry, the columns of ``MENTION_STORED_TYPES`` / ``EVENT_STORED`` in order,
    with ``article_id`` where the article's fid goes): a
    polygon goes to the areas, its row holding None and the area's id (``geo.store.areas``).
    """
    parts = [mention_row(article_id, m) for m in mentions]
    kept, ids, areas = split_areas([g for g, _ in parts] + [e.geometry for e in events])
    n = len(parts)
    mention_rows = [(kept[i], *row, ids[i]) for i, (_, row) in enumerate(parts)]
    event_rows = [(kept[n + k], *event_row(e), ids[n + k]) for k, e in enumerate(events)]
    return mention_rows, event_rows, areas


def new_places(mentions: Sequence[Mention], known: set[str]) -> dict[str, Any]:
    """The places whose geometry the mentions borrow and the store may not hold yet."""
    return {m.place.id: m.place for m in mentions
            if m.place is not None and m.place.id not in known and _mention_geometry(m)[1]}


def event_row(event: Event) -> tuple:
    """An event's columns in ``EVENT_COLUMNS`` order, as ``geo.store.frames.event_record`` writes them.

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
            float(event.confidence), event.review, event.note, event.modality, event.sub_type,
            event.same_as, _json([c.as_dict() for c in event.counts]), _fatalities(event))


def _fatalities(event: Event) -> int | None:
    killed = event.fatalities
    return None if killed is None else int(killed)


def events_frame(rows: list[tuple], wkbs: list[bytes | None] | np.ndarray) -> gpd.GeoDataFrame:
    """The store's event frame from plain rows in ``EVENT_COLUMNS`` order and ISO WKB (or
    geometries already decoded)."""
    frame = pd.DataFrame.from_records(rows, columns=list(EVENT_COLUMNS)) if rows else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_COLUMNS})
    return _typed(frame, wkbs)


def _typed(frame: pd.DataFrame, wkbs: list[bytes | None]) -> gpd.GeoDataFrame:
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["geo_precision"] = frame["geo_precision"].astype("Int64")
    frame["quote_start"] = frame["quote_start"].astype("int64")
    frame["quote_end"] = frame["quote_end"].astype("int64")
    frame["denied"] = frame["denied"].astype(bool)
    frame["confidence"] = frame["confidence"].astype("float64")
    frame["counts"] = frame["counts"].fillna("[]")
    frame["fatalities"] = pd.to_numeric(frame["fatalities"]).astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(_geometries(wkbs), crs=CRS), crs=CRS)


def _geometries(wkbs) -> np.ndarray:
    """Shapely geometries from ISO WKB, or the array itself when they are decoded already
    (``geo.store.areas.with_areas``)."""
    if isinstance(wkbs, np.ndarray):
        return wkbs
    return shapely.from_wkb(np.array(wkbs, dtype=object)) if wkbs else np.array([], dtype=object)


def events_columns_frame(columns: list[Sequence], wkbs: list[bytes | None]) -> gpd.GeoDataFrame:
    """``events_frame`` from columns (one sequence per ``EVENT_COLUMNS`` entry) rather than rows.

    A column at a time, pandas infers each column's type once; from row tuples it first
    builds a two-dimensional object array and infers from that, a third slower at a
    million rows. ``columns`` is emptied as it goes, so each column's Python values can
    be freed once converted (the caller should hold no other reference to them).
    """
    if not len(wkbs):
        return events_frame([], [])
    data = {}
    for i, name in enumerate(EVENT_COLUMNS):
        data[name], columns[i] = pd.Series(columns[i]), None
    frame = pd.DataFrame(data)
    del data
    return _typed(frame, wkbs)


def mentions_frame(rows: list[tuple], wkbs: list[bytes | None]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(MENTION_COLUMNS)) if rows else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS})
    for c in ("precision", "phrase_start", "phrase_end"):
        frame[c] = frame[c].astype("Int64")
    for c in ("start_char", "end_char"):
        frame[c] = frame[c].astype("int64")
    frame["confidence"] = frame["confidence"].astype("float64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(_geometries(wkbs), crs=CRS), crs=CRS)


def articles_frame(rows: list[tuple], columns: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(columns)) if rows else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame["published"] = pd.to_datetime(frame["published"])
    frame["ingested_at"] = pd.to_datetime(frame["ingested_at"], utc=True, format="ISO8601")
    return frame


def exact_filter(frame: gpd.GeoDataFrame, filters: _Filters) -> gpd.GeoDataFrame:
    """Keep the rows whose geometry really meets the filter's area (SQL only compared boxes)."""
    if filters.area is None or frame.empty:
        return frame
    keep = frame.geometry.intersects(filters.area).to_numpy(dtype=bool)
    return frame[keep].reset_index(drop=True)


class Closing:
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
