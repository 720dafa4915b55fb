"""A built map can be cached for every session: st.cache_data pickles it and hands out copies."""

from __future__ import annotations

import pickle

import geopandas as gpd
import pandas as pd
import pytest

from geo.maps.aggregates import area_counts
from geo.maps.build import build_event_map
from geo.store.frames import EVENT_COLUMNS, events_to_frame
from tests.conftest import store_corpus_items


def _events():
    return events_to_frame([e for _, _, evs in store_corpus_items() for e in evs])


def _no_events():
    return gpd.GeoDataFrame({c: [] for c in EVENT_COLUMNS}, geometry=[], crs="EPSG:4326")


@pytest.mark.parametrize("options", [
    {"size_by": "fatalities", "basemap": "offline"},
    {"size_by": "fighters", "basemap": "osm"},
], ids=["offline-fatalities", "osm-fighters"])
def test_a_copy_of_an_event_map_draws_what_the_map_draws(options):
    events = _events()
    areas, _ = area_counts(events)
    m = build_event_map(events, areas=areas, asset_base="/app/static/vendor", **options)
    copy = pickle.loads(pickle.dumps(m))
    assert copy.get_root().render() == m.get_root().render()


def test_a_copy_of_a_hexagon_map_draws_what_the_map_draws():
    bins = pd.DataFrame([(27.0, 14.4, "attack", 25_000), (31.7, 14.0, "base", 7)],
                        columns=["lat", "lon", "type", "events"])
    m = build_event_map(_no_events(), bins=bins)
    copy = pickle.loads(pickle.dumps(m))
    assert copy.get_root().render() == m.get_root().render()
