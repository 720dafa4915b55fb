"""The GeoPackage's own rows (``geo.store.gpkg_rows``): reports named by fid, their text
compressed; a version 5 file migrated to them and read back as it was."""

from __future__ import annotations

import dataclasses
import sqlite3

import pandas as pd
import pytest

from geo.store import SCHEMA_VERSION, GeoPackageStore
from geo.store.gpkg_rows import compress_text, decompress_text

# Arabic with its marks, tatweel, presentation forms and bidi controls, Latin, digits of both kinds,
# an emoji, and every C0 control but NUL (``geo.text.safe`` keeps NUL out of every store).
TRICKY = ("تَحَرُّكـــات «داعش» جنوب بني وليد ﻻ ١٢٣ 123 \u200f\u202bمقتبس\u202c 🚙 "
          + "".join(chr(c) for c in range(1, 32)) + "\r\n\x7f آخر")
_V5_VIEW = "e.id, e.article_id, e.type"   # a prefix of the version 5 view's columns, as a check


def downgrade_to_version_5(conn: sqlite3.Connection) -> None:
    """Make a GeoPackage look as one written before version 6: the article text plain, mentions and
    events naming their article by its text id, no stub articles, version 5's view."""
    from geo.store.schema import EVENT_STORED
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
    columns = ", ".join(f"e.{c}" for c in EVENT_STORED)
    assert columns.startswith(_V5_VIEW)
    conn.execute(f"""CREATE VIEW events_full AS SELECT e.fid AS fid, coalesce(e.geom, a.geom) AS geom, {columns}
                     FROM events e LEFT JOIN areas a ON a.fid = e.area_id""")
    conn.execute("UPDATE marsad_meta SET value = '5' WHERE key = 'schema_version'")


def _tricky(item):
    article, mentions, events = item
    return dataclasses.replace(article, text=TRICKY + article.text), mentions, events


def _state(store: GeoPackageStore) -> tuple:
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


def test_events_and_mentions_name_their_report_by_fid_and_read_back_its_id(gpkg_path, store_corpus):
    with GeoPackageStore(gpkg_path) as store:
        store.write_articles(store_corpus)
        frame = store.read(include_denied=True)
        want = {e.id: e.article_id for _, _, events in store_corpus for e in events}
        assert dict(zip(frame["id"], frame["article_id"])) == want
        second = store_corpus[1][0].id
        assert set(store.read(article_ids=[second], include_denied=True)["id"]) == {"e3", "e4"}
        assert set(store.mentions(second)["article_id"]) == {second}
        assert list(store.mentions()["article_id"]) == [a.id for a, mentions, _ in store_corpus for _ in mentions]
    with sqlite3.connect(gpkg_path) as conn:
        for table in ("events", "mentions"):
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            assert "article_fid" in columns and "article_id" not in columns


def test_events_written_alone_keep_their_reports_id_until_the_report_comes(gpkg_path, store_corpus):
    article, mentions, events = store_corpus[0]
    with GeoPackageStore(gpkg_path) as store:
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


def test_a_version_5_store_migrates_and_reads_back_equal(gpkg_path, store_corpus):
    items = [_tricky(item) for item in store_corpus]
    article, mentions, events = items[0]
    with GeoPackageStore(gpkg_path) as store:
        store.write_articles(items[1:])
        store.write(events)   # events whose report is not stored: version 5 took them
        store.edit_event("e3", {"note": "checked", "speaker": "مسؤول"}, who="Amal")
        store.edit_event("e4", {"review": "rejected"}, who="Amal")
        before = _state(store)
        downgrade_to_version_5(store._conn)
    with sqlite3.connect(gpkg_path) as conn:   # the file is a version 5 one now
        assert {r[1] for r in conn.execute("PRAGMA table_info(events)")} >= {"article_id"}
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    with GeoPackageStore(gpkg_path) as store:
        assert store.schema_version == SCHEMA_VERSION == 6
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
    with sqlite3.connect(gpkg_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
