"""Schema 6 on both stores: mentions and events name their report by fid (``geo.store.schema``),
the GeoPackage compresses the report's text (``geo.store.gpkg_rows``); a version 5 store is
migrated and reads back as it was."""

from __future__ import annotations

import dataclasses
import sqlite3

import pandas as pd
import pytest

from geo.store import SCHEMA_VERSION, GeoPackageStore
from geo.store.gpkg_rows import ArticleIds, compress_text, decompress_text

# Arabic with its marks, tatweel, presentation forms and bidi controls, Latin, digits of both kinds,
# an emoji, and every C0 control but NUL (``geo.text.safe`` keeps NUL out of every store).
TRICKY = ("تَحَرُّكـــات «داعش» جنوب بني وليد ﻻ ١٢٣ 123 \u200f\u202bمقتبس\u202c 🚙 "
          + "".join(chr(c) for c in range(1, 32)) + "\r\n\x7f آخر")
_V5_VIEW = "e.id, e.article_id, e.type"   # a prefix of the version 5 view's columns, as a check


def downgrade_to_version_5(store) -> None:
    """Make a store look as one written before version 6: mentions and events naming their article
    by its text id, no stub articles; in a GeoPackage the text plain and version 5's view."""
    if not isinstance(store, GeoPackageStore):
        t = store._t
        for table in ("mentions", "events"):
            store._conn.execute(f"ALTER TABLE {t(table)} ADD COLUMN article_id text")
            store._conn.execute(f"UPDATE {t(table)} x SET article_id = a.id FROM {t('articles')} a "
                                "WHERE a.fid = x.article_fid")
            store._conn.execute(f"ALTER TABLE {t(table)} DROP COLUMN article_fid")
            store._conn.execute(f"CREATE INDEX ON {t(table)} (article_id)")
        store._conn.execute(f"DELETE FROM {t('articles')} WHERE text IS NULL")
        store._conn.execute(f"UPDATE {t('marsad_meta')} SET value = '5' WHERE key = 'schema_version'")
        return
    from geo.store.schema import EVENT_TYPES_SQL
    from tests.unit.store.test_compact_rows import downgrade_to_version_6
    downgrade_to_version_6(store)   # quotes and places as written
    conn = store._conn
    conn.create_function("marsad_decompress_text", 1, decompress_text)
    conn.execute("DROP VIEW events_full")
    conn.execute("ALTER TABLE articles ADD COLUMN text TEXT")
    conn.execute("UPDATE articles SET text = marsad_decompress_text(text_zlib)")
    conn.execute("ALTER TABLE articles DROP COLUMN text_zlib")
    for table in ("mentions", "events"):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN article_id TEXT")
        conn.execute(f"UPDATE {table} SET article_id = (SELECT id FROM articles a WHERE a.fid = {table}.article_fid)")
        conn.execute(f"DROP INDEX {table}_article_fid")
        conn.execute(f"ALTER TABLE {table} DROP COLUMN article_fid")
        conn.execute(f"CREATE INDEX {table}_article_id ON {table}(article_id)")
    conn.execute("DELETE FROM articles WHERE text IS NULL")   # version 5 kept no stubs
    columns = ", ".join(f"e.{c}" for c in (*EVENT_TYPES_SQL, "area_id"))
    assert columns.startswith(_V5_VIEW)
    conn.execute(f"""CREATE VIEW events_full AS SELECT e.fid AS fid, coalesce(e.geom, a.geom) AS geom, {columns}
                     FROM events e LEFT JOIN areas a ON a.fid = e.area_id""")
    conn.execute("UPDATE marsad_meta SET value = '5' WHERE key = 'schema_version'")


def _tricky(item):
    article, mentions, events = item
    return dataclasses.replace(article, text=TRICKY + article.text), mentions, events


def _reopen(store):
    return type(store)(store.url if hasattr(store, "url") else store.path,
                       **({"schema": store.schema} if hasattr(store, "schema") else {}))


def _state(store) -> tuple:
    """What a store gives back: events (every state), mentions, articles with text, the audit."""
    events = store.read(include_denied=True, include_repeats=True, review=["auto", "confirmed", "rejected"])
    return (events.to_wkb(), store.mentions().to_wkb(), store.articles(with_text=True),
            store.audit().drop(columns="at"), store.stats())


def test_text_round_trips_exactly():
    for text in (TRICKY, "", "a", "نص" * 5000):
        blob = compress_text(text)
        assert isinstance(blob, bytes) and decompress_text(blob) == text
    assert compress_text(None) is None and decompress_text(None) is None


def test_a_report_text_reads_back_exactly_and_is_stored_compressed(gpkg_path, store_corpus):
    items = [_tricky(item) for item in store_corpus]
    with GeoPackageStore(gpkg_path) as store:
        store.write_articles(items)
        texts = store.articles(with_text=True)
        assert list(texts["text"]) == [a.text for a, _, _ in items]
        assert list(store.articles(with_text=True, ids=[items[1][0].id])["text"]) == [items[1][0].text]
    with sqlite3.connect(gpkg_path) as conn:
        columns = {r[1]: r[2] for r in conn.execute("PRAGMA table_info(articles)")}
        assert "text" not in columns and columns["text_zlib"] == "BLOB"
        stored = conn.execute("SELECT text_zlib FROM articles ORDER BY fid").fetchall()
        assert [decompress_text(b) for b, in stored] == [a.text for a, _, _ in items]


def test_events_and_mentions_name_their_report_by_fid_and_read_back_its_id(event_store, store_corpus):
    store = event_store
    second_article, *rest = store_corpus[1]
    store_corpus[1] = (dataclasses.replace(second_article, outlet="منصة محلية"), *rest)
    store.write_articles(store_corpus)
    frame = store.read(include_denied=True)
    want = {e.id: e.article_id for _, _, events in store_corpus for e in events}
    assert dict(zip(frame["id"], frame["article_id"])) == want
    second = store_corpus[1][0].id
    assert set(store.read(article_ids=[second], include_denied=True)["id"]) == {"e3", "e4"}
    assert set(store.mentions(second)["article_id"]) == {second}
    assert list(store.mentions()["article_id"]) == [a.id for a, mentions, _ in store_corpus for _ in mentions]
    # an outlet only its report names (no event's publisher): the outlets filter finds it there
    assert set(store.read(outlets=["منصة محلية"], include_denied=True)["id"]) == {"e3", "e4"}
    for table in ("events", "mentions"):
        assert {"article_fid"} <= _columns(store, table) and "article_id" not in _columns(store, table)


def _columns(store, table: str) -> set[str]:
    if isinstance(store, GeoPackageStore):
        return {r[1] for r in store._query(f"PRAGMA table_info({table})")}
    return {r[0] for r in store._query("SELECT column_name FROM information_schema.columns "
                                       "WHERE table_schema = %s AND table_name = %s", (store.schema, table))}


def test_events_written_alone_keep_their_reports_id_until_the_report_comes(event_store, store_corpus):
    article, mentions, events = store_corpus[0]
    store = event_store
    assert store.write(events) == 2
    assert set(store.read()["article_id"]) == {article.id}
    assert not store.has_article(article.id) and store.articles().empty and store.stats().articles == 0
    assert store.write_articles([(article, mentions, events)]) == [True]   # the stub is filled in
    assert store.has_article(article.id) and store.stats().articles == 1
    assert list(store.articles(with_text=True)["text"]) == [article.text]
    assert len(store.mentions(article.id)) == len(mentions)
    assert store.write_articles([(article, mentions, events)]) == [False]   # stored: left as it is


def test_the_events_view_shows_gdal_each_events_report_id(gpkg_path, store_corpus):
    gpd = pytest.importorskip("geopandas")
    with GeoPackageStore(gpkg_path) as store:
        store.write_articles(store_corpus)
        ours = store.read(include_denied=True, include_repeats=True)
    full = gpd.read_file(gpkg_path, layer="events_full")
    assert dict(zip(full["id"], full["article_id"])) == dict(zip(ours["id"], ours["article_id"]))


def test_a_version_5_store_migrates_and_reads_back_equal(event_store, store_corpus):
    items = [_tricky(item) for item in store_corpus]
    article, mentions, events = items[0]
    event_store.write_articles(items[1:])
    event_store.write(events)   # events whose report is not stored: version 5 took them
    event_store.edit_event("e3", {"note": "checked", "speaker": "مسؤول"}, who="Amal")
    event_store.edit_event("e4", {"review": "rejected"}, who="Amal")
    before = _state(event_store)
    downgrade_to_version_5(event_store)
    assert "article_id" in _columns(event_store, "events") and "article_fid" not in _columns(event_store, "events")
    with _reopen(event_store) as store:
        assert store.schema_version == SCHEMA_VERSION == 7
        after = _state(store)
        for got, want in zip(after[:4], before[:4]):
            pd.testing.assert_frame_equal(got, want)
        assert after[4] == before[4]
        # the report of the events written alone comes, and edits, re-extraction and deletion work
        assert store.write_articles([(article, mentions, events)]) == [True]
        assert list(store.articles(with_text=True, ids=[article.id])["text"]) == [article.text]
        assert store.edit_event("e1", {"note": "seen"}, who="Amal") == ["note"]
        assert store.audit(target_id="e1")["article_id"].tolist() == [article.id]
        assert store.replace_analysis(items[1][0].id, items[1][1], items[1][2]) == 0   # both touched
        assert store.delete_articles([items[2][0].id], who="Amal") == 1
        assert sorted(store.read(include_denied=True)["id"]) == ["e1", "e2", "e3"]
        if isinstance(store, GeoPackageStore):
            assert store._query("PRAGMA integrity_check") == [("ok",)]


def test_article_ids_are_looked_up_once_and_kept_within_their_bound():
    rows = {1: "a" * 64, 2: "b" * 64, 3: "c" * 64}
    asked: list[tuple] = []

    def query(sql, params):
        asked.append(tuple(params))
        return [(f, rows[f]) for f in params if f in rows]

    ids = ArticleIds(cap=2)
    assert ids.of(query, [1, None, 2, 1]) == [rows[1], None, rows[2], rows[1]]
    assert ids.of(query, [2, 1]) == [rows[2], rows[1]] and len(asked) == 1   # kept: nothing asked
    assert ids.of(query, [3, 9]) == [rows[3], None]   # past the bound: what is kept starts again
    assert ids.of(query, [3]) == [rows[3]] and len(asked) == 2
    assert ids.of(query, []) == []
