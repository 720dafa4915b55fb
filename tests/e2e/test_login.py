"""Login end to end: a real OIDC provider on 127.0.0.1, the app's st.login, chromium signing in.

The provider (the ``oidc-provider-mock`` package: authorization, token and userinfo endpoints,
signed ID tokens) runs in a thread of the test process on a free 127.0.0.1 port, so
``scripts/test.sh`` starts it by running pytest. The app reads a secrets.toml written here
(``--secrets.files``): the provider's metadata URL, a client, and the roles of four
addresses. A user signs in by typing their subject on the provider's form, as a person would.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from app_driver import MAP_IFRAME, _count, _map, _wait_idle

pytestmark = pytest.mark.e2e

USERS = {
    "viewer@example.org": ("Vera Viewer", "viewer"),
    "analyst@example.org": ("Anas Analyst", "analyst"),
    "admin@example.org": ("Amal Admin", "admin"),
}
STRANGER = "stranger@example.org"   # the provider signs them in; the app's roles do not list them
WAIT_MS = 30_000   # a busy machine can take a while to draw the whole sidebar after a sign-in


@pytest.fixture(scope="module")
def oidc_provider() -> str:
    """The provider's base URL; each user gets an e-mail address and a name as claims.

    scripts/test.sh starts the provider beside the PostGIS server and names it in
    MARSAD_TEST_OIDC_URL; a bare pytest run starts one of its own in a thread.
    """
    url = os.environ.get("MARSAD_TEST_OIDC_URL", "").rstrip("/")
    server = thread = None
    if not url:
        import oidc_provider_mock
        import werkzeug.serving

        server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="oidc-provider", daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.server_port}"
    try:
        for email, (name, _) in {**USERS, STRANGER: ("Sam Stranger", None)}.items():
            request = urllib.request.Request(
                f"{url}/users/{quote(email)}", method="PUT", headers={"Content-Type": "application/json"},
                data=json.dumps({"email": email, "name": name}).encode())
            with urllib.request.urlopen(request, timeout=10) as reply:
                assert reply.status == 204
        yield url
    finally:
        if server is not None:
            server.shutdown()
            thread.join(timeout=10)


@pytest.fixture(scope="module")
def login_app(serve, free_port, sample_store, oidc_provider, tmp_path_factory) -> tuple[str, Path]:
    """(URL, store path): the app with a login, on a copy of the sample store."""
    folder = tmp_path_factory.mktemp("e2e-login")
    store = folder / "login.gpkg"
    with sqlite3.connect(sample_store) as source, sqlite3.connect(store) as target:
        source.backup(target)
    port = free_port()
    roles = "\n".join(f'"{email}" = "{role}"' for email, (_, role) in USERS.items())
    secrets = folder / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-enough-length-0123"
client_id = "marsad-tests"
client_secret = "marsad-tests-secret"
server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"

[marsad.roles]
{roles}
""", encoding="utf-8")
    flags = {"server.port": str(port), "secrets.files": str(secrets)}
    for url in serve(store, folder / "streamlit.log", flags=flags):
        yield url, store


def _sign_in(page: Page, url: str, provider: str, email: str) -> None:
    """Open the app, press Sign in, type the subject on the provider's form, come back."""
    page.goto(url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/**")
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=WAIT_MS)
    _wait_idle(page)


def _nav_links(page: Page) -> list[str]:
    """The sidebar's page links by title (each link's text is its icon's name, then the title)."""
    return [t.strip().splitlines()[-1].strip() for t in page.get_by_test_id("stSidebarNavLink").all_inner_texts()]


def _assert_no_data(page: Page) -> None:
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.locator(MAP_IFRAME)).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(0)
    assert "Store:" not in page.locator("body").inner_text()


@pytest.mark.parametrize("path", ["", "/events", "/review", "/map?event=anything"])
def test_signed_out_users_see_a_sign_in_button_and_no_data(login_app, page, path):
    url, _ = login_app
    page.goto(url + path)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=WAIT_MS)
    _wait_idle(page)
    _assert_no_data(page)
    assert not any(link in {"Map", "Events", "Review"} for link in _nav_links(page))


def test_an_address_not_on_the_list_is_refused(login_app, oidc_provider, page):
    url, _ = login_app
    _sign_in(page, url, oidc_provider, STRANGER)
    expect(page.get_by_text(f"{STRANGER} may not use this server")).to_be_visible(timeout=WAIT_MS)
    _assert_no_data(page)


def test_a_viewer_sees_the_events_but_cannot_review(login_app, oidc_provider, page):
    url, _ = login_app
    _sign_in(page, url, oidc_provider, "viewer@example.org")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Signed in as viewer@example.org · viewer")).to_be_visible(timeout=WAIT_MS)
    assert _count(page) > 0
    _map(page)
    links = _nav_links(page)
    assert {"Map", "Events", "Sources", "Report"} <= set(links)
    assert not {"Review", "Add reports", "Gazetteer"} & set(links), links
    assert "Store:" not in sidebar.inner_text()
    # A link straight to the review page does not open it either.
    page.goto(f"{url}/review")
    _wait_idle(page)
    expect(page.get_by_role("button", name="Reject")).to_have_count(0)
    expect(page.get_by_role("heading", name="Review")).to_have_count(0)


def test_an_admin_gets_the_gazetteer_and_the_stores_path(login_app, oidc_provider, page):
    url, store = login_app
    _sign_in(page, url, oidc_provider, "admin@example.org")
    # the sidebar's links are drawn after sign-in returns: wait for them before reading them
    expect(page.get_by_test_id("stSidebarNavLink").filter(has_text="Gazetteer")).to_be_visible(timeout=WAIT_MS)
    assert {"Review", "Add reports", "Gazetteer"} <= set(_nav_links(page))
    expect(page.get_by_test_id("stSidebar").get_by_text(f"Store: {store}")).to_be_visible(timeout=WAIT_MS)


def test_an_analysts_review_carries_their_identity_into_the_audit_log(login_app, oidc_provider, page):
    from geo.store import open_store

    url, path = login_app
    store = open_store(path)
    try:
        event_id = str(store.read()["id"].iloc[0])
        assert store.audit(target_id=event_id).empty
        _sign_in(page, url, oidc_provider, "analyst@example.org")
        links = _nav_links(page)
        assert "Review" in links and "Gazetteer" not in links
        assert page.get_by_label("Your name (for the audit log)").count() == 0
        page.goto(f"{url}/review?event={event_id}")
        _wait_idle(page)
        page.get_by_label("Note for a confirm or reject").fill("not this town")
        page.get_by_role("button", name="Reject").click()
        expect(page.get_by_text("Saved: review")).to_be_visible(timeout=WAIT_MS)
        log = store.audit(target_id=event_id)
        assert list(log["who"]) == ["analyst@example.org"]
        assert list(log["new_value"]) == ["rejected"] and list(log["note"]) == ["not this town"]
    finally:
        store.close()
