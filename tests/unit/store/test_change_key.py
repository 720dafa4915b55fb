"""The store's change key, on both backends: the app's shared caches are keyed on it, so every
write, correction and deletion must move it, and a read must not."""

from __future__ import annotations

import dataclasses

from geo.models import Place
from shapely.geometry import Point


def test_the_key_stays_put_while_nothing_is_written(event_store, store_corpus):
    article, mentions, events = store_corpus[0]
    event_store.write_article(article, mentions, events)
    key = event_store.change_key()
    event_store.read()
    event_store.stats()
    event_store.articles(with_text=True)
    assert event_store.change_key() == key
    # re-ingesting a stored article is a no-op, and says so through the key too
    assert not event_store.write_article(article, mentions, events)
    assert event_store.change_key() == key


def test_the_key_changes_after_each_kind_of_write(event_store, store_corpus):
    keys = [event_store.change_key()]
    for article, mentions, events in store_corpus:
        assert event_store.write_article(article, mentions, events)
        keys.append(event_store.change_key())
    event_store.edit_event("e1", {"review": "rejected"}, who="Amal")
    keys.append(event_store.change_key())
    # a correction that leaves the counts as they were (one event's type) still moves it
    event_store.edit_event("e3", {"type": "attack"}, who="Amal")
    keys.append(event_store.change_key())
    article, mentions, events = store_corpus[1]
    event_store.replace_analysis(article.id, mentions, [dataclasses.replace(events[0], type="presence")])
    keys.append(event_store.change_key())
    event_store.save_place("ly:test-new", who="Amal",
                           new=Place("ly:test-new", "قرية", "Qarya", "village", Point(14.0, 31.0)))
    keys.append(event_store.change_key())
    assert event_store.delete_articles([store_corpus[0][0].id], who="Amal", note="out") == 1
    keys.append(event_store.change_key())
    assert len(set(keys)) == len(keys), keys


def test_the_key_is_a_tuple_of_whole_numbers(event_store):
    key = event_store.change_key()
    assert isinstance(key, tuple) and key and all(isinstance(v, int) for v in key)
    hash(key)   # usable in a cache key
