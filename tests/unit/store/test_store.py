"""The storage contract, run against every backend (``event_store`` is parametrized).

The PostGIS case needs a server (scripts/start_postgis.sh starts a private one and
prints the MARSAD_TEST_PG_URL line). GeoPackage-only tests at the end check what
only a file can show: GDAL reads it, it survives a SIGKILL mid-write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.errors import InputError, StorageError
from geo.store.frames import EVENT_COLUMNS, events_to_frame
from geo.store import EventStore, GeoPackageStore, PostGISStore, open_store
from geo.store.schema import (
    ARTICLE_COLUMNS, MENTION_COLUMNS, SCHEMA_VERSION,
)

REPO = Path(__file__).resolve().parents[3]


def _fill(store, corpus) -> None:
    for article, mentions, events in corpus:
        assert store.write_article(article, mentions, events) is True


def _plain(series: pd.Series) -> list:
    """Values to compare across dtypes: missing -> None, timestamps -> dates, numbers -> float."""
    out = []
    for v in series.tolist():
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            out.append(None)
        elif isinstance(v, pd.Timestamp):
            out.append(v.date())
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(float(v))
        else:
            out.append(v)
    return out


def _ids(frame) -> list[str]:
    return list(frame["id"])


# --------------------------------------------------------------------------- contract

def test_store_fulfils_the_protocol(event_store):
    assert isinstance(event_store, EventStore)
    assert event_store.schema_version == SCHEMA_VERSION == 7


def test_new_store_reads_an_empty_frame_of_the_event_shape(event_store):
    frame = event_store.read()
    assert isinstance(frame, gpd.GeoDataFrame)
    assert list(frame.columns) == [*EVENT_COLUMNS, "geometry"]
    assert frame.crs.to_epsg() == 4326
    assert frame.empty


def test_write_article_twice_writes_once(event_store, store_corpus):
    article, mentions, events = store_corpus[0]
    assert event_store.write_article(article, mentions, events) is True
    assert event_store.write_article(article, mentions, events) is False
    assert len(event_store.read()) == len(events)
    assert len(event_store.mentions()) == len(mentions)
    assert len(event_store.articles()) == 1


def test_write_articles_stores_a_batch_and_tells_which_were_new(event_store, store_corpus):
    first = store_corpus[0]
    assert event_store.write_articles([first]) == [True]
    # one already stored, one new, the new one again in the same batch
    assert event_store.write_articles([first, store_corpus[1], store_corpus[1]]) == [False, True, False]
    assert event_store.write_articles([]) == []
    assert len(event_store.articles()) == 2
    assert len(event_store.read()) == len(first[2]) + len(store_corpus[1][2])
    assert len(event_store.mentions()) == len(first[1]) + len(store_corpus[1][1])


def test_write_articles_with_one_bad_item_writes_nothing(event_store, store_corpus):
    (a1, m1, ev1), (a2, m2, ev2), _ = store_corpus
    with pytest.raises(InputError, match=repr(a1.id)):
        event_store.write_articles([(a1, m1, ev1), (a2, m2, [*ev2, ev1[0]])])
    assert event_store.articles().empty
    assert event_store.read().empty


def test_read_gives_back_what_was_written(event_store, store_corpus):
    _fill(event_store, store_corpus)
    written = events_to_frame([e for _, _, events in store_corpus for e in events])
    read = event_store.read()
    written = written.sort_values("id").reset_index(drop=True)
    read = read.sort_values("id").reset_index(drop=True)
    assert list(read.columns) == list(written.columns)
    for column in EVENT_COLUMNS:
        assert _plain(read[column]) == _plain(written[column]), column
    for got, want in zip(read.geometry, written.geometry):
        assert (got is None and want is None) or got.equals(want)
    assert sorted(read.geometry.geom_type.dropna().unique()) == ["LineString", "Point", "Polygon"]


def test_read_orders_by_date_with_undated_events_last(event_store, store_corpus):
    _fill(event_store, store_corpus)
    assert _ids(event_store.read()) == ["e1", "e2", "e3", "e5", "e6", "e4"]


BANI_WALID = (31.7566, 13.9942)
FILTER_CASES = [
    ({"bbox": (13.5, 31.0, 14.5, 32.0)}, ["e2", "e3"], "bbox-bani-walid"),
    ({"bbox": (13.5, 26.7, 13.7, 26.9)}, ["e1"], "bbox-crossed-by-a-line"),
    ({"bbox": (14.2, 26.6, 14.35, 26.7)}, [], "bbox-inside-line-envelope-off-the-line"),
    ({"since": "2024-05-01"}, ["e3", "e5", "e6"], "since-leaves-undated-out"),
    ({"until": dt.date(2024, 3, 1)}, ["e1", "e2"], "until-inclusive"),
    ({"since": "2024-03-01", "until": "2024-06-30"}, ["e2", "e3", "e5"], "date-range"),
    ({"event_types": ["movement", "attack"]}, ["e1", "e5"], "types-list"),
    ({"event_types": "base"}, ["e2"], "type-string"),
    ({"actors": ["القاعدة"]}, ["e2", "e3"], "actor-in-a-list-of-two"),
    ({"actors": "مهربون"}, ["e5", "e4"], "actor-string"),
    ({"outlets": ["ديلي تلغراف"]}, ["e3"], "outlet-cited"),
    ({"outlets": ["ليبيا الأحرار"]}, ["e3", "e4"], "outlet-publisher"),
    ({"outlets": ["الوسط"]}, ["e1", "e2", "e5", "e6"], "outlet-of-the-article"),
    ({"speakers": ["مسؤول محلي"]}, ["e3"], "speaker"),
    ({"near": (*BANI_WALID, 10)}, ["e2"], "near-10km"),
    ({"near": (*BANI_WALID, 25)}, ["e2", "e3"], "near-25km-meets-the-polygon"),
    ({"near": (31.2089, 16.5887, 5)}, ["e5"], "near-sirte"),
    ({"precision": 1}, ["e1", "e2", "e5"], "precision-ceiling-1"),
    ({"precision": 2}, ["e1", "e2", "e3", "e5"], "precision-ceiling-2"),
    ({"precision": [3]}, ["e4"], "precision-list"),
    ({"include_denied": False}, ["e1", "e2", "e5", "e6", "e4"], "without-denied"),
    ({"actors": ["داعش"], "include_denied": False}, ["e1"], "actor-and-not-denied"),
    ({"bbox": (22.0, 23.0, 25.0, 25.0), "near": (*BANI_WALID, 50)}, [], "bbox-and-circle-apart"),
    ({"bbox": (13.0, 26.0, 17.0, 32.0), "event_types": ["base", "movement"], "since": "2024-03-01"},
     ["e2"], "bbox-type-date"),
]


@pytest.mark.parametrize("filters, expected", [c[:2] for c in FILTER_CASES],
                         ids=[c[2] for c in FILTER_CASES])
def test_read_filters(event_store, store_corpus, filters, expected):
    _fill(event_store, store_corpus)
    frame = event_store.read(**filters)
    assert _ids(frame) == expected
    assert list(frame.columns) == [*EVENT_COLUMNS, "geometry"]


BAD_FILTERS = [
    ({"bbox": (1, 2, 3)}, r"bbox .*\(1, 2, 3\)", "bbox-three-numbers"),
    ({"bbox": (14, 31, 13, 32)}, r"min <= max.*\(14, 31, 13, 32\)", "bbox-min-above-max"),
    ({"bbox": (0, 95, 1, 96)}, r"\(0, 95, 1, 96\)", "bbox-lat-out-of-range"),
    ({"bbox": "13,31,14,32"}, r"'13,31,14,32'", "bbox-string"),
    ({"since": "2024-06-01", "until": "2024-05-01"}, r"since='2024-06-01', until='2024-05-01'",
     "since-after-until"),
    ({"since": "yesterday"}, r"'yesterday'", "since-not-a-date"),
    ({"event_types": ["raid"]}, r"\['raid'\]", "unknown-type"),
    ({"near": (31.0, 14.0)}, r"\(31.0, 14.0\)", "near-two-numbers"),
    ({"near": (31.0, 14.0, -5)}, r"-5", "near-negative-radius"),
    ({"precision": 4}, r"got 4", "precision-4"),
    ({"actors": [""]}, r"\[''\]", "actor-empty"),
    ({"outlets": 5}, r"got 5", "outlets-not-strings"),
]


@pytest.mark.parametrize("filters, message", [c[:2] for c in BAD_FILTERS],
                         ids=[c[2] for c in BAD_FILTERS])
def test_read_rejects_bad_filters(event_store, filters, message):
    with pytest.raises(InputError, match=message):
        event_store.read(**filters)


def test_write_of_no_events_is_a_no_op(event_store):
    assert event_store.write([]) == 0
    assert event_store.read().empty


def test_write_replaces_an_event_with_the_same_id(event_store, store_corpus):
    _fill(event_store, store_corpus)
    e3 = store_corpus[1][2][0]
    reviewed = dataclasses.replace(e3, review="confirmed", note="تأكد من مصدر ثان")
    assert event_store.write([reviewed]) == 1
    frame = event_store.read()
    assert len(frame) == 6
    row = frame[frame["id"] == "e3"].iloc[0]
    assert (row["review"], row["note"]) == ("confirmed", "تأكد من مصدر ثان")
    # the spatial index follows the row: e3 is still found by its box
    assert _ids(event_store.read(bbox=(13.5, 31.0, 14.5, 32.0))) == ["e2", "e3"]


def test_write_moves_the_spatial_index_with_a_new_geometry(event_store, store_corpus):
    _fill(event_store, store_corpus)
    e5 = store_corpus[2][2][0]
    from geo.models import to_point
    event_store.write([dataclasses.replace(e5, geometry=to_point(*BANI_WALID))])
    assert _ids(event_store.read(near=(31.2089, 16.5887, 5))) == []
    assert _ids(event_store.read(near=(*BANI_WALID, 5))) == ["e2", "e5"]


def test_write_article_with_a_foreign_event_writes_nothing(event_store, store_corpus):
    (a1, m1, ev1), (a2, _, ev2), _ = store_corpus
    with pytest.raises(InputError, match=repr(a2.id)):
        event_store.write_article(a1, m1, [*ev1, ev2[0]])
    assert not event_store.has_article(a1.id)
    assert event_store.read().empty
    assert event_store.mentions().empty


def test_write_rejects_what_is_not_an_event(event_store):
    with pytest.raises(InputError, match="'dict'"):
        event_store.write([{"id": "x"}])


def test_has_article(event_store, store_corpus):
    a1 = store_corpus[0][0]
    assert not event_store.has_article(a1.id)
    _fill(event_store, store_corpus)
    assert event_store.has_article(a1.id)
    assert not event_store.has_article("0" * 64 + "f")


def test_articles_frame(event_store, store_corpus):
    _fill(event_store, store_corpus)
    frame = event_store.articles()
    assert list(frame.columns) == list(ARTICLE_COLUMNS)
    assert frame["outlet"].tolist() == ["الوسط", "ليبيا الأحرار", "الوسط"]
    assert frame["published"].dt.date.tolist() == [a.published for a, _, _ in store_corpus]
    assert frame["ingested_at"].tolist() == [pd.Timestamp(a.ingested_at) for a, _, _ in store_corpus]
    with_text = event_store.articles(with_text=True)
    assert with_text["text"].tolist() == [a.text for a, _, _ in store_corpus]


def test_mentions_frame(event_store, store_corpus):
    _fill(event_store, store_corpus)
    everything = event_store.mentions()
    assert list(everything.columns) == [*MENTION_COLUMNS, "geometry"]
    assert len(everything) == 4
    a1 = store_corpus[0][0]
    first = event_store.mentions(a1.id)
    assert first["surface"].tolist() == ["سبها", "أوباري", "مكانٌ"]
    assert first["place_id"].tolist()[:2] == ["ly:test-sabha", "ly:test-ubari"]
    assert pd.isna(first["place_id"].iloc[2]) and first.geometry.iloc[2] is None
    assert json.loads(first["candidates"].iloc[0]) == ["ly:test-sabha"]
    assert first.geometry.iloc[0].equals(store_corpus[0][1][0].geometry)
    a2_mention = event_store.mentions(store_corpus[1][0].id).iloc[0]
    assert (a2_mention["qualifier"], a2_mention["anchor_id"], a2_mention["precision"]) == (
        "south_of", "ly:test-bani-walid", 2)


def test_a_place_named_in_many_articles_keeps_its_geometry_in_each(event_store, store_corpus):
    from geo.models import Article, Mention
    _fill(event_store, store_corpus)
    sabha = store_corpus[0][1][0].place
    for n in (7, 8):
        article = Article(id=f"{n:064x}", text="سبها")
        assert event_store.write_article(article, [Mention(0, 4, "سبها", sabha, geometry=sabha.geometry)], [])
    frame = event_store.mentions()
    sabha_rows = frame[frame["place_id"] == sabha.id]
    assert len(sabha_rows) == 3
    assert all(g.equals(sabha.geometry) for g in sabha_rows.geometry)


def test_stats(event_store, store_corpus):
    _fill(event_store, store_corpus)
    stats = event_store.stats()
    assert (stats.articles, stats.mentions, stats.events) == (3, 4, 6)
    assert (stats.first_event_date, stats.last_event_date) == (dt.date(2024, 2, 28), dt.date(2024, 7, 1))
    assert stats.events_by_type == {"attack": 1, "base": 1, "movement": 1, "other": 1,
                                    "presence": 1, "smuggling_route": 1}


# --------------------------------------------------------------------------- open_store

@pytest.mark.parametrize("value", ["", "   "], ids=["empty", "blank"])
def test_open_store_rejects_an_empty_name(value):
    with pytest.raises(InputError, match=repr(value)):
        open_store(value)


def test_open_store_opens_a_geopackage_for_a_path(tmp_path):
    store = open_store(tmp_path / "a.gpkg")
    assert isinstance(store, GeoPackageStore)
    store.close()


def test_open_store_opens_postgis_for_a_url():
    # nothing listens on port 1: the URL is routed to PostGIS, which fails to connect
    with pytest.raises(StorageError, match="PostGIS"):
        open_store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_postgis_url_password_stays_out_of_messages():
    with pytest.raises(StorageError) as info:
        PostGISStore("postgresql://marsad:s3cret@127.0.0.1:1/none?connect_timeout=2")
    assert "s3cret" not in str(info.value)


# --------------------------------------------------------------------------- GeoPackage only

def test_geopackage_opens_in_gdal_with_its_layers(gpkg_path, store_corpus):
    import pyogrio
    with GeoPackageStore(gpkg_path) as store:
        _fill(store, store_corpus)
    layers = dict(pyogrio.list_layers(gpkg_path))
    assert layers == {"articles": None, "mentions": "Unknown", "places": "Unknown", "events": "Unknown",
                      "edits": None, "user_places": "Unknown", "areas": "Unknown", "events_full": "Unknown"}
    # places named as such lend their geometry to their mentions, stored once
    places = gpd.read_file(gpkg_path, layer="places")
    assert sorted(places["place_id"]) == ["ly:test-sabha", "ly:test-ubari"]
    mentions = gpd.read_file(gpkg_path, layer="mentions")
    assert mentions["geom_is_place"].tolist() == [True, True, False, False]
    # the view fills in the shared areas, which the events table names by id
    events = gpd.read_file(gpkg_path, layer="events_full")
    assert events.crs.to_epsg() == 4326
    assert sorted(events["id"]) == ["e1", "e2", "e3", "e4", "e5", "e6"]
    assert sorted(events.geometry.geom_type.dropna().unique()) == ["LineString", "Point", "Polygon"]
    own = gpd.read_file(gpkg_path, layer="events")
    assert sorted(own.geometry.geom_type.dropna().unique()) == ["LineString", "Point"]
    assert events.loc[events["id"] == "e3", "denied"].item() == True  # noqa: E712 (numpy bool)
    # GDAL uses our R-tree for a bbox read of the table; the view is filtered row by row
    inside = gpd.read_file(gpkg_path, layer="events", bbox=(13.5, 31.0, 14.5, 32.0))
    assert sorted(inside["id"]) == ["e2"]
    inside = gpd.read_file(gpkg_path, layer="events_full", bbox=(13.5, 31.0, 14.5, 32.0))
    assert sorted(inside["id"]) == ["e2", "e3"]
    info = pyogrio.read_info(gpkg_path, layer="events")
    assert info["capabilities"]["fast_spatial_filter"]


def test_geopackage_keeps_rows_across_reopen(gpkg_path, store_corpus):
    with GeoPackageStore(gpkg_path) as store:
        _fill(store, store_corpus)
    with GeoPackageStore(gpkg_path) as store:
        assert store.stats().events == 6
        assert store.write_article(*store_corpus[0]) is False


def test_geopackage_written_by_gdal_keeps_its_index(gpkg_path, store_corpus):
    """An analyst edits in QGIS (GDAL): our reads must still see the new feature."""
    import pyogrio
    from shapely.geometry import Point
    with GeoPackageStore(gpkg_path) as store:
        _fill(store, store_corpus)
    extra = gpd.read_file(gpkg_path, layer="events").iloc[[0]].copy()
    extra["id"], extra["geometry"] = "added-in-qgis", [Point(10.0, 25.0)]
    pyogrio.write_dataframe(extra, gpkg_path, layer="events", append=True)
    with GeoPackageStore(gpkg_path) as store:
        assert _ids(store.read(bbox=(9.9, 24.9, 10.1, 25.1))) == ["added-in-qgis"]


def test_an_older_geopackage_gains_the_read_order_index_when_opened(gpkg_path, store_corpus):
    """Files made before it had a plain date index: opening one writable swaps it for
    (event_date, id), which a full read then walks instead of sorting every row."""
    with GeoPackageStore(gpkg_path) as store:
        _fill(store, store_corpus)
        expected = _ids(store.read())
    with sqlite3.connect(gpkg_path) as conn:
        conn.execute("DROP INDEX events_date_id")
        conn.execute("CREATE INDEX events_date ON events(event_date)")
    with GeoPackageStore(gpkg_path) as store:
        assert _ids(store.read()) == expected
    with sqlite3.connect(gpkg_path) as conn:
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        plan = " ".join(r[-1] for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM events e ORDER BY e.event_date NULLS LAST, e.id"))
    assert {"events_date_id", "events_type"} <= indexes and "events_date" not in indexes
    assert "events_date_id" in plan and "TEMP B-TREE" not in plan


def test_the_spatial_index_holds_each_event_geometry_bounds(gpkg_path, store_corpus):
    with GeoPackageStore(gpkg_path) as store:
        _fill(store, store_corpus)
        events = store.read()
    with sqlite3.connect(gpkg_path) as conn:
        boxes = dict(((fid, (minx, maxx, miny, maxy)) for fid, minx, maxx, miny, maxy in
                      conn.execute("SELECT id, minx, maxx, miny, maxy FROM rtree_events_geom")))
        areas = dict(((fid, (minx, maxx, miny, maxy)) for fid, minx, maxx, miny, maxy in
                      conn.execute("SELECT id, minx, maxx, miny, maxy FROM rtree_areas_geom")))
        fids = dict(conn.execute("SELECT id, fid FROM events"))
        area_of = dict(conn.execute("SELECT id, area_id FROM events"))
    for event_id, geometry in zip(events["id"], events.geometry):
        if geometry is None:
            assert fids[event_id] not in boxes and area_of[event_id] is None
            continue
        minx, miny, maxx, maxy = geometry.bounds
        # the R-tree stores 32-bit floats rounded outwards; a shared area's box is in the areas'
        got = boxes[fids[event_id]] if area_of[event_id] is None else areas[area_of[event_id]]
        assert got[0] <= minx <= got[0] + 1e-4 and got[1] - 1e-4 <= maxx <= got[1]
        assert got[2] <= miny <= got[2] + 1e-4 and got[3] - 1e-4 <= maxy <= got[3]


def test_a_store_made_with_a_mentions_index_keeps_it_up_to_date(gpkg_path, store_corpus):
    """Files made before the mentions R-tree was dropped still have it; writes must maintain it."""
    from geo.store.gpkg_geometry import _rtree_sql
    with GeoPackageStore(gpkg_path) as store:
        for statement in _rtree_sql("mentions")[:-1]:
            store._conn.execute(statement)
        _fill(store, store_corpus)
        from shapely.geometry import Point
        article, mentions, _ = store_corpus[1]   # a mention of a point of its own (a polygon is an area)
        store.replace_analysis(article.id, [dataclasses.replace(mentions[0], geometry=Point(14.0, 31.4))], [])
    with sqlite3.connect(gpkg_path) as conn:
        indexed = conn.execute("SELECT count(*) FROM rtree_mentions_geom").fetchone()[0]
        with_geometry = conn.execute("SELECT count(*) FROM mentions WHERE geom IS NOT NULL").fetchone()[0]
    assert with_geometry > 0 and indexed == with_geometry


def test_a_batch_that_fails_inside_its_transaction_leaves_what_was_there(gpkg_path, store_corpus, monkeypatch):
    import geo.store.gpkg as gs
    real_functions = gs._TriggerBounds.functions
    calls = {"n": 0}

    def failing(self):
        fns = real_functions(self)

        def min_x(blob):
            calls["n"] += 1
            if calls["n"] > 1:
                raise RuntimeError("disk gone")
            return fns["ST_MinX"](blob)
        return fns | {"ST_MinX": min_x}

    with GeoPackageStore(gpkg_path) as store:
        assert store.write_articles(store_corpus[:1]) == [True]
    monkeypatch.setattr(gs._TriggerBounds, "functions", failing)
    with GeoPackageStore(gpkg_path) as store:
        with pytest.raises(StorageError, match="failed"):
            store.write_articles(store_corpus[1:])
        assert list(store.articles()["id"]) == [store_corpus[0][0].id]
        assert sorted(_ids(store.read())) == sorted(e.id for e in store_corpus[0][2])
        assert set(store.mentions()["article_id"]) == {store_corpus[0][0].id}


def test_a_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.gpkg"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE something (x)")
    with pytest.raises(StorageError, match="not a Marsad store"):
        GeoPackageStore(path)


def _downgrade_to_version_1(store) -> None:
    """Make the store look as one written before modality, sub_type, same_as, the edit tables and
    the counts."""
    from tests.unit.store.test_areas import downgrade_to_version_4
    downgrade_to_version_4(store)

    def t(name: str) -> str:
        return store._t(name) if hasattr(store, "_t") else name
    for column in ("modality", "sub_type", "same_as", "counts", "fatalities"):
        store._conn.execute(f"ALTER TABLE {t('events')} DROP COLUMN {column}")
    for table in ("edits", "user_places"):
        store._conn.execute(f"DROP TABLE {t(table)}")
    meta = t("marsad_meta")
    store._conn.execute(f"UPDATE {meta} SET value = '1' WHERE key = 'schema_version'")
    if hasattr(store._conn, "commit"):
        store._conn.commit()


def test_a_version_1_store_gains_the_new_columns_and_tables_when_opened(event_store, store_corpus):
    _fill(event_store, store_corpus)
    expected = {e.id: ("denied" if e.denied else "reported" if (e.attribution.speaker or e.attribution.cited_outlet)
                       else "asserted") for _, _, events in store_corpus for e in events}
    _downgrade_to_version_1(event_store)
    reopened = type(event_store)(event_store.url if hasattr(event_store, "url") else event_store.path,
                                 **({"schema": event_store.schema} if hasattr(event_store, "schema") else {}))
    try:
        assert reopened.schema_version == SCHEMA_VERSION
        frame = reopened.read()
        assert dict(zip(frame["id"], frame["modality"])) == expected
        assert set(frame["sub_type"]) == {""} and set(frame["same_as"]) == {""}
        assert set(frame["counts"]) == {"[]"} and frame["fatalities"].isna().all()
        assert len(frame) == sum(len(events) for _, _, events in store_corpus)
        assert reopened.audit().empty and reopened.user_places() == []
        assert reopened.edit_event("e1", {"review": "confirmed"}, who="Amal") == ["review"]
    finally:
        reopened.close()


def test_a_newer_schema_is_refused(gpkg_path):
    GeoPackageStore(gpkg_path).close()
    with sqlite3.connect(gpkg_path) as conn:
        conn.execute("UPDATE marsad_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StorageError, match="schema version '?99"):
        GeoPackageStore(gpkg_path)


def test_a_closed_store_raises_storage_error(gpkg_path):
    store = GeoPackageStore(gpkg_path)
    store.close()
    with pytest.raises(StorageError, match="closed"):
        store.read()


# A writer that stores article i with 20 + i % 30 events and 10 mentions, and says so
# on stdout after each commit. With MARSAD_TEST_HANG_AT=n, it stops for good inside
# article n's transaction, after some of its events are in, and says "inside".
_WRITER = textwrap.dedent("""
    import datetime as dt, os, sys, time
    import geo.store.gpkg as gs
    from geo.models import Article, Attribution, Event, Mention, to_point

    hang_at = int(os.environ.get("MARSAD_TEST_HANG_AT", "-1"))
    current = {"article": -1, "calls": 0}
    real_functions = gs._TriggerBounds.functions

    def functions(self):
        fns = real_functions(self)
        real_min_x = fns["ST_MinX"]

        def min_x(blob):
            current["calls"] += 1
            if current["article"] == hang_at and current["calls"] == 15:
                print("inside", flush=True)
                time.sleep(3600)
            return real_min_x(blob)

        return fns | {"ST_MinX": min_x}

    gs._TriggerBounds.functions = functions
    store = gs.GeoPackageStore(sys.argv[1])
    # a tiny page cache spills uncommitted pages into the WAL mid-transaction, so a
    # kill leaves half an article on disk for recovery to discard
    store._conn.execute("PRAGMA cache_size = 5")
    for i in range(100000):
        n = 20 + i % 30
        art = Article(id=f"kill{i:060x}", text=f"نص {i}", title=str(n))
        mentions = [Mention(0, 2, "نص", None, geometry=to_point(30, 10 + k / 10)) for k in range(10)]
        events = [Event(id=f"{i}-{k}", article_id=art.id, type="presence",
                        geometry=to_point(25 + k / 100, 12 + (i % 100) / 10), geo_precision=1,
                        event_date=dt.date(2024, 1, 1), date_precision="day",
                        attribution=Attribution(), quote="نص", quote_start=0, quote_end=2)
                  for k in range(n)]
        current["article"], current["calls"] = i, 0
        store.write_article(art, mentions, events)
        print(i, flush=True)
""")


def _run_writer_and_kill(path: Path, *, after: int, hang_at: int | None) -> int:
    """Start the writer, SIGKILL it once it reports ``after`` articles (or "inside")."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if hang_at is not None:
        env["MARSAD_TEST_HANG_AT"] = str(hang_at)
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE,
                            text=True, env=env, cwd=REPO)
    last = -1
    try:
        for line in proc.stdout:
            if line.strip() == "inside" or (hang_at is None and int(line) >= after):
                break
            last = int(line)
        else:
            pytest.fail(f"the writer stopped by itself with code {proc.wait()}")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return last


def _assert_intact(path: Path, *, at_least: int) -> int:
    with GeoPackageStore(path) as store:
        articles = store.articles()
        events = store.read()
        mentions = store.mentions()
    n = len(articles)
    assert n >= at_least
    # every article committed in order, none half-written, no orphans
    assert sorted(articles["id"]) == [f"kill{i:060x}" for i in range(n)]
    per_article = events.groupby("article_id").size()
    assert {a: per_article.get(a, 0) for a in articles["id"]} == {
        a: int(t) for a, t in zip(articles["id"], articles["title"])}
    assert set(events["article_id"]) <= set(articles["id"])
    assert (mentions.groupby("article_id").size() == 10).all()
    assert set(mentions["article_id"]) == set(articles["id"])
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM rtree_events_geom").fetchone()[0] == len(events)
    return n


def test_kill_inside_an_article_transaction_leaves_the_store_intact(gpkg_path):
    last = _run_writer_and_kill(gpkg_path, after=0, hang_at=40)
    assert last == 39
    wal = gpkg_path.with_name(gpkg_path.name + "-wal")
    assert wal.stat().st_size > 0   # the killed transaction's pages are on disk
    assert _assert_intact(gpkg_path, at_least=40) == 40   # article 40 was half-written: gone


@pytest.mark.parametrize("after", [25, 60, 110], ids=["early", "middle", "late"])
def test_kill_at_any_moment_leaves_the_store_intact(gpkg_path, after):
    _run_writer_and_kill(gpkg_path, after=after, hang_at=None)
    n = _assert_intact(gpkg_path, at_least=after)
    # and the store takes new writes after the crash
    from tests.conftest import store_corpus_items
    with GeoPackageStore(gpkg_path) as store:
        assert store.write_article(*store_corpus_items()[0]) is True
        assert store.stats().articles == n + 1


def test_a_repeated_claim_is_read_once_unless_asked(event_store, store_corpus):
    article, mentions, events = store_corpus[0]
    first = events[0]
    repeat = dataclasses.replace(first, id="repeat-of-" + first.id, same_as=first.id,
                                 modality="reported", sub_type="armed clash")
    assert event_store.write_article(article, mentions, [*events, repeat]) is True
    shown = event_store.read()
    assert "repeat-of-" + first.id not in set(shown["id"])
    everything = event_store.read(include_repeats=True).set_index("id")
    row = everything.loc["repeat-of-" + first.id]
    assert (row["same_as"], row["modality"], row["sub_type"]) == (first.id, "reported", "armed clash")


def test_counts_and_fatalities_are_stored_and_read_back(event_store, store_corpus):
    import dataclasses
    import json as _json

    from geo.models import Count

    article, mentions, events = store_corpus[0]
    counts = (Count("killed", 3, 3, "exact", start=1, end=2), Count("killed", 20, 99, "vague"),
              Count("seized", 2.5, 2.5, "about", unit="tonnes", item="الحشيش"))
    first = dataclasses.replace(events[0], counts=counts)
    assert event_store.write_article(article, mentions, [first, *events[1:]])
    frame = event_store.read(ids=[first.id], review=["auto", "confirmed", "rejected"], include_repeats=True)
    row = frame.iloc[0]
    assert _json.loads(row["counts"]) == [c.as_dict() for c in counts]
    assert row["fatalities"] == 23   # the low ends of the killed counts, as ACLED counts
    others = event_store.read(ids=[events[1].id], include_repeats=True, review=["auto", "confirmed", "rejected"])
    assert others.iloc[0]["counts"] == "[]" and others["fatalities"].isna().all()
