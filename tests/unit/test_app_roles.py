"""The app with a login configured (AppTest seeds the signed-in user): what each role gets.

The browser tests (tests/e2e/test_login.py) sign in through a real OIDC provider; these run
the same app code with ``st.user`` seeded, so every role is covered quickly.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180
AUTH = {"redirect_uri": "http://127.0.0.1:9/oauth2callback", "cookie_secret": "c" * 32,
        "client_id": "marsad", "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
ROLES = {"viewer@example.org": "viewer", "analyst@example.org": "analyst", "admin@example.org": "admin"}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """An empty store path: the app's first start ingests data/samples into it."""
    return tmp_path_factory.mktemp("roles") / "marsad.gpkg"


def _app(store_path, monkeypatch, email: str | None, *, script: str = "app.py", login: bool = True,
         event: str | None = None) -> AppTest:
    monkeypatch.setenv("MARSAD_DB", str(store_path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT)
    if login:
        at.secrets["auth"] = AUTH
        at.secrets["marsad"] = {"roles": ROLES}
        at.user = {"is_logged_in": True, "email": email, "name": "A. Tester"} if email else {"is_logged_in": False}
    if event:
        at.query_params["event"] = event
    return at.run()


def _pages(at: AppTest) -> set[str]:
    """The pages the run registered in st.navigation (file names)."""
    pages = set()
    for name in ("map", "events", "sources", "report", "review", "add", "gazetteer"):
        try:
            at.switch_page(f"pages/{name}.py")
        except ValueError:
            continue
        pages.add(name)
    return pages


def _shows_data(at: AppTest) -> bool:
    """Any count, table, map (st_folium), chart or store path."""
    return bool(len(at.metric) or len(at.dataframe) or at.get("component_instance") or
                at.get("vega_lite_chart") or any("Store:" in c.value for c in at.sidebar.caption))


def test_signed_out_sees_a_sign_in_button_and_no_data(store_path, monkeypatch):
    at = _app(store_path, monkeypatch, None)
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not _shows_data(at)
    assert not at.sidebar.text_input   # no filters, no name box


def test_a_page_run_on_its_own_shows_a_signed_out_user_nothing(store_path, monkeypatch):
    at = _app(store_path, monkeypatch, None, script="pages/events.py")
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not _shows_data(at)


def test_an_unlisted_address_is_refused(store_path, monkeypatch):
    at = _app(store_path, monkeypatch, "stranger@example.org")
    assert not at.exception
    assert "stranger@example\\.org may not use this server" in at.warning[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert not _shows_data(at)


def test_a_misspelt_role_refuses_everyone_without_an_error_on_screen(store_path, monkeypatch):
    monkeypatch.setenv("MARSAD_DB", str(store_path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.secrets["marsad"] = {"roles": {"admin@example.org": "superuser"}}
    at.user = {"is_logged_in": True, "email": "admin@example.org"}
    at.run()
    assert not at.exception
    assert "may not use this server" in at.warning[0].value
    assert not _shows_data(at)


@pytest.mark.parametrize(("email", "pages"), [
    ("viewer@example.org", {"map", "events", "sources", "report"}),
    ("analyst@example.org", {"map", "events", "sources", "report", "review", "add"}),
    ("admin@example.org", {"map", "events", "sources", "report", "review", "add", "gazetteer"}),
])
def test_each_role_gets_its_pages(store_path, monkeypatch, email, pages):
    at = _app(store_path, monkeypatch, email)
    assert not at.exception
    assert int(at.sidebar.metric[0].value) > 0 and _shows_data(at)
    role = ROLES[email]
    assert any(c.value == f"Signed in as {email.replace('.', chr(92) + '.')} · {role}" for c in at.sidebar.caption)
    assert _pages(at) == pages


@pytest.mark.parametrize(("email", "page"), [
    ("viewer@example.org", "review"), ("viewer@example.org", "add"), ("analyst@example.org", "gazetteer")])
def test_a_page_run_on_its_own_refuses_a_role_that_may_not_use_it(store_path, monkeypatch, email, page):
    at = _app(store_path, monkeypatch, email, script=f"pages/{page}.py")
    assert not at.exception
    assert [e.value for e in at.error] == [f"Your role ({ROLES[email]}) may not use this page."]
    assert not at.main.button and not at.main.text_area


@pytest.mark.parametrize(("email", "shown"), [
    ("viewer@example.org", False), ("analyst@example.org", False), ("admin@example.org", True)])
def test_only_an_admin_sees_where_the_store_is(store_path, monkeypatch, email, shown):
    at = _app(store_path, monkeypatch, email)
    assert any(str(store_path) in c.value for c in at.sidebar.caption) is shown


def test_an_analysts_review_is_logged_under_their_address(store_path, monkeypatch):
    from geo.store import open_store

    _app(store_path, monkeypatch, "viewer@example.org")   # the first start fills the store
    store = open_store(store_path)
    event_id = store.read()["id"].iloc[0]
    at = _app(store_path, monkeypatch, "analyst@example.org", event=event_id)
    at.switch_page("pages/review.py").run()
    assert not at.exception
    assert not [t for t in at.sidebar.text_input if t.label.startswith("Your name")]
    at.button(key="review_reject").click().run()
    assert not at.exception
    log = store.audit(target_id=event_id)
    assert list(log["who"]) == ["analyst@example.org"]
    assert list(log["new_value"]) == ["rejected"]
    store.close()


def test_without_a_login_the_app_is_as_before(store_path, monkeypatch):
    at = _app(store_path, monkeypatch, None, login=False)
    assert not at.exception
    assert at.sidebar.text_input(key="_w_analyst").label == "Your name (for the audit log)"
    assert not [b for b in at.button if b.label in ("Sign in", "Sign out")]
    assert any(str(store_path) in c.value for c in at.sidebar.caption)
    assert _pages(at) == {"map", "events", "sources", "report", "review", "add", "gazetteer"}
