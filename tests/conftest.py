"""Fixtures shared by every test folder. Each group is labelled with the module it serves."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest
from shapely.geometry import LineString, Point, Polygon

# --------------------------------------------------------------------------- the app (AppTest)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def app_on(monkeypatch):
    """A factory: ``script`` of the app as an AppTest on the store at ``path`` (``MARSAD_DB``), run
    from the repository as ``streamlit run`` runs it. An empty path gets the samples at first start."""
    from streamlit.testing.v1 import AppTest

    def make(path, script: str = "app.py", *, timeout: int = 180) -> AppTest:
        monkeypatch.setenv("MARSAD_DB", str(path))
        monkeypatch.chdir(ROOT)
        return AppTest.from_file(str(ROOT / script), default_timeout=timeout)
    return make


# --------------------------------------------------------------------------- geo.store
# A small corpus of three articles (events of every geometry kind, one without a
# geometry, one without a date, one denied), the store backends to run the
# contract tests against, and a throw-away GeoPackage.

_BANI_WALID = (31.7566, 13.9942)   # (lat, lon)
_SIRTE = (31.2089, 16.5887)
_SABHA = (27.0377, 14.4283)
_UBARI = (26.5903, 12.7751)
_KUFRA = (24.1997, 23.2905)


def _pt(lat_lon: tuple[float, float]) -> Point:
    from geo.models import to_point
    return to_point(*lat_lon)


def store_corpus_items():
    """(article, mentions, events) triples; a plain function so subprocess tests can build it too."""
    from geo.models import Article, Attribution, Event, Mention, Place, PlaceRole

    bani_walid = Place("ly:test-bani-walid", "بني وليد", "Bani Walid", "town", _pt(_BANI_WALID))
    sabha = Place("ly:test-sabha", "سبها", "Sabha", "city", _pt(_SABHA))
    ubari = Place("ly:test-ubari", "أوباري", "Ubari", "town", _pt(_UBARI))

    def article(n: int, outlet: str, published: dt.date) -> Article:
        text = f"نص تجريبي رقم {n} عن تحركات في الجنوب الليبي."
        return Article(id=f"{n:064x}", text=text, title=f"خبر {n}", outlet=outlet,
                       url=f"https://example.org/{n}", published=published,
                       ingested_at=dt.datetime(2024, 8, 1, 12, 0, n, tzinfo=dt.timezone.utc))

    def event(eid, art, type_, geometry, *, actors=(), date=None, date_precision="day",
              precision=1, speaker="", publisher="", cited_outlet="", denied=False,
              source_type="outlet"):
        return Event(
            id=eid, article_id=art.id, type=type_, geometry=geometry, geo_precision=precision,
            event_date=date, date_precision=date_precision,
            attribution=Attribution(speaker=speaker, source_type=source_type,
                                    cited_outlet=cited_outlet, publisher=publisher, url=art.url),
            quote=art.text[:10], quote_start=0, quote_end=10, actors=tuple(actors),
            places=(PlaceRole("location", "ly:test-bani-walid", "بني وليد", precision, 3, 11),),
            denied=denied, confidence=0.7)

    a1 = article(1, "الوسط", dt.date(2024, 3, 1))
    a2 = article(2, "ليبيا الأحرار", dt.date(2024, 5, 10))
    a3 = article(3, "الوسط", dt.date(2024, 7, 1))
    south_of_bani_walid = Polygon([(13.6, 31.2), (14.4, 31.2), (14.3, 31.6), (13.7, 31.6)])
    items = [
        (a1,
         [Mention(0, 4, "سبها", sabha, geometry=sabha.geometry, precision=1, confidence=0.9,
                  candidates=(sabha.id,)),
          Mention(10, 16, "أوباري", ubari, geometry=ubari.geometry, precision=1, confidence=0.8),
          Mention(20, 25, "مكانٌ", None)],
         [event("e1", a1, "movement", LineString([_pt(_SABHA), _pt(_UBARI)]), actors=["داعش"],
                date=dt.date(2024, 2, 28), speaker="متحدث عسكري", publisher="الوسط",
                source_type="unnamed official"),
          event("e2", a1, "base", _pt(_BANI_WALID), actors=["القاعدة"], date=dt.date(2024, 3, 1),
                publisher="الوسط")]),
        (a2,
         [Mention(5, 13, "بني وليد", bani_walid, qualifier="south_of", anchor=bani_walid,
                  geometry=south_of_bani_walid, precision=2, confidence=0.6)],
         [event("e3", a2, "presence", south_of_bani_walid, actors=["داعش", "القاعدة"],
                date=dt.date(2024, 5, 9), precision=2, speaker="مسؤول محلي",
                publisher="ليبيا الأحرار", cited_outlet="ديلي تلغراف", denied=True,
                source_type="named official"),
          event("e4", a2, "smuggling_route", LineString([_pt(_KUFRA), (24.0, 22.0)]),
                actors=["مهربون"], date=None, date_precision="reported", precision=3,
                publisher="ليبيا الأحرار")]),
        (a3, [],
         [event("e5", a3, "attack", _pt(_SIRTE), actors=["مهربون"], date=dt.date(2024, 6, 30),
                publisher="الوسط"),
          event("e6", a3, "other", None, date=dt.date(2024, 7, 1), precision=None)]),
    ]
    return items


@pytest.fixture
def store_corpus():
    """Three articles with their mentions and six events (see ``store_corpus_items``)."""
    return store_corpus_items()


def postgis_test_url() -> str | None:
    """The PostGIS server the contract tests may use, or None when none is configured."""
    url = os.environ.get("MARSAD_TEST_PG_URL")
    if url:
        return url
    if os.environ.get("PGHOST") and os.environ.get("PGDATABASE"):
        return "postgresql://"   # libpq fills in the rest from the PG* variables
    return None


@pytest.fixture
def gpkg_path(tmp_path):
    """The path of a GeoPackage that does not exist yet, in a temporary folder."""
    return tmp_path / "store" / "marsad.gpkg"


@pytest.fixture(params=["geopackage", "postgis"])
def event_store(request, tmp_path):
    """An empty store of each backend; PostGIS gets a schema of its own, dropped afterwards."""
    from geo.store import GeoPackageStore, PostGISStore

    if request.param == "geopackage":
        store = GeoPackageStore(tmp_path / "contract.gpkg")
        yield store
        store.close()
        return
    url = postgis_test_url()
    if url is None:
        pytest.skip("no PostGIS server configured (set MARSAD_TEST_PG_URL or PGHOST/PGDATABASE; "
                    "scripts/start_postgis.sh starts one)")
    schema = f"marsad_test_{uuid.uuid4().hex[:12]}"
    store = PostGISStore(url, schema=schema)
    yield store
    store.close()
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


# --------------------------------------------------------------------------- tests/golden
# `pytest --update-golden` rewrites tests/golden/cases/*.json with what the geoparser
# returns now (the note and text are kept); review the diff before committing it.
def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden case files from the current output")
