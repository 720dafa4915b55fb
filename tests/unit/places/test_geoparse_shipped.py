"""The geoparser on the shipped gazetteer: behaviour that needs the real data."""

import pytest

from geo.places.geoparse import find_places


def places(text):
    return [(m.surface, m.place.id if m.place else None, m.qualifier, m.precision) for m in find_places(text)]


@pytest.mark.parametrize("text, expected", [
    ("وأنهم يتمركزون في الجنوب.", [("الجنوب", "cc:LY", "part_of", 3)]),
    ("انتشرت القوات جنوب البلاد", [("البلاد", "cc:LY", "part_of", 3)]),
    ("وصلوا بالجنوب الغربي", [("الجنوب الغربي", "cc:LY", "part_of", 3)]),
    ("الجنوب مهمش منذ سنوات", []),
    ("البلاد تعاني أزمة", []),
], ids=["in-the-south", "south-of-the-country", "clitic-south-west", "no-preposition", "country-alone"])
def test_the_reports_own_country(text, expected):
    assert places(text) == expected


def test_south_of_libya_is_the_curated_south_with_sabha_in_it():
    (m,) = find_places("في جنوب ليبيا")
    sabha = find_places("سبها")[0].place
    assert m.geometry.contains(sabha.geometry)


def test_port_of_tripoli_in_a_report_about_lebanon():
    found = find_places("انفجار في ميناء طرابلس شمال لبنان")
    assert found[0].place.country == "LB"
    assert find_places("انفجار في ميناء طرابلس")[0].place.country == "LY"


def test_a_place_does_not_vouch_for_its_own_namesake():
    # the port named «ميناء طرابلس» must not pull «طرابلس» to Libya in a Lebanese report
    found = find_places("وصلت سفينة إلى طرابلس اللبنانية قادمة من بيروت")
    assert found[0].place.country == "LB"
