"""The event index and widget choices kept beside a GeoPackage: what a fresh server reads back is
what a fresh build gives, and any change to the store (a write, a correction, a deletion, an
event rewritten under its own id, another file copied over it) makes the kept file unused."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
import pytest

from geo.store import GeoPackageStore, index_file, summary
from tests.unit.store.test_store import _fill


def _same_index(got: summary.EventIndex, wanted: summary.EventIndex) -> None:
    for name in summary._INDEX_ARRAYS:
        a, b = getattr(got, name), getattr(wanted, name)
        if isinstance(b, tuple):
            assert a == b, name
        else:
            assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=b.dtype.kind == "f"), name


def _no_scans(monkeypatch) -> None:
    def refuse(store):
        raise AssertionError("built again: the kept file was not used")
    monkeypatch.setattr(summary, "_sql_index", refuse)
    monkeypatch.setattr(summary, "_sql_options", refuse)


@pytest.fixture
def store(gpkg_path, store_corpus):
    """The corpus written by one process (an ingest, which closes the store), opened by another."""
    writer = GeoPackageStore(gpkg_path)
    _fill(writer, store_corpus)
    writer.close()
    store = GeoPackageStore(gpkg_path)
    yield store
    store.close()


def test_a_fresh_server_reads_back_what_a_fresh_build_gives(store, gpkg_path, monkeypatch):
    built, options = summary.event_index(store), summary.option_values(store)
    assert index_file.path_for(store).exists()
    fresh, fresh_options = summary.event_index(store, keep=False), summary.option_values(store, keep=False)
    _same_index(built, fresh)
    assert options == fresh_options
    store.close()

    _no_scans(monkeypatch)
    reopened = GeoPackageStore(gpkg_path)
    _same_index(summary.event_index(reopened), fresh)
    assert summary.option_values(reopened) == fresh_options
    reopened.close()


def _rewrite_under_its_id(store, corpus):
    event = corpus[0][2][1]   # e2, a base: the store keeps its fid and counts
    assert store.write([dataclasses.replace(event, type="attack")]) == 1


CHANGES = {
    "article written": lambda store, corpus: store.write_article(
        dataclasses.replace(corpus[0][0], id="f" * 64, url="https://example.org/new"), [],
        [dataclasses.replace(e, id=f"{e.id}-new", article_id="f" * 64) for e in corpus[0][2]]),
    "review set": lambda store, corpus: store.edit_event("e1", {"review": "rejected"}, who="test"),
    "type corrected": lambda store, corpus: store.edit_event("e3", {"type": "attack"}, who="test"),
    "event rewritten under its id": _rewrite_under_its_id,
    "analysis replaced": lambda store, corpus: store.replace_analysis(
        corpus[1][0].id, corpus[1][1], [dataclasses.replace(corpus[1][2][0], type="base")]),
    "article deleted": lambda store, corpus: store.delete_articles([corpus[2][0].id], who="test"),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_any_change_to_the_store_makes_the_kept_file_unused(store, store_corpus, change):
    before = summary.event_index(store)
    summary.option_values(store)
    CHANGES[change](store, store_corpus)
    after, fresh = summary.event_index(store), summary.event_index(store, keep=False)
    _same_index(after, fresh)
    assert summary.option_values(store) == summary.option_values(store, keep=False)
    changed = [name for name in summary._INDEX_ARRAYS
               if not np.array_equal(np.asarray(getattr(before, name)), np.asarray(getattr(after, name)))]
    assert changed, "the change should show in the index"
    # and the file now holds the new state: read back without building
    _same_index(summary.event_index(store), fresh)


def test_another_store_copied_over_the_path_is_not_taken_for_it(tmp_path, store_corpus, monkeypatch):
    first, second = GeoPackageStore(tmp_path / "a.gpkg"), GeoPackageStore(tmp_path / "b.gpkg")
    _fill(first, store_corpus)
    # the same articles, fids and counts, so the same change key: one event's type differs
    article, mentions, events = store_corpus[0]
    second.write_article(article, mentions, [dataclasses.replace(events[0], type="attack"), *events[1:]])
    _fill(second, store_corpus[1:])
    assert first.change_key() == second.change_key()
    first.close()
    first = GeoPackageStore(tmp_path / "a.gpkg")
    summary.event_index(first)
    first.close()
    wanted = summary.event_index(second, keep=False)
    second.close()
    shutil.copyfile(tmp_path / "b.gpkg", tmp_path / "a.gpkg")
    copied = GeoPackageStore(tmp_path / "a.gpkg")
    _same_index(summary.event_index(copied), wanted)
    copied.close()


def test_a_damaged_or_foreign_file_is_built_again_and_replaced(store, monkeypatch):
    wanted = summary.event_index(store, keep=False)
    kept = index_file.path_for(store)
    kept.write_bytes(b"not an npz")
    _same_index(summary.event_index(store), wanted)
    _no_scans(monkeypatch)
    _same_index(summary.event_index(store), wanted)


def test_a_folder_that_cannot_be_written_gets_no_file_and_the_same_answers(store, monkeypatch):
    wanted, options = summary.event_index(store, keep=False), summary.option_values(store, keep=False)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Read-only file system")
    monkeypatch.setattr(index_file.tempfile, "mkstemp", refuse)
    _same_index(summary.event_index(store), wanted)
    assert summary.option_values(store) == options
    assert not index_file.path_for(store).exists()
    assert not list(store.path.parent.glob("*.tmp"))


def test_the_kept_file_is_stamped_with_how_it_was_made(store, monkeypatch):
    summary.event_index(store)
    summary._made_by.cache_clear()
    monkeypatch.setattr(summary, "_REVIEWS", ("auto", "confirmed", "rejected", "other", "?"))
    try:
        assert index_file.load(store, summary._made_by(), summary._INDEX_ARRAYS) is None
    finally:
        monkeypatch.undo()
        summary._made_by.cache_clear()
    assert index_file.load(store, summary._made_by(), summary._INDEX_ARRAYS) is not None


def test_the_choices_read_aside_fall_back_to_the_stores_connection(store, monkeypatch):
    wanted = summary.option_values(store, keep=False)

    def refuse(*args, **kwargs):
        raise summary.sqlite3.OperationalError("unable to open database file")
    monkeypatch.setattr(summary.sqlite3, "connect", refuse)
    assert summary.option_values(store) == wanted
    monkeypatch.undo()
    assert summary.option_values(store) == wanted   # and kept
