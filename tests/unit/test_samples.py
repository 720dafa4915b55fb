"""The sample reports go only where asked, and leave in one action."""

from pathlib import Path

from geo.analyst import remove_samples, sample_ids
from geo.ingest import ingest_paths, make_article
from geo.store import GeoPackageStore

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"


def test_samples_are_known_by_id_and_removed_in_one_action_leaving_the_rest(tmp_path):
    ids = sample_ids(SAMPLES)
    assert len(ids) == len(list(SAMPLES.glob("*.json"))) == len(set(ids))
    own = tmp_path / "own.txt"
    own.write_text("قال مصدر محلي إن دورية شوهدت قرب غدامس مساء أمس.", encoding="utf-8")
    with GeoPackageStore(tmp_path / "s.gpkg") as store:
        ingest_paths([SAMPLES, own], store=store, progress=False)
        assert set(ids) < set(store.articles()["id"])
        assert remove_samples(store, SAMPLES, who="Amal") == len(ids)
        assert list(store.articles()["id"]) == [make_article(own.read_text(encoding="utf-8")).id]
        assert remove_samples(store, SAMPLES, who="Amal") == 0


def test_samples_go_only_into_a_store_this_start_created(tmp_path, monkeypatch):
    import ui

    monkeypatch.setattr(ui, "_NEW_STORES", set())
    existing = tmp_path / "team.gpkg"
    GeoPackageStore(existing).close()
    fresh = tmp_path / "new.gpkg"
    ui.open_event_store.clear()
    ui.open_event_store(str(existing))
    ui.open_event_store(str(fresh))
    assert not ui.samples_wanted(str(existing), environ={})
    assert ui.samples_wanted(str(fresh), environ={})
    assert ui.samples_wanted(str(existing), environ={"MARSAD_SAMPLES": "1"})
    assert not ui.samples_wanted("postgresql://team@db/marsad", environ={})


def test_the_app_adds_no_samples_to_an_existing_store_without_events(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "real.gpkg"
    article = make_article("نص تقرير حقيقي بلا أحداث بعد.")
    with GeoPackageStore(db) as store:
        assert store.write_article(article, [], [])
    monkeypatch.setenv("MARSAD_DB", str(db))
    monkeypatch.delenv("MARSAD_SAMPLES", raising=False)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    with GeoPackageStore(db) as store:
        assert list(store.articles()["id"]) == [article.id]


def test_the_add_page_removes_the_samples_in_one_click(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "with-samples.gpkg"
    with GeoPackageStore(db) as store:
        ingest_paths([SAMPLES], store=store, progress=False)
    monkeypatch.setenv("MARSAD_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "add.py"), default_timeout=120)
    at.session_state["analyst"] = "Amal"
    at.run()
    n = len(sample_ids(SAMPLES))
    at.button(key="samples_remove").click().run()
    assert not at.exception, at.exception
    assert f"Removed {n} sample reports." in [s.value for s in at.success]
    with GeoPackageStore(db) as store:
        assert store.stats().articles == 0
        assert len(store.audit()) == n
