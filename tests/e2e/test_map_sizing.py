"""Numbers in claims on the map page: circles sized by fatalities, and fatalities per district.

An analyst picks «Size by: fatalities» and sees a circle over each attack whose claim states a
toll, a legend that says what the circles mean and how many attacks give no number, and the
choice in the link; under the district counts, a table of fatalities per district and month.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from app_driver import MAP_IFRAME, _map, _settled, _wait_idle
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# The sized circles' radii, read from the page through the iframe's window (a map replaced by
# the rerun is read afresh; null until it is drawn). geo.maps.build draws them as circle markers
# that take no clicks and are filled at 0.18, the only such layers on the map.
JS_SIZED = """(selector) => {
  const f = document.querySelector(selector), w = f && f.contentWindow;
  if (!w || !w.map || !w.marsadDrawn || !w.L) return null;
  const radii = [];
  w.map.eachLayer(l => {
    if (l instanceof w.L.CircleMarker && !(l instanceof w.L.Circle) && l.options.interactive === false
        && l.options.fillOpacity === 0.18) radii.push(l.getRadius());
  });
  return radii.sort((a, b) => b - a);
}"""


def _sized(page: Page, count: int) -> list[float]:
    """The sized circles' radii once the map shows ``count`` of them."""
    page.wait_for_function(f"([sel, n]) => {{ const r = ({JS_SIZED})(sel); return r && r.length === n; }}",
                           arg=[MAP_IFRAME, count])
    return page.evaluate(JS_SIZED, MAP_IFRAME)


def _events(sample_store):
    from geo.store import open_store

    store = open_store(sample_store)
    try:
        return store.read()
    finally:
        store.close()


def _size_by(page: Page, label: str) -> None:
    page.get_by_role("combobox", name="Size by").click()
    page.get_by_role("option", name=label, exact=True).click()
    _wait_idle(page)


def test_sizing_by_fatalities_draws_circles_the_legend_explains(page, app_url, sample_store):
    from geo.maps.build import size_key, sized_values

    events = _events(sample_store)
    located = events[events.geometry.notna() & ~events.geometry.is_empty]
    values = sized_values(located, "fatalities")
    key = size_key(events, "fatalities")
    assert key is not None and key.sized >= 2, "the samples state too few fatalities to size by"
    page.goto(app_url)
    _wait_idle(page)
    _map(page)
    assert _sized(page, 0) == []                                        # none until asked
    _size_by(page, "fatalities")
    expect(page).to_have_url(re.compile(r"size=fatalities(&|$)"))
    radii = _sized(page, int((~np.isnan(values)).sum()))
    assert radii[0] == pytest.approx(40)                                # the largest toll
    _settled(_map(page))
    legend = page.frame_locator(MAP_IFRAME).first.locator(".marsad-legend")
    expect(legend).to_contain_text("Circle area: fatalities")
    expect(legend).to_contain_text(f"{key.sized} state a number; {key.unsized} give no number")
    control = page.frame_locator(MAP_IFRAME).first.locator(".leaflet-control-layers")
    control.hover()
    largest = int(np.nanmax(values))
    expect(control.get_by_text(f"Sized by fatalities (largest {largest})")).to_be_visible()
    page.mouse.move(5, 5)                                               # the control folds again
    # one step closer than the first view, so the circles over Libya overlap less in the picture
    frame = _settled(_map(page))
    frame.evaluate("() => window.map.setZoom(window.map.getZoom() + 1, {animate: false})")
    frame.wait_for_function("() => window.marsadDrawn")
    _settled(frame)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(MAP_IFRAME).first.screenshot(path=str(ARTIFACTS / "sized.png"))   # the README's
    _size_by(page, "none")
    expect(page).not_to_have_url(re.compile("size="))
    _sized(page, 0)


def test_a_link_keeps_the_size_and_a_bad_size_says_so(page, app_url):
    page.goto(f"{app_url}/?size=fighters")
    _wait_idle(page)
    box = page.get_by_role("combobox", name="Size by")
    expect(box).to_have_value("force size")
    legend = page.frame_locator(MAP_IFRAME).first.locator(".marsad-legend")
    expect(legend).to_contain_text("Circle area: force size (fighters)")
    page.goto(f"{app_url}/?size=tonnes")
    _wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("«size=tonnes» is not one of").first).to_be_visible()
    expect(legend).not_to_contain_text("Circle area")


def test_the_district_fatalities_table_says_how_many_attacks_give_no_number(page, app_url, sample_store):
    from geo.maps.aggregates import fatalities_table

    got = fatalities_table(_events(sample_store))
    table = got.table.set_index("name_en")
    busiest = table.index[0]
    page.goto(app_url)
    _wait_idle(page)
    total = int(table.loc["All areas", "total"])
    title = f"Fatalities per district and month: {total} stated; {got.stated} of {got.attacks} attacks give a number"
    expander = page.get_by_test_id("stExpander").filter(has_text=title)
    expander.get_by_text(title).click()
    body = expander.locator(".marsad-fatalities")
    expect(body).to_be_visible()
    expect(expander).to_contain_text(f"the other {got.attacks - got.stated} give no number")
    arabic = body.locator("td[dir=rtl]").first
    expect(arabic).to_have_text(table.loc[busiest, "name_ar"])
    assert arabic.evaluate("td => getComputedStyle(td).direction") == "rtl"
    first_row = body.locator("tbody tr").first
    expect(first_row).to_contain_text(busiest)
    expect(first_row.locator("td").nth(4)).to_have_text(str(int(table.loc[busiest, "total"])))
    last = body.locator("tbody tr.marsad-total")
    expect(last).to_contain_text("All areas")
    expect(last.locator("td").nth(4)).to_have_text(str(total))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expander.scroll_into_view_if_needed()
    expander.screenshot(path=str(ARTIFACTS / "district_fatalities.png"))   # the README's
