"""Real mouse clicks reach every kind of event feature: points, lines and areas.

Each event type used to be drawn on its own canvas, and the top canvas (points)
took every click over the whole map, so lines and areas could not be clicked
once the map had a point. The map is the self-contained HTML opened from a file
in Debian's headless chromium; each click is a real mouse click at the
feature's on-screen position, and the popup that opens must be that event's.
"""

from __future__ import annotations

import re

import pytest
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon

from geo.maps.build import build_event_map
from geo.maps.offline import standalone_html
from geo.maps.style import popup_text
from geo.models import Attribution, Event, PlaceRole
from geo.store.frames import events_to_frame

pytestmark = pytest.mark.e2e

CENTER = (26.0, 17.0)


def _event(event_id: str, type_: str, geometry, quote: str) -> Event:
    start = 30
    at = start + quote.index("سبها")
    return Event(
        id=event_id, article_id="b" * 64, type=type_, geometry=geometry, geo_precision=2,
        event_date=None, date_precision="reported",
        attribution=Attribution(speaker="مصدر محلي", source_type="unnamed official",
                                publisher="بوابة الوسط", url="https://example.org/r/7"),
        quote=quote, quote_start=start, quote_end=start + len(quote), actors=("جماعة مسلحة",),
        places=(PlaceRole("location", "ly:sabha", "سبها", 2, at, at + 4),))


def _frame(case: str):
    """Three events apart (single or multi-part), or an area crossed by a line with a point on it."""
    if case == "apart":
        shapes = [("pt", "attack", Point(14.0, 27.5)),
                  ("ln", "movement", LineString([(16.0, 24.0), (19.0, 24.0)])),
                  ("ar", "presence", Polygon([(19.5, 27.0), (21.5, 27.0), (21.5, 29.0),
                                              (19.5, 29.0)]))]
    elif case == "multipart":
        shapes = [("pt", "attack", Point(14.0, 27.5)),
                  ("ln", "movement", MultiLineString([[(15.5, 24.0), (17.5, 24.0)],
                                                      [(18.0, 24.0), (19.0, 24.0)]])),
                  ("ar", "presence", MultiPolygon([
                      Polygon([(19.5, 27.0), (21.5, 27.0), (21.5, 29.0), (19.5, 29.0)]),
                      Polygon([(22.0, 27.0), (23.0, 27.0), (23.0, 28.0)])]))]
    else:
        shapes = [("ar", "presence", Polygon([(15.0, 25.0), (19.0, 25.0), (19.0, 28.0),
                                              (15.0, 28.0)])),
                  ("ln", "smuggling_route", LineString([(15.5, 26.0), (18.5, 26.0)])),
                  # A presence point (an earlier type than the route) on the route: on top.
                  ("pt", "presence", Point(16.0, 26.0))]
    # Our own sentences, one per event, so each popup is told apart by its text.
    quotes = {"pt": "هجوم على نقطة تفتيش قرب سبها فجر اليوم",
              "ln": "رتل يتحرك من سبها نحو الشمال عبر الطريق الصحراوي",
              "ar": "انتشار مجموعات مسلحة في محيط سبها منذ أيام"}
    return events_to_frame([_event(i, t, g, quotes[i]) for i, t, g in shapes])


def _target(case: str, geometry) -> tuple[float, float]:
    """(lat, lon) to click: the point, the line's middle, the area away from the line."""
    if geometry.geom_type == "Point":
        return geometry.y, geometry.x
    if geometry.geom_type in ("LineString", "MultiLineString"):
        middle = geometry.interpolate(0.5, normalized=True)
        return middle.y, middle.x
    if geometry.geom_type == "MultiPolygon":
        geometry = geometry.geoms[0]
    if case != "stacked":
        return geometry.centroid.y, geometry.centroid.x
    return 25.5, 18.5                         # inside the area, below the line, off the point


@pytest.fixture(params=["apart", "stacked", "multipart"],
                ids=["apart", "area-under-line-and-point", "multi-part"])
def loaded(request, page, tmp_path):
    frame = _frame(request.param)
    path = tmp_path / "clicks.html"
    path.write_text(standalone_html(build_event_map(frame, center=CENTER, zoom=6)),
                    encoding="utf-8")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("window.marsadDrawn !== undefined")
    assert errors == []
    return request.param, page, frame


def _screen(page, lat: float, lon: float) -> tuple[float, float]:
    return page.evaluate("""([lat, lon]) => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        const p = map.latLngToContainerPoint([lat, lon]);
        const box = map.getContainer().getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
    }""", [lat, lon])


def test_a_real_click_opens_each_features_popup(loaded):
    case, page, frame = loaded
    assert len(set(frame.geometry.geom_type)) == 3
    for _, row in frame.iterrows():
        page.evaluate("() => Object.values(window).find(v => v instanceof L.Map).closePopup()")
        x, y = _screen(page, *_target(case, row.geometry))
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        popup = page.locator(f'.leaflet-popup-content .marsad-popup[data-event-id="{row["id"]}"]')
        popup.wait_for(timeout=5_000)
        assert re.sub(r"\s+", " ", popup.inner_text()).strip() == popup_text(row)
        assert row["quote"] in popup.inner_text()
