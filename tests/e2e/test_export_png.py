"""PNG and HTML exports in a real browser: a real map at the right size, and no script from a report.

Chromium is Debian's (/usr/bin/chromium); the pages are opened from files with
every non-file request refused, as an analyst on a closed network would see them.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest
from PIL import Image, ImageStat
from shapely.geometry import LineString, Point, Polygon

from geo.export import formats, html, png
from geo.filters import Filters
from geo.models import Attribution, Event, PlaceRole
from geo.store.frames import events_to_frame
from tests.conftest import store_corpus_items

pytestmark = pytest.mark.e2e

XSS = ('<script>window.__xss=1</script><img src=x onerror="window.__xss=2;alert(1)">'
       '`${window.__xss=3}`\u202eكذب\u202c "\' & جنوب بني وليد')
SIDE_PANEL_PX = 300     # the page's right-hand column (legend, filters)


@pytest.fixture
def frame() -> gpd.GeoDataFrame:
    return events_to_frame([e for _, _, events in store_corpus_items() for e in events])


def _hostile(n: int, geometry, url: str) -> Event:
    return Event(
        id=f"x{n}{XSS}", article_id=f"a{n}{XSS}", type=("movement", "base", "presence")[n % 3],
        geometry=geometry, geo_precision=2, event_date=dt.date(2024, 4, n), date_precision="day",
        attribution=Attribution(speaker=XSS, speaker_role=XSS, source_type="named official",
                                cited_outlet=XSS, publisher=XSS, url=url),
        quote=XSS, quote_start=0, quote_end=len(XSS), actors=(XSS, XSS),
        places=(PlaceRole("origin", f"ly:{XSS}", XSS, 1, 0, 5),
                PlaceRole("destination", None, XSS, 2, 6, 9)),
        note=XSS)


@pytest.fixture
def xss_frame() -> gpd.GeoDataFrame:
    return events_to_frame([
        _hostile(1, Point(13.99, 31.76), "javascript:window.__xss=4"),
        _hostile(2, LineString([(14.43, 27.04), (12.78, 26.59)]), f"https://example.org/?q={XSS}"),
        _hostile(3, Polygon([(13.6, 31.2), (14.4, 31.2), (14.0, 31.6)]), XSS),
    ])


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _has_colour(image: Image.Image, colour: tuple[int, int, int], *, tolerance: int = 24) -> int:
    """How many pixels are within ``tolerance`` of ``colour`` on every channel."""
    return sum(count for count, pixel in image.getcolors(maxcolors=image.width * image.height)
               if all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour)))


@pytest.mark.parametrize(("width", "height"), [(1600, 1000), (900, 700)], ids=["default", "small"])
def test_png_is_a_real_map_of_the_requested_size(frame, tmp_path, width, height):
    path = png.to_png(frame, tmp_path / "map.png", width=width, height=height,
                     title="تحركات في الجنوب الليبي — test", filters=Filters(event_types=("movement",)))
    image = Image.open(path).convert("RGB")
    assert image.size == (width, height)
    colours = image.getcolors(maxcolors=width * height)
    assert len(colours) > 200, "a blank or single-colour picture"
    assert max(ImageStat.Stat(image).stddev) > 20
    # The map area (below the title bar, above the footer, left of the side panel)
    # holds the colours the map draws each event type in.
    map_area = image.crop((0, 60, width - SIDE_PANEL_PX, height - 90))
    drawn = {t: _has_colour(map_area, _rgb(c)) for t, c in formats._type_colors().items()
             if t in {"movement", "base", "smuggling_route"}}
    assert all(n > 0 for n in drawn.values()), drawn
    assert len(map_area.getcolors(maxcolors=map_area.width * map_area.height)) > 50


def test_png_of_no_events_still_shows_the_basemap(frame, tmp_path):
    path = png.to_png(frame.iloc[0:0], tmp_path / "empty.png", width=800, height=600)
    image = Image.open(path).convert("RGB")
    assert image.size == (800, 600)
    map_area = image.crop((0, 60, 800 - SIDE_PANEL_PX, 600 - 90))
    assert len(map_area.getcolors(maxcolors=map_area.width * map_area.height)) > 5


def _open(browser, path, dialogs: list[str], requests: list[str]):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    def route(r):
        requests.append(r.request.url)
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.marsadExportReady === true")
    return context, page


def test_hostile_report_runs_no_script_in_the_html_export(browser, xss_frame, tmp_path):
    path = html.to_html(xss_frame, tmp_path / "x.html", title=XSS,
                      filters=Filters(actors=(XSS,), speakers=(XSS,)))
    dialogs: list[str] = []
    requests: list[str] = []
    context, page = _open(browser, path, dialogs, requests)
    try:
        # Every event's popup, opened through the map's own API (the same builder a click
        # uses), then a real click on the point event, which lies on the top canvas.
        map_id = page.evaluate("document.querySelector('.folium-map').id")
        popups, opened = [], set()
        for event_id in xss_frame["id"]:
            page.evaluate("([mapId, id]) => { window[mapId].closePopup(); "
                          "window.marsad.select(window[mapId], id); }", [map_id, event_id])
            popup = page.locator(".leaflet-popup-content .marsad-popup").last
            popup.wait_for()
            popups.append(popup.inner_text())
            opened.add(popup.get_attribute("data-event-id"))
        point = xss_frame.geometry.iloc[0]
        page.evaluate(f"""() => new Promise(done => {{
            const m = window[{map_id!r}];
            m.closePopup();
            m.setView([{point.y}, {point.x}], m.getZoom(), {{animate: false}});
            requestAnimationFrame(() => requestAnimationFrame(done));
        }})""")
        box = page.locator(".folium-map").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        page.locator(".leaflet-popup-content .marsad-popup").last.wait_for()
        popups.append(page.locator(".leaflet-popup-content").last.inner_text())
        assert opened == set(xss_frame["id"])
        assert all("<script>window.__xss=1</script>" in text for text in popups), popups
        assert page.locator(".leaflet-popup-content img, .leaflet-popup-content script").count() == 0
        page.wait_for_function("document.readyState === 'complete'")
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert dialogs == []
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
        assert page.locator("img[src='x']").count() == 0
        body = page.inner_text("body")
        assert "<script>window.__xss=1</script>" in body    # shown as text
        assert page.locator("a[href^='javascript']").count() == 0
    finally:
        context.close()


def test_hostile_report_png_renders_with_no_dialog(xss_frame, tmp_path):
    html_path = html.to_html(xss_frame, tmp_path / "x.html", title=XSS)
    report = png.render_png(html_path, tmp_path / "x.png", width=1000, height=700)
    assert report["dialogs"] == []
    assert report["blocked"] == []
    assert Image.open(tmp_path / "x.png").size == (1000, 700)


def test_a_popup_shows_the_counts_of_its_claim(browser, tmp_path):
    import dataclasses

    from geo.models import Count

    events = [e for _, _, evs in store_corpus_items() for e in evs if e.geometry is not None]
    counted = dataclasses.replace(events[0], counts=(Count("killed", 18, 18), Count("missing", 20, 99, "vague")))
    path = html.to_html(events_to_frame([counted, *events[1:]]), tmp_path / "c.html")
    context, page = _open(browser, path, [], [])
    try:
        map_id = page.evaluate("document.querySelector('.folium-map').id")
        page.evaluate("([mapId, id]) => window.marsad.select(window[mapId], id)", [map_id, counted.id])
        popup = page.locator(".leaflet-popup-content .marsad-popup").last
        popup.wait_for()
        assert "Counts: killed 18 · missing 20–99 (vague)" in popup.inner_text()
        page.evaluate("([mapId, id]) => { window[mapId].closePopup(); window.marsad.select(window[mapId], id); }",
                      [map_id, events[1].id])
        assert "Counts" not in page.locator(".leaflet-popup-content .marsad-popup").last.inner_text()
    finally:
        context.close()
