"""What the app needs of a large selection without reading its rows: counts, bins, weeks, a page.

A million events read as a GeoDataFrame take seconds and gigabytes, and no map or browser can
show them one by one. The app asks the store instead for how many events match
(``select``, positions in an ``EventIndex``), how many fall in each hexagon of a grid and of which type (``hex_bins``),
how many in each week (``weekly_counts``), one page of them newest first (``read_page``) and
the widgets' choices (``option_values``). The counts come from an ``EventIndex``: a few numpy
columns of every event (its box's middle, type, day, and what the default filters test), read
once per store state (a GeoPackage's kept in a file beside it with the widgets' choices, so a
fresh server reads them back rather than scanning again: ``geo.store.index_file``), so a filter
change is a few vectorised comparisons and the bins one ``np.unique``; filters the index cannot answer go to SQL for the fids alone, over the same
WHERE clause as ``read`` (``gpkg_query.events_where``). Any other store (PostGIS) builds the
index from its full read, the same numbers at the read's cost.

Binning in SQL (a GROUP BY over the R-tree joined to the events) was tried first: 3 s at
100,000 events, an R-tree lookup per row; the R-tree and the columns read whole are 5-10 s at a
million, once, and then every filter is milliseconds.

The hexagons are pointy-topped, ``cell_km`` from centre to corner, on a grid of kilometres
scaled for Libya's middle latitude (``_KX``, ``_KY``): fine for counting where events are
from the Sahel to the coast, not an equal-area grid of the world. An event counts once, at
the middle of its bounding box (a point at itself).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import sqlite3
import threading
import urllib.parse
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from geo.errors import StorageError
from geo.store import index_file
from geo.store.gpkg import GeoPackageStore
from geo.store.gpkg_query import events_where
from geo.models import REVIEW_STATES
from geo.store.schema import check_filters, events_frame

# Kilometres per degree of longitude (at 27° N, Libya's middle) and of latitude.
_KX = 111.32 * math.cos(math.radians(27.0))
_KY = 110.57
# Added before scaling, so every coordinate is positive and truncation is floor.
_LON0, _LAT0 = 360.0, 180.0
BIN_COLUMNS = ("lat", "lon", "type", "events")


def _checked(filters: dict):
    return check_filters(**{"bbox": None, "since": None, "until": None, "event_types": None,
                            "actors": None, "outlets": None, "speakers": None, "near": None,
                            "precision": None, "include_denied": True, **filters})


def _sql(store) -> bool:
    """Whether ``store`` answers in SQL (a GeoPackage) rather than from its read."""
    return isinstance(store, GeoPackageStore)


@dataclass(frozen=True)
class EventIndex:
    """Every stored event in a few numpy columns (fid order): where it is, its type and day, and
    what the default filters test. Built once per store state (``event_index``); a filter then
    costs a few vectorised comparisons, and only the filters it cannot answer (actors, outlets,
    speakers, places, ids) go to SQL, for the fids alone."""

    fid: np.ndarray          # int64, ascending
    lon: np.ndarray          # float64, NaN for an event without a geometry
    lat: np.ndarray
    type: np.ndarray         # int16 codes into ``types``
    types: tuple[str, ...]
    day: np.ndarray          # int32 days since 1970-01-01, _NO_DAY when undated
    denied: np.ndarray       # bool
    repeat: np.ndarray       # bool: same_as set (a claim told twice)
    review: np.ndarray       # int8 codes into ``reviews``
    reviews: tuple[str, ...]
    precision: np.ndarray    # int8
    ids: np.ndarray | None = None   # event ids, for a store without SQL (its rows are its full read's)

    def __len__(self) -> int:
        return len(self.fid)


_NO_DAY = np.iinfo(np.int32).min
# Filters the index answers itself; any other goes to SQL for the fids it keeps.
_INDEXED = {"since", "until", "event_types", "precision", "include_denied", "include_repeats", "review"}


def _codes(values: list) -> tuple[np.ndarray, tuple[str, ...]]:
    labels, codes = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return codes.astype(np.int16), tuple(labels)


def _days(dates) -> np.ndarray:
    parsed = pd.to_datetime(pd.Series(dates, dtype=object), errors="coerce", format="ISO8601")
    days = (parsed.to_numpy(dtype="datetime64[D]").astype("int64"))
    return np.where(parsed.isna().to_numpy(), _NO_DAY, days).astype(np.int32)


def event_index(store, *, keep: bool = True) -> EventIndex:
    """The store's ``EventIndex`` (a GeoPackage: two scans, the events' columns and the R-tree,
    or, with ``keep``, the arrays kept beside it for this state, see ``_kept``; another store:
    its full read)."""
    if _sql(store):
        return _kept(store, "index") if keep else _sql_index(store)
    # every event the store holds: the index itself answers the review and repeat filters
    frame = store.read(review=sorted(REVIEW_STATES), include_repeats=True)
    bounds = frame.geometry.bounds
    located = (frame.geometry.notna() & ~frame.geometry.is_empty).to_numpy()
    fid = np.arange(len(frame), dtype=np.int64)
    lon = np.where(located, (bounds["minx"] + bounds["maxx"]).to_numpy() / 2, np.nan)
    lat = np.where(located, (bounds["miny"] + bounds["maxy"]).to_numpy() / 2, np.nan)
    types, dates, denied = list(frame["type"]), list(frame["event_date"].astype(object)), list(frame["denied"])
    repeat = [bool(v) for v in frame["same_as"]] if "same_as" in frame.columns else [False] * len(frame)
    review = list(frame["review"].fillna("auto")) if "review" in frame.columns else ["auto"] * len(frame)
    precision = list(frame["geo_precision"].fillna(0))
    type_codes, type_labels = _codes(list(types))
    review_codes, review_labels = _codes(list(review))
    return EventIndex(fid, lon, lat, type_codes, type_labels, _days(list(dates)),
                      np.asarray(denied, dtype=bool), np.asarray(repeat, dtype=bool),
                      review_codes.astype(np.int8), review_labels, np.asarray(precision, dtype=np.int8),
                      frame["id"].astype(str).to_numpy())


# Review states the index tells apart; any other value is the last code and matches no filter.
_REVIEWS = ("auto", "confirmed", "rejected", "?")


def _sql_index(store) -> EventIndex:
    """Two scans in SQL, every column an integer or a float, fetched in chunks: a million events
    never become a million row tuples at once."""
    types = tuple(r[0] for r in store._query("SELECT DISTINCT coalesce(type, '') FROM events ORDER BY 1"))
    type_case = ("CASE coalesce(type, '') " + " ".join(f"WHEN ? THEN {i}" for i in range(len(types))) + " END"
                 if types else "-1")
    review_case = ("CASE coalesce(review, 'auto') "
                   + " ".join(f"WHEN '{r}' THEN {i}" for i, r in enumerate(_REVIEWS[:-1])) + f" ELSE {len(_REVIEWS) - 1} END")
    # days since 1970-01-01 (julianday's epoch is noon, 4713 BC); an undated or malformed date: _NO_DAY
    day = f"coalesce(CAST(julianday(event_date) - 2440587.5 AS INTEGER), {_NO_DAY})"
    rows = _numeric(store, f"SELECT fid, {type_case}, {day}, denied, coalesce(same_as, '') != '', "
                           f"{review_case}, coalesce(geo_precision, 0) FROM events ORDER BY fid", types, 7)
    fid = rows[:, 0].astype(np.int64)
    lon, lat = np.full(len(fid), np.nan), np.full(len(fid), np.nan)
    # an event's own geometry has its box in the events' R-tree, a shared area in the areas'
    for sql in ("SELECT id, (minx + maxx) / 2, (miny + maxy) / 2 FROM rtree_events_geom",
                "SELECT e.fid, (r.minx + r.maxx) / 2, (r.miny + r.maxy) / 2 FROM rtree_areas_geom r "
                "JOIN events e ON e.area_id = r.id AND e.geom IS NULL"):
        boxes = _numeric(store, sql, (), 3)
        at = np.searchsorted(fid, boxes[:, 0].astype(np.int64))
        lon[at], lat[at] = boxes[:, 1], boxes[:, 2]
    return EventIndex(fid, lon, lat, rows[:, 1].astype(np.int16), types, rows[:, 2].astype(np.int32),
                      rows[:, 3] != 0, rows[:, 4] != 0, rows[:, 5].astype(np.int8), _REVIEWS,
                      rows[:, 6].astype(np.int8))


def _numeric(store, sql: str, params, width: int, chunk: int = 200_000) -> np.ndarray:
    """A query whose columns are all numbers, as one float array, fetched ``chunk`` rows at a time."""
    parts = []
    with store._lock:
        if store._conn is None:
            raise StorageError(f"{store!r} is closed")
        try:
            cursor = store._conn.execute(sql, params)
            while rows := cursor.fetchmany(chunk):
                parts.append(np.array(rows, dtype=float))
        except sqlite3.Error as exc:
            raise StorageError(f"indexing {str(store.path)!r} failed: {exc}") from exc
    return np.concatenate(parts) if parts else np.empty((0, width))


# --- kept beside a GeoPackage (geo.store.index_file) --------------------------------------------
# The index and the widgets' choices are the first page's scans: 3 s and 1 s at a million
# events. A fresh server reads them back from the file in tens of milliseconds.

def _kept(store, part: str):
    """``part`` ("index" or "options") from the file beside the store when it holds the store's
    state now; else both built at once (the index in one snapshot, the choices beside it on a
    connection of their own) and kept for the next server, unless a write came in between."""
    made_by = _made_by()
    names = _INDEX_ARRAYS if part == "index" else ("options",)
    found = index_file.load(store, made_by, names)
    if found is not None:
        return _index_from(found) if part == "index" else json.loads(str(found["options"]), object_hook=_options_from)
    if not index_file.writable(store):   # read-only media: built as asked, nothing to keep
        return _sql_index(store) if part == "index" else _sql_options(store)
    with store._lock:
        state = index_file.stamp(store, made_by)
        aside = _OptionsAside(store.path)
        store._query("BEGIN")   # the columns and the boxes of one state
        try:
            index = _sql_index(store)
        finally:
            store._query("COMMIT")
        options = aside.result() or _sql_options(store)
        # a write during the scans has moved the stamp: kept next time, not now
        unchanged = index_file.stamp(store, made_by) == state
    if unchanged:
        index_file.save(store, state, {**{name: np.asarray(getattr(index, name)) for name in _INDEX_ARRAYS},
                                       "options": np.asarray(json.dumps(options, default=str))})
    return index if part == "index" else options


class _OptionsAside:
    """The filter choices read on a read-only connection of their own, in a thread, while the
    store's connection builds the index: SQLite steps rows without holding the GIL, so the two
    scans share two cores (5.1 s one after the other, 3.1 s side by side, at a million events).
    ``result()`` is None when that connection could not read them (the caller reads them itself).
    It reads through SQLite's page cache, not a memory map: a second mapping of the store's
    file counts its pages again in the server's RSS (1.25 GB -> 1.8 GB at a million events)."""

    def __init__(self, path) -> None:
        self._path, self._conn, self._options = path, None, None
        self._thread = threading.Thread(target=self._run, name="marsad-options", daemon=True)
        self._thread.start()

    def _query(self, sql: str, params=()) -> list[tuple]:   # what _sql_options asks of a store
        return self._conn.execute(sql, params).fetchall()

    def _run(self) -> None:
        try:
            self._conn = sqlite3.connect(f"file:{urllib.parse.quote(str(self._path.resolve()))}?mode=ro", uri=True)
            try:
                self._options = _sql_options(self)
            finally:
                self._conn.close()
        except (sqlite3.Error, OSError, ValueError):
            self._options = None

    def result(self) -> dict | None:
        self._thread.join()
        return self._options


_INDEX_ARRAYS = tuple(f.name for f in fields(EventIndex) if f.name != "ids")


def _index_from(arrays: dict) -> EventIndex:
    labels = {"types", "reviews"}
    return EventIndex(**{name: tuple(str(v) for v in arrays[name]) if name in labels else arrays[name]
                         for name in _INDEX_ARRAYS})


def _options_from(kept: dict) -> dict:
    return {k: (dt.date.fromisoformat(v) if v else None) if k.endswith("_date") else tuple(v)
            for k, v in kept.items()}


@functools.cache
def _made_by() -> int:
    """How the kept arrays are made (index_file.recipe): a change to any of it is a new file."""
    return index_file.recipe(_sql_index, _numeric, _sql_options, _json_list, _distinct, _INDEX_ARRAYS,
                             _REVIEWS, _NO_DAY, events_where(_checked({})))


def select(store, index: EventIndex, **filters) -> np.ndarray:
    """Positions in ``index`` of the events ``store.read(**filters)`` returns (areas compared by
    their boxes, as the store's SQL does before its exact check)."""
    f = _checked(filters)
    keep = _among(index.review, [r in f.review for r in index.reviews])
    if not f.include_denied:
        keep &= ~index.denied
    if not f.include_repeats:
        keep &= ~index.repeat
    if f.since is not None:
        keep &= (index.day != _NO_DAY) & (index.day >= (f.since - _EPOCH).days)
    if f.until is not None:
        keep &= (index.day != _NO_DAY) & (index.day <= (f.until - _EPOCH).days)
    if f.event_types is not None:
        keep &= _among(index.type, [t in f.event_types for t in index.types])
    if f.precision is not None:
        keep &= np.isin(index.precision, list(f.precision))
    rest = {k: v for k, v in filters.items() if k not in _INDEXED and v is not None}
    if rest:
        if not _sql(store):   # the index's rows are the full read's: its ids say which the filters keep
            keep &= np.isin(index.ids, store.read(**filters)["id"].astype(str).to_numpy())
            return np.flatnonzero(keep)
        where, params = events_where(_checked(rest))
        fids = np.fromiter((r[0] for r in store._query("SELECT e.fid FROM events e" + where, params)),
                           dtype=np.int64)
        keep &= np.isin(index.fid, fids)
    return np.flatnonzero(keep)


_EPOCH = dt.date(1970, 1, 1)


def _among(codes: np.ndarray, wanted: list[bool]) -> np.ndarray:
    """Whether each code's label is wanted: a lookup in a table of the labels (np.isin sorts)."""
    return np.asarray(wanted, dtype=bool)[codes] if wanted else np.zeros(len(codes), dtype=bool)


def located(index: EventIndex, positions: np.ndarray) -> np.ndarray:
    """The positions whose event has a geometry (a place on the map)."""
    return positions[~np.isnan(index.lon[positions])]


def hex_cells(lon: np.ndarray, lat: np.ndarray, cell_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each point's hexagon (lattice 0 or 1, column, row): the nearer of two rectangular lattices'
    centres, which is the nearest hexagon centre."""
    w, h = math.sqrt(3) * cell_km, 3 * cell_km
    x, y = (np.asarray(lon, float) + _LON0) * _KX, (np.asarray(lat, float) + _LAT0) * _KY
    ai, aj = np.floor(x / w + 0.5), np.floor(y / h + 0.5)
    bi, bj = np.floor(x / w), np.floor(y / h)
    first = (x - ai * w) ** 2 + (y - aj * h) ** 2 <= (x - (bi + 0.5) * w) ** 2 + (y - (bj + 0.5) * h) ** 2
    return (~first).astype(np.int64), np.where(first, ai, bi).astype(np.int64), np.where(first, aj, bj).astype(np.int64)


def hex_centres(lattice: np.ndarray, i: np.ndarray, j: np.ndarray, cell_km: float) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) of hexagon centres given by ``hex_cells``."""
    w, h = math.sqrt(3) * cell_km, 3 * cell_km
    half = np.asarray(lattice, float) * 0.5
    return (np.asarray(i) + half) * w / _KX - _LON0, (np.asarray(j) + half) * h / _KY - _LAT0


def hex_corners(lon: float, lat: float, cell_km: float) -> list[tuple[float, float]]:
    """The six corners (lon, lat) of the hexagon centred at (lon, lat), closed."""
    corners = [(lon + cell_km * math.cos(math.radians(30 + 60 * k)) / _KX,
                lat + cell_km * math.sin(math.radians(30 + 60 * k)) / _KY) for k in range(6)]
    return corners + corners[:1]


def hex_bins(index: EventIndex, positions: np.ndarray, *, cell_km: float = 20.0) -> pd.DataFrame:
    """Located events per hexagon and type, in one vectorised pass: ``lat``, ``lon`` (the
    hexagon's centre), ``type``, ``events``; one row per hexagon and type that has any.

    Examples
    --------
    >>> index = event_index(store)  # doctest: +SKIP
    >>> hex_bins(index, select(store, index, event_types=["attack"])).head(1)  # doctest: +SKIP
         lat    lon    type  events
    0  27.03  14.41  attack      12
    """
    at = located(index, positions)
    lattice, i, j = hex_cells(index.lon[at], index.lat[at], cell_km)
    # one integer key per (hexagon, type): columns and rows of the grid stay well under 2**24
    key = ((lattice * 2**24 + i) * 2**24 + j) * 2**10 + index.type[at]
    keys, counts = np.unique(key, return_counts=True)
    types, rest = keys % 2**10, keys // 2**10
    j, rest = rest % 2**24, rest // 2**24
    i, lattice = rest % 2**24, rest // 2**24
    lon, lat = hex_centres(lattice, i, j, cell_km)
    return pd.DataFrame({"lat": lat, "lon": lon, "type": np.asarray(index.types, dtype=object)[types],
                         "events": counts.astype(int)}, columns=list(BIN_COLUMNS))


def weekly_counts(index: EventIndex, positions: np.ndarray) -> pd.DataFrame:
    """Events per (week, type) as ``geo.maps.timeline.weekly_counts`` gives them (``week`` the
    Monday, ``type``, ``events``); undated events are left out."""
    at = positions[index.day[positions] != _NO_DAY]
    days = index.day[at].astype(np.int64)
    monday = days - (days + 3) % 7          # 1970-01-01 was a Thursday
    keys, counts = np.unique(monday * 2**10 + index.type[at], return_counts=True)
    return pd.DataFrame({"week": pd.to_datetime(keys // 2**10, unit="D"),
                         "type": np.asarray(index.types, dtype=object)[keys % 2**10],
                         "events": counts.astype(int)})


def read_page(store, index: EventIndex, positions: np.ndarray, *, page: int = 0, size: int = 500):
    """Page ``page`` (from 0) of ``size`` of the selected events (``select``'s ``positions``),
    newest first (the same day: the later stored first), as ``store.read`` frames them.

    The order comes from the index (a partial sort of the selection's days), and only the
    page's rows are read: SQL sorting every match of a type filter took a second at a million.
    """
    # undated events (_NO_DAY, the smallest) come last
    key = index.day[positions].astype(np.int64) * 2**32 + index.fid[positions]
    wanted = min((page + 1) * size, len(key))
    if page * size >= wanted:
        return events_frame([], [])   # past the last page: no rows, read's columns
    top = np.argpartition(-key, wanted - 1)[:wanted] if wanted < len(key) else np.arange(len(key))
    chosen = positions[top[np.argsort(-key[top], kind="stable")][page * size:wanted]]
    if not _sql(store):   # the index's rows are the full read's, with their ids
        order = [str(i) for i in index.ids[chosen]]
    else:
        fids = [int(f) for f in index.fid[chosen]]
        ids = dict(store._query(f"SELECT fid, id FROM events WHERE fid IN ({', '.join('?' * len(fids))})", fids))
        order = [ids[f] for f in fids if f in ids]
    # already selected: read back whatever their review state or repetition
    frame = store.read(ids=order, include_repeats=True, review=list(_REVIEWS[:-1]))
    found = set(frame["id"])
    return frame.set_index("id", drop=False).loc[[i for i in order if i in found]].reset_index(drop=True)


def option_values(store, *, keep: bool = True) -> dict:
    """The widgets' choices over what the store shows by default: ``first_date``, ``last_date``,
    ``actors``, ``outlets``, ``speakers`` (sorted distinct non-empty strings); a GeoPackage's
    kept beside it with its index (``keep``)."""
    if _sql(store):
        return _kept(store, "options") if keep else _sql_options(store)
    frame = store.read()
    actors = [a for v in frame["actors"] for a in _json_list(v)]
    dates = pd.to_datetime(frame["event_date"]).dropna()
    return {"first_date": dates.min().date() if len(dates) else None,
            "last_date": dates.max().date() if len(dates) else None,
            "actors": _distinct(actors), "outlets": _distinct([*frame["publisher"], *frame["cited_outlet"]]),
            "speakers": _distinct(frame["speaker"])}


def _sql_options(store) -> dict:
    where, params = events_where(_checked({}))
    first, last = store._query(f"SELECT min(e.event_date), max(e.event_date) FROM events e{where}", params)[0]
    # one scan: the distinct combinations are a few thousand even in a million events
    combos = store._query("SELECT DISTINCT e.actors, e.publisher, e.cited_outlet, e.speaker "
                          f"FROM events e{where}", params)
    return {"first_date": dt.date.fromisoformat(first[:10]) if first else None,
            "last_date": dt.date.fromisoformat(last[:10]) if last else None,
            "actors": _distinct(a for text in {c[0] for c in combos} for a in _json_list(text)),
            "outlets": _distinct([c[1] for c in combos] + [c[2] for c in combos]),
            "speakers": _distinct(c[3] for c in combos)}


def _json_list(text: object) -> list:
    try:
        value = json.loads(text) if isinstance(text, str) and text else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _distinct(values) -> tuple[str, ...]:
    return tuple(sorted({str(v) for v in values if isinstance(v, str) and v.strip()}))
