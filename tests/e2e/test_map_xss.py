"""A malicious report shown on the map runs no script: page load, every popup, real clicks.

The map is the self-contained HTML (geo.maps.offline.standalone_html) opened from a
file in Debian's headless chromium; each payload sets ``window.__pwned`` or opens
a dialog if it ever runs. Every text column of the event frame carries every
payload, and the popup the browser builds must read exactly like the one
geo.maps.style.event_popup_html renders in Python.
"""

from __future__ import annotations

import json
import re

import pytest
from shapely.geometry import LineString, Point, Polygon

from geo.maps.build import build_event_map
from geo.maps.offline import standalone_html
from geo.maps.style import popup_text
from geo.models import Attribution, Event, PlaceRole
from geo.store.frames import EVENT_COLUMNS, events_to_frame

pytestmark = pytest.mark.e2e

PAYLOADS = [
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "<svg onload=alert('svg')>",
    "`${window.__pwned='template'}`",
    "'};window.__pwned='quote';//",
    "\\u003cimg src=x onerror=alert(1)\\u003e",
    "{{ 7*7 }}",
    "\u202e\u2066تقرير\u2069",
]
TEXT_COLUMNS = ("speaker", "speaker_role", "source_type", "cited_outlet", "publisher", "url",
                "note", "date_precision")


def malicious_events():
    """One event per payload and geometry kind; the payload is in every text field."""
    events = []
    for n, bad in enumerate(PAYLOADS):
        quote = f"اشتباكات قرب سبها {bad} وأوباري"
        start = 50
        sabha, ubari = start + quote.index("سبها"), start + quote.index("أوباري")
        lon, lat = 11.0 + n * 1.2, 28.0
        geometry = [Point(lon, lat), LineString([(lon, lat - 2), (lon + 0.6, lat - 3)]),
                    Polygon([(lon, lat + 2), (lon + 0.8, lat + 2), (lon + 0.4, lat + 2.8)])][n % 3]
        events.append(Event(
            id=f"bad{n}", article_id="a" * 64,
            type=["attack", "movement", "presence"][n % 3], geometry=geometry, geo_precision=2,
            event_date=None, date_precision="reported",
            attribution=Attribution(speaker=bad, speaker_role=bad, source_type="anonymous",
                                    cited_outlet=bad, publisher=bad, url=bad),
            quote=quote, quote_start=start, quote_end=start + len(quote), actors=(bad, "جماعة"),
            places=(PlaceRole("origin", "ly:sabha", f"سبها {bad}", 1, sabha, sabha + 4),
                    PlaceRole("destination", "ly:ubari", bad, 2, ubari, ubari + 6)),
            note=bad))
    frame = events_to_frame(events)
    for column in TEXT_COLUMNS:
        frame[column] = [PAYLOADS[(i + 1) % len(PAYLOADS)] for i in range(len(frame))]
    assert set(TEXT_COLUMNS) <= set(EVENT_COLUMNS)
    return frame


@pytest.fixture()
def loaded(page, requests_log, tmp_path):
    """The malicious map loaded and drawn; yields (page, frame, dialogs, requests)."""
    frame = malicious_events()
    path = tmp_path / "malicious.html"
    path.write_text(standalone_html(build_event_map(frame)), encoding="utf-8")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("window.marsadDrawn !== undefined")
    assert errors == []
    yield page, frame, dialogs, requests_log


def _pwned(page) -> object:
    return page.evaluate("window.__pwned")


def _click_point(page, lat: float, lon: float) -> None:
    """A real mouse click where (lat, lon) is drawn."""
    x, y = page.evaluate("""([lat, lon]) => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        const p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", [lat, lon])
    page.mouse.click(x, y)


def test_loading_runs_no_script_and_stays_offline(loaded):
    page, _, dialogs, requests = loaded
    assert _pwned(page) is None
    assert dialogs == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert page.locator(".leaflet-popup-content img, .leaflet-container script").count() == 0


def test_every_popup_is_inert_and_reads_like_pythons(loaded):
    page, frame, dialogs, _ = loaded
    for _, row in frame.iterrows():
        texts = page.evaluate("""(id) => {
            const map = Object.values(window).find(v => v instanceof L.Map);
            const hit = map._marsad.records[id];
            hit.layer.fire("click", {latlng: hit.layer.getLatLng ? hit.layer.getLatLng()
                                              : hit.layer.getBounds().getCenter()}, true);
            // A closed popup fades out for a moment: the open one is the last.
            const all = document.querySelectorAll(".leaflet-popup-content .marsad-popup");
            const box = all[all.length - 1];
            return {text: box.innerText, id: box.dataset.eventId,
                    marks: [...box.querySelectorAll("mark")].map(m => m.textContent),
                    elements: [...box.querySelectorAll("*")].map(e => e.tagName.toLowerCase()),
                    rtl: box.querySelector("blockquote").getAttribute("dir"),
                    links: [...box.querySelectorAll("a")].map(a => a.href)};
        }""", row["id"])
        assert texts["id"] == row["id"]
        assert set(texts["elements"]) <= {"div", "span", "bdi", "blockquote", "mark", "a"}
        assert texts["rtl"] == "rtl"
        assert texts["marks"] == ["سبها", "أوباري"]
        assert texts["links"] == []                                # no payload is a web URL
        assert re.sub(r"\s+", " ", texts["text"]).strip() == popup_text(row)
        assert "\u202e" not in texts["text"] and "\u2066" not in texts["text"]
    assert _pwned(page) is None and dialogs == []


def test_real_clicks_open_popups_and_run_nothing(loaded):
    page, frame, dialogs, _ = loaded
    points = frame[frame.geometry.geom_type == "Point"]
    assert len(points) >= 2
    for _, row in points.iterrows():
        _click_point(page, row.geometry.y, row.geometry.x)
        popup = page.locator(f'.leaflet-popup-content .marsad-popup[data-event-id="{row["id"]}"]')
        popup.wait_for()
    assert _pwned(page) is None and dialogs == []


def test_clicked_feature_carries_the_event_id(loaded):
    """What st_folium returns as last_active_drawing: the layer's toGeoJSON()."""
    page, frame, _, _ = loaded
    feature = page.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        return map._marsad.records["bad1"].layer.toGeoJSON();
    }""")
    assert feature["properties"]["id"] == "bad1"
    assert feature["geometry"]["type"] == "LineString"
    assert json.dumps(feature)  # plain data, serialisable back to Python
