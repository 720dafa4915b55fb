"""The analyst's loop outside the store: pasted reports, places added, reports read again."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from shapely.geometry import Point

from geo import analyst as ingest
from geo.errors import InputError
from geo.models import Place
from geo.store import GeoPackageStore

# Our own sentences; «الرمال البيضاء» is a village no gazetteer holds.
REPORT = ("أفادت مصادر محلية بأن عناصر من تنظيم داعش تمركزت في الرمال البيضاء جنوب سبها. "
          "وقال مسؤول أمني إن رتلا من المسلحين تحرك من سبها نحو أوباري يوم الأحد.")


@pytest.fixture
def store(tmp_path):
    with GeoPackageStore(tmp_path / "loop.gpkg") as s:
        yield s


def _surfaces(store, article_id):
    return set(store.mentions(article_id)["surface"])


def test_a_pasted_report_is_stored_once_with_its_events(store):
    article, new, events = ingest.add_text(store, REPORT, outlet="موقع تجريبي",
                                           published=dt.date(2025, 3, 2))
    assert new and events > 0
    assert len(store.read(article_ids=[article.id])) == events
    assert store.articles().iloc[0]["outlet"] == "موقع تجريبي"
    again, new_again, events_again = ingest.add_text(store, REPORT)
    assert again.id == article.id and not new_again and events_again == 0
    with pytest.raises(InputError):
        ingest.add_text(store, "   ")


def test_a_place_added_is_found_when_the_reports_naming_it_are_read_again(store):
    article, _, _ = ingest.add_text(store, REPORT, published=dt.date(2025, 3, 2))
    assert "الرمال البيضاء" not in _surfaces(store, article.id)
    first = store.read(article_ids=[article.id]).set_index("type")
    rejected = first.loc["movement", "id"]
    store.edit_event(rejected, {"review": "rejected"}, who="Amal")

    village = Place("user:white-sands", "الرمال البيضاء", "White Sands (test)", "village",
                    Point(14.35, 26.7), country="LY")
    store.save_place(village.id, new=village, who="Amal")
    assert ingest.articles_naming(store, ["الرمال البيضاء"]) == [article.id]
    assert ingest.articles_naming(store, ["مكان لا يذكر"]) == []

    ingest.reread(store, [article.id])
    assert "الرمال البيضاء" in _surfaces(store, article.id)
    events = store.read(article_ids=[article.id], review=["auto", "confirmed", "rejected"])
    assert any("user:white-sands" in places for places in events["places"])
    assert events.set_index("id").loc[rejected, "review"] == "rejected"   # the analyst's word kept


def test_an_alias_added_to_a_shipped_place_is_used_at_the_next_ingest(store):
    from geo.places.gazetteer import load_gazetteer

    base = load_gazetteer()
    sabha = base.search("سبها")[0]
    store.save_place(sabha.id, aliases=["سبهاوة الكبرى"], who="Omar")
    gazetteer = ingest.store_gazetteer(store, base)
    assert "سبهاوة الكبرى" in gazetteer.get(sabha.id).aliases
    assert ingest.store_gazetteer(store, base) is gazetteer          # built once for these additions
    assert "سبهاوة الكبرى" not in base.get(sabha.id).aliases          # the shipped file untouched
    article, _, _ = ingest.add_text(store, "تحركت دورية عسكرية إلى سبهاوة الكبرى صباح الاثنين.")
    found = store.mentions(article.id)
    assert sabha.id in set(found["place_id"])


def test_re_ingesting_the_same_files_after_corrections_changes_none_of_them(store, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "b.json").write_text(json.dumps({"text": "هاجم مسلحون دورية قرب مرزق فجر الأحد.",
                                               "outlet": "موقع تجريبي"}, ensure_ascii=False), encoding="utf-8")
    from geo.ingest import ingest_paths
    first = ingest_paths([folder], store=store, progress=False)
    assert first.articles_new == 2
    events = store.read()
    store.edit_event(events.iloc[0]["id"], {"review": "rejected"}, who="Amal")
    store.edit_event(events.iloc[1]["id"], {"type": "presence", "actors": ["ISIS"]}, who="Amal", note="x")
    everything = ["auto", "confirmed", "rejected"]
    before = store.read(review=everything, include_repeats=True)
    again = ingest_paths([folder], store=store, progress=False)
    assert (again.articles_new, again.articles_existing) == (0, 2)
    after = store.read(review=everything, include_repeats=True)
    assert before.drop(columns="geometry").equals(after.drop(columns="geometry"))
    assert len(store.audit()) == 4
