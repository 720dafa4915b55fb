"""The analyst's loop in the store, on the GeoPackage file and on PostGIS alike.

Review states, corrections with their audit rows, places and aliases added, and a
re-extraction that keeps what an analyst touched.
"""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
from shapely.geometry import Point

from geo.errors import InputError
from geo.models import Place


def _fill(store, corpus) -> None:
    for article, mentions, events in corpus:
        assert store.write_article(article, mentions, events)


def _one(store, event_id):
    rows = store.read(ids=[event_id], review=["auto", "confirmed", "rejected"], include_repeats=True)
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_a_rejected_event_is_read_only_when_asked(event_store, store_corpus):
    _fill(event_store, store_corpus)
    assert event_store.edit_event("e1", {"review": "rejected"}, who="Amal", note="a training trip") == ["review"]
    assert "e1" not in set(event_store.read()["id"])
    assert set(event_store.read(review="rejected")["id"]) == {"e1"}
    assert len(event_store.read(review=["auto", "confirmed", "rejected"])) == 6


def test_a_correction_is_stored_confirmed_and_audited(event_store, store_corpus):
    _fill(event_store, store_corpus)
    changed = event_store.edit_event(
        "e2", {"type": "presence", "actors": ["ISIS"], "event_date": "2024-02-20",
               "date_precision": "month", "speaker": "عمدة المدينة", "modality": "denied"},
        who="Amal", note="the mayor denied it")
    assert set(changed) == {"type", "actors", "event_date", "date_precision", "speaker", "modality", "review"}
    row = _one(event_store, "e2")
    assert (row["type"], json.loads(row["actors"]), row["event_date"].date().isoformat(),
            row["date_precision"], row["speaker"], row["modality"], bool(row["denied"]), row["review"]) == \
        ("presence", ["ISIS"], "2024-02-20", "month", "عمدة المدينة", "denied", True, "confirmed")
    log = event_store.audit(target_id="e2")
    by_field = {r.field: (r.old_value, r.new_value) for r in log.itertuples()}
    assert by_field["type"] == ("base", "presence")
    assert by_field["event_date"] == ("2024-03-01", "2024-02-20")
    assert by_field["actors"] == (json.dumps(["القاعدة"], ensure_ascii=False), json.dumps(["ISIS"]))
    assert by_field["review"] == ("auto", "confirmed")
    assert set(log["who"]) == {"Amal"} and set(log["note"]) == {"the mayor denied it"}
    assert set(log["article_id"]) == {store_corpus[0][0].id}


def test_an_unchanged_value_writes_no_audit_row(event_store, store_corpus):
    _fill(event_store, store_corpus)
    assert event_store.edit_event("e1", {"type": "movement"}, who="Amal") == []
    assert event_store.audit().empty


def test_moving_a_place_moves_the_feature(event_store, store_corpus):
    _fill(event_store, store_corpus)
    places = [{"role": "location", "place_id": "ly:test-sabha", "name": "سبها", "precision": 1}]
    event_store.edit_event("e5", {"places": places, "geometry": Point(14.43, 27.04)}, who="Amal")
    row = _one(event_store, "e5")
    assert row.geometry.equals(Point(14.43, 27.04))
    assert json.loads(row["places"])[0]["place_id"] == "ly:test-sabha"
    # the spatial filter sees the new position, not the old one
    assert "e5" in set(event_store.read(near=(27.04, 14.43, 20))["id"])
    assert "e5" not in set(event_store.read(near=(31.2, 16.6, 20))["id"])


@pytest.mark.parametrize("changes, message", [
    ({"type": "picnic"}, "type must be one of"),
    ({"quote": "x"}, "cannot be corrected"),
    ({"event_date": "31/12/2024"}, "event_date must be"),
    ({"geo_precision": 7}, "geo_precision must be"),
    ({"actors": "داعش"}, "actors must be a list"),
    ({}, "needs a dict"),
    ({"counts": [{"kind": "eaten", "low": 3}]}, "count kind"),
    ({"counts": [{"kind": "killed", "low": 9, "high": 4}]}, "high must not be below"),
    ({"counts": [{"kind": "killed", "low": "many"}]}, "a count's low"),
    ({"counts": "12 killed"}, "counts must be a list"),
])
def test_bad_corrections_are_refused_and_change_nothing(event_store, store_corpus, changes, message):
    _fill(event_store, store_corpus)
    with pytest.raises(InputError, match=message):
        event_store.edit_event("e1", changes, who="Amal")
    assert _one(event_store, "e1")["type"] == "movement" and event_store.audit().empty


def test_corrected_counts_set_the_fatalities_and_are_audited(event_store, store_corpus):
    _fill(event_store, store_corpus)
    counts = [{"kind": "killed", "low": 12, "high": 15, "qualifier": "range"},
              {"kind": "killed", "low": 3, "qualifier": "exact"}, {"kind": "wounded", "low": 20, "qualifier": "about"}]
    assert event_store.edit_event("e1", {"counts": counts}, who="Amal", note="the hospital's toll") == \
        ["counts", "review"]
    row = _one(event_store, "e1")
    stored = json.loads(row["counts"])
    assert [(c["kind"], c["low"], c["high"], c["qualifier"]) for c in stored] == \
        [("killed", 12, 15, "range"), ("killed", 3, 3, "exact"), ("wounded", 20, 20, "about")]
    assert row["fatalities"] == 15 and row["review"] == "confirmed"
    (audit,) = [r for r in event_store.audit(target_id="e1").itertuples() if r.field == "counts"]
    assert json.loads(audit.new_value)[0]["low"] == 12 and audit.note == "the hospital's toll"
    # no killed count left: the text is taken to say nothing of the dead
    event_store.edit_event("e1", {"counts": [{"kind": "wounded", "low": 20, "qualifier": "about"}]}, who="Amal")
    assert pd.isna(_one(event_store, "e1")["fatalities"])


def test_an_edit_needs_an_event_and_a_name(event_store, store_corpus):
    _fill(event_store, store_corpus)
    with pytest.raises(InputError, match="no event"):
        event_store.edit_event("nope", {"review": "confirmed"}, who="Amal")
    with pytest.raises(InputError, match="name of who"):
        event_store.edit_event("e1", {"review": "confirmed"}, who=" ")


def test_places_and_aliases_added_are_kept_and_audited(event_store):
    new = Place("user:wadi-test", "وادي التجربة", "Wadi Test", "wadi",
                Point(14.1, 31.4), aliases=("وادي التجربه",), country="LY")
    event_store.save_place(new.id, new=new, who="Amal", note="from a local source")
    event_store.save_place("ly:bani-walid", aliases=["بنى وليد", "Beni Ulid"], who="Omar")
    event_store.save_place("ly:bani-walid", aliases=["Beni Ulid", "Bani Oualid"], who="Omar")
    places = {p["place_id"]: p for p in event_store.user_places()}
    assert places["user:wadi-test"]["geometry"].equals(Point(14.1, 31.4))
    assert places["user:wadi-test"]["name_ar"] == "وادي التجربة"
    assert places["ly:bani-walid"]["aliases"] == ("بنى وليد", "Beni Ulid", "Bani Oualid")
    assert places["ly:bani-walid"]["geometry"] is None
    log = event_store.audit()
    assert list(log["field"]) == ["place", "aliases", "aliases"]
    assert json.loads(log.iloc[2]["old_value"]) == ["بنى وليد", "Beni Ulid"]
    with pytest.raises(InputError, match="already in the store"):
        event_store.save_place(new.id, new=new, who="Amal")
    with pytest.raises(InputError, match="nothing to save"):
        event_store.save_place("ly:bani-walid", aliases=[" "], who="Amal")


def test_a_re_extraction_keeps_the_events_an_analyst_touched(event_store, store_corpus):
    _fill(event_store, store_corpus)
    article, mentions, events = store_corpus[0]            # e1 (movement), e2 (base)
    event_store.edit_event("e1", {"review": "rejected"}, who="Amal")
    event_store.edit_event("e2", {"type": "presence"}, who="Amal")
    again = [dataclasses.replace(e, type="attack") for e in events]                # the machine's new word
    extra = dataclasses.replace(events[0], id="e9", type="attack", review="auto")
    written = event_store.replace_analysis(article.id, mentions[:1], [*again, extra])
    assert written == 1                                    # only the new event
    assert _one(event_store, "e1")["review"] == "rejected"
    assert _one(event_store, "e2")["type"] == "presence"
    assert _one(event_store, "e9")["type"] == "attack"
    assert len(event_store.mentions(article.id)) == 1
    # an untouched event is replaced by the machine's new reading
    a2, m2, e2 = store_corpus[1]
    event_store.replace_analysis(a2.id, m2, [dataclasses.replace(e2[0], type="attack")])
    assert set(event_store.read(article_ids=[a2.id])["id"]) == {"e3"}
    assert _one(event_store, "e3")["type"] == "attack"
    with pytest.raises(InputError, match="no article"):
        event_store.replace_analysis("0" * 64, [], [])


def test_re_ingesting_after_corrections_changes_none_of_them(event_store, store_corpus):
    _fill(event_store, store_corpus)
    event_store.edit_event("e1", {"review": "rejected"}, who="Amal")
    event_store.edit_event("e3", {"actors": ["القاعدة"]}, who="Amal")
    before = event_store.read(review=["auto", "confirmed", "rejected"], include_repeats=True)
    for article, mentions, events in store_corpus:
        assert not event_store.write_article(article, mentions, events)
    after = event_store.read(review=["auto", "confirmed", "rejected"], include_repeats=True)
    assert before.drop(columns="geometry").equals(after.drop(columns="geometry"))
    assert len(event_store.audit()) == 3   # e1 review; e3 actors, review: nothing new


def test_articles_by_id(event_store, store_corpus):
    _fill(event_store, store_corpus)
    wanted = store_corpus[1][0].id
    frame = event_store.articles(with_text=True, ids=[wanted])
    assert list(frame["id"]) == [wanted] and frame.iloc[0]["text"] == store_corpus[1][0].text
    assert event_store.articles(ids=[]).empty


def test_articles_are_deleted_with_their_events_and_mentions_and_audited(event_store, store_corpus):
    _fill(event_store, store_corpus)
    gone, kept = store_corpus[0][0], store_corpus[1][0]
    before = event_store.stats()
    assert event_store.delete_articles([gone.id, "no-such-id", gone.id], who="Amal", note="samples out") == 1
    after = event_store.stats()
    assert after.articles == before.articles - 1
    assert set(event_store.articles()["id"]) == {a.id for a, _, _ in store_corpus} - {gone.id}
    everything = event_store.read(review=["auto", "confirmed", "rejected"], include_repeats=True)
    assert gone.id not in set(everything["article_id"]) and kept.id in set(everything["article_id"])
    assert event_store.mentions(gone.id).empty and not event_store.has_article(gone.id)
    log = event_store.audit(target_id=gone.id)
    assert log[["who", "target", "field", "old_value", "note"]].values.tolist() == [
        ["Amal", "article", "deleted", gone.title, "samples out"]]
    assert event_store.delete_articles([gone.id], who="Amal") == 0
    with pytest.raises(InputError, match="name"):
        event_store.delete_articles([kept.id], who=" ")
    assert event_store.has_article(kept.id)
