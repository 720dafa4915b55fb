"""Honest filters in the running app: the place box follows what is typed, a bad link says so.

Written against the defects an analyst met: a new place typed in the box kept the old one, and
a link with an unknown place, a reversed or future date range or an out-of-range radius either
raised a traceback on the page or silently showed everything.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from app_driver import _count, _drawn_ids, _wait_idle
from playwright.sync_api import Page, expect

from geo.places.gazetteer import load_gazetteer

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _place_box(page: Page):
    return page.get_by_label("Place (Arabic or Latin)")


def test_a_new_place_typed_replaces_the_old_one(page, app_url):
    gz = load_gazetteer()
    bani_walid, sabha = gz.search("بني وليد")[0], gz.search("سبها")[0]
    page.goto(f"{app_url}/?place={bani_walid.id}&r=50")
    _wait_idle(page)
    at_bani_walid = _count(page)
    box = _place_box(page)
    box.fill("سبها")
    box.press("Enter")
    _wait_idle(page)
    expect(page).to_have_url(re.compile(f"place={re.escape(quote(sabha.id))}(&|$)"))
    assert _query(page)["place"] == [sabha.id]
    at_sabha = _count(page)
    assert at_sabha != at_bani_walid
    assert len(_drawn_ids(page, at_sabha)) == at_sabha    # the count is what the map draws


def test_the_count_is_what_the_map_draws(page, app_url):
    page.goto(app_url)
    _wait_idle(page)
    count = _count(page)
    assert len(_drawn_ids(page, count)) == count


def test_a_place_nothing_matches_says_so(page, app_url):
    page.goto(app_url)
    _wait_idle(page)
    box = _place_box(page)
    box.fill("مدينة لا يعرفها أحد")
    box.press("Enter")
    _wait_idle(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("No place matches")).to_be_visible()
    assert "place" not in _query(page)


@pytest.mark.parametrize(("query", "message"), [
    ("place=gn%3A0000000", "is not in the gazetteer"),
    ("from=2025-03-01&to=2020-01-01", "dates were reversed"),
    ("from=2099-01-01", "after the last event"),
    ("r=900&place=gn%3A2210554", "The radius in the link"),
    ("r=abc", "The radius in the link"),
    ("from=yesterday", "not a date"),
], ids=["unknown-place", "reversed-dates", "future-date", "radius-too-large", "radius-not-a-number",
        "date-not-a-date"])
def test_a_bad_link_gives_a_message_not_a_traceback(page, app_url, query, message):
    page.goto(f"{app_url}/?{query}")
    _wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text(message, exact=False).first).to_be_visible()
    assert _count(page) >= 0


def test_a_radius_leaves_regional_claims_out_unless_asked(page, app_url, sample_store):
    from geo.store import open_store

    bani_walid = load_gazetteer().search("بني وليد")[0]
    store = open_store(sample_store)
    meets = store.read(near=(bani_walid.lat, bani_walid.lon, 50))
    store.close()
    regional = set(meets.loc[meets["geo_precision"] == 3, "id"])
    assert regional, "the samples name no region around Bani Walid"
    page.goto(f"{app_url}/?place={bani_walid.id}&r=50")
    _wait_idle(page)
    narrow = _count(page)
    drawn = set(_drawn_ids(page, narrow))
    assert not drawn & regional and narrow < len(meets)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "filtered.png"))     # the README's filtered view
    page.get_by_text("Include regional claims").click()
    _wait_idle(page)
    expect(page).to_have_url(re.compile("regional=1"))
    wide = _count(page)
    assert wide > narrow and regional <= set(_drawn_ids(page, wide))


def test_a_text_search_finds_events_by_their_words_whatever_the_spelling(page, app_url, sample_store):
    from geo.filters import normalized_texts
    from geo.store import open_store
    from geo.text.normalize import normalize

    page.goto(app_url)
    _wait_idle(page)
    total = _count(page)
    box = page.get_by_role("textbox", name="Search the text")
    box.fill("بنى وليد")            # the text says «بني وليد»
    box.press("Enter")
    _wait_idle(page)
    expect(page).to_have_url(re.compile("q="))
    found = _count(page)
    assert 0 < found < total
    store = open_store(sample_store)
    events = store.read().set_index("id")
    texts = normalized_texts(store.articles(with_text=True))
    store.close()
    for event_id in _drawn_ids(page, found):
        row = events.loc[event_id]
        assert "بني وليد" in normalize(row["quote"]) + texts[row["article_id"]]
