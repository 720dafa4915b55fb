"""Schema 7: a GeoPackage stores an event's quote only when it is not the report's text at the
event's span, and an event's places without their JSON keys (``geo.store.gpkg_rows``); both
stores read every event back as it was written, and a version 6 GeoPackage is migrated."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pandas as pd
import pytest

from geo.models import PlaceRole
from geo.store import SCHEMA_VERSION, GeoPackageStore
from geo.store.gpkg_rows import compact_places, expand_places, places_sql
from geo.store.schema import event_row
from tests.unit.store.test_article_keys import TRICKY, _reopen, _state

_PLACES = 4   # the places column in event_row
ODD_NAME = 'قال: "سرت", "name": "x" \\ \u200f\x01\x07 ليبيا'


def _items(store_corpus):
    """The corpus with tricky texts, and events whose quotes are: the text at their span (e1, e3,
    an empty one e6), text found elsewhere than at their span (e2), text not in the report (e4),
    a span past the text's end (e5); places with odd names, no id and no precision."""
    out = []
    for article, mentions, events in store_corpus:
        text = TRICKY + article.text
        out.append((dataclasses.replace(article, text=text), mentions, events))
    (a1, m1, (e1, e2)), (a2, m2, (e3, e4)), (a3, m3, (e5, e6)) = out
    t1, t2, t3 = a1.text, a2.text, a3.text
    e1 = dataclasses.replace(e1, quote=t1[3:50], quote_start=3, quote_end=50, places=(
        PlaceRole("origin", "ly:test-sabha", "سبها", 1, 0, 4),
        PlaceRole("destination", None, ODD_NAME, None, 10, 16, "south_of")))
    e2 = dataclasses.replace(e2, quote=t1[3:50], quote_start=4, quote_end=51)
    e3 = dataclasses.replace(e3, quote=t2[40:], quote_start=40, quote_end=len(t2))
    e4 = dataclasses.replace(e4, quote="«اقتباس» ليس في النص", quote_start=0, quote_end=20, places=())
    e5 = dataclasses.replace(e5, quote=t3[-5:] + "…", quote_start=len(t3) - 5, quote_end=len(t3) + 3)
    e6 = dataclasses.replace(e6, quote="", quote_start=7, quote_end=7)
    return [(a1, m1, [e1, e2]), (a2, m2, [e3, e4]), (a3, m3, [e5, e6])]


def _wanted(items) -> dict[str, tuple]:
    """Each event's quote and places as version 6 stored and read them."""
    return {e.id: (e.quote, event_row(e)[_PLACES]) for _, _, events in items for e in events}


def _read(store) -> dict[str, tuple]:
    frame = store.read(include_denied=True, include_repeats=True, review=["auto", "confirmed", "rejected"])
    return {i: (q, p) for i, q, p in zip(frame["id"], frame["quote"], frame["places"])}


def _raw(path) -> dict[str, tuple]:
    with sqlite3.connect(path) as conn:
        return {i: (q, p) for i, q, p in conn.execute("SELECT id, quote, places FROM events")}


@pytest.mark.parametrize("places", [
    [],
    [{"role": "location", "place_id": "cc:LY", "name": "ليبيا", "precision": 3, "start": 210, "end": 223,
      "qualifier": "part_of"}],
    [{"role": "via", "place_id": None, "name": ODD_NAME, "precision": None, "start": 0, "end": 0,
      "qualifier": "none"}, {"role": "", "place_id": "", "name": "", "precision": 1, "start": 1, "end": 2,
                             "qualifier": ""}],
    [{"role": "location", "place_id": "ly:x", "name": "س"}],                        # an analyst's, fewer keys
    [{"place_id": "ly:x", "role": "location", "name": "س", "precision": 1, "start": 0, "end": 1,
      "qualifier": "none"}],                                                           # another order
    [{"role": "location", "place_id": "ly:x", "name": "س", "precision": 1.0, "start": 0, "end": 1,
      "qualifier": None, "note": "يدوي"}],
])
def test_places_compact_and_expand_back_to_the_same_text_in_python_and_in_sql(places):
    text = json.dumps(places, ensure_ascii=False)
    stored = compact_places(text)
    assert expand_places(stored) == text
    with sqlite3.connect(":memory:") as conn:
        assert conn.execute(f"SELECT {places_sql('?1')}", (stored,)).fetchone()[0] == text
    if text.startswith('[{"role": "') and text.endswith('"}]'):   # a list of places as extraction writes
        assert not stored.startswith("[") and len(stored) < len(text)
        if all(p.get("place_id") and isinstance(p.get("qualifier"), str) for p in places):   # every key gone
            assert len(stored.encode()) < len(text.encode()) / 2
    else:
        assert stored == text   # kept as it is
    assert compact_places(None) is None and expand_places(None) is None


def test_quotes_and_places_read_back_exactly(event_store, store_corpus):
    items = _items(store_corpus)
    assert event_store.write_articles(items) == [True] * 3
    assert _read(event_store) == _wanted(items)


def test_a_quote_at_its_span_is_not_stored_again_and_places_lose_their_keys(gpkg_path, store_corpus):
    items = _items(store_corpus)
    with GeoPackageStore(gpkg_path) as store:
        store.write_articles(items)
    raw, wanted = _raw(gpkg_path), _wanted(items)
    assert {i for i, (q, _) in raw.items() if q == b""} == {"e1", "e3", "e6"}
    for i in ("e2", "e4", "e5"):
        assert raw[i][0] == wanted[i][0]
    assert raw["e4"][1] == "[]"
    for i in ("e1", "e2", "e3", "e5", "e6"):
        assert not raw[i][1].startswith("[") and expand_places(raw[i][1]) == wanted[i][1]


def test_the_events_view_shows_gdal_their_places_as_json(gpkg_path, store_corpus):
    gpd = pytest.importorskip("geopandas")
    items = _items(store_corpus)
    with GeoPackageStore(gpkg_path) as store:
        store.write_articles(items)
    full = gpd.read_file(gpkg_path, layer="events_full")
    wanted = _wanted(items)
    assert dict(zip(full["id"], full["places"])) == {i: p for i, (_, p) in wanted.items()}
    # a quote kept as its span has no text of its own for GDAL (the report's text is compressed)
    assert dict(zip(full["id"], full["quote"]))["e4"] == wanted["e4"][0]


def test_events_written_alone_then_their_report_then_a_reextraction(event_store, store_corpus):
    items = _items(store_corpus)
    article, mentions, events = items[0]
    store = event_store
    assert store.write(events) == 2   # no text to compare with: the quotes are stored
    assert _read(store) == _wanted([items[0]])
    store.write_articles(items)
    assert _read(store) == _wanted(items)
    store.edit_event("e3", {"review": "confirmed"}, who="Amal")
    fresh = [dataclasses.replace(e, confidence=0.9) for e in items[1][2]]
    assert store.replace_analysis(items[1][0].id, items[1][1], fresh) == 1   # e3 was reviewed
    assert _read(store) == _wanted(items)
    if isinstance(store, GeoPackageStore):
        assert _raw(store.path)["e4"][0] == wanted_quote(items, "e4")
        assert [q for i, (q, _) in _raw(store.path).items() if i in ("e1", "e3")] == [b"", b""]


def wanted_quote(items, event_id: str) -> str:
    return _wanted(items)[event_id][0]


def test_a_correction_compares_and_audits_the_places_as_json(event_store, store_corpus):
    items = _items(store_corpus)
    event_store.write_articles(items)
    before = _wanted(items)["e1"][1]
    assert event_store.edit_event("e1", {"places": json.loads(before)}, who="Amal") == []
    places = [{"role": "location", "place_id": "ly:test-sabha", "name": "سبها", "precision": 1}]
    assert event_store.edit_event("e1", {"places": places}, who="Amal") == ["places", "review"]
    audit = event_store.audit(target_id="e1")
    row = audit[audit["field"] == "places"].iloc[0]
    assert (row["old_value"], json.loads(row["new_value"])) == (before, places)
    assert json.loads(_read(event_store)["e1"][1]) == places


def downgrade_to_version_6(store) -> None:
    """Make a store look as one written before version 7: quotes and places stored as written."""
    if not isinstance(store, GeoPackageStore):
        store._conn.execute(f"UPDATE {store._t('marsad_meta')} SET value = '6' WHERE key = 'schema_version'")
        return
    frame = store.read(include_denied=True, include_repeats=True, review=["auto", "confirmed", "rejected"])
    conn = store._conn
    conn.executemany("UPDATE events SET quote = ?, places = ? WHERE id = ?",
                     list(zip(frame["quote"], frame["places"], frame["id"])))
    conn.execute("UPDATE marsad_meta SET value = '6' WHERE key = 'schema_version'")


def test_a_version_6_store_migrates_and_reads_back_equal(event_store, store_corpus):
    items = _items(store_corpus)
    event_store.write_articles(items)
    event_store.edit_event("e3", {"note": "checked"}, who="Amal")
    before = _state(event_store)
    downgrade_to_version_6(event_store)
    if isinstance(event_store, GeoPackageStore):
        assert all(isinstance(q, str) and p.startswith("[") for q, p in _raw(event_store.path).values())
    with _reopen(event_store) as store:
        assert store.schema_version == SCHEMA_VERSION == 7
        after = _state(store)
        for got, want in zip(after[:4], before[:4]):
            pd.testing.assert_frame_equal(got, want)
        assert after[4] == before[4]
        assert _read(store) == _wanted(items)
        if isinstance(store, GeoPackageStore):
            raw = _raw(store.path)
            assert {i for i, (q, _) in raw.items() if q == b""} == {"e1", "e3", "e6"}
            assert not raw["e1"][1].startswith("[")
            assert store._query("PRAGMA integrity_check") == [("ok",)]
