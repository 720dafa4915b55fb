"""AppTest smoke tests: every page runs on the sample store, filters live in the URL."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["pages/map.py", "pages/events.py", "pages/sources.py", "pages/report.py", "pages/review.py",
         "pages/add.py", "pages/gazetteer.py"]
PAGE_IDS = [Path(p).stem for p in PAGES]
TIMEOUT = 180


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """An empty store path: the app's first start ingests data/samples into it."""
    return tmp_path_factory.mktemp("smoke") / "marsad.gpkg"


@pytest.fixture()
def app(sample_db, app_on):
    return app_on(sample_db, timeout=TIMEOUT)


def _param(at: AppTest, key: str) -> list[str]:
    value = at.query_params[key]
    return value if isinstance(value, list) else [value]


def _count(at: AppTest) -> int:
    return int(at.sidebar.metric[0].value)


def test_first_start_fills_the_store_and_shows_its_path(app, sample_db):
    app.run()
    assert not app.exception
    assert _count(app) > 0
    assert any(str(sample_db) in c.value for c in app.sidebar.caption)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_page_runs_in_the_app(app, page):
    app.run()
    app.switch_page(page).run()
    assert not app.exception, app.exception


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_page_runs_on_its_own(sample_db, app_on, page):
    at = app_on(sample_db, page, timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert _count(at) > 0


def test_url_query_sets_the_filters(app):
    app.run()
    total = _count(app)
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    fresh.query_params["type"] = ["base"]
    fresh.query_params["denied"] = "0"
    fresh.run()
    assert fresh.sidebar.multiselect(key="_w_f_types").value == ["base"]
    assert fresh.sidebar.toggle(key="_w_f_denied").value is False
    assert _count(fresh) < total


def test_widgets_write_the_url(app):
    app.run()
    app.sidebar.multiselect(key="_w_f_types").set_value(["movement", "base"]).run()
    app.sidebar.toggle(key="_w_f_denied").set_value(False).run()
    assert _param(app, "type") == ["movement", "base"]
    assert _param(app, "denied") == ["0"]


def test_place_search_in_arabic_filters_by_radius(app):
    app.run()
    total = _count(app)
    app.sidebar.text_input(key="_w_f_place_query").input("بني وليد").run()
    assert not app.exception
    assert app.sidebar.selectbox(key="_w_f_place").value is not None
    assert _param(app, "place") == [app.sidebar.selectbox(key="_w_f_place").value]
    assert _param(app, "r") == ["50"]
    assert 0 < _count(app) < total


def test_event_in_url_shows_its_quote(app, sample_db):
    from geo.store import open_store

    app.run()
    event = open_store(sample_db).read().iloc[0]
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    fresh.query_params["event"] = event["id"]
    fresh.run()
    fresh.switch_page("pages/events.py").run()
    shown = " ".join(m.value for m in fresh.markdown).replace("\\", "")
    assert event["quote"][:30] in shown
    assert _param(fresh, "event") == [event["id"]]


def test_unknown_event_in_url_is_dropped(app):
    app.query_params["event"] = "no-such-event"
    app.run()
    assert not app.exception
    assert "event" not in app.query_params


@pytest.mark.parametrize("path, shown", [
    ("var/marsad.gpkg", "var/marsad.gpkg"),
    ("postgresql://analyst:s3cret@127.0.0.1:5432/marsad",
     "postgresql://analyst:***@127.0.0.1:5432/marsad"),
    ("postgresql://analyst@db/marsad", "postgresql://analyst@db/marsad"),
], ids=["file", "url-with-password", "url-without-password"])
def test_sidebar_never_shows_a_password(path, shown):
    import ui
    assert ui.shown_store(path) == shown
