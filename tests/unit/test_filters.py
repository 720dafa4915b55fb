"""geo.filters: URL query <-> Filters <-> store.read kwargs, and the tables the pages show."""

import datetime as dt

import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from geo.filters import (
    Filters, clamp_dates, read_query, claims_of, clicked_event, event_point,
    event_table, filter_options, filters_from_query, filters_to_query, read_kwargs,
    source_table, with_dates,
)
from geo.store.frames import events_to_frame
from geo.models import Attribution, Event, Place, PlaceRole


def _event(event_id, *, lat, lon, date, kind="presence", actors=(), speaker="", publisher="الوسط",
           denied=False, geometry=None):
    return Event(
        id=event_id, article_id="a" + event_id, type=kind,
        geometry=geometry if geometry is not None else Point(lon, lat),
        geo_precision=1, event_date=date, date_precision="day",
        attribution=Attribution(speaker=speaker, publisher=publisher,
                                source_type="named person" if speaker else "outlet"),
        quote="رصدت تحركات قرب المدينة", quote_start=0, quote_end=10, actors=actors,
        places=(PlaceRole(role="location", place_id="gn:1", name="بني وليد", precision=1,
                          start=0, end=8),),
        denied=denied,
    )


@pytest.fixture()
def frame():
    return events_to_frame([
        _event("e1", lat=31.75, lon=13.98, date=dt.date(2024, 3, 1), actors=("كتيبة أ",),
               speaker="المتحدث", publisher="الوسط"),
        _event("e2", lat=27.03, lon=14.43, date=dt.date(2024, 5, 9), kind="base",
               actors=("كتيبة ب", "كتيبة أ"), publisher="بوابة الوسط", denied=True),
        _event("e3", lat=0, lon=0, date=dt.date(2024, 4, 2), kind="movement",
               geometry=LineString([(15.0, 30.0), (16.0, 29.0)])),
    ])


@pytest.mark.parametrize("filters", [
    Filters(),
    Filters(place_id="gn:2210554", radius_km=30.0),
    Filters(radius_km=120.0),
    Filters(since=dt.date(2024, 1, 2), until=dt.date(2024, 6, 30)),
    Filters(event_types=("base", "movement"), actors=("قوات الدعم السريع", "كتيبة 444")),
    Filters(outlets=("الوسط",), speakers=("أحمد المسماري",), precision=(1, 2)),
    Filters(include_denied=False, event_id="ev-123"),
    Filters(size_by="fatalities"),
    Filters(size_by="fighters"),
], ids=["default", "place", "radius-only", "dates", "types-actors", "sources-precision",
        "denied-event", "size-fatalities", "size-fighters"])
def test_query_round_trip(filters):
    assert filters_from_query(filters_to_query(filters)) == filters


def test_default_filters_make_an_empty_query():
    assert filters_to_query(Filters()) == {}


@pytest.mark.parametrize("params, expected", [
    ({"r": "abc"}, Filters()),
    ({"r": "-5"}, Filters(radius_km=5.0)),        # brought to the slider's range
    ({"r": "5000"}, Filters(radius_km=500.0)),
    ({"from": "yesterday"}, Filters()),
    ({"type": ["base", "picnic"]}, Filters(event_types=("base",))),
    ({"prec": ["3", "9", "x", "1"]}, Filters(precision=(1, 3))),
    ({"denied": "0"}, Filters(include_denied=False)),
    ({"actor": ["أ", "أ", ""]}, Filters(actors=("أ",))),
    ({"unknown": "1"}, Filters()),
    ({"size": "none"}, Filters()),
    ({"size": ["tonnes", "fatalities"]}, Filters(size_by="fatalities")),   # the last value counts
], ids=["radius-not-number", "radius-negative", "radius-huge", "date-not-iso", "unknown-type",
        "precision-junk", "denied-hidden", "duplicate-and-empty", "unknown-key",
        "size-none", "size-last-wins"])
def test_bad_query_values_are_dropped_or_mended(params, expected):
    assert filters_from_query(params) == expected


@pytest.mark.parametrize("params, filters, note", [
    ({"r": "abc"}, Filters(), "is not a number"),
    ({"r": "900"}, Filters(radius_km=500.0), "is outside 5-500 km; 500 km is used"),
    ({"from": "2025-03-01", "to": "2020-01-01"},
     Filters(since=dt.date(2020, 1, 1), until=dt.date(2025, 3, 1)), "dates were reversed"),
    ({"to": "someday"}, Filters(), "is not a date"),
    ({"size": "tonnes"}, Filters(), "«size=tonnes» is not one of none, fatalities, fighters"),
], ids=["radius-not-number", "radius-too-large", "reversed-dates", "date-not-iso", "size-unknown"])
def test_a_mended_link_value_comes_with_a_sentence(params, filters, note):
    got, notes = read_query(params)
    assert got == filters and len(notes) == 1 and note in notes[0]
    assert read_query({"r": "30", "from": "2024-01-01"})[1] == []


def test_size_choices_are_what_the_map_can_size_by():
    from geo.filters import SIZE_CHOICES
    from geo.maps.build import SIZE_BY

    assert SIZE_CHOICES == tuple(SIZE_BY)


def test_size_by_does_not_change_the_store_read():
    assert read_kwargs(Filters(size_by="fatalities")) == read_kwargs(Filters())


def test_read_kwargs_puts_the_circle_around_the_place():
    place = Place(id="gn:2210554", name_ar="بني وليد", name_en="Bani Walid", kind="town",
                  geometry=Point(13.98, 31.75))
    kwargs = read_kwargs(Filters(place_id=place.id, radius_km=25, event_types=("base",),
                                 include_denied=False), place)
    assert kwargs == {"include_denied": False, "event_types": ["base"],
                      "near": (31.75, 13.98, 25)}


def test_read_kwargs_without_a_known_place_has_no_circle():
    assert "near" not in read_kwargs(Filters(place_id="gn:0"), None)


def test_filter_options_come_from_the_data(frame):
    options = filter_options(frame)
    assert (options.first_date, options.last_date) == (dt.date(2024, 3, 1), dt.date(2024, 5, 9))
    assert options.actors == ("كتيبة أ", "كتيبة ب")
    assert options.outlets == ("الوسط", "بوابة الوسط")
    assert options.speakers == ("المتحدث",)


@pytest.mark.parametrize("since, until, expected", [
    (None, None, (dt.date(2024, 3, 1), dt.date(2024, 5, 9))),
    (dt.date(2020, 1, 1), dt.date(2030, 1, 1), (dt.date(2024, 3, 1), dt.date(2024, 5, 9))),
    (dt.date(2024, 4, 1), None, (dt.date(2024, 4, 1), dt.date(2024, 5, 9))),
], ids=["none", "wider-than-data", "since-only"])
def test_clamp_dates_stays_inside_the_data(frame, since, until, expected):
    assert clamp_dates(Filters(since=since, until=until), filter_options(frame)) == expected


def test_full_slider_range_means_no_date_filter(frame):
    options = filter_options(frame)
    full = with_dates(Filters(), (options.first_date, options.last_date), options)
    assert (full.since, full.until) == (None, None)
    part = with_dates(Filters(), (dt.date(2024, 4, 1), options.last_date), options)
    assert (part.since, part.until) == (dt.date(2024, 4, 1), None)


def test_event_table_is_indexed_by_id_newest_first(frame):
    table = event_table(frame)
    assert list(table.index) == ["e2", "e3", "e1"]
    assert table.loc["e2", "actors"] == "كتيبة ب، كتيبة أ"
    assert table.loc["e1", "places"] == "بني وليد"


@pytest.mark.parametrize("kwargs, expected", [
    ({"properties": {"id": "e2"}}, "e2"),
    ({"properties": {"id": "nope"}, "lat": 31.7, "lon": 14.0}, "e1"),
    ({"lat": 29.5, "lon": 15.5}, "e3"),
    ({}, None),
], ids=["by-property", "unknown-id-falls-back-to-nearest", "nearest-line", "nothing"])
def test_clicked_event(frame, kwargs, expected):
    assert clicked_event(frame, **kwargs) == expected


def test_event_point_is_lat_lon(frame):
    assert event_point(frame, "e1") == (31.75, 13.98)
    assert event_point(frame, "missing") is None


def test_source_table_and_claims(frame):
    sources = source_table(frame)
    assert sources["events"].sum() == 3
    first = sources.iloc[0].to_dict()
    claims = claims_of(frame, first)
    assert len(claims) == first["events"]
    assert set(claims["publisher"]) == {first["publisher"]}


def _near_frame():
    import json as _json
    import geopandas as gpd
    from shapely.geometry import box

    def places(*ids):
        return _json.dumps([{"role": "location", "place_id": i} for i in ids])
    rows = [
        ("inside", Point(13.99, 31.70), places(), 1),
        ("ends-here", LineString([(14.43, 27.04), (13.98, 31.75)]), places("t:sabha", "t:bw"), 1),
        ("passes-by", LineString([(13.0, 31.6), (15.0, 31.6)]), places("t:far1", "t:far2"), 1),
        ("country", box(9.3, 19.5, 25.2, 33.2), places("t:libya"), 3),
        ("outside", Point(14.43, 27.04), places("t:sabha"), 1),
        ("no-shape", None, places("t:bw"), None),
    ]
    return gpd.GeoDataFrame({"id": [r[0] for r in rows], "places": [r[2] for r in rows],
                             "geo_precision": pd.array([r[3] for r in rows], dtype="Int64")},
                            geometry=[r[1] for r in rows], crs="EPSG:4326")


class _Gazetteer:
    points = {"t:sabha": (27.04, 14.43), "t:bw": (31.75, 13.98), "t:far1": (31.6, 13.0),
              "t:far2": (31.6, 15.0), "t:libya": (27.0, 17.0)}

    def get(self, place_id):
        if place_id not in self.points:
            return None
        lat, lon = self.points[place_id]
        return Place(id=place_id, name_ar="", name_en=place_id, kind="town", geometry=Point(lon, lat))


def test_a_radius_keeps_what_is_about_the_place_and_regional_claims_only_when_asked():
    from geo.filters import near_place
    bani_walid = _Gazetteer().get("t:bw")
    frame = _near_frame()
    kept = near_place(frame, bani_walid, 50, _Gazetteer())
    assert list(kept["id"]) == ["inside", "ends-here", "no-shape"]
    wide = near_place(frame, bani_walid, 50, _Gazetteer(), include_regional=True)
    assert list(wide["id"]) == ["inside", "ends-here", "passes-by", "country", "no-shape"]


def test_text_search_finds_every_word_in_the_quote_or_the_report_whatever_the_spelling():
    from geo.filters import normalized_texts, search_text
    frame = pd.DataFrame({"id": ["a", "b", "c"], "article_id": ["r1", "r1", "r2"],
                          "quote": ["تمركزت قوة في مدينة بني وليد", "رتل يتحرك نحو سبها", "هجوم قرب أوباري"]})
    texts = normalized_texts(pd.DataFrame({"id": ["r1", "r2"], "text": ["تقرير عن الجنوب الليبي", "مصدر في أوباري"]}))
    assert list(search_text(frame, "بنى وليد", texts)["id"]) == ["a"]          # ى finds ي
    assert list(search_text(frame, "مدينه", texts)["id"]) == ["a"]             # ه finds ة
    assert list(search_text(frame, "الجنوب", texts)["id"]) == ["a", "b"]       # in the report
    assert list(search_text(frame, "اوباري مصدر", texts)["id"]) == ["c"]       # every word
    assert search_text(frame, "طرابلس", texts).empty
    assert len(search_text(frame, "  ", texts)) == 3
    assert filters_from_query(filters_to_query(Filters(text="بني وليد"))) == Filters(text="بني وليد")
