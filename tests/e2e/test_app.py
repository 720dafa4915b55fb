"""The running app in headless chromium: map, filters, click-through, and no foreign requests."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from app_driver import (
    MAP_IFRAME,
    _click_a_point,
    _count,
    _drawn_ids,
    _map,
    _open,
    _settled,
    _wait_idle,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from geo.filters import near_place
from geo.places.gazetteer import load_gazetteer
from geo.store import open_store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
# The README shows this picture; scripts/refresh_screenshot.sh copies it to docs/ (tests never
# write tracked files).
SCREENSHOT = ARTIFACTS / "screenshot.png"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

pytestmark = pytest.mark.e2e

def _located(events) -> list[str]:
    """Ids of the events that have a geometry, i.e. belong on the map."""
    return list(events["id"][events.geometry.notna() & ~events.geometry.is_empty])


def _store(sample_store):
    return open_store(sample_store)


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _timed_load(page: Page, url: str) -> dict[str, float]:
    """Seconds from navigation to the count shown (script ran) and to the map painted."""
    start = time.perf_counter()
    page.goto(url)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(re.compile(r"^\d+$"))
    counted = time.perf_counter() - start
    _map(page)
    return {"count_shown_s": round(counted, 2), "map_painted_s": round(time.perf_counter() - start, 2)}


def test_map_shows_the_sample_events(page, app_url, sample_store):
    cold = _timed_load(page, app_url)
    events = _store(sample_store).read()
    assert _count(page) == len(events)
    assert _drawn_ids(page, count=len(_located(events))) == sorted(_located(events))
    expect(page.get_by_text(str(sample_store))).to_be_visible()
    warm = _timed_load(page, app_url)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    timings = {"events": len(events), "first_load": cold, "second_load": warm}
    (ARTIFACTS / "timings.json").write_text(json.dumps(timings, indent=1))
    print(f"time to first map paint: {timings}")


def test_date_filter_changes_the_count_and_the_features(page, app_url, sample_store):
    _open(page, app_url)
    _map(page)
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
    after_ids = _drawn_ids(page, count=len(_located(expected)))
    assert after_ids == sorted(_located(expected))
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
    # what meets the circle, less the regional claims (the «include regional claims» box is off)
    expected = near_place(_store(sample_store).read(near=(place.lat, place.lon, radius)), place, radius,
                          load_gazetteer())
    assert 0 < _count(page) == len(expected) < total
    assert _drawn_ids(page, count=len(_located(expected))) == sorted(_located(expected))


def _zoom_once(page: Page, frame, control: str, step: int) -> None:
    """Click a zoom control until the map has moved one level: Leaflet drops a zoom asked for
    while another animation (the first view's fit, an iframe resize) is still running."""
    for _ in range(4):
        zoom = _settled(frame).evaluate("() => window.map.getZoom()")
        page.frame_locator(MAP_IFRAME).first.locator(control).click()
        try:
            frame.wait_for_function("z => !window.map._animatingZoom && window.map.getZoom() === z",
                                    arg=zoom + step, timeout=5_000)
            return
        except PlaywrightError:
            continue
    raise AssertionError(f"{control} did not change the zoom")


def test_panning_and_zooming_do_not_rerun_the_script(page, app_url):
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(len(f or ""))))
    _open(page, app_url)
    frame = _settled(_map(page))
    before = len(sent)
    _zoom_once(page, frame, ".leaflet-control-zoom-in", +1)
    _zoom_once(page, frame, ".leaflet-control-zoom-out", -1)
    center = frame.evaluate("() => window.map.getCenter().lng")
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.move(box["x"] + 200, box["y"] + 120)
    page.mouse.down()
    page.mouse.move(box["x"] + 260, box["y"] + 140, steps=6)
    page.mouse.up()
    frame.wait_for_function("c => window.map.getCenter().lng !== c", arg=center)
    # Then a click on a feature, which must rerun: exactly one message to the server in all.
    _click_a_point(page)
    expect(page.locator(".st-key-rtl_event_quote")).to_be_visible()
    _wait_idle(page)
    assert len(sent) - before == 1


def test_link_reproduces_the_view(page, app_url, sample_store):
    _open(page, app_url + "/?type=movement&denied=0")
    expected = _store(sample_store).read(event_types=["movement"], include_denied=False)
    assert _count(page) == len(expected)
    assert _drawn_ids(page, count=len(_located(expected))) == sorted(_located(expected))


def test_clicking_a_feature_shows_its_source_and_quote(page, app_url, sample_store,
                                                       requests_log):
    _open(page, app_url)
    events = _store(sample_store).read().set_index("id")
    event_id = _click_a_point(page)
    box = page.locator(".st-key-rtl_event_quote")
    expect(box).to_be_visible()
    expect(page).to_have_url(re.compile(f"event={event_id}"))
    quote = events.loc[event_id, "quote"]
    expect(box).to_contain_text(quote[:25])
    assert box.evaluate("e => getComputedStyle(e).direction") == "rtl"
    source = events.loc[event_id, "speaker"] or events.loc[event_id, "publisher"]
    expect(page.locator(".st-key-rtl_event_source")).to_contain_text(source)
    _wait_idle(page)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert not _foreign(requests_log), _foreign(requests_log)


def _geojson_ids(path: Path) -> set[str]:
    return {f["properties"]["id"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]}


def _gpkg_ids(path: Path) -> set[str]:
    import geopandas as gpd
    return set(gpd.read_file(path)["id"])


def _loads_nothing_remote(page_html: str) -> bool:
    """No script, image or stylesheet from the network (links to the articles are fine)."""
    return not re.search(r"src=[\"']https?://|<link[^>]*href=[\"']https?://", page_html)


def _csv_rows(path: Path) -> int:
    import csv
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


@pytest.mark.parametrize("label, check", [
    ("GeoJSON", lambda path, ids: _geojson_ids(path) == ids),
    ("GeoPackage", lambda path, ids: _gpkg_ids(path) == ids),
    ("CSV", lambda path, ids: _csv_rows(path) == len(ids)),
    ("KML", lambda path, ids: path.read_text(encoding="utf-8").count("<Placemark") == len(ids)),
    ("Offline HTML", lambda path, ids: _loads_nothing_remote(path.read_text(encoding="utf-8"))),
    ("PNG snapshot", lambda path, ids: path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"),
], ids=["geojson", "gpkg", "csv", "kml", "html", "png"])
def test_downloads_hold_the_filtered_events(page, app_url, sample_store, tmp_path, label, check):
    _open(page, app_url + "/?type=attack")
    expected = _store(sample_store).read(event_types=["attack"])
    assert _count(page) == len(expected)
    if label == "PNG snapshot":   # drawn when asked (the shared renderer), then offered to save
        page.get_by_test_id("stButton").filter(has_text=label).get_by_role("button").click()
        label = "Save the PNG"
    button = page.get_by_test_id("stDownloadButton").filter(has_text=label).get_by_role("button")
    expect(button).to_be_enabled(timeout=90_000)
    with page.expect_download(timeout=90_000) as download:
        button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert check(saved, set(_located(expected)))


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
