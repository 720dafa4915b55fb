"""The running app in headless chromium: map, filters, click-through, and no foreign requests."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Frame, Page, expect

from geo.gazetteer import load_gazetteer
from geo.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "screenshot.png"
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

pytestmark = pytest.mark.e2e

# The ids of the event features Leaflet has drawn (set by geo.maps on each feature).
JS_EVENT_IDS = """() => {
  const ids = new Set();
  window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.id && !l.options.__selection) ids.add(String(p.id));
  });
  return [...ids].sort();
}"""


def _count(page: Page) -> int:
    metric = page.get_by_test_id("stMetricValue").first
    expect(metric).to_have_text(re.compile(r"^\d+$"))
    return int(metric.inner_text())


def _wait_idle(page: Page) -> None:
    """Wait until streamlit has finished the rerun (its status widget disappears)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def _map(page: Page) -> Frame:
    """The st_folium iframe once Leaflet has drawn at least one interactive feature."""
    page.locator(MAP_IFRAME).first.wait_for(state="visible")
    frame = page.frame_locator(MAP_IFRAME).first
    expect(frame.locator(".leaflet-interactive").first).to_be_attached(timeout=30_000)
    return page.locator(MAP_IFRAME).first.element_handle().content_frame()


def _drawn_ids(page: Page) -> list[str]:
    return _map(page).evaluate(JS_EVENT_IDS)


def _open(page: Page, url: str) -> None:
    page.goto(url)
    _wait_idle(page)


def _store(sample_store):
    return open_store(sample_store)


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_map_shows_the_sample_events(page, app_url, sample_store):
    start = time.perf_counter()
    page.goto(app_url)
    frame = _map(page)
    first_paint = time.perf_counter() - start
    events = _store(sample_store).read()
    assert _count(page) == len(events)
    ids = frame.evaluate(JS_EVENT_IDS)
    assert set(ids) == set(events["id"][events.geometry.notna()])
    expect(page.get_by_text(str(sample_store))).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "timings.json").write_text(json.dumps({"first_map_paint_s": round(first_paint, 2)}))
    print(f"time to first map paint: {first_paint:.2f} s")


def test_date_filter_changes_the_count_and_the_features(page, app_url, sample_store):
    _open(page, app_url)
    before_count, before_ids = _count(page), _drawn_ids(page)
    # Move the slider's start thumb to the end: only the last day remains.
    thumb = page.get_by_test_id("stSlider").filter(has_text="Dates").get_by_role("slider").first
    thumb.focus()
    thumb.press("End")
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(str(before_count))
    _wait_idle(page)
    since = _query(page)["from"][0]
    expected = _store(sample_store).read(since=since)
    assert _count(page) == len(expected) < before_count
    after_ids = _drawn_ids(page)
    assert set(after_ids) == set(expected["id"][expected.geometry.notna()])
    assert set(after_ids) < set(before_ids)


def test_place_filter_keeps_only_events_near_the_place(page, app_url, sample_store):
    _open(page, app_url)
    total = _count(page)
    box = page.get_by_test_id("stTextInput").filter(has_text="Place").locator("input")
    box.fill("بني وليد")
    box.press("Enter")
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(str(total))
    _wait_idle(page)
    query = _query(page)
    place = load_gazetteer().get(query["place"][0])
    assert place is not None and "Bani Walid" in place.name_en
    radius = float(query["r"][0])
    expected = _store(sample_store).read(near=(place.lat, place.lon, radius))
    assert 0 < _count(page) == len(expected) < total
    assert set(_drawn_ids(page)) == set(expected["id"])


def test_panning_and_zooming_do_not_rerun_the_script(page, app_url):
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(len(f or ""))))
    _open(page, app_url)
    frame = _map(page)
    before = len(sent)
    zoom = frame.evaluate("() => window.map.getZoom()")
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.move(box["x"] + 300, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 480, box["y"] + 360, steps=8)
    page.mouse.up()
    page.frame_locator(MAP_IFRAME).first.locator(".leaflet-control-zoom-in").click()
    frame.wait_for_function("z => window.map.getZoom() > z", arg=zoom)
    # Then a click on a feature, which must rerun: exactly one message to the server in all.
    page.frame_locator(MAP_IFRAME).first.locator("path.leaflet-interactive").first.click()
    expect(page.locator(".st-key-rtl_event_quote")).to_be_visible()
    _wait_idle(page)
    assert len(sent) - before == 1


def test_link_reproduces_the_view(page, app_url, sample_store):
    _open(page, app_url + "/?type=movement&denied=0")
    expected = _store(sample_store).read(event_types=["movement"], include_denied=False)
    assert _count(page) == len(expected)
    assert set(_drawn_ids(page)) == set(expected["id"][expected.geometry.notna()])


def test_clicking_a_feature_shows_its_source_and_quote(page, app_url, sample_store,
                                                       requests_log):
    _open(page, app_url)
    frame = _map(page)
    events = _store(sample_store).read().set_index("id")
    # Click the first point feature Leaflet drew (a circle marker's path).
    target = frame.locator("path.leaflet-interactive").first
    target.click()
    box = page.locator(".st-key-rtl_event_quote")
    expect(box).to_be_visible()
    event_id = _query(page)["event"][0]
    quote = events.loc[event_id, "quote"]
    expect(box).to_contain_text(quote[:25])
    assert box.evaluate("e => getComputedStyle(e).direction") == "rtl"
    source = events.loc[event_id, "speaker"] or events.loc[event_id, "publisher"]
    expect(page.locator(".st-key-rtl_event_source")).to_contain_text(source)
    _wait_idle(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert not _foreign(requests_log), _foreign(requests_log)


def test_no_request_leaves_the_machine(page, app_url, requests_log):
    _open(page, app_url)
    _map(page)
    for name in ("Events", "Sources", "Map"):
        page.get_by_role("link", name=name).click()
        _wait_idle(page)
    _map(page)
    assert len(requests_log) > 20
    assert not _foreign(requests_log), _foreign(requests_log)


def _foreign(urls: list[str]) -> set[str]:
    """Hosts other than the app's own (data: and blob: URLs are local)."""
    out = set()
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("data", "blob") and parts.hostname not in LOCAL_HOSTS:
            out.add(f"{parts.scheme}://{parts.hostname}")
    return out
