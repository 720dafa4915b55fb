"""Driving the running app in chromium: the map iframe, its features, the sidebar count, reruns."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page, expect

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'

# The ids of the event features on the map, read from the page through the iframe's window
# (same origin), so a map that was just replaced is read afresh. geo.maps.build marks each event
# feature with _marsadIndex and properties.id; reference layers carry ids too, but no index.
JS_EVENT_IDS = """(selector) => {
  const f = document.querySelector(selector), w = f && f.contentWindow;
  if (!w || !w.map || !w.marsadDrawn) return null;
  const ids = new Set();
  w.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.id && l._marsadIndex !== undefined) ids.add(String(p.id));
  });
  return [...ids].sort();
}"""


# A point feature inside the view with no other point within 14 px: (event id, x, y in the
# iframe). Features are drawn on canvas, so there is no element per feature to click.
JS_CLICKABLE_POINT = """() => {
  const map = window.map, box = map.getContainer().getBoundingClientRect();
  const points = [];
  map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.id && l.getLatLng && l._marsadIndex !== undefined) {
      points.push({id: String(p.id), pt: map.latLngToContainerPoint(l.getLatLng())});
    }
  });
  for (const a of points) {
    if (a.pt.x < 80 || a.pt.y < 80 || a.pt.x > box.width - 80 || a.pt.y > box.height - 80) continue;
    if (points.some(b => b !== a && a.pt.distanceTo(b.pt) < 14)) continue;
    return {id: a.id, x: box.left + a.pt.x, y: box.top + a.pt.y};
  }
  return null;
}"""


def _click_a_point(page: Page) -> str:
    """Click a point feature inside the map iframe; returns the event id it carries."""
    # Settled first: the first view's fit animates, and a point found mid-flight is elsewhere
    # by the time the click lands (another feature, or none, is then under the mouse).
    target = _settled(_map(page)).evaluate(JS_CLICKABLE_POINT)
    assert target is not None, "no point feature is clickable on the map"
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    return target["id"]


def _count(page: Page) -> int:
    metric = page.get_by_test_id("stMetricValue").first
    expect(metric).to_have_text(re.compile(r"^\d+$"))
    return int(metric.inner_text())


def _wait_idle(page: Page) -> None:
    """Wait until streamlit has finished the rerun (its status widget disappears)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def _map(page: Page) -> Frame:
    """The st_folium iframe once the event layers are drawn."""
    iframe = page.locator(MAP_IFRAME).first
    for _ in range(6):
        iframe.wait_for(state="visible")
        frame = iframe.element_handle().content_frame()
        # geo.maps.build sets window.marsadDrawn once every layer is on the map and painted.
        try:
            frame.wait_for_function("() => window.map && window.marsadDrawn", timeout=5_000)
            return frame
        except PlaywrightError:   # a rerun replaced the iframe (or its page) while we waited
            continue
    raise AssertionError("the map was not drawn in 30 s")


def _settled(frame: Frame) -> Frame:
    """Wait until the map is neither zooming nor panning (the first view's fit animates, and
    Leaflet drops a zoom asked for while another one runs)."""
    frame.wait_for_function(
        "() => !window.map._animatingZoom && !(window.map._panAnim && window.map._panAnim._inProgress)")
    return frame


def _drawn_ids(page: Page, count: int | None = None) -> list[str]:
    """The event ids on the map; with ``count``, first wait until the map shows that many."""
    if count is not None:
        page.wait_for_function(
            f"([sel, n]) => {{ const ids = ({JS_EVENT_IDS})(sel); return ids && ids.length === n; }}",
            arg=[MAP_IFRAME, count])
    ids = page.evaluate(JS_EVENT_IDS, MAP_IFRAME)
    assert ids is not None, "the map is not drawn"
    return ids


def _open(page: Page, url: str) -> None:
    page.goto(url)
    _wait_idle(page)
