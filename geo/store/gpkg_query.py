"""The events query of the GeoPackage store: filters as SQL, and a quiet collector while reading.

Kept apart from ``geo.store.gpkg`` (the file, its schema and its transactions) because
this is the part that decides how fast a filtered read is: which index SQLite walks.
"""

from __future__ import annotations

import contextlib
import gc

from geo.store.frames import EVENT_COLUMNS
from geo.store.schema import _Filters


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector off while a read or a map build makes its objects (process-wide,
    for seconds).

    A million rows are tens of millions of new objects, no cycles among them, and each
    allocation burst would start a collection that walks them all again: a sixth of a
    full read of a million events, a third of building the 100,000-event map layers.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def events_sql(f: _Filters) -> tuple[str, list]:
    """The SELECT of the events that pass the checked filters ``f`` (exact checks aside), with its
    parameters: each row is the blob, the shared area's id (``geo.store.areas``), then ``EVENT_COLUMNS``
    with the article's fid in place of its id (``geo.store.gpkg_rows.ArticleIds`` maps them), a quote
    kept as its span still ``SPAN`` and the places as stored (``geo.store.gpkg_rows.span_quotes`` and
    ``expand_all`` make them the frame's)."""
    where, params = events_where(f)
    columns = ", ".join(_COLUMN.get(c, f"e.{c}") for c in EVENT_COLUMNS)
    # NULLS LAST rather than "event_date IS NULL, ...": SQLite then walks the
    # (event_date, id) index in order instead of sorting every row it read
    sql = (f"SELECT e.geom, e.area_id, {columns} FROM events e"
           + where + " ORDER BY e.event_date NULLS LAST, e.id")
    return sql, params


_COLUMN = {"article_id": "e.article_fid"}


def events_where(f: _Filters) -> tuple[str, list]:
    """The WHERE clause (with its leading space, or '') over ``events e`` for the filters ``f``."""
    where, params = [], []
    for column, values in (("coalesce(e.review, 'auto')", f.review), ("e.id", f.ids)):
        if values is not None:
            where.append(f"{column} IN ({', '.join('?' * len(values))})")
            params += values
    if f.article_ids is not None:   # events name their article by fid (geo.store.gpkg_rows)
        where.append(f"e.article_fid IN (SELECT fid FROM articles WHERE id IN "
                     f"({', '.join('?' * len(f.article_ids))}))")
        params += f.article_ids
    if f.envelope is not None:
        minx, miny, maxx, maxy = f.envelope
        # an event's own geometry is in the events' R-tree, a shared area in the areas'
        where.append("(e.fid IN (SELECT id FROM rtree_events_geom "
                     "WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?) "
                     "OR e.area_id IN (SELECT id FROM rtree_areas_geom "
                     "WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?))")
        params += [maxx, minx, maxy, miny] * 2
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
                     f"(SELECT 1 FROM articles a WHERE a.fid = e.article_fid AND a.outlet IN ({marks})))")
        params += f.outlets * 3
    if f.precision is not None:
        where.append(f"e.geo_precision IN ({', '.join('?' * len(f.precision))})")
        params += f.precision
    if not f.include_denied:
        where.append("NOT e.denied")
    if not f.include_repeats:
        where.append("coalesce(e.same_as, '') = ''")   # a claim told twice is shown once
    return (f" WHERE {' AND '.join(where)}" if where else ""), params
