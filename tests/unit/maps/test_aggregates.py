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


def test_fatalities_are_summed_per_district_and_per_month():
    import pandas as pd

    from geo.maps.aggregates import fatalities_by_month

    frame = gpd.GeoDataFrame({
        "type": ["attack", "attack", "attack", "attack", "presence"],
        "fatalities": pd.array([3, 2, 0, None, None], dtype="Int64"),
        "event_date": pd.to_datetime(["2024-03-02", "2024-03-20", "2024-04-01", "2024-04-02", "2024-04-03"]),
    }, geometry=[Point(14.43, 27.04), Point(14.45, 27.02), Point(14.44, 27.03), Point(13.98, 31.75),
                 Point(13.98, 31.75)], crs="EPSG:4326")
    areas, _ = area_counts(frame)
    by_name = dict(zip(areas["name_en"], areas["fatalities"]))
    assert by_name["Sabha"] == 5 and by_name["Misratah"] == 0   # Bani Walid's district: unstated adds nothing
    months = fatalities_by_month(frame)
    assert list(months["name_en"]) == ["Sabha"]                 # only where the text states fatalities
    row = months.iloc[0]
    assert (row["total"], row["2024-03"], row["2024-04"]) == (5, 5, 0)
