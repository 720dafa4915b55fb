"""geo.maps: the event map's layers, features and popups, and the escaping of article text.

Maps are compared through ``map_summary`` (layers, ids, coordinates, popup text),
never through folium's raw HTML, whose element ids are random.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import (LineString, MultiLineString, MultiPolygon, Point, Polygon,
                              shape)

from geo.maps import layers, reference, style
from geo.errors import InputError
from geo.store.frames import EVENT_COLUMNS, events_to_frame
from geo.maps.style import EVENT_STYLE, event_popup_html, legend_html, popup_text
from geo.maps.build import LIBYA_CENTER, build_event_map, map_summary
from geo.models import Attribution, Event, PlaceRole

# Our own sentence; the place names sit at known offsets in a longer "article".
QUOTE = "تحرك رتل مسلح من سبها باتجاه أوباري فجر الخميس"
QUOTE_START = 120
SABHA_AT = QUOTE.index("سبها")
UBARI_AT = QUOTE.index("أوباري")

MALICIOUS = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=window.__pwned=2>",
    "`${window.__pwned=3}`",
    "{{ 7*7 }}{% if true %}jinja{% endif %}",
    "\u202eevil\u202c",
]


def make_event(event_id: str, type_: str, geometry, *, quote: str = QUOTE,
               quote_start: int = QUOTE_START, precision: int | None = 1,
               speaker: str = "مصدر أمني", publisher: str = "بوابة الوسط",
               url: str = "https://example.org/report/1", actors=("الكتيبة 128",),
               places=None, denied: bool = False, date=dt.date(2024, 3, 5),
               date_precision: str = "day") -> Event:
    if places is None:
        places = (
            PlaceRole("origin", "ly:sabha", "سبها", 1, QUOTE_START + SABHA_AT,
                      QUOTE_START + SABHA_AT + 4),
            PlaceRole("destination", "ly:ubari", "أوباري", 2, QUOTE_START + UBARI_AT,
                      QUOTE_START + UBARI_AT + 6),
        )
    return Event(
        id=event_id, article_id="a" * 64, type=type_, geometry=geometry, geo_precision=precision,
        event_date=date, date_precision=date_precision,
        attribution=Attribution(speaker=speaker, speaker_role="ضابط", source_type="unnamed official",
                                cited_outlet="قناة ليبيا", publisher=publisher, url=url),
        quote=quote, quote_start=quote_start, quote_end=quote_start + len(quote),
        actors=tuple(actors), places=tuple(places), denied=denied)


@pytest.fixture
def events() -> gpd.GeoDataFrame:
    return events_to_frame([
        make_event("mv1", "movement", LineString([(14.43, 27.04), (12.78, 26.59)])),
        make_event("rt1", "smuggling_route", LineString([(9.5, 30.0), (11.0, 28.0), (14.0, 25.0)])),
        make_event("bs1", "base", Point(15.95, 31.2), precision=1),
        make_event("pr1", "presence", Polygon([(13.6, 31.2), (14.4, 31.2), (14.3, 31.6)]),
                   precision=3),
        make_event("at1", "attack", Point(14.43, 27.04), denied=True),
        make_event("ot1", "other", Point(20.07, 32.12)),
        make_event("nogeo", "attack", None),
    ])


def malicious_frame() -> gpd.GeoDataFrame:
    """One event per payload, the payload in every text field and in a place name."""
    out = []
    for n, bad in enumerate(MALICIOUS):
        quote = f"هجوم قرب سبها {bad}"
        at = QUOTE_START + quote.index("سبها")
        out.append(make_event(
            f"bad{n}", "attack", Point(14.4 + n / 10, 27.0), quote=quote,
            speaker=bad, publisher=bad, url=f"javascript:window.__pwned={n}//{bad}",
            actors=(bad,), places=(PlaceRole("location", "ly:sabha", f"سبها{bad}", 1, at, at + 4),)))
    frame = events_to_frame(out)
    for column in ("speaker_role", "cited_outlet", "source_type", "note"):
        frame[column] = [MALICIOUS[i % len(MALICIOUS)] for i in range(len(frame))]
    frame["date_precision"] = MALICIOUS[: len(frame)]
    return frame


# --- the map ---------------------------------------------------------------------------------

def test_one_layer_per_type_with_every_located_event(events):
    summary = map_summary(build_event_map(events))
    layers = {layer["type"]: layer["count"] for layer in summary["layers"] if "type" in layer}
    assert layers == {"movement": 1, "smuggling_route": 1, "base": 1, "presence": 1,
                      "attack": 1, "other": 1}
    assert {f["id"] for f in summary["features"]} == {"mv1", "rt1", "bs1", "pr1", "at1", "ot1"}


def test_summary_golden(events):
    summary = map_summary(build_event_map(events, center=(27.0, 14.0), zoom=7))
    by_id = {f["id"]: f for f in summary["features"]}
    assert summary["center"] == [27.0, 14.0]
    assert by_id["bs1"]["geometry"] == "Point"
    assert by_id["bs1"]["coordinates"] == [15.95, 31.2]          # lon, lat as GeoJSON has it
    assert by_id["mv1"]["coordinates"] == [[14.43, 27.04], [12.78, 26.59]]
    assert by_id["pr1"]["geometry"] == "Polygon"
    assert by_id["pr1"]["precision"] == 3
    assert by_id["at1"]["popup"] == (
        "Attack · denied Actors: الكتيبة 128 Date: 2024-03-05 (day) "
        "Places: سبها (origin, precision 1); أوباري (destination, precision 2) "
        "Source: مصدر أمني, ضابط to قناة ليبيا, published by بوابة الوسط "
        "Link: https://example.org/report/1 " + QUOTE)


def test_layers_draw_areas_under_lines_under_points(events):
    order = [layer["type"] for layer in map_summary(build_event_map(events))["layers"]
             if "type" in layer]
    assert order.index("presence") < order.index("movement") < order.index("attack")


@pytest.mark.parametrize("n, clustered", [(5, False), (layers.CLUSTER_MIN_POINTS + 1, True)],
                         ids=["few-points-plain", "many-points-clustered"])
def test_many_points_cluster(n, clustered):
    frame = events_to_frame([make_event(f"e{i}", "attack", Point(10 + i / 100, 27)) for i in range(n)])
    m = build_event_map(frame)
    layer = next(x for x in map_summary(m)["layers"] if x.get("type") == "attack")
    assert layer["clustered"] is clustered
    rendered = m.get_root().render()
    assert ("leaflet.markercluster" in rendered) is clustered


def test_feature_properties_carry_the_event_id(events):
    """st_folium's last_active_drawing is the clicked layer's toGeoJSON(): its properties need the id."""
    m = build_event_map(events)
    layer = next(c for c in m._children.values() if isinstance(c, layers._EventLayer))
    spec = json.loads(layer.payload)
    assert spec["id"] == layer.rows["id"].tolist()
    assert "layer.feature = {type: \"Feature\", properties: {id: spec.id[i]" in layers._library_code()


@pytest.mark.parametrize("basemap, tiles, offline_shown", [
    ("offline", [], True),
    ("osm", ["OpenStreetMap (online)"], False),
    ("satellite", ["Satellite (online)"], False),
], ids=["offline", "osm", "satellite"])
def test_basemaps(events, basemap, tiles, offline_shown):
    layers = map_summary(build_event_map(events, basemap=basemap))["layers"]
    assert [x["tiles"] for x in layers if "tiles" in x] == tiles
    offline = next(x for x in layers if x.get("reference") == "Offline basemap (Natural Earth)")
    assert offline == {"reference": "Offline basemap (Natural Earth)", "overlay": False,
                       "show": offline_shown}


def test_offline_map_names_no_tile_server(events):
    rendered = build_event_map(events, basemap="offline").get_root().render()
    assert "tile.openstreetmap" not in rendered and "arcgisonline" not in rendered


def test_reference_layers_can_be_left_out(events):
    names = [x.get("reference") for x in map_summary(
        build_event_map(events, reference_layers=False))["layers"]]
    assert "Libya districts" not in names and "Great Man-Made River" not in names


def test_missing_reference_file_is_a_warning_not_a_crash(events, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(reference, "DISTRICTS_PATH", tmp_path / "nope.geojson")
    monkeypatch.setattr(reference, "COUNTRIES_PATH", tmp_path / "nope-either.geojson")
    with caplog.at_level(logging.WARNING, logger="geo.maps"):
        names = [x.get("reference") for x in map_summary(build_event_map(events))["layers"]]
    assert "Libya districts" not in names and "Offline basemap (Natural Earth)" not in names
    assert "nope.geojson" in caplog.text


def test_gmmr_comes_from_the_gazetteer_infrastructure_lines(tmp_path):
    path = tmp_path / "gazetteer.geojson"
    line = {"type": "LineString", "coordinates": [[20.0, 29.0], [20.5, 31.0]]}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": line,
         "properties": {"id": "ly:gmmr-sarir-sirte", "kind": "infrastructure"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [20.0, 29.0]},
         "properties": {"id": "ly:gmmr-sarir-wellfield", "kind": "wellfield"}},
        {"type": "Feature", "geometry": line,
         "properties": {"id": "ly:coastal-road", "kind": "road"}},
    ]}))
    gmmr = reference.load_gmmr(path)
    assert [f["geometry"] for f in gmmr["features"]] == [line]


def test_gazetteer_without_gmmr_leaves_the_layer_out(tmp_path, caplog):
    path = tmp_path / "gazetteer.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    with caplog.at_level(logging.WARNING, logger="geo.maps"):
        assert reference.load_gmmr(path) is None
    assert "ly:gmmr" in caplog.text


def test_empty_frame_gives_a_map_without_event_layers():
    frame = events_to_frame([])
    summary = map_summary(build_event_map(frame))
    assert summary["features"] == [] and not [x for x in summary["layers"] if "type" in x]


@pytest.mark.parametrize("bad, message", [
    (pd.DataFrame({"id": ["x"]}), "GeoDataFrame"),
    (gpd.GeoDataFrame({"name": ["x"]}, geometry=[Point(1, 1)]), "lacks columns"),
], ids=["plain-dataframe", "missing-columns"])
def test_bad_frames_are_refused(bad, message):
    with pytest.raises(InputError, match=message):
        build_event_map(bad)


def test_unknown_basemap_is_refused(events):
    with pytest.raises(InputError, match="'google'"):
        build_event_map(events, basemap="google")


def test_build_is_pure(events, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = events.copy()
    build_event_map(events).get_root().render()
    assert list(tmp_path.iterdir()) == []
    pd.testing.assert_frame_equal(pd.DataFrame(events), pd.DataFrame(before))


def test_asset_base_points_every_file_at_it(events):
    rendered = build_event_map(events, asset_base="/app/static/vendor").get_root().render()
    sources = [line for line in rendered.splitlines() if "<script src=" in line or "<link rel" in line]
    assert sources and all("/app/static/vendor/" in line for line in sources)


# --- escaping ----------------------------------------------------------------------------------

def test_popup_escapes_every_field():
    for _, row in malicious_frame().iterrows():
        popup = event_popup_html(row)
        assert "<script" not in popup and "<img" not in popup
        assert "\u202e" not in popup and "\u202c" not in popup
        assert 'href="javascript' not in popup


def test_event_id_is_escaped_in_the_popup():
    row = events_to_frame([make_event('x"><img src=x>', "attack", Point(14, 27))]).iloc[0]
    assert 'data-event-id="x&quot;&gt;&lt;img src=x&gt;"' in event_popup_html(row)


def test_map_data_cannot_break_out_of_its_script():
    rendered = build_event_map(malicious_frame()).get_root().render()
    assert "<img src=x" not in rendered
    assert "<script>window.__pwned" not in rendered
    assert "</script>window" not in rendered


def test_jinja_syntax_in_article_text_is_not_evaluated():
    """branca compiles rendered scripts as templates; our layers must hand theirs over raw."""
    frame = malicious_frame()
    rendered = build_event_map(frame).get_root().render()
    assert "{{ 7*7 }}" in rendered
    assert "49" not in rendered.split("{{ 7*7 }}")[0][-20:]


def test_popup_has_the_quote_right_to_left_with_places_marked():
    row = events_to_frame([make_event("e", "movement", Point(14, 27))]).iloc[0]
    popup = event_popup_html(row)
    assert '<blockquote class="mp-quote" dir="rtl" lang="ar">' in popup
    assert "<mark>سبها</mark>" in popup and "<mark>أوباري</mark>" in popup
    assert popup.count("<mark>") == 2


@pytest.mark.parametrize("spans, expected", [
    ([(0, 4)], ["", "تحرك", QUOTE[4:]]),
    ([(-5, 2)], ["", "تح", QUOTE[2:]]),                     # starts before the quote: clipped
    ([(100, 110)], [QUOTE]),                                 # outside the quote: ignored
    ([(0, 4), (2, 8)], ["", "تحرك", "", " رتل", QUOTE[8:]]),  # overlapping: no text twice
], ids=["at-start", "clipped", "outside", "overlapping"])
def test_quote_segments(spans, expected):
    places = [{"start": QUOTE_START + s, "end": QUOTE_START + e} for s, e in spans]
    segments = style._quote_segments(QUOTE, QUOTE_START, places)
    assert segments == expected
    assert "".join(segments) == QUOTE


def test_long_quotes_are_cut_in_the_popup():
    quote = "ا" * (style.QUOTE_MAX_CHARS + 50)
    segments = style._quote_segments(quote, 0, [])
    assert len("".join(segments)) == style.QUOTE_MAX_CHARS + 1 and segments[-1].endswith("…")


@pytest.mark.parametrize("url, linked", [
    ("https://example.org/a?b=1&c=2", True),
    ("http://example.org/", True),
    ("javascript:alert(1)", False),
    ("data:text/html,<b>x</b>", False),
    ("https://example.org/a b", False),
], ids=["https", "http", "javascript", "data", "space"])
def test_only_web_urls_become_links(url, linked):
    row = events_to_frame([make_event("e", "attack", Point(14, 27), url=url)]).iloc[0]
    assert ("<a href=" in event_popup_html(row)) is linked


def test_popup_text_reports_date_precision():
    row = events_to_frame([make_event("e", "attack", Point(14, 27), date_precision="reported")]).iloc[0]
    assert "Date: 2024-03-05 (publication date)" in popup_text(row)


def test_popup_survives_missing_values():
    row = {column: None for column in EVENT_COLUMNS}
    row.update(id="e", type="attack", places="not json", actors="")
    assert "date unknown" in popup_text(row)


# --- legend and constants ----------------------------------------------------------------

def test_legend_names_every_type():
    html = legend_html()
    assert all(style["label"] in html for style in EVENT_STYLE.values())
    assert set(EVENT_STYLE) == {"movement", "smuggling_route", "base", "presence", "attack", "other"}


def test_libya_center_is_lat_lon_inside_libya():
    lat, lon = LIBYA_CENTER
    assert 19.5 < lat < 33.5 and 9.3 < lon < 25.2


def test_the_map_is_a_folium_map(events):
    assert isinstance(build_event_map(events), folium.Map)


def test_layer_data_ids_follow_the_data(events):
    """streamlit-folium keys its component on the map script: same data, same script."""
    def ids(frame):
        return [c.data_id for c in build_event_map(frame)._children.values()
                if isinstance(c, layers._EventLayer)]
    assert ids(events) == ids(events.copy())
    assert ids(events) != ids(events[events["id"] != "bs1"])


def test_same_payload_without_orjson(events, monkeypatch):
    def payloads():
        return [(json.loads(c.payload), json.loads(c.popups))
                for c in build_event_map(events)._children.values()
                if isinstance(c, layers._EventLayer)]
    fast = payloads()
    monkeypatch.setitem(__import__("sys").modules, "orjson", None)
    assert payloads() == fast


def test_popup_columns_are_apart_from_what_drawing_needs(events):
    """The browser parses the drawing data at load and the popups' data at the first popup."""
    layer = next(c for c in build_event_map(events)._children.values()
                 if isinstance(c, layers._EventLayer))
    drawing, popups = json.loads(layer.payload), json.loads(layer.popups)
    assert {"id", "p", "k", "n", "c", "x"} <= set(drawing)
    assert "q" in popups and not {"q", "pl", "ac", "u"} & set(drawing)
    assert f'id="{layer.data_id}-p"' in build_event_map(events).get_root().render()


GEOMETRIES = {
    "point": Point(15.95, 31.2),
    "line": LineString([(14.43, 27.04), (12.78, 26.59), (12.0, 26.0)]),
    "polygon": Polygon([(13.6, 31.2), (14.4, 31.2), (14.3, 31.6)]),
    "polygon-with-hole": Polygon([(10, 20), (14, 20), (14, 24), (10, 24)],
                                 [[(11, 21), (12, 21), (12, 22)]]),
    "multiline": MultiLineString([[(10, 20), (11, 21)], [(12, 22), (13.123456, 23)]]),
    "multipolygon": MultiPolygon([Polygon([(10, 20), (11, 20), (11, 21)]),
                                  Polygon([(12, 22), (13, 22), (13, 23)])]),
}


@pytest.mark.parametrize("names", [list(GEOMETRIES), ["point"], ["polygon", "line", "point"]],
                         ids=["every-kind", "one-point", "mixed-simple"])
def test_geometry_columns_round_trip(names):
    """Quantised steps and GeoJSON for the rare kinds come back as the geometries (to 1e-5)."""
    geoms = np.array([GEOMETRIES[n] for n in names], dtype=object)
    columns = json.loads(layers._script_json(layers._geometry_columns(geoms)))
    decoded = layers._decode_geometries(columns)
    assert len(decoded) == len(geoms)
    for geom, back in zip(geoms, decoded):
        assert shape(back).equals_exact(geom, 1e-5), (geom.wkt, back)
    assert all(isinstance(v, int) for v in columns["c"])
