"""Counts per district: each event once, where it is; in the neighbours, their first-level
region; beyond them, the country."""

import geopandas as gpd
from shapely.geometry import LineString, Point

from geo.maps.aggregates import SHADES, area_counts, shade


def _frame(rows):
    return gpd.GeoDataFrame({"type": [t for t, _ in rows]}, geometry=[g for _, g in rows], crs="EPSG:4326")


def test_each_event_counts_once_in_its_district_region_or_country():
    frame = _frame([
        ("attack", Point(14.43, 27.04)),                                   # Sabha
        ("presence", Point(14.45, 27.02)),                                 # Sabha
        ("movement", LineString([(14.43, 27.04), (13.98, 31.75)])),        # ends at Bani Walid
        ("attack", Point(7.99, 16.97)),                                    # Agadez, Niger: its region
        ("attack", Point(10.76, 34.74)),                                   # Sfax, Tunisia: its wilaya
        ("presence", Point(-3.0, 16.77)),                                  # Timbuktu, Mali: not a neighbour, the country
        ("base", Point(-30.0, 40.0)),                                      # the Atlantic: no area
        ("other", None),
    ])
    areas, outside = area_counts(frame)
    by_name = dict(zip(areas["name_ar"], areas["events"]))
    assert by_name["منطقة أغاديز"] == 1 and by_name["ولاية صفاقس"] == 1 and by_name["مالي"] == 1
    assert sum(by_name.values()) == 6
    assert areas.iloc[0]["name_en"] == "Sabha" and int(areas.iloc[0]["events"]) == 2   # busiest first
    level = dict(zip(areas["name_ar"], areas["level"]))
    assert level["منطقة أغاديز"] == level["ولاية صفاقس"] == "region" and level["مالي"] == "country"
    assert level["شعبية سبها"] == "district"
    assert outside == 1
    # the movement counts where it ends, not where it starts
    assert int(areas.loc[areas["name_en"] == "Sabha", "attack"].iloc[0]) == 1
    assert int(areas.loc[areas["name_en"] == "Sabha", "events"].iloc[0]) == 2


def test_the_neighbours_regions_cover_them_and_name_themselves_in_arabic():
    from geo.maps.reference import load_countries, load_regions

    regions = gpd.GeoDataFrame.from_features(load_regions()["features"], crs="EPSG:4326")
    countries = gpd.GeoDataFrame.from_features(load_countries()["features"], crs="EPSG:4326")
    assert set(regions["country"]) == {"EG", "SD", "TD", "NE", "DZ", "TN"}
    for cc, part in regions.groupby("country"):
        whole = countries.loc[countries["iso_a2"] == cc].geometry.iloc[0]
        assert part.union_all().symmetric_difference(whole).area / whole.area < 0.01, cc
    assert regions["name_ar"].str.contains("[\u0600-\u06FF]").all()
    assert regions["id"].is_unique


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


def _tolls():
    import pandas as pd

    return gpd.GeoDataFrame({
        "type": ["attack", "attack", "attack", "attack", "movement", "attack", "attack"],
        "fatalities": pd.array([3, 2, 0, None, 4, 5, 7], dtype="Int64"),
        "event_date": pd.to_datetime(["2024-03-02", "2024-03-20", "2024-04-01", "2024-04-02", "2024-04-03",
                                      None, "2024-04-05"]),
    }, geometry=[Point(14.43, 27.04), Point(14.45, 27.02), Point(14.44, 27.03), Point(13.98, 31.75),
                 Point(14.43, 27.04), Point(14.43, 27.04), Point(-30.0, 40.0)], crs="EPSG:4326")


def test_the_fatalities_table_says_how_many_attacks_state_a_number():
    from geo.maps.aggregates import fatalities_table

    got = fatalities_table(_tolls())
    assert (got.attacks, got.stated, got.other_stated) == (6, 5, 1)
    assert got.left_out == 2                      # one undated, one in the Atlantic
    rows = got.table.set_index("name_en")
    sabha, misratah, whole = rows.loc["Sabha"], rows.loc["Misratah"], rows.loc["All areas"]
    assert (sabha["attacks"], sabha["stated"], sabha["total"]) == (4, 4, 9)   # the movement's 4 counts, the undated 5 not
    assert (sabha["2024-03"], sabha["2024-04"]) == (5, 4)
    # Bani Walid's attack states no number: the district is listed, its cells are empty, not 0
    assert (misratah["attacks"], misratah["stated"]) == (1, 0) and misratah.iloc[4:].isna().all()
    assert list(rows.index) == ["Sabha", "Misratah", "All areas"] and whole["total"] == 9
    assert whole["name_ar"] == "كل المناطق"
    assert got.summary().startswith("ACLED's count") and "5 of 6 attacks" in got.summary()
    assert "1 event of another type also states" in got.summary() and "2 stated tolls are in no cell" in got.summary()


def test_a_stated_zero_is_a_zero_and_an_empty_frame_an_empty_table():
    import pandas as pd

    from geo.maps.aggregates import fatalities_table

    only_zero = _tolls().iloc[[2]]
    assert fatalities_table(only_zero).table.set_index("name_en").loc["Sabha", "2024-04"] == 0
    empty = fatalities_table(_tolls().iloc[0:0])
    assert empty.table.empty and (empty.attacks, empty.stated, empty.left_out) == (0, 0, 0)
    no_column = fatalities_table(_tolls().drop(columns=["fatalities"]))
    assert no_column.stated == 0 and pd.isna(no_column.table.set_index("name_en").loc["All areas", "total"])


def test_the_fatalities_html_puts_arabic_right_to_left_and_escapes_names():
    from geo.maps.aggregates import fatalities_html, fatalities_table

    got = fatalities_table(_tolls())
    got.table.loc[0, "name_en"] = "<b>x</b>"
    text = fatalities_html(got)
    assert '<td dir="rtl" lang="ar">شعبية سبها</td>' in text and "&lt;b&gt;x&lt;/b&gt;" in text
    assert "<th>2024-03</th>" in text and "<td>–</td>" in text and 'class="marsad-total"' in text
