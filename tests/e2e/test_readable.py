"""What the map page shows reads without effort: the table fits the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_driver import _map, _wait_idle

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# The data grid's own scroller: wider content than box means a horizontal scroll bar.
JS_OVERFLOW = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
    .map(s => s.scrollWidth - s.clientWidth)"""
JS_WIDTH = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')].map(s => s.clientWidth)"""


@pytest.mark.parametrize("path", ["", "events"], ids=["map-page", "events-page"])
def test_the_event_table_needs_no_horizontal_scrolling_at_1440_px(page, app_url, path):
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(f"{app_url}/{path}")
    _wait_idle(page)
    if not path:
        _map(page)
    page.wait_for_function("""() => document.querySelector('[data-testid="stDataFrame"] .dvn-scroller')""")
    overflow = page.evaluate(JS_OVERFLOW)
    assert overflow and max(overflow) <= 1, (overflow, page.evaluate(JS_WIDTH))


# Each event feature on the map: whether the first view shows it whole (shapes wider than the
# fit's limit, a continent named in passing, are left out of the fit and of this check).
JS_OFF_SCREEN = """() => {
  const map = window.map, view = map.getBounds(), out = [];
  map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (!p || !p.id || l._marsadIndex === undefined) return;
    const b = l.getBounds ? l.getBounds() : L.latLngBounds([l.getLatLng(), l.getLatLng()]);
    if (b.getEast() - b.getWest() > 25 || b.getNorth() - b.getSouth() > 25) return;
    if (!view.contains(b)) out.push(String(p.id));
  });
  return out;
}"""


def test_the_first_view_shows_every_event(page, app_url):
    page.goto(app_url)
    _wait_idle(page)
    frame = _map(page)
    assert frame.evaluate(JS_OFF_SCREEN) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "first_view.png"))   # the README's first view


JS_STYLES = """() => {
  const out = {};
  window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.id && l._marsadIndex !== undefined && l.options)
      out[String(p.id)] = {precision: p.precision, fill: l.options.fillOpacity, dash: l.options.dashArray || null,
                           area: !!l.getBounds && l instanceof L.Polygon};
  });
  return out;
}"""


def test_regions_are_outlines_and_claims_not_held_as_fact_are_dotted(page, app_url, sample_store):
    from geo.store import open_store

    store = open_store(sample_store)
    events = store.read().set_index("id")
    store.close()
    page.goto(app_url)
    _wait_idle(page)
    styles = _map(page).evaluate(JS_STYLES)
    regions = [s for s in styles.values() if s["area"] and s["precision"] == 3]
    assert regions and all(s["fill"] == 0 for s in regions)
    not_fact = [i for i, m in events["modality"].items() if m in ("denied", "planned", "attempted", "alleged")]
    drawn = [i for i in not_fact if i in styles]
    assert drawn and all(styles[i]["dash"] or styles[i]["fill"] <= 0.15 for i in drawn)
    facts = [i for i, m in events["modality"].items() if m in ("asserted", "reported") and i in styles]
    assert all(not styles[i]["dash"] or styles[i]["precision"] == 3 or events.loc[i, "type"] == "smuggling_route"
               for i in facts)


def test_place_names_on_the_offline_basemap_come_with_the_zoom(page, app_url):
    page.goto(app_url)
    _wait_idle(page)
    frame = _map(page)
    count = "() => document.querySelectorAll('.marsad-label').length"
    frame.evaluate("() => window.map.setView([32.0, 13.5], 5, {animate: false})")
    at_5 = frame.evaluate(count)
    frame.evaluate("() => window.map.setView([32.0, 13.5], 8, {animate: false})")
    frame.wait_for_function(f"() => ({count})() > {at_5}")
    names = frame.evaluate("() => [...document.querySelectorAll('.marsad-label .ml-ar')].map(e => e.textContent)")
    assert at_5 > 0 and "طرابلس" in names
    latin = frame.evaluate("() => [...document.querySelectorAll('.marsad-label .ml-en')].map(e => e.textContent)")
    assert "Tripoli" in latin
