"""Derived areas stored once (``geo.store.areas``), on both stores: written once for every mention
and event that shares them, read back as the same geometry, and older stores migrated."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest
from shapely.geometry import LineString, Point, Polygon

from geo.models import Article
from geo.store import SCHEMA_VERSION, GeoPackageStore
from geo.store.areas import area_id, split_areas

BAND = Polygon([(13.0 + i / 50, 31.0 + (i % 2) / 10) for i in range(60)] + [(14.2, 30.0), (13.0, 30.0)])


def _copy(item, n: int):
    """Article ``n``: the same analysis as ``item`` under a new article id."""
    article, mentions, events = item
    copy = dataclasses.replace(article, id=f"{n:064x}", url=f"https://example.org/copy/{n}")
    return (copy, mentions,
            [dataclasses.replace(e, id=f"{e.id}-{n}", article_id=copy.id) for e in events])


def _area_count(store) -> int:
    if isinstance(store, GeoPackageStore):
        return store._query("SELECT count(*) FROM areas")[0][0]
    return store._query(f"SELECT count(*) FROM {store._t('areas')}")[0][0]


def _with_band(item):
    """An article whose mention and both events are one band, and a third event a line."""
    article, mentions, events = item
    mention = dataclasses.replace(mentions[0], geometry=BAND, qualifier="along")
    return (article, [mention], [dataclasses.replace(events[0], geometry=BAND),
                                 dataclasses.replace(events[1], geometry=BAND)])


def test_split_areas_keeps_points_and_lines_and_names_each_polygon_once():
    line = LineString([(13, 31), (14, 32)])
    kept, ids, areas = split_areas([BAND, Point(13, 31), None, line, BAND, Polygon()])
    assert kept[1:4] == [Point(13, 31), None, line] and kept[0] is None and kept[4] is None
    assert ids[0] == ids[4] == area_id(BAND.wkb) and ids[1:4] == [None] * 3
    assert kept[5] is not None and ids[5] is None   # an empty polygon stays in its row
    assert list(areas) == [ids[0]]


def test_a_shared_area_is_stored_once_for_every_mention_and_event(event_store, store_corpus):
    first = _with_band(store_corpus[1])
    assert event_store.write_articles([first, _copy(first, 7)]) == [True, True]
    assert _area_count(event_store) == 1
    mentions = event_store.mentions()
    assert len(mentions) == 2 and all(g.equals_exact(BAND, 0.0) for g in mentions.geometry)
    events = event_store.read(include_denied=True)
    assert len(events) == 4 and all(g.equals_exact(BAND, 0.0) for g in events.geometry)
    # the same polygon written again by a lone event write or a re-extraction adds no row
    event_store.write([dataclasses.replace(store_corpus[0][2][0], geometry=BAND)])
    event_store.replace_analysis(first[0].id, first[1], first[2])
    assert _area_count(event_store) == 1


def test_reads_return_the_geometries_written(event_store, store_corpus):
    items = [store_corpus[0], _with_band(store_corpus[1]), store_corpus[2]]
    event_store.write_articles(items)
    written = {e.id: e.geometry for _, _, events in items for e in events}
    read = event_store.read(include_denied=True)
    for event_id, geometry in zip(read["id"], read.geometry):
        want = written[event_id]
        assert (geometry is None) if want is None else geometry.equals_exact(want, 0.0)
    got = list(event_store.mentions().geometry)
    want = [m.geometry for _, mentions, _ in items for m in mentions]
    assert [g is None for g in got] == [w is None for w in want]
    assert all(g.equals_exact(w, 0.0) for g, w in zip(got, want) if w is not None)


def test_filters_find_an_event_by_its_shared_area(event_store, store_corpus):
    event_store.write_articles([_with_band(store_corpus[1])])
    ids = sorted(event_store.read(bbox=(13.9, 30.1, 14.0, 30.2))["id"])
    assert ids == ["e3", "e4"]
    assert event_store.read(bbox=(20.0, 20.0, 21.0, 21.0)).empty
    assert sorted(event_store.read(near=(30.5, 13.5, 5))["id"]) == ["e3", "e4"]


def test_moving_an_event_off_its_area_keeps_the_area_for_the_others(event_store, store_corpus):
    event_store.write_articles([_with_band(store_corpus[1])])
    event_store.edit_event("e3", {"geometry": Point(14.43, 27.04)}, who="Amal")
    read = event_store.read(include_denied=True).set_index("id")
    assert read.loc["e3", "geometry"].equals(Point(14.43, 27.04))
    assert read.loc["e4", "geometry"].equals_exact(BAND, 0.0)
    assert event_store.read(bbox=(14.4, 27.0, 14.5, 27.1))["id"].tolist() == ["e3"]


# --------------------------------------------------------------------------- older stores

def downgrade_to_version_4(store) -> None:
    """Make the store look as one written before the shared areas: each row holds its own
    geometry again, and ``areas`` and ``area_id`` are gone."""
    from tests.unit.store.test_article_keys import downgrade_to_version_5
    downgrade_to_version_5(store)
    if isinstance(store, GeoPackageStore):
        conn = store._conn
        for table in ("mentions", "events"):
            conn.execute(f"UPDATE {table} SET geom = (SELECT geom FROM areas WHERE fid = {table}.area_id) "
                         "WHERE area_id IS NOT NULL")
        conn.execute("DROP VIEW events_full")
        conn.execute("DROP INDEX events_area_id")
        for table in ("mentions", "events"):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN area_id")
        conn.execute("DROP TABLE rtree_areas_geom")
        conn.execute("DROP TABLE areas")
        for table in ("gpkg_extensions", "gpkg_geometry_columns", "gpkg_contents"):
            conn.execute(f"DELETE FROM {table} WHERE table_name IN ('areas', 'events_full')")
        conn.execute("UPDATE marsad_meta SET value = '4' WHERE key = 'schema_version'")
        return
    t = store._t
    for table in ("mentions", "events"):
        store._conn.execute(f"UPDATE {t(table)} x SET geom = a.geom FROM {t('areas')} a WHERE a.id = x.area_id")
        store._conn.execute(f"ALTER TABLE {t(table)} DROP COLUMN area_id")
    store._conn.execute(f"DROP TABLE {t('areas')}")
    store._conn.execute(f"UPDATE {t('marsad_meta')} SET value = '4' WHERE key = 'schema_version'")


def _reopen(store):
    return type(store)(store.url if hasattr(store, "url") else store.path,
                       **({"schema": store.schema} if hasattr(store, "schema") else {}))


def test_a_version_4_store_reads_its_own_geometries_and_shares_new_areas(event_store, store_corpus):
    first = _with_band(store_corpus[1])
    event_store.write_articles([store_corpus[0], first])
    before = event_store.read(include_denied=True)
    before_mentions = event_store.mentions()
    downgrade_to_version_4(event_store)
    reopened = _reopen(event_store)
    try:
        assert reopened.schema_version == SCHEMA_VERSION and _area_count(reopened) == 0
        after = reopened.read(include_denied=True)
        assert list(after["id"]) == list(before["id"])
        assert all(a.equals_exact(b, 0.0) for a, b in zip(after.geometry, before.geometry) if b is not None)
        assert list(reopened.mentions().geometry.is_empty) == list(before_mentions.geometry.is_empty)
        assert sorted(reopened.read(bbox=(13.9, 30.1, 14.0, 30.2))["id"]) == ["e3", "e4"]
        reopened.write_articles([_copy(first, 9)])
        assert _area_count(reopened) == 1
        assert sum(g.equals_exact(BAND, 0.0) for g in reopened.read(include_denied=True).geometry) == 4
    finally:
        reopened.close()


def test_the_geopackage_view_shows_the_areas_to_gdal(gpkg_path, store_corpus):
    gpd = pytest.importorskip("geopandas")
    with GeoPackageStore(gpkg_path) as store:
        store.write_articles([_with_band(store_corpus[1])])
    full = gpd.read_file(gpkg_path, layer="events_full")
    assert all(g.equals_exact(BAND, 0.0) for g in full.geometry)
    with sqlite3.connect(gpkg_path) as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE geom IS NULL AND area_id IS NOT NULL"
                            ).fetchone()[0] == 2


def test_an_article_of_points_only_writes_no_area(gpkg_path):
    with GeoPackageStore(gpkg_path) as store:
        article = Article(id="a" * 64, text="نص", published=dt.date(2024, 1, 1))
        store.write_articles([(article, [], [])])
        assert _area_count(store) == 0


def test_an_area_first_met_in_a_report_already_stored_is_still_written(event_store, store_corpus):
    """In one batch, a report stored before (skipped) and a new one share an area and a place:
    the new one must not lose them because the skipped one came first."""
    stored = _with_band(store_corpus[1])
    event_store.write_articles([stored])
    ubari = store_corpus[0][1][1]   # a place named as such, not stored yet
    fresh_band = Polygon([(x + 1, y) for x, y in BAND.exterior.coords])   # an area not stored yet
    repeat = (stored[0], [dataclasses.replace(stored[1][0], geometry=fresh_band), ubari],
              [dataclasses.replace(e, geometry=fresh_band) for e in stored[2]])
    assert event_store.write_articles([repeat, _copy(repeat, 8)]) == [False, True]
    mentions = event_store.mentions(f"{8:064x}")
    assert mentions.geometry.iloc[0].equals_exact(fresh_band, 0.0)
    assert mentions.geometry.iloc[1].equals(ubari.geometry)
    read = event_store.read(article_ids=[f"{8:064x}"], include_denied=True)
    assert len(read) == 2 and all(g.equals_exact(fresh_band, 0.0) for g in read.geometry)
