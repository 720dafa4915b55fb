"""Counts per district: each event once, where it is; beyond Libya, the country."""

import geopandas as gpd
from shapely.geometry import LineString, Point

from geo.maps.aggregates import SHADES, area_counts, shade


def _frame(rows):
    return gpd.GeoDataFrame({"type": [t for t, _ in rows]}, geometry=[g for _, g in rows], crs="EPSG:4326")


def test_each_event_counts_once_in_its_district_or_country():
    frame = _frame([
        ("attack", Point(14.43, 27.04)),                                   # Sabha
        ("presence", Point(14.45, 27.02)),                                 # Sabha
        ("movement", LineString([(14.43, 27.04), (13.98, 31.75)])),        # ends at Bani Walid
        ("attack", Point(31.2, 30.0)),                                     # Egypt, as a country
        ("base", Point(-30.0, 40.0)),                                      # the Atlantic: no area
        ("other", None),
    ])
    areas, outside = area_counts(frame)
    by_name = dict(zip(areas["name_en"], areas["events"]))
    assert by_name["Sabha"] == 2 and by_name["Egypt"] == 1 and sum(by_name.values()) == 4
    assert "Sabha" in set(areas["name_en"]) and areas.iloc[0]["name_en"] == "Sabha"   # busiest first
    assert set(areas.loc[areas["name_en"] == "Egypt", "level"]) == {"country"}
    assert outside == 1
    # the movement counts where it ends
    bani_walid = areas[areas["events"] == 1]
    assert len(bani_walid) == 2 and int(areas.loc[areas["name_en"] == "Sabha", "attack"].iloc[0]) == 1


def test_shades_grow_with_the_count():
    assert shade(0, 10) == "#ffffff" and shade(10, 10) == SHADES[-1] and shade(1, 10) == SHADES[1]
