"""A large selection's map: hexagons with their counts, drawn in the browser from a few numbers."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.maps.bins import hex_cells_table, hex_layer
from geo.maps.build import build_event_map
from geo.store.frames import EVENT_COLUMNS


def _bins(rows):
    return pd.DataFrame(rows, columns=["lat", "lon", "type", "events"])


def _no_events():
    return gpd.GeoDataFrame({c: [] for c in EVENT_COLUMNS}, geometry=[], crs="EPSG:4326")


def test_each_hexagon_sums_its_types_and_the_busiest_is_darkest():
    types, cells, counts = hex_cells_table(_bins([(27.0, 14.4, "attack", 900), (27.0, 14.4, "movement", 100),
                                                  (31.7, 14.0, "attack", 1), (30.0, 20.0, "base", 30)]))
    assert types == ("attack", "base", "movement")
    by_place = {(round(lat, 1), round(lon, 1)): (int(n), int(step), list(c)) for (lon, lat, n, step), c in zip(cells, counts)}
    assert by_place[(27.0, 14.4)][:1] == (1000,) and by_place[(27.0, 14.4)][2] == [900, 0, 100]
    steps = sorted((n, step) for n, step, _ in by_place.values())
    assert [s for _, s in steps] == sorted(s for _, s in steps) and steps[-1][1] > steps[0][1]


def test_the_map_draws_hexagons_instead_of_events_and_says_how_many_they_stand_for():
    m = build_event_map(_no_events(), bins=_bins([(27.0, 14.4, "attack", 25_000), (31.7, 14.0, "base", 7)]))
    html = m.get_root().render()
    assert "window.marsadAggregated = 25007;" in html
    assert "Events per hexagon (25,007)" in html
    assert "25,007 events" in html   # the legend


def test_a_type_name_cannot_reach_the_page_as_markup():
    layer = hex_layer(_bins([(27.0, 14.4, "</script><img src=x onerror=alert(1)>", 30_000)]), cell_km=20)[0]
    assert "<img" not in layer.data and "</script" not in layer.data
